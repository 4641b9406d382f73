//! Conversation turns: opening a session (start flow), handling a visitor message, and
//! everything the management API sends into a conversation ([`start_flow`], [`Turn`]).
//!
//! Every turn is one [`Turn`] run by [`turn`] in ONE write transaction (shared with the
//! turns queued at the same time and committed with them, see `db::writer`): the
//! visitor message, the engine run, the bot replies produced before any delay step (with
//! consecutive `seq`s), the profile effects, the flow statistics, the new conversation
//! state, the subscriber's `last_seen_at`, and the scheduled output after a delay. Its
//! caller gets the answer only after the commit; the events are published then, so an
//! open widget shows the messages at once, and they stay in the history for the next
//! visit.
//!
//! While the bot of a conversation is paused (human takeover), visitor messages are
//! stored but not answered, and flows cannot be started.
//!
//! Effects of flow steps go with the turn: a webhook step's call is scheduled (made by
//! the scheduler, whose answer runs [`webhook_answer`]); an owner notification and a
//! hand-over's notifications are outbox rows of the turn; a hand-over pauses the bot and
//! stores its notice.

use crate::clock;
use crate::db::writer::{BoxFuture, Savepoint};
use crate::db::{self, channels, flow_statistics, flows, messages, scheduled, sessions, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::outbox;
use crate::routes::public_channels::availability;
use crate::state::AppState;
use crate::telemetry::{self, Trigger};
use crate::tokens;
use parlo_engine::{Bot, Context, ConversationState, Input, Output, Profile, Track};
use parlo_model::automation::Automation;
use parlo_model::chat::{
    Author, MAX_PAYLOAD_CHARS, MAX_VISITOR_TEXT_CHARS, Message, MessageContent, SendMessage, Session,
    StartSession, StreamEvent, VisitorInput,
};
use parlo_model::conversation::SentMessages;
use parlo_model::flow::MAX_TITLE_CHARS;
use parlo_model::identity::MAX_USER_ID_CHARS;
use parlo_model::ids::{FlowId, MessageId};
use parlo_model::problem::FieldError;
use parlo_model::validate::{EMAIL, MAX_TEXT_CHARS, MemberRule, Rule, check_text, non_blank};
use std::collections::BTreeMap;
use std::sync::Arc;
use visitor::Visitor;

mod bots;
mod shop;
mod visitor;

/// Event type of a `notify_owner` step's e-mail; its data: `flow_id`, `step_id`,
/// `subscriber_id`, `text`.
pub const NOTIFICATION_EVENT: &str = "flow.notification";
/// Event type of a hand-over's notifications; its data: `flow_id`, `step_id`,
/// `subscriber_id`, `notice`.
pub const HAND_OVER_EVENT: &str = "conversation.handed_over";

/// Loads the bot of a channel (its triggers and every flow of its workspace, see
/// [`bots::bot_of`]) and the context of a run now ([`bot_with`]).
async fn load_bot(
    conn: &mut db::Connection,
    channel: &channels::Channel,
) -> anyhow::Result<(Arc<Bot>, Context)> {
    let sources = flows::bot_sources(conn, channel.workspace_id).await?;
    bot_with(channel, sources)
}

/// The bot of a channel built from `sources` read now, and the context of a run now: the
/// channel, today's date (in the time zone of the channel's business hours, else UTC),
/// whether those hours say it is away, the workspace's bot fields, and a random spin seed.
fn bot_with(channel: &channels::Channel, sources: flows::BotSources) -> anyhow::Result<(Arc<Bot>, Context)> {
    let bot = bots::bot_of(channel, sources.documents)?;
    let now = jiff::Timestamp::now();
    let hours = channel.business_hours.as_ref();
    let zone = hours
        .and_then(|h| jiff::tz::TimeZone::get(&h.time_zone).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let context = Context {
        channel: Some(channel.config.id.clone()),
        today: now.to_zoned_datetime(zone).date().to_string(),
        away: hours.is_some_and(|hours| !availability(hours, now).online),
        bot_fields: sources.bot_fields,
        seed: rand::random(),
    };
    Ok((bot, context))
}

/// Runs `body` as one turn: in a write transaction, answered once that committed (see
/// the module docs). Right after the commit, in commit order, the stored messages are
/// published to the conversation's open event streams, and the scheduler is woken when
/// output was scheduled. `body` builds a [`Turn`]
/// on the connection it is given and ends with [`Turn::finish`].
///
/// # Errors
/// The error of `body` (nothing of the turn is stored then), or a database error.
pub async fn turn<T, F>(state: &AppState, body: F) -> ApiResult<(T, Outcome)>
where
    F: for<'c> FnOnce(&'c mut db::Connection) -> BoxFuture<'c, ApiResult<(T, Outcome)>> + Send + 'static,
    T: Send + 'static,
{
    state.writer.write(body, publisher(state)).await
}

/// What runs right after a turn's commit (see [`turn`]): publishes its stored messages and
/// wakes the scheduler and the outbox when the turn gave them work.
fn publisher<T>(state: &AppState) -> impl FnOnce(&(T, Outcome)) + Send + 'static {
    let publisher = state.clone();
    move |(_, outcome): &(T, Outcome)| {
        for message in &outcome.messages {
            publisher
                .hub
                .publish(outcome.conversation_id, StreamEvent::Message(message.clone()));
        }
        if outcome.delayed {
            publisher.scheduler.notify_one();
        }
        if outcome.notified {
            publisher.outbox.notify_one();
        }
    }
}

