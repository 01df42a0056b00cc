//! Harness for the end-to-end tests: start the real `hookyard` binary on a
//! free loopback port with a fresh database, and talk HTTP to it.
//!
//! The database is a SQLite file in a temporary directory, or, when
//! `HOOKYARD_TEST_POSTGRES` holds a PostgreSQL URL (`./dev test` runs the
//! suite both ways), a new database on that server for each test server,
//! dropped afterwards.
//!
//! The binary and the adapters come from `./dev setup` (which `./dev serve` and `./dev test` run)
//! (`target/release/hookyard`, `target/plugins/`, `target/test-plugins/`); the
//! tests never build anything themselves. Signing helpers here are written
//! independently of the adapters, from the vendors' documentation, so an
//! adapter that drifts from the vendor's scheme fails these tests.

pub mod key_server;
pub mod otlp;
pub mod receiver;
pub mod sign;

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The admin token every test server runs with.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `target/release/hookyard`, built by the setup step.
pub fn binary() -> PathBuf {
    let path = repo_root().join("target/release/hookyard");
    assert!(
        path.exists(),
        "{} is missing: run `./dev setup` first",
        path.display()
    );
    path
}

/// The bundled adapters (`target/plugins`).
pub fn bundled_plugins() -> PathBuf {
    repo_root().join("target/plugins")
}

/// A plugins directory of its own (kept for the test's life) holding these
/// bundled adapters and test adapters.
pub fn plugins_with(bundled: &[&str], test: &[&str]) -> PathBuf {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    for file in bundled {
        std::fs::copy(bundled_plugins().join(file), dir.join(file)).expect("copying an adapter");
    }
    for file in test {
        std::fs::copy(test_plugin(file), dir.join(file)).expect("copying a test adapter");
    }
    dir
}

/// Adapters that misbehave on purpose (`target/test-plugins`).
pub fn test_plugin(file: &str) -> PathBuf {
    let path = repo_root().join("target/test-plugins").join(file);
    assert!(
        path.exists(),
        "{} is missing: run `./dev setup` first",
        path.display()
    );
    path
}

