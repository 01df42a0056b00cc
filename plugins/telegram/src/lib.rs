//! Telegram Bot API webhooks: Telegram signs nothing; instead `setWebhook`'s
//! `secret_token` (1–256 characters of `A-Z a-z 0-9 _ -`) comes back verbatim in
//! the `X-Telegram-Bot-Api-Secret-Token` header of every update, and is compared
//! with the active secrets in constant time (a mismatch is `unauthorized`).
//! The body is one `Update` object: `update_id` plus exactly one optional field
//! naming its kind (`message`, `callback_query`, `my_chat_member`, ...), which
//! becomes the event type; `update_id` is the dedup id (Telegram resends the
//! same update until it gets a 2xx). The subject is the chat id, or the sender's
//! user id for updates without a chat (inline queries, callback queries from
//! inline messages). There is no handshake and no timestamp; the body is not
//! signed, so keep the webhook URL on HTTPS. To rotate, add the new token as a
//! second secret, call `setWebhook` with the new `secret_token`, then remove the
//! old one.

use hookyard_sdk::prelude::*;

pub struct Telegram;

const HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// The optional fields of `Update` (Bot API 9.x), each a kind of update.
const KINDS: &[(&str, &str)] = &[
    ("message", "New incoming message of any kind"),
    ("edited_message", "A known message was edited"),
    ("channel_post", "New incoming channel post"),
    ("edited_channel_post", "A known channel post was edited"),
    (
        "business_connection",
        "The bot was connected to or disconnected from a business account",
    ),
    (
        "business_message",
        "New message from a connected business account",
    ),
    (
        "edited_business_message",
        "A message from a connected business account was edited",
    ),
    (
        "deleted_business_messages",
        "Messages were deleted from a connected business account",
    ),
    ("message_reaction", "A user changed a reaction on a message"),
    (
        "message_reaction_count",
        "Anonymous reactions on a message changed",
    ),
    ("inline_query", "New incoming inline query"),
    (
        "chosen_inline_result",
        "An inline result was chosen by a user",
    ),
    ("callback_query", "New incoming callback query"),
    ("shipping_query", "New incoming shipping query"),
    ("pre_checkout_query", "New incoming pre-checkout query"),
    (
        "purchased_paid_media",
        "A user purchased paid media sent by the bot",
    ),
    ("poll", "New poll state"),
    (
        "poll_answer",
        "A user changed their answer in a non-anonymous poll",
    ),
    ("my_chat_member", "The bot's chat member status was updated"),
    ("chat_member", "A chat member's status was updated"),
    ("chat_join_request", "A request to join the chat was sent"),
    ("chat_boost", "A chat boost was added or changed"),
    ("removed_chat_boost", "A boost was removed from a chat"),
];

/// The kind of an update: its one field besides `update_id`.
fn update_kind(update: &hookyard_sdk::serde_json::Map<String, Value>) -> Option<&str> {
    update
        .keys()
        .map(String::as_str)
        .find(|key| *key != "update_id")
}

/// The chat the update belongs to, else the user who caused it.
fn subject(payload: &Value) -> Option<String> {
    ["/chat/id", "/message/chat/id", "/from/id", "/user/id"]
        .iter()
        .find_map(|pointer| json_string(payload, pointer))
}

impl Adapter for Telegram {
    fn manifest() -> Manifest {
        Manifest {
            name: "telegram".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Telegram".into(),
            description: "Telegram Bot API updates delivered by setWebhook".into(),
            docs_url: "https://core.telegram.org/bots/api#setwebhook".into(),
            secrets: vec![SecretSpec {
                label: "Secret token".into(),
                help: "The secret_token you pass to the Bot API's setWebhook method (1–256 characters: A–Z, a–z, 0–9, _ and -). Telegram shows it nowhere: choose a random value, call https://api.telegram.org/bot<bot token>/setWebhook?url=<this source's URL>&secret_token=<value>, and paste the same value here. It is not the bot token from @BotFather.".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: KINDS
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: String::new(),
                note: "the name of the Update's one field besides update_id, e.g. message or callback_query".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        token_matches_any(secrets, request.require_header(HEADER)?)
            .map_err(|_| VerifyError::Unauthorized(format!("{HEADER} does not match")))
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let update = body
            .as_object()
            .ok_or_else(|| HandleError::Malformed("an update must be a JSON object".into()))?;
        let kind = update_kind(update)
            .ok_or_else(|| HandleError::Malformed("the update has no content".into()))?;
        let payload = &update[kind];
        Ok(Outcome::Events(vec![Event {
            event_type: kind.to_string(),
            dedup_id: json_string(&body, "/update_id"),
            occurred_at: payload
                .get("date")
                .and_then(Value::as_i64)
                .map(|s| s * 1000),
            subject: subject(payload),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: HEADER.into(),
                    value: input.secret,
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Telegram);
