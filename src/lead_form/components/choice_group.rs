//! One option from radio buttons, or any of several from checkboxes.

use super::ControlProps;
use parlo_model::form::{FieldType, FieldValue};
use yew::prelude::*;

/// Radio buttons (one value) or, for a `checkboxes` field, checkboxes (the list of ticked
/// option values, in option order), each in its `<label>`; the group is the field's
/// `<fieldset>`. The first input carries the field's `id` (for focus and the error's
/// `aria-describedby`).
pub fn choice_group(props: &ControlProps) -> Html {
    let multiple = props.field.kind == FieldType::Checkboxes;
    let ticked: Vec<String> = match &props.value {
        Some(FieldValue::List(l)) => l.clone(),
        Some(FieldValue::Text(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let options = props.field.options.iter().enumerate().map(|(i, o)| {
        let onchange = {
            let (props, value, ticked) = (props.clone(), o.value.clone(), ticked.clone());
            Callback::from(move |_: Event| {
                let value = if multiple {
                    let list: Vec<String> = props
                        .field
                        .options
                        .iter()
                        .map(|o| &o.value)
                        .filter(|v| (**v == value) != ticked.contains(v))
                        .cloned()
                        .collect();
                    (!list.is_empty()).then_some(FieldValue::List(list))
                } else {
                    Some(FieldValue::Text(value.clone()))
                };
                props.oninput.emit(value);
                props.onblur.emit(());
            })
        };
        html! {
            <label class="parlo-choice">
                <input
                    type={if multiple { "checkbox" } else { "radio" }}
                    id={(i == 0).then(|| props.id.clone())}
                    name={props.field.name.clone()}
                    value={o.value.clone()}
                    checked={ticked.contains(&o.value)}
                    required={!multiple && props.field.required}
                    aria-invalid={props.invalid.then_some("true")}
                    aria-describedby={props.describedby.clone()}
                    {onchange}
                />
                <span>{ o.label.clone() }</span>
            </label>
        }
    });
    html! { <>{ for options }</> }
}
