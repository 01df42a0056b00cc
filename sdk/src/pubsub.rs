//! Google Cloud Pub/Sub push deliveries, shared by the adapters that receive
//! them (`plugins/google-pubsub`, `plugins/google-play`, whose Real-time
//! developer notifications arrive through Pub/Sub).
//!
//! A push subscription with authentication sends `Authorization: Bearer`
//! with a Google-signed OIDC token (RS256). [`verify_push`] checks it as
//! Google documents ("Authenticate push subscriptions"): the signature with
//! Google's keys ([`GOOGLE_JWKS`], fetched through the host, so the adapter
//! declares exactly that origin), `iss` `accounts.google.com` (with or
//! without `https://`), `aud` the audience configured on the subscription,
//! `exp`, and, when the source names the service account, `email` with
//! `email_verified`. [`PushMessage::parse`] reads the envelope
//! `{message: {data, attributes, messageId, publishTime}, subscription}`.

use crate::auth::bearer_token;
use crate::crypto::{self, JwtError, JwtRules};
use crate::encoding::base64_decode;
use crate::fetch;
use crate::request::{RequestExt, json_string};
use crate::time::rfc3339_to_ms;
use crate::{HandleError, Request, VerifyError};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Google's OIDC signing keys (JWKS).
pub const GOOGLE_JWKS: &str = "https://www.googleapis.com/oauth2/v3/certs";

/// The issuers Google's OIDC tokens carry.
pub const GOOGLE_ISSUERS: &[&str] = &["https://accounts.google.com", "accounts.google.com"];

/// Clock skew allowed on `exp`/`nbf`/`iat`, in seconds.
const LEEWAY_SECONDS: u32 = 60;

/// The settings every Pub/Sub push source has, as JSON Schema properties.
pub const SETTINGS_PROPERTIES: &str = r#""audience": {"type": "string", "minLength": 1, "description": "The audience set on the push subscription (Pub/Sub console: subscription > Push endpoint > Enable authentication > Audience; by default the push endpoint URL). Tokens for any other audience are refused."},
    "service_account_email": {"type": "string", "description": "The service account the subscription authenticates as (same console section); when set, the token's email must be it and verified."}"#;

/// Who must have sent the push.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct PushAuth {
    /// The subscription's audience (required: an empty one fails closed).
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub service_account_email: Option<String>,
}

/// Checks the request's OIDC token against Google's keys and `auth`;
/// returns the token's claims.
pub fn verify_push(request: &Request, auth: &PushAuth, now_ms: i64) -> Result<Value, VerifyError> {
    let audience = auth
        .audience
        .as_deref()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| VerifyError::Unauthorized("the audience setting is required".into()))?;
    let header = request.require_header("Authorization")?;
    let token = bearer_token(header)
        .ok_or_else(|| VerifyError::Malformed("Authorization is not Bearer <token>".into()))?;
    let keys = fetch::get_bytes(GOOGLE_JWKS)
        .map_err(|why| VerifyError::Unauthorized(format!("Google's keys: {why}")))?;
    let rules = JwtRules {
        algorithms: vec!["RS256".into()],
        audiences: vec![audience.to_string()],
        issuers: GOOGLE_ISSUERS.iter().map(|i| i.to_string()).collect(),
        require_expiry: true,
        leeway_seconds: LEEWAY_SECONDS,
        now_ms,
    };
    let claims = crypto::verify_jwt(token, &keys, &rules).map_err(|e| match e {
        JwtError::Malformed(why) => VerifyError::Malformed(format!("token: {why}")),
        JwtError::BadSignature => VerifyError::BadSignature,
        JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
        JwtError::Claims(why) => VerifyError::Unauthorized(format!("token: {why}")),
    })?;
    let claims: Value = serde_json::from_str(&claims)
        .map_err(|e| VerifyError::Malformed(format!("token claims: {e}")))?;
    if let Some(email) = auth
        .service_account_email
        .as_deref()
        .filter(|e| !e.is_empty())
    {
        let verified = claims.get("email_verified") == Some(&Value::Bool(true));
        if json_string(&claims, "/email").as_deref() != Some(email) || !verified {
            return Err(VerifyError::Unauthorized(format!(
                "the token is not from a verified {email}"
            )));
        }
    }
    Ok(claims)
}

/// One pushed message.
#[derive(Debug, Clone)]
pub struct PushMessage {
    /// `message.data`, base64-decoded (empty when absent).
    pub data: Vec<u8>,
    /// `message.data` as sent (base64).
    pub data_base64: String,
    pub attributes: Map<String, Value>,
    pub message_id: Option<String>,
    /// `message.publishTime` in ms since the epoch.
    pub publish_time_ms: Option<i64>,
    pub subscription: Option<String>,
}

impl PushMessage {
    /// Reads the push envelope of `request`.
    pub fn parse(request: &Request) -> Result<Self, HandleError> {
        let body = request.json()?;
        let message = body
            .get("message")
            .filter(|m| m.is_object())
            .ok_or_else(|| HandleError::Malformed("no message in the push body".into()))?;
        let data_base64 = json_string(message, "/data").unwrap_or_default();
        let data = base64_decode(&data_base64)
            .map_err(|_| HandleError::Malformed("message.data is not base64".into()))?;
        Ok(Self {
            data,
            data_base64,
            attributes: message
                .get("attributes")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            message_id: json_string(message, "/messageId")
                .or_else(|| json_string(message, "/message_id")),
            publish_time_ms: json_string(message, "/publishTime")
                .or_else(|| json_string(message, "/publish_time"))
                .and_then(|t| rfc3339_to_ms(&t)),
            subscription: json_string(&body, "/subscription"),
        })
    }

    /// The data as JSON, when it is JSON.
    pub fn json_data(&self) -> Option<Value> {
        serde_json::from_slice(&self.data).ok()
    }

    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }
}

/// [`verify_push`] as a declared scheme, reading [`PushAuth`] from the
/// source's settings. Nothing can be signed: the token is Google's.
pub struct OidcPush;

impl crate::scheme::SigningScheme for OidcPush {
    fn verify(&self, request: &Request, context: &crate::Context) -> Result<(), VerifyError> {
        let auth: PushAuth =
            crate::request::parse_settings(&context.settings).map_err(VerifyError::Malformed)?;
        verify_push(request, &auth, context.now_ms).map(|_| ())
    }

    fn sign(
        &self,
        _input: &crate::SignInput,
        _request: crate::signed::SignedRequestBuilder,
    ) -> Result<crate::signed::SignedRequestBuilder, String> {
        Err("Pub/Sub push tokens are signed by Google; Hookyard cannot sign them".into())
    }

    /// `audience` and `service_account_email` ([`SETTINGS_PROPERTIES`]), for
    /// a declaration's generated schema (add
    /// `.required_settings(&["audience"])` to the manifest).
    fn settings(&self) -> Vec<(&'static str, Value)> {
        let properties: Map<String, Value> =
            serde_json::from_str(&format!("{{{SETTINGS_PROPERTIES}}}"))
                .expect("SETTINGS_PROPERTIES is JSON object members");
        ["audience", "service_account_email"]
            .into_iter()
            .map(|name| (name, properties[name].clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::SigningScheme;

    #[test]
    fn the_push_settings_are_declared_by_the_scheme() {
        let settings = OidcPush.settings();
        let names: Vec<&str> = settings.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["audience", "service_account_email"]);
        assert_eq!(settings[0].1["minLength"], 1);
        assert_eq!(settings[1].1["type"], "string");
    }
}
