//! PayPal webhooks, verified the way PayPal documents verifying them yourself
//! (`signature.rs`: SHA256withRSA over
//! `transmission_id|transmission_time|webhook_id|crc32(body)` with the
//! certificate fetched from `PAYPAL-CERT-URL`) rather than by PayPal's
//! `verify-webhook-signature` postback, which needs OAuth credentials the
//! host would have to keep. There is no secret: the listener's webhook id is
//! a required setting. Events are typed by `event_type`, deduplicated on the
//! event `id` (`WH-…`, the same on redelivery), about `resource.id`, at
//! `create_time`.

mod crc32;
mod signature;

pub use crc32::crc32;
use hookyard_sdk::prelude::*;
use signature::PayPalSignature;

pub struct PayPal;

const SETTINGS: &str = r#"{
  "type": "object",
  "properties": {
    "webhook_id": {"type": "string", "minLength": 1,
      "description": "The Webhook ID PayPal shows for this listener: developer.paypal.com → Apps & Credentials → your app → Webhooks (the ID column), or the id returned by POST /v1/notifications/webhooks. PayPal signs it into every delivery."},
    "tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
      "description": "Largest accepted difference between PAYPAL-TRANSMISSION-TIME and the host clock (PayPal documents no window)"}
  },
  "required": ["webhook_id"],
  "additionalProperties": false
}"#;

impl Declared for PayPal {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "paypal",
            "PayPal",
            "PayPal REST webhooks (payments, orders, subscriptions, disputes, payouts)"
        )
        .docs("https://developer.paypal.com/api/rest/webhooks/rest/")
        .settings_schema(SETTINGS)
        .events_file(include_str!("../events.txt"))
        .fetch_origins(&["https://api.paypal.com", "https://api.sandbox.paypal.com"]),
        &PayPalSignature,
    )
    .event_type(Field::pointer("/event_type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/resource/id"))
    .time(Time::rfc3339("/create_time"));
}

hookyard_sdk::export_adapter!(PayPal);
