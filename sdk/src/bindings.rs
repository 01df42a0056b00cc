//! Guest-side bindings generated from `wit/adapter.wit`.
//!
//! Public so the [`export_adapter!`](crate::export_adapter) macro can reach
//! the generated `export!`; adapters normally use the re-exports at the crate
//! root instead.

wit_bindgen::generate!({
    path: "../wit",
    world: "adapter-world",
    pub_export_macro: true,
    default_bindings_module: "hookyard_sdk::bindings",
    runtime_path: "hookyard_sdk::wit_bindgen::rt",
});
