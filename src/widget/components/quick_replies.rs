//! A row of one-tap answers: the quick replies offered after the last bot message, or the
//! channel's ice breakers before the visitor's first message.

use parlo_model::chat::{QuickReply, VisitorInput};
use yew::prelude::*;

/// A row of one-tap answers (`<div class="parlo-chips {class}">`, `class` naming it:
/// `parlo-quick-replies` or `parlo-ice-breakers`), each a `<button>` whose text is its title
/// and whose press sends its input to `onaction`. A function rather than a component (like
/// [`super::rich_text`]): the message list renders it.
pub fn quick_replies(replies: &[QuickReply], onaction: &Callback<VisitorInput>, class: &'static str) -> Html {
    let chips = replies.iter().map(|reply| {
        let input = VisitorInput::Button {
            payload: reply.payload.clone(),
            title: reply.title.clone(),
        };
        let onclick = onaction.reform(move |_: MouseEvent| input.clone());
        html! { <button type="button" class="parlo-chip" {onclick}>{ reply.title.clone() }</button> }
    });
    html! { <div class={classes!("parlo-chips", class)}>{ for chips }</div> }
}
