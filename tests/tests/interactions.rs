//! Discord interactions through the real server: a slash command and an
//! autocomplete request are stored as events *and* answered with the
//! adapter's own interaction response (contract 0.2 `reply`), which Discord
//! needs within three seconds. The requests are the adapter's signed
//! fixtures, accepted here with a wide `tolerance_seconds` since they were
//! signed at the fixtures' fixed clock.

use hookyard_e2e::Server;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../plugins/discord/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

async fn deliver(server: &Server, key: &str, case: &Value) -> (u16, Value) {
    let headers: Vec<(String, String)> = case["request"]["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let body = case["request"]["body"].as_str().unwrap().as_bytes();
    server.deliver_with(key, "POST", "", &headers, body).await
}

#[tokio::test]
async fn discord_commands_are_stored_and_answered_with_a_deferred_response() {
    let server = Server::start().await;
    let command = fixture("valid");
    let public_key = command["secrets"][0].as_str().unwrap();
    let source = server
        .create_source(
            "discord",
            &[public_key],
            json!({"tolerance_seconds": 1_000_000_000}),
        )
        .await;

    let (status, answer) = deliver(&server, &source.key, &command).await;
    assert_eq!((status, answer), (200, json!({"type": 5})));
    let (status, answer) = deliver(&server, &source.key, &fixture("autocomplete")).await;
    assert_eq!(
        (status, answer),
        (200, json!({"type": 8, "data": {"choices": []}}))
    );

    let events = server.events(&source.id).await;
    let mut types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    types.sort();
    assert_eq!(
        types,
        [
            "interaction.application_command",
            "interaction.application_command_autocomplete"
        ]
    );
    let stored = events
        .iter()
        .find(|e| e["type"] == "interaction.application_command")
        .unwrap();
    assert_eq!(stored["data"]["data"]["name"], "deploy");

    // A tampered command is refused (401, which Discord's checks require).
    let mut tampered = command.clone();
    tampered["request"]["body"] = json!(
        command["request"]["body"]
            .as_str()
            .unwrap()
            .replace("deploy", "destroy")
    );
    let (status, _) = deliver(&server, &source.key, &tampered).await;
    assert_eq!(status, 401);
    assert_eq!(server.events(&source.id).await.len(), 2);
}
