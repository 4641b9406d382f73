//! Management API: `GET /api/v1/subscribers/{subscriber_id}` → [`Subscriber`].

use crate::auth::ApiKey;
use crate::db::subscribers;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::state::AppState;
use axum::extract::State;
use parlo_model::subscriber::Subscriber;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_subscriber))
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
    subscribers::find(&mut conn, key.workspace_id, &subscriber_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{subscriber_id}'")))
}
