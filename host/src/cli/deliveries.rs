//! `hookyard deliveries`, `hookyard delivery show`, `hookyard replay` and
//! `destination replay-dead`: what happened to each event on its way out,
//! and sending it again.
//!
//! When a receiver does not get an event, the question is "what did it
//! answer?": `delivery show` prints the attempt timeline (when, how long,
//! status, error, and the receiver's own answer where the server kept it).
//! Replays never change history; they add deliveries, so they sit here with
//! the list that shows them.

use super::client::query;
use super::client::{Client, ServerArgs, body};
use super::output::{Fields, Output, Table, more, named, rows, shorten, text, time};
use super::time as times;
use crate::api::bodies::{ReplayTarget, SourceReplay};
use anyhow::Result;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

#[derive(clap::Args)]
pub struct Deliveries {
    #[command(flatten)]
    server: ServerArgs,
    /// Only deliveries to this destination (name or id).
    #[arg(long)]
    destination: Option<String>,
    /// Only deliveries of this event (evt_…).
    #[arg(long)]
    event: Option<String>,
    /// Only deliveries in this state.
    #[arg(long, value_parser = ["pending", "delivered", "dead"])]
    state: Option<String>,
    /// Deliveries per page.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Continue after a previous page (its `next_cursor`).
    #[arg(long)]
    cursor: Option<String>,
}

#[derive(clap::Args)]
pub struct Delivery {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: DeliveryCommand,
}

#[derive(clap::Subcommand)]
enum DeliveryCommand {
    /// Show one delivery and its attempts: time, duration, status, error,
    /// and what the receiver answered.
    Show {
        /// The delivery's id (dlv_…, as `deliveries` lists it).
        id: String,
    },
}

#[derive(clap::Args)]
pub struct Replay {
    #[command(flatten)]
    server: ServerArgs,
    /// The event to deliver again.
    #[arg(long, conflicts_with_all = ["source", "since", "until"], required_unless_present = "source")]
    event: Option<String>,
    /// The source (name or id) whose events received in --since..--until go again.
    #[arg(long, requires = "since")]
    source: Option<String>,
    /// From this time: an age (30m, 1h, 2d) or an RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = times::parse)]
    since: Option<DateTime<Utc>>,
    /// Until this time (an age or an RFC 3339 time) [default: now].
    #[arg(long, value_name = "TIME", value_parser = times::parse)]
    until: Option<DateTime<Utc>>,
    /// Only to this destination (name or id), whatever its filters say
    /// [default: every matching destination].
    #[arg(long)]
    destination: Option<String>,
}

impl Deliveries {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let destination = match self.destination {
            Some(destination) => Some(client.destination_id(&destination).await?),
            None => None,
        };
        let query = query([
            ("destination_id", destination),
            ("event_id", self.event),
            ("state", self.state),
            ("limit", Some(self.limit.to_string())),
            ("cursor", self.cursor),
        ]);
        let page = client.get(&format!("/api/v1/deliveries?{query}")).await?;
        let names = destination_names(&client, out).await;
        out.print(&page, |page| {
            let mut table = Table::new(
                "deliveries",
                &[
                    "CREATED",
                    "ID",
                    "STATE",
                    "ATTEMPTS",
                    "LAST RESULT",
                    "EVENT",
                    "DESTINATION",
                ],
            );
            for delivery in rows(page) {
                table.row(vec![
                    time(&delivery["created_at"]),
                    text(&delivery["id"]),
                    text(&delivery["state"]),
                    text(&delivery["attempts"]),
                    last_result(delivery),
                    text(&delivery["event_id"]),
                    named(&names, &delivery["destination_id"]),
                ]);
            }
            table.render()
        })?;
        more(&page, self.limit);
        Ok(())
    }
}

impl Delivery {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let DeliveryCommand::Show { id } = self.command;
        let delivery = client.get(&format!("/api/v1/deliveries/{id}")).await?;
        let names = destination_names(&client, out).await;
        out.print(&delivery, |delivery| describe(delivery, &names))
    }
}

impl Replay {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let destination = match self.destination {
            Some(destination) => Some(client.destination_id(&destination).await?),
            None => None,
        };
        let (path, request) = match (self.event, self.source) {
            (Some(event), _) => (
                format!("/api/v1/events/{event}/replay"),
                body(ReplayTarget {
                    destination_id: destination,
                }),
            ),
            (None, Some(source)) => (
                format!(
                    "/api/v1/sources/{}/replay",
                    client.source_id(&source).await?
                ),
                body(SourceReplay {
                    since: match self.since {
                        Some(since) => times::rfc3339(since),
                        None => anyhow::bail!("--source needs --since TIME"),
                    },
                    until: self.until.map(times::rfc3339),
                    destination_id: destination,
                }),
            ),
            (None, None) => anyhow::bail!("pass --event ID or --source NAME --since TIME"),
        };
        let answer = client.call(Method::POST, &path, request).await?;
        out.print(&answer, |answer| {
            format!(
                "queued {} deliveries of {} events\n",
                text(&answer["deliveries"]),
                text(&answer["events"])
            )
        })
    }
}

