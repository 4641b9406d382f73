//! Management API: the workspace's API keys.
//!
//! | method | path | answer |
//! |---|---|---|
//! | POST | `/api/v1/api-keys` | [`CreatedApiKey`] (201; the only time the secret is shown) |
//! | GET | `/api/v1/api-keys?limit=&cursor=` | `Page<ApiKey>` of unrevoked keys in id order |
//! | DELETE | `/api/v1/api-keys/{api_key_id}` | 204; the key is rejected from its next request |
//! | POST | `/api/v1/api-keys/{api_key_id}/regenerate` | [`CreatedApiKey`]: a new secret under the same id and name; the old one is rejected from its next request |

use crate::auth::{self, ApiKey};
use crate::clock;
use crate::db::api_keys;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::api_key::{self as model, CreateApiKey, CreatedApiKey, MAX_KEY_NAME_CHARS};
use parlo_model::page::Page;
use parlo_model::validate::{MemberRule, non_blank};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(delete_api_key))
        .routes(routes!(regenerate_api_key))
}

/// Create an API key
///
/// Creates a key in the workspace of the calling key. 422 when `name` is empty or longer
/// than 100 characters.
#[utoipa::path(
    post,
    path = "/api/v1/api-keys",
    tag = "management",
    description = "The answer holds the secret (`parlo_sk_…`); it is stored only as a SHA-256 \\
                   and never shown again.",
    request_body = CreateApiKey,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = CreatedApiKey),
    )
)]
async fn create_api_key(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateApiKey>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let created = create_in(&state, key.workspace_id, &body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// What [`create_in`] checks of its body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 1] = [("CreateApiKey", "name", non_blank(MAX_KEY_NAME_CHARS))];

/// Creates a key named `body.name` (trimmed, 1..=100 characters; 422 otherwise) in the
/// workspace; the answer holds the secret. Shared with the console's
/// `POST /api/v1/workspaces/{workspace_id}/api-keys`.
pub(crate) async fn create_in(
    state: &AppState,
    workspace_id: i64,
    body: &CreateApiKey,
) -> ApiResult<CreatedApiKey> {
    let name = parlo_model::validate::check_text(&body.name, MAX_KEY_NAME_CHARS)
        .map_err(|problem| ApiError::invalid("/name", problem))?;
    let mut conn = state.db.acquire().await?;
    Ok(auth::issue_api_key(&mut conn, workspace_id, name).await?)
}

/// List API keys
///
/// Lists the workspace's unrevoked keys in id order; never their secrets.
#[utoipa::path(
    get,
    path = "/api/v1/api-keys",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Unrevoked keys in id order (no secrets)", body = Page<model::ApiKey>),
    )
)]
async fn list_api_keys(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<model::ApiKey>>> {
    list_in(&state, key.workspace_id, &query).await.map(Json)
}

/// A page of the workspace's unrevoked keys in id order (no secrets). Shared with the
/// console's `GET /api/v1/workspaces/{workspace_id}/api-keys`.
pub(crate) async fn list_in(
    state: &AppState,
    workspace_id: i64,
    query: &IntListQuery,
) -> ApiResult<Page<model::ApiKey>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = api_keys::page(&mut conn, workspace_id, after, limit + 1).await?;
    Ok(routes::page(items, limit, |k| k.id.to_string()))
}

/// Revoke an API key
///
/// Revokes a key of the workspace (the calling key too); 404 for unknown, revoked or
/// other workspaces' keys.
#[utoipa::path(
    delete,
    path = "/api/v1/api-keys/{api_key_id}",
    tag = "management",
    params(("api_key_id" = i64, Path, description = "Id of the key")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Revoked; requests with the key are rejected from now on"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_api_key(
    State(state): State<AppState>,
    key: ApiKey,
    Path(api_key_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = routes::int_id(&api_key_id)?;
    let mut conn = state.db.acquire().await?;
    if api_keys::revoke(&mut conn, key.workspace_id, id, &clock::now_rfc3339()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("no API key {id}")))
    }
}

/// Regenerate an API key
///
/// Replaces a key's secret (Botcake's "refresh"): same id and name, a new secret shown only
/// in this answer; the old secret is rejected from its next request (the calling key's
/// too). 404 for unknown, revoked or other workspaces' keys.
#[utoipa::path(
    post,
    path = "/api/v1/api-keys/{api_key_id}/regenerate",
    tag = "management",
    params(("api_key_id" = i64, Path, description = "Id of the key")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The key with its new `secret`, shown only now", body = CreatedApiKey),
        (status = 404, response = doc::NotFound),
    )
)]
async fn regenerate_api_key(
    State(state): State<AppState>,
    key: ApiKey,
    Path(api_key_id): Path<String>,
) -> ApiResult<Json<CreatedApiKey>> {
    let id = routes::int_id(&api_key_id)?;
    let mut conn = state.db.acquire().await?;
    auth::regenerate_api_key(&mut conn, key.workspace_id, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no API key {id}")))
}
