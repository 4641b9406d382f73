//! `localStorage` keys scoped per channel (`parlo:<channel>:<key>`): the chat widget keeps its
//! session token, open state and unsent messages here; lead forms read the session token to link a lead to
//! the visitor's conversation.
//!
//! Storage may be unavailable (sandboxed iframes, some private modes); every access then
//! quietly does nothing.

use web_sys::Storage;

/// Key of the session token.
pub const SESSION: &str = "session";
/// Key set to `1` while the panel is open, so a reload reopens it.
pub const OPEN: &str = "open";
/// Key of the visitor messages the server has not stored yet, sent again with the same ids
/// after a reload: a JSON array of `[id, text, null]` (typed text) and `[id, title, payload]`
/// (a pressed button).
pub const UNSENT: &str = "unsent";

/// `localStorage` under the prefix `parlo:<channel>:`.
#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    prefix: String,
}

impl Store {
    /// The store of `channel`.
    pub fn new(channel: &str) -> Self {
        Self {
            prefix: format!("parlo:{channel}:"),
        }
    }

    fn storage() -> Option<Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(&format!("{}{key}", self.prefix)).ok()?
    }

    /// Sets `key` to `value`, or removes it when `value` is `None`.
    pub fn set(&self, key: &str, value: Option<&str>) {
        if let Some(storage) = Self::storage() {
            let key = format!("{}{key}", self.prefix);
            let _ = match value {
                Some(value) => storage.set_item(&key, value),
                None => storage.remove_item(&key),
            };
        }
    }
}
