//! `forms` (lead form documents, ids unique on the server), the per-form submission
//! outcomes of `form_submissions`, and the render-token secret in `server_secrets`.

use crate::db::Connection;
use crate::tokens;
use anyhow::Context;
use parlo_model::form::{Form, FormStats};

/// A stored form with its workspace.
#[derive(Clone, Debug)]
pub struct StoredForm {
    /// Workspace owning the form.
    pub workspace_id: i64,
    /// The definition.
    pub form: Form,
}

fn parse(id: &str, document: &str) -> anyhow::Result<Form> {
    serde_json::from_str(document).with_context(|| format!("stored form {id}"))
}

/// The form with public id `id`, in any workspace.
pub async fn find_any(conn: &mut Connection, id: &str) -> anyhow::Result<Option<StoredForm>> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT workspace_id, document FROM forms WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|(workspace_id, doc)| {
        Ok(StoredForm {
            workspace_id,
            form: parse(id, &doc)?,
        })
    })
    .transpose()
}

/// The form `id` of the workspace, if any (another workspace's form is `None`).
pub async fn find(conn: &mut Connection, workspace_id: i64, id: &str) -> anyhow::Result<Option<Form>> {
    Ok(find_any(conn, id)
        .await?
        .filter(|f| f.workspace_id == workspace_id)
        .map(|f| f.form))
}

/// Up to `limit` forms of the workspace with ids after `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: &str,
    limit: u32,
) -> anyhow::Result<Vec<Form>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, document FROM forms WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.iter().map(|(id, doc)| parse(id, doc)).collect()
}

/// Stores a new form; `false` (nothing stored) when a form with its id exists in any
/// workspace.
pub async fn create(
    conn: &mut Connection,
    workspace_id: i64,
    form: &Form,
    now: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO forms (id, workspace_id, document, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(form.id.as_str())
    .bind(workspace_id)
    .bind(serde_json::to_string(form)?)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the workspace's form with `form.id`; `false` when it has none.
pub async fn replace(
    conn: &mut Connection,
    workspace_id: i64,
    form: &Form,
    now: &str,
) -> anyhow::Result<bool> {
    let done =
        sqlx::query("UPDATE forms SET document = $1, updated_at = $2 WHERE id = $3 AND workspace_id = $4")
            .bind(serde_json::to_string(form)?)
            .bind(now)
            .bind(form.id.as_str())
            .bind(workspace_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the workspace's form `id`; `false` when it has none. Its leads stay, and so do
/// its idempotency records, so a retry of a submission it accepted still gets its answer
/// (a form made later under the same id counts only its own: [`stats`]).
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM forms WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(workspace_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// How the submissions of form `id` ended, counting each idempotency key once, since the
/// form was created.
pub async fn stats(conn: &mut Connection, id: &str) -> sqlx::Result<FormStats> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT outcome, count(*) FROM form_submissions
             WHERE form_id = $1 AND created_at >= (SELECT created_at FROM forms WHERE id = $1)
             GROUP BY outcome",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut stats = FormStats::default();
    for (outcome, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match outcome.as_str() {
            "lead" => stats.leads = n,
            "honeypot" => stats.honeypot = n,
            _ => stats.too_fast = n,
        }
    }
    Ok(stats)
}

/// The server secret `name` (43 base62 characters), made and stored on first use.
pub async fn secret(conn: &mut Connection, name: &str, now: &str) -> sqlx::Result<String> {
    let query = || sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1").bind(name);
    if let Some(value) = query().fetch_optional(&mut *conn).await? {
        return Ok(value);
    }
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(name)
    .bind(tokens::random_base62(43))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query().fetch_one(conn).await
}

/// The channel new subscribers of a form's leads join: `preferred` (the form's
/// `channel_id`) when it is a channel of the workspace, else the workspace's oldest
/// channel; `None` when the workspace has none.
pub async fn lead_channel(
    conn: &mut Connection,
    workspace_id: i64,
    preferred: Option<&str>,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM channels WHERE workspace_id = $1
         ORDER BY id = $2 DESC, created_at, id LIMIT 1",
    )
    .bind(workspace_id)
    .bind(preferred)
    .fetch_optional(conn)
    .await
}
