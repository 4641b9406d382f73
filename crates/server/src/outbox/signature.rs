//! Standard Webhooks signatures (<https://www.standardwebhooks.com>, "Signature scheme"):
//! HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's secret,
//! sent as `webhook-signature: v1,<base64>` (space-separated list when several).
//!
//! ```
//! use parlo_server::outbox::signature::{Secret, verify};
//! let secret = Secret::generate();
//! let header = secret.sign("msg_1", 1_700_000_000, b"{}");
//! assert!(verify(&secret, "msg_1", "1700000000", &header, b"{}", 1_700_000_100).is_ok());
//! assert!(verify(&secret, "msg_1", "1700000000", &header, b"{ }", 1_700_000_100).is_err());
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use parlo_model::webhook::SECRET_PREFIX;
use sha2::Sha256;

/// Bytes of a generated secret (the spec asks for at least 24).
pub const GENERATED_BYTES: usize = 24;
/// Accepted key lengths in bytes: the spec's 24 (192 bits) up to 64 (512 bits).
pub const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;
/// Largest accepted distance between `webhook-timestamp` and now, in seconds (the
/// official libraries' tolerance).
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// What [`Secret::parse`] takes, as an ECMA-262 regular expression: `whsec_` and the
/// canonical padded base64 (RFC 4648 §4; unused bits zero) of 24..=64 bytes: 8..=21 groups of
/// four characters, then maybe one more byte (`xx==`), or two (`xxx=`) after at most 20.
pub const SECRET_PATTERN: &str = concat!(
    "^whsec_(?:(?:[A-Za-z0-9+/]{4}){8,21}(?:[A-Za-z0-9+/][AQgw]==)?",
    "|(?:[A-Za-z0-9+/]{4}){8,20}[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)$"
);

/// A symmetric signing secret, `whsec_` + base64 of its key bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A new random secret of [`GENERATED_BYTES`] bytes.
    pub fn generate() -> Self {
        let mut key = vec![0u8; GENERATED_BYTES];
        rand::fill(&mut key[..]);
        Self(key)
    }

    /// Parses `whsec_<base64>` with a key of [`KEY_BYTES`] bytes; the message says why not.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let encoded = text.strip_prefix(SECRET_PREFIX).ok_or("must start with whsec_")?;
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| "must be whsec_ followed by base64")?;
        if !KEY_BYTES.contains(&key.len()) {
            return Err("must hold 24 to 64 bytes");
        }
        Ok(Self(key))
    }

    /// The `whsec_<base64>` form.
    pub fn expose(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `webhook-signature` value `v1,<base64>` for message `id` sent at `timestamp`
    /// (Unix seconds) with `body`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(id, &timestamp.to_string(), body).finalize().into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }
}

/// Why [`verify`] rejected a webhook.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// `webhook-timestamp` is not an integer.
    #[error("webhook-timestamp is not Unix seconds")]
    BadTimestamp,
    /// `webhook-timestamp` is more than [`TOLERANCE_SECS`] away from now (a replay?).
    #[error("webhook-timestamp is too far from now")]
    Stale,
    /// No `v1` signature in the header matches.
    #[error("no matching v1 signature")]
    NoMatch,
}

/// Checks a received webhook as the spec's consumers do: the timestamp within
/// [`TOLERANCE_SECS`] of `now` (Unix seconds), then any `v1,<base64>` entry of the
/// space-separated `signature` header compared in constant time.
pub fn verify(
    secret: &Secret,
    id: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    let sent: i64 = timestamp.parse().map_err(|_| VerifyError::BadTimestamp)?;
    if (now - sent).abs() > TOLERANCE_SECS {
        return Err(VerifyError::Stale);
    }
    let matches = signature
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| STANDARD.decode(encoded).ok())
        .any(|tag| secret.mac(id, timestamp, body).verify_slice(&tag).is_ok());
    matches.then_some(()).ok_or(VerifyError::NoMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`SECRET_PATTERN`] takes exactly what [`Secret::parse`] takes: every key length,
    /// canonical or not, padded or not.
    #[test]
    fn the_pattern_is_the_parser() {
        let pattern = regex::Regex::new(SECRET_PATTERN).unwrap();
        for len in 0..=70 {
            let key: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let encoded = STANDARD.encode(&key);
            let mut texts = vec![
                format!("{SECRET_PREFIX}{encoded}"),
                format!("{SECRET_PREFIX}{}", encoded.trim_end_matches('=')),
                format!("{encoded}"),
            ];
            // The last data character with its unused bits set: not canonical.
            if let Some(at) = encoded.find('=').and_then(|at| at.checked_sub(1)) {
                let mut odd = encoded.clone();
                odd.replace_range(at..=at, "/");
                texts.push(format!("{SECRET_PREFIX}{odd}"));
            }
            for text in texts {
                assert_eq!(
                    pattern.is_match(&text),
                    Secret::parse(&text).is_ok(),
                    "{text} ({len} bytes)"
                );
            }
        }
    }

    /// The example of the official libraries' test suites (secret, id, timestamp, body →
    /// signature), so our scheme is theirs byte for byte.
    #[test]
    fn matches_the_reference_vector() {
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let header = secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(header, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn verify_rejects_tampering_staleness_and_other_secrets() {
        let secret = Secret::generate();
        let header = secret.sign("msg_1", 1000, b"body");
        assert_eq!(verify(&secret, "msg_1", "1000", &header, b"body", 1000), Ok(()));
        let other = format!("v1,AAAA {header}");
        assert_eq!(verify(&secret, "msg_1", "1000", &other, b"body", 1000), Ok(()));
        assert_eq!(
            verify(&secret, "msg_1", "1000", &header, b"bodY", 1000),
            Err(VerifyError::NoMatch)
        );
        assert_eq!(
            verify(&secret, "msg_2", "1000", &header, b"body", 1000),
            Err(VerifyError::NoMatch)
        );
        assert_eq!(
            verify(
                &secret,
                "msg_1",
                "1000",
                &header,
                b"body",
                1000 + TOLERANCE_SECS + 1
            ),
            Err(VerifyError::Stale)
        );
        assert_eq!(
            verify(&secret, "msg_1", "x", &header, b"body", 1000),
            Err(VerifyError::BadTimestamp)
        );
        assert_eq!(
            verify(&Secret::generate(), "msg_1", "1000", &header, b"body", 1000),
            Err(VerifyError::NoMatch)
        );
    }

    #[test]
    fn secrets_round_trip_and_bad_ones_are_refused() {
        let secret = Secret::generate();
        assert_eq!(Secret::parse(&secret.expose()), Ok(secret));
        assert!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(Secret::parse("whsec_!!!").is_err());
        assert!(Secret::parse("whsec_AAAA").is_err());
    }
}
