//! Management API: the workspace's custom (user) fields (see [`parlo_model::tag`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/custom-fields?limit=&cursor=` | `Page<CustomField>` in id order |
//! | POST | `/api/v1/custom-fields` | [`CustomField`], 201; 409 when the name is taken |
//! | GET | `/api/v1/custom-fields/{field_id}`, `…/by-name/{field_name}` | [`CustomField`] |
//! | PATCH | `/api/v1/custom-fields/{field_id}` | [`CustomField`]; name and description only |
//! | DELETE | `/api/v1/custom-fields/{field_id}`, `…/by-name/{field_name}` | 204; every subscriber's value goes too |
//!
//! The `*_in` functions do the same for any [`Table`] of field definitions; the bot fields
//! ([`super::bot_fields`]) use them too.

use crate::auth::ApiKey;
use crate::clock;
use crate::db::custom_fields::{self, Table};
use crate::db::{self, flows};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::flow::Needed;
use parlo_model::page::Page;
use parlo_model::tag::{CreateCustomField, CustomField, IdOrName, MAX_NAME_CHARS, UpdateCustomField};
use parlo_model::validate::{MemberRule, Rule, name, up_to};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest field description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// A description as [`check_description`] takes it.
const DESCRIPTION: Rule = up_to(MAX_DESCRIPTION_CHARS);

/// What this module's operations check of their bodies ([`routes::check_name`],
/// [`check_description`]), for the API document.
pub const SCHEMA_RULES: [MemberRule; 4] = [
    ("CreateCustomField", "name", name(MAX_NAME_CHARS)),
    ("CreateCustomField", "description", DESCRIPTION),
    ("UpdateCustomField", "name", name(MAX_NAME_CHARS)),
    ("UpdateCustomField", "description", DESCRIPTION),
];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_custom_fields, create_custom_field))
        .routes(routes!(
            get_custom_field,
            update_custom_field,
            delete_custom_field
        ))
        .routes(routes!(get_custom_field_by_name, delete_custom_field_by_name))
}

fn check_description(description: &str) -> ApiResult<()> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::invalid(
            "/description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(())
}

/// List custom fields
///
/// Lists the workspace's custom fields in id order.
#[utoipa::path(
    get,
    path = "/api/v1/custom-fields",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Custom fields in id order", body = Page<CustomField>),
    )
)]
async fn list_custom_fields(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<CustomField>>> {
    list_in(&state, key, Table::Custom, &query).await.map(Json)
}

/// A page of the workspace's fields of `table` in id order.
pub(crate) async fn list_in(
    state: &AppState,
    key: ApiKey,
    table: Table,
    query: &IntListQuery,
) -> ApiResult<Page<CustomField>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = custom_fields::page(&mut conn, table, key.workspace_id, after, limit + 1).await?;
    Ok(routes::page(items, limit, |f| f.id.to_string()))
}

/// Create a custom field
///
/// Creates a custom field; 409 `conflict` when the workspace has one of this name.
#[utoipa::path(
    post,
    path = "/api/v1/custom-fields",
    tag = "management",
    request_body = CreateCustomField,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = CustomField),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_custom_field(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateCustomField>,
) -> ApiResult<(StatusCode, Json<CustomField>)> {
    let field = create_in(&state, key, Table::Custom, &body).await?;
    Ok((StatusCode::CREATED, Json(field)))
}

/// Creates a field of `table`: name rules as for tags, description at most 1000
/// characters; 409 `conflict` when the name is taken.
pub(crate) async fn create_in(
    state: &AppState,
    key: ApiKey,
    table: Table,
    body: &CreateCustomField,
) -> ApiResult<CustomField> {
    let name = routes::check_name("/name", &body.name)?;
    check_description(&body.description)?;
    let mut conn = state.db.acquire().await?;
    let now = clock::now_rfc3339();
    custom_fields::create(
        &mut conn,
        table,
        key.workspace_id,
        &name,
        body.field_type,
        &body.description,
        &now,
    )
    .await?
    .ok_or_else(|| ApiError::Conflict(format!("a {} '{name}' exists", table.noun())))
}

/// The field `field_ref` of `table` of the workspace; 404 when there is none.
pub(crate) async fn find_in(
    state: &AppState,
    key: ApiKey,
    table: Table,
    field_ref: IdOrName,
) -> ApiResult<CustomField> {
    let mut conn = state.db.acquire().await?;
    custom_fields::find_in(&mut conn, table, key.workspace_id, &field_ref)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no {} {field_ref}", table.noun())))
}

