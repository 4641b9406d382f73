//! `webhook_endpoints`: where a workspace's signed webhooks go, with their secrets.

use crate::db::Connection;
use parlo_model::webhook::WebhookEndpoint;

/// The columns of a [`WebhookEndpoint`], as a literal for `concat!` (sqlx takes only
/// static SQL).
macro_rules! columns {
    () => {
        "id, url, description, disabled_at, created_at"
    };
}

type Row = (i64, String, String, Option<String>, String);

fn endpoint((id, url, description, disabled_at, created_at): Row) -> WebhookEndpoint {
    WebhookEndpoint {
        id,
        url,
        description,
        disabled_at,
        created_at,
    }
}

/// Up to `limit` endpoints of the workspace with ids above `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<WebhookEndpoint>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM webhook_endpoints WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(endpoint).collect())
}

/// Stores a new endpoint with `secret` (`whsec_…`).
pub async fn create(
    conn: &mut Connection,
    workspace_id: i64,
    url: &str,
    description: &str,
    secret: &str,
    now: &str,
) -> sqlx::Result<WebhookEndpoint> {
    let row: Row = sqlx::query_as(concat!(
        "INSERT INTO webhook_endpoints (workspace_id, url, description, secret, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    ))
    .bind(workspace_id)
    .bind(url)
    .bind(description)
    .bind(secret)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(endpoint(row))
}

/// Endpoint `id` of the workspace, if any.
pub async fn find(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
) -> sqlx::Result<Option<WebhookEndpoint>> {
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(endpoint))
}

/// Endpoint `id` of the workspace with its secret (`whsec_…`), for signing.
pub async fn find_with_secret(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
) -> sqlx::Result<Option<(WebhookEndpoint, String)>> {
    let row: Option<(i64, String, String, Option<String>, String, String)> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        ", secret FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(id, url, description, disabled_at, created_at, secret)| {
            (endpoint((id, url, description, disabled_at, created_at)), secret)
        }),
    )
}

/// Id of the workspace's first endpoint with exactly this URL, if any.
pub async fn find_by_url(conn: &mut Connection, workspace_id: i64, url: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(id) FROM webhook_endpoints WHERE workspace_id = $1 AND url = $2")
        .bind(workspace_id)
        .bind(url)
        .fetch_one(conn)
        .await
}

/// Replaces the secret of endpoint `id` of the workspace; `false` when there is none.
pub async fn set_secret(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
    secret: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE webhook_endpoints SET secret = $1 WHERE workspace_id = $2 AND id = $3")
        .bind(secret)
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks endpoint `id` disabled at `now` (it answered 410 Gone); no-op when it already is.
pub async fn disable(conn: &mut Connection, id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_endpoints SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes endpoint `id` of the workspace; `false` when there is none. Its deliveries
/// stay listed; pending ones end `dead` at their next attempt.
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
