//! Declared adapters: a manifest, a signing scheme and a mapping are the
//! whole adapter.
//!
//! Most vendors differ only in data: names, a catalog, which header carries
//! which HMAC, where the type and id live. A [`Declaration`] holds that data
//! in a `const`, and any type implementing [`Declared`] is an [`Adapter`]
//! (a blanket impl), exported as usual with
//! [`export_adapter!`](crate::export_adapter!). Each step of the adapter is a
//! method of [`Declared`] with a default that runs the declaration, so an
//! adapter with one unusual step (a handshake in `handle`, a body that must
//! be amended in `sign`) overrides that step alone and calls
//! `Self::DECLARATION` for the rest. Adapters that fit none of this implement
//! [`Adapter`] by hand.
//!
//! What a declaration adds to its parts:
//! - `verify` first checks the settings: a JSON object with only the
//!   settings the manifest declares and the scheme reads (`malformed`
//!   otherwise, fail closed), unless the manifest brings its own schema;
//! - `sign` sends a `POST` of the body with the declared content type and user
//!   agent, the event type in its header when the type is read from one (the
//!   first catalog entry when the input names none), the delivery id in its
//!   header when the dedup id is read from one, and fixed headers; then the
//!   scheme adds its signature.

use crate::manifest::ManifestBuilder;
use crate::mapping::{Field, Mapping, Time};
use crate::request::{RequestExt, parse_settings};
use crate::scheme::SigningScheme;
use crate::signed::SignedRequestBuilder;
use crate::{
    Adapter, Context, HandleError, Manifest, Outcome, Request, SignInput, SignedRequest,
    VerifyError,
};
use serde_json::{Map, Value};

/// Everything about an adapter that is data. Build it in a `const` with the
/// `const` methods; see the [module docs](self).
#[derive(Clone, Copy)]
pub struct Declaration {
    pub manifest: ManifestBuilder,
    pub scheme: &'static dyn SigningScheme,
    pub mapping: Mapping,
    pub content_type: &'static str,
    pub user_agent: Option<&'static str>,
    /// Fixed headers `sign` adds (`X-Attempt-Number: 1`).
    pub sign_headers: &'static [(&'static str, &'static str)],
}

impl Declaration {
    /// An adapter named by `manifest`, authenticated by `scheme`, whose event
    /// type is the body's `/type` until [`event_type`](Self::event_type) says
    /// otherwise.
    pub const fn new(manifest: ManifestBuilder, scheme: &'static dyn SigningScheme) -> Self {
        Self {
            manifest,
            scheme,
            mapping: Mapping::new(Field::Pointer("/type")),
            content_type: "application/json",
            user_agent: None,
            sign_headers: &[],
        }
    }

    pub const fn event_type(mut self, field: Field) -> Self {
        self.mapping.event_type = field;
        self
    }

    pub const fn dedup_id(mut self, field: Field) -> Self {
        self.mapping.dedup_id = field;
        self
    }

    pub const fn subject(mut self, field: Field) -> Self {
        self.mapping.subject = field;
        self
    }

    pub const fn time(mut self, time: Time) -> Self {
        self.mapping.time = time;
        self
    }

    /// One event per element of the array at `pointer` (`""`: the body).
    pub const fn each(mut self, pointer: &'static str) -> Self {
        self.mapping.each = Some(pointer);
        self
    }

    /// The `Content-Type` `sign` sends (default `application/json`).
    pub const fn content_type(self, content_type: &'static str) -> Self {
        Self {
            content_type,
            ..self
        }
    }

    /// The `User-Agent` `sign` sends, as the vendor does.
    pub const fn user_agent(self, user_agent: &'static str) -> Self {
        Self {
            user_agent: Some(user_agent),
            ..self
        }
    }

