//! An image of a message or a card.

use parlo_model::chat::{Image, is_web_url};
use yew::prelude::*;

/// `<img class="parlo-img">` with its alternative text, loaded lazily without a referrer.
/// An image whose URL is not `http`/`https` is not loaded: its alternative text is shown
/// instead. A function rather than a component (like [`super::rich_text`]): it renders
/// inside a message or a card, which re-render only when their message changes.
pub fn message_image(image: &Image) -> Html {
    let Image { url, alt } = image;
    if is_web_url(url) {
        html! { <img class="parlo-img" src={url.clone()} alt={alt.clone()} loading="lazy" referrerpolicy="no-referrer" /> }
    } else {
        html! { <span class="parlo-img">{ alt.clone() }</span> }
    }
}
