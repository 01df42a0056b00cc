//! Generic shared token: for senders that do not sign their requests but send
//! a fixed secret with each one.
//!
//! The setting `mode` says where the token is: `header` (default; the header
//! named by `header`, default `Authorization`, holding `Bearer <token>` or the
//! bare token), `query` (the query parameter named by `query_param`, default
//! `token`) or `basic` (HTTP Basic auth: the password is the token; when
//! `username` is set the user name must match too). The token is compared in
//! constant time with every active secret, so a rotation is: add the new token
//! as a second secret, switch the sender over, remove the old one. A mismatch
//! is `unauthorized`, an absent token `missing-signature`. The body is not
//! signed: a token proves who sent the request, not that the body is intact —
//! prefer an HMAC adapter when the sender offers one. The event type is read at
//! the JSON pointer `event_type_pointer` (else `default_type`, `webhook`), the
//! dedup id at the optional `dedup_id_pointer` (else the host hashes the body).

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Token;

#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Header,
    Query,
    Basic,
}

#[derive(Deserialize, Debug)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    mode: Mode,
    header: String,
    query_param: String,
    username: Option<String>,
    event_type_pointer: Option<String>,
    default_type: String,
    dedup_id_pointer: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Header,
            header: "Authorization".into(),
            query_param: "token".into(),
            username: None,
            event_type_pointer: None,
            default_type: "webhook".into(),
            dedup_id_pointer: None,
        }
    }
}

impl Settings {
    fn load(settings: &str) -> Result<Settings, String> {
        let settings: Settings = parse_settings(settings)?;
        for (name, pointer) in [
            ("event_type_pointer", &settings.event_type_pointer),
            ("dedup_id_pointer", &settings.dedup_id_pointer),
        ] {
            if let Some(p) = pointer
                && !p.is_empty()
                && !p.starts_with('/')
            {
                return Err(format!("{name} must be a JSON pointer starting with /"));
            }
        }
        if settings.default_type.is_empty() {
            return Err("default_type must not be empty".into());
        }
        Ok(settings)
    }
}

impl Adapter for Token {
    fn manifest() -> Manifest {
        Manifest {
            name: "token".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Shared token".into(),
            description: "Any sender that authenticates with a fixed token in a header, a query parameter or HTTP Basic auth".into(),
            docs_url: "https://datatracker.ietf.org/doc/html/rfc6750#section-2".into(),
            secrets: vec![SecretSpec {
                label: "Token".into(),
                help: "The token you configure in the sending system's webhook settings (often called secret, token, API key or password). Paste exactly the same value here; for HTTP Basic it is the password.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "mode": {"enum": ["header", "query", "basic"], "default": "header", "description": "Where the token is sent"},
                    "header": {"type": "string", "default": "Authorization", "description": "mode header: the header holding the token (Bearer <token> or the bare token)"},
                    "query_param": {"type": "string", "default": "token", "description": "mode query: the query parameter holding the token"},
                    "username": {"type": "string", "description": "mode basic: the user name that must go with the password (any when unset)"},
                    "event_type_pointer": {"type": "string", "description": "JSON pointer to the event type in the body, e.g. /type"},
                    "default_type": {"type": "string", "minLength": 1, "default": "webhook", "description": "The event type when the pointer is unset or finds nothing"},
                    "dedup_id_pointer": {"type": "string", "description": "JSON pointer to a delivery id in the body"}
                },
                "additionalProperties": false
            })
            .to_string(),
            // Types are whatever the sender puts at event_type_pointer: no
            // catalog, so none of them counts as unknown.
            event_types: vec![],
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: String::new(),
                note: "the setting event_type_pointer (a JSON pointer), else default_type".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings = Settings::load(&context.settings).map_err(VerifyError::Malformed)?;
        let ok = match settings.mode {
            Mode::Header => {
                let value = request.require_header(&settings.header)?;
                token_matches_any(secrets, bearer_token(value).unwrap_or(value)).is_ok()
            }
            Mode::Query => match request.query_param(&settings.query_param) {
                Some(token) if !token.is_empty() => token_matches_any(secrets, &token).is_ok(),
                _ => return Err(VerifyError::MissingSignature(settings.query_param)),
            },
            Mode::Basic => {
                let (user, password) = basic_auth(request.require_header("Authorization")?)
                    .ok_or_else(|| {
                        VerifyError::Malformed("Authorization is not Basic user:password".into())
                    })?;
                let password_ok = token_matches_any(secrets, &password).is_ok();
                let user_ok = match &settings.username {
                    Some(want) => token_matches_any(&[want], &user).is_ok(),
                    None => true,
                };
                password_ok & user_ok
            }
        };
        if ok {
            Ok(())
        } else {
            Err(VerifyError::Unauthorized("token does not match".into()))
        }
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings = Settings::load(&context.settings).map_err(HandleError::Malformed)?;
        let body = request.json()?;
        let event_type = settings
            .event_type_pointer
            .as_deref()
            .and_then(|p| json_string(&body, p))
            .filter(|t| !t.is_empty())
            .unwrap_or(settings.default_type);
        let dedup_id = settings
            .dedup_id_pointer
            .as_deref()
            .and_then(|p| json_string(&body, p))
            .filter(|id| !id.is_empty());
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id,
            occurred_at: None,
            subject: None,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings = Settings::load(&input.settings)?;
        let mut url = input.url;
        let mut headers = vec![Header {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }];
        match settings.mode {
            Mode::Header => {
                let value = if settings.header.eq_ignore_ascii_case("authorization") {
                    format!("Bearer {}", input.secret)
                } else {
                    input.secret
                };
                headers.push(Header {
                    name: settings.header,
                    value,
                });
            }
            Mode::Query => {
                let pair = form_urlencoded::Serializer::new(String::new())
                    .append_pair(&settings.query_param, &input.secret)
                    .finish();
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&pair);
            }
            Mode::Basic => {
                let user = settings.username.unwrap_or_else(|| "hookyard".into());
                headers.push(Header {
                    name: "Authorization".into(),
                    value: format!(
                        "Basic {}",
                        base64_encode(format!("{user}:{}", input.secret).as_bytes())
                    ),
                });
            }
        }
        Ok(SignedRequest {
            method: "POST".into(),
            url,
            headers,
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Token);
