//! WooCommerce webhooks: `X-WC-Webhook-Signature: <base64 HMAC-SHA256(secret,
//! raw body)>` (`WC_Webhook::generate_signature`; the secret is used as
//! WordPress stores it, HTML entities such as `&amp;` decoded). No timestamp is
//! signed.
//!
//! Paste the webhook's secret: WordPress admin → WooCommerce → Settings →
//! Advanced → Webhooks → the webhook → Secret (WooCommerce generates one when
//! it is left empty; copy it from there). To change it, edit the field and keep the
//! old and new secrets here until deliveries signed with the old one stop.
//!
//! Handshake: saving an active webhook makes WooCommerce POST an unsigned
//! form body `webhook_id=<id>` and expect 200; that ping is answered 200 and
//! stores nothing (it carries nothing else). Deliveries carry the topic in
//! `X-WC-Webhook-Topic` (the event type), `X-WC-Webhook-Delivery-ID` (the
//! dedup id) and `X-WC-Webhook-Resource`; the body is the REST API's resource
//! (only `{id}` for `*.deleted`, `{action, arg}` for custom action topics):
//! the subject is `resource/id` (`order/123`, `action/<arg>`),
//! the time `date_modified_gmt` (else `date_created_gmt`, UTC without zone).

use hookyard_sdk::prelude::*;

pub struct WooCommerce;

/// The creation ping: unsigned, `webhook_id=<digits>`.
fn ping(request: &Request) -> bool {
    let id = request.body.strip_prefix(b"webhook_id=".as_slice());
    request.header("X-WC-Webhook-Signature").is_none()
        && id.is_some_and(|id| !id.is_empty() && id.iter().all(u8::is_ascii_digit))
}

impl Declared for WooCommerce {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("woocommerce", "WooCommerce", "WooCommerce store webhooks: orders, products, customers and coupons")
            .docs("https://woocommerce.com/document/webhooks/")
            .secret("Webhook secret", "The webhook's secret: WordPress admin → WooCommerce → Settings → Advanced → Webhooks → your webhook → Secret. Paste it as shown there.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-WC-Webhook-Signature", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::header("X-WC-Webhook-Topic"))
    .dedup_id(Field::header("X-WC-Webhook-Delivery-ID"))
    .subject(Field::custom(|s| {
        // A resource's id, or a custom action's first argument.
        let id = json_string(s.record, "/id").or_else(|| json_string(s.record, "/arg"))?;
        Some(format!("{}/{id}", s.request.header("X-WC-Webhook-Resource")?.trim()))
    }))
    .time(Time::first(&[Time::iso8601("/date_modified_gmt"), Time::iso8601("/date_created_gmt")]))
    .user_agent("WooCommerce/10.9.0 Hookshot (WordPress/6.9)");

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        context.require_secrets()?;
        if ping(request) {
            return Ok(());
        }
        Self::DECLARATION.verify(request, context)
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        if !ping(request) {
            return Self::DECLARATION.handle_in(request, context);
        }
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![],
            body: vec![],
        }))
    }
}

hookyard_sdk::export_adapter!(WooCommerce);
