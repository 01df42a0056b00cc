//! Apple App Store Server Notifications V2: the body is
//! `{"signedPayload": JWS}`, an ES256 JWS whose `x5c` chain leads to Apple
//! Root CA - G3, pinned here (`root.rs`); `jws.rs` verifies it (and the
//! signed transaction and renewal info inside it) the way Apple's
//! `app-store-server-library` does, and `notification.rs` checks it is for
//! this source's app (`bundle_id`, `environment`, optionally
//! `app_apple_id`) and decodes it. No secret and no fetch: the trust is the
//! pinned root. Events are typed `notificationType[.subtype]`
//! (`SUBSCRIBED.INITIAL_BUY`), deduplicated on `notificationUUID`, about the
//! bundle id, at `signedDate`.

mod jws;
mod notification;
mod root;

use hookyard_sdk::prelude::*;

pub use jws::verify as verify_signed;
pub use root::apple_root;

pub struct AppleAppStore;

const SETTINGS: &str = r#"{
  "type": "object",
  "properties": {
    "bundle_id": {"type": "string", "minLength": 1,
      "description": "Your app's bundle ID (App Store Connect → your app → App Information → Bundle ID); notifications for any other app are refused"},
    "environment": {"enum": ["Production", "Sandbox"], "default": "Production",
      "description": "Which App Store Server Notifications URL this source is (App Store Connect → your app → App Information → App Store Server Notifications: Production Server URL or Sandbox Server URL); notifications from the other environment are refused"},
    "app_apple_id": {"type": "integer",
      "description": "Your app's Apple ID (App Store Connect → App Information → Apple ID); when set, notifications must carry it (Apple's library requires it in Production)"},
    "test_root_certificate": {"type": "string",
      "description": "Tests only: a PEM root trusted besides the pinned Apple Root CA - G3 (for chains made by a test CA). Leave unset in production."}
  },
  "required": ["bundle_id"],
  "additionalProperties": false
}"#;

/// The scheme, for the declaration: `notification::decode` verifies; nothing
/// signs.
struct SignedPayload;

impl SigningScheme for SignedPayload {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        notification::decode(request, context).map(|_| ())
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("Apple signs notifications with its own certificate's private key; the host cannot sign them".into())
    }
}

impl Declared for AppleAppStore {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "apple-app-store",
            "Apple App Store",
            "App Store Server Notifications V2 (subscriptions, purchases, refunds)"
        )
        .docs(
            "https://developer.apple.com/documentation/appstoreservernotifications/responsebodyv2",
        )
        .settings_schema(SETTINGS)
        .events_file(include_str!("../events.txt"))
        .discriminator(DiscriminatorLocation::Body, "/signedPayload")
        .discriminator_note("notificationType[.subtype] of the verified signedPayload JWS"),
        &SignedPayload,
    );

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let payload = notification::decode(request, context)
            .map_err(|e| HandleError::Malformed(format!("signedPayload: {e:?}")))?;
        let kind = json_string(&payload, "/notificationType")
            .ok_or_else(|| HandleError::Malformed("no notificationType".into()))?;
        let event_type = match json_string(&payload, "/subtype") {
            Some(subtype) => format!("{kind}.{subtype}"),
            None => kind,
        };
        let subject = [
            "/data/bundleId",
            "/summary/bundleId",
            "/externalPurchaseToken/bundleId",
            "/appData/bundleId",
        ]
        .iter()
        .find_map(|pointer| json_string(&payload, pointer));
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&payload, "/notificationUUID"),
            occurred_at: payload.get("signedDate").and_then(Value::as_i64),
            subject,
            data: payload.to_string(),
        }]))
    }
}

hookyard_sdk::export_adapter!(AppleAppStore);
