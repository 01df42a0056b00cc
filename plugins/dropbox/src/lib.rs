//! Dropbox webhooks: `X-Dropbox-Signature` is the hex HMAC-SHA256 of the raw
//! body keyed with the app secret. Dropbox signs no timestamp and sends no
//! delivery id: a notification only says *which* accounts changed
//! (`{"list_folder":{"accounts":["dbid:…"]},"delta":{"users":[…]}}`), and the
//! app then calls `files/list_folder/continue`, so duplicates are harmless and
//! the host deduplicates on the body hash. The event type is `list_folder`
//! (`delta`, the v1 field, when it is the only one); the subject is the account
//! when exactly one changed. The handshake is a `GET ?challenge=…` when the
//! webhook URI is added in the App Console: it is unsigned and is answered by
//! echoing the challenge as `text/plain` with `X-Content-Type-Options: nosniff`
//! (Dropbox's advice against reflected XSS), but only on a source with a
//! secret configured (fail closed). Dropbox apps have a single app secret with
//! no rotation; a new secret means a new app, so two active secrets are only
//! useful while moving between apps.

use hookyard_sdk::prelude::*;

pub struct Dropbox;

/// The top-level fields of a notification, in the order they name the event.
const TYPES: &str = catalog::checked(include_str!("../events.txt"));

fn challenge(request: &Request) -> Option<String> {
    if request.method.eq_ignore_ascii_case("GET") {
        request.query_param("challenge")
    } else {
        None
    }
}

impl Declared for Dropbox {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("dropbox", "Dropbox", "Dropbox file-change notifications for the accounts linked to your app")
            .docs("https://www.dropbox.com/developers/reference/webhooks")
            .secret("App secret", "The app's \"App secret\": Dropbox App Console (dropbox.com/developers/apps) → your app → Settings, next to the App key (click Show). Add this source's URL under Webhooks on the same page.")
            .events_file(TYPES)
            .discriminator(DiscriminatorLocation::Body, "/list_folder")
            .discriminator_note("list_folder when present, else delta (the legacy v1 field)"),
        &Scheme::body_hmac("X-Dropbox-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::custom(|s| {
        let present = |name: &&str| s.record.get(name).is_some();
        catalog::names(TYPES).find(present).map(str::to_string)
    }))
    .subject(Field::custom(|s| match s.record.pointer("/list_folder/accounts")?.as_array()?.as_slice() {
        [only] => only.as_str().map(str::to_string),
        _ => None,
    }));

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        context.require_secrets()?;
        if challenge(request).is_some() {
            // The verification GET is unsigned; echoing it is harmless.
            return Ok(());
        }
        Self::DECLARATION.verify(request, context)
    }

    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let Some(challenge) = challenge(request) else {
            return Self::DECLARATION.handle(request);
        };
        Ok(Outcome::Respond(DirectResponse {
            status: 200,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                },
                Header {
                    name: "X-Content-Type-Options".into(),
                    value: "nosniff".into(),
                },
            ],
            body: challenge.into_bytes(),
        }))
    }
}

hookyard_sdk::export_adapter!(Dropbox);
