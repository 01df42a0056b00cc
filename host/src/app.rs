//! The server's state: the parts `serve` wires together, each handed to
//! whatever needs it and nothing more.
//!
//! Handlers take the parts they use as axum sub-states (`State<Arc<Metrics>>`,
//! `State<Arc<SourceTable>>`, ... through [`FromRef`], or a narrow struct of
//! several declared with `sub_state!`); background workers are
//! given their parts when `serve` starts them. Nothing here has logic of its
//! own: the source table is `source_table`, what a change rebuilds is
//! `changes`, the request path is `ingest`.

use crate::alerts::Alerts;
use crate::changes::Changes;
use crate::delivery::Delivery;
use crate::event_policy::WarnOnce;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::registry::Registry;
use crate::sealing::MasterKey;
use crate::shadow::Shadows;
use crate::source_table::SourceTable;
use crate::store::Database;
use crate::store::writer::Writer;
use axum::extract::FromRef;
use ipnet::IpNet;
use std::sync::Arc;

/// Server settings that the request path and the API consult.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Limits of sources that do not set their own (`body_bytes` always set).
    pub default_limits: Limits,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Base of webhook URLs as vendors see them (`https://hooks.example.com`);
    /// `None` derives it from the request's `Host`.
    pub public_url: Option<String>,
    /// SHA-256 of the admin bearer token.
    pub admin_token_sha256: Vec<u8>,
}

/// Every part, cheap to clone: the router's state.
#[derive(Clone)]
pub struct App {
    pub sources: Arc<SourceTable>,
    pub db: Database,
    pub writer: Writer,
    pub registry: Arc<Registry>,
    /// Destinations, for routing new events and for the drainer.
    pub delivery: Arc<Delivery>,
    pub changes: Arc<Changes>,
    pub metrics: Arc<Metrics>,
    pub settings: Arc<Settings>,
    /// Seals new secrets and opens stored ones.
    pub master_key: Arc<MasterKey>,
    /// Candidate versions running beside the live ones.
    pub shadows: Arc<Shadows>,
    /// Unknown event types already logged, per source.
    pub unknown_types_logged: Arc<WarnOnce>,
    /// The server's own events (a quarantined adapter, ...).
    pub alerts: Alerts,
}

/// Each part as an axum sub-state.
macro_rules! sub_states {
    ($($field:ident: $type:ty),* $(,)?) => {
        $(impl FromRef<App> for $type {
            fn from_ref(app: &App) -> $type {
                app.$field.clone()
            }
        })*
    };
}

sub_states! {
    sources: Arc<SourceTable>,
    registry: Arc<Registry>,
    delivery: Arc<Delivery>,
    changes: Arc<Changes>,
    metrics: Arc<Metrics>,
    settings: Arc<Settings>,
    master_key: Arc<MasterKey>,
    shadows: Arc<Shadows>,
}

/// Declares a narrow sub-state: a struct of some of the [`App`]'s parts,
/// under the same names, taken by handlers as `State<Name>`.
#[macro_export]
macro_rules! sub_state {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($field:ident: $type:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone)]
        $vis struct $name {
            $(pub $field: $type,)*
        }

        impl axum::extract::FromRef<$crate::app::App> for $name {
            fn from_ref(app: &$crate::app::App) -> $name {
                $name { $($field: app.$field.clone(),)* }
            }
        }
    };
}
