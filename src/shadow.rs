//! Rendering a yew component into the open shadow root of a host element, with its own
//! stylesheet: the page's selectors do not reach in, the component's do not leak out. The chat
//! widget ([`crate::widget::mount`]) and lead forms ([`crate::lead_form::mount_form`]) are
//! mounted this way; the widget's pre-chat form renders into such a root with a portal.
//!
//! The stylesheet is a constructed one (`new CSSStyleSheet()`, `replaceSync`, adopted by the
//! root through `adoptedStyleSheets`), never a `<style>` element or a `style` attribute: a
//! Content Security Policy's `style-src` does not apply to it, so the bundles run under a
//! policy without `'unsafe-inline'` (see the README, "Strict Content Security Policy").

use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, BaseComponent};

/// A component rendered in a shadow root.
pub struct ShadowApp<C: BaseComponent> {
    app: AppHandle<C>,
    root: ShadowRoot,
    container: Element,
}

impl<C: BaseComponent> ShadowApp<C> {
    /// Renders `C` with `props` into the open shadow root of `host` (attached when missing),
    /// styled by `css`.
    pub fn render(
        host: &HtmlElement,
        css: &str,
        props: C::Properties,
    ) -> Result<(Self, ShadowRoot), JsValue> {
        let (root, container) = attach(host, css)?;
        let app = yew::Renderer::<C>::with_root_and_props(container.clone(), props).render();
        Ok((
            Self {
                app,
                root: root.clone(),
                container,
            },
            root,
        ))
    }

    /// Destroys the component (running its cleanups), removes its nodes and its stylesheet.
    pub fn unmount(self) {
        self.app.destroy();
        self.container.remove();
        self.root.set_adopted_style_sheets(&js_sys::Array::new());
    }
}

/// The open shadow root of `host` (attached when missing), whose stylesheets are now `css`
/// alone (replacing any adopted before, e.g. the loader's launcher styles, which `css`
/// repeats), with an empty `<div>` for the content appended to it: returns the root and the
/// `<div>`.
///
/// Fails (with the DOM's exception) when `host` cannot have a shadow root, e.g. an `<input>`
/// or an element with a closed one, or when the browser has no constructable stylesheets
/// (before Chrome 73, Firefox 101, Safari 16.4).
pub fn attach(host: &Element, css: &str) -> Result<(ShadowRoot, Element), JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(css)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let container = document.create_element("div")?;
    root.append_child(&container)?;
    Ok((root, container))
}
