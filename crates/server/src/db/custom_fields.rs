//! `custom_fields`: the typed custom (user) fields of a workspace (unique names);
//! subscribers' values refer to them by id.

use crate::db::tags::split_ref;
use parlo_model::tag::{CustomField, FieldType, IdOrName};
use sqlx::SqliteConnection;

/// The selected columns, in [`Row`] order.
macro_rules! columns {
    () => {
        "id, name, type, description, created_at, updated_at"
    };
}

/// id, name, type, description, created_at, updated_at.
type Row = (i64, String, String, String, String, String);

fn field((id, name, field_type, description, created_at, updated_at): Row) -> anyhow::Result<CustomField> {
    let field_type = FieldType::parse(&field_type)
        .ok_or_else(|| anyhow::anyhow!("custom field {id} has unknown type '{field_type}'"))?;
    Ok(CustomField {
        id,
        name,
        field_type,
        description,
        created_at,
        updated_at,
    })
}

/// Up to `limit` fields of the workspace with ids above `after`, in id order.
pub async fn page(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<CustomField>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM custom_fields WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?"
    ))
    .bind(workspace_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(field).collect()
}

/// Creates a field; `None` when the workspace already has one named `name`.
pub async fn create(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    name: &str,
    field_type: FieldType,
    description: &str,
    now: &str,
) -> anyhow::Result<Option<CustomField>> {
    let row: Option<Row> = sqlx::query_as(concat!(
        "INSERT INTO custom_fields (workspace_id, name, type, description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING ",
        columns!()
    ))
    .bind(workspace_id)
    .bind(name)
    .bind(field_type.as_str())
    .bind(description)
    .bind(now)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(field).transpose()
}

/// The field of the workspace with this id or name, if any.
pub async fn find(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    field_ref: &IdOrName,
) -> anyhow::Result<Option<CustomField>> {
    let (id, name) = split_ref(field_ref);
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM custom_fields WHERE workspace_id = ? AND (id = ? OR name = ?)"
    ))
    .bind(workspace_id)
    .bind(id)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(field).transpose()
}

/// Field `name` of the workspace, creating it as `text` if absent (flows setting fields).
pub async fn ensure(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    name: &str,
    now: &str,
) -> anyhow::Result<CustomField> {
    create(conn, workspace_id, name, FieldType::Text, "", now).await?;
    find(conn, workspace_id, &IdOrName::Name(name.to_owned()))
        .await?
        .ok_or_else(|| anyhow::anyhow!("custom field '{name}' vanished"))
}

/// Renames and/or redescribes field `id`; `Ok(false)` when the new name is taken.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    name: &str,
    description: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE OR IGNORE custom_fields SET name = ?, description = ?, updated_at = ? WHERE id = ?",
    )
    .bind(name)
    .bind(description)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes field `id` of the workspace (and every subscriber's value of it); `false` when
/// there is none.
pub async fn delete(conn: &mut SqliteConnection, workspace_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM custom_fields WHERE workspace_id = ? AND id = ?")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
