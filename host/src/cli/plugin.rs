//! `hookyard plugin …`: adapters, offline and on a running server.
//!
//! Offline (`inspect`, `test`, `new`, `docs`) the adapter is loaded here,
//! through the server's own runtime ([`crate::plugin_cmd`]), so what passes
//! here passes in production. On a server (`list`, `rollback`, `shadow`)
//! these are clients of `/api/v1/plugins`. One function per subcommand.

use super::client::{Client, ServerArgs, body};
use super::output::{Output, Table, text};
use crate::api::bodies::RollbackTo;
use crate::plugin_cmd;
use crate::scaffold::{self, Lang};
use anyhow::{Context as _, Result};
use reqwest::Method;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Plugin {
    #[command(subcommand)]
    command: PluginCommand,
}

#[derive(clap::Subcommand)]
enum PluginCommand {
    /// Print an adapter's manifest: presets, secrets, settings, event types.
    Inspect {
        /// The adapter component (.wasm).
        wasm: PathBuf,
    },
    /// Run conformance fixtures through an adapter in the real sandbox.
    Test {
        /// The adapter component (.wasm).
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
        /// The language to write it in.
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
        /// The adapter's name.
        name: String,
        /// The kept version (or hash) to serve [default: the newest other one].
        #[arg(long)]
        to: Option<String>,
    },
    /// Shadow mode on a running server: with --wasm, run that candidate
    /// beside the live adapter NAME on real traffic, without effect; with
    /// --stop, end it; otherwise print the recorded differences.
    Shadow {
        #[command(flatten)]
        server: ServerArgs,
        /// The live adapter's name.
        name: String,
        /// The candidate component (.wasm) to start shadowing with.
        #[arg(long, conflicts_with = "stop")]
        wasm: Option<PathBuf>,
        /// End the shadow run.
        #[arg(long)]
        stop: bool,
    },
    /// Print the preset reference (Markdown) for the adapters in a directory.
    Docs {
        /// Directory of adapter components.
        #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
        plugins: PathBuf,
    },
}

impl Plugin {
    pub async fn run(self, out: Output) -> Result<ExitCode> {
        match self.command {
            PluginCommand::Inspect { wasm } => inspect(&wasm, out).await?,
            PluginCommand::Test { wasm, fixtures } => {
                let passed = plugin_cmd::test(&wasm, fixtures).await?;
                return Ok(if passed {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            PluginCommand::New {
                name,
                dir,
                lang,
                sdk,
            } => new(&name, &dir, lang, sdk.as_deref())?,
            PluginCommand::List { server } => list(Client::new(server), out).await?,
            PluginCommand::Rollback { server, name, to } => {
                rollback(Client::new(server), out, &name, to).await?
            }
            PluginCommand::Shadow {
                server,
                name,
                wasm,
                stop,
            } => shadow(Client::new(server), out, &name, wasm, stop).await?,
            PluginCommand::Docs { plugins } => plugin_cmd::docs(&plugins).await?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

async fn inspect(wasm: &Path, out: Output) -> Result<()> {
    let manifest = plugin_cmd::inspect(wasm).await?;
    out.print(&manifest, super::presets::describe)
}

fn new(name: &str, dir: &Path, lang: Lang, sdk: Option<&Path>) -> Result<()> {
    let created = scaffold::new_adapter(name, lang, dir, sdk)?;
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
            "./dev setup builds it with componentize-js; docs/adapters-javascript.md".into()
        }
        Lang::Python => {
            "./dev setup builds it with componentize-py; docs/adapters-python.md".into()
        }
    };
    println!("next: {next} (from the repository root), then `hookyard plugin test` it");
    Ok(())
}

async fn list(client: Client, out: Output) -> Result<()> {
    let plugins = client.get("/api/v1/plugins").await?;
    out.print(&plugins, |plugins| {
        let mut table = Table::new(
            "adapters",
            &["ADAPTER", "VERSION", "LIVE", "HASH", "FIRST SEEN"],
        );
        for plugin in plugins.as_array().into_iter().flatten() {
            for version in plugin["versions"].as_array().into_iter().flatten() {
                let hash = text(&version["hash"]);
                table.row(vec![
                    text(&plugin["name"]),
                    text(&version["version"]),
                    if version["live"] == true { "live" } else { "" }.into(),
                    hash.get(..12).unwrap_or(&hash).into(),
                    super::output::time(&version["first_seen"]),
                ]);
            }
        }
        table.render()
    })
}

async fn rollback(client: Client, out: Output, name: &str, to: Option<String>) -> Result<()> {
    let path = format!("/api/v1/plugins/{name}/rollback");
    let done = client
        .call(Method::POST, &path, body(RollbackTo { to }))
        .await?;
    out.print(&done, |done| {
        format!(
            "{name} is now {} ({})\n",
            text(&done["version"]),
            text(&done["hash"])
        )
    })
}

async fn shadow(
    client: Client,
    out: Output,
    name: &str,
    wasm: Option<PathBuf>,
    stop: bool,
) -> Result<()> {
    let path = format!("/api/v1/plugins/{name}/shadow");
    if let Some(wasm) = wasm {
        let bytes = std::fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
        let started = client.call_bytes(Method::PUT, &path, bytes).await?;
        return out.print(&started, |started| {
            format!(
                "{name} {} runs in the shadow of the live version\n",
                text(&started["version"])
            )
        });
    }
    if stop {
        let answer = client.call(Method::DELETE, &path, None).await?;
        return out.print(&answer, |_| format!("{name}: shadow stopped\n"));
    }
    let report = client.get(&path).await?;
    out.print(&report, |report| {
        let shadow = &report["shadow"];
        let mut text = if shadow.is_null() {
            format!("{name}: no shadow running\n")
        } else {
            format!(
                "{name} {} in shadow: {} compared, {} differed, {} skipped\n",
                shadow["version"].as_str().unwrap_or_default(),
                shadow["compared"],
                shadow["differed"],
                shadow["skipped"]
            )
        };
        for difference in report["differences"].as_array().into_iter().flatten() {
            text.push_str(&format!("{difference}\n"));
        }
        text
    })
}
