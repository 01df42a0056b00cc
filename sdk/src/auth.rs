//! Senders that do not sign their requests but present a shared token: in a
//! header (`Authorization: Bearer …` or a header of their own), in the query,
//! or as HTTP Basic credentials. The token proves who sent the request, not
//! that the body is intact.

use crate::VerifyError;
use crate::crypto::{constant_time_eq, sha256};
use crate::encoding::base64_decode;

/// The token of an `Authorization: Bearer <token>` value (the scheme in any
/// case); `None` for another scheme, a bare token or an empty one. Senders
/// that may send either form: `bearer_token(value).unwrap_or(value)`.
pub fn bearer_token(value: &str) -> Option<&str> {
    match value.trim().split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            Some(token.trim()).filter(|t| !t.is_empty())
        }
        _ => None,
    }
}

/// The user name and password of an `Authorization: Basic <base64>` value
/// (the scheme in any case); `None` when it is not Basic, not base64, not
/// UTF-8 or has no `:`. The password may itself contain `:`.
pub fn basic_auth(value: &str) -> Option<(String, String)> {
    let encoded = match value.trim().split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("basic") => rest,
        _ => return None,
    };
    let text = String::from_utf8(base64_decode(encoded).ok()?).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Passes if `presented` equals any of `secrets` (the active secrets, or any
/// other list of accepted tokens); otherwise `unauthorized` ("token does not
/// match"), also when the list is empty.
///
/// Constant time regardless of length: both sides are hashed with SHA-256 and
/// the 32-byte digests compared with [`constant_time_eq`], for every secret
/// (no early exit), so the timing shows neither where a guess differs, nor how
/// long the secrets are, nor which one matched. The values are compared
/// exactly as given: trim them first if the vendor pads them.
pub fn token_matches_any<S: AsRef<str>>(secrets: &[S], presented: &str) -> Result<(), VerifyError> {
    let presented = sha256(presented.as_bytes());
    let mut matched = false;
    for secret in secrets {
        matched |= constant_time_eq(&sha256(secret.as_ref().as_bytes()), &presented);
    }
    if matched {
        Ok(())
    } else {
        Err(VerifyError::Unauthorized("token does not match".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_encode;

    #[test]
    fn bearer_tokens_are_found_in_any_case() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("BEARER a b"), Some("a b"));
        assert_eq!(bearer_token("abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearer   "), None);
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearerabc"), None);
        let value = "s3cr3t";
        assert_eq!(bearer_token(value).unwrap_or(value), "s3cr3t");
    }

    #[test]
    fn basic_credentials_decode() {
        let header = |text: &str| format!("Basic {}", base64_encode(text.as_bytes()));
        assert_eq!(
            basic_auth(&header("user:pa:ss")),
            Some(("user".into(), "pa:ss".into()))
        );
        assert_eq!(
            basic_auth(&header(":")),
            Some((String::new(), String::new()))
        );
        assert_eq!(
            basic_auth(&format!("basic  {} ", base64_encode(b"u:p"))),
            Some(("u".into(), "p".into()))
        );
        assert_eq!(basic_auth(&header("no-colon")), None);
        assert_eq!(basic_auth("Basic ***"), None);
        assert_eq!(
            basic_auth(&format!("Basic {}", base64_encode(b"\xff:\xfe"))),
            None
        );
        assert_eq!(
            basic_auth(&format!("Bearer {}", base64_encode(b"u:p"))),
            None
        );
        assert_eq!(basic_auth(&base64_encode(b"u:p")), None);
        assert_eq!(basic_auth(""), None);
    }

    #[test]
    fn a_token_must_equal_an_active_secret() {
        let secrets = ["new-token".to_string(), "old-token".to_string()];
        assert!(token_matches_any(&secrets, "new-token").is_ok());
        assert!(token_matches_any(&secrets, "old-token").is_ok());
        for wrong in [
            "new-toke",
            "new-token ",
            "new-token-longer",
            "",
            "NEW-TOKEN",
        ] {
            assert!(
                matches!(
                    token_matches_any(&secrets, wrong),
                    Err(VerifyError::Unauthorized(why)) if why == "token does not match"
                ),
                "{wrong:?}"
            );
        }
        assert!(token_matches_any::<String>(&[], "new-token").is_err());
        assert!(token_matches_any::<&str>(&[""], "").is_ok());
        assert!(token_matches_any(&["a", "b"], "b").is_ok());
    }
}
