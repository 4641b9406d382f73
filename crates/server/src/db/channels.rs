//! `channels`: public channel config and private bot config (both JSON), business hours
//! (JSON), the owner's strings (JSON), the identity secret, and the archive mark.

use crate::content::Checker;
use crate::db::Connection;
use anyhow::Context;
use parlo_engine::payload_flow;
use parlo_model::channel::{BusinessHours, ChannelConfig, ChannelSettings, MAX_ICE_BREAKERS, MAX_MENU_ITEMS};
use parlo_model::chat::ButtonAction;
use parlo_model::flow::{BotConfig, ButtonDef};
use parlo_model::ids::FlowId;
use parlo_model::locale::StringOverrides;

/// A stored channel.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Workspace owning the channel.
    pub workspace_id: i64,
    /// Public configuration (its `id` is the channel id).
    pub config: ChannelConfig,
    /// Triggers of the channel's bot.
    pub bot: BotConfig,
    /// Weekly opening hours, if the channel has any.
    pub business_hours: Option<BusinessHours>,
    /// The owner's own texts of the widget, per language (column `strings`, JSON).
    pub strings: StringOverrides,
    /// When the channel was archived (RFC 3339 UTC), if it was.
    pub archived_at: Option<String>,
    /// When the channel was created, RFC 3339 UTC.
    pub created_at: String,
}

impl Channel {
    /// The owner's settings of the channel, gathered from its configs.
    pub fn settings(&self) -> ChannelSettings {
        let flow_item = |title: &str, payload: &str| ButtonDef {
            title: title.to_owned(),
            next: None,
            flow: payload_flow(payload),
            url: None,
        };
        ChannelSettings {
            name: self.config.name.clone(),
            allowed_origins: self.config.allowed_origins.clone(),
            greeting: self.config.greeting.clone(),
            theme: self.config.theme.clone(),
            pre_chat_form: self.config.pre_chat_form.clone(),
            welcome_flow: self.bot.start_flow.clone(),
            fallback_flow: self.bot.fallback_flow.clone(),
            business_hours: self.business_hours.clone(),
            strings: self.strings.clone(),
            ice_breakers: (self.config.ice_breakers.iter())
                .map(|reply| flow_item(&reply.title, &reply.payload))
                .collect(),
            main_menu: (self.config.main_menu.iter())
                .map(|item| match &item.action {
                    ButtonAction::Postback { payload } => flow_item(&item.title, payload),
                    ButtonAction::Url { url } => ButtonDef {
                        url: Some(url.clone()),
                        ..flow_item(&item.title, "")
                    },
                })
                .collect(),
        }
    }

    /// Replaces what `settings` cover (keywords stay). Ice breakers and menu items become
    /// the quick replies and buttons the widget shows; `settings` must have been checked
    /// first ([`crate::routes::channels::problems`]).
    pub fn apply(&mut self, settings: ChannelSettings) {
        let mut convert = Checker::new(&|_| true);
        self.config.ice_breakers =
            convert.quick_replies("/ice_breakers", &settings.ice_breakers, MAX_ICE_BREAKERS);
        self.config.main_menu = convert.buttons("/main_menu", &settings.main_menu, MAX_MENU_ITEMS);
        self.config.name = settings.name;
        self.config.allowed_origins = settings.allowed_origins;
        self.config.greeting = settings.greeting;
        self.config.theme = settings.theme;
        self.config.pre_chat_form = settings.pre_chat_form;
        self.bot.start_flow = settings.welcome_flow;
        self.bot.fallback_flow = settings.fallback_flow;
        self.business_hours = settings.business_hours;
        self.strings = settings.strings;
    }
}

/// The ids of the conversations held on channel `id` (the event streams' hub keys).
pub async fn conversation_ids(conn: &mut Connection, id: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM conversations WHERE channel_id = $1")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// The flows the ice breakers and main-menu items of `config` start, each with its pointer
/// in the channel's settings, e.g. `("/ice_breakers/0/flow", "delivery")`.
pub fn offered_flows(config: &ChannelConfig) -> Vec<(String, FlowId)> {
    let ice_breakers = (config.ice_breakers.iter().enumerate())
        .map(|(i, reply)| (format!("/ice_breakers/{i}/flow"), &reply.payload));
    let menu = (config.main_menu.iter().enumerate()).filter_map(|(i, item)| match &item.action {
        ButtonAction::Postback { payload } => Some((format!("/main_menu/{i}/flow"), payload)),
        ButtonAction::Url { .. } => None,
    });
    (ice_breakers.chain(menu))
        .filter_map(|(pointer, payload)| Some((pointer, payload_flow(payload)?)))
        .collect()
}

/// The columns of a [`Channel`], as a literal for `concat!` (sqlx takes only static SQL).
macro_rules! columns {
    () => {
        "id, workspace_id, config, bot, business_hours, archived_at, created_at, strings"
    };
}

type Row = (
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

fn channel(
    (id, workspace_id, config, bot, hours, archived_at, created_at, strings): Row,
) -> anyhow::Result<Channel> {
    Ok(Channel {
        workspace_id,
        config: serde_json::from_str(&config).with_context(|| format!("config of channel {id}"))?,
        bot: serde_json::from_str(&bot).with_context(|| format!("bot of channel {id}"))?,
        business_hours: hours
            .map(|h| serde_json::from_str(&h))
            .transpose()
            .with_context(|| format!("business hours of channel {id}"))?,
        strings: strings
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .with_context(|| format!("strings of channel {id}"))?
            .unwrap_or_default(),
        archived_at,
        created_at,
    })
}

/// [`find`]: the active channel `$1`; rows as [`of_row`] reads them.
pub(crate) const FIND_SQL: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM channels WHERE id = $1 AND archived_at IS NULL"
);

/// The channel of a row of [`FIND_SQL`] (one of several queries' rows).
pub(crate) fn of_row(row: &sqlx::any::AnyRow) -> anyhow::Result<Channel> {
    channel(<Row as sqlx::FromRow<_>>::from_row(row)?)
}

/// The active (not archived) channel with public id `id`, if any: what the public API
/// serves.
pub async fn find(conn: &mut Connection, id: &str) -> anyhow::Result<Option<Channel>> {
    let row: Option<Row> = sqlx::query_as(FIND_SQL).bind(id).fetch_optional(conn).await?;
    row.map(channel).transpose()
}

/// Channel `id` of the workspace, archived or not.
pub async fn find_in(conn: &mut Connection, workspace_id: i64, id: &str) -> anyhow::Result<Option<Channel>> {
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM channels WHERE workspace_id = $1 AND id = $2"
    ))
    .bind(workspace_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(channel).transpose()
}

