//! The owner's inbox: conversations of a workspace newest activity first, read markers,
//! and the workspace's messages in storage order (`messages.ordinal`) for its event stream.
//!
//! A subscriber's inbox conversation is its conversation on the channel it came through
//! (the one the subscriber routes address). A page is one query: the newest message through
//! the primary key (`conversation_id`, `last_seq`), the unread count as a primary-key range
//! after the read marker; the name and e-mail (custom fields) only for the rows of the page.
//! Sorting by activity still reads every conversation of the workspace (its newest message's
//! time through the primary key), so a page costs O(conversations) index lookups.

use super::messages::{MessageRow, message_of};
use crate::db::Connection;
use parlo_model::inbox::{ConversationSummary, InboxEvent};

/// The paused / handed-over state of the conversation `c` at time `$now`, as 0 or 1, and
/// its unread count, for the queries below.
macro_rules! state_columns {
    ($now:literal) => {
        concat!(
            "CAST(CASE WHEN c.bot_paused_at IS NOT NULL AND (c.bot_paused_until IS NULL OR c.bot_paused_until > ",
            $now,
            ") THEN 1 ELSE 0 END AS BIGINT) AS bot_paused,
             CAST(CASE WHEN c.handed_over_at IS NOT NULL AND c.bot_paused_at IS NOT NULL
                        AND (c.bot_paused_until IS NULL OR c.bot_paused_until > ",
            $now,
            ") THEN 1 ELSE 0 END AS BIGINT) AS handed_over,
             (SELECT count(*) FROM messages u
              WHERE u.conversation_id = c.id AND u.seq > c.read_seq AND u.author = 'visitor') AS unread_count"
        )
    };
}

/// Custom field `$name` of the page's subscriber `p.subscriber_id`, as column `$name`.
macro_rules! field {
    ($name:literal) => {
        concat!(
            "(SELECT sf.value FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
              WHERE sf.subscriber_id = p.subscriber_id AND f.name = '",
            $name,
            "') AS ",
            $name
        )
    };
}

/// The query of [`list`].
const LIST: &str = concat!(
    "SELECT p.*, ",
    field!("name"),
    ", ",
    field!("first_name"),
    ", ",
    field!("last_name"),
    ", ",
    field!("email"),
    ", m.seq, m.id AS message_id, m.author, m.content, m.reply_to, m.created_at
     FROM (
       SELECT * FROM (
         SELECT c.id AS conversation_id, s.id AS subscriber_id, c.channel_id, c.last_seq,
                COALESCE(lm.created_at, c.created_at) AS activity, c.read_seq, ",
    state_columns!("$8"),
    "    FROM subscribers s
         JOIN conversations c ON c.subscriber_id = s.id AND c.channel_id = s.channel_id
         LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = c.last_seq
         WHERE s.workspace_id = $1 AND ($2 IS NULL OR c.channel_id = $2)
       ) t
       WHERE ($3 IS NULL OR (t.activity, t.conversation_id) < ($3, $4))
         AND ($5 IS NULL OR (t.unread_count > 0) = $5)
         AND ($6 IS NULL OR (t.bot_paused = 1) = $6)
         AND ($7 IS NULL OR (t.handed_over = 1) = $7)
       ORDER BY t.activity DESC, t.conversation_id DESC
       LIMIT $9
     ) p
     LEFT JOIN messages m ON m.conversation_id = p.conversation_id AND m.seq = p.last_seq
     ORDER BY p.activity DESC, p.conversation_id DESC"
);

/// The query of [`events_after`].
const EVENTS_AFTER: &str = concat!(
    "SELECT m.ordinal, s.id AS subscriber_id, c.channel_id, ",
    state_columns!("$3"),
    ", m.seq, m.id, m.author, m.content, m.reply_to, m.created_at
     FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     JOIN subscribers s ON s.id = c.subscriber_id
     WHERE m.ordinal > $1 AND s.workspace_id = $2
     ORDER BY m.ordinal LIMIT $4"
);

/// Filters of [`list`]; `None` does not filter.
#[derive(Debug, Default)]
pub struct Filter {
    /// Only conversations on this channel.
    pub channel: Option<String>,
    /// Only conversations with (`true`) or without (`false`) unread visitor messages.
    pub unread: Option<bool>,
    /// Only conversations whose bot is (`true`) or is not (`false`) paused.
    pub bot_paused: Option<bool>,
    /// Only conversations that are (`true`) or are not (`false`) handed over.
    pub handed_over: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    conversation_id: i64,
    subscriber_id: String,
    channel_id: String,
    activity: String,
    read_seq: i64,
    bot_paused: i64,
    handed_over: i64,
    unread_count: i64,
    name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    seq: Option<i64>,
    message_id: Option<String>,
    author: Option<String>,
    content: Option<String>,
    reply_to: Option<String>,
    created_at: Option<String>,
}

/// One row of [`list`]: the summary and the keys of its cursor.
pub struct Listed {
    /// The conversation (row id), second key of the order.
    pub conversation_id: i64,
    /// The summary.
    pub summary: ConversationSummary,
}

/// Up to `limit` conversations of the workspace matching `filter`, newest activity first
/// (then the newer conversation first), after the cursor `(activity, conversation_id)` when
/// given; `now` (RFC 3339 UTC) decides whether a timed pause is over.
pub async fn list(
    conn: &mut Connection,
    workspace_id: i64,
    filter: &Filter,
    after: Option<(&str, i64)>,
    now: &str,
    limit: u32,
) -> anyhow::Result<Vec<Listed>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(LIST)
        .bind(workspace_id)
        .bind(filter.channel.as_deref())
        .bind(after.map(|(at, _)| at))
        .bind(after.map_or(0, |(_, id)| id))
        .bind(filter.unread)
        .bind(filter.bot_paused)
        .bind(filter.handed_over)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let name = row.name.or_else(|| {
                let parts: Vec<String> = row.first_name.into_iter().chain(row.last_name).collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            });
            Ok(Listed {
                conversation_id: row.conversation_id,
                summary: ConversationSummary {
                    subscriber_id: row.subscriber_id.into(),
                    name,
                    email: row.email,
                    channel_id: row.channel_id.into(),
                    last_message: message_of(
                        row.seq,
                        row.message_id,
                        row.author,
                        row.content,
                        row.reply_to,
                        row.created_at,
                    )?,
                    last_activity_at: row.activity,
                    read_seq: row.read_seq as u64,
                    unread_count: row.unread_count as u64,
                    bot_paused: row.bot_paused == 1,
                    handed_over: row.handed_over == 1,
                },
            })
        })
        .collect()
}

