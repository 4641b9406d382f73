//! `flows`: flow documents of a workspace, stored as JSON.

use crate::db::{self, Backend, Connection, channels, sessions};
use anyhow::Context;
use parlo_model::channel::ChannelConfig;
use parlo_model::flow::{BotConfig, Flow, Needed};
use sqlx::any::AnyRow;
use sqlx::{Column, FromRow, Row};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The flow stored as `document` (JSON) under `id`.
///
/// # Errors
/// A document that is not a flow (named by `id`).
pub fn parse(id: &str, document: &str) -> anyhow::Result<Flow> {
    serde_json::from_str(document).with_context(|| format!("stored flow {id}"))
}

/// Every flow of the workspace as stored: `(id, document)` in id order.
pub async fn documents(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, document FROM flows WHERE workspace_id = $1 ORDER BY id")
        .bind(workspace_id)
        .fetch_all(conn)
        .await
}

/// What a workspace's bots are built and run with.
#[derive(Debug, Default)]
pub struct BotSources {
    /// Every flow as stored: `(id, document)` in id order, as [`documents`] answers them.
    pub documents: Vec<(String, String)>,
    /// The values of the bot fields that are set, by name, as
    /// [`super::bot_fields::values_by_name`] answers them.
    pub bot_fields: BTreeMap<String, String>,
}

impl BotSources {
    /// The sources of rows `(table, key, value)` of [`sources_sql`], in any order.
    fn of_rows(rows: impl IntoIterator<Item = (String, String, String)>) -> Self {
        let mut sources = Self::default();
        for (table, key, value) in rows {
            if table == "flow" {
                sources.documents.push((key, value));
            } else {
                sources.bot_fields.insert(key, value);
            }
        }
        // Byte-wise, as `ORDER BY id` sorts on both backends.
        sources.documents.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        sources
    }
}

/// The query of the bot sources of workspace `workspace` (an SQL expression): rows
/// `('flow', id, document)` and `('field', name, value)`.
macro_rules! sources_sql {
    ($workspace:literal) => {
        concat!(
            "SELECT 'flow', id, document FROM flows WHERE workspace_id = ",
            $workspace,
            " UNION ALL SELECT 'field', name, value FROM bot_fields WHERE workspace_id = ",
            $workspace,
            " AND value IS NOT NULL"
        )
    };
}

/// The bot sources of the workspace, in one query.
pub async fn bot_sources(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<BotSources> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(sources_sql!("$1"))
        .bind(workspace_id)
        .fetch_all(conn)
        .await?;
    Ok(BotSources::of_rows(rows))
}

/// [`channels::find`] with the bot sources of the channel's workspace: one request on
/// SQLite (a query of two statements, told apart by their columns), two on PostgreSQL.
pub async fn channel_with_bot_sources(
    conn: &mut Connection,
    channel_id: &str,
) -> anyhow::Result<Option<(channels::Channel, BotSources)>> {
    if Backend::of_connection(conn) != Backend::Sqlite {
        let Some(channel) = channels::find(conn, channel_id).await? else {
            return Ok(None);
        };
        let sources = bot_sources(conn, channel.workspace_id).await?;
        return Ok(Some((channel, sources)));
    }
    let rows = sqlx::query(CHANNEL_WITH_SOURCES_SQL.as_str())
        .bind(channel_id)
        .fetch_all(conn)
        .await?;
    channel_of_rows(rows)
}

/// [`channel_with_bot_sources`]'s query of channel `$1` and its workspace's bot sources
/// (SQLite: two statements).
static CHANNEL_WITH_SOURCES_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}; {}",
        channels::FIND_SQL,
        sources_sql!("(SELECT workspace_id FROM channels WHERE id = $1)")
    )
});

/// The channel and bot sources of the rows of [`CHANNEL_WITH_SOURCES_SQL`] (`None`: no
/// channel row).
fn channel_of_rows(rows: Vec<AnyRow>) -> anyhow::Result<Option<(channels::Channel, BotSources)>> {
    let (channel, sources): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| row.columns().len() > 3);
    let Some(channel) = channel.first().map(channels::of_row).transpose()? else {
        return Ok(None);
    };
    let sources = sources
        .iter()
        .map(<(String, String, String)>::from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Some((channel, BotSources::of_rows(sources))))
}

/// The visitor session of token digest `token_hash` ([`sessions::find`]) when it is one of
/// channel `channel_id`, with [`channel_with_bot_sources`] of that channel: what a
/// visitor message's turn reads before it is queued. One request on SQLite (a query of
/// three statements, the session's row told apart by its first column), up to three on
/// PostgreSQL. `None`: no such session on that channel.
pub async fn session_with_bot_sources(
    conn: &mut Connection,
    token_hash: &str,
    channel_id: &str,
) -> anyhow::Result<Option<(sessions::VisitorSession, Option<(channels::Channel, BotSources)>)>> {
    if Backend::of_connection(conn) != Backend::Sqlite {
        let Some(session) = sessions::find(conn, token_hash)
            .await?
            .filter(|s| s.channel_id == channel_id)
        else {
            return Ok(None);
        };
        return Ok(Some((session, channel_with_bot_sources(conn, channel_id).await?)));
    }
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{}; {}",
            sessions::FIND_SQL,
            db::shift_params(&CHANNEL_WITH_SOURCES_SQL, 1)
        )
    });
    let rows = sqlx::query(SQL.as_str())
        .bind(token_hash)
        .bind(channel_id)
        .fetch_all(conn)
        .await?;
    let (session, rows): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|row| row.columns().first().is_some_and(|c| c.name() == "subscriber_id"));
    let Some(session) = session
        .first()
        .map(sessions::VisitorSession::from_row)
        .transpose()?
        .filter(|s| s.channel_id == channel_id)
    else {
        return Ok(None);
    };
    Ok(Some((session, channel_of_rows(rows)?)))
}

