//! `hookyard serve`: wire the runtime, registry, plugins watcher, database and
//! HTTP routes.

use crate::admin_token::AdminToken;
use crate::alerts::Alerts;
use crate::alerts::expiry::{self, AlertConfig};
use crate::api;
use crate::app::{App, Settings};
use crate::changes::Changes;
use crate::client_ip::parse_nets;
use crate::console;
use crate::delivery::drainer::Drainer;
use crate::delivery::retry::RetrySchedule;
use crate::delivery::ssrf::AddressPolicy;
use crate::delivery::{Delivery, DeliveryConfig};
use crate::event_policy::WarnOnce;
use crate::ingest;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::registry::Registry;
use crate::retention::{self, RetentionConfig};
use crate::runtime::{Reuse, Runtime, RuntimeLimits};
use crate::sealing::{Keyring, MasterKey};
use crate::shadow::Shadows;
use crate::shutdown;
use crate::source_table::SourceTable;
use crate::store::{Database, destinations, secrets};
use crate::tasks::Tasks;
use crate::telemetry::OtlpConfig;
use crate::watcher;
use anyhow::{Context as _, Result};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::any;
use ipnet::IpNet;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Everything `serve` is configured with (flags or environment).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "HOOKYARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Database URL: sqlite://FILE (created if missing), or
    /// postgres://USER@HOST/DATABASE for several replicas on one database
    /// (then the master key must come from HOOKYARD_MASTER_KEY or a file).
    #[arg(
        long,
        env = "HOOKYARD_DATABASE_URL",
        default_value = "sqlite://hookyard.db"
    )]
    pub database: String,
    /// Directory of adapter components (*.wasm).
    #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
    pub plugins: PathBuf,
    /// Seconds between full rescans of the plugins directory, a fallback for
    /// change events that were lost (changes are normally seen at once).
    #[arg(long, env = "HOOKYARD_PLUGINS_RESCAN_SECONDS", default_value_t = 30)]
    pub plugins_rescan_seconds: u64,
    /// Every adapter version that validated, kept for rollback
    /// [default: PLUGINS/.versions].
    #[arg(long, env = "HOOKYARD_VERSIONS_DIR")]
    pub versions_dir: Option<PathBuf>,
    #[command(flatten)]
    pub retention: RetentionConfig,
    #[command(flatten)]
    pub alerts: AlertConfig,
    #[command(flatten)]
    pub otlp: OtlpConfig,
    /// Directory for precompiled adapters [default: PLUGINS/.cache].
    #[arg(long, env = "HOOKYARD_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Base of webhook URLs as vendors call them, e.g. `https://hooks.example.com`.
    #[arg(long, env = "HOOKYARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Largest accepted webhook body, in bytes (a source may set its own).
    #[arg(long, env = "HOOKYARD_BODY_LIMIT", default_value_t = 1 << 20)]
    pub body_limit: usize,
    /// Requests per second per source key; 0 = unlimited (a source may set its own).
    #[arg(long, env = "HOOKYARD_RATE_LIMIT", default_value_t = 0)]
    pub rate_limit: u32,
    /// Requests a source may send at once on an idle rate budget [default: the rate].
    #[arg(long, env = "HOOKYARD_RATE_BURST")]
    pub rate_burst: Option<u32>,
    /// Rate budgets count across every replica on the database (PostgreSQL)
    /// instead of per replica (a source may set its own `shared_rate`).
    #[arg(long, env = "HOOKYARD_SHARED_RATE_LIMITS")]
    pub shared_rate_limits: bool,
    /// Requests of one source in flight at once; 0 = unlimited.
    #[arg(long, env = "HOOKYARD_MAX_CONCURRENT", default_value_t = 0)]
    pub max_concurrent: u32,
    /// Client addresses allowed on every source without its own list
    /// (comma-separated CIDR) [default: all].
    #[arg(long, env = "HOOKYARD_ALLOW_IPS", value_delimiter = ',', value_parser = parse_net)]
    pub allow_ips: Vec<IpNet>,
    /// File holding the master key that seals secrets (64 hex characters)
    /// [default: HOOKYARD_MASTER_KEY, else DATABASE.key, created if missing].
    #[arg(long, env = "HOOKYARD_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// File holding the admin bearer token, created with a random one if
    /// missing [default: HOOKYARD_ADMIN_TOKEN, else DATABASE.admin-token for a
    /// SQLite database, else one made up for this run].
    #[arg(long, env = "HOOKYARD_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// File holding the previous master key during a master-key rotation
    /// [default: HOOKYARD_PREVIOUS_MASTER_KEY, if set].
    #[arg(long, env = "HOOKYARD_PREVIOUS_MASTER_KEY_FILE")]
    pub previous_master_key_file: Option<PathBuf>,
    /// Proxies whose Forwarded / X-Forwarded-For headers name the client
    /// (comma-separated CIDR) [default: none: the peer is the client].
    #[arg(long, env = "HOOKYARD_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_net)]
    pub trusted_proxies: Vec<IpNet>,
    /// Time budget of one request's adapter calls, in milliseconds.
    #[arg(long, env = "HOOKYARD_ADAPTER_TIMEOUT_MS", default_value_t = 1000)]
    pub adapter_timeout_ms: u64,
    /// Linear-memory cap of one adapter instance, in MiB.
    #[arg(long, env = "HOOKYARD_ADAPTER_MEMORY_MIB", default_value_t = 64)]
    pub adapter_memory_mib: usize,
    /// Largest output of one adapter call (events or a direct answer), in MiB.
    #[arg(long, env = "HOOKYARD_ADAPTER_OUTPUT_MIB", default_value_t = 16)]
    pub adapter_output_mib: usize,
    /// Adapter instances alive at once (concurrent adapter calls).
    #[arg(long, env = "HOOKYARD_ADAPTER_INSTANCES", default_value_t = 256)]
    pub adapter_instances: u32,
    /// Requests one adapter instance serves, for the same source, before it
    /// is dropped; 1 = a fresh instance per request (no reuse).
    #[arg(long, env = "HOOKYARD_ADAPTER_REUSE", default_value_t = 128)]
    pub adapter_reuse: u32,
    /// Waits between delivery attempts; after the last, a dead letter.
    #[arg(
        long,
        env = "HOOKYARD_RETRY_SCHEDULE",
        default_value = "5s,5m,30m,2h,5h,10h,10h"
    )]
    pub retry_schedule: RetrySchedule,
    /// Internal networks HTTP destinations may reach, as CIDRs
    /// (e.g. 127.0.0.0/8,::1/128); all others internal ones are refused.
    #[arg(long, env = "HOOKYARD_ALLOW_DESTINATION_NETWORKS", default_value = "", value_parser = AddressPolicy::parse)]
    pub allow_destination_networks: AddressPolicy,
    /// Seconds a stop (SIGTERM, Ctrl-C) gives the requests and delivery
    /// attempts in flight before cutting them short.
    #[arg(long, env = "HOOKYARD_SHUTDOWN_GRACE_SECONDS", default_value_t = 10)]
    pub shutdown_grace_seconds: u64,
}

