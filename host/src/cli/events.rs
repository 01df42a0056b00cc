//! `hookyard events`, `hookyard event show`, `hookyard requests` and
//! `hookyard reprocess`: what the server received, and what it made of it.
//!
//! After a first test webhook the questions are "did it arrive?" (the
//! request log, with each request's outcome and reason, refusals included)
//! and "what event did it become?" (the events, oldest first, and one with
//! its data). Both lists filter by source (name or id), by time (`--since
//! 1h`, see [`super::time`]) and page with `--cursor`. Reprocessing runs a
//! source's quarantined requests again; it is here because it works on the
//! request log.

use super::client::query;
use super::client::{Client, ServerArgs, body};
use super::output::{Fields, Output, Table, more, named, rows, shorten, text, time};
use super::time as times;
use crate::api::bodies::Since;
use anyhow::Result;
use chrono::{DateTime, Utc};
use reqwest::Method;
use std::collections::HashMap;

#[derive(clap::Args)]
pub struct Events {
    #[command(flatten)]
    server: ServerArgs,
    /// Only events of this source (name or id).
    #[arg(long)]
    source: Option<String>,
    /// Only events whose type matches this glob (`invoice.*`).
    #[arg(long = "type", value_name = "GLOB")]
    event_type: Option<String>,
    /// Only events received at or after this time: an age (30m, 1h, 2d) or
    /// an RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = times::parse)]
    since: Option<DateTime<Utc>>,
    /// Events per page.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Continue after a previous page (its `next_cursor`).
    #[arg(long)]
    cursor: Option<String>,
}

#[derive(clap::Args)]
pub struct Event {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: EventCommand,
}

#[derive(clap::Subcommand)]
enum EventCommand {
    /// Show one event with its data.
    Show {
        /// The event's id (evt_…).
        id: String,
    },
}

#[derive(clap::Args)]
pub struct Requests {
    #[command(flatten)]
    server: ServerArgs,
    /// Only requests to this source (name or id).
    #[arg(long)]
    source: Option<String>,
    /// Only requests with this outcome (accepted, duplicate, rejected,
    /// adapter_failed, …).
    #[arg(long)]
    outcome: Option<String>,
    /// Only requests received at or after this time: an age (30m, 1h, 2d)
    /// or an RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = times::parse)]
    since: Option<DateTime<Utc>>,
    /// Requests per page.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Continue after a previous page (its `next_cursor`).
    #[arg(long)]
    cursor: Option<String>,
}

#[derive(clap::Args)]
pub struct Reprocess {
    #[command(flatten)]
    server: ServerArgs,
    /// The source (name or id).
    #[arg(long)]
    source: String,
    /// Requests received at or after this time: an age (30m, 1h, 2d) or an
    /// RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = times::parse)]
    since: DateTime<Utc>,
}

/// The sources' names by id, for tables (none needed for JSON).
async fn source_names(client: &Client, out: Output) -> HashMap<String, String> {
    if out.json() {
        return HashMap::new();
    }
    client.names("/api/v1/sources").await
}

/// `--source` as an id, when given.
async fn source_id(client: &Client, source: Option<String>) -> Result<Option<String>> {
    match source {
        Some(source) => Ok(Some(client.source_id(&source).await?)),
        None => Ok(None),
    }
}

impl Events {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let query = query([
            ("source_id", source_id(&client, self.source).await?),
            ("type", self.event_type),
            ("since", self.since.map(times::rfc3339)),
            ("limit", Some(self.limit.to_string())),
            ("cursor", self.cursor),
        ]);
        let page = client.get(&format!("/api/v1/events?{query}")).await?;
        let names = source_names(&client, out).await;
        out.print(&page, |page| {
            let mut table = Table::new("events", &["RECEIVED", "ID", "SOURCE", "TYPE", "SUBJECT"]);
            for event in rows(page) {
                table.row(vec![
                    time(&event["received_at"]),
                    text(&event["id"]),
                    named(&names, &event["source_id"]),
                    text(&event["type"]),
                    shorten(&text(&event["subject"]), 40),
                ]);
            }
            table.render()
        })?;
        more(&page, self.limit);
        Ok(())
    }
}

impl Event {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let EventCommand::Show { id } = self.command;
        let event = client.get(&format!("/api/v1/events/{id}")).await?;
        let names = source_names(&client, out).await;
        out.print(&event, |event| {
            let source = named(&names, &event["source_id"]);
            let hash = text(&event["plugin_hash"]);
            let mut fields = Fields::new();
            fields
                .add("id", text(&event["id"]))
                .add("type", text(&event["type"]))
                .add(
                    "source",
                    format!("{source} ({})", text(&event["source_id"])),
                )
                .add("subject", text(&event["subject"]))
                .add("occurred", time(&event["occurred_at"]))
                .add("received", time(&event["received_at"]))
                .add("dedup id", text(&event["dedup_id"]))
                .add(
                    "adapter",
                    format!(
                        "{} {} ({})",
                        text(&event["plugin"]),
                        text(&event["plugin_version"]),
                        hash.get(..12).unwrap_or(&hash)
                    ),
                )
                .add(
                    "data",
                    serde_json::to_string_pretty(&event["data"]).unwrap_or_default(),
                );
            fields.render()
        })
    }
}

impl Requests {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let query = query([
            ("source_id", source_id(&client, self.source).await?),
            ("outcome", self.outcome),
            ("since", self.since.map(times::rfc3339)),
            ("limit", Some(self.limit.to_string())),
            ("cursor", self.cursor),
        ]);
        let page = client.get(&format!("/api/v1/requests?{query}")).await?;
        let names = source_names(&client, out).await;
        out.print(&page, |page| {
            let mut table = Table::new(
                "requests",
                &[
                    "RECEIVED", "ID", "SOURCE", "OUTCOME", "STATUS", "EVENTS", "REASON",
                ],
            );
            for request in rows(page) {
                table.row(vec![
                    time(&request["received_at"]),
                    text(&request["id"]),
                    named(&names, &request["source_id"]),
                    text(&request["outcome"]),
                    text(&request["status"]),
                    text(&request["event_count"]),
                    shorten(&text(&request["reason"]), 60),
                ]);
            }
            table.render()
        })?;
        more(&page, self.limit);
        Ok(())
    }
}

impl Reprocess {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let source = client.source_id(&self.source).await?;
        let path = format!("/api/v1/sources/{source}/reprocess");
        let since = Since {
            since: times::rfc3339(self.since),
        };
        let report = client.call(Method::POST, &path, body(since)).await?;
        out.print(&report, |report| {
            let mut fields = Fields::new();
            fields
                .add("reprocessed", text(&report["reprocessed"]))
                .add("accepted", text(&report["accepted"]))
                .add("duplicate", text(&report["duplicate"]))
                .add("still failing", text(&report["still_failing"]));
            // Servers that count refusals apart say so.
            if !report["rejected"].is_null() {
                fields.add("rejected", text(&report["rejected"]));
            }
            let mut table = Table::new("quarantined requests", &["REQUEST", "OUTCOME", "RUN"]);
            for replay in rows(&report["requests"]) {
                table.row(vec![
                    text(&replay["request_id"]),
                    text(&replay["outcome"]),
                    text(&replay["run_id"]),
                ]);
            }
            fields.render() + "\n" + &table.render()
        })
    }
}
