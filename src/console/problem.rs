//! API errors as the console shows them: a problem's per-field `errors` next to their
//! inputs (by JSON pointer), everything else as one sentence next to the form or button that
//! caused it.

use crate::management::Error;

/// An error of a request, split for display.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    /// Field errors by JSON pointer (`/name`), as the problem's `errors` has them.
    pub fields: Vec<(String, String)>,
    /// What to show next to the form when no field explains it.
    pub general: Option<String>,
}

impl Shown {
    /// The message of the field at `pointer`, if any.
    pub fn field(&self, pointer: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(p, _)| p == pointer)
            .map(|(_, m)| m.clone())
    }
}

/// How `error` reads to a user: field errors where the problem has them, else its
/// `detail` (or title), a sentence for network failures and rate limits.
pub fn show(error: &Error) -> Shown {
    match error {
        Error::Api { problem, retry_after } => {
            let fields: Vec<(String, String)> = problem
                .errors
                .iter()
                .map(|e| (e.pointer.clone(), e.message.clone()))
                .collect();
            let general = if problem.status == 429 {
                Some(match retry_after {
                    Some(secs) => format!("Too many attempts; try again in {secs} seconds."),
                    None => "Too many attempts; try again later.".to_owned(),
                })
            } else if fields.is_empty() {
                Some(problem.detail.clone().unwrap_or_else(|| problem.title.clone()))
            } else {
                None
            };
            Shown { fields, general }
        }
        Error::Network(_) => Shown {
            general: Some("The server could not be reached. Check the connection and try again.".to_owned()),
            ..Shown::default()
        },
        other => Shown {
            general: Some(other.to_string()),
            ..Shown::default()
        },
    }
}
