//! Answer validation, written once and run both in the browser and on the server.
//!
//! A question step saves the visitor's answer into a custom field of a [`FieldKind`].
//! [`check_answer`] accepts or rejects the answer and returns its normalised form.

use serde::{Deserialize, Serialize};

/// Longest accepted free-text answer, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest accepted e-mail address, in bytes (RFC 5321 §4.5.3.1.3 path limit, minus `<>`).
pub const MAX_EMAIL_LEN: usize = 254;

/// The characters `str::trim` removes (Unicode `White_Space`), as the body of an ECMA-262
/// character class.
macro_rules! white_space {
    () => {
        r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// Text that is not blank after trimming, as an ECMA-262 regular expression (the OpenAPI
/// `pattern` of texts the API trims): some character is not white space.
pub const NON_BLANK_PATTERN: &str = concat!("[^", white_space!(), "]");

/// A tag, field or other name as the API checks it (trimmed, not blank, without control
/// characters), as an ECMA-262 regular expression; its length is a separate `maxLength`.
pub const NAME_PATTERN: &str = concat!(
    r"^[^\x00-\x1f\x7f-\x9f]*[^",
    white_space!(),
    r"\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
);

/// What a check of a request body member enforces beyond its JSON type, stated next to
/// the check with the constants it uses, so the server's OpenAPI document declares the same
/// rule (lengths count characters, as JSON Schema's `minLength`/`maxLength` do).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// A string of `min..=max` characters matching `pattern` (none when empty).
    Text {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
        /// ECMA-262 regular expression the whole string must match, or `""`.
        pattern: &'static str,
    },
    /// A string matching this ECMA-262 regular expression (which bounds its length).
    Pattern(&'static str),
    /// An array of `min..=max` items.
    Items {
        /// Fewest items.
        min: usize,
        /// Most items.
        max: usize,
    },
    /// An object (a map) of `min..=max` members.
    Properties {
        /// Fewest members.
        min: usize,
        /// Most members.
        max: usize,
    },
    /// A number in `min..=max`.
    Range {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// An array whose items are all different (`uniqueItems`).
    Unique,
    /// An object without members other than its declared ones (`additionalProperties:
    /// false`, serde's `deny_unknown_fields`); on a tagged enum, every variant.
    Closed,
}

/// A [`Rule`] of one member of a schema component: (component, member path, rule). The
/// path's segments, joined by `/`, are property names, `items` for an array's items,
/// `propertyNames` and `additionalProperties` for a map's keys and values, or the index of
/// a `oneOf` variant; `""` is the component itself.
pub type MemberRule = (&'static str, &'static str, Rule);

/// A string of at most `max` characters (maybe empty).
pub const fn up_to(max: usize) -> Rule {
    Rule::Text {
        min: 0,
        max,
        pattern: "",
    }
}

/// An array of `min..=max` items.
pub const fn items(min: usize, max: usize) -> Rule {
    Rule::Items { min, max }
}

/// A URL ([`crate::link::check_web_url`]) of 1..=[`MAX_URL_LEN`](crate::link::MAX_URL_LEN)
/// characters. Its limit is in bytes, which `maxLength` (characters) can only bound: a
/// longer string is always refused, a shorter one with non-ASCII characters may still be.
pub const URL: Rule = Rule::Text {
    min: 1,
    max: crate::link::MAX_URL_LEN,
    pattern: "",
};

/// Text the API takes as written: `1..=max` characters, not blank.
pub const fn non_blank(max: usize) -> Rule {
    Rule::Text {
        min: 1,
        max,
        pattern: NON_BLANK_PATTERN,
    }
}

/// A name (see [`check_name`]): `1..=max` characters, not blank, without control characters.
pub const fn name(max: usize) -> Rule {
    Rule::Text {
        min: 1,
        max,
        pattern: NAME_PATTERN,
    }
}

/// Checks a name (of a tag, a field, a channel…): at most `max` characters as sent, some
/// character not white space, no control character. Answers it trimmed, or the problem.
///
/// ```
/// use parlo_model::validate::check_name;
/// assert_eq!(check_name(" VIP ", 5), Ok("VIP"));
/// assert!(check_name("  VIP ", 5).is_err());
/// assert!(check_name(" ", 5).is_err());
/// assert!(check_name("a\nb", 5).is_err());
/// ```
///
/// # Errors
/// The rule broken, in the API's words.
pub fn check_name(name: &str, max: usize) -> Result<&str, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() || name.chars().count() > max || name.chars().any(char::is_control) {
        return Err(format!(
            "must be 1..={max} characters, not blank, without control characters"
        ));
    }
    Ok(trimmed)
}

/// Checks a text the API trims (a message, a key's name…): at most `max` characters as
/// sent, some character not white space. Answers it trimmed, or the problem.
///
/// # Errors
/// The rule broken, in the API's words.
pub fn check_text(text: &str, max: usize) -> Result<&str, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || text.chars().count() > max {
        return Err(format!("must be 1..={max} characters, not blank"));
    }
    Ok(trimmed)
}

/// Text without control characters (Unicode `Cc`), maybe empty, as an ECMA-262 regular
/// expression.
pub const NO_CONTROL_PATTERN: &str = r"^[^\x00-\x1f\x7f-\x9f]*$";

/// The kind of value a custom field holds, deciding how answers are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Any non-blank text up to [`MAX_TEXT_CHARS`] characters.
    Text,
    /// An e-mail address (WHATWG HTML "valid e-mail address", with a dotted domain).
    Email,
    /// A phone number: optional `+`, 7 to 15 digits (ITU-T E.164 allows at most 15),
    /// spaces, dots, dashes and parentheses ignored.
    Phone,
    /// A finite decimal number, `.` or `,` as decimal separator.
    Number,
    /// A calendar date, read by [`parse_date`] and stored as ISO 8601 `YYYY-MM-DD`.
    Date,
    /// A rating from 1 to 5 (one digit; the chat widget offers five stars), e.g. for
    /// feedback.
    Rating,
}

