//! Where webhooks may go: absolute `http`/`https` URLs whose host is a public address,
//! against server-side request forgery (Standard Webhooks, "Server side request forgery").
//!
//! A literal IP host is checked by [`check_url`]; a DNS name is checked at delivery by the
//! HTTP client's resolver [`PublicOnly`], which drops non-public addresses (so a name
//! cannot be re-pointed at an internal host between check and use). Both are skipped when
//! the server runs with `--allow-private-webhooks`.

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether `ip` is a public unicast address: not loopback, private (RFC 1918, RFC 4193),
/// shared (RFC 6598), link-local, unspecified, documentation, benchmarking, multicast,
/// broadcast or reserved. IPv4-mapped IPv6 addresses are judged by their IPv4 address;
/// NAT64 and other special IPv6 ranges count as not public.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

/// IPv6: not loopback, unspecified, multicast, unique local, link-local, documentation or
/// discard-only; addresses that carry an IPv4 address — IPv4-compatible `::a.b.c.d`
/// (RFC 4291 §2.5.5.1) and 6to4 `2002::/16` (RFC 3056) — are judged by it; translation and
/// tunnel ranges whose far end cannot be judged — NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`
/// (RFC 6052, RFC 8215), Teredo `2001::/32` (RFC 4380) — are not public.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if s[..6] == [0; 6] {
        // `::`, `::1` and IPv4-compatible addresses.
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    let special = ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation 2001:db8::/32
        || (s[0] == 0x2001 && s[1] == 0) // Teredo 2001::/32
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]); // discard 100::/64
    !special
}

/// Checks an endpoint URL: a web URL ([`parlo_model::link`]: `http`/`https`, a valid host,
/// no credentials, at most [`parlo_model::link::MAX_URL_LEN`] bytes) and — unless `allow_private` — not
/// `localhost` nor an IP literal in a non-public range, in any notation the WHATWG URL parser
/// reads as an IP (`2130706433`, `0x7f.1`, `[::ffff:7f00:1]`, …). The message says what is
/// wrong.
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, String> {
    parlo_model::link::check_web_url(url)?;
    let parsed = Url::parse(url).map_err(|e| format!("is not an absolute URL ({e})"))?;
    let host = match parsed.host() {
        Some(host) => host,
        None => return Err("must have a host".to_owned()),
    };
    if !allow_private {
        let private = match host {
            url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost"),
            url::Host::Ipv4(ip) => !is_public(IpAddr::V4(ip)),
            url::Host::Ipv6(ip) => !is_public(IpAddr::V6(ip)),
        };
        if private {
            return Err("must not point at a loopback, private or otherwise non-public address".to_owned());
        }
    }
    Ok(parsed)
}

/// DNS resolver for the webhook client that answers only public addresses; a name with
/// none fails to resolve (the delivery attempt fails and is retried).
#[derive(Clone, Copy, Debug, Default)]
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
            "64:ff9b::a00:1",
            "64:ff9b:1::808:808",
            "::127.0.0.1",
            "::10.0.0.1",
            "::192.168.0.1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2002:c0a8:101::",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "::ffff:169.254.169.254",
            "100::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.215.14",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "::8.8.8.8",
            "2002:808:808::1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://hooks.example.com/parlo?x=1", false).is_ok());
        for bad in [
            "ftp://example.com/",
            "/relative",
            "https://user:pw@example.com/",
            "http://localhost:8090/",
            "http://127.0.0.1:8090/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://[::ffff:7f00:1]/",
            "http://[::127.0.0.1]/",
            "http://[2002:7f00:1::]/",
            "http://[2001:0:4136:e378::1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[fe80::1%25eth0]/",
            "http://sub.localhost/",
            "http://LOCALHOST/",
            "https://hooks.example.com\\@127.0.0.1/",
            "https://hooks .example.com/",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:8090/", true).is_ok());
        let long = format!(
            "https://example.com/{}",
            "a".repeat(parlo_model::link::MAX_URL_LEN)
        );
        assert!(check_url(&long, true).is_err());
    }
}
