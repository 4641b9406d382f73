//! A flow document checked as the owner types it, with the model's own rules (the code the
//! server runs, compiled into the console), each problem placed at its line of the text.
//!
//! - The text is read as a [`Flow`] by serde (as the API reads a request body): a JSON
//!   syntax error or a member of the wrong shape is placed at the line and column serde
//!   reports;
//! - a document that reads is checked by [`Flow::validate`] and, against the workspace's
//!   flows, [`check_flow_refs`] (as `PUT /api/v1/flows/{id}` does), whose problems carry JSON
//!   pointers ([`place`] finds their lines).
//!
//! What needs the server's records (tags, custom fields, channels and webhook endpoints a
//! flow reads) is checked by the server only; its 422 `errors` are placed the same way.

use parlo_model::flow::{Flow, check_flow_refs};
use parlo_model::ids::FlowId;
use parlo_model::problem::FieldError;

/// One problem of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Its line, from 1.
    pub line: usize,
    /// Its column, from 1, when known (JSON syntax and shape errors).
    pub column: Option<usize>,
    /// The JSON pointer of the value it is about (`/steps/greet/text`); empty for syntax
    /// errors and the document as a whole.
    pub pointer: String,
    /// What is wrong, in the API's words.
    pub message: String,
}

/// Reads `text` as the document of flow `id` and checks it: the flow, or every problem
/// found (see the module). `known` are the workspace's flow ids (the flow itself may refer
/// to itself). Its `id` must stay `id`, as `PUT /api/v1/flows/{id}` requires of the URL's.
pub fn check(text: &str, id: &FlowId, known: &[FlowId]) -> Result<Flow, Vec<Problem>> {
    let flow: Flow = serde_json::from_str(text).map_err(|e| vec![syntax(text, &e)])?;
    let mut errors = flow.validate();
    if &flow.id != id {
        errors.push(FieldError::new(
            "/id",
            format!("must equal the flow id of the URL, '{id}'"),
        ));
    }
    errors.extend(check_flow_refs(&flow, |f| f == &flow.id || known.contains(f)));
    if errors.is_empty() {
        Ok(flow)
    } else {
        Err(place(text, &errors))
    }
}

/// The problem of a serde error: at its line and column (the last line when serde gives
/// none), its message without serde's " at line … column …".
fn syntax(text: &str, error: &serde_json::Error) -> Problem {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    let line = match error.line() {
        0 => text.lines().count().max(1),
        n => n,
    };
    Problem {
        line,
        column: (error.column() > 0).then_some(error.column()),
        pointer: String::new(),
        message: format!("Not valid JSON for a flow: {message}"),
    }
}

/// `errors` (JSON pointer, message) placed at their lines of `text`: the line of the
/// member or item the pointer names, or of its nearest parent found there (line 1 for the
/// document, or when the text does not read). In line order, as they come within a line.
pub fn place(text: &str, errors: &[FieldError]) -> Vec<Problem> {
    let spots = locate(text);
    let mut placed: Vec<Problem> = errors
        .iter()
        .map(|e| {
            let mut pointer = e.pointer.as_str();
            let offset = loop {
                if let Some((_, at)) = spots.iter().find(|(p, _)| p == pointer) {
                    break *at;
                }
                match pointer.rfind('/') {
                    Some(cut) => pointer = &pointer[..cut],
                    None => break 0,
                }
            };
            Problem {
                line: text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1,
                column: None,
                pointer: e.pointer.clone(),
                message: e.message.clone(),
            }
        })
        .collect();
    placed.sort_by_key(|p| p.line);
    placed
}

/// Escapes a JSON pointer reference token (RFC 6901 §3).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer of every member and item of the JSON `text` with the byte offset where
/// it starts (a member at its key). Reads any text without failing: what is not JSON is
/// skipped over.
fn locate(text: &str) -> Vec<(String, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        found: vec![(String::new(), 0)],
    };
    scanner.value("");
    scanner.found
}

