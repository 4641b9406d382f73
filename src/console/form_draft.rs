//! A form definition as the console's editor holds it: JSON text, read with the model's own
//! serde derives and checked with the model's own rules ([`Form::validate`], the code the
//! server runs on `POST`/`PUT /api/v1/forms`), each problem placed on the line of the member
//! it is about.

use crate::pattern::JsPatterns;
use parlo_model::form::Form;
use parlo_model::ids::FormId;

/// One problem of the draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// 1-based line of the text it is about.
    pub line: usize,
    /// JSON pointer of the member it is about (`/fields/0/label`); empty for a syntax error.
    pub pointer: String,
    /// What is wrong, as the model (or the server, or the JSON reader) says it.
    pub message: String,
}

/// The text the editor shows for `form`: pretty-printed JSON (two spaces, the model's member
/// order) without `published`, which the screen sets with its own button.
pub fn text_of(form: &Form) -> String {
    let text = serde_json::to_string_pretty(form).unwrap_or_default();
    // serde_json's pretty printer writes each top-level member on its own line indented by
    // two spaces: only the form's own `published` matches.
    text.lines()
        .filter(|l| !l.starts_with("  \"published\": "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A new form: an e-mail field; every other member takes its default.
const NEW_FORM: &str = r#"{"id":"contact","name":"Contact","fields":[
    {"name":"email","type":"email","label":"E-mail","required":true}]}"#;

/// The text of a new form: every setting with its default and one required e-mail field.
pub fn template() -> String {
    serde_json::from_str::<Form>(NEW_FORM).map_or_else(|_| NEW_FORM.to_owned(), |form| text_of(&form))
}

/// The form `text` says, `published` as given, or every problem found: a JSON or type
/// error (serde's message at its line), else every rule [`Form::validate`] finds broken
/// (patterns compiled by the browser's `RegExp`, as visitors' browsers will), and an `id`
/// other than `keep_id` (a saved form keeps its id).
pub fn read(text: &str, published: bool, keep_id: Option<&FormId>) -> Result<Form, Vec<Problem>> {
    let mut form: Form = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json ends its messages with " at line L column C"; the line is shown apart.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        vec![Problem {
            line: e.line().max(1),
            pointer: String::new(),
            message: format!("{message} (column {}).", e.column()),
        }]
    })?;
    form.published = published;
    let mut errors: Vec<(String, String)> = form
        .validate(&JsPatterns)
        .into_iter()
        .map(|e| (e.pointer, e.message))
        .collect();
    if let Some(id) = keep_id.filter(|id| **id != form.id) {
        errors.push((
            "/id".to_owned(),
            format!(
                "A saved form keeps its id (“{}”); create a new form for another id.",
                id.as_str()
            ),
        ));
    }
    if errors.is_empty() {
        Ok(form)
    } else {
        Err(placed(text, &errors))
    }
}

/// `errors` (JSON pointer, message), e.g. a 422's, each on the line of `text` where its
/// member is written, or where its nearest written parent is (a missing member: the object
/// that lacks it), in line order.
pub fn placed(text: &str, errors: &[(String, String)]) -> Vec<Problem> {
    let members = members(text);
    let line_of = |pointer: &str| {
        let mut p = pointer;
        loop {
            if let Some((_, line)) = members.iter().find(|(m, _)| m == p) {
                return *line;
            }
            match p.rsplit_once('/') {
                Some((parent, _)) => p = parent,
                None => return 1,
            }
        }
    };
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|(pointer, message)| Problem {
            line: line_of(pointer),
            pointer: pointer.clone(),
            message: message.clone(),
        })
        .collect();
    problems.sort_by_key(|p| p.line);
    problems
}

/// Every member and item of the JSON `text` as (JSON pointer, 1-based line where it starts);
/// the root is `""` on line 1. Text that is not JSON gives what was read before the fault.
fn members(text: &str) -> Vec<(String, usize)> {
    let mut walk = Walk {
        chars: text.chars().peekable(),
        line: 1,
        found: vec![(String::new(), 1)],
    };
    walk.value("");
    walk.found
}

/// A reader of JSON that only notes where members are (see [`members`]).
struct Walk<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    found: Vec<(String, usize)>,
}

impl Walk<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.next();
        if c == Some('\n') {
            self.line += 1;
        }
        c
    }

    fn skip_space(&mut self) -> Option<char> {
        while let Some(c) = self.chars.peek().copied() {
            if !c.is_whitespace() {
                return Some(c);
            }
            self.next();
        }
        None
    }

    /// A string (at its opening quote), unescaped enough for member names.
    fn string(&mut self) -> String {
        let mut s = String::new();
        self.next();
        while let Some(c) = self.next() {
            match c {
                '"' => break,
                '\\' => s.extend(self.next()),
                c => s.push(c),
            }
        }
        s
    }

    fn value(&mut self, pointer: &str) {
        match self.skip_space() {
            Some('{') => {
                self.next();
                while let Some(c) = self.skip_space() {
                    match c {
                        '}' => {
                            self.next();
                            return;
                        }
                        '"' => {
                            let line = self.line;
                            let key = self.string();
                            let key = key.replace('~', "~0").replace('/', "~1");
                            let member = format!("{pointer}/{key}");
                            self.found.push((member.clone(), line));
                            if self.skip_space() == Some(':') {
                                self.next();
                            }
                            self.value(&member);
                        }
                        ',' => {
                            self.next();
                        }
                        _ => return,
                    }
                }
            }
            Some('[') => {
                self.next();
                let mut index = 0;
                while let Some(c) = self.skip_space() {
                    match c {
                        ']' => {
                            self.next();
                            return;
                        }
                        ',' => {
                            self.next();
                        }
                        _ => {
                            let item = format!("{pointer}/{index}");
                            self.found.push((item.clone(), self.line));
                            index += 1;
                            self.value(&item);
                        }
                    }
                }
            }
            Some('"') => {
                self.string();
            }
            Some(_) => {
                // A number, `true`, `false` or `null` (at least one character, so that text
                // which is not JSON still ends the walk).
                self.next();
                while let Some(c) = self.chars.peek().copied() {
                    if c.is_whitespace() || matches!(c, ',' | ']' | '}') {
                        break;
                    }
                    self.next();
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "id": "quote",
  "name": "Quote",
  "fields": [
    {
      "name": "email",
      "type": "email",
      "label": ""
    },
    { "name": "ok", "type": "text", "label": "OK" }
  ]
}"#;

    #[test]
    fn members_are_found_on_their_lines() {
        let found = members(TEXT);
        let line = |p: &str| found.iter().find(|(m, _)| m == p).map(|(_, l)| *l);
        assert_eq!(line("/id"), Some(2));
        assert_eq!(line("/fields"), Some(4));
        assert_eq!(line("/fields/0"), Some(5));
        assert_eq!(line("/fields/0/label"), Some(8));
        assert_eq!(line("/fields/1/label"), Some(10));
    }

    #[test]
    fn a_missing_member_is_placed_on_its_parent() {
        let errors = [
            ("/fields/1/version".to_owned(), "Give a version.".to_owned()),
            ("/fields/0/label".to_owned(), "Give a label.".to_owned()),
        ];
        let lines: Vec<usize> = placed(TEXT, &errors).iter().map(|p| p.line).collect();
        assert_eq!(lines, [8, 10]);
    }

    #[test]
    fn the_template_reads_back_without_published() {
        let text = template();
        assert!(!text.contains("published"));
        let form: Form = serde_json::from_str(&text).expect("template");
        assert_eq!(form.id.as_str(), "contact");
    }
}
