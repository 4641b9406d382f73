//! `POST` and `GET /api/public/v1/channels/{channel_id}/messages`: send a visitor message,
//! read the history.

use crate::auth::Visitor;
use crate::chat;
use crate::db::messages;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use parlo_model::chat::{Message, SendMessage, SendMessageResponse};
use parlo_model::page::{DEFAULT_LIMIT, MAX_LIMIT, Page};
use serde::Deserialize;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/public/v1/channels/{channel_id}/messages",
        post(send_message).get(list_messages),
    )
}

/// Body [`SendMessage`] → [`SendMessageResponse`] (the visitor message, then the bot
/// replies produced at once). Idempotent by message id; see [`chat::send_message`].
async fn send_message(
    State(state): State<AppState>,
    Visitor(session): Visitor,
    Json(body): Json<SendMessage>,
) -> ApiResult<Json<SendMessageResponse>> {
    let messages = chat::send_message(&state, &session, body).await?;
    Ok(Json(SendMessageResponse { messages }))
}

/// Query of the history.
#[derive(Debug, Deserialize)]
struct HistoryQuery {
    /// Answer messages with a greater `seq` (default 0: from the start).
    after: Option<u64>,
    /// `next_cursor` of a previous page; same meaning as `after`.
    cursor: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400, not clamped.
    limit: Option<u32>,
}

/// `?after=<seq>&limit=<1..=100>` → [`Page`] of [`Message`]s in `seq` order;
/// `next_cursor` (the last `seq`, pass it as `after` or `cursor`) is set when more follow.
async fn list_messages(
    State(state): State<AppState>,
    Visitor(session): Visitor,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Page<Message>>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidCursor(format!(
            "limit must be 1..={MAX_LIMIT}, is {limit}"
        )));
    }
    let after = match (query.after, query.cursor) {
        (Some(_), Some(_)) => {
            return Err(ApiError::InvalidCursor(
                "give either after or cursor, not both".to_owned(),
            ));
        }
        (Some(after), None) => after,
        (None, Some(cursor)) => cursor
            .parse()
            .map_err(|_| ApiError::InvalidCursor(format!("unknown cursor '{cursor}'")))?,
        (None, None) => 0,
    };
    let mut conn = state.db.acquire().await?;
    let mut items = messages::range(&mut conn, session.conversation_id, after, u64::MAX, limit + 1).await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|m| m.seq.to_string())
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}
