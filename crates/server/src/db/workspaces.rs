//! `workspaces`: tenants owning channels, flows, subscribers and API keys, each owned by a
//! console user (or by nobody when made by the command line).

use parlo_model::workspace::Workspace;
use sqlx::SqliteConnection;

/// The row id of the workspace with `slug`, if any.
pub async fn find_by_slug(conn: &mut SqliteConnection, slug: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = ?")
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Creates a workspace and returns its row id.
pub async fn create(conn: &mut SqliteConnection, slug: &str, name: &str, now: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO workspaces (slug, name, created_at) VALUES (?, ?, ?) RETURNING id")
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
    conn: &mut SqliteConnection,
    owner: i64,
    slug: &str,
    name: &str,
    now: &str,
) -> sqlx::Result<Option<Workspace>> {
    let row: Option<Row> = sqlx::query_as(
        "INSERT INTO workspaces (slug, name, created_at, owner_user_id) VALUES (?, ?, ?, ?)
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
    conn: &mut SqliteConnection,
    owner: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<Workspace>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, slug, name, created_at FROM workspaces WHERE owner_user_id = ? AND id > ?
         ORDER BY id LIMIT ?",
    )
    .bind(owner)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(workspace).collect())
}

/// Whether user `owner` owns workspace `id`.
pub async fn is_owned_by(conn: &mut SqliteConnection, id: i64, owner: i64) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM workspaces WHERE id = ? AND owner_user_id = ?")
            .bind(id)
            .bind(owner)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Gives workspace `id` to user `owner` unless it has an owner; `true` when it did.
pub async fn adopt(conn: &mut SqliteConnection, id: i64, owner: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE workspaces SET owner_user_id = ? WHERE id = ? AND owner_user_id IS NULL")
        .bind(owner)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