impl FieldKind {
    /// The message shown when an answer of this kind is rejected.
    pub fn invalid_message(self) -> &'static str {
        match self {
            FieldKind::Text => "Please type an answer (up to 1000 characters).",
            FieldKind::Email => {
                "That doesn't look like an e-mail address. Please try again, e.g. name@example.com."
            }
            FieldKind::Phone => {
                "That doesn't look like a phone number. Please use digits, e.g. +44 20 7946 0958."
            }
            FieldKind::Number => "Please answer with a number, e.g. 42 or 3.5.",
            FieldKind::Date => "Please answer with a date, e.g. 2026-11-21 or 21 November 2026.",
            FieldKind::Rating => "Please rate from 1 (poor) to 5 (excellent).",
        }
    }

    /// The HTML `<input type>` that suits answers of this kind (`text`, `email`, `tel`,
    /// `date`).
    pub fn input_type(self) -> &'static str {
        match self {
            FieldKind::Text | FieldKind::Number | FieldKind::Rating => "text",
            FieldKind::Email => "email",
            FieldKind::Phone => "tel",
            FieldKind::Date => "date",
        }
    }
}

/// Checks `answer` as a value of `kind`.
///
/// Returns the normalised value to store (trimmed; e-mail domain lower-cased; phone reduced
/// to `+` and digits; number in canonical form; date as `YYYY-MM-DD`; rating as its digit) or,
/// on rejection, the
/// message to show ([`FieldKind::invalid_message`]).
///
/// ```
/// use parlo_model::validate::{check_answer, FieldKind};
/// assert_eq!(check_answer(FieldKind::Phone, " +44 (20) 7946-0958 ").unwrap(), "+442079460958");
/// assert_eq!(check_answer(FieldKind::Number, "3,50").unwrap(), "3.5");
/// assert_eq!(check_answer(FieldKind::Date, "24 Dec 2026").unwrap(), "2026-12-24");
/// assert_eq!(check_answer(FieldKind::Rating, " 4 ").unwrap(), "4");
/// assert!(check_answer(FieldKind::Email, "ada@example").is_err());
/// ```
pub fn check_answer(kind: FieldKind, answer: &str) -> Result<String, &'static str> {
    let answer = answer.trim();
    let normalised = match kind {
        FieldKind::Text => {
            (!answer.is_empty() && answer.chars().count() <= MAX_TEXT_CHARS).then(|| answer.to_owned())
        }
        FieldKind::Email => normalise_email(answer),
        FieldKind::Phone => normalise_phone(answer),
        FieldKind::Number => normalise_number(answer, |s| s.parse().ok()).map(|(text, _)| text),
        FieldKind::Date => parse_date(answer),
        FieldKind::Rating => matches!(answer, "1" | "2" | "3" | "4" | "5").then(|| answer.to_owned()),
    };
    normalised.ok_or(kind.invalid_message())
}

/// What [`normalise_email`] takes, untrimmed, as an ECMA-262 regular expression (WHATWG
/// HTML's own, with `+` instead of `*` for the domain's dotted labels); its length is a
/// separate `maxLength` of [`MAX_EMAIL_LEN`] (the pattern allows only ASCII, so characters
/// are bytes).
pub const EMAIL_PATTERN: &str = concat!(
    "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@",
    "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
);

/// An e-mail address as the API takes it where it is not trimmed: [`EMAIL_PATTERN`], at
/// most [`MAX_EMAIL_LEN`] characters.
pub const EMAIL: Rule = Rule::Text {
    min: 1,
    max: MAX_EMAIL_LEN,
    pattern: EMAIL_PATTERN,
};

