//! The command line: `serve`, the management commands, and adapter tools.
//!
//! Management commands talk to a running server over its API, so the
//! server's in-memory state never goes stale, and print its answer for
//! people (tables, `key: value` blocks) or, with `--json`, as the API
//! returned it ([`output`]). Sources and destinations are named by name or
//! id ([`client`]), times by age or RFC 3339 ([`time`]). Adapter tools
//! (`plugin inspect|test|new|docs`, `send`) load adapters locally. Each
//! command group is a module with its own `run`; this one parses, sets up
//! logging and hands over.

mod backup;
mod client;
mod deliveries;
mod destination;
mod events;
mod listen;
mod output;
mod plugin;
mod presets;
mod send;
mod source;
mod time;
mod token;

use crate::serve::{self, ServeConfig};
use crate::telemetry::{self, OtlpConfig, Telemetry};
use anyhow::Result;
use clap::{Parser, Subcommand};
use output::Output;
use std::process::ExitCode;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

#[derive(Parser)]
#[command(
    name = "hookyard",
    version,
    about = "Webhook gateway with sandboxed WebAssembly adapters",
    after_help = "Commands that talk to a server use --server (HOOKYARD_URL, default \
                  http://127.0.0.1:8080) and --token (HOOKYARD_ADMIN_TOKEN). \
                  Logs go to stderr: HOOKYARD_LOG sets the filter (serve: info, others: warn)."
)]
pub struct Cli {
    /// Print the server's answer as the API's JSON (for scripts) instead of
    /// tables and key: value blocks.
    #[arg(long, global = true)]
    json: bool,
    /// Log lines on stderr as text for people, or as one JSON object per
    /// line for a log pipeline.
    #[arg(long, global = true, env = "HOOKYARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

// Parsed once per run: the size of the larger variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(ServeConfig),
    /// List the presets a running server offers, or show one.
    Presets(presets::Presets),
    /// Manage sources (where vendors send webhooks) on a running server.
    Source(source::Source),
    /// Manage destinations (where events are delivered) on a running server.
    Destination(destination::Destination),
    /// List received events, oldest first.
    Events(events::Events),
    /// Show one event with its data.
    Event(events::Event),
    /// The request log: every webhook request and what became of it, newest first.
    Requests(events::Requests),
    /// Run a source's quarantined requests (those its adapter failed on)
    /// through its current adapter, checking signatures as at receipt.
    Reprocess(events::Reprocess),
    /// List deliveries: pending, delivered, or dead letters.
    Deliveries(deliveries::Deliveries),
    /// Show one delivery with its attempts.
    Delivery(deliveries::Delivery),
    /// Deliver events again: one event, or a source's events in a time range.
    Replay(deliveries::Replay),
    /// Manage named API tokens on a running server (needs the admin scope).
    Token(token::Token),
    /// The newest management changes, newest first (needs the admin scope).
    Audit(token::Audit),
    /// Inspect, test, scaffold, roll back and shadow adapters.
    Plugin(plugin::Plugin),
    /// Sign BODY as a preset's vendor would and send it to a URL.
    Send(send::Send),
    /// Print a new random master key (64 hex characters) for sealing secrets.
    MasterKey,
    /// Forward a running server's events to a local URL, signed like a
    /// destination, one line per event; resumes where it stopped.
    Listen(listen::Listen),
    /// Copy the SQLite database while the server runs (PostgreSQL: pg_dump).
    Backup(backup::Backup),
    /// Print the OpenAPI 3.1 document of the server's routes (what
    /// `GET /api/v1/openapi.json` serves; committed as docs/openapi.json).
    Openapi,
}

impl Cli {
    pub fn run(self) -> ExitCode {
        let default = match self.command {
            Command::Serve(_) => "info",
            _ => "warn",
        };
        let runtime = tokio::runtime::Runtime::new().expect("starting tokio");
        let otlp = match &self.command {
            Command::Serve(config) => Some(&config.otlp),
            _ => None,
        };
        let telemetry = match init_tracing(default, self.log_format, otlp, runtime.handle()) {
            Ok(telemetry) => telemetry,
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::FAILURE;
            }
        };
        let out = Output::new(self.json);
        let code = match runtime.block_on(self.command.run(out)) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
        // The last spans go out on the runtime, which still runs.
        if let Some(telemetry) = telemetry {
            telemetry.shutdown();
        }
        code
    }
}

