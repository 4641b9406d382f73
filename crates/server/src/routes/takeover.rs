//! Management API: human takeover — pause and resume the bot for a subscriber.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/subscribers/{subscriber_id}/pause-bot` | [`PauseBot`] (optional) → [`BotStatus`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/resume-bot` | → [`BotStatus`] |
//!
//! While paused, the visitor's messages are stored (and readable in the history) but the
//! bot does not answer them, delayed bot messages still waiting are dropped, and flows
//! cannot be started (409); agents answer with `POST …/messages`, and content can still
//! be sent. Pausing and resuming each add a system notice to the conversation, shown in
//! the widget. A timed pause ends by itself (peer: UChat `pause-bot` with minutes).

use crate::auth::ApiKey;
use crate::chat::{self, Turn};
use crate::clock;
use crate::db::{messages, scheduled};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::routes::subscribers::subscriber_id;
use crate::state::AppState;
use axum::extract::State;
use parlo_model::chat::{Author, MessageContent};
use parlo_model::conversation::{BotStatus, MAX_PAUSE_MINUTES, PauseBot};
use parlo_model::validate::{MemberRule, Rule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Notice added when the bot is paused.
pub const PAUSED_NOTICE: &str = "You're now chatting with a person from our team.";
/// Notice added when the bot is resumed.
pub const RESUMED_NOTICE: &str = "The assistant is back.";

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pause_bot))
        .routes(routes!(resume_bot))
}

/// What [`pause_bot`] checks of its body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 1] = [(
    "PauseBot",
    "minutes",
    Rule::Range {
        min: 1.0,
        max: MAX_PAUSE_MINUTES as f64,
    },
)];

/// Pause the bot for a subscriber (human takeover)
///
/// Pauses the bot for the subscriber, for `minutes` or until resumed (body omitted or
/// without `minutes`). Pausing a paused bot sets the new end without a second notice.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/pause-bot",
    tag = "management",
    description = "While paused, the subscriber's messages are stored but not answered by the \
                   bot, and delayed bot messages are dropped. The body is optional: \
                   `{\"minutes\": 30}` pauses for 30 minutes, no body or `{}` until `resume-bot`.",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    request_body(content = Option<PauseBot>, description = "Optional: no body pauses until `resume-bot`", content_type = "application/json"),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The bot is paused", body = BotStatus),
        (status = 404, response = doc::NotFound),
    )
)]
async fn pause_bot(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    body: Option<Json<PauseBot>>,
) -> ApiResult<Json<BotStatus>> {
    let id = subscriber_id(&id)?;
    let body = body.map(|Json(body)| body).unwrap_or_default();
    let until = match body.minutes {
        None => None,
        Some(m) if (1..=MAX_PAUSE_MINUTES).contains(&m) => Some(clock::format_rfc3339(
            time::OffsetDateTime::now_utc() + time::Duration::minutes(i64::from(m)),
        )),
        Some(_) => {
            return Err(ApiError::invalid(
                "/minutes",
                format!("must be 1..={MAX_PAUSE_MINUTES} minutes"),
            ));
        }
    };
    let (workspace_id, id, paused_until) = (key.workspace_id, id.to_owned(), until.clone());
    chat::turn(&state, move |conn| {
        Box::pin(async move {
            let mut turn = Turn::of_subscriber(conn, workspace_id, &id).await?;
            let (was_paused, _) = turn.bot_pause();
            let (conversation_id, now) = (turn.conversation_id, turn.now.clone());
            messages::pause_bot(turn.conn(), conversation_id, &now, paused_until.as_deref()).await?;
            scheduled::delete_for_conversation(turn.conn(), conversation_id).await?;
            if !was_paused {
                turn.append(Author::System, MessageContent::text(PAUSED_NOTICE));
            }
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    Ok(Json(BotStatus {
        paused: true,
        paused_until: until,
    }))
}

/// Resume the bot for a subscriber
///
/// Lets the bot answer the subscriber again; resuming a bot that is not paused changes
/// nothing.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/resume-bot",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The bot answers again", body = BotStatus),
        (status = 404, response = doc::NotFound),
    )
)]
async fn resume_bot(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> ApiResult<Json<BotStatus>> {
    let id = subscriber_id(&id)?;
    let (workspace_id, id) = (key.workspace_id, id.to_owned());
    chat::turn(&state, move |conn| {
        Box::pin(async move {
            let mut turn = Turn::of_subscriber(conn, workspace_id, &id).await?;
            let (was_paused, _) = turn.bot_pause();
            let conversation_id = turn.conversation_id;
            messages::resume_bot(turn.conn(), conversation_id).await?;
            if was_paused {
                turn.append(Author::System, MessageContent::text(RESUMED_NOTICE));
            }
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    Ok(Json(BotStatus {
        paused: false,
        paused_until: None,
    }))
}
