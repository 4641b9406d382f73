//! `{{variable}}` templates in bot texts.
//!
//! Syntax (the common denominator of ManyChat / UChat style variables):
//! - `{{first_name}}` and `{{field.first_name}}` are the subscriber's custom field `first_name`;
//! - `{{payload.order}}` is the payload variable `order` given when the flow was started
//!   through the API (`POST /api/v1/subscribers/{id}/send-flow`, lead-form automations);
//! - `{{first_name|there}}` falls back to `there` when the field is unset or blank;
//! - an unknown variable without fallback renders as nothing;
//! - `{{` without a closing `}}` is kept as written.

use crate::Profile;
use std::collections::BTreeMap;

/// Renders `template` with the subscriber's fields and the flow's payload variables.
///
/// ```
/// use parlo_engine::{render, Profile};
/// use std::collections::BTreeMap;
/// let mut p = Profile::default();
/// p.fields.insert("first_name".into(), "Ada".into());
/// let payload = BTreeMap::from([("order".to_owned(), "A-1042".to_owned())]);
/// assert_eq!(
///     render("Hi {{first_name|there}}, {{ field.plan | free }} {{payload.order}}!", &p, &payload),
///     "Hi Ada, free A-1042!"
/// );
/// ```
pub fn render(template: &str, profile: &Profile, payload: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&substitute(&rest[open + 2..open + 2 + close], profile, payload));
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

fn substitute(expr: &str, profile: &Profile, payload: &BTreeMap<String, String>) -> String {
    let (name, fallback) = match expr.split_once('|') {
        Some((name, fallback)) => (name.trim(), fallback.trim()),
        None => (expr.trim(), ""),
    };
    let value = match name.strip_prefix("payload.") {
        Some(key) => payload.get(key),
        None => profile.fields.get(name.strip_prefix("field.").unwrap_or(name)),
    };
    match value {
        Some(value) if !value.trim().is_empty() => value.clone(),
        _ => fallback.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_variables_fallbacks_and_literals() {
        let mut p = Profile::default();
        p.fields.insert("email".into(), "ada@example.com".into());
        p.fields.insert("blank".into(), " ".into());
        let none = BTreeMap::new();
        assert_eq!(
            render("{{email}} / {{field.email}}", &p, &none),
            "ada@example.com / ada@example.com"
        );
        assert_eq!(render("[{{missing}}] [{{blank|none}}]", &p, &none), "[] [none]");
        assert_eq!(render("a {{ b", &p, &none), "a {{ b");
        assert_eq!(render("{{email}}}", &p, &none), "ada@example.com}");
        assert_eq!(render("no vars", &p, &none), "no vars");
    }

    #[test]
    fn payload_variables_are_their_own_namespace() {
        let mut p = Profile::default();
        p.fields.insert("order".into(), "field value".into());
        let payload = BTreeMap::from([("order".to_owned(), "A-1042".to_owned())]);
        assert_eq!(
            render(
                "{{payload.order}} {{order}} {{payload.missing|none}}",
                &p,
                &payload
            ),
            "A-1042 field value none"
        );
    }
}
