//! Declared adapters: a manifest, a signing scheme and a mapping are the
//! whole adapter.
//!
//! Most vendors differ only in data: names, a catalog, which header carries
//! which HMAC, where the type and id live. A [`Declaration`] holds that data
//! in a `const`, and any type implementing [`Declared`] is an [`Adapter`]
//! (a blanket impl), exported as usual with
//! [`export_adapter!`](crate::export_adapter!). Each step of the adapter is a
//! method of [`Declared`] with a default that runs the declaration, so an
//! adapter with one unusual step (a handshake in `handle`, a body that must
//! be amended in `sign`) overrides that step alone and calls
//! `Self::DECLARATION` for the rest. Adapters that fit none of this implement
//! [`Adapter`] by hand.
//!
//! What a declaration adds to its parts:
//! - `verify` first checks the settings: a JSON object with only the
//!   settings the manifest declares and the scheme reads (`malformed`
//!   otherwise, fail closed), unless the manifest brings its own schema;
//! - `sign` sends a `POST` of the body with the declared content type and user
//!   agent, the event type in its header when the type is read from one (the
//!   first catalog entry when the input names none), the delivery id in its
//!   header when the dedup id is read from one, and fixed headers; then the
//!   scheme adds its signature.

use crate::handshake::Handshake;
use crate::manifest::ManifestBuilder;
use crate::mapping::{Field, Mapping, Time};
use crate::request::{ContextExt, non_json_data, parse_settings};
use crate::scheme::SigningScheme;
use crate::sent::Sent;
use crate::signed::SignedRequestBuilder;
use crate::{
    Adapter, Context, HandleError, Manifest, Outcome, Request, SignInput, SignedRequest,
    VerifyError,
};
use serde_json::{Map, Value};

/// Everything about an adapter that is data. Build it in a `const` with the
/// `const` methods; see the [module docs](self).
#[derive(Clone, Copy)]
pub struct Declaration {
    pub manifest: ManifestBuilder,
    pub scheme: &'static dyn SigningScheme,
    pub mapping: Mapping,
    pub content_type: &'static str,
    pub user_agent: Option<&'static str>,
    /// Fixed headers `sign` adds (`X-Attempt-Number: 1`).
    pub sign_headers: &'static [(&'static str, &'static str)],
    /// Headers `sign` adds carrying the delivery id (`X-Okta-Request-Id`).
    pub delivery_headers: &'static [&'static str],
    /// The vendor's endpoint check, answered before events are mapped.
    pub handshake: Option<Handshake>,
    /// Headers `sign` derives from what it sends ([`Sent`]).
    pub sent_headers: &'static [(&'static str, Sent)],
    /// Bodies that are not a JSON object are one event too (see
    /// [`non_json_bodies`](Self::non_json_bodies)).
    pub non_json_bodies: bool,
}

impl Declaration {
    /// An adapter named by `manifest`, authenticated by `scheme`, whose event
    /// type is the body's `/type` until [`event_type`](Self::event_type) says
    /// otherwise.
    pub const fn new(manifest: ManifestBuilder, scheme: &'static dyn SigningScheme) -> Self {
        Self {
            manifest,
            scheme,
            mapping: Mapping::new(Field::Pointer("/type")),
            content_type: "application/json",
            user_agent: None,
            sign_headers: &[],
            delivery_headers: &[],
            handshake: None,
            non_json_bodies: false,
            sent_headers: &[],
        }
    }

    pub const fn event_type(mut self, field: Field) -> Self {
        self.mapping.event_type = field;
        self
    }

    pub const fn dedup_id(mut self, field: Field) -> Self {
        self.mapping.dedup_id = field;
        self
    }

    pub const fn subject(mut self, field: Field) -> Self {
        self.mapping.subject = field;
        self
    }

    pub const fn time(mut self, time: Time) -> Self {
        self.mapping.time = time;
        self
    }

