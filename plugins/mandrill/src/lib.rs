//! Mandrill (Mailchimp Transactional) webhooks: message events (send, bounces,
//! opens, clicks, …), rejection list sync events and inbound messages, POSTed
//! as a form with one field, `mandrill_events`: a JSON array of up to 1,000
//! events. `X-Mandrill-Signature` is the base64 HMAC-SHA1, keyed with the
//! webhook's key, of the webhook URL exactly as configured in Mandrill
//! (scheme, host, path, query) followed by each POST field sorted by name, as
//! name then value ("Authenticating webhook requests"). Nothing is timestamped,
//! so a captured batch can be replayed (deduplication drops repeated events).
//! The URL is the one this request arrived at; when a proxy changes it, set
//! `webhook_url` to the URL you entered in Mandrill.
//!
//! What to paste: the webhook's key, Mandrill → Settings → Webhooks → the
//! webhook's "Key" column (also `auth_key` in the API's `/webhooks/info`). Each
//! webhook has its own key; to rotate, reset it in that Key column (or move to a
//! new webhook): paste the new key next to the old one, then remove the old one.
//!
//! Handshake: when a webhook is added Mandrill checks the URL with a `HEAD`
//! request (answered 200 here, nothing stored), and if that fails POSTs an
//! empty `mandrill_events=[]` signed with the public key `test-webhook`: an
//! empty batch is answered 200 and stores nothing, with that key or yours.
//!
//! Each element is an event: the type is its `event` (message and inbound
//! events) or `type` (sync events: `blacklist`, `whitelist`, with `action`
//! add/remove/change); the dedup id `<_id>:<event>:<ts>` (the message id is
//! shared by all of a message's events); the subject the message `_id`, else the
//! sync entry's `reject.email`; the time `ts` (Unix seconds). Catalog:
//! `events.txt`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json::{self, json};

pub struct Mandrill;

const HEADER: &str = "X-Mandrill-Signature";
const URL_SETTING: &str = "webhook_url";
/// The key Mandrill signs its empty URL-check batch with.
const TEST_KEY: &str = "test-webhook";

/// The URL, then each field sorted by name (then value), as name and value.
fn signed(url: &str, mut fields: Vec<(String, String)>) -> Vec<u8> {
    fields.sort();
    let pairs = fields
        .iter()
        .flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]);
    [url.as_bytes()]
        .into_iter()
        .chain(pairs)
        .collect::<Vec<_>>()
        .concat()
}

fn events_field(request: &Request) -> Option<String> {
    let mut fields = request.form().into_iter();
    fields.find(|(k, _)| k == "mandrill_events").map(|(_, v)| v)
}

fn is_check(request: &Request) -> bool {
    request.method.eq_ignore_ascii_case("HEAD")
        || events_field(request).is_some_and(|v| v.trim() == "[]")
}

struct MandrillSignature;

impl SigningScheme for MandrillSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let provided =
            [base64_decode(request.require_header(HEADER)?).map_err(VerifyError::Malformed)?];
        let url = context
            .setting_text(URL_SETTING)
            .map_err(VerifyError::Malformed)?;
        let content = signed(url.as_deref().unwrap_or(&request.url), request.form());
        let mac = |secret: &str| crypto::hmac_sha1(secret.as_bytes(), &content);
        if is_check(request) && any_secret(&[TEST_KEY.into()], &provided, mac).is_ok() {
            return Ok(());
        }
        any_secret(secrets, &provided, mac)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let url = input
            .setting_text(URL_SETTING)?
            .unwrap_or_else(|| input.url.clone());
        let mac = crypto::hmac_sha1(
            input.secret.as_bytes(),
            &signed(&url, form_pairs(&input.body)),
        );
        Ok(request.header(HEADER, base64_encode(&mac)))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        let about = "The webhook URL exactly as entered in Mandrill, when Hookyard sees another one (a proxy); else the request's URL";
        vec![(URL_SETTING, json!({"type": "string", "description": about}))]
    }
}

impl Declared for Mandrill {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("mandrill", "Mandrill", "Mailchimp Transactional (Mandrill) message events, rejection list sync events and inbound messages")
            .docs("https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/")
            .secret("Webhook key", "The webhook's key: Mandrill → Settings → Webhooks, the Key column of your webhook (each webhook has its own). Enter this source's URL as the webhook's \"Post To URL\" exactly as Hookyard shows it.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Body, "mandrill_events/*/event")
            .discriminator_note("form field mandrill_events (a JSON array): each element's event, else its type (sync events)"),
        &MandrillSignature,
    )
    .each("")
    .event_type(Field::first(&[Field::pointer("/event"), Field::pointer("/type")]))
    .dedup_id(Field::joined(&[Field::pointer("/_id"), Field::pointer("/event"), Field::pointer("/ts")], ":"))
    .subject(Field::first(&[Field::pointer("/_id"), Field::pointer("/reject/email")]))
    .time(Time::unix_seconds("/ts"))
    .content_type("application/x-www-form-urlencoded")
    .user_agent("Mandrill-Webhook/1.0");

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        context.require_secrets()?;
        match request.method.eq_ignore_ascii_case("HEAD") {
            true => Ok(()), // The URL check is unsigned and answered with nothing.
            false => Self::DECLARATION.verify(request, context),
        }
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        if is_check(request) {
            let headers = vec![Header {
                name: "Content-Type".into(),
                value: "text/plain".into(),
            }];
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers,
                body: Vec::new(),
            }));
        }
        let events = events_field(request)
            .ok_or_else(|| HandleError::Malformed("no mandrill_events field".into()))?;
        let events: Value = serde_json::from_str(&events)
            .map_err(|e| HandleError::Malformed(format!("mandrill_events is not JSON: {e}")))?;
        let settings = context
            .settings::<Value>()
            .map_err(HandleError::Malformed)?;
        Ok(Outcome::Events(
            Self::DECLARATION
                .mapping
                .events_with(request, &events, &settings)?,
        ))
    }
}

hookyard_sdk::export_adapter!(Mandrill);
