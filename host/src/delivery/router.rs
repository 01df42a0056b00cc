//! Which destinations an event goes to, decided on the request path.
//!
//! Each destination's subscription is compiled once (glob patterns for event
//! types, the source list, an RFC 9535 JSONPath predicate on the data, the
//! coalescing key) into an in-memory table swapped after every management
//! change, like the source table. The ingest handler asks it for the routes of
//! each new event and hands them to the writer, which stores them as outbox
//! rows in the event's own transaction; replays ask it too.

use super::slots::Slots;
use super::transport::Transport;
use crate::store::destinations::Destination;
use crate::store::events::StoredEvent;
use crate::store::outbox::{CoalesceRoute, Route};
use crate::store::rfc3339;
use serde_json::{Value, json};
use serde_json_path::JsonPath;
use std::sync::Arc;
use wildmatch::WildMatch;

/// A destination ready for routing and delivery.
pub struct ActiveDestination {
    pub destination: Destination,
    subscription: Subscription,
    /// Bounds the attempts in flight to this destination and its claims.
    pub slots: Arc<Slots>,
    pub transport: Arc<Transport>,
}

impl ActiveDestination {
    /// Compiles a destination's subscription; errors name the bad field.
    pub fn new(
        destination: Destination,
        slots: Arc<Slots>,
        transport: Arc<Transport>,
    ) -> Result<ActiveDestination, String> {
        Ok(ActiveDestination {
            subscription: Subscription::of(&destination)?,
            destination,
            slots,
            transport,
        })
    }

    /// The route of `event` to this destination, if it wants the event.
    pub fn route(&self, event: &EventView<'_>) -> Option<Route> {
        let d = &self.destination;
        if !self.subscription.matches(event) {
            return None;
        }
        let coalesce = match (&self.subscription.coalesce_key, &d.coalesce) {
            (Some(path), Some(config)) => Some(CoalesceRoute {
                key: key_text(path.query(&event.envelope()).first()),
                quiet_ms: config.quiet_ms as i64,
                max_wait_ms: config.max_wait_ms as i64,
            }),
            _ => None,
        };
        Some(Route {
            destination_id: d.id.clone(),
            coalesce,
        })
    }
}

/// A subscription, compiled: which events a destination wants (the
/// destination preview compiles one without a destination).
pub struct Subscription {
    event_types: Vec<WildMatch>,
    /// `None`: every source.
    source_ids: Option<Vec<String>>,
    filter: Option<JsonPath>,
    coalesce_key: Option<JsonPath>,
}

impl Subscription {
    fn of(d: &Destination) -> Result<Subscription, String> {
        Subscription::compile(
            &d.event_types,
            d.source_ids.as_deref(),
            d.filter.as_deref(),
            d.coalesce.as_ref().map(|c| c.key.as_str()),
        )
    }

    /// Compiles event-type globs, the sources (`None`: every one), a
    /// JSONPath filter on the data and a coalescing key; errors name the bad
    /// field.
    pub fn compile(
        event_types: &[String],
        source_ids: Option<&[String]>,
        filter: Option<&str>,
        coalesce_key: Option<&str>,
    ) -> Result<Subscription, String> {
        if event_types.is_empty() || event_types.iter().any(|t| t.trim().is_empty()) {
            return Err(
                "event_types must list at least one non-empty pattern (`*` for all)".into(),
            );
        }
        Ok(Subscription {
            event_types: event_types.iter().map(|p| WildMatch::new(p)).collect(),
            source_ids: source_ids.map(<[String]>::to_vec),
            filter: filter.map(|f| parse_path("filter", f)).transpose()?,
            coalesce_key: coalesce_key
                .map(|key| parse_path("coalesce.key", key))
                .transpose()?,
        })
    }

    /// Whether an event of this source and type is subscribed to, before
    /// the filter.
    pub fn wants(&self, source_id: &str, event_type: &str) -> bool {
        self.source_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == source_id))
            && self.event_types.iter().any(|p| p.matches(event_type))
    }

    /// Whether the filter selects something in the event's data (true
    /// without a filter).
    pub fn filter_selects(&self, event: &EventView<'_>) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|filter| !filter.query(event.data()).is_empty())
    }

    pub fn has_filter(&self) -> bool {
        self.filter.is_some()
    }

    /// Whether the subscription takes the event: its source and type, then
    /// the filter.
    pub fn matches(&self, event: &EventView<'_>) -> bool {
        self.wants(event.source_id, event.event_type) && self.filter_selects(event)
    }
}

/// The longest JSONPath accepted, and the deepest nesting of brackets and
/// parentheses in it. serde_json_path's parser backtracks exponentially in
/// nested filters: each `[?` level takes about 3.6 times as long (13 ms at 12
/// levels on this 2-core machine, minutes at 20; found by the `config_parsing`
/// fuzz target), and filters come from API callers. Brackets inside string
/// literals count too, which only errs on the side of refusing.
const MAX_PATH_LEN: usize = 1024;
const MAX_NESTING: usize = 8;

