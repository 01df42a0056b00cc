//! The notification inside a verified `signedPayload`: whose it is (bundle
//! id, Apple id, environment, read from `data`, `summary`,
//! `externalPurchaseToken` or `appData`, as Apple's library reads them), the
//! checks against the source's settings, and the nested signed transaction
//! and renewal info, verified the same way and decoded into the event data
//! as `transactionInfo` and `renewalInfo`.

use crate::jws;
use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    bundle_id: Option<String>,
    #[serde(default = "production")]
    environment: String,
    app_apple_id: Option<i64>,
    test_root_certificate: Option<String>,
}

fn production() -> String {
    "Production".into()
}

/// The app the notification is about: (bundle id, Apple id, environment).
fn owner(payload: &Value) -> (Option<String>, Option<i64>, Option<String>) {
    for section in ["data", "summary", "appData"] {
        if let Some(part) = payload.get(section) {
            return (
                json_string(part, "/bundleId"),
                part.get("appAppleId").and_then(Value::as_i64),
                json_string(part, "/environment"),
            );
        }
    }
    if let Some(token) = payload.get("externalPurchaseToken") {
        let sandbox =
            json_string(token, "/externalPurchaseId").is_some_and(|id| id.starts_with("SANDBOX"));
        let environment = if sandbox { "Sandbox" } else { "Production" };
        return (
            json_string(token, "/bundleId"),
            token.get("appAppleId").and_then(Value::as_i64),
            Some(environment.into()),
        );
    }
    (None, None, None)
}

fn unauthorized(why: String) -> VerifyError {
    VerifyError::Unauthorized(why)
}

/// The verified notification with its nested info decoded, after every
/// check the settings ask for.
pub fn decode(request: &Request, context: &Context) -> Result<Value, VerifyError> {
    let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
    let bundle_id = settings
        .bundle_id
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| unauthorized("the bundle_id setting is required".into()))?;
    let mut roots = vec![crate::root::apple_root()];
    roots.extend(settings.test_root_certificate.map(String::into_bytes));
    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|_| VerifyError::Malformed("body is not JSON".into()))?;
    let token = json_string(&body, "/signedPayload")
        .ok_or_else(|| VerifyError::MissingSignature("signedPayload".into()))?;
    let mut payload = jws::verify(&token, &roots, context.now_ms)?;
    let (bundle, apple_id, environment) = owner(&payload);
    if bundle.as_deref() != Some(bundle_id.trim()) {
        return Err(unauthorized(format!(
            "the notification is for bundle {}, not {bundle_id}",
            bundle.unwrap_or_default()
        )));
    }
    if environment.as_deref() != Some(settings.environment.as_str()) {
        return Err(unauthorized(format!(
            "the notification is from environment {}, not {}",
            environment.unwrap_or_default(),
            settings.environment
        )));
    }
    if let Some(expected) = settings.app_apple_id
        && apple_id != Some(expected)
    {
        return Err(unauthorized(format!("appAppleId is not {expected}")));
    }
    let Some(data) = payload.get_mut("data").and_then(Value::as_object_mut) else {
        return Ok(payload);
    };
    for (signed, decoded) in [
        ("signedTransactionInfo", "transactionInfo"),
        ("signedRenewalInfo", "renewalInfo"),
    ] {
        let Some(inner) = data.get(signed).and_then(Value::as_str) else {
            continue;
        };
        let info = jws::verify(inner, &roots, context.now_ms)?;
        if json_string(&info, "/environment").as_deref() != Some(settings.environment.as_str()) {
            return Err(unauthorized(format!(
                "{signed} is from another environment"
            )));
        }
        if json_string(&info, "/bundleId").is_some_and(|b| b != bundle_id.trim()) {
            return Err(unauthorized(format!("{signed} is for another bundle")));
        }
        data.insert(decoded.into(), info);
    }
    Ok(payload)
}
