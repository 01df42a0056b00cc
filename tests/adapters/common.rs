// Shared by the misbehaving test adapters: everything but `verify`.

pub fn manifest(name: &str, description: &str) -> Manifest {
    Manifest {
        name: name.into(),
        version: "0.1.0".into(),
        display_name: name.into(),
        description: description.into(),
        docs_url: String::new(),
        secrets: vec![],
        settings_schema: "{\"type\":\"object\"}".into(),
        event_types: vec![],
        discriminator: Discriminator { location: DiscriminatorLocation::Fixed, path: "test".into(), note: String::new() },
        presets: vec![],
        fetch_origins: vec![],
    }
}

pub fn one_event() -> Result<Outcome, HandleError> {
    Ok(Outcome::Events(vec![Event {
        event_type: "test".into(),
        dedup_id: None,
        occurred_at: None,
        subject: None,
        data: "{}".into(),
    }]))
}

pub fn cannot_sign() -> Result<SignedRequest, String> {
    Err("test adapters do not sign".into())
}