fn parse_path(field: &str, text: &str) -> Result<JsonPath, String> {
    if text.len() > MAX_PATH_LEN {
        return Err(format!("{field}: longer than {MAX_PATH_LEN} bytes"));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '[' | '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        return Err(format!(
            "{field}: brackets and parentheses nested more than {MAX_NESTING} deep"
        ));
    }
    if has_short_unicode_escape(text) {
        return Err(format!("{field}: a \\u escape needs four hex digits"));
    }
    JsonPath::parse(text).map_err(|e| format!("{field}: not a JSONPath (RFC 9535): {e}"))
}

/// Whether a `\u` escape has fewer than four hex digits after it.
/// serde_json_path 0.7.2 panics on one cut short by the end of the text
/// (found by the `config_parsing` fuzz target), so they are refused before it
/// sees them. An escaped backslash followed by `u` is not an escape.
fn has_short_unicode_escape(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.next() == Some('u') {
            let digits = chars.clone().take(4).take_while(char::is_ascii_hexdigit);
            if digits.count() < 4 {
                return true;
            }
        }
    }
    false
}

/// Checks a destination's filters without building it (API validation).
pub fn validate(d: &Destination) -> Result<(), String> {
    Subscription::of(d).map(drop)
}

/// An event as routing sees it; the data is parsed only if a filter needs it.
pub struct EventView<'a> {
    pub id: &'a str,
    pub source_id: &'a str,
    pub event_type: &'a str,
    pub subject: Option<&'a str>,
    pub data_json: &'a str,
    data: std::cell::OnceCell<Value>,
}

impl<'a> EventView<'a> {
    pub fn new(
        id: &'a str,
        source_id: &'a str,
        event_type: &'a str,
        subject: Option<&'a str>,
        data_json: &'a str,
    ) -> EventView<'a> {
        EventView {
            id,
            source_id,
            event_type,
            subject,
            data_json,
            data: Default::default(),
        }
    }

    pub fn of(event: &'a StoredEvent) -> EventView<'a> {
        EventView::new(
            &event.id,
            &event.source_id,
            &event.event_type,
            event.subject.as_deref(),
            &event.data,
        )
    }

    fn data(&self) -> &Value {
        self.data
            .get_or_init(|| serde_json::from_str(self.data_json).unwrap_or(Value::Null))
    }

    /// What a coalescing key's JSONPath reads: the event's fields and data.
    fn envelope(&self) -> Value {
        json!({
            "id": self.id,
            "source_id": self.source_id,
            "type": self.event_type,
            "subject": self.subject,
            "data": self.data(),
        })
    }
}

