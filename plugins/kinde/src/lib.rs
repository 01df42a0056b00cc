//! Kinde webhooks (users, sign-ins, organizations, roles, permissions, access
//! requests, subscribers): the request body is itself a JWT, RS256-signed by
//! Kinde, whose claims are the event (docs.kinde.com/integrate/webhooks,
//! "Webhook security"). The key is fetched from the business's JWKS,
//! `https://<your_subdomain>.kinde.com/.well-known/jwks`, and the host's
//! `verify-jwt` checks the signature (by `kid`) and `exp` when present. Kinde
//! signs with its private key, so there is nothing to paste as a secret and
//! this adapter cannot sign (`hookyard send` cannot make a Kinde request).
//! Kinde documents no time window: a captured request can be replayed, and
//! deduplication on `event_id` catches it.
//!
//! What to set: the source's `domain` setting, your Kinde business domain
//! (`acme.kinde.com`, or just `acme`); custom domains are not fetched from.
//! Key rotation is Kinde's: the JWKS is read on every request. There is no
//! handshake.
//!
//! The claims are `{type, event_id, source, timestamp, data: {…}}`: the event
//! type is `type`, the dedup id `event_id`, the subject the object in `data`
//! (the user's id, the organization's code, the role's, permission's or
//! subscriber's id, the access request's user), the time `timestamp`; the
//! event's data is the claims. Catalog: `events.txt`, the 16 types of Kinde's
//! own `@kinde/webhooks` library.

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;

/// The business's subdomain from the `domain` setting (`acme`, `acme.kinde.com`, `https://acme.kinde.com/`).
fn subdomain(context_settings: Option<String>) -> Result<String, VerifyError> {
    let domain = context_settings
        .ok_or_else(|| VerifyError::Unauthorized("the domain setting is required".into()))?;
    let host = domain
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let sub = host.strip_suffix(".kinde.com").unwrap_or(&host).to_string();
    let valid = !sub.is_empty()
        && sub.len() <= 63
        && sub.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match valid {
        true => Ok(sub),
        false => Err(VerifyError::Unauthorized(format!(
            "the domain setting {domain:?} is not a <subdomain>.kinde.com domain"
        ))),
    }
}

/// The body's JWT, checked against the business's JWKS.
pub struct KindeJwt;

impl SigningScheme for KindeJwt {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let sub = subdomain(
            context
                .setting_text("domain")
                .map_err(VerifyError::Malformed)?,
        )?;
        let token = std::str::from_utf8(&request.body)
            .map_err(|_| VerifyError::Malformed("the body is not a JWT".into()))?
            .trim();
        if token.is_empty() {
            return Err(VerifyError::MissingSignature("the body's JWT".into()));
        }
        let keys = fetch::get_bytes(&format!("https://{sub}.kinde.com/.well-known/jwks"))
            .map_err(|why| VerifyError::Unauthorized(format!("Kinde's keys: {why}")))?;
        let rules = JwtRules {
            algorithms: vec!["RS256".into()],
            audiences: vec![],
            issuers: vec![],
            require_expiry: false,
            leeway_seconds: 0,
            now_ms: context.now_ms,
        };
        crypto::verify_jwt(token, &keys, &rules)
            .map(|_| ())
            .map_err(|e| match e {
                JwtError::Malformed(why) => VerifyError::Malformed(format!("body JWT: {why}")),
                JwtError::BadSignature => VerifyError::BadSignature,
                JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
                JwtError::Claims(why) => VerifyError::Unauthorized(format!("body JWT: {why}")),
            })
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("Kinde signs webhooks with its private key; Hookyard cannot sign them".into())
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![(
            "domain",
            json!({"type": "string", "minLength": 1, "description": "Your Kinde business domain, e.g. acme.kinde.com (its JWKS is https://<subdomain>.kinde.com/.well-known/jwks)"}),
        )]
    }
}

/// The verified JWT's claims (the middle segment, base64url JSON).
fn claims(request: &Request) -> Result<Value, HandleError> {
    let token = std::str::from_utf8(&request.body)
        .map_err(|_| HandleError::Malformed("the body is not a JWT".into()))?
        .trim();
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| HandleError::Malformed("the body is not a compact JWT".into()))?;
    let standard: String = payload.replace('-', "+").replace('_', "/");
    let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
    let bytes = base64_decode(&padded).map_err(HandleError::Malformed)?;
    hookyard_sdk::serde_json::from_slice(&bytes)
        .map_err(|e| HandleError::Malformed(format!("JWT claims are not JSON: {e}")))
}

pub struct Kinde;

impl Declared for Kinde {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("kinde", "Kinde", "Kinde user, sign-in, organization, role, permission, access request and subscriber webhooks")
            .docs("https://docs.kinde.com/integrate/webhooks/add-manage-webhooks/")
            .events_file(include_str!("../events.txt"))
            .required_settings(&["domain"])
            .discriminator_note("the type claim of the JWT that is the body")
            .fetch_origins(&["https://*.kinde.com"]),
        &KindeJwt,
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/event_id"))
    .subject(Field::first(&[
        Field::pointer("/data/user/id"),
        Field::pointer("/data/organization/code"),
        Field::pointer("/data/role/id"),
        Field::pointer("/data/permission/id"),
        Field::pointer("/data/subscriber/id"),
        Field::pointer("/data/access_request/user_id"),
    ]))
    .time(Time::rfc3339("/timestamp"));

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let body = claims(request)?;
        let settings: Value = parse_settings(&context.settings).map_err(HandleError::Malformed)?;
        let mut events = Self::DECLARATION
            .mapping
            .events_with(request, &body, &settings)?;
        // The event's data is the verified claims, not the JWT text.
        for event in &mut events {
            event.data = body.to_string();
        }
        Ok(Outcome::Events(events))
    }
}

hookyard_sdk::export_adapter!(Kinde);
