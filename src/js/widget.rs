//! `mountWidget` and the [`Widget`] handle it returns (feature `widget`: `pkg/parlo_widget.js`).

use crate::client::{Client, describe};
use crate::widget::events::Events;
use crate::widget::hooks::{Command, Control};
use crate::widget::style::Scheme;
use crate::widget::visitor::Visitor;
use crate::widget::{AppProps, Mounted, mount};
use parlo_model::channel::{ChannelConfig, Position, Theme};
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

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
  /** Text beside the launcher icon until the channel's theme is loaded. */
  launcherLabel?: string;
  /** Colours of the panel: "light" (default), "dark", or "auto" (follows the visitor's
   * `prefers-color-scheme`). */
  colorScheme?: "light" | "dark" | "auto";
  /** Called with each event's name and detail: "open", "close", "message:received",
   * "message:sent", "unread" (a count), "error" (`{ message }`). See `loader.d.ts`. */
  onEvent?: (name: string, detail: unknown) => void;
  /**
   * The channel's configuration, exactly as `GET /api/public/v1/channels/{channel}` answered
   * it, when the caller has already fetched it (the loader does, to choose the bundle): the
   * widget then does not request it again. Without it the widget requests it at mount.
   */
  config?: object;
  /**
   * The site's signed-in user, sent with the session start: `{ id, email, name, phone,
   * user_hash }` with `user_hash` the lower-case hex HMAC-SHA256 of `id` keyed with the
   * channel's identity secret (`loader.d.ts`'s `setUser` takes it as `userHash`). A wrong
   * hash is refused: the header says so and `onEvent` gets "error".
   */
  user?: { id?: string; email?: string; name?: string; phone?: string; user_hash?: string };
  /** Custom field values by field name (`setAttributes`), sent with the session start. */
  attributes?: Record<string, string | number | boolean | string[]>;
}
"##;

/// [`WidgetOptions`](WIDGET_OPTIONS), read with serde.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    channel: String,
    #[serde(default)]
    api_base: Option<String>,
    #[serde(default)]
    open: Option<bool>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    launcher_label: Option<String>,
    #[serde(default)]
    color_scheme: Option<String>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    on_event: JsValue,
    #[serde(default)]
    config: Option<ChannelConfig>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    user: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    attributes: JsValue,
}

/// Mounts the chat widget into the open shadow root of `host` (attached when missing).
///
/// Throws when the options are invalid (e.g. no `channel`).
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    host: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "WidgetOptions")] options: JsValue,
) -> Result<Widget, JsError> {
    let invalid = |e: String| JsError::new(&format!("invalid widget options: {e}"));
    let options: Options = serde_wasm_bindgen::from_value(options).map_err(|e| invalid(e.to_string()))?;
    if options.channel.is_empty() {
        return Err(invalid("`channel` is empty".into()));
    }
    let mut theme = Theme::default();
    if let Some(color) = options.color {
        theme.primary_color = color;
    }
    if options.position.as_deref() == Some("left") {
        theme.position = Position::Left;
    }
    theme.launcher_label = options.launcher_label.filter(|label| !label.trim().is_empty());
    let scheme = match options.color_scheme.as_deref() {
        None => Scheme::default(),
        Some(name) => Scheme::parse(name)
            .ok_or_else(|| invalid(format!("`colorScheme` {name:?} is not light, dark or auto")))?,
    };
    let events = match options.on_event.dyn_into::<js_sys::Function>() {
        Ok(function) => Events::new(function),
        Err(other) if other.is_undefined() || other.is_null() => Events::default(),
        Err(_) => return Err(invalid("`onEvent` is not a function".into())),
    };
    let api_base = options.api_base.unwrap_or_default();
    let open = options.open.unwrap_or(false);
    let channel = options.channel;
    let control = Control::default();
    let props = AppProps {
        client: Client::new(&api_base, channel.into()),
        open,
        theme,
        config: options.config.map(Rc::new),
        control: control.clone(),
        events,
        scheme,
        visitor: Visitor {
            user: options.user,
            attributes: options.attributes,
        },
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

    /// Shows the widget's texts in the language `locale` (a BCP 47 tag, e.g. `fr`, or
    /// several, comma-separated, most preferred first): the first the server has, by
    /// prefix (`de-AT` → `de`); English when none. Arabic and other right-to-left languages
    /// mirror the panel (`dir="rtl"`).
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, locale: &str) {
        self.control.send(Command::SetLocale(locale.to_owned()));
    }

    /// Unmounts the widget: aborts its requests, closes its stream and removes its nodes.
    pub fn destroy(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            mounted.unmount();
        }
    }
}