/// What a committed turn stored.
#[derive(Debug)]
pub struct Outcome {
    /// The conversation (row id).
    conversation_id: i64,
    /// The messages stored, in `seq` order.
    pub messages: Vec<Message>,
    /// Whether output was scheduled for later (after a delay step, or a webhook step's
    /// call).
    pub delayed: bool,
    /// Whether outbox rows were written (notifications of flow steps).
    notified: bool,
}

impl Outcome {
    /// The outcome of a turn that stored nothing (a repeat answered from its first
    /// answer): nothing to publish.
    pub fn nothing() -> Self {
        Self {
            conversation_id: 0,
            messages: Vec::new(),
            delayed: false,
            notified: false,
        }
    }
}

impl From<Outcome> for SentMessages {
    fn from(outcome: Outcome) -> Self {
        Self {
            messages: outcome.messages,
            delayed: outcome.delayed,
        }
    }
}

/// One turn in a subscriber's conversation, inside the write transaction of [`turn`]:
/// open it ([`Turn::of_subscriber`] for the management API), store messages
/// ([`Turn::append`]), run the bot, change anything else that goes with them through
/// [`Turn::conn`], then [`Turn::finish`].
pub struct Turn<'c> {
    conn: &'c mut db::Connection,
    /// The conversation (row id).
    pub conversation_id: i64,
    /// The subscriber whose conversation it is.
    subscriber_id: String,
    /// The engine state of the conversation, saved by [`Turn::finish`].
    conversation: ConversationState,
    /// `seq` of the newest message.
    last_seq: u64,
    /// The bot pause as the turn opened, or as a hand-over of this turn set it.
    pause: messages::Pause,
    /// The time of this turn, RFC 3339 UTC.
    pub now: String,
    /// The messages of this turn, stored by [`Turn::finish`] in one statement.
    messages: Vec<Message>,
    /// How many of them are stored already ([`Turn::store_messages`]).
    stored: usize,
    /// `seq` and input JSON of the visitor message among them.
    visitor_input: Option<(u64, String)>,
    /// Whether output was scheduled for later.
    delayed: bool,
    /// Whether outbox rows were written.
    notified: bool,
    /// Flow steps whose message this turn stored, counted as sent by [`Turn::finish`].
    sent: Vec<parlo_engine::StepRef>,
    /// Whether the turn is the subscriber's doing, so [`Turn::finish`] marks it seen
    /// (`last_seen_at`).
    seen: bool,
}

impl<'c> Turn<'c> {
    /// A turn in conversation `conversation_id` of `subscriber_id`, at `now`.
    async fn open(
        conn: &'c mut db::Connection,
        conversation_id: i64,
        subscriber_id: String,
        now: String,
    ) -> ApiResult<Self> {
        let loaded = messages::load_conversation(conn, conversation_id).await?;
        Ok(Self::new(conn, (conversation_id, loaded), subscriber_id, now))
    }

    /// A turn in the conversation of `subscriber_id` on the channel it came through,
    /// creating the conversation when the subscriber has none yet.
    ///
    /// # Errors
    /// 404 when the workspace has no such subscriber.
    pub async fn of_subscriber(
        conn: &'c mut db::Connection,
        workspace_id: i64,
        subscriber_id: &str,
    ) -> ApiResult<Self> {
        let now = clock::now_rfc3339();
        let loaded = messages::ensure_conversation(conn, workspace_id, subscriber_id, &now)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{subscriber_id}'")))?;
        Ok(Self::new(conn, loaded, subscriber_id.to_owned(), now))
    }

    /// A turn in the conversation `(row id, what was read of it)`.
    fn new(
        conn: &'c mut db::Connection,
        (conversation_id, loaded): (i64, messages::Loaded),
        subscriber_id: String,
        now: String,
    ) -> Self {
        Self {
            conn,
            conversation_id,
            subscriber_id,
            conversation: loaded.state,
            last_seq: loaded.last_seq,
            pause: loaded.pause,
            now,
            messages: Vec::new(),
            stored: 0,
            visitor_input: None,
            delayed: false,
            notified: false,
            sent: Vec::new(),
            seen: false,
        }
    }

    /// The transaction, for changes that go with the messages.
    pub fn conn(&mut self) -> &mut db::Connection {
        self.conn
    }

    /// Whether the bot is paused, and until when (`None`: until resumed): as the turn
    /// opened, or as a hand-over of this turn left it.
    pub fn bot_pause(&self) -> (bool, Option<String>) {
        self.pause.at(&self.now)
    }

    /// Adds a message of `author` with the next `seq` (stored by [`Turn::finish`]).
    pub fn append(&mut self, author: Author, content: MessageContent) {
        self.store(tokens::new_message_id().into(), author, content, None);
    }

