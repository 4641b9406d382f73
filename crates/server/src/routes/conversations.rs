//! Management API: a subscriber's conversation — its history, and messages written by a
//! human agent.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/subscribers/{subscriber_id}/messages?from=&to=&limit=&cursor=&include_bot=&include_system=` | → `Page<Message>` |
//! | POST | `/api/v1/subscribers/{subscriber_id}/messages` | [`AgentMessage`] → [`SentMessages`] |

use crate::auth::ApiKey;
use crate::chat::{self, Turn};
use crate::db::messages::{self, HistoryFilter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, subscribers::subscriber_id};
use crate::state::AppState;
use axum::extract::State;
use parlo_model::chat::{Author, Message, MessageContent};
use parlo_model::conversation::{AgentMessage, SentMessages};
use parlo_model::flow::MAX_TEXT_CHARS;
use parlo_model::page::Page;
use parlo_model::validate::{MemberRule, non_blank};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What [`send_agent_message`] checks of its body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 1] = [("AgentMessage", "text", non_blank(MAX_TEXT_CHARS))];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_subscriber_messages, send_agent_message))
}

/// Query of the history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// Only messages stored at or after this RFC 3339 date-time.
    from: Option<String>,
    /// Only messages stored at or before this RFC 3339 date-time; 400 `invalid_date_range`
    /// when before `from`.
    to: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = routes::int_cursor_schema)]
    cursor: Option<String>,
    /// Include the bot's messages (default `true`).
    include_bot: Option<bool>,
    /// Include system notices such as "the bot is paused" (default `true`).
    include_system: Option<bool>,
}

/// Conversation history of a subscriber
///
/// The subscriber's conversation in `seq` order (oldest first): visitor and agent messages
/// always, bot messages and system notices unless excluded.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{subscriber_id}/messages",
    tag = "management",
    params(
        ("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`"),
        HistoryQuery
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Messages in `seq` order", body = Page<Message>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn list_subscriber_messages(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> ApiResult<Json<Page<Message>>> {
    let id = subscriber_id(&id)?;
    let limit = routes::check_limit(query.limit)?;
    let (from, to) = routes::date_range(["from", "to"], query.from.as_deref(), query.to.as_deref())?;
    let after_seq = routes::int_cursor(query.cursor.as_deref())?.unsigned_abs();
    let filter = HistoryFilter {
        from,
        to,
        after_seq,
        include_bot: query.include_bot.unwrap_or(true),
        include_system: query.include_system.unwrap_or(true),
    };
    let mut conn = state.db.acquire().await?;
    let conversation = messages::conversation_of(&mut conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{id}'")))?;
    let items = match conversation {
        Some(conversation_id) => messages::history(&mut conn, conversation_id, &filter, limit + 1).await?,
        None => Vec::new(),
    };
    Ok(Json(routes::page(items, limit, |m| m.seq.to_string())))
}

/// Send a message as a human agent
///
/// Sends a message written by a person (author `agent`), shown at once in the
/// subscriber's open widget and kept for the next visit. The bot is not paused by this;
/// pause it (`pause-bot`) to take the conversation over.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/messages",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    request_body = AgentMessage,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The stored agent message", body = SentMessages),
        (status = 404, response = doc::NotFound),
    )
)]
async fn send_agent_message(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    Json(body): Json<AgentMessage>,
) -> ApiResult<Json<SentMessages>> {
    let id = subscriber_id(&id)?;
    let text = parlo_model::validate::check_text(&body.text, MAX_TEXT_CHARS)
        .map_err(|problem| ApiError::invalid("/text", problem))?;
    let (workspace_id, id, text) = (key.workspace_id, id.to_owned(), text.to_owned());
    let ((), outcome) = chat::turn(&state, move |conn| {
        Box::pin(async move {
            let mut turn = Turn::of_subscriber(conn, workspace_id, &id).await?;
            turn.append(Author::Agent, MessageContent::text(text));
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    Ok(Json(outcome.into()))
}
