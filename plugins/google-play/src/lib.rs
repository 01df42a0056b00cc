//! Google Play Real-time developer notifications (RTDN): Play publishes a
//! `DeveloperNotification` to a Pub/Sub topic, and a push subscription with
//! authentication delivers it here. The push is authenticated exactly as
//! any Pub/Sub push (the SDK's [`pubsub`](hookyard_sdk::pubsub) module:
//! Google's OIDC token, the subscription's audience, optionally the service
//! account's email); the notification is the base64 `message.data`.
//!
//! The event type is the notification's kind with Google's name for its
//! `notificationType` ([`catalog`]): `subscriptionNotification.SUBSCRIPTION_PURCHASED`,
//! `oneTimeProductNotification.ONE_TIME_PRODUCT_PURCHASED`,
//! `voidedPurchaseNotification`, `testNotification`; the subject the
//! `packageName`, the time `eventTimeMillis`, the dedup id the Pub/Sub
//! `messageId`, the data the decoded notification.

use hookyard_sdk::prelude::*;
use hookyard_sdk::pubsub::{OidcPush, PushMessage};

pub mod catalog;

pub struct GooglePlay;

/// The event type of a decoded notification.
fn event_type(notification: &Value) -> Result<String, HandleError> {
    for (kind, table) in [
        ("subscriptionNotification", catalog::SUBSCRIPTION_TYPES),
        ("oneTimeProductNotification", catalog::ONE_TIME_TYPES),
    ] {
        if let Some(inner) = notification.get(kind).filter(|v| v.is_object()) {
            let number = json_string(inner, "/notificationType")
                .and_then(|n| n.parse::<i64>().ok())
                .ok_or_else(|| HandleError::Malformed(format!("{kind} has no notificationType")))?;
            return Ok(format!("{kind}.{}", catalog::name_of(table, number)));
        }
    }
    catalog::PLAIN_KINDS
        .iter()
        .find(|(kind, _)| notification.get(*kind).is_some_and(Value::is_object))
        .map(|(kind, _)| kind.to_string())
        .ok_or_else(|| HandleError::Malformed("no known notification in the data".into()))
}

impl Declared for GooglePlay {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "google-play",
            "Google Play RTDN",
            "Google Play Real-time developer notifications (subscriptions, one-time products, voided purchases) via Pub/Sub push"
        )
        .docs("https://developer.android.com/google/play/billing/rtdn-reference")
        .required_settings(&["audience"])
        .discriminator(DiscriminatorLocation::Body, "/message/data")
        .discriminator_note(
            "base64 DeveloperNotification: its kind (subscriptionNotification, oneTimeProductNotification, voidedPurchaseNotification, testNotification) and Google's name for notificationType",
        )
        .fetch_origins(&["https://www.googleapis.com/oauth2/v3/certs"]),
        // The push settings (audience, service_account_email) are the scheme's.
        &OidcPush,
    );

    fn manifest() -> Manifest {
        let mut manifest = Self::DECLARATION.manifest();
        manifest.event_types = catalog::event_types()
            .into_iter()
            .map(|(name, description)| EventTypeInfo { name, description })
            .collect();
        manifest
    }

    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let message = PushMessage::parse(request)?;
        let notification = message
            .json_data()
            .filter(Value::is_object)
            .ok_or_else(|| HandleError::Malformed("message.data is not a notification".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type: event_type(&notification)?,
            dedup_id: message.message_id.clone(),
            occurred_at: json_string(&notification, "/eventTimeMillis")
                .and_then(|t| t.parse().ok()),
            subject: json_string(&notification, "/packageName"),
            data: notification.to_string(),
        }]))
    }
}

hookyard_sdk::export_adapter!(GooglePlay);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_map_to_google_names() {
        let n = json!({"subscriptionNotification": {"notificationType": 4}});
        assert_eq!(
            event_type(&n).unwrap(),
            "subscriptionNotification.SUBSCRIPTION_PURCHASED"
        );
        let later = json!({"subscriptionNotification": {"notificationType": 99}});
        assert_eq!(
            event_type(&later).unwrap(),
            "subscriptionNotification.TYPE_99"
        );
        assert!(event_type(&json!({"other": {}})).is_err());
        assert_eq!(catalog::event_types().len(), 18 + 2 + 3);
    }
}
