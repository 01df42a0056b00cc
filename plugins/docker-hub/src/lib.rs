//! Docker Hub repository webhooks: Docker Hub signs nothing and its webhook
//! form takes only a name and a URL (docs.docker.com/docker-hub/repos/manage/webhooks),
//! so the only proof of the sender is a secret you put in that URL yourself:
//! `https://<hookyard host>/webhooks/<source>?token=<secret>`, the query mode
//! of the generic `token` adapter. The token is compared in constant time; the
//! body is not covered, there is no timestamp, and the URL (token included) is
//! visible to whoever can read Docker Hub's webhook settings or logs in front
//! of the gateway.
//!
//! What to paste: a long random token of your own (letters, digits, `-`, `_`);
//! give Docker Hub the URL with `?token=` and the same token (repository →
//! Webhooks → New webhook). Rotating: add the new token as a second secret,
//! replace the webhook (delete, create with the new URL), remove the old token.
//! There is no handshake; the body's `callback_url` is not called.
//!
//! The body is `{callback_url, push_data: {pushed_at, pusher, tag}, repository:
//! {repo_name, …}}` with no type: every event is `push`, the subject the
//! repository (`repository.repo_name`), the time `push_data.pushed_at` (Unix
//! seconds), the dedup id `repo_name:tag:pushed_at`. Catalog: `events.txt`.

use hookyard_sdk::prelude::*;

const PARAM: &str = "token";

/// A shared token in the `?token=` query parameter, equal to a secret.
pub struct QueryToken;

impl SigningScheme for QueryToken {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let token = request
            .query_param(PARAM)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| VerifyError::MissingSignature("token query parameter".into()))?;
        let trimmed: Vec<&str> = secrets.iter().map(|s| s.trim()).collect();
        token_matches_any(&trimmed, token.trim())
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let token: String = input
            .secret
            .trim()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        let joiner = if input.url.contains('?') { '&' } else { '?' };
        Ok(request.url(format!("{}{joiner}{PARAM}={token}", input.url)))
    }
}

pub struct DockerHub;

impl Declared for DockerHub {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("docker-hub", "Docker Hub", "Docker Hub repository push webhooks (unsigned; a token of yours in the URL)")
            .docs("https://docs.docker.com/docker-hub/repos/manage/webhooks/")
            .secret("URL token", "Docker Hub does not sign webhooks. Make up a long random token (letters, digits, - and _), paste it here, and give Docker Hub this source's URL with ?token=<the same token> (repository → Webhooks → New webhook).")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("Docker Hub sends one kind of event; its body has no type"),
        &QueryToken,
    )
    .event_type(Field::fixed("push"))
    .dedup_id(Field::joined(
        &[
            Field::pointer("/repository/repo_name"),
            Field::pointer("/push_data/tag"),
            Field::pointer("/push_data/pushed_at"),
        ],
        ":",
    ))
    .subject(Field::pointer("/repository/repo_name"))
    .time(Time::unix_seconds("/push_data/pushed_at"));
}

hookyard_sdk::export_adapter!(DockerHub);
