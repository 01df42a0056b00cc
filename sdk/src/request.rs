//! Reading a webhook request: headers by any case, query parameters, JSON and
//! form bodies, discriminators by JSON pointer, typed settings.

use crate::{Context, HandleError, Request, SignInput, VerifyError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Helpers on [`Request`].
pub trait RequestExt {
    /// The first header with this name, compared case-insensitively.
    fn header(&self, name: &str) -> Option<&str>;
    /// Like [`header`](RequestExt::header), but a missing or empty header is a
    /// `missing-signature` verify error naming it.
    fn require_header(&self, name: &str) -> Result<&str, VerifyError>;
    /// A query parameter, percent-decoded.
    fn query_param(&self, name: &str) -> Option<String>;
    /// All query parameters, percent-decoded, in order (a name may repeat).
    fn query_pairs(&self) -> Vec<(String, String)>;
    /// The body parsed as `application/x-www-form-urlencoded`, in order.
    fn form(&self) -> Vec<(String, String)>;
    /// The body parsed as JSON; a `malformed` handle error otherwise.
    fn json(&self) -> Result<Value, HandleError>;
}

impl RequestExt for Request {
    fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    fn require_header(&self, name: &str) -> Result<&str, VerifyError> {
        match self.header(name) {
            Some(value) if !value.trim().is_empty() => Ok(value.trim()),
            _ => Err(VerifyError::MissingSignature(name.to_string())),
        }
    }

    fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    fn query_pairs(&self) -> Vec<(String, String)> {
        form_pairs(self.query.as_bytes())
    }

    fn form(&self) -> Vec<(String, String)> {
        form_pairs(&self.body)
    }

    fn json(&self) -> Result<Value, HandleError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| HandleError::Malformed(format!("body is not JSON: {e}")))
    }
}

/// `application/x-www-form-urlencoded` text (a form body, a query) as its
/// pairs, percent-decoded and `+` as space, in order.
pub fn form_pairs(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// What a request whose body is not JSON carries, as JSON: form fields as
/// an object, an empty body as the query parameters, anything else (XML,
/// text) as `{"content_type", "body"}` (the `Content-Type` lowercased, the
/// body as UTF-8, invalid bytes replaced).
pub fn non_json_data(request: &Request) -> Value {
    let content_type = request
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let object = |pairs: Vec<(String, String)>| {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    };
    if request.body.is_empty() {
        return object(request.query_pairs());
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return object(request.form());
    }
    serde_json::json!({
        "content_type": content_type,
        "body": String::from_utf8_lossy(&request.body),
    })
}

/// Case-insensitive lookup in a header list.
pub fn header<'a>(headers: &'a [crate::Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The value at a JSON pointer (`/event/type`) as text: strings as they are,
/// numbers and booleans rendered; `None` for absent, null, objects and arrays.
pub fn json_string(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Helpers on [`Context`].
pub trait ContextExt {
    /// The source's settings as `T`; missing keys take `T`'s serde defaults.
    fn settings<T: DeserializeOwned>(&self) -> Result<T, String>;
    /// The active secrets, or `unauthorized` when none is configured (fail closed).
    fn require_secrets(&self) -> Result<&[String], VerifyError>;
    /// One text setting without a settings struct: [`setting_text`].
    fn setting_text(&self, name: &str) -> Result<Option<String>, String>;
}

impl ContextExt for Context {
    fn settings<T: DeserializeOwned>(&self) -> Result<T, String> {
        parse_settings(&self.settings)
    }

    fn require_secrets(&self) -> Result<&[String], VerifyError> {
        if self.secrets.is_empty() {
            return Err(VerifyError::Unauthorized("no secret configured".into()));
        }
        Ok(&self.secrets)
    }

    fn setting_text(&self, name: &str) -> Result<Option<String>, String> {
        setting_text(&self.settings, name)
    }
}

/// Settings in `sign`: the same as [`ContextExt::settings`], for a
/// [`SignInput`].
pub trait SignInputExt {
    /// The source's settings JSON as `T`; empty text is `{}`.
    fn settings<T: DeserializeOwned>(&self) -> Result<T, String>;
    /// One text setting without a settings struct: [`setting_text`].
    fn setting_text(&self, name: &str) -> Result<Option<String>, String>;
}

impl SignInputExt for SignInput {
    fn settings<T: DeserializeOwned>(&self) -> Result<T, String> {
        parse_settings(&self.settings)
    }

    fn setting_text(&self, name: &str) -> Result<Option<String>, String> {
        setting_text(&self.settings, name)
    }
}

/// The string setting `name` in settings JSON `text`: `None` when absent,
/// null or blank; not a string (or settings not an object) is an
/// `invalid settings:` error.
pub fn setting_text(text: &str, name: &str) -> Result<Option<String>, String> {
    let settings: serde_json::Map<String, Value> = parse_settings(text)?;
    match settings.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) if value.trim().is_empty() => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("invalid settings: {name} is not a string")),
    }
}

