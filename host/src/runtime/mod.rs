//! The sandbox: everything Hookyard knows about wasmtime lives below this module.
//!
//! One [`Runtime`] per process owns the engine (pooling allocator, epoch
//! interruption), the linker with the host imports, and the epoch ticker thread.
//! It turns `.wasm` bytes into a [`LoadedAdapter`] (compiled once, cached on
//! disk by content hash) and runs adapter calls in a fresh store per request,
//! or in one that served the same source before ([`reuse`]).
//! Nothing outside this module touches a wasmtime type, so an upgrade of
//! wasmtime is contained here.

mod adapter;
mod bindings;
mod cache;
mod compat;
mod engine;
mod error;
mod host;
mod host_crypto;
mod instance;
mod load;
mod manifest;
mod reuse;

pub use adapter::{AdapterCall, AdapterFailure, LoadedAdapter, Verdict, VerifyFailure};
pub use bindings::v02::hookyard::adapter::types::{
    DirectResponse, Event, Header, OutgoingRequest, Reply, Request, SignInput, SignedRequest,
};
pub use engine::{Runtime, RuntimeLimits};
pub use manifest::{Discriminator, Manifest};
pub use reuse::{InstancePool, Reuse};
