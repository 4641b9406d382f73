//! Model types from and to JSON values parsed by the browser (`JSON.parse`), written by
//! hand: serde's generic machinery (and the float formatting its error messages pull in)
//! measured 21.5 KB brotli more, over the bundle's size budget (figures in [`super`]).
//!
//! The rules are serde's for these types: `Option` fields may be missing or `null`; `Vec`
//! fields with `#[serde(default)]` may be missing; enums are their `snake_case` names.

use js_sys::{Array, Object, Reflect};
use parlo_model::channel::{ChannelConfig, Position, Theme};
use parlo_model::chat::{
    Author, Button, ButtonAction, Card, Image, Message, MessageContent, QuickReply, SendMessage,
    SendMessageResponse, Session, StartSession, VisitorInput,
};
use parlo_model::page::Page;
use parlo_model::problem::{FieldError, Problem};
use parlo_model::validate::FieldKind;
use wasm_bindgen::JsValue;

/// Why a value does not decode.
pub type DecodeError = String;

/// A model type that decodes from a parsed JSON value.
pub trait FromJson: Sized {
    /// Decodes `value`.
    fn from_json(value: &JsValue) -> Result<Self, DecodeError>;
}

/// A model type that encodes to a JSON-ready value.
pub trait ToJson {
    /// Encodes `self`.
    fn to_json(&self) -> JsValue;
}

/// The member `key` of `value` (`undefined` when missing).
pub fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether `value` is `undefined` or `null` (a missing member).
pub(crate) fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// The string member `key`.
pub fn string(value: &JsValue, key: &str) -> Result<String, DecodeError> {
    field(value, key)
        .as_string()
        .ok_or_else(|| format!("`{key}` must be a string"))
}

/// The optional string member `key`.
pub fn opt_string(value: &JsValue, key: &str) -> Result<Option<String>, DecodeError> {
    let member = field(value, key);
    if absent(&member) {
        return Ok(None);
    }
    member
        .as_string()
        .map(Some)
        .ok_or_else(|| format!("`{key}` must be a string"))
}

/// The non-negative integer member `key`.
pub fn integer(value: &JsValue, key: &str) -> Result<u64, DecodeError> {
    field(value, key)
        .as_f64()
        .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= 9_007_199_254_740_991.0)
        .map(|n| n as u64)
        .ok_or_else(|| format!("`{key}` must be a non-negative integer"))
}

/// The boolean member `key`.
pub(crate) fn boolean(value: &JsValue, key: &str) -> Result<bool, DecodeError> {
    field(value, key)
        .as_bool()
        .ok_or_else(|| format!("`{key}` must be a boolean"))
}

/// The array member `key`, each item decoded by `item`; missing means empty.
pub(crate) fn list<T>(
    value: &JsValue,
    key: &str,
    item: impl Fn(&JsValue) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let member = field(value, key);
    if absent(&member) {
        return Ok(Vec::new());
    }
    if !Array::is_array(&member) {
        return Err(format!("`{key}` must be an array"));
    }
    Array::from(&member).iter().map(|v| item(&v)).collect()
}

/// The array-of-strings member `key`; missing means empty.
pub(crate) fn strings(value: &JsValue, key: &str) -> Result<Vec<String>, DecodeError> {
    list(value, key, |v| {
        v.as_string().ok_or_else(|| format!("`{key}` must hold strings"))
    })
}

/// The string member `key`, one of `names` (`snake_case`), as its index.
pub(crate) fn variant(value: &JsValue, key: &str, names: &[&str]) -> Result<usize, DecodeError> {
    let name = string(value, key)?;
    names
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| format!("`{key}` has an unknown value"))
}

/// The `snake_case` name of a field kind, as on the wire.
const FIELD_KINDS: [&str; 4] = ["text", "email", "phone", "number"];

/// A plain object with these members (`undefined` values are left out by `JSON.stringify`).
pub fn object(members: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in members {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

impl FromJson for ChannelConfig {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        let theme = field(v, "theme");
        let theme = if absent(&theme) {
            Theme::default()
        } else {
            Theme {
                primary_color: string(&theme, "primary_color")?,
                on_primary_color: string(&theme, "on_primary_color")?,
                position: [Position::Left, Position::Right][variant(&theme, "position", &["left", "right"])?],
            }
        };
        Ok(ChannelConfig {
            id: string(v, "id")?.into(),
            name: string(v, "name")?,
            greeting: opt_string(v, "greeting")?,
            theme,
            ice_breakers: strings(v, "ice_breakers")?,
            allowed_origins: strings(v, "allowed_origins")?,
            pre_chat_form: opt_string(v, "pre_chat_form")?.map(Into::into),
        })
    }
}

impl FromJson for Session {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        Ok(Session {
            session_token: string(v, "session_token")?,
            subscriber_id: string(v, "subscriber_id")?.into(),
            created: boolean(v, "created")?,
            last_seq: integer(v, "last_seq")?,
        })
    }
}

