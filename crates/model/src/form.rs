//! Lead forms: the form definition, its public view, and the validation of definitions.
//!
//! A [`Form`] lists [`Field`]s of a [`FieldType`]; the browser renders its [`PublicForm`]
//! view and sends a [`Submission`], which [`Submission::validate`] checks (in the browser
//! while typing and on submit, and on the server, authoritatively). An accepted
//! submission becomes a [`Lead`](crate::lead::Lead).
//!
//! Routes: management `POST/GET /api/v1/forms`, `GET/PUT/DELETE /api/v1/forms/{id}`
//! (body: [`Form`]); public `GET /api/public/v1/forms/{form_id}` (→ [`PublicForm`]) and
//! `POST /api/public/v1/forms/{form_id}/submissions` (body: [`Submission`]).
//!
//! Patterns follow the HTML `pattern` attribute (WHATWG HTML §4.10.5.3.6): the whole value
//! must match. The model holds no regular expression engine (to stay small in wasm); the
//! caller passes a [`PatternMatcher`] — the server the `regex` crate, the browser JS
//! `RegExp`.
//!
//! ```
//! use parlo_model::form::{Form, PatternMatcher};
//! let form: Form = serde_json::from_str(r#"{
//!   "id": "contact", "name": "Contact",
//!   "fields": [{ "name": "email", "type": "email", "label": "E-mail", "required": true }]
//! }"#).unwrap();
//! let no_patterns = |_: &str, _: &str| Ok(true);
//! assert!(form.validate(&no_patterns).is_empty());
//! ```

mod check;
mod submission;

pub(crate) use check::pointer_token;
pub use check::{ORIGIN_PATTERN, SCHEMA_RULES, is_valid_date, is_valid_origin};
pub use submission::{
    Capture, FieldValue, IDEMPOTENCY_KEY_PATTERN, MAX_IDEMPOTENCY_KEY_LEN, Submission, is_idempotency_key,
};

use crate::automation::Automation;
use crate::ids::{ChannelId, FormId};
use crate::locale::Strings;
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

/// Most fields of one form.
pub const MAX_FIELDS: usize = 50;
/// Most options of one select, radio or checkboxes field.
pub const MAX_OPTIONS: usize = 100;
/// Longest field label, in characters (a consent's label is its text: see
/// [`MAX_CONSENT_CHARS`]).
pub const MAX_LABEL_CHARS: usize = 300;
/// Longest consent text, in characters.
pub const MAX_CONSENT_CHARS: usize = 2000;
/// Longest value of a text, e-mail, phone or hidden field, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest value of a long text field, in characters.
pub const MAX_LONG_TEXT_CHARS: usize = 10_000;
/// Most automations of one form.
pub const MAX_AUTOMATIONS: usize = 20;
/// Largest `min_fill_ms`: one minute.
pub const MAX_MIN_FILL_MS: u32 = 60_000;
/// `min_fill_ms` when the definition gives none: 3 seconds.
pub const DEFAULT_MIN_FILL_MS: u32 = 3_000;

/// A lead form definition, as the management API stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Public id, 1..=64 of `[a-z0-9_-]`, e.g. `quote`; unique on the server (public URLs
    /// carry no workspace), like channel ids.
    pub id: FormId,
    /// Human name, 1..=100 characters, e.g. `Request a quote`.
    pub name: String,
    /// Whether the public API serves and accepts this form (default `true`); an unpublished
    /// form answers 404 there.
    #[serde(default = "yes")]
    pub published: bool,
    /// The fields, in display order: 1..=[`MAX_FIELDS`], names unique.
    pub fields: Vec<Field>,
    /// Text of the submit button, 1..=40 characters (default `Send`).
    #[serde(default = "default_submit_label")]
    pub submit_label: String,
    /// What the visitor sees after a successful submission.
    #[serde(default)]
    pub success: Success,
    /// Origins (`scheme://host[:port]`, exact match, as browsers send `Origin`) whose
    /// pages may submit this form. Empty means every origin.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Submissions sent sooner than this many milliseconds after the form was fetched are
    /// taken for bots: answered as a success, but no lead is made. 0..=[`MAX_MIN_FILL_MS`],
    /// default [`DEFAULT_MIN_FILL_MS`]; 0 turns the check off (for server-side API users).
    #[serde(default = "default_min_fill_ms")]
    pub min_fill_ms: u32,
    /// The site's chat channel: a submission carrying that channel's session token joins
    /// the widget's visitor (subscriber) instead of matching or creating one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// What runs after each lead of this form (at most [`MAX_AUTOMATIONS`]), written to the
    /// outbox in the lead's transaction and delivered at least once. Never public.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub automations: Vec<Automation>,
}

