//! Test data made by `tests/data/make.py` (see there how, and versions.txt).
#![allow(dead_code)]

/// 2026-06-01T00:00:00Z, the date every vector is made around.
pub const NOW_MS: i64 = 1_780_272_000_000;
pub const DAY_MS: i64 = 86_400_000;

pub fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The DER of a single-certificate PEM file.
pub fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let text = std::str::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

pub fn flip_last_byte(mut bytes: Vec<u8>) -> Vec<u8> {
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    bytes
}
