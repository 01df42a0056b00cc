//! What the request path works with: the parts of the server's state it
//! uses, and nothing else.

use crate::alerts::Alerts;
use crate::app::Settings;
use crate::delivery::Delivery;
use crate::event_policy::WarnOnce;
use crate::metrics::Metrics;
use crate::sealing::MasterKey;
use crate::shadow::Shadows;
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::store::writer::Writer;
use std::sync::Arc;

crate::sub_state! {
    /// The request path's sub-state (also reprocessing's).
    pub struct Ingest {
        sources: Arc<SourceTable>,
        db: Database,
        writer: Writer,
        delivery: Arc<Delivery>,
        metrics: Arc<Metrics>,
        shadows: Arc<Shadows>,
        settings: Arc<Settings>,
        master_key: Arc<MasterKey>,
        unknown_types_logged: Arc<WarnOnce>,
        alerts: Alerts,
    }
}
