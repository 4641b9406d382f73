//! `GET /api/v1/events`: the workspace event stream (SSE) of the management API, which
//! keeps the owner's inbox live.
//!
//! Wire format: `event: message`, `id: <ordinal>`, `data: <InboxEvent JSON>` for every
//! message stored in any conversation of the workspace (visitor, bot, agent, system —
//! pausing and resuming the bot and a hand-over arrive as their system notices, with the
//! conversation's new state); a comment keep-alive every 15 s. The `id` is the message's
//! position in storage order: with `Last-Event-ID` the stream resumes after it, without
//! it the stream starts with the next message stored. The stream opens with a block
//! without data, `id: <ordinal>` and the comment `ready`, so a client has its resume
//! point before the first event. When the server shuts down the
//! stream ends with `retry: 1000` (and a comment): reconnect, to any instance, with the
//! last `id` received.
//!
//! Authenticated like the rest of the management API, by the `Authorization` header; a
//! browser's `EventSource` cannot set it, so pages read the stream with `fetch` and its
//! body's reader (the typed client does). The credentials are checked again every minute:
//! the stream of a revoked key ends.
//!
//! Nothing is lost or sent twice: the stream subscribes to wake-ups BEFORE it reads the
//! database, then, at each wake-up ([`crate::workspace_hub`]), sends the workspace's
//! messages stored after the last one it sent. Writers are serialised, so storage order
//! is commit order and no message can appear behind one already sent.

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{Pool, inbox};
use crate::error::{ApiError, ApiResult};
use crate::routes::events::{KEEP_ALIVE, shutting_down};
use crate::state::AppState;
use crate::telemetry;
use crate::workspace_hub::WorkspaceHub;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderName};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use parlo_model::inbox::InboxEvent;
use std::convert::Infallible;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Messages read from the database per query when catching up.
const BATCH: u32 = 100;

/// How often an open stream checks its credentials again: a revoked key (or ended
/// session) ends its streams within this time.
const RECHECK: Duration = Duration::from_secs(60);

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_workspace_events))
}

fn message_event(ordinal: u64, event: &InboxEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("message")
        .id(ordinal.to_string())
        .data(serde_json::to_string(event).unwrap_or_default()))
}

/// The `Last-Event-ID` of a request: `None` when absent; 400 when it is not an id this
/// stream sends (a non-negative integer; an empty value too, as the document says
/// `integer`: a client without an id sends no header).
fn last_event_id(headers: &HeaderMap) -> ApiResult<Option<u64>> {
    headers
        .get("last-event-id")
        .map(|value| {
            value
                .to_str()
                .ok()
                .and_then(|id| id.trim().parse().ok())
                .ok_or_else(|| {
                    ApiError::BadRequest("Last-Event-ID must be the id of an event of this stream".to_owned())
                })
        })
        .transpose()
}

/// One server-sent event of the stream as the document states it (the fields of an SSE
/// event block, per WHATWG HTML § 9.2.6; blocks without data are not events).
struct StreamEventSchema;

impl utoipa::PartialSchema for StreamEventSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let string = || ObjectBuilder::new().schema_type(Type::String);
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("event", string().enum_values(Some(["message"])))
            .property(
                "id",
                string().pattern(Some("^(0|[1-9][0-9]*)$")).description(Some(
                    "The message's position in storage order: `Last-Event-ID` to resume after it.",
                )),
            )
            .property("data", string().description(Some("An `InboxEvent` as JSON.")))
            .required("event")
            .required("id")
            .required("data")
            .description(Some("A server-sent event of `GET /api/v1/events`."))
            .into()
    }
}

impl utoipa::ToSchema for StreamEventSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "InboxStreamEvent".into()
    }
}

