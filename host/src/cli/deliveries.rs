//! `hookyard deliveries`, `hookyard replay` and `destination replay-dead`:
//! what happened to each event on its way out, and sending it again.
//!
//! Replays never change history; they add deliveries, so they sit here with
//! the list that shows them.

use super::client::{Client, ServerArgs};
use super::output::{Output, Table, more, named, rows, shorten, text, time};
use super::{query, time as times};
use anyhow::Result;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

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

impl Replay {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let destination = match self.destination {
            Some(destination) => Some(client.destination_id(&destination).await?),
            None => None,
        };
        let (path, body) = match (self.event, self.source) {
            (Some(event), _) => (
                format!("/api/v1/events/{event}/replay"),
                json!({ "destination_id": destination }),
            ),
            (None, Some(source)) => (
                format!(
                    "/api/v1/sources/{}/replay",
                    client.source_id(&source).await?
                ),
                json!({
                    "since": self.since.map(times::rfc3339),
                    "until": self.until.map(times::rfc3339),
                    "destination_id": destination,
                }),
            ),
            (None, None) => anyhow::bail!("pass --event ID or --source NAME --since TIME"),
        };
        let answer = client.call(Method::POST, &path, Some(body)).await?;
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
