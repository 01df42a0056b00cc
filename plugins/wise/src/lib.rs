//! Wise webhooks: `X-Signature-SHA256: <base64 RSA-SHA256 (PKCS#1 v1.5)
//! signature of the raw body>`, made with Wise's private key and checked with
//! the public key Wise publishes (Wise docs, Webhooks → "Event handling" →
//! requests; Wise's digital-signatures-examples). No timestamp is signed and
//! there is no handshake; a test notification sent while you create the
//! subscription carries `X-Test-Notification: true` and is signed too.
//!
//! Paste Wise's public key for the environment: the production key for
//! api.wise.com subscriptions, the sandbox key for the sandbox, both printed
//! in Wise's webhook docs, as PEM or as the bare base64 lines the docs show.
//! Should Wise announce a new key, paste it next to the old one until the
//! change. Wise holds the private key, so this adapter cannot sign
//! (`hookyard send` cannot make a Wise delivery).
//!
//! The body is `{data, subscription_id, event_type, schema_version,
//! sent_at}`: the event type is `event_type` (`transfers#state-change`), the
//! subject the resource in `data.resource.id` (else `data.transfer_id`), the
//! time `data.occurred_at` (else `sent_at`). Wise sends no event id (its
//! `X-Delivery-Id` changes with every attempt), so events are deduplicated
//! on the body. Catalog: `events.txt`.

use hookyard_sdk::crypto::{Digest, RsaPadding};
use hookyard_sdk::prelude::*;

pub struct Wise;

const SIGNATURE: &str = "X-Signature-SHA256";

/// RSA-SHA256 over the body with Wise's public key (any pasted key).
struct WiseSignature;

/// A pasted key as DER or PEM bytes: PEM as it is, else the base64 body of
/// the key (the docs' form, line breaks and spaces allowed).
fn public_key(secret: &str) -> Option<Vec<u8>> {
    if secret.contains("-----BEGIN") {
        return Some(secret.as_bytes().to_vec());
    }
    let compact: String = secret.split_whitespace().collect();
    base64_decode(&compact).ok()
}

impl SigningScheme for WiseSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let keys: Vec<Vec<u8>> = context
            .require_secrets()?
            .iter()
            .filter_map(|s| public_key(s))
            .collect();
        if keys.is_empty() {
            return Err(VerifyError::Unauthorized(
                "no secret is a public key (PEM or base64)".into(),
            ));
        }
        let signature = base64_decode(request.require_header(SIGNATURE)?.trim())
            .map_err(VerifyError::Malformed)?;
        let valid = keys.iter().any(|key| {
            crypto::rsa_verify(
                RsaPadding::Pkcs1v15,
                Digest::Sha256,
                key,
                &request.body,
                &signature,
            )
        });
        if valid {
            Ok(())
        } else {
            Err(VerifyError::BadSignature)
        }
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("Wise signs with its private key and the source holds Wise's public key; the host cannot sign Wise deliveries".into())
    }
}

impl Declared for Wise {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("wise", "Wise", "Wise Platform transfer, balance, profile, card, dispute and KYC events")
            .docs("https://docs.wise.com/guides/developer/webhooks/event-handling")
            .secret("Wise public key", "Wise's public key for your environment (production or sandbox), as printed in Wise's webhook docs (Webhooks → Event handling): PEM or the bare base64 lines. Not a secret of yours: Wise signs with its private key.")
            .events_file(include_str!("../events.txt")),
        &WiseSignature,
    )
    .event_type(Field::pointer("/event_type"))
    .subject(Field::first(&[
        Field::pointer("/data/resource/id"),
        Field::pointer("/data/transfer_id"),
    ]))
    .time(Time::first(&[
        Time::rfc3339("/data/occurred_at"),
        Time::rfc3339("/sent_at"),
    ]));
}

hookyard_sdk::export_adapter!(Wise);
