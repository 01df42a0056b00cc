//! `hookyard destination …`: where events are delivered (HTTP endpoints
//! and NATS JetStream subjects), and what they subscribe to.
//!
//! Destinations are named by name or id ([`Client::destination_id`]), and
//! so are the sources a subscription names (`--sources`). The signing secret
//! is shown once, by `add`; after that only its first characters.
//! `replay-dead` lives with the other replays in [`super::deliveries`].

use super::client::{Client, ServerArgs, body};
use super::deliveries;
use super::output::{Fields, Output, Table, rows, text, time, yes_no};
use crate::api::bodies::{DestinationChange, NewDestination, SubscriptionPreview};
use crate::store::destinations::{CoalesceConfig, Target};
use anyhow::{Result, bail};
use reqwest::Method;
use serde_json::Value;

/// What a destination subscribes to, as `add` and `preview` take it.
#[derive(clap::Args)]
struct SubscriptionArgs {
    /// Event-type glob patterns, comma-separated [default: *].
    #[arg(long, value_delimiter = ',')]
    event_types: Option<Vec<String>>,
    /// Only events of these sources (names or ids, comma-separated) [default: all].
    #[arg(long, value_delimiter = ',')]
    sources: Option<Vec<String>>,
    /// JSONPath (RFC 9535) on the event data; delivered when it selects something.
    #[arg(long)]
    filter: Option<String>,
}

impl SubscriptionArgs {
    /// The API's subscription: types (`*` when none), source ids, filter.
    async fn resolve(self, client: &Client) -> Result<SubscriptionPreview> {
        let sources = match self.sources {
            Some(sources) => Some(client.source_ids(&sources).await?),
            None => None,
        };
        Ok(SubscriptionPreview {
            types: self.event_types.unwrap_or_else(|| vec!["*".into()]),
            sources,
            filter: self.filter,
        })
    }
}

#[derive(clap::Args)]
pub struct Destination {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: DestinationCommand,
}

// Parsed once per run: the size of the `Add` variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(clap::Subcommand)]
enum DestinationCommand {
    /// Create a destination; prints it, with its signing secret (shown once).
    Add {
        /// A name to know it by (unique; usable instead of its id).
        #[arg(long)]
        name: String,
        /// HTTP destination: the URL events are POSTed to.
        #[arg(
            long,
            conflicts_with = "nats_url",
            required_unless_present = "nats_url"
        )]
        url: Option<String>,
        /// NATS JetStream destination: the server URL (nats://host:4222).
        #[arg(long, requires = "subject")]
        nats_url: Option<String>,
        /// NATS subject template: {source_id}, {type}, {subject}, {event_id}.
        #[arg(long)]
        subject: Option<String>,
        /// Extra HTTP header, NAME:VALUE (repeatable).
        #[arg(long = "header")]
        headers: Vec<String>,
        /// HTTP attempt timeout in milliseconds.
        #[arg(long, default_value_t = 10_000)]
        timeout_ms: u64,
        /// Signing secret (whsec_...) [default: generated].
        #[arg(long)]
        secret: Option<String>,
        #[command(flatten)]
        subscription: SubscriptionArgs,
        /// Coalesce events sharing this JSONPath key (e.g. $.subject) into one delivery.
        #[arg(long)]
        coalesce_key: Option<String>,
        /// Coalescing: deliver after this much quiet.
        #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
        quiet: std::time::Duration,
        /// Coalescing: deliver at the latest this long after the first event.
        #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
        max_wait: std::time::Duration,
        /// Attempts in flight to this destination at once.
        #[arg(long, default_value_t = 16)]
        max_in_flight: u32,
    },
    /// List every destination.
    List,
    /// Show one destination.
    Show {
        /// The destination's name or id.
        id: String,
    },
    /// Stop delivering to a destination (its deliveries wait).
    Disable {
        /// The destination's name or id.
        id: String,
    },
    /// Deliver to a disabled destination again.
    Enable {
        /// The destination's name or id.
        id: String,
    },
    /// Delete a destination.
    Delete {
        /// The destination's name or id.
        id: String,
    },
    /// Which recent events a subscription would match, before creating it;
    /// warns when the filter matches none of them.
    Preview {
        #[command(flatten)]
        subscription: SubscriptionArgs,
    },
    /// Put every dead letter of the destination back in line.
    ReplayDead {
        /// The destination's name or id.
        id: String,
    },
}

