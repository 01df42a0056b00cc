//! Compiled components cached on disk by content hash.
//!
//! Compiling an adapter with Cranelift takes hundreds of milliseconds; loading a
//! precompiled artifact takes about one. The cache key is the SHA-256 of the
//! `.wasm` bytes plus a hash of the engine's compatibility settings, so a new
//! wasmtime version or a changed engine configuration never reuses a stale
//! artifact. The cache directory must be writable only by the operator: its
//! files are loaded as native code.

use super::error::wasm_error;
use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use wasmtime::Engine;
use wasmtime::component::Component;

pub struct CompileCache {
    dir: Option<PathBuf>,
    engine_key: String,
}

impl CompileCache {
    pub fn new(engine: &Engine, dir: Option<PathBuf>) -> CompileCache {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        CompileCache {
            dir,
            engine_key: format!("{:016x}", hasher.finish()),
        }
    }

    /// The component for `wasm` and the hex SHA-256 of its bytes.
    pub fn component(&self, engine: &Engine, wasm: &[u8]) -> Result<(Component, String)> {
        let hash = hex::encode(Sha256::digest(wasm));
        let Some(dir) = &self.dir else {
            return Ok((compile(engine, wasm)?, hash));
        };
        let path = dir.join(format!("{hash}-{}.cwasm", self.engine_key));
        if path.exists() {
            // SAFETY: the file was written by `Component::serialize` of this
            // engine configuration (the key says so) into an operator-owned
            // directory.
            match unsafe { Component::deserialize_file(engine, &path) } {
                Ok(component) => return Ok((component, hash)),
                Err(e) => {
                    tracing::warn!(path = %path.display(), "ignoring unreadable compile cache entry: {e:#}")
                }
            }
        }
        let component = compile(engine, wasm)?;
        if let Err(e) = store(&path, &component) {
            tracing::warn!(path = %path.display(), "could not write the compile cache: {e:#}");
        }
        Ok((component, hash))
    }
}

fn compile(engine: &Engine, wasm: &[u8]) -> Result<Component> {
    Component::new(engine, wasm)
        .map_err(wasm_error)
        .context("compiling the component")
}

fn store(path: &std::path::Path, component: &Component) -> Result<()> {
    let dir = path.parent().expect("cache entries live in a directory");
    std::fs::create_dir_all(dir)?;
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temp, component.serialize().map_err(wasm_error)?)?;
    std::fs::rename(&temp, path)?;
    Ok(())
}
