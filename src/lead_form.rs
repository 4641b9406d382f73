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
//! };
//! let form = mount_form(&host, props).unwrap();
//! # form.unmount();
//! ```

mod api;
mod app;
pub mod capture;
pub mod components;
pub mod events;
pub mod json;
mod mount;
pub mod pattern;
pub mod queue;
pub mod state;
pub mod style;

pub use app::{LeadForm, LeadFormProps, QUEUED_TEXT};
pub use mount::{MountedForm, mount_form};
