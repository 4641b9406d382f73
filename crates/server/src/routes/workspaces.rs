//! Console: the logged-in user's workspaces and their API keys (user session token).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/workspaces?limit=&cursor=` | `Page<Workspace>` the user owns, in id order |
//! | POST | `/api/v1/workspaces` | [`Workspace`], 201; 409 when the slug is taken |
//! | DELETE | `/api/v1/workspaces/{workspace_id}?confirm=<slug>` | 204, with everything in it |
//! | GET | `/api/v1/workspaces/{workspace_id}/api-keys?limit=&cursor=` | `Page<ApiKey>` |
//! | POST | `/api/v1/workspaces/{workspace_id}/api-keys` | [`CreatedApiKey`], 201 |
//!
//! Another user's workspace answers 404, like one that does not exist.

use crate::auth::UserSession;
use crate::clock;
use crate::db::{self, erasure, workspaces};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery, api_keys};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::api_key::{ApiKey, CreateApiKey, CreatedApiKey};
use parlo_model::flow::is_valid_id;
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::workspace::{CreateWorkspace, Workspace};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workspaces, create_workspace))
        .routes(routes!(delete_workspace))
        .routes(routes!(list_workspace_api_keys, create_workspace_api_key))
}

/// List my workspaces
///
/// Lists the workspaces the user owns, in id order.
#[utoipa::path(
    get,
    path = "/api/v1/workspaces",
    tag = doc::TAG_CONSOLE,
    params(IntListQuery),
    security(("user_session" = [])),
    responses(
        (status = 200, description = "The user's workspaces in id order", body = Page<Workspace>),
    )
)]
async fn list_workspaces(
    State(state): State<AppState>,
    session: UserSession,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<Workspace>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = workspaces::page_owned(&mut conn, session.user_id, after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |w| w.id.to_string())))
}

/// Create a workspace
///
/// Creates a workspace owned by the user. 422 for a bad slug or name, 409 `conflict` when
/// the slug is taken (by anyone).
#[utoipa::path(
    post,
    path = "/api/v1/workspaces",
    tag = doc::TAG_CONSOLE,
    request_body = CreateWorkspace,
    security(("user_session" = [])),
    responses(
        (status = 201, description = "Created, owned by the user", body = Workspace),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_workspace(
    State(state): State<AppState>,
    session: UserSession,
    Json(body): Json<CreateWorkspace>,
) -> ApiResult<(StatusCode, Json<Workspace>)> {
    let mut errors = Vec::new();
    if !is_valid_id(&body.slug) {
        errors.push(FieldError::new("/slug", "must be 1..=64 of a-z, 0-9, _ and -"));
    }
    let name = match routes::check_name("/name", &body.name) {
        Ok(name) => name,
        Err(ApiError::Validation(e)) => {
            errors.extend(e);
            String::new()
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut conn = state.db.acquire().await?;
    let workspace = workspaces::create_owned(
        &mut conn,
        session.user_id,
        &body.slug,
        &name,
        &clock::now_rfc3339(),
    )
    .await?
    .ok_or_else(|| ApiError::Conflict(format!("the workspace slug '{}' is taken", body.slug)))?;
    Ok((StatusCode::CREATED, Json(workspace)))
}

/// Query of `DELETE /api/v1/workspaces/{workspace_id}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeleteWorkspace {
    /// The workspace's slug, typed again: deleting cannot be undone, and this guards
    /// against deleting another workspace than meant (as GitHub asks for a repository's
    /// name before deleting it). Required; checked after ownership, so another user's
    /// workspace is a 404 either way.
    #[param(required = true)]
    confirm: Option<String>,
}

/// Delete a workspace
///
/// Deletes a workspace the user owns with everything in it: channels, flows, subscribers
/// with their conversations and messages, tags, custom and bot fields, forms and leads,
/// webhook endpoints and their deliveries, and API keys. It cannot be undone. Its API keys
/// and its visitors' session tokens are refused from the next request, on every server
/// instance (nothing is cached), and its visitors' open event streams end. Only the
/// owner's console session may do it: API keys, which any integration holds, cannot.
/// 400 `bad_request` when `confirm` is missing or not the workspace's slug (nothing is
/// deleted); 404 when the user does not own the workspace.
#[utoipa::path(
    delete,
    path = "/api/v1/workspaces/{workspace_id}",
    tag = doc::TAG_CONSOLE,
    params(("workspace_id" = i64, Path, description = "Id of a workspace the user owns"), DeleteWorkspace),
    security(("user_session" = [])),
    responses(
        (status = 204, description = "Deleted with everything in it"),
        (status = 400, response = doc::BadRequest),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_workspace(
    State(state): State<AppState>,
    session: UserSession,
    Path(workspace_id): Path<String>,
    Query(query): Query<DeleteWorkspace>,
) -> ApiResult<StatusCode> {
    let id = routes::int_id(&workspace_id)?;
    let not_found = || ApiError::NotFound(format!("no workspace {id}"));
    let mut tx = db::begin_write(&state.db).await?;
    let slug = workspaces::slug_owned_by(&mut tx, id, session.user_id)
        .await?
        .ok_or_else(not_found)?;
    if query.confirm.as_deref() != Some(slug.as_str()) {
        return Err(ApiError::BadRequest(
            "confirm must be the slug of the workspace to delete".to_owned(),
        ));
    }
    let conversations = erasure::delete_workspace(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    state.hub.close(&conversations);
    Ok(StatusCode::NO_CONTENT)
}

/// The id of the path's workspace if the user owns it; 400 `invalid_id`, 404 otherwise.
async fn owned(state: &AppState, session: &UserSession, workspace_id: &str) -> ApiResult<i64> {
    let id = routes::int_id(workspace_id)?;
    let mut conn = state.db.acquire().await?;
    if workspaces::is_owned_by(&mut conn, id, session.user_id).await? {
        Ok(id)
    } else {
        Err(ApiError::NotFound(format!("no workspace {id}")))
    }
}

/// List a workspace's API keys
///
/// Lists the unrevoked API keys of a workspace the user owns (never their secrets).
#[utoipa::path(
    get,
    path = "/api/v1/workspaces/{workspace_id}/api-keys",
    tag = doc::TAG_CONSOLE,
    params(("workspace_id" = i64, Path, description = "Id of a workspace the user owns"), IntListQuery),
    security(("user_session" = [])),
    responses(
        (status = 200, description = "Unrevoked keys in id order (no secrets)", body = Page<ApiKey>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn list_workspace_api_keys(
    State(state): State<AppState>,
    session: UserSession,
    Path(workspace_id): Path<String>,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<ApiKey>>> {
    let id = owned(&state, &session, &workspace_id).await?;
    api_keys::list_in(&state, id, &query).await.map(Json)
}

/// Create an API key for a workspace
///
/// Mints an API key for a workspace the user owns; the secret is shown only in this
/// answer (stored as a SHA-256).
#[utoipa::path(
    post,
    path = "/api/v1/workspaces/{workspace_id}/api-keys",
    tag = doc::TAG_CONSOLE,
    params(("workspace_id" = i64, Path, description = "Id of a workspace the user owns")),
    request_body = CreateApiKey,
    security(("user_session" = [])),
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = CreatedApiKey),
        (status = 404, response = doc::NotFound),
    )
)]
async fn create_workspace_api_key(
    State(state): State<AppState>,
    session: UserSession,
    Path(workspace_id): Path<String>,
    Json(body): Json<CreateApiKey>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let id = owned(&state, &session, &workspace_id).await?;
    let created = api_keys::create_in(&state, id, &body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
