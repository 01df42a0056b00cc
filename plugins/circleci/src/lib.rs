//! CircleCI outbound webhooks: `circleci-signature: v1=<hex HMAC-SHA256(secret,
//! raw body)>`, a comma-separated list of versioned signatures of which `v1`
//! is the only one defined (circleci.com/docs/guides/integration/outbound-webhooks,
//! "Validate webhooks": split the header on `,` and `=`, take `v1`).
//!
//! What to paste: the webhook's "Secret token", the value you typed when
//! adding the webhook (Project Settings → Webhooks → Add Webhook, or the
//! `signing-secret` of the Webhooks API). Rotating: edit the webhook's secret
//! after adding the new one here, then remove the old one. CircleCI signs no
//! timestamp and there is no handshake (the "Test Ping Event" is an ordinary
//! signed delivery of type `ping` with an abbreviated body and no project).
//!
//! The event type is the body's `type` (`workflow-completed`, also sent as
//! `circleci-event-type`), the dedup id its `id` (kept on retries), the
//! subject the project's slug (`gh/acme/app`), the time `happened_at`.

use hookyard_sdk::prelude::*;

const HEADER: &str = "circleci-signature";

/// Any `v1` of the header is the hex HMAC-SHA256 of the body (other versions ignored).
pub struct CircleCiSignature;

impl SigningScheme for CircleCiSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let signatures = parse_signature_header(request.require_header(HEADER)?, ',', '=')
            .into_iter()
            .filter(|(version, _)| version == "v1")
            .map(|(_, signature)| hex_decode(&signature))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!("{HEADER} has no v1")));
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
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), &input.body);
        Ok(request.header(HEADER, format!("v1={}", hex_encode(&mac))))
    }
}

pub struct CircleCi;

impl Declared for CircleCi {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("circleci", "CircleCI", "CircleCI workflow and job completion events")
            .docs("https://circleci.com/docs/guides/integration/outbound-webhooks/")
            .secret("Secret token", "The secret token you typed when adding the webhook (Project Settings → Webhooks), or the Webhooks API's `signing-secret`. Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &CircleCiSignature,
    )
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/project/slug"))
    .time(Time::rfc3339("/happened_at"))
    .user_agent("CircleCI-Webhook/1.0");
}

hookyard_sdk::export_adapter!(CircleCi);
