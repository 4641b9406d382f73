//! `POST` and `GET /api/public/v1/channels/{channel_id}/messages`: send a visitor message,
//! read the history; `POST …/read`: how far the visitor has seen it.

use crate::auth::{Visitor, VisitorTurn};
use crate::chat;
use crate::clock;
use crate::db::{broadcasts, messages};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::chat::{Message, ReadPosition, SendMessage, SendMessageResponse};
use parlo_model::page::Page;
use serde::Deserialize;
use std::time::Instant;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_message, list_messages))
        .routes(routes!(report_read))
}

/// Send a visitor message
///
/// Body [`SendMessage`] → [`SendMessageResponse`] (the visitor message, then the bot
/// replies produced at once). Idempotent by message id; see [`chat::send_message`]. 429
/// past the messages allowed per session ([`crate::rate_limit::public`]).
#[utoipa::path(
    post,
    path = "/api/public/v1/channels/{channel_id}/messages",
    tag = "public",
    description = "Idempotent by the message `id`: a retry with the same body answers the same \
                   messages; the same id with another body is a 409.",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`")),
    request_body = SendMessage,
    security(("session_token" = [])),
    responses(
        (status = 200, description = "The visitor message, then the bot's immediate replies", body = SendMessageResponse),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 429, response = crate::openapi::RateLimited),
    )
)]
async fn send_message(
    State(state): State<AppState>,
    VisitorTurn(session, bot): VisitorTurn,
    Json(body): Json<SendMessage>,
) -> ApiResult<Json<SendMessageResponse>> {
    state
        .public_limits
        .message(&session.subscriber_id, Instant::now())?;
    let messages = chat::send_message(&state, &session, bot, body).await?;
    Ok(Json(SendMessageResponse { messages }))
}

/// Query of the history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// Answer messages with a greater `seq` (default 0: from the start).
    after: Option<u64>,
    /// `next_cursor` of a previous page; same meaning as `after` (with both, the page
    /// starts after the greater).
    #[param(schema_with = routes::int_cursor_schema)]
    cursor: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400, not clamped.
    limit: Option<u32>,
}

/// Conversation history
///
/// `?after=<seq>&limit=<1..=100>` → [`Page`] of [`Message`]s in `seq` order;
/// `next_cursor` (the last `seq`, pass it as `after` or `cursor`) is set when more follow.
#[utoipa::path(
    get,
    path = "/api/public/v1/channels/{channel_id}/messages",
    tag = "public",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`"), HistoryQuery),
    security(("session_token" = [])),
    responses(
        (status = 200, description = "Messages in `seq` order", body = Page<Message>),
        (status = 403, response = crate::openapi::Forbidden),
    )
)]
async fn list_messages(
    State(state): State<AppState>,
    Visitor(session): Visitor,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Page<Message>>> {
    let limit = routes::check_limit(query.limit)?;
    let cursor = routes::int_cursor(query.cursor.as_deref())?.unsigned_abs();
    let after = query.after.unwrap_or(0).max(cursor);
    let mut conn = state.db.acquire().await?;
    let items = messages::range(&mut conn, session.conversation_id, after, u64::MAX, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |m| m.seq.to_string())))
}

/// Report what the visitor has seen
///
/// Body [`ReadPosition`] → 204. The widget reports the `seq` of the last message it shows
/// while its panel is open on a visible page; the broadcasts whose messages are at or
/// before it count the visitor as `read` ([`broadcasts::mark_read`]). Reporting an earlier
/// position again changes nothing. 429 past the read reports allowed per session
/// ([`crate::rate_limit::public`]).
#[utoipa::path(
    post,
    path = "/api/public/v1/channels/{channel_id}/read",
    tag = "public",
    params(("channel_id" = String, Path, description = "Public channel id, e.g. `demo`")),
    request_body = ReadPosition,
    security(("session_token" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 429, response = crate::openapi::RateLimited),
    )
)]
async fn report_read(
    State(state): State<AppState>,
    Visitor(session): Visitor,
    Json(body): Json<ReadPosition>,
) -> ApiResult<StatusCode> {
    state.public_limits.read(&session.subscriber_id, Instant::now())?;
    let mut conn = state.db.acquire().await?;
    broadcasts::mark_read(&mut conn, &session.subscriber_id, body.seq, &clock::now_rfc3339()).await?;
    Ok(StatusCode::NO_CONTENT)
}
