//! `outbox`: one row per automation of an event, delivered at least once by
//! [`crate::outbox`]'s worker (states `pending` → `delivered` | `dead`).

use crate::clock;
use crate::db::{Backend, Connection};
use anyhow::Context;
use parlo_model::automation::Automation;
use parlo_model::webhook::{Delivery, DeliveryAttempt, DeliveryStatus};

/// A row to insert with [`insert`].
#[derive(Debug)]
pub struct NewRow<'a> {
    /// Workspace of the event.
    pub workspace_id: i64,
    /// Stable message id `msg_…` (the `webhook-id`).
    pub message_id: &'a str,
    /// Event type, e.g. `lead.created`.
    pub event_type: &'a str,
    /// Subscriber the event is about.
    pub subscriber_id: Option<&'a str>,
    /// What to deliver.
    pub automation: &'a Automation,
    /// Event data JSON.
    pub data: &'a str,
    /// When the event happened, RFC 3339 UTC.
    pub created_at: &'a str,
    /// When the first attempt is due, Unix milliseconds.
    pub due_at_ms: i64,
}

/// Inserts a pending row; returns its id.
pub async fn insert(conn: &mut Connection, row: &NewRow<'_>) -> sqlx::Result<i64> {
    let endpoint_id = match row.automation {
        Automation::Webhook { endpoint_id } => Some(*endpoint_id),
        _ => None,
    };
    let automation = serde_json::to_string(row.automation).expect("an automation always serialises");
    sqlx::query_scalar(
        "INSERT INTO outbox (workspace_id, message_id, event_type, subscriber_id, automation, endpoint_id,
                             data, status, next_attempt_at_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) RETURNING id",
    )
    .bind(row.workspace_id)
    .bind(row.message_id)
    .bind(row.event_type)
    .bind(row.subscriber_id)
    .bind(automation)
    .bind(endpoint_id)
    .bind(row.data)
    .bind(row.due_at_ms)
    .bind(row.created_at)
    .fetch_one(conn)
    .await
}

/// A row claimed for an attempt by [`claim`].
#[derive(Clone, Debug)]
pub struct Claimed {
    /// Row id.
    pub id: i64,
    /// Workspace of the event.
    pub workspace_id: i64,
    /// Stable message id `msg_…`.
    pub message_id: String,
    /// Event type, e.g. `lead.created`.
    pub event_type: String,
    /// Subscriber the event is about.
    pub subscriber_id: Option<String>,
    /// What to deliver.
    pub automation: Automation,
    /// Event data JSON text.
    pub data: String,
    /// When the event happened, RFC 3339 UTC.
    pub created_at: String,
    /// Attempts including this one.
    pub attempts: u32,
    /// The claim's lease token; [`finish`] succeeds only with it.
    pub lease: String,
    /// When it was claimed (the attempt's start), Unix milliseconds.
    pub claimed_ms: i64,
}

/// SQL condition on outbox row `o`: it is not a subscriber automation (tags, fields, flow)
/// waiting for an earlier pending one of the same subscriber. So these run one at a time
/// per subscriber, in outbox order (e.g. a lead's fields are set before its flow starts
/// and greets the subscriber by name).
macro_rules! unblocked {
    () => {
        "NOT (o.subscriber_id IS NOT NULL
              AND json_extract(o.automation, '$.type') NOT IN ('webhook', 'email')
              AND EXISTS (SELECT 1 FROM outbox p
                          WHERE p.subscriber_id = o.subscriber_id AND p.id < o.id AND p.status = 'pending'
                            AND json_extract(p.automation, '$.type') NOT IN ('webhook', 'email')))"
    };
}

/// The claim statement of [`claim`], with `$lock` after the row selection: SQLite runs one
/// writing statement at a time, so the claim needs none; PostgreSQL runs concurrent claims
/// (several server instances) and needs `FOR UPDATE SKIP LOCKED`, so each row goes to one
/// of them and none waits for another.
macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            r#"UPDATE outbox SET lease = $1, attempts = attempts + 1, next_attempt_at_ms = $2
         WHERE id IN (SELECT id FROM outbox o WHERE status = 'pending' AND next_attempt_at_ms <= $3 AND "#,
            unblocked!(),
            r#"
                      ORDER BY next_attempt_at_ms, id LIMIT $4"#,
            $lock,
            r#")
         RETURNING id, workspace_id, message_id, event_type, subscriber_id, automation, data, created_at, attempts"#
        )
    };
}

