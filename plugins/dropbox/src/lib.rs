//! Dropbox webhooks: `X-Dropbox-Signature` is the hex HMAC-SHA256 of the raw
//! body keyed with the app secret. Dropbox signs no timestamp and sends no
//! delivery id: a notification only says *which* accounts changed
//! (`{"list_folder":{"accounts":["dbid:…"]},"delta":{"users":[…]}}`), and the
//! app then calls `files/list_folder/continue`, so duplicates are harmless and
//! the host deduplicates on the body hash. The event type is `list_folder`
//! (`delta`, the v1 field, when it is the only one); the subject is the account
//! when exactly one changed. The handshake is a `GET ?challenge=…` when the
//! webhook URI is added in the App Console: it is unsigned and is answered by
//! echoing the challenge as `text/plain` with `X-Content-Type-Options: nosniff`
//! (Dropbox's advice against reflected XSS), but only on a source with a
//! secret configured (fail closed). Dropbox apps have a single app secret with
//! no rotation; a new secret means a new app, so two active secrets are only
//! useful while moving between apps.

use hookyard_sdk::prelude::*;

pub struct Dropbox;

const HEADER: &str = "X-Dropbox-Signature";

/// The top-level fields of a notification, in the order they name the event.
const TYPES: &[(&str, &str)] = &[
    (
        "list_folder",
        "Files changed in the listed accounts (/list_folder/accounts); call files/list_folder/continue",
    ),
    (
        "delta",
        "Files changed for the listed users (/delta/users, API v1 user ids)",
    ),
];

fn challenge(request: &Request) -> Option<String> {
    if request.method.eq_ignore_ascii_case("GET") {
        request.query_param("challenge")
    } else {
        None
    }
}

const SIGNATURE: BodyHmac = BodyHmac::new(HEADER, Hmac::Sha256, Encoding::Hex);

impl Adapter for Dropbox {
    fn manifest() -> Manifest {
        Manifest {
            name: "dropbox".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Dropbox".into(),
            description: "Dropbox file-change notifications for the accounts linked to your app".into(),
            docs_url: "https://www.dropbox.com/developers/reference/webhooks".into(),
            secrets: vec![SecretSpec {
                label: "App secret".into(),
                help: "The app's \"App secret\": Dropbox App Console (dropbox.com/developers/apps) → your app → Settings, next to the App key (click Show). Add this source's URL under Webhooks on the same page.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: TYPES
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/list_folder".into(),
                note: "list_folder when present, else delta (the legacy v1 field)".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        if challenge(&request).is_some() {
            // The verification GET is unsigned; echoing it is harmless.
            return Ok(());
        }
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        if let Some(challenge) = challenge(&request) {
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers: vec![
                    Header {
                        name: "Content-Type".into(),
                        value: "text/plain".into(),
                    },
                    Header {
                        name: "X-Content-Type-Options".into(),
                        value: "nosniff".into(),
                    },
                ],
                body: challenge.into_bytes(),
            }));
        }
        let body = request.json()?;
        let event_type = TYPES
            .iter()
            .map(|(name, _)| *name)
            .find(|name| body.get(name).is_some())
            .ok_or_else(|| {
                HandleError::Malformed("notification has neither list_folder nor delta".into())
            })?;
        let accounts = body
            .pointer("/list_folder/accounts")
            .and_then(Value::as_array);
        let subject = match accounts.map(Vec::as_slice) {
            Some([only]) => only.as_str().map(str::to_string),
            _ => None,
        };
        Ok(Outcome::Events(vec![Event {
            event_type: event_type.to_string(),
            dedup_id: None,
            occurred_at: None,
            subject,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: HEADER.into(),
                    value: signature,
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Dropbox);
