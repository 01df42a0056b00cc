//! Twitch EventSub over webhooks: `Twitch-Eventsub-Message-Signature:
//! sha256=<hex HMAC-SHA256(secret, message id + message timestamp + raw
//! body)>`, with `Twitch-Eventsub-Message-Id` and `-Timestamp` (RFC 3339,
//! nanoseconds). Twitch asks receivers to reject messages older than 10
//! minutes, so the tolerance is 600 s (`tolerance_seconds`), and to
//! deduplicate on the message id, which is the dedup id (retries keep it).
//! `Twitch-Eventsub-Message-Type` decides: `webhook_callback_verification` is
//! answered 200 `text/plain` with the raw `challenge` (after the signature
//! verified); `notification` becomes an event typed by the subscription type
//! (`channel.follow`, `stream.online`, ...); `revocation` becomes an event
//! typed `revocation` (its `subscription.status` says why: `user_removed`,
//! `authorization_revoked`, `notification_failures_exceeded`, ...). The subject
//! is the broadcaster (or user) id. The secret is the `transport.secret` you
//! chose when creating the subscription; each subscription may have its own,
//! so list every one in use as active secrets, and rotate by re-creating
//! subscriptions with the new secret while both are active.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Twitch;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    600
}

const SIGNATURE: &str = "Twitch-Eventsub-Message-Signature";
const MESSAGE_ID: &str = "Twitch-Eventsub-Message-Id";
const TIMESTAMP: &str = "Twitch-Eventsub-Message-Timestamp";
const MESSAGE_TYPE: &str = "Twitch-Eventsub-Message-Type";
const SUBSCRIPTION_TYPE: &str = "Twitch-Eventsub-Subscription-Type";

const EVENTS: &[(&str, &str)] = &[
    (
        "channel.update",
        "A broadcaster updated their channel properties",
    ),
    ("channel.follow", "A user followed a channel"),
    ("channel.subscribe", "A user subscribed to a channel"),
    ("channel.subscription.gift", "A user gifted subscriptions"),
    ("channel.cheer", "A user cheered Bits"),
    ("channel.raid", "A broadcaster raided another channel"),
    ("channel.ban", "A viewer was banned"),
    (
        "channel.channel_points_custom_reward_redemption.add",
        "A viewer redeemed a custom Channel Points reward",
    ),
    ("channel.poll.begin", "A poll started"),
    ("channel.prediction.begin", "A prediction started"),
    ("channel.chat.message", "A chat message was sent"),
    ("stream.online", "A broadcaster started streaming"),
    ("stream.offline", "A broadcaster stopped streaming"),
    ("user.authorization.grant", "A user authorized the app"),
    (
        "user.authorization.revoke",
        "A user revoked the app's authorization",
    ),
    ("user.update", "A user updated their account"),
    (
        "revocation",
        "Twitch revoked the subscription (see subscription.status)",
    ),
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An RFC 3339 date-time (`2023-07-19T14:56:51.634234626Z`, `…+02:00`) as Unix
/// milliseconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = std::str::from_utf8(b.get(range)?).ok()?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let digits = &text.trim()[start..i.min(start + 3)];
        millis = format!("{digits:0<3}").parse::<i64>().ok()?;
    }
    let offset_minutes = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let minutes = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
        - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// Unix milliseconds as RFC 3339 UTC with nanoseconds, as Twitch writes it.
pub fn format_rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}000000Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000
    )
}

fn signed_content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut content = format!("{id}{timestamp}").into_bytes();
    content.extend_from_slice(body);
    content
}

