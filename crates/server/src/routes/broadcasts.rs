//! Management API: broadcasts (see [`parlo_model::broadcast`]; sent by
//! [`crate::broadcasts`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | POST | `/api/v1/broadcasts` | [`Broadcast`], 201 |
//! | GET | `/api/v1/broadcasts?limit=&cursor=` | `Page<Broadcast>` in id order |
//! | GET | `/api/v1/broadcasts/{broadcast_id}` | [`Broadcast`] with its statistics |
//! | POST | `/api/v1/broadcasts/{broadcast_id}/cancel` | [`Broadcast`]; 409 once `done` |
//! | GET | `/api/v1/broadcasts/{broadcast_id}/recipients?limit=&cursor=` | `Page<BroadcastRecipient>` in sending order |

use crate::auth::ApiKey;
use crate::clock;
use crate::content::Checker;
use crate::db::{self, broadcasts, channels, flows, subscribers, tags};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::forms::automation_references;
use crate::openapi as doc;
use crate::routes::{self, IntListQuery, flows::missing_records, send::payload_variables};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::broadcast::{
    Audience, Broadcast, BroadcastContent, BroadcastRecipient, BroadcastState, CreateBroadcast,
    DEFAULT_RATE_PER_SECOND, MAX_AUTOMATIONS, MAX_NAME_CHARS, MAX_RATE_PER_SECOND, MAX_SUBSCRIBER_IDS,
    MAX_TAGS,
};
use parlo_model::conversation::MAX_CONTENT_MESSAGES;
use parlo_model::flow::{Condition, Flow, MAX_CONDITIONS, MAX_TAG_CHARS, Step};
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::subscriber::is_valid_subscriber_id;
use parlo_model::tag::IdOrName;
use parlo_model::validate::{MemberRule, Rule, items, non_blank};
use std::collections::{BTreeMap, HashSet};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What [`create_broadcast`] checks of its body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 7] = [
    ("CreateBroadcast", "name", non_blank(MAX_NAME_CHARS)),
    (
        "CreateBroadcast",
        "rate_per_second",
        Rule::Range {
            min: 1.0,
            max: MAX_RATE_PER_SECOND as f64,
        },
    ),
    (
        "BroadcastContentMessages",
        "messages",
        items(1, MAX_CONTENT_MESSAGES),
    ),
    ("Audience", "subscriber_ids", items(0, MAX_SUBSCRIBER_IDS)),
    ("Audience", "tags", items(0, MAX_TAGS)),
    ("Audience", "conditions", items(0, MAX_CONDITIONS)),
    ("CreateBroadcast", "automations", items(0, MAX_AUTOMATIONS)),
];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_broadcasts, create_broadcast))
        .routes(routes!(get_broadcast))
        .routes(routes!(cancel_broadcast))
        .routes(routes!(list_broadcast_recipients))
}

/// List broadcasts
///
/// Lists the workspace's broadcasts in id order (oldest first), each with its statistics.
#[utoipa::path(
    get,
    path = "/api/v1/broadcasts",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Broadcasts in id order", body = Page<Broadcast>),
    )
)]
async fn list_broadcasts(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<Broadcast>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = broadcasts::page(&mut conn, key.workspace_id, after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |b| b.id.to_string())))
}

