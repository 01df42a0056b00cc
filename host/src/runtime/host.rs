//! What an adapter instance can reach: its store state and the host imports.
//!
//! Each instance gets a fresh [`AdapterState`]: a WASI context that grants
//! nothing (no preopened directories, no environment, no arguments, no
//! sockets, stdio discarded) because Rust, JavaScript and Python components
//! import WASI interfaces even when they do not use them; the `crypto` import,
//! implemented natively by `hookyard-crypto`; and `log`, which forwards into
//! `tracing` tagged with the source the request arrived on. Host calls run on
//! the server's threads without epoch yields, so a `crypto` argument larger
//! than [`MAX_IMPORT_ARGUMENT`] traps instead of holding a thread for long.

use super::bindings::hookyard::adapter::{crypto, log, types};
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

pub struct AdapterState {
    wasi: WasiCtx,
    table: ResourceTable,
    /// The source (or tool) the call runs for, for log lines.
    tag: String,
    /// The largest linear memory the instance asked for, in bytes (the
    /// pool's own cap refuses more than the limit).
    memory: usize,
}

impl AdapterState {
    pub fn new(tag: &str) -> AdapterState {
        let wasi = WasiCtx::builder().allow_tcp(false).allow_udp(false).build();
        AdapterState {
            wasi,
            table: ResourceTable::new(),
            tag: tag.to_string(),
            memory: 0,
        }
    }

    /// The largest linear memory the instance has, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.memory
    }
}

/// Only records how large memories grew (for instance reuse); the pooling
/// allocator enforces the limits.
impl wasmtime::ResourceLimiter for AdapterState {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.memory = self.memory.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

impl WasiView for AdapterState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for AdapterState {}

/// Largest argument of one `crypto` call: far above any webhook body an
/// adapter hashes, far below what keeps a host thread busy for long.
pub const MAX_IMPORT_ARGUMENT: usize = 8 << 20;

/// Traps when the arguments of one call are larger than the host takes.
fn bounded(arguments: &[&[u8]]) -> wasmtime::Result<()> {
    let size: usize = arguments.iter().map(|a| a.len()).sum();
    if size > MAX_IMPORT_ARGUMENT {
        wasmtime::bail!("crypto import called with {size} bytes, over {MAX_IMPORT_ARGUMENT}");
    }
    Ok(())
}

impl crypto::Host for AdapterState {
    fn hmac(
        &mut self,
        algorithm: crypto::HmacAlgorithm,
        key: Vec<u8>,
        message: Vec<u8>,
    ) -> wasmtime::Result<Vec<u8>> {
        bounded(&[&key, &message])?;
        let algorithm = match algorithm {
            crypto::HmacAlgorithm::Sha1 => hookyard_crypto::HmacAlgorithm::Sha1,
            crypto::HmacAlgorithm::Sha256 => hookyard_crypto::HmacAlgorithm::Sha256,
            crypto::HmacAlgorithm::Sha512 => hookyard_crypto::HmacAlgorithm::Sha512,
        };
        Ok(hookyard_crypto::hmac(algorithm, &key, &message))
    }

    fn sha256(&mut self, message: Vec<u8>) -> wasmtime::Result<Vec<u8>> {
        bounded(&[&message])?;
        Ok(hookyard_crypto::sha256(&message))
    }

    fn constant_time_eq(&mut self, a: Vec<u8>, b: Vec<u8>) -> wasmtime::Result<bool> {
        bounded(&[&a, &b])?;
        Ok(hookyard_crypto::constant_time_eq(&a, &b))
    }

    fn ed25519_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        bounded(&[&public_key, &message, &signature])?;
        Ok(hookyard_crypto::ed25519_verify(
            &public_key,
            &message,
            &signature,
        ))
    }

    fn ecdsa_p256_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        bounded(&[&public_key, &message, &signature])?;
        Ok(hookyard_crypto::ecdsa_p256_verify(
            &public_key,
            &message,
            &signature,
        ))
    }
}

/// Log lines longer than this are cut: an adapter must not flood the log.
const MAX_LOG_LINE: usize = 4096;

impl log::Host for AdapterState {
    fn log(&mut self, level: log::Level, message: String) -> wasmtime::Result<()> {
        let mut end = message.len().min(MAX_LOG_LINE);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        let (message, source) = (&message[..end], self.tag.as_str());
        match level {
            log::Level::Trace => tracing::trace!(target: "adapter", source, "{message}"),
            log::Level::Debug => tracing::debug!(target: "adapter", source, "{message}"),
            log::Level::Info => tracing::info!(target: "adapter", source, "{message}"),
            log::Level::Warn => tracing::warn!(target: "adapter", source, "{message}"),
            log::Level::Error => tracing::error!(target: "adapter", source, "{message}"),
        }
        Ok(())
    }
}
