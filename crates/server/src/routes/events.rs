//! `GET /api/public/v1/channels/{channel_id}/events`: the realtime stream (SSE).
//!
//! Wire format (see [`parlo_model::chat::StreamEvent`]): `event: message`, `id: <seq>`,
//! `data: <Message JSON>`; `event: typing`, `data: {"duration_ms":…}` without id; a
//! comment keep-alive every 15 s. The stream resumes after `max(Last-Event-ID, after)`.
//! When the server shuts down the stream ends with `retry: 1000` (and a comment), so the
//! client reconnects, to another instance behind a load balancer.
//!
//! Nothing is lost or sent twice: the stream subscribes to live events BEFORE reading the
//! backlog from the database, then skips live messages with `seq` at or below the last
//! one sent, and re-reads the database when it sees a gap, lags behind, or hears that
//! another server instance stored a newer message (see [`crate::hub`]).

use crate::auth;
use crate::db::Pool;
use crate::db::messages;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Path, Query};
use crate::hub::Live;
use crate::state::AppState;
use crate::telemetry;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use parlo_model::chat::{Message, StreamEvent};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Interval of keep-alive comments.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Reconnection delay suggested to clients when the server shuts down.
pub(crate) const RECONNECT_AFTER: Duration = Duration::from_secs(1);
/// Messages read from the database per query when catching up.
const BATCH: u32 = 100;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_events))
}

/// Query of the stream.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EventsQuery {
    /// Resume after this `seq` (default 0: the whole conversation).
    after: Option<u64>,
    /// Session token, for clients that cannot set `Authorization` (`EventSource`).
    token: Option<String>,
}

fn message_event(message: &Message) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("message")
        .id(message.seq.to_string())
        .data(serde_json::to_string(message).unwrap_or_default()))
}

fn typing_event(duration_ms: u32) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("typing")
        .data(serde_json::json!({ "duration_ms": duration_ms }).to_string()))
}

/// The last event of a stream ended by a shutdown: `retry:` asks the client to reconnect
/// after [`RECONNECT_AFTER`] (behind a load balancer, to another instance), resuming after
/// the last `id` it got.
pub(crate) fn shutting_down() -> Result<Event, Infallible> {
    Ok(Event::default().retry(RECONNECT_AFTER).comment("shutting down"))
}

/// Drops the conversation's hub channel when its last listener goes.
struct Release {
    state: AppState,
    conversation_id: i64,
}

impl Drop for Release {
    fn drop(&mut self) {
        self.state.hub.release(self.conversation_id);
    }
}

/// Every message with `seq > after`, in order.
async fn backlog(db: &Pool, conversation_id: i64, after: u64) -> anyhow::Result<Vec<Message>> {
    let mut conn = db.acquire().await?;
    let mut all = Vec::new();
    let mut last = after;
    loop {
        let page = messages::range(&mut conn, conversation_id, last, u64::MAX, BATCH).await?;
        let full = page.len() == BATCH as usize;
        if let Some(m) = page.last() {
            last = m.seq;
        }
        all.extend(page);
        if !full {
            return Ok(all);
        }
    }
}

/// Realtime event stream (SSE)
///
/// Authenticates (Bearer or `?token=`), then streams; 401 without a valid token, 400 for
/// a malformed `Last-Event-ID`, 429 when the session or the server has all its streams
/// open ([`crate::rate_limit::public`]).
#[utoipa::path(
    get,
    path = "/api/public/v1/channels/{channel_id}/events",
    tag = "public",
    description = "`event: message` with `id: <seq>` and a `Message` as data; `event: typing` \
                   with `{\"duration_ms\": …}`; a comment keep-alive every 15 s. Resumes after \
                   `max(Last-Event-ID, after)`. On server shutdown the stream ends with \
                   `retry: 1000`: reconnect (possibly to another instance) and resume.",
    params(
        ("channel_id" = String, Path, description = "Public channel id, e.g. `demo`"),
        ("Last-Event-ID" = Option<u64>, Header, description = "The last `seq` received (sent by `EventSource` on reconnect)"),
        EventsQuery,
    ),
    security(("session_token" = []), ("session_token_query" = [])),
    responses(
        (status = 200, description = "`text/event-stream` of `StreamEvent`s", content_type = "text/event-stream", body = String),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 429, response = crate::openapi::RateLimited),
    )
)]
async fn stream_events(
    State(state): State<AppState>,
    Path(channel_id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> ApiResult<impl IntoResponse> {
    let token = auth::bearer(&headers).or(query.token.as_deref());
    let session = auth::visitor(&state, &channel_id, token, true).await?;
    let last_event_id = match headers.get("last-event-id") {
        None => 0,
        Some(v) => v
            .to_str()
            .ok()
            .map(str::trim)
            .and_then(|s| if s.is_empty() { Some(0) } else { s.parse().ok() })
            .ok_or_else(|| ApiError::BadRequest("Last-Event-ID must be a message seq".to_owned()))?,
    };
    let slot = state.public_limits.open_stream(&session.subscriber_id)?;
    let start = query.after.unwrap_or(0).max(last_event_id);
    let conversation_id = session.conversation_id;
    // Subscribe before reading the backlog, so nothing published in between is missed.
    let live = state.hub.subscribe(conversation_id);
    // An erasure committed since the token was checked closed no channel of this stream
    // (`Hub::close`); one committed from now on will. So check the token once more.
    if let Err(e) = auth::visitor(&state, &channel_id, token, false).await {
        drop(live);
        state.hub.release(conversation_id);
        return Err(e);
    }

    let stream = async_stream::stream! {
        // Declared before `live` is moved in, so it is dropped after it.
        let _release = Release { state: state.clone(), conversation_id };
        let _open = telemetry::stream_opened();
        let _slot = slot;
        let mut live = live;
        let mut last = start;
        let mut catch_up = true;
        loop {
            if catch_up {
                catch_up = false;
                // Boxed: the query's future is large, and inline it would make every open
                // stream's state that large while it waits for events.
                match Box::pin(backlog(&state.db, conversation_id, last)).await {
                    Ok(missed) => {
                        for message in missed {
                            last = message.seq;
                            yield message_event(&message);
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = format!("{e:#}"), "event stream: reading messages");
                        break;
                    }
                }
            }
            let received = tokio::select! {
                () = state.shutdown.cancelled() => None,
                received = live.recv() => Some(received),
            };
            let Some(received) = received else {
                yield shutting_down();
                break;
            };
            match received {
                Ok(Live::Event(event)) => match &*event {
                    StreamEvent::Message(message) if message.seq <= last => {}
                    StreamEvent::Message(message) if message.seq == last + 1 => {
                        last = message.seq;
                        yield message_event(message);
                    }
                    StreamEvent::Message(_) => catch_up = true,
                    StreamEvent::Typing { duration_ms } => yield typing_event(*duration_ms),
                },
                Ok(Live::Stored(seq)) if seq <= last => {}
                Ok(Live::Stored(_)) | Err(RecvError::Lagged(_)) => catch_up = true,
                Err(RecvError::Closed) => break,
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
