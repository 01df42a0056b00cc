//! Frame.io V4 webhooks (projects, files, folders, comments, custom fields,
//! metadata, collections, shares): `X-Frameio-Signature: v0=<hex
//! HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")>` with the Unix timestamp
//! in `X-Frameio-Request-Timestamp`, Slack's scheme under other header names
//! (V4 Webhooks guide, "Verifying Webhook Signatures"). Frame.io recommends a
//! 5-minute window: the timestamp must be within 300 s of the host clock
//! (`tolerance_seconds`). There is no handshake.
//!
//! What to paste: the webhook's signing secret, which Frame.io returns only once,
//! in the response that creates the webhook (`secret` of `POST
//! /v4/accounts/{account_id}/workspaces/{workspace_id}/webhooks`); it cannot be
//! set. The guide documents no rotation: a new secret means a new webhook, so
//! paste its secret next to the old one until the old webhook is deleted.
//!
//! The body is `{type, resource: {type, id}, account, workspace, project,
//! user}` with ids only: the event type is `type`, the subject `resource.id`.
//! Frame.io sends no delivery id and no event time, so events are deduplicated
//! on the body's hash. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

pub struct FrameIo;

impl Declared for FrameIo {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("frame-io", "Frame.io", "Frame.io V4 projects, files, folders, comments, custom fields, metadata, collections and shares")
            .docs("https://developer.adobe.com/frameio/guides/Webhooks/")
            .secret("Signing secret", "The webhook's signing secret, returned only once, when the webhook is created (`secret` in the response of POST /v4/accounts/{account_id}/workspaces/{workspace_id}/webhooks). Paste it as is.")
            .events_file(include_str!("../events.txt")),
        &Scheme::slack_like("X-Frameio-Signature", "X-Frameio-Request-Timestamp")
            .tolerance_note("Largest accepted age of the signed timestamp, either way (Frame.io recommends 5 minutes)"),
    )
    .subject(Field::pointer("/resource/id"))
    .user_agent("Frame.io V4 API");
}

hookyard_sdk::export_adapter!(FrameIo);
