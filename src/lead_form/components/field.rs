//! One field: its label (or legend), input, help text and error.

use super::{ControlProps, choice_group, consent, field_note, long_text, select_input, text_input};
use parlo_model::form::FieldType;
use yew::prelude::*;

/// Props of [`FormField`]: those of its input plus the message to show.
#[derive(Properties, PartialEq)]
pub struct FormFieldProps {
    /// The input's props (`invalid` and `describedby` are set here from `error`).
    pub control: ControlProps,
    /// The message for a wrong value.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A `<div class="parlo-field">` holding a `<label for>` and the input, or for radio
/// buttons and checkboxes a `<fieldset>` with a `<legend>`; the help text and the error are
/// tied to the input with `aria-describedby`. Required fields are marked with `*`
/// (`aria-hidden`: the input says `required`). Hidden fields draw nothing.
#[component]
pub fn FormField(props: &FormFieldProps) -> Html {
    let mut control = props.control.clone();
    let field = control.field.clone();
    if field.kind == FieldType::Hidden {
        return Html::default();
    }
    let id = control.id.clone();
    let help = field.help.clone().map(AttrValue::from);
    let ids: Vec<String> = [
        help.as_ref().map(|_| format!("{id}-h")),
        props.error.as_ref().map(|_| format!("{id}-e")),
    ]
    .into_iter()
    .flatten()
    .collect();
    control.invalid = props.error.is_some();
    control.describedby = (!ids.is_empty()).then(|| ids.join(" ").into());
    let star = field
        .required
        .then(|| html! { <span class="parlo-req" aria-hidden="true">{ " *" }</span> });
    let label = html! { <>{ field.label.clone() }{ star }</> };
    let note = field_note(&id, help.as_ref(), props.error.as_ref());
    match field.kind {
        FieldType::Radio | FieldType::Checkboxes => html! {
            <fieldset class="parlo-field parlo-group">
                <legend class="parlo-label">{ label }</legend>
                { choice_group(&control) }
                { note }
            </fieldset>
        },
        FieldType::Consent => html! {
            <div class="parlo-field">{ consent(&control) }{ note }</div>
        },
        kind => {
            let input = match kind {
                FieldType::LongText => long_text(&control),
                FieldType::Select => select_input(&control),
                _ => text_input(&control),
            };
            html! {
                <div class="parlo-field">
                    <label class="parlo-label" for={id}>{ label }</label>
                    { input }
                    { note }
                </div>
            }
        }
    }
}
