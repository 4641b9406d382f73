//! One message: its text, its buttons, and its delivery state.

use crate::widget::state::{Delivery, Entry};
use parlo_model::chat::{Author, Button, ButtonAction, VisitorInput};
use parlo_model::ids::MessageId;
use yew::prelude::*;

/// Props of [`MessageBubble`].
#[derive(Properties, PartialEq)]
pub struct MessageBubbleProps {
    /// The message and its delivery state.
    pub entry: Entry,
    /// A postback button was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
    /// "Retry" was pressed on a failed message.
    pub onretry: Callback<MessageId>,
}

/// A message bubble: class `parlo-msg parlo-msg--bot` (or `--visitor`, `--agent`) and, once
/// stored, `data-seq`. The text is rendered as text, never as HTML.
#[component]
pub fn MessageBubble(props: &MessageBubbleProps) -> Html {
    let entry = &props.entry;
    let message = &entry.message;
    let author = match message.author {
        Author::Bot => "parlo-msg--bot",
        Author::Visitor => "parlo-msg--visitor",
        Author::Agent => "parlo-msg--agent",
    };
    let delivery = match entry.delivery {
        Delivery::Stored => None,
        Delivery::Sending => Some("parlo-msg--sending"),
        Delivery::Failed => Some("parlo-msg--failed"),
    };
    let seq = (entry.delivery == Delivery::Stored).then(|| AttrValue::from(message.seq.to_string()));
    let buttons = message.content.buttons.iter().map(|button| {
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
    let retry = (entry.delivery == Delivery::Failed).then(|| {
        let id = message.id.clone();
        let onclick = props.onretry.reform(move |_: MouseEvent| id.clone());
        html! { <button type="button" class="parlo-retry" {onclick}>{ "Not sent — Retry" }</button> }
    });
    html! {
        <div class={classes!("parlo-msg", author, delivery)} data-seq={seq}>
            <div class="parlo-msg__text">{ message.content.text.clone() }</div>
            if !message.content.buttons.is_empty() {
                <div class="parlo-buttons">{ for buttons }</div>
            }
            if entry.delivery == Delivery::Sending {
                <span class="parlo-sr">{ "Sending" }</span>
            }
            { retry }
        </div>
    }
}

fn press(button: &Button, onaction: &Callback<VisitorInput>) {
    match &button.action {
        ButtonAction::Postback { payload } => onaction.emit(VisitorInput::Button {
            payload: payload.clone(),
            title: button.title.clone(),
        }),
        ButtonAction::Url { url } => open_url(url),
    }
}

/// Opens an `http`/`https` URL in a new tab without giving it a handle on this page; other
/// schemes (`javascript:`, `data:`) are ignored.
fn open_url(url: &str) {
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("http" | "https"))
        && let Some(window) = web_sys::window()
    {
        let _ = window.open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
    }
}
