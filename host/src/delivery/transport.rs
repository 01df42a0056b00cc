//! How a claimed batch leaves the server: the message, and the two transports.
//!
//! Every event goes out as a CloudEvents 1.0 JSON event (a coalesced batch as
//! a CloudEvents JSON batch, an array). HTTP destinations get a POST signed
//! per Standard Webhooks with the destination's secret (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature`, using the reference
//! `standardwebhooks` crate) plus `X-Signature-256: sha256=<hex>` (HMAC-SHA256
//! of the body under the secret string, GitHub's convention) for receivers
//! with a simpler check. NATS JetStream destinations get a publish with
//! `Nats-Msg-Id` = the message id, so the stream drops a redelivery within its
//! duplicate window, and count as delivered only once the stream's PubAck
//! arrives (JetStream stores before it acknowledges). The message id is the
//! event id for one event and the first delivery's id for a batch, so a retry
//! or a redelivery after a crash carries the same id.
//!
//! Both carry the W3C trace context (`crate::telemetry`): a `traceparent`
//! header (HTTP, and a NATS message header) naming the attempt, and in each
//! CloudEvent the distributed-tracing extension's `traceparent` attribute,
//! naming where the event's trace started (its request).

use super::retry::parse_retry_after;
use super::ssrf::{AddressPolicy, check_url};
use crate::store::claim::Claimed;
use crate::store::events::StoredEvent;
pub use crate::store::outbox::ReceiverAnswer;
use crate::telemetry::spans;
use async_nats::jetstream;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;
use tracing::Span;

/// One delivery's payload.
pub struct Message {
    pub id: String,
    pub body: Vec<u8>,
    pub content_type: &'static str,
    /// The W3C trace context sent with it, if any.
    pub traceparent: Option<String>,
}

impl Message {
    /// [`Message::of`], and the span of its attempt to `destination_id`,
    /// whose trace context it carries.
    pub fn traced(claimed: &Claimed, destination_id: &str) -> (Message, Span) {
        let mut message = Message::of(claimed);
        let span = spans::attempt(destination_id, &message.id, &claimed.events);
        let request_id = &claimed.events[0].request_id;
        message.traceparent = Some(spans::outgoing_traceparent(&span, request_id));
        (message, span)
    }

    pub fn of(claimed: &Claimed) -> Message {
        if claimed.coalesced {
            let batch: Vec<Value> = claimed.events.iter().map(cloud_event).collect();
            Message {
                id: claimed.deliveries[0].id.clone(),
                body: serde_json::to_vec(&batch).expect("JSON values serialize"),
                content_type: "application/cloudevents-batch+json",
                traceparent: None,
            }
        } else {
            let event = &claimed.events[0];
            Message {
                id: event.id.clone(),
                body: serde_json::to_vec(&cloud_event(event)).expect("JSON values serialize"),
                content_type: "application/cloudevents+json",
                traceparent: None,
            }
        }
    }
}

/// What a CloudEvent is made of: a stored event, or the event feed's view
/// of one (`hookyard listen` forwards those exactly as a destination gets
/// them).
pub struct EventFacts<'a> {
    pub id: &'a str,
    pub source_id: &'a str,
    pub event_type: &'a str,
    /// When it happened at the vendor, else when it was received (RFC 3339).
    pub time: String,
    pub data: Value,
    pub dedup_id: &'a str,
    pub subject: Option<&'a str>,
    /// Where its trace started (CloudEvents distributed-tracing extension).
    pub traceparent: Option<String>,
}

/// An event in CloudEvents 1.0 JSON format.
pub fn cloud_event(event: &StoredEvent) -> Value {
    cloud_event_of(EventFacts {
        id: &event.id,
        source_id: &event.source_id,
        event_type: &event.event_type,
        time: super::router::event_time(event),
        data: serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null),
        dedup_id: &event.dedup_id,
        subject: event.subject.as_deref(),
        traceparent: Some(spans::event_traceparent(&event.request_id)),
    })
}

/// [`cloud_event`] of an event's facts.
pub fn cloud_event_of(event: EventFacts) -> Value {
    let mut ce = json!({
        "specversion": "1.0",
        "id": event.id,
        "source": format!("/sources/{}", event.source_id),
        "type": event.event_type,
        "time": event.time,
        "datacontenttype": "application/json",
        "data": event.data,
        "hookyarddedupid": event.dedup_id,
    });
    if let Some(subject) = event.subject {
        ce["subject"] = json!(subject);
    }
    if let Some(traceparent) = event.traceparent {
        ce["traceparent"] = json!(traceparent);
    }
    ce
}

