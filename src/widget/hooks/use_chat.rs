//! `use_chat`: the conversation's side effects — session, history, realtime stream, sends
//! with retries — feeding the [`ChatState`] reducer.

use crate::client::{Client, Error, EventStream, RetryPolicy, StreamSignal, new_message_id};
use crate::storage::{self, Store};
use crate::widget::events::{Events, message_detail};
use crate::widget::state::{Action, ChatState, Connection, Entry};
use crate::widget::visitor::Visitor;
use js_sys::Array;
use parlo_model::channel::ChannelConfig;
use parlo_model::chat::{Author, Message, SendMessage, StreamEvent, VisitorInput};
use parlo_model::ids::MessageId;
use parlo_model::problem::codes;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// A command given to a mounted widget from outside (the JavaScript API).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open the panel and focus the composer.
    Open,
    /// Close the panel.
    Close,
    /// Open the panel when closed, close it when open.
    Toggle,
    /// Send this text as a visitor message.
    Send(String),
    /// Show the widget's texts in the first of these languages (comma-separated language
    /// tags) the server has: the configuration is read again with them.
    SetLocale(String),
}

/// Handle to send [`Command`]s to a widget; commands given before it is mounted are kept
/// and run at mount. Clones share the same widget; equal when they share it.
#[derive(Clone, Debug, Default)]
pub struct Control(Rc<RefCell<ControlInner>>);

#[derive(Debug, Default)]
struct ControlInner {
    handler: Option<Callback<Command>>,
    pending: Vec<Command>,
}

impl PartialEq for Control {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Control {
    /// Runs `command` now, or when the widget mounts.
    pub fn send(&self, command: Command) {
        let handler = self.0.borrow().handler.clone();
        match handler {
            Some(handler) => handler.emit(command),
            None => self.0.borrow_mut().pending.push(command),
        }
    }

    fn attach(&self, handler: Callback<Command>) {
        let pending = std::mem::take(&mut self.0.borrow_mut().pending);
        self.0.borrow_mut().handler = Some(handler.clone());
        for command in pending {
            handler.emit(command);
        }
    }

    fn detach(&self) {
        self.0.borrow_mut().handler = None;
    }
}

/// What [`use_chat`] returns.
#[derive(Clone)]
pub struct UseChatHandle {
    /// The current state.
    pub state: UseReducerHandle<ChatState>,
    /// Sends a visitor message (optimistic, retried, idempotent by its id).
    pub send: Callback<VisitorInput>,
    /// Sends a failed message again with the same id.
    pub retry: Callback<MessageId>,
    /// Opens (`true`) or closes the panel, as the visitor does with the launcher: opening
    /// focuses the composer and starts the session if needed.
    pub set_open: Callback<bool>,
}

/// Runs the conversation of `client`'s channel.
///
/// Visitor messages are sent exactly once: each keeps its id (the server's idempotency key of
/// `POST /messages`) from the moment it is written, and until the server has stored it, it
/// stays in `localStorage` ([`storage::UNSENT`]) and in the log as sending or failed. At mount
/// the messages left unsent by an earlier page are shown and sent again with their ids, and
/// every failed one is sent again whenever the realtime stream (re)opens, e.g. when the
/// network comes back.
///
/// At mount it loads the channel configuration, unless `config` already holds it (then the
/// state starts with it and no request is made); it resumes the stored session (restoring
/// the history and opening the realtime stream) at once when there is one or when the panel
/// was open before a reload, otherwise when the panel is first opened. Commands sent
/// through `control` are run, and what happens is reported to `events` (see
/// [`events`](crate::widget::events)); messages arriving while the panel is closed are
/// counted as unread. While the panel is open on a visible page, the server is told how far
/// the visitor has seen the conversation ([`MessagesApi::read`](crate::client::MessagesApi::read)):
/// when it opens, when the page becomes visible and when messages arrive. At unmount every
/// request is aborted and the stream closed.
/// `client`, `config`, `events` and `visitor` (sent with every session start) are read
/// once, at mount.
#[hook]
pub fn use_chat(
    client: Client,
    control: Control,
    config: Option<Rc<ChannelConfig>>,
    events: Events,
    visitor: Visitor,
) -> UseChatHandle {
    let configured = config.is_some();
    let state = use_reducer(move || ChatState {
        config,
        ..ChatState::default()
    });
    let chat = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| Chat::new(client, dispatch, events, visitor))
    };
    {
        let chat = chat.clone();
        use_effect_with(state.last_seq, move |seq| chat.last_seq.set(*seq));
    }
    {
        let chat = chat.clone();
        use_effect_with((), move |_| {
            chat.mount(configured);
            let c = chat.clone();
            control.attach(Callback::from(move |command| c.command(command)));
            move || {
                control.detach();
                chat.shutdown();
            }
        });
    }
    let send = {
        let chat = chat.clone();
        Callback::from(move |input| chat.send(input))
    };
    let retry = {
        let chat = chat.clone();
        Callback::from(move |id| chat.retry(id))
    };
    let set_open = Callback::from(move |open| chat.set_open(open, true));
    UseChatHandle {
        state,
        send,
        retry,
        set_open,
    }
}

