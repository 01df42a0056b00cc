//! S3 bucket notifications (MinIO, RustFS and other S3-compatible stores
//! posting AWS-style event records). Nothing is signed: the secret travels
//! either as `Authorization: Bearer <t>` (MinIO's webhook `auth_token`; a token
//! configured with its own scheme, e.g. `Token <t>`, is compared whole) or as
//! the query parameter `?secret=` (common with RustFS). Either one matching an
//! active secret passes (compared in constant time); a wrong one is
//! `unauthorized`, neither present `missing-signature`. Rotation: add the new
//! secret, reconfigure the store, remove the old one.
//!
//! One request may carry several `Records`; each becomes one event. The type
//! is `Records[].eventName` in MinIO's `s3:`-prefixed form: AWS writes
//! `ObjectCreated:Put`, MinIO `s3:ObjectCreated:Put`, and both are stored as
//! `s3:ObjectCreated:Put` so one route matches every store. The object key
//! arrives URL-encoded (`+` for spaces) and is decoded. The dedup id is
//! `eventName:bucket/key@sequencer` — S3's sequencer orders and identifies the
//! operations on one key, and the event name keeps two kinds of event on the
//! same key apart (MinIO derives its sequencer from the event time); without a
//! sequencer it is `eventName:bucket/key@eventTime/eTag`. The subject is
//! `bucket/key`, or with the setting `subject_pattern` (a regex applied to the
//! decoded key, e.g. `pipelines/(?P<slug>[^/]+)/raw/`) the text of the named
//! group `subject_group` (default: the pattern's first named group); a key
//! that does not match has no subject. An invalid pattern, or one without a
//! named group, is a settings error (`malformed`), never a panic. AWS's
//! `s3:TestEvent` (no records) becomes one `s3:TestEvent` event.

use hookyard_sdk::prelude::*;
use regex_lite::Regex;
use serde::Deserialize;

pub struct S3;

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    subject_pattern: Option<String>,
    subject_group: Option<String>,
}

/// The compiled subject rule: a regex and the name of the group to take.
struct SubjectRule {
    regex: Regex,
    group: String,
}

impl Settings {
    fn load(context: &Context) -> Result<Option<SubjectRule>, String> {
        let settings: Settings = context.settings()?;
        let Some(pattern) = settings.subject_pattern.filter(|p| !p.is_empty()) else {
            if settings.subject_group.is_some() {
                return Err("subject_group needs subject_pattern".into());
            }
            return Ok(None);
        };
        let regex = Regex::new(&pattern)
            .map_err(|e| format!("subject_pattern is not a valid regex: {e}"))?;
        let names: Vec<&str> = regex.capture_names().flatten().collect();
        let group = match settings.subject_group {
            Some(group) if names.contains(&group.as_str()) => group,
            Some(group) => {
                return Err(format!("subject_pattern has no group named {group:?}"));
            }
            None => names
                .first()
                .map(|n| n.to_string())
                .ok_or("subject_pattern needs a named group, e.g. (?P<slug>[^/]+)")?,
        };
        Ok(Some(SubjectRule { regex, group }))
    }
}

use hookyard_sdk::s3::EVENT_TYPES;

pub use hookyard_sdk::s3::{decode_key, normalize_event_name};

fn record_event(record: &Value, rule: Option<&SubjectRule>) -> Result<Event, HandleError> {
    hookyard_sdk::s3::record_event(record, |bucket, key| match rule {
        None => Some(format!("{bucket}/{key}")),
        Some(rule) => rule
            .regex
            .captures(key)
            .and_then(|c| c.name(&rule.group))
            .map(|m| m.as_str().to_string()),
    })
}

fn preset(name: &str, display_name: &str, description: &str) -> Preset {
    Preset {
        name: name.into(),
        display_name: display_name.into(),
        description: description.into(),
        settings: "{}".into(),
    }
}

impl Adapter for S3 {
    fn manifest() -> Manifest {
        Manifest {
            name: "s3".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "S3 bucket notifications".into(),
            description: "Bucket event notifications from S3-compatible object stores (MinIO, RustFS, AWS-style records)".into(),
            docs_url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html".into(),
            secrets: vec![SecretSpec {
                label: "Shared secret".into(),
                help: "A long random token you choose. MinIO: set it as the webhook target's auth_token (mc admin config set ALIAS notify_webhook:NAME endpoint=… auth_token=<token>; MinIO sends Authorization: Bearer <token>). RustFS and other stores: append ?secret=<token> to the webhook URL, or set it as the bearer/auth token if the store offers one.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "subject_pattern": {"type": "string", "description": "A regex applied to the decoded object key; the named group becomes the event's subject, e.g. pipelines/(?P<slug>[^/]+)/raw/"},
                    "subject_group": {"type": "string", "description": "Which named group of subject_pattern to use (default: the first)"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENT_TYPES),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/Records/*/eventName".into(),
                note: "one event per record; AWS names (ObjectCreated:Put) get MinIO's s3: prefix".into(),
            },
            presets: vec![
                preset("s3", "S3-compatible store", "Any store posting AWS-style S3 event records; secret as Bearer token or ?secret="),
                preset("minio", "MinIO", "MinIO bucket notifications to a webhook target (auth_token sent as Bearer)"),
                preset("rustfs", "RustFS", "RustFS bucket notifications (MinIO-compatible records; secret usually as ?secret= in the URL)"),
            ],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        Settings::load(&context).map_err(VerifyError::Malformed)?;
        let mut provided = Vec::new();
        if let Some(token) = request.query_param("secret").filter(|t| !t.is_empty()) {
            provided.push(token);
        }
        if let Some(value) = request
            .header("Authorization")
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            provided.push(bearer_token(value).unwrap_or(value).to_string());
        }
        if provided.is_empty() {
            return Err(VerifyError::MissingSignature(
                "Authorization: Bearer or ?secret=".into(),
            ));
        }
        // Check every token presented: which one matched must not show in timing.
        let matched = provided.iter().fold(false, |matched, token| {
            matched | token_matches_any(secrets, token).is_ok()
        });
        if matched {
            Ok(())
        } else {
            Err(VerifyError::Unauthorized("secret does not match".into()))
        }
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let rule = Settings::load(&context).map_err(HandleError::Malformed)?;
        let body = request.json()?;
        let events = match hookyard_sdk::s3::records(&body) {
            Some(records) => records
                .iter()
                .map(|record| record_event(record, rule.as_ref()))
                .collect::<Result<Vec<_>, _>>()?,
            None => match hookyard_sdk::s3::test_event(&body) {
                Some(event) => vec![event],
                None => return Err(HandleError::Malformed("no Records".into())),
            },
        };
        Ok(Outcome::Events(events))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: "Authorization".into(),
                    value: format!("Bearer {}", input.secret),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(S3);
