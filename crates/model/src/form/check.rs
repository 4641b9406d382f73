//! Validation of form definitions, and the small syntax checks it shares with submissions.

use super::{
    Field, FieldType, Form, MAX_AUTOMATIONS, MAX_CONSENT_CHARS, MAX_FIELDS, MAX_LABEL_CHARS, MAX_MIN_FILL_MS,
    MAX_OPTIONS, PatternMatcher, Success,
};
use crate::flow::{FIELD_NAME_PATTERN, ID_PATTERN, is_valid_field_name, is_valid_id};
use crate::problem::FieldError;
use crate::validate::{MemberRule, Rule, URL, items, non_blank, up_to};

/// Longest `pattern`, in characters.
/// Longest `pattern` of a text field, in characters.
const MAX_PATTERN_CHARS: usize = 500;
/// Longest form name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// Longest submit button label, in characters.
const MAX_SUBMIT_LABEL_CHARS: usize = 40;
/// Longest success message, in characters.
const MAX_SUCCESS_TEXT_CHARS: usize = 1000;
/// Longest help text of a field, in characters.
const MAX_HELP_CHARS: usize = 500;
/// Longest placeholder of a field, in characters.
const MAX_PLACEHOLDER_CHARS: usize = 200;
/// Longest consent version, in characters.
const MAX_VERSION_CHARS: usize = 64;
/// Longest option value or label, in characters.
const MAX_OPTION_CHARS: usize = 200;

/// An origin as [`is_valid_origin`] takes it, as an ECMA-262 regular expression (the port's
/// range, 0..=65535, is checked apart).
pub const ORIGIN_PATTERN: &str = "^https?://[a-z0-9.-]{1,253}(:[0-9]{1,5})?$";

/// What [`form`] verifies of one member at a time, for the API document (the automations
/// state theirs in [`crate::automation::SCHEMA_RULES`]). Not stated there: rules that
/// depend on the field's type (a consent's longer label, which members a type takes),
/// names and values listed twice, and references to webhook endpoints, flows, tags and
/// channels; those are 422 with the member's pointer.
pub const SCHEMA_RULES: [MemberRule; 18] = [
    ("FormId", "", Rule::Pattern(ID_PATTERN)),
    ("Form", "name", non_blank(MAX_NAME_CHARS)),
    ("Form", "fields", items(1, MAX_FIELDS)),
    ("Form", "submit_label", non_blank(MAX_SUBMIT_LABEL_CHARS)),
    ("Form", "allowed_origins/items", Rule::Pattern(ORIGIN_PATTERN)),
    (
        "Form",
        "min_fill_ms",
        Rule::Range {
            min: 0.0,
            max: MAX_MIN_FILL_MS as f64,
        },
    ),
    ("Form", "automations", items(0, MAX_AUTOMATIONS)),
    ("Field", "name", Rule::Pattern(FIELD_NAME_PATTERN)),
    ("Field", "label", non_blank(MAX_CONSENT_CHARS)),
    ("Field", "help", non_blank(MAX_HELP_CHARS)),
    ("Field", "placeholder", non_blank(MAX_PLACEHOLDER_CHARS)),
    ("Field", "pattern", up_to(MAX_PATTERN_CHARS)),
    ("Field", "version", non_blank(MAX_VERSION_CHARS)),
    ("Field", "options", items(0, MAX_OPTIONS)),
    ("FieldOption", "value", non_blank(MAX_OPTION_CHARS)),
    ("FieldOption", "label", non_blank(MAX_OPTION_CHARS)),
    ("SuccessMessage", "text", non_blank(MAX_SUCCESS_TEXT_CHARS)),
    ("SuccessRedirect", "url", URL),
];

/// Escapes a JSON pointer reference token (RFC 6901 §3).
pub(crate) fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Whether `s` is a calendar date `YYYY-MM-DD` (RFC 3339 `full-date`, years 0001..=9999,
/// Gregorian leap years).
///
/// ```
/// use parlo_model::form::is_valid_date;
/// assert!(is_valid_date("2028-02-29"));
/// assert!(!is_valid_date("2026-02-29"));
/// assert!(!is_valid_date("2026-1-5"));
/// ```
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}

