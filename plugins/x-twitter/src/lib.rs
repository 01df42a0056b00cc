//! X (Twitter) Account Activity API webhooks: `x-twitter-webhooks-signature:
//! sha256=<base64 HMAC-SHA256(consumer secret, raw body)>` on every POST,
//! and the Challenge-Response Check (X developer docs, Account Activity API,
//! "Securing webhooks").
//!
//! Paste the X app's API Key Secret (consumer secret: developer.x.com →
//! Projects & Apps → the app → Keys and tokens) and register this source's URL
//! as the webhook (`POST /2/webhooks`, or the v1.1 `account_activity/all/
//! :env/webhooks`), then subscribe users.
//!
//! Handshake (CRC): at registration, about every hour (24 hours on the older
//! Enterprise tier) and on `PUT` of the webhook, X sends `GET ?crc_token=…`,
//! unsigned, and expects within three seconds `{"response_token":
//! "sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}` — this adapter
//! answers it, keyed with the first secret; a source without a secret refuses
//! it (fail closed). A failed CRC stops deliveries until one passes.
//!
//! Rotation: regenerating the consumer secret in the developer portal changes
//! it at once. Put the new secret first (it answers the CRC) and keep the old
//! one after it until deliveries signed with it have stopped; then trigger a
//! CRC with `PUT /2/webhooks/:id`.
//!
//! Events: one per delivery. The type is the activity array present
//! (`tweet_create_events`, …; see `events.txt`), the subject `for_user_id`
//! (the subscribed user), the dedup id the first activity's `id_str`, else its
//! `id` (Posts, likes and Direct Messages carry one; follows, blocks and mutes
//! none, so they are deduplicated on the body's hash), the time its
//! `created_timestamp` (Unix milliseconds, as text, on follows, blocks, mutes,
//! likes and Direct Messages) or `timestamp_ms` (Posts). No timestamp is
//! signed, so no tolerance applies. The data is the whole body, with its
//! `users` / `apps` maps.
//!
//! Catalog: the 13 activities of "Account Activity data objects".

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;

pub struct XTwitter;

const TYPES: &str = catalog::checked(include_str!("../events.txt"));

/// The activity array the delivery carries, and its first element.
fn activity<'a>(source: &'a Source) -> Option<(&'static str, &'a Value)> {
    let name = catalog::names(TYPES).find(|name| source.record.get(name).is_some())?;
    let value = &source.record[name];
    Some((name, value.get(0).unwrap_or(value)))
}

fn text(value: &Value, key: &str) -> Option<String> {
    json_string(value, &format!("/{key}"))
}

fn crc_token(request: &Request) -> Option<String> {
    match request.method.eq_ignore_ascii_case("GET") {
        true => request.query_param("crc_token"),
        false => None,
    }
}

impl Declared for XTwitter {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("x-twitter", "X (Twitter)", "X Account Activity API webhooks: Posts, likes, follows, blocks, mutes and Direct Messages of subscribed users")
            .docs("https://docs.x.com/x-api/webhooks/quickstart")
            .secret("API Key Secret (consumer secret)", "The X app's API Key Secret: developer.x.com → Projects & Apps → your app → Keys and tokens. It signs deliveries and answers the CRC; while rotating, put the new one first.")
            .events_file(TYPES)
            .discriminator_note("the name of the top-level activity array present (tweet_create_events, follow_events, …)"),
        &Scheme::body_hmac("x-twitter-webhooks-signature", Hmac::Sha256, Encoding::Base64).prefixed("sha256="),
    )
    .event_type(Field::custom(|s| activity(s).map(|(name, _)| name.to_string())))
    .dedup_id(Field::custom(|s| {
        let (_, first) = activity(s)?;
        text(first, "id_str").or_else(|| text(first, "id"))
    }))
    .subject(Field::pointer("/for_user_id"))
    .time(Time::Custom(|s| {
        let (_, first) = activity(s)?;
        text(first, "created_timestamp").or_else(|| text(first, "timestamp_ms"))?.parse().ok()
    }));

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        if crc_token(request).is_none() {
            return Self::DECLARATION.verify(request, context);
        }
        // The CRC is unsigned; only a source with the secret can answer it.
        Self::DECLARATION
            .check_settings(&context.settings)
            .map_err(VerifyError::Malformed)?;
        context.require_secrets().map(|_| ())
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let Some(token) = crc_token(request) else {
            return Self::DECLARATION.handle_in(request, context);
        };
        let secret = context
            .secrets
            .first()
            .ok_or_else(|| HandleError::Malformed("no secret to answer the CRC".into()))?;
        let mac = crypto::hmac_sha256(secret.as_bytes(), token.as_bytes());
        let body = json!({ "response_token": format!("sha256={}", base64_encode(&mac)) });
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: body.to_string().into_bytes(),
        }))
    }
}

hookyard_sdk::export_adapter!(XTwitter);
