//! Microsoft Graph change notifications (webhooks): Graph signs nothing;
//! every notification in the body's `value[]` carries the `clientState` given
//! when the subscription was created, and each must equal an active secret
//! (compared in constant time; any mismatch rejects the whole request as
//! `unauthorized`, a missing one as `missing-signature`). The handshake is the
//! endpoint validation Graph sends when a subscription is created or renewed:
//! a request (normally an empty `POST`) with `?validationToken=…`, answered
//! within 10 s with 200 `text/plain` and the decoded token. It carries no
//! clientState, so it is answered on any source with a secret configured
//! (fail closed). Each notification becomes one event typed by its
//! `changeType` (`created`, `updated`, `deleted`) or, for lifecycle
//! notifications, its `lifecycleEvent` (`reauthorizationRequired`,
//! `subscriptionRemoved`, `missed`); the subject is its `resource`. Graph
//! sends no notification id, so the dedup id is the SHA-256 of the
//! notification's JSON (a redelivery repeats it). Rich notifications'
//! `validationTokens` (JWTs) are not checked. To rotate, renew subscriptions
//! with a new clientState while both values are active secrets.

use hookyard_sdk::prelude::*;

pub struct MicrosoftGraph;

const VALIDATION_TOKEN: &str = "validationToken";

/// The `value[]` notifications of a body, at least one.
fn notifications(body: &[u8]) -> Result<Vec<Value>, String> {
    let body: Value =
        hookyard_sdk::serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    match body.get("value") {
        Some(Value::Array(items)) if !items.is_empty() => Ok(items.clone()),
        _ => Err("body has no value[] notifications".into()),
    }
}

/// Graph signs nothing: every notification carries the subscription's
/// `clientState`, which must equal an active secret.
struct ClientState;

impl SigningScheme for ClientState {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let items = notifications(&request.body).map_err(VerifyError::Malformed)?;
        for item in &items {
            let state = json_string(item, "/clientState")
                .ok_or_else(|| VerifyError::MissingSignature("clientState".into()))?;
            token_matches_any(secrets, &state)
                .map_err(|_| VerifyError::Unauthorized("clientState does not match".into()))?;
        }
        Ok(())
    }

    /// Graph puts the clientState in every notification of the body.
    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let mut body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("a notification body is JSON: {e}"))?;
        let items = body
            .get_mut("value")
            .and_then(Value::as_array_mut)
            .ok_or("a notification body has a value[] array")?;
        for item in items.iter_mut() {
            let item = item
                .as_object_mut()
                .ok_or("each notification is a JSON object")?;
            item.insert("clientState".into(), Value::String(input.secret.clone()));
        }
        Ok(request.body(body.to_string()))
    }
}

impl Declared for MicrosoftGraph {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("microsoft-graph", "Microsoft Graph", "Microsoft Graph change and lifecycle notifications (Outlook, Teams, OneDrive, Entra ID, ...)")
            .docs("https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks")
            .secret("Client state", "The clientState (up to 128 characters) your app sets when it creates the subscription (POST https://graph.microsoft.com/v1.0/subscriptions with notificationUrl = this source's URL, and lifecycleNotificationUrl too if you want lifecycle events). Microsoft never shows it: choose a random value and paste the same one here.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Body, "/value/*/changeType")
            .discriminator_note("one event per value[] notification; lifecycle notifications: /value/*/lifecycleEvent"),
        &ClientState,
    )
    .each("/value")
    .event_type(Field::first(&[Field::pointer("/lifecycleEvent"), Field::pointer("/changeType")]))
    // Graph sends no id: the notification's own hash.
    .dedup_id(Field::custom(|s| {
        Some(format!("sha256:{}", hex_encode(&crypto::sha256(s.record.to_string().as_bytes()))))
    }))
    .subject(Field::pointer("/resource"))
    .content_type("application/json; charset=utf-8");

    /// The subscription's validation request is unsigned and echoed.
    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        context.require_secrets()?;
        if request.query_param(VALIDATION_TOKEN).is_some() {
            return Ok(());
        }
        Self::DECLARATION.verify(request, context)
    }

    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let Some(token) = request.query_param(VALIDATION_TOKEN) else {
            return Self::DECLARATION.handle(request);
        };
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                },
                Header {
                    name: "X-Content-Type-Options".into(),
                    value: "nosniff".into(),
                },
            ],
            body: token.into_bytes(),
        }))
    }
}

hookyard_sdk::export_adapter!(MicrosoftGraph);
