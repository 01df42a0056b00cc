//! Wasmtime has its own error type; the host speaks `anyhow`.

pub(super) fn wasm_error(error: wasmtime::Error) -> anyhow::Error {
    anyhow::anyhow!("{error:#}")
}
