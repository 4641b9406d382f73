//! Everything JavaScript sees. Each wasm bundle exports the part of its feature:
//!
//! - `widget` (`pkg/parlo.js`): `mountWidget` and the [`Widget`] handle it returns;
//! - `forms` (`pkg/forms/parlo_forms.js`): `mountForm`, its [`LeadForm`] handle, and
//!   `flushLeads`;
//! - `management` (`pkg/client/`): `ParloClient`.
//!
//! ```js
//! import init, { mountWidget } from "parlo/wasm";
//! await init();
//! const widget = mountWidget(document.querySelector("#chat"), { channel: "demo" });
//! widget.open();
//! ```
//!
//! Most pages never call these: `loader.js` does, once the visitor shows intent (the chat
//! launcher) or a form comes near the viewport.

#[cfg(feature = "forms")]
mod forms;
#[cfg(feature = "management")]
mod management;
#[cfg(feature = "widget")]
mod widget;

#[cfg(feature = "forms")]
pub use forms::*;
#[cfg(feature = "management")]
pub use management::*;
#[cfg(feature = "widget")]
pub use widget::*;