/// Whether the credentials of `headers` (`Authorization`) still open the management API,
/// checked like a new request's ([`ApiKey`]); only a refusal (401) says no, as a
/// database error or the rate limit says nothing about them.
async fn still_authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let mut request = axum::http::Request::new(());
    if let Some(authorization) = headers.get(AUTHORIZATION) {
        request.headers_mut().insert(AUTHORIZATION, authorization.clone());
    }
    let (mut parts, ()) = request.into_parts();
    !matches!(
        ApiKey::from_request_parts(&mut parts, state).await,
        Err(ApiError::Unauthorized(_))
    )
}

/// The workspace's messages stored after ordinal `after`, in order, and the ordinal of
/// the last one.
async fn backlog(db: &Pool, workspace_id: i64, after: u64) -> anyhow::Result<Vec<(u64, InboxEvent)>> {
    let mut conn = db.acquire().await?;
    let mut all = Vec::new();
    let mut last = after;
    loop {
        let page = inbox::events_after(&mut conn, workspace_id, last, &clock::now_rfc3339(), BATCH).await?;
        let full = page.len() == BATCH as usize;
        if let Some((ordinal, _)) = page.last() {
            last = *ordinal;
        }
        all.extend(page);
        if !full {
            return Ok(all);
        }
    }
}

/// Workspace event stream (SSE)
///
/// Every message stored in any conversation of the key's workspace, live, with its
/// conversation's state after it.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "management",
    description = "`event: message` with `id: <ordinal>` and an `InboxEvent` as data, for every \
                   message stored in a conversation of the workspace (visitor, bot, agent, system; \
                   pausing, resuming and hand-overs arrive as their system notices); a comment \
                   keep-alive every 15 s. It opens with `: ready` and `id: <ordinal>` (no data): the \
                   resume point. With `Last-Event-ID` the stream resumes after that event, \
                   without it it starts with the next message stored. On server shutdown it ends \
                   with `retry: 1000`: reconnect (possibly to another instance) with the last id. \
                   Authenticated by the `Authorization` header like every management route: in a \
                   browser read it with `fetch` and the body's reader (`EventSource` cannot send \
                   the header).",
    params(
        ("Last-Event-ID" = Option<u64>, Header, description = "The `id` of the last event received: resume after it"),
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "`text/event-stream`: events whose data are `InboxEvent`s", content_type = "text/event-stream", body = StreamEventSchema),
    )
)]
async fn stream_workspace_events(
    State(state): State<AppState>,
    key: ApiKey,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let resume = last_event_id(&headers)?;
    let workspace_id = key.workspace_id;
    // Subscribe before reading the database, so nothing stored in between is missed.
    let live = WorkspaceHub::subscribe(&state, workspace_id);
    let start = match resume {
        Some(after) => after,
        None => inbox::last_ordinal(&mut *state.db.acquire().await?).await?,
    };
    let stream = async_stream::stream! {
        let _open = telemetry::stream_opened();
        let mut live = live;
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
        let mut last = start;
        // The resume point, before any event: a block without data sets the client's
        // last event id (WHATWG HTML § 9.2.6) without an event.
        yield Ok::<_, Infallible>(Event::default().id(start.to_string()).comment("ready"));
        loop {
            // Boxed: the query's future is large (see the visitor stream).
            match Box::pin(backlog(&state.db, workspace_id, last)).await {
                Ok(events) => {
                    for (ordinal, event) in events {
                        last = ordinal;
                        yield message_event(ordinal, &event);
                    }
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "workspace event stream: reading messages");
                    break;
                }
            }
            let woken = tokio::select! {
                () = state.shutdown.cancelled() => None,
                woken = live.woken() => Some(woken),
                _ = recheck.tick() => match still_authorized(&state, &headers).await {
                    true => continue,
                    false => break,
                },
            };
            match woken {
                None => {
                    yield shutting_down();
                    break;
                }
                Some(false) => break,
                Some(true) => {}
            }
        }
    };
    // Ask reverse proxies (nginx) not to buffer the stream.
    let no_buffering = [(HeaderName::from_static("x-accel-buffering"), "no")];
    Ok((
        no_buffering,
        Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    ))
}
