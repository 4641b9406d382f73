//! The inbox's list of conversations.

use super::link::Link;
use super::route::Route;
use parlo_model::chat::{Author, Message};
use parlo_model::ids::SubscriberId;
use parlo_model::inbox::ConversationSummary;
use yew::prelude::*;

/// Props of [`ConversationList`].
#[derive(Properties, PartialEq)]
pub struct ConversationListProps {
    /// The workspace.
    pub workspace: i64,
    /// The conversations, in the order shown.
    pub items: Vec<ConversationSummary>,
    /// The open one, marked as the current page.
    pub open: Option<SubscriberId>,
}

/// One link per conversation: who (name, else e-mail, else the subscriber id), the newest
/// message (who wrote it and its text), when, and an unread-count badge.
#[component]
pub fn ConversationList(props: &ConversationListProps) -> Html {
    html! {
        <ul class="conversations">
            { for props.items.iter().map(|c| {
                let current = props.open.as_ref() == Some(&c.subscriber_id);
                let to = Route::Conversation(props.workspace, c.subscriber_id.clone());
                html! {
                    <li key={c.subscriber_id.as_str().to_owned()}>
                        <Link {to} {current} class={classes!(current.then_some("open"))}>
                            <span class="who">{ display_name(c) }</span>
                            if c.unread_count > 0 {
                                <span class="badge">{ c.unread_count }<span class="sr-only">{ " unread" }</span></span>
                            }
                            <span class="preview">{ c.last_message.as_ref().map(preview).unwrap_or_default() }</span>
                            <span class="when">{ short_time(&c.last_activity_at) }</span>
                        </Link>
                    </li>
                }
            }) }
        </ul>
    }
}

/// How a conversation's subscriber is named: their name, else e-mail, else their id.
pub fn display_name(c: &ConversationSummary) -> String {
    c.name
        .clone()
        .or_else(|| c.email.clone())
        .unwrap_or_else(|| format!("Visitor {}", c.subscriber_id.as_str()))
}

/// Who wrote `message` (as the inbox labels them).
pub fn author_label(author: &Author) -> &'static str {
    match author {
        Author::Visitor => "Visitor",
        Author::Bot => "Bot",
        Author::Agent => "Agent",
        Author::System => "Notice",
    }
}

/// A message in one line: `Visitor: text` (an image or cards without text say so).
fn preview(message: &Message) -> String {
    let text = match (
        &message.content.text,
        &message.content.image,
        message.content.cards.len(),
    ) {
        (t, _, _) if !t.is_empty() => t.clone(),
        (_, Some(_), _) => "(image)".to_owned(),
        (_, None, n) if n > 0 => "(cards)".to_owned(),
        _ => String::new(),
    };
    format!("{}: {text}", author_label(&message.author))
}

/// An RFC 3339 UTC date-time as `YYYY-MM-DD HH:MM` (empty when unknown).
pub fn short_time(at: &str) -> String {
    at.replace('T', " ").get(..16).unwrap_or_default().to_owned()
}
