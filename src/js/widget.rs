//! `mountWidget` and the [`Widget`] handle it returns (feature `widget`: `pkg/parlo_widget.js`).

use crate::client::{Client, describe};
use crate::widget::events::Events;
use crate::widget::hooks::{Command, Control};
use crate::widget::style::Scheme;
use crate::widget::visitor::Visitor;
use crate::widget::{AppProps, Mounted, mount};
use js_sys::Reflect;
use parlo_model::channel::{ChannelConfig, Position, Theme};
use parlo_model::chat::MAX_VISITOR_TEXT_CHARS;
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
  /** Called at each session start; answers where the visit came from, the `capture` of the
   * session start (UTM parameters, referrer, landing page, page URL, locale, time). The
   * loader passes its own; without it nothing is captured. */
  capture?: () => object;
}
"##;

/// Member `name` of the options object `options`, `None` when absent (`undefined` or `null`).
fn member(options: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(options, &name.into())
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// The string member `name` of `options`; an error naming it when it is not a string.
fn text(options: &JsValue, name: &str) -> Result<Option<String>, JsError> {
    member(options, name)
        .map(|value| {
            value
                .as_string()
                .ok_or_else(|| invalid(&format!("`{name}` is not a string")))
        })
        .transpose()
}

fn invalid(message: &str) -> JsError {
    JsError::new(&format!("invalid widget options: {message}"))
}

/// Mounts the chat widget into the open shadow root of `host` (attached when missing).
///
/// [`WidgetOptions`](WIDGET_OPTIONS) are read member by member (the `config` member with the
/// model's serde derives): a plain options object needs no deserializer of its own in the
/// bundle. Throws when they are invalid (e.g. no `channel`, a `color` that is not a string).
#[wasm_bindgen(js_name = mountWidget)]
pub fn mount_widget(
    host: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "WidgetOptions")] options: JsValue,
) -> Result<Widget, JsError> {
    let channel = text(&options, "channel")?
        .filter(|channel| !channel.is_empty())
        .ok_or_else(|| invalid("`channel` is missing or empty"))?;
    let mut theme = Theme::default();
    if let Some(color) = text(&options, "color")? {
        theme.primary_color = color;
    }
    if text(&options, "position")?.as_deref() == Some("left") {
        theme.position = Position::Left;
    }
    theme.launcher_label = text(&options, "launcherLabel")?.filter(|label| !label.trim().is_empty());
    let scheme = match text(&options, "colorScheme")? {
        None => Scheme::default(),
        Some(name) => Scheme::parse(&name)
            .ok_or_else(|| invalid(&format!("`colorScheme` {name:?} is not light, dark or auto")))?,
    };
    let events = match member(&options, "onEvent").map(JsCast::dyn_into::<js_sys::Function>) {
        None => Events::default(),
        Some(Ok(function)) => Events::new(function),
        Some(Err(_)) => return Err(invalid("`onEvent` is not a function")),
    };
    let config = member(&options, "config")
        .map(|config| {
            serde_wasm_bindgen::from_value::<ChannelConfig>(config)
                .map_err(|e| invalid(&format!("`config`: {e}")))
        })
        .transpose()?;
    let api_base = text(&options, "apiBase")?.unwrap_or_default();
    let visitor = |name| member(&options, name).unwrap_or(JsValue::UNDEFINED);
    let control = Control::default();
    let props = AppProps {
        client: Client::new(&api_base, channel.into()),
        open: member(&options, "open").is_some_and(|open| open.is_truthy()),
        theme,
        config: config.map(Rc::new),
        control: control.clone(),
        events,
        scheme,
        visitor: Visitor {
            user: visitor("user"),
            attributes: visitor("attributes"),
            capture: visitor("capture"),
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

    /// Sends `text` as a visitor message, as if typed in the composer: trimmed, at most
    /// [`MAX_VISITOR_TEXT_CHARS`] characters (Unicode scalar values, as the server counts).
    /// Throws, sending nothing, when it is blank or longer (the server would refuse it).
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: &str) -> Result<(), JsError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(JsError::new("the message is empty"));
        }
        if text.chars().count() > MAX_VISITOR_TEXT_CHARS {
            return Err(JsError::new(&format!(
                "the message is longer than {MAX_VISITOR_TEXT_CHARS} characters"
            )));
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
