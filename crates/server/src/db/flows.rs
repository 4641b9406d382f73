//! `flows`: flow documents of a workspace, stored as JSON.

use anyhow::Context;
use parlo_model::flow::Flow;
use sqlx::SqliteConnection;

fn parse(id: &str, document: &str) -> anyhow::Result<Flow> {
    serde_json::from_str(document).with_context(|| format!("stored flow {id}"))
}

/// Every flow of the workspace.
pub async fn all(conn: &mut SqliteConnection, workspace_id: i64) -> anyhow::Result<Vec<Flow>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, document FROM flows WHERE workspace_id = ? ORDER BY id")
            .bind(workspace_id)
            .fetch_all(conn)
            .await?;
    rows.iter().map(|(id, doc)| parse(id, doc)).collect()
}

/// Up to `limit` flows of the workspace with ids after `after`, in id order.
pub async fn page(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    after: &str,
    limit: u32,
) -> anyhow::Result<Vec<Flow>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, document FROM flows WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?",
    )
    .bind(workspace_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|(id, doc)| parse(id, doc)).collect()
}

/// The flow `id` of the workspace, if any.
pub async fn find(conn: &mut SqliteConnection, workspace_id: i64, id: &str) -> anyhow::Result<Option<Flow>> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT document FROM flows WHERE workspace_id = ? AND id = ?")
            .bind(workspace_id)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    doc.map(|d| parse(id, &d)).transpose()
}

/// Ids of every flow of the workspace.
pub async fn ids(conn: &mut SqliteConnection, workspace_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM flows WHERE workspace_id = ?")
        .bind(workspace_id)
        .fetch_all(conn)
        .await
}

/// Stores `flow`, replacing the flow with its id; returns `true` when it was created.
pub async fn upsert(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    flow: &Flow,
    now: &str,
) -> anyhow::Result<bool> {
    let existed: Option<i64> = sqlx::query_scalar("SELECT 1 FROM flows WHERE workspace_id = ? AND id = ?")
        .bind(workspace_id)
        .bind(flow.id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO flows (workspace_id, id, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, id) DO UPDATE SET document = excluded.document,
                                                      updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(flow.id.as_str())
    .bind(serde_json::to_string(flow)?)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(existed.is_none())
}
