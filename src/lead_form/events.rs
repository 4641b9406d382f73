//! What the page hears of a form: `parlo:submit`, `parlo:success` and `parlo:failure`
//! `CustomEvent`s on the host element (bubbling, composed), and the `onSubmit`,
//! `onSuccess` and `onFailure` callbacks of the mount options, with the same `detail`:
//! `{ form, idempotencyKey, values, queued?, acceptedAt?, problem? }` (see `js/loader.d.ts`).

use crate::client::json::object;
use parlo_model::problem::Problem;
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

/// The `detail` of an event.
#[derive(Clone, Debug, Default)]
pub struct Detail<'a> {
    /// Public id of the form.
    pub form: &'a str,
    /// Idempotency key of the submission.
    pub key: &'a str,
    /// Submitted values by field name, from
    /// [`values_to_json`](super::json::values_to_json).
    pub values: JsValue,
    /// Submit: saved for later because the browser is offline.
    pub queued: Option<bool>,
    /// Success: when the server first accepted it (RFC 3339).
    pub accepted_at: Option<&'a str>,
    /// Failure: the server's problem.
    pub problem: Option<&'a Problem>,
}

fn problem_to_json(problem: &Problem) -> JsValue {
    let errors: js_sys::Array = problem
        .errors
        .iter()
        .map(|e| {
            object(&[
                ("pointer", e.pointer.as_str().into()),
                ("message", e.message.as_str().into()),
            ])
        })
        .collect();
    object(&[
        ("status", problem.status.into()),
        ("code", problem.code.as_str().into()),
        ("title", problem.title.as_str().into()),
        (
            "detail",
            problem.detail.as_deref().map_or(JsValue::UNDEFINED, Into::into),
        ),
        ("errors", errors.into()),
    ])
}

impl Listeners {
    /// Dispatches `event` on the host and calls its callback.
    pub fn emit(&self, event: FormEvent, detail: &Detail) {
        let detail = object(&[
            ("form", detail.form.into()),
            ("idempotencyKey", detail.key.into()),
            ("values", detail.values.clone()),
            (
                "queued",
                detail.queued.map_or(JsValue::UNDEFINED, JsValue::from_bool),
            ),
            (
                "acceptedAt",
                detail.accepted_at.map_or(JsValue::UNDEFINED, Into::into),
            ),
            (
                "problem",
                detail.problem.map_or(JsValue::UNDEFINED, problem_to_json),
            ),
        ]);
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
