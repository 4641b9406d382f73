//! The address bar's query string, where a screen keeps its filters (a reload or a shared
//! link shows the same list). The tab also remembers each screen's last filters
//! (`sessionStorage`), so coming back to a list from one of its items or from the
//! navigation shows the list as it was left.

use super::session::storage;
use wasm_bindgen::JsValue;

/// `sessionStorage` key of the last query string of the screen at `path`.
fn key(path: &str) -> String {
    format!("parlo.console.query:{path}")
}

/// The query string the screen at `path` last had in this tab, with its `?`; empty when
/// none.
pub fn remembered(path: &str) -> String {
    storage()
        .and_then(|s| s.get_item(&key(path)).ok().flatten())
        .map(|query| format!("?{query}"))
        .unwrap_or_default()
}

/// The value of parameter `name` in `location.search`, if present.
pub fn get(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Replaces the query string (keeping the path, without a new history entry) by `pairs`;
/// no `?` at all when `pairs` is empty.
pub fn replace(pairs: &[(&str, String)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return;
    };
    for (name, value) in pairs {
        params.append(name, value);
    }
    let query = String::from(params.to_string());
    let path = window.location().pathname().unwrap_or_default();
    if let Some(storage) = storage() {
        let _ = if query.is_empty() {
            storage.remove_item(&key(&path))
        } else {
            storage.set_item(&key(&path), &query)
        };
    }
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let search = window.location().search().unwrap_or_default();
    if format!("{}{search}", window.location().pathname().unwrap_or_default()) == url {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
