//! Netlify deploy and form notifications ("outgoing webhooks"):
//! `X-Webhook-Signature: <JWS, HS256, keyed with the JWS secret token>` whose
//! claims are `iss: "netlify"` and `sha256`, the hex SHA-256 of the raw body
//! (docs.netlify.com/site-deploys/notifications, "Payload signature"). The
//! host's `verify-jwt` checks the HS256 signature and the issuer; the adapter
//! compares the body's hash. The JWS carries no time, so there is no tolerance
//! (a captured request can be replayed; deduplication catches exact repeats).
//!
//! What to paste: the "JWS secret token" you type when adding the outgoing
//! webhook (Project configuration → Notifications → Deploy notifications, or
//! Forms → Form notifications → Add notification → Outgoing webhook); without
//! one Netlify signs nothing and this adapter refuses everything. Rotating: each
//! notification has its own token; add the new one here, change it on every
//! notification, then remove the old one. No handshake.
//!
//! The body is the deploy (or the form submission) object: the event type is
//! the `X-Netlify-Event` header (not covered by the JWS), the subject the
//! site's id, the time `updated_at` (else `created_at`), the dedup id the event,
//! the object's id and its `updated_at` (one deploy goes through several events).

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;

const HEADER: &str = "X-Webhook-Signature";

fn base64url(bytes: &[u8]) -> String {
    base64_encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

pub struct NetlifyJws;

impl SigningScheme for NetlifyJws {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let token = request.require_header(HEADER)?.trim();
        let rules = JwtRules {
            algorithms: vec!["HS256".into()],
            audiences: vec![],
            issuers: vec!["netlify".into()],
            require_expiry: false,
            leeway_seconds: 0,
            now_ms: context.now_ms,
        };
        // The first secret whose MAC matches gives the claims; any other refusal is final.
        let mut outcome = Err(JwtError::BadSignature);
        for secret in secrets {
            outcome = crypto::verify_jwt(token, secret.as_bytes(), &rules);
            if !matches!(outcome, Err(JwtError::BadSignature)) {
                break;
            }
        }
        let claims = outcome.map_err(|e| match e {
            JwtError::BadSignature => VerifyError::BadSignature,
            JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
            JwtError::Malformed(why) | JwtError::Claims(why) => {
                VerifyError::Malformed(format!("{HEADER}: {why}"))
            }
        })?;
        let claims: Value = serde_json::from_str(&claims)
            .map_err(|_| VerifyError::Malformed(format!("{HEADER}: claims are not JSON")))?;
        let sha256 = json_string(&claims, "/sha256")
            .ok_or_else(|| VerifyError::Malformed(format!("{HEADER}: no sha256 claim")))?;
        let body = hex_encode(&crypto::sha256(&request.body));
        match crypto::constant_time_eq(sha256.to_ascii_lowercase().as_bytes(), body.as_bytes()) {
            true => Ok(()),
            false => Err(VerifyError::BadSignature),
        }
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let claims = json!({"iss": "netlify", "sha256": hex_encode(&crypto::sha256(&input.body))});
        let signing_input = format!(
            "{}.{}",
            base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            base64url(claims.to_string().as_bytes())
        );
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), signing_input.as_bytes());
        Ok(request.header(HEADER, format!("{signing_input}.{}", base64url(&mac))))
    }
}

pub struct Netlify;

impl Declared for Netlify {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("netlify", "Netlify", "Netlify deploy, form submission and split test notifications")
            .docs("https://docs.netlify.com/site-deploys/notifications/#payload-signature")
            .secret("JWS secret token", "The JWS secret token of the outgoing webhook notification (Project configuration → Notifications; Forms → Form notifications). Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &NetlifyJws,
    )
    .event_type(Field::header("X-Netlify-Event"))
    .dedup_id(Field::joined(&[Field::header("X-Netlify-Event"), Field::pointer("/id"), Field::pointer("/updated_at")], ":"))
    .subject(Field::pointer("/site_id"))
    .time(Time::first(&[Time::iso8601("/updated_at"), Time::iso8601("/created_at")]));
}

hookyard_sdk::export_adapter!(Netlify);
