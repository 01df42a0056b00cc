//! Schemes for senders that sign nothing but present a shared secret: HTTP
//! Basic credentials ([`Scheme::basic_auth`](super::Scheme::basic_auth)) or
//! a token in a header ([`Scheme::token_header`](super::Scheme::token_header)).
//! Kept apart from the signature schemes: they prove the sender, not the body.

use super::SigningScheme;
use crate::auth::{basic_auth, token_matches_any};
use crate::encoding::base64_encode;
use crate::request::{ContextExt, RequestExt, json_string, parse_settings};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::{Value, json};

impl super::Scheme {
    /// A shared token inside the JSON body at `pointer`; `.each(array)` when
    /// every element of an array carries one (Microsoft Graph's
    /// `clientState`).
    pub const fn body_token(pointer: &'static str) -> BodyToken {
        BodyToken {
            pointer,
            each: None,
        }
    }

    /// A shared token in the header the source's setting `setting` names,
    /// `default_header` when unset (Okta's configurable "Authentication
    /// field"); `.describe(text)` for the setting's description.
    pub const fn token_header_setting(
        setting: &'static str,
        default_header: &'static str,
    ) -> SettingTokenHeader {
        SettingTokenHeader {
            setting,
            default: default_header,
            description: "",
        }
    }
}

/// HTTP Basic credentials that must equal an active secret `user:password`,
/// compared in constant time ([`token_matches_any`]). Proves the sender, not
/// the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicAuth;

impl SigningScheme for BasicAuth {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let (user, password) =
            basic_auth(request.require_header("Authorization")?).ok_or_else(|| {
                VerifyError::Malformed("Authorization is not Basic user:password".into())
            })?;
        token_matches_any(secrets, &format!("{user}:{password}"))
            .map_err(|_| VerifyError::Unauthorized("Basic credentials do not match".into()))
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        if !input.secret.contains(':') {
            return Err("the secret is user:password".into());
        }
        let value = format!("Basic {}", base64_encode(input.secret.as_bytes()));
        Ok(request.header("Authorization", value))
    }
}

/// A shared token in a header that must equal an active secret, compared in
/// constant time ([`token_matches_any`]). Proves the sender, not the body.
/// Header values arrive trimmed, so secrets are compared trimmed too (a
/// pasted secret's stray newline would otherwise never match).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenHeader {
    pub header: &'static str,
}

/// The token in `header` against the trimmed secrets.
fn verify_token(header: &str, request: &Request, context: &Context) -> Result<(), VerifyError> {
    let secrets: Vec<&str> = context
        .require_secrets()?
        .iter()
        .map(|s| s.trim())
        .collect();
    token_matches_any(&secrets, request.require_header(header)?)
        .map_err(|_| VerifyError::Unauthorized(format!("{header} does not match")))
}

impl SigningScheme for TokenHeader {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        verify_token(self.header, request, context)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(self.header, input.secret.trim()))
    }
}

/// [`TokenHeader`] in a header the source chooses: the setting `setting`
/// names it, `default` when unset or empty (Okta's "Authentication field").
/// The setting is declared in the manifest with `default` as its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingTokenHeader {
    pub setting: &'static str,
    pub default: &'static str,
    /// The setting's description in the manifest.
    pub description: &'static str,
}

impl SettingTokenHeader {
    /// Describes the setting in the manifest.
    pub const fn describe(self, description: &'static str) -> Self {
        Self {
            description,
            ..self
        }
    }

    /// The header the settings name.
    fn header(&self, settings: &str) -> Result<String, String> {
        let settings: Value = parse_settings(settings)?;
        match settings.get(self.setting) {
            None | Some(Value::Null) => Ok(self.default.into()),
            Some(Value::String(name)) if name.trim().is_empty() => Ok(self.default.into()),
            Some(Value::String(name)) => Ok(name.trim().into()),
            Some(_) => Err(format!(
                "invalid settings: {} is not a string",
                self.setting
            )),
        }
    }
}

