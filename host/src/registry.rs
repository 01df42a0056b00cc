//! The loaded adapters and the presets they offer, behind one atomic pointer,
//! and the versions kept for rollback and pinning.
//!
//! Requests read the current [`Catalog`] without locking (`ArcSwap::load`); a
//! scan of the plugins directory validates what changed, builds a whole new
//! catalog and swaps it in, so a request in flight keeps the adapter it
//! started with and no request waits for a compile. Every version that
//! validates is copied to the versions directory, from which a rollback
//! writes it back and a pinned source loads it. Presets are what end users
//! pick: an adapter offers one preset per entry of its manifest's `presets`,
//! or one named after itself when it lists none.

use crate::alerts::Alert;
use crate::catalog::Catalog;
use crate::fixture_runner::run_fixtures;
use crate::metrics::Metrics;
use crate::runtime::{LoadedAdapter, Runtime};
use crate::store::uploads;
use anyhow::{Context as _, Result};
use arc_swap::ArcSwap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::Mutex;

/// The adapters a plugins directory holds, rescanned on demand.
pub struct Registry {
    runtime: Arc<Runtime>,
    dir: PathBuf,
    /// Every version that ever validated, for `plugin list` and rollback;
    /// `None` keeps no history (the offline tools).
    versions: Option<PathBuf>,
    metrics: Arc<Metrics>,
    current: ArcSwap<Catalog>,
    /// What the last scan found in each file. The lock also serializes scans.
    files: Mutex<BTreeMap<PathBuf, FileState>>,
    /// Kept versions loaded for sources pinned to them, by hash.
    pinned: Mutex<BTreeMap<String, Arc<LoadedAdapter>>>,
    /// The upload hash of each adapter this server last wrote to the directory.
    uploads_applied: Mutex<BTreeMap<String, String>>,
}

/// What a scan did.
pub struct Scan {
    /// A new catalog was swapped in.
    pub changed: bool,
    /// The files that failed validation, as the alerts they raise.
    pub rejected: Vec<Alert>,
}

/// A `.wasm` file as last scanned.
struct FileState {
    /// Unchanged means not read again.
    stamp: Stamp,
    /// SHA-256 of the bytes last validated (accepted or not).
    hash: String,
    /// The last version of this file that passed validation, if any: a
    /// rejected rewrite leaves it serving.
    adapter: Option<Arc<LoadedAdapter>>,
}

/// Length, modification time and inode: a file renamed into place is a new
/// inode, one rewritten in place a new modification time.
type Stamp = (u64, Option<SystemTime>, u64);

impl Registry {
    /// A registry of `dir` with nothing loaded yet; [`Registry::scan`] loads.
    /// Rejected files are counted in `metrics`; validated versions are kept
    /// in `versions`, if given.
    pub fn new(
        runtime: &Arc<Runtime>,
        dir: &Path,
        versions: Option<PathBuf>,
        metrics: Arc<Metrics>,
    ) -> Registry {
        Registry {
            runtime: runtime.clone(),
            dir: dir.to_path_buf(),
            versions,
            metrics,
            current: ArcSwap::from_pointee(Catalog::default()),
            files: Mutex::new(BTreeMap::new()),
            pinned: Mutex::new(BTreeMap::new()),
            uploads_applied: Mutex::new(BTreeMap::new()),
        }
    }

    /// Loads every adapter of `dir` once.
    pub async fn load_dir(
        runtime: &Arc<Runtime>,
        dir: &Path,
        versions: Option<PathBuf>,
        metrics: Arc<Metrics>,
    ) -> Result<Registry> {
        let registry = Registry::new(runtime, dir, versions, metrics);
        registry.scan().await?;
        Ok(registry)
    }

