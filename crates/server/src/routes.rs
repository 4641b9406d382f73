//! HTTP routes, one module per resource, each with its own `router()`.
//!
//! | surface | prefix | auth |
//! |---|---|---|
//! | public widget API | `/api/public/v1/channels/{channel_id}` | visitor session token |
//! | management API | `/api/v1` | `Bearer parlo_sk_…` API key, or a user session with `Parlo-Workspace` |
//! | console | `/api/v1/auth/…`, `/api/v1/workspaces…` | `Bearer parlo_us_…` user session (login: none) |
//! | API docs | `/api/openapi.json`, `/docs` | none |
//! | probes | `/healthz`, `/readyz` ([`health`]) | none |
//! | unsubscribe links | `/unsubscribe/{token}` ([`unsubscribe`]) | the signed token |
//! | static files | `/`, `/pkg/…`, `/embed.js` | none |
//!
//! Every API route is registered with `utoipa_axum::routes!`, which takes its path and
//! method from the handler's `#[utoipa::path]`: the router and the OpenAPI document
//! ([`crate::openapi`]) cannot diverge.

pub mod api_keys;
pub mod assets;
pub mod auth;
pub mod bot_fields;
pub mod broadcasts;
pub mod channels;
pub mod conversations;
pub mod custom_fields;
pub mod deliveries;
pub mod docs;
pub mod events;
pub mod flow_statistics;
pub mod flows;
pub mod forms;
pub mod health;
pub mod inbox;
pub mod keywords;
pub mod leads;
pub mod messages;
pub mod metrics;
pub mod public_channels;
pub mod public_forms;
pub mod send;
pub mod sessions;
pub mod shop;
pub mod subscribers;
pub mod tags;
pub mod takeover;
pub mod triggers;
pub mod unsubscribe;
pub mod webhook_endpoints;
pub mod workspace_events;
pub mod workspaces;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use parlo_model::page::{DEFAULT_LIMIT, MAX_LIMIT, Page};
use parlo_model::tag::MAX_NAME_CHARS;
use parlo_model::validate::{MemberRule, Rule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest accepted body on the public API, in bytes.
pub const PUBLIC_BODY_LIMIT: usize = 64 * 1024;

/// The public widget and form API with its body limit. Its per-channel and per-form CORS
/// ([`crate::cors::per_resource`])
/// wraps the whole app, so it also answers preflights before routing.
pub fn public() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(public_channels::router())
        .merge(sessions::router())
        .merge(messages::router())
        .merge(events::router())
        .merge(public_forms::router())
        .layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT))
}

/// The management API, callable from pages of every origin ([`crate::management_cors`]).
pub fn management() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(api_keys::router())
        .merge(channels::router())
        .merge(keywords::router())
        .merge(flows::router())
        .merge(subscribers::router())
        .merge(tags::router())
        .merge(custom_fields::router())
        .merge(forms::router())
        .merge(leads::router())
        .merge(send::router())
        .merge(triggers::router())
        .merge(conversations::router())
        .merge(takeover::router())
        .merge(inbox::router())
        .merge(workspace_events::router())
        .merge(flow_statistics::router())
        .merge(bot_fields::router())
        .merge(auth::router())
        .merge(workspaces::router())
        .merge(webhook_endpoints::router())
        .merge(deliveries::router())
        .merge(broadcasts::router())
        .merge(shop::router())
        .layer(axum::middleware::from_fn(crate::rate_limit::advertise))
}

/// Every API route (public, management, and the OpenAPI document itself) with its
/// documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(public())
        .merge(management())
        .routes(routes!(crate::openapi::get_openapi))
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

/// `limit` and `cursor` of a management list (see [`parlo_model::page`]).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`, not clamped.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; omit for the first page.
    pub cursor: Option<String>,
}

impl ListQuery {
    /// The page size: `limit` or [`DEFAULT_LIMIT`].
    ///
    /// # Errors
    /// 400 `invalid_cursor` when `limit` is outside `1..=`[`MAX_LIMIT`].
    pub fn limit(&self) -> Result<u32, ApiError> {
        check_limit(self.limit)
    }
}

/// `limit` or [`DEFAULT_LIMIT`]; 400 `invalid_cursor` outside `1..=`[`MAX_LIMIT`] (the API
/// rejects, never clamps: `docs/design.md`, API conventions).
pub fn check_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::InvalidCursor(format!(
            "limit must be 1..={MAX_LIMIT}, is {limit}"
        )))
    }
}

