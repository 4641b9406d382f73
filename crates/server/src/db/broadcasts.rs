//! `broadcasts` and `broadcast_recipients`: broadcasts of a workspace, the recipients their
//! audience resolved to, and the claims of [`crate::broadcasts`]' worker (states of
//! [`BroadcastState`] and [`RecipientState`]).

use crate::db::{Backend, Connection};
use anyhow::Context;
use parlo_engine::Profile;
use parlo_model::automation::Automation;
use parlo_model::broadcast::{
    Audience, Broadcast, BroadcastContent, BroadcastRecipient, BroadcastState, BroadcastStatistics,
    EmailCopy, RecipientState,
};
use std::collections::BTreeMap;

/// A broadcast to insert with [`create`].
#[derive(Debug)]
pub struct NewBroadcast<'a> {
    /// Its workspace.
    pub workspace_id: i64,
    /// Its name, trimmed.
    pub name: &'a str,
    /// What it sends.
    pub content: &'a BroadcastContent,
    /// Who it goes to.
    pub audience: &'a Audience,
    /// Run when it finishes.
    pub automations: &'a [Automation],
    /// When it is due, RFC 3339 UTC as stored.
    pub send_at: &'a str,
    /// When it is due, Unix milliseconds.
    pub send_at_ms: i64,
    /// Recipients per second.
    pub rate_per_second: u32,
    /// Whether recipients also get an e-mail copy.
    pub email_copy: bool,
    /// Now, RFC 3339 UTC.
    pub created_at: &'a str,
}

/// Inserts a `scheduled` broadcast; returns its id.
pub async fn create(conn: &mut Connection, new: &NewBroadcast<'_>) -> sqlx::Result<i64> {
    let content = serde_json::to_string(new.content).expect("content always serialises");
    let audience = serde_json::to_string(new.audience).expect("an audience always serialises");
    let automations = serde_json::to_string(new.automations).expect("automations always serialise");
    sqlx::query_scalar(
        "INSERT INTO broadcasts (workspace_id, name, content, audience, automations, send_at, send_at_ms,
                                 rate_per_second, state, created_at, email_copy)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9, $10) RETURNING id",
    )
    .bind(new.workspace_id)
    .bind(new.name)
    .bind(content)
    .bind(audience)
    .bind(automations)
    .bind(new.send_at)
    .bind(new.send_at_ms)
    .bind(i64::from(new.rate_per_second))
    .bind(new.created_at)
    .bind(i64::from(new.email_copy))
    .fetch_one(conn)
    .await
}

/// The columns of a [`BroadcastRow`], as a literal for `concat!`.
macro_rules! broadcast_columns {
    () => {
        "id, name, content, audience, automations, send_at, rate_per_second, state, created_at, started_at, finished_at,
         cancelled_at, email_copy"
    };
}

#[derive(sqlx::FromRow)]
struct BroadcastRow {
    id: i64,
    name: String,
    content: String,
    audience: String,
    automations: String,
    send_at: String,
    #[sqlx(try_from = "i64")]
    rate_per_second: u32,
    state: String,
    created_at: String,
    started_at: Option<String>,
    finished_at: Option<String>,
    cancelled_at: Option<String>,
    email_copy: i64,
}

/// The counts of broadcast `id`'s recipients by state.
async fn statistics(conn: &mut Connection, id: i64) -> anyhow::Result<BroadcastStatistics> {
    let counts: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT state, COUNT(*), COUNT(CASE WHEN delivered_live = 1 THEN 1 END),
                COUNT(CASE WHEN email_copy = 'queued' THEN 1 END), COUNT(read_at)
         FROM broadcast_recipients WHERE broadcast_id = $1 GROUP BY state",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut statistics = BroadcastStatistics::default();
    for (state, count, live, emailed, read) in counts {
        let count = u64::try_from(count).unwrap_or_default();
        statistics.read += u64::try_from(read).unwrap_or_default();
        statistics.delivered_live += u64::try_from(live).unwrap_or_default();
        statistics.emailed += u64::try_from(emailed).unwrap_or_default();
        statistics.targeted += count;
        match RecipientState::parse(&state) {
            Some(RecipientState::Sent) => statistics.sent += count,
            Some(RecipientState::Failed) => statistics.failed += count,
            Some(RecipientState::Pending | RecipientState::Cancelled) => statistics.pending += count,
            None => anyhow::bail!("broadcast {id} has a recipient in state '{state}'"),
        }
    }
    Ok(statistics)
}