/// Deletes the field `field_ref` of `table` with its values; 404 when there is none, 409
/// while a flow's condition or `clear_field` step reads the custom field.
pub(crate) async fn delete_in(
    state: &AppState,
    key: ApiKey,
    table: Table,
    field_ref: IdOrName,
) -> ApiResult<StatusCode> {
    let field = find_in(state, key, table, field_ref).await?;
    let mut tx = db::begin_write(&state.db).await?;
    refuse_if_read(&mut tx, key.workspace_id, table, &field.name).await?;
    custom_fields::delete(&mut tx, table, key.workspace_id, field.id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 409 `conflict` when `table` is the custom fields and a flow's condition or
/// `clear_field` step reads field `name` (flows name fields), naming each step.
async fn refuse_if_read(
    conn: &mut db::Connection,
    workspace_id: i64,
    table: Table,
    name: &str,
) -> ApiResult<()> {
    if table == Table::Bot {
        return Ok(());
    }
    flows::refuse_if_read(
        conn,
        workspace_id,
        Needed::Field(name),
        &format!("custom field '{name}'"),
    )
    .await
}

/// Renames or redescribes field `field_id` (a path segment) of `table`; 400 `invalid_id`,
/// 404, 409 when the new name is taken or when a flow reads the custom field by its old
/// name (see [`refuse_if_read`]), 422 for a bad name or description.
pub(crate) async fn update_in(
    state: &AppState,
    key: ApiKey,
    table: Table,
    field_id: &str,
    body: UpdateCustomField,
) -> ApiResult<CustomField> {
    let id = routes::int_id(field_id)?;
    let name = body
        .name
        .as_deref()
        .map(|n| routes::check_name("/name", n))
        .transpose()?;
    if let Some(description) = &body.description {
        check_description(description)?;
    }
    let field = find_in(state, key, table, IdOrName::Id(id)).await?;
    let mut tx = db::begin_write(&state.db).await?;
    if name.as_ref().is_some_and(|n| *n != field.name) {
        refuse_if_read(&mut tx, key.workspace_id, table, &field.name).await?;
    }
    let name = name.unwrap_or(field.name);
    let description = body.description.unwrap_or(field.description);
    if !custom_fields::update(&mut tx, table, id, &name, &description, &clock::now_rfc3339()).await? {
        return Err(ApiError::Conflict(format!("a {} '{name}' exists", table.noun())));
    }
    tx.commit().await?;
    find_in(state, key, table, IdOrName::Id(id)).await
}

/// Get a custom field
///
/// One custom field by id.
#[utoipa::path(
    get,
    path = "/api/v1/custom-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the field")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The field", body = CustomField),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_custom_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
) -> ApiResult<Json<CustomField>> {
    let id = routes::int_id(&field_id)?;
    find_in(&state, key, Table::Custom, IdOrName::Id(id))
        .await
        .map(Json)
}

/// Update a custom field
///
/// Renames or redescribes a custom field; its type cannot change. 409 when the new name
/// is taken, or when a flow's condition or `clear_field` step reads the field by its name.
#[utoipa::path(
    patch,
    path = "/api/v1/custom-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the field")),
    request_body = UpdateCustomField,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The updated field", body = CustomField),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn update_custom_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
    Json(body): Json<UpdateCustomField>,
) -> ApiResult<Json<CustomField>> {
    update_in(&state, key, Table::Custom, &field_id, body)
        .await
        .map(Json)
}

/// Delete a custom field
///
/// Deletes a custom field by id, with every subscriber's value of it; 409 `conflict`
/// while a flow's condition or `clear_field` step reads it, naming each step.
#[utoipa::path(
    delete,
    path = "/api/v1/custom-fields/{field_id}",
    tag = "management",
    params(("field_id" = i64, Path, description = "Id of the field")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted, with every subscriber's value"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_custom_field(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = routes::int_id(&field_id)?;
    delete_in(&state, key, Table::Custom, IdOrName::Id(id)).await
}

/// Get a custom field by name
///
/// One custom field by name.
#[utoipa::path(
    get,
    path = "/api/v1/custom-fields/by-name/{field_name}",
    tag = "management",
    params(("field_name" = String, Path, description = "Name of the field (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The field", body = CustomField),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_custom_field_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_name): Path<String>,
) -> ApiResult<Json<CustomField>> {
    find_in(&state, key, Table::Custom, IdOrName::Name(field_name))
        .await
        .map(Json)
}

/// Delete a custom field by name
///
/// Deletes a custom field by name, with every subscriber's value of it; 409 `conflict`
/// while a flow's condition or `clear_field` step reads it, naming each step.
#[utoipa::path(
    delete,
    path = "/api/v1/custom-fields/by-name/{field_name}",
    tag = "management",
    params(("field_name" = String, Path, description = "Name of the field (URL-encoded)")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted, with every subscriber's value"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_custom_field_by_name(
    State(state): State<AppState>,
    key: ApiKey,
    Path(field_name): Path<String>,
) -> ApiResult<StatusCode> {
    delete_in(&state, key, Table::Custom, IdOrName::Name(field_name)).await
}
