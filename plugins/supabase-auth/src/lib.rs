//! Supabase Auth HTTP hooks (Before User Created, Custom Access Token, Send
//! SMS, Send Email, MFA and Password Verification Attempt), signed the
//! Standard Webhooks way (supabase.com/docs/guides/auth/auth-hooks, "Security
//! model"): headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")>`;
//! the hook secret reads `v1,whsec_<base64>` and the key is that base64 (the
//! docs strip `v1,whsec_` before handing it to the `standardwebhooks`
//! library). The timestamp must be within 300 s, the library's default.
//!
//! What to paste: the hook's secret as the dashboard shows it (Authentication →
//! Hooks → the hook → "Secret", `v1,whsec_…`; `v1,` may be left off). Rotating:
//! generate a new secret there, add it here, remove the old one once the hook
//! uses the new one. There is no handshake.
//!
//! A hook waits for its answer, so `handle` answers it as a hook that changes
//! nothing once the event is stored: `customize-access-token` gets its own
//! `claims` back, `mfa-verification` and `password-verification` get
//! `{"decision":"continue"}`, the others `{}` (a created user is allowed; an
//! email or SMS is not sent, so use those two hooks only if something reading
//! these events sends them). The answer waits for the events to be stored,
//! and Supabase Auth gives a hook only a few seconds.
//!
//! The body is `{metadata: {uuid, time, name, ip_address}, …}`: the event type
//! is `metadata.name`, the dedup id `metadata.uuid`, the subject the user
//! (`user.id`, else `user_id`), the time `metadata.time`. Catalog: `events.txt`,
//! the six documented hooks.

use hookyard_sdk::prelude::*;

const STANDARD: StandardWebhooks = Scheme::standard_webhooks();

/// A dashboard secret `v1,whsec_…` without its `v1,` version prefix.
fn key_text(secret: &str) -> &str {
    let secret = secret.trim();
    secret.strip_prefix("v1,").unwrap_or(secret)
}

/// Standard Webhooks keyed with `v1,whsec_` secrets.
pub struct HookSecret;

impl SigningScheme for HookSecret {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let context = Context {
            secrets: context
                .secrets
                .iter()
                .map(|s| key_text(s).to_string())
                .collect(),
            settings: context.settings.clone(),
            now_ms: context.now_ms,
        };
        STANDARD.verify(request, &context)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let input = SignInput {
            secret: key_text(&input.secret).to_string(),
            ..input.clone()
        };
        STANDARD.sign(&input, request)
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        STANDARD.settings()
    }
}

/// What Supabase Auth needs back to carry on unchanged.
fn answer(body: &Value) -> Value {
    match json_string(body, "/metadata/name").as_deref() {
        Some("customize-access-token") => {
            json!({"claims": body.get("claims").cloned().unwrap_or(json!({}))})
        }
        Some("mfa-verification" | "password-verification") => json!({"decision": "continue"}),
        _ => json!({}),
    }
}

pub struct SupabaseAuth;

impl Declared for SupabaseAuth {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("supabase-auth", "Supabase Auth hooks", "Supabase Auth HTTP hooks: before user created, custom access token, send SMS, send email, MFA and password verification attempts")
            .docs("https://supabase.com/docs/guides/auth/auth-hooks")
            .secret("Hook secret", "The hook's secret as Supabase shows it (v1,whsec_…): Supabase dashboard → Authentication → Hooks → the HTTP hook → Secret. Paste it whole.")
            .events_file(include_str!("../events.txt")),
        &HookSecret,
    )
    .event_type(Field::pointer("/metadata/name"))
    .dedup_id(Field::first(&[Field::pointer("/metadata/uuid"), Field::header("webhook-id")]))
    .subject(Field::first(&[Field::pointer("/user/id"), Field::pointer("/user_id")]))
    .time(Time::rfc3339("/metadata/time"));

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let events = match Self::DECLARATION.handle_in(request, context)? {
            Outcome::Events(events) => events,
            other => return Ok(other),
        };
        let body = request.json()?;
        Ok(Outcome::Reply(Reply {
            events,
            response: Some(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                body: answer(&body).to_string().into_bytes(),
            }),
            follow_up: None,
        }))
    }
}

hookyard_sdk::export_adapter!(SupabaseAuth);
