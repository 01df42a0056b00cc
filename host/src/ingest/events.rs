//! The events of a verified request: which the source's event policy keeps,
//! and the rows they become (ids, dedup ids, JSON checked).

use super::outcome::{Outcome, Refused};
use super::state::Ingest;
use crate::event_policy::Decision;
use crate::runtime::{Event, Manifest};
use crate::source_table::ActiveSource;
use crate::store::events::NewEvent;
use crate::store::new_id;
use sha2::{Digest, Sha256};

/// Keeps the events the source's event policy wants; refuses the request when
/// it holds an unknown type under `unknown_types: reject`.
pub(super) fn select_events(
    app: &Ingest,
    active: &ActiveSource,
    manifest: &Manifest,
    events: Vec<Event>,
) -> Result<Vec<Event>, Outcome> {
    let source = &active.source;
    let catalog = || manifest.event_types.iter().map(|t| t.name.as_str());
    let mut kept = Vec::with_capacity(events.len());
    for event in events {
        match source.policy.decide(&event.event_type, catalog()) {
            Decision::Keep => kept.push(event),
            Decision::KeepUnknown => {
                if app
                    .unknown_types_logged
                    .first_time(&source.id, &event.event_type)
                {
                    tracing::warn!(source = %source.id, adapter = %manifest.name, event_type = %event.event_type,
                        "event type not in the adapter's catalog; stored (unknown_types: accept); logged once per source and type");
                }
                app.metrics
                    .count_unknown_event_type(&source.id, &manifest.name);
                kept.push(event);
            }
            Decision::Skip => app.metrics.count_event_skipped(&source.id),
            Decision::Reject => {
                app.metrics
                    .count_unknown_event_type(&source.id, &manifest.name);
                return Err(Outcome::refused(
                    Refused::UnknownEventType,
                    format!(
                        "event type {:?} is not in the {} catalog (unknown_types: reject)",
                        event.event_type, manifest.name
                    ),
                ));
            }
        }
    }
    Ok(kept)
}

/// Turns the adapter's events into rows: ids, dedup ids, JSON checked.
/// (Public for the `adapter_pipeline` fuzz target: adapters' output is
/// untrusted input to the host.)
pub fn new_events(events: Vec<Event>, body: &[u8]) -> Result<Vec<NewEvent>, String> {
    let count = events.len();
    let body_hash = || hex::encode(Sha256::digest(body));
    events
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            if serde_json::from_str::<serde::de::IgnoredAny>(&event.data).is_err() {
                return Err(format!(
                    "event {index} ({}) has data that is not JSON",
                    event.event_type
                ));
            }
            if event.event_type.is_empty() {
                return Err(format!("event {index} has no type"));
            }
            // No vendor id: the body itself identifies a redelivery.
            let dedup_id =
                event
                    .dedup_id
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| match count {
                        1 => format!("sha256:{}", body_hash()),
                        _ => format!("sha256:{}#{index}", body_hash()),
                    });
            Ok(NewEvent {
                id: new_id("evt"),
                event_type: event.event_type,
                dedup_id,
                subject: event.subject,
                occurred_at: event.occurred_at,
                data: event.data,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, dedup_id: Option<&str>, data: &str) -> Event {
        Event {
            event_type: event_type.into(),
            dedup_id: dedup_id.map(str::to_string),
            occurred_at: None,
            subject: None,
            data: data.into(),
        }
    }

    #[test]
    fn the_vendor_dedup_id_is_kept() {
        let rows = new_events(vec![event("push", Some("d-1"), "{}")], b"body").unwrap();
        assert_eq!(rows[0].dedup_id, "d-1");
        assert!(rows[0].id.starts_with("evt_"));
    }

    #[test]
    fn without_a_vendor_id_the_body_hash_identifies_redeliveries() {
        let once = new_events(vec![event("a", None, "{}")], b"same body").unwrap();
        let again = new_events(vec![event("a", Some(""), "{}")], b"same body").unwrap();
        let other = new_events(vec![event("a", None, "{}")], b"other body").unwrap();
        assert_eq!(once[0].dedup_id, again[0].dedup_id);
        assert_ne!(once[0].dedup_id, other[0].dedup_id);
        assert!(once[0].dedup_id.starts_with("sha256:"));

        let two = new_events(vec![event("a", None, "1"), event("a", None, "2")], b"batch").unwrap();
        assert_ne!(
            two[0].dedup_id, two[1].dedup_id,
            "records of one request stay distinct"
        );
    }

    #[test]
    fn events_with_invalid_json_or_no_type_are_refused() {
        assert!(
            new_events(vec![event("a", None, "{not json")], b"")
                .unwrap_err()
                .contains("not JSON")
        );
        assert!(
            new_events(vec![event("", None, "{}")], b"")
                .unwrap_err()
                .contains("no type")
        );
    }
}
