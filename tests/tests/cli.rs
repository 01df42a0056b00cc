//! The command line: `send`, `source`, `destination`, `deliveries` and
//! `replay` against a running server, and the
//! offline `plugin test`, `plugin inspect`, `plugin docs` and `plugin new`.

use hookyard_e2e::{ADMIN_TOKEN, Server, binary, bundled_plugins, repo_root, sign};
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
/// `hookyard send`, and the server must accept it. Only adapters whose vendor
/// signs with a private key (the secret is a public key, or there is none)
/// cannot sign.
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
        // Adapters whose trust is a certificate or a setting have no secret.
        let secret = fixture["secrets"][0].as_str().unwrap_or_default();
        let secrets: &[&str] = if secret.is_empty() { &[] } else { &[secret] };
        let settings = fixture.get("settings").cloned().unwrap_or(json!({}));
        let source = server.create_source(name, secrets, settings.clone()).await;
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
    cannot_sign.sort();
    assert_eq!(
        cannot_sign,
        [
            "apple-app-store",
            "aws-sns",
            "discord",
            "google-play",
            "google-pubsub",
            "kinde",
            "paypal",
            "plaid",
            "sendgrid",
            "telnyx",
            "wise"
        ]
    );
    assert!(
        accepted >= 100,
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
    // Two pushes, one the filter wants: its delivery is held (pending) while
    // the destination is disabled; the state filter tells it from none dead.
    let mut wanted = String::new();
    for (n, repo) in ["octo/app", "octo/lib"].into_iter().enumerate() {
        let body = json!({"ref": "refs/heads/main", "repository": {"full_name": repo}});
        let signed =
            hookyard_e2e::sign::github("cli-secret", "push", &format!("p{n}"), &body.to_string());
        let (status, answer) = server.deliver(&source.key, &signed).await;
        assert_eq!(status, 200, "{answer}");
        if repo == "octo/app" {
            wanted = answer["events"][0].as_str().unwrap().to_string();
        }
    }
    let list = |state: &str| {
        let (ok, out) = hookyard(&[
            "deliveries",
            "--json",
            "--server",
            &server.base,
            "--state",
            state,
        ]);
        assert!(ok, "{out}");
        serde_json::from_str::<Value>(&out).unwrap()["data"].clone()
    };
    let pending = list("pending");
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
    assert_eq!(pending[0]["event_id"], wanted.as_str());
    assert_eq!(list("dead"), json!([]));
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
    let replayed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&replayed["events"], &replayed["deliveries"]),
        (&json!(2), &json!(1)),
        "both events, one wanted by the filter: {replayed}"
    );
    let (ok, out) = hookyard(&["destination", "delete", "--server", &server.base, id]);
    assert!(ok, "{out}");
    let (ok, out) = hookyard(&["destination", "list", "--json", "--server", &server.base]);
    assert!(
        ok && serde_json::from_str::<Value>(&out).unwrap() == json!([]),
        "{out}"
    );
}

/// Runs the CLI against `server` (`--server` added); returns success and
/// stdout followed by stderr.
fn against(server: &Server, args: &[&str]) -> (bool, String) {
    let mut all = args.to_vec();
    all.extend(["--server", &server.base]);
    hookyard(&all)
}

/// Like [`against`] with `--json`: the answer, parsed (the run must succeed).
fn json_of(server: &Server, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let (ok, out) = against(server, &all);
    assert!(ok, "{args:?}: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// The value of `key` in a `key: value` block.
fn field<'a>(block: &'a str, key: &str) -> Option<&'a str> {
    block
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
}

/// The lines of a table that contain `needle`.
fn rows_with<'a>(table: &'a str, needle: &str) -> Vec<&'a str> {
    table.lines().filter(|line| line.contains(needle)).collect()
}

const STRIPE_SECRET: &str = "whsec_test_secret";

/// Signs and sends one Stripe event with `hookyard send`; returns its output.
fn send_stripe(url: &str, secret: &str, id: &str, event_type: &str) -> String {
    let body =
        json!({"id": id, "type": event_type, "data": {"object": {"id": format!("obj_{id}")}}});
    let (_, out) = hookyard(&[
        "send",
        "--preset",
        "stripe",
        "--secret",
        secret,
        "--to",
        url,
        &body.to_string(),
    ]);
    out
}

