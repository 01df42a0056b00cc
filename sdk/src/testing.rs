//! Native test harness: run an adapter's conformance fixtures, and build
//! requests, with a plain `cargo test` — no WebAssembly runtime involved.
//!
//! The fixture files are the same ones `hookyard plugin test` runs through the
//! compiled component in the real sandbox, so both runs prove one contract.
//!
//! A `reply` outcome (contract 0.2) is observed as its events plus its own
//! response and follow-up, if any ([`Observed::Reply`]). The `fetch` import
//! has no host here: tests serve its answers with [`serve_fetch`] (see
//! [`crate::fetch`]).

use crate::fetch::{imp, ok_response};
use crate::{
    Adapter, Context, Event, FetchResponse, HandleError, Header, Outcome, OutgoingRequest, Request,
    SignInput, VerifyError,
};
use hookyard_fixture::Fixture;
/// What [`observe`] reports: events, a direct response, a reply, a rejection
/// or a handle failure (the fixture format's own types, re-exported so adapter
/// tests need no dependency on `hookyard-fixture`).
pub use hookyard_fixture::{Observed, ObservedEvent, ObservedFollowUp, ObservedResponse};
use std::path::Path;

/// Answers the native `fetch` of `GET url` with a `200` and `body`, on this
/// thread (each test runs on its own).
pub fn serve_fetch(url: &str, body: impl Into<Vec<u8>>) {
    imp::serve("GET", url, ok_response(body));
}

/// Answers the native `fetch` of `method url` with `response`.
pub fn serve_fetch_response(method: &str, url: &str, response: FetchResponse) {
    imp::serve(method, url, response);
}

/// Forgets every served answer and every recorded request of this thread.
pub fn clear_fetch() {
    imp::clear();
}

/// The requests sent through the native `fetch` on this thread, in order,
/// served or not.
pub fn fetched() -> Vec<OutgoingRequest> {
    imp::sent()
}

/// A request for unit tests: `target` is a path with an optional query.
pub fn request(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Request {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Request {
        method: method.to_string(),
        url: format!("https://hookyard.test{target}"),
        path: path.to_string(),
        query: query.to_string(),
        headers: headers
            .iter()
            .map(|(n, v)| Header {
                name: n.to_string(),
                value: v.to_string(),
            })
            .collect(),
        body: body.to_vec(),
        remote_addr: None,
    }
}

/// A context with these secrets, settings (JSON) and clock (Unix seconds).
pub fn context(secrets: &[&str], settings: &str, now_secs: i64) -> Context {
    Context {
        secrets: secrets.iter().map(|s| s.to_string()).collect(),
        settings: settings.to_string(),
        now_ms: now_secs * 1000,
    }
}

/// The fixture error code of a verify error (`bad_signature`, ...), as the
/// host answers it.
pub fn verify_code(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::MissingSignature(_) => "missing_signature",
        VerifyError::Malformed(_) => "malformed",
        VerifyError::BadSignature => "bad_signature",
        VerifyError::TimestampOutOfTolerance(_) => "timestamp_out_of_tolerance",
        VerifyError::Unauthorized(_) => "unauthorized",
    }
}

/// What `verify` then `handle` make of a request, as the host would see it.
pub fn observe<A: Adapter>(request: Request, context: Context) -> Observed {
    if let Err(error) = A::verify(request.clone(), context.clone()) {
        return Observed::Rejected(verify_code(&error).to_string());
    }
    let events = |events: Vec<Event>| {
        events
            .into_iter()
            .map(|e| ObservedEvent {
                event_type: e.event_type,
                dedup_id: e.dedup_id,
                subject: e.subject,
                occurred_at: e.occurred_at,
                data: e.data,
            })
            .collect()
    };
    let pairs = |headers: Vec<Header>| headers.into_iter().map(|h| (h.name, h.value)).collect();
    match A::handle(request, context) {
        Ok(Outcome::Events(list)) => Observed::Events(events(list)),
        Ok(Outcome::Respond(r)) => Observed::Response {
            status: r.status,
            headers: pairs(r.headers),
            body: r.body,
        },
        Ok(Outcome::Reply(reply)) => Observed::Reply {
            events: events(reply.events),
            response: reply.response.map(|r| ObservedResponse {
                status: r.status,
                headers: pairs(r.headers),
                body: r.body,
            }),
            follow_up: reply.follow_up.map(|f| ObservedFollowUp {
                method: f.method,
                url: f.url,
                headers: pairs(f.headers),
                body: f.body,
            }),
        },
        Err(HandleError::Malformed(m)) => Observed::HandleFailed("malformed".into(), m),
        Err(HandleError::Other(m)) => Observed::HandleFailed("other".into(), m),
    }
}

