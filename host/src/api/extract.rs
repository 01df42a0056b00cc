//! The one validation layer: what a handler receives has been checked.
//!
//! JSON bodies ([`JsonBody`], [`OptionalJsonBody`]), query strings
//! ([`ApiQuery`]) and path parameters ([`ApiPath`]) are parsed here, with
//! serde naming the field that failed, then checked by the type's
//! [`Validate`] (lengths, ranges). Every refusal is an [`ApiError`] naming the
//! field: 400 when the input does not parse, 415 for a body that is not JSON,
//! 422 when it parses but breaks a bound. No string anywhere may hold a NUL
//! character (no database stores one).

use super::error::{ApiError, ApiResult};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Longest name of a source, destination or token.
pub const MAX_NAME: usize = 200;
/// Longest id, path parameter, cursor or filter value in a query string.
pub const MAX_ID: usize = 200;
/// Longest secret.
pub const MAX_SECRET: usize = 1024;
/// Longest URL.
pub const MAX_URL: usize = 2048;
/// Longest JSONPath filter or coalescing key.
pub const MAX_FILTER: usize = 4096;
/// Most items in a list of a request (event types, source ids, secrets, headers).
pub const MAX_ITEMS: usize = 500;
/// Longest header name and value of a destination.
pub const MAX_HEADER_NAME: usize = 256;
pub const MAX_HEADER_VALUE: usize = 4096;
/// The page size of list routes: `limit`.
pub const MIN_LIMIT: i64 = 1;
pub const MAX_LIMIT: i64 = 1000;
pub const DEFAULT_LIMIT: i64 = 100;

/// The bounds a request type checks once serde has parsed it.
pub trait Validate {
    fn validate(&self) -> ApiResult<()> {
        Ok(())
    }
}

impl Validate for () {}

/// A refusal of what the caller sent, at `field`.
pub fn refuse(status: StatusCode, field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(status, "invalid", message).at(field)
}

/// A bound broken at `field` (422).
pub fn out_of_bounds(field: &str, message: impl Into<String>) -> ApiError {
    refuse(StatusCode::UNPROCESSABLE_ENTITY, field, message)
}

/// `value` of `field` is at most `max` characters.
pub fn check_len(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.chars().count() > max {
        return Err(out_of_bounds(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// `value` of `field` is not blank and at most `max` characters.
pub fn check_name(field: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(out_of_bounds(field, format!("{field} must not be empty")));
    }
    check_len(field, value, max)
}

/// A list of at most [`MAX_ITEMS`] strings of at most `max` characters each.
pub fn check_list(field: &str, values: &[String], max: usize) -> ApiResult<()> {
    if values.len() > MAX_ITEMS {
        return Err(out_of_bounds(
            field,
            format!("{field} must have at most {MAX_ITEMS} items"),
        ));
    }
    for (i, value) in values.iter().enumerate() {
        check_len(&format!("{field}[{i}]"), value, max)?;
    }
    Ok(())
}

/// `value` of `field` is within `range`.
pub fn check_range<T>(field: &str, value: T, range: std::ops::RangeInclusive<T>) -> ApiResult<()>
where
    T: PartialOrd + std::fmt::Display,
{
    if !range.contains(&value) {
        return Err(out_of_bounds(
            field,
            format!(
                "{field} must be between {} and {}",
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(())
}

/// A page size: `limit` within [`MIN_LIMIT`]..=[`MAX_LIMIT`], refused outside.
pub fn check_limit(limit: Option<i64>) -> ApiResult<()> {
    match limit {
        Some(limit) => check_range("limit", limit, MIN_LIMIT..=MAX_LIMIT),
        None => Ok(()),
    }
}

/// The first string in `value` holding a NUL, as a field path.
fn nul_at(value: &Value, path: &mut Vec<String>) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => Some(path.join(".")),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(i.to_string());
            let found = nul_at(item, path);
            path.pop();
            found
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            path.push(key.clone());
            let found = if key.contains('\0') {
                Some(path.join("."))
            } else {
                nul_at(item, path)
            };
            path.pop();
            found
        }),
        _ => None,
    }
}

fn no_nul(field: &str) -> ApiError {
    out_of_bounds(field, format!("{field} must not contain NUL characters"))
}

/// The field a serde error is about: the path serde followed, or for an
/// unknown field its name.
fn field_of<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>) -> String {
    let message = error.inner().to_string();
    let path = error.path().to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    match (unknown, path.as_str()) {
        (Some(name), "." | "") => name.to_string(),
        (Some(name), path) if path != name && !path.ends_with(&format!(".{name}")) => {
            format!("{path}.{name}")
        }
        (_, path) => path.to_string(),
    }
}

/// JSON text to `T`, validated: 400 when it is not JSON, 422 naming the
/// field when it does not fit `T` or its bounds.
fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> ApiResult<T> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        refuse(
            StatusCode::BAD_REQUEST,
            "body",
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    if let Some(field) = nul_at(&value, &mut Vec::new()) {
        return Err(no_nul(if field.is_empty() { "body" } else { &field }));
    }
    let parsed: T = serde_path_to_error::deserialize(value).map_err(|e| {
        let field = field_of(&e);
        let field = if field.is_empty() || field == "." {
            "body".to_string()
        } else {
            field
        };
        out_of_bounds(&field, format!("{field}: {}", e.inner()))
    })?;
    parsed.validate()?;
    Ok(parsed)
}

/// A JSON request body (`content-type: application/json`), validated.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> ApiResult<Self> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json);
        if !is_json {
            return Err(refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content-type",
                "the body must be JSON: send content-type: application/json",
            ));
        }
        let bytes = body_bytes(request, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// An optional JSON body: none (or only whitespace) is `T::default()`.
pub struct OptionalJsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate + Default> FromRequest<S>
    for OptionalJsonBody<T>
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> ApiResult<Self> {
        let bytes = body_bytes(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBody(T::default()));
        }
        parse_json(&bytes).map(OptionalJsonBody)
    }
}

