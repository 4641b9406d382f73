//! `GET /api/v1/leads/export.csv`: the leads of a filter as CSV (RFC 4180, UTF-8, header
//! row), oldest first.
//!
//! Columns: `lead_id`, `created_at`, `form_id`, `subscriber_id`; one per form field (the
//! fields of the `form_id` filter's form in its order, then any other value names of the
//! leads in the order first seen; lists joined with `; `, consents `yes`/`no`); the
//! capture members (`utm_source` … `submitted_at`); and per consent field
//! `<name>_text` and `<name>_version`, as the visitor was shown them. A cell starting with
//! `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so spreadsheets do not
//! run it as a formula (OWASP, "CSV Injection").

use super::LeadFilter;
use crate::auth::ApiKey;
use crate::db::{forms, leads};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;
use anyhow::Context;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use parlo_model::form::Capture;
use parlo_model::lead::Lead;

/// Leads read from the database per query.
const CHUNK: u32 = 1000;

/// Appends `name` to `names` unless it is there.
fn push_new(names: &mut Vec<String>, name: &str) {
    if !names.iter().any(|n| n == name) {
        names.push(name.to_owned());
    }
}

/// `cell` made safe to open in a spreadsheet (see the module docs).
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The CSV document of `leads` (oldest first), value columns starting with `fields`.
fn to_csv(leads: &[Lead], mut fields: Vec<String>) -> anyhow::Result<Vec<u8>> {
    let mut consents = Vec::new();
    for lead in leads {
        for name in lead.values.keys() {
            push_new(&mut fields, name);
        }
        for consent in &lead.consents {
            push_new(&mut consents, &consent.field);
        }
    }
    let capture_names = Capture::default().entries().map(|(name, _)| name);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["lead_id", "created_at", "form_id", "subscriber_id"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    header.extend(fields.iter().cloned());
    header.extend(capture_names.iter().map(|n| (*n).to_owned()));
    for name in &consents {
        header.extend([format!("{name}_text"), format!("{name}_version")]);
    }
    out.write_record(header.iter().map(|h| defuse(h)))?;
    for lead in leads {
        let mut row = vec![
            lead.id.to_string(),
            lead.created_at.clone(),
            lead.form_id.to_string(),
            lead.subscriber_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ];
        row.extend(
            fields
                .iter()
                .map(|f| lead.values.get(f).map(|v| v.display()).unwrap_or_default()),
        );
        row.extend(
            lead.capture
                .entries()
                .map(|(_, v)| v.unwrap_or_default().to_owned()),
        );
        for name in &consents {
            let consent = lead.consents.iter().find(|c| &c.field == name);
            row.push(consent.map(|c| c.text.clone()).unwrap_or_default());
            row.push(consent.map(|c| c.version.clone()).unwrap_or_default());
        }
        out.write_record(row.iter().map(|c| defuse(c)))?;
    }
    out.into_inner().context("finishing the CSV")
}

/// Export leads as CSV
///
/// Exports the workspace's leads matching the filters as CSV, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/leads/export.csv",
    tag = "management",
    params(LeadFilter),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "CSV with a header row (see the columns in the server README)",
         content_type = "text/csv", body = String),
    )
)]
pub(super) async fn export_leads(
    State(state): State<AppState>,
    key: ApiKey,
    Query(filter): Query<LeadFilter>,
) -> ApiResult<impl IntoResponse> {
    let filter = filter.checked()?;
    let mut conn = state.db.acquire().await?;
    let fields = match &filter.form_id {
        Some(id) => forms::find(&mut conn, key.workspace_id, id)
            .await?
            .map(|f| f.fields.into_iter().map(|f| f.name).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut all = Vec::new();
    let mut before = i64::MAX;
    loop {
        let rows = leads::page(&mut conn, key.workspace_id, &filter, before, CHUNK).await?;
        let done = rows.len() < CHUNK as usize;
        before = rows.last().map_or(before, |(seq, _)| *seq);
        all.extend(rows.into_iter().map(|(_, lead)| lead));
        if done {
            break;
        }
    }
    all.reverse();
    let body = to_csv(&all, fields)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"leads.csv\""),
        ],
        body,
    ))
}
