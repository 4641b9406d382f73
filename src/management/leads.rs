//! `/api/v1/leads`: leads (accepted form submissions), and their CSV export.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::ids::LeadId;
use parlo_model::lead::Lead;
use serde::{Deserialize, Serialize};

/// The leads of the workspace; from [`Client::leads`].
#[derive(Clone, Copy, Debug)]
pub struct LeadsApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`LeadsApi::list`] and [`LeadsApi::export_csv`]. Date-times are RFC 3339
/// (`from` after `to` is a 400 `invalid_date_range`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct LeadFilter {
    /// Only leads of this form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_id: Option<String>,
    /// Only leads created at or after this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Only leads created at or before this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl LeadsApi<'_> {
    /// `GET /api/v1/leads`: one page of leads, newest first.
    pub async fn list(self, filter: &LeadFilter, page: ListParams) -> Result<Page<Lead>, Error> {
        let request = Request::new(Method::Get, "/api/v1/leads")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `GET /api/v1/leads/{id}`.
    pub async fn get(self, id: &LeadId) -> Result<Lead, Error> {
        let path = format!("/api/v1/leads/{}", segment(id.as_str()));
        self.client.send(Request::new(Method::Get, path)).await
    }

    /// `GET /api/v1/leads/export.csv`: every lead matching `filter` as CSV (RFC 4180), one
    /// row per lead.
    pub async fn export_csv(self, filter: &LeadFilter) -> Result<String, Error> {
        let request = Request::new(Method::Get, "/api/v1/leads/export.csv").query(filter)?;
        self.client.send_text(request).await
    }
}