    /// The plugins directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        self.current.load_full()
    }

    /// Brings the catalog in line with the directory: validates new and
    /// changed files (off the request path: compiling runs on a blocking
    /// thread), drops removed ones, and swaps in a new catalog if anything
    /// changed. Requests in flight keep the adapter they started with. A file
    /// that fails validation is logged and counted, and whatever that file
    /// held before keeps serving: one broken adapter must not take down others.
    /// Returns whether a new catalog was swapped in, and the files rejected.
    pub async fn scan(&self) -> Result<Scan> {
        let mut files = self.files.lock().await;
        let listed = list_candidates(&self.dir)?;
        let mut changed = false;
        let mut rejected = Vec::new();
        let mut loaded = Vec::new();
        files.retain(|path, state| {
            let keep = listed.contains_key(path);
            if !keep && let Some(adapter) = &state.adapter {
                tracing::info!(adapter = %adapter.manifest.name, version = %adapter.manifest.version,
                    file = %path.display(), "adapter file removed; unloading");
                changed = true;
            }
            keep
        });
        for (path, stamp) in listed {
            let known = files.get(&path);
            if known.is_some_and(|f| f.stamp == stamp) {
                continue;
            }
            let wasm = match std::fs::read(&path) {
                Ok(wasm) => wasm,
                // Removed or replaced between listing and reading: the next
                // event or rescan sees its final state.
                Err(e) => {
                    tracing::warn!(file = %path.display(), "could not read: {e}");
                    continue;
                }
            };
            let hash = hex::encode(Sha256::digest(&wasm));
            let previous = known.and_then(|f| f.adapter.clone());
            if known.is_some_and(|f| f.hash == hash) {
                let state = FileState {
                    stamp,
                    hash,
                    adapter: previous,
                };
                files.insert(path, state);
                continue;
            }
            let adapter = match self.validate(&path, &wasm).await {
                Ok(adapter) => {
                    tracing::debug!(adapter = %adapter.manifest.name, version = %adapter.manifest.version,
                        hash = %adapter.hash, file = %path.display(), "adapter loaded");
                    loaded.push(format!(
                        "{} {} ({})",
                        adapter.manifest.name,
                        adapter.manifest.version,
                        path.display()
                    ));
                    if let Some(versions) = &self.versions
                        && let Err(e) = keep_version(versions, &adapter, &wasm)
                    {
                        tracing::warn!(dir = %versions.display(), "could not keep this version for rollback: {e:#}");
                    }
                    changed = true;
                    Some(adapter)
                }
                Err(e) => {
                    match &previous {
                        Some(old) => tracing::error!(file = %path.display(),
                            "adapter rejected: {e:#}; {} {} keeps serving", old.manifest.name, old.manifest.version),
                        None => tracing::error!(file = %path.display(), "adapter rejected: {e:#}"),
                    }
                    let file = path.file_name().unwrap_or_default().to_string_lossy();
                    self.metrics.count_adapter_rejected(&file);
                    rejected.push(Alert::AdapterRejected {
                        file: file.into_owned(),
                        hash: hash.clone(),
                        error: format!("{e:#}"),
                        keeps_serving: previous
                            .as_ref()
                            .map(|old| format!("{} {}", old.manifest.name, old.manifest.version)),
                    });
                    previous
                }
            };
            files.insert(
                path,
                FileState {
                    stamp,
                    hash,
                    adapter,
                },
            );
        }
        // One line per scan: a hot load names its adapter, a start counts
        // them (each is at DEBUG).
        match loaded.as_slice() {
            [] => {}
            [one] => tracing::info!("adapter loaded: {one}"),
            many => tracing::info!(
                "{} adapters loaded from {} (HOOKYARD_LOG=hookyard=debug lists them)",
                many.len(),
                self.dir.display()
            ),
        }
        if changed {
            let mut adapters = BTreeMap::new();
            for (path, state) in files.iter() {
                let Some(adapter) = &state.adapter else {
                    continue;
                };
                let name = adapter.manifest.name.clone();
                if adapters.insert(name.clone(), adapter.clone()).is_some() {
                    tracing::warn!(adapter = %name, "two files declare this adapter; the later file ({}) wins", path.display());
                }
            }
            self.current.store(Arc::new(Catalog::build(adapters)));
        }
        Ok(Scan { changed, rejected })
    }

    /// A candidate must compile, match the adapter world (the instantiate-pre
    /// type check), return a sane manifest, and pass the fixtures shipped
    /// beside it in `<file stem>.fixtures/`, if that directory exists.
    async fn validate(&self, path: &Path, wasm: &[u8]) -> Result<Arc<LoadedAdapter>> {
        let adapter = self.runtime.load(wasm).await?;
        let fixtures = path.with_extension("fixtures");
        if fixtures.is_dir() {
            let failures: Vec<String> = run_fixtures(&adapter, &fixtures)
                .await?
                .into_iter()
                .filter(|run| !run.diffs.is_empty())
                .map(|run| format!("{}: {}", run.name, run.diffs.join(", ")))
                .collect();
            if !failures.is_empty() {
                anyhow::bail!(
                    "{} of its fixtures in {} failed: {}",
                    failures.len(),
                    fixtures.display(),
                    failures.join("; ")
                );
            }
        }
        Ok(adapter)
    }
}

