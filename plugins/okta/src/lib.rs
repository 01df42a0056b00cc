//! Okta event hooks: Okta signs nothing; every request, including the one-time
//! verification, carries the header configured on the hook ("Authentication
//! field", `Authorization` by default) with the configured "Authentication
//! secret", compared with the active secrets in constant time (a mismatch is
//! `unauthorized`). The verification is a `GET` with
//! `X-Okta-Verification-Challenge`, answered 200 `{"verification": value}`.
//! Deliveries are `POST`s whose `data.events[]` each become an event typed by
//! its `eventType` (`user.session.start`, ...), deduplicated on its `uuid`
//! (Okta delivers at least once), occurring at `published`, about its first
//! target's `alternateId` (else the actor's). The body is not signed, so keep
//! the hook on HTTPS. To rotate, add the new value as a second secret, update
//! the hook's authentication secret in Okta, then remove the old one.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Okta;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The hook's "Authentication field": the header carrying the secret.
    #[serde(default = "default_header")]
    header: String,
}

fn default_header() -> String {
    "Authorization".into()
}

const CHALLENGE: &str = "X-Okta-Verification-Challenge";

const EVENTS: &[(&str, &str)] = &[
    ("user.session.start", "A user signed in"),
    ("user.session.end", "A user signed out"),
    (
        "user.authentication.auth_via_mfa",
        "A user authenticated with a factor",
    ),
    ("user.lifecycle.create", "A user was created"),
    ("user.lifecycle.activate", "A user was activated"),
    ("user.lifecycle.deactivate", "A user was deactivated"),
    ("user.lifecycle.suspend", "A user was suspended"),
    ("user.lifecycle.delete.initiated", "A user deletion started"),
    ("user.account.lock", "A user account was locked"),
    (
        "user.account.update_password",
        "A user's password was changed",
    ),
    ("user.mfa.factor.activate", "A user enrolled a factor"),
    ("group.user_membership.add", "A user was added to a group"),
    (
        "group.user_membership.remove",
        "A user was removed from a group",
    ),
    (
        "application.user_membership.add",
        "A user was assigned to an app",
    ),
    (
        "application.user_membership.remove",
        "A user was unassigned from an app",
    ),
    (
        "application.lifecycle.create",
        "An app integration was created",
    ),
    ("policy.lifecycle.update", "A policy was updated"),
    ("system.api_token.create", "An API token was created"),
];

impl Adapter for Okta {
    fn manifest() -> Manifest {
        Manifest {
            name: "okta".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Okta".into(),
            description: "Okta event hooks: System Log events pushed as they happen".into(),
            docs_url: "https://developer.okta.com/docs/concepts/event-hooks/".into(),
            secrets: vec![SecretSpec {
                label: "Authentication secret".into(),
                help: "The value you enter as \"Authentication secret\" when creating the event hook (Okta Admin Console → Workflow → Event Hooks → Create Event Hook; or the hook's channel.config.authScheme.value in the Event Hooks API), exactly as Okta sends it, including any \"Bearer \" prefix you typed. Okta never shows it again. Set the header setting if you changed \"Authentication field\" from Authorization.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "header": {
                        "type": "string",
                        "minLength": 1,
                        "default": "Authorization",
                        "description": "The hook's Authentication field: the header that carries the secret"
                    }
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/data/events/*/eventType".into(),
                note: "one event per data.events[] element".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let token = request.require_header(&settings.header)?;
        let secrets: Vec<&str> = secrets.iter().map(|s| s.trim()).collect();
        token_matches_any(&secrets, token)
            .map_err(|_| VerifyError::Unauthorized(format!("{} does not match", settings.header)))
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        if let Some(challenge) = request.header(CHALLENGE) {
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                body: json!({ "verification": challenge })
                    .to_string()
                    .into_bytes(),
            }));
        }
        let body = request.json()?;
        let items = body
            .pointer("/data/events")
            .and_then(Value::as_array)
            .ok_or_else(|| HandleError::Malformed("no data.events array".into()))?;
        items
            .iter()
            .map(|item| {
                Ok(Event {
                    event_type: json_string(item, "/eventType").ok_or_else(|| {
                        HandleError::Malformed("an event has no eventType".into())
                    })?,
                    dedup_id: json_string(item, "/uuid"),
                    occurred_at: json_string(item, "/published")
                        .as_deref()
                        .and_then(rfc3339_to_ms),
                    subject: json_string(item, "/target/0/alternateId")
                        .or_else(|| json_string(item, "/actor/alternateId")),
                    data: item.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Outcome::Events)
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings: Settings = input.settings()?;
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: "User-Agent".into(),
                    value: "Okta-Integrations".into(),
                },
                Header {
                    name: "X-Okta-Request-Id".into(),
                    value: input.delivery_id,
                },
                Header {
                    name: settings.header,
                    value: input.secret,
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Okta);
