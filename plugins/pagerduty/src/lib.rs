//! PagerDuty v3 webhooks: `X-PagerDuty-Signature` holds one or more
//! comma-separated `v1=<hex HMAC-SHA256(secret, body)>`, one per signing secret
//! of the subscription — that is PagerDuty's rotation: while two secrets are
//! live, both signatures are sent and any one matching passes (and any of the
//! source's active secrets may match). Entries of other versions are ignored;
//! no `v1` at all is `missing-signature`. PagerDuty signs no timestamp.
//!
//! The event type is `event.event_type` (`incident.triggered`), the dedup id
//! `event.id` (the same on every retry), the subject the resource's id
//! (`event.data.id`, e.g. the incident), the time `event.occurred_at`. A new
//! subscription's test delivery is a `pagey.ping` event.

use hookyard_sdk::prelude::*;

pub struct PagerDuty;

/// `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`: HMAC-SHA256 of the body, one
/// signature per active secret while PagerDuty rotates.
struct V1Signatures;

const SIGNATURE_HEADER: &str = "X-PagerDuty-Signature";

impl SigningScheme for V1Signatures {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let signatures =
            parse_signature_header(request.require_header(SIGNATURE_HEADER)?, ',', '=')
                .into_iter()
                .filter(|(version, _)| version == "v1")
                .map(|(_, hex)| hex_decode(&hex).map_err(VerifyError::Malformed))
                .collect::<Result<Vec<_>, _>>()?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!(
                "{SIGNATURE_HEADER} (v1)"
            )));
        }
        any_secret(secrets, &signatures, |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &request.body)
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let signature = hex_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &input.body));
        Ok(request.header(SIGNATURE_HEADER, format!("v1={signature}")))
    }
}

impl Declared for PagerDuty {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("pagerduty", "PagerDuty", "PagerDuty v3 webhook subscriptions: incident and service events")
            .docs("https://developer.pagerduty.com/docs/verifying-signatures")
            .secret("Signing secret", "The webhook subscription's secret. PagerDuty shows it once, when you create the subscription (Integrations → Generic Webhooks (v3) → New Webhook, in the dialog after Add Webhook) or in the API response of POST /webhook_subscriptions (delivery_method.secret). To rotate, create the new secret (POST /webhook_subscriptions/{id}/rotate_signing_secret), add it here as a second secret, then remove the old one.")
            .events_file(include_str!("../events.txt")),
        &V1Signatures,
    )
    .event_type(Field::pointer("/event/event_type"))
    .dedup_id(Field::pointer("/event/id"))
    .subject(Field::pointer("/event/data/id"))
    .time(Time::iso8601("/event/occurred_at"))
    .user_agent("PagerDuty-Webhook/V3.0");

    /// As PagerDuty sends it, with the delivery id in `X-Webhook-Id`.
    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let request = SignedRequestBuilder::from(Self::DECLARATION.sign(input)?);
        Ok(request
            .header("X-Webhook-Id", input.delivery_id.clone())
            .build())
    }
}

hookyard_sdk::export_adapter!(PagerDuty);
