//! Per-channel and per-form CORS for the public API (Fetch standard, "CORS protocol").
//!
//! The `Origin` of a request to `/api/public/v1/channels/{channel_id}/…` must equal one
//! of the channel's `allowed_origins` exactly, and of one to
//! `/api/public/v1/forms/{form_id}/…` one of the form's (an empty list allows every
//! origin).
//! Allowed: the response carries `Access-Control-Allow-Origin: <origin>`. Not allowed: the
//! request is refused with a 403 `forbidden` problem — which also carries
//! `Access-Control-Allow-Origin: <origin>`, so the widget on that page can read why and say
//! so instead of retrying a "network error" forever. Preflights (`OPTIONS` with
//! `Access-Control-Request-Method`) of a known channel are answered 204 for every origin for
//! the same reason: a failed preflight would hide the 403. This grants nothing: the origin
//! check runs on the real request, before any handler. Unknown (or archived) channels and
//! forms are treated like ones that allow every origin: their handlers answer nothing but a
//! 404, which the widget on any page can then read and show as "not available" — or, for a
//! deleted form, the original answer to a retry of a submission it accepted, which only the
//! browser that holds that idempotency key and those values can ask for. Requests
//! without `Origin` (not from a browser page) pass unchanged, and so do requests the browser
//! marks `Sec-Fetch-Site: same-origin` (W3C Fetch Metadata; a page cannot set it): they come
//! from a page this server serves itself, such as the console's live preview of a channel's
//! widget, not from a site the channel must allow. Allowed answers expose the rate
//! limit's header fields (`Retry-After`, `RateLimit`, `RateLimit-Policy`). Every answer carries
//! `Vary: Origin`.

use crate::db::{channels, forms};
use crate::error::ApiError;
use crate::rate_limit;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Path prefixes of public routes scoped to a resource with allowed origins, and the
/// resource's name in the 403 detail.
const SCOPES: [(&str, &str); 2] = [
    ("/api/public/v1/channels/", "channel"),
    ("/api/public/v1/forms/", "form"),
];
/// Methods the public API allows cross-origin.
const ALLOW_METHODS: &str = "GET, POST";
/// Request headers the public API allows cross-origin.
const ALLOW_HEADERS: &str = "content-type, authorization, last-event-id, idempotency-key";
/// How long browsers may cache a preflight answer, in seconds.
const MAX_AGE_SECS: &str = "600";

/// `Access-Control-Expose-Headers` of an allowed request: the rate limit's fields, so the
/// widget and forms can wait as long as `Retry-After` says.
fn expose_headers() -> HeaderValue {
    let headers = rate_limit::HEADERS;
    let names = headers.each_ref().map(HeaderName::as_str);
    HeaderValue::from_str(&names.join(", ")).expect("header names are a header value")
}

fn add_vary(headers: &mut HeaderMap) {
    headers.append(header::VARY, HeaderValue::from_static("origin"));
}

/// The resource a public path is scoped to: its kind (`channel`, `form`) and the allowed
/// origins (none, so every origin, for an unknown resource); `None` for other paths.
async fn scope_of(state: &AppState, path: &str) -> anyhow::Result<Option<(&'static str, Vec<String>)>> {
    let Some((kind, id)) = SCOPES.iter().find_map(|(prefix, kind)| {
        let id = path.strip_prefix(prefix)?.split('/').next()?;
        (!id.is_empty()).then_some((*kind, id))
    }) else {
        return Ok(None);
    };
    let mut conn = state.db.acquire().await?;
    let origins = if kind == "channel" {
        channels::allowed_origins(&mut conn, id).await?
    } else {
        forms::find_any(&mut conn, id)
            .await?
            .map(|f| f.form.allowed_origins)
    };
    Ok(Some((kind, origins.unwrap_or_default())))
}

/// The middleware (wrapping the whole app, so it sees preflights before routing); it only
/// acts on paths under the prefixes of channels and forms. See the module docs.
pub async fn per_resource(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let same_origin = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|site| site == "same-origin");
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .cloned()
        .filter(|_| !same_origin)
    else {
        return next.run(req).await;
    };
    let allowed = match scope_of(&state, req.uri().path()).await {
        Ok(scope) => scope.map(|(kind, list)| {
            let ok = list.is_empty() || list.iter().any(|o| o.as_bytes() == origin.as_bytes());
            (kind, ok)
        }),
        Err(e) => return ApiError::Internal(e).into_response(),
    };
    let mut response = match allowed {
        Some(_)
            if req.method() == Method::OPTIONS
                && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) =>
        {
            let mut response = StatusCode::NO_CONTENT.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOW_METHODS),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(ALLOW_HEADERS),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static(MAX_AGE_SECS),
            );
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            add_vary(headers);
            headers.append(
                header::VARY,
                HeaderValue::from_static("access-control-request-method"),
            );
            headers.append(
                header::VARY,
                HeaderValue::from_static("access-control-request-headers"),
            );
            return response;
        }
        Some((kind, false)) => {
            let shown = origin.to_str().unwrap_or("(not text)");
            let mut response =
                ApiError::Forbidden(format!("origin {shown} may not use this {kind}")).into_response();
            response
                .headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response
        }
        Some((_, true)) => {
            let mut response = next.run(req).await;
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose_headers());
            response
        }
        None => next.run(req).await,
    };
    add_vary(response.headers_mut());
    response
}
