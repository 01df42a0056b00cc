//! A consistent copy of a live SQLite database, for `hookyard backup`.
//!
//! `VACUUM INTO` reads the whole database in one read transaction: in WAL
//! mode that sees one committed state while the server keeps writing (a
//! reader and the writer do not block each other), and writes it out compact.
//! The copy goes to a temporary name next to the target, is checked
//! (`PRAGMA quick_check`), synced and renamed, so a file at the target name
//! is always a whole backup. The master key is not in the database: the copy
//! is only useful with it, and is as safe as a copy of the file would be
//! (secrets and raw requests are sealed).

use anyhow::{Context as _, Result, bail};
use rusqlite::{Connection, OpenFlags};
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupSummary {
    /// Events in the copy.
    pub events: i64,
    pub bytes: u64,
    pub took: Duration,
}

/// Copies the database at `url` (`sqlite://FILE`) to `to`, which must not
/// exist.
pub fn backup(url: &str, to: &Path) -> Result<BackupSummary> {
    let started = Instant::now();
    let source = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("parsing database URL {url}"))?
        .get_filename()
        .to_path_buf();
    if to.exists() {
        bail!("{} exists: a backup never overwrites a file", to.display());
    }
    let conn = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .with_context(|| format!("no database at {}", source.display()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let partial = partial_name(to);
    let _ = std::fs::remove_file(&partial);
    let copied = conn
        .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .with_context(|| format!("copying {} to {}", source.display(), partial.display()));
    if let Err(e) = copied.and_then(|_| check_and_sync(&partial)) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    let events = Connection::open_with_flags(&partial, OpenFlags::SQLITE_OPEN_READ_ONLY)?
        .query_row("SELECT COUNT(*) FROM events", [], |row| row.get(0))?;
    std::fs::rename(&partial, to).with_context(|| format!("renaming to {}", to.display()))?;
    sync_dir(to)?;
    Ok(BackupSummary {
        events,
        bytes: std::fs::metadata(to)?.len(),
        took: started.elapsed(),
    })
}

/// `FILE.partial`, beside the target (same file system, so the rename is
/// atomic).
fn partial_name(to: &Path) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn check_and_sync(copy: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        bail!("the copy fails SQLite's quick_check: {check}");
    }
    drop(conn);
    std::fs::File::open(copy)?.sync_all()?;
    Ok(())
}

fn sync_dir(file: &Path) -> Result<()> {
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}
