//! `{{variable}}` templates in bot texts.
//!
//! Syntax (the common denominator of ManyChat / UChat style variables):
//! - `{{first_name}}` and `{{field.first_name}}` are the subscriber's custom field `first_name`;
//! - `{{first_name|there}}` falls back to `there` when the field is unset or blank;
//! - an unknown variable without fallback renders as nothing;
//! - `{{` without a closing `}}` is kept as written.

use crate::Profile;

/// Renders `template` with the subscriber's fields.
///
/// ```
/// use parlo_engine::{render, Profile};
/// let mut p = Profile::default();
/// p.fields.insert("first_name".into(), "Ada".into());
/// assert_eq!(render("Hi {{first_name|there}}, {{ field.plan | free }}!", &p), "Hi Ada, free!");
/// ```
pub fn render(template: &str, profile: &Profile) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&substitute(&rest[open + 2..open + 2 + close], profile));
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

fn substitute(expr: &str, profile: &Profile) -> String {
    let (name, fallback) = match expr.split_once('|') {
        Some((name, fallback)) => (name.trim(), fallback.trim()),
        None => (expr.trim(), ""),
    };
    let name = name.strip_prefix("field.").unwrap_or(name);
    match profile.fields.get(name) {
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
        assert_eq!(
            render("{{email}} / {{field.email}}", &p),
            "ada@example.com / ada@example.com"
        );
        assert_eq!(render("[{{missing}}] [{{blank|none}}]", &p), "[] [none]");
        assert_eq!(render("a {{ b", &p), "a {{ b");
        assert_eq!(render("{{email}}}", &p), "ada@example.com}");
        assert_eq!(render("no vars", &p), "no vars");
    }
}
