//! Write Hookyard adapters in Rust.
//!
//! An adapter is a WebAssembly component that knows one vendor's webhooks. This
//! crate gives it the WIT bindings under friendly names, the host's native
//! crypto, and the helpers most vendors need (case-insensitive headers,
//! signature-header parsing, timestamp tolerance, shared tokens, RFC 3339
//! times, JSON pointers, form bodies and queries), so a typical HMAC adapter is
//! about a screenful. The same crate compiles natively, where [`testing`] runs
//! the adapter's conformance fixtures with a plain `cargo test`.
//!
//! Most vendors are declared rather than written out ([`declare`]): a
//! manifest ([`manifest`]), a signing scheme ([`scheme`]) and where the event
//! type, dedup id, subject and time live ([`mapping`]):
//!
//! ```ignore
//! use hookyard_sdk::prelude::*;
//! pub struct MyVendor;
//! impl Declared for MyVendor {
//!     const DECLARATION: Declaration = Declaration::new(
//!         hookyard_sdk::manifest!("my-vendor", "My Vendor", "My Vendor events"),
//!         &Scheme::body_hmac("X-Signature", Hmac::Sha256, Encoding::Hex),
//!     )
//!     .event_type(Field::pointer("/type"))
//!     .dedup_id(Field::pointer("/id"));
//! }
//! hookyard_sdk::export_adapter!(MyVendor);
//! ```
//!
//! Vendors that need more implement [`Adapter`] (manifest, verify, handle,
//! sign) by hand, or override one step of [`Declared`].

extern crate self as hookyard_sdk;

pub mod auth;
pub mod bindings;
pub mod catalog;
pub mod crypto;
pub mod declare;
pub mod encoding;
pub mod fetch;
pub mod handshake;
pub mod log;
pub mod manifest;
pub mod mapping;
pub mod pubsub;
pub mod request;
pub mod s3;
pub mod scheme;
pub mod schemes;
pub mod sent;
pub mod signature;
pub mod signed;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod time;

#[doc(hidden)]
pub use wit_bindgen;

pub use bindings::exports::hookyard::adapter::adapter::Guest as Adapter;
pub use bindings::hookyard::adapter::fetch::{FetchError, Response as FetchResponse};
pub use bindings::hookyard::adapter::types::{
    AdapterManifest as Manifest, Context, DirectResponse, Discriminator, DiscriminatorLocation,
    Event, EventTypeInfo, HandleError, Header, Outcome, OutgoingRequest, Preset, Reply, Request,
    SecretSpec, SignInput, SignedRequest, VerifyError,
};
pub use serde_json;

/// Everything an adapter usually needs, in one `use`.
pub mod prelude {
    pub use crate::auth::{basic_auth, bearer_token, token_matches_any};
    pub use crate::catalog;
    pub use crate::crypto;
    pub use crate::declare::{Declaration, Declared};
    pub use crate::encoding::{base64_decode, base64_encode, hex_decode, hex_encode};
    pub use crate::fetch;
    pub use crate::handshake::Handshake;
    pub use crate::manifest::{ManifestBuilder, Secret};
    pub use crate::mapping::{Field, Mapping, Time};
    pub use crate::request::{
        ContextExt, RequestExt, SignInputExt, form_pairs, header, json_string, non_json_data,
        parse_settings,
    };
    pub use crate::scheme::{
        JwtBodyHash, KeyAlgorithm, Scheme, SigningScheme, StandardKey, StandardWebhooks,
        TimestampThenBody, TimestampUnit, Timestamped,
    };
    pub use crate::schemes::{
        BodyHmac, Encoding, Hmac, TimestampedHeader, sign_timestamped, sign_timestamped_encoded,
    };
    pub use crate::sent::Sent;
    pub use crate::signature::{
        any_secret, check_timestamp, check_timestamp_ms, parse_signature_header,
    };
    pub use crate::signed::SignedRequestBuilder;
    pub use crate::time::{Precision, iso8601_to_ms, ms_to_rfc3339, rfc3339_to_ms};
    pub use crate::{
        Adapter, Context, DirectResponse, Discriminator, DiscriminatorLocation, Event,
        EventTypeInfo, FetchError, FetchResponse, HandleError, Header, Manifest, Outcome,
        OutgoingRequest, Preset, Reply, Request, SecretSpec, SignInput, SignedRequest, VerifyError,
    };
    pub use serde_json::{Value, json};
}

/// Exports a type implementing [`Adapter`] as the component's `adapter`
/// interface. Expands to nothing on native targets, so the crate also builds
/// for `cargo test`.
#[macro_export]
macro_rules! export_adapter {
    ($adapter:ident) => {
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::export!($adapter with_types_in $crate::bindings);
    };
}