impl SigningScheme for SettingTokenHeader {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let header = self
            .header(&context.settings)
            .map_err(VerifyError::Malformed)?;
        verify_token(&header, request, context)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(&self.header(&input.settings)?, input.secret.trim()))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        let description = match self.description {
            "" => "The header that carries the shared token",
            text => text,
        };
        vec![(
            self.setting,
            json!({"type": "string", "minLength": 1, "default": self.default, "description": description}),
        )]
    }
}

/// A shared token inside the JSON body: at `pointer` in the body, or in
/// every element of the array at [`each`](Self::each) (Microsoft Graph's
/// `clientState` in each `value[]` notification); every one must equal an
/// active secret. A body that is not JSON, or an empty or missing array, is
/// `malformed`; a missing token `missing-signature` (named by its pointer);
/// a wrong one `unauthorized`. `sign` writes the secret there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyToken {
    pub pointer: &'static str,
    pub each: Option<&'static str>,
}

impl BodyToken {
    /// The token is in every element of the array at `array` (a pointer).
    pub const fn each(self, array: &'static str) -> Self {
        Self {
            each: Some(array),
            ..self
        }
    }

    /// The records that carry a token, mutable, in `body`.
    fn records<'a>(&self, body: &'a mut Value) -> Result<Vec<&'a mut Value>, String> {
        let Some(array) = self.each else {
            return Ok(vec![body]);
        };
        match body.pointer_mut(array) {
            Some(Value::Array(items)) if !items.is_empty() => Ok(items.iter_mut().collect()),
            _ => Err(format!("body has no {array} array of records")),
        }
    }
}

