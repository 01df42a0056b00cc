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

const TOPICS: &[(&str, &str)] = &[
    ("app/uninstalled", "A shop uninstalled the app"),
    ("carts/create", "A cart was created in the online store"),
    ("carts/update", "A cart was updated in the online store"),
    ("checkouts/create", "A checkout was created"),
    ("checkouts/update", "A checkout was updated"),
    ("collections/create", "A collection was created"),
    ("customers/create", "A customer was created"),
    ("customers/delete", "A customer was deleted"),
    ("customers/update", "A customer was updated"),
    (
        "customers/data_request",
        "A customer requested the data stored about them (compliance)",
    ),
    (
        "customers/redact",
        "A customer requested deletion of their personal data (compliance)",
    ),
    ("fulfillments/create", "A fulfillment was created"),
    ("fulfillments/update", "A fulfillment was updated"),
    ("inventory_levels/update", "An inventory level was updated"),
    ("orders/cancelled", "An order was cancelled"),
    ("orders/create", "An order was created"),
    ("orders/fulfilled", "An order was fulfilled"),
    ("orders/paid", "An order was paid"),
    ("orders/updated", "An order was updated"),
    ("products/create", "A product was created"),
    ("products/delete", "A product was deleted"),
    (
        "products/update",
        "A product was updated, or its variants were added, removed or updated",
    ),
    ("refunds/create", "A refund was created on an order"),
    (
        "shop/redact",
        "Shop data erasure requested, 48 hours after the shop uninstalled the app",
    ),
    ("shop/update", "The shop was updated"),
];

impl Declared for Shopify {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("shopify", "Shopify", "Shopify store and app webhooks")
            .docs("https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify")
            .secret("Client secret", "The app's client secret (Partner Dashboard → Apps → your app → Client credentials), or for store-created webhooks the key shown under Settings → Notifications → Webhooks.")
            .events(TOPICS),
        &Scheme::body_hmac("X-Shopify-Hmac-Sha256", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::header("X-Shopify-Topic"))
    .dedup_id(Field::header("X-Shopify-Webhook-Id"))
    .subject(Field::header("X-Shopify-Shop-Domain"))
    .sign_headers(&[("X-Shopify-Shop-Domain", "example.myshopify.com")]);
}

hookyard_sdk::export_adapter!(Shopify);