async fn broadcast(conn: &mut Connection, row: BroadcastRow) -> anyhow::Result<Broadcast> {
    let id = row.id;
    Ok(Broadcast {
        id,
        name: row.name,
        content: serde_json::from_str(&row.content).with_context(|| format!("content of broadcast {id}"))?,
        audience: serde_json::from_str(&row.audience)
            .with_context(|| format!("audience of broadcast {id}"))?,
        send_at: row.send_at,
        rate_per_second: row.rate_per_second,
        automations: serde_json::from_str(&row.automations)
            .with_context(|| format!("automations of broadcast {id}"))?,
        email_copy: row.email_copy != 0,
        state: BroadcastState::parse(&row.state)
            .ok_or_else(|| anyhow::anyhow!("broadcast {id} has state '{}'", row.state))?,
        statistics: statistics(conn, id).await?,
        created_at: row.created_at,
        started_at: row.started_at,
        finished_at: row.finished_at,
        cancelled_at: row.cancelled_at,
    })
}

/// Broadcast `id` of the workspace with its statistics, if any.
pub async fn find(conn: &mut Connection, workspace_id: i64, id: i64) -> anyhow::Result<Option<Broadcast>> {
    let row: Option<BroadcastRow> = sqlx::query_as(concat!(
        "SELECT ",
        broadcast_columns!(),
        " FROM broadcasts WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(Some(broadcast(conn, row).await?)),
        None => Ok(None),
    }
}

/// Up to `limit` broadcasts of the workspace with ids above `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<Broadcast>> {
    let rows: Vec<BroadcastRow> = sqlx::query_as(concat!(
        "SELECT ",
        broadcast_columns!(),
        " FROM broadcasts WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let mut broadcasts = Vec::with_capacity(rows.len());
    for row in rows {
        broadcasts.push(broadcast(conn, row).await?);
    }
    Ok(broadcasts)
}

/// Cancels broadcast `id` of the workspace while it is `scheduled` or `sending`: its
/// pending recipients become `cancelled` (one being sent to right now is not sent to: its
/// turn needs it pending). `false` when it is in neither state. Run it in a write
/// transaction.
pub async fn cancel(conn: &mut Connection, workspace_id: i64, id: i64, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE broadcasts SET state = 'cancelled', cancelled_at = $1
         WHERE workspace_id = $2 AND id = $3 AND state IN ('scheduled', 'sending')",
    )
    .bind(now)
    .bind(workspace_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE broadcast_recipients SET state = 'cancelled', lease = NULL
         WHERE broadcast_id = $1 AND state = 'pending'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(true)
}

/// Broadcasts that are `scheduled` and due at `now_ms`: (id, workspace id).
pub async fn due(conn: &mut Connection, now_ms: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT id, workspace_id FROM broadcasts WHERE state = 'scheduled' AND send_at_ms <= $1 ORDER BY send_at_ms, id",
    )
    .bind(now_ms)
    .fetch_all(conn)
    .await
}

/// When the earliest `scheduled` broadcast falls due, Unix milliseconds.
pub async fn next_due_ms(conn: &mut Connection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(send_at_ms) FROM broadcasts WHERE state = 'scheduled'")
        .fetch_one(conn)
        .await
}

/// A broadcast being sent, as the worker needs it.
#[derive(Clone, Debug)]
pub struct Sending {
    /// Its id.
    pub id: i64,
    /// Its workspace.
    pub workspace_id: i64,
    /// Its name (the subject of its e-mail copies).
    pub name: String,
    /// What it sends.
    pub content: BroadcastContent,
    /// Recipients per second.
    pub rate_per_second: u32,
    /// Whether recipients also get an e-mail copy.
    pub email_copy: bool,
}

/// Every broadcast in state `sending`.
pub async fn sending(conn: &mut Connection) -> anyhow::Result<Vec<Sending>> {
    let rows: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, workspace_id, name, content, rate_per_second, email_copy FROM broadcasts
         WHERE state = 'sending' ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, workspace_id, name, content, rate, email_copy)| {
            Ok(Sending {
                id,
                workspace_id,
                name,
                content: serde_json::from_str(&content)
                    .with_context(|| format!("content of broadcast {id}"))?,
                rate_per_second: u32::try_from(rate).unwrap_or(1).max(1),
                email_copy: email_copy != 0,
            })
        })
        .collect()
}

