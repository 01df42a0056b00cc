//! `hookyard plugin new`: a working adapter to start from, in Rust,
//! JavaScript or Python.
//!
//! A connector author's first minutes decide whether they finish: the scaffold
//! is a complete adapter for the most common scheme (hex HMAC-SHA256 of the
//! body in a header) that builds, passes its own conformance fixtures in the
//! sandbox (and natively, for Rust) and round-trips `sign`. The three
//! languages' templates implement the same scheme, so they share one set of
//! fixtures, signed here with the host's own HMAC: right by construction. The
//! author edits the scheme and regenerates them from the vendor's examples.
//! The Rust template is a declared adapter (`hookyard_sdk::declare`): the
//! scheme and where the type and id live, no hand-written `verify` or `sign`.

use anyhow::{Context as _, Result, bail};
use hookyard_crypto::{HmacAlgorithm, hmac};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A language `plugin new` can scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Rust,
    Js,
    Python,
}

/// Each language's files: path in the adapter folder, template.
fn templates(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Rust => &[
            (
                "Cargo.toml",
                include_str!("../templates/rust/Cargo.toml.tmpl"),
            ),
            ("src/lib.rs", include_str!("../templates/rust/lib.rs.tmpl")),
            (
                "events.txt",
                include_str!("../templates/rust/events.txt.tmpl"),
            ),
            (
                "tests/fixtures.rs",
                include_str!("../templates/rust/fixtures.rs.tmpl"),
            ),
        ],
        Lang::Js => &[
            (
                "package.json",
                include_str!("../templates/js/package.json.tmpl"),
            ),
            (
                "package-lock.json",
                include_str!("../templates/js/package-lock.json.tmpl"),
            ),
            (
                "src/adapter.js",
                include_str!("../templates/js/adapter.js.tmpl"),
            ),
        ],
        Lang::Python => &[
            ("app.py", include_str!("../templates/python/app.py.tmpl")),
            (
                "requirements.txt",
                include_str!("../templates/python/requirements.txt"),
            ),
        ],
    }
}

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

    fn fill(&self, template: &str, root: &str) -> String {
        template
            .replace("{{name}}", &self.name)
            .replace("{{lib}}", &self.lib)
            .replace("{{Type}}", &self.type_name)
            .replace("{{display}}", &self.display)
            .replace("{{sdk}}", &format!("{root}sdk"))
            .replace("{{wit}}", &format!("{root}wit"))
    }
}

/// Writes a new adapter into `parent/NAME` and returns that folder. The
/// templates refer to the checkout's `sdk/` (Rust) or `wit/` (JavaScript);
/// both are found from `parent` inside a Hookyard checkout, else from `sdk`,
/// the checkout's `sdk` folder. Inside a checkout, a JavaScript or Python
/// adapter is added to the workspace's `exclude` list (`plugins/*` is a Cargo
/// glob, and a folder without `Cargo.toml` would break cargo).
pub fn new_adapter(name: &str, lang: Lang, parent: &Path, sdk: Option<&Path>) -> Result<PathBuf> {
    let names = Names::new(name)?;
    if parent.join(&names.name).exists() {
        bail!("{} already exists", parent.join(&names.name).display());
    }
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let parent = parent.canonicalize()?;
    let checkout = checkout_of(&parent);
    // The checkout's root as the templates spell it: relative from inside.
    let root = match (sdk, &checkout) {
        (Some(sdk), _) => {
            let sdk = sdk
                .canonicalize()
                .with_context(|| format!("--sdk {}", sdk.display()))?;
            let root = sdk.parent().context("--sdk has no parent folder")?;
            format!("{}/", root.display())
        }
        (None, Some((_, up))) => up.clone(),
        (None, None) => bail!(
            "{} is not inside a Hookyard checkout: pass --sdk PATH/TO/hookyard/sdk",
            parent.display()
        ),
    };
    let dir = parent.join(&names.name);
    for (file, template) in templates(lang) {
        write(&dir.join(file), &names.fill(template, &root))?;
    }
    for (file, fixture) in fixtures() {
        write(
            &dir.join("fixtures").join(file),
            &(serde_json::to_string_pretty(&fixture)? + "\n"),
        )?;
    }
    if let (Lang::Js | Lang::Python, Some((root, _))) = (lang, &checkout) {
        exclude_from_workspace(root, &dir)?;
    }
    Ok(dir)
}

