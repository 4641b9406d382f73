//! Mounting a [`LeadForm`] into the shadow root of a host element.

use super::app::{LeadForm, LeadFormProps};
use super::style::FORM_CSS;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

/// A form mounted in a shadow root.
pub struct MountedForm {
    app: AppHandle<LeadForm>,
    nodes: [Element; 2],
}

impl MountedForm {
    /// Unmounts the form (aborting its fetch) and removes its nodes. A submission already
    /// made stays in the queue and keeps being delivered.
    pub fn unmount(self) {
        self.app.destroy();
        for node in self.nodes {
            node.remove();
        }
    }
}

/// Renders [`LeadForm`] into the open shadow root of `host` (attached when missing), with
/// the form's stylesheet next to it.
pub fn mount_form(host: &HtmlElement, props: LeadFormProps) -> Result<MountedForm, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(FORM_CSS));
    let container = document.create_element("div")?;
    root.append_child(&style)?;
    root.append_child(&container)?;
    let app = yew::Renderer::<LeadForm>::with_root_and_props(container.clone(), props).render();
    Ok(MountedForm {
        app,
        nodes: [style, container],
    })
}
