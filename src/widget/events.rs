//! What the page hears of the widget: `(name, detail)` calls of the `onEvent` function of
//! the mount options, which the loader hands to the `on(event, fn)` listeners of its
//! controller (see `js/loader.d.ts`).
//!
//! | name | detail |
//! |---|---|
//! | `open`, `close` | `null` |
//! | `message:received` | [`message_detail`] of a new bot, agent or system message |
//! | `message:sent` | [`message_detail`] of a visitor message the server stored |
//! | `unread` | the number of messages received while the panel was closed (0 once opened) |
//! | `error` | `{ message }`: a message not sent, or the chat unavailable on this site |

//!
//! Details are plain JavaScript objects built member by member, like the mount options are
//! read: no serializer is instantiated for them in the bundle.

use js_sys::{Object, Reflect};
use parlo_model::chat::{Author, Message};
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

/// A plain object with `members`.
fn object(members: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in members {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// `detail` of the `message:*` events: `{ id, seq, author, text }` — the message id, its
/// position in the conversation, `bot`, `agent`, `system` or `visitor`, and its text (may be
/// empty, e.g. for a card).
pub fn message_detail(message: &Message) -> JsValue {
    let author = match message.author {
        Author::Visitor => "visitor",
        Author::Bot => "bot",
        Author::Agent => "agent",
        Author::System => "system",
    };
    object(&[
        ("id", message.id.as_str().into()),
        ("seq", (message.seq as f64).into()),
        ("author", author.into()),
        ("text", message.content.text.as_str().into()),
    ])
}

impl Events {
    /// Events going to `function` (called with the event's name and detail).
    pub fn new(function: js_sys::Function) -> Self {
        Self(Some(function))
    }

    /// Calls the function with `name` and `detail`; an exception it throws is ignored (the
    /// widget goes on).
    pub fn emit(&self, name: &str, detail: &JsValue) {
        if let Some(function) = &self.0 {
            let _ = function.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
        }
    }

    /// Emits `error` with `{ message }`.
    pub fn error(&self, message: &str) {
        self.emit("error", &object(&[("message", message.into())]));
    }
}
