//! One loaded adapter and the calls the host makes into it.
//!
//! A [`LoadedAdapter`] holds a type-checked `InstancePre` (imports resolved
//! once) and the manifest read at load time. Each request instantiates it into
//! a fresh store from the pooling allocator (or takes one that served the
//! same source, [`super::reuse`]), with a deadline covering `verify` and
//! `handle` together, runs both on that one instance, and drops the store
//! unless the call ended well and it may serve again: a trap poisons only
//! that store, and no state crosses sources.

use super::bindings::v02::hookyard::adapter::types;
use super::engine::Runtime;
use super::host::AdapterState;
use super::instance::{Instance, Pre};
use super::manifest::{Manifest, convert_manifest};
use super::reuse::InstancePool;
use crate::fetch::FetchScope;
use crate::telemetry::spans;
use anyhow::{Result, bail};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument as _;
use wasmtime::Store;
use wasmtime::component::Component;

/// The inputs of one request's adapter call.
pub struct AdapterCall<'a> {
    pub request: &'a types::Request,
    pub secrets: &'a [String],
    pub settings: &'a str,
    pub now_ms: i64,
    /// Names the source in the adapter's log lines.
    pub tag: &'a str,
    /// The source's idle instances, when the call may reuse one (and leave
    /// its own for the next request); `None`: a fresh instance, dropped after.
    pub pool: Option<&'a InstancePool>,
    /// What the call may fetch; `None`: nothing.
    pub fetch: Option<&'a FetchScope>,
}

/// What `verify` + `handle` decided.
#[derive(Debug)]
pub enum Verdict {
    /// `verify` failed: why, and the adapter's detail.
    Rejected {
        failure: VerifyFailure,
        detail: String,
    },
    /// `handle` mapped the request into these events.
    Events(Vec<types::Event>),
    /// `handle` answered a handshake.
    Respond(types::DirectResponse),
    /// `handle` gave events to store and, once stored, an answer of its own
    /// or a follow-up call (contract 0.2).
    Reply(types::Reply),
    /// `handle` failed on a verified request (`malformed` or `other`).
    HandleFailed { kind: &'static str, detail: String },
}

/// Why `verify` refused a request (the contract's `verify-error`); the host
/// answers 401 with its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyFailure {
    MissingSignature,
    Malformed,
    BadSignature,
    TimestampOutOfTolerance,
    Unauthorized,
}

impl VerifyFailure {
    /// The error code of the 401 answer.
    pub fn code(self) -> &'static str {
        match self {
            VerifyFailure::MissingSignature => "missing_signature",
            VerifyFailure::Malformed => "malformed",
            VerifyFailure::BadSignature => "bad_signature",
            VerifyFailure::TimestampOutOfTolerance => "timestamp_out_of_tolerance",
            VerifyFailure::Unauthorized => "unauthorized",
        }
    }
}

/// The adapter trapped, ran out of time or memory, or could not be instantiated.
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct AdapterFailure {
    /// `timeout`, `trap`, `instantiate` or `output_too_large`, for metrics
    /// and the request log.
    pub kind: &'static str,
    pub reason: String,
}

pub struct LoadedAdapter {
    runtime: Arc<Runtime>,
    pre: Pre,
    pub manifest: Manifest,
    /// Hex SHA-256 of the `.wasm` bytes.
    pub hash: String,
}

impl LoadedAdapter {
    pub(super) async fn new(
        runtime: Arc<Runtime>,
        component: Component,
        hash: String,
    ) -> Result<Self> {
        let pre = Pre::new(&runtime.linker, &component)?;
        let timeout = runtime.limits.call_timeout.max(LOAD_TIMEOUT);
        let raw = with_deadline(timeout, async {
            let (mut store, instance) = instantiate(&runtime, &pre, "manifest").await?;
            anyhow::Ok(instance.manifest(&mut store).await.map_err(failure)?)
        })
        .await?;
        let manifest = convert_manifest(raw, pre.contract())?;
        Ok(LoadedAdapter {
            runtime,
            pre,
            manifest,
            hash,
        })
    }

