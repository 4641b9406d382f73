//! Management API: leads of the key's workspace (see [`parlo_model::lead`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/leads?form_id=&from=&to=&limit=&cursor=` | `Page<Lead>`, newest first |
//! | GET | `/api/v1/leads/{lead_id}` | [`Lead`] |
//! | GET | `/api/v1/leads/export.csv?form_id=&from=&to=` | `text/csv` ([`export`]) |
//!
//! `from` and `to` are RFC 3339 date-times bounding `created_at` (both inclusive); 400
//! `invalid_date_range` when one is not RFC 3339 or `from` is after `to`.

pub mod export;

use crate::auth::ApiKey;
use crate::db::leads::{self, Filter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use parlo_model::lead::Lead;
use parlo_model::page::Page;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_leads))
        .routes(routes!(export::export_leads))
        .routes(routes!(get_lead))
}

/// Filters of the lead list and export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadFilter {
    /// Only leads of this form.
    pub form_id: Option<String>,
    /// Only leads created at or after this RFC 3339 date-time.
    pub from: Option<String>,
    /// Only leads created at or before this RFC 3339 date-time.
    pub to: Option<String>,
}

impl LeadFilter {
    /// The checked database filter.
    ///
    /// # Errors
    /// 400 `invalid_date_range` (see the module docs).
    pub fn checked(&self) -> ApiResult<Filter> {
        let (from, to) = routes::date_range(["from", "to"], self.from.as_deref(), self.to.as_deref())?;
        Ok(Filter {
            form_id: self.form_id.clone(),
            from,
            to,
        })
    }
}

/// Page of the lead list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LeadPage {
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = routes::int_cursor_schema)]
    cursor: Option<String>,
}

/// List leads
///
/// Lists the workspace's leads, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/leads",
    tag = "management",
    params(LeadFilter, LeadPage),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Leads, newest first", body = Page<Lead>),
    )
)]
async fn list_leads(
    State(state): State<AppState>,
    key: ApiKey,
    Query(filter): Query<LeadFilter>,
    Query(page): Query<LeadPage>,
) -> ApiResult<Json<Page<Lead>>> {
    let limit = routes::check_limit(page.limit)?;
    let filter = filter.checked()?;
    let before = match page.cursor.as_deref() {
        None => i64::MAX,
        cursor => routes::int_cursor(cursor)?,
    };
    let mut conn = state.db.acquire().await?;
    let rows = leads::page(&mut conn, key.workspace_id, &filter, before, limit + 1).await?;
    let page = routes::page(rows, limit, |(seq, _)| seq.to_string());
    Ok(Json(Page {
        items: page.items.into_iter().map(|(_, lead)| lead).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get a lead
///
/// One lead of the workspace.
#[utoipa::path(
    get,
    path = "/api/v1/leads/{lead_id}",
    tag = "management",
    params(("lead_id" = String, Path, description = "Lead id, e.g. `lead_4ZyT0rW8qk2mB1xLcV9d`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The lead", body = Lead),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_lead(
    State(state): State<AppState>,
    key: ApiKey,
    Path(lead_id): Path<String>,
) -> ApiResult<Json<Lead>> {
    let mut conn = state.db.acquire().await?;
    leads::find(&mut conn, key.workspace_id, &lead_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no lead '{lead_id}'")))
}