/// The audience of broadcast `id` while it is `scheduled`.
pub async fn scheduled_audience(conn: &mut Connection, id: i64) -> anyhow::Result<Option<Audience>> {
    let audience: Option<String> =
        sqlx::query_scalar("SELECT audience FROM broadcasts WHERE id = $1 AND state = 'scheduled'")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    audience
        .map(|a| serde_json::from_str(&a).with_context(|| format!("audience of broadcast {id}")))
        .transpose()
}

/// Recipient rows per `INSERT` of [`start`] on SQLite (2 parameters each: a few hundred
/// parameters at most, see [`Backend::rows_per_statement`]).
const START_ROWS: usize = 200;

/// Starts sending broadcast `id` when it is still `scheduled`: state `sending`, and one
/// pending recipient per subscriber of `recipients`, in that order (one statement per
/// [`START_ROWS`] of them on SQLite, per as many as fit on PostgreSQL). `false` when it was
/// no longer scheduled (cancelled, or started by another worker). Run it in a write
/// transaction, so it happens once.
pub async fn start(conn: &mut Connection, id: i64, recipients: &[String], now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE broadcasts SET state = 'sending', started_at = $1 WHERE id = $2 AND state = 'scheduled'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let rows = Backend::of_connection(conn).rows_per_statement(START_ROWS, 2);
    for chunk in recipients.chunks(rows) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, 'pending')", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO broadcast_recipients (broadcast_id, subscriber_id, state) VALUES {}
             ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for subscriber_id in chunk {
            query = query.bind(id).bind(subscriber_id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(true)
}

/// Every subscriber of the workspace (only those of `channel_id`, when given) with its
/// channel and profile (tags and custom fields by name), oldest first.
pub async fn profiles(
    conn: &mut Connection,
    workspace_id: i64,
    channel_id: Option<&str>,
) -> sqlx::Result<Vec<(String, String, Profile)>> {
    let subscribers: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, channel_id FROM subscribers WHERE workspace_id = $1 AND ($2 IS NULL OR channel_id = $2)
         ORDER BY created_at, id",
    )
    .bind(workspace_id)
    .bind(channel_id)
    .fetch_all(&mut *conn)
    .await?;
    let tags: Vec<(String, String)> = sqlx::query_as(
        "SELECT st.subscriber_id, t.name FROM subscriber_tags st JOIN tags t ON t.id = st.tag_id
         WHERE t.workspace_id = $1",
    )
    .bind(workspace_id)
    .fetch_all(&mut *conn)
    .await?;
    let fields: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT sf.subscriber_id, f.name, sf.value FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
         WHERE f.workspace_id = $1",
    )
    .bind(workspace_id)
    .fetch_all(conn)
    .await?;
    let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
    for (subscriber, tag) in tags {
        profiles.entry(subscriber).or_default().tags.insert(tag);
    }
    for (subscriber, field, value) in fields {
        profiles
            .entry(subscriber)
            .or_default()
            .fields
            .insert(field, value);
    }
    Ok(subscribers
        .into_iter()
        .map(|(id, channel)| {
            let profile = profiles.remove(&id).unwrap_or_default();
            (id, channel, profile)
        })
        .collect())
}

