//! HTTP routes, one module per resource, each with its own `router()`.
//!
//! | surface | prefix | auth |
//! |---|---|---|
//! | public widget API | `/api/public/v1/channels/{channel_id}` | visitor session token |
//! | management API | `/api/v1` | `Bearer parlo_sk_…` API key |
//! | static files | `/`, `/pkg/…`, `/embed.js` | none |

pub mod assets;
pub mod channels;
pub mod events;
pub mod flows;
pub mod messages;
pub mod sessions;
pub mod subscribers;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;

/// Largest accepted body on the public API, in bytes.
pub const PUBLIC_BODY_LIMIT: usize = 64 * 1024;

/// The public widget API with its body limit. Its per-channel CORS ([`crate::cors::per_channel`])
/// wraps the whole app, so it also answers preflights before routing.
pub fn public() -> Router<AppState> {
    Router::new()
        .merge(channels::router())
        .merge(sessions::router())
        .merge(messages::router())
        .merge(events::router())
        .layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT))
}

/// The management API.
pub fn management() -> Router<AppState> {
    Router::new().merge(flows::router()).merge(subscribers::router())
}

/// Unknown `/api/…` routes: 404 problem.
pub fn api_fallback() -> Router<AppState> {
    async fn no_route() -> ApiError {
        ApiError::NotFound("no such API route".to_owned())
    }
    Router::new()
        .route("/api", any(no_route))
        .route("/api/{*rest}", any(no_route))
}
