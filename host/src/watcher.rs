//! Hot loading: the plugins directory is watched and rescanned, so an operator
//! ships a new or fixed adapter by dropping a `.wasm` file in, without a
//! restart and without failing a request.
//!
//! The directory itself is watched (not each file: a file renamed into place
//! is a new inode). Events only wake the scanner, which waits for the
//! directory to be quiet for [`DEBOUNCE`] and then rescans it as a whole
//! ([`Registry::scan`]): validation runs there, off the request path, and a
//! new catalog is swapped in only when something validated. A periodic rescan
//! catches changes whose events were lost (an overflowing inotify queue, a
//! network file system). After a swap the source table is rebuilt, so sources
//! pick up the new adapter; requests in flight finish on the old one. A file
//! that fails validation raises a `hookyard.adapter.rejected` alert.

use crate::alerts::{Alert, Alerts};
use crate::registry::{Registry, is_candidate};
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::tasks::Stop;
use anyhow::{Context as _, Result};
use notify::{RecursiveMode, Watcher as _};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Quiet time after the last event before a rescan: one copy or rename makes
/// several events.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// Longest a stream of events can postpone a rescan.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// Keeps the directory watched while alive.
pub struct Watcher {
    _watcher: notify::RecommendedWatcher,
}

/// Starts watching the registry's directory, and returns the task that
/// rescans on its events and every `rescan_every`, until `stop`.
pub fn start(
    registry: Arc<Registry>,
    db: Database,
    sources: Arc<SourceTable>,
    alerts: Alerts,
    rescan_every: Duration,
    mut stop: Stop,
) -> Result<(Watcher, impl std::future::Future<Output = ()>)> {
    let dir = registry.dir().to_path_buf();
    // One pending wake-up is enough: the rescan looks at the whole directory.
    let (wake, mut woken) = mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            Ok(event) => event.paths.iter().any(|path| is_candidate(path)),
            Err(e) => {
                tracing::warn!("plugins directory watch: {e}; rescanning");
                true
            }
        };
        if relevant {
            let _ = wake.try_send(());
        }
    })
    .context("starting the plugins directory watcher")?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", dir.display()))?;

    let task = async move {
        let mut periodic = tokio::time::interval(rescan_every);
        periodic.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        periodic.tick().await; // the first tick is immediate; serve just scanned
        loop {
            tokio::select! {
                woke = woken.recv() => {
                    if woke.is_none() {
                        return; // the watcher was dropped: shutting down
                    }
                    debounce(&mut woken).await;
                }
                _ = periodic.tick() => {}
                _ = stop.requested() => return,
            }
            for rejected in rescan(&registry, &db, &sources).await {
                alerts.raise(rejected).await;
            }
        }
    };
    Ok((Watcher { _watcher: watcher }, task))
}

/// Returns once no event came for [`DEBOUNCE`], or after [`MAX_DELAY`].
async fn debounce(woken: &mut mpsc::Receiver<()>) {
    let give_up = tokio::time::sleep(MAX_DELAY);
    tokio::pin!(give_up);
    loop {
        tokio::select! {
            _ = &mut give_up => return,
            _ = tokio::time::sleep(DEBOUNCE) => return,
            woke = woken.recv() => if woke.is_none() { return },
        }
    }
}

/// Scans the directory; on a change, rebinds the sources to the new catalog.
/// Returns the alerts of the files it rejected.
pub async fn rescan(registry: &Registry, db: &Database, sources: &SourceTable) -> Vec<Alert> {
    if let Err(e) = registry.sync_uploads(&db.pool).await {
        tracing::error!("applying uploaded adapters: {e:#}");
    }
    match registry.scan().await {
        Ok(scan) => {
            if scan.changed
                && let Err(e) = sources.reload().await
            {
                tracing::error!("rebinding sources to the new adapters: {e:#}");
            }
            scan.rejected
        }
        Err(e) => {
            tracing::error!("rescanning the plugins directory: {e:#}");
            Vec::new()
        }
    }
}
