//! What a verified SNS message becomes: a confirmation event with the
//! follow-up that confirms the subscription, an unsubscribe event, a
//! notification event, or one event per S3 record when the notification's
//! `Message` is an S3 event notification (typed by the SDK's `s3` module, as
//! the `s3` adapter types them, so one route serves both deliveries).

use crate::Settings;
use hookyard_sdk::prelude::*;

/// The outcome for a verified message.
pub fn outcome(message: &Value, settings: &Settings) -> Result<Outcome, HandleError> {
    match json_string(message, "/Type").as_deref() {
        Some("SubscriptionConfirmation") => {
            let url = json_string(message, "/SubscribeURL")
                .filter(|u| !u.is_empty())
                .ok_or_else(|| HandleError::Malformed("no SubscribeURL".into()))?;
            Ok(Outcome::Reply(Reply {
                events: vec![sns_event(message, "sns.subscription_confirmation")],
                response: None,
                follow_up: Some(OutgoingRequest {
                    method: "GET".into(),
                    url,
                    headers: vec![],
                    body: vec![],
                }),
            }))
        }
        Some("UnsubscribeConfirmation") => Ok(Outcome::Events(vec![sns_event(
            message,
            "sns.unsubscribe_confirmation",
        )])),
        Some("Notification") => notification(message, settings).map(Outcome::Events),
        other => Err(HandleError::Malformed(format!("unknown Type {other:?}"))),
    }
}

/// An event about the message itself: dedup `MessageId`, subject
/// `TopicArn`, time `Timestamp`, data the whole message.
fn sns_event(message: &Value, event_type: &str) -> Event {
    Event {
        event_type: event_type.into(),
        dedup_id: json_string(message, "/MessageId"),
        occurred_at: json_string(message, "/Timestamp").and_then(|t| rfc3339_to_ms(&t)),
        subject: json_string(message, "/TopicArn"),
        data: message.to_string(),
    }
}

/// S3 records inside, else one notification event.
fn notification(message: &Value, settings: &Settings) -> Result<Vec<Event>, HandleError> {
    let inner: Option<Value> = json_string(message, "/Message")
        .and_then(|text| hookyard_sdk::serde_json::from_str(&text).ok())
        .filter(Value::is_object);
    if let Some(inner) = inner {
        if let Some(records) = hookyard_sdk::s3::records(&inner) {
            return records
                .iter()
                .map(|record| {
                    hookyard_sdk::s3::record_event(record, |bucket, key| {
                        Some(format!("{bucket}/{key}"))
                    })
                })
                .collect();
        }
        if let Some(mut event) = hookyard_sdk::s3::test_event(&inner) {
            event.dedup_id = json_string(message, "/MessageId");
            return Ok(vec![event]);
        }
    }
    let event_type = settings
        .notification_event_type
        .as_deref()
        .unwrap_or("sns.notification");
    Ok(vec![sns_event(message, event_type)])
}
