//! `scheduled`: bot output due after a delay step, delivered by the scheduler.

use crate::db::Connection;
use anyhow::Context;
use parlo_engine::StepRef;
use parlo_model::chat::MessageContent;

/// What falls due.
#[derive(Clone, Debug, PartialEq)]
pub enum Due {
    /// Store and publish this bot message.
    Message {
        /// Pre-assigned message id.
        id: String,
        /// Its content.
        content: MessageContent,
        /// The visitor message it answers.
        reply_to: Option<String>,
        /// The flow step that sent it, counted as `sent` on delivery.
        step: Option<StepRef>,
    },
    /// Publish a typing indicator for this many milliseconds.
    Typing(u32),
    /// Call the webhook endpoint of a flow's webhook step, then go on with its answer
    /// (see `flow_webhook`).
    Webhook(WebhookCall),
}

/// A webhook step's call, as scheduled.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WebhookCall {
    /// The call's `webhook-id` (`msg_…`), the same in a repeat after a crash.
    pub message_id: String,
    /// The webhook step.
    pub at: StepRef,
    /// The endpoint.
    pub endpoint_id: i64,
    /// How long to wait for the answer, in seconds.
    pub timeout_seconds: u32,
}

/// A scheduled item.
#[derive(Clone, Debug)]
pub struct Scheduled {
    /// Row id.
    pub id: i64,
    /// The conversation it belongs to.
    pub conversation_id: i64,
    /// When it falls due, Unix milliseconds.
    pub due_at_ms: i64,
    /// What falls due.
    pub due: Due,
}

/// Schedules `due` for `due_at_ms` (Unix milliseconds).
pub async fn insert(
    conn: &mut Connection,
    conversation_id: i64,
    due_at_ms: i64,
    due: &Due,
    now: &str,
) -> anyhow::Result<()> {
    let (kind, message_id, content, reply_to, typing_ms, step) = match due {
        Due::Message {
            id,
            content,
            reply_to,
            step,
        } => (
            "message",
            Some(id.as_str()),
            Some(serde_json::to_string(content)?),
            reply_to.as_deref(),
            None,
            step.as_ref(),
        ),
        Due::Typing(ms) => ("typing", None, None, None, Some(i64::from(*ms)), None),
        Due::Webhook(call) => (
            "webhook",
            Some(call.message_id.as_str()),
            Some(serde_json::to_string(call)?),
            None,
            None,
            Some(&call.at),
        ),
    };
    sqlx::query(
        "INSERT INTO scheduled (conversation_id, due_at_ms, kind, message_id, content, reply_to, typing_ms,
                                flow_id, step_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(conversation_id)
    .bind(due_at_ms)
    .bind(kind)
    .bind(message_id)
    .bind(content)
    .bind(reply_to)
    .bind(typing_ms)
    .bind(step.map(|s| s.flow.as_str()))
    .bind(step.map(|s| s.step.as_str()))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Due time of the earliest scheduled item, Unix milliseconds.
pub async fn next_due_ms(conn: &mut Connection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(due_at_ms) FROM scheduled")
        .fetch_one(conn)
        .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    conversation_id: i64,
    due_at_ms: i64,
    kind: String,
    message_id: Option<String>,
    content: Option<String>,
    reply_to: Option<String>,
    typing_ms: Option<i64>,
    flow_id: Option<String>,
    step_id: Option<String>,
}

/// Up to `limit` items due at or before `now_ms`, in due order.
pub async fn due(conn: &mut Connection, now_ms: i64, limit: u32) -> anyhow::Result<Vec<Scheduled>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, conversation_id, due_at_ms, kind, message_id, content, reply_to, typing_ms, flow_id, step_id
         FROM scheduled WHERE due_at_ms <= $1 ORDER BY due_at_ms, id LIMIT $2",
    )
    .bind(now_ms)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            let due = match (row.kind.as_str(), row.message_id, row.content, row.typing_ms) {
                ("message", Some(message_id), Some(content), _) => Due::Message {
                    id: message_id,
                    content: serde_json::from_str(&content)
                        .with_context(|| format!("content of scheduled item {id}"))?,
                    reply_to: row.reply_to,
                    step: row.flow_id.zip(row.step_id).map(|(flow, step)| StepRef {
                        flow: flow.into(),
                        step: step.into(),
                    }),
                },
                ("typing", _, _, Some(ms)) => Due::Typing(u32::try_from(ms).unwrap_or(u32::MAX)),
                ("webhook", _, Some(call), _) => Due::Webhook(
                    serde_json::from_str(&call)
                        .with_context(|| format!("webhook call of scheduled item {id}"))?,
                ),
                (kind, ..) => anyhow::bail!("scheduled item {id} of kind {kind:?} is incomplete"),
            };
            Ok(Scheduled {
                id,
                conversation_id: row.conversation_id,
                due_at_ms: row.due_at_ms,
                due,
            })
        })
        .collect()
}

/// Drops every item of the conversation (its bot was paused); returns how many.
pub async fn delete_for_conversation(conn: &mut Connection, conversation_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM scheduled WHERE conversation_id = $1")
        .bind(conversation_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Claims item `id` due at `due_at_ms` by moving it to `until_ms`; returns `false` when
/// another worker claimed or delivered it first. A claimed webhook call whose worker
/// crashed falls due again at `until_ms`.
pub async fn claim(conn: &mut Connection, id: i64, due_at_ms: i64, until_ms: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE scheduled SET due_at_ms = $1 WHERE id = $2 AND due_at_ms = $3")
        .bind(until_ms)
        .bind(id)
        .bind(due_at_ms)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes item `id` of conversation `conversation_id`; returns `false` when it was already
/// gone (delivered elsewhere) or belongs to another conversation now (its visitor's
/// conversation was merged into their identified one, [`super::merge::merge_into`]: it is
/// then delivered there when read again).
pub async fn delete(conn: &mut Connection, id: i64, conversation_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM scheduled WHERE id = $1 AND conversation_id = $2")
        .bind(id)
        .bind(conversation_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Items waiting: how many, and the due time of the earliest (Unix milliseconds).
pub async fn backlog(conn: &mut Connection) -> sqlx::Result<(i64, Option<i64>)> {
    sqlx::query_as("SELECT COUNT(*), MIN(due_at_ms) FROM scheduled")
        .fetch_one(conn)
        .await
}
