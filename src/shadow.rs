//! Rendering a yew component into the open shadow root of a host element, next to its own
//! stylesheet: the page's selectors do not reach in, the component's do not leak out. The chat
//! widget ([`crate::widget::mount`]) and lead forms ([`crate::lead_form::mount_form`]) are
//! mounted this way; the widget's pre-chat form renders into such a root with a portal.

use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, BaseComponent};

/// A component rendered in a shadow root.
pub struct ShadowApp<C: BaseComponent> {
    app: AppHandle<C>,
    nodes: [Element; 2],
}

impl<C: BaseComponent> ShadowApp<C> {
    /// Renders `C` with `props` into the open shadow root of `host` (attached when missing),
    /// after a `<style>` holding `css`.
    pub fn render(
        host: &HtmlElement,
        css: &str,
        props: C::Properties,
    ) -> Result<(Self, ShadowRoot), JsValue> {
        let (root, nodes) = attach(host, css)?;
        let app = yew::Renderer::<C>::with_root_and_props(nodes[1].clone(), props).render();
        Ok((Self { app, nodes }, root))
    }

    /// Destroys the component (running its cleanups) and removes its nodes.
    pub fn unmount(self) {
        self.app.destroy();
        for node in self.nodes {
            node.remove();
        }
    }
}

/// The open shadow root of `host` (attached when missing), with a `<style>` holding `css` and
/// an empty `<div>` for the content appended to it: returns the root and `[style, div]`.
///
/// Fails (with the DOM's exception) when `host` cannot have a shadow root, e.g. an `<input>`
/// or an element with a closed one.
pub fn attach(host: &Element, css: &str) -> Result<(ShadowRoot, [Element; 2]), JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(css));
    let container = document.create_element("div")?;
    root.append_child(&style)?;
    root.append_child(&container)?;
    Ok((root, [style, container]))
}