/// Create a broadcast
///
/// Schedules a flow or messages for an audience, sent at `send_at` (absent or past: now)
/// at `rate_per_second`.
#[utoipa::path(
    post,
    path = "/api/v1/broadcasts",
    tag = "management",
    description = "`content` is a flow of the workspace with `payload` variables (as `send-flow` \
                   takes them; a recipient whose bot is paused fails) or 1..=10 messages (as \
                   `send-content` takes them). `audience` names exactly one of `subscriber_ids`, \
                   `tags` (`match`: `all` or `any`) and `conditions` (a segment: the conditions \
                   of flow condition steps but `business_hours`, combined by `match`), and \
                   optionally a `channel_id`; every tag, field, channel, flow and subscriber \
                   named must exist. The audience is resolved once, at `send_at`; each \
                   recipient then gets the content once in their conversation (live in an \
                   open widget, else on the next visit), at most `rate_per_second` per second \
                   in all (1..=100000, default 20; server instances share the rate), in \
                   batches of a tenth of a second of the rate (at most 500 recipients, each \
                   batch stored in one transaction); a rate above what the server writes \
                   means as fast as it can. `automations` (`webhook`, `email`) run when it is \
                   done, with event `broadcast.finished` whose data is the broadcast. With \
                   `email_copy` (`messages` content only) each recipient with an e-mail \
                   address (custom field `email`) who has not opted out also gets the \
                   messages by e-mail, with a one-click unsubscribe link (RFC 8058). 422 lists \
                   every problem with its JSON pointer.",
    request_body = CreateBroadcast,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Scheduled", body = Broadcast),
    )
)]
async fn create_broadcast(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateBroadcast>,
) -> ApiResult<(StatusCode, Json<Broadcast>)> {
    let mut conn = state.db.acquire().await?;
    let checked = check(&mut conn, key.workspace_id, &body).await?;
    let now = clock::now_rfc3339();
    let id = broadcasts::create(
        &mut conn,
        &broadcasts::NewBroadcast {
            workspace_id: key.workspace_id,
            name: body.name.trim(),
            content: &body.content,
            audience: &body.audience,
            automations: &body.automations,
            send_at: &checked.send_at,
            send_at_ms: checked.send_at_ms,
            rate_per_second: checked.rate_per_second,
            email_copy: body.email_copy,
            created_at: &now,
        },
    )
    .await?;
    state.broadcasts.notify_one();
    let broadcast = broadcasts::find(&mut conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("broadcast {id} just stored is gone"))?;
    Ok((StatusCode::CREATED, Json(broadcast)))
}

/// What [`check`] made of a valid body.
struct Checked {
    /// When to send, RFC 3339 UTC: the body's time, or now when it is absent or past.
    send_at: String,
    /// The same, Unix milliseconds.
    send_at_ms: i64,
    /// Recipients per second.
    rate_per_second: u32,
}

/// Checks a `POST /broadcasts` body against the rules of [`CreateBroadcast`]; 422 listing
/// every problem.
async fn check(conn: &mut db::Connection, workspace_id: i64, body: &CreateBroadcast) -> ApiResult<Checked> {
    let mut errors = Vec::new();
    if let Err(problem) = parlo_model::validate::check_text(&body.name, MAX_NAME_CHARS) {
        errors.push(FieldError::new("/name", problem));
    }
    check_content(conn, workspace_id, &body.content, &mut errors).await?;
    if body.email_copy && matches!(body.content, BroadcastContent::Flow { .. }) {
        errors.push(FieldError::new(
            "/email_copy",
            "e-mail copies are of 'messages' content: a flow's messages are known only as it runs",
        ));
    }
    check_audience(conn, workspace_id, &body.audience, &mut errors).await?;
    let now_ms = clock::now_ms();
    let send_at_ms = match body.send_at.as_deref().map(parse_ms) {
        None => Some(now_ms),
        Some(Some(at_ms)) => Some(at_ms.max(now_ms)),
        Some(None) => {
            errors.push(FieldError::new("/send_at", "must be an RFC 3339 date-time"));
            None
        }
    };
    if body.automations.len() > MAX_AUTOMATIONS {
        errors.push(FieldError::new(
            "/automations",
            format!("at most {MAX_AUTOMATIONS} automations"),
        ));
    }
    for (i, automation) in body.automations.iter().enumerate() {
        let at = format!("/automations/{i}");
        errors.extend(automation.check(&at));
        if automation.needs_subscriber() {
            errors.push(FieldError::new(
                at,
                "a broadcast has no one subscriber to act on: use 'webhook' or 'email'",
            ));
        }
    }
    errors.extend(automation_references(conn, workspace_id, &body.automations).await?);
    let rate_per_second = body.rate_per_second.unwrap_or(DEFAULT_RATE_PER_SECOND);
    if !(1..=MAX_RATE_PER_SECOND).contains(&rate_per_second) {
        errors.push(FieldError::new(
            "/rate_per_second",
            format!("must be 1..={MAX_RATE_PER_SECOND}"),
        ));
    }
    ApiError::unless_any(errors)?;
    let send_at_ms = send_at_ms.unwrap_or(now_ms);
    Ok(Checked {
        send_at: format_ms(send_at_ms),
        send_at_ms,
        rate_per_second,
    })
}

