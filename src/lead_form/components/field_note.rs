//! The help text and the error message under a field.

use yew::prelude::*;

/// `<p class="parlo-help" id="{id}-h">` and `<p class="parlo-field-error" id="{id}-e">`,
/// referenced by the input's `aria-describedby`. The error is not a live region: the focus
/// moves to the first invalid field on submit, which reads it out.
pub fn field_note(id: &str, help: Option<&AttrValue>, error: Option<&AttrValue>) -> Html {
    html! {
        <>
            if let Some(help) = help {
                <p class="parlo-help" id={format!("{id}-h")}>{ help.clone() }</p>
            }
            if let Some(error) = error {
                <p class="parlo-field-error" id={format!("{id}-e")}>{ error.clone() }</p>
            }
        </>
    }
}
