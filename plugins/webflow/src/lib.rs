//! Webflow webhooks: `x-webflow-timestamp: <Unix milliseconds>` and
//! `x-webflow-signature: <hex HMAC-SHA256(secret, "{timestamp}:{raw body}")>`
//! (Webflow's "Verifying requests"; webflow-api's `webhooks.verifySignature`).
//! Webflow asks for a timestamp within 5 minutes of the clock; so does this
//! adapter (the SDK itself checks none).
//!
//! Paste the secret Webflow signs with: for webhooks created by an OAuth
//! application (the ones Webflow's docs say carry signatures), the app's
//! Client Secret — Webflow → Workspace settings → Apps & Integrations →
//! Develop → your app → Client secret. Webhooks created with a site API token
//! or in the site dashboard may carry no signature: they are refused
//! (`missing-signature`). There is no handshake.
//!
//! The body is `{triggerType, payload}`: the event type is `triggerType`, the
//! subject the payload's `id` (else `siteId`), the time its `submittedAt`,
//! `publishedOn` or `lastUpdated`. Webflow sends no event id, so deliveries
//! are deduplicated on the body's hash. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Webflow;

const SIGNATURE: &str = "x-webflow-signature";
const TIMESTAMP: &str = "x-webflow-timestamp";

fn message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    [format!("{timestamp}:").as_bytes(), body].concat()
}

struct WebflowSignature;

impl SigningScheme for WebflowSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, 300)?;
        let signature =
            hex_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let millis: i64 = Some(timestamp)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| {
                VerifyError::Malformed(format!("{TIMESTAMP} is not Unix milliseconds"))
            })?;
        let signed = message(timestamp, &request.body);
        any_secret(secrets, &[signature], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &signed)
        })?;
        check_timestamp_ms(millis, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = input.now_ms.to_string();
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), &message(&timestamp, &input.body));
        Ok(request
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, hex_encode(&mac)))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            300,
            "Largest accepted difference, in seconds and in either direction, between x-webflow-timestamp and the host clock; default 300 (Webflow's 5 minutes)",
        )]
    }
}

impl Declared for Webflow {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("webflow", "Webflow", "Webflow site webhooks: form submissions, publishes, pages, CMS items, e-commerce orders and comments")
            .docs("https://developers.webflow.com/data/docs/working-with-webhooks")
            .secret("Client secret", "The secret Webflow signs with: your OAuth app's Client Secret (Workspace settings → Apps & Integrations → Develop → the app). Webhooks created with a site API token may carry no signature.")
            .events_file(include_str!("../events.txt")),
        &WebflowSignature,
    )
    .event_type(Field::pointer("/triggerType"))
    .subject(Field::first(&[Field::pointer("/payload/id"), Field::pointer("/payload/siteId")]))
    .time(Time::first(&[
        Time::rfc3339("/payload/submittedAt"),
        Time::rfc3339("/payload/publishedOn"),
        Time::rfc3339("/payload/lastUpdated"),
    ]));
}

hookyard_sdk::export_adapter!(Webflow);
