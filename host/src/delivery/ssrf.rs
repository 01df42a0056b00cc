//! The SSRF guard: HTTP destinations may not reach internal addresses.
//!
//! Whoever can create a destination could otherwise make the server POST to
//! its own metadata service or to the operator's private network. Every
//! address a destination resolves to is checked (loopback, private,
//! link-local, CGNAT, unique-local, IPv4-mapped and the like are refused)
//! unless it lies in a network the operator allowed in the server config.
//! The check sits in the HTTP client's resolver, so the address that was
//! checked is the address connected to (no second lookup an attacker's DNS
//! could answer differently); URLs with an IP literal, which skip the
//! resolver, are checked before sending. Redirects are never followed.

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Networks internal addresses may still be reached in.
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    pub allowed: Vec<IpNet>,
}

impl AddressPolicy {
    /// Parses a comma-separated list of CIDR networks (`127.0.0.0/8,::1/128`).
    pub fn parse(list: &str) -> Result<AddressPolicy, String> {
        let allowed = list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{item:?} is not a CIDR network or an IP address"))
            })
            .collect::<Result<_, _>>()?;
        Ok(AddressPolicy { allowed })
    }

    /// Refuses an internal address outside the allowed networks.
    pub fn check(&self, ip: IpAddr) -> Result<(), String> {
        let ip = canonical(ip);
        if !is_internal(ip) || self.allowed.iter().any(|net| net.contains(&ip)) {
            Ok(())
        } else {
            Err(format!(
                "{ip} is an internal address; allow its network with --allow-destination-networks"
            ))
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are their IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64.0.0/10
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
        || ip.to_ipv4().is_some_and(is_internal_v4) // IPv4-compatible ::a.b.c.d
        || nat64(ip).is_some_and(is_internal_v4)
}

/// The IPv4 address inside a NAT64 address (64:ff9b::/96).
fn nat64(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let octets = ip.octets();
    (octets[..12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])
        .then(|| Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]))
}

/// The HTTP client's resolver: system lookup, then the policy on every address.
struct GuardedResolver {
    policy: Arc<AddressPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refusals = Vec::new();
            let allowed: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| match policy.check(addr.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refusals.push(why);
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                let why = refusals
                    .pop()
                    .unwrap_or_else(|| format!("{host} did not resolve"));
                return Err(format!("refused by the SSRF guard: {host}: {why}").into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client every HTTP destination shares: guarded resolver, no
/// redirects, no proxy from the environment.
pub fn http_client(policy: Arc<AddressPolicy>) -> reqwest::Client {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver { policy }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("hookyard/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("building the HTTP client")
}

/// Checks a URL before sending: scheme, and the address when the host is an
/// IP literal (those never reach the resolver).
pub fn check_url(policy: &AddressPolicy, url: &reqwest::Url) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{url}: only http and https URLs can be destinations"
        ));
    }
    let host = url.host_str().ok_or_else(|| format!("{url}: no host"))?;
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => policy.check(ip),
        Err(_) => Ok(()), // a name: checked by the resolver
    }
}

/// Checks a destination URL when it is created or changed: [`check_url`],
/// then, for a host name, what it resolves to now, so `http://localhost:…`
/// is refused at once with the same hint as `http://127.0.0.1:…` instead of
/// failing every attempt for the whole retry schedule. A name that does not
/// resolve now is let through (DNS may be down, the name may be new): the
/// connect-time check still applies to every attempt.
pub async fn check_destination(policy: &AddressPolicy, url: &reqwest::Url) -> Result<(), String> {
    check_url(policy, url)?;
    let Some(url::Host::Domain(name)) = url.host() else {
        return Ok(());
    };
    let lookup = tokio::net::lookup_host((name, url.port_or_known_default().unwrap_or(443)));
    let Ok(Ok(addresses)) = tokio::time::timeout(std::time::Duration::from_secs(5), lookup).await
    else {
        return Ok(());
    };
    let addresses: Vec<IpAddr> = addresses.map(|a| a.ip()).collect();
    if !addresses.is_empty() && addresses.iter().all(|ip| policy.check(*ip).is_err()) {
        let refusal = policy.check(addresses[0]).unwrap_err();
        return Err(format!("{name} resolves to {}: {refusal}", addresses[0]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_resolving_to_internal_addresses_are_refused_at_creation() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        let closed = AddressPolicy::default();
        let error = check_destination(&closed, &url("http://localhost:9/x"))
            .await
            .unwrap_err();
        assert!(error.starts_with("localhost resolves to "), "{error}");
        assert!(error.contains("--allow-destination-networks"), "{error}");
        let open = AddressPolicy::parse("127.0.0.0/8,::1").unwrap();
        assert_eq!(
            check_destination(&open, &url("http://localhost:9/x")).await,
            Ok(())
        );
        // Unresolvable now: the connect-time check decides later.
        assert_eq!(
            check_destination(&closed, &url("https://no-such-host.invalid/x")).await,
            Ok(())
        );
    }

    fn refused(policy: &AddressPolicy, ip: &str) -> bool {
        policy.check(ip.parse().unwrap()).is_err()
    }

    #[test]
    fn internal_addresses_are_refused_by_default() {
        let policy = AddressPolicy::default();
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(refused(&policy, ip), "{ip} should be refused");
        }
        for ip in [
            "93.184.216.34",
            "2606:2800:220:1:248:1893:25c8:1946",
            "100.128.0.1",
        ] {
            assert!(!refused(&policy, ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn allowed_networks_open_exactly_themselves() {
        let policy = AddressPolicy::parse("127.0.0.0/8, ::1").unwrap();
        assert!(!refused(&policy, "127.0.0.1"));
        assert!(!refused(&policy, "::ffff:127.0.0.1"));
        assert!(!refused(&policy, "::1"));
        assert!(refused(&policy, "10.0.0.1"));
        assert!(AddressPolicy::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn ip_literal_urls_are_checked_before_sending() {
        let policy = AddressPolicy::default();
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(check_url(&policy, &url("http://127.0.0.1:9/x")).is_err());
        assert!(check_url(&policy, &url("http://[::ffff:10.0.0.1]/x")).is_err());
        assert!(check_url(&policy, &url("ftp://example.com/x")).is_err());
        assert!(check_url(&policy, &url("https://example.com/x")).is_ok());
    }
}
