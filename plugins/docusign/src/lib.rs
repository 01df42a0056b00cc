//! DocuSign Connect webhooks with HMAC: one `X-DocuSign-Signature-<n>` header
//! per active Connect HMAC key (up to 100), each the base64 HMAC-SHA256 of the
//! raw body keyed with that key as text (DocuSign developer center, "HMAC
//! security"; `X-Authorization-Digest: HMACSHA256`). Any header matching any
//! secret passes. No timestamp is signed.
//!
//! Setup: eSignature Settings → Connect → your configuration (JSON SIM event
//! model, "Include HMAC Signature") and Connect Keys → Add Secret Key. Paste
//! the key as shown (a base64 text used as is, not decoded; copy the trailing
//! `=` too). To rotate, add a second key in DocuSign (both sign every message)
//! and here, then delete the old one in both places.
//!
//! Events: the type is `event` (`envelope-completed`), the subject the
//! envelope (`data.envelopeId`, else a template or clickwrap id), the time
//! `generatedDateTime`. DocuSign sends no event id and a retry changes
//! `retryCount` in the body, so the dedup id is the configuration, event,
//! envelope, recipient and `generatedDateTime` joined. No handshake.
//!
//! Catalog: the 26 events of the JSON SIM model (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct DocuSign;

const PREFIX: &str = "x-docusign-signature-";

struct ConnectHmac;

/// `X-DocuSign-Signature-<digits>`, any case.
fn is_signature_header(name: &str) -> bool {
    let number = match name.get(..PREFIX.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(PREFIX) => &name[PREFIX.len()..],
        _ => return false,
    };
    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
}

impl SigningScheme for ConnectHmac {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let signatures = request
            .headers
            .iter()
            .filter(|h| is_signature_header(&h.name))
            .map(|h| base64_decode(h.value.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(
                "X-DocuSign-Signature-1".into(),
            ));
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
        let signature = base64_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &input.body));
        Ok(request.header("X-DocuSign-Signature-1", signature))
    }
}

impl Declared for DocuSign {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("docusign", "DocuSign", "DocuSign Connect envelope, recipient, template and Click events")
            .docs("https://developers.docusign.com/platform/webhooks/connect/hmac/")
            .secret("Connect HMAC key", "eSignature Settings → Connect → Connect Keys → Add Secret Key (shown once; copy it whole, trailing = included). Enable \"Include HMAC Signature\" on the Connect configuration. Paste the key as shown.")
            .events_file(include_str!("../events.txt")),
        &ConnectHmac,
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::joined(
        &[
            Field::pointer("/configurationId"),
            Field::pointer("/event"),
            Field::pointer("/data/envelopeId"),
            Field::pointer("/data/recipientId"),
            Field::pointer("/generatedDateTime"),
        ],
        ":",
    ))
    .subject(Field::first(&[Field::pointer("/data/envelopeId"), Field::pointer("/data/templateId"), Field::pointer("/data/clickwrapId")]))
    .time(Time::rfc3339("/generatedDateTime"))
    .sign_headers(&[("X-Authorization-Digest", "HMACSHA256")]);
}

hookyard_sdk::export_adapter!(DocuSign);