#[tokio::test]
async fn a_source_is_shown_and_deleted_by_name_and_an_unknown_name_gets_a_suggestion() {
    let server = Server::start().await;
    let (ok, out) = against(
        &server,
        &[
            "source",
            "add",
            "--name",
            "payments",
            "--preset",
            "stripe",
            "--secret",
            STRIPE_SECRET,
        ],
    );
    assert!(ok, "{out}");
    // For people: the URL to paste first, and how to try it.
    assert!(out.starts_with("url:"), "{out}");
    assert!(
        out.contains(&format!("{}/webhooks/wh_", server.base)),
        "{out}"
    );
    assert!(out.contains("hookyard send --preset stripe"), "{out}");
    let listed = json_of(&server, &["source", "list"]);
    let id = listed[0]["id"].as_str().unwrap().to_string();

    let shown = json_of(&server, &["source", "show", "payments"]);
    assert_eq!(
        (shown["id"].as_str(), shown["name"].as_str()),
        (Some(id.as_str()), Some("payments"))
    );
    let (ok, out) = against(&server, &["source", "show", "payments"]);
    assert!(ok, "{out}");
    assert_eq!(field(&out, "id"), Some(id.as_str()), "{out}");
    assert_eq!(field(&out, "name"), Some("payments"), "{out}");
    assert_eq!(
        field(&out, "preset"),
        Some("stripe (adapter stripe)"),
        "{out}"
    );
    let (ok, out) = against(&server, &["source", "disable", "payments"]);
    assert!(ok && field(&out, "enabled") == Some("no"), "{out}");

    let (ok, out) = against(&server, &["source", "show", "paymnets"]);
    assert!(!ok, "{out}");
    assert!(out.contains("did you mean \"payments\"?"), "{out}");

    let (ok, out) = against(&server, &["source", "delete", "payments"]);
    assert!(
        ok && out.contains(&format!("deleted source payments ({id})")),
        "{out}"
    );
    assert_eq!(json_of(&server, &["source", "list"]), json!([]));
    let (status, _) = server
        .api(reqwest::Method::GET, &format!("/api/v1/sources/{id}"), None)
        .await;
    assert_eq!(status, 404);
    let (ok, out) = against(&server, &["source", "delete", "payments"]);
    assert!(
        !ok && out.contains("no source has the id or name \"payments\""),
        "{out}"
    );
}