impl ServeConfig {
    pub fn runtime_limits(&self) -> RuntimeLimits {
        RuntimeLimits {
            call_timeout: Duration::from_millis(self.adapter_timeout_ms),
            memory_bytes: self.adapter_memory_mib << 20,
            max_instances: self.adapter_instances,
            output_bytes: self.adapter_output_mib << 20,
            reuse: Reuse {
                max_uses: self.adapter_reuse.max(1),
                // No more idle instances than calls may run at once.
                max_idle_instances: Reuse::default()
                    .max_idle_instances
                    .min(self.adapter_instances),
                ..Reuse::default()
            },
        }
    }

    pub fn versions_dir(&self) -> PathBuf {
        self.versions_dir
            .clone()
            .unwrap_or_else(|| self.plugins.join(".versions"))
    }

    /// The limits of sources that do not set their own.
    pub fn default_limits(&self) -> Result<Limits> {
        let limits = Limits {
            body_bytes: Some(self.body_limit),
            rate_per_second: Some(self.rate_limit),
            burst: self.rate_burst,
            shared_rate: Some(self.shared_rate_limits),
            max_concurrent: Some(self.max_concurrent),
            allow_ips: (!self.allow_ips.is_empty()).then(|| self.allow_ips.clone()),
            // Whether instances are reused at all is `--adapter-reuse`.
            reuse_instances: None,
            // Fetch origins are the adapters' own unless a source says.
            fetch_origins: None,
            add_fetch_origins: None,
        };
        limits.validate().map_err(anyhow::Error::msg)?;
        Ok(limits)
    }

