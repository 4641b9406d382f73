//! Submissions of a form and their validation (per field and whole).

use super::check::{is_valid_date, pointer_token};
use super::{Field, FieldType, PatternMatcher};
use crate::locale::Strings;
use crate::problem::FieldError;
use crate::validate::{normalise_email, normalise_number, normalise_phone};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest idempotency key, in characters.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 64;
/// Longest capture value (UTM parameter, URL, locale, time), in characters.
const MAX_CAPTURE_CHARS: usize = 2000;

/// The value of one field. In JSON: a string (text kinds, number, date, select, radio,
/// hidden), an array of strings (checkboxes) or a boolean (consent).
// Representation: untagged, kept on purpose; like an internally tagged enum, serde reads it
// through its `Content` buffer (a cost inside the forms bundle's measured size, which stays
// under its budget, see `parlo::client`'s docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "FormFieldValue"))]
// Named apart from the custom fields' type in the OpenAPI document (one namespace there).
#[cfg_attr(feature = "openapi", schema(as = FormFieldValue))]
#[serde(untagged)]
pub enum FieldValue {
    /// Ticked or not (consent).
    Bool(bool),
    /// Text (every kind but checkboxes and consent).
    Text(String),
    /// The ticked option values (checkboxes).
    List(Vec<String>),
}

impl FieldValue {
    /// The value as it reads in a CSV cell or a template: text as is, a list joined with
    /// `; `, a boolean as `yes`/`no`.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
            FieldValue::Text(s) => s.clone(),
            FieldValue::List(l) => l.join("; "),
        }
    }
}

/// Where the visitor came from, captured by the page (hidden from the visitor). Every
/// member is optional text of at most 2000 characters, stored as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// `utm_source` of the landing page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    /// `utm_medium` of the landing page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// `utm_campaign` of the landing page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    /// `utm_term` of the landing page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    /// `utm_content` of the landing page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    /// `document.referrer` of the landing page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// URL of the first page of the visit on the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_page: Option<String>,
    /// URL of the page the form was submitted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The browser's language (BCP 47, `navigator.language`), e.g. `en-GB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// When the visitor pressed submit, RFC 3339, by the browser's clock (the lead's
    /// `created_at` is the server's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
}

