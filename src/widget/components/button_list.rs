//! The buttons under a message or a card.

use parlo_model::chat::{Button, ButtonAction, VisitorInput, is_web_url};
use yew::prelude::*;

/// A column of `<button class="parlo-btn">`s; a postback button sends its input to
/// `onaction`, a link button carries `data-link` and opens its `http`/`https` URL in a new
/// tab. A function rather than a component (like [`super::rich_text`]): it renders inside a
/// message, a card or the main menu, which re-render only when their buttons change.
pub fn button_list(buttons: &[Button], onaction: &Callback<VisitorInput>) -> Html {
    let buttons = buttons.iter().map(|button| {
        let onclick = {
            let button = button.clone();
            let onaction = onaction.clone();
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
