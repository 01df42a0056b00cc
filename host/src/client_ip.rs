//! Who the client is. Behind a load balancer the peer address is the
//! balancer's: [`client_ip`] reads `Forwarded` / `X-Forwarded-For`, but only
//! when the peer is a trusted proxy, and only as far back as the chain stays
//! trusted. Also the CIDR lists the flags take.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

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
    fn cidr_lists_parse_and_a_bare_address_is_itself() {
        assert!(parse_nets("10.0.0.0/33").is_err());
        assert_eq!(parse_nets("192.0.2.1").unwrap(), nets("192.0.2.1/32"));
    }
}
