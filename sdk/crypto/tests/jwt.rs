//! `verify_jwt` against tokens made by PyJWT (see data/versions.txt), and
//! hand-made bad ones.

mod common;
use common::{NOW_MS, data};
use hookyard_crypto::{JwtError, JwtRules, verify_jwt};
use serde_json::Value;

const ISSUER: &str = "https://issuer.test.hookyard.dev";

fn token(label: &str) -> String {
    let tokens: Value = serde_json::from_slice(&data("jwt_tokens.json")).unwrap();
    tokens[label]
        .as_str()
        .unwrap_or_else(|| panic!("no token {label}"))
        .to_string()
}

fn rules() -> JwtRules {
    JwtRules {
        algorithms: [
            "RS256", "RS384", "RS512", "PS256", "ES256", "EdDSA", "HS256", "HS512",
        ]
        .map(String::from)
        .to_vec(),
        audiences: vec!["hookyard".into()],
        issuers: vec![ISSUER.into()],
        require_expiry: true,
        leeway_seconds: 0,
        now_ms: NOW_MS,
    }
}

fn jwks() -> Vec<u8> {
    data("jwks.json")
}

fn secret() -> Vec<u8> {
    data("jwt_hs256_secret.txt")
}

/// Verifies and checks the payload is the one the tokens were made with.
fn accepted(label: &str, keys: &[u8], rules: &JwtRules) {
    let payload =
        verify_jwt(&token(label), keys, rules).unwrap_or_else(|e| panic!("{label} refused: {e:?}"));
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["sub"], "user-42", "{label}");
    assert_eq!(payload["iss"], ISSUER, "{label}");
}

fn refused(label: &str, keys: &[u8], rules: &JwtRules) -> JwtError {
    verify_jwt(&token(label), keys, rules).expect_err(label)
}

#[test]
fn pyjwt_tokens_verify_with_the_jwks() {
    for label in [
        "rs256_kid_rsa2",
        "rs256_no_kid",
        "rs384_kid_rsa1",
        "rs512_kid_rsa1",
        "ps256_kid_ps1",
        "es256_kid_ec1",
        "eddsa_kid_ed1",
    ] {
        accepted(label, &jwks(), &rules());
    }
}

#[test]
fn returns_the_payload_text_as_sent() {
    let payload = verify_jwt(&token("rs256_kid_rsa2"), &jwks(), &rules()).unwrap();
    let expected: Value = serde_json::from_slice(&data("jwt_payload.json")).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&payload).unwrap(), expected);
    use base64::Engine as _;
    let sent = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token("rs256_kid_rsa2").split('.').nth(1).unwrap())
        .unwrap();
    assert_eq!(payload.as_bytes(), sent);
}

#[test]
fn single_jwk_pem_der_and_certificate_keys() {
    accepted("es256_kid_ec1", &data("jwk_ec1.json"), &rules());
    accepted("rs256_kid_rsa2", &data("jwt_rsa2_spki.pem"), &rules());
    accepted(
        "rs256_no_kid",
        &common::pem_to_der(&data("jwt_rsa2_spki.pem")),
        &rules(),
    );
    accepted("rs256_kid_rsa2", &data("jwt_rsa2_cert.pem"), &rules());
    // A single JWK with another kid than the token's.
    let e = refused(
        "es256_kid_ec1",
        br#"{"kty":"EC","kid":"other","crv":"P-256","x":"","y":""}"#,
        &rules(),
    );
    assert_eq!(e, JwtError::Claims("no key with kid \"ec1\"".into()));
}

#[test]
fn hs256_and_hs512_with_the_shared_secret() {
    accepted("hs256", &secret(), &rules());
    accepted("hs512", &secret(), &rules());
    assert_eq!(
        refused("hs256", b"another secret", &rules()),
        JwtError::BadSignature
    );
    // The secret as an `oct` JWK.
    use base64::Engine as _;
    let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret());
    accepted(
        "hs256",
        format!(r#"{{"kty":"oct","k":"{k}"}}"#).as_bytes(),
        &rules(),
    );
}

#[test]
fn hmac_with_a_public_key_as_secret_is_refused() {
    // Signed with HMAC keyed by the RSA public key PEM: accepting it would
    // let anyone who knows the public key forge tokens.
    let e = refused(
        "hs256_confusion_with_rsa2_pem",
        &data("jwt_rsa2_spki.pem"),
        &rules(),
    );
    assert!(
        matches!(e, JwtError::Claims(ref m) if m.contains("shared secret")),
        "{e:?}"
    );
    let e = refused("hs256_confusion_with_rsa2_pem", &jwks(), &rules());
    assert!(matches!(e, JwtError::Claims(_)), "{e:?}");
}

