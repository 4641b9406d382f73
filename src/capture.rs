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

use crate::client::transport::{from_json, to_json};
use parlo_model::form::Capture;
use serde::{Deserialize, Serialize};

/// `sessionStorage` key of the landing page.
pub const LANDING_KEY: &str = "parlo:landing";

/// The landing page note in `sessionStorage`.
#[derive(Deserialize, Serialize)]
struct Landing {
    url: Option<String>,
    referrer: Option<String>,
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
    let note = Landing {
        url: Some(url),
        referrer: Some(referrer),
    };
    if let Ok(text) = to_json(&note) {
        let _ = session.set_item(LANDING_KEY, &text);
    }
}

/// What the page knows now; `submitted_at` is the browser's clock (RFC 3339, UTC, ms): when
/// the form was submitted, or the session started. Without
/// a kept landing page (storage unavailable) the current page is the landing page.
pub fn capture() -> Capture {
    let Some(window) = web_sys::window() else {
        return Capture::default();
    };
    let page = window.location().href().ok();
    let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
    let stored = window
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANDING_KEY).ok().flatten())
        .and_then(|text| from_json::<Landing>(text).ok());
    let (landing, referrer) = match stored {
        Some(Landing { url, referrer }) => (url, referrer),
        None => (page.clone(), Some(referrer)),
    };
    let utm = |url: &Option<String>| -> Vec<Option<String>> {
        let params = url
            .as_deref()
            .and_then(|u| web_sys::Url::new(u).ok())
            .map(|u| u.search_params());
        UTM.iter()
            .map(|name| params.as_ref().and_then(|p| p.get(name)))
            .collect()
    };
    let mut found = utm(&page);
    if found.iter().all(Option::is_none) {
        found = utm(&landing);
    }
    let mut found = found.into_iter();
    let mut next = || found.next().flatten();
    Capture {
        utm_source: next(),
        utm_medium: next(),
        utm_campaign: next(),
        utm_term: next(),
        utm_content: next(),
        referrer: referrer.filter(|r| !r.is_empty()),
        landing_page: landing,
        page_url: page,
        locale: window.navigator().language(),
        submitted_at: Some(String::from(js_sys::Date::new_0().to_iso_string())),
    }
}