type Listener = Closure<dyn FnMut()>;

/// The conversation's live parts, shared by its callbacks.
struct Chat {
    client: Client,
    abort: Option<AbortController>,
    dispatch: UseReducerDispatcher<ChatState>,
    events: Events,
    visitor: Visitor,
    store: Store,
    /// Token of the current session, once started.
    token: RefCell<Option<String>>,
    /// A session start is under way.
    starting: Cell<bool>,
    /// Idempotency key of this widget's session starts, one per page load: every retry of a
    /// start whose answer was lost gets the subscriber the first one created, never a second.
    start_key: String,
    /// Mirror of [`ChatState::last_seq`], where the stream resumes.
    last_seq: Cell<u64>,
    /// Highest `seq` reported to the page (history restored at start counts as reported).
    reported: Cell<u64>,
    /// Messages received while the panel was closed.
    unread: Cell<u32>,
    /// Highest `seq` reported to the server as seen ([`Chat::mark_read`]).
    read: Cell<u64>,
    open: Cell<bool>,
    stream: RefCell<Option<EventStream>>,
    /// Consecutive stream failures, for the backoff.
    failures: Cell<u32>,
    reconnect_scheduled: Cell<bool>,
    typing_token: Cell<u32>,
    /// Visitor messages not stored yet, each with whether a send of it is under way; the
    /// messages are mirrored in [`storage::UNSENT`].
    unsent: RefCell<Vec<(SendMessage, bool)>>,
    listeners: RefCell<Vec<(&'static str, Listener)>>,
    dead: Cell<bool>,
}

/// Backoff of stream reconnects and session starts: 1 s doubling up to 30 s, jittered.
const RECONNECT: RetryPolicy = RetryPolicy {
    max_attempts: u32::MAX,
    base_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(30),
};

impl Chat {
    fn new(
        client: Client,
        dispatch: UseReducerDispatcher<ChatState>,
        events: Events,
        visitor: Visitor,
    ) -> Self {
        let abort = AbortController::new().ok();
        let client = match &abort {
            Some(abort) => client.with_signal(abort.signal()),
            None => client,
        };
        let store = Store::new(client.channel_id().as_str());
        Self {
            client,
            abort,
            dispatch,
            events,
            visitor,
            store,
            token: RefCell::default(),
            starting: Cell::new(false),
            start_key: new_message_id().0,
            last_seq: Cell::new(0),
            reported: Cell::new(0),
            unread: Cell::new(0),
            read: Cell::new(0),
            open: Cell::new(false),
            stream: RefCell::default(),
            failures: Cell::new(0),
            reconnect_scheduled: Cell::new(false),
            typing_token: Cell::new(0),
            unsent: RefCell::default(),
            listeners: RefCell::default(),
            dead: Cell::new(false),
        }
    }

    /// Starts the conversation's work; `configured`: the state already has the channel's
    /// configuration, so it is not fetched.
    fn mount(self: &Rc<Self>, configured: bool) {
        if !configured {
            self.configure(None);
        }
        if let Some(window) = web_sys::window() {
            // `visibilitychange` bubbles from the document to the window.
            for (event, online) in [
                ("online", Some(true)),
                ("offline", Some(false)),
                ("visibilitychange", None),
            ] {
                let weak = Rc::downgrade(self);
                let listener: Listener = Closure::new(move || {
                    if let Some(chat) = weak.upgrade() {
                        match online {
                            Some(online) => chat.network_changed(online),
                            None => chat.mark_read(),
                        }
                    }
                });
                let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
                self.listeners.borrow_mut().push((event, listener));
            }
        }
        let unsent = self
            .store
            .get(storage::UNSENT)
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .map_or_else(Array::new, |list| Array::from(&list));
        let resume = unsent.length() > 0;
        for item in unsent {
            let item = Array::from(&item);
            let (Some(id), Some(text)) = (item.get(0).as_string(), item.get(1).as_string()) else {
                continue;
            };
            let input = match item.get(2).as_string() {
                Some(payload) => VisitorInput::Button { payload, title: text },
                None => VisitorInput::Text { text },
            };
            self.queue(SendMessage {
                id: MessageId(id),
                input,
            });
        }
        if self.store.get(storage::OPEN).is_some() {
            self.set_open(true, false);
        } else if resume || self.store.get(storage::SESSION).is_some() {
            spawn_local(self.clone().connect());
        }
    }

