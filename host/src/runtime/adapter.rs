//! One loaded adapter and the calls the host makes into it.
//!
//! A [`LoadedAdapter`] holds a type-checked `InstancePre` (imports resolved
//! once) and the manifest read at load time. Each request instantiates it into
//! a fresh store from the pooling allocator (or takes one that served the
//! same source, [`super::reuse`]), with a deadline covering `verify` and
//! `handle` together, runs both on that one instance, and drops the store
//! unless the call ended well and it may serve again: a trap poisons only
//! that store, and no state crosses sources.

use super::bindings::hookyard::adapter::types;
use super::bindings::{AdapterWorld, AdapterWorldPre};
use super::engine::Runtime;
use super::error::wasm_error;
use super::host::AdapterState;
use super::reuse::InstancePool;
use crate::telemetry::spans;
use anyhow::{Context as _, Result, bail};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument as _;
use wasmtime::Store;
use wasmtime::component::Component;

/// The adapter's self-description, in host types (serializable for the API).
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub display_name: String,
    pub description: String,
    pub docs_url: String,
    pub secrets: Vec<SecretSpec>,
    pub settings_schema: serde_json::Value,
    pub event_types: Vec<EventTypeInfo>,
    pub discriminator: Discriminator,
    pub presets: Vec<Preset>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretSpec {
    pub label: String,
    pub help: String,
    pub required: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventTypeInfo {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Discriminator {
    pub location: &'static str,
    pub path: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preset {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub settings: serde_json::Value,
}

impl Manifest {
    /// Whether a source without secrets must reject everything.
    pub fn requires_secret(&self) -> bool {
        self.secrets.iter().any(|s| s.required)
    }

    /// Checks settings against the adapter's settings schema; the error
    /// names where in the settings each problem is (`settings/tolerance:
    /// ...`). A misspelt key is refused only where the schema says
    /// `additionalProperties: false`.
    pub fn check_settings(&self, settings: &serde_json::Value) -> Result<(), String> {
        check_against(&self.settings_schema, settings)
    }
}

/// `settings` against a JSON Schema; every problem, with its place.
fn check_against(schema: &serde_json::Value, settings: &serde_json::Value) -> Result<(), String> {
    let validator = jsonschema::validator_for(schema)
        .map_err(|e| format!("the adapter's settings schema is not a JSON Schema: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(settings)
        .map(|error| format!("settings{}: {error}", error.instance_path()))
        .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}

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
    pre: AdapterWorldPre<AdapterState>,
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
        let pre = runtime
            .linker
            .instantiate_pre(&component)
            .map_err(wasm_error)
            .context("the component does not match the hookyard:adapter@0.1.0 world")?;
        let pre = AdapterWorldPre::new(pre)
            .map_err(wasm_error)
            .context("the component does not export hookyard:adapter/adapter@0.1.0")?;
        let timeout = runtime.limits.call_timeout.max(LOAD_TIMEOUT);
        let raw = with_deadline(timeout, async {
            let (mut store, instance) = instantiate(&runtime, &pre, "manifest").await?;
            anyhow::Ok(
                instance
                    .hookyard_adapter_adapter()
                    .call_manifest(&mut store)
                    .await
                    .map_err(failure)?,
            )
        })
        .await?;
        let manifest = convert_manifest(raw)?;
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
        // The epoch deadline counts from this call.
        store.epoch_deadline_async_yield_and_update(1);
        let verdict = self.call(&mut store, &instance, call).await?;
        if let (Some(pool), Verdict::Events(_) | Verdict::Respond(_)) = (pool, &verdict) {
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
        instance: &AdapterWorld,
        call: &AdapterCall<'_>,
    ) -> Result<Verdict, AdapterFailure> {
        let context = types::Context {
            secrets: call.secrets.to_vec(),
            settings: call.settings.to_string(),
            now_ms: call.now_ms,
        };
        let adapter = instance.hookyard_adapter_adapter();
        let (name, version) = (&self.manifest.name, &self.manifest.version);
        let span = spans::verify(name, version);
        let verified = adapter
            .call_verify(&mut *store, call.request, &context)
            .instrument(span.clone())
            .await
            .map_err(failure)?;
        spans::record_verified(&span, verified.is_ok());
        if let Err(e) = verified {
            let (failure, detail) = verify_failure(e);
            return Ok(Verdict::Rejected { failure, detail });
        }
        let outcome = adapter
            .call_handle(&mut *store, call.request, &context)
            .instrument(spans::handle(name, version))
            .await
            .map_err(failure)?;
        let size = match &outcome {
            Ok(types::Outcome::Events(events)) => events
                .iter()
                .map(|e| {
                    e.event_type.len()
                        + e.data.len()
                        + e.dedup_id.as_ref().map_or(0, String::len)
                        + e.subject.as_ref().map_or(0, String::len)
                })
                .sum(),
            Ok(types::Outcome::Respond(response)) => {
                response.body.len()
                    + response
                        .headers
                        .iter()
                        .map(|h| h.name.len() + h.value.len())
                        .sum::<usize>()
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
            anyhow::Ok(
                instance
                    .hookyard_adapter_adapter()
                    .call_sign(&mut store, input)
                    .await
                    .map_err(failure)?,
            )
        })
        .await?;
        match signed {
            Ok(signed) => Ok(signed),
            Err(message) => bail!("{} cannot sign: {message}", self.manifest.name),
        }
    }

    async fn instantiate(&self, tag: &str) -> Result<(Store<AdapterState>, AdapterWorld)> {
        instantiate(&self.runtime, &self.pre, tag).await
    }
}

/// A fresh store that yields to the runtime at every epoch tick, and the
/// adapter instantiated in it.
async fn instantiate(
    runtime: &Runtime,
    pre: &AdapterWorldPre<AdapterState>,
    tag: &str,
) -> Result<(Store<AdapterState>, AdapterWorld)> {
    let mut store = Store::new(&runtime.engine, AdapterState::new(tag));
    store.limiter(|state| state);
    store.epoch_deadline_async_yield_and_update(1);
    let instance = pre
        .instantiate_async(&mut store)
        .await
        .map_err(wasm_error)?;
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

fn convert_manifest(raw: types::AdapterManifest) -> Result<Manifest> {
    let valid_name = |name: &str| {
        !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !valid_name(&raw.name) {
        bail!(
            "manifest name {:?} must be 1-64 characters of a-z, 0-9 and -",
            raw.name
        );
    }
    if raw.version.is_empty() {
        bail!("manifest of {} has no version", raw.name);
    }
    let settings_schema: serde_json::Value = serde_json::from_str(&raw.settings_schema)
        .with_context(|| format!("settings schema of {} is not JSON", raw.name))?;
    if let Err(e) = jsonschema::validator_for(&settings_schema) {
        bail!("settings schema of {} is not a JSON Schema: {e}", raw.name);
    }
    let mut presets = Vec::with_capacity(raw.presets.len());
    for preset in raw.presets {
        if !valid_name(&preset.name) {
            bail!("preset name {:?} of {} is not valid", preset.name, raw.name);
        }
        let settings = serde_json::from_str(&preset.settings)
            .with_context(|| format!("settings of preset {} are not JSON", preset.name))?;
        // A preset is settings a source starts from: they must pass the
        // check every source's settings pass.
        if let Err(e) = check_against(&settings_schema, &settings) {
            bail!(
                "the settings of preset {} do not fit the settings schema: {e}",
                preset.name
            );
        }
        presets.push(Preset {
            name: preset.name,
            display_name: preset.display_name,
            description: preset.description,
            settings,
        });
    }
    Ok(Manifest {
        discriminator: Discriminator {
            location: match raw.discriminator.location {
                types::DiscriminatorLocation::Header => "header",
                types::DiscriminatorLocation::Body => "body",
                types::DiscriminatorLocation::Query => "query",
                types::DiscriminatorLocation::Fixed => "fixed",
            },
            path: raw.discriminator.path,
            note: raw.discriminator.note,
        },
        secrets: raw
            .secrets
            .into_iter()
            .map(|s| SecretSpec {
                label: s.label,
                help: s.help,
                required: s.required,
            })
            .collect(),
        event_types: raw
            .event_types
            .into_iter()
            .map(|e| EventTypeInfo {
                name: e.name,
                description: e.description,
            })
            .collect(),
        name: raw.name,
        version: raw.version,
        display_name: raw.display_name,
        description: raw.description,
        docs_url: raw.docs_url,
        settings_schema,
        presets,
    })
}
