//! Everything JavaScript sees. Each wasm bundle exports the part of its feature:
//!
//! - `widget` (`pkg/parlo_widget.js`): `mountWidget` and the [`Widget`] handle it returns;
//! - `forms` (`pkg/forms/parlo_forms.js`): `mountForm`, `previewForm` (the console's
//!   preview), their `LeadForm` handle, and `flushLeads` — only without `widget`: the
//!   widget with lead forms inside (`pkg/prechat/`) renders its pre-chat form itself and the loader calls only its
//!   `mountWidget` (pages' forms use the forms bundle), so it does not carry these exports
//!   (1,061 bytes of wasm and glue after brotli);
//! - `management` (`pkg/client/`): `ParloClient`;
//! - `console` (`pkg/console/`): `mountConsole` — and not `ParloClient`, which the console
//!   does not need (it uses the Rust client).
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

#[cfg(feature = "console")]
mod console;
#[cfg(all(feature = "forms", not(feature = "widget")))]
mod forms;
#[cfg(all(feature = "management", not(feature = "console")))]
mod management;
#[cfg(feature = "widget")]
mod widget;

#[cfg(feature = "console")]
pub use console::*;
#[cfg(all(feature = "forms", not(feature = "widget")))]
pub use forms::*;
#[cfg(all(feature = "management", not(feature = "console")))]
pub use management::*;
#[cfg(feature = "widget")]
pub use widget::*;
