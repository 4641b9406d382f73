//! Prometheus metrics of the process, recorded with the `metrics` crate and rendered by
//! `metrics-exporter-prometheus` at `GET /metrics` (see `routes::metrics`).
//!
//! | metric | type | labels | meaning |
//! |---|---|---|---|
//! | `parlo_http_request_duration_seconds` | histogram | `route` (the matched path pattern, or `unmatched`), `method`, `status` (`2xx`…`5xx`) | time to the response head |
//! | `parlo_chat_turns_total` | counter | `trigger` (`message`, `session`, `send_flow`) | bot turns committed: a visitor message, a new session's start flow, a flow sent by the management API |
//! | `parlo_turn_commits_total` | counter | | write transactions committed for turns (`db::writer`): one per batch of concurrent turns; over `parlo_chat_turns_total` it gives commits per turn |
//! | `parlo_broadcast_recipients_total` | counter | `state` (`sent`, `failed`) | broadcast recipients this instance sent to or failed (with several instances, each counts its own share) |
//! | `parlo_event_streams_open` | gauge | | realtime streams (SSE) open on this instance |
//! | `parlo_outbox_pending` | gauge | | outbox rows waiting for delivery (whole database) |
//! | `parlo_outbox_oldest_pending_age_seconds` | gauge | | age of the oldest of them (0 when none) |
//! | `parlo_scheduled_items` | gauge | | delayed bot output waiting (whole database) |
//! | `parlo_scheduled_overdue_seconds` | gauge | | how long the earliest item is past due (0 when none is) |
//! | `parlo_db_pool_connections` | gauge | `state` (`idle`, `in_use`) | this instance's database connections |
//! | `parlo_db_pool_max_connections` | gauge | | their upper bound |
//!
//! The backlog and pool gauges are read when scraped. Counters and the histogram live in the
//! process (one recorder per process, installed on first use), so with several instances
//! Prometheus scrapes each and sums.

use crate::clock;
use crate::db::{self, Pool};
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Name of the request latency histogram.
const REQUEST_DURATION: &str = "parlo_http_request_duration_seconds";

/// Upper bounds of the latency buckets, in seconds (1 ms … 10 s).
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder, installed as the global one on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), &LATENCY_BUCKETS)
            .expect("the bucket list is not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if let Err(e) = metrics::set_global_recorder(recorder) {
            tracing::error!(error = %e, "metrics: another recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// Middleware timing every request by its matched route.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = format!("{}xx", response.status().as_u16() / 100);
    metrics::histogram!(REQUEST_DURATION, "route" => route, "method" => method, "status" => status)
        .record(started.elapsed().as_secs_f64());
    response
}

/// What started a chat turn.
#[derive(Clone, Copy, Debug)]
pub enum Trigger {
    /// A visitor message or button.
    Message,
    /// A new session's start flow.
    Session,
    /// A flow sent through the management API.
    SendFlow,
    /// A flow going on after its webhook step's call.
    WebhookAnswer,
}

/// Counts a committed chat turn.
pub fn chat_turn(trigger: Trigger) {
    let trigger = match trigger {
        Trigger::Message => "message",
        Trigger::Session => "session",
        Trigger::SendFlow => "send_flow",
        Trigger::WebhookAnswer => "webhook_answer",
    };
    metrics::counter!("parlo_chat_turns_total", "trigger" => trigger).increment(1);
}

/// Counts `count` broadcast recipients this instance sent to (`sent`) or failed.
pub fn broadcast_recipients(sent: bool, count: u64) {
    let state = if sent { "sent" } else { "failed" };
    metrics::counter!("parlo_broadcast_recipients_total", "state" => state).increment(count);
}

/// Counts an event stream as open until the returned guard is dropped.
pub fn stream_opened() -> OpenStream {
    metrics::gauge!("parlo_event_streams_open").increment(1.0);
    OpenStream(())
}

/// An open event stream, counted in `parlo_event_streams_open` while it lives.
#[derive(Debug)]
pub struct OpenStream(());

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("parlo_event_streams_open").decrement(1.0);
    }
}

/// Reads the backlog and pool gauges, then renders every metric in the Prometheus text
/// format. A failing backlog query is logged and leaves those gauges as they were.
pub async fn render(db: &Pool) -> String {
    if let Err(e) = backlog(db).await {
        tracing::warn!(error = format!("{e:#}"), "metrics: reading the backlog");
    }
    let idle = db.num_idle() as f64;
    metrics::gauge!("parlo_db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("parlo_db_pool_connections", "state" => "in_use").set(f64::from(db.size()) - idle);
    metrics::gauge!("parlo_db_pool_max_connections").set(f64::from(db.options().get_max_connections()));
    let handle = handle();
    handle.run_upkeep();
    handle.render()
}

async fn backlog(db: &Pool) -> anyhow::Result<()> {
    let mut conn = db.acquire().await?;
    let now_ms = clock::now_ms();
    let (pending, oldest) = db::outbox::backlog(&mut conn).await?;
    let oldest_age_ms = oldest.map_or(0, |created_ms| (now_ms - created_ms).max(0));
    metrics::gauge!("parlo_outbox_pending").set(pending as f64);
    metrics::gauge!("parlo_outbox_oldest_pending_age_seconds").set(oldest_age_ms as f64 / 1000.0);
    let (waiting, earliest) = db::scheduled::backlog(&mut conn).await?;
    let overdue_ms = earliest.map_or(0, |due_ms| (now_ms - due_ms).max(0));
    metrics::gauge!("parlo_scheduled_items").set(waiting as f64);
    metrics::gauge!("parlo_scheduled_overdue_seconds").set(overdue_ms as f64 / 1000.0);
    Ok(())
}
