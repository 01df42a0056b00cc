//! The pinned trust anchor: Apple Root CA - G3, the root of the chain in
//! every App Store signed payload's `x5c` header. Apple publishes it at
//! apple.com/certificateauthority (AppleRootCA-G3.cer). This copy (DER,
//! base64) is the one in Apple's own `@apple/app-store-server-library` 3.1.0
//! (npm, `REAL_APPLE_ROOT_BASE64_ENCODED`); its SHA-256 fingerprint,
//! `63:34:3A:BF:…:3E:91:79`, matches the one pinned by
//! `app-store-server-api` 0.17.3 (npm) and checked in the tests below.

use hookyard_sdk::prelude::*;

const APPLE_ROOT_CA_G3: &str = "MIICQzCCAcmgAwIBAgIILcX8iNLFS5UwCgYIKoZIzj0EAwMwZzEbMBkGA1UEAwwSQXBwbGUgUm9vdCBDQSAtIEczMSYwJAYDVQQLDB1BcHBsZSBDZXJ0aWZpY2F0aW9uIEF1dGhvcml0eTETMBEGA1UECgwKQXBwbGUgSW5jLjELMAkGA1UEBhMCVVMwHhcNMTQwNDMwMTgxOTA2WhcNMzkwNDMwMTgxOTA2WjBnMRswGQYDVQQDDBJBcHBsZSBSb290IENBIC0gRzMxJjAkBgNVBAsMHUFwcGxlIENlcnRpZmljYXRpb24gQXV0aG9yaXR5MRMwEQYDVQQKDApBcHBsZSBJbmMuMQswCQYDVQQGEwJVUzB2MBAGByqGSM49AgEGBSuBBAAiA2IABJjpLz1AcqTtkyJygRMc3RCV8cWjTnHcFBbZDuWmBSp3ZHtfTjjTuxxEtX/1H7YyYl3J6YRbTzBPEVoA/VhYDKX1DyxNB0cTddqXl5dvMVztK517IDvYuVTZXpmkOlEKMaNCMEAwHQYDVR0OBBYEFLuw3qFYM4iapIqZ3r6966/ayySrMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMDA2gAMGUCMQCD6cHEFl4aXTQY2e3v9GwOAEZLuN+yRhHFD/3meoyhpmvOwgPUnPWTxnS4at+qIxUCMG1mihDK1A3UT82NQz60imOlM27jbdoXt2QfyFMm+YhidDkLF1vLUagM6BgD56KyKA==";

/// Apple Root CA - G3, DER.
pub fn apple_root() -> Vec<u8> {
    base64_decode(APPLE_ROOT_CA_G3).expect("the pinned root is valid base64")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_root_is_apple_root_ca_g3() {
        assert_eq!(
            hex_encode(&crypto::sha256(&apple_root())),
            "63343abfb89a6a03ebb57e9b3f5fa7be7c4f5c756f3017b3a8c488c3653e9179"
        );
        let root = crypto::parse_certificate(&apple_root()).unwrap();
        assert!(
            root.subject.contains("CN=Apple Root CA - G3"),
            "{}",
            root.subject
        );
    }
}
