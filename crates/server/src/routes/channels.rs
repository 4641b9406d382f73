//! Management API: the workspace's web chat channels (see [`parlo_model::channel`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/channels?limit=&cursor=` | `Page<Channel>` in id order, archived ones too |
//! | POST | `/api/v1/channels` | [`ChannelWithSecret`], 201 (the identity secret is shown only here) |
//! | GET | `/api/v1/channels/{channel_id}` | [`Channel`] |
//! | PUT | `/api/v1/channels/{channel_id}` | [`Channel`], settings replaced |
//! | DELETE | `/api/v1/channels/{channel_id}?archive=` | 204; 409 while it has subscribers unless `archive=true` |
//! | POST | `/api/v1/channels/{channel_id}/rotate-identity-secret` | [`ChannelWithSecret`] with a new secret |
//!
//! Settings are checked as a whole: 422 lists every problem of the document
//! ([`ChannelSettings::validate`]), of its time zone, and of its references (the pre-chat
//! form and the flows must be the workspace's). Answers carry the channel's embed snippet
//! for the server's public URL (`--public-url`).

use crate::auth::ApiKey;
use crate::clock;
use crate::content::Checker;
use crate::db::{self, channels, flows, forms};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, ListQuery};
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::channel::{
    Channel, ChannelConfig, ChannelSettings, ChannelWithSecret, MAX_ICE_BREAKERS, MAX_MENU_ITEMS,
};
use parlo_model::flow::BotConfig;
use parlo_model::ids::ChannelId;
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use std::collections::HashSet;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels, create_channel))
        .routes(routes!(get_channel, replace_channel, delete_channel))
        .routes(routes!(rotate_channel_identity_secret))
}

/// The HTML that puts channel `id` on a page: the loader of the server at `public_url`
/// (see `js/loader.js`), which draws the launcher and loads the widget on intent.
pub fn embed_snippet(public_url: &str, id: &ChannelId) -> String {
    format!(r#"<script type="module" async src="{public_url}/embed.js" data-channel="{id}"></script>"#)
}

/// The management view of a stored channel.
fn view(state: &AppState, channel: &channels::Channel) -> Channel {
    Channel {
        id: channel.config.id.clone(),
        settings: channel.settings(),
        embed_snippet: embed_snippet(&state.public_url, &channel.config.id),
        archived_at: channel.archived_at.clone(),
        created_at: channel.created_at.clone(),
    }
}

/// Every problem of `settings` for the workspace: the document's own, an unknown time
/// zone, a pre-chat form or flows the workspace lacks, and ice breakers and main-menu
/// items checked as sent content checks quick replies and buttons
/// ([`Checker`]).
pub async fn problems(
    conn: &mut db::Connection,
    workspace_id: i64,
    settings: &ChannelSettings,
) -> anyhow::Result<Vec<FieldError>> {
    let mut errors = settings.validate();
    if let Some(hours) = &settings.business_hours
        && jiff::tz::TimeZone::get(&hours.time_zone).is_err()
    {
        errors.push(FieldError::new(
            "/business_hours/time_zone",
            format!(
                "'{}' is not an IANA time zone name, e.g. Europe/Paris",
                hours.time_zone
            ),
        ));
    }
    if let Some(form) = &settings.pre_chat_form
        && forms::find(conn, workspace_id, form.as_str()).await?.is_none()
    {
        errors.push(FieldError::new(
            "/pre_chat_form",
            format!("no form '{form}' in this workspace"),
        ));
    }
    let flow_ids: HashSet<String> = flows::ids(conn, workspace_id).await?.into_iter().collect();
    for (pointer, flow) in [
        ("/welcome_flow", &settings.welcome_flow),
        ("/fallback_flow", &settings.fallback_flow),
    ] {
        if let Some(flow) = flow
            && !flow_ids.contains(flow.as_str())
        {
            errors.push(FieldError::new(
                pointer,
                format!("no flow '{flow}' in this workspace"),
            ));
        }
    }
    let exists = |flow: &str| flow_ids.contains(flow);
    let mut checker = Checker::new(&exists);
    checker.quick_replies("/ice_breakers", &settings.ice_breakers, MAX_ICE_BREAKERS);
    checker.buttons("/main_menu", &settings.main_menu, MAX_MENU_ITEMS);
    errors.append(&mut checker.errors);
    Ok(errors)
}

/// A new channel of the workspace with `settings` (not yet stored): a fresh id, no
/// keywords.
pub fn new_channel(workspace_id: i64, settings: ChannelSettings, now: &str) -> channels::Channel {
    let mut channel = channels::Channel {
        workspace_id,
        config: ChannelConfig {
            id: tokens::new_channel_id().into(),
            name: String::new(),
            greeting: None,
            theme: Default::default(),
            ice_breakers: Vec::new(),
            main_menu: Vec::new(),
            allowed_origins: Vec::new(),
            pre_chat_form: None,
            availability: None,
            locale: None,
            strings: Default::default(),
        },
        bot: BotConfig {
            start_flow: None,
            keywords: Vec::new(),
            fallback_flow: None,
        },
        business_hours: None,
        strings: Default::default(),
        archived_at: None,
        created_at: now.to_owned(),
    };
    channel.apply(settings);
    channel
}

/// The workspace's channel `channel_id`; 404 when it has none.
async fn find(state: &AppState, key: ApiKey, channel_id: &str) -> ApiResult<channels::Channel> {
    let mut conn = state.db.acquire().await?;
    channel_in(&mut conn, key, channel_id).await
}

/// The workspace's channel `channel_id` read on `conn` (a write transaction's, to change
/// it); 404 when it has none.
pub(crate) async fn channel_in(
    conn: &mut db::Connection,
    key: ApiKey,
    channel_id: &str,
) -> ApiResult<channels::Channel> {
    channels::find_in(conn, key.workspace_id, channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))
}

