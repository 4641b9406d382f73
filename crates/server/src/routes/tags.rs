//! Management API: the workspace's tags (see [`parlo_model::tag`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/tags?limit=&cursor=` | `Page<Tag>` in id order |
//! | POST | `/api/v1/tags` | [`Tag`], 201; 409 when the name is taken |
//! | GET | `/api/v1/tags/{tag_id}`, `/api/v1/tags/by-name/{tag_name}` | [`Tag`] |
//! | DELETE | `/api/v1/tags/{tag_id}`, `/api/v1/tags/by-name/{tag_name}` | 204; removed from every subscriber |

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, flows, tags};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::flow::Needed;
use parlo_model::page::Page;
use parlo_model::tag::{CreateTag, IdOrName, MAX_NAME_CHARS, Tag};
use parlo_model::validate::{MemberRule, name};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What [`create_tag`] checks of its body ([`routes::check_name`]), for the API document.
pub const SCHEMA_RULES: [MemberRule; 1] = [("CreateTag", "name", name(MAX_NAME_CHARS))];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(get_tag, delete_tag))
        .routes(routes!(get_tag_by_name, delete_tag_by_name))
}

/// List tags
///
/// Lists the workspace's tags in id order.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Tags in id order", body = Page<Tag>),
    )
)]
async fn list_tags(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<Tag>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = tags::page(&mut conn, key.workspace_id, after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |t| t.id.to_string())))
}

/// Create a tag
///
/// Creates a tag; 409 `conflict` when the workspace has one of this name.
#[utoipa::path(
    post,
    path = "/api/v1/tags",
    tag = "management",
    request_body = CreateTag,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Tag),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_tag(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateTag>,
) -> ApiResult<(StatusCode, Json<Tag>)> {
    let name = routes::check_name("/name", &body.name)?;
    let mut conn = state.db.acquire().await?;
    let tag = tags::create(&mut conn, key.workspace_id, &name, &clock::now_rfc3339())
        .await?
        .ok_or_else(|| ApiError::Conflict(format!("a tag '{name}' exists")))?;
    Ok((StatusCode::CREATED, Json(tag)))
}

/// The tag `tag_ref` of the workspace; 404 when there is none.
async fn find(state: &AppState, key: ApiKey, tag_ref: IdOrName) -> ApiResult<Tag> {
    let mut conn = state.db.acquire().await?;
    tags::find(&mut conn, key.workspace_id, &tag_ref)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no tag {tag_ref}")))
}

/// Deletes the tag `tag_ref` of the workspace; 404 when there is none, 409 while a flow's
/// condition reads it.
async fn delete(state: &AppState, key: ApiKey, tag_ref: IdOrName) -> ApiResult<StatusCode> {
    let tag = find(state, key, tag_ref).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let what = format!("tag '{}'", tag.name);
    flows::refuse_if_read(&mut tx, key.workspace_id, Needed::Tag(&tag.name), &what).await?;
    tags::delete(&mut tx, key.workspace_id, tag.id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Get a tag
///
/// One tag by id.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{tag_id}",
    tag = "management",
    params(("tag_id" = i64, Path, description = "Id of the tag")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_tag(
    State(state): State<AppState>,
    key: ApiKey,
    Path(tag_id): Path<String>,
) -> ApiResult<Json<Tag>> {
    let id = routes::int_id(&tag_id)?;
    find(&state, key, IdOrName::Id(id)).await.map(Json)
}

/// Delete a tag
///
/// Deletes a tag by id (and removes it from every subscriber); 409 `conflict` while a
/// flow's condition reads it, naming each step.
#[utoipa::path(
    delete,
    path = "/api/v1/tags/{tag_id}",
    tag = "management",
    params(("tag_id" = i64, Path, description = "Id of the tag")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted, and removed from every subscriber"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_tag(
    State(state): State<AppState>,
    key: ApiKey,
    Path(tag_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = routes::int_id(&tag_id)?;
    delete(&state, key, IdOrName::Id(id)).await
}

/// Get a tag by name
///
/// One tag by name.
#[utoipa::path(
    get,
    path = "/api/v1/tags/by-name/{tag_name}",
    tag = "management",
    params(("tag_name" = String, Path, description = "Name of the tag (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The tag", body = Tag),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_tag_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(tag_name): Path<String>,
) -> ApiResult<Json<Tag>> {
    find(&state, key, IdOrName::Name(tag_name)).await.map(Json)
}

/// Delete a tag by name
///
/// Deletes a tag by name (and removes it from every subscriber); 409 `conflict` while a
/// flow's condition reads it, naming each step.
#[utoipa::path(
    delete,
    path = "/api/v1/tags/by-name/{tag_name}",
    tag = "management",
    params(("tag_name" = String, Path, description = "Name of the tag (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted, and removed from every subscriber"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_tag_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(tag_name): Path<String>,
) -> ApiResult<StatusCode> {
    delete(&state, key, IdOrName::Name(tag_name)).await
}