    /// Fixed headers `sign` adds.
    pub const fn sign_headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            sign_headers: headers,
            ..self
        }
    }

    /// The WIT manifest: the builder's, with the scheme's settings in the
    /// generated schema and the discriminator from the event-type mapping.
    pub fn manifest(&self) -> Manifest {
        self.manifest
            .build_with(&self.scheme.settings(), self.mapping.discriminator())
    }

    /// The settings check (see the [module docs](self)), then the scheme.
    pub fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        self.check_settings(&context.settings)
            .map_err(VerifyError::Malformed)?;
        self.scheme.verify(request, context)
    }

    /// `settings` as a JSON object holding only declared settings.
    pub fn check_settings(&self, settings: &str) -> Result<(), String> {
        let object: Map<String, Value> = parse_settings(settings)?;
        if object.is_empty() || self.manifest.settings_schema.is_some() {
            return Ok(());
        }
        let extra = self.scheme.settings();
        // Collected: an iterator searched with `any` would be used up by
        // the first key, and a later key declared before it look unknown.
        let known: Vec<&str> = self.manifest.setting_names(&extra).collect();
        let unknown = object.keys().find(|key| !known.contains(&key.as_str()));
        match unknown {
            Some(key) => Err(format!("invalid settings: unknown setting `{key}`")),
            None => Ok(()),
        }
    }

    /// The mapping's events, fields read from settings at their defaults
    /// (for an override that has no context at hand; see
    /// [`handle_in`](Self::handle_in)).
    pub fn handle(&self, request: &Request) -> Result<Outcome, HandleError> {
        self.mapping.events(request).map(Outcome::Events)
    }

    /// The mapping's events with the source's settings, for
    /// [`Field::setting_pointer`] and [`Field::setting`]: what
    /// [`Declared::handle`] does. Settings that are not a JSON object are
    /// `malformed`.
    pub fn handle_in(&self, request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let settings: Map<String, Value> =
            parse_settings(&context.settings).map_err(HandleError::Malformed)?;
        self.mapping
            .events_with(request, &body, &Value::Object(settings))
            .map(Outcome::Events)
    }

    /// The request the vendor would send (see the [module docs](self)).
    pub fn sign(&self, input: &SignInput) -> Result<SignedRequest, String> {
        let mut request = SignedRequestBuilder::post_json(input).content_type(self.content_type);
        if let Some(user_agent) = self.user_agent {
            request = request.user_agent(user_agent);
        }
        if let Some((name, separator)) = header_of(&self.mapping.event_type) {
            let event_type = input
                .event_type
                .as_deref()
                .or(self.manifest.events.first().map(|(name, _)| *name))
                .or(crate::catalog::names(self.manifest.events_file).next())
                .unwrap_or_default();
            let value = match separator {
                Some(separator) => event_type.split(separator).next().unwrap_or_default(),
                None => event_type,
            };
            request = request.header(name, value);
        }
        if let Some((name, _)) = header_of(&self.mapping.dedup_id) {
            request = request.header(name, input.delivery_id.clone());
        }
        for (name, value) in self.sign_headers {
            request = request.header(name, *value);
        }
        Ok(self.scheme.sign(input, request)?.build())
    }
}

/// The header a field is read from, directly or as the first part of a
/// joined field (with the separator).
fn header_of(field: &Field) -> Option<(&'static str, Option<&'static str>)> {
    match field {
        Field::Header(name) | Field::First([Field::Header(name), ..]) => Some((*name, None)),
        Field::Joined([Field::Header(name), ..], separator) => Some((*name, Some(*separator))),
        _ => None,
    }
}

/// An adapter made of a [`Declaration`]; every step can be overridden.
///
/// With both traits in scope, name the one meant: `<T as Adapter>::sign(…)`
/// calls the adapter as the host does.
pub trait Declared {
    const DECLARATION: Declaration;

    fn manifest() -> Manifest {
        Self::DECLARATION.manifest()
    }

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        Self::DECLARATION.verify(request, context)
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        Self::DECLARATION.handle_in(request, context)
    }

    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        Self::DECLARATION.sign(input)
    }
}

