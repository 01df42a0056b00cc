//! The command line: `send`, `source`, `destination`, `deliveries` and
//! `replay` against a running server, and the
//! offline `plugin test`, `plugin inspect`, `plugin docs` and `plugin new`.

use hookyard_e2e::{ADMIN_TOKEN, Server, binary, bundled_plugins, repo_root};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn hookyard(args: &[&str]) -> (bool, String) {
    let output = Command::new(binary())
        .args(args)
        .current_dir(repo_root())
        .env("HOOKYARD_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("HOOKYARD_LOG", "warn")
        // The servers' compile cache: JavaScript and Python adapters take
        // seconds to compile (`send` loads the adapter it signs with).
        .env(
            "HOOKYARD_CACHE_DIR",
            repo_root().join("target/plugin-cache"),
        )
        .output()
        .expect("running hookyard");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn send_signs_like_the_vendor_and_the_server_accepts_it() {
    let server = Server::start().await;
    let cases = [
        (
            "github",
            "It's a Secret to Everybody",
            Some("push"),
            json!({"ref": "refs/heads/main"}),
        ),
        (
            "stripe",
            "whsec_test_secret",
            None,
            json!({"id": "evt_1", "type": "charge.succeeded", "data": {"object": {"id": "ch_1"}}}),
        ),
        (
            "standard-webhooks",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            None,
            json!({"type": "user.created", "data": {}}),
        ),
        (
            "svix",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            None,
            json!({"type": "user.created", "data": {}}),
        ),
        (
            "shopify",
            "shpss_secret",
            Some("orders/create"),
            json!({"id": 1}),
        ),
        (
            "slack",
            "8f742231b10e8888abcd99yyyzzz85a5",
            None,
            json!({"type": "event_callback", "event_id": "Ev1", "event": {"type": "message"}}),
        ),
        (
            "generic-hmac",
            "generic",
            None,
            json!({"type": "thing.happened", "id": "t1"}),
        ),
        // The JavaScript and Python twins sign like their Rust twins.
        (
            "shopify-js",
            "shpss_secret",
            Some("orders/create"),
            json!({"id": 820982911946154508_u64}),
        ),
        (
            "stripe-py",
            "whsec_test_secret",
            None,
            json!({"id": "evt_2", "type": "charge.succeeded", "data": {"object": {"id": "ch_2"}}}),
        ),
    ];
    for (preset, secret, event, body) in cases {
        let source = server.create_source(preset, &[secret], json!({})).await;
        let url = format!("{}/webhooks/{}", server.base, source.key);
        let body = body.to_string();
        let mut args = vec!["send", "--preset", preset, "--secret", secret, "--to", &url];
        if let Some(event) = event {
            args.extend(["--event", event]);
        }
        args.push(&body);
        let (ok, output) = hookyard(&args);
        assert!(ok, "{preset}: {output}");
        assert!(
            output.contains("\"status\":\"accepted\""),
            "{preset}: {output}"
        );
        assert_eq!(server.events(&source.id).await.len(), 1, "{preset}");
    }
}

/// For every preset: sign its adapter's `valid.json` fixture body (or
/// `valid-PRESET.json`) with
/// `hookyard send`, and the server must accept it. Only adapters whose secret
/// is the vendor's public key cannot sign.
#[tokio::test]
async fn send_output_is_accepted_for_every_preset_that_signs() {
    let server = Server::start().await;
    let (status, presets) = server
        .api(reqwest::Method::GET, "/api/v1/presets", None)
        .await;
    assert_eq!(status, 200);
    let presets = presets.as_array().unwrap();
    assert!(presets.len() >= 40, "{} presets", presets.len());
    for preset in presets {
        assert!(preset["event_types"].is_array(), "{preset}");
        assert_eq!(preset["settings_schema"]["type"], "object", "{preset}");
    }
    let mut cannot_sign = Vec::new();
    let mut refused = Vec::new();
    let mut accepted = 0;
    for preset in presets {
        let name = preset["name"].as_str().unwrap();
        let plugin = preset["plugin"].as_str().unwrap();
        // A preset that narrows its adapter may have a fixture of its own.
        let fixtures = repo_root().join(format!("plugins/{plugin}/fixtures"));
        let own = fixtures.join(format!("valid-{name}.json"));
        let path = if own.exists() {
            own
        } else {
            fixtures.join("valid.json")
        };
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let secret = fixture["secrets"][0].as_str().unwrap();
        let settings = fixture.get("settings").cloned().unwrap_or(json!({}));
        let source = server
            .create_source(name, &[secret], settings.clone())
            .await;
        let url = format!("{}/webhooks/{}", server.base, source.key);
        let body = fixture["request"]["body"].as_str().unwrap_or_default();
        let settings = settings.to_string();
        let mut args = vec![
            "send",
            "--preset",
            name,
            "--secret",
            secret,
            "--settings",
            &settings,
            "--to",
            &url,
        ];
        if let Some(event) = fixture["expect"]["events"][0]["type"].as_str() {
            args.extend(["--event", event]);
        }
        args.push(body);
        let (ok, output) = hookyard(&args);
        if output.contains("cannot sign") {
            cannot_sign.push(name.to_string());
            continue;
        }
        if ok && output.starts_with("200") && !server.events(&source.id).await.is_empty() {
            accepted += 1;
        } else {
            refused.push(format!("{name}: {output}"));
        }
    }
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
    assert_eq!(cannot_sign, ["discord", "sendgrid"]);
    assert!(
        accepted >= 40,
        "only {accepted} presets accepted what send signed"
    );
}

#[test]
fn plugin_test_passes_for_every_bundled_adapter_and_fails_with_a_diff_when_a_fixture_lies() {
    let mut tested = 0;
    for entry in std::fs::read_dir(bundled_plugins()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "wasm") {
            continue;
        }
        let (ok, output) = hookyard(&["plugin", "test", path.to_str().unwrap()]);
        assert!(ok, "{}: {output}", path.display());
        assert!(output.contains(" 0 failed"), "{output}");
        tested += 1;
    }
    assert!(tested >= 6, "only {tested} adapters found");

    // Change one expected outcome: the run must fail and say what differs.
    let fixtures = tempfile::tempdir().unwrap();
    let source = repo_root().join("plugins/github/fixtures");
    let mut changed = false;
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let mut fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !changed && fixture["expect"]["events"][0]["type"].is_string() {
            fixture["expect"]["events"][0]["type"] = json!("not.the.type");
            changed = true;
        }
        std::fs::write(
            fixtures.path().join(path.file_name().unwrap()),
            fixture.to_string(),
        )
        .unwrap();
    }
    assert!(changed, "github fixtures include a valid delivery");
    let wasm = bundled_plugins().join("github.wasm");
    let (ok, output) = hookyard(&[
        "plugin",
        "test",
        wasm.to_str().unwrap(),
        "--fixtures",
        fixtures.path().to_str().unwrap(),
    ]);
    assert!(!ok, "a changed fixture must fail: {output}");
    assert!(output.contains("FAIL"), "{output}");
    assert!(output.contains("expected not.the.type, got"), "{output}");
}

