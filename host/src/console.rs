//! The operator console: a web UI (plain HTML, CSS and JavaScript modules in
//! `host/console/`) embedded in the binary at compile time and served at `/`
//! and `/console/...`, with no network at run time and a strict
//! Content-Security-Policy. It is a client of the management API like the
//! CLI: everything it shows or changes goes through `/api/v1` with the
//! operator's bearer token (kept in the tab's `sessionStorage`, never in a
//! URL). See docs/console.md.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Nothing but the console's own files: no inline script or style, no other
/// origin, no framing. Every console answer carries it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// One embedded file: its name under `/console/` and its bytes.
struct Asset {
    name: &'static str,
    bytes: &'static [u8],
}

macro_rules! assets {
    ($($name:literal),* $(,)?) => {
        &[$(Asset { name: $name, bytes: include_bytes!(concat!("../console/", $name)) }),*]
    };
}

/// Every file of `host/console/` the console loads (a test checks the list
/// against the folder).
const ASSETS: &[Asset] = assets![
    "index.html",
    "style.css",
    "favicon.svg",
    "app.js",
    "lib/api.js",
    "lib/session.js",
    "lib/dom.js",
    "lib/chart.js",
    "lib/schema-form.js",
    "lib/tail.js",
    "pages/signin.js",
    "pages/overview.js",
    "pages/presets.js",
    "pages/new-source.js",
    "pages/sources.js",
    "pages/source.js",
    "pages/events.js",
    "pages/destinations.js",
    "pages/deliveries.js",
    "pages/adapters.js",
    "pages/access.js",
];

/// The names of the embedded files, for the test that compares them with
/// `host/console/`.
pub fn asset_names() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|asset| asset.name)
}

/// `/` (the console's page) and `/console/{file}`; any state.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/console/{*file}", get(file))
}

async fn index() -> Response {
    serve("index.html")
}

async fn file(Path(name): Path<String>) -> Response {
    serve(&name)
}

fn serve(name: &str) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == name) else {
        return with_headers(
            (StatusCode::NOT_FOUND, "no such console file").into_response(),
            "text/plain; charset=utf-8",
        );
    };
    let body = match development_copy(asset.name) {
        Some(bytes) => bytes.into_response(),
        None => asset.bytes.into_response(),
    };
    with_headers(body, content_type(name))
}

/// For working on the console without rebuilding the binary:
/// `HOOKYARD_CONSOLE_DIR=host/console` serves the same files (only those
/// named in [`ASSETS`]) from that folder as they are now.
fn development_copy(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("HOOKYARD_CONSOLE_DIR")?;
    std::fs::read(std::path::Path::new(&dir).join(name)).ok()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

fn with_headers(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Not content-hashed: a new binary's files must be seen at once.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in `host/console/` is embedded, and only those.
    #[test]
    fn the_embedded_files_are_the_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("console");
        let mut on_disk = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let rel = path.strip_prefix(&root).unwrap();
                    on_disk.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = asset_names().map(String::from).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}