/// An RFC 3339 date-time (any offset, years 1..=9999) as Unix milliseconds.
fn parse_ms(text: &str) -> Option<i64> {
    let stored = clock::parse_rfc3339(text)?;
    let at = time::OffsetDateTime::parse(&stored, &time::format_description::well_known::Rfc3339).ok()?;
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Unix milliseconds as stored RFC 3339 UTC.
fn format_ms(at_ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    clock::format_rfc3339(at)
}

/// Problems of `errors` found at `/<prefix>…`, moved under `/<into>` (e.g. the payload
/// checks of `send-flow` reported inside `/content`).
fn moved(errors: Vec<FieldError>, prefix: &str, into: &str) -> impl Iterator<Item = FieldError> {
    errors.into_iter().map(move |e| {
        let rest = e.pointer.strip_prefix(prefix).unwrap_or(&e.pointer);
        FieldError::new(format!("{into}{rest}"), e.message)
    })
}

/// Checks the content: the flow exists and its payload is as `send-flow` takes it, or the
/// messages are as `send-content` takes them.
async fn check_content(
    conn: &mut db::Connection,
    workspace_id: i64,
    content: &BroadcastContent,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    match content {
        BroadcastContent::Flow { flow_id, payload } => {
            if flows::find(conn, workspace_id, flow_id.as_str()).await?.is_none() {
                errors.push(FieldError::new(
                    "/content/flow_id",
                    format!("no flow '{flow_id}' in this workspace"),
                ));
            }
            match payload_variables(payload.clone()) {
                Ok(_) => {}
                Err(ApiError::Validation(problems)) => errors.extend(moved(problems, "", "/content")),
                Err(e) => return Err(e),
            }
        }
        BroadcastContent::Messages { messages } => {
            if !(1..=MAX_CONTENT_MESSAGES).contains(&messages.len()) {
                errors.push(FieldError::new(
                    "/content/messages",
                    format!("must hold 1..={MAX_CONTENT_MESSAGES} messages"),
                ));
            }
            let flow_ids: HashSet<String> = flows::ids(conn, workspace_id).await?.into_iter().collect();
            let exists = |flow: &str| flow_ids.contains(flow);
            let mut checker = Checker::new(&exists);
            for (i, message) in messages.iter().enumerate() {
                checker.message(&format!("/content/messages/{i}"), message.clone());
            }
            errors.append(&mut checker.errors);
        }
    }
    Ok(())
}

/// Checks the audience: exactly one kind, each subscriber, tag and channel exists, and the
/// conditions are valid as a flow condition step's (checked by the flow rules, on a
/// one-step flow holding them) and read existing tags, fields and channels.
async fn check_audience(
    conn: &mut db::Connection,
    workspace_id: i64,
    audience: &Audience,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    let kinds = [
        !audience.subscriber_ids.is_empty(),
        !audience.tags.is_empty(),
        !audience.conditions.is_empty(),
    ];
    if kinds.iter().filter(|&&set| set).count() != 1 {
        errors.push(FieldError::new(
            "/audience",
            "set exactly one of 'subscriber_ids', 'tags' and 'conditions'",
        ));
    }
    if audience.subscriber_ids.len() > MAX_SUBSCRIBER_IDS {
        errors.push(FieldError::new(
            "/audience/subscriber_ids",
            format!("at most {MAX_SUBSCRIBER_IDS} subscribers"),
        ));
    } else {
        let mut seen = HashSet::new();
        for (i, id) in audience.subscriber_ids.iter().enumerate() {
            let at = format!("/audience/subscriber_ids/{i}");
            if !seen.insert(id.as_str()) {
                errors.push(FieldError::new(at, "listed twice"));
            } else if !is_valid_subscriber_id(id.as_str())
                || subscribers::find(conn, workspace_id, id.as_str())
                    .await?
                    .is_none()
            {
                errors.push(FieldError::new(
                    at,
                    format!("no subscriber '{id}' in this workspace"),
                ));
            }
        }
    }
    if audience.tags.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "/audience/tags",
            format!("at most {MAX_TAGS} tags"),
        ));
    } else {
        for (i, tag) in audience.tags.iter().enumerate() {
            let at = format!("/audience/tags/{i}");
            let found = match parlo_model::validate::check_text(tag, MAX_TAG_CHARS) {
                Ok(_) => tags::find(conn, workspace_id, &IdOrName::Name(tag.clone())).await?,
                Err(_) => None,
            };
            if found.is_none() {
                errors.push(FieldError::new(
                    at,
                    format!("no tag named '{tag}' in this workspace"),
                ));
            }
        }
    }
    if !audience.conditions.is_empty() {
        let step = "segment";
        let segment = Flow {
            id: step.into(),
            name: step.to_owned(),
            start: step.into(),
            steps: BTreeMap::from([(
                step.into(),
                Step::Condition {
                    matching: audience.matching,
                    conditions: audience.conditions.clone(),
                    then: None,
                    otherwise: None,
                },
            )]),
            folder: None,
        };
        let at = format!("/steps/{step}");
        errors.extend(moved(segment.validate(), &at, "/audience"));
        let missing = missing_records(conn, workspace_id, segment.needed_records()).await?;
        errors.extend(moved(missing, &at, "/audience"));
        for (i, condition) in audience.conditions.iter().enumerate() {
            if matches!(condition, Condition::BusinessHours { .. }) {
                errors.push(FieldError::new(
                    format!("/audience/conditions/{i}"),
                    "business hours are not a property of a subscriber",
                ));
            }
        }
    }
    if let Some(channel) = &audience.channel_id
        && channels::find_in(conn, workspace_id, channel.as_str())
            .await?
            .is_none()
    {
        errors.push(FieldError::new(
            "/audience/channel_id",
            format!("no channel '{channel}' in this workspace"),
        ));
    }
    Ok(())
}