#[test]
fn plugin_inspect_prints_the_manifest() {
    let wasm = bundled_plugins().join("stripe.wasm");
    let (ok, output) = hookyard(&["plugin", "inspect", "--json", wasm.to_str().unwrap()]);
    assert!(ok, "{output}");
    let manifest: Value = serde_json::from_str(&output).unwrap();
    assert_eq!(manifest["name"], "stripe");
    assert_eq!(manifest["sha256"].as_str().unwrap().len(), 64);
    assert!(manifest["secrets"][0]["required"].as_bool().unwrap());
}

#[tokio::test]
async fn source_commands_manage_a_running_server() {
    let server = Server::start().await;
    let (ok, output) = hookyard(&[
        "source",
        "add",
        "--json",
        "--server",
        &server.base,
        "--name",
        "shop",
        "--preset",
        "shopify",
        "--secret",
        "s1",
    ]);
    assert!(ok, "{output}");
    let created: Value = serde_json::from_str(&output).unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["preset"], "shopify");

    let (ok, output) = hookyard(&["source", "disable", "--server", &server.base, id]);
    assert!(ok, "{output}");
    let (ok, output) = hookyard(&["source", "show", "--json", "--server", &server.base, id]);
    assert!(
        ok && serde_json::from_str::<Value>(&output).unwrap()["enabled"] == false,
        "{output}"
    );
    let (ok, output) = hookyard(&["source", "list", "--server", &server.base]);
    assert!(ok && output.contains(id), "{output}");
    let (ok, output) = hookyard(&["presets", "--server", &server.base]);
    assert!(
        ok && output.contains("stripe") && output.contains("svix"),
        "{output}"
    );
    let (ok, output) = hookyard(&[
        "source",
        "list",
        "--server",
        &server.base,
        "--token",
        "wrong",
    ]);
    assert!(!ok && output.contains("401"), "{output}");
}

