//! Every wire type gets a TypeScript declaration (feature `ts`), and the declarations of
//! `pkg/client/parlo_client.d.ts` are valid TypeScript: no missing type, no name declared
//! twice, no reference to an undeclared `Value`.
//!
//! A type added with `#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]` needs the
//! `ts` derive on the next line. This command adds it wherever it is missing (idempotent):
//!
//! ```text
//! perl -0pi -e 's/^([ \t]*)(#\[cfg_attr\(feature = "openapi", derive\(utoipa::ToSchema\)\)\]\n)(?!\1#\[cfg_attr\(feature = "ts")/$1$2$1#[cfg_attr(feature = "ts", derive(tsify::Tsify))]\n/mg' crates/model/src/*.rs crates/model/src/*/*.rs
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const OPENAPI_DERIVE: &str = r#"#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]"#;
const TS_DERIVE: &str = r#"#[cfg_attr(feature = "ts", derive(tsify::Tsify)"#;

/// Every `.rs` file under `src/`, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

#[test]
fn every_openapi_type_has_a_typescript_declaration() {
    let mut missing = Vec::new();
    for (path, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim() == OPENAPI_DERIVE
                && !lines
                    .get(i + 1)
                    .is_some_and(|next| next.trim().starts_with(TS_DERIVE))
            {
                missing.push(format!("{}:{}", path.display(), i + 1));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "types without the `ts` derive (run the perl command in this file's docs):\n{}",
        missing.join("\n")
    );
}

#[test]
fn json_values_have_a_typescript_type() {
    // tsify would declare `serde_json::Value` as `Value`, which no declaration defines.
    let mut missing = Vec::new();
    for (path, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A field (`pub name: …` in structs, `name: …` in enum variants) whose type
            // mentions `serde_json::Value`, e.g. `BTreeMap<String, serde_json::Value>`.
            let field = line.trim_start().trim_start_matches("pub ");
            let is_field = field.split_once(": ").is_some_and(|(name, ty)| {
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !ty.starts_with('&')
            });
            if is_field && field.contains("serde_json::Value") && !field.contains("fn ") {
                // The field's attributes: the lines between its doc comment and it (an
                // attribute may span several lines).
                let attributes = lines[..i].iter().rev().take_while(|l| {
                    let l = l.trim_start();
                    !l.is_empty() && !l.starts_with("//") && !l.ends_with('{') && !l.ends_with("},")
                });
                if !attributes.into_iter().any(|a| a.contains(r#"tsify(type = "#)) {
                    missing.push(format!("{}:{}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "serde_json::Value fields need `#[cfg_attr(feature = \"ts\", tsify(type = \"…\"))]`:\n{}",
        missing.join("\n")
    );
}

#[test]
fn typescript_names_are_unique() {
    // Two Rust types of one name in different modules would be declared twice in the one
    // `.d.ts`; `tsify(rename = "…")` on one of them (and `tsify(type = "…")` where it is used)
    // gives it another TypeScript name.
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(ts) = line.trim().strip_prefix(TS_DERIVE) else {
                continue;
            };
            let renamed = ts
                .split_once(r#"tsify(rename = ""#)
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(name, _)| name.to_owned());
            let declared = lines[i..].iter().find_map(|l| {
                let l = l.trim_start();
                let rest = l
                    .strip_prefix("pub struct ")
                    .or_else(|| l.strip_prefix("pub enum "))?;
                // `$name`: the typed ids' macro, one declaration per id type.
                rest.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '$')
                    .next()
                    .map(str::to_owned)
            });
            let name = renamed.or(declared).unwrap_or_default();
            seen.entry(name)
                .or_default()
                .push(format!("{}:{}", path.display(), i + 1));
        }
    }
    let twice: Vec<String> = seen
        .iter()
        .filter(|(name, places)| places.len() > 1 && name.as_str() != "$name")
        .map(|(name, places)| format!("{name}: {}", places.join(", ")))
        .collect();
    assert!(
        twice.is_empty(),
        "TypeScript names declared twice:\n{}",
        twice.join("\n")
    );
}
