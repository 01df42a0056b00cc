// The `test-relay` adapter, built as three crates (relay-v1, relay-v2,
// relay-broken) that differ only in `VERSION`: the lifecycle tests swap them
// under traffic and check which version produced each event.
//
// It verifies Stripe's scheme (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 over
// `"{t}.{body}"`) with the `tolerance_seconds` setting (default 300) against
// the context clock; a request without that header must carry the secret
// itself instead, S3-style, as `Authorization: Bearer …` or `?secret=…`. It
// maps a JSON body `{"id": …}` to one `relay.received`
// event deduplicated on `id`, whose data names the version that mapped it:
// `{"id": …, "mapped_by": VERSION}`. The `broken` build traps in `handle`.

pub struct Relay;

impl Adapter for Relay {
    fn manifest() -> Manifest {
        Manifest {
            name: "test-relay".into(),
            version: VERSION.into(),
            display_name: "Test relay".into(),
            description: "Lifecycle test adapter; versions differ in their mapped data".into(),
            docs_url: String::new(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: String::new(),
                required: true,
            }],
            settings_schema: "{\"type\":\"object\"}".into(),
            event_types: vec![EventTypeInfo {
                name: "relay.received".into(),
                description: "Every request".into(),
            }],
            discriminator: Discriminator {
                location: DiscriminatorLocation::Fixed,
                path: "relay.received".into(),
                note: String::new(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        if request.header("Stripe-Signature").is_none() {
            let presented = match request.header("Authorization").and_then(bearer_token) {
                Some(token) => token.to_string(),
                None => request
                    .query_param("secret")
                    .ok_or_else(|| VerifyError::MissingSignature("Stripe-Signature".into()))?,
            };
            return token_matches_any(secrets, &presented);
        }
        let settings: Value = context.settings().map_err(VerifyError::Malformed)?;
        let tolerance = settings["tolerance_seconds"].as_i64().unwrap_or(300);
        let header =
            TimestampedHeader::from_request(&request, "Stripe-Signature", (',', '='), ("t", "v1"))?;
        let timestamp = header.parsed_timestamp()?;
        header.verify(secrets, '.', &request.body)?;
        check_timestamp(timestamp, context.now_ms, tolerance)
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        if VERSION == "broken" {
            panic!("test-relay broken build");
        }
        let body = request.json()?;
        let id = json_string(&body, "/id")
            .ok_or_else(|| HandleError::Malformed("body has no id".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type: "relay.received".into(),
            dedup_id: Some(id.clone()),
            occurred_at: None,
            subject: None,
            data: json!({ "id": id, "mapped_by": VERSION }).to_string(),
        }]))
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        Err("test adapters do not sign".into())
    }
}

hookyard_sdk::export_adapter!(Relay);