/// A recipient claimed by [`claim`].
#[derive(Clone, Debug)]
pub struct Claimed {
    /// Row id.
    pub id: i64,
    /// The subscriber.
    pub subscriber_id: String,
    /// The claim's lease (shared by the recipients claimed together); [`finish_recipient`]
    /// succeeds only with it.
    pub lease: String,
}

/// The claim statement of [`claim`], with `$lock` after the row selection (see the
/// outbox's claim: PostgreSQL runs concurrent claims and skips rows another one locked).
macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE broadcast_recipients SET lease = $1, lease_until_ms = $2
             WHERE id IN (SELECT id FROM broadcast_recipients
                          WHERE broadcast_id = $3 AND state = 'pending' AND lease_until_ms <= $4
                          ORDER BY id LIMIT $5",
            $lock,
            ") RETURNING id, subscriber_id"
        )
    };
}

/// Claims the first `limit` pending recipients of broadcast `broadcast_id` that no
/// unexpired lease holds: they get `lease` until `now_ms + lease_ms`; answered in sending
/// order. One statement, so claims never overlap.
pub async fn claim(
    conn: &mut Connection,
    broadcast_id: i64,
    now_ms: i64,
    lease_ms: i64,
    lease: &str,
    limit: u32,
) -> sqlx::Result<Vec<Claimed>> {
    let sql = match Backend::of_connection(conn) {
        Backend::Sqlite => claim_sql!(""),
        Backend::Postgres => claim_sql!(" FOR UPDATE SKIP LOCKED"),
    };
    let mut rows: Vec<(i64, String)> = sqlx::query_as(sql)
        .bind(lease)
        .bind(now_ms + lease_ms)
        .bind(broadcast_id)
        .bind(now_ms)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.sort_unstable_by_key(|(id, _)| *id);
    Ok(rows
        .into_iter()
        .map(|(id, subscriber_id)| Claimed {
            id,
            subscriber_id,
            lease: lease.to_owned(),
        })
        .collect())
}

/// A recipient of a batch, as [`batch_targets`] reads it with their conversation.
#[derive(Clone, Debug)]
pub struct Target {
    /// The recipient's row id.
    pub id: i64,
    /// The subscriber.
    pub subscriber_id: String,
    /// The channel they came through; `None` when the subscriber is gone from the workspace.
    pub channel_id: Option<String>,
    /// Their conversation on that channel (row id and `last_seq`), if they have one yet.
    pub conversation: Option<(i64, u64)>,
}

/// The first `limit` recipients of broadcast `broadcast_id` of the workspace that are
/// pending and not leased (a lease of a flow's sender, see [`claim`], that has not run out
/// at `now_ms`), in sending order, with their conversations: one query. Run it in the
/// write transaction that sends to them, so none is cancelled or sent to meanwhile.
pub async fn batch_targets(
    conn: &mut Connection,
    workspace_id: i64,
    broadcast_id: i64,
    now_ms: i64,
    limit: u32,
) -> sqlx::Result<Vec<Target>> {
    /// A recipient's id and subscriber, the subscriber's channel, and their conversation's
    /// id and `last_seq` there.
    type Row = (i64, String, Option<String>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.subscriber_id, s.channel_id, c.id, c.last_seq
         FROM broadcast_recipients r
         LEFT JOIN subscribers s ON s.id = r.subscriber_id AND s.workspace_id = $1
         LEFT JOIN conversations c ON c.subscriber_id = s.id AND c.channel_id = s.channel_id
         WHERE r.broadcast_id = $2 AND r.state = 'pending' AND r.lease_until_ms <= $3
         ORDER BY r.id LIMIT $4",
    )
    .bind(workspace_id)
    .bind(broadcast_id)
    .bind(now_ms)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, subscriber_id, channel_id, conversation, last_seq)| Target {
            id,
            subscriber_id,
            channel_id,
            conversation: conversation.map(|c| (c, last_seq.unwrap_or(0) as u64)),
        })
        .collect())
}

