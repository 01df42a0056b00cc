//! Where an event's type, dedup id, subject and time live, declared.
//!
//! Almost every adapter's `handle` was the same dozen lines: parse the JSON
//! body, read the type at a pointer (or a header), fail `malformed` without
//! one, read the id, the subject and a time in one of three formats, wrap it
//! all in an [`Event`]. A [`Mapping`] says only *where* each value is
//! ([`Field`], [`Time`]) and [`Mapping::events`] does the rest, including one
//! event per element of an array ([`Mapping::each`]).
//!
//! Values are text: strings as they are, numbers and booleans rendered;
//! empty strings, nulls, objects and arrays count as absent. Header values are
//! trimmed. Pointers are RFC 6901 JSON pointers into the record: the body, or
//! the array element with [`Mapping::each`].
//!
//! Write fields in a `const` (a declaration is one): `&[Field::pointer(…)]`
//! is `'static` there, while in a function body it is a temporary.
//!
//! A source's settings can say where a value is ([`Field::setting_pointer`])
//! or what it is ([`Field::setting`]): a declaration stays a `const` and the
//! settings arrive with the request ([`Mapping::events_with`]; without them,
//! as in [`Mapping::events`], every such field takes its default).

use crate::request::{RequestExt, json_string};
use crate::time::{iso8601_to_ms, rfc3339_to_ms};
use crate::{DiscriminatorLocation, Event, HandleError, Request};
use serde_json::Value;

/// What a [`Field`] or [`Time`] is read from.
pub struct Source<'a> {
    pub request: &'a Request,
    /// The parsed body.
    pub body: &'a Value,
    /// The body, or the array element being mapped.
    pub record: &'a Value,
    /// The source's settings (a JSON object), or `null` when not given.
    pub settings: &'a Value,
}