impl Destination {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = &Client::new(self.server);
        let path = |id: &str| format!("/api/v1/destinations/{id}");
        let patch = |id: String, change: DestinationChange| async move {
            let id = client.destination_id(&id).await?;
            client.call(Method::PATCH, &path(&id), body(change)).await
        };
        let enabled = |on: bool| DestinationChange {
            enabled: Some(on),
            ..DestinationChange::default()
        };
        match self.command {
            DestinationCommand::Add {
                name,
                url,
                nats_url,
                subject,
                headers,
                timeout_ms,
                secret,
                subscription,
                coalesce_key,
                quiet,
                max_wait,
                max_in_flight,
            } => {
                let (target, secret) = match (url, nats_url) {
                    (Some(url), _) => {
                        let headers = headers
                            .iter()
                            .map(|h| match h.split_once(':') {
                                Some((k, v)) => Ok((k.trim().to_string(), v.trim().to_string())),
                                None => bail!("--header {h:?}: expected NAME:VALUE"),
                            })
                            .collect::<Result<_>>()?;
                        let target = Target::Http {
                            url,
                            headers,
                            timeout_ms,
                        };
                        (target, secret)
                    }
                    (None, Some(nats_url)) => {
                        let target = Target::Nats {
                            url: nats_url,
                            subject: subject.unwrap_or_default(),
                        };
                        (target, None)
                    }
                    (None, None) => bail!("pass --url or --nats-url"),
                };
                let subscription = subscription.resolve(client).await?;
                let new = NewDestination {
                    name,
                    target,
                    secret,
                    event_types: subscription.types,
                    source_ids: subscription.sources,
                    filter: subscription.filter,
                    coalesce: coalesce_key.map(|key| CoalesceConfig {
                        key,
                        quiet_ms: quiet.as_millis() as u64,
                        max_wait_ms: max_wait.as_millis() as u64,
                    }),
                    max_in_flight: max_in_flight.into(),
                    unknown: Default::default(),
                };
                let created = client
                    .call(Method::POST, "/api/v1/destinations", body(new))
                    .await?;
                out.print(&created, |created| {
                    let mut text = describe(created);
                    if created["secret"].is_string() {
                        text.push_str("\nstore the signing secret now: it is not shown again\n");
                    }
                    text
                })
            }
            DestinationCommand::List => {
                let destinations = client.get("/api/v1/destinations").await?;
                out.print(&destinations, list)
            }
            DestinationCommand::Show { id } => {
                let id = client.destination_id(&id).await?;
                out.print(&client.get(&path(&id)).await?, describe)
            }
            DestinationCommand::Disable { id } => {
                out.print(&patch(id, enabled(false)).await?, describe)
            }
            DestinationCommand::Enable { id } => {
                out.print(&patch(id, enabled(true)).await?, describe)
            }
            DestinationCommand::Delete { id: wanted } => {
                let id = client.destination_id(&wanted).await?;
                let answer = client.call(Method::DELETE, &path(&id), None).await?;
                out.print(&answer, |_| {
                    format!("deleted destination {wanted} ({id})\n")
                })
            }
            DestinationCommand::Preview { subscription } => {
                let preview = subscription.resolve(client).await?;
                let answer = client
                    .call(Method::POST, "/api/v1/destinations/preview", body(preview))
                    .await?;
                out.print(&answer, previewed)
            }
            DestinationCommand::ReplayDead { id } => {
                let id = client.destination_id(&id).await?;
                deliveries::replay_dead(client, out, &id).await
            }
        }
    }
}

/// Where a destination sends: its URL, or NATS server and subject.
fn target(destination: &Value) -> String {
    match destination["kind"].as_str() {
        Some("nats") => format!(
            "{} {}",
            text(&destination["url"]),
            text(&destination["subject"])
        ),
        _ => text(&destination["url"]),
    }
}

fn enabled(destination: &Value) -> String {
    match &destination["disabled_reason"] {
        Value::String(reason) if destination["enabled"] != true => format!("no ({reason})"),
        _ => yes_no(&destination["enabled"]),
    }
}

fn list(destinations: &Value) -> String {
    let mut table = Table::new(
        "destinations",
        &["ID", "NAME", "KIND", "EVENT TYPES", "ENABLED", "TARGET"],
    );
    for destination in rows(destinations) {
        table.row(vec![
            text(&destination["id"]),
            text(&destination["name"]),
            text(&destination["kind"]),
            text(&destination["event_types"]),
            enabled(destination),
            target(destination),
        ]);
    }
    table.render()
}

fn describe(destination: &Value) -> String {
    let mut fields = Fields::new();
    fields
        .add("id", text(&destination["id"]))
        .add("name", text(&destination["name"]))
        .add("kind", text(&destination["kind"]))
        .add("target", target(destination))
        .add("enabled", enabled(destination));
    if destination["kind"] == "http" {
        fields.add("headers", text(&destination["headers"])).add(
            "timeout",
            format!("{} ms", text(&destination["timeout_ms"])),
        );
    }
    if let Some(secret) = destination["secret"].as_str() {
        fields.add("secret", secret);
    } else if !destination["secret_prefix"].is_null() {
        fields.add("secret", text(&destination["secret_prefix"]));
    }
    let sources = match &destination["source_ids"] {
        Value::Null => "all".into(),
        ids => text(ids),
    };
    fields
        .add("event types", text(&destination["event_types"]))
        .add("sources", sources)
        .add("filter", text(&destination["filter"]))
        .add("coalesce", text(&destination["coalesce"]))
        .add("max in flight", text(&destination["max_in_flight"]))
        .add("created", time(&destination["created_at"]))
        .add("updated", time(&destination["updated_at"]));
    let mut text = fields.render();
    text.push_str(&warnings(&destination["warnings"]));
    text
}

/// The warnings of an answer, one `warning:` line each.
fn warnings(warnings: &Value) -> String {
    rows(warnings)
        .iter()
        .map(|w| format!("warning: {}\n", text(w)))
        .collect()
}

/// What a subscription preview found.
fn previewed(preview: &Value) -> String {
    let mut table = Table::new("matching events", &["ID", "SOURCE", "TYPE", "RECEIVED"]);
    for event in rows(&preview["matched"]) {
        table.row(vec![
            text(&event["id"]),
            text(&event["source_id"]),
            text(&event["type"]),
            time(&event["received_at"]),
        ]);
    }
    let mut out = table.render();
    out.push_str(&format!(
        "{} of the {} recent events of these types and sources match (newest 20 shown)\n",
        rows(&preview["matched"]).len(),
        text(&preview["examined"])
    ));
    if let Some(warning) = preview["warning"].as_str() {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}
