//! Host-side bindings generated from `wit/adapter.wit`.
//!
//! Kept in its own module so the generated names (`AdapterWorld`,
//! `hookyard::adapter::types::*`) have one obvious home.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "adapter-world",
});
