//! `GET /healthz` and `GET /readyz`: probes for load balancers and orchestrators (outside the
//! API and its OpenAPI document, like the Kubernetes probes they are named after).
//!
//! - `/healthz` (liveness): 200 `ok` while the process serves HTTP; it touches nothing else,
//!   so a slow database never gets a healthy process restarted.
//! - `/readyz` (readiness): 200 `ready` when the database answers and has every migration
//!   of this build applied ([`db::check_ready`]); else 503 `service_unavailable` saying
//!   which, so traffic goes to another instance meanwhile.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> ApiResult<&'static str> {
    db::check_ready(&state.db).await.map_err(|error| {
        tracing::warn!(error = format!("{error:#}"), "not ready");
        ApiError::Unavailable(format!("{error:#}"))
    })?;
    Ok("ready")
}
