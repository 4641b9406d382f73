//! `flow_step_stats`, `flow_button_clicks` and `flow_step_outcomes`: the counters of
//! [`parlo_model::flow_statistics`].
//!
//! Counting functions take the conversation the count comes from and find its workspace;
//! a count for a flow that no longer exists (deleted while a delayed message waited) is
//! dropped.

use crate::db::Connection;
use parlo_engine::{ButtonKind, StepOutcome, StepRef};
use std::collections::HashMap;

/// [`bump_step`]: adds `$2` sent and `$3` completions to step `$1` of flow `$4`, in the
/// workspace of conversation `$5`.
pub(crate) const BUMP_STEP_SQL: &str =
    "INSERT INTO flow_step_stats (workspace_id, flow_id, step_id, sent, completions)
     SELECT f.workspace_id, f.id, $1, $2, $3 FROM flows f
     WHERE f.id = $4 AND f.workspace_id = (SELECT s.workspace_id FROM conversations c
                                          JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = $5)
     ON CONFLICT (workspace_id, flow_id, step_id)
     DO UPDATE SET sent = flow_step_stats.sent + excluded.sent,
                   completions = flow_step_stats.completions + excluded.completions";

/// Adds `sent` and `completions` to the counters of step `at`.
async fn bump_step(
    conn: &mut Connection,
    conversation_id: i64,
    at: &StepRef,
    sent: i64,
    completions: i64,
) -> sqlx::Result<()> {
    sqlx::query(BUMP_STEP_SQL)
        .bind(at.step.as_str())
        .bind(sent)
        .bind(completions)
        .bind(at.flow.as_str())
        .bind(conversation_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one `sent` of step `at` in the conversation's workspace.
pub async fn count_sent(conn: &mut Connection, conversation_id: i64, at: &StepRef) -> sqlx::Result<()> {
    bump_step(conn, conversation_id, at, 1, 0).await
}

/// Counts one completion of the flow at step `at`.
pub async fn count_completion(conn: &mut Connection, conversation_id: i64, at: &StepRef) -> sqlx::Result<()> {
    bump_step(conn, conversation_id, at, 0, 1).await
}

fn kind_str(kind: ButtonKind) -> &'static str {
    match kind {
        ButtonKind::Button => "button",
        ButtonKind::QuickReply => "quick_reply",
    }
}

/// Counts one press of button `index` of `kind` on message step `at`.
pub async fn count_click(
    conn: &mut Connection,
    conversation_id: i64,
    at: &StepRef,
    kind: ButtonKind,
    index: usize,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO flow_button_clicks (workspace_id, flow_id, step_id, kind, position, clicks)
         SELECT f.workspace_id, f.id, $1, $2, $3, 1 FROM flows f
         WHERE f.id = $4 AND f.workspace_id = (SELECT s.workspace_id FROM conversations c
                                              JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = $5)
         ON CONFLICT (workspace_id, flow_id, step_id, kind, position) DO UPDATE SET clicks = flow_button_clicks.clicks + 1",
    )
    .bind(at.step.as_str())
    .bind(kind_str(kind))
    .bind(index as i64)
    .bind(at.flow.as_str())
    .bind(conversation_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts one `outcome` of step `at`.
pub async fn count_outcome(
    conn: &mut Connection,
    conversation_id: i64,
    at: &StepRef,
    outcome: StepOutcome,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO flow_step_outcomes (workspace_id, flow_id, step_id, outcome, count)
         SELECT f.workspace_id, f.id, $1, $2, 1 FROM flows f
         WHERE f.id = $3 AND f.workspace_id = (SELECT s.workspace_id FROM conversations c
                                              JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = $4)
         ON CONFLICT (workspace_id, flow_id, step_id, outcome) DO UPDATE SET count = flow_step_outcomes.count + 1",
    )
    .bind(at.step.as_str())
    .bind(outcome.as_str())
    .bind(at.flow.as_str())
    .bind(conversation_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The counters of one flow.
#[derive(Debug, Default)]
pub struct Counters {
    /// `(sent, completions)` by step id.
    pub steps: HashMap<String, (u64, u64)>,
    /// Clicks by `(step id, kind, position)`.
    pub clicks: HashMap<(String, ButtonKind, u32), u64>,
    /// Outcomes by `(step id, outcome name)`.
    pub outcomes: HashMap<(String, String), u64>,
}

/// Every counter of flow `flow_id` of the workspace.
pub async fn counters(conn: &mut Connection, workspace_id: i64, flow_id: &str) -> sqlx::Result<Counters> {
    let steps: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT step_id, sent, completions FROM flow_step_stats WHERE workspace_id = $1 AND flow_id = $2",
    )
    .bind(workspace_id)
    .bind(flow_id)
    .fetch_all(&mut *conn)
    .await?;
    let clicks: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT step_id, kind, position, clicks FROM flow_button_clicks WHERE workspace_id = $1 AND flow_id = $2",
    )
    .bind(workspace_id)
    .bind(flow_id)
    .fetch_all(&mut *conn)
    .await?;
    let outcomes: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT step_id, outcome, count FROM flow_step_outcomes WHERE workspace_id = $1 AND flow_id = $2",
    )
    .bind(workspace_id)
    .bind(flow_id)
    .fetch_all(conn)
    .await?;
    Ok(Counters {
        outcomes: outcomes
            .into_iter()
            .map(|(step, outcome, count)| ((step, outcome), count as u64))
            .collect(),
        steps: steps
            .into_iter()
            .map(|(step, sent, completions)| (step, (sent as u64, completions as u64)))
            .collect(),
        clicks: clicks
            .into_iter()
            .map(|(step, kind, position, clicks)| {
                let kind = if kind == "button" {
                    ButtonKind::Button
                } else {
                    ButtonKind::QuickReply
                };
                ((step, kind, position as u32), clicks as u64)
            })
            .collect(),
    })
}
