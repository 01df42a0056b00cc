//! The API's one error shape: every refusal and failure answers
//! `{"error": CODE, "message": text, "field": where}` with its status, and
//! any other error converts into a logged 500 so `?` works in handlers.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What every refusal and failure of the API answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `invalid`, `not_found`, `unauthorized`, `forbidden`,
    /// `conflict`, `internal`, ...
    error: &'static str,
    /// What went wrong, in words.
    message: String,
    /// Where: the body field (`name`, `limits.burst`), query parameter
    /// (`limit`) or path parameter (`id`) refused; `null` when no one field is.
    field: Option<String>,
}

/// An API failure with its HTTP status and a stable error code.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The same error, about `field` (a body field, query or path parameter).
    pub fn at(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    /// The same error, its message prefixed with what was being done.
    pub fn context(mut self, doing: &str) -> ApiError {
        self.message = format!("{doing}: {}", self.message);
        self
    }
}

/// Any other error (the database's, the store's) is the server's fault: a
/// 500 whose detail goes to the log, not to the caller. So `?` works on
/// every fallible call in a handler.
impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(error: E) -> ApiError {
        let error = error.into();
        tracing::error!("API error: {error:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code,
            message: self.message,
            field: self.field,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