/// Where one text value of an event lives.
#[derive(Clone, Copy, Debug)]
pub enum Field {
    /// Never present.
    Absent,
    /// A JSON pointer into the record (`/event/type`).
    Pointer(&'static str),
    /// A request header (any case), trimmed.
    Header(&'static str),
    /// A query parameter, percent-decoded.
    Query(&'static str),
    /// Always this text.
    Fixed(&'static str),
    /// The first of these that is present.
    First(&'static [Field]),
    /// The parts that are present joined with the separator (`Issue` and
    /// `create` → `Issue.create`); absent when the first part is.
    Joined(&'static [Field], &'static str),
    /// A JSON pointer into the record, read from the setting named first
    /// (`event_type_pointer`), else the second.
    SettingPointer(&'static str, &'static str),
    /// The text of the setting named first, else the second.
    Setting(&'static str, &'static str),
    /// Anything else.
    Custom(fn(&Source) -> Option<String>),
}

/// The text of setting `name`, if a non-empty string.
fn setting<'a>(settings: &'a Value, name: &str) -> Option<&'a str> {
    settings
        .get(name)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
}

impl Field {
    pub const fn pointer(pointer: &'static str) -> Self {
        Field::Pointer(pointer)
    }

    pub const fn header(name: &'static str) -> Self {
        Field::Header(name)
    }

    pub const fn query(name: &'static str) -> Self {
        Field::Query(name)
    }

    pub const fn fixed(value: &'static str) -> Self {
        Field::Fixed(value)
    }

    pub const fn first(fields: &'static [Field]) -> Self {
        Field::First(fields)
    }

    pub const fn joined(parts: &'static [Field], separator: &'static str) -> Self {
        Field::Joined(parts, separator)
    }

    /// The value at the JSON pointer the source's setting `setting` holds
    /// (`{"event_type_pointer": "/event/name"}`), at `default` when the
    /// setting is absent, empty or not a string. Declare the setting in the
    /// manifest (`.settings(…)`) with `default` as its default.
    pub const fn setting_pointer(setting: &'static str, default: &'static str) -> Self {
        Field::SettingPointer(setting, default)
    }

    /// The source's setting `name` itself (a string), `default` when absent
    /// or empty: a type for bodies that carry none, after
    /// [`first`](Self::first).
    pub const fn setting(name: &'static str, default: &'static str) -> Self {
        Field::Setting(name, default)
    }

    pub const fn custom(read: fn(&Source) -> Option<String>) -> Self {
        Field::Custom(read)
    }

    /// The value in `source`, if present and not empty.
    pub fn read(&self, source: &Source) -> Option<String> {
        let value = match self {
            Field::Absent => None,
            Field::Pointer(pointer) => json_string(source.record, pointer),
            Field::Header(name) => source.request.header(name).map(|v| v.trim().to_string()),
            Field::Query(name) => source.request.query_param(name),
            Field::Fixed(value) => Some(value.to_string()),
            Field::First(fields) => fields.iter().find_map(|f| f.read(source)),
            Field::Joined(parts, separator) => {
                let (first, rest) = parts.split_first()?;
                let mut joined = first.read(source)?;
                for part in rest.iter().filter_map(|p| p.read(source)) {
                    joined.push_str(separator);
                    joined.push_str(&part);
                }
                Some(joined)
            }
            Field::SettingPointer(name, default) => {
                let pointer = setting(source.settings, name).unwrap_or(default);
                json_string(source.record, pointer)
            }
            Field::Setting(name, default) => Some(
                setting(source.settings, name)
                    .unwrap_or(default)
                    .to_string(),
            ),
            Field::Custom(read) => read(source),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Where the manifest says the value is, if one place says it
    /// (a setting's pointer: its default). `each` is the array pointer of
    /// [`Mapping::each`].
    pub fn location(&self, each: Option<&str>) -> Option<(DiscriminatorLocation, String)> {
        match self {
            Field::Pointer(pointer) | Field::SettingPointer(_, pointer) => Some((
                DiscriminatorLocation::Body,
                match each {
                    Some(array) => format!("{array}/*{pointer}"),
                    None => pointer.to_string(),
                },
            )),
            Field::Header(name) => Some((DiscriminatorLocation::Header, name.to_string())),
            Field::Query(name) => Some((DiscriminatorLocation::Query, name.to_string())),
            Field::Fixed(value) => Some((DiscriminatorLocation::Fixed, value.to_string())),
            Field::First(fields) | Field::Joined(fields, _) => fields.first()?.location(each),
            Field::Absent | Field::Setting(..) | Field::Custom(_) => None,
        }
    }
}

/// Where an event's time lives, and in what form.
#[derive(Clone, Copy, Debug)]
pub enum Time {
    Absent,
    /// RFC 3339 text (`2025-11-22T08:26:40.123Z`); the zone is required.
    Rfc3339(&'static str),
    /// RFC 3339, or without a zone taken as UTC (`2020-01-08 00:12:39.022`).
    Iso8601(&'static str),
    /// A number of seconds since the epoch, fractions kept to the millisecond.
    UnixSeconds(&'static str),
    /// A number of milliseconds since the epoch.
    UnixMillis(&'static str),
    /// The first of these that is present.
    First(&'static [Time]),
    Custom(fn(&Source) -> Option<i64>),
}

impl Time {
    pub const fn rfc3339(pointer: &'static str) -> Self {
        Time::Rfc3339(pointer)
    }

    pub const fn iso8601(pointer: &'static str) -> Self {
        Time::Iso8601(pointer)
    }

    pub const fn unix_seconds(pointer: &'static str) -> Self {
        Time::UnixSeconds(pointer)
    }

    pub const fn unix_millis(pointer: &'static str) -> Self {
        Time::UnixMillis(pointer)
    }

    pub const fn first(times: &'static [Time]) -> Self {
        Time::First(times)
    }

    /// Milliseconds since the epoch, if present and readable.
    pub fn read(&self, source: &Source) -> Option<i64> {
        let text = |pointer: &str| json_string(source.record, pointer);
        match self {
            Time::Absent => None,
            Time::Rfc3339(pointer) => rfc3339_to_ms(&text(pointer)?),
            Time::Iso8601(pointer) => iso8601_to_ms(&text(pointer)?),
            Time::UnixSeconds(pointer) => {
                let value = source.record.pointer(pointer)?;
                match value.as_i64() {
                    Some(seconds) => seconds.checked_mul(1000),
                    None => value
                        .as_f64()
                        .map(|s| (s * 1000.0).round())
                        .filter(|ms| ms.abs() < 9.2e18)
                        .map(|ms| ms as i64),
                }
            }
            Time::UnixMillis(pointer) => source.record.pointer(pointer)?.as_i64(),
            Time::First(times) => times.iter().find_map(|t| t.read(source)),
            Time::Custom(read) => read(source),
        }
    }
}

/// How a request's body becomes events.
#[derive(Clone, Copy, Debug)]
pub struct Mapping {
    /// Required: an event without a type is `malformed`.
    pub event_type: Field,
    pub dedup_id: Field,
    pub subject: Field,
    pub time: Time,
    /// One event per element of the array at this pointer (`""`: the body
    /// is the array), each element its event's data and record.
    pub each: Option<&'static str>,
}

impl Mapping {
    /// The event type at `event_type`; nothing else yet.
    pub const fn new(event_type: Field) -> Self {
        Self {
            event_type,
            dedup_id: Field::Absent,
            subject: Field::Absent,
            time: Time::Absent,
            each: None,
        }
    }

    /// The events in `request`: its body must be JSON, each record must have
    /// an event type. Data is the raw body, or the element with [`Self::each`].
    pub fn events(&self, request: &Request) -> Result<Vec<Event>, HandleError> {
        self.events_in(request, &request.json()?)
    }

    /// Like [`events`](Self::events), for a body the caller has parsed
    /// already (an override that looked at it first, for a handshake).
    pub fn events_in(&self, request: &Request, body: &Value) -> Result<Vec<Event>, HandleError> {
        self.events_with(request, body, &Value::Null)
    }

    /// Like [`events_in`](Self::events_in), with the source's parsed
    /// settings for [`Field::setting_pointer`] and [`Field::setting`].
    pub fn events_with(
        &self,
        request: &Request,
        body: &Value,
        settings: &Value,
    ) -> Result<Vec<Event>, HandleError> {
        let event = |record: &Value, data: String| {
            self.event(
                Source {
                    request,
                    body,
                    record,
                    settings,
                },
                data,
            )
        };
        let Some(array) = self.each else {
            let data = String::from_utf8(request.body.clone()).unwrap_or_else(|_| body.to_string());
            return Ok(vec![event(body, data)?]);
        };
        let items = body
            .pointer(array)
            .and_then(Value::as_array)
            .ok_or_else(|| HandleError::Malformed(format!("no array at {array:?} in the body")))?;
        items
            .iter()
            .map(|item| event(item, item.to_string()))
            .collect()
    }

    fn event(&self, source: Source, data: String) -> Result<Event, HandleError> {
        let event_type = self.event_type.read(&source).ok_or_else(|| {
            let place = match self.event_type {
                Field::SettingPointer(name, default) => {
                    setting(source.settings, name).unwrap_or(default).into()
                }
                _ => self
                    .event_type
                    .location(self.each)
                    .map_or("its place".into(), |(_, p)| p),
            };
            HandleError::Malformed(format!("no event type at {place}"))
        })?;
        Ok(Event {
            event_type,
            dedup_id: self.dedup_id.read(&source),
            occurred_at: self.time.read(&source),
            subject: self.subject.read(&source),
            data,
        })
    }

    /// The manifest's discriminator, when the event type has one place.
    pub fn discriminator(&self) -> Option<(DiscriminatorLocation, String)> {
        self.event_type.location(self.each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;

    // Slices of fields are built in constants, as in a declaration: a `const
    // fn` call is only promoted to `'static` there.
    const ID: Field = Field::first(&[
        Field::pointer("/missing"),
        Field::pointer("/empty"),
        Field::header("X-Id"),
    ]);
    const TYPE_ACTION: Field =
        Field::joined(&[Field::pointer("/type"), Field::pointer("/action")], ".");
    const TYPE_NOPE: Field =
        Field::joined(&[Field::pointer("/type"), Field::pointer("/nope")], ".");
    const FALLBACK_TIME: Time = Time::first(&[Time::rfc3339("/none"), Time::unix_seconds("/secs")]);

    const BODY: &[u8] = br#"{"type":"Issue","action":"create","id":"e1","n":7,"empty":"","data":{"id":"i1"},"at":"2025-11-22T08:26:40.5Z","secs":1763800000,"frac":1763800000.25,"ms":1763800000123,"local":"2025-11-22 08:26:40"}"#;

    fn one(mapping: Mapping) -> Event {
        let req = request(
            "POST",
            "/?kind=q",
            &[("X-Event", " push "), ("X-Id", "h1")],
            BODY,
        );
        let mut events = mapping.events(&req).unwrap();
        assert_eq!(events.len(), 1);
        events.remove(0)
    }

    #[test]
    fn fields_come_from_pointers_headers_queries_and_constants() {
        let event = one(Mapping {
            dedup_id: ID,
            subject: Field::pointer("/data/id"),
            time: Time::rfc3339("/at"),
            ..Mapping::new(TYPE_ACTION)
        });
        assert_eq!(event.event_type, "Issue.create");
        assert_eq!(event.dedup_id.as_deref(), Some("h1"));
        assert_eq!(event.subject.as_deref(), Some("i1"));
        assert_eq!(event.occurred_at, Some(1_763_800_000_500));
        assert_eq!(event.data.as_bytes(), BODY, "the raw body is the data");
        let req = request("POST", "/", &[], BODY);
        let parsed: Value = serde_json::from_slice(BODY).unwrap();
        let again = Mapping::new(TYPE_ACTION).events_in(&req, &parsed).unwrap();
        assert_eq!(again[0].event_type, "Issue.create");
        assert_eq!(
            one(Mapping::new(Field::header("x-event"))).event_type,
            "push"
        );
        assert_eq!(one(Mapping::new(Field::query("kind"))).event_type, "q");
        assert_eq!(one(Mapping::new(Field::fixed("ping"))).event_type, "ping");
        assert_eq!(one(Mapping::new(Field::pointer("/n"))).event_type, "7");
        let joined_without_action = TYPE_NOPE;
        assert_eq!(one(Mapping::new(joined_without_action)).event_type, "Issue");
        let custom = Field::custom(|s| Some(format!("{}!", s.request.method)));
        assert_eq!(one(Mapping::new(custom)).event_type, "POST!");
    }

    #[test]
    fn times_come_in_four_forms() {
        let at = |time| {
            one(Mapping {
                time,
                ..Mapping::new(Field::fixed("t"))
            })
            .occurred_at
        };
        assert_eq!(at(Time::unix_seconds("/secs")), Some(1_763_800_000_000));
        assert_eq!(at(Time::unix_seconds("/frac")), Some(1_763_800_000_250));
        assert_eq!(at(Time::unix_millis("/ms")), Some(1_763_800_000_123));
        assert_eq!(at(Time::iso8601("/local")), Some(1_763_800_000_000));
        assert_eq!(at(Time::rfc3339("/local")), None);
        assert_eq!(at(Time::rfc3339("/type")), None);
        assert_eq!(at(FALLBACK_TIME), Some(1_763_800_000_000));
        assert_eq!(at(Time::Absent), None);
    }

    #[test]
    fn a_missing_type_or_a_bad_body_is_malformed() {
        let req = request("POST", "/", &[], BODY);
        let err = Mapping::new(Field::pointer("/event"))
            .events(&req)
            .unwrap_err();
        assert!(matches!(err, HandleError::Malformed(m) if m == "no event type at /event"));
        let empty = Mapping::new(Field::pointer("/empty")).events(&req);
        assert!(matches!(empty, Err(HandleError::Malformed(_))));
        let not_json = request("POST", "/", &[], b"a=1");
        assert!(matches!(
            Mapping::new(Field::fixed("x")).events(&not_json),
            Err(HandleError::Malformed(_))
        ));
    }

    #[test]
    fn arrays_become_one_event_per_element() {
        let mapping = Mapping {
            dedup_id: Field::pointer("/id"),
            each: Some(""),
            ..Mapping::new(Field::pointer("/event"))
        };
        let req = request(
            "POST",
            "/",
            &[],
            br#"[{"event":"open","id":"1"},{"event":"click","id":"2"}]"#,
        );
        let events = mapping.events(&req).unwrap();
        assert_eq!(
            events
                .iter()
                .map(|e| e.event_type.as_str())
                .collect::<Vec<_>>(),
            ["open", "click"]
        );
        assert_eq!(events[1].data, r#"{"event":"click","id":"2"}"#);
        assert_eq!(
            mapping.discriminator(),
            Some((DiscriminatorLocation::Body, "/*/event".into()))
        );
        let bad = request("POST", "/", &[], br#"[{"event":"open"},{"id":"2"}]"#);
        assert!(mapping.events(&bad).is_err());
        assert!(mapping.events(&request("POST", "/", &[], b"{}")).is_err());
        let nested = Mapping {
            each: Some("/Records"),
            ..mapping
        };
        assert_eq!(nested.discriminator().unwrap().1, "/Records/*/event");
    }

    #[test]
    fn the_discriminator_follows_the_event_type() {
        let at = |f: Field| Mapping::new(f).discriminator();
        assert_eq!(
            at(Field::header("X-E")),
            Some((DiscriminatorLocation::Header, "X-E".into()))
        );
        assert_eq!(
            at(TYPE_ACTION),
            Some((DiscriminatorLocation::Body, "/type".into()))
        );
        assert_eq!(
            at(Field::query("k")),
            Some((DiscriminatorLocation::Query, "k".into()))
        );
        assert_eq!(at(Field::custom(|_| None)), None);
        assert_eq!(
            at(Field::setting_pointer("type_pointer", "/type")),
            Some((DiscriminatorLocation::Body, "/type".into())),
            "a setting's pointer is at its default"
        );
        assert_eq!(at(Field::setting("default_type", "x")), None);
    }

    const FROM_SETTINGS: Field = Field::first(&[
        Field::setting_pointer("type_pointer", "/type"),
        Field::setting("default_type", "webhook"),
    ]);

    #[test]
    fn settings_say_where_a_value_is_or_what_it_is() {
        let req = request("POST", "/", &[], BODY);
        let body: Value = serde_json::from_slice(BODY).unwrap();
        let mapping = Mapping {
            dedup_id: Field::setting_pointer("id_pointer", "/id"),
            ..Mapping::new(FROM_SETTINGS)
        };
        let with = |settings: Value| {
            let events = mapping.events_with(&req, &body, &settings).unwrap();
            (events[0].event_type.clone(), events[0].dedup_id.clone())
        };
        let own = serde_json::json!({"type_pointer": "/action", "id_pointer": "/data/id"});
        assert_eq!(with(own), ("create".into(), Some("i1".into())));
        assert_eq!(with(Value::Null), ("Issue".into(), Some("e1".into())));
        let unset = serde_json::json!({"type_pointer": "", "id_pointer": 3});
        assert_eq!(with(unset), ("Issue".into(), Some("e1".into())), "defaults");
        let nowhere = serde_json::json!({"type_pointer": "/nope"});
        assert_eq!(with(nowhere).0, "webhook", "then the next field");
        let named = serde_json::json!({"type_pointer": "/nope", "default_type": "ping"});
        assert_eq!(with(named).0, "ping");
        let no_settings = mapping.events_in(&req, &body).unwrap();
        assert_eq!(
            no_settings[0].event_type, "Issue",
            "events_in: the defaults"
        );
        let only_pointer = Mapping::new(Field::setting_pointer("type_pointer", "/type"));
        let err = only_pointer
            .events_with(&req, &body, &serde_json::json!({"type_pointer": "/nope"}))
            .unwrap_err();
        assert!(matches!(err, HandleError::Malformed(m) if m == "no event type at /nope"));
    }
}
