//! The widget's state and its reducer: every change of what the widget shows is an
//! [`Action`].

use parlo_model::channel::ChannelConfig;
use parlo_model::chat::{Author, Message, MessageContent};
use parlo_model::ids::MessageId;
use std::rc::Rc;
use yew::Reducible;

/// Where a message is on its way to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Stored by the server; the message has its `seq`.
    Stored,
    /// A visitor message being sent (or waiting for the network to come back).
    Sending,
    /// A visitor message the server did not take; the visitor may retry it.
    Failed,
}

/// One message as the widget shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The message; `seq` is 0 until it is stored.
    pub message: Rc<Message>,
    /// Its delivery state.
    pub delivery: Delivery,
}

impl Entry {
    /// A stored message.
    pub fn stored(message: Message) -> Self {
        Self {
            message: Rc::new(message),
            delivery: Delivery::Stored,
        }
    }

    /// A visitor message not stored yet, shown at once (optimistic update).
    pub fn sending(id: MessageId, text: impl Into<String>) -> Self {
        Self {
            message: Rc::new(Message {
                id,
                seq: 0,
                author: Author::Visitor,
                content: MessageContent::text(text),
                created_at: String::new(),
                reply_to: None,
            }),
            delivery: Delivery::Sending,
        }
    }
}

/// State of the connection to the server, shown in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Starting the session or opening the stream for the first time.
    Connecting,
    /// The realtime stream is open.
    Online,
    /// The stream dropped; reconnecting with backoff.
    Reconnecting,
    /// The browser is offline.
    Offline,
    /// Messages are coming faster than the session's limit: the server asked the widget to
    /// wait (429), and the waiting messages go out by themselves; back to
    /// [`Connection::Online`] once one is stored.
    SlowDown,
    /// The server refused this page for good (e.g. 403: the site's origin is not one of the
    /// channel's allowed origins, or 404: no such channel); nothing is retried.
    Unavailable,
    /// The server refused the signed-in user the page named (403 `identity_invalid`: its
    /// `userHash` does not match its `id`); nothing is retried.
    Unverified,
}

impl Connection {
    /// The status line shown in the header.
    pub fn label(self) -> &'static str {
        match self {
            Connection::Connecting => "Connecting…",
            Connection::Online => "Online",
            Connection::Reconnecting => "Reconnecting…",
            Connection::Offline => "Offline — we'll send your messages when you're back",
            Connection::Unavailable => "This chat isn't available on this website",
            Connection::Unverified => "We couldn't confirm who you are — please sign in again",
            Connection::SlowDown => "Slow down — sending in a moment",
        }
    }

    /// Machine form of the state: `connecting`, `online`, `reconnecting`, `offline`,
    /// `slow-down`, `unavailable`, `unverified`.
    pub fn key(self) -> &'static str {
        match self {
            Connection::Connecting => "connecting",
            Connection::Online => "online",
            Connection::Reconnecting => "reconnecting",
            Connection::Offline => "offline",
            Connection::Unavailable => "unavailable",
            Connection::Unverified => "unverified",
            Connection::SlowDown => "slow-down",
        }
    }
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatState {
    /// The channel's configuration, once loaded.
    pub config: Option<Rc<ChannelConfig>>,
    /// Messages in display order: stored ones by `seq`, then unstored visitor messages in
    /// the order they were written.
    pub entries: Rc<Vec<Entry>>,
    /// Highest `seq` such that every message `1..=last_seq` is present: the stream resumes
    /// after it.
    pub last_seq: u64,
    /// Connection state for the header.
    pub connection: Connection,
    /// Token of the current `typing` event, `None` when the bot is not typing.
    pub typing: Option<u32>,
    /// Visitor messages being sent right now.
    pub in_flight: u32,
    /// Whether the panel is open.
    pub open: bool,
    /// Whether the composer takes the focus when the panel opens: yes when the visitor or
    /// the page opened it, no when it reopens by itself after a reload.
    pub focus_composer: bool,
    /// Whether the connection has been [`Connection::Online`] at least once: the session is
    /// started and its token stored, so a pre-chat form can link its lead to it.
    pub session_ready: bool,
    /// Bot, agent and system messages received while the panel was closed, shown on the
    /// launcher; 0 once it opens.
    pub unread: u32,
}