/// Runs every fixture in `dir` and panics with a diff for each failing one.
/// The manifest is built first: a malformed event catalog, or a name in it
/// twice, fails the test here.
pub fn run_fixtures<A: Adapter>(dir: impl AsRef<Path>) {
    let manifest = A::manifest();
    let mut names = std::collections::HashSet::new();
    for event_type in &manifest.event_types {
        assert!(
            names.insert(event_type.name.as_str()),
            "event type {} is in the catalog twice",
            event_type.name
        );
    }
    let cases = Fixture::load_dir(dir.as_ref()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !cases.is_empty(),
        "no fixtures in {}",
        dir.as_ref().display()
    );
    let mut failures = Vec::new();
    for (path, fixture) in &cases {
        let req = &fixture.request;
        let body = req
            .body_bytes()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let request = Request {
            method: req.method.clone(),
            url: req.url.clone(),
            path: req.path(),
            query: req.query(),
            headers: req
                .headers
                .iter()
                .map(|(n, v)| Header {
                    name: n.clone(),
                    value: v.clone(),
                })
                .collect(),
            body,
            remote_addr: None,
        };
        let context = Context {
            secrets: fixture.secrets.clone(),
            settings: fixture.settings_json(),
            now_ms: fixture.now * 1000,
        };
        clear_fetch();
        let answers = fixture
            .fetch_answers()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (url, body) in answers {
            // By URL whatever the method, as `hookyard plugin test` answers:
            // a key endpoint may want a POST with credentials (Plaid).
            serve_fetch_response("POST", &url, ok_response(body.clone()));
            serve_fetch(&url, body);
        }
        let diffs = fixture.check(&observe::<A>(request, context));
        if !diffs.is_empty() {
            failures.push(format!(
                "{} ({}):\n    {}",
                path.display(),
                fixture.description,
                diffs.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Signs `input` with the adapter, then checks that the signed request passes
/// `verify` with the same secret and yields events (not an error).
pub fn assert_sign_round_trip<A: Adapter>(input: SignInput) -> Observed {
    let signed = A::sign(input.clone()).unwrap_or_else(|e| panic!("sign failed: {e}"));
    let (path_and_query, query) = match signed.url.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (signed.url.clone(), String::new()),
    };
    let path = path_and_query
        .split_once("://")
        .map_or("/".to_string(), |(_, rest)| {
            rest.find('/')
                .map_or("/".to_string(), |i| rest[i..].to_string())
        });
    let request = Request {
        method: signed.method,
        url: signed.url,
        path,
        query,
        headers: signed.headers,
        body: signed.body,
        remote_addr: None,
    };
    let context = Context {
        secrets: vec![input.secret],
        settings: input.settings,
        now_ms: input.now_ms,
    };
    let observed = observe::<A>(request, context);
    assert!(
        matches!(
            observed,
            Observed::Events(_) | Observed::Response { .. } | Observed::Reply { .. }
        ),
        "a signed request must verify and be handled, got {observed:?}"
    );
    observed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::{Declaration, Declared};
    use crate::fetch;
    use crate::mapping::Field;
    use crate::scheme::Scheme;
    use crate::{DirectResponse, Reply};

    /// Stores its events, answers with a body of its own and asks the host to
    /// confirm a subscription, with a key fetched through `fetch`.
    struct Replying;

    impl Declared for Replying {
        const DECLARATION: Declaration = Declaration::new(
            crate::manifest!("replying", "Replying", "Replies")
                .fetch_origins(&["https://keys.test"]),
            &Scheme::token_header("X-Token"),
        )
        .event_type(Field::pointer("/type"));

        fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
            let Outcome::Events(events) = Self::DECLARATION.handle(request)? else {
                unreachable!("a declaration maps events")
            };
            let key = fetch::get_bytes("https://keys.test/key").map_err(HandleError::Other)?;
            Ok(Outcome::Reply(Reply {
                events,
                response: Some(DirectResponse {
                    status: 200,
                    headers: vec![],
                    body: key,
                }),
                follow_up: Some(OutgoingRequest {
                    method: "GET".into(),
                    url: "https://keys.test/confirm".into(),
                    headers: vec![],
                    body: vec![],
                }),
            }))
        }
    }

    #[test]
    fn a_reply_is_observed_with_its_response_and_follow_up() {
        clear_fetch();
        let req = request("POST", "/", &[("X-Token", "t")], br#"{"type":"sub"}"#);
        let refused = observe::<Replying>(req.clone(), context(&["t"], "", 0));
        assert!(
            matches!(refused, Observed::HandleFailed(ref k, ref m) if k == "other" && m.contains("not allowed")),
            "{refused:?}"
        );
        serve_fetch("https://keys.test/key", "k1");
        let Observed::Reply {
            events,
            response,
            follow_up,
        } = observe::<Replying>(req, context(&["t"], "", 0))
        else {
            panic!("expected a reply")
        };
        assert_eq!(events[0].event_type, "sub");
        assert_eq!(response.unwrap().body, b"k1");
        assert_eq!(follow_up.unwrap().url, "https://keys.test/confirm");
        assert_eq!(fetched().len(), 2);
        assert_eq!(
            <Replying as Adapter>::manifest().fetch_origins,
            ["https://keys.test"]
        );
    }

    #[test]
    fn reply_fixtures_run_natively() {
        let dir = std::env::temp_dir().join(format!("hookyard-sdk-reply-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fixture = serde_json::json!({
            "description": "a reply with its answer and follow-up",
            "request": {"headers": {"X-Token": "t"}, "body": "{\"type\":\"sub\"}"},
            "secrets": ["t"],
            "now": 0,
            "fetch": {"https://keys.test/key": "k1"},
            "expect": {
                "verify": "ok",
                "events": [{"type": "sub"}],
                "response": {"status": 200, "body": "k1"},
                "follow_up": {"url": "https://keys.test/confirm"}
            }
        });
        std::fs::write(dir.join("reply.json"), fixture.to_string()).unwrap();
        run_fixtures::<Replying>(&dir);
        let mut wrong = fixture.clone();
        wrong["expect"]["follow_up"]["url"] = "https://keys.test/other".into();
        std::fs::write(dir.join("reply.json"), wrong.to_string()).unwrap();
        let failed = std::panic::catch_unwind(|| run_fixtures::<Replying>(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(failed.is_err(), "a wrong follow-up must fail the fixture");
    }
}
