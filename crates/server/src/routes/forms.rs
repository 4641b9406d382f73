//! Management API: lead form definitions of the key's workspace (see
//! [`parlo_model::form`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/forms?limit=&cursor=` | `Page<Form>` in id order |
//! | POST | `/api/v1/forms` | [`Form`], 201; 409 when the id is taken (form ids are unique on the server) |
//! | GET | `/api/v1/forms/{form_id}` | [`Form`] |
//! | PUT | `/api/v1/forms/{form_id}` | [`Form`], replaced; 404 when the workspace has none |
//! | DELETE | `/api/v1/forms/{form_id}` | 204; its leads stay |
//! | GET | `/api/v1/forms/{form_id}/stats` | [`FormStats`]: leads and submissions taken for spam |
//!
//! A definition is checked as a whole: 422 lists every problem of the document (see
//! [`Form::validate`]) and of its references (channel, webhook endpoints, flows).

use crate::auth::ApiKey;
use crate::clock;
use crate::db::forms;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::forms::{RegexPatterns, check_references};
use crate::openapi as doc;
use crate::routes::{self, ListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::form::{Form, FormStats};
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forms, create_form))
        .routes(routes!(get_form, replace_form, delete_form))
        .routes(routes!(get_form_stats))
}

/// 422 with every problem of `form` (document and references), if any.
async fn check(state: &AppState, key: ApiKey, form: &Form) -> ApiResult<()> {
    let mut errors = form.validate(&RegexPatterns);
    let mut conn = state.db.acquire().await?;
    errors.extend(check_references(&mut conn, key.workspace_id, form).await?);
    ApiError::unless_any(errors)
}

/// The workspace's form `form_id`; 404 when it has none.
async fn find(state: &AppState, key: ApiKey, form_id: &str) -> ApiResult<Form> {
    let mut conn = state.db.acquire().await?;
    forms::find(&mut conn, key.workspace_id, form_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no form '{form_id}'")))
}

/// List forms
///
/// Lists the workspace's forms in id order.
#[utoipa::path(
    get,
    path = "/api/v1/forms",
    tag = "management",
    params(ListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Forms in id order; the cursor is the last form id", body = Page<Form>),
    )
)]
async fn list_forms(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Form>>> {
    let limit = query.limit()?;
    let after = query.cursor.unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let items = forms::page(&mut conn, key.workspace_id, &after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |f| f.id.to_string())))
}

/// Create a form
///
/// Creates a form; 409 `conflict` when a form with its id exists (in any workspace: the
/// public URL names no workspace).
#[utoipa::path(
    post,
    path = "/api/v1/forms",
    tag = "management",
    request_body = Form,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Form),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_form(
    State(state): State<AppState>,
    key: ApiKey,
    Json(form): Json<Form>,
) -> ApiResult<(StatusCode, Json<Form>)> {
    check(&state, key, &form).await?;
    let mut conn = state.db.acquire().await?;
    if !forms::create(&mut conn, key.workspace_id, &form, &clock::now_rfc3339()).await? {
        return Err(ApiError::Conflict(format!("a form '{}' exists", form.id)));
    }
    Ok((StatusCode::CREATED, Json(form)))
}

/// Get a form
///
/// One form of the workspace.
#[utoipa::path(
    get,
    path = "/api/v1/forms/{form_id}",
    tag = "management",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The form", body = Form),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_form(
    State(state): State<AppState>,
    key: ApiKey,
    Path(form_id): Path<String>,
) -> ApiResult<Json<Form>> {
    find(&state, key, &form_id).await.map(Json)
}

/// Replace a form
///
/// Replaces a form of the workspace; the body's `id` must be the path's. Leads already
/// stored keep the values and consent texts they were submitted with.
#[utoipa::path(
    put,
    path = "/api/v1/forms/{form_id}",
    tag = "management",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`")),
    request_body = Form,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The stored form", body = Form),
        (status = 404, response = doc::NotFound),
    )
)]
async fn replace_form(
    State(state): State<AppState>,
    key: ApiKey,
    Path(form_id): Path<String>,
    Json(form): Json<Form>,
) -> ApiResult<Json<Form>> {
    find(&state, key, &form_id).await?;
    if form.id.as_str() != form_id {
        return Err(ApiError::Validation(vec![FieldError::new(
            "/id",
            format!("must be '{form_id}', the id in the path"),
        )]));
    }
    check(&state, key, &form).await?;
    let mut conn = state.db.acquire().await?;
    if !forms::replace(&mut conn, key.workspace_id, &form, &clock::now_rfc3339()).await? {
        return Err(ApiError::NotFound(format!("no form '{form_id}'")));
    }
    Ok(Json(form))
}

/// Delete a form
///
/// Deletes a form of the workspace; its leads stay (listed and exported by `form_id`).
#[utoipa::path(
    delete,
    path = "/api/v1/forms/{form_id}",
    tag = "management",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted; its leads stay"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_form(
    State(state): State<AppState>,
    key: ApiKey,
    Path(form_id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = state.db.acquire().await?;
    if !forms::delete(&mut conn, key.workspace_id, &form_id).await? {
        return Err(ApiError::NotFound(format!("no form '{form_id}'")));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Form submission counts
///
/// How the form's submissions ended: leads, and those taken for spam (honeypot filled,
/// sent too fast). Each idempotency key counts once.
#[utoipa::path(
    get,
    path = "/api/v1/forms/{form_id}/stats",
    tag = "management",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Counts by outcome", body = FormStats),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_form_stats(
    State(state): State<AppState>,
    key: ApiKey,
    Path(form_id): Path<String>,
) -> ApiResult<Json<FormStats>> {
    find(&state, key, &form_id).await?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(forms::stats(&mut conn, &form_id).await?))
}
