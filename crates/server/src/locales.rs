//! The built-in catalogues of the widget's and the lead forms' strings (`locales/<tag>.json`,
//! one flat object key → text per language, compiled into the server), and the choice of a
//! visitor's language.
//!
//! The bundles carry only their English defaults; the public channel configuration and the
//! public form answer the strings of the language chosen here ([`resolve`]). The keys are
//! [`WIDGET_KEYS`] and [`FORM_KEYS`]; every catalogue holds each of them (tested below).

use parlo_model::locale::{FORM_KEYS, Strings, WIDGET_KEYS, negotiate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The language every bundle speaks without strings, and the one answered when none of the
/// visitor's matches.
pub const DEFAULT: &str = "en";

/// Each built-in language's tag and its catalogue's JSON text.
const SOURCES: [(&str, &str); 5] = [
    ("en", include_str!("../locales/en.json")),
    ("de", include_str!("../locales/de.json")),
    ("fr", include_str!("../locales/fr.json")),
    ("es", include_str!("../locales/es.json")),
    ("ar", include_str!("../locales/ar.json")),
];

/// Built-in languages with their catalogues, parsed once.
static CATALOGUES: LazyLock<Vec<(&'static str, BTreeMap<String, String>)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(tag, json)| {
            (
                *tag,
                serde_json::from_str(json).expect("a catalogue in locales/ is a flat JSON object of strings"),
            )
        })
        .collect()
});

/// The tags of the built-in languages.
pub fn built_in() -> impl Iterator<Item = &'static str> + Clone {
    SOURCES.iter().map(|(tag, _)| *tag)
}

/// Query of the public routes that answer strings: `?locale=de-AT,fr,en-US`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocaleQuery {
    /// The visitor's languages, most preferred first, comma-separated BCP 47 tags (e.g. the
    /// widget's `setLocale` tag, the page's `<html lang>`, then `navigator.languages`). The
    /// first one the server has strings for wins, a tag also matching by its prefix
    /// (`de-AT` → `de`); English when none does or the parameter is absent.
    pub locale: Option<String>,
}

/// Whose strings: the keys of the widget or of the forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `widget.*`.
    Widget,
    /// `form.*`.
    Form,
}

impl Part {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Part::Widget => &WIDGET_KEYS,
            Part::Form => &FORM_KEYS,
        }
    }
}

/// The language for the visitor's `wanted` tags (see [`LocaleQuery::locale`]) among the
/// built-in ones and those of `overrides`, and its strings of `part`: the built-in
/// catalogue's (none for English, the bundles' own), with `overrides` of that language over
/// them. A language only `overrides` has gets only those (English for the rest).
pub fn resolve(
    wanted: Option<&str>,
    part: Part,
    overrides: &BTreeMap<String, BTreeMap<String, String>>,
) -> (String, Strings) {
    let mut available: Vec<&str> = built_in().collect();
    available.extend(overrides.keys().map(String::as_str));
    let tags = wanted.unwrap_or("").split(',').filter(|t| !t.trim().is_empty());
    let locale = negotiate(tags, available.iter().copied())
        .unwrap_or(DEFAULT)
        .to_owned();
    let catalogue = (CATALOGUES.iter())
        .find(|(tag, _)| *tag == locale && locale != DEFAULT)
        .map(|(_, texts)| texts);
    let own = overrides.get(&locale);
    let strings = (part.keys().iter())
        .filter_map(|key| {
            let text = own.and_then(|o| o.get(*key)).or_else(|| catalogue?.get(*key))?;
            Some(((*key).to_owned(), text.clone()))
        })
        .collect();
    (locale, Strings(strings))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{…}` placeholders of `text`, in order.
    fn placeholders(text: &str) -> Vec<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(p, _)| p))
            .collect()
    }

    #[test]
    fn every_catalogue_has_every_key_with_the_english_placeholders() {
        let english = &CATALOGUES[0].1;
        let keys: Vec<&str> = WIDGET_KEYS.iter().chain(&FORM_KEYS).copied().collect();
        for (tag, texts) in CATALOGUES.iter() {
            let mut have: Vec<&str> = texts.keys().map(String::as_str).collect();
            let mut want = keys.clone();
            have.sort_unstable();
            want.sort_unstable();
            assert_eq!(have, want, "keys of locales/{tag}.json");
            for (key, text) in texts {
                assert_eq!(placeholders(text), placeholders(&english[key]), "{tag}: {key}");
            }
        }
    }

    #[test]
    fn the_first_wanted_language_with_strings_wins_by_prefix() {
        let none = BTreeMap::new();
        assert_eq!(resolve(Some("ja,de-AT,fr"), Part::Widget, &none).0, "de");
        assert_eq!(resolve(Some("ja"), Part::Widget, &none).0, "en");
        assert_eq!(
            resolve(None, Part::Form, &none),
            ("en".into(), Strings::default())
        );
        let (locale, strings) = resolve(Some("es-MX"), Part::Form, &none);
        assert_eq!(locale, "es");
        assert_eq!(strings.get("form.sent", "Sent."), "Enviado.");
        assert!(strings.0.iter().all(|(key, _)| key.starts_with("form.")));
    }

    #[test]
    fn owner_texts_win_and_add_languages() {
        let overrides: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_value(serde_json::json!({
                "de": {"widget.composer.send": "Los"},
                "he": {"widget.composer.send": "שלח"}
            }))
            .unwrap();
        let (_, de) = resolve(Some("de"), Part::Widget, &overrides);
        assert_eq!(de.get("widget.composer.send", "Send"), "Los");
        assert_eq!(de.get("widget.menu", "Menu"), "Menü");
        let (he, strings) = resolve(Some("he-IL"), Part::Widget, &overrides);
        assert_eq!((he.as_str(), strings.0.len()), ("he", 1));
    }
}
