//! The CLI's HTTP client for the management API of a running server, and
//! how a source or destination named on the command line becomes an id.
//!
//! People remember the name they gave a source ("payments"), not
//! `src_01J…`; the API addresses sources and destinations by id. So every
//! command that takes one resolves it here, by listing: an exact id first,
//! then an exact name; an unknown one is refused with the closest names.

use anyhow::{Context as _, Result, bail};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

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
    /// Admin bearer token (printed by `serve` when it generates one), or a
    /// named token.
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

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Value> {
        self.call(Method::GET, path, None).await
    }

    /// Calls the API and returns the JSON answer, or the server's error text.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value> {
        self.send(method, path, |request| match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
    }

    /// `GET path`, answered 2xx, for reading its body as it arrives (the
    /// event stream).
    pub async fn open(&self, path: &str) -> Result<reqwest::Response> {
        let Some(token) = &self.args.token else {
            bail!("no admin token: pass --token or set HOOKYARD_ADMIN_TOKEN");
        };
        let url = format!("{}{path}", self.args.server.trim_end_matches('/'));
        let response = self
            .http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .with_context(|| format!("calling {url}"))?;
        let status = response.status();
        if !status.is_success() {
            bail!("{status}: {}", response.text().await.unwrap_or_default());
        }
        Ok(response)
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
            // The API's errors are `{"error": code, "message": ...}`.
            let error: Value = serde_json::from_str(&text).unwrap_or_default();
            match (error["error"].as_str(), error["message"].as_str()) {
                (Some(code), Some(message)) => bail!("{status}: {message} ({code})"),
                _ => bail!("{status}: {text}"),
            }
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("reading the answer of {url}"))
    }

    /// The id of the source `wanted` names (its id or its name). The
    /// built-in `hookyard` source of alerts (`crate::alerts`) is no row of
    /// the list: it is its own id unless a source is named so.
    pub async fn source_id(&self, wanted: &str) -> Result<String> {
        match self.resolve("source", "/api/v1/sources", wanted).await {
            Err(_) if wanted == crate::alerts::SOURCE_ID => Ok(wanted.into()),
            resolved => resolved,
        }
    }

    /// The id of the destination `wanted` names (its id or its name).
    pub async fn destination_id(&self, wanted: &str) -> Result<String> {
        self.resolve("destination", "/api/v1/destinations", wanted)
            .await
    }

    /// Ids for a list of sources named by id or name.
    pub async fn source_ids(&self, wanted: &[String]) -> Result<Vec<String>> {
        let mut ids = Vec::with_capacity(wanted.len());
        for one in wanted {
            ids.push(self.source_id(one).await?);
        }
        Ok(ids)
    }

    /// Names by id of what `list` lists (sources, destinations), for
    /// tables; empty if it cannot be read.
    pub async fn names(&self, list: &str) -> HashMap<String, String> {
        let all = self.get(list).await.unwrap_or_default();
        all.as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| Some((item["id"].as_str()?.into(), item["name"].as_str()?.into())))
            .collect()
    }

    async fn resolve(&self, what: &str, list: &str, wanted: &str) -> Result<String> {
        let all = self.get(list).await?;
        let items = all.as_array().map_or(&[][..], Vec::as_slice);
        resolve(what, items, wanted)
    }
}

/// The id of the item of `items` whose id is `wanted`, else whose name is.
fn resolve(what: &str, items: &[Value], wanted: &str) -> Result<String> {
    let id = |item: &Value| item["id"].as_str().unwrap_or_default().to_string();
    if let Some(item) = items.iter().find(|item| item["id"] == wanted) {
        return Ok(id(item));
    }
    let named: Vec<&Value> = items.iter().filter(|item| item["name"] == wanted).collect();
    match named[..] {
        [item] => Ok(id(item)),
        [] => {
            let known = items
                .iter()
                .flat_map(|item| [item["name"].as_str(), item["id"].as_str()])
                .flatten();
            match crate::suggest::did_you_mean(wanted, known) {
                Some(question) => bail!("no {what} has the id or name {wanted:?}; {question}"),
                None => bail!(
                    "no {what} has the id or name {wanted:?} (`hookyard {what} list` lists them)"
                ),
            }
        }
        _ => {
            let ids: Vec<String> = named.iter().map(|item| id(item)).collect();
            bail!(
                "{} {what}s are named {wanted:?} ({}): pass the id",
                ids.len(),
                ids.join(", ")
            )
        }
    }
}

/// A flag's JSON object (`{}` when absent).
pub(super) fn parse_json_object(what: &str, text: Option<&str>) -> Result<Value> {
    let Some(text) = text else {
        return Ok(json!({}));
    };
    match serde_json::from_str(text).with_context(|| format!("{what} must be JSON"))? {
        Value::Object(map) => Ok(Value::Object(map)),
        _ => bail!("{what} must be a JSON object"),
    }
}

/// A request body, one of the API's own types ([`crate::api::bodies`]), as sent.
pub(super) fn body(value: impl serde::Serialize) -> Option<Value> {
    Some(serde_json::to_value(value).expect("request bodies serialize"))
}

/// A JSON object given on the command line as the API type it stands for.
pub(super) fn typed<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T> {
    serde_json::from_value(value).with_context(|| format!("{what} does not fit"))
}

/// A query string of the pairs that have a value.
pub(super) fn query<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<String>)>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.into_iter().filter_map(|(k, v)| Some((k, v?))))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_win_over_names_and_unknown_names_get_suggestions() {
        let items = [
            json!({"id": "src_1", "name": "payments"}),
            json!({"id": "src_2", "name": "src_1"}),
            json!({"id": "src_3", "name": "github"}),
            json!({"id": "src_4", "name": "github"}),
        ];
        assert_eq!(resolve("source", &items, "src_1").unwrap(), "src_1");
        assert_eq!(resolve("source", &items, "payments").unwrap(), "src_1");
        let unknown = resolve("source", &items, "paymnets")
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("did you mean \"payments\"?"), "{unknown}");
        let nothing = resolve("source", &items, "zzzzzzzz")
            .unwrap_err()
            .to_string();
        assert!(nothing.contains("hookyard source list"), "{nothing}");
        let twice = resolve("source", &items, "github").unwrap_err().to_string();
        assert!(
            twice.contains("2 sources are named \"github\" (src_3, src_4)"),
            "{twice}"
        );
    }
}
