//! One-line inputs: text, e-mail, phone, number, date.

use super::ControlProps;
use parlo_model::form::FieldType;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `autocomplete` token for fields named like a subscriber attribute (WHATWG HTML autofill).
fn autocomplete(name: &str, kind: FieldType) -> &'static str {
    match (name, kind) {
        (_, FieldType::Email) => "email",
        (_, FieldType::Phone) => "tel",
        ("name", _) => "name",
        ("first_name", _) => "given-name",
        ("last_name", _) => "family-name",
        ("company", _) => "organization",
        _ => "off",
    }
}

/// An `<input>` whose type and keyboard suit the field: `email`, `tel`, `date`, text with a
/// decimal keyboard for numbers (which may use `,`), else text.
pub fn text_input(props: &ControlProps) -> Html {
    let field = &props.field;
    let (kind, inputmode) = match field.kind {
        FieldType::Email => ("email", "email"),
        FieldType::Phone => ("tel", "tel"),
        FieldType::Number => ("text", "decimal"),
        FieldType::Date => ("date", "text"),
        _ => ("text", "text"),
    };
    let oninput = {
        let props = props.clone();
        Callback::from(move |e: InputEvent| {
            props.emit_text(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <input
            class="parlo-field-input"
            id={props.id.clone()}
            name={field.name.clone()}
            type={kind}
            {inputmode}
            autocomplete={autocomplete(&field.name, field.kind)}
            placeholder={field.placeholder.clone()}
            min={field.min_date.clone()}
            max={field.max_date.clone()}
            required={field.required}
            aria-invalid={props.invalid.then_some("true")}
            aria-describedby={props.describedby.clone()}
            value={props.text()}
            {oninput}
            onblur={props.onblur.reform(|_| ())}
        />
    }
}
