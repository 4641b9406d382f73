//! An image of a message or a card.

use parlo_model::chat::{Image, is_web_url};
use yew::prelude::*;

/// Props of [`MessageImage`].
#[derive(Properties, PartialEq)]
pub struct MessageImageProps {
    /// The image.
    pub image: Image,
}

/// `<img class="parlo-img">` with its alternative text, loaded lazily without a referrer.
/// An image whose URL is not `http`/`https` is not loaded: its alternative text is shown
/// instead.
#[component]
pub fn MessageImage(props: &MessageImageProps) -> Html {
    let Image { url, alt } = &props.image;
    if is_web_url(url) {
        html! { <img class="parlo-img" src={url.clone()} alt={alt.clone()} loading="lazy" referrerpolicy="no-referrer" /> }
    } else {
        html! { <span class="parlo-img">{ alt.clone() }</span> }
    }
}
