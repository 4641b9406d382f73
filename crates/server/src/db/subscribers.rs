//! `subscribers`, `subscriber_fields` and `subscriber_tags`.

use parlo_engine::{Effect, Profile};
use parlo_model::subscriber::Subscriber;
use sqlx::SqliteConnection;

/// Creates a subscriber first seen on `channel_id`.
pub async fn create(
    conn: &mut SqliteConnection,
    id: &str,
    workspace_id: i64,
    channel_id: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO subscribers (id, workspace_id, channel_id, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(channel_id)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets `last_seen_at` to `now`.
pub async fn touch(conn: &mut SqliteConnection, id: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE subscribers SET last_seen_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The engine's view of the subscriber: custom fields and tags.
pub async fn profile(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Profile> {
    let fields: Vec<(String, String)> =
        sqlx::query_as("SELECT name, value FROM subscriber_fields WHERE subscriber_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM subscriber_tags WHERE subscriber_id = ?")
        .bind(id)
        .fetch_all(conn)
        .await?;
    Ok(Profile {
        fields: fields.into_iter().collect(),
        tags: tags.into_iter().collect(),
    })
}

/// Applies one engine effect to the stored profile.
pub async fn apply(conn: &mut SqliteConnection, id: &str, effect: &Effect, now: &str) -> sqlx::Result<()> {
    match effect {
        Effect::AddTag(tag) => {
            sqlx::query(
                "INSERT INTO subscriber_tags (subscriber_id, tag, created_at) VALUES (?, ?, ?)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(tag)
            .bind(now)
            .execute(conn)
            .await?;
        }
        Effect::RemoveTag(tag) => {
            sqlx::query("DELETE FROM subscriber_tags WHERE subscriber_id = ? AND tag = ?")
                .bind(id)
                .bind(tag)
                .execute(conn)
                .await?;
        }
        Effect::SetField { field, value } => {
            sqlx::query(
                "INSERT INTO subscriber_fields (subscriber_id, name, value, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (subscriber_id, name) DO UPDATE SET value = excluded.value,
                                                                 updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(field)
            .bind(value)
            .bind(now)
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// The management view of subscriber `id` of the workspace, if it belongs to it.
pub async fn find(
    conn: &mut SqliteConnection,
    workspace_id: i64,
    id: &str,
) -> sqlx::Result<Option<Subscriber>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT channel_id, created_at, last_seen_at FROM subscribers WHERE id = ? AND workspace_id = ?",
    )
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((channel_id, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    let profile = profile(conn, id).await?;
    Ok(Some(Subscriber {
        id: id.into(),
        channel_id: channel_id.into(),
        created_at,
        last_seen_at,
        fields: profile.fields,
        tags: profile.tags.into_iter().collect(),
    }))
}
