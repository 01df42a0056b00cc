//! HCP Terraform (Terraform Cloud) and Terraform Enterprise notifications:
//! `X-TFE-Notification-Signature: <hex HMAC-SHA512(token, raw body)>`
//! (developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations,
//! "Notification authenticity"). A configuration without a token sends no
//! signature, and this adapter refuses those.
//!
//! What to paste: the notification configuration's token — the "Token" you
//! type when adding a Webhook notification (workspace Settings →
//! Notifications → Create a Notification → Webhook), or the API's `token`
//! attribute; HCP Terraform never shows it again. Rotating: change the token
//! on the configuration after adding the new one here; remove the old one
//! once retries are over.
//!
//! The body is payload version 1: the event type is the first notification's
//! `trigger` (`run:completed`; `verification` for the verification request
//! sent when the configuration is created or enabled, which needs only a
//! 2xx and is stored like any event; its run, workspace and organization are
//! null), the subject the run's id, else the workspace's, the time the
//! notification's `run_updated_at`, else the run's `run_created_at`. No event
//! id is sent, so deliveries are deduplicated on the body's hash. No timestamp
//! is signed.

use hookyard_sdk::prelude::*;

pub struct TerraformCloud;

impl Declared for TerraformCloud {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("terraform-cloud", "HCP Terraform", "HCP Terraform / Terraform Enterprise run, health assessment, workspace and change request notifications")
            .docs("https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations")
            .secret("Notification token", "The Token you set on the Webhook notification configuration (workspace Settings → Notifications, or the API's `token`). Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-TFE-Notification-Signature", Hmac::Sha512, Encoding::Hex),
    )
    .event_type(Field::pointer("/notifications/0/trigger"))
    .subject(Field::first(&[Field::pointer("/run_id"), Field::pointer("/workspace_id")]))
    .time(Time::first(&[
        Time::iso8601("/notifications/0/run_updated_at"),
        Time::iso8601("/run_created_at"),
    ]))
    .user_agent("TFE/1.0 (+https://app.terraform.io; TFE)");
}

hookyard_sdk::export_adapter!(TerraformCloud);
