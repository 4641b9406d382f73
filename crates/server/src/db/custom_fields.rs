//! Typed field definitions of a workspace (unique names per table), in one of two tables
//! ([`Table`]): `custom_fields`, whose values are per subscriber (`subscriber_fields`,
//! by field id), and `bot_fields`, which hold one value each ([`super::bot_fields`]).

use crate::db::Connection;
use crate::db::tags::split_ref;
use parlo_model::tag::{CustomField, FieldType, IdOrName};
use sqlx::AssertSqlSafe;

/// Which definitions: the custom (user) fields or the bot (global) fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// `custom_fields`: a value per subscriber.
    Custom,
    /// `bot_fields`: one value for the workspace.
    Bot,
}

impl Table {
    /// The SQL table name (a constant, never input).
    fn name(self) -> &'static str {
        match self {
            Table::Custom => "custom_fields",
            Table::Bot => "bot_fields",
        }
    }

    /// What its rows are called in messages, e.g. `custom field`.
    pub fn noun(self) -> &'static str {
        match self {
            Table::Custom => "custom field",
            Table::Bot => "bot field",
        }
    }

    /// `sql` with `{table}` replaced by the table name. The only input is the closed set of
    /// table names above, so the result is safe.
    fn sql(self, sql: &str) -> AssertSqlSafe<String> {
        AssertSqlSafe(sql.replace("{table}", self.name()))
    }
}

/// The selected columns, in [`Row`] order.
const COLUMNS: &str = "id, name, type, description, created_at, updated_at";

/// id, name, type, description, created_at, updated_at.
type Row = (i64, String, String, String, String, String);

fn field((id, name, field_type, description, created_at, updated_at): Row) -> anyhow::Result<CustomField> {
    let field_type = FieldType::parse(&field_type)
        .ok_or_else(|| anyhow::anyhow!("field {id} has unknown type '{field_type}'"))?;
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
    conn: &mut Connection,
    table: Table,
    workspace_id: i64,
    after: i64,
    limit: u32,
) -> anyhow::Result<Vec<CustomField>> {
    let sql =
        format!("SELECT {COLUMNS} FROM {{table}} WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3");
    let rows: Vec<Row> = sqlx::query_as(table.sql(&sql))
        .bind(workspace_id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(field).collect()
}

/// Creates a field; `None` when the workspace already has one named `name`.
pub async fn create(
    conn: &mut Connection,
    table: Table,
    workspace_id: i64,
    name: &str,
    field_type: FieldType,
    description: &str,
    now: &str,
) -> anyhow::Result<Option<CustomField>> {
    let sql = format!(
        "INSERT INTO {{table}} (workspace_id, name, type, description, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING {COLUMNS}"
    );
    let row: Option<Row> = sqlx::query_as(table.sql(&sql))
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

/// The field of the workspace with this id or name in `table`, if any.
pub async fn find_in(
    conn: &mut Connection,
    table: Table,
    workspace_id: i64,
    field_ref: &IdOrName,
) -> anyhow::Result<Option<CustomField>> {
    let (id, name) = split_ref(field_ref);
    let sql = format!("SELECT {COLUMNS} FROM {{table}} WHERE workspace_id = $1 AND (id = $2 OR name = $3)");
    let row: Option<Row> = sqlx::query_as(table.sql(&sql))
        .bind(workspace_id)
        .bind(id)
        .bind(name)
        .fetch_optional(conn)
        .await?;
    row.map(field).transpose()
}

/// The custom field of the workspace with this id or name, if any.
pub async fn find(
    conn: &mut Connection,
    workspace_id: i64,
    field_ref: &IdOrName,
) -> anyhow::Result<Option<CustomField>> {
    find_in(conn, Table::Custom, workspace_id, field_ref).await
}

/// Custom field `name` of the workspace, creating it as `text` if absent (flows setting
/// fields, subscribers' profile members).
pub async fn ensure(
    conn: &mut Connection,
    workspace_id: i64,
    name: &str,
    now: &str,
) -> anyhow::Result<CustomField> {
    create(conn, Table::Custom, workspace_id, name, FieldType::Text, "", now).await?;
    find(conn, workspace_id, &IdOrName::Name(name.to_owned()))
        .await?
        .ok_or_else(|| anyhow::anyhow!("custom field '{name}' vanished"))
}

/// Renames and/or redescribes field `id`; `Ok(false)` when the new name is taken.
pub async fn update(
    conn: &mut Connection,
    table: Table,
    id: i64,
    name: &str,
    description: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let sql = "UPDATE {table} SET name = $1, description = $2, updated_at = $3
               WHERE id = $4 AND NOT EXISTS (SELECT 1 FROM {table} other
                                             WHERE other.workspace_id = {table}.workspace_id
                                               AND other.name = $1 AND other.id <> $4)";
    let done = sqlx::query(table.sql(sql))
        .bind(name)
        .bind(description)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes field `id` of the workspace (with its values); `false` when there is none.
pub async fn delete(conn: &mut Connection, table: Table, workspace_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(table.sql("DELETE FROM {table} WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
