//! Everything JavaScript sees. Each wasm bundle exports the part of its feature:
//!
//! - `widget` (`pkg/parlo_widget.js`): `mountWidget` and the [`Widget`] handle it returns;
//! - `forms` (`pkg/forms/parlo_forms.js`): `mountForm`, its `LeadForm` handle, and
//!   `flushLeads` — only without `widget`: the widget with lead forms inside
//!   (`pkg/prechat/`) renders its pre-chat form itself and the loader calls only its
//!   `mountWidget` (pages' forms use the forms bundle), so it does not carry these exports
//!   (1,061 bytes of wasm and glue after brotli);
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

#[cfg(all(feature = "forms", not(feature = "widget")))]
mod forms;
#[cfg(feature = "management")]
mod management;
#[cfg(feature = "widget")]
mod widget;

#[cfg(all(feature = "forms", not(feature = "widget")))]
pub use forms::*;
#[cfg(feature = "management")]
pub use management::*;
#[cfg(feature = "widget")]
pub use widget::*;
