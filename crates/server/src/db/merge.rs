//! Merging an anonymous visitor's subscriber into the identified subscriber it turned out
//! to be (a verified `Parlo.setUser`, see [`crate::identity`]).

use crate::db::{Connection, messages};
use parlo_model::chat::Message;

/// Moves everything of subscriber `from` to subscriber `into` (same workspace), then
/// deletes `from`:
///
/// - each conversation of `from` on a channel where `into` has none becomes `into`'s;
///   otherwise its messages are appended to `into`'s conversation there, after its newest
///   (renumbered from `last_seq + 1`, in their order), and those appended are answered so
///   the caller can publish them to that conversation's open streams;
/// - sessions (so the visitor's token now opens `into`), session starts, leads, orders and
///   pending outbox rows move over; cart lines of SKUs `into`'s cart lacks are added to it;
/// - custom field values and tags of `from` are added where `into` has none of its own
///   (`into`'s values win); the capture is kept when `into` has none.
///
/// Output of `from`'s bot still scheduled in an appended conversation (a delayed step, a
/// typing pause, a webhook step's call) moves with its messages: it is delivered into
/// `into`'s conversation when due.
///
/// # Errors
/// A database error; the caller's transaction is then rolled back.
pub async fn merge_into(
    conn: &mut Connection,
    from: &str,
    into: &str,
) -> anyhow::Result<Vec<(i64, Vec<Message>)>> {
    let conversations: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, channel_id FROM conversations WHERE subscriber_id = $1 ORDER BY id")
            .bind(from)
            .fetch_all(&mut *conn)
            .await?;
    let mut appended = Vec::new();
    for (conversation_id, channel_id) in conversations {
        let target: Option<(i64, i64)> = sqlx::query_as(
            "SELECT id, last_seq FROM conversations WHERE subscriber_id = $1 AND channel_id = $2",
        )
        .bind(into)
        .bind(&channel_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((target_id, offset)) = target else {
            sqlx::query("UPDATE conversations SET subscriber_id = $1 WHERE id = $2")
                .bind(into)
                .bind(conversation_id)
                .execute(&mut *conn)
                .await?;
            continue;
        };
        sqlx::query("UPDATE scheduled SET conversation_id = $1 WHERE conversation_id = $2")
            .bind(target_id)
            .bind(conversation_id)
            .execute(&mut *conn)
            .await?;
        let moved = messages::last_seq(conn, conversation_id).await?;
        sqlx::query(
            "UPDATE messages SET conversation_id = $1, seq = seq + $2,
                                 answer_last_seq = answer_last_seq + $2
             WHERE conversation_id = $3",
        )
        .bind(target_id)
        .bind(offset)
        .bind(conversation_id)
        .execute(&mut *conn)
        .await?;
        let last_seq = offset as u64 + moved;
        messages::set_last_seq(conn, target_id, last_seq).await?;
        let limit = u32::try_from(moved).unwrap_or(u32::MAX);
        appended.push((
            target_id,
            messages::range(conn, target_id, offset as u64, last_seq, limit).await?,
        ));
    }
    for sql in [
        "UPDATE sessions SET subscriber_id = $1 WHERE subscriber_id = $2",
        "UPDATE session_starts SET subscriber_id = $1 WHERE subscriber_id = $2",
        "UPDATE leads SET subscriber_id = $1 WHERE subscriber_id = $2",
        "UPDATE outbox SET subscriber_id = $1 WHERE subscriber_id = $2 AND status = 'pending'",
        "UPDATE orders SET subscriber_id = $1 WHERE subscriber_id = $2",
        "INSERT INTO cart_lines (workspace_id, subscriber_id, sku, quantity)
         SELECT workspace_id, $1, sku, quantity FROM cart_lines WHERE subscriber_id = $2 ORDER BY id
         ON CONFLICT DO NOTHING",
        "INSERT INTO subscriber_fields (subscriber_id, field_id, value, updated_at)
         SELECT $1, field_id, value, updated_at FROM subscriber_fields WHERE subscriber_id = $2
         ON CONFLICT DO NOTHING",
        "INSERT INTO subscriber_tags (subscriber_id, tag_id, created_at)
         SELECT $1, tag_id, created_at FROM subscriber_tags WHERE subscriber_id = $2
         ON CONFLICT DO NOTHING",
        "UPDATE subscribers SET capture = (SELECT capture FROM subscribers WHERE id = $2)
         WHERE id = $1 AND capture IS NULL",
        "DELETE FROM subscribers WHERE id = $2 AND id <> $1",
    ] {
        sqlx::query(sql).bind(into).bind(from).execute(&mut *conn).await?;
    }
    Ok(appended)
}
