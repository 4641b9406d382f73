//! Management API: the owner's inbox — the workspace's conversations, newest activity
//! first, and the read marker behind their unread counts.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/conversations?limit=&cursor=&channel=&unread=&bot_paused=&handed_over=` | → `Page<ConversationSummary>` |
//! | POST | `/api/v1/subscribers/{subscriber_id}/read` | [`MarkRead`] (optional) → [`ReadMarker`] |
//!
//! Reading a conversation's history, replying, pausing the bot, tags and fields are the
//! subscriber routes; the live updates are the workspace event stream ([`super::workspace_events`]).

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{inbox, messages};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, subscribers::subscriber_id};
use crate::state::AppState;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use parlo_model::inbox::{ConversationSummary, MarkRead, ReadMarker};
use parlo_model::page::Page;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(mark_conversation_read))
}

/// Filters and page of `GET /api/v1/conversations`; every filter given must match.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListConversations {
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page; any other value is a 400 `invalid_cursor`.
    cursor: Option<String>,
    /// Only conversations on this channel id.
    channel: Option<String>,
    /// `true`: only conversations with unread visitor messages; `false`: only those without.
    unread: Option<bool>,
    /// `true`: only conversations whose bot is paused; `false`: only those where it answers.
    bot_paused: Option<bool>,
    /// `true`: only conversations handed over to a person by a flow; `false`: the others.
    handed_over: Option<bool>,
}

/// The cursor after a conversation: base64url of its last activity and row id.
fn cursor_of(activity: &str, conversation_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{activity},{conversation_id}"))
}

/// The `(activity, conversation id)` of a cursor; 400 `invalid_cursor` for one not issued
/// here.
fn parse_cursor(cursor: &str) -> ApiResult<(String, i64)> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| {
            let (at, id) = s.rsplit_once(',')?;
            Some((at.to_owned(), id.parse().ok()?))
        })
        .ok_or_else(|| ApiError::InvalidCursor(format!("unknown cursor '{cursor}'")))
}

/// List the inbox's conversations
///
/// The workspace's conversations (each subscriber's conversation on the channel it came
/// through), newest activity first: the time of the newest message, else of the
/// conversation's start. Each carries the subscriber's name and e-mail when known, the
/// newest message, the unread count (visitor messages after the read marker), and whether
/// the bot is paused or the conversation was handed over to a person.
#[utoipa::path(
    get,
    path = "/api/v1/conversations",
    tag = "management",
    params(ListConversations),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Conversations, newest activity first", body = Page<ConversationSummary>),
    )
)]
async fn list_conversations(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListConversations>,
) -> ApiResult<Json<Page<ConversationSummary>>> {
    let limit = routes::check_limit(query.limit)?;
    let after = query.cursor.as_deref().map(parse_cursor).transpose()?;
    let filter = inbox::Filter {
        channel: query.channel,
        unread: query.unread,
        bot_paused: query.bot_paused,
        handed_over: query.handed_over,
    };
    let mut conn = state.db.acquire().await?;
    let after = after.as_ref().map(|(at, id)| (at.as_str(), *id));
    let mut rows = inbox::list(
        &mut conn,
        key.workspace_id,
        &filter,
        after,
        &clock::now_rfc3339(),
        limit + 1,
    )
    .await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last()
            .map(|row| cursor_of(&row.summary.last_activity_at, row.conversation_id))
    } else {
        None
    };
    Ok(Json(Page {
        items: rows.into_iter().map(|row| row.summary).collect(),
        next_cursor,
    }))
}

/// Mark a conversation read
///
/// Moves the owner's read marker of the subscriber's conversation forward to `seq` (the
/// newest message when omitted), so its visitor messages up to there no longer count as
/// unread. A marker never moves back: a smaller `seq` changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/read",
    tag = "management",
    description = "The body is optional: no body or `{}` marks every message so far read. A `seq` \
                   after the conversation's newest message is a 422 at `/seq`.",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    request_body(content = Option<MarkRead>, description = "Optional: no body marks everything read", content_type = "application/json"),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The read marker and unread count now", body = ReadMarker),
        (status = 404, response = doc::NotFound),
    )
)]
async fn mark_conversation_read(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    body: Option<Json<MarkRead>>,
) -> ApiResult<Json<ReadMarker>> {
    let id = subscriber_id(&id)?;
    let seq = body.and_then(|Json(body)| body.seq);
    let mut conn = state.db.acquire().await?;
    let conversation = messages::conversation_of(&mut conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{id}'")))?;
    let last_seq = match conversation {
        Some(conversation_id) => messages::last_seq(&mut conn, conversation_id).await?,
        None => 0,
    };
    let seq = seq.unwrap_or(last_seq);
    if seq > last_seq {
        return Err(ApiError::invalid(
            "/seq",
            format!("must be at most {last_seq}, the seq of the conversation's newest message"),
        ));
    }
    let (read_seq, unread_count) = match conversation {
        // One statement that only moves the marker forward: no write lock needed, and the
        // check above stays true (messages are only added).
        Some(conversation_id) => inbox::mark_read(&mut conn, conversation_id, seq).await?,
        None => (0, 0),
    };
    Ok(Json(ReadMarker {
        read_seq,
        unread_count,
    }))
}
