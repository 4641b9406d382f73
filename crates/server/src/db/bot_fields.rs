//! `bot_fields` values: one canonical text value per bot field (definitions are managed
//! through [`super::custom_fields`] with [`Table::Bot`](super::custom_fields::Table::Bot)).

use crate::db::Connection;
use std::collections::{BTreeMap, HashMap};

/// The values of the workspace's bot fields that are set, by field id.
pub async fn values(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, value FROM bot_fields WHERE workspace_id = $1 AND value IS NOT NULL")
            .bind(workspace_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The values of the workspace's bot fields that are set, by field name.
pub async fn values_by_name(
    conn: &mut Connection,
    workspace_id: i64,
) -> sqlx::Result<BTreeMap<String, String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, value FROM bot_fields WHERE workspace_id = $1 AND value IS NOT NULL")
            .bind(workspace_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Sets (`Some`) or clears (`None`) the value of bot field `id`.
pub async fn set_value(conn: &mut Connection, id: i64, value: Option<&str>, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE bot_fields SET value = $1, updated_at = $2 WHERE id = $3")
        .bind(value)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The value of bot field `id`, if set.
pub async fn value(conn: &mut Connection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM bot_fields WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}
