//! `parse_certificate` and `verify_chain` against chains made with Python's
//! `cryptography` (and checked by `openssl verify` when made).

mod common;
use common::{DAY_MS, NOW_MS, data, pem_to_der};
use hookyard_crypto::{parse_certificate, rsa_verify, verify_chain};

const NOT_BEFORE_MS: i64 = 1_577_836_800_000; // 2020-01-01
const NOT_AFTER_MS: i64 = 2_208_988_800_000; // 2040-01-01

fn chain(files: &[&str]) -> Vec<Vec<u8>> {
    files.iter().map(|f| data(f)).collect()
}

fn refused(chain_files: &[&str], root_files: &[&str]) -> String {
    verify_chain(&chain(chain_files), &chain(root_files), NOW_MS)
        .expect_err("the chain must be refused")
}

#[test]
fn parses_the_leaf_fields() {
    let leaf = parse_certificate(&data("chain_rsa_leaf.pem")).unwrap();
    assert_eq!(
        leaf.subject,
        "CN=sns.test.hookyard.dev,O=Hookyard Test\\, Inc.,C=US"
    );
    assert_eq!(leaf.issuer, "CN=Test RSA Intermediate,O=Hookyard Test,C=US");
    assert_eq!(leaf.serial_hex, "0a1b2c3d4e5f60718293");
    assert_eq!(leaf.not_before_ms, NOT_BEFORE_MS);
    assert_eq!(leaf.not_after_ms, NOT_AFTER_MS);
    assert_eq!(
        leaf.dns_names,
        ["sns.test.hookyard.dev", "*.sns.test.hookyard.dev"]
    );
    assert_eq!(
        leaf.extension_oids,
        ["2.5.29.19", "2.5.29.15", "2.5.29.17", "2.5.29.37"]
    );
    assert_eq!(leaf.public_key, data("chain_rsa_leaf_spki.der"));
    // DER gives the same, and so does a bundle (its first certificate).
    assert_eq!(
        parse_certificate(&data("chain_rsa_leaf.der")).unwrap(),
        leaf
    );
    assert_eq!(
        parse_certificate(&data("chain_rsa_bundle.pem")).unwrap(),
        leaf
    );
}

#[test]
fn parses_apple_like_marker_and_small_serials() {
    let leaf = parse_certificate(&data("chain_ec_leaf.pem")).unwrap();
    assert_eq!(leaf.serial_hex, "53");
    assert!(
        leaf.extension_oids
            .contains(&"1.2.840.113635.100.6.29".to_string())
    );
    assert_eq!(leaf.dns_names, ["pay.test.hookyard.dev"]);
    let root = parse_certificate(&data("chain_ec_root.pem")).unwrap();
    assert_eq!(root.subject, root.issuer);
    assert!(root.dns_names.is_empty());
    assert_eq!(root.extension_oids, ["2.5.29.19", "2.5.29.15"]);
}

#[test]
fn parse_refuses_garbage() {
    assert!(parse_certificate(b"").is_err());
    assert!(parse_certificate(b"hello").is_err());
    assert!(parse_certificate(&data("rsa_spki.pem")).is_err());
    let mut der = data("chain_rsa_leaf.der");
    der.truncate(der.len() - 10);
    assert!(parse_certificate(&der).is_err());
}

#[test]
fn the_leaf_key_verifies_what_the_leaf_signs() {
    // public_key is usable with the verify functions: the RSA self-signed
    // certificate's key checks the openssl signature.
    let cert = parse_certificate(&data("rsa_cert.pem")).unwrap();
    assert!(rsa_verify(
        hookyard_crypto::RsaPadding::Pkcs1v15,
        hookyard_crypto::Digest::Sha256,
        &cert.public_key,
        &data("message.txt"),
        &data("sig_pkcs1_sha256.bin"),
    ));
}

#[test]
fn rsa_chain_verifies_in_every_form() {
    let leaf = parse_certificate(&data("chain_rsa_leaf.pem")).unwrap();
    let roots = [&["chain_rsa_root.pem"][..], &["chain_rsa_root.der"]];
    for root in roots {
        let ok = |files: &[&str]| verify_chain(&chain(files), &chain(root), NOW_MS);
        assert_eq!(
            ok(&["chain_rsa_leaf.pem", "chain_rsa_intermediate.pem"]),
            Ok(leaf.clone())
        );
        assert_eq!(
            ok(&["chain_rsa_leaf.der", "chain_rsa_intermediate.pem"]),
            Ok(leaf.clone())
        );
        assert_eq!(ok(&["chain_rsa_bundle.pem"]), Ok(leaf.clone()));
        // The root sent along, as pinned: found by equality.
        assert_eq!(
            ok(&[
                "chain_rsa_leaf.pem",
                "chain_rsa_intermediate.pem",
                "chain_rsa_root.pem"
            ]),
            Ok(leaf.clone())
        );
    }
    // The first and last valid instants.
    let files = chain(&["chain_rsa_bundle.pem"]);
    let roots = chain(&["chain_rsa_root.pem"]);
    assert!(verify_chain(&files, &roots, NOT_BEFORE_MS).is_ok());
    assert!(verify_chain(&files, &roots, NOT_AFTER_MS).is_ok());
    assert!(verify_chain(&files, &roots, NOT_AFTER_MS + 1).is_err());
}

