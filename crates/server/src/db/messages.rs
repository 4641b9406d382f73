//! `conversations` and `messages`.

use anyhow::Context;
use parlo_engine::ConversationState;
use parlo_model::chat::{Author, Message, MessageContent};
use sqlx::SqliteConnection;

/// Creates the conversation of a subscriber on a channel and returns its row id.
pub async fn create_conversation(
    conn: &mut SqliteConnection,
    subscriber_id: &str,
    channel_id: &str,
    now: &str,
) -> anyhow::Result<i64> {
    let state = serde_json::to_string(&ConversationState::default())?;
    Ok(sqlx::query_scalar(
        "INSERT INTO conversations (subscriber_id, channel_id, state, last_seq, created_at)
         VALUES (?, ?, ?, 0, ?) RETURNING id",
    )
    .bind(subscriber_id)
    .bind(channel_id)
    .bind(state)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The engine state and `last_seq` of a conversation.
pub async fn load_conversation(
    conn: &mut SqliteConnection,
    id: i64,
) -> anyhow::Result<(ConversationState, u64)> {
    let (state, last_seq): (String, i64) =
        sqlx::query_as("SELECT state, last_seq FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?;
    let state = serde_json::from_str(&state).with_context(|| format!("state of conversation {id}"))?;
    Ok((state, last_seq as u64))
}

/// `last_seq` of a conversation.
pub async fn last_seq(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<u64> {
    let seq: i64 = sqlx::query_scalar("SELECT last_seq FROM conversations WHERE id = ?")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(seq as u64)
}

/// Saves the engine state and `last_seq` of a conversation.
pub async fn save_conversation(
    conn: &mut SqliteConnection,
    id: i64,
    state: &ConversationState,
    last_seq: u64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE conversations SET state = ?, last_seq = ? WHERE id = ?")
        .bind(serde_json::to_string(state)?)
        .bind(last_seq as i64)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets only `last_seq` of a conversation.
pub async fn set_last_seq(conn: &mut SqliteConnection, id: i64, last_seq: u64) -> sqlx::Result<()> {
    sqlx::query("UPDATE conversations SET last_seq = ? WHERE id = ?")
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
    }
}

/// Stores `message` in the conversation. `input` is the visitor input JSON, kept for
/// idempotency checks of visitor messages.
pub async fn insert(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    message: &Message,
    input: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO messages (conversation_id, seq, id, author, content, reply_to, input, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(conversation_id)
    .bind(message.seq as i64)
    .bind(message.id.as_str())
    .bind(author_str(message.author))
    .bind(serde_json::to_string(&message.content)?)
    .bind(message.reply_to.as_ref().map(|r| r.as_str()))
    .bind(input)
    .bind(&message.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the seq of the last bot message of the immediate answer to visitor message `seq`.
pub async fn set_answer_last_seq(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    seq: u64,
    answer_last_seq: u64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE messages SET answer_last_seq = ? WHERE conversation_id = ? AND seq = ?")
        .bind(answer_last_seq as i64)
        .bind(conversation_id)
        .bind(seq as i64)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    seq: i64,
    id: String,
    author: String,
    content: String,
    reply_to: Option<String>,
    created_at: String,
}

impl MessageRow {
    fn into_message(self) -> anyhow::Result<Message> {
        let author = match self.author.as_str() {
            "visitor" => Author::Visitor,
            "bot" => Author::Bot,
            "agent" => Author::Agent,
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

/// A stored visitor message with what idempotent replays need.
pub struct VisitorMessage {
    /// The message.
    pub message: Message,
    /// Its visitor input JSON.
    pub input: Option<String>,
    /// Seq of the last message of its immediate answer.
    pub answer_last_seq: Option<u64>,
}

#[derive(sqlx::FromRow)]
struct VisitorRow {
    #[sqlx(flatten)]
    message: MessageRow,
    input: Option<String>,
    answer_last_seq: Option<i64>,
}

/// The message with client id `id` in the conversation, if any.
pub async fn find_by_id(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    id: &str,
) -> anyhow::Result<Option<VisitorMessage>> {
    let row: Option<VisitorRow> = sqlx::query_as(
        "SELECT seq, id, author, content, reply_to, input, answer_last_seq, created_at
         FROM messages WHERE conversation_id = ? AND id = ?",
    )
    .bind(conversation_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(VisitorMessage {
            message: row.message.into_message()?,
            input: row.input,
            answer_last_seq: row.answer_last_seq.map(|s| s as u64),
        })
    })
    .transpose()
}

/// Messages with `after < seq <= until`, in seq order, at most `limit`.
pub async fn range(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    after: u64,
    until: u64,
    limit: u32,
) -> anyhow::Result<Vec<Message>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT seq, id, author, content, reply_to, created_at FROM messages
         WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
    )
    .bind(conversation_id)
    .bind(after as i64)
    .bind(until.min(i64::MAX as u64) as i64)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(MessageRow::into_message).collect()
}
