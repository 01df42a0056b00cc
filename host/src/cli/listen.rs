//! `hookyard listen --forward-to URL`: a running server's events, forwarded
//! to a receiver on this machine as a destination would send them.
//!
//! For developing a receiver locally (what `stripe listen --forward-to`
//! gives): it tails the server's event stream (`GET /api/v1/events/stream`,
//! server-sent events), sends each event to the URL as a CloudEvent signed
//! per Standard Webhooks with `--secret` (the destination transport's own
//! code), prints one line per event with the answer, and writes the stream's
//! cursor to a file after each, so a restart resumes after the last event
//! forwarded. A lost connection is opened again after a pause.

use super::client::{Client, ServerArgs};
use super::output::Output;
use crate::delivery::ssrf::AddressPolicy;
use crate::delivery::transport::{EventFacts, HttpTransport, Message, cloud_event_of};
use anyhow::{Context as _, Result};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A secret for signing when none is given: fixed, so a receiver set up
/// once keeps verifying.
const DEFAULT_SECRET: &str = "whsec_aG9va3lhcmQtbGlzdGVuLWxvY2FsLXNlY3JldA==";

#[derive(clap::Args)]
pub struct Listen {
    #[command(flatten)]
    server: ServerArgs,
    /// Where to send each event (a receiver on this machine, e.g.
    /// http://localhost:3000/webhooks).
    #[arg(long)]
    forward_to: reqwest::Url,
    /// Only this source's events (name or id).
    #[arg(long)]
    source: Option<String>,
    /// Only events whose type matches one of these globs (comma-separated,
    /// e.g. `invoice.*,customer.created`).
    #[arg(long, value_delimiter = ',')]
    types: Vec<String>,
    /// Standard Webhooks secret (`whsec_…`) the requests are signed with
    /// [default: a fixed development secret, printed at start].
    #[arg(long, env = "HOOKYARD_LISTEN_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// File keeping the position in the stream between runs [default: under
    /// ~/.cache/hookyard, one per server, filters and URL].
    #[arg(long)]
    cursor_file: Option<PathBuf>,
    /// Seconds to wait for the receiver's answer.
    #[arg(long, default_value_t = 10)]
    timeout_seconds: u64,
}

