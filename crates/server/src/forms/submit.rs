//! Storing a form submission: exactly one lead per idempotency key, its subscriber, and
//! its automations' outbox rows, all in one transaction.
//!
//! Order of checks: a known idempotency key answers the first result (409 when the body
//! differs); then the anti-spam checks (honeypot, minimum fill time), which answer a
//! success without a lead; then validation (422); then the lead is stored. Because the
//! answer is stored in the same transaction as the lead, a client that lost the answer
//! (timeout, crash between commit and response) gets it again by retrying.

use super::{RENDER_SECRET, RegexPatterns, token_issued_ms};
use crate::clock;
use crate::db::leads::{self, NewSubmission, Outcome};
use crate::db::{self, forms, sessions, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::outbox::{self, Event};
use crate::state::AppState;
use crate::tokens;
use parlo_engine::Effect;
use parlo_model::form::{FieldType, FieldValue, Form, Submission};
use parlo_model::ids::{FormId, LeadId, SubscriberId};
use parlo_model::lead::{ConsentRecord, Lead, SubmissionAccepted};
use std::collections::BTreeMap;

/// Event type of the outbox event of a new lead; its data is the [`Lead`].
pub const LEAD_CREATED: &str = "lead.created";
/// Custom fields of the subscriber filled from form fields of the same name (when the
/// subscriber has no value yet), besides the first e-mail and phone field.
const PROFILE_FIELDS: [&str; 3] = ["name", "first_name", "last_name"];

/// The answer to a submission.
#[derive(Clone, Debug)]
pub struct Answer {
    /// `true` the first time (201), `false` for a retry of a known key (200).
    pub created: bool,
    /// The body.
    pub body: SubmissionAccepted,
}

/// SHA-256 of what must not change between retries of one key: values, capture, honeypot.
fn body_hash(sub: &Submission) -> ApiResult<String> {
    let body = serde_json::to_string(&(&sub.values, &sub.capture, &sub.honeypot))?;
    Ok(tokens::digest(&body))
}

/// The answer already given for `sub`'s key, or 409 when that key came with another body.
async fn replay(
    conn: &mut db::Connection,
    form_id: &str,
    sub: &Submission,
    hash: &str,
) -> ApiResult<Option<Answer>> {
    let Some(answered) = leads::answered(conn, form_id, &sub.idempotency_key).await? else {
        return Ok(None);
    };
    // The record of an erased lead keeps no hash of what was sent: any retry of its key is
    // answered as before (and stores nothing).
    if !answered.body_hash.is_empty() && answered.body_hash != hash {
        return Err(ApiError::Conflict(format!(
            "idempotency key '{}' was used for a submission with other values",
            sub.idempotency_key
        )));
    }
    Ok(Some(Answer {
        created: false,
        body: serde_json::from_str(&answered.response)?,
    }))
}

/// The answer given for `sub` by form `form_id` when the form is gone (deleted or
/// unpublished since): a retry of an accepted submission still gets its original answer (or
/// 409 with other values); `None` when the key was never accepted.
pub async fn replay_gone(state: &AppState, form_id: &str, sub: &Submission) -> ApiResult<Option<Answer>> {
    let hash = body_hash(sub)?;
    let mut conn = state.db.acquire().await?;
    replay(&mut conn, form_id, sub, &hash).await
}

/// Whether `sub` is taken for a bot: honeypot filled, or sent sooner than the form's
/// `min_fill_ms` after its render token was issued (a missing or forged token counts as
/// too soon).
async fn spam_outcome(conn: &mut db::Connection, form: &Form, sub: &Submission) -> ApiResult<Outcome> {
    if !sub.honeypot.is_empty() {
        return Ok(Outcome::Honeypot);
    }
    if form.min_fill_ms == 0 {
        return Ok(Outcome::Lead);
    }
    let secret = forms::secret(conn, RENDER_SECRET, &clock::now_rfc3339()).await?;
    let issued = sub
        .render_token
        .as_deref()
        .and_then(|t| token_issued_ms(&secret, form.id.as_str(), t));
    let filled_ms = issued.map(|at| clock::now_ms() - at);
    Ok(match filled_ms {
        Some(ms) if ms >= i64::from(form.min_fill_ms) => Outcome::Lead,
        _ => Outcome::TooFast,
    })
}

/// Checks and stores `sub` for `form` of workspace `workspace_id`; see the module docs.
///
/// # Errors
/// 422 with every field problem, 409 for a key reused with another body, 500 on storage
/// faults.
pub async fn submit(state: &AppState, workspace_id: i64, form: &Form, sub: &Submission) -> ApiResult<Answer> {
    let form_id = form.id.as_str();
    let hash = body_hash(sub)?;
    let mut conn = state.db.acquire().await?;
    if let Some(answer) = replay(&mut conn, form_id, sub, &hash).await? {
        return Ok(answer);
    }
    let outcome = spam_outcome(&mut conn, form, sub).await?;
    drop(conn);
    let values = match outcome {
        Outcome::Lead => sub
            .validate(&form.fields, &RegexPatterns)
            .map_err(ApiError::Validation)?,
        // Bots learn nothing from a spam answer; only the key must be storable.
        _ => Submission {
            values: BTreeMap::new(),
            ..sub.clone()
        }
        .validate(&[], &RegexPatterns)
        .map_err(ApiError::Validation)?,
    };
    let mut tx = db::begin_write(&state.db).await?;
    // A concurrent retry may have stored the key since the check above.
    if let Some(answer) = replay(&mut tx, form_id, sub, &hash).await? {
        return Ok(answer);
    }
    let now = clock::now_rfc3339();
    let body = SubmissionAccepted {
        idempotency_key: sub.idempotency_key.clone(),
        accepted_at: now.clone(),
        success: form.success.clone(),
    };
    let lead_id = match outcome {
        Outcome::Lead => Some(store_lead(&mut tx, workspace_id, form, sub, values, &now).await?),
        _ => None,
    };
    leads::record(
        &mut tx,
        &NewSubmission {
            form_id,
            idempotency_key: &sub.idempotency_key,
            workspace_id,
            body_hash: &hash,
            outcome,
            lead_id: lead_id.as_ref().map(LeadId::as_str),
            response: &serde_json::to_string(&body)?,
            created_at: &now,
        },
    )
    .await?;
    tx.commit().await?;
    if lead_id.is_some() && !form.automations.is_empty() {
        state.outbox.notify_one();
    }
    Ok(Answer { created: true, body })
}

/// Stores the lead of a checked submission with its subscriber and outbox rows.
async fn store_lead(
    conn: &mut db::Connection,
    workspace_id: i64,
    form: &Form,
    sub: &Submission,
    values: BTreeMap<String, FieldValue>,
    now: &str,
) -> ApiResult<LeadId> {
    let subscriber_id = subscriber_of(conn, workspace_id, form, sub, &values, now).await?;
    let lead = Lead {
        id: LeadId(format!("lead_{}", tokens::random_base62(20))),
        form_id: FormId(form.id.to_string()),
        subscriber_id: subscriber_id.map(SubscriberId),
        consents: ConsentRecord::from_form(form, &values),
        values,
        capture: sub.capture.clone(),
        idempotency_key: sub.idempotency_key.clone(),
        created_at: now.to_owned(),
    };
    leads::insert(conn, workspace_id, &lead).await?;
    let event = Event {
        workspace_id,
        subscriber_id: lead.subscriber_id.clone(),
        event_type: LEAD_CREATED.to_owned(),
        data: serde_json::to_value(&lead)?,
    };
    outbox::enqueue(conn, &event, &form.automations).await?;
    Ok(lead.id)
}

/// The first value of a field of `kind` among the cleaned `values`.
fn first_of_kind<'a>(
    form: &Form,
    values: &'a BTreeMap<String, FieldValue>,
    kind: FieldType,
) -> Option<&'a str> {
    form.fields
        .iter()
        .filter(|f| f.kind == kind)
        .find_map(|f| match values.get(&f.name) {
            Some(FieldValue::Text(v)) => Some(v.as_str()),
            _ => None,
        })
}

