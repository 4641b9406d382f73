//! The logged-in user's session, kept in `sessionStorage` so that a reload (or a deep link
//! opened in the same tab) stays logged in.
//!
//! `sessionStorage` rather than `localStorage`: the token is a bearer credential valid for 14
//! days, and `sessionStorage` forgets it when the tab is closed, so it is not left behind on
//! a shared computer; a new tab asks for the password again. A script injected into the page
//! could read either, so the console renders every API text as text (never as HTML).

use serde::{Deserialize, Serialize};

/// The storage key.
const KEY: &str = "parlo.console.session";

/// What the console keeps of a log-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The user session token, `parlo_us_…`.
    pub token: String,
    /// The user's e-mail address, shown in the header.
    pub email: String,
}

/// The tab's `sessionStorage`, if the browser gives it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The stored session, if any.
pub fn load() -> Option<Session> {
    let text = storage()?.get_item(KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Stores `session` (best effort: private modes may refuse; then only this page knows it).
pub fn save(session: &Session) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(session)) {
        let _ = storage.set_item(KEY, &text);
    }
}

/// Forgets the stored session.
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
