//! Host-side bindings generated from `wit/adapter.wit`.
//!
//! Kept in its own module so the generated names (`AdapterWorld`,
//! `hookyard::adapter::types::*`) have one obvious home.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "adapter-world",
    // Calls into the adapter are futures: with epoch yielding, a looping
    // adapter gives its thread back to other requests every tick.
    exports: { default: async },
    // Imports may trap: an argument too large for the host ends the call.
    imports: { default: trappable },
});