/// How one recipient of a batch was sent to, for [`mark_sent`].
#[derive(Clone, Copy, Debug)]
pub struct SentTo {
    /// The recipient's row id.
    pub id: i64,
    /// Whether a realtime stream of theirs was open.
    pub delivered_live: bool,
    /// What became of their e-mail copy (`None`: none asked for).
    pub email_copy: Option<EmailCopy>,
    /// The `seq` of the last message sent to them (`None`: none).
    pub seq: Option<u64>,
}

/// Recipients per statement of [`mark_sent`] on SQLite (4 parameters each: a few hundred
/// parameters at most, see [`Backend::rows_per_statement`]).
const MARK_ROWS: usize = 100;

/// Marks `sent` (at `now`, with their reach and `seq`) the recipients of `sent` that are
/// pending: one statement per [`MARK_ROWS`] of them on SQLite, per as many as fit on
/// PostgreSQL (a batch in one); answers how many changed. Run it in the transaction that
/// read them ([`batch_targets`]) and stores their messages.
pub async fn mark_sent(conn: &mut Connection, sent: &[SentTo], now: &str) -> sqlx::Result<u64> {
    let mut changed = 0;
    let rows = Backend::of_connection(conn).rows_per_statement(MARK_ROWS, 4);
    for chunk in sent.chunks(rows) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = 2 + 4 * i;
                format!(
                    "(CAST(${n} AS BIGINT), CAST(${} AS BIGINT), CAST(${} AS TEXT), CAST(${} AS BIGINT))",
                    n + 1,
                    n + 2,
                    n + 3
                )
            })
            .collect();
        let sql = format!(
            "UPDATE broadcast_recipients SET state = 'sent', done_at = $1, lease = NULL,
                 delivered_live = v.column2, email_copy = v.column3, seq = v.column4
             FROM (VALUES {}) AS v
             WHERE broadcast_recipients.id = v.column1 AND broadcast_recipients.state = 'pending'",
            rows.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
        for to in chunk {
            query = query
                .bind(to.id)
                .bind(i64::from(to.delivered_live))
                .bind(to.email_copy.map(EmailCopy::as_str))
                .bind(to.seq.map(|seq| seq as i64));
        }
        changed += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// Ends recipient `claimed` as `state` (`sent` or `failed`, with `reason`) while it is
/// pending and still holds its lease; `false` (nothing changed) otherwise.
pub async fn finish_recipient(
    conn: &mut Connection,
    claimed: &Claimed,
    state: RecipientState,
    reason: Option<&str>,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE broadcast_recipients SET state = $1, reason = $2, done_at = $3, lease = NULL
         WHERE id = $4 AND lease = $5 AND state = 'pending'",
    )
    .bind(state.as_str())
    .bind(reason)
    .bind(now)
    .bind(claimed.id)
    .bind(&claimed.lease)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends pending recipient `id` as `failed` at `now`, with `reason`. Run it in the write
/// transaction that read it pending ([`batch_targets`]).
pub async fn fail_recipient(conn: &mut Connection, id: i64, reason: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE broadcast_recipients SET state = 'failed', reason = $1, done_at = $2, lease = NULL
         WHERE id = $3 AND state = 'pending'",
    )
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// How a sent recipient was reached, recorded by [`record_reach`].
#[derive(Clone, Copy, Debug)]
pub struct Reach {
    /// A realtime stream of theirs was open.
    pub delivered_live: bool,
    /// What became of their e-mail copy (`None`: none asked for).
    pub email_copy: Option<EmailCopy>,
    /// Their conversation, where the broadcast's messages were just stored.
    pub conversation_id: Option<i64>,
}

/// Records how sent recipient `id` was reached, and the `seq` of the last message of the
/// turn sending to them (the messages of `reach.conversation_id` past the conversation's
/// saved `last_seq`, which the turn saves only at its end; none: the recipient has nothing
/// to read). Run it in that turn, after its messages are stored.
pub async fn record_reach(conn: &mut Connection, id: i64, reach: Reach) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE broadcast_recipients SET delivered_live = $1, email_copy = $2,
             seq = (SELECT MAX(m.seq) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                    WHERE m.conversation_id = $3 AND m.seq > c.last_seq)
         WHERE id = $4",
    )
    .bind(i64::from(reach.delivered_live))
    .bind(reach.email_copy.map(EmailCopy::as_str))
    .bind(reach.conversation_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks read, at `now`, every broadcast sent to subscriber `subscriber_id` whose messages
/// are at or before `seq` in their conversation (their widget showed up to `seq`) and not
/// read yet; answers how many.
pub async fn mark_read(conn: &mut Connection, subscriber_id: &str, seq: u64, now: &str) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE broadcast_recipients SET read_at = $1
         WHERE subscriber_id = $2 AND state = 'sent' AND read_at IS NULL AND seq <= $3",
    )
    .bind(now)
    .bind(subscriber_id)
    .bind(i64::try_from(seq).unwrap_or(i64::MAX))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Takes the send slot of broadcast `id` that is open at `now_us`, one `period_us` long:
