//! Languages of the widget and the lead forms: the strings the server sends in the visitor's
//! language, and the rules shared by server and browser (which languages are written right
//! to left, what a language tag looks like).
//!
//! Every text the widget and the forms show has a stable key (e.g. `widget.composer.send`)
//! and an English default compiled into the bundle. The server holds the other languages'
//! catalogues and answers the strings of the visitor's language with the public channel
//! configuration and the public form ([`Strings`]); the browser shows a key's string when
//! it has one, else its English default ([`Strings::get`]).

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Strings of one language, key → text, e.g. `{"widget.composer.send": "Senden"}`. A JSON
/// object on the wire; kept as pairs in key order (a map type measured more in the widget's
/// wasm, and a lookup among some 40 keys needs none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings(pub Vec<(String, String)>);

impl Strings {
    /// No strings at all (English throughout).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The string of `key`, or `english` (the bundle's own default) when there is none.
    ///
    /// ```
    /// use parlo_model::locale::Strings;
    /// let de = Strings(vec![("widget.composer.send".into(), "Senden".into())]);
    /// assert_eq!(de.get("widget.composer.send", "Send"), "Senden");
    /// assert_eq!(de.get("widget.menu", "Menu"), "Menu");
    /// ```
    pub fn get<'a>(&'a self, key: &str, english: &'a str) -> &'a str {
        self.0.iter().find(|(k, _)| k == key).map_or(english, |(_, v)| v)
    }
}

impl Serialize for Strings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Strings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strings, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Strings(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// Keys of the chat widget's strings (the owner may override these per channel).
pub const WIDGET_KEYS: [&str; 26] = [
    "widget.chat",
    "widget.panel_label",
    "widget.open",
    "widget.close",
    "widget.unread",
    "widget.menu",
    "widget.messages",
    "widget.cards",
    "widget.typing",
    "widget.sending",
    "widget.retry",
    "widget.composer.message",
    "widget.composer.placeholder",
    "widget.composer.date",
    "widget.composer.rating",
    "widget.composer.star",
    "widget.composer.send",
    "widget.composer.too_long",
    "widget.pre_chat.title",
    "widget.status.connecting",
    "widget.status.online",
    "widget.status.away",
    "widget.status.reconnecting",
    "widget.status.offline",
    "widget.status.slow-down",
    "widget.status.unavailable",
];

/// Keys of the lead forms' strings: their states and the messages of field checks
/// ([`Field::check_in`](crate::form::Field::check_in)).
pub const FORM_KEYS: [&str; 31] = [
    "form.sent",
    "form.sending",
    "form.queued",
    "form.check_fields",
    "form.choose",
    "form.error.required",
    "form.error.choose_option",
    "form.error.consent",
    "form.error.choose_some",
    "form.error.only_shown",
    "form.error.once",
    "form.error.min_options",
    "form.error.min_options.one",
    "form.error.max_options",
    "form.error.max_options.one",
    "form.error.email",
    "form.error.phone",
    "form.error.option_shown",
    "form.error.min_chars",
    "form.error.min_chars.one",
    "form.error.max_chars",
    "form.error.max_chars.one",
    "form.error.number",
    "form.error.number_min",
    "form.error.number_max",
    "form.error.date",
    "form.error.date_min",
    "form.error.date_max",
    "form.error.pattern",
    "form.error.pattern_help",
    "form.error.expected",
];

/// An owner's own texts of a channel: language tag → string key → text, e.g.
/// `{"de": {"widget.composer.placeholder": "Ihre Frage…"}}`. They win over the built-in
/// catalogue of that language, and a tag with no catalogue (e.g. `he`) becomes a language
/// of the channel (English for the keys it leaves out).
pub type StringOverrides = BTreeMap<String, BTreeMap<String, String>>;

/// Longest owner text of one key, in characters.
pub const MAX_STRING_CHARS: usize = 300;

/// Languages written right to left (by their primary subtag): Arabic, Hebrew, Persian, Urdu.
pub const RTL_LANGUAGES: [&str; 4] = ["ar", "he", "fa", "ur"];

/// Whether text of language `tag` (BCP 47, any case) runs right to left.
///
/// ```
/// use parlo_model::locale::is_rtl;
/// assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("FA"));
/// assert!(!is_rtl("de-AT") && !is_rtl("en"));
/// ```
pub fn is_rtl(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    RTL_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(primary))
}

/// Whether `tag` is a well-formed language tag as owners write them: a primary subtag of 2
/// or 3 lower-case letters, then `-` and subtags of 1..=8 letters or digits (BCP 47's
/// shape, e.g. `de`, `pt-BR`, `zh-Hant`; not checked against the registry).
///
/// ```
/// use parlo_model::locale::is_language_tag;
/// assert!(is_language_tag("de") && is_language_tag("pt-BR") && is_language_tag("zh-Hant"));
/// assert!(!is_language_tag("DE") && !is_language_tag("german") && !is_language_tag("de_AT"));
/// ```
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// [`is_language_tag`] as an ECMA-262 regular expression.
pub const LANGUAGE_TAG_PATTERN: &str = "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

/// The first of the visitor's `wanted` language tags (most preferred first, any case) that
/// one of `available` matches, BCP 47 lookup style: the tag itself, else a shorter prefix of
/// it (`de-AT` → `de`); `None` when none matches.
///
/// ```
/// use parlo_model::locale::negotiate;
/// let available = ["en", "de", "pt-br"];
/// assert_eq!(negotiate(["de-AT", "fr"], available), Some("de"));
/// assert_eq!(negotiate(["ja", "PT-BR"], available), Some("pt-br"));
/// assert_eq!(negotiate(["ja"], available), None);
/// ```
pub fn negotiate<'a, 'w>(
    wanted: impl IntoIterator<Item = &'w str>,
    available: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    wanted.into_iter().find_map(|tag| {
        let mut tag = tag.trim().to_ascii_lowercase();
        loop {
            if let Some(found) = available
                .clone()
                .into_iter()
                .find(|a| a.eq_ignore_ascii_case(&tag))
            {
                return Some(found);
            }
            tag.truncate(tag.rfind('-')?);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_a_json_object_in_both_directions() {
        let strings: Strings = serde_json::from_str(r#"{"b": "2", "a": "1"}"#).unwrap();
        assert_eq!(strings.get("a", "x"), "1");
        assert_eq!(serde_json::to_string(&strings).unwrap(), r#"{"b":"2","a":"1"}"#);
    }
}
