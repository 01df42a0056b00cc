//! Which of an adapter's events a source keeps.
//!
//! A source may list the event types it wants (`event_types`, glob patterns:
//! `invoice.*`) and say what happens to a type its adapter's catalog does
//! not know (`unknown_types`): `accept` stores it and warns, `reject` answers
//! 422 so the vendor retries after the operator decides, `drop` answers 2xx and
//! stores nothing. Kept apart from the request path so the rule is stated and
//! tested once. An adapter with an empty catalog (free-form types, such as
//! AppsFlyer's event names) has no unknown types, and a catalog entry also
//! covers its dotted refinements (GitHub's `pull_request` covers
//! `pull_request.opened`, the type plus the body's `action`).

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::Mutex;

/// What happens to an event whose type the adapter's catalog does not list.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum UnknownTypes {
    /// Store it, log a warning and count it.
    #[default]
    Accept,
    /// Refuse the whole request with 422 `unknown_event_type`.
    Reject,
    /// Answer 2xx and store nothing for it.
    Drop,
}

impl UnknownTypes {
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownTypes::Accept => "accept",
            UnknownTypes::Reject => "reject",
            UnknownTypes::Drop => "drop",
        }
    }

    pub fn parse(text: &str) -> Option<UnknownTypes> {
        match text {
            "accept" => Some(UnknownTypes::Accept),
            "reject" => Some(UnknownTypes::Reject),
            "drop" => Some(UnknownTypes::Drop),
            _ => None,
        }
    }
}

/// A source's event-type rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPolicy {
    /// Accepted types; `None` accepts every type.
    pub event_types: Option<Vec<String>>,
    pub unknown_types: UnknownTypes,
}

/// The fate of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Keep,
    /// Kept although the catalog does not know the type (warn and count).
    KeepUnknown,
    /// Not among the source's event types, or an unknown type to drop.
    Skip,
    /// An unknown type under `reject`: the whole request is refused.
    Reject,
}

impl EventPolicy {
    /// Decides one event; `catalog` is the adapter's list of known types.
    pub fn decide<'a>(
        &self,
        event_type: &str,
        mut catalog: impl Iterator<Item = &'a str>,
    ) -> Decision {
        let mut catalog = catalog.by_ref().peekable();
        let unknown = catalog.peek().is_some() && !catalog.any(|known| covers(known, event_type));
        if unknown {
            match self.unknown_types {
                UnknownTypes::Reject => return Decision::Reject,
                UnknownTypes::Drop => return Decision::Skip,
                UnknownTypes::Accept => {}
            }
        }
        if let Some(wanted) = &self.event_types
            && !wanted.iter().any(|pattern| matches(pattern, event_type))
        {
            return Decision::Skip;
        }
        if unknown {
            Decision::KeepUnknown
        } else {
            Decision::Keep
        }
    }
}

/// Whether catalog entry `known` names `event_type` or a type it refines.
fn covers(known: &str, event_type: &str) -> bool {
    event_type
        .strip_prefix(known)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A glob pattern: `invoice.paid` matches itself, `*` any run of characters
/// (`invoice.*`, `s3:ObjectCreated:*`), `?` one character — the same
/// patterns destinations subscribe with.
fn matches(pattern: &str, event_type: &str) -> bool {
    wildmatch::WildMatch::new(pattern).matches(event_type)
}

/// Which (source, unknown type) pairs were logged already: a vendor sending
/// a new type at full rate logs one warning, not one per request (the metric
/// `hookyard_unknown_event_types_total` counts every one).
#[derive(Default)]
pub struct WarnOnce {
    seen: Mutex<HashSet<(String, String)>>,
}

impl WarnOnce {
    /// Pairs remembered at most; beyond that nothing more is logged.
    const CAPACITY: usize = 10_000;

    /// True the first time this source reports this type.
    pub fn first_time(&self, source: &str, event_type: &str) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.len() < Self::CAPACITY && seen.insert((source.to_string(), event_type.to_string()))
    }
}

