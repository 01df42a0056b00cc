//! Shopify webhooks: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the
//! body, keyed with the app's client secret.
//!
//! The event type is the `X-Shopify-Topic` header (`orders/create`), the dedup
//! id `X-Shopify-Webhook-Id` (the same on every retry), the subject the shop's
//! domain. Shopify signs no timestamp. During a client-secret rotation Shopify
//! signs with the new secret while the old one may still be in flight for up to
//! an hour: keep both as active secrets.

use hookyard_sdk::prelude::*;

pub struct Shopify;

impl Declared for Shopify {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("shopify", "Shopify", "Shopify store and app webhooks")
            .docs("https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify")
            .secret("Client secret", "The app's client secret (Partner Dashboard → Apps → your app → Client credentials), or for store-created webhooks the key shown under Settings → Notifications → Webhooks.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Shopify-Hmac-Sha256", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::header("X-Shopify-Topic"))
    .dedup_id(Field::header("X-Shopify-Webhook-Id"))
    .subject(Field::header("X-Shopify-Shop-Domain"))
    .sign_headers(&[("X-Shopify-Shop-Domain", "example.myshopify.com")]);
}

hookyard_sdk::export_adapter!(Shopify);