/// The lead's subscriber: the chat visitor of a valid session token of the workspace,
/// else the oldest with the submitted e-mail, else with the phone, else a new one on the
/// form's channel (or the workspace's first; `None` without any channel). Its e-mail,
/// phone and names are filled from the values where it has none yet.
async fn subscriber_of(
    conn: &mut db::Connection,
    workspace_id: i64,
    form: &Form,
    sub: &Submission,
    values: &BTreeMap<String, FieldValue>,
    now: &str,
) -> ApiResult<Option<String>> {
    let email = first_of_kind(form, values, FieldType::Email);
    let phone = first_of_kind(form, values, FieldType::Phone);
    let mut found = None;
    if let Some(token) = &sub.session_token
        && let Some(session) = sessions::find(conn, &tokens::digest(token)).await?
        && session.workspace_id == workspace_id
    {
        found = Some(session.subscriber_id);
    }
    // Then by e-mail (ignoring case), then by phone: the oldest such subscriber.
    let by_contact = [
        email.map(|e| subscribers::Filter {
            email: Some(e.to_owned()),
            ..subscribers::Filter::default()
        }),
        phone.map(|p| subscribers::Filter {
            phone: Some(p.to_owned()),
            ..subscribers::Filter::default()
        }),
    ];
    for filter in by_contact.iter().flatten() {
        if found.is_none() {
            found = subscribers::search(conn, workspace_id, filter, None, 1)
                .await?
                .into_iter()
                .next();
        }
    }
    let id = match found {
        Some(id) => id,
        None => {
            let preferred = form.channel_id.as_ref().map(|c| c.as_str());
            let Some(channel) = forms::lead_channel(conn, workspace_id, preferred).await? else {
                return Ok(None);
            };
            let id = tokens::new_subscriber_id();
            subscribers::create(conn, &id, workspace_id, &channel, now).await?;
            id
        }
    };
    let profile = subscribers::profile(conn, &id).await?;
    let named = PROFILE_FIELDS.iter().filter_map(|name| match values.get(*name) {
        Some(FieldValue::Text(v)) => Some((*name, v.as_str())),
        _ => None,
    });
    let fills = [("email", email), ("phone", phone)]
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| (name, v)))
        .chain(named);
    for (field, value) in fills {
        if !profile.fields.contains_key(field) {
            let effect = Effect::SetField {
                field: field.to_owned(),
                value: value.to_owned(),
            };
            subscribers::apply(conn, &id, &effect, now).await?;
        }
    }
    Ok(Some(id))
}
