//! `POST /api/public/v1/channels/{channel_id}/sessions`: start or resume a visitor session.

use crate::chat;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, parse_json};
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use parlo_model::chat::{Session, StartSession};

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/public/v1/channels/{channel_id}/sessions",
        post(create_session),
    )
}

/// Body [`StartSession`] (an empty body counts as `{}`) → [`Session`]; 201 when a
/// subscriber was created (the start flow's messages are in the history), 200 on resume.
async fn create_session(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let start: StartSession = if body.iter().all(u8::is_ascii_whitespace) {
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