/// Moves the read marker of conversation `conversation_id` forward to `seq` (never back)
/// and answers `(read_seq, unread_count)` after it.
pub async fn mark_read(conn: &mut Connection, conversation_id: i64, seq: u64) -> sqlx::Result<(u64, u64)> {
    sqlx::query("UPDATE conversations SET read_seq = $1 WHERE id = $2 AND read_seq < $1")
        .bind(seq.min(i64::MAX as u64) as i64)
        .bind(conversation_id)
        .execute(&mut *conn)
        .await?;
    read_marker(conn, conversation_id).await
}

/// `(read_seq, unread_count)` of a conversation.
pub async fn read_marker(conn: &mut Connection, conversation_id: i64) -> sqlx::Result<(u64, u64)> {
    let (read_seq, unread): (i64, i64) = sqlx::query_as(
        "SELECT c.read_seq, (SELECT count(*) FROM messages u
                             WHERE u.conversation_id = c.id AND u.seq > c.read_seq AND u.author = 'visitor')
         FROM conversations c WHERE c.id = $1",
    )
    .bind(conversation_id)
    .fetch_one(conn)
    .await?;
    Ok((read_seq as u64, unread as u64))
}

/// The ordinal of the newest message stored (0 when there is none): where a workspace
/// event stream without `Last-Event-ID` starts.
pub async fn last_ordinal(conn: &mut Connection) -> sqlx::Result<u64> {
    let last: Option<i64> = sqlx::query_scalar("SELECT max(ordinal) FROM messages")
        .fetch_one(conn)
        .await?;
    Ok(last.unwrap_or(0) as u64)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    ordinal: i64,
    subscriber_id: String,
    channel_id: String,
    bot_paused: i64,
    handed_over: i64,
    unread_count: i64,
    #[sqlx(flatten)]
    message: MessageRow,
}

/// Up to `limit` messages of the workspace's conversations with an ordinal greater than
/// `after`, in storage order, each with its ordinal and its conversation's state now.
pub async fn events_after(
    conn: &mut Connection,
    workspace_id: i64,
    after: u64,
    now: &str,
    limit: u32,
) -> anyhow::Result<Vec<(u64, InboxEvent)>> {
    let rows: Vec<EventRow> = sqlx::query_as(EVENTS_AFTER)
        .bind(after.min(i64::MAX as u64) as i64)
        .bind(workspace_id)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                row.ordinal as u64,
                InboxEvent {
                    subscriber_id: row.subscriber_id.into(),
                    channel_id: row.channel_id.into(),
                    message: row.message.into_message()?,
                    unread_count: row.unread_count as u64,
                    bot_paused: row.bot_paused == 1,
                    handed_over: row.handed_over == 1,
                },
            ))
        })
        .collect()
}

/// The workspace of conversation `conversation_id`, if it still exists.
pub async fn workspace_of(conn: &mut Connection, conversation_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT s.workspace_id FROM conversations c JOIN subscribers s ON s.id = c.subscriber_id
         WHERE c.id = $1",
    )
    .bind(conversation_id)
    .fetch_optional(conn)
    .await
}
