//! The call of a flow's webhook step, made by the scheduler when it falls due.
//!
//! The item is claimed first ([`scheduled::claim`], for [`LEASE_MS`]), so of several
//! scheduler tasks or instances only one calls; the call runs in its own task, so a slow
//! endpoint holds up no other conversation. The answer goes on through
//! [`chat::webhook_answer`], which deletes the item in the same turn: a worker that crashes
//! between the call and that turn leaves the item, called again (with the same
//! `webhook-id`) when the claim runs out.
//!
//! The request is the one every delivery to the endpoint makes (Standard Webhooks: `POST`
//! of `{"type", "timestamp", "data"}`, signed with the endpoint's secret, no redirects,
//! public addresses only unless `--allow-private-webhooks`), of type [`EVENT_TYPE`] with
//! `data` = `{"flow_id", "step_id", "subscriber": {"id", "fields", "tags"}, "payload"}`.
//! It succeeds with a 2xx answer whose body is JSON (or empty: `null`) of at most
//! [`MAX_ANSWER_BYTES`]; everything else — no answer within the step's timeout, another
//! status, a bigger body, a body that is not JSON, a deleted or disabled endpoint, an
//! endpoint URL the SSRF rules refuse — is a failure, not retried: the visitor is waiting.

use crate::chat;
use crate::clock;
use crate::db::{self, messages, scheduled, subscribers, webhook_endpoints};
use crate::outbox::signature::Secret;
use crate::outbox::{target, webhook};
use crate::state::AppState;
use parlo_model::webhook::WebhookEndpoint;
use serde_json::{Value, json};
use std::time::Duration;

/// Event type of a webhook step's request.
pub const EVENT_TYPE: &str = "flow.webhook";
/// Largest answer body a webhook step reads, in bytes (64 KiB).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// How long a claimed call may take before another worker may repeat it, in
/// milliseconds: well over the longest step timeout.
pub const LEASE_MS: i64 = 60_000;

/// Claims `call`, scheduled item `id` of conversation `conversation_id` due at
/// `due_at_ms`, and makes it in a new task, which then goes on with the flow; does nothing
/// when another worker claimed the item first.
///
/// # Errors
/// A database error while claiming.
pub async fn start(
    state: &AppState,
    http: &reqwest::Client,
    id: i64,
    conversation_id: i64,
    due_at_ms: i64,
    call: scheduled::WebhookCall,
) -> anyhow::Result<()> {
    let mut tx = db::begin_write(&state.db).await?;
    let claimed = scheduled::claim(&mut tx, id, due_at_ms, clock::now_ms() + LEASE_MS).await?;
    tx.commit().await?;
    if !claimed {
        return Ok(());
    }
    let (state, http) = (state.clone(), http.clone());
    tokio::spawn(async move {
        let answer = match request(&state, &http, conversation_id, &call).await {
            Ok(body) => Some(body),
            Err(problem) => {
                tracing::warn!(
                    endpoint_id = call.endpoint_id,
                    flow_id = %call.at.flow,
                    step_id = %call.at.step,
                    problem,
                    "webhook step failed"
                );
                None
            }
        };
        if let Err(e) = chat::webhook_answer(&state, id, conversation_id, call.at, answer).await {
            tracing::error!(error = ?e, "going on after a webhook step");
        }
    });
    Ok(())
}

/// What the request of `call` needs from the database: the endpoint, its secret and the
/// request body; `None` when the endpoint was deleted.
async fn prepare(
    state: &AppState,
    conversation_id: i64,
    call: &scheduled::WebhookCall,
) -> anyhow::Result<Option<(WebhookEndpoint, String, String)>> {
    let mut conn = state.db.acquire().await?;
    let (workspace_id, subscriber_id) = messages::parties(&mut conn, conversation_id).await?;
    let found = webhook_endpoints::find_with_secret(&mut conn, workspace_id, call.endpoint_id).await?;
    let Some((endpoint, secret)) = found else {
        return Ok(None);
    };
    let profile = subscribers::profile(&mut conn, &subscriber_id).await?;
    let conversation = messages::load_conversation(&mut conn, conversation_id)
        .await?
        .state;
    let body = json!({
        "type": EVENT_TYPE,
        "timestamp": clock::now_rfc3339(),
        "data": {
            "flow_id": call.at.flow,
            "step_id": call.at.step,
            "subscriber": {"id": subscriber_id, "fields": profile.fields, "tags": profile.tags},
            "payload": conversation.payload,
        },
    });
    Ok(Some((endpoint, secret, body.to_string())))
}

/// Makes the request of `call` in conversation `conversation_id`: the answer's JSON body,
/// or why the call failed.
async fn request(
    state: &AppState,
    http: &reqwest::Client,
    conversation_id: i64,
    call: &scheduled::WebhookCall,
) -> Result<Value, String> {
    let found = prepare(state, conversation_id, call)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let Some((endpoint, secret, body)) = found else {
        return Err(format!("webhook endpoint {} was deleted", call.endpoint_id));
    };
    if endpoint.disabled_at.is_some() {
        return Err(format!(
            "webhook endpoint {} is disabled (it answered 410 Gone)",
            call.endpoint_id
        ));
    }
    let url = target::check_url(&endpoint.url, state.allow_private_webhooks)
        .map_err(|problem| format!("endpoint URL {problem}"))?;
    let secret = Secret::parse(&secret).map_err(|e| format!("stored secret {e}"))?;
    let timestamp = clock::now_ms() / 1000;
    let signature = secret.sign(&call.message_id, timestamp, body.as_bytes());
    let mut response = http
        .post(url)
        .timeout(Duration::from_secs(u64::from(call.timeout_seconds)))
        .header("content-type", "application/json")
        .header("webhook-id", &call.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| webhook::describe(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the endpoint answered {status}"));
    }
    let mut answer = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| webhook::describe(&e))? {
        answer.extend_from_slice(&chunk);
        if answer.len() > MAX_ANSWER_BYTES {
            return Err(format!("the answer is over {MAX_ANSWER_BYTES} bytes"));
        }
    }
    if answer.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&answer).map_err(|e| format!("the answer is not JSON: {e}"))
}
