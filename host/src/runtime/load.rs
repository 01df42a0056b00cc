//! Loading: `.wasm` bytes to a [`LoadedAdapter`], compiled once (or taken
//! from the cache), type-checked against the adapter world and described by
//! its manifest.

use super::adapter::LoadedAdapter;
use super::engine::Runtime;
use anyhow::{Context as _, Result};
use std::sync::Arc;

impl Runtime {
    /// Compiles (or fetches from the cache), type-checks and describes one
    /// adapter. Fails if the bytes are not a component of the adapter world or
    /// its manifest is not sane.
    /// Compiling takes Cranelift hundreds of milliseconds, so it runs on a
    /// blocking thread: a hot reload never stalls the requests being served.
    pub async fn load(self: &Arc<Self>, wasm: &[u8]) -> Result<Arc<LoadedAdapter>> {
        let runtime = self.clone();
        let wasm = wasm.to_vec();
        let (component, hash) =
            tokio::task::spawn_blocking(move || runtime.cache.component(&runtime.engine, &wasm))
                .await
                .context("the compile thread panicked")??;
        LoadedAdapter::new(self.clone(), component, hash)
            .await
            .map(Arc::new)
    }

    /// Reads and loads a `.wasm` file.
    pub async fn load_file(self: &Arc<Self>, path: &std::path::Path) -> Result<Arc<LoadedAdapter>> {
        let wasm = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        self.load(&wasm)
            .await
            .with_context(|| format!("loading {}", path.display()))
    }
}
