//! The one URL validator: every URL an owner or the API can store (images, buttons, cards,
//! form redirects, webhook endpoints) and every link the widget opens passes here.
//!
//! A **web URL** is `http` or `https` (scheme in any case) + `://` + an authority without
//! credentials (`@`) whose host is a DNS name (labels of ASCII letters, digits and `-`; for
//! internationalised names also non-ASCII characters outside the Unicode blocks of
//! punctuation, symbols and compatibility forms, which hold look-alikes of `/`, `.` and `@`)
//! or an IP literal (`[v6]` in brackets), an optional port 1..=65535, then anything but
//! whitespace, control characters and `\` (which browsers read as `/` in web URLs, so
//! `https://a.example\@b.example` could go elsewhere than it reads). At most [`MAX_URL_LEN`]
//! bytes. This is the WHATWG URL standard's "special" scheme shape, stricter where a stored
//! link would be ambiguous.
//!
//! A **link** (what a message may point at) is a web URL, a `mailto:` address, or a `tel:`
//! number (RFC 3966 characters: digits and `+-.()`).
//!
//! ```
//! use parlo_model::link::{check_link, check_web_url};
//! assert!(check_web_url("https://shop.example:8443/cake.jpg?size=2").is_ok());
//! assert!(check_web_url("https://user:pw@shop.example/").is_err());
//! assert!(check_web_url("javascript:alert(1)").is_err());
//! assert!(check_link("mailto:hello@shop.example").is_ok() && check_link("tel:+44 20").is_err());
//! ```

use core::net::Ipv6Addr;

/// Longest stored URL, in bytes.
pub const MAX_URL_LEN: usize = 2000;

/// Checks a web URL (module docs); the error says what is wrong, in the API's words.
pub fn check_web_url(url: &str) -> Result<(), &'static str> {
    if url.len() > MAX_URL_LEN {
        return Err("must be at most 2000 bytes");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("must not contain whitespace, control characters or backslashes");
    }
    let after = |scheme: &str| {
        let n = scheme.len();
        url.get(..n)
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[n..])
    };
    let rest = after("https://")
        .or_else(|| after("http://"))
        .ok_or("must be an absolute http or https URL")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("must not contain credentials");
    }
    let host = without_port(authority).ok_or("must have a valid port (1..=65535)")?;
    if host.is_empty() {
        return Err("must have a host");
    }
    let valid_host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
        None => is_dns_name(host),
    };
    if valid_host {
        Ok(())
    } else {
        Err("must have a valid host name")
    }
}

/// Whether `url` is a web URL (module docs).
pub fn is_web_url(url: &str) -> bool {
    check_web_url(url).is_ok()
}

/// Checks a link: a web URL, `mailto:` + an address, or `tel:` + a number (module docs);
/// the error says which of them was meant and is wrong.
pub fn check_link(link: &str) -> Result<(), &'static str> {
    if is_link(link) {
        return Ok(());
    }
    Err(match link.split_once(':').map(|(scheme, _)| scheme) {
        Some(s) if s.eq_ignore_ascii_case("mailto") => "must be mailto: and an e-mail address",
        Some(s) if s.eq_ignore_ascii_case("tel") => "must be tel: and a number of digits and +-.()",
        _ => "must be an http(s) URL, mailto: or tel: link",
    })
}

/// Whether `link` is a link (module docs); what [`check_link`] accepts, without the
/// reason, for the widget (which only shows or drops a link).
pub fn is_link(link: &str) -> bool {
    match link.split_once(':') {
        Some((scheme, address)) if scheme.eq_ignore_ascii_case("mailto") => {
            address.contains('@')
                && address.len() <= MAX_URL_LEN
                && !address
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        }
        Some((scheme, number)) if scheme.eq_ignore_ascii_case("tel") => {
            number.chars().any(|c| c.is_ascii_digit())
                && number.len() <= 64
                && number
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.()".contains(&b))
        }
        _ => is_web_url(link),
    }
}

/// The host of `authority` (without its port); `None` for a malformed port.
fn without_port(authority: &str) -> Option<&str> {
    match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => {
            let port = &authority[i + 1..];
            let valid = (1..=5).contains(&port.len())
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
            valid.then_some(&authority[..i])
        }
        _ => Some(authority),
    }
}

/// A DNS name: dot-separated labels of 1..=63 letters, digits or `-` (not at either end),
/// an optional final dot, at most 253 bytes.
fn is_dns_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || is_name_char(c))
        })
}

