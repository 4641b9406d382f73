//! Conversation turns: opening a session (start flow) and handling a visitor message.
//!
//! A turn runs in ONE write transaction: the visitor message, the engine run, the bot
//! replies produced before any delay step (with consecutive `seq`s), the profile effects,
//! the new conversation state, and the scheduled output after a delay. Events are
//! published after the commit.

use crate::clock;
use crate::db::{self, channels, flows, messages, scheduled, sessions, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::tokens;
use parlo_engine::{Bot, ConversationState, Input, Output, Profile};
use parlo_model::chat::{
    Author, MAX_VISITOR_TEXT_CHARS, Message, MessageContent, SendMessage, Session, StreamEvent, VisitorInput,
};
use parlo_model::flow::MAX_TITLE_CHARS;
use parlo_model::ids::MessageId;
use parlo_model::problem::FieldError;
use sqlx::SqliteConnection;

/// Loads the bot of a channel: its triggers and every flow of its workspace.
async fn load_bot(conn: &mut SqliteConnection, channel: &channels::Channel) -> anyhow::Result<Bot> {
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

/// Carries out engine outputs: messages before the first delay are stored at once with
/// the next seqs (advancing `last_seq`); a delay schedules a typing indicator, and
/// messages after it are scheduled at the summed delay. Effects are applied at once
/// (the engine has applied them to its profile already, so later steps saw them).
async fn carry_out(
    conn: &mut SqliteConnection,
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
    for output in outputs {
        match output {
            Output::Message(content) if !carried.scheduled => {
                *last_seq += 1;
                let message = Message {
                    id: tokens::new_message_id().into(),
                    seq: *last_seq,
                    author: Author::Bot,
                    content,
                    created_at: now.to_owned(),
                    reply_to: reply_to.cloned(),
                };
                messages::insert(conn, conversation_id, &message, None).await?;
                carried.messages.push(message);
            }
            Output::Message(content) => {
                let due = scheduled::Due::Message {
                    id: tokens::new_message_id(),
                    content,
                    reply_to: reply_to.map(|r| r.0.clone()),
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
        }
    }
    Ok(carried)
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

/// `POST /messages`: stores the visitor message, runs the bot and answers the visitor
/// message followed by the bot replies produced at once.
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
    let outputs = parlo_engine::run(&bot, &mut profile, &mut conversation, input);
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

    let answer: Vec<Message> = std::iter::once(visitor).chain(carried.messages).collect();
    for message in &answer {
        state
            .hub
            .publish(conversation_id, StreamEvent::Message(message.clone()));
    }
    if carried.scheduled {
        state.scheduler.notify_one();
    }
    Ok(answer)
}
