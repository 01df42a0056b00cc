//! A contract 0.1.0 adapter, written against the pinned `wit/v0.1` with
//! wit-bindgen alone (the SDK speaks 0.2 now): what an adapter built before
//! 0.2 looks like to the host. `tests/tests/contract.rs` checks the host
//! still loads and serves it: verify (`X-Test-Signature`, hex HMAC-SHA256 of
//! the body with any active secret), handle (events from `/type` and
//! `/id`; `{"challenge": …}` answered directly) and sign.

wit_bindgen::generate!({
    path: "../../../wit/v0.1",
    world: "adapter-world",
});

use exports::hookyard::adapter::adapter::Guest;
use hookyard::adapter::crypto::{self, HmacAlgorithm};
use hookyard::adapter::types::*;

struct Contract01;

const HEADER: &str = "X-Test-Signature";

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of `"key": "…"` in a flat JSON body (no serde: a 0.1 adapter
/// as small as it gets).
fn field(body: &str, key: &str) -> Option<String> {
    let at = body.find(&format!("\"{key}\""))?;
    let rest = body[at + key.len() + 2..].trim_start().strip_prefix(':')?;
    let rest = rest.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

impl Guest for Contract01 {
    fn manifest() -> AdapterManifest {
        AdapterManifest {
            name: "test-contract-01".into(),
            version: "0.1.0".into(),
            display_name: "Contract 0.1 test adapter".into(),
            description: "A pinned hookyard:adapter@0.1.0 component".into(),
            docs_url: String::new(),
            secrets: vec![SecretSpec {
                label: "Secret".into(),
                help: "Any string".into(),
                required: true,
            }],
            settings_schema: r#"{"type":"object"}"#.into(),
            event_types: ["order.created", "ping"]
                .into_iter()
                .map(|name| EventTypeInfo {
                    name: name.into(),
                    description: String::new(),
                })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: String::new(),
            },
            presets: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let given =
            header(&request, HEADER).ok_or_else(|| VerifyError::MissingSignature(HEADER.into()))?;
        let ok = context.secrets.iter().any(|secret| {
            let mac = crypto::hmac(HmacAlgorithm::Sha256, secret.as_bytes(), &request.body);
            crypto::constant_time_eq(hex(&mac).as_bytes(), given.trim().as_bytes())
        });
        if ok {
            Ok(())
        } else {
            Err(VerifyError::BadSignature)
        }
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = String::from_utf8(request.body)
            .map_err(|_| HandleError::Malformed("body is not UTF-8".into()))?;
        if let Some(challenge) = field(&body, "challenge") {
            return Ok(Outcome::Respond(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                }],
                body: challenge.into_bytes(),
            }));
        }
        let event_type =
            field(&body, "type").ok_or_else(|| HandleError::Malformed("no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: field(&body, "id"),
            occurred_at: None,
            subject: None,
            data: body,
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let mac = crypto::hmac(HmacAlgorithm::Sha256, input.secret.as_bytes(), &input.body);
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: HEADER.into(),
                    value: hex(&mac),
                },
            ],
            body: input.body,
        })
    }
}

export!(Contract01);
