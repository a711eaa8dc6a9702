//! The client's address behind reverse proxies: only the proxies named in
//! `BOUSSOLE_TRUSTED_PROXIES` are believed, and only about the hops to their left.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// Whether `net` holds `ip`, an IPv4 peer that reached a dual-stack listener as `::ffff:a.b.c.d`
/// counted as the IPv4 address it is.
fn holds(net: &IpNet, ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    net.contains(&ip)
}

/// The client's address: the TCP peer, unless the peer is one of our proxies; then the rightmost hop
/// of `X-Forwarded-For` that is not one of our proxies (the hops to its left were written by whoever
/// it was, so they prove nothing). `Forwarded` (RFC 7239) is read only when no `X-Forwarded-For`
/// came, and never from an untrusted peer.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| holds(net, ip));
    if !is_trusted(peer) {
        return peer;
    }
    let joined = |name: &str| {
        let values: Vec<&str> = headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    let hops: Vec<String> = if let Some(xff) = joined("x-forwarded-for") {
        xff.split(',').map(|h| h.trim().to_string()).collect()
    } else if let Some(fwd) = joined("forwarded") {
        fwd.split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| v.trim().to_string())
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Something that is no address ("unknown", an obfuscated name): the hop we know is the client.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:5678`, `"[2001:db8::1]:80"`, `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;
    use crate::config::parse_net;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| parse_net(s).unwrap()).collect()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6"), ("forwarded", "for=7.7.7.7")]);
        assert_eq!(client_ip(ip("9.9.9.9"), &h, &[]), ip("9.9.9.9"));
        assert_eq!(
            client_ip(ip("9.9.9.9"), &h, &nets(&["10.0.0.0/8"])),
            ip("9.9.9.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.168.1.1"]);
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 5.6.7.8, 192.168.1.1")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("5.6.7.8"));
        // Two header lines are one list, in order.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "5.6.7.8, 10.0.0.9"),
        ]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("5.6.7.8"));
        // Every hop is a proxy of ours: the leftmost is the best we know.
        let h = headers(&[("x-forwarded-for", "10.0.0.7, 10.0.0.8")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("10.0.0.7"));
        // Garbage stops the walk at the last address known.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, unknown, 10.0.0.8")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("10.0.0.8"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.1.2.3"), &HeaderMap::new(), &trusted),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn forwarded_counts_only_from_a_trusted_peer_without_x_forwarded_for() {
        let trusted = nets(&["::1", "127.0.0.1"]);
        let h = headers(&[(
            "forwarded",
            "for=1.2.3.4;proto=https, for=\"[2001:db8::7]:4711\"",
        )]);
        assert_eq!(client_ip(ip("::1"), &h, &trusted), ip("2001:db8::7"));
        let both = headers(&[("forwarded", "for=1.2.3.4"), ("x-forwarded-for", "5.6.7.8")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &both, &trusted), ip("5.6.7.8"));
        assert_eq!(client_ip(ip("8.8.8.8"), &h, &trusted), ip("8.8.8.8"));
    }

    #[test]
    fn ranges_hold_what_they_say() {
        let net = parse_net("10.0.0.0/8").unwrap();
        assert!(holds(&net, ip("10.255.0.1")));
        assert!(!holds(&net, ip("11.0.0.1")));
        assert!(holds(&net, ip("::ffff:10.0.0.1")), "IPv4-mapped peer");
        assert!(!holds(&net, ip("::1")));
        assert!(holds(&parse_net("0.0.0.0/0").unwrap(), ip("8.8.8.8")));
        assert!(holds(
            &parse_net("2001:db8::/32").unwrap(),
            ip("2001:db8::1")
        ));
        assert!(
            holds(&parse_net(" 127.0.0.1 ").unwrap(), ip("127.0.0.1")),
            "a bare address"
        );
        assert!(!holds(&parse_net("127.0.0.1").unwrap(), ip("127.0.0.2")));
        assert!(parse_net("10.0.0.0/33").is_none());
        assert!(parse_net("proxy.local").is_none());
    }
}
