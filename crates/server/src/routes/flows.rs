//! Management API: flow documents of the key's workspace.
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/flows?limit=&cursor=` | `Page<Flow>` in id order |
//! | GET | `/api/v1/flows/{flow_id}` | `Flow` |
//! | PUT | `/api/v1/flows/{flow_id}` | `Flow` (201 created, 200 replaced) |

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, flows};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, ListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::flow::{Flow, check_flow_refs};
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows))
        .routes(routes!(get_flow, put_flow))
}

/// Lists the workspace's flows in id order.
#[utoipa::path(
    get,
    path = "/api/v1/flows",
    tag = "management",
    summary = "List flows",
    params(ListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Flows in id order; the cursor is the last flow id", body = Page<Flow>),
        (status = 400, response = doc::BadRequest),
        (status = 401, response = doc::Unauthorized),
        (status = 500, response = doc::Internal),
    )
)]
async fn list_flows(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Flow>>> {
    let limit = query.limit()?;
    // The cursor is the id of the last flow of the previous page.
    let after = query.cursor.unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let items = flows::page(&mut conn, key.workspace_id, &after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |f| f.id.to_string())))
}

/// One flow; 404 when the workspace has no flow with this id.
#[utoipa::path(
    get,
    path = "/api/v1/flows/{flow_id}",
    tag = "management",
    summary = "Get a flow",
    params(("flow_id" = String, Path, description = "Flow id, unique in the workspace, e.g. `welcome`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The flow document", body = Flow),
        (status = 401, response = doc::Unauthorized),
        (status = 404, response = doc::NotFound),
        (status = 500, response = doc::Internal),
    )
)]
async fn get_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
) -> ApiResult<Json<Flow>> {
    let mut conn = state.db.acquire().await?;
    flows::find(&mut conn, key.workspace_id, &flow_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no flow '{flow_id}'")))
}

/// Creates or replaces a flow. The body must be a valid flow document whose `id` equals
/// the path's; every flow it references must exist in the workspace (or be itself).
/// Invalid: 422 `validation_failed` listing every problem with its JSON pointer.
#[utoipa::path(
    put,
    path = "/api/v1/flows/{flow_id}",
    tag = "management",
    summary = "Create or replace a flow",
    params(("flow_id" = String, Path, description = "Flow id; must equal the body's `id`")),
    request_body = Flow,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Flow),
        (status = 200, description = "Replaced", body = Flow),
        (status = 400, response = doc::BadRequest),
        (status = 401, response = doc::Unauthorized),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::ValidationFailed),
        (status = 500, response = doc::Internal),
    )
)]
async fn put_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
    Json(flow): Json<Flow>,
) -> ApiResult<(StatusCode, Json<Flow>)> {
    let mut errors = flow.validate();
    if flow.id.as_str() != flow_id {
        errors.push(FieldError::new(
            "/id",
            format!("must equal the flow id of the URL, '{flow_id}'"),
        ));
    }
    let mut tx = db::begin_write(&state.db).await?;
    let known = flows::ids(&mut tx, key.workspace_id).await?;
    errors.extend(check_flow_refs(&flow, |f| {
        f == &flow.id || known.iter().any(|k| k == f.as_str())
    }));
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let created = flows::upsert(&mut tx, key.workspace_id, &flow, &clock::now_rfc3339()).await?;
    tx.commit().await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(flow)))
}
