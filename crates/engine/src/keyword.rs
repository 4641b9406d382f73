//! Keyword triggers: which flow, if any, a visitor text starts.

use parlo_model::flow::KeywordTrigger;
use parlo_model::ids::FlowId;

/// Lower-cases `s` and turns every run of non-alphanumeric characters into one space, so
/// `"Opening hours?!"` and `"opening  hours"` compare equal.
fn normalise(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The flow of the first trigger (in order) whose keyword matches `text`.
pub(crate) fn match_keyword<'a>(triggers: &'a [KeywordTrigger], text: &str) -> Option<&'a FlowId> {
    let text = normalise(text);
    let padded = format!(" {text} ");
    triggers.iter().find_map(|t| {
        t.keywords
            .iter()
            .map(|k| normalise(k))
            .filter(|k| !k.is_empty())
            .any(|k| {
                if t.exact {
                    text == k
                } else {
                    padded.contains(&format!(" {k} "))
                }
            })
            .then_some(&t.flow)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(keywords: &[&str], flow: &str, exact: bool) -> KeywordTrigger {
        KeywordTrigger {
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            flow: flow.into(),
            exact,
        }
    }

    #[test]
    fn matches_whole_words_ignoring_case_and_punctuation() {
        let t = [
            trigger(&["opening hours", "open"], "hours", false),
            trigger(&["hi"], "welcome", true),
        ];
        assert_eq!(
            match_keyword(&t, "What are your OPENING hours?")
                .unwrap()
                .as_str(),
            "hours"
        );
        assert_eq!(match_keyword(&t, "are you open today").unwrap().as_str(), "hours");
        assert!(match_keyword(&t, "reopened").is_none(), "no match inside words");
        assert_eq!(match_keyword(&t, "Hi!").unwrap().as_str(), "welcome");
        assert!(
            match_keyword(&t, "hi there").is_none(),
            "exact needs the whole message"
        );
    }
}
