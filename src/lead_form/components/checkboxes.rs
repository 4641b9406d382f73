//! Any of several options.

use super::ControlProps;
use parlo_model::form::FieldValue;
use yew::prelude::*;

/// Checkboxes, each in its `<label>`; the group is the field's `<fieldset>`. The value is the
/// list of ticked option values, in option order.
pub fn checkboxes(props: &ControlProps) -> Html {
    let ticked: Vec<String> = match &props.value {
        Some(FieldValue::List(l)) => l.clone(),
        _ => Vec::new(),
    };
    let options = props.field.options.iter().enumerate().map(|(i, o)| {
        let checked = ticked.contains(&o.value);
        let onchange = {
            let (props, value, ticked) = (props.clone(), o.value.clone(), ticked.clone());
            Callback::from(move |_: Event| {
                let list: Vec<String> = props
                    .field
                    .options
                    .iter()
                    .map(|o| &o.value)
                    .filter(|v| (**v == value) != ticked.contains(v))
                    .cloned()
                    .collect();
                props
                    .oninput
                    .emit((!list.is_empty()).then_some(FieldValue::List(list)));
                props.onblur.emit(());
            })
        };
        html! {
            <label class="parlo-choice">
                <input
                    type="checkbox"
                    id={(i == 0).then(|| props.id.clone())}
                    name={props.field.name.clone()}
                    value={o.value.clone()}
                    {checked}
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
