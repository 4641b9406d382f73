//! A row of one-tap answers: the quick replies offered after the last bot message, or the
//! channel's ice breakers before the visitor's first message.

use parlo_model::chat::{QuickReply, VisitorInput};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`QuickReplies`].
#[derive(Properties, PartialEq)]
pub struct QuickRepliesProps {
    /// The quick replies.
    pub replies: Rc<Vec<QuickReply>>,
    /// One was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
    /// Class naming the row: `parlo-quick-replies` or `parlo-ice-breakers`.
    pub class: &'static str,
}

/// A row of one-tap answers, each a `<button>` whose text is its title.
#[component]
pub fn QuickReplies(props: &QuickRepliesProps) -> Html {
    let chips = props.replies.iter().map(|reply| {
        let input = VisitorInput::Button {
            payload: reply.payload.clone(),
            title: reply.title.clone(),
        };
        let onclick = props.onaction.reform(move |_: MouseEvent| input.clone());
        html! { <button type="button" class="parlo-chip" {onclick}>{ reply.title.clone() }</button> }
    });
    html! { <div class={classes!("parlo-chips", props.class)}>{ for chips }</div> }
}
