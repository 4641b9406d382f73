//! Management API: the API trigger (Floatchat's "API Trigger").
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/flows/{flow_id}/trigger` | [`TriggerFlow`] → [`FlowTriggered`] |
//!
//! One call finds a subscriber, creates or updates them and starts the flow, all in ONE
//! write turn ([`chat::turn`]): a subscriber is never created without the flow having run.
//! With an `Idempotency-Key` header the key is recorded in that same turn, with a hash of
//! the flow id and body and the answer given; a repeat with the key (within the
//! idempotency retention, `--idempotency-retention-hours`) answers that first answer and
//! changes nothing, and the key with another flow or body is a 409 `conflict` — the rules
//! of form submissions and session starts. Keys are per workspace.

use crate::auth::ApiKey;
use crate::chat::{self, Outcome, Turn};
use crate::clock;
use crate::db::{self, custom_fields, flows, subscribers, triggers};
use crate::error::{ApiError, ApiResult};
use crate::extract::{IdempotencyKey, Json, Path};
use crate::field_values;
use crate::openapi as doc;
use crate::routes::send::payload_variables;
use crate::routes::subscribers::changes::Changes;
use crate::routes::subscribers::profile::{check_channel, check_emails, check_len};
use crate::state::AppState;
use crate::telemetry::{self, Trigger};
use crate::tokens;
use axum::extract::State;
use parlo_model::ids::FlowId;
use parlo_model::problem::FieldError;
use parlo_model::subscriber::{SUBSCRIBER_ID_PATTERN, is_valid_subscriber_id};
use parlo_model::tag::MAX_BATCH;
use parlo_model::trigger::{FlowTriggered, SubscriberMatch, TriggerFlow};
use parlo_model::validate::{FieldKind, MemberRule, Rule, check_answer, items};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What [`trigger_flow`] checks of its body's members, for the API document.
/// Every subscriber id is of [`SUBSCRIBER_ID_PATTERN`] (the server makes them so), and
/// [`match_subscriber`] refuses any other.
pub const SCHEMA_RULES: [MemberRule; 3] = [
    ("TriggerFlow", "fields", items(0, MAX_BATCH)),
    ("TriggerFlow", "tags", items(0, MAX_BATCH)),
    ("SubscriberId", "", Rule::Pattern(SUBSCRIBER_ID_PATTERN)),
];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trigger_flow))
}

/// What a [`SubscriberMatch`] found, and what a subscriber created for it gets.
#[derive(Debug, Default)]
struct Matched {
    /// The oldest matching subscriber, if any.
    subscriber_id: Option<String>,
    /// The profile member (`email` or `phone`) and value a created subscriber gets.
    member: Option<(&'static str, String)>,
    /// The custom field (id) and canonical value a created subscriber gets.
    field: Option<(i64, String)>,
}

/// The oldest subscriber of the workspace matching `filter`.
async fn oldest(
    conn: &mut db::Connection,
    workspace_id: i64,
    filter: &subscribers::Filter,
) -> ApiResult<Option<String>> {
    Ok(subscribers::search(conn, workspace_id, filter, None, 1)
        .await?
        .pop())
}

/// Looks for the subscriber of `find`; its problems go to `errors` (pointers under
/// `/find`). 404 for an id the workspace lacks.
async fn match_subscriber(
    conn: &mut db::Connection,
    workspace_id: i64,
    find: &SubscriberMatch,
    errors: &mut Vec<FieldError>,
) -> ApiResult<Matched> {
    let mut filter = subscribers::Filter::default();
    let mut matched = Matched::default();
    match find {
        SubscriberMatch::Id { subscriber_id } => {
            let id = subscriber_id.as_str();
            if !is_valid_subscriber_id(id) {
                errors.push(FieldError::new(
                    "/find/subscriber_id",
                    "must be a subscriber id (sub_ and 20 letters or digits)",
                ));
                return Ok(matched);
            }
            subscribers::find(conn, workspace_id, id)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{id}'")))?;
            matched.subscriber_id = Some(id.to_owned());
            return Ok(matched);
        }
        SubscriberMatch::Email { email } => match check_answer(FieldKind::Email, email) {
            Ok(email) => {
                filter.email = Some(email.clone());
                matched.member = Some(("email", email));
            }
            Err(message) => errors.push(FieldError::new("/find/email", message)),
        },
        SubscriberMatch::Phone { phone } => match check_answer(FieldKind::Phone, phone) {
            Ok(phone) => {
                filter.phone = Some(phone.clone());
                matched.member = Some(("phone", phone));
            }
            Err(message) => errors.push(FieldError::new("/find/phone", message)),
        },
        SubscriberMatch::Field { field, value } => match custom_fields::find(conn, workspace_id, field)
            .await?
        {
            None => errors.push(FieldError::new("/find/field", format!("no custom field {field}"))),
            Some(found) => match field_values::canonical(found.field_type, &Value::String(value.clone())) {
                Ok(value) => {
                    filter.field = Some((found.id, value.clone()));
                    matched.field = Some((found.id, value));
                }
                Err(message) => errors.push(FieldError::new("/find/value", message)),
            },
        },
    }
    if filter.email.is_some() || filter.phone.is_some() || filter.field.is_some() {
        matched.subscriber_id = oldest(conn, workspace_id, &filter).await?;
    }
    Ok(matched)
}

/// Trigger a flow for a subscriber found or created
///
/// Finds the subscriber by id, e-mail, phone or a custom field value, creates them on
/// `channel_id` when none matches or updates them, and starts the flow with payload
/// variables, together or not at all (Floatchat's "API Trigger").
#[utoipa::path(
    post,
    path = "/api/v1/flows/{flow_id}/trigger",
    tag = "management",
    description = "For an external system, e.g. a website form: `find` names the subscriber \
                   (`id`, `email`, `phone`, or a custom `field` with its `value`; the oldest of \
                   several matches). None matching, a subscriber is created on `channel_id` with \
                   the matched e-mail, phone or field value. Profile members, `fields` and `tags` \
                   are set on the subscriber (as for `POST /api/v1/subscribers`), then the flow \
                   runs from its start step with `payload` variables (`{{payload.<key>}}`), as \
                   `send-flow` runs it. Everything is one transaction: 422 lists every problem \
                   with its JSON pointer and changes nothing. 404 when the workspace has no such \
                   flow, or no subscriber of a `find` by id; 409 while the bot is paused for the \
                   subscriber, for an e-mail of another subscriber, or for an `Idempotency-Key` \
                   used with another flow or body.",
    params(
        ("flow_id" = String, Path, description = "Flow id, e.g. `welcome`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Client-generated key of this \
          trigger, 1..=64 of `[A-Za-z0-9_-]` (a UUID is recommended), the same on every retry: the \
          trigger runs once per key and workspace, and a repeat answers the first answer. The key \
          with another flow or body is a 409. Kept for the idempotency retention \
          (`--idempotency-retention-hours`, default 24)."),
    ),
    request_body = TriggerFlow,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber and what ran (or, for a known `Idempotency-Key`, the first answer)", body = FlowTriggered),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn trigger_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    Json(body): Json<TriggerFlow>,
) -> ApiResult<Json<FlowTriggered>> {
    let flow_id = FlowId::from(super::flows::flow_id(&flow_id)?.to_owned());
    let body_hash = tokens::digest(&serde_json::to_string(&(&flow_id, &body))?);
    let workspace_id = key.workspace_id;
    let ((answer, ran), _) = chat::turn(&state, move |conn| {
        Box::pin(async move {
            if let Some(key) = &idempotency_key
                && let Some(answered) = triggers::answered(conn, workspace_id, key).await?
            {
                if answered.body_hash != body_hash {
                    return Err(ApiError::Conflict(format!(
                        "idempotency key '{key}' was used to trigger another flow or with another body"
                    )));
                }
                let answer = serde_json::from_str(&answered.response)?;
                return Ok(((answer, false), Outcome::nothing()));
            }
            if flows::find(conn, workspace_id, flow_id.as_str()).await?.is_none() {
                return Err(ApiError::NotFound(format!("no flow '{flow_id}'")));
            }
            let now = clock::now_rfc3339();
            let mut errors = Vec::new();
            let matched = match_subscriber(conn, workspace_id, &body.find, &mut errors).await?;
            let created = matched.subscriber_id.is_none() && errors.is_empty();
            match &body.channel_id {
                Some(channel_id) => {
                    check_channel(conn, workspace_id, "", channel_id.as_str(), &mut errors).await?
                }
                None if created => errors.push(FieldError::new(
                    "/channel_id",
                    "is required: no subscriber matches, so one is created on this channel",
                )),
                None => {}
            }
            check_len("/fields".to_owned(), body.fields.len(), &mut errors);
            check_len("/tags".to_owned(), body.tags.len(), &mut errors);
            let payload = match payload_variables(body.payload.clone()) {
                Ok(payload) => payload,
                Err(ApiError::Validation(problems)) => {
                    errors.extend(problems);
                    BTreeMap::new()
                }
                Err(other) => return Err(other),
            };
            let mut profile = body.profile();
            if created && let Some((member, value)) = &matched.member {
                for (name, change) in &mut profile {
                    if name == member && change.is_none() {
                        *change = Some(Some(value.as_str()));
                    }
                }
            }
            let mut changes = Changes::default();
            if created {
                changes
                    .fields
                    .extend(matched.field.map(|(id, value)| (id, Some(value))));
            }
            changes.profile(conn, workspace_id, "", profile, &now).await?;
            changes
                .fields(conn, workspace_id, "/fields", &body.fields)
                .await?;
            changes
                .tags(conn, workspace_id, "/tags", &body.tags, true, &now)
                .await?;
            changes.unknown_as_errors();
            errors.append(&mut changes.errors);
            ApiError::unless_any(errors)?;
            let emails: Vec<_> = changes.email.take().into_iter().collect();
            check_emails(conn, workspace_id, &emails, matched.subscriber_id.as_deref()).await?;
            let subscriber_id = match matched.subscriber_id {
                Some(id) => id,
                None => {
                    let id = tokens::new_subscriber_id();
                    let channel_id = body.channel_id.as_ref().map_or("", |c| c.as_str());
                    subscribers::create(conn, &id, workspace_id, channel_id, &now).await?;
                    id
                }
            };
            changes.apply(conn, &subscriber_id, true, &now).await?;
            let mut turn = Turn::of_subscriber(&mut *conn, workspace_id, &subscriber_id).await?;
            turn.start_flow(workspace_id, flow_id, payload).await?;
            let outcome = turn.finish().await?;
            let subscriber = subscribers::find(conn, workspace_id, &subscriber_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the subscriber just written is gone"))?;
            let answer = FlowTriggered {
                subscriber,
                created,
                messages: outcome.messages.clone(),
                delayed: outcome.delayed,
            };
            if let Some(key) = &idempotency_key {
                let record = triggers::Record {
                    workspace_id,
                    idempotency_key: key,
                    body_hash: &body_hash,
                    subscriber_id: &subscriber_id,
                    response: &serde_json::to_string(&answer)?,
                    created_at: &now,
                };
                triggers::record(conn, &record).await?;
            }
            Ok(((answer, true), outcome))
        })
    })
    .await?;
    if ran {
        telemetry::chat_turn(Trigger::SendFlow);
    }
    Ok(Json(answer))
}
