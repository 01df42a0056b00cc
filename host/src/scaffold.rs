//! `hookyard plugin new`: a working adapter to start from.
//!
//! A connector author's first minutes decide whether they finish: the scaffold
//! is a complete adapter for the most common scheme (hex HMAC-SHA256 of the
//! body in a header) that builds, passes its own conformance fixtures natively
//! and in the sandbox, and round-trips `sign`. The fixtures are signed here
//! with the host's own HMAC, so they are right by construction; the author
//! edits the scheme and regenerates them from the vendor's examples.

use anyhow::{Context as _, Result, bail};
use hookyard_crypto::{HmacAlgorithm, hmac};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const CARGO_TOML: &str = include_str!("../templates/rust/Cargo.toml.tmpl");
const LIB_RS: &str = include_str!("../templates/rust/lib.rs.tmpl");
const FIXTURES_RS: &str = include_str!("../templates/rust/fixtures.rs.tmpl");

/// The fixtures' secrets and clock.
const SECRET: &str = "scaffold-secret";
const OLD_SECRET: &str = "scaffold-secret-old";
const NOW: i64 = 1_763_800_000;

/// The names one adapter name turns into.
struct Names {
    /// `acme-pay`: manifest, preset and folder name.
    name: String,
    /// `acme_pay`: the Rust library and `.wasm` file name.
    lib: String,
    /// `AcmePay`: the adapter type.
    type_name: String,
    /// `Acme Pay`: the display name.
    display: String,
}

impl Names {
    fn new(name: &str) -> Result<Names> {
        let valid = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.ends_with('-')
            && !name.contains("--");
        if !valid {
            bail!(
                "adapter name {name:?}: use 1-64 characters of a-z, 0-9 and single dashes, starting with a letter"
            );
        }
        let words: Vec<String> = name
            .split('-')
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        Ok(Names {
            name: name.to_string(),
            lib: name.replace('-', "_"),
            type_name: words.concat(),
            display: words.join(" "),
        })
    }

    fn fill(&self, template: &str, sdk: &str) -> String {
        template
            .replace("{{name}}", &self.name)
            .replace("{{lib}}", &self.lib)
            .replace("{{Type}}", &self.type_name)
            .replace("{{display}}", &self.display)
            .replace("{{sdk}}", sdk)
    }
}