/// A [`Page`] of `items` fetched with `limit + 1`: when the extra item is there it is
/// dropped and `next_cursor` is `cursor_of` the last kept item.
pub fn page<T>(mut items: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> String) -> Page<T> {
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(cursor_of)
    } else {
        None
    };
    Page { items, next_cursor }
}

/// A positive integer id from the path; 400 `invalid_id` otherwise.
pub fn int_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .ok()
        .filter(|&id: &i64| id > 0)
        .ok_or_else(|| ApiError::InvalidId(format!("'{id}' is not a positive integer id")))
}

/// The cursors of id- and `seq`-ordered lists as an ECMA-262 regular expression (their
/// OpenAPI `pattern`): a non-negative integer in canonical form, at most 18 digits (so it
/// always fits an `i64`), which is how the server writes them.
pub const INT_CURSOR_PATTERN: &str = "^(0|[1-9][0-9]{0,17})$";

/// The schema of a `cursor` that [`int_cursor`] reads (`schema_with` of its parameter): a
/// string matching [`INT_CURSOR_PATTERN`].
pub fn int_cursor_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .pattern(Some(INT_CURSOR_PATTERN))
        .description(Some(
            "`next_cursor` of the previous page; omit for the first page.",
        ))
        .build()
}

/// `limit` and `cursor` of a list in id order, whose cursor is the last id of the previous
/// page ([`int_cursor`]).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntListQuery {
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`, not clamped.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; omit for the first page.
    #[param(schema_with = int_cursor_schema)]
    pub cursor: Option<String>,
}

impl IntListQuery {
    /// The page size ([`check_limit`]) and the id the page starts after ([`int_cursor`]).
    ///
    /// # Errors
    /// 400 `invalid_cursor` for a `limit` or `cursor` out of range.
    pub fn checked(&self) -> Result<(u32, i64), ApiError> {
        Ok((check_limit(self.limit)?, int_cursor(self.cursor.as_deref())?))
    }
}

/// A cursor of an id- or `seq`-ordered list: 0 without a cursor; 400 `invalid_cursor` for
/// one not matching [`INT_CURSOR_PATTERN`]. Its parameter declares [`int_cursor_schema`].
pub fn int_cursor(cursor: Option<&str>) -> Result<i64, ApiError> {
    cursor.map_or(Ok(0), |c| {
        let canonical = (1..=18).contains(&c.len())
            && c.bytes().all(|b| b.is_ascii_digit())
            && (c == "0" || !c.starts_with('0'));
        canonical
            .then(|| c.parse().ok())
            .flatten()
            .ok_or_else(|| ApiError::InvalidCursor(format!("unknown cursor '{c}'")))
    })
}

/// A tag or custom field reference (`IdOrName`) as the API takes it, for the API document:
/// a positive id (ids are counted from 1, so another is unknown: 422), or a name as
/// [`check_name`] takes it.
pub const SCHEMA_RULES: [MemberRule; 2] = [
    (
        "IdOrName",
        "0",
        Rule::Range {
            min: 1.0,
            max: i64::MAX as f64,
        },
    ),
    ("IdOrName", "1", parlo_model::validate::name(MAX_NAME_CHARS)),
];

/// A tag or field name ([`parlo_model::validate::check_name`], at most [`MAX_NAME_CHARS`]), trimmed;
/// 422 at `pointer` otherwise.
pub fn check_name(pointer: &str, name: &str) -> Result<String, ApiError> {
    parlo_model::validate::check_name(name, MAX_NAME_CHARS)
        .map(str::to_owned)
        .map_err(|problem| ApiError::invalid(pointer, problem))
}

/// A checked date range `from..=to` of RFC 3339 date-times, in stored form (UTC); 400
/// `invalid_date_range` for a bound that is not RFC 3339 or `from` after `to`. `names`
/// are the query parameters' names, for the message.
pub fn date_range(
    names: [&str; 2],
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let parse = |name: &str, value: Option<&str>| {
        value
            .map(|v| {
                crate::clock::parse_rfc3339(v).ok_or_else(|| {
                    ApiError::InvalidDateRange(format!("{name} '{v}' is not an RFC 3339 date-time"))
                })
            })
            .transpose()
    };
    let (from, to) = (parse(names[0], from)?, parse(names[1], to)?);
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        let [from_name, to_name] = names;
        return Err(ApiError::InvalidDateRange(format!(
            "{from_name} is after {to_name}"
        )));
    }
    Ok((from, to))
}
