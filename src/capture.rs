//! The hidden values captured with a lead form's submission and with a chat session's start
//! (UTM parameters, referrer, landing page, page URL, locale, the time) come from the page:
//! the loader (`loader.js`, which runs on the host page before any bundle) hands the widget
//! and the forms its `capture` function in their options, and they call it when they submit
//! or start a session. Reading the page there keeps that code out of the wasm bundles; see
//! `capture` in `loader.js` for the rules (the landing page is the first page of the tab's
//! visit on which a form was shown or the chat started a session).

use js_sys::Function;
use parlo_model::form::Capture;
use wasm_bindgen::{JsCast, JsValue};

/// What the page's `capture` function answers now: the plain object of a [`Capture`]'s JSON
/// (members without a value left out), or `undefined` when `capture` is not a function (a
/// bundle mounted without the loader captures nothing).
pub fn call(capture: &JsValue) -> JsValue {
    capture
        .dyn_ref::<Function>()
        .and_then(|f| f.call0(&JsValue::NULL).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// [`call`] read as a [`Capture`] (the lead forms' submissions); empty when the page gave
/// nothing readable.
pub fn read(capture: &JsValue) -> Capture {
    serde_wasm_bindgen::from_value(call(capture)).unwrap_or_default()
}
