//! The hidden values captured with a lead form's submission and with a chat session's start:
//! UTM parameters, referrer, landing page, page URL, locale, and the time.
//!
//! The landing page is the first page of the visit (the tab's session) on which a lead form
//! was shown or the chat widget started a session: [`note_landing`], called when a
//! [`LeadForm`](crate::lead_form::LeadForm) mounts and before the widget starts a session,
//! keeps it (with that page's `document.referrer`) in `sessionStorage` under [`LANDING_KEY`]
//! as `{"url": …, "referrer": …}`. Nothing is stored before: the loader writes no storage
//! until the visitor shows intent, so a page that only showed the launcher is not
//! remembered. UTM parameters come from the current page's URL when it has any, else from
//! the landing page's.

use js_sys::{JSON, Object, Reflect};
use parlo_model::form::Capture;
use wasm_bindgen::JsValue;

/// `sessionStorage` key of the landing page.
pub const LANDING_KEY: &str = "parlo:landing";

/// Member `name` of the JavaScript object `object`, when it is a string.
fn string_of(object: &JsValue, name: &str) -> Option<String> {
    Reflect::get(object, &name.into()).ok()?.as_string()
}

/// Sets member `name` of `object` to `value`, unless it is `None`.
fn set(object: &Object, name: &str, value: Option<String>) {
    if let Some(value) = value {
        let _ = Reflect::set(object, &name.into(), &value.into());
    }
}

/// The five UTM parameters (Google Analytics campaign URL builder).
const UTM: [&str; 5] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
];

/// Keeps the current page as the visit's landing page, unless one is kept already.
pub fn note_landing() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Some(session), Ok(url)) = (window.session_storage().ok().flatten(), window.location().href()) else {
        return;
    };
    if session.get_item(LANDING_KEY).ok().flatten().is_some() {
        return;
    }
    let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
    let note = Object::new();
    set(&note, "url", Some(url));
    set(&note, "referrer", Some(referrer));
    if let Ok(text) = JSON::stringify(&note) {
        let _ = session.set_item(LANDING_KEY, &String::from(text));
    }
}

/// What the page knows now, as a [`Capture`] (the lead forms' submissions).
pub fn capture() -> Capture {
    serde_wasm_bindgen::from_value(capture_object().into()).unwrap_or_default()
}

/// What the page knows now, as the plain JavaScript object of a [`Capture`]'s JSON (members
/// without a value left out; the chat widget sends it as it is, with no serde code for it).
/// `submitted_at` is the browser's clock (RFC 3339, UTC, ms): when the form was submitted, or
/// the session started. Without a kept landing page (storage unavailable) the current page is
/// the landing page.
pub fn capture_object() -> Object {
    let object = Object::new();
    let Some(window) = web_sys::window() else {
        return object;
    };
    let page = window.location().href().ok();
    let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
    let stored = window
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANDING_KEY).ok().flatten())
        .and_then(|text| JSON::parse(&text).ok())
        .filter(JsValue::is_object);
    let (landing, referrer) = match stored {
        Some(note) => (string_of(&note, "url"), string_of(&note, "referrer")),
        None => (page.clone(), Some(referrer)),
    };
    let params = |url: &Option<String>| {
        url.as_deref()
            .and_then(|u| web_sys::Url::new(u).ok())
            .map(|u| u.search_params())
    };
    let mut utm = params(&page);
    if !UTM
        .iter()
        .any(|name| utm.as_ref().and_then(|p| p.get(name)).is_some())
    {
        utm = params(&landing);
    }
    for name in UTM {
        set(&object, name, utm.as_ref().and_then(|p| p.get(name)));
    }
    set(&object, "referrer", referrer.filter(|r| !r.is_empty()));
    set(&object, "landing_page", landing);
    set(&object, "page_url", page);
    set(&object, "locale", window.navigator().language());
    set(
        &object,
        "submitted_at",
        Some(String::from(js_sys::Date::new_0().to_iso_string())),
    );
    object
}
