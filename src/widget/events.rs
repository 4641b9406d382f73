//! What the page hears of the widget: `(name, detail)` calls of the `onEvent` function of
//! the mount options, which the loader hands to the `on(event, fn)` listeners of its
//! controller (see `js/loader.d.ts`).
//!
//! | name | detail |
//! |---|---|
//! | `open`, `close` | `null` |
//! | `message:received` | [`MessageDetail`] of a new bot, agent or system message |
//! | `message:sent` | [`MessageDetail`] of a visitor message the server stored |
//! | `unread` | the number of messages received while the panel was closed (0 once opened) |
//! | `error` | `{ message }`: a message not sent, or the chat unavailable on this site |

use crate::client::transport::to_js;
use parlo_model::chat::{Author, Message};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// The page's event function, if it gave one. Clones call the same function; any two are
/// equal (the function is read once, at mount).
#[derive(Clone, Debug, Default)]
pub struct Events(Option<js_sys::Function>);

impl PartialEq for Events {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// `detail` of the `message:*` events.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageDetail<'a> {
    /// Message id.
    pub id: &'a str,
    /// Position in the conversation.
    pub seq: u64,
    /// `bot`, `agent`, `system` or `visitor`.
    pub author: Author,
    /// Its text (may be empty, e.g. for a card).
    pub text: &'a str,
}

impl<'a> From<&'a Message> for MessageDetail<'a> {
    fn from(message: &'a Message) -> Self {
        Self {
            id: message.id.as_str(),
            seq: message.seq,
            author: message.author,
            text: &message.content.text,
        }
    }
}

/// `detail` of `error`.
#[derive(Serialize)]
struct ErrorDetail<'a> {
    message: &'a str,
}

impl Events {
    /// Events going to `function` (called with the event's name and detail).
    pub fn new(function: js_sys::Function) -> Self {
        Self(Some(function))
    }

    /// Calls the function with `name` and `detail` serialized; an exception it throws is
    /// ignored (the widget goes on).
    pub fn emit<T: Serialize + ?Sized>(&self, name: &str, detail: &T) {
        if let Some(function) = &self.0 {
            let detail = to_js(detail).unwrap_or(JsValue::NULL);
            let _ = function.call2(&JsValue::NULL, &JsValue::from_str(name), &detail);
        }
    }

    /// Emits `error` with `message`.
    pub fn error(&self, message: &str) {
        self.emit("error", &ErrorDetail { message });
    }
}
