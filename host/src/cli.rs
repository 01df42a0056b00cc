//! The command line: `serve`, the management commands, and adapter tools.
//!
//! Management commands (`presets`, `source ...`) talk to a running server over
//! its API, so the server's in-memory state never goes stale; adapter tools
//! (`plugin ...`, `send`) load adapters locally.

use crate::client::{Client, ServerArgs};
use crate::plugin_cmd::{self, SendArgs};
use crate::scaffold::Lang;
use crate::serve::{self, ServeConfig};
use crate::store::access::Scope;
use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use reqwest::Method;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "hookyard",
    version,
    about = "Webhook gateway with sandboxed WebAssembly adapters"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(ServeConfig),
    /// List the presets a running server offers.
    Presets {
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Manage sources on a running server.
    Source {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: SourceCommand,
    },
    /// Manage destinations (where events are delivered) on a running server.
    Destination {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: DestinationCommand,
    },
    /// List deliveries: pending, delivered, or dead letters.
    Deliveries {
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long)]
        destination: Option<String>,
        #[arg(long)]
        event: Option<String>,
        #[arg(long, value_parser = ["pending", "delivered", "dead"])]
        state: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Deliver events again: one event, or a source's events in a time range.
    Replay {
        #[command(flatten)]
        server: ServerArgs,
        /// The event to deliver again.
        #[arg(long, conflicts_with_all = ["source", "since", "until"], required_unless_present = "source")]
        event: Option<String>,
        /// The source whose events (received in --since..--until) go again.
        #[arg(long, requires = "since")]
        source: Option<String>,
        /// RFC 3339 time, e.g. 2026-11-23T10:00:00Z.
        #[arg(long)]
        since: Option<String>,
        /// RFC 3339 time [default: now].
        #[arg(long)]
        until: Option<String>,
        /// Only to this destination [default: every matching destination].
        #[arg(long)]
        destination: Option<String>,
    },
    /// Run a source's quarantined requests (those its adapter failed on)
    /// through its current adapter, checking signatures as at receipt.
    Reprocess {
        #[command(flatten)]
        server: ServerArgs,
        /// The source's id.
        #[arg(long)]
        source: String,
        /// Requests received at or after this RFC 3339 time.
        #[arg(long)]
        since: String,
    },
    /// Print a new random master key (64 hex characters) for sealing secrets.
    MasterKey,
    /// Manage named API tokens on a running server (needs the admin scope).
    Token {
        #[command(flatten)]
        server: ServerArgs,
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The newest management changes, newest first (needs the admin scope).
    Audit {
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Continue from a previous answer's `next_cursor`.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Inspect and test adapter components.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Sign BODY as a preset's vendor would and send it to a URL.
    Send {
        /// The preset whose adapter signs (e.g. stripe).
        #[arg(long)]
        preset: String,
        /// The secret to sign with.
        #[arg(long)]
        secret: String,
        /// Event type, for vendors that send it in a header.
        #[arg(long)]
        event: Option<String>,
        /// Extra settings as a JSON object.
        #[arg(long)]
        settings: Option<String>,
        /// Where to send it.
        #[arg(long)]
        to: String,
        /// Directory of adapter components.
        #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
        plugins: PathBuf,
        /// The body, or @FILE to read it from a file.
        body: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token; it is printed once and only its hash is stored.
    Create {
        name: String,
        #[arg(long, value_enum)]
        scope: Scope,
    },
    /// Every token: name, scope, prefix, who created it, revocation.
    List,
    /// Revoke a live token by id or name.
    Revoke { id_or_name: String },
}

impl TokenCommand {
    async fn run(self, client: &Client) -> Result<Value> {
        match self {
            TokenCommand::Create { name, scope } => {
                let body = json!({ "name": name, "scope": scope });
                let created = client
                    .call(Method::POST, "/api/v1/tokens", Some(body))
                    .await?;
                eprintln!("store the token now: it is not shown again");
                Ok(created)
            }
            TokenCommand::List => client.call(Method::GET, "/api/v1/tokens", None).await,
            TokenCommand::Revoke { id_or_name } => {
                client
                    .call(
                        Method::DELETE,
                        &format!("/api/v1/tokens/{id_or_name}"),
                        None,
                    )
                    .await
            }
        }
    }
}

#[derive(Subcommand)]
enum SourceCommand {
    /// Create a source and print its webhook URL.
    Add {
        #[arg(long)]
        name: String,
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
        #[arg(long, value_parser = ["accept", "reject", "drop"], default_value = "accept")]
        unknown_types: String,
        /// The source's own limits as a JSON object (body_bytes,
        /// rate_per_second, burst, shared_rate, max_concurrent, allow_ips) [default: the
        /// server's].
        #[arg(long)]
        limits: Option<String>,
    },
    List,
    Show {
        id: String,
    },
    Disable {
        id: String,
    },
    Enable {
        id: String,
    },
    /// Replace a source's own limits (JSON object; `{}` = the server's defaults).
    Limits {
        id: String,
        limits: String,
    },
    /// Issue a new webhook key; the old URL stops working (after --grace).
    RotateKey {
        id: String,
        /// Seconds the old key keeps working [default: 0, it stops at once].
        #[arg(long, default_value_t = 0)]
        grace: u64,
    },
    /// Add a secret; the others keep verifying.
    SecretAdd {
        id: String,
        #[arg(long)]
        secret: String,
        /// Seconds until it stops verifying [default: never].
        #[arg(long)]
        expires_in: Option<u64>,
    },
    /// Make a secret stop verifying after SECONDS (0: now).
    SecretExpire {
        id: String,
        secret_id: String,
        #[arg(long = "in")]
        seconds: u64,
    },
    /// Remove a secret.
    SecretRemove {
        id: String,
        secret_id: String,
    },
}

// Parsed once per run: the size of the `Add` variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum DestinationCommand {
    /// Create a destination; prints it, with its signing secret (shown once).
    Add {
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
        /// Event-type glob patterns, comma-separated [default: *].
        #[arg(long, value_delimiter = ',')]
        event_types: Option<Vec<String>>,
        /// Only events of these source ids, comma-separated [default: all].
        #[arg(long, value_delimiter = ',')]
        sources: Option<Vec<String>>,
        /// JSONPath (RFC 9535) on the event data; delivered when it selects something.
        #[arg(long)]
        filter: Option<String>,
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
    List,
    Show {
        id: String,
    },
    Disable {
        id: String,
    },
    Enable {
        id: String,
    },
    Delete {
        id: String,
    },
    /// Put every dead letter of the destination back in line.
    ReplayDead {
        id: String,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Print an adapter's manifest.
    Inspect { wasm: PathBuf },
    /// Run conformance fixtures through an adapter in the real sandbox.
    Test {
        wasm: PathBuf,
        /// Fixture directory [default: plugins/NAME/fixtures].
        #[arg(long)]
        fixtures: Option<PathBuf>,
    },
    /// Create a working adapter to start from: code, fixtures and tests.
    New {
        /// Adapter name (a-z, 0-9, dashes): folder, manifest and preset name.
        name: String,
        /// Where the adapter's folder goes.
        #[arg(long, default_value = "plugins")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "rust")]
        lang: Lang,
        /// The hookyard-sdk crate, when DIR is outside a Hookyard checkout.
        #[arg(long)]
        sdk: Option<PathBuf>,
    },
    /// List a running server's adapters and their kept versions.
    List {
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Put a kept version of an adapter back on a running server: VERSION
    /// (or hash), or else the newest kept version other than the live one.
    Rollback {
        #[command(flatten)]
        server: ServerArgs,
        name: String,
        #[arg(long)]
        to: Option<String>,
    },
    /// Shadow mode on a running server: with --wasm, run that candidate
    /// beside the live adapter NAME on real traffic, without effect; with
    /// --stop, end it; otherwise print the recorded differences.
    Shadow {
        #[command(flatten)]
        server: ServerArgs,
        name: String,
        #[arg(long, conflicts_with = "stop")]
        wasm: Option<PathBuf>,
        #[arg(long)]
        stop: bool,
    },
    /// Print the preset reference (Markdown) for the adapters in a directory.
    Docs {
        #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
        plugins: PathBuf,
    },
}

impl Cli {
    pub fn run(self) -> ExitCode {
        init_tracing(match self.command {
            Command::Serve(_) => "info",
            _ => "warn",
        });
        let runtime = tokio::runtime::Runtime::new().expect("starting tokio");
        match runtime.block_on(self.command.run()) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        }
    }
}

impl Command {
    async fn run(self) -> Result<ExitCode> {
        match self {
            Command::Serve(config) => serve::serve(config).await.map(|()| ExitCode::SUCCESS),
            Command::Presets { server } => {
                let presets = Client::new(server)
                    .call(Method::GET, "/api/v1/presets", None)
                    .await?;
                for preset in presets.as_array().into_iter().flatten() {
                    println!(
                        "{:<22} {:<20} {}",
                        preset["name"].as_str().unwrap_or_default(),
                        format!(
                            "{}@{}",
                            preset["plugin"].as_str().unwrap_or_default(),
                            preset["version"].as_str().unwrap_or_default()
                        ),
                        preset["display_name"].as_str().unwrap_or_default()
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::List { server },
            } => {
                let plugins = Client::new(server)
                    .call(Method::GET, "/api/v1/plugins", None)
                    .await?;
                for plugin in plugins.as_array().into_iter().flatten() {
                    for version in plugin["versions"].as_array().into_iter().flatten() {
                        let hash = version["hash"].as_str().unwrap_or_default();
                        println!(
                            "{:<22} {:<12} {} {}  first seen {}",
                            plugin["name"].as_str().unwrap_or_default(),
                            version["version"].as_str().unwrap_or_default(),
                            if version["live"] == true {
                                "live"
                            } else {
                                "    "
                            },
                            hash.get(..12).unwrap_or(hash),
                            version["first_seen"].as_str().unwrap_or_default(),
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::Rollback { server, name, to },
            } => {
                let path = format!("/api/v1/plugins/{name}/rollback");
                let done = Client::new(server)
                    .call(Method::POST, &path, Some(json!({ "to": to })))
                    .await?;
                println!(
                    "{name} is now {} ({})",
                    done["version"].as_str().unwrap_or_default(),
                    done["hash"].as_str().unwrap_or_default()
                );
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command:
                    PluginCommand::Shadow {
                        server,
                        name,
                        wasm,
                        stop,
                    },
            } => {
                let client = Client::new(server);
                let path = format!("/api/v1/plugins/{name}/shadow");
                if let Some(wasm) = wasm {
                    let bytes = std::fs::read(&wasm)
                        .with_context(|| format!("reading {}", wasm.display()))?;
                    let started = client.call_bytes(Method::PUT, &path, bytes).await?;
                    println!(
                        "{name} {} runs in the shadow of the live version",
                        started["version"].as_str().unwrap_or_default()
                    );
                } else if stop {
                    client.call(Method::DELETE, &path, None).await?;
                    println!("{name}: shadow stopped");
                } else {
                    let report = client.call(Method::GET, &path, None).await?;
                    let shadow = &report["shadow"];
                    if shadow.is_null() {
                        println!("{name}: no shadow running");
                    } else {
                        println!(
                            "{name} {} in shadow: {} compared, {} differed, {} skipped",
                            shadow["version"].as_str().unwrap_or_default(),
                            shadow["compared"],
                            shadow["differed"],
                            shadow["skipped"]
                        );
                    }
                    for difference in report["differences"].as_array().into_iter().flatten() {
                        println!("{difference}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Reprocess {
                server,
                source,
                since,
            } => {
                let path = format!("/api/v1/sources/{source}/reprocess");
                let report = Client::new(server)
                    .call(Method::POST, &path, Some(json!({ "since": since })))
                    .await?;
                println!("{}", serde_json::to_string_pretty(&report)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::MasterKey => {
                println!("{}", crate::sealing::MasterKey::generate());
                Ok(ExitCode::SUCCESS)
            }
            Command::Source { server, command } => {
                let answer = command.run(&Client::new(server)).await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Token { server, command } => {
                let answer = command.run(&Client::new(server)).await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Audit {
                server,
                limit,
                cursor,
            } => {
                let query: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("limit", &limit.to_string())
                    .extend_pairs(cursor.map(|c| ("cursor", c)))
                    .finish();
                let answer = Client::new(server)
                    .call(Method::GET, &format!("/api/v1/audit?{query}"), None)
                    .await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Destination { server, command } => {
                let answer = command.run(&Client::new(server)).await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Deliveries {
                server,
                destination,
                event,
                state,
                limit,
            } => {
                let query: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(
                        [
                            ("destination_id", destination),
                            ("event_id", event),
                            ("state", state),
                            ("limit", Some(limit.to_string())),
                        ]
                        .into_iter()
                        .filter_map(|(k, v)| Some((k, v?))),
                    )
                    .finish();
                let answer = Client::new(server)
                    .call(Method::GET, &format!("/api/v1/deliveries?{query}"), None)
                    .await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Replay {
                server,
                event,
                source,
                since,
                until,
                destination,
            } => {
                let (path, body) = match (event, source) {
                    (Some(event), _) => (
                        format!("/api/v1/events/{event}/replay"),
                        json!({ "destination_id": destination }),
                    ),
                    (None, Some(source)) => (
                        format!("/api/v1/sources/{source}/replay"),
                        json!({ "since": since, "until": until, "destination_id": destination }),
                    ),
                    (None, None) => bail!("pass --event ID or --source ID --since TIME"),
                };
                let answer = Client::new(server)
                    .call(Method::POST, &path, Some(body))
                    .await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::Inspect { wasm },
            } => {
                let manifest = plugin_cmd::inspect(&wasm).await?;
                println!("{}", serde_json::to_string_pretty(&manifest)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::Test { wasm, fixtures },
            } => {
                let passed = plugin_cmd::test(&wasm, fixtures).await?;
                Ok(if passed {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                })
            }
            Command::Plugin {
                command:
                    PluginCommand::New {
                        name,
                        dir,
                        lang,
                        sdk,
                    },
            } => {
                let created = crate::scaffold::new_adapter(&name, lang, &dir, sdk.as_deref())?;
                println!("created {}", created.display());
                let next = match lang {
                    Lang::Rust => {
                        // `-p` works inside the workspace (`plugins/*`); elsewhere the
                        // crate is its own.
                        let manifest = created.join("Cargo.toml");
                        let in_workspace = created.parent().is_some_and(|parent| {
                            parent.file_name().is_some_and(|n| n == "plugins")
                                && std::fs::read_to_string(parent.with_file_name("Cargo.toml"))
                                    .is_ok_and(|text| text.contains("[workspace]"))
                        });
                        let test = if in_workspace {
                            format!("cargo test -p hookyard-adapter-{name}")
                        } else {
                            format!("cargo test --manifest-path {}", manifest.display())
                        };
                        format!("{test} and ./dev setup; docs/adapters.md")
                    }
                    Lang::Js => {
                        "./dev setup builds it with componentize-js; docs/adapters-javascript.md"
                            .into()
                    }
                    Lang::Python => {
                        "./dev setup builds it with componentize-py; docs/adapters-python.md".into()
                    }
                };
                println!("next: {next} (from the repository root), then `hookyard plugin test` it");
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::Docs { plugins },
            } => plugin_cmd::docs(&plugins).await.map(|()| ExitCode::SUCCESS),
            Command::Send {
                preset,
                secret,
                event,
                settings,
                to,
                plugins,
                body,
            } => {
                let body = match body.strip_prefix('@') {
                    Some(file) => std::fs::read(file).with_context(|| format!("reading {file}"))?,
                    None => body.into_bytes(),
                };
                let settings = parse_json_object("--settings", settings.as_deref())?;
                let status = plugin_cmd::send(SendArgs {
                    plugins,
                    preset,
                    secret,
                    event,
                    body,
                    to,
                    settings,
                })
                .await?;
                Ok(if (200..300).contains(&status) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                })
            }
        }
    }
}

impl SourceCommand {
    async fn run(self, client: &Client) -> Result<Value> {
        let path = |id: &str| format!("/api/v1/sources/{id}");
        match self {
            SourceCommand::Add {
                name,
                preset,
                secrets,
                settings,
                event_types,
                unknown_types,
                limits,
            } => {
                let settings = parse_json_object("--settings", settings.as_deref())?;
                let limits = parse_json_object("--limits", limits.as_deref())?;
                let body = json!({
                    "name": name, "preset": preset, "secrets": secrets, "settings": settings,
                    "event_types": event_types, "unknown_types": unknown_types, "limits": limits,
                });
                client
                    .call(Method::POST, "/api/v1/sources", Some(body))
                    .await
            }
            SourceCommand::List => client.call(Method::GET, "/api/v1/sources", None).await,
            SourceCommand::Show { id } => client.call(Method::GET, &path(&id), None).await,
            SourceCommand::Disable { id } => {
                client
                    .call(Method::PATCH, &path(&id), Some(json!({ "enabled": false })))
                    .await
            }
            SourceCommand::Enable { id } => {
                client
                    .call(Method::PATCH, &path(&id), Some(json!({ "enabled": true })))
                    .await
            }
            SourceCommand::Limits { id, limits } => {
                let limits = parse_json_object("limits", Some(&limits))?;
                client
                    .call(Method::PATCH, &path(&id), Some(json!({ "limits": limits })))
                    .await
            }
            SourceCommand::RotateKey { id, grace } => {
                client
                    .call(
                        Method::POST,
                        &format!("{}/rotate-key", path(&id)),
                        Some(json!({ "grace_seconds": grace })),
                    )
                    .await
            }
            SourceCommand::SecretAdd {
                id,
                secret,
                expires_in,
            } => {
                let body = json!({ "secret": secret, "expires_in_seconds": expires_in });
                client
                    .call(Method::POST, &format!("{}/secrets", path(&id)), Some(body))
                    .await
            }
            SourceCommand::SecretExpire {
                id,
                secret_id,
                seconds,
            } => {
                let body = json!({ "expires_in_seconds": seconds });
                let route = format!("{}/secrets/{secret_id}", path(&id));
                client.call(Method::PATCH, &route, Some(body)).await
            }
            SourceCommand::SecretRemove { id, secret_id } => {
                let route = format!("{}/secrets/{secret_id}", path(&id));
                client.call(Method::DELETE, &route, None).await
            }
        }
    }
}

impl DestinationCommand {
    async fn run(self, client: &Client) -> Result<Value> {
        let path = |id: &str| format!("/api/v1/destinations/{id}");
        match self {
            DestinationCommand::Add {
                name,
                url,
                nats_url,
                subject,
                headers,
                timeout_ms,
                secret,
                event_types,
                sources,
                filter,
                coalesce_key,
                quiet,
                max_wait,
                max_in_flight,
            } => {
                let mut body = match (url, nats_url) {
                    (Some(url), _) => {
                        let headers = headers
                            .iter()
                            .map(|h| match h.split_once(':') {
                                Some((k, v)) => Ok((k.trim().to_string(), json!(v.trim()))),
                                None => bail!("--header {h:?}: expected NAME:VALUE"),
                            })
                            .collect::<Result<serde_json::Map<_, _>>>()?;
                        json!({ "kind": "http", "url": url, "headers": headers,
                                "timeout_ms": timeout_ms, "secret": secret })
                    }
                    (None, Some(nats_url)) => {
                        json!({ "kind": "nats", "url": nats_url, "subject": subject })
                    }
                    (None, None) => bail!("pass --url or --nats-url"),
                };
                body["name"] = json!(name);
                body["event_types"] = json!(event_types.unwrap_or_else(|| vec!["*".into()]));
                body["source_ids"] = json!(sources);
                body["filter"] = json!(filter);
                body["max_in_flight"] = json!(max_in_flight);
                if let Some(key) = coalesce_key {
                    body["coalesce"] = json!({ "key": key,
                        "quiet_ms": quiet.as_millis() as u64,
                        "max_wait_ms": max_wait.as_millis() as u64 });
                }
                client
                    .call(Method::POST, "/api/v1/destinations", Some(body))
                    .await
            }
            DestinationCommand::List => {
                client.call(Method::GET, "/api/v1/destinations", None).await
            }
            DestinationCommand::Show { id } => client.call(Method::GET, &path(&id), None).await,
            DestinationCommand::Disable { id } => {
                client
                    .call(Method::PATCH, &path(&id), Some(json!({ "enabled": false })))
                    .await
            }
            DestinationCommand::Enable { id } => {
                client
                    .call(Method::PATCH, &path(&id), Some(json!({ "enabled": true })))
                    .await
            }
            DestinationCommand::Delete { id } => {
                client.call(Method::DELETE, &path(&id), None).await
            }
            DestinationCommand::ReplayDead { id } => {
                client
                    .call(Method::POST, &format!("{}/replay-dead", path(&id)), None)
                    .await
            }
        }
    }
}

fn parse_json_object(what: &str, text: Option<&str>) -> Result<Value> {
    let Some(text) = text else {
        return Ok(json!({}));
    };
    match serde_json::from_str(text).with_context(|| format!("{what} must be JSON"))? {
        Value::Object(map) => Ok(Value::Object(map)),
        _ => bail!("{what} must be a JSON object"),
    }
}

/// Logs to stderr: `HOOKYARD_LOG`, else `default` (`serve` logs at info,
/// the other commands only warnings, so their output is what they print).
fn init_tracing(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOOKYARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
