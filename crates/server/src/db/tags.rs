//! `tags`: the tags of a workspace (unique names); subscribers refer to them by id.

use crate::db::Connection;
use parlo_model::tag::{IdOrName, Tag};

/// Up to `limit` tags of the workspace with ids above `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<Tag>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, created_at FROM tags WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(tag).collect())
}

fn tag((id, name, created_at): (i64, String, String)) -> Tag {
    Tag { id, name, created_at }
}

/// Creates tag `name`; `None` when the workspace already has it.
pub async fn create(
    conn: &mut Connection,
    workspace_id: i64,
    name: &str,
    now: &str,
) -> sqlx::Result<Option<Tag>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "INSERT INTO tags (workspace_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
         RETURNING id, name, created_at",
    )
    .bind(workspace_id)
    .bind(name)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(tag))
}

/// The tag of the workspace with this id or name, if any.
pub async fn find(conn: &mut Connection, workspace_id: i64, tag_ref: &IdOrName) -> sqlx::Result<Option<Tag>> {
    let (id, name) = split_ref(tag_ref);
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, created_at FROM tags WHERE workspace_id = $1 AND (id = $2 OR name = $3)",
    )
    .bind(workspace_id)
    .bind(id)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(tag))
}

/// `(id, name)` with the other one `None` (NULL never matches in SQL).
pub fn split_ref(r: &IdOrName) -> (Option<i64>, Option<&str>) {
    match r {
        IdOrName::Id(id) => (Some(*id), None),
        IdOrName::Name(name) => (None, Some(name.as_str())),
    }
}

/// The id of tag `name` of the workspace, creating it if absent.
pub async fn ensure(conn: &mut Connection, workspace_id: i64, name: &str, now: &str) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO tags (workspace_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(workspace_id)
    .bind(name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT id FROM tags WHERE workspace_id = $1 AND name = $2")
        .bind(workspace_id)
        .bind(name)
        .fetch_one(conn)
        .await
}

/// Deletes tag `id` of the workspace (and removes it from every subscriber); `false` when
/// there is none.
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM tags WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
