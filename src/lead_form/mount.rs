//! Mounting a [`LeadForm`] into the shadow root of a host element.

use super::app::{LeadForm, LeadFormProps};
use super::style::FORM_CSS;
use crate::shadow::ShadowApp;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// A form mounted in a shadow root.
pub struct MountedForm(ShadowApp<LeadForm>);

impl MountedForm {
    /// Unmounts the form (aborting its fetch) and removes its nodes. A submission already
    /// made stays in the queue and keeps being delivered.
    pub fn unmount(self) {
        self.0.unmount();
    }
}

/// Renders [`LeadForm`] into the open shadow root of `host` (attached when missing), with
/// the form's stylesheet adopted by the root.
pub fn mount_form(host: &HtmlElement, props: LeadFormProps) -> Result<MountedForm, JsValue> {
    Ok(MountedForm(ShadowApp::render(host, FORM_CSS, props)?.0))
}