impl SigningScheme for BodyToken {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let mut body: Value = serde_json::from_slice(&request.body)
            .map_err(|e| VerifyError::Malformed(format!("body is not JSON: {e}")))?;
        let name = self.pointer.trim_start_matches('/');
        for record in self.records(&mut body).map_err(VerifyError::Malformed)? {
            let token = json_string(record, self.pointer)
                .ok_or_else(|| VerifyError::MissingSignature(name.into()))?;
            token_matches_any(secrets, &token)
                .map_err(|_| VerifyError::Unauthorized(format!("{name} does not match")))?;
        }
        Ok(())
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let mut body: Value =
            serde_json::from_slice(&input.body).map_err(|e| format!("the body is JSON: {e}"))?;
        let (parent, key) = self
            .pointer
            .rsplit_once('/')
            .ok_or("a pointer starts with /")?;
        let key = key.replace("~1", "/").replace("~0", "~");
        for record in self.records(&mut body)? {
            let object = record
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("each record has an object at {parent:?}"))?;
            object.insert(key.clone(), Value::String(input.secret.clone()));
        }
        Ok(request.body(body.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Scheme;
    use crate::testing::{context, request};

    const BODY: &[u8] = br#"{"id":"evt_1"}"#;
    const NOW: i64 = 1_763_800_000;

    fn input(secret: &str) -> SignInput {
        SignInput {
            body: BODY.to_vec(),
            secret: secret.into(),
            event_type: None,
            delivery_id: "d".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms: 0,
        }
    }

    #[test]
    fn tokens_must_match_exactly() {
        let ctx = context(&["tok\n"], "{}", NOW);
        let check = |value: &str| {
            Scheme::token_header("X-Token")
                .verify(&request("POST", "/", &[("x-token", value)], BODY), &ctx)
        };
        assert!(check("tok").is_ok());
        assert!(
            matches!(check("tok2"), Err(VerifyError::Unauthorized(m)) if m == "X-Token does not match")
        );
        assert!(matches!(check(" "), Err(VerifyError::MissingSignature(_))));
    }

    #[test]
    fn basic_credentials_fail_closed() {
        let ctx = context(&["user:pass"], "{}", NOW);
        let check = |value: &str| {
            Scheme::basic_auth().verify(
                &request("POST", "/", &[("Authorization", value)], BODY),
                &ctx,
            )
        };
        assert!(check(&format!("Basic {}", base64_encode(b"user:pass"))).is_ok());
        assert!(matches!(
            check("Bearer user:pass"),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            check(&format!("Basic {}", base64_encode(b"user:other"))),
            Err(VerifyError::Unauthorized(m)) if m == "Basic credentials do not match"
        ));
        let input = input("no-colon");
        let request = SignedRequestBuilder::post_json(&input);
        assert!(
            Scheme::basic_auth()
                .sign(&input, request)
                .unwrap_err()
                .contains("user:password")
        );
    }

    #[test]
    fn a_setting_names_the_token_header() {
        let scheme = Scheme::token_header_setting("header", "Authorization");
        let at = |settings: &str, name: &str| {
            let ctx = context(&["tok"], settings, NOW);
            scheme.verify(&request("POST", "/", &[(name, "tok")], BODY), &ctx)
        };
        assert!(at("{}", "authorization").is_ok());
        assert!(at(r#"{"header": ""}"#, "Authorization").is_ok());
        assert!(at(r#"{"header": "X-Hook"}"#, "x-hook").is_ok());
        assert!(matches!(
            at(r#"{"header": "X-Hook"}"#, "Authorization"),
            Err(VerifyError::MissingSignature(m)) if m == "X-Hook"
        ));
        assert!(matches!(
            at(r#"{"header": 3}"#, "Authorization"),
            Err(VerifyError::Malformed(_))
        ));
        let mut input = input(" tok\n");
        input.settings = r#"{"header": "X-Hook"}"#.into();
        let signed = scheme
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        assert!(
            signed
                .headers
                .iter()
                .any(|h| h.name == "X-Hook" && h.value == "tok")
        );
        let settings = scheme.describe("The hook's field").settings();
        assert_eq!(settings[0].0, "header");
        assert_eq!(settings[0].1["default"], "Authorization");
        assert_eq!(settings[0].1["description"], "The hook's field");
    }

    #[test]
    fn tokens_in_the_body_are_in_every_record() {
        let scheme = Scheme::body_token("/clientState").each("/value");
        let ctx = context(&["s1", "s2"], "{}", NOW);
        let check = |body: &str| scheme.verify(&request("POST", "/", &[], body.as_bytes()), &ctx);
        assert!(check(r#"{"value":[{"clientState":"s1"},{"clientState":"s2"}]}"#).is_ok());
        assert!(matches!(
            check(r#"{"value":[{"clientState":"s1"},{"clientState":"no"}]}"#),
            Err(VerifyError::Unauthorized(m)) if m == "clientState does not match"
        ));
        assert!(matches!(
            check(r#"{"value":[{"clientState":"s1"},{}]}"#),
            Err(VerifyError::MissingSignature(m)) if m == "clientState"
        ));
        for malformed in [r#"{"value":[]}"#, "{}", "x"] {
            assert!(matches!(check(malformed), Err(VerifyError::Malformed(_))));
        }
        let mut input = input("s2");
        input.body = br#"{"value":[{"a":1},{"a":2}]}"#.to_vec();
        let signed = scheme
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        let body: Value = serde_json::from_slice(&signed.body).unwrap();
        assert_eq!(
            body,
            json!({"value":[{"a":1,"clientState":"s2"},{"a":2,"clientState":"s2"}]})
        );
        let nested = Scheme::body_token("/auth/token");
        input.body = br#"{"auth":{}}"#.to_vec();
        let signed = nested
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        let req = request("POST", "/", &[], &signed.body);
        assert!(nested.verify(&req, &ctx).is_ok());
        input.body = b"[1]".to_vec();
        assert!(
            nested
                .sign(&input, SignedRequestBuilder::post_json(&input))
                .is_err()
        );
    }
}
