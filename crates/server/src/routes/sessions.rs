//! `POST /api/public/v1/channels/{channel_id}/sessions`: start or resume a visitor session.

use crate::chat;
use crate::client_ip::ClientIp;
use crate::error::ApiResult;
use crate::extract::{Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::chat::{Session, StartSession};
use std::time::Instant;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_session))
}

/// Start or resume a visitor session
///
/// Body [`StartSession`] (an empty body counts as `{}`) → [`Session`]; 201 when a
/// subscriber was created (the start flow's messages are in the history), 200 on resume.
/// 429 past the sessions allowed per client IP ([`crate::rate_limit::public`]).
#[utoipa::path(
    post,
    path = "/api/public/v1/channels/{channel_id}/sessions",
    tag = "public",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`")),
    request_body(content = Option<StartSession>, description = "Optional; an empty body counts as `{}`"),
    responses(
        (status = 201, description = "A subscriber was created and the start flow ran", body = Session),
        (status = 200, description = "The session of `session_token` was resumed", body = Session),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 429, response = crate::openapi::RateLimited),
    )
)]
async fn create_session(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    ClientIp(ip): ClientIp,
    body: Option<Json<StartSession>>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    state.public_limits.session(ip, Instant::now())?;
    let start = body.map(|Json(start)| start).unwrap_or_default();
    let session = chat::open_session(&state, &channel_id, start.session_token).await?;
    let status = if session.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(session)))
}
