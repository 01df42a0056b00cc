//! Host-side bindings generated from the adapter contract, one module per
//! version the host loads: `v02` from `wit/adapter.wit` (0.2.0, what the
//! rest of the host speaks) and `v01` from `wit/v0.1/` (0.1.0, kept so
//! adapters built before 0.2 serve unchanged; [`super::compat`] lifts their
//! calls into 0.2 types).

pub mod v02 {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "adapter-world",
        // Calls into the adapter are futures: with epoch yielding, a looping
        // adapter gives its thread back to other requests every tick.
        exports: { default: async },
        // Imports may trap: an argument too large for the host ends the call.
        // A key fetch waits on the network, so it is async.
        imports: {
            "hookyard:adapter/fetch.send": async | trappable,
            default: trappable,
        },
    });
}

pub mod v01 {
    wasmtime::component::bindgen!({
        path: "../wit/v0.1",
        world: "adapter-world",
        exports: { default: async },
        imports: { default: trappable },
    });
}
