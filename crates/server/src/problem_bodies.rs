//! Every error answer is `application/problem+json` (RFC 9457), also those that no handler
//! of ours wrote: a static file service's 404, 405 or 416, a 413 or 400 of a body limit or a
//! malformed chunked body in a layer, axum's own rejections. [`problem_bodies`] gives such an
//! answer the problem body of its status, keeping its status and headers (`Allow`,
//! `Retry-After`, `Content-Range`, …).

use crate::error::{ApiError, problem_response};
use axum::http::{StatusCode, header};
use axum::response::Response;
use parlo_model::problem::{self, Problem, codes};

/// Whether `response` already carries a problem body.
pub fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(problem::CONTENT_TYPE.as_bytes()))
}

/// The problem of a bare error `status`: our [`ApiError`]'s where there is one (same code
/// and title), else the status's reason phrase with code `bad_request` (4xx) or `internal`
/// (5xx). Also used for the answers hyper writes itself ([`crate::listener`]).
pub fn bare_problem(status: StatusCode) -> Problem {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("no such resource".to_owned()).problem(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed.problem(),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge.problem(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType.problem(),
        _ => {
            let code = if status.is_server_error() {
                codes::INTERNAL
            } else {
                codes::BAD_REQUEST
            };
            Problem::new(
                status.as_u16(),
                code,
                status.canonical_reason().unwrap_or("Error"),
            )
        }
    }
}

/// Middleware (`axum::middleware::map_response`): gives an error answer without a problem
/// body the problem of its status; other answers pass unchanged.
pub async fn problem_bodies(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem(&response) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let (problem_parts, body) = problem_response(&bare_problem(status), false).into_parts();
    for name in [
        header::CONTENT_ENCODING,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
    ] {
        parts.headers.remove(name);
    }
    parts.headers.extend(problem_parts.headers);
    Response::from_parts(parts, body)
}