/// 422 with every problem of `settings`, if any.
async fn check(conn: &mut db::Connection, key: ApiKey, settings: &ChannelSettings) -> ApiResult<()> {
    let errors = problems(conn, key.workspace_id, settings).await?;
    ApiError::unless_any(errors)
}

/// List channels
///
/// Lists the workspace's channels in id order, archived ones included.
#[utoipa::path(
    get,
    path = "/api/v1/channels",
    tag = "management",
    params(ListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Channels in id order; the cursor is the last channel id", body = Page<Channel>),
    )
)]
async fn list_channels(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Channel>>> {
    let limit = query.limit()?;
    let after = query.cursor.unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let stored = channels::page(&mut conn, key.workspace_id, &after, limit + 1).await?;
    let items = stored.iter().map(|c| view(&state, c)).collect();
    Ok(Json(routes::page(items, limit, |c: &Channel| c.id.to_string())))
}

/// Create a channel
///
/// Creates a channel with a new id; answers it with its embed snippet and its identity
/// secret, shown only now.
#[utoipa::path(
    post,
    path = "/api/v1/channels",
    tag = "management",
    request_body = ChannelSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created; `identity_secret` is shown only now", body = ChannelWithSecret),
    )
)]
async fn create_channel(
    State(state): State<AppState>,
    key: ApiKey,
    Json(settings): Json<ChannelSettings>,
) -> ApiResult<(StatusCode, Json<ChannelWithSecret>)> {
    let mut conn = state.db.acquire().await?;
    check(&mut conn, key, &settings).await?;
    let channel = new_channel(key.workspace_id, settings, &clock::now_rfc3339());
    let identity_secret = tokens::new_identity_secret();
    channels::create(&mut conn, &channel, &identity_secret).await?;
    Ok((
        StatusCode::CREATED,
        Json(ChannelWithSecret {
            channel: view(&state, &channel),
            identity_secret,
        }),
    ))
}

