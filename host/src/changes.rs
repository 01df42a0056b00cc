//! Change notices between replicas on one PostgreSQL database.
//!
//! Each server keeps what the request path needs in memory (sources, their
//! secrets, destinations, adapters), rebuilt after a change made through its
//! own API. Replicas must see a change made on another one too, within a
//! second: after committing it, the server that made it sends
//! `NOTIFY hookyard_changes` with what changed, and every server `LISTEN`s
//! and rebuilds that part. A notice lost while a listener was reconnecting
//! is made up for by rebuilding everything. On SQLite (one server) nothing is
//! sent.

use crate::app::App;
use crate::store::backend::ChangeNotice;
use anyhow::Result;
use std::sync::Arc;

/// What a notice asks the other servers to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Sources or their secrets.
    Sources,
    Destinations,
    /// Uploaded adapters (the plugins directory follows the database).
    Adapters,
}

impl Change {
    const ALL: [Change; 3] = [Change::Sources, Change::Destinations, Change::Adapters];

    fn as_str(self) -> &'static str {
        match self {
            Change::Sources => "sources",
            Change::Destinations => "destinations",
            Change::Adapters => "adapters",
        }
    }

    fn parse(text: &str) -> Option<Change> {
        Change::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl App {
    /// After a change to sources or secrets: rebuild here, tell the others.
    pub async fn sources_changed(&self) -> Result<()> {
        self.reload_sources().await?;
        self.announce(Change::Sources).await;
        Ok(())
    }

    /// After a change to destinations: rebuild here, tell the others.
    pub async fn destinations_changed(&self) -> Result<()> {
        self.delivery
            .reload(&self.db.pool, &self.master_key)
            .await?;
        self.announce(Change::Destinations).await;
        Ok(())
    }

    /// Tells the other replicas about a committed change. A failure is only
    /// logged: the change is stored, and they would miss it only until their
    /// next adapter rescan or restart.
    pub async fn announce(&self, change: Change) {
        if let Err(e) = self.db.announce(change.as_str()).await {
            tracing::warn!("telling the other replicas of a change to {change:?}: {e:#}");
        }
    }

    async fn apply(&self, change: Change) {
        let applied = match change {
            Change::Sources => self.reload_sources().await,
            Change::Destinations => self.delivery.reload(&self.db.pool, &self.master_key).await,
            Change::Adapters => {
                crate::watcher::rescan(self).await;
                Ok(())
            }
        };
        if let Err(e) = applied {
            tracing::error!("applying another replica's change to {change:?}: {e:#}");
        }
    }
}

/// Applies the other replicas' notices (on a database they may share).
pub fn spawn_listener(app: Arc<App>) {
    let Some(mut notices) = app.db.changes() else {
        return;
    };
    tokio::spawn(async move {
        while let Some(notice) = notices.recv().await {
            match notice {
                ChangeNotice::Change(text) => match Change::parse(&text) {
                    Some(change) => app.apply(change).await,
                    None => tracing::warn!("unknown change notice {text:?}"),
                },
                ChangeNotice::Resync => {
                    for change in Change::ALL {
                        app.apply(change).await;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn every_change_reads_back_from_its_notice() {
        for change in Change::ALL {
            assert_eq!(Change::parse(change.as_str()), Some(change));
        }
        assert_eq!(Change::parse("everything"), None);
    }
}
