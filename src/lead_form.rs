//! Lead forms: a yew [`LeadForm`] rendered in a Shadow DOM, validated with the model's
//! shared rules ([`parlo_model::form`]) and submitted through an offline-safe
//! [`queue`] — every submission has a client-made idempotency key, is kept in
//! `localStorage` until the server confirms it, and is retried with backoff.
//!
//! JavaScript mounts it with `Parlo.form(element, { form, apiBase })`, the custom element
//! `<parlo-form form="…">` (both in `js/loader.js`) or `mountForm` of [`crate::js`].
//!
//! ```no_run
//! use parlo::lead_form::{LeadFormProps, mount_form};
//! use wasm_bindgen::JsCast;
//!
//! let document = web_sys::window().unwrap().document().unwrap();
//! let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
//! document.body().unwrap().append_child(&host).unwrap();
//! let props = LeadFormProps {
//!     api_base: "https://chat.example.com".into(),
//!     form: "quote".into(),
//!     listeners: Default::default(),
//!     preload: None,
//!     locale: Some("de-AT,en".into()),
//!     capture: Default::default(),
//!     preview: false,
//! };
//! let form = mount_form(&host, props).unwrap();
//! # form.unmount();
//! ```
//!
//! # Bundle size
//!
//! Forms are their own wasm bundle (feature `forms`: `pkg/forms/parlo_forms.js`), which
//! `loader.js` loads only when a form comes near the viewport, so the chat widget does not
//! carry them: 95,187 (wasm) + 6,755 (glue) = 101,942 bytes brotli. When they were part of the
//! widget's bundle (measured 2026-11-21, Debian route of `cargo xtask build`, bytes after
//! `brotli -q 11`), it was without forms 84,242 (wasm) + 6,784 (glue) + 2,806 (loader) =
//! 93,832, with them 128,842 + 7,534 + 3,469 = 139,845, over the widget's 100,000 budget. Of
//! the 46 KB that forms add: about 18.6 KB are `f64` parsing and formatting (core's
//! `dec2flt`/`flt2dec` and their tables) that the model's number checks and messages
//! (`Field::check`) pull in — the same code measured with those replaced by JavaScript's
//! `Number`/`String` was 18.6 KB smaller; keeping per-field vectors instead of `BTreeMap`s
//! in [`state`] and the JSON body saved 10 KB, view functions instead of one yew component
//! per field kind 2.4 KB. Parsing now is JavaScript's `Number` ([`pattern`]); the formatting
//! stays (serde's error messages need it in every bundle anyway).

mod api;
mod app;
pub mod components;
pub mod events;
mod mount;
pub use crate::pattern;
pub mod queue;
pub mod state;
pub mod style;

pub use app::{LeadForm, LeadFormProps, QUEUED_TEXT};
pub use mount::{MountedForm, mount_form};
