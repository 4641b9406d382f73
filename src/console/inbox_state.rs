//! The inbox's conversations as a reducer: pages from `GET /api/v1/conversations`, merged
//! with the workspace event stream, newest activity first.

use crate::management::InboxFilter;
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
    /// The filter of the list; the stream's conversations that do not match it are left out.
    pub filter: InboxFilter,
    /// Conversations without a name or e-mail that a message just moved to the top (seen
    /// first through the stream, or since named): the inbox reads their subscriber.
    pub unnamed: Vec<SubscriberId>,
}

/// Whether the conversation of `event`, as it is after the event, matches `filter`.
fn matches(filter: &InboxFilter, event: &InboxEvent) -> bool {
    let is = |wanted: Option<bool>, actual: bool| wanted.is_none_or(|w| w == actual);
    filter
        .channel
        .as_ref()
        .is_none_or(|c| c == event.channel_id.as_str())
        && is(filter.unread, event.unread_count > 0)
        && is(filter.bot_paused, event.bot_paused)
        && is(filter.handed_over, event.handed_over)
}

/// What changes the inbox.
pub enum InboxAction {
    /// A page arrived: the first one replaces the list, a later one (`more`) is appended
    /// (without the conversations an event already moved to the top).
    Page {
        /// The filter it was read with (a page of an earlier filter is dropped).
        filter: InboxFilter,
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
    /// The list is read again with this filter.
    Filter(InboxFilter),
    /// The subscriber of an [`InboxState::unnamed`] conversation was read: its name and
    /// e-mail (both `None` when it has none, or could not be read).
    Named {
        /// The subscriber.
        id: SubscriberId,
        /// Their name.
        name: Option<String>,
        /// Their e-mail.
        email: Option<String>,
    },
}

impl Reducible for InboxState {
    type Action = InboxAction;

    fn reduce(self: Rc<Self>, action: InboxAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            InboxAction::Page {
                filter,
                items,
                next_cursor,
                more,
            } => {
                if filter != next.filter {
                    return self;
                }
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
                if !matches(&next.filter, &event) {
                    // It no longer matches (say the bot was resumed under "Bot paused").
                    items.retain(|c| c.subscriber_id != event.subscriber_id);
                    return Rc::new(next);
                }
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
                if summary.name.is_none()
                    && summary.email.is_none()
                    && !next.unnamed.contains(&summary.subscriber_id)
                {
                    next.unnamed.push(summary.subscriber_id.clone());
                }
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
            InboxAction::Filter(filter) => {
                next = InboxState {
                    filter,
                    ..InboxState::default()
                };
            }
            InboxAction::Named { id, name, email } => {
                next.unnamed.retain(|u| *u != id);
                for c in next.items.iter_mut().flatten().filter(|c| c.subscriber_id == id) {
                    c.name = name.clone();
                    c.email = email.clone();
                }
            }
        }
        Rc::new(next)
    }
}
