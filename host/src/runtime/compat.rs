//! Contract 0.1 in 0.2 terms: the records are the same but for what 0.2
//! added (a manifest's `fetch-origins`, the `reply` outcome), so a 0.1
//! adapter's calls translate field by field. A 0.1 manifest declares no
//! fetch origins: a 0.1 adapter never reaches the network.

use super::bindings::{v01, v02};
use v01::hookyard::adapter::types as old;
use v02::hookyard::adapter::types as new;

fn header_to_old(h: &new::Header) -> old::Header {
    old::Header {
        name: h.name.clone(),
        value: h.value.clone(),
    }
}

fn header_to_new(h: old::Header) -> new::Header {
    new::Header {
        name: h.name,
        value: h.value,
    }
}

pub fn request(r: &new::Request) -> old::Request {
    old::Request {
        method: r.method.clone(),
        url: r.url.clone(),
        path: r.path.clone(),
        query: r.query.clone(),
        headers: r.headers.iter().map(header_to_old).collect(),
        body: r.body.clone(),
        remote_addr: r.remote_addr.clone(),
    }
}

pub fn context(c: &new::Context) -> old::Context {
    old::Context {
        secrets: c.secrets.clone(),
        settings: c.settings.clone(),
        now_ms: c.now_ms,
    }
}

pub fn sign_input(i: &new::SignInput) -> old::SignInput {
    old::SignInput {
        body: i.body.clone(),
        secret: i.secret.clone(),
        event_type: i.event_type.clone(),
        delivery_id: i.delivery_id.clone(),
        url: i.url.clone(),
        settings: i.settings.clone(),
        now_ms: i.now_ms,
    }
}

pub fn signed_request(s: old::SignedRequest) -> new::SignedRequest {
    new::SignedRequest {
        method: s.method,
        url: s.url,
        headers: s.headers.into_iter().map(header_to_new).collect(),
        body: s.body,
    }
}

pub fn verify_error(e: old::VerifyError) -> new::VerifyError {
    match e {
        old::VerifyError::MissingSignature(what) => new::VerifyError::MissingSignature(what),
        old::VerifyError::Malformed(what) => new::VerifyError::Malformed(what),
        old::VerifyError::BadSignature => new::VerifyError::BadSignature,
        old::VerifyError::TimestampOutOfTolerance(skew) => {
            new::VerifyError::TimestampOutOfTolerance(skew)
        }
        old::VerifyError::Unauthorized(why) => new::VerifyError::Unauthorized(why),
    }
}

pub fn handle_error(e: old::HandleError) -> new::HandleError {
    match e {
        old::HandleError::Malformed(why) => new::HandleError::Malformed(why),
        old::HandleError::Other(why) => new::HandleError::Other(why),
    }
}

pub fn outcome(o: old::Outcome) -> new::Outcome {
    match o {
        old::Outcome::Events(events) => new::Outcome::Events(
            events
                .into_iter()
                .map(|e| new::Event {
                    event_type: e.event_type,
                    dedup_id: e.dedup_id,
                    occurred_at: e.occurred_at,
                    subject: e.subject,
                    data: e.data,
                })
                .collect(),
        ),
        old::Outcome::Respond(r) => new::Outcome::Respond(new::DirectResponse {
            status: r.status,
            headers: r.headers.into_iter().map(header_to_new).collect(),
            body: r.body,
        }),
    }
}

pub fn manifest(m: old::AdapterManifest) -> new::AdapterManifest {
    new::AdapterManifest {
        name: m.name,
        version: m.version,
        display_name: m.display_name,
        description: m.description,
        docs_url: m.docs_url,
        secrets: m
            .secrets
            .into_iter()
            .map(|s| new::SecretSpec {
                label: s.label,
                help: s.help,
                required: s.required,
            })
            .collect(),
        settings_schema: m.settings_schema,
        event_types: m
            .event_types
            .into_iter()
            .map(|e| new::EventTypeInfo {
                name: e.name,
                description: e.description,
            })
            .collect(),
        discriminator: new::Discriminator {
            location: match m.discriminator.location {
                old::DiscriminatorLocation::Header => new::DiscriminatorLocation::Header,
                old::DiscriminatorLocation::Body => new::DiscriminatorLocation::Body,
                old::DiscriminatorLocation::Query => new::DiscriminatorLocation::Query,
                old::DiscriminatorLocation::Fixed => new::DiscriminatorLocation::Fixed,
            },
            path: m.discriminator.path,
            note: m.discriminator.note,
        },
        presets: m
            .presets
            .into_iter()
            .map(|p| new::Preset {
                name: p.name,
                display_name: p.display_name,
                description: p.description,
                settings: p.settings,
            })
            .collect(),
        fetch_origins: Vec::new(),
    }
}