    /// The master keys: from a file, else `HOOKYARD_MASTER_KEY`, else the
    /// key file next to the SQLite database (created on first start).
    pub fn keyring(&self) -> Result<Keyring> {
        let from_env = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| MasterKey::parse(&v).with_context(|| format!("in {name}")))
                .transpose()
        };
        let current = match (&self.master_key_file, from_env("HOOKYARD_MASTER_KEY")?) {
            (Some(file), _) => MasterKey::read(file)?,
            (None, Some(key)) => key,
            (None, None) => {
                let path = self.sqlite_file().with_context(|| {
                    format!(
                        "no master key: set HOOKYARD_MASTER_KEY or --master-key-file \
                         (a key file is created next to the database only for sqlite://FILE, not {})",
                        self.database
                    )
                })?;
                MasterKey::read_or_create(std::path::Path::new(&format!("{path}.key")))?
            }
        };
        let previous = match &self.previous_master_key_file {
            Some(file) => Some(MasterKey::read(file)?),
            None => from_env("HOOKYARD_PREVIOUS_MASTER_KEY")?,
        };
        Ok(Keyring { current, previous })
    }

    /// The admin token file: the flag, else `DATABASE.admin-token` next to a
    /// SQLite file; none on PostgreSQL.
    pub fn admin_token_file(&self) -> Option<PathBuf> {
        self.admin_token_file.clone().or_else(|| {
            Some(PathBuf::from(format!(
                "{}.admin-token",
                self.sqlite_file()?
            )))
        })
    }

    /// The SQLite database file, when the database is one.
    fn sqlite_file(&self) -> Option<&str> {
        let path = self
            .database
            .strip_prefix("sqlite://")
            .filter(|path| !path.is_empty() && !path.contains(":memory:"))?;
        Some(path.split('?').next().unwrap_or(path))
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| self.plugins.join(".cache"))
    }
}

pub async fn serve(config: ServeConfig) -> Result<()> {
    // Before anything loads: a port in use is the commonest first failure.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "listening on {} (is another server running there? pick another with --listen)",
                config.listen
            )
        })?;
    let admin_token = AdminToken::find(
        std::env::var("HOOKYARD_ADMIN_TOKEN").ok().as_deref(),
        config.admin_token_file().as_deref(),
    )?;
    if let Some(announcement) = admin_token.announcement() {
        println!("{announcement}");
    }
    let admin_token = admin_token.token;

    let metrics = Arc::new(Metrics::new());
    let db = Database::open(&config.database).await?;
    let runtime = Runtime::new(config.runtime_limits(), Some(config.cache_dir()))?;
    let registry = Registry::new(
        &runtime,
        &config.plugins,
        Some(config.versions_dir()),
        metrics.clone(),
    );
    // Adapters uploaded through the API (by any server on this database).
    registry.sync_uploads(&db.pool).await?;
    let rejected_at_start = registry.scan().await?.rejected;
    let catalog = registry.catalog();
    if catalog.adapters.is_empty() {
        tracing::warn!(
            "no adapter in {}: sources cannot verify anything (./dev setup builds the bundled ones; --plugins points elsewhere)",
            config.plugins.display()
        );
    }

    let keyring = config.keyring()?;
    let resealed = secrets::reseal(&db.pool, &keyring)
        .await
        .context("sealing the secrets under the current master key")?;
    let resealed = resealed
        + destinations::reseal(&db.pool, &keyring)
            .await
            .context("sealing the destination secrets under the current master key")?;
    let raw = crate::store::requests::reseal(&db.pool, &keyring)
        .await
        .context("sealing the raw requests under the current master key")?;
    if raw > 0 {
        tracing::info!(
            "sealed {raw} raw requests under master key {}",
            keyring.current.id
        );
    }
    if resealed > 0 {
        tracing::info!(
            "re-sealed {resealed} secrets under master key {}",
            keyring.current.id
        );
    }
    let writer = db.start_writer(metrics.clone()).await?;
    let settings = Arc::new(Settings {
        default_limits: config.default_limits()?,
        trusted_proxies: config.trusted_proxies.clone(),
        public_url: config.public_url.clone(),
        admin_token_sha256: Sha256::digest(admin_token.as_bytes()).to_vec(),
    });
    let master_key = Arc::new(keyring.current);
    let registry = Arc::new(registry);
    let delivery = Arc::new(Delivery::new(DeliveryConfig {
        retry: config.retry_schedule.clone(),
        policy: Arc::new(config.allow_destination_networks.clone()),
    }));
    delivery.reload(&db.pool, &master_key).await?;
    let sources = Arc::new(
        SourceTable::new(
            db.clone(),
            registry.clone(),
            master_key.clone(),
            settings.default_limits.clone(),
            // Key fetches pass the destinations' SSRF guard.
            crate::fetch::Fetcher::new(Arc::new(config.allow_destination_networks.clone())),
        )
        .await?,
    );
    let changes = Arc::new(Changes::new(
        db.clone(),
        sources.clone(),
        delivery.clone(),
        registry.clone(),
        master_key.clone(),
    ));
    let alerts = Alerts::new(writer.clone(), delivery.clone(), metrics.clone());
    let app = App {
        sources: sources.clone(),
        db: db.clone(),
        writer: writer.clone(),
        registry: registry.clone(),
        delivery: delivery.clone(),
        changes: changes.clone(),
        metrics: metrics.clone(),
        settings,
        master_key,
        shadows: Arc::new(Shadows::default()),
        unknown_types_logged: Arc::new(WarnOnce::default()),
        alerts: alerts.clone(),
    };

    let mut tasks = Tasks::default();
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    let drainer = Arc::new(Drainer {
        writer: writer.clone(),
        delivery,
        pool: db.pool.clone(),
        metrics,
        changes: changes.clone(),
        alerts: alerts.clone(),
        grace,
    });
    tasks.spawn("the outbox drainer", drainer.run(tasks.stop()));
    if let Some(listener) = changes.listener(tasks.stop()) {
        tasks.spawn("the change listener", listener);
    }
    if let Some(worker) = app.shadows.worker(db.pool.clone(), tasks.stop()) {
        tasks.spawn("the shadow worker", worker);
    }
    tasks.spawn(
        "the pruning",
        retention::task(
            config.retention.clone(),
            writer.clone(),
            db.pool.clone(),
            tasks.stop(),
        ),
    );
    tasks.spawn(
        "the follow-up calls",
        crate::follow_ups::task(
            db.pool.clone(),
            app.master_key.clone(),
            Arc::new(config.allow_destination_networks.clone()),
            tasks.stop(),
        ),
    );
    for rejected in rejected_at_start {
        alerts.raise(rejected).await;
    }
    if let Some(expiry) = expiry::task(
        &config.alerts,
        db.pool.clone(),
        alerts.clone(),
        tasks.stop(),
    ) {
        tasks.spawn("the secret expiry alerts", expiry);
    }
    let (_watcher, rescans) = watcher::start(
        registry,
        db,
        sources,
        alerts,
        Duration::from_secs(config.plugins_rescan_seconds.max(1)),
        tasks.stop(),
    )?;
    tasks.spawn("the plugins watcher", rescans);
    println!("hookyard listening on http://{}", listener.local_addr()?);
    let routes = router(app).into_make_service_with_connect_info::<SocketAddr>();
    shutdown::serve_until_stopped(
        |signal| axum::serve(listener, routes).with_graceful_shutdown(signal),
        tasks,
        writer,
        grace,
    )
    .await
}

