//! One message: its text, image, cards and buttons, and its delivery state.

use super::{button_list, carousel, message_card, message_image, rich_text};
use crate::widget::state::{Delivery, Entry};
use crate::widget::texts::Texts;
use parlo_model::chat::{Author, VisitorInput};
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
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// A message bubble: class `parlo-msg parlo-msg--bot` (or `--visitor`, `--agent`,
/// `--system` for notices) and, once stored, `data-seq`. Then, each when present: the
/// text (the visitor's as typed; other authors' with their Markdown subset, see
/// [`rich_text`]; never as HTML; `dir="auto"`: its own direction whatever the widget's), the
/// image, one card or a carousel of cards, and the buttons; a visitor message not stored yet
/// says "Sending…" (until the server stores it, also across reloads) or, once a send has
/// failed, "Not sent — Retry".
#[component]
pub fn MessageBubble(props: &MessageBubbleProps) -> Html {
    let entry = &props.entry;
    let texts = &props.texts;
    let message = &entry.message;
    let content = &message.content;
    let author = match message.author {
        Author::Bot => "parlo-msg--bot",
        Author::Visitor => "parlo-msg--visitor",
        Author::Agent => "parlo-msg--agent",
        Author::System => "parlo-msg--system",
    };
    let delivery = match entry.delivery {
        Delivery::Stored => None,
        Delivery::Sending => Some("parlo-msg--sending"),
        Delivery::Failed => Some("parlo-msg--failed"),
    };
    let seq = (entry.delivery == Delivery::Stored).then(|| AttrValue::from(message.seq.to_string()));
    let onaction = &props.onaction;
    let cards = match content.cards.as_slice() {
        [] => None,
        [card] => Some(message_card(card, onaction)),
        cards => Some(carousel(cards, onaction, texts)),
    };
    let retry = (entry.delivery == Delivery::Failed).then(|| {
        let id = message.id.clone();
        let onclick = props.onretry.reform(move |_: MouseEvent| id.clone());
        html! { <button type="button" class="parlo-retry" {onclick}>{ texts.get("widget.retry", "Not sent — Retry") }</button> }
    });
    html! {
        <div class={classes!("parlo-msg", author, delivery)} data-seq={seq}>
            if !content.text.is_empty() {
                <div class="parlo-msg__text" dir="auto">
                    if message.author == Author::Visitor {
                        { content.text.clone() }
                    } else {
                        { rich_text(&content.text) }
                    }
                </div>
            }
            if let Some(image) = &content.image {
                { message_image(image) }
            }
            { cards }
            if !content.buttons.is_empty() {
                { button_list(&content.buttons, onaction) }
            }
            if entry.delivery == Delivery::Sending {
                <span class="parlo-msg__state">{ texts.get("widget.sending", "Sending…") }</span>
            }
            { retry }
        </div>
    }
}
