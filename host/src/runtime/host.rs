//! What an adapter instance can reach: its store state and the host imports.
//!
//! Each instance gets a fresh [`AdapterState`]: a WASI context that grants
//! nothing (no preopened directories, no environment, no arguments, no
//! sockets, stdio discarded) because Rust, JavaScript and Python components
//! import WASI interfaces even when they do not use them; the `crypto` import,
//! implemented natively by `hookyard-crypto` (its 0.2 additions in
//! [`super::host_crypto`]); `fetch`, only where the call's source may fetch
//! ([`crate::fetch`]); and `log`, which forwards into `tracing` tagged with
//! the source the request arrived on. Host calls run on the server's threads
//! without epoch yields, so a `crypto` argument larger than
//! [`MAX_IMPORT_ARGUMENT`] traps instead of holding a thread for long.
//! 0.1 adapters get the same imports under their 0.1 names
//! ([`super::compat`]).

use super::bindings::v02::hookyard::adapter::{fetch, log, types};
use crate::fetch::{FetchError, FetchRequest, FetchScope};
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
    /// What the current call may fetch (`None`: nothing, as while loading).
    pub(super) fetch: Option<FetchScope>,
}

impl AdapterState {
    pub fn new(tag: &str) -> AdapterState {
        let wasi = WasiCtx::builder().allow_tcp(false).allow_udp(false).build();
        AdapterState {
            wasi,
            table: ResourceTable::new(),
            tag: tag.to_string(),
            memory: 0,
            fetch: None,
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
impl super::bindings::v01::hookyard::adapter::types::Host for AdapterState {}

/// Largest argument of one `crypto` call: far above any webhook body an
/// adapter hashes, far below what keeps a host thread busy for long.
pub const MAX_IMPORT_ARGUMENT: usize = 8 << 20;

/// Traps when the arguments of one call are larger than the host takes.
pub(super) fn bounded(arguments: &[&[u8]]) -> wasmtime::Result<()> {
    let size: usize = arguments.iter().map(|a| a.len()).sum();
    if size > MAX_IMPORT_ARGUMENT {
        wasmtime::bail!("crypto import called with {size} bytes, over {MAX_IMPORT_ARGUMENT}");
    }
    Ok(())
}

impl fetch::Host for AdapterState {
    async fn send(
        &mut self,
        request: types::OutgoingRequest,
    ) -> wasmtime::Result<Result<fetch::Response, fetch::FetchError>> {
        bounded(&[&request.body, request.url.as_bytes()])?;
        let Some(scope) = &self.fetch else {
            return Ok(Err(fetch::FetchError::NotAllowed(
                "this call may not fetch (no origins are allowed here)".into(),
            )));
        };
        let request = FetchRequest {
            method: request.method,
            url: request.url,
            headers: request
                .headers
                .into_iter()
                .map(|h| (h.name, h.value))
                .collect(),
            body: request.body,
        };
        let (url, tag) = (request.url.clone(), self.tag.clone());
        Ok(match scope.fetcher.send(&scope.origins, request).await {
            Ok((response, how)) => {
                tracing::debug!(target: "adapter", source = %tag, %url, ?how, "fetched");
                Ok(fetch::Response {
                    status: response.status,
                    headers: response
                        .headers
                        .iter()
                        .map(|(name, value)| types::Header {
                            name: name.clone(),
                            value: value.clone(),
                        })
                        .collect(),
                    body: response.body.clone(),
                })
            }
            Err(error) => {
                tracing::warn!(target: "adapter", source = %tag, %url, "fetch {error}");
                Err(match error {
                    FetchError::NotAllowed(why) => fetch::FetchError::NotAllowed(why),
                    FetchError::Failed(why) => fetch::FetchError::Failed(why),
                })
            }
        })
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

/// 0.1's `log` is 0.2's.
impl super::bindings::v01::hookyard::adapter::log::Host for AdapterState {
    fn log(
        &mut self,
        level: super::bindings::v01::hookyard::adapter::log::Level,
        message: String,
    ) -> wasmtime::Result<()> {
        use super::bindings::v01::hookyard::adapter::log::Level as Old;
        let level = match level {
            Old::Trace => log::Level::Trace,
            Old::Debug => log::Level::Debug,
            Old::Info => log::Level::Info,
            Old::Warn => log::Level::Warn,
            Old::Error => log::Level::Error,
        };
        log::Host::log(self, level, message)
    }
}
