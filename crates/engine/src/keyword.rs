//! Keywords: which flow, if any, a visitor text starts (rules in [`parlo_model::keyword`]).

use parlo_model::ids::FlowId;
use parlo_model::keyword::{Keyword, KeywordMatch};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds `s` for comparison: lower case, canonical decomposition (Unicode NFD) without its
/// combining marks (`é` → `e`), and every run of characters other than letters and digits one
/// space, trimmed: `"Café — OPEN?"` → `"cafe open"`.
pub(crate) fn fold(s: &str) -> String {
    let bare: String = s.nfd().filter(|c| !is_combining_mark(*c)).collect();
    bare.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether folded `phrase` matches folded `text` under `rule`.
fn matches(rule: KeywordMatch, text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    match rule {
        KeywordMatch::Exact => text == phrase,
        KeywordMatch::StartsWith => text == phrase || text.starts_with(&format!("{phrase} ")),
        KeywordMatch::Contains => format!(" {text} ").contains(&format!(" {phrase} ")),
    }
}

/// The flow of the first enabled keyword (in order) with a phrase that matches `text`.
pub(crate) fn match_keyword<'a>(keywords: &'a [Keyword], text: &str) -> Option<&'a FlowId> {
    let text = fold(text);
    keywords
        .iter()
        .filter(|k| k.enabled)
        .find(|k| k.phrases.iter().any(|p| matches(k.match_rule, &text, &fold(p))))
        .map(|k| &k.flow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword(phrases: &[&str], flow: &str, match_rule: KeywordMatch) -> Keyword {
        Keyword {
            id: format!("kw_{flow}"),
            phrases: phrases.iter().map(|k| k.to_string()).collect(),
            match_rule,
            flow: flow.into(),
            enabled: true,
        }
    }

    fn flow<'a>(k: &'a [Keyword], text: &str) -> Option<&'a str> {
        match_keyword(k, text).map(FlowId::as_str)
    }

    #[test]
    fn fold_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Café — OPEN?"), "cafe open");
        assert_eq!(fold("  Crème BRÛLÉE!! "), "creme brulee");
        assert_eq!(fold("?!"), "");
        assert_eq!(fold("営業時間"), "営業時間", "other scripts are kept");
    }

    #[test]
    fn each_rule_matches_whole_words() {
        let k = [
            keyword(&["opening hours", "open"], "hours", KeywordMatch::Contains),
            keyword(&["hi"], "welcome", KeywordMatch::Exact),
            keyword(&["price"], "menu", KeywordMatch::StartsWith),
        ];
        assert_eq!(flow(&k, "What are your OPENING hours?"), Some("hours"));
        assert_eq!(flow(&k, "are you ópen today"), Some("hours"), "accents fold");
        assert_eq!(flow(&k, "reopened"), None, "no match inside words");
        assert_eq!(flow(&k, "Hi!"), Some("welcome"));
        assert_eq!(flow(&k, "hi there"), None, "exact needs the whole message");
        assert_eq!(flow(&k, "Price of a latte?"), Some("menu"));
        assert_eq!(flow(&k, "PRICE"), Some("menu"));
        assert_eq!(flow(&k, "what price"), None, "starts_with needs the start");
        assert_eq!(flow(&k, "pricey"), None);
    }

    #[test]
    fn disabled_keywords_never_match_and_order_decides() {
        let mut k = [
            keyword(&["open"], "first", KeywordMatch::Contains),
            keyword(&["open"], "second", KeywordMatch::Contains),
        ];
        assert_eq!(flow(&k, "open?"), Some("first"));
        k[0].enabled = false;
        assert_eq!(flow(&k, "open?"), Some("second"));
    }
}