/// `destination replay-dead`: every dead letter of `id` back in line.
pub async fn replay_dead(client: &Client, out: Output, id: &str) -> Result<()> {
    let path = format!("/api/v1/destinations/{id}/replay-dead");
    let answer = client.call(Method::POST, &path, None).await?;
    out.print(&answer, |answer| {
        format!(
            "requeued {} dead letters of {id}\n",
            text(&answer["requeued"])
        )
    })
}

/// The destinations' names by id, for tables (none needed for JSON).
async fn destination_names(client: &Client, out: Output) -> HashMap<String, String> {
    if out.json() {
        return HashMap::new();
    }
    client.names("/api/v1/destinations").await
}

/// The last attempt's status, else its error.
fn last_result(delivery: &Value) -> String {
    match (&delivery["last_status"], &delivery["last_error"]) {
        (Value::Null, Value::Null) => "-".into(),
        (Value::Null, error) => shorten(&text(error), 50),
        (status, _) => text(status),
    }
}

/// One delivery, then its attempts, oldest first.
fn describe(delivery: &Value, names: &HashMap<String, String>) -> String {
    let destination = &delivery["destination_id"];
    let mut fields = Fields::new();
    fields
        .add("id", text(&delivery["id"]))
        .add("event", text(&delivery["event_id"]))
        .add(
            "destination",
            format!("{} ({})", named(names, destination), text(destination)),
        )
        .add("state", text(&delivery["state"]))
        .add("attempts", text(&delivery["attempts"]))
        .add("created", time(&delivery["created_at"]));
    if !delivery["next_attempt_at"].is_null() {
        fields.add("next attempt", time(&delivery["next_attempt_at"]));
    }
    if !delivery["delivered_at"].is_null() {
        fields.add("delivered", time(&delivery["delivered_at"]));
    }
    if !delivery["coalesce_key"].is_null() {
        fields.add("coalesce key", text(&delivery["coalesce_key"]));
    }
    let mut out = fields.render();
    let attempts = rows(&delivery["attempt_log"]);
    if attempts.is_empty() {
        out.push_str("\nno attempts yet\n");
        return out;
    }
    out.push_str("\nattempts:\n");
    for attempt in attempts {
        out.push_str(&timeline_entry(attempt));
    }
    out
}

/// `#2  2026-11-23T10:00:05Z  12.3 ms  500  error`, then the receiver's
/// answer, indented.
fn timeline_entry(attempt: &Value) -> String {
    let duration = match attempt["duration_ms"].as_f64() {
        Some(ms) if ms >= 1000.0 => format!("{:.2} s", ms / 1000.0),
        Some(ms) => format!("{ms:.1} ms"),
        None => "-".into(),
    };
    let mut line = format!(
        "  #{}  {}  {duration}  status {}",
        text(&attempt["attempt"]),
        time(&attempt["started_at"]),
        text(&attempt["status"]),
    );
    if !attempt["error"].is_null() {
        let _ = write!(line, "  error: {}", shorten(&text(&attempt["error"]), 200));
    }
    line.push('\n');
    let response = &attempt["response"];
    if let Some(status_line) = response["status_line"].as_str() {
        let _ = writeln!(line, "      answer: {status_line}");
        let body = response["body"].as_str().unwrap_or_default();
        for body_line in body.lines().take(20) {
            let _ = writeln!(line, "              {}", shorten(body_line, 200));
        }
        if body.lines().count() > 20 {
            line.push_str("              …\n");
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_timeline_shows_each_attempt_and_the_receivers_answer() {
        let delivery = json!({
            "id": "dlv_1", "event_id": "evt_1", "destination_id": "dst_1", "state": "dead",
            "attempts": 2, "created_at": "2026-11-23T10:00:00.000Z",
            "attempt_log": [
                {"attempt": 1, "started_at": "2026-11-23T10:00:00.100Z", "duration_ms": 12.34,
                 "status": 500, "error": "HTTP 500",
                 "response": {"status_line": "HTTP/1.1 500 Internal Server Error", "body": "{\"oops\":1}"}},
                {"attempt": 2, "started_at": "2026-11-23T10:00:05.000Z", "duration_ms": 10000.0,
                 "status": null, "error": "timed out"},
            ],
        });
        let names = HashMap::from([("dst_1".to_string(), "ci".to_string())]);
        let text = describe(&delivery, &names);
        for expected in [
            "destination: ci (dst_1)",
            "  #1  2026-11-23T10:00:00Z  12.3 ms  status 500  error: HTTP 500\n",
            "      answer: HTTP/1.1 500 Internal Server Error\n              {\"oops\":1}\n",
            "  #2  2026-11-23T10:00:05Z  10.00 s  status -  error: timed out\n",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
    }
}
