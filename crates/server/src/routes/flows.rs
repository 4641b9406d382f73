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
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use parlo_model::flow::{Flow, check_flow_refs};
use parlo_model::page::{DEFAULT_LIMIT, MAX_LIMIT, Page};
use parlo_model::problem::FieldError;
use serde::Deserialize;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/flows", get(list_flows))
        .route("/api/v1/flows/{flow_id}", get(get_flow).put(put_flow))
}

/// Query of the list.
#[derive(Debug, Deserialize)]
struct ListQuery {
    /// Page size, 1..=100 (default 20); out of range is a 400.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Lists the workspace's flows in id order.
async fn list_flows(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<Flow>>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidCursor(format!(
            "limit must be 1..={MAX_LIMIT}, is {limit}"
        )));
    }
    // The cursor is the id of the last flow of the previous page.
    let after = query.cursor.unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let mut items = flows::page(&mut conn, key.workspace_id, &after, limit + 1).await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|f| f.id.to_string())
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

/// One flow; 404 when the workspace has no flow with this id.
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
