//! The declaration's own tests (apart, to keep `declare.rs` short).

use super::*;
use crate::handshake::Handshake;
use crate::scheme::Scheme;
use crate::schemes::{Encoding, Hmac};
use crate::sent::Sent;
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
    let observed = assert_sign_round_trip::<Vendor>(input(Some("repo:fork"), br#"{"repo":"a/b"}"#));
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

/// A declared handshake, unsigned, and delivery-id headers.
struct Checked;

impl Declared for Checked {
    const DECLARATION: Declaration = Declaration::new(
        crate::manifest!("checked", "Checked", "Checked events"),
        &Scheme::token_header("X-Token"),
    )
    .handshake(
        Handshake::echo(Field::query("validationToken"))
            .unsigned()
            .headers(&[("X-Content-Type-Options", "nosniff")]),
    )
    .delivery_headers(&["X-Request-Id", "X-Event-UUID"])
    .sent_headers(&[
        ("X-Kind", Sent::type_or(Field::pointer("/kind"))),
        ("X-None", Sent::field(Field::pointer("/nope"))),
    ]);
}

/// A signed handshake decided by a body field, answered as JSON.
struct Typed;

impl Declared for Typed {
    const DECLARATION: Declaration = Declaration::new(
        crate::manifest!("typed", "Typed", "Typed events")
            .settings(&[("default_type", r#"{"type": "string"}"#)]),
        &Scheme::token_header("X-Token"),
    )
    .handshake(
        Handshake::echo(Field::pointer("/challenge"))
            .when(Field::pointer("/type"), "url_verification")
            .json("challenge"),
    )
    .non_json_bodies()
    .event_type(Field::first(&[
        Field::pointer("/type"),
        Field::setting("default_type", "trigger"),
    ]))
    .dedup_id(Field::header("X-Id"));
}

#[test]
fn declared_handshakes_are_answered_before_events() {
    let ctx = |secrets: &[&str]| context(secrets, "{}", 0);
    let validation = request("POST", "/?validationToken=v%201", &[], b"");
    let got = observe::<Checked>(validation.clone(), ctx(&["k"]));
    let Observed::Response {
        status: 200,
        ref body,
        ..
    } = got
    else {
        panic!("{got:?}")
    };
    assert_eq!(body, b"v 1");
    assert_eq!(
        observe::<Checked>(validation, ctx(&[])),
        Observed::Rejected("unauthorized".into()),
        "unsigned, but only on a source with a secret"
    );
    let plain = request("POST", "/", &[], b"{}");
    assert_eq!(
        observe::<Checked>(plain, ctx(&["k"])),
        Observed::Rejected("missing_signature".into())
    );
    let check = br#"{"type":"url_verification","challenge":"c"}"#;
    let signed = request("POST", "/", &[("X-Token", "k")], check);
    let got = observe::<Typed>(signed, ctx(&["k"]));
    assert!(
        matches!(&got, Observed::Response { status: 200, body, .. } if body == br#"{"challenge":"c"}"#),
        "{got:?}"
    );
    let unsigned = request("POST", "/", &[], check);
    assert_eq!(
        observe::<Typed>(unsigned, ctx(&["k"])),
        Observed::Rejected("missing_signature".into()),
        "a signed handshake is verified"
    );
    let signed = <Checked as Adapter>::sign(input(None, b"{}")).unwrap();
    let header = |n: &str| crate::request::header(&signed.headers, n).map(str::to_string);
    assert_eq!(header("X-Request-Id").as_deref(), Some("d-1"));
    assert_eq!(header("X-Event-UUID").as_deref(), Some("d-1"));
    let signed = <Checked as Adapter>::sign(input(None, br#"{"kind":"k1"}"#)).unwrap();
    let header = |n: &str| crate::request::header(&signed.headers, n).map(str::to_string);
    assert_eq!(
        header("X-Kind").as_deref(),
        Some("k1"),
        "read from the body sent"
    );
    assert_eq!(header("X-None"), None, "an absent value adds no header");
    let signed = <Checked as Adapter>::sign(input(Some("t"), br#"{"kind":"k1"}"#)).unwrap();
    assert_eq!(crate::request::header(&signed.headers, "X-Kind"), Some("t"));
}

#[test]
fn bodies_that_are_not_json_objects_can_be_events() {
    let form = request(
        "POST",
        "/",
        &[
            ("X-Token", "k"),
            ("X-Id", "i1"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"ticket=7",
    );
    let got = observe::<Typed>(form, context(&["k"], r#"{"default_type":"form"}"#, 0));
    let Observed::Events(events) = got else {
        panic!("{got:?}")
    };
    assert_eq!(events[0].event_type, "form");
    assert_eq!(events[0].dedup_id.as_deref(), Some("i1"));
    assert_eq!(events[0].data, r#"{"ticket":"7"}"#);
    let array = request("POST", "/", &[("X-Token", "k")], b"[1]");
    let got = observe::<Typed>(array, context(&["k"], "{}", 0));
    let Observed::Events(events) = got else {
        panic!("{got:?}")
    };
    assert_eq!(events[0].event_type, "trigger");
    let data: Value = serde_json::from_str(&events[0].data).unwrap();
    assert_eq!(data, serde_json::json!({"content_type": "", "body": "[1]"}));
    let json = request("POST", "/", &[("X-Token", "k")], br#"{"type":"t"}"#);
    let got = observe::<Typed>(json, context(&["k"], "{}", 0));
    assert!(
        matches!(&got, Observed::Events(e) if e[0].event_type == "t" && e[0].data == r#"{"type":"t"}"#)
    );
}
