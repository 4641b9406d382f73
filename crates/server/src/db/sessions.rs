//! `sessions`: visitor bearer tokens (stored as SHA-256) → subscriber and conversation.

use crate::db::Connection;

/// What a valid session token grants: one subscriber's conversation on one channel.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VisitorSession {
    /// The subscriber.
    pub subscriber_id: String,
    /// The channel the session was opened on.
    pub channel_id: String,
    /// The subscriber's workspace.
    pub workspace_id: i64,
    /// The conversation of the subscriber on the channel.
    pub conversation_id: i64,
}

/// Stores a session for the token whose digest is `token_hash`.
pub async fn create(
    conn: &mut Connection,
    token_hash: &str,
    subscriber_id: &str,
    channel_id: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, subscriber_id, channel_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(subscriber_id)
    .bind(channel_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The session of the token whose digest is `token_hash`, if any and its channel is not
/// archived.
pub async fn find(conn: &mut Connection, token_hash: &str) -> sqlx::Result<Option<VisitorSession>> {
    sqlx::query_as(FIND_SQL)
        .bind(token_hash)
        .fetch_optional(conn)
        .await
}

/// [`find`]'s query of the session of token digest `$1`: a [`VisitorSession`] row, whose
/// first column is `subscriber_id`.
pub(crate) const FIND_SQL: &str =
    "SELECT s.subscriber_id, s.channel_id, sub.workspace_id, c.id AS conversation_id
     FROM sessions s
     JOIN subscribers sub ON sub.id = s.subscriber_id
     JOIN conversations c ON c.subscriber_id = s.subscriber_id AND c.channel_id = s.channel_id
     JOIN channels ch ON ch.id = s.channel_id AND ch.archived_at IS NULL
     WHERE s.token_hash = $1";

/// The session start recorded for an idempotency key: what the first start created.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Start {
    /// The channel the start was for.
    pub channel_id: String,
    /// The subscriber it created.
    pub subscriber_id: String,
}

/// The start recorded for `idempotency_key`, if any (and its subscriber still exists).
pub async fn find_start(conn: &mut Connection, idempotency_key: &str) -> sqlx::Result<Option<Start>> {
    sqlx::query_as("SELECT channel_id, subscriber_id FROM session_starts WHERE idempotency_key = $1")
        .bind(idempotency_key)
        .fetch_optional(conn)
        .await
}

/// Records that the start with `idempotency_key` created `start.subscriber_id`.
pub async fn record_start(
    conn: &mut Connection,
    idempotency_key: &str,
    start: &Start,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO session_starts (idempotency_key, channel_id, subscriber_id, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(idempotency_key)
    .bind(&start.channel_id)
    .bind(&start.subscriber_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the session starts recorded before `before` (RFC 3339, as stored); answers how
/// many. The sessions they made stay.
pub async fn prune_starts(conn: &mut Connection, before: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM session_starts WHERE created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
