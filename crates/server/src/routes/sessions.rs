//! `POST /api/public/v1/channels/{channel_id}/sessions`: start or resume a visitor session.

use crate::chat;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, parse_json};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use parlo_model::chat::{Session, StartSession};
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
    )
)]
async fn create_session(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let start: StartSession = if body.is_empty() {
        StartSession::default()
    } else {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&body)?
    };
    let session = chat::open_session(&state, &channel_id, start.session_token).await?;
    let status = if session.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(session)))
}
