//! Headers `sign` derives from what it sends.
//!
//! Vendors repeat facts of the body in headers (Twitch's subscription type
//! and version, GitLab's hook name), and adapters overrode `sign` to add
//! them. A [`Sent`] value says where such a header's value comes from: a
//! [`Field`] read from the request being signed (its body parsed as JSON,
//! `null` when it is not; the headers set so far; the source's settings),
//! the input's event type, or a function of both;
//! [`Declaration::sent_headers`](crate::declare::Declaration::sent_headers)
//! adds them before the scheme signs. An absent value adds no header.

use crate::mapping::{Field, Source};
use crate::request::parse_settings;
use crate::{Request, SignInput, SignedRequest};
use serde_json::Value;

/// Where a sign-time header's value comes from; see the [module docs](self).
#[derive(Clone, Copy, Debug)]
pub enum Sent {
    /// What the field reads from the request being signed.
    Field(Field),
    /// The input's event type when it names one, else the field.
    TypeOr(Field),
    /// Anything else: the request being signed and the input's event type.
    Custom(fn(&Source, Option<&str>) -> Option<String>),
}

impl Sent {
    pub const fn field(field: Field) -> Self {
        Sent::Field(field)
    }

    pub const fn type_or(field: Field) -> Self {
        Sent::TypeOr(field)
    }

    pub const fn custom(read: fn(&Source, Option<&str>) -> Option<String>) -> Self {
        Sent::Custom(read)
    }

    /// The value for `signed` (the request so far) of `input`.
    pub fn read(&self, signed: &SignedRequest, input: &SignInput) -> Option<String> {
        let request = as_request(signed);
        let body: Value = serde_json::from_slice(&signed.body).unwrap_or(Value::Null);
        let settings: Value = parse_settings(&input.settings).unwrap_or(Value::Null);
        let source = Source {
            request: &request,
            body: &body,
            record: &body,
            settings: &settings,
        };
        let event_type = input.event_type.as_deref().filter(|t| !t.is_empty());
        match self {
            Sent::Field(field) => field.read(&source),
            Sent::TypeOr(field) => event_type
                .map(str::to_string)
                .or_else(|| field.read(&source)),
            Sent::Custom(read) => read(&source, event_type).filter(|v| !v.is_empty()),
        }
    }
}

/// A signed request as the [`Request`] a field reads (path and query split
/// from the URL).
fn as_request(signed: &SignedRequest) -> Request {
    let after_scheme = signed.url.split_once("://").map_or("", |(_, rest)| rest);
    let target = after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..]);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Request {
        method: signed.method.clone(),
        url: signed.url.clone(),
        path: path.to_string(),
        query: query.to_string(),
        headers: signed.headers.clone(),
        body: signed.body.clone(),
        remote_addr: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RequestExt;
    use crate::signed::SignedRequestBuilder;

    const VERSION: Sent = Sent::field(Field::first(&[
        Field::pointer("/subscription/version"),
        Field::fixed("1"),
    ]));
    const KIND: Sent = Sent::type_or(Field::pointer("/kind"));

    fn input(event_type: Option<&str>, body: &[u8]) -> SignInput {
        SignInput {
            body: body.to_vec(),
            secret: "k".into(),
            event_type: event_type.map(str::to_string),
            delivery_id: "d".into(),
            url: "https://hooks.test/w/x?a=1".into(),
            settings: r#"{"s": "set"}"#.into(),
            now_ms: 0,
        }
    }

    fn read(sent: Sent, input: &SignInput) -> Option<String> {
        let signed = SignedRequestBuilder::post_json(input)
            .header("X-So-Far", "here")
            .build();
        sent.read(&signed, input)
    }

    #[test]
    fn values_come_from_the_body_the_type_or_a_function() {
        let body = br#"{"kind":"push","subscription":{"version":"2"}}"#;
        assert_eq!(read(VERSION, &input(None, body)).as_deref(), Some("2"));
        assert_eq!(read(VERSION, &input(None, b"x")).as_deref(), Some("1"));
        assert_eq!(read(KIND, &input(None, body)).as_deref(), Some("push"));
        assert_eq!(
            read(KIND, &input(Some("tag"), body)).as_deref(),
            Some("tag")
        );
        assert_eq!(read(KIND, &input(Some(""), b"{}")), None);
        let custom = Sent::custom(|s, t| {
            Some(format!(
                "{}|{}|{}|{}|{}",
                t.unwrap_or("-"),
                s.request.path,
                s.request.query_param("a")?,
                s.request.header("x-so-far")?,
                s.settings["s"].as_str()?
            ))
        });
        assert_eq!(
            read(custom, &input(Some("t"), b"{}")).as_deref(),
            Some("t|/w/x|1|here|set")
        );
        assert_eq!(
            read(Sent::custom(|_, _| Some(String::new())), &input(None, b"")),
            None
        );
    }
}
