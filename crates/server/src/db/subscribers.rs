//! `subscribers`, `subscriber_fields` and `subscriber_tags` (by field and tag id).

use crate::db::Connection;
use crate::db::{custom_fields, tags};
use crate::field_values;
use parlo_engine::{Effect, Profile};
use parlo_model::form::Capture;
use parlo_model::subscriber::Subscriber;
use parlo_model::tag::IdOrName;

/// Creates a subscriber first seen on `channel_id`.
pub async fn create(
    conn: &mut Connection,
    id: &str,
    workspace_id: i64,
    channel_id: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO subscribers (id, workspace_id, channel_id, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5)",
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

/// Moves subscriber `id` to channel `channel_id`.
pub async fn set_channel(conn: &mut Connection, id: &str, channel_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE subscribers SET channel_id = $1 WHERE id = $2")
        .bind(channel_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ids of the workspace's subscribers whose field `email` equals `email`, ignoring ASCII
/// case, oldest first.
pub async fn with_email(conn: &mut Connection, workspace_id: i64, email: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT s.id FROM subscribers s
         JOIN subscriber_fields sf ON sf.subscriber_id = s.id
         JOIN custom_fields f ON f.id = sf.field_id
         WHERE s.workspace_id = $1 AND f.name = 'email' AND lower(sf.value) = lower($2)
         ORDER BY s.created_at, s.id",
    )
    .bind(workspace_id)
    .bind(email)
    .fetch_all(conn)
    .await
}

/// [`touch`]: `$1` the time, `$2` the subscriber.
pub(crate) const TOUCH_SQL: &str = "UPDATE subscribers SET last_seen_at = $1 WHERE id = $2";

/// Sets `last_seen_at` to `now`.
pub async fn touch(conn: &mut Connection, id: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(TOUCH_SQL).bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// [`profile`]: `$1` the subscriber; rows `(name, value)`, a field's with its value, a
/// tag's without.
pub(crate) const PROFILE_SQL: &str =
    "SELECT f.name, sf.value FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
     WHERE sf.subscriber_id = $1
     UNION ALL
     SELECT t.name, NULL FROM subscriber_tags st JOIN tags t ON t.id = st.tag_id WHERE st.subscriber_id = $1";

/// The engine's view of the subscriber: custom field values and tags, by name (one query:
/// a field's row has its value, a tag's none).
pub async fn profile(conn: &mut Connection, id: &str) -> sqlx::Result<Profile> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(PROFILE_SQL).bind(id).fetch_all(conn).await?;
    Ok(profile_of(rows))
}

/// The profile of the rows of [`PROFILE_SQL`].
pub(crate) fn profile_of(rows: impl IntoIterator<Item = (String, Option<String>)>) -> Profile {
    let mut profile = Profile::default();
    for (name, value) in rows {
        match value {
            Some(value) => {
                profile.fields.insert(name, value);
            }
            None => {
                profile.tags.insert(name);
            }
        }
    }
    profile
}

/// The workspace of subscriber `id`.
async fn workspace_of(conn: &mut Connection, id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT workspace_id FROM subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Applies one engine effect to the stored profile, with the workspace's tag and field
/// records: a missing tag is created, a missing field is created as `text`. A value the
/// field's type refuses is not stored (logged as a warning); the flow goes on.
pub async fn apply(conn: &mut Connection, id: &str, effect: &Effect, now: &str) -> anyhow::Result<()> {
    let workspace_id = workspace_of(conn, id).await?;
    match effect {
        Effect::AddTag(tag) => {
            let tag_id = tags::ensure(conn, workspace_id, tag, now).await?;
            add_tag(conn, id, tag_id, now).await?;
        }
        Effect::RemoveTag(tag) => {
            if let Some(tag) = tags::find(conn, workspace_id, &IdOrName::Name(tag.clone())).await? {
                remove_tag(conn, id, tag.id).await?;
            }
        }
        Effect::ClearField(field) => {
            if let Some(field) =
                custom_fields::find(conn, workspace_id, &IdOrName::Name(field.clone())).await?
            {
                clear_field(conn, id, field.id).await?;
            }
        }
        Effect::SetField { field, value } => {
            let value = serde_json::Value::String(value.clone());
            if let Err(problem) = set_field_by_name(conn, workspace_id, id, field, &value, now).await? {
                tracing::warn!(field, problem, "flow set a field to a value of the wrong type");
            }
        }
    }
    Ok(())
}

/// Sets custom field `name` of subscriber `id` (in workspace `workspace_id`) to `value`,
/// creating the field as `text` when missing. `Ok(Err(problem))` when the field's type
/// refuses the value (nothing stored then).
pub async fn set_field_by_name(
    conn: &mut Connection,
    workspace_id: i64,
    id: &str,
    name: &str,
    value: &serde_json::Value,
    now: &str,
) -> anyhow::Result<Result<(), String>> {
    let field = custom_fields::ensure(conn, workspace_id, name, now).await?;
    Ok(match field_values::canonical(field.field_type, value) {
        Ok(value) => {
            set_field(conn, id, field.id, &value, now).await?;
            Ok(())
        }
        Err(problem) => Err(problem),
    })
}

/// Tags subscriber `id` with tag `tag_id` (no-op when it has it).
pub async fn add_tag(conn: &mut Connection, id: &str, tag_id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO subscriber_tags (subscriber_id, tag_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(tag_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes tag `tag_id` from subscriber `id` (no-op when it lacks it).
pub async fn remove_tag(conn: &mut Connection, id: &str, tag_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM subscriber_tags WHERE subscriber_id = $1 AND tag_id = $2")
        .bind(id)
        .bind(tag_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets field `field_id` of subscriber `id` to the canonical `value`.
pub async fn set_field(
    conn: &mut Connection,
    id: &str,
    field_id: i64,
    value: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO subscriber_fields (subscriber_id, field_id, value, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subscriber_id, field_id) DO UPDATE SET value = excluded.value,
                                                             updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(field_id)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Clears field `field_id` of subscriber `id`.
pub async fn clear_field(conn: &mut Connection, id: &str, field_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM subscriber_fields WHERE subscriber_id = $1 AND field_id = $2")
        .bind(id)
        .bind(field_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The columns of a subscriber that [`find`] reads.
#[derive(sqlx::FromRow)]
struct SubscriberRow {
    channel_id: String,
    created_at: String,
    last_seen_at: String,
    external_id: Option<String>,
    /// [`Capture`] JSON.
    capture: Option<String>,
    email_opted_out_at: Option<String>,
}

/// The management view of subscriber `id` of the workspace, if it belongs to it.
pub async fn find(conn: &mut Connection, workspace_id: i64, id: &str) -> sqlx::Result<Option<Subscriber>> {
    let row: Option<SubscriberRow> = sqlx::query_as(
        "SELECT channel_id, created_at, last_seen_at, external_id, capture, email_opted_out_at
         FROM subscribers WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let profile = profile(conn, id).await?;
    Ok(Some(Subscriber {
        id: id.into(),
        channel_id: row.channel_id.into(),
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        fields: profile.fields,
        tags: profile.tags.into_iter().collect(),
        external_id: row.external_id,
        // Written by `set_capture` from a checked `Capture`; unreadable JSON counts as none.
        capture: row.capture.and_then(|text| serde_json::from_str(&text).ok()),
        email_opted_out_at: row.email_opted_out_at,
    }))
}

/// The workspace's subscriber with external id `external_id` (a verified user id), if any.
pub async fn with_external_id(
    conn: &mut Connection,
    workspace_id: i64,
    external_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM subscribers WHERE workspace_id = $1 AND external_id = $2")
        .bind(workspace_id)
        .bind(external_id)
        .fetch_optional(conn)
        .await
}

/// The external id of subscriber `id` (`None` for an anonymous visitor).
pub async fn external_id(conn: &mut Connection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT external_id FROM subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Sets the external id of subscriber `id`; the caller has checked that no other
/// subscriber of the workspace has it (a unique index enforces it).
pub async fn set_external_id(conn: &mut Connection, id: &str, external_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE subscribers SET external_id = $1 WHERE id = $2")
        .bind(external_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps `capture` as subscriber `id`'s first-touch capture, unless it has one already.
pub async fn set_capture(conn: &mut Connection, id: &str, capture: &Capture) -> anyhow::Result<()> {
    sqlx::query("UPDATE subscribers SET capture = $1 WHERE id = $2 AND capture IS NULL")
        .bind(serde_json::to_string(capture)?)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Filters of a subscriber list, already checked; `None` means no filter.
#[derive(Debug, Default)]
pub struct Filter {
    /// Has the tag of this name.
    pub tag: Option<String>,
    /// Has field `.0` (an id) with the canonical value `.1`.
    pub field: Option<(i64, String)>,
    /// Field `email` equals this, ignoring ASCII case.
    pub email: Option<String>,
    /// Field `phone` equals this.
    pub phone: Option<String>,
    /// Field `name`, `first_name` or `last_name` contains this, ignoring ASCII case.
    pub name: Option<String>,
    /// First came through this channel.
    pub channel: Option<String>,
    /// A search: the subscriber id or external id equals this, or field `name`,
    /// `first_name`, `last_name` or `email` contains it, ignoring ASCII case.
    pub q: Option<String>,
    /// `created_at` in this range (RFC 3339 UTC, inclusive bounds).
    pub created: (Option<String>, Option<String>),
    /// `last_seen_at` in this range (RFC 3339 UTC, inclusive bounds).
    pub last_seen: (Option<String>, Option<String>),
}

/// Ids of up to `limit` subscribers of the workspace matching `filter`, in
/// `(created_at, id)` order, after the subscriber `after` (its `created_at` and id).
pub async fn search(
    conn: &mut Connection,
    workspace_id: i64,
    filter: &Filter,
    after: Option<&(String, String)>,
    limit: u32,
) -> sqlx::Result<Vec<String>> {
    let (after_created, after_id) = after.map(|(c, i)| (c.as_str(), i.as_str())).unzip();
    sqlx::query_scalar(
        "SELECT s.id FROM subscribers s
         WHERE s.workspace_id = $1
           AND ($2 IS NULL OR s.channel_id = $2)
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM subscriber_tags st JOIN tags t ON t.id = st.tag_id
                                      WHERE st.subscriber_id = s.id AND t.name = $3))
           AND ($4 IS NULL OR EXISTS (SELECT 1 FROM subscriber_fields sf
                                      WHERE sf.subscriber_id = s.id AND sf.field_id = $4 AND sf.value = $5))
           AND ($6 IS NULL OR EXISTS (SELECT 1 FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
                                      WHERE sf.subscriber_id = s.id AND f.name = 'email'
                                        AND lower(sf.value) = lower($6)))
           AND ($7 IS NULL OR EXISTS (SELECT 1 FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
                                      WHERE sf.subscriber_id = s.id AND f.name = 'phone' AND sf.value = $7))
           AND ($8 IS NULL OR EXISTS (SELECT 1 FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
                                      WHERE sf.subscriber_id = s.id AND f.name IN ('name', 'first_name', 'last_name')
                                        AND instr(lower(sf.value), lower($8)) > 0))
           AND ($9 IS NULL OR s.created_at >= $9) AND ($10 IS NULL OR s.created_at <= $10)
           AND ($11 IS NULL OR s.last_seen_at >= $11) AND ($12 IS NULL OR s.last_seen_at <= $12)
           AND ($13 IS NULL OR (s.created_at, s.id) > ($13, $14))
           AND ($16 IS NULL OR s.id = $16 OR s.external_id = $16
                OR EXISTS (SELECT 1 FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
                           WHERE sf.subscriber_id = s.id
                             AND f.name IN ('name', 'first_name', 'last_name', 'email')
                             AND instr(lower(sf.value), lower($16)) > 0))
         ORDER BY s.created_at, s.id LIMIT $15",
    )
    .bind(workspace_id)
    .bind(filter.channel.as_deref())
    .bind(filter.tag.as_deref())
    .bind(filter.field.as_ref().map(|(id, _)| *id))
    .bind(filter.field.as_ref().map(|(_, value)| value.as_str()))
    .bind(filter.email.as_deref())
    .bind(filter.phone.as_deref())
    .bind(filter.name.as_deref())
    .bind(filter.created.0.as_deref())
    .bind(filter.created.1.as_deref())
    .bind(filter.last_seen.0.as_deref())
    .bind(filter.last_seen.1.as_deref())
    .bind(after_created)
    .bind(after_id)
    .bind(i64::from(limit))
    .bind(filter.q.as_deref())
    .fetch_all(conn)
    .await
}

/// Deletes subscriber `id` of the workspace with its sessions, conversations and
/// messages; `false` when there is none.
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM subscribers WHERE id = $1 AND workspace_id = $2")
        .bind(id)
        .bind(workspace_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
