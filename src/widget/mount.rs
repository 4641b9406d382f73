//! Mounting the widget into the shadow root of a host element.

use super::app::{App, AppProps};
use super::style::{LAUNCHER_CSS, PANEL_CSS};
use crate::shadow::ShadowApp;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

/// Attribute marking the nodes `loader.js` drew before the bundle loaded.
pub const LOADER_ATTR: &str = "data-parlo-loader";

/// A widget mounted in a shadow root.
pub struct Mounted(ShadowApp<App>);

impl Mounted {
    /// Unmounts the widget (aborting its requests and closing its stream) and removes its
    /// nodes from the shadow root.
    pub fn unmount(self) {
        self.0.unmount();
    }
}

/// Renders [`App`] into the open shadow root of `host` (attached when missing), with the
/// widget's stylesheet adopted by the root.
///
/// Nodes the loader drew (marked with [`LOADER_ATTR`]) are removed once the widget has
/// rendered, so the launcher does not flicker; if the loader's launcher had the focus, the
/// widget's launcher gets it.
pub fn mount(host: &HtmlElement, props: AppProps) -> Result<Mounted, JsValue> {
    let (app, shadow) = ShadowApp::render(host, &[LAUNCHER_CSS, PANEL_CSS].concat(), props)?;
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(Duration::ZERO).await;
        remove_loader_nodes(&shadow);
    });
    Ok(Mounted(app))
}

fn remove_loader_nodes(root: &ShadowRoot) {
    let had_focus = root.active_element().is_some_and(|element| {
        element.has_attribute(LOADER_ATTR)
            || element
                .closest(&format!("[{LOADER_ATTR}]"))
                .ok()
                .flatten()
                .is_some()
    });
    if let Ok(nodes) = root.query_selector_all(&format!("[{LOADER_ATTR}]")) {
        for i in 0..nodes.length() {
            if let Some(node) = nodes.get(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                node.remove();
            }
        }
    }
    if had_focus
        && let Ok(Some(launcher)) = root.query_selector(".parlo-launcher")
        && let Ok(launcher) = launcher.dyn_into::<HtmlElement>()
    {
        let _ = launcher.focus();
    }
}
