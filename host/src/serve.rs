//! `hookyard serve`: wire the runtime, registry, database and HTTP routes.

use crate::api;
use crate::app::{App, Settings};
use crate::ingest;
use crate::metrics::Metrics;
use crate::registry::Registry;
use crate::runtime::{Runtime, RuntimeLimits};
use crate::store::Database;
use crate::store::writer::Writer;
use anyhow::{Context as _, Result};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Everything `serve` is configured with (flags or environment).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "HOOKYARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Database URL: sqlite://FILE (created if missing).
    #[arg(
        long,
        env = "HOOKYARD_DATABASE_URL",
        default_value = "sqlite://hookyard.db"
    )]
    pub database: String,
    /// Directory of adapter components (*.wasm).
    #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
    pub plugins: PathBuf,
    /// Directory for precompiled adapters [default: PLUGINS/.cache].
    #[arg(long, env = "HOOKYARD_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Base of webhook URLs as vendors call them, e.g. https://hooks.example.com.
    #[arg(long, env = "HOOKYARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Largest accepted webhook body, in bytes.
    #[arg(long, env = "HOOKYARD_BODY_LIMIT", default_value_t = 1 << 20)]
    pub body_limit: usize,
    /// Time budget of one request's adapter calls, in milliseconds.
    #[arg(long, env = "HOOKYARD_ADAPTER_TIMEOUT_MS", default_value_t = 1000)]
    pub adapter_timeout_ms: u64,
    /// Linear-memory cap of one adapter instance, in MiB.
    #[arg(long, env = "HOOKYARD_ADAPTER_MEMORY_MIB", default_value_t = 64)]
    pub adapter_memory_mib: usize,
    /// Adapter instances alive at once (concurrent adapter calls).
    #[arg(long, env = "HOOKYARD_ADAPTER_INSTANCES", default_value_t = 256)]
    pub adapter_instances: u32,
}

impl ServeConfig {
    pub fn runtime_limits(&self) -> RuntimeLimits {
        RuntimeLimits {
            call_timeout: Duration::from_millis(self.adapter_timeout_ms),
            memory_bytes: self.adapter_memory_mib << 20,
            max_instances: self.adapter_instances,
        }
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| self.plugins.join(".cache"))
    }
}

pub async fn serve(config: ServeConfig) -> Result<()> {
    let admin_token = match std::env::var("HOOKYARD_ADMIN_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token.trim().to_string(),
        _ => {
            let token: String = rand::rng()
                .sample_iter(&Alphanumeric)
                .take(40)
                .map(char::from)
                .collect();
            let token = format!("hya_{token}");
            println!("HOOKYARD_ADMIN_TOKEN not set; generated admin token for this run: {token}");
            token
        }
    };

    let runtime = Runtime::new(config.runtime_limits(), Some(config.cache_dir()))?;
    let registry = Registry::load_dir(&runtime, &config.plugins).await?;
    let catalog = registry.catalog();
    tracing::info!(
        adapters = catalog.adapters.len(),
        presets = catalog.presets.len(),
        "adapters ready"
    );

    let metrics = Arc::new(Metrics::new());
    let db = Database::open(&config.database).await?;
    let writer = Writer::start(&db, metrics.clone()).await?;
    let settings = Settings {
        body_limit: config.body_limit,
        public_url: config.public_url.clone(),
        admin_token_sha256: Sha256::digest(admin_token.as_bytes()).to_vec(),
    };
    let app = Arc::new(
        App::new(
            db,
            writer,
            registry,
            metrics,
            settings,
            config.adapter_instances as usize,
        )
        .await?,
    );

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    println!("hookyard listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/webhooks/{key}", any(ingest::receive))
        .route("/healthz", get(|| async { "ok" }))
        .route("/noop", any(noop))
        .route("/metrics", get(metrics))
        .merge(api::router(app.clone()))
        .with_state(app)
}

/// The baseline for benchmarks: reads the body and answers, doing nothing else.
async fn noop(body: axum::body::Bytes) -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok", "bytes": body.len() }))
}

async fn metrics(State(app): State<Arc<App>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
    tracing::info!("shutting down");
}
