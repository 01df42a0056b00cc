//! `hookyard token …` and `hookyard audit`: who may call the management
//! API, and what they changed.
//!
//! Both need the admin scope. A token is printed once, when it is created
//! (only its hash is stored), so `create` says so on stderr; the list never
//! shows one.

use super::client::query;
use super::client::{Client, ServerArgs, body};
use super::output::{Fields, Output, Table, more, rows, text, time};
use crate::api::bodies::NewToken;
use crate::store::access::Scope;
use anyhow::Result;
use reqwest::Method;
use serde_json::Value;

#[derive(clap::Args)]
pub struct Token {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(clap::Subcommand)]
enum TokenCommand {
    /// Create a token; it is printed once and only its hash is stored.
    Create {
        /// A name for the token (who or what holds it).
        name: String,
        /// What it may do: read (every GET), write (also changes), admin
        /// (also adapters, tokens, the audit log).
        #[arg(long, value_enum)]
        scope: Scope,
    },
    /// Every token: name, scope, prefix, who created it, revocation.
    List,
    /// Revoke a live token by id or name.
    Revoke {
        /// The token's id or name.
        id_or_name: String,
    },
}

#[derive(clap::Args)]
pub struct Audit {
    #[command(flatten)]
    server: ServerArgs,
    /// Entries per page.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Continue from a previous answer's `next_cursor`.
    #[arg(long)]
    cursor: Option<String>,
}

impl Token {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        match self.command {
            TokenCommand::Create { name, scope } => {
                let new = NewToken { name, scope };
                let created = client
                    .call(Method::POST, "/api/v1/tokens", body(new))
                    .await?;
                eprintln!("store the token now: it is not shown again");
                out.print(&created, describe)
            }
            TokenCommand::List => {
                let tokens = client.get("/api/v1/tokens").await?;
                out.print(&tokens, |tokens| {
                    let mut table = Table::new(
                        "tokens",
                        &["ID", "NAME", "SCOPE", "PREFIX", "CREATED", "BY", "REVOKED"],
                    );
                    for token in rows(tokens) {
                        table.row(vec![
                            text(&token["id"]),
                            text(&token["name"]),
                            text(&token["scope"]),
                            text(&token["prefix"]),
                            time(&token["created_at"]),
                            text(&token["created_by"]),
                            time(&token["revoked_at"]),
                        ]);
                    }
                    table.render()
                })
            }
            TokenCommand::Revoke { id_or_name } => {
                let path = format!("/api/v1/tokens/{}", super::presets::urlencode(&id_or_name));
                let revoked = client.call(Method::DELETE, &path, None).await?;
                out.print(&revoked, describe)
            }
        }
    }
}

/// A token; its secret value only in the answer that created it.
fn describe(token: &Value) -> String {
    let mut fields = Fields::new();
    if let Some(secret) = token["token"].as_str() {
        fields.add("token", secret);
    }
    fields
        .add("id", text(&token["id"]))
        .add("name", text(&token["name"]))
        .add("scope", text(&token["scope"]))
        .add("prefix", text(&token["prefix"]))
        .add("created", time(&token["created_at"]))
        .add("created by", text(&token["created_by"]))
        .add("revoked", time(&token["revoked_at"]))
        .render()
}

impl Audit {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        let query = query([
            ("limit", Some(self.limit.to_string())),
            ("cursor", self.cursor),
        ]);
        let page = client.get(&format!("/api/v1/audit?{query}")).await?;
        out.print(&page, |page| {
            let mut table = Table::new(
                "audit entries",
                &["AT", "ACTOR", "METHOD", "STATUS", "FROM", "PATH"],
            );
            for entry in rows(page) {
                table.row(vec![
                    time(&entry["at"]),
                    text(&entry["actor"]),
                    text(&entry["method"]),
                    text(&entry["status"]),
                    text(&entry["remote_ip"]),
                    text(&entry["path"]),
                ]);
            }
            table.render()
        })?;
        more(&page, self.limit);
        Ok(())
    }
}
