//! Azure Event Grid webhook subscriptions, in both delivery schemas:
//! - Event Grid schema: a JSON array of events (`eventType`, `id`,
//!   `subject`, `eventTime`), `aeg-event-type: Notification`; the
//!   subscription is validated first with `aeg-event-type:
//!   SubscriptionValidation`, answered with the code ([`handshake`]);
//! - CloudEvents 1.0 schema: `application/cloudevents+json` (one event) or
//!   `application/cloudevents-batch+json` (an array), `type`, `id`,
//!   `subject`, `time`; validated by an HTTP `OPTIONS` preflight.
//!
//! One event per element. Authentication is a shared secret in the endpoint
//! URL's query or a header ([`auth`]); the `OPTIONS` preflight is answered
//! without it, since Event Grid sends no delivery headers with it and the
//! answer grants nothing: every delivery is still authenticated. Microsoft
//! Entra ID tokens are checked instead of (or as well as) the secret when
//! the source has the Entra settings ([`entra`]).

use hookyard_sdk::prelude::*;

pub mod auth;
pub mod entra;
pub mod handshake;

pub struct AzureEventGrid;

impl Declared for AzureEventGrid {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "azure-event-grid",
            "Azure Event Grid",
            "Azure Event Grid webhook subscriptions (Event Grid and CloudEvents 1.0 schemas)"
        )
        .docs("https://learn.microsoft.com/azure/event-grid/webhook-event-delivery")
        .secrets(&[Secret::optional(
            "Endpoint secret",
            "A long random value you choose. Put it in the event subscription's endpoint URL as ?code=<secret> (Azure portal: Event Subscription > Endpoint details > Webhook endpoint), or as a delivery property header (Additional features > Delivery properties: Authorization = Bearer <secret>, marked secret). Optional only with Microsoft Entra ID authentication (settings entra_*).",
        )])
        .events_file(include_str!("../events.txt"))
        .settings(auth::SETTINGS)
        .fetch_origins(&[entra::ORIGIN])
        .discriminator(DiscriminatorLocation::Body, "/*/eventType")
        .discriminator_note(
            "one event per element: eventType (Event Grid schema) or type (CloudEvents); a single CloudEvent is one event",
        ),
        &auth::SharedKey,
    )
    .event_type(Field::first(&[
        Field::pointer("/eventType"),
        Field::pointer("/type"),
    ]))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/subject"))
    .time(Time::first(&[
        Time::iso8601("/eventTime"),
        Time::iso8601("/time"),
    ]))
    .each("")
    .user_agent("Microsoft-Azure-EventGrid");

    /// The preflight needs no credential, only a configured source.
    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        if handshake::preflight(request).is_none() {
            return Self::DECLARATION.verify(request, context);
        }
        let settings: auth::Settings = context.settings().map_err(VerifyError::Malformed)?;
        if settings.entra()?.is_none() && context.secrets.is_empty() {
            return Err(VerifyError::Unauthorized("no secret configured".into()));
        }
        Ok(())
    }

    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        if let Some(answer) = handshake::preflight(request) {
            return Ok(Outcome::Respond(answer));
        }
        let body = request.json()?;
        if let Some(answer) = handshake::validation(request, &body) {
            return answer.map(Outcome::Respond);
        }
        let events = match body {
            Value::Array(_) => body,
            // A single CloudEvent (application/cloudevents+json).
            Value::Object(_) => Value::Array(vec![body]),
            _ => {
                return Err(HandleError::Malformed(
                    "the body is not an event array".into(),
                ));
            }
        };
        Self::DECLARATION
            .mapping
            .events_in(request, &events)
            .map(Outcome::Events)
    }
}

hookyard_sdk::export_adapter!(AzureEventGrid);