    /// One event per element of the array at `pointer` (`""`: the body).
    pub const fn each(mut self, pointer: &'static str) -> Self {
        self.mapping.each = Some(pointer);
        self
    }

    /// The `Content-Type` `sign` sends (default `application/json`).
    pub const fn content_type(self, content_type: &'static str) -> Self {
        Self {
            content_type,
            ..self
        }
    }

    /// The `User-Agent` `sign` sends, as the vendor does.
    pub const fn user_agent(self, user_agent: &'static str) -> Self {
        Self {
            user_agent: Some(user_agent),
            ..self
        }
    }

    /// Fixed headers `sign` adds.
    pub const fn sign_headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            sign_headers: headers,
            ..self
        }
    }

    /// Headers `sign` adds with the delivery id as their value, besides the
    /// dedup id's header (`X-Okta-Request-Id`, GitLab's `X-Gitlab-Event-UUID`).
    pub const fn delivery_headers(self, headers: &'static [&'static str]) -> Self {
        Self {
            delivery_headers: headers,
            ..self
        }
    }

    /// Headers `sign` derives from the request it sends or the input's
    /// event type ([`Sent`]: Twitch's subscription type, GitLab's hook
    /// name), added after the fixed headers; an absent value adds none.
    pub const fn sent_headers(self, headers: &'static [(&'static str, Sent)]) -> Self {
        Self {
            sent_headers: headers,
            ..self
        }
    }

    /// The vendor's endpoint check ([`Handshake`]): answered by `handle`
    /// before any event is mapped; an unsigned one passes `verify` on a
    /// source with a secret.
    pub const fn handshake(self, handshake: Handshake) -> Self {
        Self {
            handshake: Some(handshake),
            ..self
        }
    }

    /// A body that is not a JSON object (a form, XML, text, nothing) is one
    /// event, its fields read from headers, the query and settings (pointers
    /// find nothing), its data [`non_json_data`] (Zendesk's trigger
    /// webhooks, whose body the user writes).
    pub const fn non_json_bodies(self) -> Self {
        Self {
            non_json_bodies: true,
            ..self
        }
    }

    /// The WIT manifest: the builder's, with the scheme's settings in the
    /// generated schema and the discriminator from the event-type mapping.
    pub fn manifest(&self) -> Manifest {
        self.manifest
            .build_with(&self.scheme.settings(), self.mapping.discriminator())
    }

    /// The settings check (see the [module docs](self)), then the scheme.
    pub fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        self.check_settings(&context.settings)
            .map_err(VerifyError::Malformed)?;
        if let Some(handshake) = self.handshake.filter(|h| h.unsigned) {
            let settings = parse_settings(&context.settings).unwrap_or(Value::Null);
            if handshake.matches(request, &settings) {
                return context.require_secrets().map(|_| ());
            }
        }
        self.scheme.verify(request, context)
    }

    /// `settings` as a JSON object holding only declared settings.
    pub fn check_settings(&self, settings: &str) -> Result<(), String> {
        let object: Map<String, Value> = parse_settings(settings)?;
        if object.is_empty() || self.manifest.settings_schema.is_some() {
            return Ok(());
        }
        let extra = self.scheme.settings();
        // Collected: an iterator searched with `any` would be used up by
        // the first key, and a later key declared before it look unknown.
        let known: Vec<&str> = self.manifest.setting_names(&extra).collect();
        let unknown = object.keys().find(|key| !known.contains(&key.as_str()));
        match unknown {
            Some(key) => Err(format!("invalid settings: unknown setting `{key}`")),
            None => Ok(()),
        }
    }

    /// The mapping's events, fields read from settings at their defaults
    /// (for an override that has no context at hand; see
    /// [`handle_in`](Self::handle_in)).
    pub fn handle(&self, request: &Request) -> Result<Outcome, HandleError> {
        self.handle_with(request, &Value::Null)
    }

    /// The mapping's events with the source's settings, for
    /// [`Field::setting_pointer`] and [`Field::setting`]: what
    /// [`Declared::handle`] does. Settings that are not a JSON object are
    /// `malformed`.
    pub fn handle_in(&self, request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        let settings: Map<String, Value> =
            parse_settings(&context.settings).map_err(HandleError::Malformed)?;
        self.handle_with(request, &Value::Object(settings))
    }

    /// The handshake's answer, else the mapping's events.
    fn handle_with(&self, request: &Request, settings: &Value) -> Result<Outcome, HandleError> {
        let parsed = serde_json::from_slice::<Value>(&request.body);
        if let Some(handshake) = &self.handshake {
            let body = parsed.as_ref().unwrap_or(&Value::Null);
            if let Some(answer) = handshake.answer(request, body, settings) {
                return answer.map(Outcome::Respond);
            }
        }
        let body = match parsed {
            Ok(body) if body.is_object() => body,
            _ if self.non_json_bodies => Value::Null,
            Ok(body) => body,
            Err(e) => return Err(HandleError::Malformed(format!("body is not JSON: {e}"))),
        };
        let mut events = self.mapping.events_with(request, &body, settings)?;
        if body.is_null() && self.non_json_bodies {
            let data = non_json_data(request).to_string();
            events
                .iter_mut()
                .for_each(|event| event.data = data.clone());
        }
        Ok(Outcome::Events(events))
    }

    /// The request the vendor would send (see the [module docs](self)).
    pub fn sign(&self, input: &SignInput) -> Result<SignedRequest, String> {
        let mut request = SignedRequestBuilder::post_json(input).content_type(self.content_type);
        if let Some(user_agent) = self.user_agent {
            request = request.user_agent(user_agent);
        }
        if let Some((name, separator)) = header_of(&self.mapping.event_type) {
            let event_type = input
                .event_type
                .as_deref()
                .or(self.manifest.events.first().map(|(name, _)| *name))
                .or(crate::catalog::names(self.manifest.events_file).next())
                .unwrap_or_default();
            let value = match separator {
                Some(separator) => event_type.split(separator).next().unwrap_or_default(),
                None => event_type,
            };
            request = request.header(name, value);
        }
        if let Some((name, _)) = header_of(&self.mapping.dedup_id) {
            request = request.header(name, input.delivery_id.clone());
        }
        for name in self.delivery_headers {
            request = request.header(name, input.delivery_id.clone());
        }
        for (name, value) in self.sign_headers {
            request = request.header(name, *value);
        }
        for (name, sent) in self.sent_headers {
            if let Some(value) = sent.read(&request.clone().build(), input) {
                request = request.header(name, value);
            }
        }
        Ok(self.scheme.sign(input, request)?.build())
    }
}

/// The header a field is read from, directly or as the first part of a
/// joined field (with the separator).
fn header_of(field: &Field) -> Option<(&'static str, Option<&'static str>)> {
    match field {
        Field::Header(name) | Field::First([Field::Header(name), ..]) => Some((*name, None)),
        Field::Joined([Field::Header(name), ..], separator) => Some((*name, Some(*separator))),
        _ => None,
    }
}

/// An adapter made of a [`Declaration`]; every step can be overridden.
///
/// With both traits in scope, name the one meant: `<T as Adapter>::sign(…)`
/// calls the adapter as the host does.
pub trait Declared {
    const DECLARATION: Declaration;

    fn manifest() -> Manifest {
        Self::DECLARATION.manifest()
    }

    fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
        Self::DECLARATION.verify(request, context)
    }

    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        Self::DECLARATION.handle_in(request, context)
    }

    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        Self::DECLARATION.sign(input)
    }
}

impl<T: Declared> Adapter for T {
    fn manifest() -> Manifest {
        <T as Declared>::manifest()
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        <T as Declared>::verify(&request, &context)
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        <T as Declared>::handle(&request, &context)
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        <T as Declared>::sign(&input)
    }
}

#[cfg(test)]
mod tests;