/// Reads a date answer: ISO 8601 `2026-11-21` (also with `/` or `.` between the parts),
/// or the month spelled out in English, day before or after it: `21 November 2026`,
/// `Nov 21, 2026`. Numeric day/month orders (`11/12/2026`) are ambiguous and refused.
/// Answers the date as `YYYY-MM-DD`, or `None`.
///
/// ```
/// use parlo_model::validate::parse_date;
/// assert_eq!(parse_date("2026/11/21").as_deref(), Some("2026-11-21"));
/// assert_eq!(parse_date("21 Nov. 2026").as_deref(), Some("2026-11-21"));
/// assert_eq!(parse_date("November 21st, 2026").as_deref(), Some("2026-11-21"));
/// assert_eq!(parse_date("2026-02-29"), None);
/// assert_eq!(parse_date("11/12/2026"), None);
/// ```
pub fn parse_date(answer: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = answer.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words[..] else {
        return None;
    };
    let month = |w: &str| {
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(w)))
            .flatten()
            .map(|i| i + 1)
    };
    let day = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (1..=2)
            .contains(&digits.len())
            .then(|| digits.parse::<usize>().ok())?
    };
    let year = |w: &str| (w.len() == 4).then(|| w.parse::<usize>().ok())?;
    let (y, m, d) = if let (Some(y), Ok(m), Some(d)) = (year(a), b.parse::<usize>(), day(c)) {
        (y, (b.len() <= 2).then_some(m)?, d)
    } else if let (Some(d), Some(m), Some(y)) = (day(a), month(b), year(c)) {
        (y, m, d)
    } else if let (Some(m), Some(d), Some(y)) = (month(a), day(b), year(c)) {
        (y, m, d)
    } else {
        return None;
    };
    let date = format!("{y:04}-{m:02}-{d:02}");
    crate::form::is_valid_date(&date).then_some(date)
}

/// WHATWG HTML §4.10.5.1.5 "valid e-mail address", additionally requiring a dot in the
/// domain (as every hosted chat platform does) and at most [`MAX_EMAIL_LEN`] bytes.
pub(crate) fn normalise_email(s: &str) -> Option<String> {
    if s.len() > MAX_EMAIL_LEN {
        return None;
    }
    let (local, domain) = s.split_once('@')?;
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    (local_ok && domain_ok).then(|| format!("{local}@{}", domain.to_ascii_lowercase()))
}

pub(crate) fn normalise_phone(s: &str) -> Option<String> {
    let (plus, rest) = match s.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", s),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    (7..=15)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

/// `s` (`,` as the decimal separator when it has no `.`) in canonical form and as a number;
/// `parse` reads a non-empty string of ASCII digits, signs, `.`, `e` and `E` (see
/// [`PatternMatcher::parse_number`](crate::form::PatternMatcher::parse_number)).
pub(crate) fn normalise_number(s: &str, parse: impl Fn(&str) -> Option<f64>) -> Option<(String, f64)> {
    let s = if s.contains('.') {
        s.to_owned()
    } else {
        s.replacen(',', ".", 1)
    };
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) {
        return None;
    }
    let n = parse(&s)?;
    n.is_finite().then(|| (n.to_string(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            check_answer(FieldKind::Email, " Ada@Example.COM ").unwrap(),
            "Ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@-x.com",
            "ada@x..com",
        ] {
            assert!(check_answer(FieldKind::Email, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            check_answer(FieldKind::Phone, "020 7946 0958").unwrap(),
            "02079460958"
        );
        for bad in ["123", "+1 555 CALL NOW", "1234567890123456", ""] {
            assert!(check_answer(FieldKind::Phone, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(check_answer(FieldKind::Number, "42").unwrap(), "42");
        assert_eq!(check_answer(FieldKind::Number, "-1.25").unwrap(), "-1.25");
        for bad in ["", "forty", "1e999", "NaN", "inf", "1,2,3"] {
            assert!(check_answer(FieldKind::Number, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            check_answer(FieldKind::Date, " 2026-12-24 ").unwrap(),
            "2026-12-24"
        );
        assert_eq!(
            check_answer(FieldKind::Date, "December 24, 2026").unwrap(),
            "2026-12-24"
        );
        for bad in ["", "tomorrow", "2026-13-01", "12/11/2026"] {
            assert_eq!(
                check_answer(FieldKind::Date, bad),
                Err(FieldKind::Date.invalid_message()),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn ratings() {
        assert_eq!(check_answer(FieldKind::Rating, "5").unwrap(), "5");
        for bad in ["", "0", "6", "4.5", "five", "05"] {
            assert_eq!(
                check_answer(FieldKind::Rating, bad),
                Err(FieldKind::Rating.invalid_message()),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn texts() {
        assert_eq!(check_answer(FieldKind::Text, "  hi ").unwrap(), "hi");
        assert!(check_answer(FieldKind::Text, "   ").is_err());
        assert!(check_answer(FieldKind::Text, &"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }
}
