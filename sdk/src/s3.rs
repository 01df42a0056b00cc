//! S3 event notification records as events, shared by the adapters that
//! receive them: `plugins/s3` (stores posting records directly) and
//! `plugins/aws-sns` (S3 notifications delivered through an SNS topic, the
//! records inside the notification's `Message`). One place decides the type
//! (`s3:`-prefixed, as MinIO writes it), the decoded key, the dedup id and
//! the time, so a route matches the same event whichever way it arrived.

use crate::request::json_string;
use crate::time::iso8601_to_ms;
use crate::{Event, HandleError};
use serde_json::Value;

/// The S3 event types, as stored (`s3:`-prefixed): a catalog file
/// ([`crate::catalog`]).
pub const EVENT_TYPES: &str = crate::catalog::checked(include_str!("s3_events.txt"));

/// `s3:ObjectCreated:Put` for both `ObjectCreated:Put` (AWS) and
/// `s3:ObjectCreated:Put` (MinIO).
pub fn normalize_event_name(name: &str) -> String {
    if name.starts_with("s3:") {
        name.to_string()
    } else {
        format!("s3:{name}")
    }
}

/// Decodes an S3 notification key: `+` is a space, `%XX` a byte; a `%` not
/// followed by two hex digits is kept as it is.
pub fn decode_key(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The records of an S3 notification body, when it has any.
pub fn records(body: &Value) -> Option<&Vec<Value>> {
    body.get("Records")
        .and_then(Value::as_array)
        .filter(|records| !records.is_empty())
}

/// One record as an event: type `s3:<eventName>`, dedup id
/// `eventName:bucket/key@sequencer` (else `@eventTime/eTag`), time
/// `eventTime`, data the record. `subject` gets the bucket and the decoded
/// key and says what the subject is (`bucket/key` by default).
pub fn record_event(
    record: &Value,
    subject: impl Fn(&str, &str) -> Option<String>,
) -> Result<Event, HandleError> {
    let event_name = json_string(record, "/eventName")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| HandleError::Malformed("a record has no eventName".into()))?;
    let event_type = normalize_event_name(&event_name);
    let bucket = json_string(record, "/s3/bucket/name").unwrap_or_default();
    let key = decode_key(&json_string(record, "/s3/object/key").unwrap_or_default());
    let object = format!("{bucket}/{key}");
    let dedup_id = match (
        json_string(record, "/s3/object/sequencer").filter(|s| !s.is_empty()),
        json_string(record, "/eventTime"),
    ) {
        (Some(sequencer), _) => Some(format!("{event_type}:{object}@{sequencer}")),
        (None, Some(time)) => {
            let etag = json_string(record, "/s3/object/eTag").unwrap_or_default();
            Some(format!("{event_type}:{object}@{time}/{etag}"))
        }
        (None, None) => None,
    };
    Ok(Event {
        event_type,
        dedup_id,
        occurred_at: json_string(record, "/eventTime").and_then(|t| iso8601_to_ms(&t)),
        subject: subject(&bucket, &key),
        data: record.to_string(),
    })
}

/// AWS's `s3:TestEvent` (sent when a notification is configured; no
/// records), as one event, if `body` is one.
pub fn test_event(body: &Value) -> Option<Event> {
    (json_string(body, "/Event").as_deref() == Some("s3:TestEvent")).then(|| Event {
        event_type: "s3:TestEvent".into(),
        dedup_id: None,
        occurred_at: json_string(body, "/Time").and_then(|t| iso8601_to_ms(&t)),
        subject: json_string(body, "/Bucket"),
        data: body.to_string(),
    })
}
