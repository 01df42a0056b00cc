//! Abuse limits: who may knock on a source, how often, how many at once, with
//! how large a body.
//!
//! A webhook URL is a public door, and vendors retry in storms. Each source may
//! set its own [`Limits`]; what it leaves out falls back to the server-wide
//! defaults (`serve` flags). The resolved limits come with their runtime state
//! ([`Guards`]: the rate limiter and the concurrency slots), which the
//! in-memory source table carries over across management changes as long as
//! the limits stay the same, so editing a source's name does not refill its
//! rate budget. Who the client is, behind proxies, is `client_ip`'s;
//! whether the source's adapter may run right now is `quarantine`'s.

use crate::fetch::origins::Origin;
use crate::quarantine::Quarantine;
use governor::clock::{Clock, DefaultClock};
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// A source's own limits; every field left out takes the server's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted body in bytes (413 above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<usize>,
    /// Sustained requests per second on this source's key; 0 = unlimited (429 above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<u32>,
    /// Requests allowed at once on top of an idle rate budget [default: the rate].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<u32>,
    /// The rate budget is one for every replica on the database (PostgreSQL)
    /// instead of one per replica; on SQLite there is one server anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_rate: Option<bool>,
    /// Requests of this source in flight at once; 0 = unlimited (429 above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<u32>,
    /// Client addresses allowed in, in CIDR notation (403 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>, max_items = 500)]
    pub allow_ips: Option<Vec<IpNet>>,
    /// `false`: every request gets a fresh adapter instance, never one that
    /// served this source before [default: reused, `--adapter-reuse`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_instances: Option<bool>,
    /// Origins the source's adapter may fetch keys from, instead of those
    /// it declares (`https://keys.example.com`, `http://10.0.0.5:8080`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 50)]
    pub fetch_origins: Option<Vec<String>>,
    /// Origins it may fetch from besides those it declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 50)]
    pub add_fetch_origins: Option<Vec<String>>,
}

impl Limits {
    /// Why these limits cannot be used, if they cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.body_bytes == Some(0) {
            return Err("limits.body_bytes must be at least 1".into());
        }
        if self.burst == Some(0) {
            return Err("limits.burst must be at least 1".into());
        }
        if self.allow_ips.as_ref().is_some_and(Vec::is_empty) {
            return Err(
                "limits.allow_ips must not be empty: leave it out to allow every address".into(),
            );
        }
        for (field, origins) in [
            ("fetch_origins", &self.fetch_origins),
            ("add_fetch_origins", &self.add_fetch_origins),
        ] {
            let origins = origins.as_deref().unwrap_or_default();
            if origins.len() > 50 {
                return Err(format!("limits.{field} holds at most 50 origins"));
            }
            for origin in origins {
                Origin::parse(origin, true).map_err(|e| format!("limits.{field}: {e}"))?;
            }
        }
        Ok(())
    }

    /// The origins a source with these limits may fetch from, given what its
    /// adapter declares: `fetch_origins` instead of `declared` when set, then
    /// `add_fetch_origins`. Validated already, so unparsable ones are skipped.
    pub fn origins(&self, declared: &[Origin]) -> Vec<Origin> {
        let parsed = |list: &Option<Vec<String>>| -> Vec<Origin> {
            list.iter()
                .flatten()
                .filter_map(|o| Origin::parse(o, true).ok())
                .collect()
        };
        let mut origins = match &self.fetch_origins {
            Some(_) => parsed(&self.fetch_origins),
            None => declared.to_vec(),
        };
        origins.extend(parsed(&self.add_fetch_origins));
        origins
    }

    /// These limits with every field left out taken from `defaults`.
    pub fn over(&self, defaults: &Limits) -> Limits {
        Limits {
            body_bytes: self.body_bytes.or(defaults.body_bytes),
            rate_per_second: self.rate_per_second.or(defaults.rate_per_second),
            burst: self.burst.or(defaults.burst),
            shared_rate: self.shared_rate.or(defaults.shared_rate),
            max_concurrent: self.max_concurrent.or(defaults.max_concurrent),
            allow_ips: self
                .allow_ips
                .clone()
                .or_else(|| defaults.allow_ips.clone()),
            reuse_instances: self.reuse_instances.or(defaults.reuse_instances),
            fetch_origins: self
                .fetch_origins
                .clone()
                .or_else(|| defaults.fetch_origins.clone()),
            add_fetch_origins: self
                .add_fetch_origins
                .clone()
                .or_else(|| defaults.add_fetch_origins.clone()),
        }
    }
}

/// The state that enforces one source's resolved limits.
pub struct Guards {
    /// What they enforce (fully resolved against the defaults).
    pub limits: Limits,
    rate: Option<Rate>,
    clock: DefaultClock,
    slots: Option<Semaphore>,
    /// Whether the source's adapter may run right now.
    pub quarantine: Quarantine,
}

/// Where a source's rate budget is kept.
enum Rate {
    /// In this server's memory.
    Local(RateLimiter<NotKeyed, InMemoryState, DefaultClock>),
    /// In the database, shared by the replicas (`store::postgres::rate_budgets`).
    Shared(SharedRate),
}

/// A rate budget kept in the database: checked by the caller of
/// [`Guards::admit`], which can reach the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedRate {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

/// Why a request was turned away before its body was read.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The client address is not in the allowlist, or could not be told.
    Forbidden,
    /// Over the rate: retry after this long.
    Rate(Duration),
    /// Too many requests of this source in flight.
    Concurrency,
}