    fn shutdown(&self) {
        self.dead.set(true);
        if let Some(abort) = &self.abort {
            abort.abort();
        }
        self.stream.borrow_mut().take();
        if let Some(window) = web_sys::window() {
            for (event, listener) in self.listeners.borrow_mut().drain(..) {
                let _ = window.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
        }
    }

    fn command(self: &Rc<Self>, command: Command) {
        match command {
            Command::Open => self.set_open(true, true),
            Command::Close => self.set_open(false, false),
            Command::Toggle => self.set_open(!self.open.get(), true),
            Command::Send(text) => self.send(VisitorInput::Text { text }),
            Command::SetLocale(locale) => self.configure(Some(locale)),
        }
    }

    /// Reads the channel's configuration, its texts in `locale` (see [`Command::SetLocale`]).
    fn configure(self: &Rc<Self>, locale: Option<String>) {
        let chat = self.clone();
        spawn_local(async move {
            if let Ok(config) = chat.client.channel().config(locale.as_deref()).await {
                chat.dispatch.dispatch(Action::Configured(Rc::new(config)));
            }
        });
    }

    /// Opens or closes the panel; `focus`: the composer takes the focus when it opens.
    fn set_open(self: &Rc<Self>, open: bool, focus: bool) {
        let was_open = self.open.replace(open);
        self.dispatch.dispatch(Action::SetOpen { open, focus });
        self.store.set(storage::OPEN, open.then_some("1"));
        if open != was_open {
            self.events
                .emit(if open { "open" } else { "close" }, &JsValue::NULL);
        }
        if open {
            self.set_unread(0);
            self.mark_read();
            spawn_local(self.clone().connect());
        }
    }

    /// Tells the server the visitor has seen the conversation up to the last message
    /// received, when that is further than told before, the session is started, and the
    /// panel is open on a visible page.
    fn mark_read(&self) {
        let seq = self.reported.get();
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.hidden());
        let token = self.token.borrow().clone();
        if let Some(token) = token.filter(|_| self.open.get() && !hidden && seq > self.read.get()) {
            self.read.set(seq);
            let client = self.client.clone();
            spawn_local(async move {
                let _ = client.messages(&token).read(seq).await;
            });
        }
    }

    fn set_unread(&self, count: u32) {
        if self.unread.replace(count) != count {
            self.dispatch.dispatch(Action::Unread(count));
            self.events.emit("unread", &count.into());
        }
    }

    /// Reports the stored messages not reported yet: `message:received` for those not the
    /// visitor's, counted as unread while the panel is closed.
    fn report(&self, messages: &[Message]) {
        let mut unread = self.unread.get();
        for message in messages {
            if message.seq <= self.reported.get() {
                continue;
            }
            self.reported.set(message.seq);
            if message.author != Author::Visitor {
                self.events.emit("message:received", &message_detail(message));
                if !self.open.get() {
                    unread += 1;
                }
            }
        }
        self.set_unread(unread);
        self.mark_read();
    }

    fn network_changed(self: &Rc<Self>, online: bool) {
        if online {
            self.dispatch
                .dispatch(Action::Connection(Connection::Reconnecting));
            // Reconnect at once (a stream that survived may be stale), from the last seq.
            if self.token.borrow().is_some() {
                self.stream.borrow_mut().take();
                self.failures.set(0);
                self.open_stream();
            }
        } else {
            self.dispatch.dispatch(Action::Connection(Connection::Offline));
        }
    }

    fn connection_lost(&self) {
        let state = if crate::client::online() {
            Connection::Reconnecting
        } else {
            Connection::Offline
        };
        self.dispatch.dispatch(Action::Connection(state));
    }

