//! `workspaces`: tenants owning channels, flows, subscribers and API keys, each owned by a
//! console user (or by nobody when made by the command line).

use crate::db::Connection;
use parlo_model::workspace::Workspace;

/// The row id of the workspace with `slug`, if any.
pub async fn find_by_slug(conn: &mut Connection, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Creates a workspace and returns its row id.
pub async fn create(conn: &mut Connection, slug: &str, name: &str, now: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO workspaces (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(slug)
        .bind(name)
        .bind(now)
        .fetch_one(conn)
        .await
}

/// id, slug, name, created_at.
type Row = (i64, String, String, String);

fn workspace((id, slug, name, created_at): Row) -> Workspace {
    Workspace {
        id,
        slug,
        name,
        created_at,
    }
}

/// Creates a workspace owned by user `owner`; `None` when the slug is taken.
pub async fn create_owned(
    conn: &mut Connection,
    owner: i64,
    slug: &str,
    name: &str,
    now: &str,
) -> sqlx::Result<Option<Workspace>> {
    let row: Option<Row> = sqlx::query_as(
        "INSERT INTO workspaces (slug, name, created_at, owner_user_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id, slug, name, created_at",
    )
    .bind(slug)
    .bind(name)
    .bind(now)
    .bind(owner)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(workspace))
}

/// Up to `limit` workspaces owned by user `owner` with ids above `after`, in id order.
pub async fn page_owned(
    conn: &mut Connection,
    owner: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<Workspace>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, slug, name, created_at FROM workspaces WHERE owner_user_id = $1 AND id > $2
         ORDER BY id LIMIT $3",
    )
    .bind(owner)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(workspace).collect())
}

/// Whether user `owner` owns workspace `id`.
pub async fn is_owned_by(conn: &mut Connection, id: i64, owner: i64) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM workspaces WHERE id = $1 AND owner_user_id = $2")
            .bind(id)
            .bind(owner)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// The slug of workspace `id` if user `owner` owns it.
pub async fn slug_owned_by(conn: &mut Connection, id: i64, owner: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT slug FROM workspaces WHERE id = $1 AND owner_user_id = $2")
        .bind(id)
        .bind(owner)
        .fetch_optional(conn)
        .await
}

/// Gives workspace `id` to user `owner` unless it has an owner; `true` when it did.
pub async fn adopt(conn: &mut Connection, id: i64, owner: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE workspaces SET owner_user_id = $1 WHERE id = $2 AND owner_user_id IS NULL")
            .bind(owner)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}
