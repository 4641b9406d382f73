//! Event data as text: flattened to `path → value` pairs, and templates over them.

use parlo_engine::Profile;
use serde_json::Value;
use std::collections::BTreeMap;

/// Every scalar of `data` by its dot-separated path: strings as they are, numbers and
/// booleans as JSON; arrays of strings also joined with `, ` at their own path (besides
/// `path.0`, `path.1`, …); `null` and empty objects give nothing.
///
/// ```
/// use parlo_server::outbox::template::flatten;
/// let data = serde_json::json!({"values": {"name": "Ada", "topics": ["a", "b"]}, "n": 1});
/// let flat = flatten(&data);
/// assert_eq!(flat["values.name"], "Ada");
/// assert_eq!(flat["values.topics"], "a, b");
/// assert_eq!(flat["values.topics.1"], "b");
/// assert_eq!(flat["n"], "1");
/// ```
pub fn flatten(data: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(data, String::new(), &mut out);
    out
}

fn walk(value: &Value, path: String, out: &mut BTreeMap<String, String>) {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::String(s) => {
            out.insert(path, s.clone());
        }
        Value::Number(_) | Value::Bool(_) => {
            out.insert(path, value.to_string());
        }
        Value::Array(items) => {
            if let Some(strings) = items.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
                out.insert(path.clone(), strings.join(", "));
            }
            for (i, item) in items.iter().enumerate() {
                walk(item, child(&i.to_string()), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                walk(item, child(key), out);
            }
        }
    }
}

/// Renders a bot-text template (`{{values.name}}`, `{{values.name|there}}`; see
/// `parlo_engine::render`) whose names are paths of the flattened event data.
///
/// ```
/// use parlo_server::outbox::template::{flatten, render};
/// let flat = flatten(&serde_json::json!({"values": {"name": "Ada"}}));
/// assert_eq!(render("Hi {{values.name}}, {{values.phone|no phone}}", &flat), "Hi Ada, no phone");
/// ```
pub fn render(template: &str, flat: &BTreeMap<String, String>) -> String {
    let profile = Profile {
        fields: flat.clone(),
        ..Profile::default()
    };
    let vars = parlo_engine::Variables {
        profile: &profile,
        payload: &BTreeMap::new(),
        context: &parlo_engine::Context {
            seed: rand::random(),
            ..parlo_engine::Context::default()
        },
    };
    parlo_engine::render(template, &vars, &mut 0)
}
