//! Several cards side by side.

use super::MessageCard;
use crate::widget::texts::Texts;
use parlo_model::chat::{Card, VisitorInput};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Carousel`].
#[derive(Properties, PartialEq)]
pub struct CarouselProps {
    /// The cards, in order.
    pub cards: Rc<Vec<Card>>,
    /// A postback button of a card was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// `<div class="parlo-carousel" role="group">`: the cards in a row that scrolls sideways
/// (by touch, trackpad, or Tab from card to card).
#[component]
pub fn Carousel(props: &CarouselProps) -> Html {
    let texts = &props.texts;
    html! {
        <div class="parlo-carousel" role="group" aria-label={texts.get("widget.cards", "Cards")}>
            { for props.cards.iter().map(|card| html! {
                <MessageCard card={card.clone()} onaction={props.onaction.clone()} />
            }) }
        </div>
    }
}
