//! The conversation: messages, then the last message's quick replies or the ice breakers.

use super::{MessageBubble, quick_replies};
use crate::widget::state::Entry;
use crate::widget::texts::Texts;
use parlo_model::chat::{Author, QuickReply, VisitorInput};
use parlo_model::ids::MessageId;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MessageList`].
#[derive(Properties, PartialEq)]
pub struct MessageListProps {
    /// The messages, in display order.
    pub entries: Rc<Vec<Entry>>,
    /// The channel's ice breakers, shown while the visitor has not written anything.
    #[prop_or_default]
    pub ice_breakers: Rc<Vec<QuickReply>>,
    /// A button, quick reply or ice breaker was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
    /// "Retry" was pressed on a failed message.
    pub onretry: Callback<MessageId>,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// The message log (`role="log"`, `aria-live="polite"`), kept scrolled to the newest message.
///
/// Quick replies are shown only under the last message, when it is not the visitor's; ice
/// breakers only before the visitor's first message.
#[component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let log = use_node_ref();
    let texts = &props.texts;
    {
        let log = log.clone();
        let newest = props.entries.last().map(|e| (e.message.id.clone(), e.delivery));
        use_effect_with(newest, move |_| {
            if let Some(log) = log.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let replies = props
        .entries
        .last()
        .filter(|e| e.message.author != Author::Visitor && !e.message.content.quick_replies.is_empty())
        .map(|e| {
            quick_replies(
                &e.message.content.quick_replies,
                &props.onaction,
                "parlo-quick-replies",
            )
        });
    let visitor_wrote = props.entries.iter().any(|e| e.message.author == Author::Visitor);
    let ice_breakers = (!visitor_wrote && !props.ice_breakers.is_empty())
        .then(|| quick_replies(&props.ice_breakers, &props.onaction, "parlo-ice-breakers"));
    html! {
        <div class="parlo-log" role="log" aria-live="polite" aria-label={texts.get("widget.messages", "Messages")} tabindex="0" ref={log}>
            { for props.entries.iter().map(|entry| html! {
                <MessageBubble
                    key={entry.message.id.as_str()}
                    entry={entry.clone()}
                    texts={props.texts.clone()}
                    onaction={props.onaction.clone()}
                    onretry={props.onretry.clone()}
                />
            }) }
            { replies }
            { ice_breakers }
        </div>
    }
}