    /// Runs `verify` then, if it passed, `handle`, on one fresh instance,
    /// within the call deadline, once one of the runtime's call slots is free.
    pub async fn process(&self, call: &AdapterCall<'_>) -> Result<Verdict, AdapterFailure> {
        let _slot = self.runtime.slot().await;
        with_deadline(
            self.runtime.limits.call_timeout,
            self.verify_and_handle(call),
        )
        .await
    }

    /// [`LoadedAdapter::process`] if a call slot is free now; `None` if not
    /// (for work that must never make live calls wait).
    pub async fn process_if_free(
        &self,
        call: &AdapterCall<'_>,
    ) -> Option<Result<Verdict, AdapterFailure>> {
        let _slot = self.runtime.free_slot()?;
        Some(
            with_deadline(
                self.runtime.limits.call_timeout,
                self.verify_and_handle(call),
            )
            .await,
        )
    }

    /// One call on an instance of the source's pool if there is one, else a
    /// fresh one; the instance goes back to the pool only if the call ended
    /// well (see [`super::reuse`]).
    async fn verify_and_handle(&self, call: &AdapterCall<'_>) -> Result<Verdict, AdapterFailure> {
        let reuse = &self.runtime.limits.reuse;
        let pool = call.pool.filter(|_| reuse.enabled());
        let (mut store, instance, uses) = match pool.and_then(|p| p.take(&self.hash, reuse)) {
            Some(idle) => (idle.store, idle.instance, idle.uses),
            None => {
                let (store, instance) =
                    self.instantiate(call.tag)
                        .await
                        .map_err(|e| AdapterFailure {
                            kind: "instantiate",
                            reason: format!("{e:#}"),
                        })?;
                (store, instance, 0)
            }
        };
        // The epoch deadline counts from this call, and it may fetch only
        // what its own source may.
        store.epoch_deadline_async_yield_and_update(1);
        store.data_mut().fetch = call.fetch.cloned();
        let verdict = self.call(&mut store, &instance, call).await?;
        if let (Some(pool), Verdict::Events(_) | Verdict::Respond(_) | Verdict::Reply(_)) =
            (pool, &verdict)
        {
            pool.put(
                store,
                instance,
                &self.hash,
                uses + 1,
                reuse,
                &self.runtime.idle,
            );
        }
        Ok(verdict)
    }

    /// `verify`, then `handle` if it passed, on one instance.
    async fn call(
        &self,
        store: &mut Store<AdapterState>,
        instance: &Instance,
        call: &AdapterCall<'_>,
    ) -> Result<Verdict, AdapterFailure> {
        let context = types::Context {
            secrets: call.secrets.to_vec(),
            settings: call.settings.to_string(),
            now_ms: call.now_ms,
        };
        let (name, version) = (&self.manifest.name, &self.manifest.version);
        let span = spans::verify(name, version);
        let verified = instance
            .verify(&mut *store, call.request, &context)
            .instrument(span.clone())
            .await
            .map_err(failure)?;
        spans::record_verified(&span, verified.is_ok());
        if let Err(e) = verified {
            let (failure, detail) = verify_failure(e);
            return Ok(Verdict::Rejected { failure, detail });
        }
        let outcome = instance
            .handle(&mut *store, call.request, &context)
            .instrument(spans::handle(name, version))
            .await
            .map_err(failure)?;
        let size = match &outcome {
            Ok(types::Outcome::Events(events)) => events_size(events),
            Ok(types::Outcome::Respond(response)) => response_size(response),
            Ok(types::Outcome::Reply(reply)) => {
                events_size(&reply.events)
                    + reply.response.as_ref().map_or(0, response_size)
                    + reply
                        .follow_up
                        .as_ref()
                        .map_or(0, |f| f.url.len() + f.body.len() + headers_size(&f.headers))
            }
            Err(_) => 0,
        };
        if size > self.runtime.limits.output_bytes {
            return Err(AdapterFailure {
                kind: "output_too_large",
                reason: format!(
                    "handle returned {size} bytes, over the limit of {}",
                    self.runtime.limits.output_bytes
                ),
            });
        }
        Ok(match outcome {
            Ok(types::Outcome::Events(events)) => Verdict::Events(events),
            Ok(types::Outcome::Respond(response)) => Verdict::Respond(response),
            Ok(types::Outcome::Reply(reply)) => Verdict::Reply(reply),
            Err(types::HandleError::Malformed(detail)) => Verdict::HandleFailed {
                kind: "malformed",
                detail,
            },
            Err(types::HandleError::Other(detail)) => Verdict::HandleFailed {
                kind: "other",
                detail,
            },
        })
    }

