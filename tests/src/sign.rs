//! Vendor signing, written from the vendors' documentation and independent
//! of the adapters under test.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A request as a vendor would send it.
#[derive(Debug, Clone)]
pub struct Signed {
    pub method: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Signed {
    fn post(headers: Vec<(&str, String)>, body: &str) -> Signed {
        let mut headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        headers.push(("Content-Type".into(), "application/json".into()));
        Signed {
            method: "POST".into(),
            query: String::new(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    /// The same request with another body (signature unchanged).
    pub fn tampered(&self) -> Signed {
        let mut copy = self.clone();
        copy.body.extend_from_slice(b" ");
        copy
    }

    /// The same request without one header.
    pub fn without(&self, name: &str) -> Signed {
        let mut copy = self.clone();
        copy.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        copy
    }
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// GitHub: `X-Hub-Signature-256: sha256=<hex HMAC(secret, body)>`.
pub fn github(secret: &str, event: &str, delivery: &str, body: &str) -> Signed {
    let signature = format!(
        "sha256={}",
        hex::encode(hmac_sha256(secret.as_bytes(), body.as_bytes()))
    );
    Signed::post(
        vec![
            ("X-GitHub-Event", event.into()),
            ("X-GitHub-Delivery", delivery.into()),
            ("X-Hub-Signature-256", signature),
            ("User-Agent", "GitHub-Hookshot/test".into()),
        ],
        body,
    )
}

/// Stripe: `Stripe-Signature: t=<ts>,v1=<hex HMAC(secret, "{t}.{body}")>`.
pub fn stripe(secret: &str, timestamp: i64, body: &str) -> Signed {
    let mac = hmac_sha256(secret.as_bytes(), format!("{timestamp}.{body}").as_bytes());
    Signed::post(
        vec![(
            "Stripe-Signature",
            format!("t={timestamp},v1={}", hex::encode(mac)),
        )],
        body,
    )
}

/// Standard Webhooks: `v1,<base64 HMAC(base64-decoded whsec, "{id}.{ts}.{body}")>`
/// under `webhook-*` headers, or `svix-*` with `prefix = "svix"`.
pub fn standard_webhooks(
    prefix: &str,
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &str,
) -> Signed {
    let key = B64.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mac = hmac_sha256(&key, format!("{id}.{timestamp}.{body}").as_bytes());
    Signed::post(
        vec![
            (&format!("{prefix}-id"), id.into()),
            (&format!("{prefix}-timestamp"), timestamp.to_string()),
            (
                &format!("{prefix}-signature"),
                format!("v1,{}", B64.encode(mac)),
            ),
        ],
        body,
    )
}

/// Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC(secret, body)>`.
pub fn shopify(secret: &str, topic: &str, webhook_id: &str, body: &str) -> Signed {
    let mac = hmac_sha256(secret.as_bytes(), body.as_bytes());
    Signed::post(
        vec![
            ("X-Shopify-Hmac-Sha256", B64.encode(mac)),
            ("X-Shopify-Topic", topic.into()),
            ("X-Shopify-Webhook-Id", webhook_id.into()),
            ("X-Shopify-Shop-Domain", "example.myshopify.com".into()),
        ],
        body,
    )
}

/// Slack: `X-Slack-Signature: v0=<hex HMAC(secret, "v0:{ts}:{body}")>`.
pub fn slack(secret: &str, timestamp: i64, body: &str) -> Signed {
    let mac = hmac_sha256(
        secret.as_bytes(),
        format!("v0:{timestamp}:{body}").as_bytes(),
    );
    Signed::post(
        vec![
            ("X-Slack-Request-Timestamp", timestamp.to_string()),
            ("X-Slack-Signature", format!("v0={}", hex::encode(mac))),
        ],
        body,
    )
}

/// A plain HMAC-SHA256 hex signature in one header, as generic-hmac defaults to.
pub fn generic_hmac(secret: &str, header: &str, prefix: &str, body: &str) -> Signed {
    let mac = hmac_sha256(secret.as_bytes(), body.as_bytes());
    Signed::post(
        vec![(header, format!("{prefix}{}", hex::encode(mac)))],
        body,
    )
}