/// Get a channel
///
/// One channel of the workspace, with its embed snippet (never its identity secret).
#[utoipa::path(
    get,
    path = "/api/v1/channels/{channel_id}",
    tag = "management",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The channel", body = Channel),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_channel(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
) -> ApiResult<Json<Channel>> {
    let channel = find(&state, key, &channel_id).await?;
    Ok(Json(view(&state, &channel)))
}

/// Replace a channel's settings
///
/// Replaces a channel's settings (its keywords stay). New allowed origins, ice breakers
/// and menu items apply from the next request of a page.
#[utoipa::path(
    put,
    path = "/api/v1/channels/{channel_id}",
    tag = "management",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`")),
    request_body = ChannelSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The stored channel", body = Channel),
        (status = 404, response = doc::NotFound),
    )
)]
async fn replace_channel(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
    Json(settings): Json<ChannelSettings>,
) -> ApiResult<Json<Channel>> {
    // One write transaction: a keyword created meanwhile is neither lost nor doubled.
    let mut tx = db::begin_write(&state.db).await?;
    let mut channel = channel_in(&mut tx, key, &channel_id).await?;
    check(&mut tx, key, &settings).await?;
    channel.apply(settings);
    channels::update(&mut tx, &channel).await?;
    tx.commit().await?;
    Ok(Json(view(&state, &channel)))
}

/// Query of `DELETE /api/v1/channels/{channel_id}`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteChannelQuery {
    /// `true`: archive instead of deleting — the channel and its conversations stay
    /// (listed, with `archived_at`), its public API answers 404 and the widget says the
    /// chat is not available.
    #[serde(default)]
    pub archive: bool,
}

/// Delete or archive a channel
///
/// Deletes a channel, or archives it with `archive=true` (its visitors' open event streams
/// end). A channel with subscribers (and so conversations) is only archived: deleting it
/// answers 409.
#[utoipa::path(
    delete,
    path = "/api/v1/channels/{channel_id}",
    tag = "management",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`"),
        DeleteChannelQuery
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted, or archived with `archive=true`"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_channel(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
    Query(query): Query<DeleteChannelQuery>,
) -> ApiResult<StatusCode> {
    find(&state, key, &channel_id).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let mut ended = Vec::new();
    let done = if query.archive {
        ended = channels::conversation_ids(&mut tx, &channel_id).await?;
        channels::archive(&mut tx, key.workspace_id, &channel_id, &clock::now_rfc3339()).await?
    } else if channels::has_subscribers(&mut tx, &channel_id).await? {
        return Err(ApiError::Conflict(format!(
            "channel '{channel_id}' has conversations; archive it instead (?archive=true)"
        )));
    } else {
        channels::delete(&mut tx, key.workspace_id, &channel_id).await?
    };
    tx.commit().await?;
    state.hub.close(&ended);
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no channel '{channel_id}'")))
    }
}

/// Rotate a channel's identity secret
///
/// Replaces the channel's identity secret with a new random one, shown only now; identities
/// signed with the old one are refused from now on.
#[utoipa::path(
    post,
    path = "/api/v1/channels/{channel_id}/rotate-identity-secret",
    tag = "management",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The channel with its new identity secret", body = ChannelWithSecret),
        (status = 404, response = doc::NotFound),
    )
)]
async fn rotate_channel_identity_secret(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
) -> ApiResult<Json<ChannelWithSecret>> {
    let channel = find(&state, key, &channel_id).await?;
    let identity_secret = tokens::new_identity_secret();
    let mut conn = state.db.acquire().await?;
    if !channels::set_identity_secret(&mut conn, key.workspace_id, &channel_id, &identity_secret).await? {
        return Err(ApiError::NotFound(format!("no channel '{channel_id}'")));
    }
    Ok(Json(ChannelWithSecret {
        channel: view(&state, &channel),
        identity_secret,
    }))
}
