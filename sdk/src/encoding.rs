//! Hex and base64 as vendors use them, with errors that say what was wrong.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub fn hex_encode(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

pub fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text.trim()).map_err(|e| format!("invalid hex: {e}"))
}

pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    STANDARD
        .decode(text.trim())
        .map_err(|e| format!("invalid base64: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_garbage() {
        assert_eq!(
            hex_decode(&hex_encode(b"\x00\xffab")).unwrap(),
            b"\x00\xffab"
        );
        assert_eq!(base64_decode(&base64_encode(b"hello")).unwrap(), b"hello");
        assert!(hex_decode("zz").unwrap_err().contains("invalid hex"));
        assert!(base64_decode("***").unwrap_err().contains("invalid base64"));
    }
}
