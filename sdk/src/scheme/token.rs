//! Schemes for senders that sign nothing but present a shared secret: HTTP
//! Basic credentials ([`Scheme::basic_auth`](super::Scheme::basic_auth)) or
//! a token in a header ([`Scheme::token_header`](super::Scheme::token_header)).
//! Kept apart from the signature schemes: they prove the sender, not the body.

use super::SigningScheme;
use crate::auth::{basic_auth, token_matches_any};
use crate::encoding::base64_encode;
use crate::request::{ContextExt, RequestExt};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};

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

impl SigningScheme for TokenHeader {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets: Vec<&str> = context
            .require_secrets()?
            .iter()
            .map(|s| s.trim())
            .collect();
        token_matches_any(&secrets, request.require_header(self.header)?)
            .map_err(|_| VerifyError::Unauthorized(format!("{} does not match", self.header)))
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Ok(request.header(self.header, input.secret.trim()))
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
}
