//! The API's own words for serde's errors, so a 422 says what was expected ("must be a whole
//! number from 0 to 4294967295") instead of how the server is written ("expected u32",
//! "untagged enum IdOrName").
//!
//! serde's messages have fixed forms (`serde::de::Error`'s provided constructors:
//! `invalid type: {unexpected}, expected {expected}`, `invalid value: …`,
//! `invalid length …`, `unknown variant …`, `unknown field …`, `missing field …`, and
//! serde_derive's `data did not match any variant of untagged enum {name}`); anything else
//! is a message of our own `Deserialize` impls, already in the API's words, and kept.

/// One body error: what to add to the JSON pointer (the member a message is about), and the
/// message.
#[derive(Debug, PartialEq, Eq)]
pub struct Worded {
    /// A member name to append to the pointer (`missing field` names the member, while
    /// serde's path stops at the object holding it).
    pub member: Option<String>,
    /// The message, in the API's words.
    pub message: String,
}

/// Rewords serde error `message` (see the module docs).
pub fn reword(message: &str) -> Worded {
    let plain = |message: String| Worded {
        member: None,
        message,
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        return Worded {
            member: Some(unquote(rest).to_owned()),
            message: "is required".to_owned(),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        // serde_path_to_error's path already ends at the unknown member.
        let (name, expected) = rest.split_once(", ").unwrap_or((rest, ""));
        let members = match expected.strip_prefix("expected ") {
            Some(expected) => format!("expected {expected}"),
            None => "this object has no members".to_owned(),
        };
        return plain(format!("unknown member {name}; {members}"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (_, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return plain(format!("must be {expected}"));
    }
    if let Some(name) = message.strip_prefix("data did not match any variant of untagged enum ") {
        return plain(format!("must be {}", untagged(name)));
    }
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((_, expected)) = rest.rsplit_once(", expected ")
        {
            return plain(format!("must be {}", expected_words(expected)));
        }
    }
    plain(message.to_owned())
}

/// `` `name` `` → `name`.
fn unquote(quoted: &str) -> &str {
    quoted.trim().trim_matches('`')
}

/// What serde's `expected` part means on the wire (JSON types and ranges).
fn expected_words(expected: &str) -> String {
    let words = match expected {
        "a string" | "a borrowed string" | "a character" => "a string",
        "a boolean" => "true or false",
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" => "an array",
        "unit" => "null",
        "a map" => "an object",
        other if other.starts_with("struct ") || other.contains("tagged enum ") => "an object",
        other if other.starts_with("a sequence") || other.starts_with("an array") => "an array",
        other => return other.to_owned(),
    };
    words.to_owned()
}

/// The JSON shapes an untagged enum of the model takes, by its Rust name.
fn untagged(name: &str) -> &'static str {
    match name {
        "IdOrName" => "an id (a whole number) or a name (a string)",
        "FieldValue" => "a string, an array of strings or true/false",
        _ => "a value of one of the documented types",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parlo_model::tag::IdOrName;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Body {
        name: String,
        minutes: u32,
        tag: Option<IdOrName>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Text,
        Email,
    }

    fn message_of(json: &str) -> Worded {
        reword(
            &serde_json::from_str::<Body>(json)
                .unwrap_err()
                .to_string_without_position(),
        )
    }

    trait WithoutPosition {
        fn to_string_without_position(&self) -> String;
    }

    impl WithoutPosition for serde_json::Error {
        fn to_string_without_position(&self) -> String {
            let text = self.to_string();
            text.split(" at line ").next().unwrap_or(&text).to_owned()
        }
    }

    #[test]
    fn serde_internals_become_the_apis_words() {
        let cases = [
            (r#"{"minutes": 1}"#, Some("name"), "is required"),
            (
                r#"{"name": "a", "minutes": 1, "x": 1}"#,
                None,
                "unknown member `x`; expected one of `name`, `minutes`, `tag`, `kind`",
            ),
            (r#"{"name": 5, "minutes": 1}"#, None, "must be a string"),
            (
                r#"{"name": "a", "minutes": -1}"#,
                None,
                "must be a whole number from 0 to 4294967295",
            ),
            (
                r#"{"name": "a", "minutes": "1"}"#,
                None,
                "must be a whole number from 0 to 4294967295",
            ),
            (
                r#"{"name": "a", "minutes": 1, "tag": [1]}"#,
                None,
                "must be an id (a whole number) or a name (a string)",
            ),
            (
                r#"{"name": "a", "minutes": 1, "kind": "phone"}"#,
                None,
                "must be `text` or `email`",
            ),
        ];
        for (json, member, message) in cases {
            let worded = message_of(json);
            assert_eq!(worded.member.as_deref(), member, "{json}");
            assert_eq!(worded.message, message, "{json}");
        }
    }

    #[test]
    fn our_own_messages_are_kept() {
        assert_eq!(
            reword("must be 1..=100 characters").message,
            "must be 1..=100 characters"
        );
    }
}