/// The Hookyard checkout `parent` lies in, and the way up to it from a folder
/// in `parent` (`../../`).
fn checkout_of(parent: &Path) -> Option<(PathBuf, String)> {
    let mut up = String::from("../");
    for ancestor in parent.ancestors() {
        let manifest = ancestor.join("sdk/Cargo.toml");
        if std::fs::read_to_string(&manifest)
            .is_ok_and(|text| text.contains("name = \"hookyard-sdk\""))
        {
            return Some((ancestor.to_path_buf(), up));
        }
        up.push_str("../");
    }
    None
}

/// Adds `dir` to `[workspace] exclude` in the checkout's `Cargo.toml`.
fn exclude_from_workspace(root: &Path, dir: &Path) -> Result<()> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)?;
    let mut manifest: toml_edit::DocumentMut = text.parse().context("parsing Cargo.toml")?;
    let relative = dir
        .strip_prefix(root)
        .context("the adapter is outside the checkout")?
        .to_string_lossy()
        .into_owned();
    let exclude = manifest["workspace"]["exclude"]
        .or_insert(toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()
        .context("[workspace] exclude is not an array")?;
    if !exclude
        .iter()
        .any(|v| v.as_str() == Some(relative.as_str()))
    {
        exclude.push(relative);
    }
    std::fs::write(&path, manifest.to_string())
        .with_context(|| format!("writing {}", path.display()))
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
    fn the_rust_template_declares_the_scheme_the_fixtures_are_signed_with() {
        let (_, lib) = templates(Lang::Rust)
            .iter()
            .find(|(file, _)| *file == "src/lib.rs")
            .unwrap();
        assert!(lib.contains("impl Declared for {{Type}}"), "{lib}");
        assert!(
            lib.contains(r#"Scheme::body_hmac("X-Signature", Hmac::Sha256, Encoding::Hex)"#),
            "{lib}"
        );
        assert!(
            lib.contains(r#".event_type(Field::pointer("/type"))"#),
            "{lib}"
        );
        assert!(lib.contains(r#".dedup_id(Field::pointer("/id"))"#), "{lib}");
        assert!(
            !lib.contains("fn sign("),
            "the SDK signs for a declared scheme"
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
    fn the_checkout_is_found_from_anywhere_in_it() {
        let checkout = tempdir();
        std::fs::create_dir_all(checkout.join("sdk")).unwrap();
        std::fs::write(checkout.join("sdk/Cargo.toml"), "name = \"hookyard-sdk\"\n").unwrap();
        std::fs::create_dir_all(checkout.join("plugins")).unwrap();
        assert_eq!(
            checkout_of(&checkout.join("plugins")),
            Some((checkout.clone(), "../../".to_string()))
        );
        let elsewhere = tempdir();
        assert_eq!(checkout_of(&elsewhere), None);
        for dir in [checkout, elsewhere] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn js_and_python_adapters_join_the_workspace_exclude_list() {
        let checkout = tempdir();
        std::fs::create_dir_all(checkout.join("sdk")).unwrap();
        std::fs::write(checkout.join("sdk/Cargo.toml"), "name = \"hookyard-sdk\"\n").unwrap();
        std::fs::write(
            checkout.join("Cargo.toml"),
            "[workspace]\nmembers = [\"plugins/*\"]\n# kept\nexclude = [\"plugins/a-js\"]\n",
        )
        .unwrap();
        let plugins = checkout.join("plugins");
        new_adapter("b-js", Lang::Js, &plugins, None).unwrap();
        new_adapter("c-py", Lang::Python, &plugins, None).unwrap();
        new_adapter("d-rs", Lang::Rust, &plugins, None).unwrap();
        let manifest = std::fs::read_to_string(checkout.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("# kept"), "{manifest}");
        assert!(
            manifest.contains(r#"exclude = ["plugins/a-js", "plugins/b-js", "plugins/c-py"]"#),
            "{manifest}"
        );
        let package = std::fs::read_to_string(plugins.join("b-js/package.json")).unwrap();
        assert!(package.contains("--wit ../../wit"), "{package}");
        assert!(package.contains("dist/b_js.wasm"), "{package}");
        let cargo = std::fs::read_to_string(plugins.join("d-rs/Cargo.toml")).unwrap();
        assert!(cargo.contains(r#"path = "../../sdk""#), "{cargo}");
        std::fs::remove_dir_all(checkout).unwrap();
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hookyard-scaffold-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
