//! Fetched keys and certificates, kept while fresh so a request pays for the
//! network once per key rotation, not once per request.
//!
//! Freshness comes from the answer's `Cache-Control: max-age` (Google's JWKS
//! says hours), bounded below by [`MIN_TTL`] (a vendor that says `no-store`
//! is still not asked on every request) and above by [`MAX_TTL`] (a rotated
//! key is picked up within a day). Keyed by a hash of the whole request, so
//! a credential in a key request's body is not kept in clear. Bounded in
//! entries; the oldest go first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const MIN_TTL: Duration = Duration::from_secs(30);
pub const MAX_TTL: Duration = Duration::from_secs(24 * 3600);
/// When the answer says nothing of its freshness.
pub const DEFAULT_TTL: Duration = Duration::from_secs(300);
const MAX_ENTRIES: usize = 512;

pub type Key = [u8; 32];

/// Answers (`T`) by request hash, each with the instant it goes stale.
pub struct Cache<T> {
    entries: Mutex<HashMap<Key, (Instant, Arc<T>)>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache {
            entries: Mutex::default(),
        }
    }
}

impl<T> Cache<T> {
    /// A fresh answer, if there is one.
    pub fn get(&self, key: &Key) -> Option<Arc<T>> {
        let entries = self.entries.lock().expect("not poisoned");
        let (expires, response) = entries.get(key)?;
        (Instant::now() < *expires).then(|| response.clone())
    }

    /// Keeps `response` for `ttl` (see [`ttl`]).
    pub fn put(&self, key: Key, response: Arc<T>, ttl: Duration) {
        let mut entries = self.entries.lock().expect("not poisoned");
        let now = Instant::now();
        entries.retain(|_, (expires, _)| *expires > now);
        if entries.len() >= MAX_ENTRIES
            && let Some(oldest) = entries.iter().min_by_key(|(_, (e, _))| *e).map(|(k, _)| *k)
        {
            entries.remove(&oldest);
        }
        entries.insert(key, (now + ttl, response));
    }
}

/// How long an answer with this `Cache-Control` stays fresh.
pub fn ttl(cache_control: Option<&str>) -> Duration {
    let max_age = cache_control.and_then(|value| {
        value.split(',').find_map(|directive| {
            let (name, seconds) = directive.trim().split_once('=')?;
            name.eq_ignore_ascii_case("max-age")
                .then(|| seconds.trim().parse::<u64>().ok())?
        })
    });
    let uncacheable = cache_control.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("no-store") || v.contains("no-cache")
    });
    match (max_age, uncacheable) {
        (Some(seconds), _) => Duration::from_secs(seconds).clamp(MIN_TTL, MAX_TTL),
        (None, true) => MIN_TTL,
        (None, false) => DEFAULT_TTL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_follows_max_age_within_bounds() {
        assert_eq!(
            ttl(Some("public, max-age=19867, must-revalidate")).as_secs(),
            19867
        );
        assert_eq!(ttl(Some("no-store")), MIN_TTL);
        assert_eq!(ttl(Some("max-age=0")), MIN_TTL);
        assert_eq!(ttl(Some("max-age=99999999")), MAX_TTL);
        assert_eq!(ttl(None), DEFAULT_TTL);
    }
}
