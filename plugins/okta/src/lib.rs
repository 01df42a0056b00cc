//! Okta event hooks: Okta signs nothing; every request, including the one-time
//! verification, carries the header configured on the hook ("Authentication
//! field", `Authorization` by default) with the configured "Authentication
//! secret", compared with the active secrets in constant time (a mismatch is
//! `unauthorized`). The verification is a `GET` with
//! `X-Okta-Verification-Challenge`, answered 200 `{"verification": value}`.
//! Deliveries are `POST`s whose `data.events[]` each become an event typed by
//! its `eventType` (`user.session.start`, ...), deduplicated on its `uuid`
//! (Okta delivers at least once), occurring at `published`, about its first
//! target's `alternateId` (else the actor's). The body is not signed, so keep
//! the hook on HTTPS. To rotate, add the new value as a second secret, update
//! the hook's authentication secret in Okta, then remove the old one.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Okta;

#[derive(Deserialize)]
struct Settings {
    /// The hook's "Authentication field": the header carrying the secret.
    #[serde(default = "default_header")]
    header: String,
}

fn default_header() -> String {
    "Authorization".into()
}

const CHALLENGE: &str = "X-Okta-Verification-Challenge";

/// The secret, as-is, in the header the `header` setting names.
struct AuthenticationField;

impl SigningScheme for AuthenticationField {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let token = request.require_header(&settings.header)?;
        let secrets: Vec<&str> = secrets.iter().map(|s| s.trim()).collect();
        token_matches_any(&secrets, token)
            .map_err(|_| VerifyError::Unauthorized(format!("{} does not match", settings.header)))
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let settings: Settings = input.settings()?;
        Ok(request.header(&settings.header, input.secret.clone()))
    }
}

impl Declared for Okta {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("okta", "Okta", "Okta event hooks: System Log events pushed as they happen")
            .docs("https://developer.okta.com/docs/concepts/event-hooks/")
            .secret("Authentication secret", "The value you enter as \"Authentication secret\" when creating the event hook (Okta Admin Console → Workflow → Event Hooks → Create Event Hook; or the hook's channel.config.authScheme.value in the Event Hooks API), exactly as Okta sends it, including any \"Bearer \" prefix you typed. Okta never shows it again. Set the header setting if you changed \"Authentication field\" from Authorization.")
            .events_file(include_str!("../events.txt"))
            .settings(&[(
                "header",
                r#"{"type": "string", "minLength": 1, "default": "Authorization", "description": "The hook's Authentication field: the header that carries the secret"}"#,
            )])
            .discriminator_note("one event per data.events[] element"),
        &AuthenticationField,
    )
    .each("/data/events")
    .event_type(Field::pointer("/eventType"))
    .dedup_id(Field::pointer("/uuid"))
    .subject(Field::first(&[Field::pointer("/target/0/alternateId"), Field::pointer("/actor/alternateId")]))
    .time(Time::rfc3339("/published"))
    .user_agent("Okta-Integrations");

    /// The one-time verification: echo the challenge header.
    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let Some(challenge) = request.header(CHALLENGE) else {
            return Self::DECLARATION.handle(request);
        };
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: json!({ "verification": challenge })
                .to_string()
                .into_bytes(),
        }))
    }

    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let request = SignedRequestBuilder::from(Self::DECLARATION.sign(input)?);
        Ok(request
            .header("X-Okta-Request-Id", input.delivery_id.clone())
            .build())
    }
}

hookyard_sdk::export_adapter!(Okta);
