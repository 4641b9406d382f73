//! `mountForm`, `previewForm`, `flushLeads` and the [`LeadForm`] handle (feature `forms`:
//! `pkg/forms/parlo_forms.js`).

use crate::client::describe;
use crate::lead_form;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use yew::AttrValue;

#[wasm_bindgen(typescript_custom_section)]
const FORM_OPTIONS: &str = r##"
/** Options of `mountForm` (see `FormOptions` of the loader for the callbacks' `detail`). */
export interface MountFormOptions {
  /** Public id of the lead form, e.g. "quote". */
  form: string;
  /** Origin of the Parlo server, e.g. "https://chat.example.com"; default: the page's. */
  apiBase?: string;
  /** The visitor's languages, most preferred first, comma-separated BCP 47 tags (e.g.
   * "es-MX,en"): the form's own texts (states, field checks) come in the first of them the
   * server has; English without. The loader passes its `locale` option, else the page's
   * `<html lang>` and the browser's languages. */
  locale?: string;
  onSubmit?: (detail: unknown) => void;
  onSuccess?: (detail: unknown) => void;
  onFailure?: (detail: unknown) => void;
  /** Called at each submission; answers where the visit came from, the submission's
   * `capture` (UTM parameters, referrer, landing page, page URL, locale, time). The loader
   * passes its own; without it nothing is captured. */
  capture?: () => object;
}
"##;

/// The data members of [`MountFormOptions`](FORM_OPTIONS) (the callbacks are read apart).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    form: String,
    #[serde(default)]
    api_base: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

/// Mounts the lead form `options.form` into the open shadow root of `host` (attached when
/// missing); it sends the submissions left in the queue too.
///
/// Throws when the options are invalid (e.g. no `form`).
#[wasm_bindgen(js_name = mountForm)]
pub fn mount_form(
    host: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "MountFormOptions")] options: JsValue,
) -> Result<LeadForm, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid form options: {e}"));
    let Options {
        form,
        api_base,
        locale,
    } = serde_wasm_bindgen::from_value(options.clone()).map_err(|e| invalid(e.to_string()))?;
    if form.is_empty() {
        return Err(invalid("`form` is empty".into()));
    }
    let api_base = api_base.unwrap_or_default();
    let callback = |name: &str| {
        js_sys::Reflect::get(&options, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    let props = lead_form::LeadFormProps {
        api_base: api_base.into(),
        form: form.into(),
        listeners: lead_form::events::Listeners {
            host: Some(host.clone()),
            callbacks: [callback("onSubmit"), callback("onSuccess"), callback("onFailure")],
        },
        preload: None,
        locale: locale.map(Into::into),
        capture: js_sys::Reflect::get(&options, &"capture".into()).unwrap_or_default(),
        preview: false,
    };
    let mounted = lead_form::mount_form(&host, props)
        .map_err(|e| JsError::new(&format!("cannot mount the form: {}", describe(&e))))?;
    Ok(LeadForm {
        mounted: Some(mounted),
    })
}

/// Mounts a preview of the form definition `form` into the open shadow root of `host`
/// (attached when missing): the form as visitors see it, rendered from `form` instead of
/// fetched. `form` has the shape `GET /api/public/v1/forms/{form_id}` answers (`id`, `name`,
/// `fields`, `submit_label`, `success`, `render_token`, which may be empty). Submitting it
/// checks the values and shows the success message, but sends nothing (no redirect either);
/// the owner console's page `/form-preview.html` calls it with the draft being edited.
///
/// Throws when `form` does not have that shape.
#[wasm_bindgen(js_name = previewForm)]
pub fn preview_form(
    host: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "object")] form: JsValue,
) -> Result<LeadForm, JsError> {
    let form: parlo_model::form::PublicForm =
        serde_wasm_bindgen::from_value(form).map_err(|e| JsError::new(&format!("invalid form: {e}")))?;
    let props = lead_form::LeadFormProps {
        api_base: AttrValue::default(),
        form: form.id.as_str().to_owned().into(),
        listeners: lead_form::events::Listeners::default(),
        preload: Some(std::rc::Rc::new(form)),
        locale: None,
        capture: JsValue::UNDEFINED,
        preview: true,
    };
    let mounted = lead_form::mount_form(&host, props)
        .map_err(|e| JsError::new(&format!("cannot mount the form: {}", describe(&e))))?;
    Ok(LeadForm {
        mounted: Some(mounted),
    })
}

/// Sends every submission left in the queue (`localStorage`) by an earlier page; the loader
/// calls it when it finds some.
#[wasm_bindgen(js_name = flushLeads)]
pub fn flush_leads() {
    lead_form::queue::flush();
}

/// A mounted lead form.
#[wasm_bindgen]
pub struct LeadForm {
    mounted: Option<lead_form::MountedForm>,
}

#[wasm_bindgen]
impl LeadForm {
    /// Removes the form. A submission already made stays queued until the server confirms it.
    pub fn destroy(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
    }
}
