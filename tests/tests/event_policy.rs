//! A source's event types and its rule for types the adapter does not know,
//! through the real server (Stripe adapter, whose catalog lists `invoice.*`
//! and `charge.*` types).

use hookyard_e2e::{Server, Source, now, sign};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "whsec_policy";

async fn source(server: &Server, policy: Value) -> Source {
    let mut body = json!({"name": "stripe policy", "preset": "stripe", "secrets": [SECRET]});
    body.as_object_mut()
        .unwrap()
        .extend(policy.as_object().unwrap().clone());
    let (status, created) = server
        .api(Method::POST, "/api/v1/sources", Some(body))
        .await;
    assert_eq!(status, 201, "{created}");
    Source {
        id: created["id"].as_str().unwrap().to_string(),
        key: created["key"].as_str().unwrap().to_string(),
        url: created["url"].as_str().unwrap().to_string(),
    }
}

fn event(id: &str, event_type: &str) -> sign::Signed {
    let body = json!({"id": id, "object": "event", "type": event_type, "data": {"object": {}}});
    sign::stripe(SECRET, now(), &body.to_string())
}

fn stored_types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_type_list_keeps_only_the_chosen_events() {
    let server = Server::start().await;
    let source = source(&server, json!({"event_types": ["invoice.*"]})).await;

    let (status, answer) = server
        .deliver(&source.key, &event("evt_1", "invoice.paid"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["status"], "accepted");
    let (status, answer) = server
        .deliver(&source.key, &event("evt_2", "charge.refunded"))
        .await;
    assert_eq!((status, answer), (200, json!({"status": "ignored"})));
    // Unknown to the catalog but matching the list: stored, and counted.
    let (status, _) = server
        .deliver(&source.key, &event("evt_3", "invoice.brand_new"))
        .await;
    assert_eq!(status, 200);

    let events = server.events(&source.id).await;
    assert_eq!(stored_types(&events), ["invoice.paid", "invoice.brand_new"]);
    let outcomes: Vec<Value> = server
        .requests(&source.id)
        .await
        .iter()
        .map(|r| r["outcome"].clone())
        .collect();
    assert_eq!(
        outcomes,
        [json!("accepted"), json!("ignored"), json!("accepted")]
    );

    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        format!(
            "hookyard_events_skipped_total{{source=\"{}\"}} 1",
            source.id
        ),
        format!(
            "hookyard_unknown_event_types_total{{source=\"{}\",adapter=\"stripe\"}} 1",
            source.id
        ),
    ] {
        assert!(metrics.contains(&line), "missing {line} in\n{metrics}");
    }
}

#[tokio::test]
async fn unknown_types_are_rejected_or_dropped_as_the_source_says() {
    let server = Server::start().await;
    let reject = source(&server, json!({"unknown_types": "reject"})).await;
    let (status, answer) = server
        .deliver(&reject.key, &event("evt_1", "brand.new"))
        .await;
    assert_eq!(
        (status, answer),
        (422, json!({"error": "unknown_event_type"}))
    );
    let (status, _) = server
        .deliver(&reject.key, &event("evt_2", "charge.refunded"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        stored_types(&server.events(&reject.id).await),
        ["charge.refunded"]
    );
    let log = server.requests(&reject.id).await;
    let refused = &log[1];
    assert_eq!(refused["outcome"], "unknown_event_type");
    assert!(
        refused["reason"].as_str().unwrap().contains("brand.new"),
        "{refused}"
    );

    let drop = source(&server, json!({"unknown_types": "drop"})).await;
    let (status, answer) = server
        .deliver(&drop.key, &event("evt_1", "brand.new"))
        .await;
    assert_eq!((status, answer), (200, json!({"status": "ignored"})));
    assert!(server.events(&drop.id).await.is_empty());

    // The operator changes their mind: from now on the type is stored.
    let (status, changed) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", drop.id),
            Some(json!({"unknown_types": "accept"})),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["unknown_types"], "accept");
    let (status, _) = server
        .deliver(&drop.key, &event("evt_1", "brand.new"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(stored_types(&server.events(&drop.id).await), ["brand.new"]);
}

#[tokio::test]
async fn bad_policies_are_refused_with_a_reason() {
    let server = Server::start().await;
    for (policy, needle) in [
        (json!({"unknown_types": "ignore"}), "unknown_types"),
        (json!({"event_types": [""]}), "empty"),
    ] {
        let mut body = json!({"name": "bad", "preset": "stripe", "secrets": [SECRET]});
        body.as_object_mut()
            .unwrap()
            .extend(policy.as_object().unwrap().clone());
        let (status, answer) = server
            .api(Method::POST, "/api/v1/sources", Some(body))
            .await;
        assert_eq!(status, 422, "{policy}: {answer}");
        assert!(answer.to_string().contains(needle), "{policy}: {answer}");
    }

    let source = source(&server, json!({"event_types": ["invoice.paid"]})).await;
    let path = format!("/api/v1/sources/{}", source.id);
    let (_, shown) = server.api(Method::GET, &path, None).await;
    assert_eq!(shown["event_types"], json!(["invoice.paid"]));
    assert_eq!(shown["unknown_types"], "accept");
    let (status, cleared) = server
        .api(Method::PATCH, &path, Some(json!({"event_types": null})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(cleared["event_types"], Value::Null);
    let (status, answer) = server
        .deliver(&source.key, &event("evt_9", "charge.refunded"))
        .await;
    assert_eq!((status, answer["status"].clone()), (200, json!("accepted")));
}
