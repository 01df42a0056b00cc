//! Patreon webhooks: `X-Patreon-Signature: <hex HMAC-MD5(webhook secret, raw
//! body)>` and `X-Patreon-Event: <trigger>` (docs.patreon.com, "APIv2: Webhook
//! Endpoints" → "Webhook Responses"). The host's crypto has no MD5, so the HMAC
//! is the `hmac` and `md-5` crates' (as `plugins/cloudinary` uses `sha1`). No
//! timestamp is signed and there is no handshake.
//!
//! What to paste: the webhook's `secret`, shown on Patreon's webhooks page
//! (patreon.com/portal/registration/register-webhooks) or returned as the
//! `secret` attribute by the API's `GET`/`POST /api/oauth2/v2/webhooks`. The docs describe no way to
//! change a webhook's secret: a new webhook has its own, so to move, add the
//! new webhook's secret here (both are accepted), then remove the old one.
//!
//! The event type is the `X-Patreon-Event` trigger (`events.txt`: API v2's nine;
//! webhooks created on API v1's deprecated pledge triggers, which the docs
//! spell both `pledge:create` and `pledges:create`, send types not in it), the
//! subject the JSON:API resource's `data.id` (the member or post). Patreon sends
//! no delivery id or event time: events are deduplicated on the body's hash.

use hmac::{Hmac as HmacMac, Mac};
use hookyard_sdk::prelude::*;
use md5::Md5;

pub struct Patreon;

const SIGNATURE: &str = "X-Patreon-Signature";

fn hmac_md5(secret: &str, body: &[u8]) -> Vec<u8> {
    let mut mac =
        HmacMac::<Md5>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// The hex HMAC-MD5 of the body in `X-Patreon-Signature`.
pub struct PatreonSignature;

impl SigningScheme for PatreonSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let provided =
            hex_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |secret| {
            hmac_md5(secret, &request.body)
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(SIGNATURE, hex_encode(&hmac_md5(&input.secret, &input.body))))
    }
}

impl Declared for Patreon {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("patreon", "Patreon", "Patreon webhooks: members, pledges and posts of a campaign")
            .docs("https://docs.patreon.com/#apiv2-webhook-endpoints")
            .secret("Webhook secret", "The webhook's secret: Patreon's webhooks page (patreon.com/portal/registration/register-webhooks), or the secret attribute the API returns for the webhook. Not the client secret.")
            .events_file(include_str!("../events.txt")),
        &PatreonSignature,
    )
    .event_type(Field::header("X-Patreon-Event"))
    .subject(Field::pointer("/data/id"));
}

hookyard_sdk::export_adapter!(Patreon);