#[test]
fn expiry_and_not_before_with_leeway() {
    assert_eq!(
        refused("rs256_expired", &jwks(), &rules()),
        JwtError::Expired(3600)
    );
    assert_eq!(
        refused("rs256_expired_30s", &jwks(), &rules()),
        JwtError::Expired(30)
    );
    let lenient = JwtRules {
        leeway_seconds: 60,
        ..rules()
    };
    accepted("rs256_expired_30s", &jwks(), &lenient);
    assert_eq!(
        refused("rs256_expired", &jwks(), &lenient),
        JwtError::Expired(3600)
    );
    assert_eq!(
        refused("rs256_nbf_future", &jwks(), &rules()),
        JwtError::Expired(-600)
    );
    accepted(
        "rs256_nbf_future",
        &jwks(),
        &JwtRules {
            leeway_seconds: 600,
            ..rules()
        },
    );
    // Later: the valid token expires exactly at exp.
    let later = JwtRules {
        now_ms: NOW_MS + 3_600_000,
        ..rules()
    };
    assert_eq!(
        refused("rs256_kid_rsa2", &jwks(), &later),
        JwtError::Expired(0)
    );
    let just_before = JwtRules {
        now_ms: NOW_MS + 3_599_999,
        ..rules()
    };
    accepted("rs256_kid_rsa2", &jwks(), &just_before);
}

#[test]
fn missing_exp_is_refused_only_when_required() {
    assert_eq!(
        refused("rs256_no_exp", &jwks(), &rules()),
        JwtError::Claims("no exp claim".into())
    );
    accepted(
        "rs256_no_exp",
        &jwks(),
        &JwtRules {
            require_expiry: false,
            ..rules()
        },
    );
}

#[test]
fn audience_and_issuer() {
    accepted("rs256_aud_array", &jwks(), &rules());
    let e = refused("rs256_wrong_aud", &jwks(), &rules());
    assert!(
        matches!(e, JwtError::Claims(ref m) if m.contains("someone-else")),
        "{e:?}"
    );
    accepted(
        "rs256_wrong_aud",
        &jwks(),
        &JwtRules {
            audiences: vec![],
            ..rules()
        },
    );
    let e = refused("rs256_wrong_iss", &jwks(), &rules());
    assert!(
        matches!(e, JwtError::Claims(ref m) if m.contains("evil.example")),
        "{e:?}"
    );
    let two = JwtRules {
        issuers: vec!["x".into(), "https://evil.example".into()],
        ..rules()
    };
    let payload = verify_jwt(&token("rs256_wrong_iss"), &jwks(), &two).unwrap();
    assert!(payload.contains("https://evil.example"));
}

#[test]
fn algorithms_outside_the_rules_and_none_are_refused() {
    let es_only = JwtRules {
        algorithms: vec!["ES256".into()],
        ..rules()
    };
    assert_eq!(
        refused("rs256_kid_rsa2", &jwks(), &es_only),
        JwtError::Claims("alg \"RS256\" is not allowed".into())
    );
    accepted("es256_kid_ec1", &jwks(), &es_only);
    let with_none = JwtRules {
        algorithms: vec!["none".into(), "RS256".into()],
        ..rules()
    };
    for rules in [rules(), with_none] {
        assert_eq!(
            refused("none", &jwks(), &rules),
            JwtError::Claims("alg \"none\" is not allowed".into())
        );
    }
}

#[test]
fn a_jwk_bound_to_another_alg_is_not_used() {
    // rsa2's JWK says "alg": "RS256"; the RS384 token naming it is refused
    // (and with a PEM key, which carries no alg, it verifies).
    let e = refused("rs384_kid_rsa2", &jwks(), &rules());
    assert_eq!(
        e,
        JwtError::Claims("key \"rsa2\" does not fit alg RS384".into())
    );
    accepted("rs384_kid_rsa2", &data("jwt_rsa2_spki.pem"), &rules());
}

#[test]
fn tampering_unknown_kid_and_wrong_key() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for label in [
        "rs256_kid_rsa2",
        "es256_kid_ec1",
        "eddsa_kid_ed1",
        "hs256",
        "ps256_kid_ps1",
    ] {
        let keys = if label == "hs256" { secret() } else { jwks() };
        let original = token(label);
        let parts: Vec<&str> = original.split('.').collect();
        let payload = String::from_utf8(b64.decode(parts[1]).unwrap()).unwrap();
        let forged = b64.encode(payload.replace("user-42", "admin"));
        let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
        assert_eq!(
            verify_jwt(&tampered, &keys, &rules()),
            Err(JwtError::BadSignature),
            "{label}"
        );
        let mut sig = b64.decode(parts[2]).unwrap();
        sig[0] ^= 1;
        let flipped = format!("{}.{}.{}", parts[0], parts[1], b64.encode(sig));
        assert_eq!(
            verify_jwt(&flipped, &keys, &rules()),
            Err(JwtError::BadSignature),
            "{label}"
        );
    }
    assert_eq!(
        refused("rs256_unknown_kid", &jwks(), &rules()),
        JwtError::Claims("no key with kid \"nope\"".into())
    );
    assert_eq!(
        refused("rs256_wrong_key", &jwks(), &rules()),
        JwtError::BadSignature
    );
    // An ES256 token against a key of another type.
    assert_eq!(
        refused("es256_kid_ec1", &data("jwt_rsa2_spki.pem"), &rules()),
        JwtError::BadSignature
    );
}

