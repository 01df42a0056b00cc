//! npm registry hooks: `x-npm-signature: sha256=<hex HMAC-SHA256(secret, raw
//! body)>` (npm's hooks docs and its reference receiver, npm-hook-receiver:
//! `'sha256=' + createHmac('sha256', secret).update(body).digest('hex')`).
//!
//! What to paste: the hook's secret, the third argument of `npm hook add
//! <pkg|@scope|~owner> <url> <secret>` (or `secret` in libnpmhook / the hooks
//! API); npm never shows it again. Rotating: `npm hook update <id> <url>
//! <new-secret>` after adding the new secret here; remove the old one once
//! retries are over. npm signs no timestamp and there is no handshake.
//!
//! The event type is the body's `event` (`package:publish`), the subject the
//! package's `name`, the time `time` (Unix milliseconds, when npm sent it).
//! npm sends no event id, so deliveries are deduplicated on the body's hash.

use hookyard_sdk::prelude::*;

pub struct NpmHooks;

impl Declared for NpmHooks {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("npm-hooks", "npm hooks", "npm registry hooks: publish, unpublish, dist-tags, deprecation, owners and stars of a package, scope or owner")
            .docs("https://github.com/npm/registry/blob/master/docs/hooks/hooks-payload.md")
            .secret("Hook secret", "The secret you gave `npm hook add <pkg|@scope|~owner> <url> <secret>` (or `npm hook update`). Paste the same value.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("x-npm-signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
    )
    .event_type(Field::pointer("/event"))
    .subject(Field::pointer("/name"))
    .time(Time::unix_millis("/time"));
}

hookyard_sdk::export_adapter!(NpmHooks);
