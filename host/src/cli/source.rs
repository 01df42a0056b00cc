//! `hookyard source …`: create, list, show, change and delete sources, the
//! URLs vendors send webhooks to.
//!
//! A source is the first thing a new user makes, and its URL the one thing
//! they must copy out, so `add` and `show` lead with it. Every subcommand
//! takes the source by name or id ([`Client::source_id`]); secrets are
//! write-only, so what is shown of them is their id, prefix and expiry.

use super::client::{Client, ServerArgs, body, parse_json_object, typed};
use super::output::{Fields, Output, Table, rows, text, time, yes_no};
use crate::api::bodies::{Expiry, KeyRotation, NewSecret, NewSource, SourceChange};
use crate::event_policy::UnknownTypes;
use anyhow::Result;
use reqwest::Method;
use serde_json::Value;

#[derive(clap::Args)]
pub struct Source {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: SourceCommand,
}

#[derive(clap::Subcommand)]
enum SourceCommand {
    /// Create a source and print its webhook URL.
    Add {
        /// A name to know it by (shown in lists, usable instead of its id).
        #[arg(long)]
        name: String,
        /// The preset (`hookyard presets` lists them).
        #[arg(long)]
        preset: String,
        /// A secret (repeat during a rotation; newest first).
        #[arg(long = "secret")]
        secrets: Vec<String>,
        /// Settings as a JSON object.
        #[arg(long)]
        settings: Option<String>,
        /// Keep only these event types (comma-separated; `invoice.*` matches a
        /// prefix) [default: all].
        #[arg(long, value_delimiter = ',')]
        event_types: Option<Vec<String>>,
        /// What to do with a type the adapter's catalog does not list.
        #[arg(long, value_enum, default_value = "accept")]
        unknown_types: UnknownTypes,
        /// The source's own limits as a JSON object (body_bytes,
        /// rate_per_second, burst, shared_rate, max_concurrent, allow_ips) [default: the
        /// server's].
        #[arg(long)]
        limits: Option<String>,
        /// The source's own retention in days as a JSON object (event_days,
        /// request_days, raw_days; 0 keeps forever) [default: the server's].
        #[arg(long)]
        retention: Option<String>,
    },
    /// List every source.
    List,
    /// Show one source, with its webhook URL.
    Show {
        /// The source's name or id.
        id: String,
    },
    /// Stop accepting webhooks on a source (they answer 403).
    Disable {
        /// The source's name or id.
        id: String,
    },
    /// Accept webhooks on a disabled source again.
    Enable {
        /// The source's name or id.
        id: String,
    },
    /// Delete a source; its URL answers 404 from now on.
    Delete {
        /// The source's name or id.
        id: String,
    },
    /// Replace a source's own limits (JSON object; `{}` = the server's defaults).
    Limits {
        /// The source's name or id.
        id: String,
        /// The limits as a JSON object, e.g. '{"rate_per_second": 20}'.
        limits: String,
    },
    /// Replace a source's own retention (JSON object of days; `{}` = the
    /// server's).
    Retention {
        /// The source's name or id.
        id: String,
        /// Days per kind, e.g. '{"event_days": 7, "raw_days": 1}'.
        retention: String,
    },
    /// Issue a new webhook key; the old URL stops working (after --grace).
    RotateKey {
        /// The source's name or id.
        id: String,
        /// Seconds the old key keeps working [default: 0, it stops at once].
        #[arg(long, default_value_t = 0)]
        grace: u64,
    },
    /// Add a secret; the others keep verifying.
    SecretAdd {
        /// The source's name or id.
        id: String,
        /// The new secret.
        #[arg(long)]
        secret: String,
        /// Seconds until it stops verifying [default: never].
        #[arg(long)]
        expires_in: Option<u64>,
    },
    /// Make a secret stop verifying after SECONDS (0: now).
    SecretExpire {
        /// The source's name or id.
        id: String,
        /// The secret's id (sec_…, as `source show` lists it).
        secret_id: String,
        /// Seconds from now.
        #[arg(long = "in")]
        seconds: u64,
    },
    /// Remove a secret.
    SecretRemove {
        /// The source's name or id.
        id: String,
        /// The secret's id (sec_…, as `source show` lists it).
        secret_id: String,
    },
}

