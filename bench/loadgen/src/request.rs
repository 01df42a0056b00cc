//! Building unique requests: a JSON body padded to an exact size with the
//! request's number in it, and GitHub-style signing.

use crate::Args;
use anyhow::{Result, bail};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use sha2::Sha256;

pub struct Factory {
    /// Request `n` goes to `uris[n % len]`.
    uris: Vec<hyper::Uri>,
    host: String,
    body_size: usize,
    secret: Option<Vec<u8>>,
    /// Distinguishes runs, so a second run against one database is not all duplicates.
    nonce: u128,
}

impl Factory {
    pub fn new(args: &Args, uris: Vec<hyper::Uri>) -> Result<Factory> {
        if args.body_size < 64 {
            bail!("--body-size must be at least 64");
        }
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        Ok(Factory {
            host: uris[0]
                .authority()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            uris,
            body_size: args.body_size,
            secret: (args.sign == "github").then(|| args.secret.as_bytes().to_vec()),
            nonce,
        })
    }

    /// Request number `n`: unique body and delivery id.
    pub fn build(&self, n: u64) -> hyper::Request<Full<Bytes>> {
        let body = body(n, self.nonce, self.body_size);
        let uri = self.uris[n as usize % self.uris.len()].clone();
        let mut request = hyper::Request::post(uri)
            .header("host", &self.host)
            .header("content-type", "application/json")
            .header("x-github-event", "pull_request")
            .header("x-github-delivery", format!("{:x}-{n}", self.nonce));
        if let Some(secret) = &self.secret {
            request = request.header("x-hub-signature-256", github_signature(secret, &body));
        }
        request
            .body(Full::new(Bytes::from(body)))
            .expect("valid request")
    }
}

/// `{"action":"opened","n":N,"run":"…","pad":"xxx…"}`, exactly `size` bytes.
pub fn body(n: u64, nonce: u128, size: usize) -> Vec<u8> {
    let head = format!(r#"{{"action":"opened","n":{n},"run":"{nonce:x}","pad":""#);
    let mut body = head.into_bytes();
    let pad = size.saturating_sub(body.len() + 2);
    body.resize(body.len() + pad, b'x');
    body.extend_from_slice(b"\"}");
    body
}

/// GitHub's `X-Hub-Signature-256` value.
pub fn github_signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_githubs_published_vector() {
        assert_eq!(
            github_signature(b"It's a Secret to Everybody", b"Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }

    #[test]
    fn bodies_have_the_exact_size_are_json_and_unique() {
        let (a, b) = (body(1, 7, 1024), body(2, 7, 1024));
        assert_eq!((a.len(), b.len()), (1024, 1024));
        assert_ne!(a, b);
        let parsed: serde_json::Value = serde_json::from_slice(&a).unwrap();
        assert_eq!(parsed["n"], 1);
    }
}