/// Whether `s` is a web origin as browsers send it in `Origin` (RFC 6454 §6.1):
/// `http` or `https`, `://`, a host of letters, digits, `-` and `.` (lower case), an
/// optional `:port`, and nothing else (no path, no trailing `/`).
///
/// ```
/// use parlo_model::form::is_valid_origin;
/// assert!(is_valid_origin("https://shop.example.com"));
/// assert!(is_valid_origin("http://localhost:8080"));
/// assert!(!is_valid_origin("https://example.com/"));
/// ```
pub fn is_valid_origin(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    let port_ok = port.is_none_or(|p| {
        !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
    });
    host_ok && port_ok
}

/// Collects problems of one definition.
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(pointer, message));
    }

    /// Text of 1..=`max` characters, not blank.
    fn text(&mut self, pointer: String, s: &str, max: usize) {
        let n = s.chars().count();
        if s.trim().is_empty() {
            self.add(pointer, "must not be blank");
        } else if n > max {
            self.add(pointer, format!("must be at most {max} characters, is {n}"));
        }
    }

    /// Optional text of at most `max` characters.
    fn optional_text(&mut self, pointer: String, s: Option<&str>, max: usize) {
        if let Some(s) = s {
            self.text(pointer, s, max);
        }
    }

    fn absent(&mut self, pointer: String, present: bool, kind: FieldType, what: &str) {
        if present {
            self.add(
                pointer,
                format!("{what}; not allowed on a {} field", kind.as_str()),
            );
        }
    }
}

/// Every problem of `form`; see [`Form::validate`].
pub(super) fn form(form: &Form, patterns: &dyn PatternMatcher) -> Vec<FieldError> {
    let mut p = Problems(Vec::new());
    if !is_valid_id(form.id.as_str()) {
        p.add("/id", "must be 1..=64 of a-z, 0-9, _ and -");
    }
    p.text("/name".into(), &form.name, MAX_NAME_CHARS);
    if form.fields.is_empty() || form.fields.len() > MAX_FIELDS {
        p.add("/fields", format!("must have 1..={MAX_FIELDS} fields"));
    }
    for (i, f) in form.fields.iter().enumerate() {
        let at = format!("/fields/{i}");
        if form.fields[..i].iter().any(|g| g.name == f.name) {
            p.add(
                format!("{at}/name"),
                format!("another field is already named '{}'", f.name),
            );
        }
        field(&mut p, &at, f, patterns);
    }
    p.text("/submit_label".into(), &form.submit_label, MAX_SUBMIT_LABEL_CHARS);
    match &form.success {
        Success::Message { text } => p.text("/success/text".into(), text, MAX_SUCCESS_TEXT_CHARS),
        Success::Redirect { url } => {
            if let Err(problem) = crate::link::check_web_url(url) {
                p.add("/success/url", problem);
            }
        }
    }
    for (i, origin) in form.allowed_origins.iter().enumerate() {
        if !is_valid_origin(origin) {
            p.add(
                format!("/allowed_origins/{i}"),
                "must be an origin like https://shop.example.com (scheme, lower-case host, optional port; no path)",
            );
        }
    }
    if form.min_fill_ms > MAX_MIN_FILL_MS {
        p.add(
            "/min_fill_ms",
            format!("must be 0..={MAX_MIN_FILL_MS} milliseconds"),
        );
    }
    if form.automations.len() > MAX_AUTOMATIONS {
        p.add(
            "/automations",
            format!("must have at most {MAX_AUTOMATIONS} automations"),
        );
    }
    for (i, a) in form.automations.iter().enumerate() {
        p.0.extend(a.check(&format!("/automations/{i}")));
    }
    p.0
}