#[test]
fn the_committed_preset_reference_matches_the_adapters() {
    let plugins = bundled_plugins();
    let (ok, generated) = hookyard(&["plugin", "docs", "--plugins", plugins.to_str().unwrap()]);
    assert!(ok, "{generated}");
    let committed = std::fs::read_to_string(repo_root().join("docs/presets.md")).unwrap();
    assert!(
        generated == committed,
        "docs/presets.md is stale: run `./dev docs` and commit the result"
    );
    assert!(generated.contains("<a id=\"github\"></a>"), "{generated}");
}

/// `plugin new` gives a crate that passes its own tests natively and its
/// fixtures in the real sandbox; a second run or a bad name is refused.
#[test]
fn plugin_new_scaffolds_an_adapter_that_passes_its_fixtures_in_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let sdk = repo_root().join("sdk");
    let new = |name: &str| {
        hookyard(&[
            "plugin",
            "new",
            name,
            "--dir",
            dir.path().to_str().unwrap(),
            "--sdk",
            sdk.to_str().unwrap(),
        ])
    };
    let (ok, output) = new("acme-pay");
    assert!(ok, "{output}");
    let (ok, output) = new("acme-pay");
    assert!(!ok && output.contains("already exists"), "{output}");
    let (ok, output) = new("Acme_Pay");
    assert!(!ok && output.contains("a-z"), "{output}");

    let crate_dir = dir.path().join("acme-pay");
    let manifest = crate_dir.join("Cargo.toml");
    // Its own target dir: the workspace's is locked by the running `cargo test`.
    let target = repo_root().join("target/scaffold-test");
    let cargo = |args: &[&str]| {
        let status = Command::new(env!("CARGO"))
            .args(args)
            .args(["--manifest-path", manifest.to_str().unwrap()])
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("running cargo");
        assert!(status.success(), "cargo {args:?} failed");
    };
    cargo(&["test", "--quiet"]);
    cargo(&["build", "--release", "--target", "wasm32-wasip2"]);
    let wasm = target.join("wasm32-wasip2/release/acme_pay.wasm");
    let (ok, output) = hookyard(&[
        "plugin",
        "test",
        wasm.to_str().unwrap(),
        "--fixtures",
        crate_dir.join("fixtures").to_str().unwrap(),
    ]);
    assert!(ok, "{output}");
    assert!(output.contains("6 passed, 0 failed"), "{output}");
}

