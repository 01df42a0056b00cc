//! Event Grid's two endpoint validations, answered directly (nothing is
//! stored):
//! - Event Grid schema: a `POST` with `aeg-event-type: SubscriptionValidation`
//!   whose one event carries `data.validationCode`; the answer
//!   `{"validationResponse": <code>}` proves the endpoint is ours.
//! - CloudEvents schema (CloudEvents 1.0 webhook abuse protection): an HTTP
//!   `OPTIONS` with `WebHook-Request-Origin`; the answer `200` with
//!   `WebHook-Allowed-Origin` (that origin) and `WebHook-Allowed-Rate: *`.

use hookyard_sdk::prelude::*;

fn header(name: &str, value: &str) -> Header {
    Header {
        name: name.into(),
        value: value.into(),
    }
}

/// The CloudEvents abuse-protection answer, when `request` is that
/// preflight.
pub fn preflight(request: &Request) -> Option<DirectResponse> {
    if !request.method.eq_ignore_ascii_case("OPTIONS") {
        return None;
    }
    let origin = request.header("WebHook-Request-Origin")?.trim();
    Some(DirectResponse {
        status: 200,
        headers: vec![
            header("WebHook-Allowed-Origin", origin),
            header("WebHook-Allowed-Rate", "*"),
        ],
        body: Vec::new(),
    })
}

/// The validation answer, when `request` is Event Grid's subscription
/// validation (`malformed` when it has no code).
pub fn validation(request: &Request, body: &Value) -> Option<Result<DirectResponse, HandleError>> {
    let kind = request.header("aeg-event-type")?;
    if !kind.trim().eq_ignore_ascii_case("SubscriptionValidation") {
        return None;
    }
    let code = body
        .as_array()
        .and_then(|events| events.first())
        .and_then(|event| json_string(event, "/data/validationCode"))
        .filter(|code| !code.is_empty());
    Some(match code {
        Some(code) => Ok(DirectResponse {
            status: 200,
            headers: vec![header("Content-Type", "application/json")],
            body: json!({ "validationResponse": code })
                .to_string()
                .into_bytes(),
        }),
        None => Err(HandleError::Malformed(
            "SubscriptionValidation without data.validationCode".into(),
        )),
    })
}