impl Capture {
    /// Every member as `(name, value)`, in declaration order (the CSV column order).
    pub fn entries(&self) -> [(&'static str, Option<&str>); 10] {
        [
            ("utm_source", self.utm_source.as_deref()),
            ("utm_medium", self.utm_medium.as_deref()),
            ("utm_campaign", self.utm_campaign.as_deref()),
            ("utm_term", self.utm_term.as_deref()),
            ("utm_content", self.utm_content.as_deref()),
            ("referrer", self.referrer.as_deref()),
            ("landing_page", self.landing_page.as_deref()),
            ("page_url", self.page_url.as_deref()),
            ("locale", self.locale.as_deref()),
            ("submitted_at", self.submitted_at.as_deref()),
        ]
    }

    /// Adds a problem at `{prefix}/<member>` to `errors` for every member longer than 2000
    /// characters.
    pub fn check(&self, prefix: &str, errors: &mut Vec<FieldError>) {
        for (name, value) in self.entries() {
            if value.is_some_and(|v| v.chars().count() > MAX_CAPTURE_CHARS) {
                errors.push(FieldError::new(
                    format!("{prefix}/{name}"),
                    format!("must be at most {MAX_CAPTURE_CHARS} characters"),
                ));
            }
        }
    }
}

/// Body of `POST /api/public/v1/forms/{form_id}/submissions`.
///
/// Idempotent by `idempotency_key`: the same key again answers the first result and stores
/// nothing new; the same key with a different body is a 409 `conflict`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Client-generated key (a UUID is recommended), 1..=64 of `[A-Za-z0-9_-]`, kept with
    /// the queued submission so every retry sends the same one.
    pub idempotency_key: String,
    /// Values by field name. Fields left empty may be absent.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, FormFieldValue>"))]
    pub values: BTreeMap<String, FieldValue>,
    /// Where the visitor came from.
    #[serde(default)]
    pub capture: Capture,
    /// The honeypot input's value: an input hidden from people, so only bots fill it. Must
    /// be empty; otherwise the submission is answered as a success but makes no lead.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub honeypot: String,
    /// [`PublicForm::render_token`](super::PublicForm::render_token) of the fetch the
    /// visitor filled in. Without a valid one the minimum fill time is not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_token: Option<String>,
    /// The chat widget's session token of the form's channel, so the lead joins that
    /// visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

/// [`is_idempotency_key`] as a JSON Schema / ECMAScript pattern, for the API document.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

/// Whether `s` is a well-formed idempotency key: 1..=[`MAX_IDEMPOTENCY_KEY_LEN`] of
/// `[A-Za-z0-9_-]` (a UUID fits), the rule of form submissions and of the
/// `Idempotency-Key` header of session starts.
pub fn is_idempotency_key(s: &str) -> bool {
    (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Submission {
    /// Checks this submission against a form's `fields`.
    ///
    /// Returns the cleaned values (only fields of the form; empty optional fields left out;
    /// consents always present as booleans; text trimmed, e-mail, phone and number
    /// normalised), or every problem, at pointers `/idempotency_key`, `/values/<name>` and
    /// `/capture/<member>`. A value for a name that is no field of the form is a problem.
    ///
    /// ```
    /// use parlo_model::form::{Field, FieldType, FieldValue, Submission};
    /// let email: Field = serde_json::from_str(
    ///     r#"{"name":"email","type":"email","label":"E-mail","required":true}"#).unwrap();
    /// let sub: Submission = serde_json::from_str(
    ///     r#"{"idempotency_key":"k1","values":{"email":"ada@"}}"#).unwrap();
    /// let errors = sub.validate(&[email], &|_: &str, _: &str| Ok(true)).unwrap_err();
    /// assert_eq!(errors[0].pointer, "/values/email");
    /// assert_eq!(errors[0].message, "Enter an e-mail address like name@example.com.");
    /// ```
    pub fn validate(
        &self,
        fields: &[Field],
        patterns: &dyn PatternMatcher,
    ) -> Result<BTreeMap<String, FieldValue>, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_idempotency_key(&self.idempotency_key) {
            errors.push(FieldError::new(
                "/idempotency_key",
                "must be 1..=64 of A-Z, a-z, 0-9, _ and - (a UUID is recommended)",
            ));
        }
        for name in self.values.keys() {
            if !fields.iter().any(|f| &f.name == name) {
                errors.push(FieldError::new(
                    format!("/values/{}", pointer_token(name)),
                    format!("This form has no field named '{name}'."),
                ));
            }
        }
        self.capture.check("/capture", &mut errors);
        let mut clean = BTreeMap::new();
        for field in fields {
            match field.check(self.values.get(&field.name), patterns) {
                Ok(Some(v)) => {
                    clean.insert(field.name.clone(), v);
                }
                Ok(None) => {}
                Err(message) => errors.push(FieldError::new(
                    format!("/values/{}", pointer_token(&field.name)),
                    message,
                )),
            }
        }
        if errors.is_empty() { Ok(clean) } else { Err(errors) }
    }
}

/// A check's message: the string of `key` in `strings`, else `english`, with `{n}`
/// replaced by `n` (when given) and `{now}` by `now`.
fn say(
    strings: &Strings,
    key: &str,
    english: &str,
    n: Option<&dyn std::fmt::Display>,
    now: Option<usize>,
) -> String {
    let mut text = strings.get(key, english).to_owned();
    if let Some(n) = n {
        text = text.replace("{n}", &n.to_string());
    }
    if let Some(now) = now {
        text = text.replace("{now}", &now.to_string());
    }
    text
}

/// The key of a count's message: `key.one` for exactly one, else `key`.
fn counted(n: f64, key: &'static str, one: &'static str) -> (&'static str, bool) {
    if n == 1.0 { (one, true) } else { (key, false) }
}

impl Field {
    /// Checks one value of this field (`None` when the visitor gave none), as the browser
    /// does while typing and the server on submit, with the messages in English.
    ///
    /// Returns the cleaned value (`None` for an empty optional field; a consent is always
    /// a boolean) or the message to show next to the input.
    pub fn check(
        &self,
        value: Option<&FieldValue>,
        patterns: &dyn PatternMatcher,
    ) -> Result<Option<FieldValue>, String> {
        self.check_in(value, patterns, &Strings::default())
    }

    /// [`Field::check`] with the messages in the language of `strings` (keys
    /// `form.error.*`, see [`FORM_KEYS`](crate::locale::FORM_KEYS); English for a key it
    /// lacks). `{n}` in a message stands for the number, length or date of the rule,
    /// `{now}` for the length given, `{what}` and `{help}` for the type expected and the
    /// field's help text.
    pub fn check_in(
        &self,
        value: Option<&FieldValue>,
        patterns: &dyn PatternMatcher,
        strings: &Strings,
    ) -> Result<Option<FieldValue>, String> {
        let wrong = |what: &str| {
            Err(strings
                .get("form.error.expected", "Expected {what}.")
                .replace("{what}", what))
        };
        let clean = match (self.kind, value) {
            (FieldType::Consent, None) => self.check_consent(false, strings),
            (FieldType::Consent, Some(FieldValue::Bool(b))) => self.check_consent(*b, strings),
            (FieldType::Consent, Some(_)) => wrong("true or false (ticked or not)"),
            (FieldType::Checkboxes, None) => self.check_list(&[], strings),
            (FieldType::Checkboxes, Some(FieldValue::List(l))) => self.check_list(l, strings),
            (FieldType::Checkboxes, Some(_)) => wrong("a list of the ticked options"),
            (_, None) => self.check_text("", patterns, strings),
            (_, Some(FieldValue::Text(s))) => self.check_text(s, patterns, strings),
            (_, Some(_)) => wrong("text"),
        }?;
        if let Some(FieldValue::Text(s)) = &clean
            && self.kind.is_text()
        {
            self.check_pattern(s, patterns, strings)?;
        }
        Ok(clean)
    }

    fn check_consent(&self, given: bool, strings: &Strings) -> Result<Option<FieldValue>, String> {
        if self.required && !given {
            return Err(say(
                strings,
                "form.error.consent",
                "Please tick this box to continue.",
                None,
                None,
            ));
        }
        Ok(Some(FieldValue::Bool(given)))
    }

    fn check_list(&self, ticked: &[String], strings: &Strings) -> Result<Option<FieldValue>, String> {
        let fail = |key, english| Err(say(strings, key, english, None, None));
        if ticked.is_empty() {
            return if self.required {
                fail("form.error.choose_some", "Choose at least one option.")
            } else {
                Ok(None)
            };
        }
        if ticked.iter().any(|t| !self.options.iter().any(|o| &o.value == t)) {
            return fail("form.error.only_shown", "Choose only from the options shown.");
        }
        if ticked.iter().enumerate().any(|(i, t)| ticked[..i].contains(t)) {
            return fail("form.error.once", "Each option can be chosen only once.");
        }
        let n = ticked.len() as f64;
        if let Some(min) = self.min.filter(|m| n < *m) {
            let (key, one) = counted(min, "form.error.min_options", "form.error.min_options.one");
            let english = if one {
                "Choose at least 1 option."
            } else {
                "Choose at least {n} options."
            };
            return Err(say(strings, key, english, Some(&min), None));
        }
        if let Some(max) = self.max.filter(|m| n > *m) {
            let (key, one) = counted(max, "form.error.max_options", "form.error.max_options.one");
            let english = if one {
                "Choose at most 1 option."
            } else {
                "Choose at most {n} options."
            };
            return Err(say(strings, key, english, Some(&max), None));
        }
        Ok(Some(FieldValue::List(ticked.to_vec())))
    }

    fn check_text(
        &self,
        raw: &str,
        patterns: &dyn PatternMatcher,
        strings: &Strings,
    ) -> Result<Option<FieldValue>, String> {
        let fail = |key, english| say(strings, key, english, None, None);
        let s = raw.trim();
        if s.is_empty() {
            return if self.required {
                Err(match self.kind {
                    FieldType::Select | FieldType::Radio => {
                        fail("form.error.choose_option", "Choose an option.")
                    }
                    _ => fail("form.error.required", "This field is required."),
                })
            } else {
                Ok(None)
            };
        }
        let text = |s: &str| Some(FieldValue::Text(s.to_owned()));
        match self.kind {
            FieldType::Email => normalise_email(s).map(|v| text(&v)).ok_or_else(|| {
                fail(
                    "form.error.email",
                    "Enter an e-mail address like name@example.com.",
                )
            }),
            FieldType::Phone => normalise_phone(s).map(|v| text(&v)).ok_or_else(|| {
                fail(
                    "form.error.phone",
                    "Enter a phone number like +44 20 7946 0958 (7 to 15 digits).",
                )
            }),
            FieldType::Number => self.check_number(s, patterns, strings),
            FieldType::Date => self.check_date(s, strings),
            FieldType::Select | FieldType::Radio => {
                if self.options.iter().any(|o| o.value == s) {
                    Ok(text(s))
                } else {
                    Err(fail(
                        "form.error.option_shown",
                        "Choose one of the options shown.",
                    ))
                }
            }
            _ => self.check_length(s, strings).map(|()| text(s)),
        }
        .and_then(|v| {
            // Lengths bound the stored value of e-mail and phone fields too.
            match (&v, self.kind) {
                (Some(FieldValue::Text(t)), FieldType::Email | FieldType::Phone) => {
                    self.check_length(t, strings).map(|()| v)
                }
                _ => Ok(v),
            }
        })
    }

    fn check_length(&self, s: &str, strings: &Strings) -> Result<(), String> {
        let n = s.chars().count();
        let max = self
            .max
            .map_or(self.kind.max_chars(), |m| (m as usize).min(self.kind.max_chars()));
        if let Some(min) = self.min.filter(|m| (n as f64) < *m) {
            let (key, one) = counted(min, "form.error.min_chars", "form.error.min_chars.one");
            let english = if one {
                "Use at least 1 character."
            } else {
                "Use at least {n} characters."
            };
            return Err(say(strings, key, english, Some(&min), None));
        }
        if n > max {
            let (key, one) = counted(max as f64, "form.error.max_chars", "form.error.max_chars.one");
            let english = if one {
                "Use at most 1 character (now {now})."
            } else {
                "Use at most {n} characters (now {now})."
            };
            return Err(say(strings, key, english, Some(&max), Some(n)));
        }
        Ok(())
    }

    fn check_number(
        &self,
        s: &str,
        patterns: &dyn PatternMatcher,
        strings: &Strings,
    ) -> Result<Option<FieldValue>, String> {
        let (canonical, n) = normalise_number(s, |t| patterns.parse_number(t)).ok_or_else(|| {
            say(
                strings,
                "form.error.number",
                "Enter a number, like 42 or 3.5.",
                None,
                None,
            )
        })?;
        if let Some(min) = self.min.filter(|m| n < *m) {
            return Err(say(
                strings,
                "form.error.number_min",
                "Enter a number of at least {n}.",
                Some(&min),
                None,
            ));
        }
        if let Some(max) = self.max.filter(|m| n > *m) {
            return Err(say(
                strings,
                "form.error.number_max",
                "Enter a number of at most {n}.",
                Some(&max),
                None,
            ));
        }
        Ok(Some(FieldValue::Text(canonical)))
    }

    fn check_date(&self, s: &str, strings: &Strings) -> Result<Option<FieldValue>, String> {
        if !is_valid_date(s) {
            return Err(say(
                strings,
                "form.error.date",
                "Enter a date as YYYY-MM-DD, like 2026-03-31.",
                None,
                None,
            ));
        }
        // `YYYY-MM-DD` strings order as the dates they name.
        if let Some(min) = self.min_date.as_deref().filter(|m| s < *m) {
            return Err(say(
                strings,
                "form.error.date_min",
                "Choose a date on or after {n}.",
                Some(&min),
                None,
            ));
        }
        if let Some(max) = self.max_date.as_deref().filter(|m| s > *m) {
            return Err(say(
                strings,
                "form.error.date_max",
                "Choose a date on or before {n}.",
                Some(&max),
                None,
            ));
        }
        Ok(Some(FieldValue::Text(s.to_owned())))
    }

    fn check_pattern(&self, s: &str, patterns: &dyn PatternMatcher, strings: &Strings) -> Result<(), String> {
        let Some(pattern) = &self.pattern else {
            return Ok(());
        };
        match patterns.matches(pattern, s) {
            Ok(true) => Ok(()),
            // A pattern that does not compile is ignored, as browsers do (HTML §4.10.5.3.6).
            Err(_) => Ok(()),
            Ok(false) => Err(match &self.help {
                Some(help) => strings
                    .get("form.error.pattern_help", "Use the format asked for: {help}")
                    .replace("{help}", help),
                None => say(
                    strings,
                    "form.error.pattern",
                    "Use the format asked for.",
                    None,
                    None,
                ),
            }),
        }
    }
}
