//! The OpenAPI 3.1 document of every route the server mounts, generated from
//! the handlers' own types and `#[utoipa::path]` attributes, never written
//! by hand.
//!
//! The routes come from the same lists the router is built from
//! ([`crate::api::routes`], [`crate::serve::public_routes`]). What every
//! route shares is added here once, from the code that decides it: the scope
//! each route needs ([`super::access::required_scope`], the one the
//! authorization layer applies) and the error answers ([`super::ErrorBody`])
//! the validation layer and the handlers can give. Served at
//! `GET /api/v1/openapi.json` without a token, and committed as
//! `docs/openapi.json` (a test compares the two).

use super::ErrorBody;
use super::access::required_scope;
use axum::http::{Method, header};
use axum::response::IntoResponse;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa_axum::routes;

/// Raw bytes as a request body: a `.wasm` component, a webhook's body.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(pub Vec<u8>);

/// The name of the bearer scheme in the document.
const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hookyard",
        description = "Hookyard's management API (`/api/v1`), its webhook ingest \
            (`/webhooks/{key}`) and its operational routes. Every `/api/v1` route \
            but this document needs `Authorization: Bearer TOKEN` whose scope \
            (`read` < `write` < `admin`) covers it: each operation's security \
            requirement names that scope. Every refusal answers \
            `{\"error\", \"message\", \"field\"}`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The document of every route `crate::serve::router` mounts.
pub fn document() -> utoipa::openapi::OpenApi {
    let api = super::routes().into_openapi();
    let secured: BTreeSet<String> = api.paths.paths.keys().cloned().collect();
    let mut doc = ApiDoc::openapi();
    doc.merge(api);
    doc.merge(
        crate::serve::public_routes()
            .routes(routes!(serve))
            .into_openapi(),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    for (path, item) in doc.paths.paths.iter_mut() {
        let secure = secured.contains(path);
        for (method, operation) in operations(item) {
            complete(path, method, operation, secure);
        }
    }
    doc
}

/// The document as served and committed: pretty JSON, one trailing newline.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut text = document()
            .to_pretty_json()
            .expect("the document serializes");
        text.push('\n');
        text
    })
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "This OpenAPI 3.1 document", body = Object))
)]
pub async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
        (Method::HEAD, item.head.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|o| (method, o)))
}

/// Adds what `path`'s operation shares with others: its scope, and the
/// error answers the layers before its handler give.
fn complete(path: &str, method: Method, operation: &mut Operation, secure: bool) {
    let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"));
    let has_body = operation.request_body.is_some();
    // Handlers of different resources share names (`list`, `show`): the
    // tag makes them unique.
    if let (Some(tag), Some(id)) = (
        operation.tags.as_ref().and_then(|tags| tags.first()),
        operation.operation_id.as_mut(),
    ) && !id.starts_with(tag.as_str())
    {
        *id = format!("{tag}_{id}");
    }
    let mut errors: Vec<(&str, &str)> = Vec::new();
    if secure {
        let scope = required_scope(&method, path);
        operation.security = Some(vec![SecurityRequirement::new(BEARER, [scope.as_str()])]);
        let needs = format!("Needs a token of scope `{}` or above.", scope.as_str());
        operation.description = Some(match operation.description.take() {
            Some(text) => format!("{text}\n\n{needs}"),
            None => needs,
        });
        errors.push(("401", "No valid bearer token"));
        errors.push(("403", "The token's scope does not cover this route"));
        errors.push(("500", "The server failed (the detail is in its log)"));
    }
    if secure && (has_params || has_body) {
        errors.push(("400", "A parameter or the body does not parse"));
        errors.push(("422", "A value breaks a rule or a bound; `field` names it"));
    }
    if secure && path.contains('{') {
        errors.push(("404", "No such resource"));
    }
    if secure && has_json_body {
        errors.push(("415", "The body is not `application/json`"));
    }
    if secure && has_body {
        errors.push(("413", "The body is too large"));
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(error_response(description)));
    }
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::super::extract::{MAX_LIMIT, MAX_NAME, MIN_LIMIT};
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::from_str(super::document_json()).expect("JSON")
    }

    #[test]
    fn is_openapi_3_1_with_the_bearer_scheme() {
        let doc = doc();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }

    #[test]
    fn every_api_operation_names_its_scope_and_the_document_needs_none() {
        let doc = doc();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let security = &operation["security"];
                if path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" {
                    let scope = security[0]["bearer"][0].as_str().unwrap_or_default();
                    assert!(
                        ["read", "write", "admin"].contains(&scope),
                        "{method} {path}: {security}"
                    );
                    checked += 1;
                } else {
                    assert!(security.is_null(), "{method} {path} needs no token");
                }
            }
        }
        assert!(checked >= 30, "{checked} operations");
        let revoke = &doc["paths"]["/api/v1/tokens/{id}"]["delete"]["security"];
        assert_eq!(revoke[0]["bearer"][0], "admin");
        assert_eq!(
            doc["paths"]["/api/v1/sources"]["get"]["security"][0]["bearer"][0],
            "read"
        );
        assert_eq!(
            doc["paths"]["/api/v1/sources"]["post"]["security"][0]["bearer"][0],
            "write"
        );
    }

    /// The bounds the document states are the ones the validation layer applies.
    #[test]
    fn documented_bounds_are_the_enforced_ones() {
        let doc = doc();
        let limit = doc["paths"]["/api/v1/events"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "limit")
            .expect("limit is documented")["schema"]
            .clone();
        assert_eq!(limit["minimum"], MIN_LIMIT);
        assert_eq!(limit["maximum"], MAX_LIMIT);
        let name = &doc["components"]["schemas"]["NewSource"]["properties"]["name"];
        assert_eq!(name["maxLength"], MAX_NAME);
        assert_eq!(
            doc["components"]["schemas"]["NewSource"]["additionalProperties"],
            false
        );
    }
}
