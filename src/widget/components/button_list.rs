//! The buttons under a message or a card.

use parlo_model::chat::{Button, ButtonAction, VisitorInput, is_web_url};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ButtonList`].
#[derive(Properties, PartialEq)]
pub struct ButtonListProps {
    /// The buttons, in order.
    pub buttons: Rc<Vec<Button>>,
    /// A postback button was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
}

/// A column of `<button class="parlo-btn">`s; link buttons carry `data-link` and open
/// their `http`/`https` URL in a new tab.
#[component]
pub fn ButtonList(props: &ButtonListProps) -> Html {
    let buttons = props.buttons.iter().map(|button| {
        let onclick = {
            let button = button.clone();
            let onaction = props.onaction.clone();
            Callback::from(move |_: MouseEvent| press(&button, &onaction))
        };
        let link = matches!(button.action, ButtonAction::Url { .. });
        html! {
            <button type="button" class="parlo-btn" data-link={link.then_some("")} {onclick}>
                { button.title.clone() }
            </button>
        }
    });
    html! { <div class="parlo-buttons">{ for buttons }</div> }
}

fn press(button: &Button, onaction: &Callback<VisitorInput>) {
    match &button.action {
        ButtonAction::Postback { payload } => onaction.emit(VisitorInput::Button {
            payload: payload.clone(),
            title: button.title.clone(),
        }),
        ButtonAction::Url { url } => {
            if is_web_url(url)
                && let Some(window) = web_sys::window()
            {
                let _ = window.open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
            }
        }
    }
}
