//! `GET /metrics`: the process's metrics in the Prometheus text exposition format
//! (`text/plain; version=0.0.4`), for a Prometheus server to scrape; the metrics are listed
//! in [`crate::telemetry`]. Like the probes, it is operations, not API: it is outside the
//! OpenAPI document and unauthenticated, so expose it only to the monitoring network (the
//! load balancer should not route it from the internet).

use crate::state::AppState;
use crate::telemetry;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        telemetry::render(&state.db).await,
    )
}