/// Broadcast `broadcast_id` (a path segment) of the workspace; 400/404 otherwise.
async fn find(conn: &mut db::Connection, key: &ApiKey, broadcast_id: &str) -> ApiResult<Broadcast> {
    let id = routes::int_id(broadcast_id)?;
    broadcasts::find(conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no broadcast {id}")))
}

/// Get a broadcast
///
/// One broadcast with its state and statistics (recipients targeted, sent, delivered live,
/// e-mailed, failed and pending).
#[utoipa::path(
    get,
    path = "/api/v1/broadcasts/{broadcast_id}",
    tag = "management",
    params(("broadcast_id" = i64, Path, description = "Id of the broadcast")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The broadcast", body = Broadcast),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_broadcast(
    State(state): State<AppState>,
    key: ApiKey,
    Path(broadcast_id): Path<String>,
) -> ApiResult<Json<Broadcast>> {
    let mut conn = state.db.acquire().await?;
    find(&mut conn, &key, &broadcast_id).await.map(Json)
}

/// Cancel a broadcast
///
/// Cancels a scheduled broadcast, or one being sent: recipients not sent to yet never will
/// be (state `cancelled`). Cancelling a cancelled broadcast answers it unchanged; 409
/// `conflict` once it is `done`.
#[utoipa::path(
    post,
    path = "/api/v1/broadcasts/{broadcast_id}/cancel",
    tag = "management",
    params(("broadcast_id" = i64, Path, description = "Id of the broadcast")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The cancelled broadcast", body = Broadcast),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn cancel_broadcast(
    State(state): State<AppState>,
    key: ApiKey,
    Path(broadcast_id): Path<String>,
) -> ApiResult<Json<Broadcast>> {
    let mut tx = db::begin_write(&state.db).await?;
    let broadcast = find(&mut tx, &key, &broadcast_id).await?;
    if broadcast.state == BroadcastState::Done {
        return Err(ApiError::Conflict(format!(
            "broadcast {} was sent to every recipient already",
            broadcast.id
        )));
    }
    broadcasts::cancel(&mut tx, key.workspace_id, broadcast.id, &clock::now_rfc3339()).await?;
    let broadcast = find(&mut tx, &key, &broadcast_id).await?;
    tx.commit().await?;
    Ok(Json(broadcast))
}

/// List a broadcast's recipients
///
/// The subscribers the broadcast's audience resolved to (none before `send_at`), in
/// sending order, each with its state and, when it failed, the reason.
#[utoipa::path(
    get,
    path = "/api/v1/broadcasts/{broadcast_id}/recipients",
    tag = "management",
    params(
        ("broadcast_id" = i64, Path, description = "Id of the broadcast"),
        IntListQuery
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Recipients in sending order", body = Page<BroadcastRecipient>),
        (status = 404, response = doc::NotFound),
    )
)]
async fn list_broadcast_recipients(
    State(state): State<AppState>,
    key: ApiKey,
    Path(broadcast_id): Path<String>,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<BroadcastRecipient>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let broadcast = find(&mut conn, &key, &broadcast_id).await?;
    let rows = broadcasts::recipients(&mut conn, broadcast.id, after, limit + 1).await?;
    let page = routes::page(rows, limit, |(id, _)| id.to_string());
    Ok(Json(Page {
        items: page.items.into_iter().map(|(_, r)| r).collect(),
        next_cursor: page.next_cursor,
    }))
}
