//! Static files: `/pkg/…` (the npm package build), `/embed.js` (`pkg/loader.js`, the embed
//! snippet's script), the owner console's page `www/console/index.html` for `/console` and
//! every path under it (its screens' deep links; the console routes inside the page), and
//! everything else from the `www` directory (`index.html` for directories).
//!
//! All carry `Access-Control-Allow-Origin: *` (module scripts and wasm are fetched in CORS
//! mode by other sites) and are compressed (br, gzip) when the client accepts it. MIME
//! types come from the extension (`.wasm` is `application/wasm`). Missing files are 404, and so
//! is a path the file system cannot even look up (a name longer than it allows, a file used
//! as a directory): [`unreadable_is_missing`]; the body is problem+json like every error.
//!
//! `Cache-Control: public, max-age=300, stale-while-revalidate=86400` (RFC 9111 §5.2.2.1,
//! RFC 5861 §3): file names are not content-hashed, so browsers reuse a file for five minutes
//! and then revalidate it in the background (ETag / Last-Modified) while using their copy, so
//! a returning visitor's launcher needs no request and a new release reaches everyone within
//! minutes.

use crate::error::ApiError;
use crate::problem_bodies::is_problem;
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::Path;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The console's one page, under the `www` directory.
const CONSOLE_PAGE: &str = "console/index.html";

/// Routes of this module; `www_dir` is the fallback for every other path.
pub fn router(pkg_dir: &Path, www_dir: &Path) -> Router<AppState> {
    Router::new()
        .nest_service("/pkg", ServeDir::new(pkg_dir))
        .route_service("/embed.js", ServeFile::new(pkg_dir.join("loader.js")))
        .route_service("/console", ServeFile::new(www_dir.join(CONSOLE_PAGE)))
        .route_service("/console/{*screen}", ServeFile::new(www_dir.join(CONSOLE_PAGE)))
        .fallback_service(ServeDir::new(www_dir))
        .layer(axum::middleware::map_response(unreadable_is_missing))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300, stale-while-revalidate=86400"),
        ))
}

/// A 500 of a static file service (not one of our problems) as a 404 problem. `ServeDir`
/// answers 500 for every look-up error but "not found" and "permission denied", and those
/// come from the request's path (`ENAMETOOLONG` for a segment over the file system's name
/// limit, `ENOTDIR` for `/index.html/x`), so the file is missing as far as the client can
/// tell. Logged as a warning in case the disk itself failed.
pub async fn unreadable_is_missing(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || is_problem(&response) {
        return response;
    }
    tracing::warn!("a static file could not be read; answered 404");
    ApiError::NotFound("no such file".to_owned()).into_response()
}