/// The PostgreSQL server the suite runs against, if it does.
pub fn postgres_url() -> Option<String> {
    std::env::var("HOOKYARD_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// `url` with its database (the path) replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// Runs one SQL statement with psql on the suite's PostgreSQL server.
fn psql(admin_url: &str, sql: &str) -> Result<()> {
    let out = Command::new("psql")
        .args([admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .context("running psql")?;
    if !out.status.success() {
        bail!("psql {sql:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// Where a test server keeps its data.
enum Store {
    /// `hookyard.db` in the server's directory.
    Sqlite,
    /// A PostgreSQL database: `created` (admin URL, name) when it was
    /// created for this server, and is dropped with it; `None` for a replica
    /// of another server.
    Postgres {
        url: String,
        created: Option<(String, String)>,
    },
}

impl Store {
    fn new(dir: &Path) -> Store {
        let Some(admin_url) = postgres_url() else {
            return Store::Sqlite;
        };
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "hookyard_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        psql(&admin_url, &format!("CREATE DATABASE {name}")).expect("creating a test database");
        // The master key: from the environment, and in the file the SQLite
        // runs create next to their database, which tests read.
        let key: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ name.len() as u8);
        std::fs::write(dir.join("hookyard.db.key"), hex::encode(key)).expect("key file");
        Store::Postgres {
            url: with_database(&admin_url, &name),
            created: Some((admin_url, name)),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Store::Postgres {
            created: Some((admin_url, name)),
            ..
        } = self
        {
            let _ = psql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// A running server and the temporary directory holding its database.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub dir: tempfile::TempDir,
    store: Store,
    plugins: PathBuf,
    /// Extra `serve` flags (change them before a restart to restart differently).
    pub args: Vec<String>,
    port: u16,
    /// Extra environment of the server process (kept across restarts).
    env: Vec<(String, String)>,
    pub http: reqwest::Client,
}

impl Server {
    /// A server with the bundled adapters.
    pub async fn start() -> Server {
        Server::with_plugins(bundled_plugins()).await
    }

    /// A server loading the adapters of `plugins`.
    pub async fn with_plugins(plugins: PathBuf) -> Server {
        Server::with_options(plugins, &[], &[]).await
    }

    /// A server loading the adapters of `plugins`, with extra `serve` flags.
    pub async fn with_args(plugins: PathBuf, args: &[&str]) -> Server {
        Server::with_options(plugins, args, &[]).await
    }

    /// A server with the bundled adapters and extra environment
    /// (`HOOKYARD_RETRY_SCHEDULE`, ...).
    pub async fn with_settings(env: &[(&str, &str)]) -> Server {
        Server::with_options(bundled_plugins(), &[], env).await
    }

    async fn with_options(plugins: PathBuf, args: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut server = Server {
            child: None,
            base: format!("http://127.0.0.1:{port}"),
            store: Store::new(dir.path()),
            dir,
            plugins,
            args: args.iter().map(|a| a.to_string()).collect(),
            port,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        server.spawn().await.expect("server starts");
        server
    }

    async fn spawn(&mut self) -> Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))?;
        let mut command = Command::new(binary());
        if let Store::Postgres { .. } = self.store {
            command.env("HOOKYARD_MASTER_KEY", self.master_key());
        }
        let child = command
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--database", &self.database_url()])
            .arg("--plugins")
            .arg(&self.plugins)
            .arg("--cache-dir")
            .arg(repo_root().join("target/plugin-cache"))
            .args(&self.args)
            .env("HOOKYARD_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("HOOKYARD_LOG", "info")
            // Test receivers listen on loopback, which the SSRF guard
            // refuses unless allowed (a test may override this).
            .env("HOOKYARD_ALLOW_DESTINATION_NETWORKS", "127.0.0.0/8,::1/128")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(log.try_clone()?)
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .context("spawning hookyard")?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = self.http.get(format!("{}/healthz", self.base)).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait()? {
                bail!("hookyard exited with {status}: {}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("hookyard did not become healthy: {}", self.log())
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Another server on this one's database (PostgreSQL only): its own port
    /// and directory, the same adapters, flags, environment and master key.
    pub async fn replica(&self) -> Server {
        let Store::Postgres { url, .. } = &self.store else {
            panic!("replicas share a PostgreSQL database; this server runs on SQLite");
        };
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("hookyard.db.key"), self.master_key()).expect("key file");
        let port = free_port();
        let mut replica = Server {
            child: None,
            base: format!("http://127.0.0.1:{port}"),
            store: Store::Postgres {
                url: url.clone(),
                created: None,
            },
            dir,
            plugins: self.plugins.clone(),
            args: self.args.clone(),
            port,
            env: self.env.clone(),
            http: self.http.clone(),
        };
        replica.spawn().await.expect("the replica starts");
        replica
    }

    /// Kills the process with SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
        }
    }

    /// Asks the process to stop with SIGTERM and waits up to `bound` for it
    /// to exit; returns its exit status and how long it took (panics past
    /// the bound, after killing it).
    pub fn terminate(&mut self, bound: Duration) -> (std::process::ExitStatus, Duration) {
        let mut child = self.child.take().expect("the server is running");
        let started = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -TERM failed");
        while started.elapsed() < bound {
            if let Some(status) = child.try_wait().expect("waiting for the server") {
                return (status, started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        panic!(
            "the server did not stop within {bound:?} of SIGTERM: {}",
            self.log()
        );
    }

    /// Starts the binary again on the same port and database.
    pub async fn restart(&mut self) {
        self.try_restart().await.expect("server restarts");
    }

    /// Starts the binary again; the error says why it did not come up.
    pub async fn try_restart(&mut self) -> Result<()> {
        self.kill();
        self.spawn().await
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// Calls the management API; returns status and JSON body.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.api_as(ADMIN_TOKEN, method, path, body).await
    }

    /// Calls the management API with another bearer token.
    pub async fn api_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("API call");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The `--database` URL the server runs with.
    pub fn database_url(&self) -> String {
        match &self.store {
            Store::Sqlite => format!("sqlite://{}", self.dir.path().join("hookyard.db").display()),
            Store::Postgres { url, .. } => url.clone(),
        }
    }

    /// The master key the server seals secrets with (hex).
    pub fn master_key(&self) -> String {
        let file = self.dir.path().join("hookyard.db.key");
        std::fs::read_to_string(file)
            .expect("the master key file")
            .trim()
            .to_string()
    }

    /// Whether the server runs on PostgreSQL (else on a SQLite file).
    pub fn on_postgres(&self) -> bool {
        matches!(self.store, Store::Postgres { .. })
    }

    /// Fails a test that needs PostgreSQL when the suite runs on SQLite:
    /// such tests are named `postgres_only_…`, and `./dev test` skips them by
    /// name in its SQLite pass (counted as filtered out), never passing them
    /// without running.
    pub fn require_postgres(&self) {
        assert!(
            self.on_postgres(),
            "this test needs PostgreSQL: set HOOKYARD_TEST_POSTGRES (./dev test runs it in its PostgreSQL pass)"
        );
    }

    /// The same for tests of the SQLite file itself (`sqlite_only_…`).
    pub fn require_sqlite(&self) {
        assert!(
            !self.on_postgres(),
            "this test is about the SQLite file: run it without HOOKYARD_TEST_POSTGRES"
        );
    }

    /// Everything the database holds, as bytes an attacker with the disk
    /// would see: every file of the SQLite database (main file, WAL, shared
    /// memory; not the master key file next to it), or a `pg_dump` of the
    /// PostgreSQL database.
    pub fn database_files(&self) -> Vec<(String, Vec<u8>)> {
        if let Store::Postgres { url, .. } = &self.store {
            let dump = Command::new("pg_dump")
                .arg(url)
                .output()
                .expect("running pg_dump");
            assert!(
                dump.status.success(),
                "pg_dump: {}",
                String::from_utf8_lossy(&dump.stderr)
            );
            return vec![("pg_dump".into(), dump.stdout)];
        }
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                let name = path.file_name().unwrap().to_string_lossy();
                name.starts_with("hookyard.db") && !name.ends_with(".key")
            })
            .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
            .collect()
    }

    /// Runs one SQL statement on the server's database (psql on PostgreSQL,
    /// a connection of its own on SQLite), for what the API cannot do, such
    /// as moving a receipt time into the past.
    pub fn execute_sql(&self, sql: &str) {
        match &self.store {
            Store::Postgres { url, .. } => psql(url, sql).expect("running SQL"),
            Store::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("hookyard.db"))
                    .expect("opening the SQLite file");
                conn.busy_timeout(Duration::from_secs(10)).unwrap();
                conn.execute_batch(sql).expect("running SQL");
            }
        }
    }

    /// The number one SQL query returns (`SELECT COUNT(*) …`), read straight
    /// from the server's database: for rows the API does not show.
    pub fn query_count(&self, sql: &str) -> i64 {
        match &self.store {
            Store::Postgres { url, .. } => {
                let out = Command::new("psql")
                    .args([url.as_str(), "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql])
                    .output()
                    .expect("running psql");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .expect("a number")
            }
            Store::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("hookyard.db"))
                    .expect("opening the SQLite file");
                conn.busy_timeout(Duration::from_secs(10)).unwrap();
                conn.query_row(sql, [], |row| row.get(0))
                    .expect("running SQL")
            }
        }
    }

    /// Creates a source and returns its API representation.
    pub async fn create_source(&self, preset: &str, secrets: &[&str], settings: Value) -> Source {
        let body = json!({ "name": format!("{preset} test"), "preset": preset, "secrets": secrets, "settings": settings });
        let (status, source) = self
            .api(reqwest::Method::POST, "/api/v1/sources", Some(body))
            .await;
        assert_eq!(status, 201, "creating a {preset} source: {source}");
        Source {
            id: source["id"].as_str().unwrap().to_string(),
            key: source["key"].as_str().unwrap().to_string(),
            url: source["url"].as_str().unwrap().to_string(),
        }
    }

    /// Sets a source's own limits (PATCH), and checks they were taken as given.
    pub async fn set_limits(&self, source_id: &str, limits: Value) {
        let (status, answer) = self
            .api(
                reqwest::Method::PATCH,
                &format!("/api/v1/sources/{source_id}"),
                Some(json!({ "limits": limits })),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["limits"], limits);
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics(&self) -> String {
        self.http
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// Every event of a source, oldest first (follows cursors).
    pub async fn events(&self, source_id: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor = String::new();
        loop {
            let path = format!("/api/v1/events?source_id={source_id}&limit=1000&cursor={cursor}");
            let (status, page) = self.api(reqwest::Method::GET, &path, None).await;
            assert_eq!(status, 200, "{page}");
            let data = page["data"].as_array().unwrap().clone();
            if data.is_empty() {
                return all;
            }
            cursor = page["next_cursor"].as_str().unwrap().to_string();
            all.extend(data);
        }
    }

    /// The request log of a source, newest first.
    pub async fn requests(&self, source_id: &str) -> Vec<Value> {
        let path = format!("/api/v1/requests?source_id={source_id}&limit=1000");
        let (status, page) = self.api(reqwest::Method::GET, &path, None).await;
        assert_eq!(status, 200, "{page}");
        page["data"].as_array().unwrap().clone()
    }

    /// The newest follow-up call of request `request_id` once it is no
    /// longer pending (or as it is after 15 s).
    pub async fn settled_follow_up(&self, request_id: &str) -> Value {
        let path = format!("/api/v1/follow-ups?request_id={request_id}");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (status, list) = self.api(reqwest::Method::GET, &path, None).await;
            assert_eq!(status, 200, "{list}");
            let row = list["data"][0].clone();
            if row["state"] != "pending" && !row.is_null() || Instant::now() > deadline {
                return row;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends a webhook to a source key.
    pub async fn deliver(&self, key: &str, request: &sign::Signed) -> (u16, Value) {
        self.deliver_with(
            key,
            &request.method,
            &request.query,
            &request.headers,
            &request.body,
        )
        .await
    }

    pub async fn deliver_with(
        &self,
        key: &str,
        method: &str,
        query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> (u16, Value) {
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        let url = format!("{}/webhooks/{key}{query}", self.base);
        let mut request = self
            .http
            .request(method.parse().unwrap(), url)
            .body(body.to_vec());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("webhook call");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A source as the API described it.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub key: String,
    pub url: String,
}

/// A loopback port nobody listens on right now.
/// Fails if any of `files` (name, bytes) contains one of `needles`.
pub fn assert_absent(files: &[(String, Vec<u8>)], needles: &[&str]) {
    for (name, bytes) in files {
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{name} holds {needle} in clear text"
            );
        }
    }
}

/// Parses `text` with the official Prometheus Python client's OpenMetrics
/// parser (installed by the setup in `target/venv-test`); the number of
/// metric families, or the parser's complaint.
pub fn parse_openmetrics(text: &str) -> Result<usize, String> {
    use std::io::Write as _;
    let python = repo_root().join("target/venv-test/bin/python");
    let mut child = Command::new(python)
        .args([
            "-c",
            "import sys\nfrom prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\nprint(len(list(parse(sys.stdin.read()))))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running the OpenMetrics parser: run `./dev setup` first");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
