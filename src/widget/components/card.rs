//! A card: image, title, subtitle and buttons.

use super::{button_list, message_image};
use parlo_model::chat::{Card, VisitorInput};
use yew::prelude::*;

/// `<div class="parlo-card">`: the image, the title (`parlo-card__title`), the subtitle
/// (`parlo-card__subtitle`) and the buttons, whose postbacks go to `onaction`. Texts are
/// rendered as text. A function rather than a component (like [`super::rich_text`]): it
/// renders inside a message, which re-renders only when its message changes.
pub fn message_card(card: &Card, onaction: &Callback<VisitorInput>) -> Html {
    html! {
        <div class="parlo-card">
            if let Some(image) = &card.image {
                { message_image(image) }
            }
            <span class="parlo-card__title">{ card.title.clone() }</span>
            if let Some(subtitle) = &card.subtitle {
                <span class="parlo-card__subtitle">{ subtitle.clone() }</span>
            }
            if !card.buttons.is_empty() {
                { button_list(&card.buttons, onaction) }
            }
        </div>
    }
}
