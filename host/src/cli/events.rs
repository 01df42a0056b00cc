//! `hookyard reprocess`: run a source's quarantined requests again.
//!
//! What the server received, and what it made of it, is this module's
//! subject: reprocessing works on the request log (its quarantined rows).

use super::client::{Client, ServerArgs};
use super::output::{Fields, Output, Table, rows, text};
use super::time as times;
use anyhow::Result;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::json;

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

impl Reprocess {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let source = client.source_id(&self.source).await?;
        let path = format!("/api/v1/sources/{source}/reprocess");
        let body = json!({ "since": times::rfc3339(self.since) });
        let report = client.call(Method::POST, &path, Some(body)).await?;
        out.print(&report, |report| {
            let mut fields = Fields::new();
            fields
                .add("reprocessed", text(&report["reprocessed"]))
                .add("accepted", text(&report["accepted"]))
                .add("duplicate", text(&report["duplicate"]))
                .add("still failing", text(&report["still_failing"]));
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
