//! Zoom webhooks: `x-zm-signature: v0=<hex HMAC-SHA256(secret token,
//! "v0:{x-zm-request-timestamp}:{raw body}")>`, the timestamp within 300 s of
//! the host clock (`tolerance_seconds`). Zoom's docs do not state the header's
//! unit (unconfirmed: its samples and Rivet treat it as an opaque number);
//! Unix seconds are assumed and a millisecond value is accepted too. The event type is
//! the body's `event` (`meeting.started`), `occurred_at` its `event_ts` (ms), the
//! subject `payload.object.id` (the meeting, webinar, user ... id). Zoom sends no
//! delivery id; its retries repeat the body, which the host deduplicates on.
//! The handshake is `endpoint.url_validation` (on setup, and again every 72 h):
//! it is signed like any event and answered with `{"plainToken": …,
//! "encryptedToken": hex HMAC-SHA256(secret token, plainToken)}`, keyed with
//! the active secret that signed the request. To rotate, regenerate the Secret
//! Token in the app's Feature → Access page, add it as a second secret, then
//! remove the old one once Zoom revalidates the endpoint.

use hookyard_sdk::prelude::*;

pub struct Zoom;

const SIGNATURE: &str = "x-zm-signature";
const TIMESTAMP: &str = "x-zm-request-timestamp";

impl Declared for Zoom {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("zoom", "Zoom", "Zoom Meetings, Webinars, Phone and account event subscriptions")
            .docs("https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events")
            .secret("Secret Token", "The app's Secret Token: Zoom App Marketplace (marketplace.zoom.us) → Manage → your app → Features → Access (\"Secret Token\", click Copy). It is not the Client Secret nor the deprecated Verification Token.")
            .events_file(include_str!("../events.txt")),
        // Zoom documents the timestamp without its unit; its samples use seconds.
        &Scheme::slack_like(SIGNATURE, TIMESTAMP).millis_too().tolerance_note("Largest accepted difference, in seconds and in either direction, between x-zm-request-timestamp (Unix seconds; milliseconds are accepted too) and the host clock; default 300"),
    )
    .event_type(Field::pointer("/event"))
    .subject(Field::pointer("/payload/object/id"))
    .time(Time::unix_millis("/event_ts"))
    .content_type("application/json; charset=utf-8")
    .user_agent("Zoom Marketplace/1.0a");

    /// The URL validation (CRC) handshake, before the declared events.
    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        match json_string(&body, "/event").as_deref() {
            Some("endpoint.url_validation") => url_validation(request, context, &body),
            _ => Ok(Outcome::Events(
                Self::DECLARATION.mapping.events_in(request, &body)?,
            )),
        }
    }
}

/// Answers the CRC with the plain token hashed by the secret that signed it.
fn url_validation(
    request: &Request,
    context: &Context,
    body: &Value,
) -> Result<Outcome, HandleError> {
    let plain = json_string(body, "/payload/plainToken")
        .ok_or_else(|| HandleError::Malformed("url_validation has no payload.plainToken".into()))?;
    let signature = request.header(SIGNATURE).unwrap_or_default();
    let provided = hex_decode(signature.trim_start_matches("v0=")).unwrap_or_default();
    let mut base = format!("v0:{}:", request.header(TIMESTAMP).unwrap_or_default()).into_bytes();
    base.extend_from_slice(&request.body);
    let signed = |secret: &&String| {
        crypto::constant_time_eq(&crypto::hmac_sha256(secret.as_bytes(), &base), &provided)
    };
    let secret = context
        .secrets
        .iter()
        .find(signed)
        .or(context.secrets.first());
    let secret = secret.ok_or_else(|| HandleError::Other("no secret configured".into()))?;
    let encrypted = hex_encode(&crypto::hmac_sha256(secret.as_bytes(), plain.as_bytes()));
    Ok(Outcome::Respond(DirectResponse {
        status: 200,
        headers: vec![Header {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }],
        body: json!({"plainToken": plain, "encryptedToken": encrypted})
            .to_string()
            .into_bytes(),
    }))
}

hookyard_sdk::export_adapter!(Zoom);
