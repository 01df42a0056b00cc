//! Microsoft Entra ID authentication of Event Grid deliveries ("Deliver
//! events to Microsoft Entra protected endpoints"): Event Grid sends
//! `Authorization: Bearer <access token>` issued by the tenant for the
//! webhook's Entra application. The token is checked with the tenant's keys
//! (`https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`,
//! fetched through the host), RS256, its issuer (v1 `sts.windows.net` or v2
//! `login.microsoftonline.com` form of that tenant), its audience (the
//! application ID or URI), its expiry, and the app role Microsoft's setup
//! assigns to Event Grid's service principal
//! (`AzureEventGridSecureWebhookSubscriber` unless set otherwise).

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;

/// Where Entra's keys live; the manifest declares this origin.
pub const ORIGIN: &str = "https://login.microsoftonline.com";

const DEFAULT_ROLE: &str = "AzureEventGridSecureWebhookSubscriber";

/// What a token must satisfy.
pub struct Entra<'a> {
    pub tenant_id: &'a str,
    pub audience: &'a str,
    pub role: Option<&'a str>,
}

/// A tenant id or domain: letters, digits, `-` and `.` only (it goes into
/// the keys' URL path).
fn valid_tenant(tenant: &str) -> bool {
    !tenant.is_empty()
        && tenant
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

impl Entra<'_> {
    /// Checks the request's bearer token.
    pub fn verify(&self, request: &Request, now_ms: i64) -> Result<(), VerifyError> {
        if !valid_tenant(self.tenant_id) {
            return Err(VerifyError::Malformed(
                "invalid settings: entra_tenant_id".into(),
            ));
        }
        let header = request.require_header("Authorization")?;
        let token = bearer_token(header)
            .ok_or_else(|| VerifyError::Malformed("Authorization is not Bearer <token>".into()))?;
        let url = format!("{ORIGIN}/{}/discovery/v2.0/keys", self.tenant_id);
        let keys = fetch::get_bytes(&url)
            .map_err(|why| VerifyError::Unauthorized(format!("Entra keys: {why}")))?;
        let rules = JwtRules {
            algorithms: vec!["RS256".into()],
            audiences: vec![self.audience.to_string()],
            issuers: vec![
                format!("https://sts.windows.net/{}/", self.tenant_id),
                format!("{ORIGIN}/{}/v2.0", self.tenant_id),
            ],
            require_expiry: true,
            leeway_seconds: 60,
            now_ms,
        };
        let claims = crypto::verify_jwt(token, &keys, &rules).map_err(|e| match e {
            JwtError::Malformed(why) => VerifyError::Malformed(format!("token: {why}")),
            JwtError::BadSignature => VerifyError::BadSignature,
            JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
            JwtError::Claims(why) => VerifyError::Unauthorized(format!("token: {why}")),
        })?;
        let claims: Value = hookyard_sdk::serde_json::from_str(&claims)
            .map_err(|e| VerifyError::Malformed(format!("token claims: {e}")))?;
        let role = self.role.unwrap_or(DEFAULT_ROLE);
        let has_role = claims
            .get("roles")
            .and_then(Value::as_array)
            .is_some_and(|roles| roles.iter().any(|r| r.as_str() == Some(role)));
        if has_role {
            Ok(())
        } else {
            Err(VerifyError::Unauthorized(format!(
                "the token has no role {role}"
            )))
        }
    }
}
