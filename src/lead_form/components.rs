//! The form's pieces: one component per field kind, the notes under a field, the field
//! frame (label or legend), the honeypot.

mod checkboxes;
mod consent;
mod field;
mod field_note;
mod honeypot;
mod long_text;
mod radio_group;
mod select_input;
mod text_input;

pub use checkboxes::Checkboxes;
pub use consent::Consent;
pub use field::FormField;
pub use field_note::FieldNote;
pub use honeypot::Honeypot;
pub use long_text::LongText;
pub use radio_group::RadioGroup;
pub use select_input::SelectInput;
pub use text_input::TextInput;

use parlo_model::form::{Field, FieldValue};
use std::rc::Rc;
use yew::{AttrValue, Callback, Properties};

/// Props of every input component.
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