/// A key node as text: strings as they are, anything else as JSON; no node
/// (the path selects nothing) groups under the empty key.
fn key_text(node: Option<&Value>) -> String {
    match node {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Every route of one event, over the whole table. A disabled destination
/// (paused by an operator, or by a 410 Gone) still gets its rows: they are
/// held, not attempted, until it is enabled again.
pub fn routes(table: &[Arc<ActiveDestination>], event: &EventView<'_>) -> Vec<Route> {
    table.iter().filter_map(|d| d.route(event)).collect()
}

/// `time` of a delivered event: when it happened, else when it was received.
pub fn event_time(event: &StoredEvent) -> String {
    rfc3339(event.occurred_at.unwrap_or(event.received_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::destinations::{CoalesceConfig, Target};

    fn destination(types: &[&str], filter: Option<&str>) -> Destination {
        Destination {
            id: "dst_1".into(),
            name: "d".into(),
            target: Target::Nats {
                url: "nats://127.0.0.1:4222".into(),
                subject: "x".into(),
            },
            secret: None,
            event_types: types.iter().map(|t| t.to_string()).collect(),
            source_ids: None,
            filter: filter.map(str::to_string),
            coalesce: None,
            max_in_flight: 1,
            enabled: true,
            disabled_reason: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn active(d: Destination) -> ActiveDestination {
        let transport = Arc::new(Transport::Nats(
            crate::delivery::transport::NatsTransport::new(
                "nats://127.0.0.1:4222".into(),
                "x".into(),
            ),
        ));
        ActiveDestination::new(d, Arc::new(Slots::new(1)), transport).expect("valid")
    }

    fn view<'a>(event_type: &'a str, data: &'a str) -> EventView<'a> {
        EventView::new("evt_1", "src_1", event_type, Some("uploads/a.csv"), data)
    }

    #[test]
    fn event_type_globs_match_anywhere() {
        let d = active(destination(&["s3:ObjectCreated:*", "pull_request.*"], None));
        assert!(d.route(&view("s3:ObjectCreated:Put", "{}")).is_some());
        assert!(d.route(&view("pull_request.opened", "{}")).is_some());
        assert!(d.route(&view("s3:ObjectRemoved:Delete", "{}")).is_none());
        assert!(d.route(&view("pull_request", "{}")).is_none());
    }

    #[test]
    fn sources_limit_what_is_routed() {
        let mut d = destination(&["*"], None);
        d.source_ids = Some(vec!["src_2".into()]);
        assert!(active(d).route(&view("push", "{}")).is_none());
    }

    #[test]
    fn a_jsonpath_filter_routes_when_it_selects_something() {
        let d = active(destination(&["*"], Some("$[?search(@.key, '^uploads/')]")));
        assert!(
            d.route(&view("x", r#"{"object":{"key":"uploads/a.csv"}}"#))
                .is_some()
        );
        assert!(
            d.route(&view("x", r#"{"object":{"key":"tmp/a.csv"}}"#))
                .is_none()
        );
        assert!(d.route(&view("x", "{}")).is_none());
    }

    #[test]
    fn the_coalescing_key_reads_the_event_envelope() {
        let mut d = destination(&["*"], None);
        d.coalesce = Some(CoalesceConfig {
            key: "$.subject".into(),
            quiet_ms: 5000,
            max_wait_ms: 30000,
        });
        let route = active(d).route(&view("x", "{}")).expect("routed");
        let coalesce = route.coalesce.expect("coalesced");
        assert_eq!(coalesce.key, "uploads/a.csv");
        assert_eq!((coalesce.quiet_ms, coalesce.max_wait_ms), (5000, 30000));
    }

    #[test]
    fn deeply_nested_filters_are_refused_before_the_parser_sees_them() {
        // 41 nested filter selectors: the parser alone would run for ages.
        let nested = format!("$[?{}", "@[?".repeat(40));
        let error = validate(&destination(&["*"], Some(&nested))).unwrap_err();
        assert!(error.contains("nested more than 8 deep"), "{error}");
        let long = format!("$.{}", "a".repeat(MAX_PATH_LEN));
        assert!(validate(&destination(&["*"], Some(&long))).is_err());
        // Real filters nest a few levels.
        let ok = "$.items[?(@.tags[?(@ == 'urgent')] && @.price > 10)]";
        assert_eq!(validate(&destination(&["*"], Some(ok))), Ok(()));
    }

    #[test]
    fn unfinished_unicode_escapes_are_refused_not_a_panic() {
        // serde_json_path 0.7.2 panics ("we do not use streaming parsers")
        // on a `\u` escape cut short by the end of the text; found by the
        // `config_parsing` fuzz target.
        for filter in [
            r#"$[?$[?$["\u"#,
            r#"$["\u"#,
            r#"$["\u00"#,
            r#"$['\u004"#,
            r#"$[?@ == "\uD800\u"#,
            r#"$[?@ == "\uzz"]"#,
        ] {
            let error = validate(&destination(&["*"], Some(filter))).unwrap_err();
            assert!(error.starts_with("filter:"), "{filter}: {error}");
        }
        // Complete escapes, and an escaped backslash before a `u`, still parse.
        for filter in [
            r#"$["\u0041"]"#,
            r#"$[?@ == "\uD83D\uDE00"]"#,
            r#"$["\\u"]"#,
        ] {
            assert_eq!(
                validate(&destination(&["*"], Some(filter))),
                Ok(()),
                "{filter}"
            );
        }
    }

    #[test]
    fn bad_filters_are_named() {
        let error = validate(&destination(&["*"], Some("$.[oops"))).unwrap_err();
        assert!(error.starts_with("filter:"), "{error}");
        assert!(validate(&destination(&[], None)).is_err());
    }

    /// The S3 adapter's own fixtures: the data of each event it maps.
    fn s3_fixture_events(file: &str) -> Vec<Value> {
        let path = format!(
            "{}/../plugins/s3/fixtures/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        fixture["expect"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["data"].clone())
            .collect()
    }

    /// The key-prefix example of docs/delivery.md, on the S3 adapter's
    /// fixtures: it matches MinIO's keys (`/` sent as `%2F`) and AWS's
    /// (`/` as is), and the example it replaced matched nothing.
    #[test]
    fn the_documented_s3_key_prefix_filter_matches_what_the_s3_adapter_maps() {
        let docs = std::fs::read_to_string(format!(
            "{}/../docs/delivery.md",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let example = "$.s3[?search(@.key, '^uploads(/|%2F)')]";
        assert!(docs.contains(example), "the example is in the docs");
        let prefix = |p: &str| example.replace("uploads", p);
        let minio = s3_fixture_events("valid.json");
        let aws = s3_fixture_events("multi-record.json");
        let matches = |filter: &str, data: &Value| {
            let d = active(destination(&["*"], Some(filter)));
            d.route(&view("s3:ObjectCreated:Put", &data.to_string()))
                .is_some()
        };
        assert_eq!(
            minio[0]["s3"]["object"]["key"],
            "pipelines%2Fgenome-x%2Fraw%2Fsample+1.fastq"
        );
        assert!(matches(&prefix("pipelines"), &minio[0]));
        assert!(matches(&prefix("pipelines"), &aws[0]));
        assert!(matches(&prefix("pipelines"), &aws[1]));
        assert!(
            !matches(&prefix("pipelines"), &aws[2]),
            "reports/summary.csv"
        );
        assert!(matches(&prefix("reports"), &aws[2]));
        assert!(!matches(&prefix("uploads"), &minio[0]));
        for data in minio.iter().chain(&aws) {
            assert!(!matches("$.s3.object[?search(@.key, '^pipelines/')]", data));
        }
    }
}
