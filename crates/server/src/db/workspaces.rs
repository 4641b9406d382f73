//! `workspaces`: tenants owning channels, flows, subscribers and API keys.

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
