//! How a request ended, as one typed value: it decides the HTTP answer, the
//! error code in it, the request log's outcome and the metric's label, so no
//! step compares strings to learn what happened.

use crate::runtime::{DirectResponse, VerifyFailure};
use crate::store::requests::LogOutcome;
use crate::store::writer::Stored;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub enum Outcome {
    /// Committed: what the transaction made of the events.
    Stored(Stored),
    /// The adapter answered a vendor handshake itself; nothing is stored.
    Handshake(DirectResponse),
    /// Stored (or ignored) as `outcome` says, answered as the adapter
    /// asked (contract 0.2's `reply`: Discord's interaction response).
    Replied {
        outcome: Box<Outcome>,
        response: DirectResponse,
    },
    /// Verified, but the source's event types kept none of its events.
    Ignored {
        skipped: usize,
    },
    Refused(Refusal),
    /// Over the source's rate or concurrency limit: 429, counted, not logged.
    Throttled {
        limit: Throttle,
        retry_after_secs: u64,
    },
}

/// A refusal and, for the log, why in words.
pub struct Refusal {
    pub kind: Refused,
    pub reason: String,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    UnknownSource,
    SourceDisabled,
    IpNotAllowed,
    PayloadTooLarge,
    BadRequest,
    /// `verify` refused it (or the source has no active secret).
    Verify(VerifyFailure),
    /// Verified, but the adapter could not read the payload.
    Unreadable,
    /// A type the catalog does not list, under `unknown_types: reject`.
    UnknownEventType,
    /// The adapter failed, is quarantined, or is not loaded.
    AdapterFailed,
    /// The database could not answer: nothing was stored.
    StorageFailed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    Rate,
    Concurrency,
}

impl Throttle {
    fn code(self) -> &'static str {
        match self {
            Throttle::Rate => "rate_limited",
            Throttle::Concurrency => "too_many_concurrent",
        }
    }
}

impl Refused {
    fn status(self) -> StatusCode {
        match self {
            Refused::UnknownSource => StatusCode::NOT_FOUND,
            Refused::SourceDisabled | Refused::IpNotAllowed => StatusCode::FORBIDDEN,
            Refused::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refused::BadRequest => StatusCode::BAD_REQUEST,
            Refused::Verify(_) => StatusCode::UNAUTHORIZED,
            Refused::Unreadable | Refused::UnknownEventType => StatusCode::UNPROCESSABLE_ENTITY,
            Refused::AdapterFailed | Refused::StorageFailed => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The error code in the answer's body.
    fn code(self) -> &'static str {
        match self {
            Refused::Verify(failure) => failure.code(),
            Refused::Unreadable => "unreadable_payload",
            other => other.log().as_str(),
        }
    }

    fn log(self) -> LogOutcome {
        match self {
            Refused::UnknownSource => LogOutcome::UnknownSource,
            Refused::SourceDisabled => LogOutcome::SourceDisabled,
            Refused::IpNotAllowed => LogOutcome::IpNotAllowed,
            Refused::PayloadTooLarge => LogOutcome::PayloadTooLarge,
            Refused::BadRequest => LogOutcome::BadRequest,
            Refused::Verify(_) => LogOutcome::Rejected,
            Refused::Unreadable => LogOutcome::Unreadable,
            Refused::UnknownEventType => LogOutcome::UnknownEventType,
            Refused::AdapterFailed => LogOutcome::AdapterFailed,
            Refused::StorageFailed => LogOutcome::StorageFailed,
        }
    }
}

impl Outcome {
    pub fn refused(kind: Refused, reason: impl Into<String>) -> Outcome {
        Outcome::Refused(Refusal {
            kind,
            reason: reason.into(),
        })
    }

