//! One option from radio buttons.

use super::ControlProps;
use parlo_model::form::FieldValue;
use yew::prelude::*;

/// Radio buttons, each in its `<label>`; the group is the field's `<fieldset>`. The first
/// button carries the field's `id` (for focus and the error's `aria-describedby`).
pub fn radio_group(props: &ControlProps) -> Html {
    let current = props.text();
    let options = props.field.options.iter().enumerate().map(|(i, o)| {
        let onchange = {
            let (props, value) = (props.clone(), o.value.clone());
            Callback::from(move |_: Event| {
                props.oninput.emit(Some(FieldValue::Text(value.clone())));
                props.onblur.emit(());
            })
        };
        html! {
            <label class="parlo-choice">
                <input
                    type="radio"
                    id={(i == 0).then(|| props.id.clone())}
                    name={props.field.name.clone()}
                    value={o.value.clone()}
                    checked={*current == o.value}
                    required={props.field.required}
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