/// moves `next_slot_us` one period past the later of it and `now_us`, and answers `None`;
/// or, while the next free slot is still ahead, takes nothing and answers when it opens
/// (Unix microseconds). Run it in the write transaction that sends the slot's recipients,
/// so a slot is used by the batch that took it or not taken at all.
pub async fn take_open_slot(
    conn: &mut Connection,
    id: i64,
    now_us: i64,
    period_us: i64,
) -> sqlx::Result<Option<i64>> {
    // One statement when the slot is open (a request less per batch), a second one to
    // tell when it opens otherwise.
    let taken = sqlx::query("UPDATE broadcasts SET next_slot_us = $1 WHERE id = $2 AND next_slot_us <= $3")
        .bind(now_us + period_us)
        .bind(id)
        .bind(now_us)
        .execute(&mut *conn)
        .await?;
    if taken.rows_affected() == 1 {
        return Ok(None);
    }
    let next_us: i64 = sqlx::query_scalar("SELECT next_slot_us FROM broadcasts WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(Some(next_us))
}

/// When the earliest lease of a pending recipient of broadcast `broadcast_id` runs out
/// (Unix milliseconds); `None` when none is pending.
pub async fn next_pending_ms(conn: &mut Connection, broadcast_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MIN(lease_until_ms) FROM broadcast_recipients WHERE broadcast_id = $1 AND state = 'pending'",
    )
    .bind(broadcast_id)
    .fetch_one(conn)
    .await
}

/// Ends broadcast `id` as `done` at `now` when it is `sending` and has no pending
/// recipient; `true` when this call ended it. Run it in a write transaction with what
/// goes with the end (the outbox rows of its automations).
pub async fn finish(conn: &mut Connection, id: i64, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE broadcasts SET state = 'done', finished_at = $1
         WHERE id = $2 AND state = 'sending'
           AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = $2 AND state = 'pending')",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct RecipientRow {
    id: i64,
    subscriber_id: String,
    state: String,
    reason: Option<String>,
    done_at: Option<String>,
    delivered_live: i64,
    email_copy: Option<String>,
    read_at: Option<String>,
}

/// Up to `limit` recipients of broadcast `broadcast_id` with row ids above `after`, in
/// sending order, each with its row id (the cursor).
pub async fn recipients(
    conn: &mut Connection,
    broadcast_id: i64,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<(i64, BroadcastRecipient)>> {
    let rows: Vec<RecipientRow> = sqlx::query_as(
        "SELECT id, subscriber_id, state, reason, done_at, delivered_live, email_copy, read_at FROM broadcast_recipients
         WHERE broadcast_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(broadcast_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let state = RecipientState::parse(&row.state)
                .ok_or_else(|| anyhow::anyhow!("broadcast recipient {} has state '{}'", row.id, row.state))?;
            Ok((
                row.id,
                BroadcastRecipient {
                    subscriber_id: row.subscriber_id.into(),
                    state,
                    reason: row.reason,
                    done_at: row.done_at,
                    delivered_live: row.delivered_live != 0,
                    email_copy: row.email_copy.as_deref().and_then(EmailCopy::parse),
                    read_at: row.read_at,
                },
            ))
        })
        .collect()
}
