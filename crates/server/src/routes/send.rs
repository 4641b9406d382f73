//! Management API: send a flow or content to a subscriber.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/subscribers/{subscriber_id}/send-flow` | [`SendFlow`] → [`SentMessages`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/send-content` | [`SendContent`] → [`SentMessages`] |
//!
//! What is sent appears at once in the subscriber's open widget (event stream) and stays
//! in the conversation for their next visit (see [`crate::chat`]).

use crate::auth::ApiKey;
use crate::chat::{self, AlsoInTurn, Turn};
use crate::content::Checker;
use crate::db::{custom_fields, flows, subscribers, tags};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::field_values;
use crate::openapi as doc;
use crate::routes::{self, subscribers::subscriber_id};
use crate::state::AppState;
use axum::extract::State;
use parlo_model::chat::{Author, MessageContent};
use parlo_model::conversation::{
    ContentAction, MAX_CONTENT_ACTIONS, MAX_CONTENT_MESSAGES, MAX_PAYLOAD_VARIABLES, SendContent, SendFlow,
    SentMessages,
};
use parlo_model::flow::MAX_TEXT_CHARS;
use parlo_model::problem::FieldError;
use parlo_model::tag::IdOrName;
use parlo_model::validate::{MemberRule, items};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What [`send_content`] checks of its body's lists, for the API document.
pub const SCHEMA_RULES: [MemberRule; 2] = [
    ("SendContent", "messages", items(0, MAX_CONTENT_MESSAGES)),
    ("SendContent", "actions", items(0, MAX_CONTENT_ACTIONS)),
];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_flow))
        .routes(routes!(send_content))
}

/// Payload variables as strings, checked (rules on [`SendFlow::payload`]).
pub(crate) fn payload_variables(payload: BTreeMap<String, Value>) -> ApiResult<BTreeMap<String, String>> {
    let mut errors = Vec::new();
    if payload.len() > MAX_PAYLOAD_VARIABLES {
        errors.push(FieldError::new(
            "/payload",
            format!("at most {MAX_PAYLOAD_VARIABLES} variables"),
        ));
    }
    let mut variables = BTreeMap::new();
    for (key, value) in payload {
        let at = format!("/payload/{}", key.replace('~', "~0").replace('/', "~1"));
        if !(1..=64).contains(&key.len()) || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            errors.push(FieldError::new(
                at.clone(),
                "keys must be 1..=64 of A-Z, a-z, 0-9 and _",
            ));
        }
        let text = match value {
            Value::String(s) if s.chars().count() <= MAX_TEXT_CHARS => s,
            Value::String(_) => {
                errors.push(FieldError::new(
                    at,
                    format!("at most {MAX_TEXT_CHARS} characters"),
                ));
                continue;
            }
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                errors.push(FieldError::new(at, "must be a string, number or boolean"));
                continue;
            }
        };
        variables.insert(key, text);
    }
    ApiError::unless_any(errors)?;
    Ok(variables)
}

/// Send a flow to a subscriber
///
/// Runs a flow of the workspace for the subscriber, from its start step, with payload
/// variables for its `{{payload.<key>}}` templates; answers the bot messages sent now.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/send-flow",
    tag = "management",
    description = "Runs the flow from its start step in the subscriber's conversation, with \
                   `payload` variables usable in its texts as `{{payload.<key>}}` (fallback: \
                   `{{payload.<key>|text}}`). The messages appear at once in the subscriber's open \
                   widget and stay for the next visit; messages after a delay step follow later \
                   (`delayed: true`). 404 when the workspace has no such subscriber; 422 at \
                   `/flow_id` when it has no such flow; 409 while the bot is paused for the \
                   subscriber.",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    request_body = SendFlow,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The bot messages sent now", body = SentMessages),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn send_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    Json(body): Json<SendFlow>,
) -> ApiResult<Json<SentMessages>> {
    let id = subscriber_id(&id)?;
    let payload = payload_variables(body.payload)?;
    chat::start_flow(&state, key.workspace_id, id, &body.flow_id, payload, None)
        .await
        .map(Json)
}

/// A checked [`ContentAction`], resolved to record ids.
enum Change {
    AddTag(i64),
    RemoveTag(i64),
    SetField(i64, String),
    ClearField(i64),
}

