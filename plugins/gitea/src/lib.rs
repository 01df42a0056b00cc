//! Gitea and Forgejo webhooks (one adapter, two presets): `X-Gitea-Signature` /
//! `X-Forgejo-Signature: <hex HMAC-SHA256(secret, raw body)>`, no prefix
//! (docs.gitea.com/usage/webhooks, forgejo.org/docs/latest/user/webhooks/, and
//! both forges' services/webhook: `AddDefaultHeaders` signs the payload and
//! sends the same value as X-Forgejo-Signature, X-Gitea-Signature,
//! X-Gogs-Signature and `sha256=` X-Hub-Signature-256; Gitea sends no
//! X-Forgejo-*). The `forge` setting picks the header family: `gitea` (default)
//! or `forgejo` (preset `forgejo`), for the signature, the event type and the
//! delivery id.
//!
//! What to paste: the webhook's Secret (repository, organization or site
//! Settings → Webhooks → Add webhook → Gitea / Forgejo, "Secret"), with the
//! content type `application/json` (with form content the forges sign the JSON,
//! not the body they send). Rotating: add the new secret here, change it on
//! the webhook, then remove the old one. No timestamp is signed, no handshake.
//!
//! The event type is `X-{Gitea,Forgejo}-Event-Type` (`issue_label`, finer than
//! `X-…-Event`), the dedup id `X-…-Delivery` (a UUID per hook task), the
//! subject the repository's `full_name`.

use hookyard_sdk::prelude::*;

/// The header family the source's `forge` setting names: `Gitea` (default) or `Forgejo`.
fn forge(settings: Result<Value, String>) -> Result<&'static str, String> {
    match settings?.get("forge").and_then(Value::as_str) {
        None | Some("gitea") => Ok("Gitea"),
        Some("forgejo") => Ok("Forgejo"),
        Some(other) => Err(format!(
            "invalid settings: forge {other:?} is neither gitea nor forgejo"
        )),
    }
}

fn header(source: &hookyard_sdk::mapping::Source, suffix: &str) -> Option<String> {
    let name = format!("X-{}-{suffix}", forge(Ok(source.settings.clone())).ok()?);
    source
        .request
        .header(&name)
        .map(|value| value.trim().to_string())
}

pub struct ForgeSignature;

impl SigningScheme for ForgeSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let header = match forge(context.settings()).map_err(VerifyError::Malformed)? {
            "Gitea" => "X-Gitea-Signature",
            _ => "X-Forgejo-Signature",
        };
        BodyHmac::new(header, Hmac::Sha256, Encoding::Hex)
            .verify(request, context.require_secrets()?)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let forge = forge(input.settings())?;
        let signature =
            BodyHmac::new("", Hmac::Sha256, Encoding::Hex).sign(&input.secret, &input.body);
        let event_type = input.event_type.clone().unwrap_or_else(|| "push".into());
        Ok(request
            .header(&format!("X-{forge}-Signature"), signature)
            .header(&format!("X-{forge}-Event-Type"), event_type)
            .header(&format!("X-{forge}-Delivery"), input.delivery_id.clone()))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        let schema = json!({"type": "string", "enum": ["gitea", "forgejo"], "default": "gitea",
            "description": "Which forge sends: gitea reads X-Gitea-* headers, forgejo X-Forgejo-*"});
        vec![("forge", schema)]
    }
}

pub struct Gitea;

impl Declared for Gitea {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("gitea", "Gitea / Forgejo", "Gitea and Forgejo repository, issue, pull request, release, package and Actions events")
            .docs("https://docs.gitea.com/usage/webhooks")
            .secret("Webhook secret", "The Secret field of the Gitea / Forgejo webhook (Settings → Webhooks, content type application/json). Paste the same value.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Header, "X-Gitea-Event-Type")
            .discriminator_note("X-Forgejo-Event-Type with the forgejo preset")
            .presets(&[
                ("gitea", "Gitea", "Gitea webhooks (X-Gitea-Signature)", r#"{"forge":"gitea"}"#),
                ("forgejo", "Forgejo", "Forgejo (and Codeberg) webhooks (X-Forgejo-Signature)", r#"{"forge":"forgejo"}"#),
            ]),
        &ForgeSignature,
    )
    .event_type(Field::custom(|source| header(source, "Event-Type")))
    .dedup_id(Field::custom(|source| header(source, "Delivery")))
    .subject(Field::pointer("/repository/full_name"));
}

hookyard_sdk::export_adapter!(Gitea);