impl Command {
    async fn run(self, out: Output) -> Result<ExitCode> {
        let done = |()| ExitCode::SUCCESS;
        match self {
            Command::Serve(config) => serve::serve(config).await.map(done),
            Command::Presets(presets) => presets.run(out).await.map(done),
            Command::Source(source) => source.run(out).await.map(done),
            Command::Destination(destination) => destination.run(out).await.map(done),
            Command::Events(events) => events.run(out).await.map(done),
            Command::Event(event) => event.run(out).await.map(done),
            Command::Requests(requests) => requests.run(out).await.map(done),
            Command::Reprocess(reprocess) => reprocess.run(out).await.map(done),
            Command::Deliveries(deliveries) => deliveries.run(out).await.map(done),
            Command::Delivery(delivery) => delivery.run(out).await.map(done),
            Command::Replay(replay) => replay.run(out).await.map(done),
            Command::Token(token) => token.run(out).await.map(done),
            Command::Audit(audit) => audit.run(out).await.map(done),
            Command::Plugin(plugin) => plugin.run(out).await,
            Command::Send(send) => send.run().await,
            Command::Backup(backup) => backup.run().await.map(done),
            Command::Listen(listen) => listen.run(out).await.map(done),
            Command::MasterKey => {
                println!("{}", crate::sealing::MasterKey::generate());
                Ok(ExitCode::SUCCESS)
            }
            Command::Openapi => {
                print!("{}", crate::api::openapi::document_json());
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

/// Logs to stderr: `HOOKYARD_LOG`, else `default` (`serve` logs at info,
/// the other commands only warnings, so their output is what they print).
/// JSON lines carry `timestamp`, `level`, `target`, the message and the
/// span and event fields. With an OTLP endpoint (`serve`), the exported
/// spans go to their own layer ([`crate::telemetry`]); they are never log
/// lines.
fn init_tracing(
    default: &str,
    format: LogFormat,
    otlp: Option<&OtlpConfig>,
    runtime: &tokio::runtime::Handle,
) -> Result<Option<Telemetry>> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOOKYARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default))
        .add_directive(
            format!("{}=off", telemetry::TARGET)
                .parse()
                .expect("a valid directive"),
        );
    let exporting = match otlp {
        Some(config) => Telemetry::start(config, runtime.clone())?,
        None => None,
    };
    let Some((telemetry, spans)) = exporting else {
        let logs = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr);
        match format {
            LogFormat::Text => logs.init(),
            LogFormat::Json => logs.json().flatten_event(true).init(),
        }
        return Ok(None);
    };
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = match format {
        LogFormat::Text => logs.boxed(),
        LogFormat::Json => logs.json().flatten_event(true).boxed(),
    };
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(spans)
        .init();
    Ok(Some(telemetry))
}

#[cfg(test)]
mod tests {
    use super::client::query;
    use super::*;
    use clap::CommandFactory;

    /// Every command and every argument says what it is for in `--help`.
    #[test]
    fn every_command_and_argument_has_help() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if ["help", "version"].contains(&id) {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} <{id}>"));
                }
            }
            for sub in command.get_subcommands() {
                let sub_path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() && sub.get_long_about().is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let cli = Cli::command();
        cli.clone().debug_assert();
        let mut missing = Vec::new();
        walk(&cli, "hookyard", &mut missing);
        assert!(missing.is_empty(), "without help:\n{}", missing.join("\n"));
        // The walk saw the tree: a command three levels down, and its flags.
        let shadow = cli
            .find_subcommand("plugin")
            .and_then(|p| p.find_subcommand("shadow"))
            .expect("plugin shadow");
        assert!(shadow.get_arguments().any(|a| a.get_id() == "stop"));
    }

    #[test]
    fn a_mistyped_command_gets_a_suggestion() {
        let error = match Cli::try_parse_from(["hookyard", "evnts"]) {
            Ok(_) => panic!("`evnts` parsed"),
            Err(error) => error.to_string(),
        };
        assert!(
            error.contains("similar subcommand") && error.contains("events"),
            "{error}"
        );
        let error = match Cli::try_parse_from(["hookyard", "source", "lst"]) {
            Ok(_) => panic!("`source lst` parsed"),
            Err(error) => error.to_string(),
        };
        assert!(error.contains("list"), "{error}");
    }

    #[test]
    fn json_is_a_flag_of_every_command() {
        for args in [
            &["hookyard", "source", "list", "--json"][..],
            &["hookyard", "--json", "events", "--since", "1h"],
            &["hookyard", "delivery", "show", "dlv_1", "--json"],
        ] {
            let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert!(cli.json, "{args:?}");
        }
    }

    #[test]
    fn query_strings_leave_out_what_is_absent() {
        assert_eq!(
            query([
                ("a", Some("x y".into())),
                ("b", None),
                ("c", Some("1".into()))
            ]),
            "a=x+y&c=1"
        );
    }
}
