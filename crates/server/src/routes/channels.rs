//! `GET /api/public/v1/channels/{channel_id}`: the public channel configuration.
//!
//! Channels have no management route yet: they come from the demo seed (`seed.rs`).

use crate::db::{channels, forms};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use parlo_model::channel::ChannelConfig;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_channel))
}

/// Answers the [`ChannelConfig`] the widget draws itself from. 404 for an unknown channel.
/// A `pre_chat_form` that is not a published form of the channel's workspace is left out
/// (`null`), so the widget goes straight to the chat instead of showing a form that fails.
#[utoipa::path(
    get,
    path = "/api/public/v1/channels/{channel_id}",
    tag = "public",
    summary = "Channel configuration",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`")),
    responses(
        (status = 200, description = "What the widget draws itself from", body = ChannelConfig),
        (status = 404, response = crate::openapi::NotFound),
    )
)]
async fn get_channel(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
) -> ApiResult<Json<ChannelConfig>> {
    let mut conn = state.db.acquire().await?;
    let mut channel = channels::find(&mut conn, &channel_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no channel '{channel_id}'")))?;
    if let Some(form_id) = &channel.config.pre_chat_form {
        let form = forms::find(&mut conn, channel.workspace_id, form_id.as_str()).await?;
        if !form.is_some_and(|f| f.published) {
            channel.config.pre_chat_form = None;
        }
    }
    Ok(Json(channel.config))
}
