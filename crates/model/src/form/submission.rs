//! Submissions of a form and their validation (per field and whole).

use super::check::{is_valid_date, pointer_token};
use super::{Field, FieldType, PatternMatcher};
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

fn plural(n: f64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1.0 { one } else { many })
}

impl Field {
    /// Checks one value of this field (`None` when the visitor gave none), as the browser
    /// does while typing and the server on submit.
    ///
    /// Returns the cleaned value (`None` for an empty optional field; a consent is always
    /// a boolean) or the message to show next to the input.
    pub fn check(
        &self,
        value: Option<&FieldValue>,
        patterns: &dyn PatternMatcher,
    ) -> Result<Option<FieldValue>, String> {
        let wrong = |what: &str| Err(format!("Expected {what}."));
        let clean = match (self.kind, value) {
            (FieldType::Consent, None) => self.check_consent(false),
            (FieldType::Consent, Some(FieldValue::Bool(b))) => self.check_consent(*b),
            (FieldType::Consent, Some(_)) => wrong("true or false (ticked or not)"),
            (FieldType::Checkboxes, None) => self.check_list(&[]),
            (FieldType::Checkboxes, Some(FieldValue::List(l))) => self.check_list(l),
            (FieldType::Checkboxes, Some(_)) => wrong("a list of the ticked options"),
            (_, None) => self.check_text("", patterns),
            (_, Some(FieldValue::Text(s))) => self.check_text(s, patterns),
            (_, Some(_)) => wrong("text"),
        }?;
        if let Some(FieldValue::Text(s)) = &clean
            && self.kind.is_text()
        {
            self.check_pattern(s, patterns)?;
        }
        Ok(clean)
    }

    fn check_consent(&self, given: bool) -> Result<Option<FieldValue>, String> {
        if self.required && !given {
            return Err("Please tick this box to continue.".to_owned());
        }
        Ok(Some(FieldValue::Bool(given)))
    }

    fn check_list(&self, ticked: &[String]) -> Result<Option<FieldValue>, String> {
        if ticked.is_empty() {
            return if self.required {
                Err("Choose at least one option.".to_owned())
            } else {
                Ok(None)
            };
        }
        if ticked.iter().any(|t| !self.options.iter().any(|o| &o.value == t)) {
            return Err("Choose only from the options shown.".to_owned());
        }
        if ticked.iter().enumerate().any(|(i, t)| ticked[..i].contains(t)) {
            return Err("Each option can be chosen only once.".to_owned());
        }
        let n = ticked.len() as f64;
        if let Some(min) = self.min.filter(|m| n < *m) {
            return Err(format!("Choose at least {}.", plural(min, "option", "options")));
        }
        if let Some(max) = self.max.filter(|m| n > *m) {
            return Err(format!("Choose at most {}.", plural(max, "option", "options")));
        }
        Ok(Some(FieldValue::List(ticked.to_vec())))
    }

    fn check_text(&self, raw: &str, patterns: &dyn PatternMatcher) -> Result<Option<FieldValue>, String> {
        let s = raw.trim();
        if s.is_empty() {
            return if self.required {
                Err(match self.kind {
                    FieldType::Select | FieldType::Radio => "Choose an option.",
                    _ => "This field is required.",
                }
                .to_owned())
            } else {
                Ok(None)
            };
        }
        let text = |s: &str| Some(FieldValue::Text(s.to_owned()));
        match self.kind {
            FieldType::Email => normalise_email(s)
                .map(|v| text(&v))
                .ok_or_else(|| "Enter an e-mail address like name@example.com.".to_owned()),
            FieldType::Phone => normalise_phone(s)
                .map(|v| text(&v))
                .ok_or_else(|| "Enter a phone number like +44 20 7946 0958 (7 to 15 digits).".to_owned()),
            FieldType::Number => self.check_number(s, patterns),
            FieldType::Date => self.check_date(s),
            FieldType::Select | FieldType::Radio => {
                if self.options.iter().any(|o| o.value == s) {
                    Ok(text(s))
                } else {
                    Err("Choose one of the options shown.".to_owned())
                }
            }
            _ => self.check_length(s).map(|()| text(s)),
        }
        .and_then(|v| {
            // Lengths bound the stored value of e-mail and phone fields too.
            match (&v, self.kind) {
                (Some(FieldValue::Text(t)), FieldType::Email | FieldType::Phone) => {
                    self.check_length(t).map(|()| v)
                }
                _ => Ok(v),
            }
        })
    }

    fn check_length(&self, s: &str) -> Result<(), String> {
        let n = s.chars().count();
        let max = self
            .max
            .map_or(self.kind.max_chars(), |m| (m as usize).min(self.kind.max_chars()));
        if let Some(min) = self.min.filter(|m| (n as f64) < *m) {
            return Err(format!(
                "Use at least {}.",
                plural(min, "character", "characters")
            ));
        }
        if n > max {
            return Err(format!(
                "Use at most {} (now {n}).",
                plural(max as f64, "character", "characters")
            ));
        }
        Ok(())
    }

    fn check_number(&self, s: &str, patterns: &dyn PatternMatcher) -> Result<Option<FieldValue>, String> {
        let (canonical, n) = normalise_number(s, |t| patterns.parse_number(t))
            .ok_or_else(|| "Enter a number, like 42 or 3.5.".to_owned())?;
        if let Some(min) = self.min.filter(|m| n < *m) {
            return Err(format!("Enter a number of at least {min}."));
        }
        if let Some(max) = self.max.filter(|m| n > *m) {
            return Err(format!("Enter a number of at most {max}."));
        }
        Ok(Some(FieldValue::Text(canonical)))
    }

    fn check_date(&self, s: &str) -> Result<Option<FieldValue>, String> {
        if !is_valid_date(s) {
            return Err("Enter a date as YYYY-MM-DD, like 2026-03-31.".to_owned());
        }
        // `YYYY-MM-DD` strings order as the dates they name.
        if let Some(min) = self.min_date.as_deref().filter(|m| s < *m) {
            return Err(format!("Choose a date on or after {min}."));
        }
        if let Some(max) = self.max_date.as_deref().filter(|m| s > *m) {
            return Err(format!("Choose a date on or before {max}."));
        }
        Ok(Some(FieldValue::Text(s.to_owned())))
    }

    fn check_pattern(&self, s: &str, patterns: &dyn PatternMatcher) -> Result<(), String> {
        let Some(pattern) = &self.pattern else {
            return Ok(());
        };
        match patterns.matches(pattern, s) {
            Ok(true) => Ok(()),
            // A pattern that does not compile is ignored, as browsers do (HTML §4.10.5.3.6).
            Err(_) => Ok(()),
            Ok(false) => Err(match &self.help {
                Some(help) => format!("Use the format asked for: {help}"),
                None => "Use the format asked for.".to_owned(),
            }),
        }
    }
}
