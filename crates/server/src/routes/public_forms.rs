//! Public form API (no credentials; per-form CORS in [`crate::cors`]).
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/public/v1/forms/{form_id}` | → [`PublicForm`] (with a fresh render token) |
//! | POST | `/api/public/v1/forms/{form_id}/submissions` | [`Submission`] → [`SubmissionAccepted`] (201; 200 for a retry, also once the form is deleted or unpublished) |
//!
//! Submissions are rate-limited per client IP and per form ([`crate::rate_limit::FormLimits`],
//! 429 with `Retry-After`); see [`crate::forms::submit`] for idempotency and anti-spam.

use crate::client_ip::ClientIp;
use crate::clock;
use crate::db::forms::{self, StoredForm};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::forms::submit::{replay_gone, submit};
use crate::forms::{RENDER_SECRET, render_token};
use crate::locales::{self, LocaleQuery, Part};
use crate::openapi as doc;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parlo_model::form::{PublicForm, Submission};
use parlo_model::lead::SubmissionAccepted;
use std::time::Instant;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_public_form))
        .routes(routes!(submit_form))
}

/// The published form `form_id`; 404 when there is none or it is not published.
async fn published(state: &AppState, form_id: &str) -> ApiResult<StoredForm> {
    let mut conn = state.db.acquire().await?;
    forms::find_any(&mut conn, form_id)
        .await?
        .filter(|f| f.form.published)
        .ok_or_else(|| ApiError::NotFound(format!("no form '{form_id}'")))
}

/// Public form
///
/// The form as the browser renders it, with a render token issued now (the minimum fill
/// time counts from it), and its own texts (states, field checks) in the language of the
/// `locale` query (`locale`, `strings`). Not cacheable (`Cache-Control: no-store`).
#[utoipa::path(
    get,
    path = "/api/public/v1/forms/{form_id}",
    tag = "public",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`"), LocaleQuery),
    responses(
        (status = 200, description = "The form's fields and texts, and a render token", body = PublicForm),
        (status = 403, response = doc::Forbidden),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_public_form(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
    Query(query): Query<LocaleQuery>,
) -> ApiResult<Response> {
    let stored = published(&state, &form_id).await?;
    let mut conn = state.db.acquire().await?;
    let secret = forms::secret(&mut conn, RENDER_SECRET, &clock::now_rfc3339()).await?;
    let token = render_token(&secret, &form_id, clock::now_ms());
    let mut form = stored.form.public_view(token);
    let (locale, strings) = locales::resolve(query.locale.as_deref(), Part::Form, &Default::default());
    form.locale = Some(locale);
    form.strings = strings;
    let mut response = Json(form).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Submit a form
///
/// Submits the form. Exactly one lead per idempotency key: a retry with the same key and
/// body answers the first answer (200), the same key with other values 409 `conflict`.
/// Invalid values: 422 with one error per field (`/values/<name>`). A filled honeypot or a
/// submission sooner than the form's minimum fill time is answered like a success but
/// makes no lead and runs no automation.
#[utoipa::path(
    post,
    path = "/api/public/v1/forms/{form_id}/submissions",
    tag = "public",
    params(("form_id" = String, Path, description = "Public form id, e.g. `quote`")),
    request_body = Submission,
    responses(
        (status = 201, description = "Accepted", body = SubmissionAccepted),
        (status = 200, description = "Accepted earlier with this idempotency key; the same answer", body = SubmissionAccepted),
        (status = 403, response = doc::Forbidden),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
        (status = 413, response = doc::PayloadTooLarge),
        (status = 429, response = doc::RateLimited),
    )
)]
async fn submit_form(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
    ClientIp(ip): ClientIp,
    Json(submission): Json<Submission>,
) -> ApiResult<(StatusCode, Json<SubmissionAccepted>)> {
    state.form_limits.take(ip, &form_id, Instant::now())?;
    let answer = match published(&state, &form_id).await {
        Ok(stored) => submit(&state, stored.workspace_id, &stored.form, &submission).await?,
        Err(ApiError::NotFound(missing)) => replay_gone(&state, &form_id, &submission)
            .await?
            .ok_or(ApiError::NotFound(missing))?,
        Err(e) => return Err(e),
    };
    let status = if answer.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(answer.body)))
}
