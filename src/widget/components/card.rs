//! A card: image, title, subtitle and buttons.

use super::{ButtonList, MessageImage};
use parlo_model::chat::{Card, VisitorInput};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MessageCard`].
#[derive(Properties, PartialEq)]
pub struct MessageCardProps {
    /// The card.
    pub card: Card,
    /// A postback button was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
}

/// `<div class="parlo-card">`: the image, the title (`parlo-card__title`), the subtitle
/// (`parlo-card__subtitle`) and the buttons. Texts are rendered as text.
#[component]
pub fn MessageCard(props: &MessageCardProps) -> Html {
    let card = &props.card;
    html! {
        <div class="parlo-card">
            if let Some(image) = &card.image {
                <MessageImage image={image.clone()} />
            }
            <span class="parlo-card__title">{ card.title.clone() }</span>
            if let Some(subtitle) = &card.subtitle {
                <span class="parlo-card__subtitle">{ subtitle.clone() }</span>
            }
            if !card.buttons.is_empty() {
                <ButtonList buttons={Rc::new(card.buttons.clone())} onaction={props.onaction.clone()} />
            }
        </div>
    }
}