/// What an attempt came to.
#[derive(Debug)]
pub struct Attempt {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub verdict: Verdict,
    /// What the receiver answered, when it did (HTTP).
    pub answer: Option<ReceiverAnswer>,
}

/// How much of a receiver's body is kept with each attempt.
pub const ANSWER_BODY_BYTES: usize = 1024;

#[derive(Debug, PartialEq)]
pub enum Verdict {
    Delivered,
    /// Try again; the receiver may have said when.
    Retry(Option<Duration>),
    /// 410 Gone: the receiver wants nothing more.
    Gone,
}

impl Attempt {
    fn failed(error: impl Into<String>) -> Attempt {
        Attempt {
            status: None,
            error: Some(error.into()),
            verdict: Verdict::Retry(None),
            answer: None,
        }
    }
}

pub enum Transport {
    Http(HttpTransport),
    Nats(NatsTransport),
    /// A stored destination the server cannot use as configured (say, an
    /// IP literal the SSRF guard no longer allows): every attempt fails with
    /// the reason, so its deliveries retry and dead-letter visibly.
    Unusable(String),
}

impl Transport {
    pub async fn send(&self, message: &Message, first: &StoredEvent) -> Attempt {
        match self {
            Transport::Http(http) => http.send(message).await,
            Transport::Nats(nats) => nats.send(message, first).await,
            Transport::Unusable(reason) => {
                Attempt::failed(format!("unusable destination: {reason}"))
            }
        }
    }
}

pub struct HttpTransport {
    pub client: reqwest::Client,
    pub policy: Arc<AddressPolicy>,
    pub url: reqwest::Url,
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
    pub secret: String,
}

impl HttpTransport {
    /// One signed POST of `message`; what the receiver answered.
    pub async fn send(&self, message: &Message) -> Attempt {
        if let Err(refused) = check_url(&self.policy, &self.url) {
            return Attempt::failed(format!("refused by the SSRF guard: {refused}"));
        }
        let signer = match standardwebhooks::Webhook::new(&self.secret) {
            Ok(signer) => signer,
            Err(e) => return Attempt::failed(format!("the destination's secret is unusable: {e}")),
        };
        let timestamp = chrono::Utc::now().timestamp();
        let signature = match signer.sign(&message.id, timestamp, &message.body) {
            Ok(signature) => signature,
            Err(e) => return Attempt::failed(format!("signing: {e}")),
        };
        let github_style = hex::encode(hookyard_crypto::hmac(
            hookyard_crypto::HmacAlgorithm::Sha256,
            self.secret.as_bytes(),
            &message.body,
        ));
        let mut request = self
            .client
            .post(self.url.clone())
            .timeout(self.timeout)
            .header("content-type", message.content_type);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(traceparent) = &message.traceparent {
            request = request.header("traceparent", traceparent);
        }
        let sent = request
            .header(standardwebhooks::HEADER_WEBHOOK_ID, &message.id)
            .header(standardwebhooks::HEADER_WEBHOOK_TIMESTAMP, timestamp)
            .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
            .header("x-signature-256", format!("sha256={github_style}"))
            .body(message.body.clone())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(e) => return Attempt::failed(describe(&e)),
        };
        let status = response.status();
        let status_line = format!("{:?} {status}", response.version());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
        let verdict = match status.as_u16() {
            200..=299 => Verdict::Delivered,
            410 => Verdict::Gone,
            _ => Verdict::Retry(retry_after),
        };
        let error = (!status.is_success()).then(|| {
            format!(
                "HTTP {status}{}",
                if status.is_redirection() {
                    " (redirects are not followed)"
                } else {
                    ""
                }
            )
        });
        let body = body_start(&mut response).await;
        Attempt {
            status: Some(status.as_u16()),
            error,
            verdict,
            answer: Some(ReceiverAnswer { status_line, body }),
        }
    }
}

/// The first [`ANSWER_BODY_BYTES`] of a response body; the rest is not read.
/// A body that fails midway (or runs into the attempt's timeout) keeps what
/// arrived.
async fn body_start(response: &mut reqwest::Response) -> String {
    let mut kept = Vec::new();
    while kept.len() < ANSWER_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = ANSWER_BODY_BYTES - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    // PostgreSQL's text holds no NUL.
    String::from_utf8_lossy(&kept).replace('\0', "\u{fffd}")
}

