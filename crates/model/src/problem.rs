//! RFC 9457 problem details (`application/problem+json`), Parlo's one error format.
//!
//! Every error response of the server has this body. `code` is a stable machine code
//! (see [`codes`]); `errors` lists per-field problems when `code` is `validation_failed`.

use serde::{Deserialize, Serialize};

/// Media type of problem bodies (RFC 9457 §3).
pub const CONTENT_TYPE: &str = "application/problem+json";

/// Stable machine codes carried in [`Problem::code`].
pub mod codes {
    /// 400: the request body or query is not well-formed.
    pub const BAD_REQUEST: &str = "bad_request";
    /// 422: the input is well-formed but breaks rules; see `errors`.
    pub const VALIDATION_FAILED: &str = "validation_failed";
    /// 400: a `limit` or `cursor` is out of range or not one the server issued.
    pub const INVALID_CURSOR: &str = "invalid_cursor";
    /// 400: an id in the path or query is not of the resource's id format.
    pub const INVALID_ID: &str = "invalid_id";
    /// 400: a date range has `from` after `to`, or a bound that is not RFC 3339.
    pub const INVALID_DATE_RANGE: &str = "invalid_date_range";
    /// 401: missing, unknown or expired credentials (API key or session token).
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 403: the credentials are valid but may not do this (e.g. origin not allowed).
    pub const FORBIDDEN: &str = "forbidden";
    /// 403: a visitor session named a user `id` whose `user_hash` is missing or is not the
    /// HMAC-SHA256 of the id with the channel's identity secret ([`crate::identity`]).
    pub const IDENTITY_INVALID: &str = "identity_invalid";
    /// 404: no such resource (also for resources of another workspace).
    pub const NOT_FOUND: &str = "not_found";
    /// 409: the request conflicts with stored state (e.g. an idempotency key reused
    /// with a different body).
    pub const CONFLICT: &str = "conflict";
    /// 409: an order asks for more pieces of a SKU than its stock has left; the detail
    /// names the SKU.
    pub const OUT_OF_STOCK: &str = "out_of_stock";
    /// 409: an order cannot go from its status to the one asked; the detail names both.
    pub const INVALID_TRANSITION: &str = "invalid_transition";
    /// 413: the request body is larger than allowed.
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// 429: too many requests; retry after `Retry-After` seconds.
    pub const RATE_LIMITED: &str = "rate_limited";
    /// 500: a fault of the server; details are in its logs, never in the body.
    pub const INTERNAL: &str = "internal";
    /// 503: a part of the server is not available (e.g. the API docs' assets are not
    /// installed); the detail says what to do.
    pub const SERVICE_UNAVAILABLE: &str = "service_unavailable";

    /// Every code above, for documentation (the OpenAPI `enum` of `Problem.code`).
    pub const ALL: &[&str] = &[
        BAD_REQUEST,
        VALIDATION_FAILED,
        INVALID_CURSOR,
        INVALID_ID,
        INVALID_DATE_RANGE,
        UNAUTHORIZED,
        FORBIDDEN,
        IDENTITY_INVALID,
        NOT_FOUND,
        CONFLICT,
        OUT_OF_STOCK,
        INVALID_TRANSITION,
        PAYLOAD_TOO_LARGE,
        RATE_LIMITED,
        INTERNAL,
        SERVICE_UNAVAILABLE,
    ];
}

/// A problem details object (RFC 9457 §3.1) with Parlo's extension members `code` and `errors`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Problem {
    /// URI reference naming the problem type; `about:blank` when only `code` matters.
    #[serde(rename = "type", default = "about_blank")]
    pub type_: String,
    /// Short human summary of the problem type, e.g. `Validation failed`.
    pub title: String,
    /// HTTP status code, repeated from the response.
    pub status: u16,
    /// Human explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine code, one of [`codes`].
    pub code: String,
    /// Per-field problems, present when `code` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// One problem with one part of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FieldError {
    /// RFC 6901 JSON pointer to the offending value, e.g. `/steps/ask_email/next`.
    pub pointer: String,
    /// Human message saying what is wrong and what is expected.
    pub message: String,
}

impl FieldError {
    /// A field error at `pointer` with `message`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl Problem {
    /// A problem with `status`, `code` and `title`, no detail and no field errors.
    pub fn new(status: u16, code: &str, title: impl Into<String>) -> Self {
        Self {
            type_: about_blank(),
            title: title.into(),
            status,
            detail: None,
            code: code.to_owned(),
            errors: Vec::new(),
        }
    }

    /// Sets the human `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// A 422 `validation_failed` problem listing `errors`.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(422, codes::VALIDATION_FAILED, "Validation failed")
        }
    }
}
