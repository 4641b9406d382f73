//! Values of custom fields and bot fields: checked against the field's [`FieldType`] and
//! stored as a canonical text (the `Subscriber.fields` wire shape maps names to strings).
//!
//! | type | accepts | stored as |
//! |---|---|---|
//! | `text` | string ≤ 1000 characters | the string |
//! | `long_text` | string ≤ 65 535 characters | the string |
//! | `number` | finite JSON number, or a string holding one (JSON grammar) | the JSON number, e.g. `42`, `2.5` |
//! | `boolean` | `true`/`false`, or those strings | `true` / `false` |
//! | `date` | `YYYY-MM-DD` (a real calendar day) | the string |
//! | `datetime` | RFC 3339 date-time with offset | UTC with milliseconds, e.g. `2026-11-21T09:30:00.000Z` |
//! | `array` | JSON array of ≤ 100 strings of ≤ 1000 characters; a lone string is one item | JSON, e.g. `["a","b"]` |

use crate::clock;
use crate::db;
use crate::db::custom_fields::{self, Table};
use crate::error::ApiResult;
use parlo_model::problem::FieldError;
use parlo_model::tag::{FieldType, FieldValue, IdOrName, MAX_BATCH};
use serde_json::Value;
use time::macros::format_description;

/// Longest `text` value (and array item), in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest `long_text` value, in characters.
pub const MAX_LONG_TEXT_CHARS: usize = 65_535;

fn text(s: &str, max: usize) -> Result<String, String> {
    if s.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else {
        Ok(s.to_owned())
    }
}

/// The canonical stored text of `value` for a field of type `field_type`, or what is
/// wrong with it (a message for a `validation_failed` field error).
pub fn canonical(field_type: FieldType, value: &Value) -> Result<String, String> {
    match (field_type, value) {
        (FieldType::Text, Value::String(s)) => text(s, MAX_TEXT_CHARS),
        (FieldType::LongText, Value::String(s)) => text(s, MAX_LONG_TEXT_CHARS),
        (FieldType::Number, Value::Number(n)) => Ok(n.to_string()),
        (FieldType::Number, Value::String(s)) => serde_json::from_str::<serde_json::Number>(s.trim())
            .map(|n| n.to_string())
            .map_err(|_| format!("'{s}' is not a number")),
        (FieldType::Boolean, Value::Bool(b)) => Ok(b.to_string()),
        (FieldType::Boolean, Value::String(s)) if s == "true" || s == "false" => Ok(s.clone()),
        (FieldType::Date, Value::String(s)) => {
            time::Date::parse(s, format_description!("[year]-[month]-[day]"))
                .map(|_| s.clone())
                .map_err(|_| format!("'{s}' is not a date YYYY-MM-DD"))
        }
        (FieldType::Datetime, Value::String(s)) => clock::parse_rfc3339(s)
            .ok_or_else(|| format!("'{s}' is not an RFC 3339 date-time in years 1..=9999")),
        (FieldType::Array, Value::String(s)) => {
            canonical(field_type, &Value::Array(vec![Value::String(s.clone())]))
        }
        (FieldType::Array, Value::Array(items)) => {
            if items.len() > MAX_BATCH {
                return Err(format!("must have at most {MAX_BATCH} items"));
            }
            for item in items {
                match item {
                    Value::String(s) => {
                        text(s, MAX_TEXT_CHARS)?;
                    }
                    _ => return Err("items must be strings".to_owned()),
                }
            }
            Ok(Value::Array(items.clone()).to_string())
        }
        (t, _) => Err(format!("expected a {} value", t.as_str())),
    }
}

/// Values of a request resolved against a table of field definitions.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Field ids with their canonical new value, or `None` to clear.
    pub values: Vec<(i64, Option<String>)>,
    /// References to fields the workspace lacks, with their pointers.
    pub unknown: Vec<(String, IdOrName)>,
    /// Values their field's type refuses, with their pointers.
    pub errors: Vec<FieldError>,
}

/// Resolves `items` (at `{prefix}/{i}`) against the workspace's fields of `table`: each
/// field must exist (else it is `unknown`), each value is made [`canonical`] (`null`
/// clears).
pub async fn resolve(
    conn: &mut db::Connection,
    table: Table,
    workspace_id: i64,
    prefix: &str,
    items: &[FieldValue],
) -> ApiResult<Resolved> {
    let mut resolved = Resolved::default();
    for (i, item) in items.iter().enumerate() {
        let Some(field) = custom_fields::find_in(conn, table, workspace_id, &item.field).await? else {
            resolved
                .unknown
                .push((format!("{prefix}/{i}/field"), item.field.clone()));
            continue;
        };
        if item.value.is_null() {
            resolved.values.push((field.id, None));
            continue;
        }
        match canonical(field.field_type, &item.value) {
            Ok(value) => resolved.values.push((field.id, Some(value))),
            Err(message) => resolved
                .errors
                .push(FieldError::new(format!("{prefix}/{i}/value"), message)),
        }
    }
    Ok(resolved)
}

/// One error per unknown `kind` (e.g. `tag`) of `unknown`, at its JSON pointer: a reference
/// inside a body that names nothing is bad input (422), while 404 stays for the resource
/// the path names.
pub fn unknown_errors(kind: &str, unknown: &[(String, IdOrName)]) -> Vec<FieldError> {
    unknown
        .iter()
        .map(|(pointer, reference)| FieldError::new(pointer.clone(), format!("no {kind} {reference}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_checked_and_made_canonical() {
        let ok = |t, v: Value| canonical(t, &v).unwrap();
        let bad = |t, v: Value| canonical(t, &v).unwrap_err();
        assert_eq!(ok(FieldType::Number, json!(42)), "42");
        assert_eq!(ok(FieldType::Number, json!(" 2.5 ")), "2.5");
        bad(FieldType::Number, json!("12abc"));
        bad(FieldType::Number, json!(true));
        assert_eq!(ok(FieldType::Boolean, json!(false)), "false");
        bad(FieldType::Boolean, json!("yes"));
        assert_eq!(ok(FieldType::Date, json!("2024-02-29")), "2024-02-29");
        bad(FieldType::Date, json!("2023-02-29"));
        assert_eq!(
            ok(FieldType::Datetime, json!("2026-11-21T10:30:00+01:00")),
            "2026-11-21T09:30:00.000Z"
        );
        bad(FieldType::Datetime, json!("2026-11-21 10:30"));
        bad(FieldType::Datetime, json!("0000-01-01T00:00:00+01:00"));
        assert_eq!(ok(FieldType::Array, json!(["a", "b"])), r#"["a","b"]"#);
        assert_eq!(ok(FieldType::Array, json!("a")), r#"["a"]"#);
        bad(FieldType::Array, json!([1]));
        bad(FieldType::Text, json!("x".repeat(1001)));
        assert_eq!(ok(FieldType::LongText, json!("x".repeat(1001))).len(), 1001);
        bad(FieldType::Text, json!(1));
    }
}
