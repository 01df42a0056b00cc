//! Which recent events a subscription would match, before it is saved: the
//! destination preview (`POST /api/v1/destinations/preview`, `hookyard
//! destination preview`) and the warning a destination's creation or change
//! answers when its filter matches none of them (a filter that never matches
//! is accepted, but the one who wrote it should know).

use super::router::{EventView, Subscription};
use crate::store::{Database, events::StoredEvent};
use anyhow::Result;

/// How many of the newest events of the subscribed types and sources are
/// looked at.
pub const EXAMINED: i64 = 200;
/// The most matches listed.
pub const LISTED: usize = 20;

/// What a subscription makes of the recent events.
pub struct Preview {
    /// Events of its types and sources looked at (at most [`EXAMINED`]).
    pub examined: usize,
    /// The newest of those its filter selects (at most [`LISTED`]).
    pub matched: Vec<StoredEvent>,
    /// Set when it has a filter and that filter selects none of them.
    pub warning: Option<String>,
}

/// Runs `subscription` over the newest [`EXAMINED`] events of its types
/// and sources.
pub async fn preview(
    db: &Database,
    event_types: &[String],
    source_ids: Option<&[String]>,
    subscription: &Subscription,
) -> Result<Preview> {
    let recent = db.newest_events(event_types, source_ids, EXAMINED).await?;
    // The SQL glob only narrows; the router's own match decides.
    let candidates: Vec<StoredEvent> = recent
        .into_iter()
        .filter(|e| subscription.wants(&e.source_id, &e.event_type))
        .collect();
    let examined = candidates.len();
    let all_matching: Vec<StoredEvent> = candidates
        .into_iter()
        .filter(|e| subscription.filter_selects(&EventView::of(e)))
        .collect();
    let warning = (subscription.has_filter() && examined > 0 && all_matching.is_empty())
        .then(|| format!("the filter matches none of the {examined} recent events of these types"));
    Ok(Preview {
        examined,
        matched: all_matching.into_iter().take(LISTED).collect(),
        warning,
    })
}
