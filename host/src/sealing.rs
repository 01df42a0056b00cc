//! Secrets at rest: sealed with XChaCha20-Poly1305 under a master key.
//!
//! A copy of the database (a backup, a stolen disk, a support bundle) must not
//! hand out the secrets that verify vendors' signatures, so every source
//! secret is stored sealed: a random 24-byte nonce followed by the AEAD
//! ciphertext, bound to its row by the associated data, and tagged with the id
//! of the master key that sealed it. The master key (32 bytes, 64 hex
//! characters) comes from `HOOKYARD_MASTER_KEY`, a file, or — for a local
//! setup — a key file created next to the database. Rotating it means starting
//! with the new key as current and the old one as previous: the server
//! re-seals every secret under the new key at startup (`store::secrets`), after
//! which the previous key can be dropped. A secret sealed under a key the
//! server does not hold stops the start: failing closed, nothing is lost.

use anyhow::{Context as _, Result, bail};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::path::Path;

const NONCE_LEN: usize = 24;

/// One master key and its public id.
pub struct MasterKey {
    cipher: XChaCha20Poly1305,
    /// First 16 hex characters of a SHA-256 of the key: names it, reveals nothing.
    pub id: String,
}

impl MasterKey {
    /// Parses 64 hex characters (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<MasterKey> {
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .context(
                "a master key is 64 hex characters (32 bytes); `hookyard master-key` prints one",
            )?;
        let mut hasher = Sha256::new();
        hasher.update(b"hookyard master key id\0");
        hasher.update(&bytes);
        Ok(MasterKey {
            cipher: XChaCha20Poly1305::new_from_slice(&bytes).expect("32 bytes"),
            id: hex::encode(&hasher.finalize()[..8]),
        })
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> Result<MasterKey> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the master key file {}", path.display()))?;
        MasterKey::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    /// A new random key, as 64 hex characters.
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill(&mut bytes);
        hex::encode(bytes)
    }

    /// Reads the key file at `path`, creating it (mode 0600) with a new key
    /// if it does not exist.
    pub fn read_or_create(path: &Path) -> Result<MasterKey> {
        if create_owner_only(path, &format!("{}\n", MasterKey::generate()))? {
            tracing::warn!(
                "created the master key file {}: keep it apart from database backups \
                 (or set HOOKYARD_MASTER_KEY / --master-key-file)",
                path.display()
            );
        }
        MasterKey::read(path)
    }

    /// Seals `plaintext`, bound to `context` (which must be given to open it).
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 seals any length we store");
        [nonce.as_slice(), &sealed].concat()
    }

    /// Opens what [`MasterKey::seal`] sealed with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            bail!("sealed value too short");
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at NONCE_LEN");
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("cannot open a value sealed under master key {}", self.id))
    }
}

/// Creates `path` readable and writable by its owner only (mode 0600) with
/// `contents`, synced to disk; `false` when it already exists (left as it is).
pub fn create_owner_only(path: &Path, contents: &str) -> Result<bool> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(contents.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

/// The current master key, and the previous one during a rotation.
pub struct Keyring {
    pub current: MasterKey,
    pub previous: Option<MasterKey>,
}

impl Keyring {
    /// The key with this id, if the ring holds it.
    pub fn get(&self, id: &str) -> Option<&MasterKey> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let key = MasterKey::parse(&MasterKey::generate()).unwrap();
        let other = MasterKey::parse(&MasterKey::generate()).unwrap();
        let sealed = key.seal(b"whsec_abc", "src_1/sec_1");
        assert!(!sealed.windows(9).any(|w| w == b"whsec_abc"));
        assert_eq!(key.open(&sealed, "src_1/sec_1").unwrap(), b"whsec_abc");
        assert!(
            key.open(&sealed, "src_2/sec_1").is_err(),
            "bound to its row"
        );
        assert!(other.open(&sealed, "src_1/sec_1").is_err());
        assert_ne!(key.id, other.id);
        assert_ne!(sealed, key.seal(b"whsec_abc", "src_1/sec_1"), "fresh nonce");
    }

    #[test]
    fn master_keys_must_be_32_bytes_of_hex() {
        assert!(MasterKey::parse("abcd").is_err());
        assert!(MasterKey::parse(&"zz".repeat(32)).is_err());
        assert!(MasterKey::parse(&format!("  {}\n", "ab".repeat(32))).is_ok());
    }
}
