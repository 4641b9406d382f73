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

/// The session of the token whose digest is `token_hash`, if any.
pub async fn find(conn: &mut Connection, token_hash: &str) -> sqlx::Result<Option<VisitorSession>> {
    sqlx::query_as(
        "SELECT s.subscriber_id, s.channel_id, sub.workspace_id, c.id AS conversation_id
         FROM sessions s
         JOIN subscribers sub ON sub.id = s.subscriber_id
         JOIN conversations c ON c.subscriber_id = s.subscriber_id AND c.channel_id = s.channel_id
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}
