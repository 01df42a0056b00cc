//! The command line: `serve`, the management commands, and adapter tools.
//!
//! Management commands (`presets`, `source ...`) talk to a running server over
//! its API, so the server's in-memory state never goes stale; adapter tools
//! (`plugin ...`, `send`) load adapters locally.

use crate::client::{Client, ServerArgs};
use crate::plugin_cmd::{self, SendArgs};
use crate::scaffold::Lang;
use crate::serve::{self, ServeConfig};
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
    /// Issue a new webhook key; the old URL stops working.
    RotateKey {
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
    /// Print the preset reference (Markdown) for the adapters in a directory.
    Docs {
        #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
        plugins: PathBuf,
    },
}

impl Cli {
    pub fn run(self) -> ExitCode {
        init_tracing();
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
            Command::Source { server, command } => {
                let answer = command.run(&Client::new(server)).await?;
                println!("{}", serde_json::to_string_pretty(&answer)?);
                Ok(ExitCode::SUCCESS)
            }
            Command::Plugin {
                command: PluginCommand::Inspect { wasm },
            } => plugin_cmd::inspect(&wasm).await.map(|()| ExitCode::SUCCESS),
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
                println!(
                    "next: {} (from the repository root), then `hookyard plugin test` it",
                    match lang {
                        Lang::Rust =>
                            "cargo test -p hookyard-adapter-NAME and ./dev setup; docs/adapters.md",
                        Lang::Js =>
                            "./dev setup builds it with componentize-js; docs/adapters-javascript.md",
                        Lang::Python =>
                            "./dev setup builds it with componentize-py; docs/adapters-python.md",
                    }
                );
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
                let settings = parse_json_object(settings.as_deref())?;
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
            } => {
                let settings = parse_json_object(settings.as_deref())?;
                let body = json!({
                    "name": name, "preset": preset, "secrets": secrets, "settings": settings,
                    "event_types": event_types, "unknown_types": unknown_types,
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
            SourceCommand::RotateKey { id } => {
                client
                    .call(Method::POST, &format!("{}/rotate-key", path(&id)), None)
                    .await
            }
        }
    }
}

fn parse_json_object(text: Option<&str>) -> Result<Value> {
    let Some(text) = text else {
        return Ok(json!({}));
    };
    match serde_json::from_str(text).context("--settings must be JSON")? {
        Value::Object(map) => Ok(Value::Object(map)),
        _ => bail!("--settings must be a JSON object"),
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOOKYARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
