//! Several cards side by side.

use super::message_card;
use crate::widget::texts::Texts;
use parlo_model::chat::{Card, VisitorInput};
use yew::prelude::*;

/// `<div class="parlo-carousel" role="group">`: the cards in a row that scrolls sideways (by
/// touch, trackpad, or Tab from card to card); their postbacks go to `onaction`. A function
/// rather than a component (like [`super::rich_text`]): it renders inside a message, which
/// re-renders only when its message changes.
pub fn carousel(cards: &[Card], onaction: &Callback<VisitorInput>, texts: &Texts) -> Html {
    html! {
        <div class="parlo-carousel" role="group" aria-label={texts.get("widget.cards", "Cards")}>
            { for cards.iter().map(|card| message_card(card, onaction)) }
        </div>
    }
}
