//! Strava webhook events (Strava developers, "Webhook Events API"). Strava
//! signs nothing: its events carry no signature, HMAC or secret header, and
//! the only check it documents is the subscription handshake. So this adapter
//! authenticates events with a token in the callback URL: register this
//! source's URL followed by `?token=<the secret>` (the query is compared with
//! the source's secrets in constant time; a missing token is
//! `missing-signature`, a wrong one `unauthorized`). The token proves who
//! knows the URL, not that the body is intact.
//!
//! Setup: create the push subscription (`POST
//! https://www.strava.com/api/v3/push_subscriptions` with `client_id`,
//! `client_secret`, `callback_url` = this source's URL + `?token=<secret>` and
//! `verify_token` = the same secret). Strava first sends `GET
//! ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…` and expects, within
//! two seconds, `{"hub.challenge": …}`; this adapter answers it when
//! `hub.verify_token` matches a secret (else `unauthorized`). Rotation: create
//! a new subscription (one per application) with the new token, keeping the
//! old one here until the old subscription is deleted.
//!
//! Events: the type is `object_type.aspect_type` (`activity.create`), the
//! subject the `owner_id` (the athlete), the time `event_time` (Unix seconds).
//! The dedup id is `subscription_id:object_type:object_id:aspect_type:
//! event_time`, the same on Strava's retries (up to three). No timestamp is
//! signed.
//!
//! Catalog: the four events of Strava's reference (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Strava;

const TOKEN: &str = "token";

/// A shared token in the `token` query parameter of the callback URL.
pub struct QueryToken;

impl SigningScheme for QueryToken {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let token = request
            .query_param(TOKEN)
            .ok_or_else(|| VerifyError::MissingSignature(format!("no {TOKEN} query parameter")))?;
        token_matches_any(secrets, &token)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let pair = form_urlencoded::Serializer::new(String::new())
            .append_pair(TOKEN, &input.secret)
            .finish();
        let separator = if input.url.contains('?') { '&' } else { '?' };
        Ok(request.url(format!("{}{separator}{pair}", input.url)))
    }
}

/// The handshake's challenge, on a `GET` with `hub.mode=subscribe`.
fn challenge(request: &Request) -> Option<String> {
    let subscribe = request.query_param("hub.mode").as_deref() == Some("subscribe");
    match request.method.eq_ignore_ascii_case("GET") && subscribe {
        true => request.query_param("hub.challenge"),
        false => None,
    }
}

impl Declared for Strava {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("strava", "Strava", "Strava activity and athlete-deauthorization events")
            .docs("https://developers.strava.com/docs/webhooks/")
            .secret("Token", "A long random token you choose: append ?token=<it> to this source's URL as the subscription's callback_url, and give it as the subscription's verify_token.")
            .events_file(include_str!("../events.txt")),
        &QueryToken,
    )
    .event_type(Field::joined(&[Field::pointer("/object_type"), Field::pointer("/aspect_type")], "."))
    .dedup_id(Field::custom(|s| {
        let part = |p: &str| json_string(s.record, p);
        Some(format!(
            "{}:{}:{}:{}:{}",
            part("/subscription_id")?,
            part("/object_type")?,
            part("/object_id")?,
            part("/aspect_type")?,
            part("/event_time")?
        ))
    }))
    .subject(Field::pointer("/owner_id"))
    .time(Time::unix_seconds("/event_time"));

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        if challenge(request).is_none() {
            return Self::DECLARATION.verify(request, context);
        }
        Self::DECLARATION
            .check_settings(&context.settings)
            .map_err(VerifyError::Malformed)?;
        let presented = request.query_param("hub.verify_token").ok_or_else(|| {
            VerifyError::MissingSignature("no hub.verify_token in the handshake".into())
        })?;
        token_matches_any(context.require_secrets()?, &presented)
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let Some(challenge) = challenge(request) else {
            return Self::DECLARATION.handle_in(request, context);
        };
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: json!({ "hub.challenge": challenge })
                .to_string()
                .into_bytes(),
        }))
    }
}

hookyard_sdk::export_adapter!(Strava);
