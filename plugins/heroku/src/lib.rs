//! Heroku app webhooks: `Heroku-Webhook-Hmac-SHA256: <base64 HMAC-SHA256(secret,
//! raw body)>` (devcenter.heroku.com/articles/app-webhooks, "Securing webhook
//! requests").
//!
//! What to paste: the webhook's signing secret. `heroku webhooks:add -a APP -i
//! api:release -l sync -u URL` prints it once ("Webhooks Signing Secret") when
//! you pass no `--secret`; with `--secret VALUE` (or `secret` in the Platform
//! API's Webhook Create, or the Dashboard's webhooks page) it is that value.
//! Heroku signs no timestamp and there is no handshake; the optional
//! `Authorization` header a webhook may also carry is not checked here.
//!
//! The event type is the subscribed entity (`webhook_metadata.event.include`)
//! and the body's `action`, joined with a dot (`api:release.update`); dyno
//! events carry no action, so theirs is `dyno`. The dedup id is the event's
//! `id` (the same on every retry), the subject the app's name, the time the
//! event's `created_at`. Rotating: add the new secret here first, set it with
//! `heroku webhooks:update` (or the API's Webhook Update), then remove the old
//! one once no retry signed with it can arrive.

use hookyard_sdk::prelude::*;

pub struct Heroku;

impl Declared for Heroku {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("heroku", "Heroku", "Heroku app webhooks: add-ons, app, builds, collaborators, domains, dynos, formation, releases, SNI endpoints")
            .docs("https://devcenter.heroku.com/articles/app-webhooks")
            .secret("Webhook signing secret", "The secret `heroku webhooks:add` prints once (\"Webhooks Signing Secret\"), or the value you gave as `--secret` / the API's `secret` when creating or updating the webhook. Paste it as is.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("Heroku-Webhook-Hmac-SHA256", Hmac::Sha256, Encoding::Base64),
    )
    .event_type(Field::joined(&[Field::pointer("/webhook_metadata/event/include"), Field::pointer("/action")], "."))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[Field::pointer("/data/app/name"), Field::pointer("/data/name")]))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(Heroku);