fn yes() -> bool {
    true
}

fn default_submit_label() -> String {
    "Send".to_owned()
}

fn default_min_fill_ms() -> u32 {
    DEFAULT_MIN_FILL_MS
}

/// The kind of a form field, deciding its input and how its value is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "FormFieldType"))]
// Named apart from the custom fields' type in the OpenAPI document (one namespace there).
#[cfg_attr(feature = "openapi", schema(as = FormFieldType))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text, up to [`MAX_TEXT_CHARS`]; `min`/`max` bound its length.
    Text,
    /// Several lines of text, up to [`MAX_LONG_TEXT_CHARS`]; `min`/`max` bound its length.
    LongText,
    /// An e-mail address (WHATWG HTML "valid e-mail address" with a dotted domain); stored
    /// with the domain lower-cased.
    Email,
    /// A phone number: optional `+`, 7 to 15 digits (ITU-T E.164); stored as `+` and digits.
    Phone,
    /// A decimal number; `min`/`max` bound its value. Stored in canonical form (`3.5`).
    Number,
    /// A calendar date `YYYY-MM-DD` (RFC 3339 `full-date`, as `<input type=date>` gives it);
    /// `min_date`/`max_date` bound it.
    Date,
    /// One of `options`, from a drop-down.
    Select,
    /// One of `options`, from radio buttons.
    Radio,
    /// Any of `options` (a list value); `min`/`max` bound how many are ticked.
    Checkboxes,
    /// A consent checkbox (a boolean value). `label` is the consent text and `version` its
    /// version; both are recorded with the lead. Never pre-ticked (GDPR Recital 32).
    Consent,
    /// A value the page fills in (e.g. a campaign id), not shown; text rules apply.
    Hidden,
}

impl FieldType {
    /// The name of this type in JSON, e.g. `long_text`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Select => "select",
            FieldType::Radio => "radio",
            FieldType::Checkboxes => "checkboxes",
            FieldType::Consent => "consent",
            FieldType::Hidden => "hidden",
        }
    }

    /// Whether values are text whose length `min`/`max` bound and `pattern` may check.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Text | FieldType::LongText | FieldType::Email | FieldType::Phone | FieldType::Hidden
        )
    }

    /// Whether the field takes `options`.
    pub fn has_options(self) -> bool {
        matches!(self, FieldType::Select | FieldType::Radio | FieldType::Checkboxes)
    }

    /// Longest accepted value, in characters ([`MAX_LONG_TEXT_CHARS`] for long text,
    /// [`MAX_TEXT_CHARS`] otherwise).
    pub fn max_chars(self) -> usize {
        if self == FieldType::LongText {
            MAX_LONG_TEXT_CHARS
        } else {
            MAX_TEXT_CHARS
        }
    }
}

