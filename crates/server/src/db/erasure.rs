//! Deleting a workspace, and erasing one subscriber with everything they sent, each in the
//! caller's transaction. Rows that hang off a workspace, subscriber or conversation go by
//! their `ON DELETE CASCADE` foreign keys (both schemas declare them, and SQLite
//! connections enforce them, see [`crate::db`]); what is only linked by value (leads'
//! idempotency records, outbox rows) is deleted or cleared here explicitly.

use crate::db::Connection;
use parlo_model::shop::Buyer;

/// A conversation of a subscriber, as the export lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Conversation {
    /// Conversation id (the event streams' hub key).
    pub id: i64,
    /// Its channel.
    pub channel_id: String,
    /// When it began, RFC 3339 UTC.
    pub created_at: String,
}

/// The conversations of subscriber `subscriber_id` of the workspace, oldest first.
pub async fn conversations_of(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> sqlx::Result<Vec<Conversation>> {
    sqlx::query_as(
        "SELECT c.id, c.channel_id, c.created_at FROM conversations c
         JOIN subscribers s ON s.id = c.subscriber_id
         WHERE s.workspace_id = $1 AND s.id = $2 ORDER BY c.id",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .fetch_all(conn)
    .await
}

/// Erases subscriber `subscriber_id` of the workspace: its leads, its outbox rows (pending,
/// delivered or dead: their data is what the subscriber sent), the buyer's contact details
/// of its orders (they become [`Buyer::erased`], and the hash of the request that created
/// them is blanked, so a retry of that request is a 409; lines, totals and statuses stay for the owner's bookkeeping, and the
/// order no longer names a subscriber), then the subscriber row,
/// which takes its sessions, conversations, messages, scheduled output, tags and field
/// values along. The idempotency records of its leads stay as tombstones without a lead
/// or a hash of the body, so a retried submission is answered as before and stores
/// nothing. Answers the ids of the conversations that went (to end their event
/// streams); `None` when the workspace has no such subscriber.
pub async fn erase_subscriber(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> sqlx::Result<Option<Vec<i64>>> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM subscribers WHERE workspace_id = $1 AND id = $2")
            .bind(workspace_id)
            .bind(subscriber_id)
            .fetch_optional(&mut *conn)
            .await?;
    if found.is_none() {
        return Ok(None);
    }
    let conversations: Vec<i64> = sqlx::query_scalar("SELECT id FROM conversations WHERE subscriber_id = $1")
        .bind(subscriber_id)
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE form_submissions SET lead_id = NULL, body_hash = ''
         WHERE workspace_id = $1 AND lead_id IN
           (SELECT id FROM leads WHERE workspace_id = $1 AND subscriber_id = $2)",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .execute(&mut *conn)
    .await?;
    let erased = serde_json::to_string(&Buyer::erased()).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "UPDATE orders SET buyer = $3, body_hash = CASE WHEN body_hash IS NULL THEN NULL ELSE '' END
         WHERE workspace_id = $1 AND subscriber_id = $2",
    )
    .bind(workspace_id)
    .bind(subscriber_id)
    .bind(erased)
    .execute(&mut *conn)
    .await?;
    for statement in [
        "DELETE FROM leads WHERE workspace_id = $1 AND subscriber_id = $2",
        "DELETE FROM outbox WHERE workspace_id = $1 AND subscriber_id = $2",
        "DELETE FROM subscribers WHERE workspace_id = $1 AND id = $2",
    ] {
        sqlx::query(statement)
            .bind(workspace_id)
            .bind(subscriber_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(conversations))
}

/// Deletes workspace `id` and, by cascade, every row of it: channels, flows and their
/// statistics, subscribers with their sessions, conversations, messages, tags and field
/// values, custom and bot fields, forms, leads, idempotency records, webhook endpoints,
/// outbox rows and API keys. Answers the ids of the conversations that went (to end their
/// event streams); `None` when there is no such workspace.
pub async fn delete_workspace(conn: &mut Connection, id: i64) -> sqlx::Result<Option<Vec<i64>>> {
    let conversations: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM conversations c JOIN channels ch ON ch.id = c.channel_id
         WHERE ch.workspace_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM workspaces WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok((done.rows_affected() == 1).then_some(conversations))
}
