//! The help text and the error message under a field.

use yew::prelude::*;

/// Props of [`FieldNote`].
#[derive(Properties, PartialEq)]
pub struct FieldNoteProps {
    /// `id` prefix of the field: the help text gets `{id}-h`, the error `{id}-e`.
    pub id: AttrValue,
    /// Help text, if any.
    #[prop_or_default]
    pub help: Option<AttrValue>,
    /// Error message, if the value is wrong.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// `<p class="parlo-help">` and `<p class="parlo-field-error">`, referenced by the input's
/// `aria-describedby`. The error is not a live region: the focus moves to the first invalid
/// field on submit, which reads it out.
#[component]
pub fn FieldNote(props: &FieldNoteProps) -> Html {
    html! {
        <>
            if let Some(help) = &props.help {
                <p class="parlo-help" id={format!("{}-h", props.id)}>{ help.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p class="parlo-field-error" id={format!("{}-e", props.id)}>{ error.clone() }</p>
            }
        </>
    }
}
