//! Abuse limits: who may knock on a source, how often, how many at once, with
//! how large a body — and whether its adapter may run at all right now.
//!
//! A webhook URL is a public door, and vendors retry in storms. Each source may
//! set its own [`Limits`]; what it leaves out falls back to the server-wide
//! defaults (`serve` flags). The resolved limits come with their runtime state
//! ([`Guards`]: the rate limiter and the concurrency slots), which the
//! in-memory source table carries over across management changes as long as
//! the limits stay the same, so editing a source's name does not refill its
//! rate budget. Behind a load balancer the peer address is the balancer's:
//! [`client_ip`] reads `Forwarded` / `X-Forwarded-For`, but only when the peer
//! is a trusted proxy, and only as far back as the chain stays trusted.
//! An adapter that fails [`QUARANTINE_AFTER`] calls in a row (loops, traps,
//! floods) is not run for that source for [`QUARANTINE_FOR`]: its requests get
//! 503 at once, raw request kept, instead of each burning a second of CPU that
//! well-behaved sources need.

use axum::http::HeaderMap;
use governor::clock::{Clock, DefaultClock};
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// A source's own limits; every field left out takes the server's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    pub allow_ips: Option<Vec<IpNet>>,
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
        Ok(())
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
        }
    }
}

/// Adapter failures in a row that put a source's adapter in quarantine.
pub const QUARANTINE_AFTER: u32 = 3;
/// How long a quarantined adapter is not run for that source.
pub const QUARANTINE_FOR: Duration = Duration::from_secs(30);

/// The state that enforces one source's resolved limits.
pub struct Guards {
    /// What they enforce (fully resolved against the defaults).
    pub limits: Limits,
    rate: Option<Rate>,
    clock: DefaultClock,
    slots: Option<Semaphore>,
    /// Adapter failures in a row.
    failures: AtomicU32,
    /// Until when (ms) the adapter is not run; 0: it runs.
    quarantined_until: AtomicI64,
}

/// Where a source's rate budget is kept.
enum Rate {
    /// In this server's memory.
    Local(RateLimiter<NotKeyed, InMemoryState, DefaultClock>),
    /// In the database, shared by the replicas ([`crate::store::rate_budgets`]).
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
            failures: AtomicU32::new(0),
            quarantined_until: AtomicI64::new(0),
        }
    }

    /// Until when (ms) the adapter is in quarantine, if it is at `now`.
    pub fn quarantined(&self, now: i64) -> Option<i64> {
        let until = self.quarantined_until.load(Ordering::Relaxed);
        (now < until).then_some(until)
    }

    /// Counts an adapter call's fate; the failure that completes a run of
    /// [`QUARANTINE_AFTER`] starts a quarantine (and returns its end).
    pub fn adapter_called(&self, failed: bool, now: i64) -> Option<i64> {
        if !failed {
            self.failures.store(0, Ordering::Relaxed);
            return None;
        }
        if self.failures.fetch_add(1, Ordering::Relaxed) + 1 < QUARANTINE_AFTER {
            return None;
        }
        self.failures.store(0, Ordering::Relaxed);
        let until = now + QUARANTINE_FOR.as_millis() as i64;
        self.quarantined_until.store(until, Ordering::Relaxed);
        Some(until)
    }

    /// Ends a quarantine and forgets past failures: a new adapter version
    /// (a fix, a rollback) gets its own chance.
    pub fn release_quarantine(&self) {
        self.failures.store(0, Ordering::Relaxed);
        self.quarantined_until.store(0, Ordering::Relaxed);
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

/// The address the request came from: the peer itself, unless the peer is a
/// trusted proxy; then the nearest address in `Forwarded` (or, without it,
/// `X-Forwarded-For`) that is not a trusted proxy. `None` when a trusted proxy
/// forwarded a chain that cannot be parsed: an allowlist then refuses.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&ip.to_canonical()));
    let peer = peer.to_canonical();
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let chain = forwarded_chain(headers)?;
    // Right to left: each hop was added by the one after it, and only trusted
    // hops are believed about who came before them.
    let mut client = peer;
    for hop in chain.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        client = *hop;
    }
    Some(client.to_canonical())
}