/// Checks a source's list of event types: names, not blanks.
pub fn validate_event_types(types: &[String]) -> Result<(), String> {
    if types.iter().any(|t| t.trim().is_empty()) {
        return Err("event_types must not contain empty names".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &[&str] = &["invoice.paid", "invoice.created", "charge.refunded"];

    fn decide(policy: &EventPolicy, event_type: &str) -> Decision {
        policy.decide(event_type, CATALOG.iter().copied())
    }

    fn policy(types: Option<&[&str]>, unknown: UnknownTypes) -> EventPolicy {
        EventPolicy {
            event_types: types.map(|t| t.iter().map(|s| s.to_string()).collect()),
            unknown_types: unknown,
        }
    }

    #[test]
    fn by_default_everything_is_kept_and_unknown_types_are_flagged() {
        let p = EventPolicy::default();
        assert_eq!(decide(&p, "invoice.paid"), Decision::Keep);
        assert_eq!(decide(&p, "brand.new"), Decision::KeepUnknown);
    }

    #[test]
    fn unknown_types_can_be_rejected_or_dropped() {
        let reject = policy(None, UnknownTypes::Reject);
        assert_eq!(decide(&reject, "brand.new"), Decision::Reject);
        assert_eq!(decide(&reject, "invoice.paid"), Decision::Keep);
        let drop = policy(None, UnknownTypes::Drop);
        assert_eq!(decide(&drop, "brand.new"), Decision::Skip);
        assert_eq!(decide(&drop, "charge.refunded"), Decision::Keep);
    }

    #[test]
    fn a_type_list_keeps_only_what_it_names_or_prefixes() {
        let p = policy(
            Some(&["invoice.*", "charge.refunded"]),
            UnknownTypes::Accept,
        );
        assert_eq!(decide(&p, "invoice.created"), Decision::Keep);
        assert_eq!(decide(&p, "charge.refunded"), Decision::Keep);
        assert_eq!(decide(&p, "charge.captured"), Decision::Skip);
        assert_eq!(decide(&p, "invoice.brand_new"), Decision::KeepUnknown);
        assert_eq!(decide(&p, "other.new"), Decision::Skip);
    }

    #[test]
    fn a_catalog_entry_covers_its_dotted_refinements_only() {
        let github = ["pull_request", "push"];
        let p = policy(None, UnknownTypes::Reject);
        let decide = |t: &str| p.decide(t, github.iter().copied());
        assert_eq!(decide("pull_request.opened"), Decision::Keep);
        assert_eq!(decide("push"), Decision::Keep);
        assert_eq!(decide("pull_request_review"), Decision::Reject);
        assert_eq!(decide("pushed"), Decision::Reject);
    }

    #[test]
    fn an_adapter_without_a_catalog_has_no_unknown_types() {
        let p = policy(Some(&["install"]), UnknownTypes::Reject);
        assert_eq!(p.decide("install", std::iter::empty()), Decision::Keep);
        assert_eq!(p.decide("purchase", std::iter::empty()), Decision::Skip);
    }

    #[test]
    fn an_unknown_type_is_reported_once_per_source() {
        let warned = WarnOnce::default();
        assert!(warned.first_time("src_a", "brand.new"));
        assert!(!warned.first_time("src_a", "brand.new"));
        assert!(warned.first_time("src_b", "brand.new"));
        assert!(warned.first_time("src_a", "other.new"));
    }

    #[test]
    fn patterns_are_globs() {
        assert!(matches("s3:ObjectCreated:*", "s3:ObjectCreated:Put"));
        assert!(matches("s3:*:Put", "s3:ObjectCreated:Put"));
        assert!(matches("invoice.pai?", "invoice.paid"));
        assert!(!matches("invoice.*", "invoices.paid"));
        assert!(!matches("invoice.paid", "invoice.paid.late"));
    }

    #[test]
    fn event_type_lists_are_checked() {
        assert!(validate_event_types(&["a.*".into(), "*".into(), "b".into()]).is_ok());
        assert!(validate_event_types(&[" ".into()]).is_err());
        assert!(validate_event_types(&["a*b".into()]).is_ok());
    }

    #[test]
    fn unknown_type_modes_round_trip_their_names() {
        for mode in [
            UnknownTypes::Accept,
            UnknownTypes::Reject,
            UnknownTypes::Drop,
        ] {
            assert_eq!(UnknownTypes::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(UnknownTypes::parse("ignore"), None);
    }
}
