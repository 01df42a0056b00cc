//! `hookyard backup --to FILE`: a consistent copy of the SQLite database,
//! taken while the server runs (the copying is `store::backup`'s).

use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Backup {
    /// The database to copy: the server's --database.
    #[arg(
        long,
        env = "HOOKYARD_DATABASE_URL",
        default_value = "sqlite://hookyard.db"
    )]
    database: String,
    /// Where to write the copy (a new file; never overwritten).
    #[arg(long)]
    to: PathBuf,
}

impl Backup {
    pub async fn run(self) -> Result<()> {
        let Backup { database, to } = self;
        let shown = to.display().to_string();
        let summary =
            tokio::task::spawn_blocking(move || crate::store::backup(&database, &to)).await??;
        println!(
            "backed up {} events ({:.1} MB) to {shown} in {:.1} s",
            summary.events,
            summary.bytes as f64 / 1e6,
            summary.took.as_secs_f64()
        );
        println!(
            "the master key is not in the backup: keep the key file (DATABASE.key) or \
             HOOKYARD_MASTER_KEY with it, stored apart"
        );
        Ok(())
    }
}
