//! `GET /api/public/v1/channels/{channel_id}`: the public channel configuration.

use crate::db::channels;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use parlo_model::channel::ChannelConfig;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/public/v1/channels/{channel_id}", get(get_channel))
}

/// Answers the [`ChannelConfig`] the widget draws itself from. 404 for an unknown channel.
async fn get_channel(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
) -> ApiResult<Json<ChannelConfig>> {
    let mut conn = state.db.acquire().await?;
    let channel = channels::find(&mut conn, &channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    Ok(Json(channel.config))
}
