//! Amazon SNS HTTP/HTTPS subscriptions. SNS signs every message with RSA
//! (PKCS#1 v1.5, SHA-1 for `SignatureVersion` 1, SHA-256 for 2) under a
//! certificate it publishes at `SigningCertURL`; there is no shared secret.
//! The certificate is fetched through the host from the declared origin
//! `https://sns.*.amazonaws.com` only ([`signature`]).
//!
//! A `SubscriptionConfirmation` is stored as an event and answered with a
//! `reply` whose follow-up `GET SubscribeURL` (made by the host once the
//! event is stored) confirms the subscription. Notifications carrying S3
//! event notifications are unwrapped into one event per record, typed as the
//! `s3` adapter types them ([`events`]).

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub mod events;
pub mod signature;

pub struct AwsSns;

/// The source's settings.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The event type of a plain notification (default `sns.notification`).
    pub notification_event_type: Option<String>,
    /// When set, only messages of these topics are accepted.
    pub topic_arns: Option<Vec<String>>,
}

const SETTINGS: &[(&str, &str)] = &[
    (
        "notification_event_type",
        r#"{"type": "string", "minLength": 1, "description": "Event type of a plain notification (default sns.notification)"}"#,
    ),
    (
        "topic_arns",
        r#"{"type": "array", "items": {"type": "string"}, "description": "Accept only messages of these topics (TopicArn, shown in the SNS console); empty or absent: any topic"}"#,
    ),
];

/// SNS's signature, with the topic allow-list.
pub struct SnsSignature;

impl SigningScheme for SnsSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let message: Value = hookyard_sdk::serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        signature::verify_message(&message, context.now_ms)?;
        let topics = settings.topic_arns.unwrap_or_default();
        let topic = json_string(&message, "/TopicArn").unwrap_or_default();
        if !topics.is_empty() && !topics.contains(&topic) {
            return Err(VerifyError::Unauthorized(format!(
                "topic {topic} is not in topic_arns"
            )));
        }
        Ok(())
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("SNS signs with Amazon's private key; Hookyard cannot sign SNS messages".into())
    }
}

impl Declared for AwsSns {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "aws-sns",
            "Amazon SNS",
            "Amazon SNS HTTP/HTTPS subscriptions: signed notifications, subscription confirmation, S3 event notifications via SNS"
        )
        .docs("https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html")
        .events_file(include_str!("../events.txt"))
        .settings(SETTINGS)
        .discriminator(DiscriminatorLocation::Body, "/Type")
        .discriminator_note(
            "Notification: the setting notification_event_type (default sns.notification), or one s3:<eventName> per record when Message is an S3 event notification",
        )
        .fetch_origins(&["https://sns.*.amazonaws.com"]),
        &SnsSignature,
    )
    .dedup_id(Field::pointer("/MessageId"))
    .subject(Field::pointer("/TopicArn"))
    .time(Time::rfc3339("/Timestamp"))
    .content_type("text/plain; charset=UTF-8");

    /// The SNS catalog and the S3 event types it may carry.
    fn manifest() -> Manifest {
        let mut manifest = Self::DECLARATION.manifest();
        manifest.event_types.extend(
            hookyard_sdk::catalog::event_types(hookyard_sdk::s3::EVENT_TYPES)
                .into_iter()
                .map(|e| EventTypeInfo {
                    description: format!("{} (S3 notification via SNS)", e.description),
                    ..e
                }),
        );
        manifest
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let settings: Settings = context.settings().map_err(HandleError::Malformed)?;
        events::outcome(&request.json()?, &settings)
    }
}

hookyard_sdk::export_adapter!(AwsSns);
