//! The server's one error type, answered as RFC 9457 `application/problem+json`
//! ([`parlo_model::problem::Problem`]) with a stable `code`.

use crate::rate_limit::{self, Quota};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlo_model::problem::{self, FieldError, Problem};

/// Everything a handler can fail with. Each variant's doc gives its status and `code`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 `bad_request`: the body, path or query is not well-formed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400 `invalid_cursor`: a `limit`, `after` or `cursor` is out of range or unknown.
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// 400 `invalid_id`: an id in the path is not of the resource's id format.
    #[error("invalid id: {0}")]
    InvalidId(String),
    /// 400 `invalid_date_range`: a date range bound is not RFC 3339, or `from` is after `to`.
    #[error("invalid date range: {0}")]
    InvalidDateRange(String),
    /// 401 `unauthorized`: missing, unknown or revoked credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// 403 `forbidden`: valid request that may not be done (e.g. origin not allowed).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 403 `identity_invalid`: a session start named a user id without the valid
    /// `user_hash` ([`crate::identity`]); the detail says what did not match.
    #[error("identity invalid: {0}")]
    IdentityInvalid(String),
    /// 404 `not_found`: no such resource, route, or a resource of another workspace.
    #[error("not found: {0}")]
    NotFound(String),
    /// 405 `bad_request`: the route exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409 `conflict`: conflicts with stored state (idempotency key reused with another body).
    #[error("conflict: {0}")]
    Conflict(String),
    /// 409 `out_of_stock`: an order wants more pieces of a SKU than are left.
    #[error("{0}")]
    OutOfStock(String),
    /// 409 `invalid_transition`: an order may not go from its status to the one asked.
    #[error("{0}")]
    InvalidTransition(String),
    /// 413 `payload_too_large`: the body is over the route's limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415 `bad_request`: the body is not `application/json`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 422 `validation_failed`: well-formed input breaking rules; lists every problem.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 503 `service_unavailable`: a part of the server is not installed or configured; the
    /// detail says what to do.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 429 `rate_limited`: the API key used up its rate limit; `Retry-After` gives the
    /// seconds to wait ([`crate::rate_limit`]).
    #[error("rate limited")]
    RateLimited {
        /// Seconds until a request is allowed again.
        retry_after_secs: u64,
    },
    /// 429 `rate_limited`: too many failed log-ins for the e-mail or from the client IP
    /// ([`crate::auth::throttle`]); `Retry-After` gives the seconds to wait.
    #[error("too many failed log-ins")]
    LoginThrottled {
        /// Seconds until a log-in is allowed again.
        retry_after_secs: u64,
    },
    /// 429 `rate_limited`: a limit of the public API was reached — form submissions per
    /// client IP or form ([`crate::rate_limit::FormLimits`]), sessions per client IP,
    /// messages per session or open event streams ([`crate::rate_limit::public`]);
    /// `Retry-After` gives the seconds to wait.
    #[error("{what}")]
    TooMany {
        /// Which limit, as the problem's detail says it, e.g. `too many submissions for
        /// this form`.
        what: &'static str,
        /// Seconds until a request is allowed again.
        retry_after_secs: u64,
        /// The token bucket that refused it, as its policy name and quota, advertised in
        /// `RateLimit-Policy`/`RateLimit`; `None` for limits that are not buckets (open
        /// event streams).
        policy: Option<(&'static str, Quota)>,
    },
    /// 500 `internal`: a fault of the server. Logged; never described in the body.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl ApiError {
    /// `Ok(())` when `errors` is empty, else a 422 listing every one of them.
    pub fn unless_any(errors: Vec<FieldError>) -> Result<(), ApiError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// A 422 with a single problem at `pointer`.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(pointer, message)])
    }

    /// The problem details answered for this error.
    pub fn problem(&self) -> Problem {
        use problem::codes;
        match self {
            ApiError::BadRequest(d) => Problem::new(400, codes::BAD_REQUEST, "Bad request").with_detail(d),
            ApiError::InvalidCursor(d) => {
                Problem::new(400, codes::INVALID_CURSOR, "Invalid cursor or limit").with_detail(d)
            }
            ApiError::InvalidId(d) => Problem::new(400, codes::INVALID_ID, "Invalid id").with_detail(d),
            ApiError::InvalidDateRange(d) => {
                Problem::new(400, codes::INVALID_DATE_RANGE, "Invalid date range").with_detail(d)
            }
            ApiError::Unauthorized(d) => {
                Problem::new(401, codes::UNAUTHORIZED, "Unauthorized").with_detail(*d)
            }
            ApiError::Forbidden(d) => Problem::new(403, codes::FORBIDDEN, "Forbidden").with_detail(d),
            ApiError::IdentityInvalid(d) => {
                Problem::new(403, codes::IDENTITY_INVALID, "Identity not verified").with_detail(d)
            }
            ApiError::NotFound(d) => Problem::new(404, codes::NOT_FOUND, "Not found").with_detail(d),
            ApiError::MethodNotAllowed => Problem::new(405, codes::BAD_REQUEST, "Method not allowed"),
            ApiError::Conflict(d) => Problem::new(409, codes::CONFLICT, "Conflict").with_detail(d),
            ApiError::OutOfStock(d) => Problem::new(409, codes::OUT_OF_STOCK, "Out of stock").with_detail(d),
            ApiError::InvalidTransition(d) => {
                Problem::new(409, codes::INVALID_TRANSITION, "Status change not allowed").with_detail(d)
            }
            ApiError::PayloadTooLarge => Problem::new(413, codes::PAYLOAD_TOO_LARGE, "Payload too large")
                .with_detail("the request body is larger than this route accepts"),
            ApiError::UnsupportedMediaType => Problem::new(415, codes::BAD_REQUEST, "Unsupported media type")
                .with_detail("send the body as application/json"),
            ApiError::Validation(errors) => Problem::validation(errors.clone()),
            ApiError::Unavailable(d) => {
                Problem::new(503, codes::SERVICE_UNAVAILABLE, "Service unavailable").with_detail(d)
            }
            ApiError::RateLimited { retry_after_secs } => {
                Problem::new(429, codes::RATE_LIMITED, "Too many requests").with_detail(format!(
                    "this API key's rate limit is used up; retry after {retry_after_secs} s"
                ))
            }
            ApiError::LoginThrottled { retry_after_secs } => {
                Problem::new(429, codes::RATE_LIMITED, "Too many requests").with_detail(format!(
                    "too many failed log-ins for this e-mail or from this address; retry after {retry_after_secs} s"
                ))
            }
            ApiError::TooMany { what, retry_after_secs, .. } => Problem::new(429, codes::RATE_LIMITED, "Too many requests")
                .with_detail(format!("{what}; retry after {retry_after_secs} s")),
            ApiError::Internal(_) => Problem::new(500, codes::INTERNAL, "Internal server error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let problem = self.problem();
        let mut response = problem_response(&problem, matches!(self, ApiError::Unauthorized(_)));
        if let ApiError::RateLimited { retry_after_secs }
        | ApiError::TooMany { retry_after_secs, .. }
        | ApiError::LoginThrottled { retry_after_secs } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if let ApiError::TooMany {
            policy: Some((name, quota)),
            ..
        } = self
        {
            rate_limit::advertise_quota(response.headers_mut(), name, &quota);
        }
        response
    }
}

/// Renders `problem` with its status and `Content-Type: application/problem+json`.
pub(crate) fn problem_response(problem: &Problem, bearer_challenge: bool) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(problem::CONTENT_TYPE),
    );
    if bearer_challenge {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> Self {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            s if s.is_client_error() => ApiError::BadRequest(r.body_text()),
            _ => ApiError::Internal(anyhow::anyhow!("reading the body: {}", r.body_text())),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        match r.status() {
            s if s.is_client_error() => ApiError::BadRequest(r.body_text()),
            _ => ApiError::Internal(anyhow::anyhow!("path extraction: {}", r.body_text())),
        }
    }
}

/// Result of handlers and database helpers.
pub type ApiResult<T> = Result<T, ApiError>;