    /// Starts the session (once) and keeps trying with backoff until it is started; a
    /// refusal that retrying cannot change (a 4xx other than 429) ends the attempts and is
    /// shown as [`Connection::Unverified`] when the page's user was refused (403
    /// `identity_invalid`), else as [`Connection::Unavailable`].
    async fn connect(self: Rc<Self>) {
        let mut failures = 0;
        while !self.dead.get() {
            match self.session().await {
                Ok(_) | Err(Error::Aborted) => return,
                Err(e) if e.status().is_some() && !e.is_retryable() => {
                    let state = match &e {
                        Error::Api { problem, .. } if problem.code == codes::IDENTITY_INVALID => {
                            Connection::Unverified
                        }
                        _ => Connection::Unavailable,
                    };
                    self.dispatch.dispatch(Action::Connection(state));
                    self.events.error(state.label());
                    return;
                }
                Err(_) => {
                    self.connection_lost();
                    sleep(RECONNECT.delay(failures)).await;
                    failures += 1;
                }
            }
        }
    }

    /// The session token, starting or resuming the session first if needed.
    async fn session(self: &Rc<Self>) -> Result<String, Error> {
        loop {
            if let Some(token) = self.token.borrow().clone() {
                return Ok(token);
            }
            if self.dead.get() {
                return Err(Error::Aborted);
            }
            if !self.starting.replace(true) {
                break;
            }
            sleep(Duration::from_millis(50)).await;
        }
        let result = self.start_session().await;
        self.starting.set(false);
        result
    }

    /// Starts or resumes the session, restores the history and opens the stream.
    async fn start_session(self: &Rc<Self>) -> Result<String, Error> {
        let body = self.visitor.start_body(self.store.get(storage::SESSION))?;
        let session = self.client.sessions().start_json(body, &self.start_key).await?;
        self.store.set(storage::SESSION, Some(&session.session_token));
        if session.created && self.last_seq.get() > 0 {
            // The old session is gone: its conversation is not this one.
            self.last_seq.set(0);
            self.dispatch.dispatch(Action::Reset);
        }
        let token = session.session_token;
        let after = self.last_seq.get();
        let history = self.client.messages(&token).list_all(after).await?;
        if let Some(last) = history.last() {
            self.last_seq.set(after.max(last.seq));
        }
        if after == 0 && !session.created {
            // The conversation as it was when the page loaded: nothing new to report.
            let last = history.last().map_or(0, |m| m.seq);
            self.reported.set(self.reported.get().max(last));
        } else {
            self.report(&history);
        }
        self.dispatch.dispatch(Action::Received(history));
        *self.token.borrow_mut() = Some(token.clone());
        self.mark_read();
        self.open_stream();
        Ok(token)
    }

    fn open_stream(self: &Rc<Self>) {
        let Some(token) = self.token.borrow().clone() else {
            return;
        };
        let weak = Rc::downgrade(self);
        let stream = self.client.events(&token, self.last_seq.get(), move |signal| {
            if let Some(chat) = weak.upgrade() {
                chat.on_signal(signal);
            }
        });
        match stream {
            Ok(stream) => *self.stream.borrow_mut() = Some(stream),
            Err(_) => self.schedule_reconnect(),
        }
    }

    fn on_signal(self: &Rc<Self>, signal: StreamSignal) {
        match signal {
            StreamSignal::Open => {
                self.failures.set(0);
                self.dispatch.dispatch(Action::Connection(Connection::Online));
                // Back in touch with the server: what failed to go out goes now.
                let failed: Vec<MessageId> = self
                    .unsent
                    .borrow()
                    .iter()
                    .filter(|(_, sending)| !sending)
                    .map(|(message, _)| message.id.clone())
                    .collect();
                for id in failed {
                    self.retry(id);
                }
            }
            StreamSignal::Event(StreamEvent::Message(message)) => {
                self.report(std::slice::from_ref(&message));
                self.dispatch.dispatch(Action::Received(vec![message]));
            }
            StreamSignal::Event(StreamEvent::Typing { duration_ms }) => {
                let token = self.typing_token.get().wrapping_add(1);
                self.typing_token.set(token);
                self.dispatch.dispatch(Action::Typing(token));
                let dispatch = self.dispatch.clone();
                spawn_local(async move {
                    sleep(Duration::from_millis(duration_ms.into())).await;
                    dispatch.dispatch(Action::TypingEnded(token));
                });
            }
            StreamSignal::Error => {
                // Closing drops the listener running right now: do it after it returns.
                let stream = self.stream.borrow_mut().take();
                spawn_local(async move { drop(stream) });
                self.connection_lost();
                self.schedule_reconnect();
            }
        }
    }

