//! Management API: the workspace's bot (global) fields (see [`parlo_model::bot_field`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/bot-fields?limit=&cursor=` | `Page<BotField>` in id order |
//! | POST | `/api/v1/bot-fields` | [`BotField`], 201 (unset); 409 when the name is taken |
//! | GET | `/api/v1/bot-fields/{field_id}`, `…/by-name/{field_name}` | [`BotField`] |
//! | PATCH | `/api/v1/bot-fields/{field_id}` | [`BotField`]; name and description only |
//! | DELETE | `/api/v1/bot-fields/{field_id}`, `…/by-name/{field_name}` | 204 |
//! | PATCH | `/api/v1/bot-fields/values` | `Page<BotField>` of the changed fields |
//!
//! Definitions follow the custom fields' rules and code ([`super::custom_fields`] with
//! [`Table::Bot`]); values are checked by [`field_values`] like subscribers' values.

use crate::auth::ApiKey;
use crate::clock;
use crate::db::custom_fields::Table;
use crate::db::{self, bot_fields};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::field_values;
use crate::openapi as doc;
use crate::routes::custom_fields::{create_in, delete_in, find_in, list_in, update_in};
use crate::routes::{IntListQuery, int_id};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::bot_field::BotField;
use parlo_model::page::Page;
use parlo_model::tag::{CreateCustomField, CustomField, IdOrName, MAX_BATCH, SetFields, UpdateCustomField};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bot_fields, create_bot_field))
        .routes(routes!(set_bot_field_values))
        .routes(routes!(get_bot_field, update_bot_field, delete_bot_field))
        .routes(routes!(get_bot_field_by_name, delete_bot_field_by_name))
}

/// `field` with its stored value.
async fn with_value(state: &AppState, field: CustomField) -> ApiResult<BotField> {
    let mut conn = state.db.acquire().await?;
    let value = bot_fields::value(&mut conn, field.id).await?;
    Ok(BotField { field, value })
}

/// List bot fields
///
/// Lists the workspace's bot fields with their values, in id order.
#[utoipa::path(
    get,
    path = "/api/v1/bot-fields",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Bot fields in id order", body = Page<BotField>),
    )
)]
async fn list_bot_fields(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<BotField>>> {
    let page = list_in(&state, key, Table::Bot, &query).await?;
    let mut conn = state.db.acquire().await?;
    let mut values = bot_fields::values(&mut conn, key.workspace_id).await?;
    let items = page
        .items
        .into_iter()
        .map(|field| BotField {
            value: values.remove(&field.id),
            field,
        })
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// Create a bot field
///
/// Creates a bot field (unset); its type cannot change later. 409 `conflict` when the
/// workspace has a bot field of this name.
#[utoipa::path(
    post,
    path = "/api/v1/bot-fields",
    tag = "management",
    request_body = CreateCustomField,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created, without a value", body = BotField),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_bot_field(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateCustomField>,
) -> ApiResult<(StatusCode, Json<BotField>)> {
    let field = create_in(&state, key, Table::Bot, &body).await?;
    Ok((StatusCode::CREATED, Json(BotField { field, value: None })))
}

/// Set or clear bot field values
///
/// Sets (or clears, with `null`) 1..=100 bot field values at once, all or nothing: 422
/// lists every unknown field (`/fields/{i}/field`) and every value its field's type
/// refuses (`/fields/{i}/value`).
#[utoipa::path(
    patch,
    path = "/api/v1/bot-fields/values",
    tag = "management",
    request_body = SetFields,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The changed bot fields, in request order (`next_cursor` is null)", body = Page<BotField>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn set_bot_field_values(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<SetFields>,
) -> ApiResult<Json<Page<BotField>>> {
    if !(1..=MAX_BATCH).contains(&body.fields.len()) {
        return Err(ApiError::invalid(
            "/fields",
            format!("must list 1..={MAX_BATCH} items"),
        ));
    }
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    let resolved =
        field_values::resolve(&mut tx, Table::Bot, key.workspace_id, "/fields", &body.fields).await?;
    let mut errors = field_values::unknown_errors(Table::Bot.noun(), &resolved.unknown);
    errors.extend(resolved.errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    for (id, value) in &resolved.values {
        bot_fields::set_value(&mut tx, *id, value.as_deref(), &now).await?;
    }
    tx.commit().await?;
    let mut items = Vec::with_capacity(resolved.values.len());
    for (id, _) in resolved.values {
        let field = find_in(&state, key, Table::Bot, IdOrName::Id(id)).await?;
        items.push(with_value(&state, field).await?);
    }
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Get a bot field
///
/// One bot field with its value, by id.
#[utoipa::path(
    get,
    path = "/api/v1/bot-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the bot field")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The bot field", body = BotField),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_bot_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
) -> ApiResult<Json<BotField>> {
    let field = find_in(&state, key, Table::Bot, IdOrName::Id(int_id(&field_id)?)).await?;
    with_value(&state, field).await.map(Json)
}

/// Update a bot field
///
/// Renames or redescribes a bot field; its type and value stay. 409 when the new name is
/// taken.
#[utoipa::path(
    patch,
    path = "/api/v1/bot-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the bot field")),
    request_body = UpdateCustomField,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The updated bot field", body = BotField),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn update_bot_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
    Json(body): Json<UpdateCustomField>,
) -> ApiResult<Json<BotField>> {
    let field = update_in(&state, key, Table::Bot, &field_id, body).await?;
    with_value(&state, field).await.map(Json)
}

/// Delete a bot field
///
/// Deletes a bot field with its value, by id.
#[utoipa::path(
    delete,
    path = "/api/v1/bot-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the bot field")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_bot_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
) -> ApiResult<StatusCode> {
    delete_in(&state, key, Table::Bot, IdOrName::Id(int_id(&field_id)?)).await
}

/// Get a bot field by name
///
/// One bot field with its value, by name.
#[utoipa::path(
    get,
    path = "/api/v1/bot-fields/by-name/{field_name}",
    tag = "management",
    params(("field_name" = String, Path, description = "Name of the bot field (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The bot field", body = BotField),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_bot_field_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_name): Path<String>,
) -> ApiResult<Json<BotField>> {
    let field = find_in(&state, key, Table::Bot, IdOrName::Name(field_name)).await?;
    with_value(&state, field).await.map(Json)
}

/// Delete a bot field by name
///
/// Deletes a bot field with its value, by name.
#[utoipa::path(
    delete,
    path = "/api/v1/bot-fields/by-name/{field_name}",
    tag = "management",
    params(("field_name" = String, Path, description = "Name of the bot field (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_bot_field_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_name): Path<String>,
) -> ApiResult<StatusCode> {
    delete_in(&state, key, Table::Bot, IdOrName::Name(field_name)).await
}
