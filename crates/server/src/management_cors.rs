//! CORS for the management API (`/api/v1/…`): every origin may call it from a browser
//! (Fetch standard, "CORS protocol"), as the GitHub REST API allows.
//!
//! This opens nothing: management requests authenticate with an explicit
//! `Authorization` header (an API key, or a console session token), never with cookies
//! or other credentials a browser adds by itself, so a page of another origin can do only
//! what the key it holds allows — the same as any server-side program with that key.
//! Without it, the typed client (`ParloClient`) would work only from Node and from pages of
//! the server's own origin; with it, internal tools (dashboards, back offices) can run in a
//! browser. Keys still belong on trusted pages only: a key shipped in a public page is a
//! leaked key.
//!
//! - `Access-Control-Allow-Origin: *` on every answer (no `Access-Control-Allow-Credentials`);
//! - preflights answered for `GET`, `POST`, `PUT`, `PATCH`, `DELETE` with the `authorization`,
//!   `content-type`, `idempotency-key` and `parlo-workspace` (a console session's workspace)
//!   request headers, cached 10 minutes;
//! - `Retry-After`, `RateLimit` and `RateLimit-Policy` exposed, so browser clients can honour
//!   the rate limit.

use crate::rate_limit;
use axum::extract::Request;
use axum::http::{HeaderName, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tower::{Layer, ServiceExt};
use tower_http::cors::{Any, CorsLayer};

/// Path prefix of the management API.
const PREFIX: &str = "/api/v1/";

/// How long browsers may cache a preflight answer.
const MAX_AGE: Duration = Duration::from_secs(600);

/// The middleware (wrapping the whole app, so it sees preflights before routing answers
/// them 405): [`layer`] around requests under `/api/v1/`, nothing around the others.
pub async fn middleware(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(PREFIX) {
        return next.run(req).await;
    }
    match layer().layer(next).oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The CORS policy of the management API (see the module docs).
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("parlo-workspace"),
        ])
        .expose_headers(rate_limit::HEADERS)
        .max_age(MAX_AGE)
}
