//! An error message next to what caused it.

use yew::prelude::*;

/// Props of [`ErrorText`].
#[derive(Properties, PartialEq)]
pub struct ErrorTextProps {
    /// Id of the message, for the `aria-describedby` of the control it explains.
    pub id: AttrValue,
    /// The message; nothing is rendered without one.
    pub message: Option<AttrValue>,
}

/// An error message (`role="alert"`, so screen readers announce it as it appears).
#[component]
pub fn ErrorText(props: &ErrorTextProps) -> Html {
    match &props.message {
        Some(message) => html! {
            <p class="error" id={props.id.clone()} role="alert">{ message.clone() }</p>
        },
        None => Html::default(),
    }
}