/// One field of a form. Members that do not apply to the field's `type` must be absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Name of the value in submissions and leads, unique in the form: 1..=64 of
    /// `[a-z0-9_]`, e.g. `email`. Names of subscriber attributes (`email`, `phone`,
    /// `first_name`, `last_name`, `name`) also fill the subscriber's profile.
    pub name: String,
    /// The kind of field.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "ts", tsify(type = "FormFieldType"))]
    pub kind: FieldType,
    /// Label shown with the input, 1..=[`MAX_LABEL_CHARS`] characters; for a consent, its
    /// full text, 1..=[`MAX_CONSENT_CHARS`].
    pub label: String,
    /// Whether a value must be given (a consent must be ticked).
    #[serde(default)]
    pub required: bool,
    /// Lower bound: characters for text kinds, value for `number`, ticked options for
    /// `checkboxes`. Lengths and counts are whole numbers ≥ 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound, as `min`; at least `min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Earliest accepted date of a `date` field, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_date: Option<String>,
    /// Latest accepted date of a `date` field, `YYYY-MM-DD`, not before `min_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_date: Option<String>,
    /// Text kinds only: a pattern (ECMAScript syntax, at most 500 characters) the whole
    /// trimmed value must match, as the HTML `pattern` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Help text shown under the input, at most 500 characters; also shown when a value
    /// does not match `pattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Placeholder shown in an empty input, at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Initial value: text (a list for `checkboxes`); must itself be valid. Not allowed on
    /// a consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "FormFieldValue"))]
    pub default: Option<FieldValue>,
    /// Choices of `select`, `radio` and `checkboxes`: 1..=[`MAX_OPTIONS`], values unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
    /// `consent` only (and required there): version of the consent text, 1..=64
    /// characters, e.g. `2026-01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A choice of a select, radio or checkboxes field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct FieldOption {
    /// Value submitted and stored, 1..=200 characters.
    pub value: String,
    /// Text shown, 1..=200 characters.
    pub label: String,
}

/// What the visitor sees after a successful submission. In JSON, `type` names the kind.
// Representation: written internally tagged, read through `SuccessFields` (`try_from`), for
// the reason given at `chat::ButtonAction`: the same JSON, OpenAPI schema and TypeScript type
// without serde's `Content` buffering in the browser bundles (about 2.7 KB after brotli in the
// forms bundle, measured). As before, an unknown member, or the other kind's, is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "SuccessFields"
)]
pub enum Success {
    /// Replaces the form with a message.
    Message {
        /// Plain text, 1..=1000 characters.
        text: String,
    },
    /// Sends the page to a URL.
    Redirect {
        /// Absolute `http`/`https` URL, at most 2000 characters.
        url: String,
    },
}

/// The kinds of [`Success`], its `type` member.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SuccessKind {
    Message,
    Redirect,
}

/// A [`Success`] as read: `type` and the members of every kind, checked by `TryFrom`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[doc(hidden)]
pub struct SuccessFields {
    r#type: SuccessKind,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl TryFrom<SuccessFields> for Success {
    type Error = &'static str;

    /// The success of `fields.type`; an error naming the missing or foreign member, as serde's
    /// derive does.
    fn try_from(fields: SuccessFields) -> Result<Self, Self::Error> {
        use SuccessKind::{Message, Redirect};
        match (fields.r#type, fields.text, fields.url) {
            (Message, Some(text), None) => Ok(Success::Message { text }),
            (Redirect, None, Some(url)) => Ok(Success::Redirect { url }),
            (Message, _, Some(_)) => Err("unknown field `url`, expected `text`"),
            (Redirect, Some(_), _) => Err("unknown field `text`, expected `url`"),
            (Message, None, None) => Err("missing field `text`"),
            (Redirect, None, None) => Err("missing field `url`"),
        }
    }
}

impl Default for Success {
    fn default() -> Self {
        Success::Message {
            text: "Thank you! We have received your message.".to_owned(),
        }
    }
}

/// Answer of `GET /api/v1/forms/{form_id}/stats`: what became of the form's submissions.
/// Retries with a known idempotency key count once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FormStats {
    /// Submissions that became leads.
    pub leads: u64,
    /// Submissions with a filled honeypot: answered as a success, no lead made.
    pub honeypot: u64,
    /// Submissions sent sooner than `min_fill_ms` after the form was fetched (or without a
    /// valid render token): answered as a success, no lead made.
    pub too_fast: u64,
}