impl Listen {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server.clone());
        let source_id = match &self.source {
            Some(source) => Some(client.source_id(source).await?),
            None => None,
        };
        let secret = self.secret.clone().unwrap_or_else(|| DEFAULT_SECRET.into());
        let transport = HttpTransport {
            client: reqwest::Client::new(),
            // Forwarding to this machine is the point.
            policy: Arc::new(AddressPolicy::parse("0.0.0.0/0,::/0").map_err(anyhow::Error::msg)?),
            url: self.forward_to.clone(),
            headers: Vec::new(),
            timeout: Duration::from_secs(self.timeout_seconds),
            secret: secret.clone(),
        };
        let cursor_file = self.cursor_file(source_id.as_deref())?;
        let mut cursor = std::fs::read_to_string(&cursor_file)
            .ok()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        if !out.json() {
            eprintln!(
                "forwarding events to {} (signing secret {}{})",
                self.forward_to,
                if self.secret.is_some() {
                    "from --secret"
                } else {
                    &secret
                },
                match &cursor {
                    Some(_) => format!("; resuming from {}", cursor_file.display()),
                    None => String::new(),
                }
            );
        }
        loop {
            let path = self.stream_path(source_id.as_deref(), cursor.as_deref());
            let mut response = match client.open(&path).await {
                Ok(response) => response,
                Err(e) if cursor.is_some() || !is_refusal(&e) => {
                    eprintln!("the event stream is unavailable ({e:#}); retrying in 2 s");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !out.json() {
                eprintln!("connected to {}; waiting for events", self.server.server);
            }
            let mut lines = SseLines::default();
            loop {
                let chunk = match response.chunk().await {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) | Err(_) => break,
                };
                for (id, data) in lines.push(&chunk) {
                    let event: Value = serde_json::from_str(&data)
                        .with_context(|| format!("reading an event of the stream: {data}"))?;
                    if self.wanted(&event) {
                        self.forward(&transport, &event, out).await;
                    }
                    write_cursor(&cursor_file, &id)?;
                    cursor = Some(id);
                }
            }
            eprintln!("the event stream ended; reconnecting in 1 s");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    fn stream_path(&self, source_id: Option<&str>, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(source_id) = source_id {
            query.append_pair("source_id", source_id);
        }
        if let [one] = self.types.as_slice() {
            query.append_pair("type", one);
        }
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        format!("/api/v1/events/stream?{}", query.finish())
    }

    /// Whether the event's type matches `--types` (the server filters one
    /// glob itself; several are matched here).
    fn wanted(&self, event: &Value) -> bool {
        let event_type = event["type"].as_str().unwrap_or_default();
        self.types.is_empty()
            || self
                .types
                .iter()
                .any(|glob| wildmatch::WildMatch::new(glob).matches(event_type))
    }

    async fn forward(&self, transport: &HttpTransport, event: &Value, out: Output) {
        let text = |key: &str| event[key].as_str().unwrap_or_default();
        let body = cloud_event_of(EventFacts {
            id: text("id"),
            source_id: text("source_id"),
            event_type: text("type"),
            time: event["occurred_at"]
                .as_str()
                .unwrap_or(text("received_at"))
                .to_string(),
            data: event["data"].clone(),
            dedup_id: text("dedup_id"),
            subject: event["subject"].as_str(),
            traceparent: None,
        });
        let message = Message {
            id: text("id").to_string(),
            body: serde_json::to_vec(&body).expect("JSON values serialize"),
            content_type: "application/cloudevents+json",
            traceparent: None,
        };
        let started = Instant::now();
        let attempt = transport.send(&message).await;
        let took_ms = started.elapsed().as_millis();
        if out.json() {
            let line = serde_json::json!({
                "event": text("id"), "type": text("type"), "status": attempt.status,
                "error": attempt.error, "ms": took_ms,
            });
            println!("{line}");
            return;
        }
        let answer = match (&attempt.answer, &attempt.error) {
            (Some(answer), _) => answer.status_line.clone(),
            (None, Some(error)) => error.clone(),
            (None, None) => "no answer".into(),
        };
        println!(
            "{}  {}  {}  -> {answer} ({took_ms} ms)",
            text("received_at"),
            text("id"),
            text("type")
        );
    }

    /// The cursor file: given, or one per server, filters and URL.
    fn cursor_file(&self, source_id: Option<&str>) -> Result<PathBuf> {
        if let Some(file) = &self.cursor_file {
            return Ok(file.clone());
        }
        let home =
            std::env::var_os("HOME").context("no HOME for the cursor file: pass --cursor-file")?;
        let key = format!(
            "{}|{}|{}|{}",
            self.server.server,
            source_id.unwrap_or(""),
            self.types.join(","),
            self.forward_to
        );
        let name = hex::encode(&Sha256::digest(key.as_bytes())[..8]);
        Ok(PathBuf::from(home)
            .join(".cache/hookyard")
            .join(format!("listen-{name}.cursor")))
    }
}

/// Whether an error is the server refusing the call (bad token, bad
/// filter), which retrying does not mend.
fn is_refusal(e: &anyhow::Error) -> bool {
    e.to_string().starts_with('4')
}

fn write_cursor(file: &std::path::Path, cursor: &str) -> Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = file.with_extension("partial");
    std::fs::write(&partial, cursor)?;
    std::fs::rename(&partial, file).with_context(|| format!("writing {}", file.display()))
}

/// Server-sent events, split out of the chunks they arrive in: `(id, data)`
/// per event (comments and keep-alives skipped).
#[derive(Default)]
struct SseLines {
    pending: String,
    id: Option<String>,
    data: Vec<String>,
}

impl SseLines {
    fn push(&mut self, chunk: &[u8]) -> Vec<(String, String)> {
        self.pending.push_str(&String::from_utf8_lossy(chunk));
        let mut events = Vec::new();
        while let Some(end) = self.pending.find('\n') {
            let line = self.pending[..end].trim_end_matches('\r').to_string();
            self.pending.drain(..=end);
            if line.is_empty() {
                if let Some(id) = self.id.take()
                    && !self.data.is_empty()
                {
                    events.push((id, self.data.join("\n")));
                }
                self.data.clear();
            } else if let Some(id) = line.strip_prefix("id:") {
                self.id = Some(id.trim_start().to_string());
            } else if let Some(data) = line.strip_prefix("data:") {
                self.data
                    .push(data.strip_prefix(' ').unwrap_or(data).to_string());
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_come_out_whole() {
        let mut lines = SseLines::default();
        assert!(
            lines
                .push(b": keep-alive\n\nid: 0-1\nevent: event\nda")
                .is_empty()
        );
        let events = lines.push(b"ta: {\"id\":\"evt_1\"}\n\nid: 0-2\ndata: {}\r\n\r\n");
        assert_eq!(
            events,
            [
                ("0-1".to_string(), "{\"id\":\"evt_1\"}".to_string()),
                ("0-2".to_string(), "{}".to_string())
            ]
        );
    }
}
