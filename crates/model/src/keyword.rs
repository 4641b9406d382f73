//! Keywords: visitor text that starts a flow, wherever the visitor is in the conversation
//! (Botcake's and ManyChat's keywords).
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/channels/{channel_id}/keywords` | → `Vec<Keyword>` in the order they are tried |
//! | POST | `/api/v1/channels/{channel_id}/keywords` | [`KeywordSettings`] → [`Keyword`], 201 (tried last) |
//! | GET | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | → [`Keyword`] |
//! | PUT | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | [`KeywordSettings`] → [`Keyword`] (replaced, same place) |
//! | DELETE | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | → 204 |
//!
//! Matching compares the visitor's text and each phrase after folding both: lower case,
//! accents removed (`Café` = `cafe`), every run of characters other than letters and digits
//! one space (the engine's `keyword` module). See [`KeywordMatch`] for the three rules.

use crate::flow::is_valid_id;
use crate::ids::FlowId;
use crate::problem::FieldError;
use crate::validate::{MemberRule, Rule, items};
use serde::{Deserialize, Serialize};

/// Most keywords of one channel.
pub const MAX_KEYWORDS: usize = 100;
/// Most phrases of one keyword.
pub const MAX_PHRASES: usize = 20;
/// Longest phrase, in characters.
pub const MAX_PHRASE_CHARS: usize = 100;

/// How a phrase must appear in the visitor's (folded) text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum KeywordMatch {
    /// The whole message is the phrase: `hours` matches "Hours?" but not "your hours".
    Exact,
    /// The phrase appears as whole words: `hours` matches "your opening hours?" but not
    /// "hourslong".
    #[default]
    Contains,
    /// The message begins with the phrase as whole words: `price` matches "price of a latte".
    StartsWith,
}

/// What an owner sets on a keyword (the body of create and replace).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"phrases": ["opening hours", "open today"], "match": "contains", "flow": "hours"}))))]
#[serde(deny_unknown_fields)]
pub struct KeywordSettings {
    /// 1..=20 phrases, each 1..=100 characters with at least one letter or digit.
    pub phrases: Vec<String>,
    /// How a phrase must appear in the visitor's text; `contains` when absent.
    #[serde(default, rename = "match")]
    pub match_rule: KeywordMatch,
    /// The flow started when a phrase matches (a flow of the workspace).
    pub flow: FlowId,
    /// Off: the keyword is kept but never matches. On when absent.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// A keyword of a channel: its id (`kw_` + 12 lower-case letters and digits) and settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Keyword {
    /// Id, unique in its channel, e.g. `kw_8d2k4m0qz7xa`.
    pub id: String,
    /// Phrases that start the flow.
    pub phrases: Vec<String>,
    /// How a phrase must appear in the visitor's text.
    #[serde(rename = "match")]
    pub match_rule: KeywordMatch,
    /// The flow it starts.
    pub flow: FlowId,
    /// Whether it matches at all.
    pub enabled: bool,
}

impl Keyword {
    /// The keyword `id` with `settings`.
    pub fn new(id: String, settings: KeywordSettings) -> Self {
        Self {
            id,
            phrases: settings.phrases,
            match_rule: settings.match_rule,
            flow: settings.flow,
            enabled: settings.enabled,
        }
    }
}

/// What [`KeywordSettings::validate`] checks, for the API document (a phrase's letter or
/// digit is not stated: JSON Schema patterns have no portable Unicode classes).
pub const SCHEMA_RULES: [MemberRule; 2] = [
    ("KeywordSettings", "phrases", items(1, MAX_PHRASES)),
    (
        "KeywordSettings",
        "phrases/items",
        Rule::Text {
            min: 1,
            max: MAX_PHRASE_CHARS,
            pattern: "",
        },
    ),
];

impl KeywordSettings {
    /// Every problem of the document: phrase count and lengths, phrases without a letter or
    /// digit (punctuation only), and the flow id's form. Whether the flow exists is the server's
    /// check.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.phrases.is_empty() || self.phrases.len() > MAX_PHRASES {
            errors.push(FieldError::new(
                "/phrases",
                format!("must list 1..={MAX_PHRASES} phrases"),
            ));
        }
        for (i, phrase) in self.phrases.iter().enumerate() {
            let n = phrase.chars().count();
            if n > MAX_PHRASE_CHARS || !phrase.chars().any(char::is_alphanumeric) {
                errors.push(FieldError::new(
                    format!("/phrases/{i}"),
                    format!("must be 1..={MAX_PHRASE_CHARS} characters with at least one letter or digit"),
                ));
            }
        }
        if !is_valid_id(self.flow.as_str()) {
            errors.push(FieldError::new(
                "/flow",
                "must be a flow id: 1..=64 of a-z, 0-9, _ and -",
            ));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_defaults_and_validate() {
        let s: KeywordSettings = serde_json::from_str(r#"{"phrases":["hours"],"flow":"hours"}"#).unwrap();
        assert_eq!(s.match_rule, KeywordMatch::Contains);
        assert!(s.enabled);
        assert!(s.validate().is_empty());
        let bad = KeywordSettings {
            phrases: vec!["ok".into(), "?!".into()],
            match_rule: KeywordMatch::Exact,
            flow: "Bad Flow".into(),
            enabled: true,
        };
        let pointers: Vec<_> = bad.validate().into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, ["/phrases/1", "/flow"]);
        assert!(
            serde_json::from_str::<KeywordSettings>(r#"{"phrases":["a"],"flow":"f","exact":true}"#).is_err()
        );
    }
}