/// What the browser gets from `GET /api/public/v1/forms/{form_id}`: the form without its
/// automations and allowed origins, plus a render token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PublicForm {
    /// Public id of the form.
    pub id: FormId,
    /// Human name of the form.
    pub name: String,
    /// The fields, in display order.
    pub fields: Vec<Field>,
    /// Text of the submit button.
    pub submit_label: String,
    /// What to show after a successful submission.
    pub success: Success,
    /// The site's chat channel, if any: send that channel's session token (from the widget)
    /// with submissions so the lead joins the same visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// Opaque server-signed token recording when the form was fetched; send it back as
    /// [`Submission::render_token`] (the minimum fill time is measured from it).
    pub render_token: String,
    /// The language of [`PublicForm::strings`]: the first of the `locale` query's tags with
    /// a catalogue (`es-MX` → `es`), else `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The form's own texts (states, field checks) in [`PublicForm::locale`] by key; a key
    /// without one shows its English default. The owner's labels are the form's.
    #[serde(default, skip_serializing_if = "Strings::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, String>))]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
    pub strings: Strings,
}

/// Checks calls of the HTML `pattern` attribute: does the whole `value` match `pattern`?
///
/// Implementations compile `pattern` as `^(?:pattern)$` (ECMAScript `RegExp` with the `v`
/// flag in the browser; the `regex` crate on the server) and answer `Err(reason)` when it
/// does not compile. Any `Fn(&str, &str) -> Result<bool, String>` (pattern, value) is one.
///
/// It also reads the text of number fields ([`PatternMatcher::parse_number`]): the browser
/// lets JavaScript's `Number` do it, which rounds the same way as Rust's `f64` parser (both
/// to the nearest `f64`), so its wasm carries no parser of its own.
pub trait PatternMatcher {
    /// Whether the whole `value` matches `pattern`; `Err` when `pattern` is not valid.
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String>;

    /// `text` (non-empty; ASCII digits, signs, `.`, `e` and `E` only) as the nearest `f64`
    /// (infinite when out of range), or `None` when it is not a decimal number (`1e`, `.`,
    /// `1-2`). Default: Rust's `str::parse`.
    fn parse_number(&self, text: &str) -> Option<f64> {
        text.parse().ok()
    }
}

impl<F: Fn(&str, &str) -> Result<bool, String>> PatternMatcher for F {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        self(pattern, value)
    }
}

impl Form {
    /// The public view of this form with `render_token` (see [`PublicForm`]).
    pub fn public_view(&self, render_token: String) -> PublicForm {
        PublicForm {
            id: self.id.clone(),
            name: self.name.clone(),
            fields: self.fields.clone(),
            submit_label: self.submit_label.clone(),
            success: self.success.clone(),
            channel_id: self.channel_id.clone(),
            render_token,
            locale: None,
            strings: Strings::default(),
        }
    }

