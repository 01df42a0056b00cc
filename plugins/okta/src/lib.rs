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

pub struct Okta;

impl Declared for Okta {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("okta", "Okta", "Okta event hooks: System Log events pushed as they happen")
            .docs("https://developer.okta.com/docs/concepts/event-hooks/")
            .secret("Authentication secret", "The value you enter as \"Authentication secret\" when creating the event hook (Okta Admin Console → Workflow → Event Hooks → Create Event Hook; or the hook's channel.config.authScheme.value in the Event Hooks API), exactly as Okta sends it, including any \"Bearer \" prefix you typed. Okta never shows it again. Set the header setting if you changed \"Authentication field\" from Authorization.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("one event per data.events[] element"),
        // The hook's "Authentication field" names the header carrying the secret.
        &Scheme::token_header_setting("header", "Authorization")
            .describe("The hook's Authentication field: the header that carries the secret"),
    )
    // The one-time verification: echo the challenge header.
    .handshake(Handshake::echo(Field::header("X-Okta-Verification-Challenge")).json("verification"))
    .each("/data/events")
    .event_type(Field::pointer("/eventType"))
    .dedup_id(Field::pointer("/uuid"))
    .subject(Field::first(&[Field::pointer("/target/0/alternateId"), Field::pointer("/actor/alternateId")]))
    .time(Time::rfc3339("/published"))
    .user_agent("Okta-Integrations")
    .delivery_headers(&["X-Okta-Request-Id"]);
}

hookyard_sdk::export_adapter!(Okta);
