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

const SIGNATURE: BodyHmac = BodyHmac::new("X-Shopify-Hmac-Sha256", Hmac::Sha256, Encoding::Base64);

impl Adapter for Shopify {
    fn manifest() -> Manifest {
        Manifest {
            name: "shopify".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Shopify".into(),
            description: "Shopify store and app webhooks".into(),
            docs_url: "https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify".into(),
            secrets: vec![SecretSpec {
                label: "Client secret".into(),
                help: "The app's client secret (Partner Dashboard → Apps → your app → Client credentials), or for store-created webhooks the key shown under Settings → Notifications → Webhooks.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: TOPICS.iter().map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() }).collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Header, path: "X-Shopify-Topic".into(), note: String::new() },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        SIGNATURE.verify(&request, secrets)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let topic = request
            .header("X-Shopify-Topic")
            .ok_or_else(|| HandleError::Malformed("X-Shopify-Topic header is missing".into()))?;
        let body = request.json()?;
        Ok(Outcome::Events(vec![Event {
            event_type: topic.to_string(),
            dedup_id: request.header("X-Shopify-Webhook-Id").map(str::to_string),
            occurred_at: None,
            subject: request.header("X-Shopify-Shop-Domain").map(str::to_string),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let signature = SIGNATURE.sign(&input.secret, &input.body);
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(
                    "X-Shopify-Topic",
                    input.event_type.unwrap_or_else(|| "orders/create".into()),
                ),
                header("X-Shopify-Webhook-Id", input.delivery_id),
                header("X-Shopify-Shop-Domain", "example.myshopify.com".into()),
                header("X-Shopify-Hmac-Sha256", signature),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Shopify);