impl FromJson for Message {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        let content = field(v, "content");
        let expects = match opt_string(&content, "expects")? {
            None => None,
            Some(_) => Some(
                [
                    FieldKind::Text,
                    FieldKind::Email,
                    FieldKind::Phone,
                    FieldKind::Number,
                ][variant(&content, "expects", &FIELD_KINDS)?],
            ),
        };
        Ok(Message {
            id: string(v, "id")?.into(),
            seq: integer(v, "seq")?,
            author: [Author::Visitor, Author::Bot, Author::Agent, Author::System]
                [variant(v, "author", &["visitor", "bot", "agent", "system"])?],
            content: MessageContent {
                text: opt_string(&content, "text")?.unwrap_or_default(),
                image: opt_image(&content, "image")?,
                cards: list(&content, "cards", |c| {
                    Ok(Card {
                        title: string(c, "title")?,
                        subtitle: opt_string(c, "subtitle")?,
                        image: opt_image(c, "image")?,
                        buttons: buttons(c)?,
                    })
                })?,
                buttons: buttons(&content)?,
                quick_replies: list(&content, "quick_replies", |q| {
                    Ok(QuickReply {
                        title: string(q, "title")?,
                        payload: string(q, "payload")?,
                    })
                })?,
                expects,
            },
            created_at: string(v, "created_at")?,
            reply_to: opt_string(v, "reply_to")?.map(Into::into),
        })
    }
}

/// The `buttons` member of a message content or card.
fn buttons(value: &JsValue) -> Result<Vec<Button>, DecodeError> {
    list(value, "buttons", |b| {
        let action = field(b, "action");
        let action = match variant(&action, "type", &["postback", "url"])? {
            0 => ButtonAction::Postback {
                payload: string(&action, "payload")?,
            },
            _ => ButtonAction::Url {
                url: string(&action, "url")?,
            },
        };
        Ok(Button {
            title: string(b, "title")?,
            action,
        })
    })
}

/// The optional [`Image`] member `key`.
fn opt_image(value: &JsValue, key: &str) -> Result<Option<Image>, DecodeError> {
    let image = field(value, key);
    if absent(&image) {
        return Ok(None);
    }
    Ok(Some(Image {
        url: string(&image, "url")?,
        alt: opt_string(&image, "alt")?.unwrap_or_default(),
    }))
}

impl FromJson for SendMessageResponse {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        Ok(SendMessageResponse {
            messages: list(v, "messages", Message::from_json)?,
        })
    }
}

impl FromJson for Page<Message> {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        Ok(Page {
            items: list(v, "items", Message::from_json)?,
            next_cursor: opt_string(v, "next_cursor")?,
        })
    }
}

impl FromJson for Problem {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        Ok(Problem {
            type_: opt_string(v, "type")?.unwrap_or_else(|| "about:blank".into()),
            title: string(v, "title")?,
            status: integer(v, "status")?
                .try_into()
                .map_err(|_| "`status` is out of range")?,
            detail: opt_string(v, "detail")?,
            code: string(v, "code")?,
            errors: list(v, "errors", |e| {
                Ok(FieldError::new(string(e, "pointer")?, string(e, "message")?))
            })?,
        })
    }
}

impl ToJson for StartSession {
    fn to_json(&self) -> JsValue {
        let token = self
            .session_token
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        object(&[("session_token", token)])
    }
}

impl ToJson for SendMessage {
    fn to_json(&self) -> JsValue {
        let input = match &self.input {
            VisitorInput::Text { text } => object(&[("type", "text".into()), ("text", text.into())]),
            VisitorInput::Button { payload, title } => object(&[
                ("type", "button".into()),
                ("payload", payload.into()),
                ("title", title.into()),
            ]),
        };
        object(&[("id", self.id.as_str().into()), ("input", input)])
    }
}