impl<T: Declared> Adapter for T {
    fn manifest() -> Manifest {
        <T as Declared>::manifest()
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        <T as Declared>::verify(&request, &context)
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        <T as Declared>::handle(&request, &context)
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        <T as Declared>::sign(&input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Scheme;
    use crate::schemes::{Encoding, Hmac};
    use crate::testing::{Observed, assert_sign_round_trip, context, observe, request};
    use crate::{DirectResponse, DiscriminatorLocation};

    struct Vendor;

    const EVENTS: &str = "repo:push  Pushed\nrepo:fork  Forked\n";

    impl Declared for Vendor {
        const DECLARATION: Declaration = Declaration::new(
            crate::manifest!("vendor", "Vendor", "Vendor events").events_file(EVENTS),
            &Scheme::body_hmac("X-Sig", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
        )
        .event_type(Field::header("X-Event"))
        .dedup_id(Field::header("X-Delivery"))
        .subject(Field::pointer("/repo"))
        .user_agent("Vendor-Hooks/1")
        .sign_headers(&[("X-Attempt", "1")]);
    }

    struct Timed;

    impl Declared for Timed {
        const DECLARATION: Declaration = Declaration::new(
            crate::manifest!("timed", "Timed", "Timed events"),
            &Scheme::stripe_like("T-Sig").tolerance(60),
        )
        .event_type(Field::joined(
            &[Field::header("X-Resource"), Field::pointer("/action")],
            ".",
        ))
        .time(Time::unix_seconds("/at"));

        /// An unsigned handshake (a `GET`), on a source with a secret.
        fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
            if request.method == "GET" && !context.secrets.is_empty() {
                return Ok(());
            }
            Self::DECLARATION.verify(request, context)
        }

        /// The handshake's answer, before the declared handling.
        fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
            if request.method == "GET" {
                return Ok(Outcome::Respond(DirectResponse {
                    status: 200,
                    headers: vec![],
                    body: b"hi".to_vec(),
                }));
            }
            Self::DECLARATION.handle(request)
        }
    }

    /// The event type's place is a setting.
    struct Pointed;

    impl Declared for Pointed {
        const DECLARATION: Declaration = Declaration::new(
            crate::manifest!("pointed", "Pointed", "Pointed events")
                .settings(&[("type_pointer", r#"{"type": "string", "default": "/type"}"#)]),
            &Scheme::body_hmac("X-Sig", Hmac::Sha256, Encoding::Hex),
        )
        .event_type(Field::first(&[
            Field::setting_pointer("type_pointer", "/type"),
            Field::setting("default_type", "other"),
        ]));
    }

    #[test]
    fn the_default_handle_reads_the_settings() {
        let body = br#"{"type":"a","kind":"b"}"#;
        let signed = <Pointed as Adapter>::sign(input(None, body)).unwrap();
        let pairs: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let run = |settings: &str| {
            let req = request("POST", "/", &pairs, body);
            match observe::<Pointed>(req, context(&["k"], settings, 0)) {
                Observed::Events(events) => events[0].event_type.clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(run(""), "a");
        assert_eq!(run(r#"{"type_pointer": "/kind"}"#), "b");
        assert_eq!(run(r#"{"type_pointer": "/none"}"#), "other");
        let m = <Pointed as Adapter>::manifest();
        assert_eq!(m.discriminator.path, "/type");
        let req = request("POST", "/", &[], body);
        let bad = Pointed::DECLARATION.handle_in(&req, &context(&["k"], "[1]", 0));
        assert!(matches!(bad, Err(HandleError::Malformed(_))));
        let without = Pointed::DECLARATION.handle(&req).unwrap();
        assert!(matches!(&without, Outcome::Events(e) if e[0].event_type == "a"));
    }

    fn input(event_type: Option<&str>, body: &[u8]) -> SignInput {
        SignInput {
            body: body.to_vec(),
            secret: "k".into(),
            event_type: event_type.map(str::to_string),
            delivery_id: "d-1".into(),
            url: "https://hooks.test/w".into(),
            settings: "{}".into(),
            now_ms: 1_763_800_000_000,
        }
    }

    #[test]
    fn a_declaration_is_a_whole_adapter() {
        let m = <Vendor as Adapter>::manifest();
        assert_eq!((m.name.as_str(), m.event_types.len()), ("vendor", 2));
        assert_eq!(m.discriminator.location, DiscriminatorLocation::Header);
        assert_eq!(m.discriminator.path, "X-Event");
        let observed =
            assert_sign_round_trip::<Vendor>(input(Some("repo:fork"), br#"{"repo":"a/b"}"#));
        let Observed::Events(events) = observed else {
            panic!("{observed:?}")
        };
        assert_eq!(events[0].event_type, "repo:fork");
        assert_eq!(events[0].dedup_id.as_deref(), Some("d-1"));
        assert_eq!(events[0].subject.as_deref(), Some("a/b"));
        let signed = <Vendor as Adapter>::sign(input(None, b"{}")).unwrap();
        let header = |n: &str| crate::request::header(&signed.headers, n).map(str::to_string);
        assert_eq!(
            header("X-Event").as_deref(),
            Some("repo:push"),
            "the first catalog entry"
        );
        assert_eq!(header("User-Agent").as_deref(), Some("Vendor-Hooks/1"));
        assert_eq!(header("Content-Type").as_deref(), Some("application/json"));
        assert_eq!(header("X-Attempt").as_deref(), Some("1"));
        assert!(header("X-Sig").unwrap().starts_with("sha256="));
    }

    #[test]
    fn verify_fails_closed_on_secrets_signatures_and_settings() {
        let signed = <Vendor as Adapter>::sign(input(None, b"{}")).unwrap();
        let pairs: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let req = request("POST", "/", &pairs, b"{}");
        let run = |secrets: &[&str], settings: &str| {
            observe::<Vendor>(req.clone(), context(secrets, settings, 1_763_800_000))
        };
        assert!(matches!(run(&["k"], "{}"), Observed::Events(_)));
        assert_eq!(run(&[], "{}"), Observed::Rejected("unauthorized".into()));
        assert_eq!(
            run(&["other"], "{}"),
            Observed::Rejected("bad_signature".into())
        );
        assert_eq!(
            run(&["k"], r#"{"extra":1}"#),
            Observed::Rejected("malformed".into())
        );
        assert_eq!(run(&["k"], "[1]"), Observed::Rejected("malformed".into()));
        assert!(
            Timed::DECLARATION
                .check_settings(r#"{"tolerance_seconds": 9}"#)
                .is_ok()
        );
        assert!(
            Vendor::DECLARATION
                .check_settings(r#"{"tolerance_seconds": 9}"#)
                .is_err()
        );
    }

    #[test]
    fn every_declared_setting_is_known_whatever_the_order() {
        const SETTINGS: &[(&str, &str)] = &[("b_first", "{}"), ("a_second", "{}")];
        const DECLARATION: Declaration = Declaration::new(
            crate::manifest!("two", "Two", "Two settings").settings(SETTINGS),
            &Scheme::body_hmac("X-Sig", Hmac::Sha256, Encoding::Hex),
        );
        let declaration = DECLARATION;
        // Keys come sorted: `a_second` is checked before `b_first`.
        assert!(
            declaration
                .check_settings(r#"{"b_first": 1, "a_second": 2}"#)
                .is_ok()
        );
        assert!(
            declaration
                .check_settings(r#"{"a_second": 2, "c": 3}"#)
                .is_err()
        );
    }

    #[test]
    fn one_step_can_be_overridden() {
        let got = observe::<Timed>(request("GET", "/", &[], b""), context(&["k"], "", 0));
        let closed = observe::<Timed>(request("GET", "/", &[], b""), context(&[], "", 0));
        assert_eq!(closed, Observed::Rejected("unauthorized".into()));
        let unsigned = observe::<Timed>(request("POST", "/", &[], b"{}"), context(&["k"], "", 0));
        assert_eq!(unsigned, Observed::Rejected("missing_signature".into()));
        assert!(
            matches!(got, Observed::Response { status: 200, .. }),
            "{got:?}"
        );
        let observed = assert_sign_round_trip::<Timed>(input(
            Some("issue.resolved"),
            br#"{"action":"resolved","at":1763800000}"#,
        ));
        let Observed::Events(events) = observed else {
            panic!("{observed:?}")
        };
        assert_eq!(
            events[0].event_type, "issue.resolved",
            "the header carries the resource alone"
        );
        assert_eq!(events[0].occurred_at, Some(1_763_800_000_000));
        let m = <Timed as Adapter>::manifest();
        let schema: Value = serde_json::from_str(&m.settings_schema).unwrap();
        assert_eq!(schema["properties"]["tolerance_seconds"]["default"], 60);
        assert_eq!(schema["additionalProperties"], false);
    }
}
