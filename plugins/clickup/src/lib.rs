//! ClickUp webhooks: `X-Signature: <hex HMAC-SHA256(webhook secret, raw
//! body)>` (ClickUp developer docs, "Webhook signature": the secret is
//! `webhook.secret` in the Create Webhook response, one per webhook;
//! "signatures are always digested in hexadecimal format").
//!
//! The event type is the body's `event` (`taskCreated`), the dedup id the
//! first history item's `id`, the subject the id of what changed (`task_id`,
//! `list_id`, `folder_id` or `space_id`, else the webhook's id), the time
//! the first history item's `date` (Unix milliseconds, sent as a string).
//! ClickUp signs no timestamp and has no handshake. A webhook's secret cannot
//! be chosen, so rotating means a new webhook: keep both secrets here until the
//! old webhook is deleted.

use hookyard_sdk::prelude::*;

pub struct ClickUp;

impl Declared for ClickUp {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("clickup", "ClickUp", "ClickUp task, List, Folder, Space, Goal and Key Result events")
            .docs("https://developer.clickup.com/docs/webhooksignature")
            .secret("Webhook secret", "The `secret` ClickUp returns in the `webhook` object when you create the webhook (POST /api/v2/team/{team_id}/webhook), also listed by Get Webhooks. Paste it as returned.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/history_items/0/id"))
    .subject(Field::first(&[
        Field::pointer("/task_id"),
        Field::pointer("/list_id"),
        Field::pointer("/folder_id"),
        Field::pointer("/space_id"),
        Field::pointer("/webhook_id"),
    ]))
    // ClickUp sends `history_items[].date` as a string of milliseconds.
    .time(Time::Custom(|s| {
        let date = s.record.pointer("/history_items/0/date")?;
        date.as_i64().or_else(|| date.as_str()?.parse().ok())
    }));
}

hookyard_sdk::export_adapter!(ClickUp);
