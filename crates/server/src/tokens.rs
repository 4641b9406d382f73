//! Secrets and ids: random base62 strings and their SHA-256 digests.
//!
//! Session tokens (visitors' and console users') and API keys are shown once; only
//! [`digest`] of them is stored.

use parlo_model::api_key::{KEY_PREFIX, KEY_RANDOM_CHARS, key_checksum};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

/// `len` random characters of `[A-Za-z0-9]` (≈5.95 bits each) from the thread CSPRNG.
pub fn random_base62(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A new visitor session token: 43 base62 characters (≈256 bits).
pub fn new_session_token() -> String {
    random_base62(43)
}

/// A new console user session token: `parlo_us_` + 43 base62 characters (≈256 bits).
pub fn new_user_session_token() -> String {
    format!("{}{}", parlo_model::user::SESSION_TOKEN_PREFIX, random_base62(43))
}

/// A new management API key: `parlo_sk_` + 37 random base62 characters + their 6-character
/// checksum ([`parlo_model::api_key`]).
pub fn new_api_key() -> String {
    let random = random_base62(KEY_RANDOM_CHARS);
    format!("{KEY_PREFIX}{random}{}", key_checksum(&random))
}

/// A new subscriber id: `sub_` + 20 base62 characters.
pub fn new_subscriber_id() -> String {
    format!("sub_{}", random_base62(20))
}

/// A new channel id: `ch_` + 20 lower-case letters and digits (≈100 bits).
pub fn new_channel_id() -> String {
    format!("ch_{}", random_base62(20).to_lowercase())
}

/// A new keyword id: `kw_` + 12 lower-case letters and digits (≈62 bits, unique in its
/// channel).
pub fn new_keyword_id() -> String {
    format!("kw_{}", random_base62(12).to_lowercase())
}

/// A new channel identity secret: `parlo_is_` + 40 base62 characters (≈238 bits).
pub fn new_identity_secret() -> String {
    format!(
        "{}{}",
        parlo_model::channel::IDENTITY_SECRET_PREFIX,
        random_base62(40)
    )
}

/// A new server-generated message id: `msg_` + 20 base62 characters.
pub fn new_message_id() -> String {
    format!("msg_{}", random_base62(20))
}

/// Lower-case hex SHA-256 of `secret`, as stored for tokens and keys.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
