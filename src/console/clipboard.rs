//! The clipboard, for the secrets and snippets the console shows.

use wasm_bindgen::{JsCast, JsValue};

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`); `false` when the
/// browser has no clipboard API here (e.g. an insecure origin).
pub fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard =
        js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).unwrap_or(JsValue::UNDEFINED);
    match write.dyn_ref::<js_sys::Function>() {
        Some(write) => write.call1(&clipboard, &text.into()).is_ok(),
        None => false,
    }
}

/// What a "Copy" button says after a press: done, or how to copy by hand.
pub fn outcome(copied: bool) -> &'static str {
    if copied {
        "Copied to the clipboard."
    } else {
        "Copying failed: select the text and copy it yourself."
    }
}
