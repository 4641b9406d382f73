//! The form's state and its reducer: values, which fields were left (blurred), the messages
//! shown, and where the submission stands.

use super::pattern::JsPatterns;
use super::queue::Outcome;
use parlo_model::form::{FieldType, FieldValue, PublicForm};
use parlo_model::problem::Problem;
use std::collections::{BTreeMap, BTreeSet};
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

/// Everything the form shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    /// The form, once fetched.
    pub form: Option<Rc<PublicForm>>,
    /// Fetching the form failed for good.
    pub unavailable: bool,
    /// Current values by field name (empty ones absent).
    pub values: BTreeMap<String, FieldValue>,
    /// Fields the visitor has left once: their messages follow every keystroke from then on.
    pub touched: BTreeSet<String>,
    /// The message shown for each invalid field.
    pub errors: BTreeMap<String, String>,
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
    /// The visitor changed a field (`None`: emptied it).
    Input(String, Option<FieldValue>),
    /// The visitor left a field.
    Blur(String),
    /// The honeypot input changed.
    Honeypot(String),
    /// Submit was pressed with invalid fields: show every message and focus the first.
    Invalid,
    /// A valid submission with this idempotency key is on its way.
    Sending(String),
    /// News of the submission with this key.
    Outcome(String, Outcome),
}

impl FormState {
    /// The message for field `name` with its current value, if it is invalid.
    fn check(&self, name: &str) -> Option<String> {
        let form = self.form.as_ref()?;
        let field = form.fields.iter().find(|f| f.name == name)?;
        field.check(self.values.get(name), &JsPatterns).err()
    }

    /// The message of every invalid field, in form order.
    pub fn all_errors(&self) -> BTreeMap<String, String> {
        let names = self.form.iter().flat_map(|f| f.fields.iter().map(|f| &f.name));
        names
            .filter_map(|name| Some((name.clone(), self.check(name)?)))
            .collect()
    }

    fn recheck(&mut self, name: &str) {
        match self.check(name) {
            Some(message) => self.errors.insert(name.to_owned(), message),
            None => self.errors.remove(name),
        };
    }

    fn rejected(&mut self, problem: &Problem) {
        let mut on_fields = false;
        for error in &problem.errors {
            if let Some(name) = error.pointer.strip_prefix("/values/") {
                let name = name.replace("~1", "/").replace("~0", "~");
                self.touched.insert(name.clone());
                self.errors.insert(name, error.message.clone());
                on_fields = true;
            }
        }
        let message = if on_fields {
            "Please check the fields marked in red.".to_owned()
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
                    .filter(|f| f.kind != FieldType::Consent)
                    .filter_map(|f| Some((f.name.clone(), f.default.clone()?)))
                    .collect();
                next.form = Some(form);
            }
            Action::Unavailable => next.unavailable = true,
            Action::Input(name, value) => {
                match value {
                    Some(value) => next.values.insert(name.clone(), value),
                    None => next.values.remove(&name),
                };
                if next.touched.contains(&name) {
                    next.recheck(&name);
                }
            }
            Action::Blur(name) => {
                next.recheck(&name);
                next.touched.insert(name);
            }
            Action::Honeypot(value) => next.honeypot = value,
            Action::Invalid => {
                next.errors = next.all_errors();
                next.touched.extend(next.errors.keys().cloned());
                next.status = Status::Editing;
                next.focus_error += 1;
            }
            Action::Sending(key) => {
                next.errors.clear();
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
