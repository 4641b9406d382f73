//! One option from a drop-down.

use super::ControlProps;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A `<select>` whose first, empty option reads the field's placeholder ([`LeadForm`](crate::lead_form::LeadForm)
/// gives one that has none "Choose…" in the form's language).
pub fn select_input(props: &ControlProps) -> Html {
    let current = props.text();
    let onchange = {
        let props = props.clone();
        Callback::from(move |e: Event| {
            props.emit_text(e.target_unchecked_into::<HtmlSelectElement>().value());
            props.onblur.emit(());
        })
    };
    let placeholder = props.field.placeholder.clone().unwrap_or_default();
    html! {
        <select
            class="parlo-field-input"
            id={props.id.clone()}
            name={props.field.name.clone()}
            required={props.field.required}
            aria-invalid={props.invalid.then_some("true")}
            aria-describedby={props.describedby.clone()}
            {onchange}
            onblur={props.onblur.reform(|_| ())}
        >
            <option value="" selected={current.is_empty()}>{ placeholder }</option>
            { for props.field.options.iter().map(|o| html! {
                <option value={o.value.clone()} selected={*current == o.value}>{ o.label.clone() }</option>
            }) }
        </select>
    }
}
