//! Static files: `/pkg/…` (the npm package build), `/embed.js` (`pkg/loader.js`, the embed
//! snippet's script) and everything else from the `www` directory (`index.html` for
//! directories).
//!
//! All carry `Access-Control-Allow-Origin: *` (module scripts and wasm are fetched in CORS
//! mode by other sites) and are compressed (br, gzip) when the client accepts it. MIME
//! types come from the extension (`.wasm` is `application/wasm`). Missing files are 404.

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use std::path::Path;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Routes of this module; `www_dir` is the fallback for every other path.
pub fn router(pkg_dir: &Path, www_dir: &Path) -> Router<AppState> {
    Router::new()
        .nest_service("/pkg", ServeDir::new(pkg_dir))
        .route_service("/embed.js", ServeFile::new(pkg_dir.join("loader.js")))
        .fallback_service(ServeDir::new(www_dir))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}
