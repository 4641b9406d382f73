//! Several lines of text.

use super::ControlProps;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A `<textarea>` of four rows, growing by hand (`resize: vertical`).
pub fn long_text(props: &ControlProps) -> Html {
    let oninput = {
        let props = props.clone();
        Callback::from(move |e: InputEvent| {
            props.emit_text(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    html! {
        <textarea
            class="parlo-field-input"
            id={props.id.clone()}
            name={props.field.name.clone()}
            rows="4"
            placeholder={props.field.placeholder.clone()}
            required={props.field.required}
            aria-invalid={props.invalid.then_some("true")}
            aria-describedby={props.describedby.clone()}
            value={props.text()}
            {oninput}
            onblur={props.onblur.reform(|_| ())}
        />
    }
}
