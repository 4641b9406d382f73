//! `GET /api/v1/leads/export.csv`: the leads of a filter as CSV (RFC 4180, UTF-8, header
//! row), oldest first, streamed: the server holds one chunk of leads at a time, whatever the
//! export's size. A first pass over the leads finds the columns, a second writes the rows;
//! both walk the leads that existed when the export began, so a lead arriving meanwhile is
//! not half in it.
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
use crate::db::leads::Filter;
use crate::db::{forms, leads};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;
use anyhow::Context;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use parlo_model::form::Capture;
use parlo_model::lead::Lead;

/// Leads read from the database per query.
const CHUNK: u32 = 500;

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

/// The columns of an export beyond the fixed ones: form field values, then consents.
#[derive(Debug)]
struct Columns {
    /// Value names, in column order.
    fields: Vec<String>,
    /// Consent field names, each with a `_text` and a `_version` column.
    consents: Vec<String>,
}

impl Columns {
    /// Adds the value and consent names of `lead` that are new.
    fn add(&mut self, lead: &Lead) {
        for name in lead.values.keys() {
            push_new(&mut self.fields, name);
        }
        for consent in &lead.consents {
            push_new(&mut self.consents, &consent.field);
        }
    }

    /// The header row.
    fn header(&self) -> Vec<String> {
        let mut header: Vec<String> = ["lead_id", "created_at", "form_id", "subscriber_id"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        header.extend(self.fields.iter().cloned());
        header.extend(Capture::default().entries().map(|(name, _)| name.to_owned()));
        for name in &self.consents {
            header.extend([format!("{name}_text"), format!("{name}_version")]);
        }
        header
    }

    /// The row of `lead`.
    fn row(&self, lead: &Lead) -> Vec<String> {
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
            self.fields
                .iter()
                .map(|f| lead.values.get(f).map(|v| v.display()).unwrap_or_default()),
        );
        row.extend(
            lead.capture
                .entries()
                .map(|(_, v)| v.unwrap_or_default().to_owned()),
        );
        for name in &self.consents {
            let consent = lead.consents.iter().find(|c| &c.field == name);
            row.push(consent.map(|c| c.text.clone()).unwrap_or_default());
            row.push(consent.map(|c| c.version.clone()).unwrap_or_default());
        }
        row
    }
}

/// `rows` as CSV records (cells defused).
fn csv_chunk(rows: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<Bytes> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row.iter().map(|c| defuse(c)))?;
    }
    Ok(out.into_inner().context("finishing a CSV chunk")?.into())
}

/// Where the second pass of an export stands.
struct Rows {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    workspace_id: i64,
    filter: Filter,
    columns: Columns,
    /// `seq` of the last lead written.
    after: i64,
    /// `seq` of the newest lead when the export began.
    up_to: i64,
}

impl Rows {
    /// The next chunk of rows as CSV, `None` when every lead is written.
    async fn next(&mut self) -> anyhow::Result<Option<Bytes>> {
        let leads = leads::range(
            &mut self.conn,
            self.workspace_id,
            &self.filter,
            (self.after, self.up_to),
            CHUNK,
        )
        .await?;
        let Some((last, _)) = leads.last() else {
            return Ok(None);
        };
        self.after = *last;
        csv_chunk(leads.iter().map(|(_, lead)| self.columns.row(lead))).map(Some)
    }
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
    let mut columns = Columns {
        fields,
        consents: Vec::new(),
    };
    let up_to = leads::last_seq(&mut conn, key.workspace_id).await?;
    let mut after = 0;
    loop {
        let chunk = leads::range(&mut conn, key.workspace_id, &filter, (after, up_to), CHUNK).await?;
        let Some((last, _)) = chunk.last() else { break };
        after = *last;
        chunk.iter().for_each(|(_, lead)| columns.add(lead));
    }
    let header = csv_chunk([columns.header()])?;
    let mut rows = Rows {
        conn,
        workspace_id: key.workspace_id,
        filter,
        columns,
        after: 0,
        up_to,
    };
    // An error after the header cuts the response short (the client sees a broken
    // download, never a complete-looking file).
    let body = async_stream::stream! {
        yield Ok::<_, anyhow::Error>(header);
        loop {
            match rows.next().await {
                Ok(Some(chunk)) => yield Ok(chunk),
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "lead export cut short");
                    yield Err(e);
                    break;
                }
            }
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"leads.csv\""),
        ],
        Body::from_stream(body),
    ))
}
