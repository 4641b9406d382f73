//! `api_keys`: management keys (stored as SHA-256), each scoped to one workspace.

use sqlx::SqliteConnection;

/// Stores a key for the workspace by its digest.
pub async fn create(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    name: &str,
    key_hash: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO api_keys (workspace_id, name, key_hash, created_at) VALUES (?, ?, ?, ?)")
        .bind(workspace_id)
        .bind(name)
        .bind(key_hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The workspace of the unrevoked key whose digest is `key_hash`, if any.
pub async fn workspace_of(conn: &mut SqliteConnection, key_hash: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT workspace_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
        .bind(key_hash)
        .fetch_optional(conn)
        .await
}
