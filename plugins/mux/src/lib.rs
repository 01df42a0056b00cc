//! Mux webhooks: `Mux-Signature: t=<unix seconds>,v1=<hex>`, where v1 is the
//! HMAC-SHA256 of `"{t}.{raw body}"` keyed with the webhook's signing secret
//! (as-is). Any v1 matching any active secret passes; the timestamp must be
//! within the tolerance (300 s by default, as Mux's own SDKs use) of the host
//! clock. Mux has no handshake.
//!
//! The event type is the body's `type` (`video.asset.ready`), the dedup id its
//! `id` (the event's id; each retry is listed in `attempts` under the same id),
//! the subject `object.id` (the asset, upload or live stream), the time
//! `created_at`. Each webhook URL has its own signing secret: when you replace
//! it, keep the old and new secrets active here until the old one stops
//! arriving.

use hookyard_sdk::prelude::*;

pub struct Mux;

const EVENTS: &[(&str, &str)] = &[
    ("video.asset.created", "An asset was created"),
    (
        "video.asset.deleted",
        "An asset was deleted and is no longer playable",
    ),
    (
        "video.asset.errored",
        "An asset failed, e.g. its input could not be downloaded or is not a video",
    ),
    (
        "video.asset.live_stream_completed",
        "The live stream recorded into this asset ended",
    ),
    (
        "video.asset.master.deleted",
        "Master access for an asset was removed; the master can no longer be downloaded",
    ),
    (
        "video.asset.master.errored",
        "Preparing master access for an asset failed",
    ),
    (
        "video.asset.master.preparing",
        "Master access for an asset is being prepared",
    ),
    (
        "video.asset.master.ready",
        "Master access for an asset is ready: the master file can be downloaded",
    ),
    (
        "video.asset.non_standard_input_detected",
        "The asset's input was detected as non-standard (needs extra processing)",
    ),
    (
        "video.asset.ready",
        "An asset is ready for playback with its playback ID",
    ),
    (
        "video.asset.shots.created",
        "Shot detection was requested for an asset",
    ),
    (
        "video.asset.shots.deleted",
        "An asset's detected shots were deleted",
    ),
    (
        "video.asset.shots.errored",
        "Shot detection for an asset failed",
    ),
    (
        "video.asset.shots.ready",
        "An asset's detected shots and their preview images are ready",
    ),
    (
        "video.asset.shots.skipped",
        "Shot detection for an asset was skipped",
    ),
    (
        "video.asset.static_rendition.created",
        "A static rendition (MP4/M4A file) was requested for an asset",
    ),
    (
        "video.asset.static_rendition.deleted",
        "A static rendition of an asset was deleted",
    ),
    (
        "video.asset.static_rendition.errored",
        "Generating a static rendition of an asset failed",
    ),
    (
        "video.asset.static_rendition.ready",
        "A static rendition of an asset is ready to download",
    ),
    (
        "video.asset.static_rendition.skipped",
        "A requested static rendition of an asset was skipped",
    ),
    (
        "video.asset.static_renditions.deleted",
        "An asset's static renditions (MP4 files) were deleted",
    ),
    (
        "video.asset.static_renditions.errored",
        "Preparing an asset's static renditions failed",
    ),
    (
        "video.asset.static_renditions.preparing",
        "An asset's static renditions are being prepared",
    ),
    (
        "video.asset.static_renditions.ready",
        "An asset's static renditions (MP4 files) are ready",
    ),
    (
        "video.asset.track.created",
        "A track (e.g. a subtitle text track) was added to an asset",
    ),
    (
        "video.asset.track.deleted",
        "A track of an asset was deleted",
    ),
    (
        "video.asset.track.errored",
        "A track of an asset failed, e.g. its text track file could not be downloaded",
    ),
    (
        "video.asset.track.ready",
        "A track of an asset is ready and delivered with the stream",
    ),
    ("video.asset.updated", "An asset was updated"),
    (
        "video.asset.warning",
        "A non-fatal issue occurred with a live stream's recorded asset",
    ),
    (
        "video.delivery.high_traffic",
        "Delivery traffic crossed the environment's high-traffic alert threshold",
    ),
    (
        "video.live_stream.active",
        "A live stream is active: its playback IDs can now be streamed",
    ),
    (
        "video.live_stream.connected",
        "An encoder connected to a live stream",
    ),
    ("video.live_stream.created", "A live stream was created"),
    ("video.live_stream.deleted", "A live stream was deleted"),
    (
        "video.live_stream.disabled",
        "A live stream was disabled and no longer accepts RTMP connections",
    ),
    (
        "video.live_stream.disconnected",
        "An encoder disconnected from a live stream (it stays active for now)",
    ),
    ("video.live_stream.enabled", "A live stream was enabled"),
    (
        "video.live_stream.idle",
        "A live stream's reconnect window elapsed; it is now idle",
    ),
    (
        "video.live_stream.recording",
        "A live stream started recording (first frames processed)",
    ),
    (
        "video.live_stream.simulcast_target.broadcasting",
        "A simulcast target is connected and receiving the stream",
    ),
    (
        "video.live_stream.simulcast_target.created",
        "A simulcast target was added to a live stream",
    ),
    (
        "video.live_stream.simulcast_target.deleted",
        "A simulcast target was deleted",
    ),
    (
        "video.live_stream.simulcast_target.errored",
        "A simulcast target failed to connect or broadcast; Mux retries",
    ),
    (
        "video.live_stream.simulcast_target.idle",
        "A simulcast target is idle because its live stream disconnected",
    ),
    (
        "video.live_stream.simulcast_target.starting",
        "A simulcast target is starting because its live stream connected",
    ),
    (
        "video.live_stream.simulcast_target.updated",
        "A simulcast target was updated",
    ),
    (
        "video.live_stream.updated",
        "A live stream was updated, e.g. its stream key was reset",
    ),
    (
        "video.live_stream.warning",
        "A non-fatal issue occurred on a live stream; ingest and playback continue",
    ),
    (
        "video.upload.asset_created",
        "A direct upload finished and created an asset",
    ),
    ("video.upload.cancelled", "A direct upload was cancelled"),
    ("video.upload.created", "A direct upload was created"),
    (
        "video.upload.errored",
        "A direct upload failed, e.g. the uploaded file is not a video",
    ),
];

impl Declared for Mux {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("mux", "Mux", "Mux Video webhooks: assets, uploads, live streams and simulcast targets")
            .docs("https://www.mux.com/docs/core/verify-webhook-signatures")
            .secret("Signing secret", "The webhook's signing secret: Mux dashboard → Settings → Webhooks → pick the environment → your webhook URL → \"Show Signing Secret\". Each webhook URL has its own secret.")
            .events(EVENTS),
        // What is signed is the number as parsed ("t=007" signs "7.").
        &Scheme::stripe_like("Mux-Signature").canonical_timestamp(),
    )
    .event_type(Field::pointer("/type"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[Field::pointer("/object/id"), Field::pointer("/data/id")]))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(Mux);
