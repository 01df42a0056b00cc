//! `hookyard send`: sign a body as a vendor would and post it.
//!
//! The way to try a source without the vendor: the preset's own adapter
//! signs (its `sign` export), so a request that verifies here verifies the
//! same way when the vendor sends it. Only the adapter offering the preset
//! is loaded ([`crate::plugin_cmd::send`]); stderr names the file that
//! signed, stdout holds only the server's answer (status line, then body),
//! and the exit code is 0 for a 2xx.

use super::client::parse_json_object;
use crate::plugin_cmd::{self, SendArgs};
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Send {
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
    /// Where to send it (a source's URL).
    #[arg(long)]
    to: String,
    /// Directory of adapter components.
    #[arg(long, env = "HOOKYARD_PLUGINS_DIR", default_value = "target/plugins")]
    plugins: PathBuf,
    /// The body, or @FILE to read it from a file.
    body: String,
}

impl Send {
    pub async fn run(self) -> Result<ExitCode> {
        let body = match self.body.strip_prefix('@') {
            Some(file) => std::fs::read(file).with_context(|| format!("reading {file}"))?,
            None => self.body.into_bytes(),
        };
        let settings = parse_json_object("--settings", self.settings.as_deref())?;
        let status = plugin_cmd::send(SendArgs {
            plugins: self.plugins,
            preset: self.preset,
            secret: self.secret,
            event: self.event,
            body,
            to: self.to,
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