/// The addresses a proxy chain reports, client first. `Forwarded` wins over
/// `X-Forwarded-For` when both are present; `None` when one of its entries
/// is not an address (`unknown`, an obfuscated name, garbage).
fn forwarded_chain(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let joined = |name: &str| {
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str())
            .collect::<Result<_, _>>()
            .ok()?;
        Some(values.join(","))
    };
    let forwarded = joined("forwarded")?;
    if !forwarded.is_empty() {
        return forwarded
            .split(',')
            .map(|element| {
                let value = element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| value.trim())
                })?;
                parse_node(value.trim_matches('"'))
            })
            .collect();
    }
    let xff = joined("x-forwarded-for")?;
    if xff.is_empty() {
        return Some(Vec::new());
    }
    xff.split(',').map(|hop| parse_node(hop.trim())).collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`
/// or `[2001:db8::1]:4711`.
fn parse_node(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

/// Parses a comma-separated CIDR list (a bare address means just itself).
pub fn parse_nets(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is not an address or CIDR network"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn nets(text: &str) -> Vec<IpNet> {
        parse_nets(text).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let h = headers(&[("x-forwarded-for", "10.9.9.9")]);
        assert_eq!(
            client_ip(ip("203.0.113.7"), &h, &[]),
            Some(ip("203.0.113.7"))
        );
        let trusted = nets("10.0.0.0/8");
        assert_eq!(
            client_ip(ip("203.0.113.7"), &h, &trusted),
            Some(ip("203.0.113.7"))
        );
    }

    #[test]
    fn a_trusted_chain_is_followed_to_the_first_untrusted_hop() {
        let trusted = nets("10.0.0.0/8, fd00::/8");
        // A spoofed leftmost entry is not believed: 198.51.100.1 was added by
        // the untrusted client 203.0.113.7.
        let h = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.7, 10.0.0.2")]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &trusted),
            Some(ip("203.0.113.7"))
        );
        let h = headers(&[(
            "forwarded",
            "for=\"[2001:db8::5]:4711\";proto=https, for=fd00::2",
        )]);
        assert_eq!(
            client_ip(ip("fd00::1"), &h, &trusted),
            Some(ip("2001:db8::5"))
        );
        // Forwarded wins over X-Forwarded-For.
        let h = headers(&[
            ("forwarded", "for=192.0.2.60:8080"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &trusted),
            Some(ip("192.0.2.60"))
        );
        // Several X-Forwarded-For lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "192.0.2.9"),
            ("x-forwarded-for", "10.1.1.1"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &trusted),
            Some(ip("192.0.2.9"))
        );
        // A trusted proxy that forwards nothing is the client itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn an_unparseable_chain_from_a_trusted_proxy_tells_no_client() {
        let trusted = nets("10.0.0.0/8");
        for bad in [
            ("forwarded", "for=unknown"),
            ("x-forwarded-for", "not-an-ip"),
        ] {
            assert_eq!(client_ip(ip("10.0.0.1"), &headers(&[bad]), &trusted), None);
        }
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
    fn an_adapter_failing_in_a_row_is_quarantined_for_a_while() {
        let guards = Guards::new(Limits::default(), false);
        assert_eq!(guards.adapter_called(true, 0), None);
        assert_eq!(guards.adapter_called(false, 0), None, "a success resets");
        assert_eq!(guards.adapter_called(true, 0), None);
        assert_eq!(guards.adapter_called(true, 0), None);
        let until = guards.adapter_called(true, 1000).expect("third in a row");
        assert_eq!(until, 1000 + QUARANTINE_FOR.as_millis() as i64);
        assert_eq!(guards.quarantined(until - 1), Some(until));
        assert_eq!(guards.quarantined(until), None);
        guards.adapter_called(true, 2000);
        guards.adapter_called(true, 2000);
        assert!(guards.adapter_called(true, 2000).is_some());
        guards.release_quarantine();
        assert_eq!(guards.quarantined(2001), None);
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
        assert!(parse_nets("10.0.0.0/33").is_err());
        assert_eq!(parse_nets("192.0.2.1").unwrap(), nets("192.0.2.1/32"));
    }
}