/// Whether a non-ASCII `c` may be part of an internationalised host name: any character
/// outside the Unicode blocks of punctuation, symbols, compatibility forms, private use and
/// emoji. Those blocks hold look-alikes of the URL's own delimiters — `⁄` (U+2044) and `∕`
/// (U+2215) read as `/`, `。` (U+3002) and `．` (U+FF0E) become `.` in IDNA's mapping (UTS #46),
/// `﹫` (U+FE6B) reads as `@` — and the invisible bidirectional and zero-width controls
/// (U+200B–U+206F), so a host made of letters of the world's scripts is accepted and a host
/// that would read as something else is not. (A range check rather than Unicode's letter
/// tables, which the widget would otherwise download.)
fn is_name_char(c: char) -> bool {
    !c.is_ascii()
        && !matches!(c,
            '\u{80}'..='\u{BF}' // Latin-1 controls, punctuation and symbols (no-break space, «, ·)
            | '\u{D7}' | '\u{F7}' // × ÷
            | '\u{2000}'..='\u{2BFF}' // general punctuation … arrows, mathematical and other symbols
            | '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
            | '\u{E000}'..='\u{F8FF}' // private use
            | '\u{FE00}'..='\u{FE6F}' // variation selectors, vertical and small forms
            | '\u{FF00}'..='\u{FFFF}' // half- and full-width forms, specials
            | '\u{1F000}'..) // emoji and other symbols, private use planes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        let cases: &[(&str, bool)] = &[
            ("https://example.com", true),
            ("http://example.com/", true),
            ("HTTPS://EXAMPLE.COM/Path", true),
            ("https://example.com:8443/a?b=c#d", true),
            ("https://sub.domain.example.co.uk/x", true),
            ("https://xn--caf-dma.example/", true),
            ("https://café.example/menu", true),
            ("https://例え.テスト/", true),
            ("https://пример.испытание/", true),
            ("https://shop.example\u{2044}evil.example/", false),
            ("https://shop\u{3002}example/", false),
            ("https://shop\u{FF0E}example/", false),
            ("https://shop\u{200B}.example/", false),
            ("https://shop\u{202E}.example/", false),
            ("https://\u{A0}shop.example/", false),
            ("https://☃.example/", false),
            ("https://example.com./", true),
            ("https://127.0.0.1/", true),
            ("https://[::1]:8080/", true),
            ("https://[2001:db8::1]/", true),
            ("https://example.com?x", true),
            ("https://example.com#top", true),
            ("https://a-b.example/", true),
            ("", false),
            ("example.com", false),
            ("//example.com", false),
            ("ftp://example.com", false),
            ("javascript:alert(1)", false),
            ("JaVaScRiPt:alert(1)", false),
            ("data:text/html,<script>", false),
            ("http:/example.com", false),
            ("https://", false),
            ("https:///path", false),
            ("https://:443/", false),
            ("https://user@example.com/", false),
            ("https://user:pw@example.com/", false),
            ("https://example.com@evil.example/", false),
            ("https://evil.example\\@example.com/", false),
            ("https://exa mple.com/", false),
            ("https://example.com/a b", false),
            (" https://example.com", false),
            ("https://example.com/\n", false),
            ("https://example.com/\u{0}", false),
            ("https://example.com/\t", false),
            ("https://example.com:0/", false),
            ("https://example.com:65536/", false),
            ("https://example.com:/", false),
            ("https://example.com:8o/", false),
            ("https://exa_mple.com/", false),
            ("https://-example.com/", false),
            ("https://example-.com/", false),
            ("https://a..b/", false),
            ("https://.example.com/", false),
            ("https://[::1/", false),
            ("https://[not-v6]/", false),
            ("https://<script>/", false),
            (&long, false),
        ];
        for (url, ok) in cases {
            assert_eq!(
                check_web_url(url).is_ok(),
                *ok,
                "{url:?}: {:?}",
                check_web_url(url)
            );
        }
    }

    #[test]
    fn links() {
        let cases: &[(&str, bool)] = &[
            ("https://example.com/", true),
            ("mailto:hello@shop.example", true),
            ("MAILTO:hello@shop.example?subject=Hi", true),
            ("tel:+44-20-7946-0000", true),
            ("tel:(020)79460000", true),
            ("tel:", false),
            ("tel:+44 20", false),
            ("tel:call-me", false),
            ("mailto:", false),
            ("mailto:nobody", false),
            ("mailto:a@b c", false),
            ("javascript:alert(1)", false),
            ("vbscript:msgbox", false),
            ("data:,x", false),
            ("file:///etc/passwd", false),
            ("no-scheme", false),
            ("", false),
            (":", false),
        ];
        for (link, ok) in cases {
            assert_eq!(check_link(link).is_ok(), *ok, "{link:?}");
            assert_eq!(is_link(link), *ok, "{link:?}");
        }
    }
}
