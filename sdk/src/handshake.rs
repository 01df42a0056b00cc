//! Declared handshakes: a vendor checks the endpoint by sending a challenge
//! and expects it back.
//!
//! Many adapters overrode `handle` (and some `verify`) only to echo a value:
//! Okta's `X-Okta-Verification-Challenge` header into `{"verification": …}`,
//! Microsoft Graph's `?validationToken=` as text, Slack's and Twitch's
//! `challenge` body field as text. A [`Handshake`] says where the challenge
//! is ([`Field`]), when a request is a handshake (the challenge is present,
//! or [`when`](Handshake::when) a field has a value) and how to answer
//! (text, or a JSON object with [`json`](Handshake::json)); a
//! [`Declaration`](crate::declare::Declaration) with
//! [`.handshake(…)`](crate::declare::Declaration::handshake) answers it
//! before mapping events. A handshake is verified like any request unless it
//! is [`unsigned`](Handshake::unsigned) (the vendor signs nothing on it):
//! then it passes `verify` on any source with a secret (fail closed).

use crate::mapping::{Field, Source};
use crate::{DirectResponse, HandleError, Header, Request};
use serde_json::{Value, json};

/// A challenge echoed back; see the [module docs](self).
#[derive(Clone, Copy, Debug)]
pub struct Handshake {
    /// The value to echo. Without [`when`](Self::when), a request where it
    /// is present is a handshake.
    pub challenge: Field,
    /// A request is a handshake when this field reads this value (then a
    /// missing challenge is `malformed`).
    pub when: Option<(Field, &'static str)>,
    /// Answer `{key: challenge}` as `application/json`; `None`: the
    /// challenge as `text/plain`.
    pub json_key: Option<&'static str>,
    /// The vendor signs nothing on the handshake.
    pub unsigned: bool,
    /// More headers of the answer (`X-Content-Type-Options: nosniff`).
    pub headers: &'static [(&'static str, &'static str)],
}

impl Handshake {
    /// Echo `challenge` as text when it is present.
    pub const fn echo(challenge: Field) -> Self {
        Self {
            challenge,
            when: None,
            json_key: None,
            unsigned: false,
            headers: &[],
        }
    }

    /// A handshake is a request whose `field` reads `value` (`/type` is
    /// `url_verification`), whether or not the challenge is there.
    pub const fn when(self, field: Field, value: &'static str) -> Self {
        Self {
            when: Some((field, value)),
            ..self
        }
    }

    /// Answer `{"<key>": challenge}` as JSON.
    pub const fn json(self, key: &'static str) -> Self {
        Self {
            json_key: Some(key),
            ..self
        }
    }

    /// The vendor does not sign the handshake: it passes `verify` when a
    /// secret is configured.
    pub const fn unsigned(self) -> Self {
        Self {
            unsigned: true,
            ..self
        }
    }

    /// More headers of the answer.
    pub const fn headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self { headers, ..self }
    }

    /// Whether `request` is this handshake (its body read as JSON when it is).
    pub fn matches(&self, request: &Request, settings: &Value) -> bool {
        let body = lenient_json(request);
        let source = source(request, &body, settings);
        self.is_handshake(&source)
    }

    fn is_handshake(&self, source: &Source) -> bool {
        match self.when {
            Some((field, value)) => field.read(source).as_deref() == Some(value),
            None => self.challenge.read(source).is_some(),
        }
    }

    /// The answer when `request` (with its parsed `body`, `null` when not
    /// JSON) is this handshake; `None` otherwise.
    pub fn answer(
        &self,
        request: &Request,
        body: &Value,
        settings: &Value,
    ) -> Option<Result<DirectResponse, HandleError>> {
        let source = source(request, body, settings);
        if !self.is_handshake(&source) {
            return None;
        }
        let Some(challenge) = self.challenge.read(&source) else {
            let place = self
                .challenge
                .location(None)
                .map_or("its place".into(), |(_, p)| p);
            return Some(Err(HandleError::Malformed(format!(
                "handshake without a challenge at {place}"
            ))));
        };
        let (content_type, body) = match self.json_key {
            Some(key) => ("application/json", json!({ key: challenge }).to_string()),
            None => ("text/plain", challenge),
        };
        let headers = [("Content-Type", content_type)]
            .iter()
            .chain(self.headers)
            .map(|(name, value)| Header {
                name: name.to_string(),
                value: value.to_string(),
            })
            .collect();
        Some(Ok(DirectResponse {
            status: 200,
            headers,
            body: body.into_bytes(),
        }))
    }
}

/// The body as JSON, `null` when it is not.
pub(crate) fn lenient_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

fn source<'a>(request: &'a Request, body: &'a Value, settings: &'a Value) -> Source<'a> {
    Source {
        request,
        body,
        record: body,
        settings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;

    const HEADER: Handshake = Handshake::echo(Field::header("X-Challenge")).json("verification");
    const TYPED: Handshake =
        Handshake::echo(Field::pointer("/challenge")).when(Field::pointer("/type"), "check");
    const QUERY: Handshake = Handshake::echo(Field::query("token"))
        .unsigned()
        .headers(&[("X-Content-Type-Options", "nosniff")]);

    fn answer(h: &Handshake, req: &Request) -> Option<Result<DirectResponse, HandleError>> {
        h.answer(req, &lenient_json(req), &Value::Null)
    }

    #[test]
    fn a_present_challenge_is_echoed_as_json_or_text() {
        let req = request("GET", "/", &[("x-challenge", " abc ")], b"");
        let ok = answer(&HEADER, &req).unwrap().unwrap();
        assert_eq!(ok.status, 200);
        assert_eq!(ok.body, br#"{"verification":"abc"}"#);
        assert_eq!(ok.headers[0].value, "application/json");
        assert!(HEADER.matches(&req, &Value::Null));
        let plain = request("POST", "/", &[], b"{}");
        assert!(answer(&HEADER, &plain).is_none());
        assert!(!HEADER.matches(&plain, &Value::Null));
        let graph = request("POST", "/?token=a%20b", &[], b"");
        let ok = answer(&QUERY, &graph).unwrap().unwrap();
        assert_eq!(ok.body, b"a b");
        let names: Vec<_> = ok.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["Content-Type", "X-Content-Type-Options"]);
        assert_eq!(ok.headers[0].value, "text/plain");
        const { assert!(QUERY.unsigned && !HEADER.unsigned) };
    }

    #[test]
    fn a_condition_decides_and_then_the_challenge_is_required() {
        let req = request("POST", "/", &[], br#"{"type":"check","challenge":"c1"}"#);
        assert_eq!(answer(&TYPED, &req).unwrap().unwrap().body, b"c1");
        let other = request("POST", "/", &[], br#"{"type":"event","challenge":"c1"}"#);
        assert!(answer(&TYPED, &other).is_none());
        let empty = request("POST", "/", &[], br#"{"type":"check"}"#);
        assert!(matches!(
            answer(&TYPED, &empty),
            Some(Err(HandleError::Malformed(m))) if m.contains("/challenge")
        ));
    }
}