impl Guards {
    /// `limits` must be resolved (see [`Limits::over`]) and valid;
    /// `replicated` says the store is shared with other servers, where a
    /// `shared_rate` budget must live in the database.
    pub fn new(limits: Limits, replicated: bool) -> Guards {
        let rate = limits
            .rate_per_second
            .and_then(NonZeroU32::new)
            .map(|per_second| {
                let burst = limits.burst.and_then(NonZeroU32::new).unwrap_or(per_second);
                if replicated && limits.shared_rate == Some(true) {
                    Rate::Shared(SharedRate { per_second, burst })
                } else {
                    Rate::Local(RateLimiter::direct(
                        Quota::per_second(per_second).allow_burst(burst),
                    ))
                }
            });
        let slots = limits
            .max_concurrent
            .filter(|&n| n > 0)
            .map(|n| Semaphore::new(n as usize));
        Guards {
            limits,
            rate,
            clock: DefaultClock::default(),
            slots,
            quarantine: Quarantine::default(),
        }
    }

    /// The largest body accepted (unlimited only if no default was set;
    /// `serve` always sets one).
    pub fn body_bytes(&self) -> usize {
        self.limits.body_bytes.unwrap_or(usize::MAX)
    }

    /// The budget the caller must still take the request from, when it is
    /// kept in the database.
    pub fn shared_rate(&self) -> Option<SharedRate> {
        match &self.rate {
            Some(Rate::Shared(shared)) => Some(*shared),
            _ => None,
        }
    }

    /// Admits a request from `client` (None: the address could not be told)
    /// or says why not, except for a [`Guards::shared_rate`]. The permit, if
    /// any, holds a concurrency slot until dropped.
    pub fn admit(&self, client: Option<IpAddr>) -> Result<Option<SemaphorePermit<'_>>, Refusal> {
        if let Some(allowed) = &self.limits.allow_ips {
            let Some(client) = client else {
                return Err(Refusal::Forbidden);
            };
            let client = client.to_canonical();
            if !allowed.iter().any(|net| net.contains(&client)) {
                return Err(Refusal::Forbidden);
            }
        }
        if let Some(Rate::Local(rate)) = &self.rate
            && let Err(not_until) = rate.check()
        {
            return Err(Refusal::Rate(not_until.wait_time_from(self.clock.now())));
        }
        match &self.slots {
            None => Ok(None),
            Some(slots) => slots
                .try_acquire()
                .map(Some)
                .map_err(|_| Refusal::Concurrency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_allows_the_burst_then_says_when_to_retry() {
        let guards = Guards::new(
            Limits {
                rate_per_second: Some(1),
                burst: Some(3),
                ..Limits::default()
            },
            false,
        );
        for _ in 0..3 {
            assert!(guards.admit(None).is_ok());
        }
        match guards.admit(None) {
            Err(Refusal::Rate(wait)) => assert!(wait <= Duration::from_secs(1), "{wait:?}"),
            other => panic!("expected a rate refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_shared_rate_is_left_to_the_database_only_on_replicas() {
        let limits = Limits {
            rate_per_second: Some(1),
            burst: Some(2),
            shared_rate: Some(true),
            ..Limits::default()
        };
        let single = Guards::new(limits.clone(), false);
        assert_eq!(single.shared_rate(), None);
        assert!(single.admit(None).is_ok() && single.admit(None).is_ok());
        assert!(matches!(single.admit(None), Err(Refusal::Rate(_))));

        let replicated = Guards::new(limits, true);
        let expected = SharedRate {
            per_second: NonZeroU32::new(1).unwrap(),
            burst: NonZeroU32::new(2).unwrap(),
        };
        assert_eq!(replicated.shared_rate(), Some(expected));
        for _ in 0..5 {
            assert!(replicated.admit(None).is_ok(), "not counted in memory");
        }
    }

    #[test]
    fn concurrency_slots_come_back_when_the_permit_drops() {
        let guards = Guards::new(
            Limits {
                max_concurrent: Some(1),
                ..Limits::default()
            },
            false,
        );
        let held = guards.admit(None).unwrap();
        assert_eq!(guards.admit(None).unwrap_err(), Refusal::Concurrency);
        drop(held);
        assert!(guards.admit(None).is_ok());
    }

    #[test]
    fn source_limits_override_defaults_field_by_field() {
        let defaults = Limits {
            body_bytes: Some(1000),
            rate_per_second: Some(50),
            ..Limits::default()
        };
        let own = Limits {
            rate_per_second: Some(0),
            ..Limits::default()
        };
        let resolved = own.over(&defaults);
        assert_eq!(resolved.body_bytes, Some(1000));
        assert_eq!(resolved.rate_per_second, Some(0));
        assert!(
            Limits {
                allow_ips: Some(vec![]),
                ..Limits::default()
            }
            .validate()
            .is_err()
        );
    }

    fn nets(text: &str) -> Vec<IpNet> {
        crate::client_ip::parse_nets(text).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv4_mapped_ipv6_peers_match_ipv4_networks() {
        let guards = Guards::new(
            Limits {
                allow_ips: Some(nets("192.0.2.0/24")),
                ..Limits::default()
            },
            false,
        );
        assert!(guards.admit(Some(ip("::ffff:192.0.2.4"))).is_ok());
        assert_eq!(
            guards.admit(Some(ip("192.0.3.4"))).unwrap_err(),
            Refusal::Forbidden
        );
        assert_eq!(guards.admit(None).unwrap_err(), Refusal::Forbidden);
    }
}
