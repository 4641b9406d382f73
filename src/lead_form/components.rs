//! The form's pieces: the [`FormField`] component (label or legend, input, notes) and one
//! view function per field kind, for the notes and for the honeypot. (Plain functions, not
//! components: each yew component costs about 1 KB brotli in the bundle, and these have no
//! state of their own; [`FormField`] is the unit yew compares and re-renders.)

mod choice_group;
mod consent;
mod field;
mod field_note;
mod honeypot;
mod long_text;
mod select_input;
mod text_input;

pub use choice_group::choice_group;
pub use consent::consent;
pub use field::{FormField, FormFieldProps};
pub use field_note::field_note;
pub use honeypot::honeypot;
pub use long_text::long_text;
pub use select_input::select_input;
pub use text_input::text_input;

use parlo_model::form::{Field, FieldValue};
use std::rc::Rc;
use yew::{AttrValue, Callback, Properties};

/// What every input view gets.
#[derive(Properties, PartialEq, Clone)]
pub struct ControlProps {
    /// The field drawn.
    pub field: Rc<Field>,
    /// `id` of the input (or of the group's first input).
    pub id: AttrValue,
    /// The current value (`None`: empty).
    #[prop_or_default]
    pub value: Option<FieldValue>,
    /// Whether a message says the value is wrong (`aria-invalid`).
    #[prop_or_default]
    pub invalid: bool,
    /// Ids of the help and error texts (`aria-describedby`).
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    /// The value changed (`None`: emptied).
    pub oninput: Callback<Option<FieldValue>>,
    /// The visitor left the input.
    pub onblur: Callback<()>,
}

impl ControlProps {
    /// The value as text (empty when none).
    pub fn text(&self) -> AttrValue {
        match &self.value {
            Some(FieldValue::Text(s)) => s.clone().into(),
            _ => AttrValue::default(),
        }
    }

    /// Emits text input: empty text is no value.
    pub fn emit_text(&self, text: String) {
        self.oninput
            .emit((!text.is_empty()).then_some(FieldValue::Text(text)));
    }
}
