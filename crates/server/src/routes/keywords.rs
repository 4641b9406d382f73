//! Management API: the keywords of a channel (see [`parlo_model::keyword`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/channels/{channel_id}/keywords` | `Vec<Keyword>` in the order they are tried |
//! | POST | `/api/v1/channels/{channel_id}/keywords` | [`Keyword`], 201, tried after the others; 409 at [`MAX_KEYWORDS`] |
//! | GET | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | [`Keyword`] |
//! | PUT | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | [`Keyword`], settings replaced, same place |
//! | DELETE | `/api/v1/channels/{channel_id}/keywords/{keyword_id}` | 204 |
//!
//! Keywords are stored in the channel's bot config, so every change is a read-then-write in
//! one write transaction ([`db::begin_write`]): two concurrent creates both land. A change
//! applies to the next visitor message. 422 lists every problem of the body, the flow
//! included (it must be the workspace's).

use crate::auth::ApiKey;
use crate::db::{self, channels, flows};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::routes::channels::channel_in;
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::keyword::{Keyword, KeywordSettings, MAX_KEYWORDS};
use parlo_model::problem::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_keywords, create_keyword))
        .routes(routes!(get_keyword, replace_keyword, delete_keyword))
}

/// Position of keyword `keyword_id` in `channel`; 404 when it has none.
fn position(channel: &channels::Channel, keyword_id: &str) -> ApiResult<usize> {
    channel
        .bot
        .keywords
        .iter()
        .position(|k| k.id == keyword_id)
        .ok_or_else(|| ApiError::NotFound(format!("no keyword '{keyword_id}' in this channel")))
}

/// 422 with every problem of `settings`: its own, and a flow the workspace lacks.
async fn check(tx: &mut db::Connection, key: ApiKey, settings: &KeywordSettings) -> ApiResult<()> {
    let mut errors = settings.validate();
    if errors.is_empty()
        && flows::find(tx, key.workspace_id, settings.flow.as_str())
            .await?
            .is_none()
    {
        errors.push(FieldError::new(
            "/flow",
            format!("no flow '{}' in this workspace", settings.flow),
        ));
    }
    ApiError::unless_any(errors)
}

/// List a channel's keywords
///
/// Lists a channel's keywords in the order they are tried.
#[utoipa::path(
    get,
    path = "/api/v1/channels/{channel_id}/keywords",
    tag = "management",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Keywords in the order they are tried (at most 100)", body = Vec<Keyword>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn list_keywords(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
) -> ApiResult<Json<Vec<Keyword>>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(channel_in(&mut conn, key, &channel_id).await?.bot.keywords))
}

/// Create a keyword
///
/// Adds a keyword to a channel, tried after its other keywords.
#[utoipa::path(
    post,
    path = "/api/v1/channels/{channel_id}/keywords",
    tag = "management",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`")),
    request_body = KeywordSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Keyword),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_keyword(
    State(state): State<AppState>,
    key: ApiKey,
    Path(channel_id): Path<String>,
    Json(settings): Json<KeywordSettings>,
) -> ApiResult<(StatusCode, Json<Keyword>)> {
    let mut tx = db::begin_write(&state.db).await?;
    let mut channel = channel_in(&mut tx, key, &channel_id).await?;
    check(&mut tx, key, &settings).await?;
    if channel.bot.keywords.len() >= MAX_KEYWORDS {
        return Err(ApiError::Conflict(format!(
            "channel '{channel_id}' already has {MAX_KEYWORDS} keywords, the most it can have"
        )));
    }
    let keyword = Keyword::new(tokens::new_keyword_id(), settings);
    channel.bot.keywords.push(keyword.clone());
    channels::update(&mut tx, &channel).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(keyword)))
}

/// Get a keyword
///
/// One keyword of a channel.
#[utoipa::path(
    get,
    path = "/api/v1/channels/{channel_id}/keywords/{keyword_id}",
    tag = "management",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`"),
        ("keyword_id" = String, Path, description = "Keyword id, e.g. `kw_8d2k4m0qz7xa`"),
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The keyword", body = Keyword),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_keyword(
    State(state): State<AppState>,
    key: ApiKey,
    Path((channel_id, keyword_id)): Path<(String, String)>,
) -> ApiResult<Json<Keyword>> {
    let mut conn = state.db.acquire().await?;
    let mut channel = channel_in(&mut conn, key, &channel_id).await?;
    let at = position(&channel, &keyword_id)?;
    Ok(Json(channel.bot.keywords.swap_remove(at)))
}

/// Replace a keyword
///
/// Replaces a keyword's settings; it keeps its id and its place in the order.
#[utoipa::path(
    put,
    path = "/api/v1/channels/{channel_id}/keywords/{keyword_id}",
    tag = "management",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`"),
        ("keyword_id" = String, Path, description = "Keyword id, e.g. `kw_8d2k4m0qz7xa`"),
    ),
    request_body = KeywordSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The stored keyword", body = Keyword),
        (status = 404, response = doc::NotFound),
    )
)]
async fn replace_keyword(
    State(state): State<AppState>,
    key: ApiKey,
    Path((channel_id, keyword_id)): Path<(String, String)>,
    Json(settings): Json<KeywordSettings>,
) -> ApiResult<Json<Keyword>> {
    let mut tx = db::begin_write(&state.db).await?;
    let mut channel = channel_in(&mut tx, key, &channel_id).await?;
    let at = position(&channel, &keyword_id)?;
    check(&mut tx, key, &settings).await?;
    let keyword = Keyword::new(keyword_id, settings);
    channel.bot.keywords[at] = keyword.clone();
    channels::update(&mut tx, &channel).await?;
    tx.commit().await?;
    Ok(Json(keyword))
}

/// Delete a keyword
///
/// Deletes a keyword; the next visitor message no longer matches it.
#[utoipa::path(
    delete,
    path = "/api/v1/channels/{channel_id}/keywords/{keyword_id}",
    tag = "management",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `ch_4ft9…`"),
        ("keyword_id" = String, Path, description = "Keyword id, e.g. `kw_8d2k4m0qz7xa`"),
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_keyword(
    State(state): State<AppState>,
    key: ApiKey,
    Path((channel_id, keyword_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut tx = db::begin_write(&state.db).await?;
    let mut channel = channel_in(&mut tx, key, &channel_id).await?;
    let at = position(&channel, &keyword_id)?;
    channel.bot.keywords.remove(at);
    channels::update(&mut tx, &channel).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
