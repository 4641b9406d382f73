//! `leads` and `form_submissions` (one row per idempotency key of a form).

use crate::db::Connection;
use anyhow::Context;
use parlo_model::ids::{FormId, LeadId, SubscriberId};
use parlo_model::lead::Lead;

/// Which leads of a workspace to list: all bounds optional and inclusive, times RFC 3339
/// UTC as stored.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only leads of this form.
    pub form_id: Option<String>,
    /// Only leads created at or after this time.
    pub from: Option<String>,
    /// Only leads created at or before this time.
    pub to: Option<String>,
}

/// What a submission was taken for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It made a lead.
    Lead,
    /// Its honeypot was filled.
    Honeypot,
    /// It came sooner than the form's `min_fill_ms` (or without a valid render token).
    TooFast,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Lead => "lead",
            Outcome::Honeypot => "honeypot",
            Outcome::TooFast => "too_fast",
        }
    }
}

/// A submission already answered for an idempotency key.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Answered {
    /// SHA-256 (hex) of its values, capture and honeypot.
    pub body_hash: String,
    /// The answer given (`SubmissionAccepted` JSON).
    pub response: String,
}

/// A submission to record, answered as accepted.
#[derive(Clone, Debug)]
pub struct NewSubmission<'a> {
    /// Its form.
    pub form_id: &'a str,
    /// Its idempotency key.
    pub idempotency_key: &'a str,
    /// The form's workspace.
    pub workspace_id: i64,
    /// See [`Answered::body_hash`].
    pub body_hash: &'a str,
    /// What it was taken for.
    pub outcome: Outcome,
    /// The lead it made.
    pub lead_id: Option<&'a str>,
    /// The answer given.
    pub response: &'a str,
    /// When it was accepted.
    pub created_at: &'a str,
}

/// The answered submission of `form_id` with `idempotency_key`, if any.
pub async fn answered(
    conn: &mut Connection,
    form_id: &str,
    idempotency_key: &str,
) -> sqlx::Result<Option<Answered>> {
    sqlx::query_as(
        "SELECT body_hash, response FROM form_submissions WHERE form_id = $1 AND idempotency_key = $2",
    )
    .bind(form_id)
    .bind(idempotency_key)
    .fetch_optional(conn)
    .await
}

/// Records an answered submission.
pub async fn record(conn: &mut Connection, s: &NewSubmission<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO form_submissions
           (form_id, idempotency_key, workspace_id, body_hash, outcome, lead_id, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.form_id)
    .bind(s.idempotency_key)
    .bind(s.workspace_id)
    .bind(s.body_hash)
    .bind(s.outcome.as_str())
    .bind(s.lead_id)
    .bind(s.response)
    .bind(s.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores `lead` in the workspace.
pub async fn insert(conn: &mut Connection, workspace_id: i64, lead: &Lead) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO leads (id, workspace_id, form_id, subscriber_id, idempotency_key, values_json,
                            consents, capture, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(lead.id.as_str())
    .bind(workspace_id)
    .bind(lead.form_id.as_str())
    .bind(lead.subscriber_id.as_ref().map(SubscriberId::as_str))
    .bind(&lead.idempotency_key)
    .bind(serde_json::to_string(&lead.values)?)
    .bind(serde_json::to_string(&lead.consents)?)
    .bind(serde_json::to_string(&lead.capture)?)
    .bind(&lead.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    id: String,
    form_id: String,
    subscriber_id: Option<String>,
    idempotency_key: String,
    values_json: String,
    consents: String,
    capture: String,
    created_at: String,
}

impl Row {
    fn into_lead(self) -> anyhow::Result<(i64, Lead)> {
        let at = || format!("stored lead {}", self.id);
        Ok((
            self.seq,
            Lead {
                values: serde_json::from_str(&self.values_json).with_context(at)?,
                consents: serde_json::from_str(&self.consents).with_context(at)?,
                capture: serde_json::from_str(&self.capture).with_context(at)?,
                id: LeadId(self.id),
                form_id: FormId(self.form_id),
                subscriber_id: self.subscriber_id.map(SubscriberId),
                idempotency_key: self.idempotency_key,
                created_at: self.created_at,
            },
        ))
    }
}

/// The columns of [`Row`], for `concat!` (static SQL text, no string formatting).
macro_rules! columns {
    () => {
        "seq, id, form_id, subscriber_id, idempotency_key, values_json, consents, capture, created_at"
    };
}

/// The lead `id` of the workspace, if any.
pub async fn find(conn: &mut Connection, workspace_id: i64, id: &str) -> anyhow::Result<Option<Lead>> {
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM leads WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.into_lead().map(|(_, lead)| lead)).transpose()
}

/// The filter conditions of a lead query over `$3` (form), `$4` (from) and `$5` (to), as a
/// literal for `concat!`.
macro_rules! filtered {
    () => {
        " AND ($3 IS NULL OR form_id = $3)
          AND ($4 IS NULL OR created_at >= $4)
          AND ($5 IS NULL OR created_at <= $5)"
    };
}

/// Up to `limit` leads of the workspace matching `filter` with `seq` below `before`,
/// newest first, each with its `seq` (the list cursor).
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    filter: &Filter,
    before: i64,
    limit: u32,
) -> anyhow::Result<Vec<(i64, Lead)>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM leads WHERE workspace_id = $1 AND seq < $2",
        filtered!(),
        " ORDER BY seq DESC LIMIT $6"
    ))
    .bind(workspace_id)
    .bind(before)
    .bind(&filter.form_id)
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Row::into_lead).collect()
}

/// Up to `limit` leads of the workspace matching `filter` with `seq` in `after + 1..=up_to`,
/// oldest first, each with its `seq` (for exports that walk a fixed range in chunks).
pub async fn range(
    conn: &mut Connection,
    workspace_id: i64,
    filter: &Filter,
    (after, up_to): (i64, i64),
    limit: u32,
) -> anyhow::Result<Vec<(i64, Lead)>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM leads WHERE workspace_id = $1 AND seq > $2 AND seq <= $7",
        filtered!(),
        " ORDER BY seq LIMIT $6"
    ))
    .bind(workspace_id)
    .bind(after)
    .bind(&filter.form_id)
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(i64::from(limit))
    .bind(up_to)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Row::into_lead).collect()
}

/// The newest `seq` of the workspace's leads, 0 without leads.
pub async fn last_seq(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<i64> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM leads WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(conn)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// Up to `limit` leads of subscriber `subscriber_id` of the workspace with `seq` above
/// `after`, oldest first, each with its `seq`.
pub async fn of_subscriber(
    conn: &mut Connection,
    workspace_id: i64,
    subscriber_id: &str,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<(i64, Lead)>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM leads WHERE workspace_id = $1 AND subscriber_id = $2 AND seq > $3
          ORDER BY seq LIMIT $4"
    ))
    .bind(workspace_id)
    .bind(subscriber_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Row::into_lead).collect()
}