/// Settings JSON as `T`, empty text read as `{}`; the error starts with
/// `invalid settings:`. For settings text outside a context or sign input.
pub fn parse_settings<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_json::from_str(text).map_err(|e| format!("invalid settings: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;
    use serde_json::json;

    #[test]
    fn headers_are_found_in_any_case() {
        let req = request(
            "POST",
            "/?a=1&b=x%20y",
            &[("X-Hub-Signature-256", "sha256=ab")],
            b"{}",
        );
        assert_eq!(req.header("x-hub-signature-256"), Some("sha256=ab"));
        assert_eq!(
            req.require_header("X-HUB-SIGNATURE-256").unwrap(),
            "sha256=ab"
        );
        assert!(
            matches!(req.require_header("X-Other"), Err(VerifyError::MissingSignature(n)) if n == "X-Other")
        );
        assert_eq!(req.query_param("b").as_deref(), Some("x y"));
        assert_eq!(req.query_param("c"), None);
        assert_eq!(
            req.query_pairs(),
            vec![("a".into(), "1".into()), ("b".into(), "x y".into())]
        );
        let repeated = request("GET", "/?a=1&a=2&flag&c=%2B+", &[], b"");
        assert_eq!(
            repeated.query_pairs(),
            vec![
                ("a".into(), "1".into()),
                ("a".into(), "2".into()),
                ("flag".into(), String::new()),
                ("c".into(), "+ ".into())
            ]
        );
        assert!(request("GET", "/", &[], b"a=1").query_pairs().is_empty());
        assert_eq!(form_pairs(b"x=%41"), vec![("x".into(), "A".into())]);
    }

    #[test]
    fn bodies_parse_as_json_or_form() {
        let req = request("POST", "/", &[], b"command=%2Fhi&text=a+b");
        assert_eq!(
            req.form(),
            vec![
                ("command".into(), "/hi".into()),
                ("text".into(), "a b".into())
            ]
        );
        assert!(matches!(req.json(), Err(HandleError::Malformed(_))));
        let req = request("POST", "/", &[], br#"{"event":{"type":"x","n":3}}"#);
        let body = req.json().unwrap();
        assert_eq!(json_string(&body, "/event/type").as_deref(), Some("x"));
        assert_eq!(json_string(&body, "/event/n").as_deref(), Some("3"));
        assert_eq!(json_string(&body, "/event"), None);
    }

    #[test]
    fn settings_are_typed_and_secrets_fail_closed() {
        #[derive(serde::Deserialize, Default, Debug)]
        #[serde(default)]
        struct S {
            tolerance_seconds: Option<i64>,
        }
        let ctx = Context {
            secrets: vec![],
            settings: json!({"tolerance_seconds": 5}).to_string(),
            now_ms: 0,
        };
        assert_eq!(ctx.settings::<S>().unwrap().tolerance_seconds, Some(5));
        assert!(matches!(
            ctx.require_secrets(),
            Err(VerifyError::Unauthorized(_))
        ));
        let bad = Context {
            secrets: vec!["s".into()],
            settings: "\"text\"".into(),
            now_ms: 0,
        };
        assert!(
            bad.settings::<S>()
                .unwrap_err()
                .contains("invalid settings")
        );
        assert_eq!(bad.require_secrets().unwrap(), ["s"]);
        let input = |settings: &str| SignInput {
            body: vec![],
            secret: String::new(),
            event_type: None,
            delivery_id: String::new(),
            url: String::new(),
            settings: settings.into(),
            now_ms: 0,
        };
        assert_eq!(input(" ").settings::<S>().unwrap().tolerance_seconds, None);
        assert_eq!(
            input(r#"{"tolerance_seconds": 9}"#)
                .settings::<S>()
                .unwrap()
                .tolerance_seconds,
            Some(9)
        );
        assert!(
            input("\"text\"")
                .settings::<S>()
                .unwrap_err()
                .starts_with("invalid settings:")
        );
        assert!(parse_settings::<S>("").is_ok());
    }

    #[test]
    fn bodies_that_are_not_json_become_json() {
        let form = request(
            "POST",
            "/",
            &[(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            b"a=1&b=x+y",
        );
        assert_eq!(non_json_data(&form), json!({"a": "1", "b": "x y"}));
        let empty = request("GET", "/?id=7", &[], b"");
        assert_eq!(non_json_data(&empty), json!({"id": "7"}));
        let xml = request("POST", "/", &[("Content-Type", "Text/XML")], b"<a/>");
        assert_eq!(
            non_json_data(&xml),
            json!({"content_type": "text/xml", "body": "<a/>"})
        );
    }

    #[test]
    fn one_text_setting_is_read_without_a_struct() {
        let ctx = crate::testing::context(&[], r#"{"url": "https://a", "blank": " ", "n": 3}"#, 0);
        assert_eq!(
            ctx.setting_text("url").unwrap().as_deref(),
            Some("https://a")
        );
        assert_eq!(ctx.setting_text("blank").unwrap(), None);
        assert_eq!(ctx.setting_text("missing").unwrap(), None);
        assert!(
            ctx.setting_text("n")
                .unwrap_err()
                .starts_with("invalid settings:")
        );
        assert_eq!(setting_text("", "url").unwrap(), None);
        assert!(setting_text("[1]", "url").is_err());
    }
}
