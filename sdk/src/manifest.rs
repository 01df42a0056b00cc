//! The manifest, declared as constant data instead of a struct literal.
//!
//! A hand-written [`Manifest`] spent twenty-odd lines on `.into()`, an
//! event-catalog `map` and an empty settings schema. [`ManifestBuilder`] is a
//! `const` builder over `'static` data, so an adapter declares its manifest
//! once, in a `const`, and [`ManifestBuilder::build`] turns it into the WIT
//! record. The version is the adapter crate's own (`CARGO_PKG_VERSION`),
//! which only a macro expanded in that crate can read: [`manifest!`](crate::manifest!).

use crate::{Discriminator, DiscriminatorLocation, EventTypeInfo, Manifest, Preset, SecretSpec};
use serde_json::{Map, Value, json};

/// One secret the source needs (label, where to find it, required or not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secret {
    pub label: &'static str,
    pub help: &'static str,
    pub required: bool,
}

impl Secret {
    /// A required secret: a source without it rejects every request.
    pub const fn required(label: &'static str, help: &'static str) -> Self {
        Self {
            label,
            help,
            required: true,
        }
    }

    /// A secret the adapter can do without.
    pub const fn optional(label: &'static str, help: &'static str) -> Self {
        Self {
            label,
            help,
            required: false,
        }
    }
}

/// A named configuration: `(name, display name, description, settings JSON)`.
pub type PresetDecl = (&'static str, &'static str, &'static str, &'static str);

/// One setting the adapter reads, for the generated settings schema: its name
/// and its JSON Schema (text).
pub type SettingDecl = (&'static str, &'static str);

/// A manifest as `'static` data; [`build`](Self::build) makes the WIT record.
///
/// Unset parts have the defaults most adapters want: no presets, no fetch
/// origins, a settings schema that accepts only the settings declared with
/// [`setting`](Self::setting) (so `{}` when there are none), and a
/// discriminator the declaration fills in from its event-type mapping.
#[derive(Clone, Copy, Debug)]
pub struct ManifestBuilder {
    pub name: &'static str,
    pub version: &'static str,
    pub display_name: &'static str,
    pub description: &'static str,
    pub docs_url: &'static str,
    /// The secret declared with [`secret`](Self::secret), listed first.
    pub secret: Option<Secret>,
    pub secrets: &'static [Secret],
    pub events: &'static [(&'static str, &'static str)],
    /// An event catalog file's text (see [`crate::catalog`]), after `events`.
    pub events_file: &'static str,
    /// A whole settings schema, replacing the generated one.
    pub settings_schema: Option<&'static str>,
    /// Settings for the generated schema (besides those a scheme adds).
    pub settings: &'static [SettingDecl],
    pub discriminator: Option<(DiscriminatorLocation, &'static str)>,
    pub discriminator_note: &'static str,
    pub presets: &'static [PresetDecl],
    pub fetch_origins: &'static [&'static str],
    /// Settings the generated schema requires (a source must set them).
    pub required_settings: &'static [&'static str],
}

