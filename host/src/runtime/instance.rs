//! One adapter instance, of either contract version, behind one API.
//!
//! The host speaks 0.2 ([`super::bindings::v02`]); a component that exports
//! the 0.1 interface gets its calls translated on the way in and out
//! ([`super::compat`]), so everything above this module sees one kind of
//! adapter.

use super::bindings::{v01, v02};
use super::compat;
use super::error::wasm_error;
use super::host::AdapterState;
use anyhow::{Result, anyhow};
use v02::hookyard::adapter::types;
use wasmtime::Store;
use wasmtime::component::{Component, Linker};

/// A component type-checked against one contract version, imports resolved.
pub(super) enum Pre {
    V02(v02::AdapterWorldPre<AdapterState>),
    V01(v01::AdapterWorldPre<AdapterState>),
}

/// An instantiated adapter.
pub(super) enum Instance {
    V02(v02::AdapterWorld),
    V01(v01::AdapterWorld),
}

impl Pre {
    /// The contract version the component exports: 0.2, else 0.1.
    pub fn new(linker: &Linker<AdapterState>, component: &Component) -> Result<Pre> {
        let pre = linker.instantiate_pre(component).map_err(|e| {
            anyhow!(
                "the component imports what the host does not offer (hookyard:adapter@0.2.0 or @0.1.0, and WASI): {}",
                wasm_error(e)
            )
        })?;
        if let Ok(pre) = v02::AdapterWorldPre::new(pre.clone()) {
            return Ok(Pre::V02(pre));
        }
        match v01::AdapterWorldPre::new(pre) {
            Ok(pre) => Ok(Pre::V01(pre)),
            Err(_) => Err(anyhow!(
                "the component exports neither hookyard:adapter/adapter@0.2.0 nor @0.1.0"
            )),
        }
    }

    /// `0.2.0` or `0.1.0`.
    pub fn contract(&self) -> &'static str {
        match self {
            Pre::V02(_) => "0.2.0",
            Pre::V01(_) => "0.1.0",
        }
    }

    pub async fn instantiate(&self, store: &mut Store<AdapterState>) -> Result<Instance> {
        Ok(match self {
            Pre::V02(pre) => Instance::V02(pre.instantiate_async(store).await.map_err(wasm_error)?),
            Pre::V01(pre) => Instance::V01(pre.instantiate_async(store).await.map_err(wasm_error)?),
        })
    }
}

impl Instance {
    pub async fn manifest(
        &self,
        store: &mut Store<AdapterState>,
    ) -> wasmtime::Result<types::AdapterManifest> {
        match self {
            Instance::V02(i) => i.hookyard_adapter_adapter().call_manifest(store).await,
            Instance::V01(i) => Ok(compat::manifest(
                i.hookyard_adapter_adapter().call_manifest(store).await?,
            )),
        }
    }

    pub async fn verify(
        &self,
        store: &mut Store<AdapterState>,
        request: &types::Request,
        context: &types::Context,
    ) -> wasmtime::Result<Result<(), types::VerifyError>> {
        match self {
            Instance::V02(i) => {
                i.hookyard_adapter_adapter()
                    .call_verify(store, request, context)
                    .await
            }
            Instance::V01(i) => Ok(i
                .hookyard_adapter_adapter()
                .call_verify(store, &compat::request(request), &compat::context(context))
                .await?
                .map_err(compat::verify_error)),
        }
    }

    pub async fn handle(
        &self,
        store: &mut Store<AdapterState>,
        request: &types::Request,
        context: &types::Context,
    ) -> wasmtime::Result<Result<types::Outcome, types::HandleError>> {
        match self {
            Instance::V02(i) => {
                i.hookyard_adapter_adapter()
                    .call_handle(store, request, context)
                    .await
            }
            Instance::V01(i) => Ok(i
                .hookyard_adapter_adapter()
                .call_handle(store, &compat::request(request), &compat::context(context))
                .await?
                .map(compat::outcome)
                .map_err(compat::handle_error)),
        }
    }

    pub async fn sign(
        &self,
        store: &mut Store<AdapterState>,
        input: &types::SignInput,
    ) -> wasmtime::Result<Result<types::SignedRequest, String>> {
        match self {
            Instance::V02(i) => i.hookyard_adapter_adapter().call_sign(store, input).await,
            Instance::V01(i) => Ok(i
                .hookyard_adapter_adapter()
                .call_sign(store, &compat::sign_input(input))
                .await?
                .map(compat::signed_request)),
        }
    }
}
