//! `POST /api/public/v1/channels/{channel_id}/sessions`: start or resume a visitor session.

use crate::chat;
use crate::client_ip::ClientIp;
use crate::error::ApiResult;
use crate::extract::{IdempotencyKey, Json, Path};
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
///
/// With an `Idempotency-Key` header a start creates at most one subscriber per key: a
/// retry with the same key (within the idempotency retention) answers 200 with that
/// subscriber, `created: true` and a new session token of it; the same key on another
/// channel is a 409 `conflict` ([`chat::open_session`]).
///
/// With `user` (`Parlo.setUser`) the visitor is the site's signed-in user: an `id` is taken
/// only with its `user_hash`, the lower-case hex HMAC-SHA256 of the id keyed with the
/// channel's identity secret, and then joins (or becomes) the workspace's subscriber with
/// that external id, the anonymous visitor's conversation merged into it; a missing or
/// wrong hash is a 403 `identity_invalid` and nothing is stored. `user.name`, `email`,
/// `phone` and `attributes` are stored as custom fields, `capture` (UTM parameters,
/// referrer, landing page) on the subscriber when it has none yet.
#[utoipa::path(
    post,
    path = "/api/public/v1/channels/{channel_id}/sessions",
    tag = "public",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `demo`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Client-generated key of this start, \
          1..=64 of `[A-Za-z0-9_-]` (a UUID is recommended), the same on every retry: one subscriber per key. \
          A retry with a known key answers 200 with the subscriber the first start created (`created: true`, \
          a new session token of it); the same key on another channel is a 409. Kept for the idempotency \
          retention (`--idempotency-retention-hours`, default 24). Ignored when `session_token` resumes a session."),
    ),
    request_body(content = Option<StartSession>, description = "Optional; an empty body counts as `{}`"),
    responses(
        (status = 201, description = "A subscriber was created and the start flow ran", body = Session),
        (status = 200, description = "The session of `session_token` was resumed, or a retry with a known `Idempotency-Key` got the subscriber its first start created", body = Session),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 429, response = crate::openapi::RateLimited),
    )
)]
async fn create_session(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    ClientIp(ip): ClientIp,
    IdempotencyKey(key): IdempotencyKey,
    body: Option<Json<StartSession>>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    state.public_limits.session(ip, Instant::now())?;
    let start = body.map(|Json(start)| start).unwrap_or_default();
    let opened = chat::open_session(&state, &channel_id, start, key).await?;
    let status = if opened.session.created && !opened.repeated {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(opened.session)))
}