impl Adapter for Twitch {
    fn manifest() -> Manifest {
        Manifest {
            name: "twitch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Twitch EventSub".into(),
            description: "Twitch EventSub notifications delivered over webhooks".into(),
            docs_url: "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message".into(),
            secrets: vec![SecretSpec {
                label: "Subscription secret".into(),
                help: "The transport.secret (10–100 ASCII characters) your app sends in the Create EventSub Subscription request (POST https://api.twitch.tv/helix/eventsub/subscriptions, transport.method \"webhook\", transport.callback = this source's URL). Twitch never shows it: use the value your code sends. It is not the app's Client Secret.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 600}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: EVENTS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Header,
                path: SUBSCRIPTION_TYPE.into(),
                note: "for notification messages (body /subscription/type); revocation messages are typed revocation".into(),
            },
            presets: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let header = request.require_header(SIGNATURE)?;
        let id = request.require_header(MESSAGE_ID)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let hex = header.strip_prefix("sha256=").ok_or_else(|| {
            VerifyError::Malformed(format!("{SIGNATURE} must start with sha256="))
        })?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        let sent_ms = parse_rfc3339(timestamp)
            .ok_or_else(|| VerifyError::Malformed(format!("{TIMESTAMP} is not RFC 3339")))?;
        let content = signed_content(id, timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &content)
        })?;
        check_timestamp(
            sent_ms.div_euclid(1000),
            context.now_ms,
            settings.tolerance_seconds,
        )
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let message_type = request.header(MESSAGE_TYPE).unwrap_or("notification");
        match message_type {
            "webhook_callback_verification" => {
                let challenge = json_string(&body, "/challenge").ok_or_else(|| {
                    HandleError::Malformed("verification message has no challenge".into())
                })?;
                return Ok(Outcome::Respond(DirectResponse {
                    status: 200,
                    headers: vec![Header {
                        name: "Content-Type".into(),
                        value: "text/plain".into(),
                    }],
                    body: challenge.into_bytes(),
                }));
            }
            "notification" | "revocation" => {}
            other => {
                return Err(HandleError::Malformed(format!(
                    "unknown {MESSAGE_TYPE} {other}"
                )));
            }
        }
        let event_type = if message_type == "revocation" {
            "revocation".to_string()
        } else {
            request
                .header(SUBSCRIPTION_TYPE)
                .map(str::to_string)
                .or_else(|| json_string(&body, "/subscription/type"))
                .ok_or_else(|| HandleError::Malformed("no subscription type".into()))?
        };
        let subject = [
            "/event/broadcaster_user_id",
            "/event/user_id",
            "/subscription/condition/broadcaster_user_id",
            "/subscription/condition/user_id",
        ]
        .iter()
        .find_map(|pointer| json_string(&body, pointer));
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header(MESSAGE_ID).map(str::to_string),
            occurred_at: request.header(TIMESTAMP).and_then(parse_rfc3339),
            subject,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("an EventSub body is JSON: {e}"))?;
        let (message_type, subscription_type) = if body.get("challenge").is_some() {
            ("webhook_callback_verification", None)
        } else if json_string(&body, "/subscription/status")
            .is_some_and(|status| status != "enabled")
        {
            ("revocation", None)
        } else {
            ("notification", input.event_type.clone())
        };
        let subscription_type = subscription_type
            .or_else(|| json_string(&body, "/subscription/type"))
            .unwrap_or_else(|| "channel.follow".into());
        let timestamp = format_rfc3339(input.now_ms);
        let signature = hex_encode(&crypto::hmac_sha256(
            input.secret.as_bytes(),
            &signed_content(&input.delivery_id, &timestamp, &input.body),
        ));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(MESSAGE_ID, input.delivery_id),
                header("Twitch-Eventsub-Message-Retry", "0".into()),
                header(MESSAGE_TYPE, message_type.into()),
                header(SIGNATURE, format!("sha256={signature}")),
                header(TIMESTAMP, timestamp),
                header(SUBSCRIPTION_TYPE, subscription_type),
                header(
                    "Twitch-Eventsub-Subscription-Version",
                    json_string(&body, "/subscription/version").unwrap_or_else(|| "1".into()),
                ),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Twitch);
