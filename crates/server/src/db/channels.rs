//! `channels`: public channel config and private bot config, both stored as JSON.

use crate::db::Connection;
use anyhow::Context;
use parlo_model::channel::ChannelConfig;
use parlo_model::flow::BotConfig;

/// A stored channel.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Workspace owning the channel.
    pub workspace_id: i64,
    /// Public configuration (its `id` is the channel id).
    pub config: ChannelConfig,
    /// Triggers of the channel's bot.
    pub bot: BotConfig,
}

/// The channel with public id `id`, if any.
pub async fn find(conn: &mut Connection, id: &str) -> anyhow::Result<Option<Channel>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT workspace_id, config, bot FROM channels WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|(workspace_id, config, bot)| {
        Ok(Channel {
            workspace_id,
            config: serde_json::from_str(&config).with_context(|| format!("config of channel {id}"))?,
            bot: serde_json::from_str(&bot).with_context(|| format!("bot of channel {id}"))?,
        })
    })
    .transpose()
}

/// Only the allowed origins of channel `id` (`None` when there is no such channel).
pub async fn allowed_origins(conn: &mut Connection, id: &str) -> anyhow::Result<Option<Vec<String>>> {
    Ok(find(conn, id).await?.map(|c| c.config.allowed_origins))
}

/// Creates the channel, or replaces its configs when it exists.
pub async fn upsert(
    conn: &mut Connection,
    workspace_id: i64,
    config: &ChannelConfig,
    bot: &BotConfig,
    now: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO channels (id, workspace_id, config, bot, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET config = excluded.config, bot = excluded.bot",
    )
    .bind(config.id.as_str())
    .bind(workspace_id)
    .bind(serde_json::to_string(config)?)
    .bind(serde_json::to_string(bot)?)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