/// A version kept in the versions directory: `<hash>.wasm` and this, as
/// `<hash>.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeptVersion {
    pub name: String,
    pub version: String,
    pub hash: String,
    /// When this server first validated it (ms since the Unix epoch).
    pub first_seen: i64,
}

fn keep_version(dir: &Path, adapter: &LoadedAdapter, wasm: &[u8]) -> Result<()> {
    let meta = dir.join(format!("{}.json", adapter.hash));
    if meta.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    write_atomically(&dir.join(format!("{}.wasm", adapter.hash)), wasm)?;
    let kept = KeptVersion {
        name: adapter.manifest.name.clone(),
        version: adapter.manifest.version.clone(),
        hash: adapter.hash.clone(),
        first_seen: crate::store::now_ms(),
    };
    write_atomically(&meta, &serde_json::to_vec(&kept)?)
}

/// Writes `path` through a dot file and a rename, so a reader (the watcher
/// included) sees the old content or the new, never part of it.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)?;
    Ok(())
}

/// Why a rollback did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RollbackError {
    #[error("no adapter {0} is loaded")]
    NotLoaded(String),
    #[error("{0}")]
    NoTarget(String),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl Registry {
    /// Every kept version, newest first, grouped by adapter name.
    pub fn history(&self) -> Result<BTreeMap<String, Vec<KeptVersion>>> {
        let mut history: BTreeMap<String, Vec<KeptVersion>> = BTreeMap::new();
        let Some(dir) = &self.versions else {
            return Ok(history);
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(history),
            Err(e) => return Err(e.into()),
        };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "json") && is_visible(&path) {
                let kept: KeptVersion = serde_json::from_slice(&std::fs::read(&path)?)
                    .with_context(|| format!("reading {}", path.display()))?;
                history.entry(kept.name.clone()).or_default().push(kept);
            }
        }
        for versions in history.values_mut() {
            versions.sort_by_key(|v| std::cmp::Reverse(v.first_seen));
        }
        Ok(history)
    }

    /// Writes each upload stored in the database that this server has not
    /// applied yet into the plugins directory: over the file the adapter is
    /// loaded from, or as `<name>.wasm` (the next scan validates and swaps it). Called before every scan, so the servers on
    /// one database converge within a rescan interval.
    pub async fn sync_uploads(&self, pool: &sqlx::AnyPool) -> Result<()> {
        let mut applied = self.uploads_applied.lock().await;
        for (name, hash) in uploads::list(pool).await? {
            if applied.get(&name) == Some(&hash) {
                continue;
            }
            let file = match self.file_of(&name).await {
                Some(file) => file,
                None => self.dir.join(format!("{name}.wasm")),
            };
            let current = std::fs::read(&file)
                .ok()
                .map(|b| hex::encode(Sha256::digest(&b)));
            if current.as_ref() != Some(&hash) {
                // Replaced meanwhile: the next sync writes the newer one.
                let Some(wasm) = uploads::wasm(pool, &name, &hash).await? else {
                    continue;
                };
                write_atomically(&file, &wasm).with_context(|| {
                    format!("writing the upload of {name} to {}", file.display())
                })?;
                tracing::info!(adapter = %name, hash = %hash, file = %file.display(), "upload written");
            }
            applied.insert(name, hash);
        }
        Ok(())
    }

    /// The file the live adapter `name` was loaded from.
    async fn file_of(&self, name: &str) -> Option<PathBuf> {
        let live = self.catalog().adapters.get(name).cloned()?;
        let files = self.files.lock().await;
        files
            .iter()
            .find(|(_, f)| f.adapter.as_ref().is_some_and(|a| Arc::ptr_eq(a, &live)))
            .map(|(path, _)| path.clone())
    }

    /// The bytes of a kept version.
    pub fn kept_wasm(&self, hash: &str) -> Result<Vec<u8>> {
        let dir = self.versions.as_ref().context("no versions directory")?;
        std::fs::read(dir.join(format!("{hash}.wasm"))).context("reading the kept version")
    }

    /// Validates a candidate sent through the API (the checks of a file but
    /// fixtures) and keeps it as a version, without serving it.
    pub async fn candidate(&self, wasm: &[u8]) -> Result<Arc<LoadedAdapter>> {
        let adapter = self.runtime.load(wasm).await?;
        if let Some(versions) = &self.versions {
            keep_version(versions, &adapter, wasm)?;
        }
        Ok(adapter)
    }

    /// Version `version` of adapter `name`, for a source pinned to it: the
    /// live one if it is that version, else the newest kept copy of it
    /// (loaded once). `None` when no such version is kept.
    pub async fn pinned(&self, name: &str, version: &str) -> Result<Option<Arc<LoadedAdapter>>> {
        if let Some(live) = self.catalog().adapters.get(name)
            && live.manifest.version == version
        {
            return Ok(Some(live.clone()));
        }
        let Some(kept) = self
            .history()?
            .remove(name)
            .unwrap_or_default()
            .into_iter()
            .find(|v| v.version == version)
        else {
            return Ok(None);
        };
        let mut pinned = self.pinned.lock().await;
        if let Some(adapter) = pinned.get(&kept.hash) {
            return Ok(Some(adapter.clone()));
        }
        let dir = self.versions.as_ref().expect("history came from it");
        let path = dir.join(format!("{}.wasm", kept.hash));
        let adapter = self.runtime.load_file(&path).await?;
        pinned.insert(kept.hash, adapter.clone());
        Ok(Some(adapter))
    }

    /// Puts a kept version of `name` back into the file that serves it now:
    /// the version or hash `to`, or else the newest kept version other than
    /// the live one. The directory stays the truth, so the rollback survives
    /// a restart; the caller rescans to swap it in.
    pub async fn rollback(
        &self,
        name: &str,
        to: Option<&str>,
    ) -> Result<KeptVersion, RollbackError> {
        let live = self
            .catalog()
            .adapters
            .get(name)
            .cloned()
            .ok_or_else(|| RollbackError::NotLoaded(name.to_string()))?;
        let file = self
            .file_of(name)
            .await
            .ok_or_else(|| RollbackError::NotLoaded(name.to_string()))?;
        let versions = self.history()?.remove(name).unwrap_or_default();
        let target = match to {
            Some(to) => versions
                .into_iter()
                .find(|v| v.version == to || v.hash == to)
                .ok_or_else(|| {
                    RollbackError::NoTarget(format!("no kept version {to} of {name}"))
                })?,
            None => versions
                .into_iter()
                .find(|v| v.hash != live.hash)
                .ok_or_else(|| {
                    RollbackError::NoTarget(format!("no other version of {name} is kept"))
                })?,
        };
        let wasm = self.kept_wasm(&target.hash)?;
        write_atomically(&file, &wasm)?;
        tracing::info!(adapter = name, version = %target.version, hash = %target.hash,
            file = %file.display(), "rolled back");
        Ok(target)
    }
}

/// Whether a directory entry may hold an adapter: `*.wasm`, not a dot file.
/// Editors' and copy tools' temporary names (`.x.wasm.swp`, `x.wasm.tmp`,
/// `x.wasm~`) never qualify, so writing a file elsewhere and renaming it in is
/// one atomic change.
pub fn is_candidate(path: &Path) -> bool {
    is_visible(path) && path.extension().is_some_and(|ext| ext == "wasm")
}

/// Not a dot file (ours or an editor's temporary).
fn is_visible(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| !name.starts_with('.'))
}

/// The candidate files of `dir` and their stamps.
fn list_candidates(dir: &Path) -> Result<BTreeMap<PathBuf, Stamp>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("reading plugins directory {}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let path = entry.path();
            let meta = std::fs::metadata(&path).ok()?;
            (meta.is_file() && is_candidate(&path))
                .then(|| (path, (meta.len(), meta.modified().ok(), meta.ino())))
        })
        .collect())
}
