//! Management API: `GET /api/v1/subscribers/{subscriber_id}` → [`Subscriber`].

use crate::auth::ApiKey;
use crate::db::subscribers;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use parlo_model::subscriber::Subscriber;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/subscribers/{subscriber_id}", get(get_subscriber))
}

/// The subscriber with its fields and tags; 404 when not of the key's workspace.
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