async fn body_bytes<S: Send + Sync>(request: Request, state: &S) -> ApiResult<axum::body::Bytes> {
    axum::body::Bytes::from_request(request, state)
        .await
        .map_err(|rejection| refuse(rejection.status(), "body", rejection.body_text()))
}

/// A query string, validated; unknown parameters are refused (the query
/// types deny unknown fields).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Self> {
        let query = parts.uri.query().unwrap_or_default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if name.contains('\0') || value.contains('\0') {
                return Err(no_nul(&name));
            }
            check_len(&name, &value, MAX_ID)?;
        }
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        let parsed: T = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = field_of(&e);
            refuse(
                StatusCode::BAD_REQUEST,
                &field,
                format!("{field}: {}", e.inner()),
            )
        })?;
        parsed.validate()?;
        Ok(ApiQuery(parsed))
    }
}

/// Path parameters, each at most [`MAX_ID`] characters and without NUL.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| refuse(StatusCode::BAD_REQUEST, "path", e.body_text()))?;
        for (name, value) in &params {
            if value.contains('\0') {
                return Err(no_nul(name));
            }
            check_len(name, value, MAX_ID)?;
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|e| refuse(StatusCode::BAD_REQUEST, "path", e.body_text()))
    }
}

/// `application/json` or `application/*+json`, parameters ignored.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Named {
        #[allow(dead_code)]
        name: String,
        #[allow(dead_code)]
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        count: u32,
    }

    impl Validate for Named {}

    fn field(result: ApiResult<Named>) -> (StatusCode, Option<String>) {
        let error = result.expect_err("refused");
        (error.status(), error.field().map(str::to_string))
    }

    #[test]
    fn refusals_name_the_field() {
        let parse = |text: &str| parse_json::<Named>(text.as_bytes());
        assert_eq!(
            field(parse(r#"{"name": 1}"#)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("name".into()))
        );
        assert_eq!(
            field(parse(r#"{"name": "a", "nmae": 1}"#)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("nmae".into()))
        );
        assert_eq!(
            field(parse(r#"{"name": "a", "inner": {"count": -1}}"#)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("inner.count".into()))
        );
        assert_eq!(
            field(parse(r#"{"name": "a", "inner": {"cuont": 1}}"#)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("inner.cuont".into()))
        );
        assert_eq!(
            field(parse(r#"{"name": "a\u0000"}"#)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("name".into()))
        );
        assert_eq!(
            field(parse("{")),
            (StatusCode::BAD_REQUEST, Some("body".into()))
        );
        assert!(parse(r#"{"name": "a"}"#).is_ok());
    }

    #[test]
    fn bounds_refuse_outside_and_accept_inside() {
        assert!(check_limit(Some(1)).is_ok() && check_limit(Some(1000)).is_ok());
        for bad in [-1, 0, 1001] {
            let error = check_limit(Some(bad)).expect_err("refused");
            assert_eq!(error.field(), Some("limit"));
        }
        assert!(check_name("name", &"x".repeat(MAX_NAME), MAX_NAME).is_ok());
        let long = check_name("name", &"x".repeat(MAX_NAME + 1), MAX_NAME);
        assert_eq!(long.expect_err("refused").field(), Some("name"));
        assert!(check_name("name", " ", MAX_NAME).is_err());
    }
}
