//! Management API keys: `POST`, `GET /api/v1/api-keys`, `DELETE /api/v1/api-keys/{id}`.
//!
//! A key is `parlo_sk_` + 37 random base62 characters + a 6-character base62 CRC-32 of the
//! random part (GitHub's token format: the prefix makes leaked keys recognisable to secret
//! scanners, the checksum lets a client reject a mistyped key without a request; see
//! [`is_well_formed_key`]). The server stores only a SHA-256 of the key and shows the secret
//! once, in [`CreatedApiKey`].

use serde::{Deserialize, Serialize};

/// Prefix of every management API key.
pub const KEY_PREFIX: &str = "parlo_sk_";
/// Random base62 characters of a key (≈220 bits).
pub const KEY_RANDOM_CHARS: usize = 37;
/// Base62 characters of the checksum (CRC-32 < 62⁶).
pub const KEY_CHECKSUM_CHARS: usize = 6;
/// Characters of a key shown in lists: the prefix and the first 4 random characters.
pub const KEY_DISPLAY_CHARS: usize = KEY_PREFIX.len() + 4;
/// Longest key name, in characters.
pub const MAX_KEY_NAME_CHARS: usize = 100;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// CRC-32 (IEEE 802.3, as in zlib) of `bytes`.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The checksum of a key's random part: its CRC-32 in base62, zero-padded to 6 characters.
pub fn key_checksum(random: &str) -> String {
    let mut n = crc32(random.as_bytes());
    let mut out = [b'0'; KEY_CHECKSUM_CHARS];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

/// Whether `key` has the format of a Parlo API key: the prefix, 37 base62 characters and
/// their matching checksum. Says nothing about whether the key exists or is revoked.
///
/// ```
/// use parlo_model::api_key::{is_well_formed_key, key_checksum};
/// let random = "a".repeat(37);
/// let key = format!("parlo_sk_{random}{}", key_checksum(&random));
/// assert!(is_well_formed_key(&key));
/// assert!(!is_well_formed_key(&key.replace("parlo_sk_a", "parlo_sk_b")));
/// ```
pub fn is_well_formed_key(key: &str) -> bool {
    let Some(rest) = key.strip_prefix(KEY_PREFIX) else {
        return false;
    };
    if rest.len() != KEY_RANDOM_CHARS + KEY_CHECKSUM_CHARS || !rest.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return false;
    }
    let (random, checksum) = rest.split_at(KEY_RANDOM_CHARS);
    key_checksum(random) == checksum
}

/// Body of `POST /api/v1/api-keys`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"name": "zapier"}))))]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// Human name, 1..=100 characters, e.g. `zapier`; need not be unique.
    pub name: String,
}

/// An API key as listed: never the secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ApiKey {
    /// Id of the key in its workspace.
    pub id: i64,
    /// Human name.
    pub name: String,
    /// The first characters of the key (e.g. `parlo_sk_Ab3x`), to tell keys apart;
    /// `parlo_sk_` alone for keys created before prefixes were kept.
    pub prefix: String,
    /// When the key was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When the key was last used, RFC 3339 UTC, at most a minute old; `None` if never.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_used_at: Option<String>,
}

/// Answer of `POST /api/v1/api-keys`: the only time the secret is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CreatedApiKey {
    /// Id of the key in its workspace.
    pub id: i64,
    /// Human name.
    pub name: String,
    /// The first characters of the key, as in lists.
    pub prefix: String,
    /// The key itself, `parlo_sk_…`: store it now, it is never shown again.
    pub secret: String,
    /// When the key was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn a_typo_breaks_the_checksum() {
        let random = "Zx9".repeat(12) + "Q";
        let key = format!("{KEY_PREFIX}{random}{}", key_checksum(&random));
        assert!(is_well_formed_key(&key));
        let typo = key.replacen('x', "y", 1);
        assert!(!is_well_formed_key(&typo));
        assert!(!is_well_formed_key(&key[..key.len() - 1]));
        assert!(!is_well_formed_key(&key.replace(KEY_PREFIX, "parlo_pk_")));
    }
}