#[test]
fn sha1_leaf_is_accepted() {
    let leaf = verify_chain(
        &chain(&["chain_rsa_leaf_sha1.pem", "chain_rsa_intermediate.pem"]),
        &chain(&["chain_rsa_root.pem"]),
        NOW_MS,
    )
    .unwrap();
    assert_eq!(leaf.serial_hex, "03");
}

#[test]
fn expired_and_not_yet_valid_are_refused() {
    let e = refused(
        &["chain_rsa_leaf_expired.pem", "chain_rsa_intermediate.pem"],
        &["chain_rsa_root.pem"],
    );
    assert!(
        e.starts_with("certificate 0 (CN=sns.test.hookyard.dev"),
        "{e}"
    );
    assert!(e.contains("expired"), "{e}");
    let e = verify_chain(
        &chain(&["chain_rsa_bundle.pem"]),
        &chain(&["chain_rsa_root.pem"]),
        NOT_BEFORE_MS - DAY_MS,
    )
    .unwrap_err();
    assert!(e.contains("not valid before"), "{e}");
}

#[test]
fn wrong_root_is_refused() {
    // Same name, another key: the signature check is what refuses it.
    let e = refused(&["chain_rsa_bundle.pem"], &["chain_rsa_rogue_root.pem"]);
    assert!(
        e.starts_with("certificate 1 (CN=Test RSA Intermediate"),
        "{e}"
    );
    assert!(
        e.contains("pinned root 0") && e.contains("does not verify"),
        "{e}"
    );
    // A root sent along but not pinned is not trusted.
    let e = refused(
        &[
            "chain_rsa_leaf.pem",
            "chain_rsa_intermediate.pem",
            "chain_rsa_root.pem",
        ],
        &["chain_rsa_rogue_root.pem"],
    );
    assert!(
        e.contains("certificate 2") && e.contains("does not verify"),
        "{e}"
    );
    // Another name altogether.
    let e = refused(&["chain_rsa_bundle.pem"], &["chain_ec_root.pem"]);
    assert!(e.contains("is no pinned root"), "{e}");
    assert!(verify_chain(&chain(&["chain_rsa_bundle.pem"]), &[], NOW_MS).is_err());
}

#[test]
fn a_leaf_signed_by_a_non_ca_is_refused() {
    let e = refused(
        &[
            "chain_rsa_signed_by_leaf.pem",
            "chain_rsa_leaf.pem",
            "chain_rsa_intermediate.pem",
        ],
        &["chain_rsa_root.pem"],
    );
    assert!(
        e.starts_with("certificate 0 (CN=evil.test.hookyard.dev"),
        "{e}"
    );
    assert!(e.contains("certificate 1 (CN=sns.test.hookyard.dev"), "{e}");
    assert!(e.contains("cA is false"), "{e}");
}

#[test]
fn ca_without_key_cert_sign_and_path_length_are_enforced() {
    let e = refused(
        &[
            "chain_rsa_leaf_under_nocertsign.pem",
            "chain_rsa_intermediate_nocertsign.pem",
        ],
        &["chain_rsa_root.pem"],
    );
    assert!(e.contains("keyCertSign"), "{e}");
    // The intermediate has pathLenConstraint 0: no CA below it.
    let e = refused(
        &[
            "chain_rsa_leaf_under_sub.pem",
            "chain_rsa_subintermediate.pem",
            "chain_rsa_intermediate.pem",
        ],
        &["chain_rsa_root.pem"],
    );
    assert!(
        e.starts_with("certificate 1 (CN=Test RSA Sub-intermediate"),
        "{e}"
    );
    assert!(e.contains("pathLenConstraint 0"), "{e}");
}

#[test]
fn unknown_critical_extension_is_refused() {
    let e = refused(
        &["chain_rsa_leaf_critical.pem", "chain_rsa_intermediate.pem"],
        &["chain_rsa_root.pem"],
    );
    assert!(
        e.contains("unsupported critical extension 1.3.6.1.4.1.99999.1"),
        "{e}"
    );
}

#[test]
fn broken_order_and_missing_intermediate_are_refused() {
    let e = refused(
        &["chain_rsa_intermediate.pem", "chain_rsa_leaf.pem"],
        &["chain_rsa_root.pem"],
    );
    assert!(
        e.starts_with("certificate 0 (CN=Test RSA Intermediate"),
        "{e}"
    );
    assert!(e.contains("is not the subject of certificate 1"), "{e}");
    let e = refused(
        &[
            "chain_rsa_leaf.pem",
            "chain_rsa_root.pem",
            "chain_rsa_intermediate.pem",
        ],
        &["chain_rsa_root.pem"],
    );
    assert!(e.contains("is not the subject of certificate 1"), "{e}");
    let e = refused(&["chain_rsa_leaf.pem"], &["chain_rsa_root.pem"]);
    assert!(e.contains("is no pinned root"), "{e}");
}

