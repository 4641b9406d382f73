//! Verifying a visitor's `user_hash`: the lower-case hex HMAC-SHA256 of the user id keyed
//! with the channel's identity secret ([`parlo_model::identity`] states the rule).
//!
//! ```
//! use parlo_server::identity::{user_hash, verify};
//! let hash = user_hash("parlo_is_secret", "user-42");
//! assert_eq!(hash.len(), 64);
//! assert!(verify("parlo_is_secret", "user-42", &hash));
//! assert!(!verify("parlo_is_secret", "user-43", &hash));
//! assert!(!verify("parlo_is_secret", "user-42", &hash.to_uppercase()));
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn mac(secret: &str, id: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    mac
}

/// The `user_hash` of `id` under `secret`: 64 lower-case hex digits. What a site's back end
/// computes; the server only needs it in tests and docs.
pub fn user_hash(secret: &str, id: &str) -> String {
    mac(secret, id)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `hash` is the `user_hash` of `id` under `secret`: exactly 64 lower-case hex
/// digits, compared in constant time (`Mac::verify_slice`).
pub fn verify(secret: &str, id: &str, hash: &str) -> bool {
    decode_lower_hex(hash).is_some_and(|tag| mac(secret, id).verify_slice(&tag).is_ok())
}

/// The 32 bytes written as 64 lower-case hex digits in `text`, or `None`.
fn decode_lower_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if bytes.len() != parlo_model::identity::USER_HASH_CHARS {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}
