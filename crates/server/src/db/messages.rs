//! `conversations` and `messages`.

use crate::db::writer::{AnyQuery, FirstRead, Savepoint};
use crate::db::{self, Backend, Connection, flow_statistics, subscribers};
use anyhow::Context;
use parlo_engine::{ConversationState, Profile, StepRef};
use parlo_model::chat::{Author, Message, MessageContent};
use sqlx::{FromRow, Row};
use std::sync::LazyLock;

/// Creates the conversation of a subscriber on a channel and returns its row id.
pub async fn create_conversation(
    conn: &mut Connection,
    subscriber_id: &str,
    channel_id: &str,
    now: &str,
) -> anyhow::Result<i64> {
    let state = serde_json::to_string(&ConversationState::default())?;
    Ok(sqlx::query_scalar(
        "INSERT INTO conversations (subscriber_id, channel_id, state, last_seq, created_at)
         VALUES ($1, $2, $3, 0, $4) RETURNING id",
    )
    .bind(subscriber_id)
    .bind(channel_id)
    .bind(state)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The channel a subscriber of the workspace came through and its conversation there,
/// if it has one; `None` when the workspace has no such subscriber.
async fn subscriber_channel(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> sqlx::Result<Option<(String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT s.channel_id, c.id FROM subscribers s
         LEFT JOIN conversations c ON c.subscriber_id = s.id AND c.channel_id = s.channel_id
         WHERE s.id = $1 AND s.workspace_id = $2",
    )
    .bind(subscriber_id)
    .bind(workspace_id)
    .fetch_optional(conn)
    .await
}

/// The conversation of a subscriber of the workspace on the channel it came through:
/// `None` when the workspace has no such subscriber, `Some(None)` when it has not had a
/// conversation yet.
pub async fn conversation_of(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> sqlx::Result<Option<Option<i64>>> {
    Ok(subscriber_channel(conn, workspace_id, subscriber_id)
        .await?
        .map(|(_, conversation)| conversation))
}

/// The conversation of a subscriber of the workspace on the channel it came through, read
/// for a turn — row id and what [`load_conversation`] reads, in one query — and created
/// first when the subscriber has none yet (a subscriber created through the management
/// API); `None` when the workspace has no such subscriber.
pub async fn ensure_conversation(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
    now: &str,
) -> anyhow::Result<Option<(i64, Loaded)>> {
    /// The subscriber's channel and, when it has one there, its conversation's id, state,
    /// `last_seq` and bot pause.
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.channel_id, c.id, c.state, c.last_seq, c.bot_paused_at, c.bot_paused_until
         FROM subscribers s
         LEFT JOIN conversations c ON c.subscriber_id = s.id AND c.channel_id = s.channel_id
         WHERE s.id = $1 AND s.workspace_id = $2",
    )
    .bind(subscriber_id)
    .bind(workspace_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        None => None,
        Some((_, Some(id), Some(state), Some(last_seq), at, until)) => Some((
            id,
            Loaded {
                state: decode_state(id, &state)?,
                last_seq: last_seq as u64,
                pause: Pause { at, until },
            },
        )),
        Some((channel_id, ..)) => Some((
            create_conversation(conn, subscriber_id, &channel_id, now).await?,
            Loaded::default(),
        )),
    })
}

/// The workspace and the subscriber of a conversation.
pub async fn parties(conn: &mut Connection, id: i64) -> sqlx::Result<(i64, String)> {
    sqlx::query_as(
        "SELECT s.workspace_id, s.id FROM conversations c JOIN subscribers s ON s.id = c.subscriber_id
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The channel of a conversation.
pub async fn channel_of(conn: &mut Connection, id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT channel_id FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The bot pause of a conversation: `bot_paused_at` and `bot_paused_until` (RFC 3339 UTC;
/// no `at`: not paused, no `until`: paused until resumed).
#[derive(Debug, Default)]
pub struct Pause {
    at: Option<String>,
    until: Option<String>,
}

impl Pause {
    /// A pause until resumed, from `now` (a hand-over).
    pub fn handed_over(now: &str) -> Self {
        Self {
            at: Some(now.to_owned()),
            until: None,
        }
    }

    /// `(paused, paused_until)` at `now`, where an expired timed pause counts as not paused.
    pub fn at(&self, now: &str) -> (bool, Option<String>) {
        match (&self.at, &self.until) {
            (None, _) => (false, None),
            (Some(_), None) => (true, None),
            (Some(_), Some(until)) if until.as_str() > now => (true, Some(until.clone())),
            (Some(_), Some(_)) => (false, None),
        }
    }
}

/// The bot pause of a conversation at `now`: `(paused, paused_until)` (see [`Pause::at`]).
pub async fn bot_pause(conn: &mut Connection, id: i64, now: &str) -> sqlx::Result<(bool, Option<String>)> {
    let (at, until): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT bot_paused_at, bot_paused_until FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Pause { at, until }.at(now))
}

/// Pauses the bot of a conversation from `now` until `until` (`None`: until resumed).
pub async fn pause_bot(conn: &mut Connection, id: i64, now: &str, until: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("UPDATE conversations SET bot_paused_at = $1, bot_paused_until = $2 WHERE id = $3")
        .bind(now)
        .bind(until)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Pauses the bot of a conversation until resumed, handed over to a person (a flow's
/// hand-over step) at `now`.
pub async fn hand_over(conn: &mut Connection, id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE conversations SET bot_paused_at = $1, bot_paused_until = NULL, handed_over_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Lets the bot of a conversation answer again (ending a hand-over).
pub async fn resume_bot(conn: &mut Connection, id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE conversations SET bot_paused_at = NULL, bot_paused_until = NULL, handed_over_at = NULL
         WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a turn reads of its conversation when it opens.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The engine state.
    pub state: ConversationState,
    /// `seq` of the newest message.
    pub last_seq: u64,
    /// The bot pause.
    pub pause: Pause,
}

/// The engine state, `last_seq` and bot pause of a conversation, in one query.
pub async fn load_conversation(conn: &mut Connection, id: i64) -> anyhow::Result<Loaded> {
    let (state, last_seq, at, until): (String, i64, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT state, last_seq, bot_paused_at, bot_paused_until FROM conversations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(Loaded {
        state: decode_state(id, &state)?,
        last_seq: last_seq as u64,
        pause: Pause { at, until },
    })
}

/// The engine state of conversation `id` from its stored JSON.
fn decode_state(id: i64, state: &str) -> anyhow::Result<ConversationState> {
    serde_json::from_str(state).with_context(|| format!("state of conversation {id}"))
}

/// `last_seq` of a conversation.
pub async fn last_seq(conn: &mut Connection, id: i64) -> sqlx::Result<u64> {
    let seq: i64 = sqlx::query_scalar("SELECT last_seq FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(seq as u64)
}

/// Saves the engine state and `last_seq` of a conversation.
pub async fn save_conversation(
    conn: &mut Connection,
    id: i64,
    state: &ConversationState,
    last_seq: u64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE conversations SET state = $1, last_seq = $2 WHERE id = $3")
        .bind(serde_json::to_string(state)?)
        .bind(last_seq as i64)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets only `last_seq` of a conversation.
pub async fn set_last_seq(conn: &mut Connection, id: i64, last_seq: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE conversations SET last_seq = $1 WHERE id = $2")
        .bind(last_seq as i64)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

fn author_str(author: Author) -> &'static str {
    match author {
        Author::Visitor => "visitor",
        Author::Bot => "bot",
        Author::Agent => "agent",
        Author::System => "system",
    }
}

/// A message to store, with what idempotent repeats of a visitor message need.
#[derive(Clone, Copy, Debug)]
pub struct NewMessage<'a> {
    /// The message.
    pub message: &'a Message,
    /// A visitor message's input JSON.
    pub input: Option<&'a str>,
    /// For a visitor message, `seq` of the last message of its immediate answer.
    pub answer_last_seq: Option<u64>,
}

impl<'a> NewMessage<'a> {
    /// `message` without input or answer (any message but a visitor's).
    pub fn plain(message: &'a Message) -> Self {
        Self {
            message,
            input: None,
            answer_last_seq: None,
        }
    }
}

/// Parameters of a `messages` row written by [`insert`] besides the conversation (`$1`).
const INSERT_COLUMNS: usize = 8;
/// Rows per `INSERT` of [`insert`] and [`insert_each`] on SQLite (and `conversations` per
/// `UPDATE` of [`advance_last_seq`], keys per `SELECT` of [`these`]): a few hundred
/// parameters at most (see
/// [`Backend::rows_per_statement`]; PostgreSQL takes a whole batch in one).
const INSERT_ROWS: usize = 64;

/// `INSERT` of `rows` messages, their parameters numbered from `first`: of conversation
/// `$1` (`shared`), or each row's conversation its own first parameter.
fn insert_sql(rows: usize, first: usize, shared: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO messages
         (conversation_id, seq, id, author, content, reply_to, input, answer_last_seq, created_at)
         VALUES ",
    );
    let columns = INSERT_COLUMNS + usize::from(!shared);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        if shared {
            sql.push_str("$1, ");
        }
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(first + row * columns + column).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Binds the parameters of `messages` as [`insert_sql`] numbers them.
fn bind_rows<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    messages: &[NewMessage<'_>],
) -> anyhow::Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>> {
    for new in messages {
        let message = new.message;
        query = query
            .bind(message.seq as i64)
            .bind(message.id.as_str())
            .bind(author_str(message.author))
            .bind(serde_json::to_string(&message.content)?)
            .bind(message.reply_to.as_ref().map(|r| r.as_str()))
            .bind(new.input)
            .bind(new.answer_last_seq.map(|seq| seq as i64))
            .bind(&message.created_at);
    }
    Ok(query)
}

/// Stores `messages` in the conversation, one statement per [`INSERT_ROWS`] of them on
/// SQLite, per as many as fit on PostgreSQL ([`Backend::rows_per_statement`]) (rows in the
/// order given, so the `ordinal`s follow it).
pub async fn insert(
    conn: &mut Connection,
    conversation_id: i64,
    messages: &[NewMessage<'_>],
) -> anyhow::Result<()> {
    let rows = Backend::of_connection(conn).rows_per_statement(INSERT_ROWS, INSERT_COLUMNS);
    for chunk in messages.chunks(rows) {
        let query = sqlx::query(sqlx::AssertSqlSafe(insert_sql(chunk.len(), 2, true))).bind(conversation_id);
        bind_rows(query, chunk)?.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores messages of many conversations, each `(conversation, message)`: one statement per
/// [`INSERT_ROWS`] of them on SQLite, per as many as fit on PostgreSQL (a broadcast's batch
/// of recipients in one, see [`Backend::rows_per_statement`]).
pub async fn insert_each(conn: &mut Connection, messages: &[(i64, NewMessage<'_>)]) -> anyhow::Result<()> {
    let rows = Backend::of_connection(conn).rows_per_statement(INSERT_ROWS, INSERT_COLUMNS + 1);
    for chunk in messages.chunks(rows) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert_sql(chunk.len(), 1, false)));
        for (conversation_id, new) in chunk {
            query = bind_rows(query.bind(*conversation_id), std::slice::from_ref(new))?;
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Moves `last_seq` of each conversation of `ids` on by `by` (the messages just stored in
/// each with [`insert_each`]): one statement per [`INSERT_ROWS`] of them on SQLite, per as
/// many as fit on PostgreSQL ([`Backend::rows_per_statement`]).
pub async fn advance_last_seq(conn: &mut Connection, ids: &[i64], by: u64) -> sqlx::Result<()> {
    let rows = Backend::of_connection(conn).rows_per_statement(INSERT_ROWS, 1);
    for chunk in ids.chunks(rows) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "UPDATE conversations SET last_seq = last_seq + $1 WHERE id IN ({})",
            list.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(by as i64);
        for id in chunk {
            query = query.bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The writes of a turn besides its messages and conversation state, made by
/// [`save_turn`] in the same request on SQLite.
#[derive(Debug, Default)]
pub struct AlsoSaved<'a> {
    /// The subscriber seen at a time (`last_seen_at`, see [`subscribers::touch`]).
    pub seen: Option<(&'a str, &'a str)>,
    /// Flow steps whose message was sent, each counted once (see
    /// [`flow_statistics::count_sent`]).
    pub sent: &'a [StepRef],
}

/// Stores a turn's `messages` ([`insert`]), saves the conversation's engine `state` and
/// `last_seq` ([`save_conversation`]) and makes the writes of `also`. On SQLite, whose
/// statements each cost a hand-off to the connection's thread, they all go as one query
/// text of several statements (up to [`INSERT_ROWS`] messages), which ends with the next
/// turn's first read when `savepoint` offers one ([`Savepoint::take_next`]); PostgreSQL takes
/// one statement per query.
pub async fn save_turn(
    conn: &mut Connection,
    conversation_id: i64,
    messages: &[NewMessage<'_>],
    state: &ConversationState,
    last_seq: u64,
    also: AlsoSaved<'_>,
    savepoint: Option<&mut Savepoint>,
) -> anyhow::Result<()> {
    if messages.is_empty() || messages.len() > INSERT_ROWS || Backend::of_connection(conn) != Backend::Sqlite
    {
        insert(conn, conversation_id, messages).await?;
        save_conversation(conn, conversation_id, state, last_seq).await?;
        if let Some((subscriber_id, now)) = also.seen {
            subscribers::touch(conn, subscriber_id, now).await?;
        }
        for step in also.sent {
            flow_statistics::count_sent(conn, conversation_id, step).await?;
        }
        return Ok(());
    }
    let mut sql = format!(
        "UPDATE conversations SET state = $2, last_seq = $3 WHERE id = $1; {}",
        insert_sql(messages.len(), 4, true)
    );
    // Parameters so far: the three of the UPDATE, then the messages'.
    let mut used = 3 + messages.len() * INSERT_COLUMNS;
    if also.seen.is_some() {
        sql.push_str("; ");
        sql.push_str(&db::shift_params(subscribers::TOUCH_SQL, used));
        used += 2;
    }
    for _ in also.sent {
        sql.push_str("; ");
        sql.push_str(&db::shift_params(flow_statistics::BUMP_STEP_SQL, used));
        used += 5;
    }
    let next = savepoint.and_then(|savepoint| Some((savepoint.take_next(&mut sql, used)?, savepoint)));
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(conversation_id)
        .bind(serde_json::to_string(state)?)
        .bind(last_seq as i64);
    let mut query = bind_rows(query, messages)?;
    if let Some((subscriber_id, now)) = also.seen {
        query = query.bind(now).bind(subscriber_id);
    }
    for step in also.sent {
        query = query
            .bind(step.step.as_str())
            .bind(1_i64)
            .bind(0_i64)
            .bind(step.flow.as_str())
            .bind(conversation_id);
    }
    match next {
        Some((bind, savepoint)) => savepoint.hand(bind(query).fetch_all(conn).await?),
        None => {
            query.execute(conn).await?;
        }
    }
    Ok(())
}

/// A `messages` row as selected by the queries answering [`Message`]s.
#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub(crate) seq: i64,
    pub(crate) id: String,
    pub(crate) author: String,
    pub(crate) content: String,
    pub(crate) reply_to: Option<String>,
    pub(crate) created_at: String,
}

impl MessageRow {
    /// The message of the row.
    pub(crate) fn into_message(self) -> anyhow::Result<Message> {
        let author = match self.author.as_str() {
            "visitor" => Author::Visitor,
            "bot" => Author::Bot,
            "agent" => Author::Agent,
            "system" => Author::System,
            other => anyhow::bail!("message {} has unknown author {other:?}", self.id),
        };
        let content: MessageContent =
            serde_json::from_str(&self.content).with_context(|| format!("content of message {}", self.id))?;
        Ok(Message {
            id: self.id.into(),
            seq: self.seq as u64,
            author,
            content,
            created_at: self.created_at,
            reply_to: self.reply_to.map(Into::into),
        })
    }
}

/// The message of a row's nullable message columns, if it has one.
pub(crate) fn message_of(
    seq: Option<i64>,
    id: Option<String>,
    author: Option<String>,
    content: Option<String>,
    reply_to: Option<String>,
    created_at: Option<String>,
) -> anyhow::Result<Option<Message>> {
    let (Some(seq), Some(id), Some(author), Some(content), Some(created_at)) =
        (seq, id, author, content, created_at)
    else {
        return Ok(None);
    };
    MessageRow {
        seq,
        id,
        author,
        content,
        reply_to,
        created_at,
    }
    .into_message()
    .map(Some)
}

/// A stored visitor message with what idempotent replays need.
pub struct VisitorMessage {
    /// The message.
    pub message: Message,
    /// Its visitor input JSON.
    pub input: Option<String>,
    /// Seq of the last message of its immediate answer.
    pub answer_last_seq: Option<u64>,
}

/// What the turn of a visitor message reads as it opens.
pub struct Opening {
    /// The conversation.
    pub loaded: Loaded,
    /// The message already stored with the client id of the new one, if any (a repeat).
    pub existing: Option<VisitorMessage>,
    /// The subscriber's profile ([`subscribers::profile`]).
    pub profile: Profile,
}

/// [`open_turn`]'s read of conversation `$1` and its message with client id `$2`.
const OPEN_SQL: &str = "SELECT c.state, c.last_seq, c.bot_paused_at, c.bot_paused_until,
            m.seq, m.id, m.author, m.content, m.reply_to, m.input, m.answer_last_seq, m.created_at
     FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id AND m.id = $2
     WHERE c.id = $1";

/// [`OPEN_SQL`] followed by the profile of subscriber `$3` (SQLite).
static OPEN_WITH_PROFILE_SQL: LazyLock<String> =
    LazyLock::new(|| format!("{OPEN_SQL}; {}", db::shift_params(subscribers::PROFILE_SQL, 2)));

/// A row of [`OPEN_SQL`]: the conversation's state, `last_seq` and pause, then the
/// message's columns (all `NULL` without one).
type OpenRow = (
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// [`open_turn`]'s read on SQLite as a [`FirstRead`], for the turn before it in the batch
/// to run.
pub fn first_read(conversation_id: i64, message_id: String, subscriber_id: String) -> FirstRead {
    FirstRead {
        sql: OPEN_WITH_PROFILE_SQL.as_str(),
        bind: Box::new(move |query| bind_first_read(query, conversation_id, &message_id, &subscriber_id)),
    }
}

/// Binds the parameters of [`OPEN_WITH_PROFILE_SQL`].
fn bind_first_read<'q>(
    query: AnyQuery<'q>,
    conversation_id: i64,
    message_id: &str,
    subscriber_id: &str,
) -> AnyQuery<'q> {
    query
        .bind(conversation_id)
        .bind(message_id.to_owned())
        .bind(subscriber_id.to_owned())
}

/// Opens the turn of visitor message `message_id` of `subscriber_id` in conversation
/// `conversation_id`: what [`load_conversation`] reads, the message stored with that id
/// if any, and the subscriber's profile; it begins the turn's `savepoint` first. One
/// request on SQLite (a query of the savepoint's statements and two reads, told apart by
/// their columns), three on PostgreSQL.
pub async fn open_turn(
    conn: &mut Connection,
    savepoint: &mut Savepoint,
    conversation_id: i64,
    message_id: &str,
    subscriber_id: &str,
) -> anyhow::Result<Opening> {
    let (opened, profile) = if Backend::of_connection(conn) == Backend::Sqlite {
        let rows = match savepoint.opened() {
            Some(rows) => rows,
            None => {
                let sql = format!("{}; {}", savepoint.prefix(), *OPEN_WITH_PROFILE_SQL);
                let query = sqlx::query(sqlx::AssertSqlSafe(sql));
                let rows = bind_first_read(query, conversation_id, message_id, subscriber_id)
                    .fetch_all(&mut *conn)
                    .await?;
                savepoint.ran();
                rows
            }
        };
        let (opened, profile): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| row.columns().len() > 2);
        let opened = opened.first().map(OpenRow::from_row).transpose()?;
        let profile = profile
            .iter()
            .map(<(String, Option<String>)>::from_row)
            .collect::<sqlx::Result<Vec<_>>>()?;
        (opened, subscribers::profile_of(profile))
    } else {
        savepoint.begin(conn).await?;
        let opened: Option<OpenRow> = sqlx::query_as(OPEN_SQL)
            .bind(conversation_id)
            .bind(message_id)
            .fetch_optional(&mut *conn)
            .await?;
        (opened, subscribers::profile(conn, subscriber_id).await?)
    };
    let (state, last_seq, at, until, seq, id, author, content, reply_to, input, answer_last_seq, created_at) =
        opened.ok_or(sqlx::Error::RowNotFound)?;
    let existing =
        message_of(seq, id, author, content, reply_to, created_at)?.map(|message| VisitorMessage {
            message,
            input,
            answer_last_seq: answer_last_seq.map(|s| s as u64),
        });
    Ok(Opening {
        loaded: Loaded {
            state: decode_state(conversation_id, &state)?,
            last_seq: last_seq as u64,
            pause: Pause { at, until },
        },
        existing,
        profile,
    })
}

/// Messages with `after < seq <= until`, in seq order, at most `limit`.
pub async fn range(
    conn: &mut Connection,
    conversation_id: i64,
    after: u64,
    until: u64,
    limit: u32,
) -> anyhow::Result<Vec<Message>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT seq, id, author, content, reply_to, created_at FROM messages
         WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4",
    )
    .bind(conversation_id)
    .bind(after as i64)
    .bind(until.min(i64::MAX as u64) as i64)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(MessageRow::into_message).collect()
}

/// A [`MessageRow`] with its conversation, as [`these`] selects it.
#[derive(sqlx::FromRow)]
struct AnnouncedRow {
    conversation_id: i64,
    #[sqlx(flatten)]
    message: MessageRow,
}

/// The messages of `keys`, each `(conversation, seq)`, that are stored: each with its
/// conversation, in no particular order (one statement per as many keys as fit, see
/// [`Backend::rows_per_statement`]).
pub async fn these(conn: &mut Connection, keys: &[(i64, u64)]) -> anyhow::Result<Vec<(i64, Message)>> {
    let mut found = Vec::with_capacity(keys.len());
    let per_statement = Backend::of_connection(conn).rows_per_statement(INSERT_ROWS, 2);
    for chunk in keys.chunks(per_statement) {
        let pairs: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "SELECT conversation_id, seq, id, author, content, reply_to, created_at FROM messages
             WHERE (conversation_id, seq) IN (VALUES {})",
            pairs.join(", ")
        );
        let mut query = sqlx::query_as::<_, AnnouncedRow>(sqlx::AssertSqlSafe(sql));
        for &(conversation_id, seq) in chunk {
            query = query.bind(conversation_id).bind(seq.min(i64::MAX as u64) as i64);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push((row.conversation_id, row.message.into_message()?));
        }
    }
    Ok(found)
}

/// Which messages [`history`] answers.
#[derive(Debug)]
pub struct HistoryFilter {
    /// Only messages stored at or after this time (RFC 3339 UTC, stored form).
    pub from: Option<String>,
    /// Only messages stored at or before this time.
    pub to: Option<String>,
    /// Only messages with a greater `seq`.
    pub after_seq: u64,
    /// Include bot messages.
    pub include_bot: bool,
    /// Include system messages.
    pub include_system: bool,
}

/// Up to `limit` messages of the conversation matching `filter`, in `seq` order.
pub async fn history(
    conn: &mut Connection,
    conversation_id: i64,
    filter: &HistoryFilter,
    limit: u32,
) -> anyhow::Result<Vec<Message>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT seq, id, author, content, reply_to, created_at FROM messages
         WHERE conversation_id = $1 AND seq > $2
           AND ($3 IS NULL OR created_at >= $3) AND ($4 IS NULL OR created_at <= $4)
           AND ($5 OR author <> 'bot') AND ($6 OR author <> 'system')
         ORDER BY seq LIMIT $7",
    )
    .bind(conversation_id)
    .bind(filter.after_seq.min(i64::MAX as u64) as i64)
    .bind(filter.from.as_deref())
    .bind(filter.to.as_deref())
    .bind(filter.include_bot)
    .bind(filter.include_system)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(MessageRow::into_message).collect()
}