    /// Finds the field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Lists every rule this definition breaks, each with a JSON pointer into it (empty when
    /// it is valid). `patterns` checks that each field's `pattern` compiles.
    pub fn validate(&self, patterns: &dyn PatternMatcher) -> Vec<FieldError> {
        check::form(self, patterns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::FieldError;

    /// A stand-in for a regular expression engine: `[0-9]+` means digits only, `(` does
    /// not compile, anything else matches everything.
    fn patterns(pattern: &str, value: &str) -> Result<bool, String> {
        match pattern {
            "[0-9]+" => Ok(!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())),
            "(" => Err("unclosed group".into()),
            _ => Ok(true),
        }
    }

    fn quote() -> Form {
        serde_json::from_str(
            r#"{"id":"quote","name":"Request a quote","fields":[
              {"name":"name","type":"text","label":"Name","required":true,"max":50},
              {"name":"email","type":"email","label":"E-mail","required":true},
              {"name":"phone","type":"phone","label":"Phone"},
              {"name":"service","type":"select","label":"Service","required":true,
               "options":[{"value":"web","label":"Website"},{"value":"app","label":"App"}]},
              {"name":"budget","type":"number","label":"Budget","min":100,"max":10000},
              {"name":"start","type":"date","label":"Start","min_date":"2026-01-01"},
              {"name":"size","type":"radio","label":"Size",
               "options":[{"value":"s","label":"S"},{"value":"m","label":"M"}]},
              {"name":"extras","type":"checkboxes","label":"Extras","max":1,
               "options":[{"value":"seo","label":"SEO"},{"value":"ads","label":"Ads"}]},
              {"name":"message","type":"long_text","label":"Message","min":5},
              {"name":"zip","type":"text","label":"Post code","pattern":"[0-9]+","help":"digits only"},
              {"name":"consent","type":"consent","label":"I agree.","version":"v1","required":true},
              {"name":"campaign","type":"hidden","label":"Campaign","default":"spring"}
            ]}"#,
        )
        .unwrap()
    }

    fn submit(values: &str) -> Result<std::collections::BTreeMap<String, FieldValue>, Vec<FieldError>> {
        let sub: Submission =
            serde_json::from_str(&format!(r#"{{"idempotency_key":"k-1","values":{values}}}"#)).unwrap();
        sub.validate(&quote().fields, &patterns)
    }

    fn errors_of(values: &str) -> Vec<(String, String)> {
        submit(values)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.pointer, e.message))
            .collect()
    }

    const GOOD: &str = r#""name":" Ada ","email":"Ada@Example.COM","service":"web","consent":true"#;

    #[test]
    fn success_reads_each_kind_and_refuses_other_members() {
        let read = |json: &str| serde_json::from_str::<Success>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"type":"message","text":"Thanks"}"#),
            Ok(Success::Message {
                text: "Thanks".into()
            })
        );
        assert_eq!(
            read(r#"{"url":"https://example.com/","type":"redirect"}"#),
            Ok(Success::Redirect {
                url: "https://example.com/".into()
            })
        );
        for (json, error) in [
            (
                r#"{"type":"message","url":"https://example.com/"}"#,
                "unknown field `url`",
            ),
            (r#"{"type":"redirect","text":"Thanks"}"#, "unknown field `text`"),
            (r#"{"type":"message"}"#, "missing field `text`"),
            (
                r#"{"type":"message","text":"Thanks","colour":"red"}"#,
                "unknown field `colour`",
            ),
            (r#"{"type":"popup","text":"Thanks"}"#, "unknown variant `popup`"),
            (r#"{"text":"Thanks"}"#, "missing field `type`"),
        ] {
            let got = read(json).unwrap_err();
            assert!(got.contains(error), "{json}: {got}");
        }
    }

    #[test]
    fn the_seed_like_form_is_valid() {
        assert_eq!(quote().validate(&patterns), []);
    }

    #[test]
    fn cleans_a_good_submission() {
        let clean = submit(&format!(
            r#"{{{GOOD},"phone":"+44 (20) 7946-0958","budget":"1,5e3","extras":["seo"]}}"#
        ))
        .unwrap();
        assert_eq!(clean["name"], FieldValue::Text("Ada".into()));
        assert_eq!(clean["email"], FieldValue::Text("Ada@example.com".into()));
        assert_eq!(clean["phone"], FieldValue::Text("+442079460958".into()));
        assert_eq!(clean["budget"], FieldValue::Text("1500".into()));
        assert_eq!(clean["consent"], FieldValue::Bool(true));
        assert!(
            !clean.contains_key("message"),
            "empty optional fields are left out"
        );
    }

    #[test]
    fn each_field_type_rejects_bad_input_with_its_message() {
        let cases = [
            (r#""name":"""#, "/values/name", "This field is required."),
            (
                r#""name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#,
                "/values/name",
                "Use at most 50 characters (now 53).",
            ),
            (
                r#""email":"ada@example""#,
                "/values/email",
                "Enter an e-mail address like name@example.com.",
            ),
            (
                r#""phone":"call me""#,
                "/values/phone",
                "Enter a phone number like +44 20 7946 0958 (7 to 15 digits).",
            ),
            (
                r#""service":"boat""#,
                "/values/service",
                "Choose one of the options shown.",
            ),
            (
                r#""budget":"lots""#,
                "/values/budget",
                "Enter a number, like 42 or 3.5.",
            ),
            (
                r#""budget":"50""#,
                "/values/budget",
                "Enter a number of at least 100.",
            ),
            (
                r#""start":"2026-02-30""#,
                "/values/start",
                "Enter a date as YYYY-MM-DD, like 2026-03-31.",
            ),
            (
                r#""start":"2025-12-31""#,
                "/values/start",
                "Choose a date on or after 2026-01-01.",
            ),
            (
                r#""size":"xl""#,
                "/values/size",
                "Choose one of the options shown.",
            ),
            (
                r#""extras":["seo","ads"]"#,
                "/values/extras",
                "Choose at most 1 option.",
            ),
            (
                r#""extras":["golf"]"#,
                "/values/extras",
                "Choose only from the options shown.",
            ),
            (
                r#""extras":"seo""#,
                "/values/extras",
                "Expected a list of the ticked options.",
            ),
            (
                r#""message":"hi""#,
                "/values/message",
                "Use at least 5 characters.",
            ),
            (
                r#""zip":"12a""#,
                "/values/zip",
                "Use the format asked for: digits only",
            ),
            (
                r#""consent":false"#,
                "/values/consent",
                "Please tick this box to continue.",
            ),
            (r#""campaign":true"#, "/values/campaign", "Expected text."),
            (
                r#""nope":"x""#,
                "/values/nope",
                "This form has no field named 'nope'.",
            ),
        ];
        for (bad, pointer, message) in cases {
            // Later members override the good ones (serde keeps the last duplicate key).
            let errors = errors_of(&format!("{{{GOOD},{bad}}}"));
            assert_eq!(errors, [(pointer.to_owned(), message.to_owned())], "{bad}");
        }
    }

    #[test]
    fn lists_every_missing_required_field_and_a_bad_key() {
        let sub: Submission = serde_json::from_str(r#"{"idempotency_key":"not ok!","values":{}}"#).unwrap();
        let pointers: Vec<String> = sub
            .validate(&quote().fields, &patterns)
            .unwrap_err()
            .into_iter()
            .map(|e| e.pointer)
            .collect();
        assert_eq!(
            pointers,
            [
                "/idempotency_key",
                "/values/name",
                "/values/email",
                "/values/service",
                "/values/consent"
            ]
        );
    }

    #[test]
    fn lists_every_problem_of_a_definition() {
        let form: Form = serde_json::from_str(
            r#"{"id":"Bad","name":" ","fields":[
              {"name":"a","type":"text","label":"A","pattern":"("},
              {"name":"a","type":"number","label":"B","min":5,"max":1,"options":[{"value":"x","label":"X"}]},
              {"name":"c","type":"select","label":"C","options":[]},
              {"name":"d","type":"consent","label":"I agree","default":true},
              {"name":"e","type":"date","label":"E","min_date":"2026-13-01","pattern":"x"},
              {"name":"f","type":"checkboxes","label":"F","min":1.5,"options":[{"value":"x","label":"X"},{"value":"x","label":"Y"}]},
              {"name":"g","type":"email","label":"G","default":"nope"}
            ],"success":{"type":"redirect","url":"ftp://x"},
              "allowed_origins":["https://ok.example","https://bad.example/"],
              "min_fill_ms":600000,
              "automations":[{"type":"add_tags","tags":[]}]}"#,
        )
        .unwrap();
        let pointers: Vec<String> = form.validate(&patterns).into_iter().map(|e| e.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/id",
                "/name",
                "/fields/0/pattern",
                "/fields/1/name",
                "/fields/1/max",
                "/fields/1/options",
                "/fields/2/options",
                "/fields/3/version",
                "/fields/3/default",
                "/fields/4/min_date",
                "/fields/4/pattern",
                "/fields/5/min",
                "/fields/5/options/1/value",
                "/fields/6/default",
                "/success/url",
                "/allowed_origins/1",
                "/min_fill_ms",
                "/automations/0/tags",
            ]
        );
    }

    #[test]
    fn public_view_hides_automations_and_origins() {
        let json = serde_json::to_value(quote().public_view("tok".into())).unwrap();
        assert!(json.get("automations").is_none() && json.get("allowed_origins").is_none());
        assert_eq!(json["render_token"], "tok");
        assert_eq!(json["fields"][0]["type"], "text");
    }
}
