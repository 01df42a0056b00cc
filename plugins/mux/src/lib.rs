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
use serde::Deserialize;

pub struct Mux;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

const EVENTS: &[&str] = &[
    "video.asset.created",
    "video.asset.deleted",
    "video.asset.errored",
    "video.asset.live_stream_completed",
    "video.asset.master.deleted",
    "video.asset.master.errored",
    "video.asset.master.preparing",
    "video.asset.master.ready",
    "video.asset.non_standard_input_detected",
    "video.asset.ready",
    "video.asset.shots.created",
    "video.asset.shots.deleted",
    "video.asset.shots.errored",
    "video.asset.shots.ready",
    "video.asset.shots.skipped",
    "video.asset.static_rendition.created",
    "video.asset.static_rendition.deleted",
    "video.asset.static_rendition.errored",
    "video.asset.static_rendition.ready",
    "video.asset.static_rendition.skipped",
    "video.asset.static_renditions.deleted",
    "video.asset.static_renditions.errored",
    "video.asset.static_renditions.preparing",
    "video.asset.static_renditions.ready",
    "video.asset.track.created",
    "video.asset.track.deleted",
    "video.asset.track.errored",
    "video.asset.track.ready",
    "video.asset.updated",
    "video.asset.warning",
    "video.delivery.high_traffic",
    "video.live_stream.active",
    "video.live_stream.connected",
    "video.live_stream.created",
    "video.live_stream.deleted",
    "video.live_stream.disabled",
    "video.live_stream.disconnected",
    "video.live_stream.enabled",
    "video.live_stream.idle",
    "video.live_stream.recording",
    "video.live_stream.simulcast_target.broadcasting",
    "video.live_stream.simulcast_target.created",
    "video.live_stream.simulcast_target.deleted",
    "video.live_stream.simulcast_target.errored",
    "video.live_stream.simulcast_target.idle",
    "video.live_stream.simulcast_target.starting",
    "video.live_stream.simulcast_target.updated",
    "video.live_stream.updated",
    "video.live_stream.warning",
    "video.upload.asset_created",
    "video.upload.cancelled",
    "video.upload.created",
    "video.upload.errored",
];

const SIGNATURE_HEADER: &str = "Mux-Signature";

impl Adapter for Mux {
    fn manifest() -> Manifest {
        Manifest {
            name: "mux".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Mux".into(),
            description: "Mux Video webhooks: assets, uploads, live streams and simulcast targets".into(),
            docs_url: "https://www.mux.com/docs/core/verify-webhook-signatures".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The webhook's signing secret: Mux dashboard → Settings → Webhooks → pick the environment → your webhook URL → \"Show Signing Secret\". Each webhook URL has its own secret.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                    "description": "Largest accepted difference between the signed timestamp and now"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|name| EventTypeInfo { name: name.to_string(), description: String::new() })
                .collect(),
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/type".into(), note: String::new() },
            presets: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let mut header =
            TimestampedHeader::from_request(&request, SIGNATURE_HEADER, (',', '='), ("t", "v1"))?;
        let timestamp = header.parsed_timestamp()?;
        // What is signed is the number as parsed ("t=007" signs "7.").
        header.timestamp = timestamp.to_string();
        header.verify(secrets, '.', &request.body)?;
        check_timestamp(timestamp, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event_type = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("event has no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: json_string(&body, "/id"),
            occurred_at: json_string(&body, "/created_at").and_then(|t| rfc3339_to_ms(&t)),
            subject: json_string(&body, "/object/id").or_else(|| json_string(&body, "/data/id")),
            data: String::from_utf8(request.body).expect("valid JSON is UTF-8"),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = input.now_ms.div_euclid(1000);
        let signature = sign_timestamped(&input.secret, &timestamp.to_string(), '.', &input.body);
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(SIGNATURE_HEADER, format!("t={timestamp},v1={signature}")),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Mux);
