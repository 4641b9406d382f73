//! The public form view from JSON and the submission to JSON, by hand like
//! [`crate::client::json`] (whose primitives this uses; serde is too big for the bundle).

use crate::client::json::{
    DecodeError, FromJson, ToJson, absent, boolean, field, list, object, opt_string, string, variant,
};
use js_sys::Array;
use parlo_model::form::{Capture, Field, FieldOption, FieldType, FieldValue, PublicForm, Success};
use parlo_model::lead::SubmissionAccepted;
use wasm_bindgen::JsValue;

/// Field types by their JSON names, in [`FIELD_TYPE_NAMES`] order.
const FIELD_TYPES: [FieldType; 11] = [
    FieldType::Text,
    FieldType::LongText,
    FieldType::Email,
    FieldType::Phone,
    FieldType::Number,
    FieldType::Date,
    FieldType::Select,
    FieldType::Radio,
    FieldType::Checkboxes,
    FieldType::Consent,
    FieldType::Hidden,
];
const FIELD_TYPE_NAMES: [&str; 11] = [
    "text",
    "long_text",
    "email",
    "phone",
    "number",
    "date",
    "select",
    "radio",
    "checkboxes",
    "consent",
    "hidden",
];

fn opt_number(value: &JsValue, key: &str) -> Result<Option<f64>, DecodeError> {
    let member = field(value, key);
    if absent(&member) {
        return Ok(None);
    }
    member
        .as_f64()
        .map(Some)
        .ok_or_else(|| format!("`{key}` must be a number"))
}

/// A field value from JSON: a boolean, a string or an array of strings.
pub fn value_from_json(v: &JsValue) -> Option<FieldValue> {
    if let Some(b) = v.as_bool() {
        Some(FieldValue::Bool(b))
    } else if let Some(s) = v.as_string() {
        Some(FieldValue::Text(s))
    } else if Array::is_array(v) {
        Array::from(v)
            .iter()
            .map(|s| s.as_string())
            .collect::<Option<_>>()
            .map(FieldValue::List)
    } else {
        None
    }
}

/// A field value to JSON.
pub fn value_to_json(value: &FieldValue) -> JsValue {
    match value {
        FieldValue::Bool(b) => JsValue::from_bool(*b),
        FieldValue::Text(s) => s.into(),
        FieldValue::List(l) => l.iter().map(JsValue::from).collect::<Array>().into(),
    }
}

impl FromJson for Field {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        let default = field(v, "default");
        Ok(Field {
            name: string(v, "name")?,
            kind: FIELD_TYPES[variant(v, "type", &FIELD_TYPE_NAMES)?],
            label: string(v, "label")?,
            required: !absent(&field(v, "required")) && boolean(v, "required")?,
            min: opt_number(v, "min")?,
            max: opt_number(v, "max")?,
            min_date: opt_string(v, "min_date")?,
            max_date: opt_string(v, "max_date")?,
            pattern: opt_string(v, "pattern")?,
            help: opt_string(v, "help")?,
            placeholder: opt_string(v, "placeholder")?,
            default: if absent(&default) {
                None
            } else {
                Some(value_from_json(&default).ok_or("`default` must be text, a list or a boolean")?)
            },
            options: list(v, "options", |o| {
                Ok(FieldOption {
                    value: string(o, "value")?,
                    label: string(o, "label")?,
                })
            })?,
            version: opt_string(v, "version")?,
        })
    }
}

fn success_from_json(v: &JsValue) -> Result<Success, DecodeError> {
    Ok(match variant(v, "type", &["message", "redirect"])? {
        0 => Success::Message {
            text: string(v, "text")?,
        },
        _ => Success::Redirect {
            url: string(v, "url")?,
        },
    })
}

impl FromJson for PublicForm {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        let success = success_from_json(&field(v, "success"))?;
        Ok(PublicForm {
            id: string(v, "id")?.into(),
            name: string(v, "name")?,
            fields: list(v, "fields", Field::from_json)?,
            submit_label: string(v, "submit_label")?,
            success,
            channel_id: opt_string(v, "channel_id")?.map(Into::into),
            render_token: string(v, "render_token")?,
        })
    }
}

impl FromJson for SubmissionAccepted {
    fn from_json(v: &JsValue) -> Result<Self, DecodeError> {
        Ok(SubmissionAccepted {
            idempotency_key: string(v, "idempotency_key")?,
            accepted_at: string(v, "accepted_at")?,
            success: success_from_json(&field(v, "success"))?,
        })
    }
}

fn capture_to_json(capture: &Capture) -> JsValue {
    let members: Vec<(&str, JsValue)> = capture
        .entries()
        .into_iter()
        .filter_map(|(name, value)| Some((name, JsValue::from_str(value?))))
        .collect();
    object(&members)
}

/// The values of a form as a JSON object by field name; empty fields are left out.
pub fn values_to_json(fields: &[Field], values: &[Option<FieldValue>]) -> JsValue {
    let members: Vec<(&str, JsValue)> = fields
        .iter()
        .zip(values)
        .filter_map(|(f, v)| Some((f.name.as_str(), value_to_json(v.as_ref()?))))
        .collect();
    object(&members)
}

/// The body of `POST …/submissions`: the model's [`Submission`](parlo_model::form::Submission)
/// as the form makes it, with the values already encoded by [`values_to_json`] (the
/// model's `BTreeMap` of values measured 8 KB brotli more in the bundle). `tests/lead_form.rs`
/// checks that serde reads it as a `Submission`.
#[derive(Clone, Debug)]
pub struct SubmissionBody<'a> {
    /// Idempotency key.
    pub key: &'a str,
    /// The values, from [`values_to_json`].
    pub values: JsValue,
    /// Where the visitor came from.
    pub capture: Capture,
    /// The honeypot input's value.
    pub honeypot: &'a str,
    /// The form's render token.
    pub render_token: &'a str,
    /// The chat widget's session token of the form's channel.
    pub session_token: Option<String>,
}

impl ToJson for SubmissionBody<'_> {
    fn to_json(&self) -> JsValue {
        let opt = |s: Option<&str>| s.map_or(JsValue::UNDEFINED, JsValue::from_str);
        object(&[
            ("idempotency_key", self.key.into()),
            ("values", self.values.clone()),
            ("capture", capture_to_json(&self.capture)),
            ("honeypot", opt(Some(self.honeypot).filter(|h| !h.is_empty()))),
            ("render_token", self.render_token.into()),
            ("session_token", opt(self.session_token.as_deref())),
        ])
    }
}
