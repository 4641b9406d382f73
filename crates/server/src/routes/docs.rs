//! Interactive API docs: Swagger UI at `/docs` over `/api/openapi.json`.
//!
//! | path | answer |
//! |---|---|
//! | `/docs` | our page (`swagger-ui/docs.html`; no inline script, so a strict CSP holds) |
//! | `/docs/docs.js` | our setup: `SwaggerUIBundle({ url: '/api/openapi.json', persistAuthorization: true, … })` |
//! | `/docs/assets/…` | the files of the npm package `swagger-ui-dist` (`--swagger-ui-dir`) |
//!
//! The assets are served by Parlo itself, never from a CDN. When they are not installed
//! (`cargo xtask setup` runs `npm ci` in `crates/server/swagger-ui`), `/docs` answers a 503
//! `service_unavailable` problem saying so.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::path::Path;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The page at `/docs`.
const PAGE: &str = include_str!("../../swagger-ui/docs.html");
/// The script at `/docs/docs.js`.
const SCRIPT: &str = include_str!("../../swagger-ui/docs.js");
/// A file of `swagger-ui-dist` the page cannot work without.
const BUNDLE: &str = "swagger-ui-bundle.js";
/// Content-Security-Policy of the docs: scripts and styles only from this server (Swagger
/// UI sets inline `style` attributes, and shows data: images).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Routes of this module, serving the assets from `swagger_ui_dir`.
pub fn router(swagger_ui_dir: &Path) -> Router<AppState> {
    Router::new()
        .route("/docs", get(docs_page))
        .route("/docs/", get(docs_page))
        .route("/docs/docs.js", get(docs_script))
        .nest_service("/docs/assets", ServeDir::new(swagger_ui_dir))
        .layer(axum::middleware::map_response(
            super::assets::unreadable_is_missing,
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
}

/// The Swagger UI page; 503 when the assets are not installed.
async fn docs_page(State(state): State<AppState>) -> Response {
    if !state.swagger_ui_dir.join(BUNDLE).is_file() {
        return ApiError::Unavailable(format!(
            "the API docs' assets are not installed: run `cargo xtask setup` (npm ci in \
             crates/server/swagger-ui) or point --swagger-ui-dir / PARLO_SWAGGER_UI_DIR at the \
             npm package swagger-ui-dist (now {})",
            state.swagger_ui_dir.display()
        ))
        .into_response();
    }
    Html(PAGE).into_response()
}

/// Our Swagger UI setup script.
async fn docs_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}
