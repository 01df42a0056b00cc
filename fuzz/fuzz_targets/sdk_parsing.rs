//! The SDK's parsers of untrusted request text — form bodies, signature
//! headers, `Authorization` values, encodings, timestamps — must never panic,
//! whatever a sender puts in them (a panic in an adapter is a 503 for a
//! request that deserved a 401).

#![no_main]

use hookyard_sdk::prelude::*;
use hookyard_sdk::request::form_pairs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = form_pairs(data);
    let text = String::from_utf8_lossy(data);
    let _ = parse_signature_header(&text, ',', '=');
    let _ = parse_signature_header(&text, ';', ':');
    let _ = bearer_token(&text);
    let _ = basic_auth(&text);
    let _ = hex_decode(&text);
    let _ = base64_decode(&text);
    let _ = rfc3339_to_ms(&text);
    let _ = iso8601_to_ms(&text);
});