    /// Adds message `id` with the next `seq` (stored by [`Turn::finish`]).
    fn store(
        &mut self,
        id: MessageId,
        author: Author,
        content: MessageContent,
        reply_to: Option<&MessageId>,
    ) {
        self.last_seq += 1;
        self.messages.push(Message {
            id,
            seq: self.last_seq,
            author,
            content,
            created_at: self.now.clone(),
            reply_to: reply_to.cloned(),
        });
    }

    /// Runs the engine on `input` and carries out its outputs: messages before the first
    /// delay are stored at once with the next seqs; a delay schedules a typing indicator,
    /// and messages after it are scheduled at the summed delay. Effects are applied at
    /// once (the engine has applied them to `profile` already, so later steps saw them),
    /// and so are statistics, except the `sent` of a delayed message, counted on its
    /// delivery. A webhook step's call is scheduled like a message; notifications are
    /// written to the outbox; a hand-over pauses the bot and stores its notice at once. A
    /// shop action is carried out at once and its message sent like the others (see
    /// [`shop`]).
    async fn run_bot(
        &mut self,
        (bot, context): &(Arc<Bot>, Context),
        profile: &mut Profile,
        input: Input,
        reply_to: Option<&MessageId>,
    ) -> ApiResult<()> {
        let outputs = parlo_engine::run(bot, context, profile, &mut self.conversation, input);
        let start_ms = clock::now_ms();
        let mut offset_ms = 0_i64;
        // The step whose message is the next `Output::Message` (`Track::Sent`).
        let mut sending = None;
        for output in outputs {
            match output {
                Output::Message(content) => {
                    self.say(content, reply_to, sending.take(), start_ms + offset_ms)
                        .await?
                }
                Output::Shop { at, action } => {
                    let content = self.shop(bot, profile, &at, action).await?;
                    self.say(content, reply_to, None, start_ms + offset_ms).await?
                }
                Output::Delay(ms) => {
                    self.schedule(start_ms + offset_ms, &scheduled::Due::Typing(ms))
                        .await?;
                    offset_ms += i64::from(ms);
                    self.delayed = true;
                }
                Output::Effect(effect) => {
                    subscribers::apply(self.conn, &self.subscriber_id, &effect, &self.now).await?
                }
                Output::Track(Track::Sent(step)) => sending = Some(step),
                Output::Track(Track::Pressed { at, kind, index }) => {
                    flow_statistics::count_click(self.conn, self.conversation_id, &at, kind, index).await?
                }
                Output::Track(Track::Completed(at)) => {
                    flow_statistics::count_completion(self.conn, self.conversation_id, &at).await?
                }
                Output::Track(Track::Outcome { at, outcome }) => {
                    flow_statistics::count_outcome(self.conn, self.conversation_id, &at, outcome).await?
                }
                Output::CallWebhook {
                    at,
                    endpoint_id,
                    timeout_seconds,
                } => {
                    let call = scheduled::WebhookCall {
                        message_id: tokens::new_message_id(),
                        at,
                        endpoint_id,
                        timeout_seconds,
                    };
                    self.schedule(start_ms + offset_ms, &scheduled::Due::Webhook(call))
                        .await?;
                    self.delayed = true;
                }
                Output::NotifyOwner { at, to, text } => {
                    let data = serde_json::json!({
                        "flow_id": at.flow, "step_id": at.step, "subscriber_id": self.subscriber_id, "text": text,
                    });
                    self.notify(NOTIFICATION_EVENT, data, vec![Automation::Email { to }])
                        .await?;
                }
                Output::HandOver {
                    at,
                    notice,
                    email,
                    endpoint_id,
                } => {
                    messages::hand_over(self.conn, self.conversation_id, &self.now).await?;
                    self.pause = messages::Pause::handed_over(&self.now);
                    self.append(Author::System, MessageContent::text(notice.clone()));
                    let data = serde_json::json!({
                        "flow_id": at.flow, "step_id": at.step, "subscriber_id": self.subscriber_id, "notice": notice,
                    });
                    let automations = email
                        .map(|to| Automation::Email { to })
                        .into_iter()
                        .chain(endpoint_id.map(|endpoint_id| Automation::Webhook { endpoint_id }))
                        .collect();
                    self.notify(HAND_OVER_EVENT, data, automations).await?;
                }
            }
        }
        Ok(())
    }

    /// Sends a bot message of this turn: stored at once with the next seq (counted as
    /// sent by the flow step `step`, if any), or, after a delay of this turn, scheduled
    /// for `at_ms` (Unix time, ms) and counted on delivery.
    async fn say(
        &mut self,
        content: MessageContent,
        reply_to: Option<&MessageId>,
        step: Option<parlo_engine::StepRef>,
        at_ms: i64,
    ) -> ApiResult<()> {
        if self.delayed {
            let due = scheduled::Due::Message {
                id: tokens::new_message_id(),
                content,
                reply_to: reply_to.map(|r| r.0.clone()),
                step,
            };
            return self.schedule(at_ms, &due).await;
        }
        self.store(tokens::new_message_id().into(), Author::Bot, content, reply_to);
        self.sent.extend(step);
        Ok(())
    }