impl Source {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = &Client::new(self.server);
        let path = |id: &str| format!("/api/v1/sources/{id}");
        let patch = |id: String, change: SourceChange| async move {
            let id = client.source_id(&id).await?;
            client.call(Method::PATCH, &path(&id), body(change)).await
        };
        let enabled = |on: bool| SourceChange {
            enabled: Some(on),
            ..SourceChange::default()
        };
        match self.command {
            SourceCommand::Add {
                name,
                preset,
                secrets,
                settings,
                event_types,
                unknown_types,
                limits,
                retention,
            } => {
                let settings = parse_json_object("--settings", settings.as_deref())?;
                let limits = parse_json_object("--limits", limits.as_deref())?;
                let retention = parse_json_object("--retention", retention.as_deref())?;
                let new = NewSource {
                    name,
                    preset: preset.clone(),
                    secrets,
                    settings: Some(settings),
                    event_types,
                    unknown_types,
                    adapter_version: None,
                    limits: typed("--limits", limits)?,
                    retention: typed("--retention", retention)?,
                    enabled: true,
                };
                let created = client
                    .call(Method::POST, "/api/v1/sources", body(new))
                    .await?;
                out.print(&created, |source| {
                    format!(
                        "{}\nPaste the url into the vendor's webhook settings \
                         (`hookyard presets show {preset}` says where). Try it:\n  \
                         hookyard send --preset {preset} --secret … --to {} BODY\n",
                        describe(source),
                        text(&source["url"])
                    )
                })
            }
            SourceCommand::List => {
                let sources = client.get("/api/v1/sources").await?;
                out.print(&sources, list)
            }
            SourceCommand::Show { id } => {
                let id = client.source_id(&id).await?;
                out.print(&client.get(&path(&id)).await?, describe)
            }
            SourceCommand::Disable { id } => out.print(&patch(id, enabled(false)).await?, describe),
            SourceCommand::Enable { id } => out.print(&patch(id, enabled(true)).await?, describe),
            SourceCommand::Delete { id: wanted } => {
                let id = client.source_id(&wanted).await?;
                let answer = client.call(Method::DELETE, &path(&id), None).await?;
                out.print(&answer, |_| format!("deleted source {wanted} ({id})\n"))
            }
            SourceCommand::Limits { id, limits } => {
                let limits = parse_json_object("limits", Some(&limits))?;
                let change = SourceChange {
                    limits: Some(typed("limits", limits)?),
                    ..SourceChange::default()
                };
                out.print(&patch(id, change).await?, describe)
            }
            SourceCommand::Retention { id, retention } => {
                let retention = parse_json_object("retention", Some(&retention))?;
                let change = SourceChange {
                    retention: Some(typed("retention", retention)?),
                    ..SourceChange::default()
                };
                out.print(&patch(id, change).await?, describe)
            }
            SourceCommand::RotateKey { id, grace } => {
                let id = client.source_id(&id).await?;
                let route = format!("{}/rotate-key", path(&id));
                let rotation = KeyRotation {
                    grace_seconds: grace,
                };
                let rotated = client.call(Method::POST, &route, body(rotation)).await?;
                out.print(&rotated, describe)
            }
            SourceCommand::SecretAdd {
                id,
                secret,
                expires_in,
            } => {
                let id = client.source_id(&id).await?;
                let new = NewSecret {
                    secret,
                    expires_in_seconds: expires_in,
                };
                let route = format!("{}/secrets", path(&id));
                let added = client.call(Method::POST, &route, body(new)).await?;
                out.print(&added, secret_fields)
            }
            SourceCommand::SecretExpire {
                id,
                secret_id,
                seconds,
            } => {
                let id = client.source_id(&id).await?;
                let expiry = Expiry {
                    expires_in_seconds: Some(seconds),
                };
                let route = format!("{}/secrets/{secret_id}", path(&id));
                let changed = client.call(Method::PATCH, &route, body(expiry)).await?;
                out.print(&changed, secret_fields)
            }
            SourceCommand::SecretRemove { id, secret_id } => {
                let id = client.source_id(&id).await?;
                let route = format!("{}/secrets/{secret_id}", path(&id));
                let answer = client.call(Method::DELETE, &route, None).await?;
                out.print(&answer, |_| format!("removed secret {secret_id} of {id}\n"))
            }
        }
    }
}

fn list(sources: &Value) -> String {
    let mut table = Table::new(
        "sources",
        &["ID", "NAME", "PRESET", "ENABLED", "SECRETS", "URL"],
    );
    for source in rows(sources) {
        table.row(vec![
            text(&source["id"]),
            text(&source["name"]),
            text(&source["preset"]),
            yes_no(&source["enabled"]),
            text(&source["secret_count"]),
            text(&source["url"]),
        ]);
    }
    table.render()
}

/// One source, URL first.
fn describe(source: &Value) -> String {
    let mut fields = Fields::new();
    fields
        .add("url", text(&source["url"]))
        .add("id", text(&source["id"]))
        .add("name", text(&source["name"]))
        .add(
            "preset",
            format!(
                "{} (adapter {})",
                text(&source["preset"]),
                text(&source["plugin"])
            ),
        )
        .add("enabled", yes_no(&source["enabled"]));
    let secrets: Vec<String> = rows(&source["secrets"])
        .iter()
        .map(|s| {
            format!(
                "{}  {}…  {}",
                text(&s["id"]),
                text(&s["prefix"]),
                match (&s["active"], &s["expires_at"]) {
                    (Value::Bool(false), _) => "expired".to_string(),
                    (_, Value::Null) => "active".to_string(),
                    (_, until) => format!("active until {}", time(until)),
                }
            )
        })
        .collect();
    fields.add(
        "secrets",
        match secrets.is_empty() {
            true => "none (requests are refused if the preset needs one)".into(),
            false => secrets.join("\n"),
        },
    );
    if !source["previous_key_expires_at"].is_null() {
        fields.add("old url until", time(&source["previous_key_expires_at"]));
    }
    let types = match &source["event_types"] {
        Value::Null => "all".into(),
        types => text(types),
    };
    fields
        .add("event types", types)
        .add("unknown types", text(&source["unknown_types"]))
        .add(
            "adapter version",
            match &source["adapter_version"] {
                Value::Null => "latest".into(),
                pinned => format!("{} (pinned)", text(pinned)),
            },
        )
        .add("settings", text(&source["settings"]))
        .add("limits", own_or_servers(&source["limits"]))
        .add("retention", own_or_servers(&source["retention"]))
        .add("created", time(&source["created_at"]))
        .add("updated", time(&source["updated_at"]));
    fields.render()
}

/// A source's own limits or retention, or that the server's apply.
fn own_or_servers(own: &Value) -> String {
    match text(own).as_str() {
        "-" => "the server's".into(),
        own => own.to_string(),
    }
}

fn secret_fields(secret: &Value) -> String {
    Fields::new()
        .add("id", text(&secret["id"]))
        .add("prefix", text(&secret["prefix"]))
        .add("active", yes_no(&secret["active"]))
        .add("created", time(&secret["created_at"]))
        .add("expires", time(&secret["expires_at"]))
        .render()
}