#[test]
fn malformed_tokens_and_keys() {
    let m =
        |t: &str, keys: &[u8]| matches!(verify_jwt(t, keys, &rules()), Err(JwtError::Malformed(_)));
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let good = token("rs256_kid_rsa2");
    let parts: Vec<&str> = good.split('.').collect();
    assert!(m("", &jwks()));
    assert!(m("a.b", &jwks()));
    assert!(m(&format!("{good}.x"), &jwks()));
    assert!(m(
        &format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        &jwks()
    ));
    assert!(m(&format!("e30.{}.{}", parts[1], parts[2]), &jwks())); // {} has no alg
    assert!(m(
        &format!("bm90IGpzb24.{}.{}", parts[1], parts[2]),
        &jwks()
    )); // "not json"
    let kid_number = b64.encode(r#"{"alg":"RS256","kid":5}"#);
    assert!(m(
        &format!("{kid_number}.{}.{}", parts[1], parts[2]),
        &jwks()
    ));
    // Over 64 KiB, though well formed.
    let big = format!("{}.{}.{}", parts[0], "A".repeat(70_000), parts[2]);
    assert!(m(&big, &jwks()));
    assert!(m(&good, b"not a key"));
    assert!(m(&good, br#"{"keys": "nope"}"#));
    assert!(m(
        &good,
        br#"{"keys":[{"kty":"RSA","kid":"rsa2","n":"AQAB","e":"AQAB"}]}"#
    ));
    // A good JWKS padded over 256 KiB.
    let mut padded = jwks();
    padded.extend(vec![b' '; 256 * 1024]);
    assert!(m(&good, &padded));
    // crit is refused: a header the token needs understood.
    let crit = b64.encode(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#);
    assert!(m(&format!("{crit}.{}.{}", parts[1], parts[2]), &secret()));
}

/// The token's own signature, checked with the raw primitive.
fn raw_signature_ok(label: &str, key: &[u8], padding: hookyard_crypto::RsaPadding) -> bool {
    use base64::Engine as _;
    let t = token(label);
    let (input, sig) = t.rsplit_once('.').unwrap();
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    hookyard_crypto::rsa_verify(
        padding,
        hookyard_crypto::Digest::Sha256,
        key,
        input.as_bytes(),
        &sig,
    )
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let key = data("jwt_rsa1024_spki.pem");
    // The signature itself is right (rsa_verify takes 1024-bit keys)...
    assert!(raw_signature_ok(
        "rs256_rsa1024",
        &key,
        hookyard_crypto::RsaPadding::Pkcs1v15
    ));
    // ...but a JWT wants 2048 bits at least.
    assert_eq!(
        refused("rs256_rsa1024", &key, &rules()),
        JwtError::BadSignature
    );
}

#[test]
fn ps256_wants_a_digest_length_salt() {
    use base64::Engine as _;
    let doc: Value = serde_json::from_slice(&jwks()).unwrap();
    let ps1 = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == "ps1")
        .unwrap();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let n = b64.decode(ps1["n"].as_str().unwrap()).unwrap();
    let pkcs1 = rsa_pkcs1_der(&n, &[1, 0, 1]);
    // rsa_verify accepts the maximum salt; verify_jwt follows RFC 7518.
    assert!(raw_signature_ok(
        "ps256_maxsalt_kid_ps1",
        &pkcs1,
        hookyard_crypto::RsaPadding::Pss
    ));
    assert_eq!(
        refused("ps256_maxsalt_kid_ps1", &jwks(), &rules()),
        JwtError::BadSignature
    );
    accepted("ps256_kid_ps1", &jwks(), &rules());
}

/// DER PKCS#1 RSAPublicKey of a modulus and exponent (both positive).
fn rsa_pkcs1_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    fn int(bytes: &[u8]) -> Vec<u8> {
        let mut body = bytes.to_vec();
        if body[0] & 0x80 != 0 {
            body.insert(0, 0);
        }
        tlv(0x02, &body)
    }
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match body.len() {
            n if n < 0x80 => out.push(n as u8),
            n if n < 0x100 => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(body);
        out
    }
    tlv(0x30, &[int(n), int(e)].concat())
}