    /// Runs flow `flow_id` of the workspace from its start step with `payload` (its
    /// `{{payload.<key>}}` variables), as the bot of the channel of the conversation
    /// ([`Turn::run_bot`]).
    ///
    /// # Errors
    /// 409 `conflict` while the bot is paused for the subscriber (human takeover); then 422
    /// at `/flow_id` when the workspace has no such flow.
    pub async fn start_flow(
        &mut self,
        workspace_id: i64,
        flow_id: FlowId,
        payload: BTreeMap<String, String>,
    ) -> ApiResult<()> {
        if self.bot_pause().0 {
            return Err(ApiError::Conflict(format!(
                "the bot is paused for subscriber '{}'; resume it to start a flow",
                self.subscriber_id
            )));
        }
        if flows::find(self.conn, workspace_id, flow_id.as_str())
            .await?
            .is_none()
        {
            return Err(ApiError::invalid(
                "/flow_id",
                format!("no flow '{flow_id}' in this workspace"),
            ));
        }
        let channel_id = messages::channel_of(self.conn, self.conversation_id).await?;
        let channel = channels::find(self.conn, &channel_id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
        let bot = load_bot(self.conn, &channel).await?;
        let mut profile = subscribers::profile(self.conn, &self.subscriber_id).await?;
        let input = Input::StartFlow {
            flow: flow_id,
            payload,
        };
        self.run_bot(&bot, &mut profile, input, None).await
    }

    /// Writes outbox rows of event `event_type` about this turn's subscriber, one per
    /// automation; the worker is woken after the commit.
    async fn notify(
        &mut self,
        event_type: &str,
        data: serde_json::Value,
        automations: Vec<Automation>,
    ) -> ApiResult<()> {
        if automations.is_empty() {
            return Ok(());
        }
        let (workspace_id, _) = messages::parties(self.conn, self.conversation_id).await?;
        let event = outbox::Event {
            workspace_id,
            subscriber_id: Some(self.subscriber_id.clone().into()),
            event_type: event_type.to_owned(),
            data,
        };
        outbox::enqueue(self.conn, &event, &automations).await?;
        self.notified = true;
        Ok(())
    }

    /// Schedules `due` for `at_ms` (Unix time, ms) in this conversation.
    async fn schedule(&mut self, at_ms: i64, due: &scheduled::Due) -> ApiResult<()> {
        scheduled::insert(self.conn, self.conversation_id, at_ms, due, &self.now).await?;
        Ok(())
    }

    /// Stores the messages of this turn added so far, for a write of the turn that reads
    /// them (e.g. an [`AlsoInTurn`]); [`Turn::finish`] stores the rest.
    pub async fn store_messages(&mut self) -> ApiResult<()> {
        let rows = new_messages(&self.messages[self.stored..], &self.visitor_input, self.last_seq);
        messages::insert(self.conn, self.conversation_id, &rows).await?;
        self.stored = self.messages.len();
        Ok(())
    }

    /// Stores the turn's messages not stored yet (a visitor message with its input,
    /// answered by the messages after it), saves the conversation's engine state and
    /// `last_seq`, counts the sent messages of flow steps, and marks the subscriber seen
    /// when the turn is its doing (one request on SQLite, see [`messages::save_turn`]);
    /// answers what to publish.
    pub async fn finish(self) -> ApiResult<Outcome> {
        self.finish_handing(None).await
    }

    /// [`Turn::finish`] whose request may also run the next turn's first read offered by
    /// `savepoint` (see [`Savepoint::take_next`]): the turn must not fail after it.
    async fn finish_handing(self, savepoint: Option<&mut Savepoint>) -> ApiResult<Outcome> {
        let rows = new_messages(&self.messages[self.stored..], &self.visitor_input, self.last_seq);
        let also = messages::AlsoSaved {
            seen: self
                .seen
                .then_some((self.subscriber_id.as_str(), self.now.as_str())),
            sent: &self.sent,
        };
        messages::save_turn(
            self.conn,
            self.conversation_id,
            &rows,
            &self.conversation,
            self.last_seq,
            also,
            savepoint,
        )
        .await?;
        Ok(Outcome {
            conversation_id: self.conversation_id,
            messages: self.messages,
            delayed: self.delayed,
            notified: self.notified,
        })
    }
}

/// The rows storing `messages` of a turn: the visitor message (`visitor_input`: its `seq`
/// and input JSON) answered up to `last_seq`, any other message plain.
fn new_messages<'a>(
    messages: &'a [Message],
    visitor_input: &'a Option<(u64, String)>,
    last_seq: u64,
) -> Vec<messages::NewMessage<'a>> {
    messages
        .iter()
        .map(|message| match visitor_input {
            Some((seq, input)) if *seq == message.seq => messages::NewMessage {
                message,
                input: Some(input),
                answer_last_seq: Some(last_seq),
            },
            _ => messages::NewMessage::plain(message),
        })
        .collect()
}

