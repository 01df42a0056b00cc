//! Microsoft Teams outgoing webhooks: `Authorization: HMAC <base64
//! HMAC-SHA256(base64-decoded security token, raw body)>` (Microsoft Teams
//! platform docs, "Create Outgoing Webhooks" → "Verify HMAC token"; the
//! official Node and C# samples in OfficeDev/Microsoft-Teams-Samples compute
//! exactly this).
//!
//! Setup: in Teams, the team → ••• → Manage team → Apps → Create an outgoing
//! webhook, with this source's URL as the callback URL. Teams shows the
//! security token (base64) once: paste it here as it is; it is decoded before
//! use. It cannot be shown again or rotated: recreate the webhook for a new
//! one, and keep the old token here until the old webhook is gone.
//!
//! Teams posts a message activity each time someone @mentions the webhook in
//! a channel and shows the answer in the thread (within five seconds). With
//! the `reply_text` setting this adapter answers `{"type": "message", "text":
//! reply_text}` once the event is stored; without it, the host's usual `202`.
//! There is no handshake and no signed timestamp.
//!
//! Events: the type is the activity's `type` (`message`), the dedup id its
//! `id`, the subject the conversation (`conversation.id`: the channel
//! thread), the time its `timestamp` (RFC 3339).
//!
//! Catalog: the one activity Teams sends (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct TeamsOutgoing;

/// `Authorization: HMAC <base64>`, keyed with the base64-decoded token.
pub struct TeamsHmac;

const PREFIX: &str = "HMAC ";

fn mac(token: &str, body: &[u8]) -> Option<Vec<u8>> {
    Some(crypto::hmac_sha256(&base64_decode(token).ok()?, body))
}

impl SigningScheme for TeamsHmac {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let value = request.require_header("Authorization")?;
        let encoded = value
            .get(..PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PREFIX))
            .map(|_| &value[PREFIX.len()..])
            .ok_or_else(|| VerifyError::Malformed("Authorization must start with HMAC".into()))?;
        let provided = base64_decode(encoded).map_err(VerifyError::Malformed)?;
        // A token that is not base64 matches nothing.
        any_secret(secrets, &[provided], |token| {
            mac(token, &request.body).unwrap_or_default()
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let mac = mac(&input.secret, &input.body).ok_or("the security token is not base64")?;
        Ok(request.header("Authorization", format!("{PREFIX}{}", base64_encode(&mac))))
    }
}

impl Declared for TeamsOutgoing {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("teams-outgoing", "Microsoft Teams outgoing webhook", "Channel messages that @mention a Microsoft Teams outgoing webhook")
            .docs("https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook")
            .secret("Security token", "The security token Teams showed once when you created the outgoing webhook (team → Manage team → Apps → Create an outgoing webhook), as shown (base64).")
            .settings(&[("reply_text", r#"{"type": "string", "description": "When set, the text of the message answered to Teams (shown in the thread); otherwise the host's usual 202"}"#)])
            .events_file(include_str!("../events.txt")),
        &TeamsHmac,
    )
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/conversation/id"))
    .time(Time::rfc3339("/timestamp"));

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let outcome = Self::DECLARATION.handle_in(request, context)?;
        let reply = context
            .setting_text("reply_text")
            .map_err(HandleError::Malformed)?;
        let (events, text) = match (outcome, reply) {
            (Outcome::Events(events), Some(text)) => (events, text),
            (outcome, _) => return Ok(outcome),
        };
        let body = json!({"type": "message", "text": text}).to_string();
        Ok(Outcome::Reply(Reply {
            events,
            response: Some(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                body: body.into_bytes(),
            }),
            follow_up: None,
        }))
    }
}

hookyard_sdk::export_adapter!(TeamsOutgoing);
