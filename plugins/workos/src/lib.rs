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

pub struct WorkOs;

const EVENTS: &[(&str, &str)] = &[
    (
        "authentication.email_verification_failed",
        "A user failed to verify their email",
    ),
    (
        "authentication.email_verification_succeeded",
        "A user verified their email",
    ),
    (
        "authentication.magic_auth_failed",
        "A user failed to authenticate with Magic Auth",
    ),
    (
        "authentication.magic_auth_succeeded",
        "A user authenticated with Magic Auth",
    ),
    (
        "authentication.mfa_failed",
        "A user failed to authenticate with a multi-factor authentication code",
    ),
    (
        "authentication.mfa_succeeded",
        "A user authenticated with a multi-factor authentication code",
    ),
    (
        "authentication.oauth_failed",
        "A user failed to authenticate with OAuth",
    ),
    (
        "authentication.oauth_succeeded",
        "A user authenticated with OAuth",
    ),
    (
        "authentication.passkey_failed",
        "A user failed to authenticate with a passkey",
    ),
    (
        "authentication.passkey_succeeded",
        "A user authenticated with a passkey",
    ),
    (
        "authentication.password_failed",
        "A user failed to authenticate with password credentials",
    ),
    (
        "authentication.password_succeeded",
        "A user authenticated with password credentials",
    ),
    (
        "authentication.radar_risk_detected",
        "Radar detected a risk during an authentication",
    ),
    (
        "authentication.reauthentication_succeeded",
        "A user re-authenticated successfully",
    ),
    (
        "authentication.sso_failed",
        "A user failed to authenticate with Single Sign-On",
    ),
    (
        "authentication.sso_started",
        "A user started authenticating with Single Sign-On",
    ),
    (
        "authentication.sso_succeeded",
        "A user authenticated with Single Sign-On",
    ),
    (
        "authentication.sso_timed_out",
        "A Single Sign-On authentication attempt timed out",
    ),
    ("connection.activated", "An SSO connection became active"),
    (
        "connection.deactivated",
        "An SSO connection became inactive",
    ),
    ("connection.deleted", "An SSO connection was deleted"),
    (
        "connection.saml_certificate_renewal_required",
        "A connection's SAML certificate is nearing (or past) expiry and must be renewed",
    ),
    (
        "connection.saml_certificate_renewed",
        "A connection's SAML certificate was renewed",
    ),
    ("dsync.activated", "A directory became active"),
    ("dsync.deleted", "A directory was deleted"),
    (
        "dsync.group.created",
        "A group was created in or added to a directory",
    ),
    (
        "dsync.group.deleted",
        "A group was removed from a directory",
    ),
    (
        "dsync.group.updated",
        "A directory group's properties were updated",
    ),
    (
        "dsync.group.user_added",
        "A user was added to a directory group",
    ),
    (
        "dsync.group.user_removed",
        "A user was removed from a directory group",
    ),
    ("dsync.token.created", "A directory sync token was created"),
    ("dsync.token.revoked", "A directory sync token was revoked"),
    (
        "dsync.user.created",
        "A user was created in or added to a directory",
    ),
    ("dsync.user.deleted", "A user was removed from a directory"),
    (
        "dsync.user.updated",
        "A directory user's properties were updated",
    ),
    (
        "email_verification.created",
        "A user must verify their email; a verification code was created",
    ),
    ("invitation.accepted", "A user accepted an invitation"),
    (
        "invitation.created",
        "A user was invited to sign up or to join an organization",
    ),
    ("invitation.resent", "An invitation was resent"),
    ("invitation.revoked", "An invitation was revoked"),
    (
        "magic_auth.created",
        "A user started Magic Auth and an authentication code was created",
    ),
    ("organization.created", "An organization was created"),
    ("organization.deleted", "An organization was deleted"),
    ("organization.updated", "An organization was updated"),
    (
        "organization_domain.created",
        "An organization domain was created",
    ),
    (
        "organization_domain.deleted",
        "An organization domain was deleted",
    ),
    (
        "organization_domain.updated",
        "An organization domain was updated",
    ),
    (
        "organization_domain.verification_failed",
        "Verifying an organization domain failed",
    ),
    (
        "organization_domain.verified",
        "An organization domain was verified",
    ),
    (
        "organization_membership.created",
        "An organization membership was created",
    ),
    (
        "organization_membership.deleted",
        "An organization membership was deleted",
    ),
    (
        "organization_membership.updated",
        "An organization membership was updated",
    ),
    (
        "password_reset.created",
        "A user requested a password reset",
    ),
    ("password_reset.succeeded", "A user reset their password"),
    ("role.created", "A role was created"),
    ("role.deleted", "A role was deleted"),
    ("role.updated", "A role was updated"),
    ("session.created", "A session was created"),
    ("session.revoked", "A session was revoked"),
    ("user.created", "A user was created"),
    ("user.deleted", "A user was deleted"),
    ("user.updated", "A user was updated"),
];

impl Declared for WorkOs {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("workos", "WorkOS", "WorkOS events: AuthKit users and sessions, SSO connections, Directory Sync, organizations")
            .docs("https://workos.com/docs/events/data-syncing/webhooks")
            .secret("Webhook secret", "The endpoint's signing secret: WorkOS dashboard → Webhooks → your endpoint → \"Signing secret\" (copy it from the endpoint's page). Use the secret of the matching environment (staging or production).")
            .events(EVENTS),
        // Milliseconds, signed as sent; 180 s is WorkOS SDKs' default.
        &Scheme::stripe_like("WorkOS-Signature")
            .millis()
            .tolerance(180)
            .pair_separator(", "),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/data/id"))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(WorkOs);