fn field(p: &mut Problems, at: &str, f: &Field, patterns: &dyn PatternMatcher) {
    let kind = f.kind;
    if !is_valid_field_name(&f.name) {
        p.add(format!("{at}/name"), "must be 1..=64 of a-z, 0-9 and _");
    }
    let label_max = if kind == FieldType::Consent {
        MAX_CONSENT_CHARS
    } else {
        MAX_LABEL_CHARS
    };
    p.text(format!("{at}/label"), &f.label, label_max);
    p.optional_text(format!("{at}/help"), f.help.as_deref(), MAX_HELP_CHARS);
    p.optional_text(
        format!("{at}/placeholder"),
        f.placeholder.as_deref(),
        MAX_PLACEHOLDER_CHARS,
    );
    bounds(p, at, f);
    if kind.has_options() {
        options(p, at, f);
    } else {
        p.absent(format!("{at}/options"), !f.options.is_empty(), kind, "options");
    }
    if let Some(pattern) = &f.pattern {
        if !kind.is_text() {
            p.absent(format!("{at}/pattern"), true, kind, "a pattern checks text");
        } else if pattern.chars().count() > MAX_PATTERN_CHARS {
            p.add(
                format!("{at}/pattern"),
                format!("must be at most {MAX_PATTERN_CHARS} characters"),
            );
        } else if let Err(reason) = patterns.matches(pattern, "") {
            p.add(
                format!("{at}/pattern"),
                format!("is not a valid pattern: {reason}"),
            );
        }
    }
    if kind == FieldType::Consent {
        match &f.version {
            Some(v) => p.text(format!("{at}/version"), v, MAX_VERSION_CHARS),
            None => p.add(
                format!("{at}/version"),
                "a consent needs a version, recorded with each lead",
            ),
        }
        p.absent(
            format!("{at}/default"),
            f.default.is_some(),
            kind,
            "consent must be given by the visitor, never pre-ticked (GDPR Recital 32)",
        );
    } else {
        p.absent(
            format!("{at}/version"),
            f.version.is_some(),
            kind,
            "a version belongs to a consent",
        );
        if let Some(default) = &f.default {
            let optional = Field {
                required: false,
                ..f.clone()
            };
            if let Err(message) = optional.check(Some(default), patterns) {
                p.add(
                    format!("{at}/default"),
                    format!("is not a valid value: {message}"),
                );
            }
        }
    }
}

fn bounds(p: &mut Problems, at: &str, f: &Field) {
    let kind = f.kind;
    let numeric = kind.is_text() || kind == FieldType::Number || kind == FieldType::Checkboxes;
    for (name, bound) in [("min", f.min), ("max", f.max)] {
        let Some(b) = bound else { continue };
        if !numeric {
            p.absent(
                format!("{at}/{name}"),
                true,
                kind,
                "min/max bound lengths, numbers or counts",
            );
        } else if !b.is_finite() {
            p.add(format!("{at}/{name}"), "must be a finite number");
        } else if kind != FieldType::Number && (b < 0.0 || b.fract() != 0.0) {
            p.add(
                format!("{at}/{name}"),
                "must be a whole number ≥ 0 (a length or count)",
            );
        }
    }
    if let (Some(min), Some(max)) = (f.min, f.max)
        && min > max
    {
        p.add(format!("{at}/max"), "must not be less than min");
    }
    for (name, bound) in [("min_date", &f.min_date), ("max_date", &f.max_date)] {
        let Some(b) = bound else { continue };
        if kind != FieldType::Date {
            p.absent(
                format!("{at}/{name}"),
                true,
                kind,
                "date bounds belong to a date field",
            );
        } else if !is_valid_date(b) {
            p.add(format!("{at}/{name}"), "must be a date YYYY-MM-DD");
        }
    }
    if let (Some(min), Some(max)) = (&f.min_date, &f.max_date)
        && min > max
    {
        p.add(format!("{at}/max_date"), "must not be before min_date");
    }
}

fn options(p: &mut Problems, at: &str, f: &Field) {
    if f.options.is_empty() || f.options.len() > MAX_OPTIONS {
        p.add(
            format!("{at}/options"),
            format!("must have 1..={MAX_OPTIONS} options"),
        );
    }
    for (i, o) in f.options.iter().enumerate() {
        p.text(format!("{at}/options/{i}/value"), &o.value, MAX_OPTION_CHARS);
        p.text(format!("{at}/options/{i}/label"), &o.label, MAX_OPTION_CHARS);
        if f.options[..i].iter().any(|q| q.value == o.value) {
            p.add(
                format!("{at}/options/{i}/value"),
                format!("another option already has the value '{}'", o.value),
            );
        }
    }
}