/// Writes a new Rust adapter into `parent/NAME` and returns that folder.
/// `sdk` is the `hookyard-sdk` crate; found automatically inside a Hookyard
/// checkout.
pub fn new_rust(name: &str, parent: &Path, sdk: Option<&Path>) -> Result<PathBuf> {
    let names = Names::new(name)?;
    let dir = parent.join(&names.name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let parent = parent.canonicalize()?;
    let sdk = match sdk {
        Some(sdk) => sdk
            .canonicalize()
            .with_context(|| format!("--sdk {}", sdk.display()))?
            .display()
            .to_string(),
        None => sdk_in_checkout(&parent).with_context(|| {
            format!(
                "{} is not inside a Hookyard checkout: pass --sdk PATH/TO/hookyard/sdk",
                parent.display()
            )
        })?,
    };
    let files = [
        ("Cargo.toml", names.fill(CARGO_TOML, &sdk)),
        ("src/lib.rs", names.fill(LIB_RS, &sdk)),
        ("tests/fixtures.rs", names.fill(FIXTURES_RS, &sdk)),
    ];
    let dir = parent.join(&names.name);
    for (file, text) in files {
        write(&dir.join(file), &text)?;
    }
    for (file, fixture) in fixtures() {
        write(
            &dir.join("fixtures").join(file),
            &(serde_json::to_string_pretty(&fixture)? + "\n"),
        )?;
    }
    Ok(dir)
}

/// The SDK path relative to the new crate (`../../sdk`), when `parent` lies
/// inside a Hookyard checkout.
fn sdk_in_checkout(parent: &Path) -> Option<String> {
    let mut up = String::from("../");
    for ancestor in parent.ancestors() {
        let manifest = ancestor.join("sdk/Cargo.toml");
        if std::fs::read_to_string(&manifest)
            .is_ok_and(|text| text.contains("name = \"hookyard-sdk\""))
        {
            return Some(format!("{up}sdk"));
        }
        up.push_str("../");
    }
    None
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The scaffold's conformance cases, signed as the template verifies.
fn fixtures() -> Vec<(&'static str, Value)> {
    let body = r#"{"id":"evt_1","type":"example.created","data":{"answer":42}}"#;
    let sign = |secret: &str, body: &str| {
        hex::encode(hmac(
            HmacAlgorithm::Sha256,
            secret.as_bytes(),
            body.as_bytes(),
        ))
    };
    let case = |description: &str,
                signature: Option<String>,
                body: &str,
                secrets: &[&str],
                expect: Value| {
        let mut headers = json!({"Content-Type": "application/json"});
        if let Some(signature) = signature {
            headers["X-Signature"] = Value::String(signature);
        }
        json!({
            "description": description,
            "request": {"headers": headers, "body": body},
            "secrets": secrets,
            "now": NOW,
            "expect": expect,
        })
    };
    let accepted =
        json!({"verify": "ok", "events": [{"type": "example.created", "dedup_id": "evt_1"}]});
    let tampered = body.replace("42", "43");
    vec![
        (
            "valid.json",
            case(
                "a valid delivery",
                Some(sign(SECRET, body)),
                body,
                &[SECRET],
                accepted.clone(),
            ),
        ),
        (
            "rotated-secret.json",
            case(
                "signed with the older of two active secrets",
                Some(sign(OLD_SECRET, body)),
                body,
                &[SECRET, OLD_SECRET],
                accepted,
            ),
        ),
        (
            "tampered-body.json",
            case(
                "the body changed after signing",
                Some(sign(SECRET, body)),
                &tampered,
                &[SECRET],
                json!({"verify": "bad_signature"}),
            ),
        ),
        (
            "wrong-secret.json",
            case(
                "signed with another secret",
                Some(sign("not-the-secret", body)),
                body,
                &[SECRET],
                json!({"verify": "bad_signature"}),
            ),
        ),
        (
            "missing-header.json",
            case(
                "no X-Signature header",
                None,
                body,
                &[SECRET],
                json!({"verify": "missing_signature"}),
            ),
        ),
        (
            "no-secret.json",
            case(
                "a source without a secret rejects everything (fail closed)",
                Some(sign(SECRET, body)),
                body,
                &[],
                json!({"verify": "unauthorized"}),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_gives_every_spelling() {
        let names = Names::new("acme-pay2").unwrap();
        assert_eq!(
            (
                names.lib.as_str(),
                names.type_name.as_str(),
                names.display.as_str()
            ),
            ("acme_pay2", "AcmePay2", "Acme Pay2")
        );
    }

    #[test]
    fn bad_names_are_refused() {
        for name in [
            "",
            "Acme",
            "2fa",
            "acme_pay",
            "acme-",
            "a--b",
            &"a".repeat(65),
        ] {
            assert!(Names::new(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn the_sdk_is_found_from_anywhere_in_a_checkout() {
        let checkout = tempdir();
        std::fs::create_dir_all(checkout.join("sdk")).unwrap();
        std::fs::write(checkout.join("sdk/Cargo.toml"), "name = \"hookyard-sdk\"\n").unwrap();
        std::fs::create_dir_all(checkout.join("plugins")).unwrap();
        assert_eq!(
            sdk_in_checkout(&checkout.join("plugins")).as_deref(),
            Some("../../sdk")
        );
        let elsewhere = tempdir();
        assert_eq!(sdk_in_checkout(&elsewhere), None);
        for dir in [checkout, elsewhere] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hookyard-scaffold-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
