//! Event Grid signs nothing. The documented way to authenticate a webhook
//! subscription without Entra ID is a secret the operator puts in the
//! subscription's endpoint URL (`https://…/webhooks/wh_x?code=<secret>`, the
//! parameter name settable with `query_parameter`) or in a delivery
//! property header (default `Authorization`, `Bearer ` optional). Either one
//! equal to an active secret passes, compared in constant time (the SDK's
//! `token_matches_any`); a wrong one is `unauthorized`, none
//! `missing-signature`. It proves the sender knows the secret, not the body.
//!
//! With Entra ID settings the delivery must carry a valid Entra token
//! ([`crate::entra`]); a secret, when the source also has one, is then
//! required as well.

use crate::entra::Entra;
use hookyard_sdk::prelude::*;
use serde::Deserialize;

/// The source's settings.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The query parameter carrying the secret (default `code`).
    pub query_parameter: Option<String>,
    /// The header carrying the secret (default `Authorization`).
    pub header: Option<String>,
    /// Entra ID authentication: the tenant and the application (audience).
    pub entra_tenant_id: Option<String>,
    pub entra_audience: Option<String>,
    /// The app role the token must carry.
    pub entra_role: Option<String>,
}

impl Settings {
    pub fn query_parameter(&self) -> &str {
        self.query_parameter.as_deref().unwrap_or("code")
    }

    pub fn header(&self) -> &str {
        self.header.as_deref().unwrap_or("Authorization")
    }

    /// Entra ID authentication, when both its settings are set (one alone is
    /// a settings error: fail closed).
    pub fn entra(&self) -> Result<Option<Entra<'_>>, VerifyError> {
        match (
            self.entra_tenant_id.as_deref().filter(|t| !t.is_empty()),
            self.entra_audience.as_deref().filter(|a| !a.is_empty()),
        ) {
            (Some(tenant_id), Some(audience)) => Ok(Some(Entra {
                tenant_id,
                audience,
                role: self.entra_role.as_deref().filter(|r| !r.is_empty()),
            })),
            (None, None) => Ok(None),
            _ => Err(VerifyError::Malformed(
                "invalid settings: entra_tenant_id and entra_audience go together".into(),
            )),
        }
    }
}

pub const SETTINGS: &[(&str, &str)] = &[
    (
        "query_parameter",
        r#"{"type": "string", "minLength": 1, "description": "Query parameter of the endpoint URL carrying the secret (default code)"}"#,
    ),
    (
        "header",
        r#"{"type": "string", "minLength": 1, "description": "Delivery property header carrying the secret instead (default Authorization; Bearer prefix optional)"}"#,
    ),
    (
        "entra_tenant_id",
        r#"{"type": "string", "description": "Microsoft Entra ID authentication: the tenant ID of the webhook's Entra application (Entra admin center > App registrations > Overview). With entra_audience, deliveries must carry an Entra token"}"#,
    ),
    (
        "entra_audience",
        r#"{"type": "string", "description": "The Entra application ID or Application ID URI set on the event subscription (Additional features > Use Microsoft Entra authentication)"}"#,
    ),
    (
        "entra_role",
        r#"{"type": "string", "description": "The app role Event Grid's service principal is assigned (default AzureEventGridSecureWebhookSubscriber)"}"#,
    ),
];

/// The shared secret, in the query or a header.
pub struct SharedKey;

impl SigningScheme for SharedKey {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let entra = settings.entra()?;
        if let Some(entra) = &entra {
            entra.verify(request, context.now_ms)?;
            if context.secrets.is_empty() {
                return Ok(());
            }
        }
        let secrets = context.require_secrets()?;
        // With Entra ID, `Authorization` carries the token, not the secret.
        let header = Some(settings.header())
            .filter(|h| entra.is_none() || !h.eq_ignore_ascii_case("Authorization"));
        let mut presented = Vec::new();
        if let Some(code) = request
            .query_param(settings.query_parameter())
            .filter(|c| !c.is_empty())
        {
            presented.push(code);
        }
        if let Some(value) = header
            .and_then(|h| request.header(h))
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            presented.push(bearer_token(value).unwrap_or(value).to_string());
        }
        if presented.is_empty() {
            return Err(VerifyError::MissingSignature(format!(
                "?{}= or {}",
                settings.query_parameter(),
                settings.header()
            )));
        }
        // Every token presented is compared: which one matched must not show.
        let matched = presented.iter().fold(false, |matched, token| {
            matched | token_matches_any(secrets, token).is_ok()
        });
        if matched {
            Ok(())
        } else {
            Err(VerifyError::Unauthorized(
                "the secret does not match".into(),
            ))
        }
    }

    /// Event Grid's notification, with the secret in the query.
    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let settings: Settings = input.settings()?;
        let separator = if input.url.contains('?') { '&' } else { '?' };
        let code = percent_encode(&input.secret);
        Ok(request
            .url(format!(
                "{}{separator}{}={code}",
                input.url,
                settings.query_parameter()
            ))
            .header("aeg-event-type", "Notification"))
    }
}

/// `text` with every byte but RFC 3986's unreserved ones as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
