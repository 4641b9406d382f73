//! `GET /metrics`: the process's metrics in the Prometheus text exposition format
//! (`text/plain; version=0.0.4`), for a Prometheus server to scrape; the metrics are listed
//! in [`crate::telemetry`]. Like the probes, it is operations, not API: it is outside the
//! OpenAPI document. With `--metrics-token` it requires `Authorization: Bearer <token>`
//! (else 401 `unauthorized`); without, it is open, so expose it only to the monitoring
//! network (the load balancer should not route it from the internet).

use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::telemetry;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;
use sha2::{Digest, Sha256};

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    if let Some(expected) = &state.metrics_token {
        // Compared as SHA-256 digests, so the time taken tells nothing about the token.
        let given = auth::bearer(&headers).map(|t| Sha256::digest(t.as_bytes()));
        if given != Some(Sha256::digest(expected.as_bytes())) {
            return Err(ApiError::Unauthorized(
                "`/metrics` needs the metrics token as a Bearer token",
            ));
        }
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        telemetry::render(&state.db).await,
    ))
}
