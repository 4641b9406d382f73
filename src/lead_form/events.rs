//! What the page hears of a form: `parlo:submit`, `parlo:success` and `parlo:failure`
//! `CustomEvent`s on the host element (bubbling, composed), and the `onSubmit`,
//! `onSuccess` and `onFailure` callbacks of the mount options, with the same `detail`:
//! `{ form, idempotencyKey, values, queued?, acceptedAt?, problem? }` (see `js/loader.d.ts`).

use crate::client::transport::to_js;
use parlo_model::form::FieldValue;
use parlo_model::problem::Problem;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// One of the three events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormEvent {
    /// A valid form was submitted (before it is sent).
    Submit,
    /// The server has stored it.
    Success,
    /// The server refused it for good.
    Failure,
}

/// Where the events go: the host element and the page's callbacks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listeners {
    /// The element the form is mounted in.
    pub host: Option<HtmlElement>,
    /// `onSubmit`, `onSuccess`, `onFailure`, in [`FormEvent`] order.
    pub callbacks: [Option<js_sys::Function>; 3],
}

/// The `detail` of an event, as JavaScript sees it (camelCase members; absent ones left out).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail<'a> {
    /// Public id of the form.
    pub form: &'a str,
    /// Idempotency key of the submission.
    #[serde(rename = "idempotencyKey")]
    pub key: &'a str,
    /// Submitted values by field name, as in the submission's body.
    pub values: &'a BTreeMap<String, FieldValue>,
    /// Submit: saved for later because the browser is offline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued: Option<bool>,
    /// Success: when the server first accepted it (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<&'a str>,
    /// Failure: the server's problem (RFC 9457 body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'a Problem>,
}

impl Listeners {
    /// Dispatches `event` on the host and calls its callback.
    pub fn emit(&self, event: FormEvent, detail: &Detail) {
        let detail = to_js(detail).unwrap_or(JsValue::NULL);
        let (name, index) = match event {
            FormEvent::Submit => ("parlo:submit", 0),
            FormEvent::Success => ("parlo:success", 1),
            FormEvent::Failure => ("parlo:failure", 2),
        };
        if let Some(host) = &self.host {
            let init = CustomEventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            init.set_detail(&detail);
            if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
                let _ = host.dispatch_event(&event);
            }
        }
        if let Some(callback) = &self.callbacks[index] {
            // A throwing callback is the page's bug; the form carries on.
            let _ = callback.call1(&JsValue::NULL, &detail);
        }
    }
}
