//! The command line against a running server: `send`, `plugin test`,
//! `plugin inspect` and `source` commands.

use hookyard_e2e::{ADMIN_TOKEN, Server, binary, bundled_plugins, repo_root};
use serde_json::{Value, json};
use std::process::Command;

fn hookyard(args: &[&str]) -> (bool, String) {
    let output = Command::new(binary())
        .args(args)
        .current_dir(repo_root())
        .env("HOOKYARD_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("HOOKYARD_LOG", "warn")
        // The servers' compile cache: JavaScript and Python adapters take
        // seconds to compile, and `send` loads every adapter.
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
    let (ok, output) = hookyard(&["plugin", "inspect", wasm.to_str().unwrap()]);
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
    let (ok, output) = hookyard(&["source", "show", "--server", &server.base, id]);
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
