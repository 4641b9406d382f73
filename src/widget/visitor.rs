//! What the page says about the visitor (`Parlo.setUser`, `Parlo.setAttributes`), sent with
//! every session start together with where the visit came from ([`crate::capture`]).
//!
//! The user and the attributes stay plain JavaScript data, exactly as the page gave them to
//! `mountWidget` (the loader has turned `userHash` into the wire's `user_hash`): the server
//! checks them ([`parlo_model::identity`]), the widget only passes them on.

use crate::capture;
use crate::client::transport::encode_error;
use crate::client::{Error, describe};
use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::JsValue;

/// The page's `user` and `attributes` objects and its `capture` function (`undefined` when
/// not given).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Visitor {
    /// `{ id, email, name, phone, user_hash }`.
    pub user: JsValue,
    /// Custom field values by field name.
    pub attributes: JsValue,
    /// The page's `capture` function ([`crate::capture`]).
    pub capture: JsValue,
}

impl Visitor {
    /// The JSON body of a session start ([`parlo_model::chat::StartSession`]): the stored
    /// `session_token`, the user, the attributes and the capture.
    pub fn start_body(&self, session_token: Option<String>) -> Result<String, Error> {
        let body = Object::new();
        for (name, value) in [
            (
                "session_token",
                session_token.map_or(JsValue::UNDEFINED, JsValue::from),
            ),
            ("user", self.user.clone()),
            ("attributes", self.attributes.clone()),
            ("capture", capture::call(&self.capture)),
        ] {
            let _ = Reflect::set(&body, &name.into(), &value);
        }
        JSON::stringify(&body)
            .map(String::from)
            .map_err(|e| encode_error(describe(&e)))
    }
}
