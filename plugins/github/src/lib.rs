//! GitHub webhooks: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`.
//!
//! The event type is the `X-GitHub-Event` header, refined by the body's
//! `action` when it has one (`pull_request.opened`); the dedup id is
//! `X-GitHub-Delivery`, which GitHub keeps for manual redeliveries. GitHub signs
//! no timestamp, so replay protection rests on the delivery id. The legacy
//! SHA-1 header is accepted only when the SHA-256 one is absent.
//!
//! A webhook's "Content type" is `application/json` or, GitHub's default,
//! `application/x-www-form-urlencoded`: then the body is `payload=` and the
//! URL-encoded JSON. Both are accepted (the signature covers the raw body
//! either way), and the event's data is the same JSON.

use hookyard_sdk::prelude::*;

pub struct GitHub;

const SHA256: BodyHmac =
    BodyHmac::new("X-Hub-Signature-256", Hmac::Sha256, Encoding::Hex).prefixed("sha256=");
const SHA1: BodyHmac =
    BodyHmac::new("X-Hub-Signature", Hmac::Sha1, Encoding::Hex).prefixed("sha1=");

/// `X-Hub-Signature-256`, or the legacy SHA-1 header when it is absent.
struct HubSignature;

impl SigningScheme for HubSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        if request.header(SHA256.header).is_some() {
            SHA256.verify(request, secrets)
        } else if request.header(SHA1.header).is_some() {
            SHA1.verify(request, secrets)
        } else {
            Err(VerifyError::MissingSignature(SHA256.header.into()))
        }
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(SHA256.header, SHA256.sign(&input.secret, &input.body)))
    }
}

impl Declared for GitHub {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("github", "GitHub", "Repository, organization and GitHub App webhooks")
            .docs("https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries")
            .secret("Webhook secret", "The \"Secret\" you typed in the webhook's settings (repository or organization Settings → Webhooks, or your GitHub App's settings).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("plus \".\" and the body's action when present, e.g. pull_request.opened"),
        &HubSignature,
    )
    .event_type(Field::joined(&[Field::header("X-GitHub-Event"), Field::pointer("/action")], "."))
    .dedup_id(Field::header("X-GitHub-Delivery"))
    .subject(Field::pointer("/repository/full_name"))
    .user_agent("GitHub-Hookshot/hookyard");

    /// The payload (the body, or its `payload` form field) is what is mapped
    /// and stored.
    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let json = payload(request)?;
        // Valid JSON (the mapping parses it) that starts with `{` is an object.
        if !json.trim_start().starts_with('{') {
            return Err(HandleError::Malformed(
                "the payload is not a JSON object".into(),
            ));
        }
        let request = Request {
            body: json.into_bytes(),
            ..request.clone()
        };
        Self::DECLARATION.handle(&request)
    }

    /// `event_type` is the type as stored (`pull_request.opened`): the
    /// header gets the event (`pull_request`), and an action after the dot
    /// must be the body's. Without it, only a `ping` body (it has `zen`) can
    /// be signed: GitHub's event name is not in the body.
    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("the body is not JSON: {e}"))?;
        let event_type = match input.event_type.as_deref() {
            Some(event_type) => {
                let action = event_type.split_once('.').map(|(_, action)| action);
                let body_action = json_string(&body, "/action");
                if let Some(action) = action
                    && body_action.as_deref() != Some(action)
                {
                    return Err(format!(
                        "--event {event_type}: the body's action is {}, not {action:?} (GitHub's type is the X-GitHub-Event header, then the body's action)",
                        body_action.map_or("missing".into(), |a| format!("{a:?}"))
                    ));
                }
                event_type.to_string()
            }
            None if body.get("zen").is_some() => "ping".into(),
            None => {
                return Err("GitHub sends the event in the X-GitHub-Event header: pass the event type, e.g. --event pull_request.opened or --event push".into());
            }
        };
        Self::DECLARATION.sign(&SignInput {
            event_type: Some(event_type),
            ..input.clone()
        })
    }
}

/// The JSON of a delivery: the body itself, or the `payload` field of a form
/// body (the webhook's content type `application/x-www-form-urlencoded`).
fn payload(request: &Request) -> Result<String, HandleError> {
    let form = request.header("Content-Type").is_some_and(|t| {
        t.trim()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if form {
        return request
            .form()
            .into_iter()
            .find(|(name, _)| name == "payload")
            .map(|(_, json)| json)
            .ok_or_else(|| {
                HandleError::Malformed(
                    "a form body (Content-Type application/x-www-form-urlencoded) without a payload field".into(),
                )
            });
    }
    String::from_utf8(request.body.clone()).map_err(|_| {
        HandleError::Malformed(
            "the body is not UTF-8 JSON (GitHub sends JSON, or a payload= form when the webhook's content type is application/x-www-form-urlencoded)".into(),
        )
    })
}

hookyard_sdk::export_adapter!(GitHub);
