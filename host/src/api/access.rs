//! Who may call the management API, and the record of what they changed.
//!
//! [`authorize`] runs before every `/api/v1` route: it names the caller (the
//! server's own `HOOKYARD_ADMIN_TOKEN`, which always has the admin scope, or a
//! named token from `store::access`), refuses a call the caller's scope does
//! not cover, and appends every call that could change something (any method
//! but GET and HEAD) to the audit log — refused ones too, since those are
//! the ones worth reading. The handlers below create, list and revoke tokens
//! and page through the audit log.

use super::extract::{MAX_NAME, Validate, check_limit, check_name};
use super::{ApiError, ApiPath, ApiQuery, ApiResult, JsonBody, page_size};
use crate::app::Settings;
use crate::client_ip::client_ip;
use crate::store::Database;
use crate::store::access::{self, AuditEntry, Scope, TokenInfo};
use crate::store::{now_ms, rfc3339};
use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

crate::sub_state! {
    /// What the token and audit routes, and the authorization layer, use.
    pub struct AccessApi {
        db: Database,
        settings: Arc<Settings>,
    }
}

/// The audit log's name for the server's `HOOKYARD_ADMIN_TOKEN`.
const ENV_ACTOR: &str = "env";
/// The audit log's name for a caller without a valid token.
const NO_ACTOR: &str = "-";

/// Who is calling: the audit log's name for them and their scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: String,
    pub scope: Scope,
}

/// The scope a call needs: reading needs `read`, changing needs `write`;
/// installing adapter code, tokens and the audit log need `admin`.
pub(super) fn required_scope(method: &Method, path: &str) -> Scope {
    // The destination preview only reads, though it takes a body.
    let reads = method == Method::GET
        || method == Method::HEAD
        || (method == Method::POST && path == "/api/v1/destinations/preview");
    let admin_only = path.starts_with("/api/v1/tokens")
        || path.starts_with("/api/v1/audit")
        || (path.starts_with("/api/v1/plugins/") && !reads);
    match (admin_only, reads) {
        (true, _) => Scope::Admin,
        (false, true) => Scope::Read,
        (false, false) => Scope::Write,
    }
}

/// The bearer token a request presents, if any.
fn bearer(request: &Request) -> Option<String> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| token.trim().to_string())
}

async fn identify(app: &AccessApi, token: Option<String>) -> ApiResult<Option<Caller>> {
    let Some(token) = token else {
        return Ok(None);
    };
    let digest = Sha256::digest(token.as_bytes());
    if hookyard_crypto::constant_time_eq(&digest, &app.settings.admin_token_sha256) {
        return Ok(Some(Caller {
            actor: ENV_ACTOR.into(),
            scope: Scope::Admin,
        }));
    }
    Ok(access::lookup(&app.db.pool, &token)
        .await?
        .map(|(actor, scope)| Caller { actor, scope }))
}

pub async fn authorize(
    State(app): State<AccessApi>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let needed = required_scope(&method, &path);
    let remote_ip = client_ip(peer.ip(), request.headers(), &app.settings.trusted_proxies);
    let (actor, response) = match identify(&app, bearer(&request)).await {
        Err(e) => (NO_ACTOR.to_string(), e.into_response()),
        Ok(None) => (
            NO_ACTOR.to_string(),
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid bearer token is required",
            )
            .into_response(),
        ),
        Ok(Some(caller)) if caller.scope < needed => (
            caller.actor,
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "this token's scope is {}; {method} {path} needs {}",
                    caller.scope.as_str(),
                    needed.as_str()
                ),
            )
            .into_response(),
        ),
        Ok(Some(caller)) => {
            let actor = caller.actor.clone();
            request.extensions_mut().insert(caller);
            (actor, next.run(request).await)
        }
    };
    if method != Method::GET && method != Method::HEAD {
        let entry = AuditEntry {
            seq: 0,
            at: now_ms(),
            actor,
            method: method.to_string(),
            path,
            status: response.status().as_u16().into(),
            remote_ip: remote_ip.map(|ip| ip.to_string()),
        };
        if let Err(e) = access::record(&app.db.pool, &entry).await {
            tracing::error!(?entry, "writing the audit log: {e:#}");
        }
    }
    response
}

/// Who the caller is: `GET /api/v1/session`.
#[derive(Serialize, ToSchema)]
pub struct Session {
    /// The audit log's name for the caller (`env`: the server's admin token).
    pub actor: String,
    /// What the caller may do: a `read` token may not change anything.
    pub scope: Scope,
}

/// The caller's name and scope, so a client knows what it may do.
#[utoipa::path(
    get,
    path = "/api/v1/session",
    tag = "access",
    responses((status = 200, description = "The caller", body = Session))
)]
pub async fn session(axum::Extension(caller): axum::Extension<Caller>) -> Json<Session> {
    Json(Session {
        actor: caller.actor,
        scope: caller.scope,
    })
}

/// A new named token: `POST /api/v1/tokens`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub scope: Scope,
}

impl Validate for NewToken {
    fn validate(&self) -> ApiResult<()> {
        check_name("name", &self.name, MAX_NAME)
    }
}

/// A named token as answers show it: its value only when it is created.
#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// `read`, `write` or `admin`.
    pub scope: String,
    /// The token's first characters.
    pub prefix: String,
    /// RFC 3339.
    pub created_at: String,
    /// Who created it (`env`: the server's admin token).
    pub created_by: String,
    /// RFC 3339; `null` while it is live.
    pub revoked_at: Option<String>,
    /// The token itself: shown once, when it is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn token_view(token: &TokenInfo) -> TokenView {
    TokenView {
        id: token.id.clone(),
        name: token.name.clone(),
        scope: token.scope.clone(),
        prefix: token.prefix.clone(),
        created_at: rfc3339(token.created_at),
        created_by: token.created_by.clone(),
        revoked_at: token.revoked_at.map(rfc3339),
        token: None,
    }
}

