//! The client's IP address, for the limits keyed by it (new sessions, form submissions,
//! log-ins): the TCP peer, or, when the peer is one of the operator's `--trusted-proxies`,
//! the address that proxy reports.
//!
//! A proxy reports the chain of addresses in `Forwarded: for=…` (RFC 7239 §5.2) or in
//! `X-Forwarded-For` (the de-facto form of the same list); `Forwarded` wins when both are
//! present. Each proxy appends the address it received the request from, so the list is
//! read from the right: trusted proxies are skipped, and the first address that is not one
//! of them is the client. Anything to its left was written by the client itself and could be
//! forged, so it is never read. An entry that is not an address (`unknown`, an obfuscated
//! identifier, garbage) stops the walk at the last trusted hop. From a peer that is not
//! trusted, both headers are ignored.
//!
//! ```text
//! peer 10.0.0.5 (trusted), X-Forwarded-For: 6.6.6.6, 203.0.113.9  →  203.0.113.9
//! peer 198.51.100.7 (not trusted), X-Forwarded-For: 6.6.6.6       →  198.51.100.7
//! ```

use crate::listener::Peer;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's address as described above; `None` when the server runs without peer
/// addresses (a router called in process).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<Peer>>()
            .map(|ConnectInfo(Peer(addr))| addr.ip());
        Ok(Self(peer.map(|peer| {
            client_ip(peer, &parts.headers, &state.trusted_proxies)
        })))
    }
}

/// The client of a request from `peer` with `headers`, trusting the proxies in `trusted`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer;
    if !is_trusted(&peer) {
        return client;
    }
    for hop in forwarded_for(headers).iter().rev() {
        match parse_node(hop) {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip,
            None => break,
        }
    }
    client
}

/// The addresses a proxy chain reported, left to right: the `for=` parameters of
/// `Forwarded`, else the entries of `X-Forwarded-For` (every field line, in order).
fn forwarded_for(headers: &HeaderMap) -> Vec<String> {
    let lines = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|entry| entry.trim().to_owned())
            .collect()
    };
    let forwarded = lines("forwarded");
    if forwarded.is_empty() {
        return lines("x-forwarded-for");
    }
    forwarded
        .iter()
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                .map_or_else(String::new, |(_, value)| value.trim().to_owned())
        })
        .collect()
}

/// The address of a node as the headers write it: `192.0.2.43`, `192.0.2.43:47011`,
/// `2001:db8::1`, `"[2001:db8:cafe::17]:4711"` (RFC 7239 §6); `None` for anything else.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.parse()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
}

/// Parses one `--trusted-proxies` entry: a CIDR block (`10.0.0.0/8`, `fd00::/8`) or a single
/// address (`127.0.0.1`, taken as `/32` or `/128`).
pub fn parse_trusted_proxy(entry: &str) -> Result<IpNet, String> {
    let entry = entry.trim();
    entry
        .parse::<IpNet>()
        .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{entry}` is not an IP address or CIDR block such as 10.0.0.0/8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// A peer, the header fields it sent, and the client they make.
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
    );

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let trusted = [
            parse_trusted_proxy("10.0.0.0/8").unwrap(),
            parse_trusted_proxy("::1").unwrap(),
        ];
        let cases: [Case; 13] = [
            // Not from a trusted peer: the headers are ignored.
            (
                "198.51.100.7",
                &[("x-forwarded-for", "203.0.113.9")],
                "198.51.100.7",
            ),
            (
                "198.51.100.7",
                &[("forwarded", "for=203.0.113.9")],
                "198.51.100.7",
            ),
            // A trusted peer without headers is the client.
            ("10.0.0.5", &[], "10.0.0.5"),
            ("10.0.0.5", &[("x-forwarded-for", "203.0.113.9")], "203.0.113.9"),
            // A forged entry left of the real client is never read.
            (
                "10.0.0.5",
                &[("x-forwarded-for", "6.6.6.6, 203.0.113.9")],
                "203.0.113.9",
            ),
            // Several trusted proxies, and several field lines.
            (
                "10.0.0.5",
                &[
                    ("x-forwarded-for", "6.6.6.6, 203.0.113.9"),
                    ("x-forwarded-for", "10.1.1.1"),
                ],
                "203.0.113.9",
            ),
            // Only trusted hops: the leftmost of them.
            (
                "10.0.0.5",
                &[("x-forwarded-for", "10.9.9.9, 10.1.1.1")],
                "10.9.9.9",
            ),
            // `unknown` or garbage stops at the last trusted hop.
            (
                "10.0.0.5",
                &[("x-forwarded-for", "203.0.113.9, unknown")],
                "10.0.0.5",
            ),
            (
                "10.0.0.5",
                &[("x-forwarded-for", "203.0.113.9, 10.1.1.1, <script>")],
                "10.0.0.5",
            ),
            // RFC 7239 forms, and `Forwarded` wins over `X-Forwarded-For`.
            (
                "::1",
                &[("forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")],
                "192.0.2.60",
            ),
            (
                "::1",
                &[("forwarded", "for=\"[2001:db8:cafe::17]:4711\"")],
                "2001:db8:cafe::17",
            ),
            (
                "::1",
                &[
                    ("forwarded", "For=192.0.2.43:47011, for=10.2.2.2"),
                    ("x-forwarded-for", "6.6.6.6"),
                ],
                "192.0.2.43",
            ),
            ("::1", &[("forwarded", "for=_hidden, for=10.2.2.2")], "10.2.2.2"),
        ];
        for (peer, pairs, expected) in cases {
            assert_eq!(
                client_ip(ip(peer), &headers(pairs), &trusted),
                ip(expected),
                "{peer} {pairs:?}"
            );
        }
        // Without trusted proxies the peer is always the client.
        assert_eq!(
            client_ip(
                ip("10.0.0.5"),
                &headers(&[("x-forwarded-for", "203.0.113.9")]),
                &[]
            ),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn trusted_proxies_are_blocks_or_addresses() {
        assert_eq!(
            parse_trusted_proxy("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_trusted_proxy(" 127.0.0.1 ").unwrap().to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(parse_trusted_proxy("fd00::/8").unwrap().to_string(), "fd00::/8");
        assert!(parse_trusted_proxy("10.0.0.0/33").is_err());
        assert!(parse_trusted_proxy("proxy.example").is_err());
    }
}