/// A write that commits with a turn or not at all, run at the turn's end, after its
/// messages are stored: e.g. marking done the outbox delivery that asked for the turn, so
/// the turn happens exactly once. An `Err` undoes the whole turn.
pub type AlsoInTurn = Box<dyn for<'c> FnOnce(&'c mut db::Connection) -> BoxFuture<'c, ApiResult<()>> + Send>;

/// Starts flow `flow_id` for a subscriber of the workspace, as `POST
/// /api/v1/subscribers/{id}/send-flow` and the "start a flow" automation do: runs the
/// engine with [`Input::StartFlow`] and `payload` (the flow's `{{payload.<key>}}`
/// variables), stores the bot's messages, publishes them to the subscriber's open
/// widget, and schedules the output after delay steps. `also` runs in the same turn,
/// after the flow (see [`AlsoInTurn`]).
///
/// # Errors
/// 404 when the workspace has no such subscriber; 422 at `/flow_id` when it has no such
/// flow (a bad reference inside the body, not a missing resource of the path); 409 `conflict` while the bot is
/// paused for the subscriber (human takeover); the error of `also`.
pub async fn start_flow(
    state: &AppState,
    workspace_id: i64,
    subscriber_id: &str,
    flow_id: &FlowId,
    payload: BTreeMap<String, String>,
    also: Option<AlsoInTurn>,
) -> ApiResult<SentMessages> {
    let (subscriber_id, flow_id) = (subscriber_id.to_owned(), flow_id.clone());
    let ((), outcome) = turn(state, move |conn| {
        Box::pin(async move {
            let mut turn = Turn::of_subscriber(conn, workspace_id, &subscriber_id).await?;
            turn.start_flow(workspace_id, flow_id, payload).await?;
            if let Some(also) = also {
                turn.store_messages().await?;
                also(turn.conn).await?;
            }
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    telemetry::chat_turn(Trigger::SendFlow);
    Ok(outcome.into())
}

/// Goes on after the call of a webhook step, scheduled as item `scheduled_id` of
/// conversation `conversation_id`: in one turn, deletes the item and runs the engine with
/// [`Input::WebhookAnswer`] (`answer`: the answer's JSON body, `None` when the call
/// failed). Nothing happens when the item is gone (another instance went on already, or
/// the bot was paused, which drops scheduled items) or while the bot is paused; the item
/// is only deleted when the conversation's channel is gone.
///
/// # Errors
/// A database error; the item then stays, and its call is repeated when its claim runs
/// out.
pub async fn webhook_answer(
    state: &AppState,
    scheduled_id: i64,
    conversation_id: i64,
    at: parlo_engine::StepRef,
    answer: Option<serde_json::Value>,
) -> ApiResult<()> {
    let bot = {
        let mut conn = state.db.acquire().await?;
        let channel_id = messages::channel_of(&mut conn, conversation_id).await?;
        match channels::find(&mut conn, &channel_id).await? {
            Some(channel) => Some(load_bot(&mut conn, &channel).await?),
            None => None,
        }
    };
    let ((), outcome) = turn(state, move |conn| {
        Box::pin(async move {
            if !scheduled::delete(conn, scheduled_id, conversation_id).await? {
                return Ok(((), Outcome::nothing()));
            }
            let Some(bot) = bot else {
                return Ok(((), Outcome::nothing()));
            };
            let (_, subscriber_id) = messages::parties(conn, conversation_id).await?;
            let now = clock::now_rfc3339();
            let mut turn = Turn::open(conn, conversation_id, subscriber_id, now).await?;
            if !turn.bot_pause().0 {
                let mut profile = subscribers::profile(turn.conn, &turn.subscriber_id).await?;
                turn.run_bot(&bot, &mut profile, Input::WebhookAnswer { at, answer }, None)
                    .await?;
            }
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    if outcome.conversation_id != 0 {
        telemetry::chat_turn(Trigger::WebhookAnswer);
    }
    Ok(())
}

/// What [`open_session`] answered.
#[derive(Debug)]
pub struct Opened {
    /// The session.
    pub session: Session,
    /// `true` when a known idempotency key answered the subscriber its first start
    /// created (with a new token of it), rather than this call creating or resuming one.
    pub repeated: bool,
}

/// `POST /sessions`: resumes the session of a valid `start.session_token` for this
/// channel, or creates a subscriber, its conversation and session, and runs the channel's
/// start flow.
///
/// With an `idempotency_key` (checked by the caller) the start happens once per key: the
/// key is recorded in the start's turn, and a later start with it (a retry after a lost
/// answer) creates nothing but a new session token of the subscriber the first one
/// created, answered as that first answer was (`created: true`) with the conversation's
/// current `last_seq`. A new token rather than the first one, because only tokens'
/// digests are stored. The check and the start run in one write turn, so concurrent
/// retries cannot both create.
///
/// A verified user (`start.user` with its `user_hash`, see [`visitor::Visitor::check`])
/// decides the subscriber: the session's anonymous subscriber is merged into the
/// workspace's subscriber with that external id ([`db::merge::merge_into`]; the token
/// stays valid and now opens it) or, when there is none, becomes it; a session of another
/// user, or none, gets a new token of that subscriber (created with the start flow when
/// the workspace has none yet). The messages a merge appends are published to the
/// identified conversation's open streams. Profile members, attributes and the capture
/// are stored on the resolved subscriber in the same turn.
///
/// # Errors
/// 404 when the channel does not exist; 422 and 403 `identity_invalid` as
/// [`visitor::Visitor::check`] says (nothing is stored then); 409 `conflict` when the key
/// was used to start a session on another channel.
pub async fn open_session(
    state: &AppState,
    channel_id: &str,
    mut start: StartSession,
    idempotency_key: Option<String>,
) -> ApiResult<Opened> {
    let mut conn = state.db.acquire().await?;
    let channel = channels::find(&mut conn, channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    let token = start.session_token.take().filter(|t| !t.is_empty());
    let visitor = Visitor::check(&mut conn, channel_id, start).await?;
    let resumed = match &token {
        Some(token) => sessions::find(&mut conn, &tokens::digest(token))
            .await?
            .filter(|session| session.channel_id == channel_id),
        None => None,
    };
    if let (Some(token), Some(session)) = (&token, &resumed)
        && visitor.is_empty()
    {
        subscribers::touch(&mut conn, &session.subscriber_id, &clock::now_rfc3339()).await?;
        let last_seq = messages::last_seq(&mut conn, session.conversation_id).await?;
        return Ok(Opened {
            session: Session {
                session_token: token.clone(),
                subscriber_id: session.subscriber_id.clone().into(),
                created: false,
                last_seq,
            },
            repeated: false,
        });
    }
    let bot = load_bot(&mut conn, &channel).await?;
    drop(conn);

    let new_token = tokens::new_session_token();
    let token_hash = tokens::digest(&new_token);
    let new_subscriber_id = tokens::new_subscriber_id();
    let channel_id = channel_id.to_owned();
    let workspace_id = channel.workspace_id;
    let (resolved, _) = turn(state, {
        let channel_id = channel_id.clone();
        move |conn| {
            Box::pin(async move {
                let now = clock::now_rfc3339();
                let channel_id = channel_id.as_str();
                let resumed = resumed.map(|session| (token.unwrap_or_default(), session));
                if resumed.is_none()
                    && let Some(key) = &idempotency_key
                    && let Some(start) = sessions::find_start(conn, key).await?
                {
                    if start.channel_id != channel_id {
                        return Err(ApiError::Conflict(format!(
                            "idempotency key '{key}' was used to start a session on another channel"
                        )));
                    }
                    let session =
                        new_session(conn, &token_hash, &start.subscriber_id, channel_id, &now).await?;
                    let last_seq = messages::last_seq(conn, session.conversation_id).await?;
                    let outcome = Outcome {
                        conversation_id: session.conversation_id,
                        ..Outcome::nothing()
                    };
                    let resolved = Resolved {
                        token: new_token,
                        subscriber_id: start.subscriber_id,
                        created: true,
                        repeated: true,
                        last_seq,
                    };
                    return Ok((resolved, outcome));
                }
                // The subscriber the visitor is, unless a new one is to be created.
                let (mut token, mut found, mut conversation_id) = (new_token, None, None);
                let mut appended = Vec::new();
                if let Some((given, session)) = resumed {
                    let current = subscribers::external_id(conn, &session.subscriber_id).await?;
                    let identified = match &visitor.external_id {
                        Some(id) if current.as_ref() != Some(id) => {
                            subscribers::with_external_id(conn, workspace_id, id).await?
                        }
                        _ => None,
                    };
                    match (&visitor.external_id, current, identified) {
                        // An anonymous visitor who is a known user: merged into that user.
                        (Some(_), None, Some(user)) => {
                            appended = db::merge::merge_into(conn, &session.subscriber_id, &user).await?;
                            (token, found) = (given, Some(user));
                        }
                        // An anonymous visitor who is a new user: becomes that user.
                        (Some(id), None, None) => {
                            subscribers::set_external_id(conn, &session.subscriber_id, id).await?;
                            (token, found) = (given, Some(session.subscriber_id));
                        }
                        // Another user signed in on this browser: not that session.
                        (Some(id), Some(current), identified) if &current != id => found = identified,
                        // The same visitor.
                        _ => {
                            conversation_id = Some(session.conversation_id);
                            (token, found) = (given, Some(session.subscriber_id));
                        }
                    }
                } else if let Some(id) = &visitor.external_id {
                    found = subscribers::with_external_id(conn, workspace_id, id).await?;
                }
                if let Some(subscriber_id) = found {
                    visitor.store(conn, workspace_id, &subscriber_id, &now).await?;
                    subscribers::touch(conn, &subscriber_id, &now).await?;
                    let conversation_id = match conversation_id {
                        Some(id) => id,
                        None => {
                            let hash = tokens::digest(&token);
                            match sessions::find(conn, &hash).await? {
                                Some(session) if session.subscriber_id == subscriber_id => {
                                    session.conversation_id
                                }
                                _ => {
                                    new_session(conn, &hash, &subscriber_id, channel_id, &now)
                                        .await?
                                        .conversation_id
                                }
                            }
                        }
                    };
                    let messages = appended
                        .into_iter()
                        .filter(|(id, _)| *id == conversation_id)
                        .flat_map(|(_, messages)| messages)
                        .collect();
                    let last_seq = messages::last_seq(conn, conversation_id).await?;
                    let outcome = Outcome {
                        conversation_id,
                        messages,
                        ..Outcome::nothing()
                    };
                    let resolved = Resolved {
                        token,
                        subscriber_id,
                        created: false,
                        repeated: false,
                        last_seq,
                    };
                    return Ok((resolved, outcome));
                }
                let subscriber_id = new_subscriber_id;
                subscribers::create(conn, &subscriber_id, workspace_id, channel_id, &now).await?;
                if let Some(id) = &visitor.external_id {
                    subscribers::set_external_id(conn, &subscriber_id, id).await?;
                }
                visitor.store(conn, workspace_id, &subscriber_id, &now).await?;
                let conversation_id =
                    messages::create_conversation(conn, &subscriber_id, channel_id, &now).await?;
                sessions::create(conn, &tokens::digest(&token), &subscriber_id, channel_id, &now).await?;
                if let Some(key) = &idempotency_key {
                    let start = sessions::Start {
                        channel_id: channel_id.to_owned(),
                        subscriber_id: subscriber_id.clone(),
                    };
                    sessions::record_start(conn, key, &start, &now).await?;
                }
                let mut profile = subscribers::profile(conn, &subscriber_id).await?;
                let mut turn = Turn {
                    conn,
                    conversation_id,
                    subscriber_id: subscriber_id.clone(),
                    conversation: ConversationState::default(),
                    last_seq: 0,
                    pause: messages::Pause::default(),
                    now,
                    messages: Vec::new(),
                    stored: 0,
                    visitor_input: None,
                    delayed: false,
                    notified: false,
                    sent: Vec::new(),
                    seen: false,
                };
                turn.run_bot(&bot, &mut profile, Input::Start, None).await?;
                let resolved = Resolved {
                    token,
                    subscriber_id,
                    created: true,
                    repeated: false,
                    last_seq: turn.last_seq,
                };
                Ok((resolved, turn.finish().await?))
            })
        }
    })
    .await?;
    if resolved.created && !resolved.repeated {
        telemetry::chat_turn(Trigger::Session);
        let subscriber_id = &resolved.subscriber_id;
        tracing::info!(%subscriber_id, %channel_id, "subscriber created");
    }
    Ok(Opened {
        session: Session {
            session_token: resolved.token,
            subscriber_id: resolved.subscriber_id.into(),
            created: resolved.created,
            last_seq: resolved.last_seq,
        },
        repeated: resolved.repeated,
    })
}

/// The subscriber a session start resolved to, inside its turn.
struct Resolved {
    /// The session token answered (the one given when it still holds, else a new one).
    token: String,
    /// The subscriber.
    subscriber_id: String,
    /// Whether the subscriber was created by this start or by the first start with its key.
    created: bool,
    /// Whether a known idempotency key answered.
    repeated: bool,
    /// `seq` of the newest message of the conversation.
    last_seq: u64,
}

/// Stores a session of `subscriber_id` on `channel_id` for the token whose digest is
/// `token_hash`, creating the subscriber's conversation on the channel when it has none
/// (a subscriber added through the API, or first seen on another channel).
async fn new_session(
    conn: &mut db::Connection,
    token_hash: &str,
    subscriber_id: &str,
    channel_id: &str,
    now: &str,
) -> ApiResult<sessions::VisitorSession> {
    sessions::create(conn, token_hash, subscriber_id, channel_id, now).await?;
    if let Some(session) = sessions::find(conn, token_hash).await? {
        return Ok(session);
    }
    messages::create_conversation(conn, subscriber_id, channel_id, now).await?;
    Ok(sessions::find(conn, token_hash)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the session just stored is gone"))?)
}

/// A phone number [`FieldKind::Phone`](parlo_model::validate::FieldKind::Phone) takes: an
/// optional `+`, then 7 to 15 digits among spaces, dots, dashes and parentheses.
const PHONE_PATTERN: &str = r"^\+?[ .()-]*(?:[0-9][ .()-]*){7,15}$";

/// What [`validate`] checks of a `POST /messages` body, and [`Visitor::check`] of the
/// user in a `POST /sessions` body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 8] = [
    ("VisitorUser", "id", non_blank(MAX_USER_ID_CHARS)),
    ("VisitorUser", "name", non_blank(MAX_TEXT_CHARS)),
    ("VisitorUser", "email", EMAIL),
    ("VisitorUser", "phone", Rule::Pattern(PHONE_PATTERN)),
    (
        "MessageId",
        "",
        Rule::Pattern(parlo_model::ids::MESSAGE_ID_PATTERN),
    ),
    ("VisitorInputText", "text", non_blank(MAX_VISITOR_TEXT_CHARS)),
    ("VisitorInputButton", "title", non_blank(MAX_TITLE_CHARS)),
    (
        "VisitorInputButton",
        "payload",
        Rule::Text {
            min: 1,
            max: MAX_PAYLOAD_CHARS,
            pattern: "",
        },
    ),
];

/// Checks a `POST /messages` body; lists every problem.
fn validate(body: &SendMessage) -> ApiResult<()> {
    let mut errors = Vec::new();
    let id = body.id.as_str();
    if !(1..=64).contains(&id.len())
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(FieldError::new("/id", "must be 1..=64 of A-Z, a-z, 0-9, _ and -"));
    }
    match &body.input {
        VisitorInput::Text { text } => {
            if let Err(problem) = check_text(text, MAX_VISITOR_TEXT_CHARS) {
                errors.push(FieldError::new("/input/text", problem));
            }
        }
        VisitorInput::Button { payload, title } => {
            if payload.is_empty() || payload.chars().count() > MAX_PAYLOAD_CHARS {
                errors.push(FieldError::new(
                    "/input/payload",
                    format!("must be 1..={MAX_PAYLOAD_CHARS} characters"),
                ));
            }
            if let Err(problem) = check_text(title, MAX_TITLE_CHARS) {
                errors.push(FieldError::new("/input/title", problem));
            }
        }
    }
    ApiError::unless_any(errors)
}

/// `POST /messages`: stores the visitor message, runs the bot (unless it is paused) and
/// answers the visitor message followed by the bot replies produced at once.
///
/// Idempotent by message id: a repeat with the same input answers the same messages and
/// stores nothing; with a different input it is a 409. `bot` is the session's channel and
/// its bot sources, read with the session ([`flows::session_with_bot_sources`]).
///
/// # Errors
/// 422 for an invalid body, 404 without the channel, 409 for a reused id.
pub async fn send_message(
    state: &AppState,
    session: &sessions::VisitorSession,
    bot: Option<(channels::Channel, flows::BotSources)>,
    body: SendMessage,
) -> ApiResult<Vec<Message>> {
    validate(&body)?;
    let input_json = serde_json::to_string(&body.input)?;
    let (text, input) = match body.input {
        VisitorInput::Text { text } => {
            let text = text.trim().to_owned();
            (text.clone(), Input::Text(text))
        }
        VisitorInput::Button { payload, title } => (title.trim().to_owned(), Input::Button(payload)),
    };
    // The bot (channel triggers and flows) is read before the turn, concurrently with
    // other requests, so the writer only does what must be serialised.
    let (channel, sources) =
        bot.ok_or_else(|| ApiError::NotFound(format!("no channel '{}'", session.channel_id)))?;
    let bot = bot_with(&channel, sources)?;
    let session = session.clone();
    let id = body.id;
    let first_read = messages::first_read(
        session.conversation_id,
        id.to_string(),
        session.subscriber_id.clone(),
    );
    // A turn as [`turn`] runs it, whose first request also begins its savepoint, and whose
    // last request may also open the next turn.
    let (repeated, outcome) = state
        .writer
        .write_begun(
            Some(first_read),
            move |conn, savepoint| {
                Box::pin(async move {
                    let conversation_id = session.conversation_id;
                    let now = clock::now_rfc3339();
                    let opening = messages::open_turn(
                        conn,
                        savepoint,
                        conversation_id,
                        id.as_str(),
                        &session.subscriber_id,
                    )
                    .await?;
                    if let Some(existing) = opening.existing {
                        if existing.message.author != Author::Visitor
                            || existing.input.as_deref() != Some(&input_json)
                        {
                            return Err(ApiError::Conflict(format!(
                                "message id '{id}' was already used with a different input"
                            )));
                        }
                        subscribers::touch(conn, &session.subscriber_id, &now).await?;
                        let seq = existing.message.seq;
                        let until = existing.answer_last_seq.unwrap_or(seq);
                        let replies = messages::range(conn, conversation_id, seq, until, u32::MAX).await?;
                        let repeated = std::iter::once(existing.message).chain(replies).collect();
                        let outcome = Outcome {
                            conversation_id,
                            ..Outcome::nothing()
                        };
                        return Ok((Some(repeated), outcome));
                    }
                    let mut profile = opening.profile;
                    let mut turn = Turn::new(
                        conn,
                        (conversation_id, opening.loaded),
                        session.subscriber_id,
                        now,
                    );
                    turn.seen = true;
                    turn.store(id.clone(), Author::Visitor, MessageContent::text(text), None);
                    turn.visitor_input = Some((turn.last_seq, input_json));
                    if !turn.bot_pause().0 {
                        turn.run_bot(&bot, &mut profile, input, Some(&id)).await?;
                    }
                    Ok((None, turn.finish_handing(Some(savepoint)).await?))
                })
            },
            publisher(state),
        )
        .await?;
    if let Some(repeated) = repeated {
        return Ok(repeated);
    }
    telemetry::chat_turn(Trigger::Message);
    Ok(outcome.messages)
}
