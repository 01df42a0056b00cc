//! Plaid webhooks (`verification.rs`: the `Plaid-Verification` ES256 JWT, its
//! key fetched from Plaid's key endpoint with the source's client id and
//! secret, `iat` within five minutes, the body's SHA-256 in a claim). Events
//! are typed `{webhook_type}.{webhook_code}` (`TRANSACTIONS.SYNC_UPDATES_AVAILABLE`),
//! about the `item_id`. Plaid sends no event id, so none is given: the host
//! deduplicates on the body's SHA-256, which is what a redelivery repeats.

mod verification;

use hookyard_sdk::prelude::*;

pub struct Plaid;

const SETTINGS: &str = r#"{
  "type": "object",
  "properties": {
    "client_id": {"type": "string", "minLength": 1,
      "description": "Your Plaid client_id: Plaid Dashboard (dashboard.plaid.com) → Developers → Keys. The Plaid secret of the same environment is this source's secret."},
    "environment": {"enum": ["production", "sandbox", "development"], "default": "production",
      "description": "The Plaid environment the webhooks come from; its host (production.plaid.com, sandbox.plaid.com) answers the verification-key request"}
  },
  "required": ["client_id"],
  "additionalProperties": false
}"#;

const SECRETS: &[Secret] = &[Secret::required(
    "Plaid secret",
    "The secret of the environment the webhooks come from (Production or Sandbox): Plaid Dashboard → Developers → Keys. Used only to fetch Plaid's webhook verification keys (POST /webhook_verification_key/get with the client_id setting). Add the new secret before rotating it at Plaid; the newest accepted one is used.",
)];

/// The scheme, for the declaration: `verification.rs` verifies; nothing signs.
struct PlaidVerification;

impl SigningScheme for PlaidVerification {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        verification::verify(request, context)
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("Plaid signs with its own ES256 keys; the host cannot sign Plaid webhooks".into())
    }
}

impl Declared for Plaid {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!(
            "plaid",
            "Plaid",
            "Plaid webhooks (Items, transactions, auth, transfers, identity verification, …)"
        )
        .docs("https://plaid.com/docs/api/webhooks/webhook-verification/")
        .secrets(SECRETS)
        .settings_schema(SETTINGS)
        .events_file(include_str!("../events.txt"))
        .discriminator_note("{webhook_type}.{webhook_code}")
        .fetch_origins(&[
            "https://production.plaid.com",
            "https://sandbox.plaid.com",
            "https://development.plaid.com",
        ]),
        &PlaidVerification,
    )
    .event_type(Field::joined(
        &[
            Field::pointer("/webhook_type"),
            Field::pointer("/webhook_code"),
        ],
        ".",
    ))
    .subject(Field::pointer("/item_id"));
}

hookyard_sdk::export_adapter!(Plaid);
