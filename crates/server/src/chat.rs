//! Conversation turns: opening a session (start flow), handling a visitor message, and
//! everything the management API sends into a conversation ([`start_flow`], [`Posting`]).
//!
//! A turn runs in ONE write transaction: the visitor message, the engine run, the bot
//! replies produced before any delay step (with consecutive `seq`s), the profile effects,
//! the flow statistics, the new conversation state, and the scheduled output after a
//! delay. Events are published after the commit, so an open widget shows the messages at
//! once, and they stay in the history for the next visit.
//!
//! While the bot of a conversation is paused (human takeover), visitor messages are
//! stored but not answered, and flows cannot be started.

use crate::clock;
use crate::db::{self, channels, flow_statistics, flows, messages, scheduled, sessions, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::telemetry::{self, Trigger};
use crate::tokens;
use parlo_engine::{Bot, ConversationState, Input, Output, Profile, Track};
use parlo_model::chat::{
    Author, MAX_VISITOR_TEXT_CHARS, Message, MessageContent, SendMessage, Session, StreamEvent, VisitorInput,
};
use parlo_model::conversation::SentMessages;
use parlo_model::flow::MAX_TITLE_CHARS;
use parlo_model::ids::{FlowId, MessageId};
use parlo_model::problem::FieldError;
use std::collections::BTreeMap;

/// Loads the bot of a channel: its triggers and every flow of its workspace.
async fn load_bot(conn: &mut db::Connection, channel: &channels::Channel) -> anyhow::Result<Bot> {
    Ok(Bot::new(
        channel.bot.clone(),
        flows::all(conn, channel.workspace_id).await?,
    ))
}

/// What carrying out engine outputs produced.
struct Carried {
    /// Bot messages stored now, in seq order.
    messages: Vec<Message>,
    /// Whether output was scheduled for later.
    scheduled: bool,
}

/// Stores a message of `author` with the next seq (advancing `last_seq`).
async fn append(
    conn: &mut db::Connection,
    conversation_id: i64,
    last_seq: &mut u64,
    author: Author,
    content: MessageContent,
    reply_to: Option<&MessageId>,
    now: &str,
) -> anyhow::Result<Message> {
    *last_seq += 1;
    let message = Message {
        id: tokens::new_message_id().into(),
        seq: *last_seq,
        author,
        content,
        created_at: now.to_owned(),
        reply_to: reply_to.cloned(),
    };
    messages::insert(conn, conversation_id, &message, None).await?;
    Ok(message)
}

/// Carries out engine outputs: messages before the first delay are stored at once with
/// the next seqs (advancing `last_seq`); a delay schedules a typing indicator, and
/// messages after it are scheduled at the summed delay. Effects are applied at once
/// (the engine has applied them to its profile already, so later steps saw them), and so
/// are statistics, except the `sent` of a delayed message, counted on its delivery.
async fn carry_out(
    conn: &mut db::Connection,
    conversation_id: i64,
    subscriber_id: &str,
    outputs: Vec<Output>,
    reply_to: Option<&MessageId>,
    last_seq: &mut u64,
    now: &str,
) -> anyhow::Result<Carried> {
    let start_ms = clock::now_ms();
    let mut offset_ms = 0_i64;
    let mut carried = Carried {
        messages: Vec::new(),
        scheduled: false,
    };
    // The step whose message is the next `Output::Message` (`Track::Sent`).
    let mut sending = None;
    for output in outputs {
        match output {
            Output::Message(content) if !carried.scheduled => {
                let message = append(
                    conn,
                    conversation_id,
                    last_seq,
                    Author::Bot,
                    content,
                    reply_to,
                    now,
                )
                .await?;
                if let Some(step) = sending.take() {
                    flow_statistics::count_sent(conn, conversation_id, &step).await?;
                }
                carried.messages.push(message);
            }
            Output::Message(content) => {
                let due = scheduled::Due::Message {
                    id: tokens::new_message_id(),
                    content,
                    reply_to: reply_to.map(|r| r.0.clone()),
                    step: sending.take(),
                };
                scheduled::insert(conn, conversation_id, start_ms + offset_ms, &due, now).await?;
            }
            Output::Delay(ms) => {
                let due = scheduled::Due::Typing(ms);
                scheduled::insert(conn, conversation_id, start_ms + offset_ms, &due, now).await?;
                offset_ms += i64::from(ms);
                carried.scheduled = true;
            }
            Output::Effect(effect) => subscribers::apply(conn, subscriber_id, &effect, now).await?,
            Output::Track(Track::Sent(step)) => sending = Some(step),
            Output::Track(Track::Pressed { at, kind, index }) => {
                flow_statistics::count_click(conn, conversation_id, &at, kind, index).await?
            }
            Output::Track(Track::Completed(at)) => {
                flow_statistics::count_completion(conn, conversation_id, &at).await?
            }
        }
    }
    Ok(carried)
}

/// Pushes stored messages to the conversation's open event streams, and wakes the
/// scheduler when output was scheduled.
fn publish(state: &AppState, conversation_id: i64, messages: &[Message], scheduled: bool) {
    for message in messages {
        state
            .hub
            .publish(conversation_id, StreamEvent::Message(message.clone()));
    }
    if scheduled {
        state.scheduler.notify_one();
    }
}

/// Messages posted into a subscriber's conversation by the management API, in one write
/// transaction: [`Posting::begin`], then [`Posting::append`] (and any other change through
/// [`Posting::conn`]), then [`Posting::commit`], which publishes them to the open widget.
pub struct Posting {
    tx: db::Transaction,
    /// The conversation (row id).
    pub conversation_id: i64,
    /// `seq` of its newest message.
    last_seq: u64,
    /// The time of this posting, RFC 3339 UTC.
    pub now: String,
    messages: Vec<Message>,
}

impl Posting {
    /// Starts posting to the conversation of `subscriber_id` on the channel it came
    /// through, creating the conversation when the subscriber has none yet.
    ///
    /// # Errors
    /// 404 when the workspace has no such subscriber.
    pub async fn begin(state: &AppState, workspace_id: i64, subscriber_id: &str) -> ApiResult<Self> {
        let now = clock::now_rfc3339();
        let mut tx = db::begin_write(&state.db).await?;
        let conversation_id = messages::ensure_conversation(&mut tx, workspace_id, subscriber_id, &now)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{subscriber_id}'")))?;
        let last_seq = messages::last_seq(&mut tx, conversation_id).await?;
        Ok(Self {
            tx,
            conversation_id,
            last_seq,
            now,
            messages: Vec::new(),
        })
    }

    /// The transaction, for changes that go with the messages.
    pub fn conn(&mut self) -> &mut db::Connection {
        &mut self.tx
    }

    /// Whether the bot is paused, and until when (`None`: until resumed).
    pub async fn bot_pause(&mut self) -> ApiResult<(bool, Option<String>)> {
        Ok(messages::bot_pause(&mut self.tx, self.conversation_id, &self.now).await?)
    }

    /// Stores a message of `author` with the next `seq`.
    pub async fn append(&mut self, author: Author, content: MessageContent) -> ApiResult<()> {
        let message = append(
            &mut self.tx,
            self.conversation_id,
            &mut self.last_seq,
            author,
            content,
            None,
            &self.now,
        )
        .await?;
        self.messages.push(message);
        Ok(())
    }

    /// Commits, then publishes the appended messages; answers them.
    pub async fn commit(mut self, state: &AppState) -> ApiResult<Vec<Message>> {
        messages::set_last_seq(&mut self.tx, self.conversation_id, self.last_seq).await?;
        self.tx.commit().await?;
        publish(state, self.conversation_id, &self.messages, false);
        Ok(self.messages)
    }
}

/// Starts flow `flow_id` for a subscriber of the workspace, as `POST
/// /api/v1/subscribers/{id}/send-flow` and the "start a flow" automation do: runs the
/// engine with [`Input::StartFlow`] and `payload` (the flow's `{{payload.<key>}}`
/// variables), stores the bot's messages, publishes them to the subscriber's open
/// widget, and schedules the output after delay steps.
///
/// # Errors
/// 404 when the workspace has no such subscriber; 422 at `/flow_id` when it has no such
/// flow (a bad reference inside the body, not a missing resource of the path); 409 `conflict` while the bot is
/// paused for the subscriber (human takeover).
pub async fn start_flow(
    state: &AppState,
    workspace_id: i64,
    subscriber_id: &str,
    flow_id: &FlowId,
    payload: BTreeMap<String, String>,
) -> ApiResult<SentMessages> {
    let mut posting = Posting::begin(state, workspace_id, subscriber_id).await?;
    if posting.bot_pause().await?.0 {
        return Err(ApiError::Conflict(format!(
            "the bot is paused for subscriber '{subscriber_id}'; resume it to start a flow"
        )));
    }
    let (conversation_id, conn) = (posting.conversation_id, &mut posting.tx);
    if flows::find(conn, workspace_id, flow_id.as_str()).await?.is_none() {
        return Err(ApiError::invalid(
            "/flow_id",
            format!("no flow '{flow_id}' in this workspace"),
        ));
    }
    let channel_id = messages::channel_of(conn, conversation_id).await?;
    let channel = channels::find(conn, &channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    let bot = load_bot(conn, &channel).await?;
    let mut profile = subscribers::profile(conn, subscriber_id).await?;
    let (mut conversation, _) = messages::load_conversation(conn, conversation_id).await?;
    let input = Input::StartFlow {
        flow: flow_id.clone(),
        payload,
    };
    let outputs = parlo_engine::run(&bot, &mut profile, &mut conversation, input);
    let carried = carry_out(
        &mut posting.tx,
        posting.conversation_id,
        subscriber_id,
        outputs,
        None,
        &mut posting.last_seq,
        &posting.now,
    )
    .await?;
    messages::save_conversation(
        &mut posting.tx,
        posting.conversation_id,
        &conversation,
        posting.last_seq,
    )
    .await?;
    posting.tx.commit().await?;
    telemetry::chat_turn(Trigger::SendFlow);
    publish(
        state,
        posting.conversation_id,
        &carried.messages,
        carried.scheduled,
    );
    Ok(SentMessages {
        messages: carried.messages,
        delayed: carried.scheduled,
    })
}

/// `POST /sessions`: resumes the session of a valid `token` for this channel, or creates
/// a subscriber, its conversation and session, and runs the channel's start flow.
///
/// # Errors
/// 404 when the channel does not exist.
pub async fn open_session(state: &AppState, channel_id: &str, token: Option<String>) -> ApiResult<Session> {
    let mut conn = state.db.acquire().await?;
    let channel = channels::find(&mut conn, channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    if let Some(token) = token.filter(|t| !t.is_empty())
        && let Some(session) = sessions::find(&mut conn, &tokens::digest(&token)).await?
        && session.channel_id == channel_id
    {
        subscribers::touch(&mut conn, &session.subscriber_id, &clock::now_rfc3339()).await?;
        let last_seq = messages::last_seq(&mut conn, session.conversation_id).await?;
        return Ok(Session {
            session_token: token,
            subscriber_id: session.subscriber_id.into(),
            created: false,
            last_seq,
        });
    }
    drop(conn);

    let token = tokens::new_session_token();
    let subscriber_id = tokens::new_subscriber_id();
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    subscribers::create(&mut tx, &subscriber_id, channel.workspace_id, channel_id, &now).await?;
    let conversation_id = messages::create_conversation(&mut tx, &subscriber_id, channel_id, &now).await?;
    sessions::create(&mut tx, &tokens::digest(&token), &subscriber_id, channel_id, &now).await?;
    let bot = load_bot(&mut tx, &channel).await?;
    let (mut profile, mut conversation) = (Profile::default(), ConversationState::default());
    let outputs = parlo_engine::run(&bot, &mut profile, &mut conversation, Input::Start);
    let mut last_seq = 0;
    let carried = carry_out(
        &mut tx,
        conversation_id,
        &subscriber_id,
        outputs,
        None,
        &mut last_seq,
        &now,
    )
    .await?;
    messages::save_conversation(&mut tx, conversation_id, &conversation, last_seq).await?;
    tx.commit().await?;
    telemetry::chat_turn(Trigger::Session);
    if carried.scheduled {
        state.scheduler.notify_one();
    }
    tracing::info!(%subscriber_id, channel_id, "subscriber created");
    Ok(Session {
        session_token: token,
        subscriber_id: subscriber_id.into(),
        created: true,
        last_seq,
    })
}

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
            let n = text.trim().chars().count();
            if n == 0 || n > MAX_VISITOR_TEXT_CHARS {
                errors.push(FieldError::new(
                    "/input/text",
                    format!("must be 1..={MAX_VISITOR_TEXT_CHARS} characters after trimming"),
                ));
            }
        }
        VisitorInput::Button { payload, title } => {
            if payload.is_empty() || payload.len() > 1000 {
                errors.push(FieldError::new("/input/payload", "must be 1..=1000 bytes"));
            }
            let n = title.trim().chars().count();
            if n == 0 || n > MAX_TITLE_CHARS {
                errors.push(FieldError::new(
                    "/input/title",
                    format!("must be 1..={MAX_TITLE_CHARS} characters after trimming"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// `POST /messages`: stores the visitor message, runs the bot (unless it is paused) and
/// answers the visitor message followed by the bot replies produced at once.
///
/// Idempotent by message id: a repeat with the same input answers the same messages and
/// stores nothing; with a different input it is a 409.
///
/// # Errors
/// 422 for an invalid body, 409 for a reused id.
pub async fn send_message(
    state: &AppState,
    session: &sessions::VisitorSession,
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
    let conversation_id = session.conversation_id;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;

    if let Some(existing) = messages::find_by_id(&mut tx, conversation_id, body.id.as_str()).await? {
        if existing.message.author != Author::Visitor || existing.input.as_deref() != Some(&input_json) {
            return Err(ApiError::Conflict(format!(
                "message id '{}' was already used with a different input",
                body.id
            )));
        }
        let seq = existing.message.seq;
        let until = existing.answer_last_seq.unwrap_or(seq);
        let replies = messages::range(&mut tx, conversation_id, seq, until, u32::MAX).await?;
        tx.rollback().await?;
        return Ok(std::iter::once(existing.message).chain(replies).collect());
    }

    let channel = channels::find(&mut tx, &session.channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{}'", session.channel_id)))?;
    let bot = load_bot(&mut tx, &channel).await?;
    let mut profile = subscribers::profile(&mut tx, &session.subscriber_id).await?;
    let (mut conversation, mut last_seq) = messages::load_conversation(&mut tx, conversation_id).await?;
    last_seq += 1;
    let visitor = Message {
        id: body.id,
        seq: last_seq,
        author: Author::Visitor,
        content: MessageContent::text(text),
        created_at: now.clone(),
        reply_to: None,
    };
    messages::insert(&mut tx, conversation_id, &visitor, Some(&input_json)).await?;
    let paused = messages::bot_pause(&mut tx, conversation_id, &now).await?.0;
    let outputs = if paused {
        Vec::new()
    } else {
        parlo_engine::run(&bot, &mut profile, &mut conversation, input)
    };
    let carried = carry_out(
        &mut tx,
        conversation_id,
        &session.subscriber_id,
        outputs,
        Some(&visitor.id),
        &mut last_seq,
        &now,
    )
    .await?;
    messages::set_answer_last_seq(&mut tx, conversation_id, visitor.seq, last_seq).await?;
    messages::save_conversation(&mut tx, conversation_id, &conversation, last_seq).await?;
    subscribers::touch(&mut tx, &session.subscriber_id, &now).await?;
    tx.commit().await?;
    telemetry::chat_turn(Trigger::Message);

    let answer: Vec<Message> = std::iter::once(visitor).chain(carried.messages).collect();
    publish(state, conversation_id, &answer, carried.scheduled);
    Ok(answer)
}
