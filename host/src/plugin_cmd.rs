//! Offline adapter tools: `plugin inspect`, `plugin test`, `plugin docs` and
//! `send` (the command line is in [`crate::cli`]; the fixture runner is
//! [`crate::fixture_runner`], which the registry runs on every adapter it
//! loads too).
//!
//! They load adapters through the same [`Runtime`] as the server, so a fixture
//! that passes here passes in production, sandbox limits included.

use crate::catalog::{PresetEntry, presets_of};
use crate::fixture_runner::run_fixtures;
use crate::registry::{Registry, is_candidate};
use crate::runtime::{LoadedAdapter, Runtime, RuntimeLimits, SignInput};
use crate::store::now_ms;
use anyhow::{Context as _, Result, bail};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The compile cache the tools share with `serve`: `HOOKYARD_CACHE_DIR` when
/// set (the variable `serve --cache-dir` reads), else `.cache` in the adapters'
/// directory, as `serve --plugins DIR` uses by default. Loading all bundled
/// adapters then takes milliseconds instead of seconds, and JavaScript and
/// Python adapters (10-20 MB components) compile once, not on every call.
fn cache_dir(plugins: &Path) -> PathBuf {
    std::env::var_os("HOOKYARD_CACHE_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| plugins.join(".cache"), PathBuf::from)
}

async fn load(path: &Path) -> Result<Arc<LoadedAdapter>> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let runtime = Runtime::new(RuntimeLimits::default(), Some(cache_dir(dir)))?;
    runtime.load_file(path).await
}

/// The adapter's manifest as JSON, with the component's `sha256`.
pub async fn inspect(path: &Path) -> Result<Value> {
    let adapter = load(path).await?;
    let mut manifest = serde_json::to_value(&adapter.manifest)?;
    manifest["sha256"] = Value::String(adapter.hash.clone());
    Ok(manifest)
}

/// Runs every fixture through the adapter; `Ok(false)` when any failed.
pub async fn test(path: &Path, fixtures: Option<PathBuf>) -> Result<bool> {
    let adapter = load(path).await?;
    let dir = match fixtures {
        Some(dir) => dir,
        None => {
            let guess = PathBuf::from("plugins")
                .join(&adapter.manifest.name)
                .join("fixtures");
            if !guess.is_dir() {
                bail!("no --fixtures given and {} does not exist", guess.display());
            }
            guess
        }
    };
    let runs = run_fixtures(&adapter, &dir).await?;
    let failed = runs.iter().filter(|run| !run.diffs.is_empty()).count();
    for run in &runs {
        if run.diffs.is_empty() {
            println!("ok    {}  {}", run.name, run.description);
        } else {
            println!("FAIL  {}  {}", run.name, run.description);
            for diff in &run.diffs {
                println!("        {diff}");
            }
        }
    }
    println!("{} passed, {failed} failed", runs.len() - failed);
    Ok(failed == 0)
}

/// Loads every adapter of a plugins directory.
async fn load_all(plugins: &Path) -> Result<Registry> {
    let runtime = Runtime::new(RuntimeLimits::default(), Some(cache_dir(plugins)))?;
    Registry::load_dir(&runtime, plugins, None, Default::default()).await
}

/// Prints the preset reference for every adapter in `plugins`.
pub async fn docs(plugins: &Path) -> Result<()> {
    let registry = load_all(plugins).await?;
    print!("{}", crate::preset_docs::render(&registry.catalog()));
    Ok(())
}

/// What `hookyard send` needs.
pub struct SendArgs {
    pub plugins: PathBuf,
    pub preset: String,
    pub secret: String,
    pub event: Option<String>,
    pub body: Vec<u8>,
    pub to: String,
    pub settings: Value,
}

/// Signs `body` as the preset's vendor would and posts it; says on stderr
/// which adapter file signed, prints the answer's status and body, and
/// returns the status.
pub async fn send(args: SendArgs) -> Result<u16> {
    let (file, preset) = find_preset(&args.plugins, &args.preset).await?;
    let manifest = &preset.adapter.manifest;
    let mut settings = preset.settings.clone();
    if let (Value::Object(base), Value::Object(extra)) = (&mut settings, args.settings) {
        base.extend(extra);
    }
    let signed = preset
        .adapter
        .sign(&SignInput {
            body: args.body,
            secret: args.secret,
            event_type: args.event,
            delivery_id: uuid::Uuid::now_v7().to_string(),
            url: args.to.clone(),
            settings: settings.to_string(),
            now_ms: now_ms(),
        })
        .await?;
    eprintln!(
        "signed with {} ({} {})",
        file.display(),
        manifest.name,
        manifest.version
    );
    let method = reqwest::Method::from_bytes(signed.method.as_bytes())
        .context("adapter returned a bad method")?;
    let mut request = reqwest::Client::new()
        .request(method, &signed.url)
        .body(signed.body);
    for header in signed.headers {
        request = request.header(header.name, header.value);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("sending to {}", signed.url))?;
    let status = response.status();
    println!("{status}");
    println!("{}", response.text().await.unwrap_or_default());
    Ok(status.as_u16())
}

/// The adapter file of `plugins` offering `preset`, and the preset. Loads
/// one adapter at a time and stops at the first that offers it, starting
/// with `PRESET.wasm` (a bundled adapter is named after its main preset), so
/// usually only that one is loaded.
async fn find_preset(plugins: &Path, preset: &str) -> Result<(PathBuf, PresetEntry)> {
    let entries = std::fs::read_dir(plugins).with_context(|| {
        format!(
            "reading the adapters directory {} (send signs with a local copy of the adapter: \
             pass --plugins DIR, e.g. the server's plugins directory, or run from the checkout \
             after ./dev setup)",
            plugins.display()
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.is_file() && is_candidate(path))
        .collect();
    files.sort();
    files.sort_by_key(|path| path.file_stem().is_none_or(|stem| stem != preset));
    let runtime = Runtime::new(RuntimeLimits::default(), Some(cache_dir(plugins)))?;
    let mut offered = Vec::new();
    for file in files {
        let adapter = match runtime.load_file(&file).await {
            Ok(adapter) => adapter,
            Err(e) => {
                tracing::warn!("skipping {}: {e:#}", file.display());
                continue;
            }
        };
        let presets = presets_of(&adapter);
        if let Some(found) = presets.iter().find(|p| p.name == preset) {
            return Ok((file, found.clone()));
        }
        offered.extend(presets.into_iter().map(|p| p.name));
    }
    let hint = crate::suggest::did_you_mean(preset, offered.iter().map(String::as_str))
        .map_or_else(String::new, |question| format!("; {question}"));
    bail!(
        "no adapter in {} offers the preset {preset:?}{hint}",
        plugins.display()
    )
}
