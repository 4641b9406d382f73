//! Everything JavaScript sees: `mountWidget` and the [`Widget`] handle it returns.
//!
//! ```js
//! import init, { mountWidget } from "parlo/wasm";
//! await init();
//! const widget = mountWidget(document.querySelector("#chat"), { channel: "demo" });
//! widget.open();
//! ```
//!
//! Most pages never call this: `loader.js` does, once the visitor shows intent.

use crate::client::json::{field, opt_string, string};
use crate::client::{Client, describe};
use crate::widget::hooks::{Command, Control};
use crate::widget::{AppProps, Mounted, mount};
use parlo_model::channel::{Position, Theme};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[cfg(feature = "management")]
mod management;
#[cfg(feature = "management")]
pub use management::*;

#[wasm_bindgen(typescript_custom_section)]
const WIDGET_OPTIONS: &str = r##"
/** Options of `mountWidget`. */
export interface WidgetOptions {
  /** Public id of the channel, e.g. "demo". */
  channel: string;
  /** Origin of the Parlo server, e.g. "https://chat.example.com"; default: the page's. */
  apiBase?: string;
  /** Open the panel at once and focus the composer. */
  open?: boolean;
  /** Launcher colour ("#rrggbb") until the channel's theme is loaded. */
  color?: string;
  /** Launcher corner until the channel's theme is loaded. */
  position?: "left" | "right";
}
"##;

/// Mounts the chat widget into the open shadow root of `host` (attached when missing).
///
/// Throws when the options are invalid (e.g. no `channel`).
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    host: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "WidgetOptions")] options: JsValue,
) -> Result<Widget, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid widget options: {e}"));
    let channel = string(&options, "channel").map_err(invalid)?;
    if channel.is_empty() {
        return Err(invalid("`channel` is empty".into()));
    }
    let mut theme = Theme::default();
    if let Some(color) = opt_string(&options, "color").map_err(invalid)? {
        theme.primary_color = color;
    }
    if opt_string(&options, "position").map_err(invalid)?.as_deref() == Some("left") {
        theme.position = Position::Left;
    }
    let api_base = opt_string(&options, "apiBase")
        .map_err(invalid)?
        .unwrap_or_default();
    let open = field(&options, "open").is_truthy();
    let control = Control::default();
    let props = AppProps {
        client: Client::new(&api_base, channel.into()),
        open,
        theme,
        control: control.clone(),
    };
    let mounted = mount(&host, props)
        .map_err(|e| JsError::new(&format!("cannot mount the widget: {}", describe(&e))))?;
    Ok(Widget {
        mounted: Some(mounted),
        control,
    })
}

/// A mounted chat widget.
#[wasm_bindgen]
pub struct Widget {
    mounted: Option<Mounted>,
    control: Control,
}

#[wasm_bindgen]
impl Widget {
    /// Opens the panel and focuses the composer.
    pub fn open(&self) {
        self.control.send(Command::Open);
    }

    /// Closes the panel.
    pub fn close(&self) {
        self.control.send(Command::Close);
    }

    /// Opens the panel when closed, closes it when open.
    pub fn toggle(&self) {
        self.control.send(Command::Toggle);
    }

    /// Sends `text` as a visitor message, as if typed in the composer.
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: &str) -> Result<(), JsError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(JsError::new("the message is empty"));
        }
        self.control.send(Command::Send(text.to_owned()));
        Ok(())
    }

    /// Unmounts the widget: aborts its requests, closes its stream and removes its nodes.
    pub fn destroy(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const FORM_OPTIONS: &str = r##"
/** Options of `mountForm` (see `FormOptions` of the loader for the callbacks' `detail`). */
export interface MountFormOptions {
  /** Public id of the lead form, e.g. "quote". */
  form: string;
  /** Origin of the Parlo server, e.g. "https://chat.example.com"; default: the page's. */
  apiBase?: string;
  onSubmit?: (detail: unknown) => void;
  onSuccess?: (detail: unknown) => void;
  onFailure?: (detail: unknown) => void;
}
"##;

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
    let form = string(&options, "form").map_err(invalid)?;
    if form.is_empty() {
        return Err(invalid("`form` is empty".into()));
    }
    let api_base = opt_string(&options, "apiBase")
        .map_err(invalid)?
        .unwrap_or_default();
    let callback = |name: &str| field(&options, name).dyn_into::<js_sys::Function>().ok();
    let props = crate::lead_form::LeadFormProps {
        api_base: api_base.into(),
        form: form.into(),
        listeners: crate::lead_form::events::Listeners {
            host: Some(host.clone()),
            callbacks: [callback("onSubmit"), callback("onSuccess"), callback("onFailure")],
        },
        preload: None,
    };
    let mounted = crate::lead_form::mount_form(&host, props)
        .map_err(|e| JsError::new(&format!("cannot mount the form: {}", describe(&e))))?;
    Ok(LeadForm {
        mounted: Some(mounted),
    })
}

/// Sends every submission left in the queue (`localStorage`) by an earlier page; the loader
/// calls it when it finds some.
#[wasm_bindgen(js_name = flushLeads)]
pub fn flush_leads() {
    crate::lead_form::queue::flush();
}

/// A mounted lead form.
#[wasm_bindgen]
pub struct LeadForm {
    mounted: Option<crate::lead_form::MountedForm>,
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