    /// Asks the adapter what the vendor would send.
    pub async fn sign(&self, input: &types::SignInput) -> Result<types::SignedRequest> {
        let signed = with_deadline(self.runtime.limits.call_timeout, async {
            let (mut store, instance) = self.instantiate("sign").await?;
            anyhow::Ok(instance.sign(&mut store, input).await.map_err(failure)?)
        })
        .await?;
        match signed {
            Ok(signed) => Ok(signed),
            Err(message) => bail!("{} cannot sign: {message}", self.manifest.name),
        }
    }

    async fn instantiate(&self, tag: &str) -> Result<(Store<AdapterState>, Instance)> {
        instantiate(&self.runtime, &self.pre, tag).await
    }
}

/// A fresh store that yields to the runtime at every epoch tick, and the
/// adapter instantiated in it.
async fn instantiate(
    runtime: &Runtime,
    pre: &Pre,
    tag: &str,
) -> Result<(Store<AdapterState>, Instance)> {
    let mut store = Store::new(&runtime.engine, AdapterState::new(tag));
    store.limiter(|state| state);
    store.epoch_deadline_async_yield_and_update(1);
    let instance = pre.instantiate(&mut store).await?;
    Ok((store, instance))
}

/// The bound on instantiating an adapter and reading its manifest when it is
/// loaded. Not the per-request call timeout: loading is off the request path,
/// and its first instance may take a while (the 1 s call timeout failed a
/// JavaScript adapter's load in CI while the machine stalled); a manifest that
/// never returns still fails the load.
const LOAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs an adapter call within `timeout`. The call yields at every epoch
/// tick, so the timer can fire and drop it (and its instance) even when the
/// guest never returns.
async fn with_deadline<T, E: From<AdapterFailure>>(
    timeout: Duration,
    call: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E> {
    match tokio::time::timeout(timeout, call).await {
        Ok(result) => result,
        Err(_) => Err(AdapterFailure {
            kind: "timeout",
            reason: "deadline exceeded".into(),
        }
        .into()),
    }
}

/// Maps a wasmtime error (trap, interrupt, resource exhaustion) to a failure.
fn failure(error: wasmtime::Error) -> AdapterFailure {
    AdapterFailure {
        kind: "trap",
        reason: format!("{error:#}"),
    }
}

/// The failure and its detail for each verify error.
fn verify_failure(error: types::VerifyError) -> (VerifyFailure, String) {
    match error {
        types::VerifyError::MissingSignature(what) => (VerifyFailure::MissingSignature, what),
        types::VerifyError::Malformed(what) => (VerifyFailure::Malformed, what),
        types::VerifyError::BadSignature => (VerifyFailure::BadSignature, String::new()),
        types::VerifyError::TimestampOutOfTolerance(skew) => {
            (VerifyFailure::TimestampOutOfTolerance, format!("{skew} s"))
        }
        types::VerifyError::Unauthorized(why) => (VerifyFailure::Unauthorized, why),
    }
}

/// Bytes an adapter's output holds, for the output limit.
fn events_size(events: &[types::Event]) -> usize {
    events
        .iter()
        .map(|e| {
            e.event_type.len()
                + e.data.len()
                + e.dedup_id.as_ref().map_or(0, String::len)
                + e.subject.as_ref().map_or(0, String::len)
        })
        .sum()
}

fn response_size(response: &types::DirectResponse) -> usize {
    response.body.len() + headers_size(&response.headers)
}

fn headers_size(headers: &[types::Header]) -> usize {
    headers.iter().map(|h| h.name.len() + h.value.len()).sum()
}
