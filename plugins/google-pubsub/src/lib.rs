//! Google Cloud Pub/Sub push subscriptions with authentication: each push
//! carries a Google-signed OIDC token (`Authorization: Bearer`, RS256),
//! checked by the SDK's [`pubsub`](hookyard_sdk::pubsub) module against
//! Google's JWKS (fetched through the host from exactly
//! `https://www.googleapis.com/oauth2/v3/certs`), the issuer, the
//! subscription's audience (a required setting) and, optionally, the
//! service account's verified email.
//!
//! One push is one message, one event: its type is the attribute the setting
//! `type_attribute` names (default `eventType`), else `pubsub.message`; the
//! dedup id `messageId`, the time `publishTime`, the subject the
//! subscription; the data the message's data (parsed when it is JSON, else
//! the base64 text as sent) with its attributes.

use hookyard_sdk::prelude::*;
use hookyard_sdk::pubsub::{OidcPush, PushMessage};

pub struct GooglePubsub;

impl Declared for GooglePubsub {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "google-pubsub",
            "Google Cloud Pub/Sub push",
            "Google Cloud Pub/Sub push subscriptions authenticated with Google-signed OIDC tokens"
        )
        .docs("https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions")
        .events_file(include_str!("../events.txt"))
        .settings(&[(
            "type_attribute",
            r#"{"type": "string", "minLength": 1, "description": "The message attribute holding the event type (default eventType); messages without it are pubsub.message"}"#,
        )])
        .required_settings(&["audience"])
        .discriminator(DiscriminatorLocation::Body, "/message/attributes/eventType")
        .discriminator_note(
            "the attribute named by the setting type_attribute (default eventType); without it: pubsub.message",
        )
        .fetch_origins(&["https://www.googleapis.com/oauth2/v3/certs"]),
        // The push settings (audience, service_account_email) are the scheme's.
        &OidcPush,
    );

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let attribute = context
            .setting_text("type_attribute")
            .map_err(HandleError::Malformed)?;
        let message = PushMessage::parse(request)?;
        let event_type = message
            .attribute(attribute.as_deref().unwrap_or("eventType"))
            .filter(|t| !t.is_empty())
            .unwrap_or("pubsub.message")
            .to_string();
        let data = json!({
            "data": message.json_data().unwrap_or_else(|| Value::String(message.data_base64.clone())),
            "attributes": message.attributes,
            "messageId": message.message_id,
            "subscription": message.subscription,
        });
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: message.message_id.clone(),
            occurred_at: message.publish_time_ms,
            subject: message.subscription.clone(),
            data: data.to_string(),
        }]))
    }
}

hookyard_sdk::export_adapter!(GooglePubsub);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_schema_is_json() {
        let schema: Value = hookyard_sdk::serde_json::from_str(
            &<GooglePubsub as Declared>::manifest().settings_schema,
        )
        .unwrap();
        assert_eq!(schema["required"][0], "audience");
        assert!(schema["properties"]["service_account_email"].is_object());
        assert!(schema["properties"]["type_attribute"].is_object());
        assert_eq!(schema["additionalProperties"], false);
    }
}
