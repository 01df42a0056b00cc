//! WorkOS webhooks: `WorkOS-Signature: t=<unix milliseconds>, v1=<hex>`, where
//! v1 is the HMAC-SHA256 of `"{t}.{raw body}"` (t exactly as sent, in
//! milliseconds) keyed with the endpoint's webhook secret as-is. The timestamp
//! must be within 180 s of the host clock, WorkOS's own default in its SDKs
//! (`tolerance_seconds` changes it). WorkOS has no handshake.
//!
//! The event type is the body's `event` (`dsync.user.created`), the dedup id its
//! `id` (`event_01…`, the same on WorkOS's retries), the subject `data.id` (the
//! user, connection, directory or organization), the time `created_at`. Each
//! endpoint has one secret: to rotate it, add the new one here as a second
//! active secret before regenerating it in WorkOS, and remove the old one once
//! deliveries verify with the new one.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct WorkOs;

/// WorkOS SDKs' default tolerance.
const DEFAULT_TOLERANCE_SECONDS: i64 = 180;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    DEFAULT_TOLERANCE_SECONDS
}

const EVENTS: &[&str] = &[
    "authentication.email_verification_failed",
    "authentication.email_verification_succeeded",
    "authentication.magic_auth_failed",
    "authentication.magic_auth_succeeded",
    "authentication.mfa_failed",
    "authentication.mfa_succeeded",
    "authentication.oauth_failed",
    "authentication.oauth_succeeded",
    "authentication.passkey_failed",
    "authentication.passkey_succeeded",
    "authentication.password_failed",
    "authentication.password_succeeded",
    "authentication.radar_risk_detected",
    "authentication.reauthentication_succeeded",
    "authentication.sso_failed",
    "authentication.sso_started",
    "authentication.sso_succeeded",
    "authentication.sso_timed_out",
    "connection.activated",
    "connection.deactivated",
    "connection.deleted",
    "connection.saml_certificate_renewal_required",
    "connection.saml_certificate_renewed",
    "dsync.activated",
    "dsync.deleted",
    "dsync.group.created",
    "dsync.group.deleted",
    "dsync.group.updated",
    "dsync.group.user_added",
    "dsync.group.user_removed",
    "dsync.token.created",
    "dsync.token.revoked",
    "dsync.user.created",
    "dsync.user.deleted",
    "dsync.user.updated",
    "email_verification.created",
    "invitation.accepted",
    "invitation.created",
    "invitation.resent",
    "invitation.revoked",
    "magic_auth.created",
    "organization.created",
    "organization.deleted",
    "organization.updated",
    "organization_domain.created",
    "organization_domain.deleted",
    "organization_domain.updated",
    "organization_domain.verification_failed",
    "organization_domain.verified",
    "organization_membership.created",
    "organization_membership.deleted",
    "organization_membership.updated",
    "password_reset.created",
    "password_reset.succeeded",
    "role.created",
    "role.deleted",
    "role.updated",
    "session.created",
    "session.revoked",
    "user.created",
    "user.deleted",
    "user.updated",
];

const SIGNATURE_HEADER: &str = "WorkOS-Signature";

impl Adapter for WorkOs {
    fn manifest() -> Manifest {
        Manifest {
            name: "workos".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "WorkOS".into(),
            description: "WorkOS events: AuthKit users and sessions, SSO connections, Directory Sync, organizations".into(),
            docs_url: "https://workos.com/docs/events/data-syncing/webhooks".into(),
            secrets: vec![SecretSpec {
                label: "Webhook secret".into(),
                help: "The endpoint's signing secret: WorkOS dashboard → Webhooks → your endpoint → \"Signing secret\" (copy it from the endpoint's page). Use the secret of the matching environment (staging or production).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": DEFAULT_TOLERANCE_SECONDS,
                    "description": "Largest accepted difference between the signed timestamp and now"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|name| EventTypeInfo { name: name.to_string(), description: String::new() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/event".into(), note: String::new() },
            presets: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let header =
            TimestampedHeader::from_request(&request, SIGNATURE_HEADER, (',', '='), ("t", "v1"))?;
        // Digits only: no sign, so "-0" or "+5" never stand for a time.
        let t = &header.timestamp;
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VerifyError::Malformed(
                "WorkOS-Signature has no timestamp t=".into(),
            ));
        }
        let timestamp_ms = header.parsed_timestamp()?;
        header.verify(secrets, '.', &request.body)?;
        check_timestamp_ms(timestamp_ms, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/event")
            .ok_or_else(|| HandleError::Malformed("event has no \"event\" field".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/id"),
            occurred_at: json_string(&body, "/created_at").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/data/id"),
            data: String::from_utf8(request.body).expect("valid JSON is UTF-8"),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = input.now_ms.to_string();
        let signature = sign_timestamped(&input.secret, &timestamp, '.', &input.body);
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(SIGNATURE_HEADER, format!("t={timestamp}, v1={signature}")),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(WorkOs);
