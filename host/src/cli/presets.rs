//! `hookyard presets` and `hookyard presets show NAME`: what a source can be
//! made from.
//!
//! Picking a preset is the first decision of a new user, and the next
//! question is always "which secret do I paste, and where does the vendor
//! show it?". The list answers the first; `show` answers the second from the
//! adapter's own manifest (the secret's help, the settings, the event
//! catalog, the vendor's documentation). `plugin inspect` renders a manifest
//! with the same [`describe`].

use super::client::{Client, ServerArgs};
use super::output::{Fields, Output, Table, rows, shorten, text};
use anyhow::Result;
use serde_json::Value;
use std::fmt::Write as _;

#[derive(clap::Args)]
pub struct Presets {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: Option<PresetsCommand>,
}

#[derive(clap::Subcommand)]
enum PresetsCommand {
    /// List every preset (the default).
    List,
    /// Show one preset: the secret to paste and where the vendor shows it,
    /// settings, event types, documentation.
    Show {
        /// The preset's name (e.g. stripe).
        name: String,
    },
}

impl Presets {
    pub async fn run(self, out: Output) -> Result<()> {
        let client = Client::new(self.server);
        match self.command.unwrap_or(PresetsCommand::List) {
            PresetsCommand::List => {
                let presets = client.get("/api/v1/presets").await?;
                out.print(&presets, |presets| {
                    let mut table = Table::new("presets", &["NAME", "ADAPTER", "VENDOR"]);
                    for preset in rows(presets) {
                        table.row(vec![
                            text(&preset["name"]),
                            format!("{}@{}", text(&preset["plugin"]), text(&preset["version"])),
                            text(&preset["display_name"]),
                        ]);
                    }
                    table.render() + "\nmore about one: hookyard presets show NAME\n"
                })
            }
            PresetsCommand::Show { name } => {
                let path = format!("/api/v1/presets/{}", urlencode(&name));
                let preset = client.get(&path).await?;
                out.print(&preset, describe)
            }
        }
    }
}

/// A preset (as the API shows it) or an adapter's manifest, for people.
pub fn describe(preset: &Value) -> String {
    let mut fields = Fields::new();
    fields.add("name", text(&preset["name"]));
    fields.add("vendor", text(&preset["display_name"]));
    if let Some(plugin) = preset["plugin"].as_str() {
        fields.add("adapter", format!("{plugin} {}", text(&preset["version"])));
    } else {
        fields.add("version", text(&preset["version"]));
    }
    fields.add(
        "about",
        shorten(preset["description"].as_str().unwrap_or(""), 300),
    );
    fields.add("docs", text(&preset["docs_url"]));
    let secrets = preset["secrets"].as_array().map_or(&[][..], Vec::as_slice);
    let mut pasted = String::new();
    for secret in secrets {
        let _ = writeln!(
            pasted,
            "{} ({}): {}",
            text(&secret["label"]),
            if secret["required"] == true {
                "required; without it every request is refused"
            } else {
                "optional"
            },
            shorten(secret["help"].as_str().unwrap_or(""), 400)
        );
    }
    fields.add(
        "secret",
        if secrets.is_empty() {
            "none".into()
        } else {
            pasted
        },
    );
    let discriminator = &preset["discriminator"];
    let mut from = text(&discriminator["location"]);
    if let Some(path) = discriminator["path"].as_str().filter(|p| !p.is_empty()) {
        let _ = write!(from, " {path}");
    }
    fields.add("event type from", from);
    if preset["settings"]
        .as_object()
        .is_some_and(|s| !s.is_empty())
    {
        fields.add("preset settings", preset["settings"].to_string());
    }
    fields.add("settings", settings(&preset["settings_schema"]));
    // A manifest (`plugin inspect`) also names its presets and its hash.
    if let Some(presets) = preset["presets"].as_array() {
        let names: Vec<String> = presets.iter().map(|p| text(&p["name"])).collect();
        fields.add(
            "presets",
            if names.is_empty() {
                text(&preset["name"])
            } else {
                names.join(", ")
            },
        );
    }
    if !preset["sha256"].is_null() {
        fields.add("sha256", text(&preset["sha256"]));
    }
    let mut out = fields.render();
    let types = preset["event_types"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    if types.is_empty() {
        out.push_str("\nevent types: free-form (no catalog; every type is accepted)\n");
    } else {
        let _ = writeln!(out, "\nevent types ({}):", types.len());
        let width = types
            .iter()
            .map(|t| text(&t["name"]).chars().count())
            .max()
            .unwrap_or(0);
        for event_type in types {
            let name = text(&event_type["name"]);
            let about = shorten(event_type["description"].as_str().unwrap_or(""), 100);
            let line = format!("  {name:<width$}  {about}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// The settings a source may set, one line each, from the JSON schema.
fn settings(schema: &Value) -> String {
    let Some(properties) = schema["properties"].as_object().filter(|p| !p.is_empty()) else {
        return "none".into();
    };
    let mut lines = String::new();
    for (name, property) in properties {
        let kind = [&property["type"], &property["enum"]]
            .into_iter()
            .find(|v| !v.is_null())
            .map_or_else(String::new, text);
        let _ = write!(lines, "{name} ({kind})");
        if !property["default"].is_null() {
            let _ = write!(lines, " [default: {}]", text(&property["default"]));
        }
        if let Some(about) = property["description"].as_str() {
            let _ = write!(lines, ": {}", shorten(about, 200));
        }
        lines.push('\n');
    }
    lines
}

/// A path segment, percent-encoded.
pub fn urlencode(segment: &str) -> String {
    form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_preset_shows_what_to_paste_its_settings_and_catalog() {
        let preset = json!({
            "name": "acme", "plugin": "acme", "version": "1.0.0", "display_name": "Acme",
            "description": "Acme webhooks.", "docs_url": "https://acme.example/docs",
            "secrets": [{"label": "Signing secret", "help": "Dashboard → Webhooks.", "required": true}],
            "discriminator": {"location": "body", "path": "$.type", "note": ""},
            "settings_schema": {"type": "object", "properties": {
                "tolerance_seconds": {"type": "integer", "default": 300, "description": "Clock skew."}}},
            "settings": {},
            "event_types": [{"name": "invoice.paid", "description": "An invoice was paid."}],
        });
        let text = describe(&preset);
        for expected in [
            "vendor:          Acme",
            "adapter:         acme 1.0.0",
            "docs:            https://acme.example/docs",
            "secret:          Signing secret (required; without it every request is refused): Dashboard → Webhooks.",
            "event type from: body $.type",
            "settings:        tolerance_seconds (integer) [default: 300]: Clock skew.",
            "event types (1):\n  invoice.paid  An invoice was paid.",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
    }
}