/// Claims up to `limit` pending rows due at `now_ms`, oldest due first (see
/// `unblocked!` for the order of subscriber automations): each gets
/// `lease`, one more attempt, and `next_attempt_at_ms = now_ms + lease_ms`, so no other
/// worker takes it before the lease runs out. One statement, so claims never overlap
/// (see `claim_sql!`).
pub async fn claim(
    conn: &mut Connection,
    now_ms: i64,
    lease_ms: i64,
    lease: &str,
    limit: u32,
) -> anyhow::Result<Vec<Claimed>> {
    let sql = match Backend::of_connection(conn) {
        Backend::Sqlite => claim_sql!(""),
        Backend::Postgres => claim_sql!(" FOR UPDATE SKIP LOCKED"),
    };
    let rows: Vec<ClaimRow> = sqlx::query_as(sql)
        .bind(lease)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            Ok(Claimed {
                id,
                workspace_id: row.workspace_id,
                message_id: row.message_id,
                event_type: row.event_type,
                subscriber_id: row.subscriber_id,
                automation: serde_json::from_str(&row.automation)
                    .with_context(|| format!("stored automation of outbox row {id}"))?,
                data: row.data,
                created_at: row.created_at,
                attempts: row.attempts,
                lease: lease.to_owned(),
                claimed_ms: now_ms,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    workspace_id: i64,
    message_id: String,
    event_type: String,
    subscriber_id: Option<String>,
    automation: String,
    data: String,
    created_at: String,
    #[sqlx(try_from = "i64")]
    attempts: u32,
}

/// How an attempt ended, as stored by [`finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Delivered.
    Delivered,
    /// Failed; try again at this time (Unix milliseconds).
    Retry(i64),
    /// Failed for good.
    Dead,
}

/// Records the end of the attempt holding `row`'s lease: a [`DeliveryAttempt`], then the new
/// state, the HTTP status (webhooks) and the error on the row. `false` (nothing changed) when
/// the lease was lost, e.g. it ran out and another worker claimed the row. (Two statements:
/// a crash between them leaves the attempt listed and the row leased, so the next claim
/// makes the next attempt, which is what happened.)
pub async fn finish(
    conn: &mut Connection,
    row: &Claimed,
    end: &Finish,
    last_status: Option<u16>,
    last_error: Option<&str>,
    now: &str,
) -> sqlx::Result<bool> {
    let (status, next_ms, delivered_at) = match end {
        Finish::Delivered => ("delivered", None, Some(now)),
        Finish::Retry(at_ms) => ("pending", Some(*at_ms), None),
        Finish::Dead => ("dead", None, None),
    };
    let duration_ms = (clock::now_ms() - row.claimed_ms).max(0);
    sqlx::query(
        "INSERT INTO delivery_attempts (outbox_id, attempt, ended_at, duration_ms, status, error)
         SELECT id, attempts, $1, $2, $3, $4 FROM outbox WHERE id = $5 AND lease = $6",
    )
    .bind(now)
    .bind(duration_ms)
    .bind(last_status.map(i64::from))
    .bind(last_error)
    .bind(row.id)
    .bind(&row.lease)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at_ms = COALESCE($2, next_attempt_at_ms), lease = NULL,
                           last_attempt_at = $3, last_status = $4, last_error = $5, delivered_at = $6
         WHERE id = $7 AND lease = $8",
    )
    .bind(status)
    .bind(next_ms)
    .bind(now)
    .bind(last_status.map(i64::from))
    .bind(last_error)
    .bind(delivered_at)
    .bind(row.id)
    .bind(&row.lease)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// When the earliest pending row that may run falls due (or its lease runs out), Unix
/// milliseconds.
pub async fn next_due_ms(conn: &mut Connection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(concat!(
        "SELECT MIN(next_attempt_at_ms) FROM outbox o WHERE status = 'pending' AND ",
        unblocked!()
    ))
    .fetch_one(conn)
    .await
}

/// Deletes up to `limit` deliveries that ended before `before` (RFC 3339, as stored):
/// delivered ones by `delivered_at`, dead ones by their last attempt. Pending rows are never
/// touched. Answers how many were deleted.
pub async fn prune_finished(conn: &mut Connection, before: &str, limit: i64) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE id IN (
             SELECT id FROM outbox
             WHERE (status = 'delivered' AND delivered_at < $1)
                OR (status = 'dead' AND COALESCE(last_attempt_at, created_at) < $2)
             LIMIT $3)",
    )
    .bind(before)
    .bind(before)
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Queues delivery `id` of the workspace again (a `dead` or `delivered` one): `pending`,
/// due at `now_ms`, with a fresh set of attempts and the same message id. `false` when
/// the workspace has no such row or it is pending already.
pub async fn redeliver(conn: &mut Connection, workspace_id: i64, id: i64, now_ms: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at_ms = $1, lease = NULL,
                           delivered_at = NULL
         WHERE workspace_id = $2 AND id = $3 AND status IN ('dead', 'delivered')",
    )
    .bind(now_ms)
    .bind(workspace_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which deliveries [`page`] lists.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    /// Only this state.
    pub status: Option<DeliveryStatus>,
    /// Only webhooks to this endpoint.
    pub endpoint_id: Option<i64>,
}

