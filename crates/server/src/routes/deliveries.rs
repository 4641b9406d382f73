//! Management API: deliveries — the outbox rows of the workspace's automations, with
//! their state, attempts and last error (see [`parlo_model::webhook::Delivery`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/deliveries?status=&endpoint_id=&limit=&cursor=` | `Page<Delivery>`, newest first |
//! | GET | `/api/v1/deliveries/{delivery_id}` | [`Delivery`] |
//! | GET | `/api/v1/deliveries/{delivery_id}/attempts?limit=&cursor=` | `Page<DeliveryAttempt>`, oldest first |
//! | POST | `/api/v1/deliveries/{delivery_id}/redeliver` | [`Delivery`] queued again; 409 while it is pending |

use crate::auth::ApiKey;
use crate::clock;
use crate::db::outbox::{self as rows, Filter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery};
use crate::state::AppState;
use axum::extract::State;
use parlo_model::page::Page;
use parlo_model::webhook::{Delivery, DeliveryAttempt, DeliveryStatus};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deliveries))
        .routes(routes!(get_delivery))
        .routes(routes!(list_delivery_attempts))
        .routes(routes!(redeliver_delivery))
}

/// Query of `GET /api/v1/deliveries`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Only deliveries in this state: `pending`, `delivered` or `dead`.
    pub status: Option<String>,
    /// Only webhook deliveries to this endpoint.
    pub endpoint_id: Option<i64>,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`, not clamped.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; omit for the first page.
    #[param(schema_with = routes::int_cursor_schema)]
    pub cursor: Option<String>,
}

/// List deliveries
///
/// Lists the workspace's deliveries, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries",
    tag = "management",
    params(DeliveriesQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Deliveries, newest first", body = Page<Delivery>),
    )
)]
async fn list_deliveries(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<DeliveriesQuery>,
) -> ApiResult<Json<Page<Delivery>>> {
    let limit = routes::check_limit(query.limit)?;
    let before = match query.cursor.as_deref() {
        None => i64::MAX,
        Some(_) => routes::int_cursor(query.cursor.as_deref())?,
    };
    let status = query
        .status
        .as_deref()
        .map(|s| {
            DeliveryStatus::parse(s).ok_or_else(|| {
                ApiError::BadRequest(format!("status must be pending, delivered or dead, is '{s}'"))
            })
        })
        .transpose()?;
    let filter = Filter {
        status,
        endpoint_id: query.endpoint_id,
    };
    let mut conn = state.db.acquire().await?;
    let items = rows::page(&mut conn, key.workspace_id, filter, before, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |d| d.id.to_string())))
}

/// Delivery `delivery_id` (a path segment) of the workspace; 400/404 otherwise.
async fn find(state: &AppState, key: &ApiKey, delivery_id: &str) -> ApiResult<Delivery> {
    let id = routes::int_id(delivery_id)?;
    let mut conn = state.db.acquire().await?;
    rows::find(&mut conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no delivery {id}")))
}

/// Get a delivery
///
/// One delivery.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries/{delivery_id}",
    tag = "management",
    params(("delivery_id" = i64, Path, description = "Id of the delivery")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The delivery", body = Delivery),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_delivery(
    State(state): State<AppState>,
    key: ApiKey,
    Path(delivery_id): Path<String>,
) -> ApiResult<Json<Delivery>> {
    find(&state, &key, &delivery_id).await.map(Json)
}

/// List a delivery's attempts
///
/// Every finished attempt of one delivery, oldest first: when it ended, how long it took,
/// the receiver's HTTP status and the error. A redelivery's attempts follow, numbered from 1
/// again. Kept as long as the delivery.
#[utoipa::path(
    get,
    path = "/api/v1/deliveries/{delivery_id}/attempts",
    tag = "management",
    params(("delivery_id" = i64, Path, description = "Id of the delivery"), IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Attempts, oldest first", body = Page<DeliveryAttempt>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn list_delivery_attempts(
    State(state): State<AppState>,
    key: ApiKey,
    Path(delivery_id): Path<String>,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<DeliveryAttempt>>> {
    let id = routes::int_id(&delivery_id)?;
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = rows::attempts(&mut conn, key.workspace_id, id, after, limit + 1)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no delivery {id}")))?;
    Ok(Json(routes::page(items, limit, |a| a.id.to_string())))
}

/// Redeliver a delivery
///
/// Queues a `dead` or `delivered` delivery again: `pending`, due now, with a fresh set of
/// attempts and the same message id (`webhook-id`), so receivers can still dedupe it.
/// A webhook to a disabled or deleted endpoint ends `dead` again.
#[utoipa::path(
    post,
    path = "/api/v1/deliveries/{delivery_id}/redeliver",
    tag = "management",
    params(("delivery_id" = i64, Path, description = "Id of the delivery")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The delivery, pending again", body = Delivery),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn redeliver_delivery(
    State(state): State<AppState>,
    key: ApiKey,
    Path(delivery_id): Path<String>,
) -> ApiResult<Json<Delivery>> {
    let delivery = find(&state, &key, &delivery_id).await?;
    let queued = {
        let mut conn = state.db.acquire().await?;
        rows::redeliver(&mut conn, key.workspace_id, delivery.id, clock::now_ms()).await?
    };
    if !queued {
        return Err(ApiError::Conflict(format!(
            "delivery {} is pending already",
            delivery.id
        )));
    }
    state.outbox.notify_one();
    find(&state, &key, &delivery_id).await.map(Json)
}
