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
//! ```ignore
//! use hookyard_sdk::prelude::*;
//! struct MyVendor;
//! impl Adapter for MyVendor { /* manifest, verify, handle, sign */ }
//! hookyard_sdk::export_adapter!(MyVendor);
//! ```

extern crate self as hookyard_sdk;

pub mod auth;
pub mod bindings;
pub mod crypto;
pub mod encoding;
pub mod log;
pub mod request;
pub mod schemes;
pub mod signature;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod time;

#[doc(hidden)]
pub use wit_bindgen;

pub use bindings::exports::hookyard::adapter::adapter::Guest as Adapter;
pub use bindings::hookyard::adapter::types::{
    AdapterManifest as Manifest, Context, DirectResponse, Discriminator, DiscriminatorLocation,
    Event, EventTypeInfo, HandleError, Header, Outcome, Preset, Request, SecretSpec, SignInput,
    SignedRequest, VerifyError,
};
pub use serde_json;

/// Everything an adapter usually needs, in one `use`.
pub mod prelude {
    pub use crate::auth::{basic_auth, bearer_token, token_matches_any};
    pub use crate::crypto;
    pub use crate::encoding::{base64_decode, base64_encode, hex_decode, hex_encode};
    pub use crate::request::{
        ContextExt, RequestExt, SignInputExt, form_pairs, header, json_string, parse_settings,
    };
    pub use crate::schemes::{BodyHmac, Encoding, Hmac, TimestampedHeader, sign_timestamped};
    pub use crate::signature::{
        any_secret, check_timestamp, check_timestamp_ms, parse_signature_header,
    };
    pub use crate::time::{Precision, iso8601_to_ms, ms_to_rfc3339, rfc3339_to_ms};
    pub use crate::{
        Adapter, Context, DirectResponse, Discriminator, DiscriminatorLocation, Event,
        EventTypeInfo, HandleError, Header, Manifest, Outcome, Preset, Request, SecretSpec,
        SignInput, SignedRequest, VerifyError,
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