/// Up to `limit` channels of the workspace (archived ones too) with ids above `after`, in
/// id order.
pub async fn page(
    conn: &mut Connection,
    workspace_id: i64,
    after: &str,
    limit: u32,
) -> anyhow::Result<Vec<Channel>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM channels WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(workspace_id)
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(channel).collect()
}

/// Only the allowed origins of active channel `id` (`None` when there is no such channel).
pub async fn allowed_origins(conn: &mut Connection, id: &str) -> anyhow::Result<Option<Vec<String>>> {
    Ok(find(conn, id).await?.map(|c| c.config.allowed_origins))
}

/// Creates the channel, or replaces its configs when it exists (the demo seed).
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

/// Stores a new channel with its identity secret.
pub async fn create(conn: &mut Connection, channel: &Channel, identity_secret: &str) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO channels (id, workspace_id, config, bot, business_hours, identity_secret, created_at, strings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(channel.config.id.as_str())
    .bind(channel.workspace_id)
    .bind(serde_json::to_string(&channel.config)?)
    .bind(serde_json::to_string(&channel.bot)?)
    .bind(hours_json(channel)?)
    .bind(identity_secret)
    .bind(&channel.created_at)
    .bind(strings_json(channel)?)
    .execute(conn)
    .await?;
    Ok(())
}

fn hours_json(channel: &Channel) -> serde_json::Result<Option<String>> {
    channel
        .business_hours
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
}

fn strings_json(channel: &Channel) -> serde_json::Result<Option<String>> {
    (!channel.strings.is_empty())
        .then(|| serde_json::to_string(&channel.strings))
        .transpose()
}

/// Stores the configs, business hours and strings of an existing channel; `false` when the
/// workspace has no such channel.
pub async fn update(conn: &mut Connection, channel: &Channel) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE channels SET config = $1, bot = $2, business_hours = $3, strings = $6 WHERE workspace_id = $4 AND id = $5",
    )
    .bind(serde_json::to_string(&channel.config)?)
    .bind(serde_json::to_string(&channel.bot)?)
    .bind(hours_json(channel)?)
    .bind(channel.workspace_id)
    .bind(channel.config.id.as_str())
    .bind(strings_json(channel)?)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The identity secret of channel `id` (`None` for a channel that never had one, e.g. a
/// seeded channel before its secret was rotated).
pub async fn identity_secret(conn: &mut Connection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT identity_secret FROM channels WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// Replaces the identity secret of channel `id` of the workspace; `false` when there is none.
pub async fn set_identity_secret(
    conn: &mut Connection,
    workspace_id: i64,
    id: &str,
    secret: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE channels SET identity_secret = $1 WHERE workspace_id = $2 AND id = $3")
        .bind(secret)
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether channel `id` has subscribers (visitors who opened its chat, leads, or
/// subscribers added through the API), whose conversations a delete would take along.
pub async fn has_subscribers(conn: &mut Connection, id: &str) -> sqlx::Result<bool> {
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT 1 FROM subscribers WHERE channel_id = $1 LIMIT 1) AS s",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(found > 0)
}

/// Marks channel `id` of the workspace archived at `now` (kept when it already is);
/// `false` when there is none.
pub async fn archive(conn: &mut Connection, workspace_id: i64, id: &str, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE channels SET archived_at = COALESCE(archived_at, $1) WHERE workspace_id = $2 AND id = $3",
    )
    .bind(now)
    .bind(workspace_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes channel `id` of the workspace; `false` when there is none.
pub async fn delete(conn: &mut Connection, workspace_id: i64, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM channels WHERE workspace_id = $1 AND id = $2")
        .bind(workspace_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
