//! Sentry integration platform webhooks (internal and public integrations):
//! `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the raw body keyed with
//! the integration's client secret. Sentry also sends `Sentry-Hook-Timestamp`,
//! but it is not signed, so it is not checked; Sentry has no handshake.
//!
//! The event type is the `Sentry-Hook-Resource` header (`issue`, `error`,
//! `event_alert`, …) plus `.` and the body's `action` when present
//! (`issue.resolved`); the dedup id the `Request-ID` header; the subject the
//! Sentry issue id where the payload has one (else the metric alert id or the
//! installation uuid). The client secret of an internal integration can be
//! rotated in Sentry; keep the old one active here until deliveries verify with
//! the new one.

use hookyard_sdk::prelude::*;

pub struct Sentry;

/// Where the subject lives, by resource shape, first match wins.
const SUBJECTS: &[Field] = &[
    Field::pointer("/data/issue/id"),
    Field::pointer("/data/issue_id"),
    Field::pointer("/data/event/issue_id"),
    Field::pointer("/data/error/issue_id"),
    Field::pointer("/data/metric_alert/id"),
    Field::pointer("/data/installation/uuid"),
];

impl Declared for Sentry {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("sentry", "Sentry", "Sentry integration platform webhooks: issues, errors, comments, issue and metric alerts, installations")
            .docs("https://docs.sentry.io/integrations/integration-platform/webhooks/#sentry-hook-signature")
            .secret("Client secret", "The integration's Client Secret: Sentry → Settings → Developer Settings → Custom Integrations → your integration → Credentials → Client Secret. The webhook URL and the resources to subscribe to are set on the same page.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("plus \".\" and the body's action when present, e.g. issue.resolved"),
        &Scheme::body_hmac("Sentry-Hook-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::joined(&[Field::header("Sentry-Hook-Resource"), Field::pointer("/action")], "."))
    .dedup_id(Field::header("Request-ID"))
    .subject(Field::first(SUBJECTS));

    /// Sentry also sends the (unsigned) time of the delivery.
    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let request = SignedRequestBuilder::from(Self::DECLARATION.sign(input)?);
        let seconds = input.now_ms.div_euclid(1000).to_string();
        Ok(request.header("Sentry-Hook-Timestamp", seconds).build())
    }
}

hookyard_sdk::export_adapter!(Sentry);