impl Default for ChatState {
    fn default() -> Self {
        Self {
            config: None,
            entries: Rc::default(),
            last_seq: 0,
            connection: Connection::Connecting,
            typing: None,
            in_flight: 0,
            open: false,
            focus_composer: false,
            session_ready: false,
            unread: 0,
        }
    }
}

/// A change of [`ChatState`].
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The channel's configuration arrived.
    Configured(Rc<ChannelConfig>),
    /// Open or close the panel; `focus` says whether the composer takes the focus.
    SetOpen {
        /// Open (`true`) or close.
        open: bool,
        /// Focus the composer when the panel opens.
        focus: bool,
    },
    /// Stored messages arrived (history page, send answer or stream): merged by `seq`,
    /// duplicates skipped, unstored visitor messages replaced by their stored version.
    Received(Vec<Message>),
    /// A visitor message is being sent (optimistic entry).
    Sending(Entry),
    /// A visitor message is being sent again: shown as sending if it had failed (a message
    /// shown as stored, e.g. from the stream after an answer was lost, stays stored).
    Retrying(MessageId),
    /// A send ended; `ok == false` marks the message as failed.
    Settled {
        /// The message id.
        id: MessageId,
        /// Whether the server stored it.
        ok: bool,
    },
    /// The bot started typing; `token` identifies this typing event.
    Typing(u32),
    /// The typing event `token` expired.
    TypingEnded(u32),
    /// The connection state changed.
    Connection(Connection),
    /// The session was replaced by a new one: forget the old conversation.
    Reset,
    /// The number of unread messages changed.
    Unread(u32),
}

impl ChatState {
    /// The newest entry; when it is not the visitor's, its quick replies and `expects` apply.
    pub fn last_entry(&self) -> Option<&Entry> {
        self.entries.last()
    }

    fn merge(&mut self, messages: Vec<Message>) {
        let entries = Rc::make_mut(&mut self.entries);
        for message in messages {
            if let Some(pos) = entries.iter().position(|e| e.message.id == message.id) {
                if entries[pos].delivery == Delivery::Stored {
                    continue;
                }
                entries.remove(pos);
            } else if message.seq == 0 || entries.iter().any(|e| e.message.seq == message.seq) {
                continue;
            }
            if message.author != Author::Visitor {
                self.typing = None;
            }
            let at = entries
                .iter()
                .position(|e| e.delivery != Delivery::Stored || e.message.seq > message.seq)
                .unwrap_or(entries.len());
            entries.insert(at, Entry::stored(message));
        }
        for entry in entries.iter() {
            if entry.delivery == Delivery::Stored && entry.message.seq == self.last_seq + 1 {
                self.last_seq += 1;
            }
        }
    }
}

impl Reducible for ChatState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = Rc::unwrap_or_clone(self);
        match action {
            Action::Configured(config) => state.config = Some(config),
            Action::SetOpen { open, focus } => {
                state.open = open;
                state.focus_composer = focus;
            }
            Action::Received(messages) => state.merge(messages),
            Action::Sending(entry) => {
                state.in_flight += 1;
                Rc::make_mut(&mut state.entries).push(entry);
            }
            Action::Retrying(id) => {
                let entries = Rc::make_mut(&mut state.entries);
                if let Some(entry) = entries
                    .iter_mut()
                    .find(|e| e.message.id == id && e.delivery == Delivery::Failed)
                {
                    entry.delivery = Delivery::Sending;
                    state.in_flight += 1;
                }
            }
            Action::Settled { id, ok } => {
                state.in_flight = state.in_flight.saturating_sub(1);
                if ok && state.connection == Connection::SlowDown {
                    state.connection = Connection::Online;
                }
                if !ok {
                    let entries = Rc::make_mut(&mut state.entries);
                    if let Some(entry) = entries.iter_mut().find(|e| e.message.id == id)
                        && entry.delivery == Delivery::Sending
                    {
                        entry.delivery = Delivery::Failed;
                    }
                }
            }
            Action::Typing(token) => state.typing = Some(token),
            Action::TypingEnded(token) => {
                if state.typing == Some(token) {
                    state.typing = None;
                }
            }
            Action::Connection(connection) => {
                state.connection = connection;
                state.session_ready |= connection == Connection::Online;
            }
            Action::Unread(count) => state.unread = count,
            Action::Reset => {
                state.entries = Rc::default();
                state.last_seq = 0;
                state.typing = None;
            }
        }
        Rc::new(state)
    }
}