impl ManifestBuilder {
    /// Name (lower-case with dashes), version, display name and description.
    /// Prefer [`manifest!`](crate::manifest!), which fills in the version.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        display_name: &'static str,
        description: &'static str,
    ) -> Self {
        Self {
            name,
            version,
            display_name,
            description,
            docs_url: "",
            secret: None,
            secrets: &[],
            events: &[],
            events_file: "",
            settings_schema: None,
            settings: &[],
            discriminator: None,
            discriminator_note: "",
            presets: &[],
            fetch_origins: &[],
            required_settings: &[],
        }
    }

    pub const fn docs(self, docs_url: &'static str) -> Self {
        Self { docs_url, ..self }
    }

    /// The one required secret most vendors have.
    pub const fn secret(self, label: &'static str, help: &'static str) -> Self {
        Self {
            secret: Some(Secret::required(label, help)),
            ..self
        }
    }

    /// Several secrets, or an optional one (after [`secret`](Self::secret)'s).
    pub const fn secrets(self, secrets: &'static [Secret]) -> Self {
        Self { secrets, ..self }
    }

    /// The event catalog: `(name, description)` pairs.
    pub const fn events(self, events: &'static [(&'static str, &'static str)]) -> Self {
        Self { events, ..self }
    }

    /// The event catalog as data: the text of a file with one
    /// `name  description` a line ([`crate::catalog`] has the format),
    /// `.events_file(include_str!("../events.txt"))`. A malformed line or a
    /// name given twice fails the build (the declaration is a `const`).
    pub const fn events_file(self, catalog: &'static str) -> Self {
        Self {
            events_file: crate::catalog::checked(catalog),
            ..self
        }
    }

    /// A complete settings schema (JSON text), instead of the generated one.
    pub const fn settings_schema(self, schema: &'static str) -> Self {
        Self {
            settings_schema: Some(schema),
            ..self
        }
    }

    /// Settings the adapter reads, `(name, JSON Schema text)`, for the
    /// generated schema.
    pub const fn settings(self, settings: &'static [SettingDecl]) -> Self {
        Self { settings, ..self }
    }

    /// Settings a source must set (the generated schema's `required`), such
    /// as a Pub/Sub push subscription's `audience`.
    pub const fn required_settings(self, names: &'static [&'static str]) -> Self {
        Self {
            required_settings: names,
            ..self
        }
    }

    /// Where the event type lives, when the mapping cannot say (a custom
    /// field) or says it differently.
    pub const fn discriminator(self, location: DiscriminatorLocation, path: &'static str) -> Self {
        Self {
            discriminator: Some((location, path)),
            ..self
        }
    }

    /// Free text on the discriminator for anything more elaborate.
    pub const fn discriminator_note(self, note: &'static str) -> Self {
        Self {
            discriminator_note: note,
            ..self
        }
    }

    pub const fn presets(self, presets: &'static [PresetDecl]) -> Self {
        Self { presets, ..self }
    }

    /// HTTPS origins the host may fetch from or call for this adapter.
    pub const fn fetch_origins(self, origins: &'static [&'static str]) -> Self {
        Self {
            fetch_origins: origins,
            ..self
        }
    }

    /// The WIT record. `extra_settings` are settings a signing scheme reads
    /// (added to the generated schema); the discriminator is the one declared
    /// here, else `fallback`, else `fixed` with the adapter's name.
    pub fn build_with(
        &self,
        extra_settings: &[(&'static str, Value)],
        fallback: Option<(DiscriminatorLocation, String)>,
    ) -> Manifest {
        let (location, path) = match self.discriminator {
            Some((location, path)) => (location, path.to_string()),
            None => fallback.unwrap_or((DiscriminatorLocation::Fixed, self.name.to_string())),
        };
        Manifest {
            name: self.name.into(),
            version: self.version.into(),
            display_name: self.display_name.into(),
            description: self.description.into(),
            docs_url: self.docs_url.into(),
            secrets: self
                .secret
                .iter()
                .chain(self.secrets)
                .map(|s| SecretSpec {
                    label: s.label.into(),
                    help: s.help.into(),
                    required: s.required,
                })
                .collect(),
            settings_schema: match self.settings_schema {
                Some(schema) => schema.to_string(),
                None => self.generated_schema(extra_settings).to_string(),
            },
            event_types: self
                .events
                .iter()
                .map(|(name, description)| EventTypeInfo {
                    name: name.to_string(),
                    description: description.to_string(),
                })
                .chain(crate::catalog::event_types(self.events_file))
                .collect(),
            discriminator: Discriminator {
                location,
                path,
                note: self.discriminator_note.into(),
            },
            presets: self
                .presets
                .iter()
                .map(|(name, display_name, description, settings)| Preset {
                    name: name.to_string(),
                    display_name: display_name.to_string(),
                    description: description.to_string(),
                    settings: settings.to_string(),
                })
                .collect(),
            fetch_origins: self.fetch_origins.iter().map(|o| o.to_string()).collect(),
        }
    }

    /// The WIT record with only what is declared here.
    pub fn build(&self) -> Manifest {
        self.build_with(&[], None)
    }

    /// The names of every setting the generated schema accepts.
    pub fn setting_names<'a>(
        &'a self,
        extra: &'a [(&'static str, Value)],
    ) -> impl Iterator<Item = &'static str> + 'a {
        self.settings
            .iter()
            .map(|(name, _)| *name)
            .chain(extra.iter().map(|(name, _)| *name))
    }

    fn generated_schema(&self, extra: &[(&'static str, Value)]) -> Value {
        let mut properties = Map::new();
        for (name, schema) in self.settings {
            let schema = serde_json::from_str(schema)
                .unwrap_or_else(|e| panic!("setting {name}: schema is not JSON: {e}"));
            properties.insert(name.to_string(), schema);
        }
        for (name, schema) in extra {
            properties.insert(name.to_string(), schema.clone());
        }
        let mut schema =
            json!({"type": "object", "properties": properties, "additionalProperties": false});
        if !self.required_settings.is_empty() {
            schema["required"] = json!(self.required_settings);
        }
        schema
    }
}

/// A [`ManifestBuilder`] with the calling crate's version:
/// `manifest!("typeform", "Typeform", "Typeform form responses")`.
#[macro_export]
macro_rules! manifest {
    ($name:expr, $display_name:expr, $description:expr $(,)?) => {
        $crate::manifest::ManifestBuilder::new(
            $name,
            env!("CARGO_PKG_VERSION"),
            $display_name,
            $description,
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENTS: &[(&str, &str)] = &[("a.created", "An a was created"), ("a.deleted", "Gone")];

    const BUILDER: ManifestBuilder = crate::manifest!("vendor", "Vendor", "Vendor events")
        .docs("https://vendor.test/docs")
        .secret("Signing secret", "Settings → Webhooks")
        .events(EVENTS)
        .events_file("a.updated   Changed, from a file\n")
        .settings(&[("region", r#"{"type": "string"}"#)])
        .presets(&[("eu", "Vendor EU", "The EU region", r#"{"region":"eu"}"#)])
        .fetch_origins(&["https://keys.vendor.test"]);

    #[test]
    fn a_builder_makes_the_whole_record() {
        let m = BUILDER.build();
        assert_eq!(
            (m.name.as_str(), m.version.as_str(), m.display_name.as_str()),
            ("vendor", env!("CARGO_PKG_VERSION"), "Vendor")
        );
        assert_eq!(m.description, "Vendor events");
        assert_eq!(m.docs_url, "https://vendor.test/docs");
        assert_eq!(m.secrets.len(), 1);
        assert_eq!(
            (
                m.secrets[0].label.as_str(),
                m.secrets[0].help.as_str(),
                m.secrets[0].required
            ),
            ("Signing secret", "Settings → Webhooks", true)
        );
        let names: Vec<&str> = m.event_types.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a.created", "a.deleted", "a.updated"]);
        assert_eq!(m.event_types[2].description, "Changed, from a file");
        assert_eq!(m.event_types[1].description, "Gone");
        assert_eq!(m.presets.len(), 1);
        assert_eq!(m.presets[0].settings, r#"{"region":"eu"}"#);
        assert_eq!(m.fetch_origins, ["https://keys.vendor.test"]);
        assert_eq!(m.discriminator.location, DiscriminatorLocation::Fixed);
        assert_eq!(m.discriminator.path, "vendor");
        let schema: Value = serde_json::from_str(&m.settings_schema).unwrap();
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"region": {"type": "string"}}, "additionalProperties": false})
        );
    }

    #[test]
    fn schemes_add_settings_and_declarations_fill_the_discriminator() {
        let extra = [("tolerance_seconds", json!({"type": "integer"}))];
        let m = BUILDER.build_with(&extra, Some((DiscriminatorLocation::Body, "/type".into())));
        let schema: Value = serde_json::from_str(&m.settings_schema).unwrap();
        assert_eq!(schema["properties"]["tolerance_seconds"]["type"], "integer");
        assert_eq!(schema["properties"]["region"]["type"], "string");
        assert_eq!(
            BUILDER.setting_names(&extra).collect::<Vec<_>>(),
            ["region", "tolerance_seconds"]
        );
        assert_eq!(m.discriminator.location, DiscriminatorLocation::Body);
        assert_eq!(m.discriminator.path, "/type");
        let declared = BUILDER
            .discriminator(DiscriminatorLocation::Header, "X-Event")
            .discriminator_note("plus the action")
            .build_with(&[], Some((DiscriminatorLocation::Body, "/type".into())));
        assert_eq!(declared.discriminator.path, "X-Event");
        assert_eq!(declared.discriminator.note, "plus the action");
        let raw = BUILDER.settings_schema(r#"{"type":"object"}"#).build();
        assert_eq!(raw.settings_schema, r#"{"type":"object"}"#);
        let empty = crate::manifest!("x", "X", "x").build();
        assert_eq!(
            serde_json::from_str::<Value>(&empty.settings_schema).unwrap(),
            json!({"type": "object", "properties": {}, "additionalProperties": false})
        );
    }

    #[test]
    fn required_settings_are_in_the_generated_schema() {
        let schema = |builder: ManifestBuilder| -> Value {
            serde_json::from_str(&builder.build_with(&[], None).settings_schema).unwrap()
        };
        let base = crate::manifest!("req", "Req", "Required settings")
            .settings(&[("audience", r#"{"type": "string"}"#)]);
        assert_eq!(schema(base).get("required"), None);
        let required = schema(base.required_settings(&["audience"]));
        assert_eq!(required["required"], json!(["audience"]));
        assert_eq!(required["properties"]["audience"]["type"], "string");
    }
}
