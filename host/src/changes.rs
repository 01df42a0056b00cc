//! After a management change: rebuild what serves from memory, here and on
//! every other server on the database.
//!
//! Each server keeps what the request path needs in memory (sources, their
//! secrets, destinations, adapters), rebuilt after a change made through its
//! own API. Replicas must see a change made on another one too, within a
//! second: after committing it, the server that made it announces what
//! changed through the database (`NOTIFY` on PostgreSQL), and every server
//! listening rebuilds that part; a notice lost while a listener was
//! reconnecting is made up for by rebuilding everything. Where no other server
//! can share the database (SQLite), nothing is announced.

use crate::delivery::Delivery;
use crate::registry::Registry;
use crate::sealing::MasterKey;
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::store::backend::{ChangeFeed, ChangeNotice};
use crate::tasks::Stop;
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

/// What a change rebuilds.
pub struct Changes {
    db: Database,
    sources: Arc<SourceTable>,
    delivery: Arc<Delivery>,
    registry: Arc<Registry>,
    key: Arc<MasterKey>,
}

impl Changes {
    pub fn new(
        db: Database,
        sources: Arc<SourceTable>,
        delivery: Arc<Delivery>,
        registry: Arc<Registry>,
        key: Arc<MasterKey>,
    ) -> Changes {
        Changes {
            db,
            sources,
            delivery,
            registry,
            key,
        }
    }

    /// After a change to sources or secrets: rebuild here, tell the others.
    pub async fn sources_changed(&self) -> Result<()> {
        self.sources.reload().await?;
        self.announce(Change::Sources).await;
        Ok(())
    }

    /// After a change to destinations: rebuild here, tell the others.
    pub async fn destinations_changed(&self) -> Result<()> {
        self.delivery.reload(&self.db.pool, &self.key).await?;
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
            Change::Sources => self.sources.reload().await,
            Change::Destinations => self.delivery.reload(&self.db.pool, &self.key).await,
            Change::Adapters => {
                // Uploads were validated by the replica that took them: a
                // rejection here is logged, not raised again.
                let _rejected =
                    crate::watcher::rescan(&self.registry, &self.db, &self.sources).await;
                Ok(())
            }
        };
        if let Err(e) = applied {
            tracing::error!("applying another replica's change to {change:?}: {e:#}");
        }
    }

    /// Applies the other replicas' notices until `stop`; `None` where no
    /// other server can share the database.
    pub fn listener(
        self: &Arc<Self>,
        mut stop: Stop,
    ) -> Option<impl std::future::Future<Output = ()> + use<>> {
        let ChangeFeed {
            mut notices,
            listen,
        } = self.db.changes()?;
        let changes = self.clone();
        let apply = async move {
            loop {
                let notice = tokio::select! {
                    notice = notices.recv() => notice,
                    _ = stop.requested() => None,
                };
                match notice {
                    None => return,
                    Some(ChangeNotice::Change(text)) => match Change::parse(&text) {
                        Some(change) => changes.apply(change).await,
                        None => tracing::warn!("unknown change notice {text:?}"),
                    },
                    Some(ChangeNotice::Resync) => {
                        for change in Change::ALL {
                            changes.apply(change).await;
                        }
                    }
                }
            }
        };
        // The listening connection lives as long as the loop applying what
        // it hears, and is dropped with it.
        Some(async move {
            tokio::select! {
                _ = listen => {}
                _ = apply => {}
            }
        })
    }
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