    /// What the request log and the metric call it.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Throttled { limit, .. } => limit.code(),
            other => other.log().expect("throttling is not logged").as_str(),
        }
    }

    /// The request log's outcome; `None` for throttling, never written.
    pub fn log(&self) -> Option<LogOutcome> {
        Some(match self {
            Outcome::Replied { outcome, .. } => return outcome.log(),
            Outcome::Stored(Stored::Accepted(_)) => LogOutcome::Accepted,
            Outcome::Stored(Stored::Duplicate) => LogOutcome::Duplicate,
            Outcome::Handshake(_) => LogOutcome::Handshake,
            Outcome::Ignored { .. } => LogOutcome::Ignored,
            Outcome::Refused(refusal) => refusal.kind.log(),
            Outcome::Throttled { .. } => return None,
        })
    }

    /// Why, in words, for the request log (`None` when it says nothing).
    pub fn reason(&self) -> Option<String> {
        match self {
            Outcome::Stored(_) | Outcome::Handshake(_) | Outcome::Throttled { .. } => None,
            Outcome::Replied { outcome, .. } => outcome.reason(),
            Outcome::Ignored { skipped } => Some(format!(
                "{skipped} event(s) not among the source's event types"
            )),
            Outcome::Refused(refusal) => {
                (!refusal.reason.is_empty()).then(|| refusal.reason.clone())
            }
        }
    }

    /// Why `verify` refused the request, if it did.
    pub fn rejection(&self) -> Option<VerifyFailure> {
        match self {
            Outcome::Refused(Refusal {
                kind: Refused::Verify(failure),
                ..
            }) => Some(*failure),
            _ => None,
        }
    }

    /// The status the vendor gets.
    pub fn status(&self) -> StatusCode {
        match self {
            Outcome::Stored(_) | Outcome::Ignored { .. } => StatusCode::OK,
            Outcome::Handshake(direct)
            | Outcome::Replied {
                response: direct, ..
            } => status_of(direct.status),
            Outcome::Refused(refusal) => refusal.kind.status(),
            Outcome::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl IntoResponse for Outcome {
    fn into_response(self) -> Response {
        match self {
            Outcome::Stored(Stored::Accepted(ids)) => {
                axum::Json(json!({ "status": "accepted", "events": ids })).into_response()
            }
            Outcome::Stored(Stored::Duplicate) => {
                axum::Json(json!({ "status": "duplicate" })).into_response()
            }
            Outcome::Handshake(direct)
            | Outcome::Replied {
                response: direct, ..
            } => direct_response(direct),
            Outcome::Ignored { .. } => axum::Json(json!({ "status": "ignored" })).into_response(),
            Outcome::Refused(refusal) => (
                refusal.kind.status(),
                axum::Json(json!({ "error": refusal.kind.code() })),
            )
                .into_response(),
            Outcome::Throttled {
                limit,
                retry_after_secs,
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_secs.to_string())],
                axum::Json(json!({ "error": limit.code() })),
            )
                .into_response(),
        }
    }
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// The adapter's handshake reply; headers that are not valid HTTP are dropped.
/// (Public for the `adapter_pipeline` fuzz target.)
pub fn direct_response(direct: DirectResponse) -> Response {
    let mut headers = HeaderMap::new();
    for h in direct.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(h.name.as_str()),
            HeaderValue::try_from(h.value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    (status_of(direct.status), headers, direct.body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_status_code_and_log_outcome() {
        let cases = [
            (
                Refused::UnknownSource,
                404,
                "unknown_source",
                "unknown_source",
            ),
            (
                Refused::Verify(VerifyFailure::BadSignature),
                401,
                "bad_signature",
                "rejected",
            ),
            (Refused::Unreadable, 422, "unreadable_payload", "unreadable"),
            (
                Refused::AdapterFailed,
                503,
                "adapter_failed",
                "adapter_failed",
            ),
        ];
        for (kind, status, code, label) in cases {
            let outcome = Outcome::refused(kind, "");
            assert_eq!(outcome.status().as_u16(), status);
            assert_eq!(kind.code(), code);
            assert_eq!(outcome.label(), label);
        }
        let throttled = Outcome::Throttled {
            limit: Throttle::Rate,
            retry_after_secs: 1,
        };
        assert_eq!((throttled.label(), throttled.log()), ("rate_limited", None));
    }
}