/// The columns of a [`DeliveryRow`], as a literal for `concat!` (sqlx takes only static
/// SQL).
macro_rules! delivery_columns {
    () => {
        "id, message_id, event_type, automation, subscriber_id, data, status, attempts, next_attempt_at_ms,
         last_attempt_at, last_status, last_error, created_at, delivered_at"
    };
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    message_id: String,
    event_type: String,
    automation: String,
    subscriber_id: Option<String>,
    data: String,
    status: String,
    #[sqlx(try_from = "i64")]
    attempts: u32,
    next_attempt_at_ms: i64,
    last_attempt_at: Option<String>,
    last_status: Option<i64>,
    last_error: Option<String>,
    created_at: String,
    delivered_at: Option<String>,
}

fn delivery(row: DeliveryRow) -> anyhow::Result<Delivery> {
    let id = row.id;
    let status = DeliveryStatus::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("outbox row {id} has status '{}'", row.status))?;
    let next_attempt_at = (status == DeliveryStatus::Pending).then(|| {
        clock::format_rfc3339(
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(row.next_attempt_at_ms) * 1_000_000)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        )
    });
    Ok(Delivery {
        id,
        message_id: row.message_id,
        event_type: row.event_type,
        automation: serde_json::from_str(&row.automation).with_context(|| format!("outbox row {id}"))?,
        subscriber_id: row.subscriber_id.map(Into::into),
        data: serde_json::from_str(&row.data).with_context(|| format!("outbox row {id}"))?,
        status,
        attempts: row.attempts,
        next_attempt_at,
        last_attempt_at: row.last_attempt_at,
        last_status: row.last_status.and_then(|status| u16::try_from(status).ok()),
        last_error: row.last_error,
        created_at: row.created_at,
        delivered_at: row.delivered_at,
    })
}

/// Up to `limit` deliveries of the workspace matching `filter`, newest first, with ids
/// below `before` (`i64::MAX` for the first page).
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    filter: Filter,
    before: i64,
    limit: u32,
) -> anyhow::Result<Vec<Delivery>> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(concat!(
        "SELECT ",
        delivery_columns!(),
        " FROM outbox
         WHERE workspace_id = $1 AND id < $2 AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR endpoint_id = $4)
         ORDER BY id DESC LIMIT $5"
    ))
    .bind(workspace_id)
    .bind(before)
    .bind(filter.status.map(DeliveryStatus::as_str))
    .bind(filter.endpoint_id)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(delivery).collect()
}

/// Delivery `id` of the workspace, if any.
pub async fn find(conn: &mut Connection, workspace_id: i64, id: i64) -> anyhow::Result<Option<Delivery>> {
    let row: Option<DeliveryRow> = sqlx::query_as(concat!(
        "SELECT ",
        delivery_columns!(),
        " FROM outbox WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(delivery).transpose()
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    #[sqlx(try_from = "i64")]
    attempt: u32,
    ended_at: String,
    duration_ms: i64,
    status: Option<i64>,
    error: Option<String>,
}

/// Up to `limit` attempts of delivery `id` of the workspace, oldest first, with ids above
/// `after` (0 for the first page); `None` when the workspace has no such delivery.
pub async fn attempts(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Option<Vec<DeliveryAttempt>>> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let rows: Vec<AttemptRow> = sqlx::query_as(
        "SELECT id, attempt, ended_at, duration_ms, status, error FROM delivery_attempts
         WHERE outbox_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(Some(
        rows.into_iter()
            .map(|row| DeliveryAttempt {
                id: row.id,
                attempt: row.attempt,
                ended_at: row.ended_at,
                duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
                status: row.status.and_then(|status| u16::try_from(status).ok()),
                error: row.error,
            })
            .collect(),
    ))
}

/// Rows waiting for delivery (`pending`): how many, and when the oldest was created (Unix
/// milliseconds).
pub async fn backlog(conn: &mut Connection) -> anyhow::Result<(i64, Option<i64>)> {
    let (count, oldest): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(conn)
            .await?;
    let oldest_ms = oldest
        .map(|at| {
            time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
                .map(|at| (at.unix_timestamp_nanos() / 1_000_000) as i64)
                .with_context(|| format!("outbox created_at {at:?}"))
        })
        .transpose()?;
    Ok((count, oldest_ms))
}
