//! `rsa_verify` against signatures made by the `openssl dgst` command.

mod common;
use common::{data, flip_last_byte};
use hookyard_crypto::{Digest, RsaPadding, rsa_verify};

const KEYS: [&str; 5] = [
    "rsa_spki.pem",
    "rsa_spki.der",
    "rsa_pkcs1.pem",
    "rsa_cert.pem",
    "rsa_pkcs1.der-from-pem",
];

fn key(name: &str) -> Vec<u8> {
    if name == "rsa_pkcs1.der-from-pem" {
        return common::pem_to_der(&data("rsa_pkcs1.pem"));
    }
    data(name)
}

#[test]
fn pkcs1v15_sha1_sha256_sha512_verify_with_every_key_form() {
    let message = data("message.txt");
    for (digest, file) in [
        (Digest::Sha1, "sig_pkcs1_sha1.bin"),
        (Digest::Sha256, "sig_pkcs1_sha256.bin"),
        (Digest::Sha512, "sig_pkcs1_sha512.bin"),
    ] {
        let sig = data(file);
        for name in KEYS {
            assert!(
                rsa_verify(RsaPadding::Pkcs1v15, digest, &key(name), &message, &sig),
                "{file} with {name}"
            );
        }
    }
}

#[test]
fn pkcs1v15_refuses_tampering_wrong_key_digest_and_padding() {
    let message = data("message.txt");
    let sig = data("sig_pkcs1_sha256.bin");
    let key = data("rsa_spki.pem");
    let ok = |k: &[u8], m: &[u8], s: &[u8], d, p| rsa_verify(p, d, k, m, s);
    assert!(ok(
        &key,
        &message,
        &sig,
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
    let mut tampered = message.clone();
    tampered[0] ^= 1;
    assert!(!ok(
        &key,
        &tampered,
        &sig,
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(
        &key,
        &message,
        &flip_last_byte(sig.clone()),
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(
        &data("rsa_other_spki.pem"),
        &message,
        &sig,
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(
        &key,
        &message,
        &sig,
        Digest::Sha1,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(
        &key,
        &message,
        &sig,
        Digest::Sha512,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(&key, &message, &sig, Digest::Sha256, RsaPadding::Pss));
    assert!(!ok(
        &key,
        &message,
        &sig[1..],
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
    assert!(!ok(
        &key,
        &message,
        &[],
        Digest::Sha256,
        RsaPadding::Pkcs1v15
    ));
}

#[test]
fn pss_sha256_and_sha512_with_digest_length_salt() {
    let message = data("message.txt");
    for (digest, file) in [
        (Digest::Sha256, "sig_pss_sha256.bin"),
        (Digest::Sha512, "sig_pss_sha512.bin"),
    ] {
        let sig = data(file);
        for name in KEYS {
            assert!(
                rsa_verify(RsaPadding::Pss, digest, &key(name), &message, &sig),
                "{file} {name}"
            );
        }
        assert!(!rsa_verify(
            RsaPadding::Pkcs1v15,
            digest,
            &data("rsa_spki.pem"),
            &message,
            &sig
        ));
    }
}

#[test]
fn pss_with_maximum_salt_as_openssl_signs_by_default() {
    let message = data("message.txt");
    let sig = data("sig_pss_sha256_maxsalt.bin");
    assert!(rsa_verify(
        RsaPadding::Pss,
        Digest::Sha256,
        &data("rsa_spki.pem"),
        &message,
        &sig
    ));
    assert!(!rsa_verify(
        RsaPadding::Pss,
        Digest::Sha256,
        &data("rsa_spki.pem"),
        b"other",
        &sig
    ));
}

#[test]
fn pss_refuses_tampering_and_wrong_key() {
    let message = data("message.txt");
    let sig = data("sig_pss_sha256.bin");
    let key = data("rsa_spki.pem");
    let mut tampered = message.clone();
    tampered.push(b'!');
    assert!(!rsa_verify(
        RsaPadding::Pss,
        Digest::Sha256,
        &key,
        &tampered,
        &sig
    ));
    assert!(!rsa_verify(
        RsaPadding::Pss,
        Digest::Sha256,
        &key,
        &message,
        &flip_last_byte(sig.clone())
    ));
    assert!(!rsa_verify(
        RsaPadding::Pss,
        Digest::Sha256,
        &data("rsa_other_spki.pem"),
        &message,
        &sig
    ));
    assert!(!rsa_verify(
        RsaPadding::Pss,
        Digest::Sha512,
        &key,
        &message,
        &sig
    ));
}

#[test]
fn keys_under_1024_bits_are_refused_even_with_a_right_signature() {
    let message = data("message.txt");
    let sig = data("sig_rsa512_sha256.bin");
    assert!(!rsa_verify(
        RsaPadding::Pkcs1v15,
        Digest::Sha256,
        &data("rsa512_spki.pem"),
        &message,
        &sig
    ));
}

#[test]
fn non_rsa_keys_and_garbage_give_false() {
    let message = data("message.txt");
    let sig = data("sig_pkcs1_sha256.bin");
    for key in [
        data("chain_ec_leaf.pem"),
        data("chain_ed_root.pem"),
        b"-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n".to_vec(),
        vec![0x30; 1000],
    ] {
        assert!(!rsa_verify(
            RsaPadding::Pkcs1v15,
            Digest::Sha256,
            &key,
            &message,
            &sig
        ));
    }
}
