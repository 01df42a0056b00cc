//! The CLI's HTTP client for the management API of a running server.

use anyhow::{Context as _, Result, bail};
use reqwest::Method;
use serde_json::Value;

/// Where the server is and how to authenticate.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// Base URL of a running hookyard server.
    #[arg(
        long,
        env = "HOOKYARD_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub server: String,
    /// Admin bearer token (printed by `serve` when it generates one).
    #[arg(
        long,
        env = "HOOKYARD_ADMIN_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub token: Option<String>,
}

pub struct Client {
    http: reqwest::Client,
    args: ServerArgs,
}

impl Client {
    pub fn new(args: ServerArgs) -> Client {
        Client {
            http: reqwest::Client::new(),
            args,
        }
    }

    /// Calls the API and returns the JSON answer, or the server's error text.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value> {
        self.send(method, path, |request| match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
    }

    /// Like [`Client::call`], with raw bytes as the body (a `.wasm`).
    pub async fn call_bytes(&self, method: Method, path: &str, body: Vec<u8>) -> Result<Value> {
        self.send(method, path, |request| request.body(body)).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        with_body: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<Value> {
        let Some(token) = &self.args.token else {
            bail!("no admin token: pass --token or set HOOKYARD_ADMIN_TOKEN");
        };
        let url = format!("{}{path}", self.args.server.trim_end_matches('/'));
        let request = with_body(self.http.request(method, &url).bearer_auth(token));
        let response = request
            .send()
            .await
            .with_context(|| format!("calling {url}"))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("{status}: {text}");
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("reading the answer of {url}"))
    }
}