/// The JavaScript and Python scaffolds implement the same scheme as the Rust
/// one and pass the same six fixtures in the sandbox, built with the pinned
/// componentize-js (npm) and componentize-py (the venv `./dev setup` makes).
#[test]
fn plugin_new_scaffolds_js_and_python_adapters_that_pass_the_same_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let sdk = repo_root().join("sdk");
    let run = |program: &Path, args: &[&str], cwd: &Path| {
        let status = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .status()
            .unwrap_or_else(|e| panic!("running {}: {e}", program.display()));
        assert!(status.success(), "{} {args:?} failed", program.display());
    };
    for (name, lang) in [("acme-js", "js"), ("acme-py", "python")] {
        let (ok, output) = hookyard(&[
            "plugin",
            "new",
            name,
            "--lang",
            lang,
            "--dir",
            dir.path().to_str().unwrap(),
            "--sdk",
            sdk.to_str().unwrap(),
        ]);
        assert!(ok, "{output}");
    }

    let js = dir.path().join("acme-js");
    run(
        Path::new("npm"),
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
        &js,
    );
    run(Path::new("npm"), &["run", "--silent", "build"], &js);

    let py = dir.path().join("acme-py");
    let py_wasm = dir.path().join("acme_py.wasm");
    let wit = repo_root().join("wit");
    run(
        &repo_root().join("target/venv-componentize/bin/componentize-py"),
        &[
            "--quiet",
            "-d",
            wit.to_str().unwrap(),
            "-w",
            "adapter-world",
            "componentize",
            "app",
            "-p",
            py.to_str().unwrap(),
            "--stub-wasi",
            "-o",
            py_wasm.to_str().unwrap(),
        ],
        dir.path(),
    );

    for (wasm, crate_dir) in [(js.join("dist/acme_js.wasm"), &js), (py_wasm, &py)] {
        let (ok, output) = hookyard(&[
            "plugin",
            "test",
            wasm.to_str().unwrap(),
            "--fixtures",
            crate_dir.join("fixtures").to_str().unwrap(),
        ]);
        assert!(ok, "{}: {output}", wasm.display());
        assert!(output.contains("6 passed, 0 failed"), "{output}");
    }
}

#[tokio::test]
async fn destinations_deliveries_and_replays_from_the_command_line() {
    let server = Server::start().await;
    let source = server
        .create_source("github", &["cli-secret"], json!({}))
        .await;
    let (ok, out) = hookyard(&[
        "destination",
        "add",
        "--json",
        "--server",
        &server.base,
        "--name",
        "ci",
        "--url",
        "http://127.0.0.1:9/hooks",
        "--header",
        "X-Team: platform",
        "--event-types",
        "push,pull_request.*",
        "--sources",
        &source.id,
        "--filter",
        "$.repository[?@ == 'octo/app']",
        "--coalesce-key",
        "$.subject",
        "--quiet",
        "2s",
        "--max-wait",
        "1m",
    ]);
    assert!(ok, "{out}");
    let created: Value = serde_json::from_str(&out).expect(&out);
    assert!(
        created["secret"].as_str().unwrap().starts_with("whsec_"),
        "{created}"
    );
    assert_eq!(created["headers"], json!({"X-Team": "platform"}));
    assert_eq!(created["event_types"], json!(["push", "pull_request.*"]));
    assert_eq!(created["source_ids"], json!([source.id]));
    assert_eq!(
        created["coalesce"],
        json!({"key": "$.subject", "quiet_ms": 2000, "max_wait_ms": 60000})
    );
    let id = created["id"].as_str().unwrap();

    let (ok, out) = hookyard(&[
        "destination",
        "add",
        "--server",
        &server.base,
        "--name",
        "bad",
        "--url",
        "http://127.0.0.1:9/",
        "--filter",
        "$[oops",
    ]);
    assert!(!ok && out.contains("not a JSONPath"), "{out}");

    let (ok, out) = hookyard(&[
        "destination",
        "disable",
        "--json",
        "--server",
        &server.base,
        id,
    ]);
    assert!(ok && out.contains("\"enabled\": false"), "{out}");
    let (ok, out) = hookyard(&[
        "deliveries",
        "--json",
        "--server",
        &server.base,
        "--state",
        "dead",
    ]);
    assert!(ok, "{out}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["data"],
        json!([])
    );
    let (ok, out) = hookyard(&["replay", "--server", &server.base, "--event", "evt_missing"]);
    assert!(!ok && out.contains("404"), "{out}");
    let (ok, out) = hookyard(&[
        "replay",
        "--json",
        "--server",
        &server.base,
        "--source",
        &source.id,
        "--since",
        "2000-01-01T00:00:00Z",
    ]);
    assert!(ok, "{out}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["events"], 0);
    let (ok, out) = hookyard(&["destination", "delete", "--server", &server.base, id]);
    assert!(ok, "{out}");
    let (ok, out) = hookyard(&["destination", "list", "--json", "--server", &server.base]);
    assert!(
        ok && serde_json::from_str::<Value>(&out).unwrap() == json!([]),
        "{out}"
    );
}
