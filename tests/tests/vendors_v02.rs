//! Contract 0.2 vendor adapters end to end, on the real binary: an Amazon
//! SNS source whose fetch origins include a local key server. A
//! SubscriptionConfirmation is stored and its `SubscribeURL` called by the
//! host after the commit (the follow-up row `done`, the key server hit);
//! notifications verify against the certificate the host fetched once and
//! cached. Messages are signed here with the aws-sns adapter's test key
//! (`plugins/aws-sns/test-keys/`, certified until 2099 by its test CA).

use hookyard_e2e::key_server::KeyServer;
use hookyard_e2e::{Server, plugins_with, repo_root};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Value, json};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:e2e";

fn test_key(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("plugins/aws-sns/test-keys").join(name))
        .expect("the aws-sns test keys")
}

/// `message` with SNS's signature fields, signed as AWS documents
/// (SignatureVersion 1: SHA-1, 2: SHA-256) over its canonical string.
fn signed(mut message: Value, version: &str, cert_url: &str) -> Vec<u8> {
    let fields: &[&str] = if message["Type"] == "Notification" {
        &[
            "Message",
            "MessageId",
            "Subject",
            "Timestamp",
            "TopicArn",
            "Type",
        ]
    } else {
        &[
            "Message",
            "MessageId",
            "SubscribeURL",
            "Timestamp",
            "Token",
            "TopicArn",
            "Type",
        ]
    };
    let canonical: String = fields
        .iter()
        .filter_map(|f| message[*f].as_str().map(|v| format!("{f}\n{v}\n")))
        .collect();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&test_key("test-signer.pem")).unwrap();
    let signature = match version {
        "1" => SigningKey::<sha1::Sha1>::new(key)
            .sign(canonical.as_bytes())
            .to_vec(),
        _ => SigningKey::<sha2::Sha256>::new(key)
            .sign(canonical.as_bytes())
            .to_vec(),
    };
    use base64::Engine as _;
    let object = message.as_object_mut().unwrap();
    object.insert("SignatureVersion".into(), json!(version));
    object.insert(
        "Signature".into(),
        json!(base64::engine::general_purpose::STANDARD.encode(signature)),
    );
    object.insert("SigningCertURL".into(), json!(cert_url));
    serde_json::to_vec_pretty(&message).unwrap()
}

fn headers(kind: &str) -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), "text/plain; charset=UTF-8".into()),
        ("x-amz-sns-message-type".into(), kind.into()),
        ("x-amz-sns-topic-arn".into(), TOPIC.into()),
    ]
}

#[tokio::test]
async fn sns_confirms_its_subscription_and_fetches_the_certificate_once() {
    let keys = KeyServer::start(test_key("test-signer-cert-e2e.pem").as_bytes(), 3600).await;
    let server = Server::with_plugins(plugins_with(&["aws_sns.wasm"], &[])).await;
    let source = server.create_source("aws-sns", &[], json!({})).await;
    server
        .set_limits(&source.id, json!({"add_fetch_origins": [keys.origin]}))
        .await;
    let cert_url = format!("{}/SimpleNotificationService-e2e.pem", keys.origin);
    let subscribe_url = format!(
        "{}/confirm?Action=ConfirmSubscription&TopicArn={TOPIC}&Token=e2e-secret-token",
        keys.origin
    );

    let confirmation = json!({
        "Type": "SubscriptionConfirmation", "MessageId": "e2e-confirm-1",
        "Token": "e2e-secret-token", "TopicArn": TOPIC,
        "Message": "You have chosen to subscribe to the topic.",
        "SubscribeURL": subscribe_url, "Timestamp": "2026-01-14T23:59:58.123Z",
    });
    let body = signed(confirmation, "1", &cert_url);
    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "",
            &headers("SubscriptionConfirmation"),
            &body,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let events = server.events(&source.id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["type"], "sns.subscription_confirmation");
    assert_eq!(events[0]["dedup_id"], "e2e-confirm-1");
    let request_id = server.requests(&source.id).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The host calls SubscribeURL once the event is stored.
    let follow_up = server.settled_follow_up(&request_id).await;
    assert_eq!(follow_up["state"], "done", "{follow_up}");
    assert_eq!(follow_up["last_status"], 200);
    assert_eq!(keys.hits("/confirm"), 1);

    // Two notifications: verified with the certificate fetched once.
    for (n, version) in [(1, "2"), (2, "1")] {
        let notification = json!({
            "Type": "Notification", "MessageId": format!("e2e-note-{n}"), "TopicArn": TOPIC,
            "Subject": "e2e", "Message": format!("hello {n}"),
            "Timestamp": "2026-01-14T23:59:59.000Z",
        });
        let body = signed(notification, version, &cert_url);
        let (status, answer) = server
            .deliver_with(&source.key, "POST", "", &headers("Notification"), &body)
            .await;
        assert_eq!(status, 200, "{answer}");
    }
    let events = server.events(&source.id).await;
    let notifications: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "sns.notification")
        .collect();
    assert_eq!(notifications.len(), 2, "{events:?}");
    assert_eq!(keys.hits("/SimpleNotificationService-e2e.pem"), 1);

    // A tampered notification is refused with the cached certificate.
    let mut tampered: Value = serde_json::from_slice(&body).unwrap();
    tampered["Message"] = json!("hello 3");
    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "",
            &headers("Notification"),
            &serde_json::to_vec(&tampered).unwrap(),
        )
        .await;
    assert_eq!((status, &answer["error"]), (401, &json!("bad_signature")));
    assert_eq!(keys.hits("/SimpleNotificationService-e2e.pem"), 1);
}