/// Resolves and checks action `i`, pushing problems to `errors`.
async fn resolve_action(
    turn: &mut Turn<'_>,
    workspace_id: i64,
    i: usize,
    action: &ContentAction,
    errors: &mut Vec<FieldError>,
) -> ApiResult<Option<Change>> {
    let now = turn.now.clone();
    let conn = turn.conn();
    Ok(match action {
        ContentAction::AddTag {
            tag: IdOrName::Name(name),
        } => match routes::check_name(&format!("/actions/{i}/tag"), name) {
            Ok(name) => Some(Change::AddTag(
                tags::ensure(conn, workspace_id, &name, &now).await?,
            )),
            Err(ApiError::Validation(e)) => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        },
        ContentAction::AddTag { tag } | ContentAction::RemoveTag { tag } => {
            match tags::find(conn, workspace_id, tag).await? {
                Some(found) if matches!(action, ContentAction::AddTag { .. }) => {
                    Some(Change::AddTag(found.id))
                }
                Some(found) => Some(Change::RemoveTag(found.id)),
                None => {
                    errors.push(FieldError::new(
                        format!("/actions/{i}/tag"),
                        format!("no tag {tag}"),
                    ));
                    None
                }
            }
        }
        ContentAction::SetField { field, .. } | ContentAction::ClearField { field } => {
            let Some(found) = custom_fields::find(conn, workspace_id, field).await? else {
                errors.push(FieldError::new(
                    format!("/actions/{i}/field"),
                    format!("no custom field {field}"),
                ));
                return Ok(None);
            };
            match action {
                ContentAction::SetField { value, .. } => {
                    match field_values::canonical(found.field_type, value) {
                        Ok(value) => Some(Change::SetField(found.id, value)),
                        Err(message) => {
                            errors.push(FieldError::new(format!("/actions/{i}/value"), message));
                            None
                        }
                    }
                }
                _ => Some(Change::ClearField(found.id)),
            }
        }
    })
}

/// Send content to a subscriber
///
/// Sends messages (text, image, card, carousel, with buttons and quick replies) as the
/// bot and applies actions to the subscriber, together or not at all.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/send-content",
    tag = "management",
    description = "Messages of kinds `text`, `image`, `card` and `carousel`, with buttons \
                   (`url`: opens an http/https link; `flow`: starts that flow) and quick replies \
                   (`flow`), plus actions on the subscriber (`add_tag`, `remove_tag`, `set_field`, \
                   `clear_field`). Everything is checked first; 422 lists every problem with its \
                   JSON pointer. The messages appear at once in the subscriber's open widget and \
                   stay for the next visit. Content is sent even while the bot is paused.",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    request_body = SendContent,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The messages sent", body = SentMessages),
        (status = 404, response = doc::NotFound),
    )
)]
async fn send_content(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
    Json(body): Json<SendContent>,
) -> ApiResult<Json<SentMessages>> {
    let id = subscriber_id(&id)?;
    deliver_content(&state, key.workspace_id, id, body, None)
        .await
        .map(Json)
}

/// Sends `body` to subscriber `id` of the workspace as `POST …/send-content` does (see
/// its description): everything is checked first, then the messages are stored, the
/// actions applied and `also` run (see [`AlsoInTurn`]) in one turn, and the messages are
/// published to the subscriber's open widget.
///
/// # Errors
/// 404 when the workspace has no such subscriber; 422 listing every problem of `body`;
/// the error of `also`.
pub(crate) async fn deliver_content(
    state: &AppState,
    workspace_id: i64,
    id: &str,
    body: SendContent,
    also: Option<AlsoInTurn>,
) -> ApiResult<SentMessages> {
    let mut errors = Vec::new();
    if body.messages.is_empty() && body.actions.is_empty() {
        errors.push(FieldError::new("", "send at least one message or action"));
    }
    if body.messages.len() > MAX_CONTENT_MESSAGES {
        errors.push(FieldError::new(
            "/messages",
            format!("at most {MAX_CONTENT_MESSAGES} messages"),
        ));
    }
    if body.actions.len() > MAX_CONTENT_ACTIONS {
        errors.push(FieldError::new(
            "/actions",
            format!("at most {MAX_CONTENT_ACTIONS} actions"),
        ));
    }
    let id = id.to_owned();
    let ((), outcome) = chat::turn(state, move |conn| {
        Box::pin(async move {
            let mut turn = Turn::of_subscriber(conn, workspace_id, &id).await?;
            let flow_ids: HashSet<String> =
                flows::ids(turn.conn(), workspace_id).await?.into_iter().collect();
            let contents: Vec<MessageContent> = {
                let exists = |flow: &str| flow_ids.contains(flow);
                let mut checker = Checker::new(&exists);
                let contents = body
                    .messages
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| checker.message(&format!("/messages/{i}"), m))
                    .collect();
                errors.append(&mut checker.errors);
                contents
            };
            let mut changes = Vec::new();
            for (i, action) in body.actions.iter().enumerate() {
                changes.extend(resolve_action(&mut turn, workspace_id, i, action, &mut errors).await?);
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let now = turn.now.clone();
            for change in changes {
                let conn = turn.conn();
                match change {
                    Change::AddTag(tag) => subscribers::add_tag(conn, &id, tag, &now).await?,
                    Change::RemoveTag(tag) => subscribers::remove_tag(conn, &id, tag).await?,
                    Change::SetField(field, value) => {
                        subscribers::set_field(conn, &id, field, &value, &now).await?
                    }
                    Change::ClearField(field) => subscribers::clear_field(conn, &id, field).await?,
                }
            }
            for content in contents {
                turn.append(Author::Bot, content);
            }
            if let Some(also) = also {
                turn.store_messages().await?;
                also(turn.conn()).await?;
            }
            Ok(((), turn.finish().await?))
        })
    })
    .await?;
    Ok(outcome.into())
}
