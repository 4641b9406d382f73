//! `api_keys`: management keys (stored as SHA-256), each scoped to one workspace.

use crate::db::Connection;
use parlo_model::api_key::{ApiKey, KEY_PREFIX};

/// Stores a key for the workspace by its digest and display prefix; returns its id.
pub async fn create(
    conn: &mut Connection,
    workspace_id: i64,
    name: &str,
    key_hash: &str,
    prefix: &str,
    now: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO api_keys (workspace_id, name, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(workspace_id)
    .bind(name)
    .bind(key_hash)
    .bind(prefix)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// An unrevoked key found by its digest.
#[derive(Debug)]
pub struct Found {
    /// Id of the key.
    pub id: i64,
    /// Its workspace.
    pub workspace_id: i64,
    /// When it was last used, if ever.
    pub last_used_at: Option<String>,
    /// Whether it was created before keys carried a checksum (`prefix` is NULL).
    pub legacy: bool,
}

/// The unrevoked key whose digest is `key_hash`, if any.
pub async fn find_active(conn: &mut Connection, key_hash: &str) -> sqlx::Result<Option<Found>> {
    let row: Option<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, workspace_id, last_used_at, prefix FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, workspace_id, last_used_at, prefix)| Found {
        id,
        workspace_id,
        last_used_at,
        legacy: prefix.is_none(),
    }))
}

/// Sets `last_used_at` of key `id` to `now`.
pub async fn touch(conn: &mut Connection, id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Up to `limit` unrevoked keys of the workspace with ids above `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> sqlx::Result<Vec<ApiKey>> {
    /// id, name, prefix, created_at, last_used_at.
    type Row = (i64, String, String, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, COALESCE(prefix, $1), created_at, last_used_at FROM api_keys
         WHERE workspace_id = $2 AND revoked_at IS NULL AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(KEY_PREFIX)
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, prefix, created_at, last_used_at)| ApiKey {
            id,
            name,
            prefix,
            created_at,
            last_used_at,
        })
        .collect())
}

/// Gives unrevoked key `id` of the workspace a new digest and display prefix (its old
/// secret stops working at once); answers its name and creation time, `None` when there is
/// no such key.
pub async fn replace_secret(
    conn: &mut Connection,
    workspace_id: i64,
    id: i64,
    key_hash: &str,
    prefix: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "UPDATE api_keys SET key_hash = $1, prefix = $2
         WHERE id = $3 AND workspace_id = $4 AND revoked_at IS NULL RETURNING name, created_at",
    )
    .bind(key_hash)
    .bind(prefix)
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(conn)
    .await
}

/// Revokes unrevoked key `id` of the workspace; `false` when there is none.
pub async fn revoke(conn: &mut Connection, workspace_id: i64, id: i64, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND workspace_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(workspace_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