/// Creates a named token; answers it with the `token` (shown once).
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "access",
    request_body = NewToken,
    responses(
        (status = 201, description = "The token, shown this once", body = TokenView),
        (status = 409, description = "A live token has that name", body = super::ErrorBody)
    )
)]
pub async fn create_token(
    State(app): State<AccessApi>,
    axum::Extension(caller): axum::Extension<Caller>,
    JsonBody(new): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenView>)> {
    let name = new.name.trim();
    if name.is_empty() || name == ENV_ACTOR || name == NO_ACTOR {
        return Err(ApiError::invalid(format!(
            "name must not be empty, {ENV_ACTOR:?} or {NO_ACTOR:?}"
        ))
        .at("name"));
    }
    let (info, token) = access::create(&app.db.pool, name, new.scope, &caller.actor)
        .await
        .map_err(|e| match e.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(db)) if db.is_unique_violation() => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("a live token is already named {name:?}; revoke it first"),
            ),
            _ => e.into(),
        })?;
    tracing::info!(token = %info.id, name = %info.name, scope = %info.scope, by = %caller.actor, "API token created");
    let mut body = token_view(&info);
    body.token = Some(token);
    Ok((StatusCode::CREATED, Json(body)))
}

/// Every token (never a token's value).
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    tag = "access",
    responses((status = 200, description = "Every token", body = [TokenView]))
)]
pub async fn list_tokens(State(app): State<AccessApi>) -> ApiResult<Json<Vec<TokenView>>> {
    let tokens = access::list(&app.db.pool).await?;
    Ok(Json(tokens.iter().map(token_view).collect()))
}

/// Revokes a token, by id or name.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "access",
    params(("id" = String, Path, max_length = 200, description = "The token's id or name")),
    responses((status = 200, description = "The revoked token", body = TokenView))
)]
pub async fn revoke_token(
    State(app): State<AccessApi>,
    axum::Extension(caller): axum::Extension<Caller>,
    ApiPath(id_or_name): ApiPath<String>,
) -> ApiResult<Json<TokenView>> {
    let info = access::revoke(&app.db.pool, &id_or_name)
        .await?
        .ok_or_else(|| ApiError::not_found("live token"))?;
    tracing::info!(token = %info.id, name = %info.name, by = %caller.actor, "API token revoked");
    Ok(Json(token_view(&info)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page size.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    #[param(max_length = 200)]
    cursor: Option<String>,
}

impl Validate for AuditQuery {
    fn validate(&self) -> ApiResult<()> {
        check_limit(self.limit)
    }
}

/// The audit log, newest first; `next_cursor` pages further back.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "access",
    params(AuditQuery),
    responses((status = 200, description = "A page of the audit log and the `next_cursor`", body = AuditPage))
)]
pub async fn audit_log(
    State(app): State<AccessApi>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let before = match super::parse_cursor(query.cursor.as_deref())? {
        0 => None,
        seq => Some(seq),
    };
    let limit = page_size(query.limit);
    let entries = access::audit_log(&app.db.pool, limit, before).await?;
    let next_cursor = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq.to_string()))
        .flatten();
    let data = entries
        .iter()
        .map(|e| AuditView {
            at: rfc3339(e.at),
            actor: e.actor.clone(),
            method: e.method.clone(),
            path: e.path.clone(),
            status: e.status,
            remote_ip: e.remote_ip.clone(),
        })
        .collect();
    Ok(Json(AuditPage { data, next_cursor }))
}

/// A page of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub data: Vec<AuditView>,
    /// Pass it as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// One call that could change something.
#[derive(Serialize, ToSchema)]
pub struct AuditView {
    /// RFC 3339.
    pub at: String,
    /// A token's name, `env` (the server's admin token) or `-` (no valid token).
    pub actor: String,
    pub method: String,
    pub path: String,
    /// The answer's status.
    pub status: i64,
    pub remote_ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_needs_read_changing_needs_write_and_code_or_access_needs_admin() {
        let scope = |method: Method, path: &str| required_scope(&method, path);
        assert_eq!(scope(Method::GET, "/api/v1/sources"), Scope::Read);
        assert_eq!(scope(Method::GET, "/api/v1/events/stream"), Scope::Read);
        assert_eq!(scope(Method::GET, "/api/v1/plugins"), Scope::Read);
        assert_eq!(
            scope(Method::GET, "/api/v1/plugins/github/shadow"),
            Scope::Read
        );
        assert_eq!(scope(Method::POST, "/api/v1/sources"), Scope::Write);
        assert_eq!(
            scope(Method::DELETE, "/api/v1/destinations/d"),
            Scope::Write
        );
        assert_eq!(
            scope(Method::POST, "/api/v1/sources/s/reprocess"),
            Scope::Write
        );
        assert_eq!(scope(Method::PUT, "/api/v1/plugins/github"), Scope::Admin);
        assert_eq!(
            scope(Method::POST, "/api/v1/plugins/github/rollback"),
            Scope::Admin
        );
        assert_eq!(scope(Method::GET, "/api/v1/tokens"), Scope::Admin);
        assert_eq!(scope(Method::GET, "/api/v1/audit"), Scope::Admin);
        assert!(Scope::Read < Scope::Write && Scope::Write < Scope::Admin);
    }
}
