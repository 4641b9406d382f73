//! The inbox's conversations as a reducer: pages from `GET /api/v1/conversations`, merged
//! with the workspace event stream, newest activity first.

use parlo_model::ids::SubscriberId;
use parlo_model::inbox::{ConversationSummary, InboxEvent};
use std::rc::Rc;
use yew::prelude::*;

/// The conversations loaded so far, newest activity first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboxState {
    /// The conversations; `None` until the first page arrives.
    pub items: Option<Vec<ConversationSummary>>,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// What changes the inbox.
pub enum InboxAction {
    /// A page arrived: the first one replaces the list, a later one (`more`) is appended
    /// (without the conversations an event already moved to the top).
    Page {
        /// The page's conversations.
        items: Vec<ConversationSummary>,
        /// Its `next_cursor`.
        next_cursor: Option<String>,
        /// Whether it follows the pages loaded before.
        more: bool,
    },
    /// A message was stored: its conversation moves to the top (added when unknown).
    Event(Box<InboxEvent>),
    /// The conversation was marked read.
    Read(SubscriberId),
    /// The conversation's bot was paused (`true`) or resumed.
    Bot(SubscriberId, bool),
}

impl Reducible for InboxState {
    type Action = InboxAction;

    fn reduce(self: Rc<Self>, action: InboxAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            InboxAction::Page {
                items,
                next_cursor,
                more,
            } => {
                let mut all = if more {
                    next.items.take().unwrap_or_default()
                } else {
                    Vec::new()
                };
                for item in items {
                    if !all.iter().any(|c| c.subscriber_id == item.subscriber_id) {
                        all.push(item);
                    }
                }
                next.items = Some(all);
                next.next_cursor = next_cursor;
            }
            InboxAction::Event(event) => {
                let event = *event;
                let items = next.items.get_or_insert_with(Vec::new);
                let known = items
                    .iter()
                    .position(|c| c.subscriber_id == event.subscriber_id)
                    .map(|at| items.remove(at));
                // A stream replaying after a reconnect may repeat an older message.
                if known
                    .as_ref()
                    .and_then(|c| c.last_message.as_ref())
                    .is_some_and(|m| m.seq > event.message.seq)
                {
                    return self;
                }
                let mut summary = known.unwrap_or_else(|| ConversationSummary {
                    subscriber_id: event.subscriber_id.clone(),
                    name: None,
                    email: None,
                    channel_id: event.channel_id.clone(),
                    last_message: None,
                    last_activity_at: String::new(),
                    read_seq: 0,
                    unread_count: 0,
                    bot_paused: false,
                    handed_over: false,
                });
                summary.last_activity_at = event.message.created_at.clone();
                summary.last_message = Some(event.message);
                summary.unread_count = event.unread_count;
                summary.bot_paused = event.bot_paused;
                summary.handed_over = event.handed_over;
                items.insert(0, summary);
            }
            InboxAction::Read(id) => {
                for c in next.items.iter_mut().flatten().filter(|c| c.subscriber_id == id) {
                    c.unread_count = 0;
                    c.read_seq = c.last_message.as_ref().map_or(c.read_seq, |m| m.seq);
                }
            }
            InboxAction::Bot(id, paused) => {
                for c in next.items.iter_mut().flatten().filter(|c| c.subscriber_id == id) {
                    c.bot_paused = paused;
                }
            }
        }
        Rc::new(next)
    }
}
