//! `flow_triggers`: the idempotency keys of API triggers, per workspace, with the hash of
//! what was asked and the answer given.

use crate::db::Connection;

/// What the first trigger with a key asked and answered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Answered {
    /// SHA-256 (hex) of the flow id and the body of that request.
    pub body_hash: String,
    /// The JSON answer given to it.
    pub response: String,
}

/// The trigger recorded for `idempotency_key` in the workspace, if any (and its subscriber
/// still exists).
pub async fn answered(
    conn: &mut Connection,
    workspace_id: i64,
    idempotency_key: &str,
) -> sqlx::Result<Option<Answered>> {
    sqlx::query_as(
        "SELECT body_hash, response FROM flow_triggers WHERE workspace_id = $1 AND idempotency_key = $2",
    )
    .bind(workspace_id)
    .bind(idempotency_key)
    .fetch_optional(conn)
    .await
}

/// A trigger to record: its key, what it asked and what it answered.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// The workspace of the API key that sent it.
    pub workspace_id: i64,
    /// Its `Idempotency-Key`.
    pub idempotency_key: &'a str,
    /// As [`Answered::body_hash`].
    pub body_hash: &'a str,
    /// The subscriber it found or created.
    pub subscriber_id: &'a str,
    /// As [`Answered::response`].
    pub response: &'a str,
    /// When it ran, RFC 3339 UTC.
    pub created_at: &'a str,
}

/// Records `trigger`, in the transaction of its effects.
pub async fn record(conn: &mut Connection, trigger: &Record<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO flow_triggers (workspace_id, idempotency_key, body_hash, subscriber_id, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(trigger.workspace_id)
    .bind(trigger.idempotency_key)
    .bind(trigger.body_hash)
    .bind(trigger.subscriber_id)
    .bind(trigger.response)
    .bind(trigger.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the triggers recorded before `before` (RFC 3339, as stored); answers how many.
pub async fn prune(conn: &mut Connection, before: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM flow_triggers WHERE created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