/// Every route: the public ones, the management API and the console (a
/// client of the API, not part of its document).
pub fn router(app: App) -> Router {
    let (routes, _) = public_routes().merge(api::router(&app)).split_for_parts();
    routes
        .merge(console::router())
        .fallback(api::no_route)
        .method_not_allowed_fallback(api::no_method)
        .with_state(app)
}

/// The routes outside `/api/v1`, documented like the API's (the OpenAPI
/// document lists every route the server mounts). The webhook and `noop`
/// routes take any method; the document shows POST.
pub fn public_routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(ingest::receive).map(|_| any(ingest::receive)))
        .routes(routes!(healthz))
        .routes(routes!(noop).map(|_| any(noop)))
        .routes(routes!(metrics))
}

/// Liveness.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses((status = 200, description = "`ok`", content_type = "text/plain", body = String))
)]
async fn healthz() -> &'static str {
    "ok"
}

/// The baseline for benchmarks: reads the body and answers, doing nothing else.
#[utoipa::path(
    post,
    path = "/noop",
    tag = "meta",
    request_body(content = api::openapi::Binary, content_type = "application/octet-stream"),
    responses((status = 200, description = "`{\"status\": \"ok\", \"bytes\": N}`", body = Object))
)]
async fn noop(body: axum::body::Bytes) -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok", "bytes": body.len() }))
}

/// OpenMetrics text (what `prometheus-client` renders: `_total` samples of
/// counters, `# EOF`), served as such so a scraper parses it with the right
/// parser.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "meta",
    responses((status = 200, description = "OpenMetrics text (`version=1.0.0`)", content_type = "application/openmetrics-text", body = String))
)]
async fn metrics(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.render(),
    )
}

fn parse_net(text: &str) -> Result<IpNet, String> {
    match parse_nets(text)?.as_slice() {
        [net] => Ok(*net),
        _ => Err(format!("{text:?} is not one address or CIDR network")),
    }
}