/// Every flow of the workspace.
pub async fn all(conn: &mut Connection, workspace_id: i64) -> anyhow::Result<Vec<Flow>> {
    let rows = documents(conn, workspace_id).await?;
    rows.iter().map(|(id, doc)| parse(id, doc)).collect()
}

/// Which flows a page holds.
#[derive(Clone, Copy, Debug)]
pub enum InFolder<'a> {
    /// Every flow of the workspace.
    Any,
    /// Flows at the top level (no folder).
    Top,
    /// Flows filed directly in this folder path.
    Path(&'a str),
}

/// Up to `limit` flows of the workspace `in_folder` with ids after `after`, in id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    in_folder: InFolder<'_>,
    after: &str,
    limit: u32,
) -> anyhow::Result<Vec<Flow>> {
    let (any, folder) = match in_folder {
        InFolder::Any => (true, None),
        InFolder::Top => (false, None),
        InFolder::Path(path) => (false, Some(path)),
    };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, document FROM flows WHERE workspace_id = $1 AND ($2 OR folder IS NOT DISTINCT FROM $3) AND id > $4
         ORDER BY id LIMIT $5",
    )
    .bind(workspace_id)
    .bind(any)
    .bind(folder)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.iter().map(|(id, doc)| parse(id, doc)).collect()
}

/// The flow `id` of the workspace, if any.
pub async fn find(conn: &mut Connection, workspace_id: i64, id: &str) -> anyhow::Result<Option<Flow>> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT document FROM flows WHERE workspace_id = $1 AND id = $2")
            .bind(workspace_id)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    doc.map(|d| parse(id, &d)).transpose()
}

/// The folder of every flow of the workspace (`None` for the top level), with repeats.
pub async fn folders(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<Vec<Option<String>>> {
    sqlx::query_scalar("SELECT folder FROM flows WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_all(conn)
        .await
}

/// Ids of every flow of the workspace.
pub async fn ids(conn: &mut Connection, workspace_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM flows WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_all(conn)
        .await
}

/// Stores `flow`, replacing the flow with its id; returns `true` when it was created.
pub async fn upsert(
    conn: &mut Connection,
    workspace_id: i64,
    flow: &Flow,
    now: &str,
) -> anyhow::Result<bool> {
    let existed: Option<i64> = sqlx::query_scalar("SELECT 1 FROM flows WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(flow.id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO flows (workspace_id, id, document, folder, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (workspace_id, id) DO UPDATE SET document = excluded.document,
                                                      folder = excluded.folder,
                                                      updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(flow.id.as_str())
    .bind(serde_json::to_string(flow)?)
    .bind(flow.folder.as_deref())
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(existed.is_none())
}

/// Deletes flow `id` of the workspace; `false` when there is none.
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM flows WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// 409 `conflict` while a step of the workspace's flows reads `record` (see
/// [`Flow::needed_records`]), naming `what` (e.g. `tag 'vip'`) and each step as
/// `flow '<id>' (<JSON pointer>)`.
pub async fn refuse_if_read(
    conn: &mut Connection,
    workspace_id: i64,
    record: Needed<'_>,
    what: &str,
) -> crate::error::ApiResult<()> {
    let readers = readers(conn, workspace_id, record).await?;
    if readers.is_empty() {
        return Ok(());
    }
    Err(crate::error::ApiError::Conflict(format!(
        "{what} is used by {}; change those steps first",
        readers.join(", ")
    )))
}

/// The steps of the workspace's flows that read `record` (see [`Flow::needed_records`]),
/// each as `flow '<id>' (<JSON pointer>)`.
async fn readers(
    conn: &mut Connection,
    workspace_id: i64,
    record: Needed<'_>,
) -> anyhow::Result<Vec<String>> {
    Ok(all(conn, workspace_id)
        .await?
        .iter()
        .flat_map(|flow| {
            flow.needed_records()
                .into_iter()
                .filter(|(_, needed)| *needed == record)
                .map(|(pointer, _)| format!("flow '{}' ({pointer})", flow.id))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The channels of the workspace whose bot, ice breakers or main menu start flow `id`, each
/// with the JSON pointer of the reference in the channel's bot configuration or settings
/// (e.g. `("demo", "/start_flow")`, `("demo", "/main_menu/0/flow")`).
pub async fn channels_starting(
    conn: &mut Connection,
    workspace_id: i64,
    id: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, config, bot FROM channels WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch_all(conn)
            .await?;
    let mut found = Vec::new();
    for (channel, config, bot) in rows {
        let bot: BotConfig =
            serde_json::from_str(&bot).with_context(|| format!("bot of channel {channel}"))?;
        let config: ChannelConfig =
            serde_json::from_str(&config).with_context(|| format!("config of channel {channel}"))?;
        let offered = channels::offered_flows(&config);
        let references = bot
            .referenced_flows()
            .chain(offered.iter().map(|(p, f)| (p.clone(), f)));
        for (pointer, flow) in references {
            if flow.as_str() == id {
                found.push((channel.clone(), pointer));
            }
        }
    }
    Ok(found)
}