#[test]
fn tampered_certificates_are_refused() {
    // A flipped signature bit, and a changed byte inside the TBS (the DNS
    // name in the subjectAltName), each break the signature.
    let mut leaf = pem_to_der(&data("chain_rsa_leaf.pem"));
    let last = leaf.len() - 1;
    leaf[last] ^= 1;
    let inter = data("chain_rsa_intermediate.pem");
    let roots = chain(&["chain_rsa_root.pem"]);
    let e = verify_chain(&[leaf, inter.clone()], &roots, NOW_MS).unwrap_err();
    assert!(e.contains("does not verify"), "{e}");
    let mut leaf = pem_to_der(&data("chain_rsa_leaf.pem"));
    let at = leaf.windows(3).position(|w| w == b"sns").unwrap();
    leaf[at] = b'x';
    let e = verify_chain(&[leaf, inter], &roots, NOW_MS).unwrap_err();
    assert!(e.contains("does not verify"), "{e}");
}

#[test]
fn chains_longer_than_eight_are_refused() {
    let mut files = vec!["chain_rsa_leaf.pem"];
    files.extend(["chain_rsa_intermediate.pem"; 8]);
    let e = refused(&files, &["chain_rsa_root.pem"]);
    assert!(e.contains("more than 8"), "{e}");
}

#[test]
fn apple_like_ecdsa_chain_p384_root_p256_below() {
    let leaf = verify_chain(
        &chain(&["chain_ec_leaf.pem", "chain_ec_intermediate.pem"]),
        &chain(&[
            "chain_ec_other_root.pem",
            "chain_rsa_root.pem",
            "chain_ec_root.pem",
        ]),
        NOW_MS,
    )
    .unwrap();
    assert_eq!(
        leaf.subject,
        "CN=pay.test.hookyard.dev,O=Hookyard Test,C=US"
    );
    let e = refused(
        &["chain_ec_leaf_expired.pem", "chain_ec_intermediate.pem"],
        &["chain_ec_root.pem"],
    );
    assert!(e.contains("expired"), "{e}");
    let e = refused(
        &["chain_ec_leaf.pem", "chain_ec_intermediate.pem"],
        &["chain_ec_other_root.pem"],
    );
    assert!(e.contains("is no pinned root"), "{e}");
    // An RSA intermediate cannot stand in for the EC one.
    let e = refused(
        &["chain_ec_leaf.pem", "chain_rsa_intermediate.pem"],
        &["chain_rsa_root.pem"],
    );
    assert!(e.contains("certificate 0"), "{e}");
}

#[test]
fn ed25519_chain() {
    let leaf = verify_chain(
        &chain(&["chain_ed_leaf.pem"]),
        &chain(&["chain_ed_root.pem"]),
        NOW_MS,
    )
    .unwrap();
    assert_eq!(leaf.dns_names, ["ed.test.hookyard.dev"]);
    let mut der = pem_to_der(&data("chain_ed_leaf.pem"));
    let last = der.len() - 1;
    der[last] ^= 1;
    assert!(verify_chain(&[der], &chain(&["chain_ed_root.pem"]), NOW_MS).is_err());
}

#[test]
fn a_pinned_intermediate_is_a_trust_anchor() {
    let leaf = parse_certificate(&data("chain_rsa_leaf.pem")).unwrap();
    let pinned = chain(&["chain_rsa_intermediate.pem"]);
    // Sent along: found by equality, and its own issuer (not pinned) is
    // never looked for.
    assert_eq!(
        verify_chain(&chain(&["chain_rsa_bundle.pem"]), &pinned, NOW_MS),
        Ok(leaf.clone())
    );
    // Not sent: it signs the leaf.
    assert_eq!(
        verify_chain(&chain(&["chain_rsa_leaf.pem"]), &pinned, NOW_MS),
        Ok(leaf)
    );
    // The leaf itself pinned, sent alone; still only while valid.
    let leaf_pem = chain(&["chain_rsa_leaf.pem"]);
    assert!(verify_chain(&leaf_pem, &leaf_pem, NOW_MS).is_ok());
    let expired = chain(&["chain_rsa_leaf_expired.pem"]);
    let e = verify_chain(&expired, &expired, NOW_MS).unwrap_err();
    assert!(e.contains("expired"), "{e}");
    // An expired pinned issuer refuses the chain too (same name and key as
    // the valid leaf that signed chain_rsa_signed_by_leaf, other dates).
    let e = verify_chain(&chain(&["chain_rsa_signed_by_leaf.pem"]), &expired, NOW_MS).unwrap_err();
    assert!(e.contains("pinned root 0") && e.contains("expired"), "{e}");
    // Pinned issuers need no CA marks: the adapter vouches for them.
    assert!(
        verify_chain(
            &chain(&["chain_rsa_signed_by_leaf.pem"]),
            &chain(&["chain_rsa_leaf.pem"]),
            NOW_MS
        )
        .is_ok()
    );
}
