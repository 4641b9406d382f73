//! `mountConsole` (feature `console`: `pkg/console/parlo_console.js`), which the page of
//! `/console` calls.

use wasm_bindgen::prelude::*;
use web_sys::Element;

/// Renders the owner console into `root`, calling the Parlo server at `apiBase` (default:
/// the page's origin).
///
/// Throws when there is no `window` (e.g. in a worker).
#[wasm_bindgen(js_name = mountConsole)]
pub fn mount_console(
    root: Element,
    #[wasm_bindgen(js_name = apiBase)] api_base: Option<String>,
) -> Result<(), JsError> {
    let base_url = match api_base {
        Some(base) => base,
        None => web_sys::window()
            .ok_or_else(|| JsError::new("no window"))?
            .location()
            .origin()
            .map_err(|e| JsError::new(&crate::client::describe(&e)))?,
    };
    crate::console::mount(root, base_url);
    Ok(())
}