/// A reader of JSON text for [`locate`].
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    found: Vec<(String, usize)>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    /// A value whose pointer is `at`; consumes nothing before `,`, `]`, `}` or the end.
    fn value(&mut self, at: &str) {
        self.blanks();
        match self.peek() {
            Some(b'{') => self.object(at),
            Some(b'[') => self.array(at),
            Some(b'"') => {
                self.string();
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.at += 1;
                }
            }
        }
    }

    fn object(&mut self, at: &str) {
        self.at += 1;
        loop {
            self.blanks();
            match self.peek() {
                None => return,
                Some(b'}') => {
                    self.at += 1;
                    return;
                }
                Some(b'"') => {
                    let start = self.at;
                    let key = self.string();
                    let pointer = format!("{at}/{}", token(&key));
                    self.found.push((pointer.clone(), start));
                    self.blanks();
                    if self.peek() == Some(b':') {
                        self.at += 1;
                    }
                    self.value(&pointer);
                }
                // `,` between members, or anything out of place: skipped.
                Some(_) => self.at += 1,
            }
        }
    }

    fn array(&mut self, at: &str) {
        self.at += 1;
        let mut index = 0;
        loop {
            self.blanks();
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.at += 1;
                    return;
                }
                Some(b',' | b'}' | b':') => self.at += 1,
                Some(_) => {
                    let pointer = format!("{at}/{index}");
                    self.found.push((pointer.clone(), self.at));
                    index += 1;
                    let before = self.at;
                    self.value(&pointer);
                    if self.at == before {
                        self.at += 1;
                    }
                }
            }
        }
    }

    /// A string starting at `"`, decoded (JSON escapes; an unpaired surrogate becomes
    /// U+FFFD); stops at the end of the text when it is not closed.
    fn string(&mut self) -> String {
        self.at += 1;
        let mut bytes = Vec::new();
        let mut units: Vec<u16> = Vec::new();
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let escaped = self.peek();
                    self.at += 1;
                    let plain = match escaped {
                        Some(b'n') => b'\n',
                        Some(b't') => b'\t',
                        Some(b'r') => b'\r',
                        Some(b'b') => 8,
                        Some(b'f') => 12,
                        Some(b'u') => {
                            let hex = self.bytes.get(self.at..self.at + 4).unwrap_or_default();
                            self.at += hex.len();
                            let unit = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u16::from_str_radix(h, 16).ok())
                                .unwrap_or(0xFFFD);
                            units.push(unit);
                            continue;
                        }
                        Some(other) => other,
                        None => break,
                    };
                    flush(&mut units, &mut bytes);
                    bytes.push(plain);
                    continue;
                }
                _ => {}
            }
            flush(&mut units, &mut bytes);
            bytes.push(b);
        }
        flush(&mut units, &mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Appends the UTF-16 code units of `\u` escapes read so far to `bytes` as UTF-8.
fn flush(units: &mut Vec<u16>, bytes: &mut Vec<u8>) {
    for c in char::decode_utf16(units.drain(..)) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = r#"{
  "id": "welcome",
  "name": "Welcome",
  "start": "greet",
  "steps": {
    "greet": {
      "type": "message",
      "text": "",
      "buttons": [
        { "title": "Hours", "flow": "hours" },
        { "title": "Ask", "next": "nowhere" }
      ]
    },
    "a\/b~": { "type": "goto", "step": "greet" }
  }
}"#;

    #[test]
    fn problems_are_at_the_lines_of_their_members() {
        let problems = check(FLOW, &FlowId::from("welcome"), &[FlowId::from("hours")]).expect_err("invalid");
        let at: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.pointer.as_str())).collect();
        assert_eq!(
            at,
            [
                (8, "/steps/greet/text"),
                (11, "/steps/greet/buttons/1/next"),
                (14, "/steps/a~1b~0"),
            ]
        );
        let unknown = check(FLOW, &FlowId::from("welcome"), &[]).expect_err("invalid");
        assert!(
            unknown
                .iter()
                .any(|p| p.line == 10 && p.message.contains("'hours'"))
        );
    }

    #[test]
    fn pointers_escape_keys_and_fall_back_to_parents() {
        let errors = [
            FieldError::new("/steps/a~1b~0", "odd"),
            FieldError::new("/steps/greet/buttons/0/url", "missing here"),
            FieldError::new("", "whole"),
        ];
        let lines: Vec<usize> = place(FLOW, &errors).iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 10, 14]);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let problems = check(
            "{\n  \"id\": \"x\",\n  \"name\" \"X\"\n}",
            &FlowId::from("x"),
            &[],
        )
        .expect_err("invalid");
        assert_eq!((problems[0].line, problems[0].column), (3, Some(10)));
        assert!(
            problems[0]
                .message
                .starts_with("Not valid JSON for a flow: expected `:`")
        );
        let shape = check("{\"id\": 1}", &FlowId::from("x"), &[]).expect_err("invalid");
        assert_eq!(shape[0].line, 1);
    }

    #[test]
    fn any_text_is_scanned_without_failing() {
        for text in [
            "",
            "{",
            "[1,,]",
            "{\"a\":[}",
            "\"\\u12",
            "}}]]",
            "{\"a\" 1 \"b\": {\"c\": 2}}",
        ] {
            let _ = locate(text);
        }
        let spots = locate("{\"a\" 1 \"b\": {\"c\": 2}}");
        assert!(spots.iter().any(|(p, _)| p == "/b/c"));
    }
}