#[tokio::test]
async fn events_and_requests_list_what_was_sent_and_filters_leave_out_the_rest() {
    let server = Server::start().await;
    let add = |name: &str, preset: &str, secret: &str| {
        json_of(
            &server,
            &[
                "source", "add", "--name", name, "--preset", preset, "--secret", secret,
            ],
        )["url"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let payments = add("payments", "stripe", STRIPE_SECRET);
    let other = add("other", "stripe", "whsec_other_secret");

    let out = send_stripe(
        &payments,
        STRIPE_SECRET,
        "evt_a",
        "payment_intent.succeeded",
    );
    assert!(out.starts_with("200 OK\n"), "{out}");
    assert!(out.contains("\"status\":\"accepted\""), "{out}");
    assert!(
        out.contains("signed with target/plugins/stripe.wasm (stripe "),
        "{out}"
    );
    // Received a little later: the time filters tell it from the first.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert!(send_stripe(&payments, STRIPE_SECRET, "evt_b", "charge.refunded").starts_with("200"));
    let refused = send_stripe(&payments, "whsec_wrong", "evt_c", "charge.failed");
    assert!(refused.starts_with("401"), "{refused}");
    assert!(
        send_stripe(&other, "whsec_other_secret", "evt_d", "charge.refunded").starts_with("200")
    );

    // Events: everything, then by source, by type, by time.
    let (ok, all) = against(&server, &["events"]);
    assert!(ok, "{all}");
    assert!(all.starts_with("RECEIVED"), "{all}");
    assert_eq!(rows_with(&all, "payments").len(), 2, "{all}");
    assert_eq!(rows_with(&all, "other").len(), 1, "{all}");
    assert_eq!(rows_with(&all, "charge.refunded").len(), 2, "{all}");
    let (_, mine) = against(&server, &["events", "--source", "payments"]);
    assert_eq!(rows_with(&mine, "payments").len(), 2, "{mine}");
    assert!(rows_with(&mine, "other").is_empty(), "{mine}");
    let (_, refunds) = against(
        &server,
        &["events", "--source", "payments", "--type", "charge.*"],
    );
    assert_eq!(rows_with(&refunds, "charge.refunded").len(), 1, "{refunds}");
    assert!(!refunds.contains("payment_intent.succeeded"), "{refunds}");
    let listed = json_of(&server, &["events", "--source", "payments"]);
    let second = &listed["data"][1];
    assert_eq!(second["type"], "charge.refunded", "{listed}");
    let since = second["received_at"].as_str().unwrap();
    let (_, recent) = against(&server, &["events", "--since", since]);
    assert!(!recent.contains("payment_intent.succeeded"), "{recent}");
    assert_eq!(rows_with(&recent, "charge.refunded").len(), 2, "{recent}");
    let (_, last_hour) = against(&server, &["events", "--since", "1h"]);
    assert_eq!(rows_with(&last_hour, "evt_").len(), 3, "{last_hour}");
    let (_, future) = against(&server, &["events", "--since", "2999-01-01T00:00:00Z"]);
    assert_eq!(future, "no events\n");

    // One event, with its data.
    let event_id = second["id"].as_str().unwrap();
    let (ok, shown) = against(&server, &["event", "show", event_id]);
    assert!(ok, "{shown}");
    assert_eq!(field(&shown, "type"), Some("charge.refunded"), "{shown}");
    assert!(
        field(&shown, "source").is_some_and(|s| s.starts_with("payments (src_")),
        "{shown}"
    );
    assert!(shown.contains("\"id\": \"obj_evt_b\""), "{shown}");

    // The request log: refusals too, by outcome and time.
    let (ok, log) = against(&server, &["requests", "--source", "payments"]);
    assert!(ok, "{log}");
    assert_eq!(rows_with(&log, "accepted").len(), 2, "{log}");
    assert_eq!(rows_with(&log, "rejected").len(), 1, "{log}");
    assert!(rows_with(&log, "other").is_empty(), "{log}");
    let (_, rejected) = against(
        &server,
        &["requests", "--source", "payments", "--outcome", "rejected"],
    );
    let rows = rows_with(&rejected, "payments");
    assert_eq!(rows.len(), 1, "{rejected}");
    assert!(
        rows[0].contains("401") && rows[0].contains("bad_signature"),
        "{rejected}"
    );
    let (_, recent) = against(
        &server,
        &["requests", "--source", "payments", "--since", since],
    );
    assert_eq!(rows_with(&recent, "accepted").len(), 1, "{recent}");
    assert_eq!(rows_with(&recent, "rejected").len(), 1, "{recent}");
    let (_, everything) = against(&server, &["requests", "--since", "1h"]);
    assert_eq!(rows_with(&everything, "req_").len(), 4, "{everything}");

    let (ok, out) = against(&server, &["events", "--since", "yesterday"]);
    assert!(!ok && out.contains("an age (30m, 1h, 2d"), "{out}");
    let (status, answer) = server
        .api(
            reqwest::Method::GET,
            "/api/v1/requests?since=yesterday",
            None,
        )
        .await;
    assert_eq!(
        (status, &answer["error"]),
        (422, &json!("invalid")),
        "{answer}"
    );
}

#[tokio::test]
async fn delivery_show_prints_every_attempt_of_a_delivery() {
    let receiver =
        hookyard_e2e::receiver::Receiver::start("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").await;
    receiver.set_mode("fail").await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "100ms,100ms")]).await;
    let source = server
        .create_source("github", &["cli-secret"], json!({}))
        .await;
    // Named by name, spaces and all: the source is "github test".
    let (ok, out) = against(
        &server,
        &[
            "destination",
            "add",
            "--name",
            "rx",
            "--url",
            &receiver.url,
            "--secret",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "--sources",
            "github test",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(field(&out, "sources"), Some(source.id.as_str()), "{out}");
    let (_, out) = hookyard(&[
        "send",
        "--preset",
        "github",
        "--secret",
        "cli-secret",
        "--event",
        "push",
        "--to",
        &source.url,
        r#"{"ref":"refs/heads/main","repository":{"full_name":"octo/app"}}"#,
    ]);
    assert!(out.starts_with("200"), "{out}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let dead = loop {
        let page = json_of(
            &server,
            &["deliveries", "--destination", "rx", "--state", "dead"],
        );
        if let Some(dead) = page["data"].as_array().and_then(|rows| rows.first()) {
            break dead.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no dead letter: {page}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let id = dead["id"].as_str().unwrap();
    let (ok, listed) = against(&server, &["deliveries", "--destination", "rx"]);
    assert!(ok, "{listed}");
    let row = rows_with(&listed, id);
    assert!(
        row.len() == 1 && row[0].contains("dead") && row[0].ends_with("rx"),
        "{listed}"
    );

    let (ok, shown) = against(&server, &["delivery", "show", id]);
    assert!(ok, "{shown}");
    assert_eq!(field(&shown, "state"), Some("dead"), "{shown}");
    assert_eq!(field(&shown, "attempts"), Some("3"), "{shown}");
    assert!(
        field(&shown, "destination").is_some_and(|d| d.starts_with("rx (dst_")),
        "{shown}"
    );
    for n in 1..=3 {
        let line = shown
            .lines()
            .find(|line| line.starts_with(&format!("  #{n}  ")))
            .unwrap_or_else(|| panic!("no attempt {n} in\n{shown}"));
        assert!(line.contains("status 500"), "{line}");
    }
    assert!(!shown.contains("  #4  "), "{shown}");
    let (ok, out) = against(&server, &["delivery", "show", "dlv_missing"]);
    assert!(!ok && out.contains("404"), "{out}");
}

#[tokio::test]
async fn presets_show_explains_one_preset_and_unknown_presets_get_the_closest_name() {
    let server = Server::start().await;
    let (ok, out) = against(&server, &["presets", "show", "stripe"]);
    assert!(ok, "{out}");
    assert_eq!(field(&out, "vendor"), Some("Stripe"), "{out}");
    let secret = field(&out, "secret").unwrap_or_default();
    assert!(
        secret.starts_with("Signing secret (required") && secret.contains("whsec_"),
        "{out}"
    );
    assert!(
        field(&out, "docs").is_some_and(|d| d.starts_with("https://")),
        "{out}"
    );
    assert!(
        field(&out, "settings").is_some_and(|s| s.starts_with("tolerance_seconds (integer)")),
        "{out}"
    );
    assert!(out.contains("\n  payment_intent.succeeded"), "{out}");
    let (status, one) = server
        .api(reqwest::Method::GET, "/api/v1/presets/stripe", None)
        .await;
    assert_eq!(status, 200);
    let (_, all) = server
        .api(reqwest::Method::GET, "/api/v1/presets", None)
        .await;
    assert_eq!(
        Some(&one),
        all.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "stripe")
    );
    assert_eq!(json_of(&server, &["presets", "show", "stripe"]), one);

    let (status, missing) = server
        .api(reqwest::Method::GET, "/api/v1/presets/strpe", None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        missing,
        json!({"error": "not_found", "message": "preset \"strpe\" not found; did you mean \"stripe\"?", "field": null})
    );
    let (ok, out) = against(&server, &["presets", "show", "strpe"]);
    assert!(!ok && out.contains("did you mean \"stripe\"?"), "{out}");
    let (ok, out) = against(
        &server,
        &[
            "source", "add", "--name", "x", "--preset", "githb", "--secret", "s",
        ],
    );
    assert!(
        !ok && out.contains("unknown preset \"githb\"; did you mean \"github\"?"),
        "{out}"
    );
}

#[tokio::test]
async fn json_output_is_the_apis_json_for_every_list() {
    let server = Server::start().await;
    server.create_source("github", &["s"], json!({})).await;
    for (args, list) in [
        (&["presets"][..], "/api/v1/presets"),
        (&["source", "list"], "/api/v1/sources"),
        (&["destination", "list"], "/api/v1/destinations"),
        (&["token", "list"], "/api/v1/tokens"),
        (&["plugin", "list"], "/api/v1/plugins"),
    ] {
        let (_, expected) = server.api(reqwest::Method::GET, list, None).await;
        assert_eq!(json_of(&server, args), expected, "{args:?}");
    }
    for args in [&["events"][..], &["requests"], &["deliveries"], &["audit"]] {
        let page = json_of(&server, args);
        assert!(page["data"].is_array(), "{args:?}: {page}");
    }
    // Without --json, a table.
    let (ok, out) = against(&server, &["source", "list"]);
    assert!(
        ok && out.starts_with("ID  ") && serde_json::from_str::<Value>(&out).is_err(),
        "{out}"
    );
}

#[test]
fn plugin_new_names_the_adapter_in_its_next_steps() {
    // A checkout-like folder: a workspace with plugins/ in it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"plugins/*\"]\n",
    )
    .unwrap();
    let sdk = repo_root().join("sdk");
    let plugins = dir.path().join("plugins");
    let (ok, out) = hookyard(&[
        "plugin",
        "new",
        "acme-hooks",
        "--dir",
        plugins.to_str().unwrap(),
        "--sdk",
        sdk.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert!(
        out.contains("next: cargo test -p hookyard-adapter-acme-hooks and ./dev setup"),
        "{out}"
    );
    assert!(!out.contains("NAME"), "{out}");
    // Elsewhere, the crate is its own.
    let (ok, out) = hookyard(&[
        "plugin",
        "new",
        "acme-hooks",
        "--dir",
        dir.path().to_str().unwrap(),
        "--sdk",
        sdk.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("next: cargo test --manifest-path "), "{out}");
    assert!(out.contains("acme-hooks/Cargo.toml"), "{out}");
}

/// `send` signs GitHub as GitHub would: the header carries the event, the
/// stored type adds the body's action, and without a type only a ping can
/// be signed (the event name is not in the body).
#[tokio::test]
async fn send_gives_github_the_event_header_it_would_send() {
    let server = Server::start().await;
    let source = server
        .create_source("github", &["cli-secret"], json!({}))
        .await;
    let opened = r#"{"action":"opened","number":1,"repository":{"full_name":"octo/app"}}"#;
    let send = |event: Option<&str>, body: &str| {
        let mut args = vec!["send", "--preset", "github", "--secret", "cli-secret"];
        args.extend(["--to", source.url.as_str()]);
        if let Some(event) = event {
            args.extend(["--event", event]);
        }
        args.push(body);
        hookyard(&args)
    };
    let (ok, out) = send(Some("pull_request.opened"), opened);
    assert!(ok, "{out}");
    let (ok, out) = send(Some("pull_request.closed"), opened);
    assert!(
        !ok && out.contains(r#"the body's action is "opened""#),
        "{out}"
    );
    let (ok, out) = send(None, opened);
    assert!(!ok && out.contains("--event"), "{out}");
    let (ok, out) = send(None, r#"{"zen":"Keep it simple.","hook_id":1}"#);
    assert!(ok, "{out}");
    let types: Vec<Value> = server
        .events(&source.id)
        .await
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(types, [json!("pull_request.opened"), json!("ping")]);
}

/// The files `serve` keeps next to a SQLite database hold credentials: a
/// `git add .` must not pick them up.
#[test]
fn the_key_and_token_files_next_to_the_database_are_git_ignored() {
    for file in [
        "hookyard.db.key",
        "hookyard.db.admin-token",
        "data/other.db.key",
    ] {
        let ignored = Command::new("git")
            .args(["check-ignore", "-q", "--no-index", file])
            .current_dir(repo_root())
            .status()
            .expect("running git");
        assert!(ignored.success(), "{file} is not ignored by .gitignore");
    }
}

/// `destination preview` lists what a subscription would match among the
/// recent events and warns when its filter matches none; `destination add`
/// prints the same warning and creates the destination all the same.
#[tokio::test]
async fn destination_preview_lists_matches_and_add_warns_about_a_filter_matching_nothing() {
    let server = Server::start().await;
    let source = server
        .create_source("github", &["cli-secret"], json!({}))
        .await;
    for (n, branch) in ["feature/a", "main"].iter().enumerate() {
        let body = json!({ "action": "opened", "number": n,
                           "pull_request": { "head": { "ref": branch } } })
        .to_string();
        let signed = sign::github("cli-secret", "pull_request", &format!("d-{n}"), &body);
        assert_eq!(server.deliver(&source.key, &signed).await.0, 200);
    }
    let events = server.events(&source.id).await;
    let (ok, output) = hookyard(&[
        "destination",
        "preview",
        "--server",
        &server.base,
        "--event-types",
        "pull_request.*",
        "--filter",
        "$.pull_request.head[?search(@, '^feature/')]",
    ]);
    assert!(ok, "{output}");
    assert!(
        output.contains(events[0]["id"].as_str().unwrap()),
        "{output}"
    );
    assert!(
        !output.contains(events[1]["id"].as_str().unwrap()),
        "{output}"
    );
    assert!(output.contains("1 of the 2 recent events"), "{output}");
    assert!(!output.contains("warning"), "{output}");

    let wrong = "$.pull_request.head[?search(@.ref, '^feature/')]";
    let (ok, output) = hookyard(&[
        "destination",
        "preview",
        "--server",
        &server.base,
        "--event-types",
        "pull_request.*",
        "--filter",
        wrong,
    ]);
    assert!(ok, "{output}");
    let warning = "warning: the filter matches none of the 2 recent events of these types";
    assert!(output.contains(warning), "{output}");

    let (ok, output) = hookyard(&[
        "destination",
        "add",
        "--server",
        &server.base,
        "--name",
        "bus",
        "--nats-url",
        "nats://127.0.0.1:4222",
        "--subject",
        "x",
        "--event-types",
        "pull_request.*",
        "--filter",
        wrong,
    ]);
    assert!(ok, "{output}");
    assert!(output.contains(warning), "{output}");
    assert_eq!(server.query_count("SELECT COUNT(*) FROM destinations"), 1);
}