    /// Reopens the stream after a backoff, from the last `seq` received. Every third
    /// failure in a row the session is resumed first, in case its token expired.
    fn schedule_reconnect(self: &Rc<Self>) {
        if self.reconnect_scheduled.replace(true) {
            return;
        }
        let failures = self.failures.get();
        self.failures.set(failures + 1);
        let chat = self.clone();
        spawn_local(async move {
            sleep(RECONNECT.delay(failures)).await;
            while !crate::client::online() && !chat.dead.get() {
                sleep(Duration::from_secs(1)).await;
            }
            chat.reconnect_scheduled.set(false);
            if chat.dead.get() || chat.stream.borrow().is_some() {
                return;
            }
            if failures % 3 == 2 {
                chat.token.borrow_mut().take();
                chat.connect().await;
            } else {
                chat.open_stream();
            }
        });
    }

    fn send(self: &Rc<Self>, input: VisitorInput) {
        self.queue(SendMessage {
            id: new_message_id(),
            input,
        });
    }

    /// Shows `message` as sending, keeps it until it is stored and sends it.
    fn queue(self: &Rc<Self>, message: SendMessage) {
        let text = match &message.input {
            VisitorInput::Text { text } => text,
            VisitorInput::Button { title, .. } => title,
        };
        self.dispatch
            .dispatch(Action::Sending(Entry::sending(message.id.clone(), text.clone())));
        let id = message.id.clone();
        self.unsent.borrow_mut().push((message, false));
        self.save_unsent();
        self.deliver(&id);
    }

    fn retry(self: &Rc<Self>, id: MessageId) {
        if self.deliver(&id) {
            self.dispatch.dispatch(Action::Retrying(id));
        }
    }

    fn save_unsent(&self) {
        let unsent = self.unsent.borrow();
        let list = Array::new();
        for (message, _) in unsent.iter() {
            let (text, payload) = match &message.input {
                VisitorInput::Text { text } => (text, JsValue::NULL),
                VisitorInput::Button { payload, title } => (title, payload.into()),
            };
            list.push(&Array::of3(&message.id.as_str().into(), &text.into(), &payload));
        }
        let json = (!unsent.is_empty())
            .then(|| js_sys::JSON::stringify(&list).ok()?.as_string())
            .flatten();
        self.store.set(storage::UNSENT, json.as_deref());
    }

    /// Starts sending the unsent message `id` unless it is being sent; whether it started.
    fn deliver(self: &Rc<Self>, id: &MessageId) -> bool {
        let body = self
            .unsent
            .borrow_mut()
            .iter_mut()
            .find(|(message, sending)| message.id == *id && !*sending)
            .map(|(message, sending)| {
                *sending = true;
                message.clone()
            });
        let started = body.is_some();
        if let Some(body) = body {
            spawn_local(self.clone().post(body));
        }
        started
    }

    /// Sends `body`, retried with the same id on network errors and 5xx.
    async fn post(self: Rc<Self>, body: SendMessage) {
        let id = body.id.clone();
        let result = match self.session().await {
            Ok(token) => {
                let dispatch = self.dispatch.clone();
                // Past the session's message limit the server answers 429 and the message
                // waits its `Retry-After`: the header says so instead of "Online".
                let on_wait = move |cause: Option<&Error>| {
                    if cause.and_then(Error::status) == Some(429) {
                        dispatch.dispatch(Action::Connection(Connection::SlowDown));
                    }
                };
                self.client
                    .messages(&token)
                    .send(&body, RetryPolicy::default(), on_wait)
                    .await
            }
            Err(error) => Err(error),
        };
        match result {
            Err(Error::Aborted) => {}
            Ok(answer) => {
                if let Some(sent) = answer.messages.iter().find(|m| m.id == id) {
                    self.events.emit("message:sent", &message_detail(sent));
                }
                self.unsent.borrow_mut().retain(|(unsent, _)| unsent.id != id);
                self.save_unsent();
                self.report(&answer.messages);
                self.dispatch.dispatch(Action::Received(answer.messages));
                self.dispatch.dispatch(Action::Settled { id, ok: true });
            }
            Err(_) => {
                for (message, sending) in self.unsent.borrow_mut().iter_mut() {
                    if message.id == id {
                        *sending = false;
                    }
                }
                self.events.error("a message could not be sent");
                self.dispatch.dispatch(Action::Settled { id, ok: false });
            }
        }
    }
}
