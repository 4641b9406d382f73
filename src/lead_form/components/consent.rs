//! A consent checkbox: its label is the consent text.

use super::ControlProps;
use parlo_model::form::FieldValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A checkbox with the consent text as its `<label>`, never pre-ticked (GDPR Recital 32).
pub fn consent(props: &ControlProps) -> Html {
    let onchange = {
        let props = props.clone();
        Callback::from(move |e: Event| {
            let ticked = e.target_unchecked_into::<HtmlInputElement>().checked();
            props.oninput.emit(ticked.then_some(FieldValue::Bool(true)));
            props.onblur.emit(());
        })
    };
    html! {
        <label class="parlo-choice parlo-consent">
            <input
                type="checkbox"
                id={props.id.clone()}
                name={props.field.name.clone()}
                checked={props.value == Some(FieldValue::Bool(true))}
                required={props.field.required}
                aria-invalid={props.invalid.then_some("true")}
                aria-describedby={props.describedby.clone()}
                {onchange}
            />
            <span>{ props.field.label.clone() }</span>
        </label>
    }
}
