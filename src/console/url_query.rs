//! The address bar's query string, where a screen keeps its filters (a reload or a shared
//! link shows the same list).

use wasm_bindgen::JsValue;

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
