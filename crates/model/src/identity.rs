//! Verified visitor identity: the signed-in user of the site, told to the chat widget with
//! `Parlo.setUser({ id, email, name, phone, userHash })` and sent with the session start
//! ([`StartSession::user`](crate::chat::StartSession::user)).
//!
//! The rule (as Intercom's identity verification and Chatwoot's `identifier_hash`): the
//! site's back end computes
//!
//! ```text
//! user_hash = lowercase_hex(HMAC-SHA256(key = channel identity secret, message = id))
//! ```
//!
//! over the UTF-8 bytes of the secret exactly as the API showed it (`parlo_is_…`, the whole
//! string) and of `id` exactly as sent (no trimming, no case folding), and hands `id` and
//! `user_hash` to the page. The server recomputes the hash and compares it in constant time;
//! only then does it trust `id` and `email`: the visitor becomes the workspace's subscriber
//! with that external id (the anonymous visitor's conversation is merged into it). A user
//! with an `id` and a missing or wrong hash is refused with 403
//! [`identity_invalid`](crate::problem::codes::IDENTITY_INVALID). `name`, `phone` and
//! `email` without an `id` are only stored as the subscriber's custom fields of those
//! names, never used to find or join a subscriber.

use serde::{Deserialize, Serialize};

/// Longest external user id, in characters.
pub const MAX_USER_ID_CHARS: usize = 255;
/// Characters of a `user_hash`: 64 lower-case hex digits (SHA-256 is 32 bytes).
pub const USER_HASH_CHARS: usize = 64;

/// The site's signed-in user, as the page tells the widget (`Parlo.setUser`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"id": "user-42", "email": "ada@example.com", "name": "Ada Lovelace", "user_hash": "5e0b…(64 hex digits)"}))))]
pub struct VisitorUser {
    /// The user's id in the site's own user base, 1..=255 characters; trusted only with a
    /// valid `user_hash`, then unique in the workspace (the subscriber's `external_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// E-mail address; stored as the custom field `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Full name; stored as the custom field `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Phone number; stored as the custom field `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Lower-case hex HMAC-SHA256 of `id` keyed with the channel's identity secret (see the
    /// module docs); required with `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_hash: Option<String>,
}

impl VisitorUser {
    /// The profile members given, as `(custom field name, value)`: `name`, `email`, `phone`.
    pub fn profile(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("name", self.name.as_deref()),
            ("email", self.email.as_deref()),
            ("phone", self.phone.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
    }
}
