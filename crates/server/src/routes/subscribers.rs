//! Management API: subscribers of the key's workspace, their tags and custom fields.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/subscribers/{subscriber_id}` | → [`Subscriber`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/tags` | [`SubscriberTags`] → [`Subscriber`] (add) |
//! | DELETE | `/api/v1/subscribers/{subscriber_id}/tags` | [`SubscriberTags`] → [`Subscriber`] (remove) |
//! | PATCH | `/api/v1/subscribers/{subscriber_id}/fields` | [`SetFields`] → [`Subscriber`] (set / clear) |
//!
//! Changes of one request are applied together or not at all: 422 lists every invalid
//! value with its JSON pointer, 404 names every unknown tag or field (and answers an
//! unknown subscriber, or one of another workspace).

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, custom_fields, subscribers, tags};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::field_values;
use crate::openapi as doc;
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use parlo_model::problem::FieldError;
use parlo_model::subscriber::Subscriber;
use parlo_model::tag::{IdOrName, MAX_BATCH, SetFields, SubscriberTags};
use sqlx::SqliteConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_subscriber))
        .routes(routes!(add_subscriber_tags, remove_subscriber_tags))
        .routes(routes!(set_subscriber_fields))
}

/// The subscriber with its fields and tags; 404 when not of the key's workspace.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{subscriber_id}",
    tag = "management",
    summary = "Get a subscriber",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its fields and tags", body = Subscriber),
        (status = 401, response = doc::Unauthorized),
        (status = 404, response = doc::NotFound),
        (status = 500, response = doc::Internal),
    )
)]
async fn get_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<Json<Subscriber>> {
    let mut conn = state.db.acquire().await?;
    find(&mut conn, key, &subscriber_id).await.map(Json)
}

/// The subscriber `id` of the key's workspace; 404 when there is none.
async fn find(conn: &mut SqliteConnection, key: ApiKey, id: &str) -> ApiResult<Subscriber> {
    subscribers::find(conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{id}'")))
}

/// 422 at `pointer` unless `len` is 1..=[`MAX_BATCH`].
fn check_batch(pointer: &str, len: usize) -> ApiResult<()> {
    if (1..=MAX_BATCH).contains(&len) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            pointer,
            format!("must list 1..={MAX_BATCH} items"),
        ))
    }
}

/// 404 naming every unknown tag or field of `kind`, when there is any.
fn check_known(kind: &str, unknown: &[&IdOrName]) -> ApiResult<()> {
    if unknown.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = unknown.iter().map(ToString::to_string).collect();
    Err(ApiError::NotFound(format!("no {kind} {}", list.join(", "))))
}

/// Adds (`add`) or removes the tags of `body` to/from the subscriber, in one transaction.
async fn change_tags(
    state: &AppState,
    key: ApiKey,
    subscriber_id: &str,
    body: &SubscriberTags,
    add: bool,
) -> ApiResult<Subscriber> {
    check_batch("/tags", body.tags.len())?;
    let mut errors = Vec::new();
    for (i, tag) in body.tags.iter().enumerate() {
        if let IdOrName::Name(name) = tag
            && let Err(ApiError::Validation(e)) = routes::check_name(&format!("/tags/{i}"), name)
        {
            errors.extend(e);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    find(&mut tx, key, subscriber_id).await?;
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for tag in &body.tags {
        match (tag, add) {
            (IdOrName::Name(name), true) => {
                ids.push(tags::ensure(&mut tx, key.workspace_id, name.trim(), &now).await?)
            }
            _ => match tags::find(&mut tx, key.workspace_id, tag).await? {
                Some(found) => ids.push(found.id),
                None => unknown.push(tag),
            },
        }
    }
    check_known("tag", &unknown)?;
    for tag_id in ids {
        if add {
            subscribers::add_tag(&mut tx, subscriber_id, tag_id, &now).await?;
        } else {
            subscribers::remove_tag(&mut tx, subscriber_id, tag_id).await?;
        }
    }
    let subscriber = find(&mut tx, key, subscriber_id).await?;
    tx.commit().await?;
    Ok(subscriber)
}

/// Adds 1..=100 tags (by id, or by name, creating missing ones) to the subscriber.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/tags",
    tag = "management",
    summary = "Add tags to a subscriber",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SubscriberTags,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its tags", body = Subscriber),
        (status = 400, response = doc::BadRequest),
        (status = 401, response = doc::Unauthorized),
        (status = 404, response = doc::NotFound),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::ValidationFailed),
        (status = 500, response = doc::Internal),
    )
)]
async fn add_subscriber_tags(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SubscriberTags>,
) -> ApiResult<Json<Subscriber>> {
    change_tags(&state, key, &subscriber_id, &body, true)
        .await
        .map(Json)
}

/// Removes 1..=100 tags (by id or name; all must exist) from the subscriber.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{subscriber_id}/tags",
    tag = "management",
    summary = "Remove tags from a subscriber",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SubscriberTags,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its tags", body = Subscriber),
        (status = 400, response = doc::BadRequest),
        (status = 401, response = doc::Unauthorized),
        (status = 404, response = doc::NotFound),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::ValidationFailed),
        (status = 500, response = doc::Internal),
    )
)]
async fn remove_subscriber_tags(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SubscriberTags>,
) -> ApiResult<Json<Subscriber>> {
    change_tags(&state, key, &subscriber_id, &body, false)
        .await
        .map(Json)
}

/// Sets (or clears, with `null`) 1..=100 custom field values of the subscriber; each value
/// is checked against its field's type ([`field_values`]).
#[utoipa::path(
    patch,
    path = "/api/v1/subscribers/{subscriber_id}/fields",
    tag = "management",
    summary = "Set or clear custom fields of a subscriber",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SetFields,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its fields", body = Subscriber),
        (status = 400, response = doc::BadRequest),
        (status = 401, response = doc::Unauthorized),
        (status = 404, response = doc::NotFound),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::ValidationFailed),
        (status = 500, response = doc::Internal),
    )
)]
async fn set_subscriber_fields(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SetFields>,
) -> ApiResult<Json<Subscriber>> {
    check_batch("/fields", body.fields.len())?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    find(&mut tx, key, &subscriber_id).await?;
    let mut changes = Vec::new();
    let mut unknown = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in body.fields.iter().enumerate() {
        let Some(field) = custom_fields::find(&mut tx, key.workspace_id, &item.field).await? else {
            unknown.push(&item.field);
            continue;
        };
        if item.value.is_null() {
            changes.push((field.id, None));
            continue;
        }
        match field_values::canonical(field.field_type, &item.value) {
            Ok(value) => changes.push((field.id, Some(value))),
            Err(message) => errors.push(FieldError::new(format!("/fields/{i}/value"), message)),
        }
    }
    check_known("custom field", &unknown)?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    for (field_id, value) in changes {
        match value {
            Some(value) => subscribers::set_field(&mut tx, &subscriber_id, field_id, &value, &now).await?,
            None => subscribers::clear_field(&mut tx, &subscriber_id, field_id).await?,
        }
    }
    let subscriber = find(&mut tx, key, &subscriber_id).await?;
    tx.commit().await?;
    Ok(Json(subscriber))
}
