//! The form's state and its reducer: values, which fields were left (blurred), the messages
//! shown, and where the submission stands.

use super::pattern::JsPatterns;
use super::queue::Outcome;
use parlo_model::form::{FieldType, FieldValue, PublicForm};
use parlo_model::problem::Problem;
use std::rc::Rc;
use yew::Reducible;

/// Where the form stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Status {
    /// The visitor fills it in.
    #[default]
    Editing,
    /// The first attempt is under way.
    Sending,
    /// Saved in the browser; sent when the server can be reached.
    Queued,
    /// The server has it.
    Sent,
    /// The server refused it; the message is shown above the submit button (per-field
    /// errors are on their fields).
    Failed(String),
}

/// Everything the form shows. `values`, `touched` and `errors` hold one entry per field of
/// the form, in its order (plain vectors: maps measured 8 KB brotli more in the bundle).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    /// The form, once fetched.
    pub form: Option<Rc<PublicForm>>,
    /// Fetching the form failed for good.
    pub unavailable: bool,
    /// Current value of each field (`None`: empty).
    pub values: Vec<Option<FieldValue>>,
    /// Fields the visitor has left once: their messages follow every keystroke from then on.
    pub touched: Vec<bool>,
    /// The message shown for each field (`None`: valid, or not checked yet).
    pub errors: Vec<Option<String>>,
    /// Value of the honeypot input (people never fill it).
    pub honeypot: String,
    /// Where the submission stands.
    pub status: Status,
    /// Idempotency key of the submission made, once submitted.
    pub key: Option<String>,
    /// Bumped when the focus must move to the first invalid field.
    pub focus_error: u32,
}

/// What happens to the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The form arrived: its defaults become the values.
    Loaded(Rc<PublicForm>),
    /// The form cannot be fetched.
    Unavailable,
    /// The visitor changed the field at this index (`None`: emptied it).
    Input(usize, Option<FieldValue>),
    /// The visitor left the field at this index.
    Blur(usize),
    /// The honeypot input changed.
    Honeypot(String),
    /// Submit was pressed with invalid fields: show every message and focus the first.
    Invalid,
    /// A valid submission of a preview: shown as sent, sent nowhere.
    Previewed,
    /// A valid submission with this idempotency key is on its way.
    Sending(String),
    /// News of the submission with this key.
    Outcome(String, Outcome),
}

impl FormState {
    /// The message for the field at `index` with its current value, if it is invalid.
    fn check(&self, index: usize) -> Option<String> {
        let field = self.form.as_ref()?.fields.get(index)?;
        let value = self.values.get(index).and_then(Option::as_ref);
        field
            .check_in(value, &JsPatterns, &self.form.as_ref()?.strings)
            .err()
    }

    /// The message of every invalid field (`None` for valid ones), in form order.
    pub fn all_errors(&self) -> Vec<Option<String>> {
        (0..self.values.len()).map(|i| self.check(i)).collect()
    }

    fn rejected(&mut self, problem: &Problem) {
        let mut on_fields = false;
        let fields = self.form.clone().map(|f| f.fields.clone()).unwrap_or_default();
        for error in &problem.errors {
            let name = error
                .pointer
                .strip_prefix("/values/")
                .map(|n| n.replace("~1", "/").replace("~0", "~"));
            if let Some(i) = name.and_then(|n| fields.iter().position(|f| f.name == n)) {
                self.touched[i] = true;
                self.errors[i] = Some(error.message.clone());
                on_fields = true;
            }
        }
        let message = if on_fields {
            let strings = self.form.as_ref().map(|f| &f.strings);
            let english = "Please check the fields marked in red.";
            strings
                .map_or(english, |s| s.get("form.check_fields", english))
                .to_owned()
        } else {
            problem.detail.clone().unwrap_or_else(|| problem.title.clone())
        };
        self.status = Status::Failed(message);
        self.key = None;
        self.focus_error += 1;
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loaded(form) => {
                next.values = form
                    .fields
                    .iter()
                    .map(|f| f.default.clone().filter(|_| f.kind != FieldType::Consent))
                    .collect();
                next.touched = vec![false; form.fields.len()];
                next.errors = vec![None; form.fields.len()];
                next.form = Some(form);
            }
            Action::Unavailable => next.unavailable = true,
            Action::Input(i, value) if i < next.values.len() => {
                next.values[i] = value;
                if next.touched[i] {
                    next.errors[i] = next.check(i);
                }
            }
            Action::Blur(i) if i < next.values.len() => {
                next.errors[i] = next.check(i);
                next.touched[i] = true;
            }
            Action::Input(..) | Action::Blur(_) => return self,
            Action::Honeypot(value) => next.honeypot = value,
            Action::Invalid => {
                next.errors = next.all_errors();
                next.touched = vec![true; next.values.len()];
                next.status = Status::Editing;
                next.focus_error += 1;
            }
            Action::Previewed => next.status = Status::Sent,
            Action::Sending(key) => {
                next.errors = vec![None; next.values.len()];
                next.key = Some(key);
                next.status = Status::Sending;
            }
            Action::Outcome(key, outcome) => {
                if next.key.as_deref() != Some(&key) {
                    return self;
                }
                match outcome {
                    Outcome::Sent(_) => next.status = Status::Sent,
                    Outcome::Queued => next.status = Status::Queued,
                    Outcome::Rejected(problem) => next.rejected(&problem),
                }
            }
        }
        Rc::new(next)
    }
}