/// A reqwest error with its causes (timeout, refused connection, SSRF guard).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_string()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub struct NatsTransport {
    pub url: String,
    pub subject: String,
    /// Connected on first use, then shared by every attempt.
    context: OnceCell<jetstream::Context>,
}

impl NatsTransport {
    pub fn new(url: String, subject: String) -> NatsTransport {
        NatsTransport {
            url,
            subject,
            context: OnceCell::new(),
        }
    }

    async fn send(&self, message: &Message, first: &StoredEvent) -> Attempt {
        let context = match self
            .context
            .get_or_try_init(|| async {
                let client = async_nats::ConnectOptions::new()
                    .connection_timeout(Duration::from_secs(5))
                    .connect(self.url.as_str())
                    .await?;
                Ok::<_, async_nats::ConnectError>(jetstream::new(client))
            })
            .await
        {
            Ok(context) => context,
            Err(e) => return Attempt::failed(format!("connecting to {}: {e}", self.url)),
        };
        let subject = subject_for(&self.subject, first);
        let mut publish = jetstream::message::PublishMessage::build()
            .payload(message.body.clone().into())
            .message_id(&message.id)
            .header("content-type", message.content_type);
        if let Some(traceparent) = &message.traceparent {
            publish = publish.header("traceparent", traceparent.as_str());
        }
        let acked = match context.send_publish(subject.clone(), publish).await {
            Ok(ack) => tokio::time::timeout(Duration::from_secs(10), ack.into_future()).await,
            Err(e) => return Attempt::failed(format!("publishing to {subject}: {e}")),
        };
        match acked {
            Ok(Ok(_ack)) => Attempt {
                status: None,
                error: None,
                verdict: Verdict::Delivered,
                answer: None,
            },
            Ok(Err(e)) => Attempt::failed(format!("no PubAck from {subject}: {e}")),
            Err(_) => Attempt::failed(format!("no PubAck from {subject} within 10 s")),
        }
    }
}

/// Fills a subject template; each value becomes valid subject text (no
/// spaces or wildcards; dots in a value, as in `pull_request.opened`, stay
/// token separators).
pub fn subject_for(template: &str, event: &StoredEvent) -> String {
    let clean = |value: &str| -> String {
        value
            .chars()
            .map(|c| match c {
                ' ' | '\t' | '\r' | '\n' | '*' | '>' => '_',
                c => c,
            })
            .collect()
    };
    template
        .replace("{source_id}", &clean(&event.source_id))
        .replace("{type}", &clean(&event.event_type))
        .replace(
            "{subject}",
            &clean(event.subject.as_deref().unwrap_or("none")),
        )
        .replace("{event_id}", &clean(&event.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> StoredEvent {
        StoredEvent {
            seq: 1,
            xid: 0,
            id: "evt_1".into(),
            source_id: "src_1".into(),
            event_type: "pull_request.opened".into(),
            dedup_id: "d1".into(),
            subject: Some("a b*".into()),
            occurred_at: None,
            received_at: 1_700_000_000_000,
            plugin: "github".into(),
            plugin_version: "1".into(),
            plugin_hash: "h".into(),
            request_id: "req_1".into(),
            data: r#"{"n":1}"#.into(),
        }
    }

    #[test]
    fn subjects_are_filled_and_cleaned() {
        assert_eq!(
            subject_for("hooks.{source_id}.{type}.{subject}", &event()),
            "hooks.src_1.pull_request.opened.a_b_"
        );
    }

    #[test]
    fn events_are_cloud_events() {
        let ce = cloud_event(&event());
        assert_eq!(ce["specversion"], "1.0");
        assert_eq!(ce["id"], "evt_1");
        assert_eq!(ce["type"], "pull_request.opened");
        assert_eq!(ce["source"], "/sources/src_1");
        assert_eq!(ce["data"], json!({"n": 1}));
        assert_eq!(ce["time"], "2023-11-14T22:13:20.000Z");
        let traceparent = ce["traceparent"].as_str().unwrap();
        assert!(
            traceparent.starts_with("00-") && traceparent.len() == 55,
            "{traceparent}"
        );
    }
}
