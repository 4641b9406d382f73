//! A data subject's rights over one subscriber (GDPR art. 15, 17 and 20): everything the
//! workspace holds about them as one JSON document, and erasure of all of it.
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/subscribers/{subscriber_id}/export` | [`SubscriberExport`], streamed |
//! | POST | `/api/v1/subscribers/{subscriber_id}/erase` | 204 |
//!
//! Erasure differs from `DELETE /api/v1/subscribers/{subscriber_id}`, which keeps the
//! subscriber's leads (without their subscriber): it also deletes the leads and every
//! outbox row (webhook delivery or automation, pending or done) made for the subscriber,
//! and ends their open event streams. A retry of one of their lead submissions (the lead
//! form's offline queue retries with the same idempotency key) is answered with its
//! original `SubmissionAccepted` and stores nothing, so an erased lead never comes back;
//! a new submission (a new key) is a new lead.

use super::{find, subscriber_id};
use crate::auth::ApiKey;
use crate::db::{self, Pool, erasure, leads, messages};
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::openapi as doc;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use futures_util::{Stream, TryStreamExt};
use parlo_model::export::SubscriberExport;

/// Messages or leads read from the database per query (and per chunk of the answer).
const CHUNK: u32 = 200;

/// Export a subscriber's data
///
/// Everything the workspace holds about the subscriber, as one JSON document: the profile
/// with custom fields and tags, every conversation with all its messages (visitor, bot,
/// agent and system), every lead they submitted. For a data subject's access or
/// portability request. The document is streamed in chunks (the server never holds it
/// whole); each chunk is read when sent, so a message arriving meanwhile may or may not be
/// in it. A storage fault after the first chunk cuts the document short (invalid JSON),
/// never completes it silently. 404 when not of the key's workspace.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{subscriber_id}/export",
    tag = doc::TAG_MANAGEMENT,
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber's data", body = SubscriberExport),
        (status = 404, response = doc::NotFound),
    )
)]
pub(super) async fn export_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let subscriber_id = self::subscriber_id(&subscriber_id)?.to_owned();
    let mut conn = state.db.acquire().await?;
    let subscriber = find(&mut conn, key, &subscriber_id).await?;
    let conversations = erasure::conversations_of(&mut conn, key.workspace_id, &subscriber_id).await?;
    let head = format!(
        "{{\"subscriber\":{},\"conversations\":[",
        serde_json::to_string(&subscriber)?
    );
    drop(conn);
    let body = chunks(
        state.db.clone(),
        key.workspace_id,
        subscriber_id,
        head,
        conversations,
    )
    .inspect_err(|e| tracing::error!(error = format!("{e:#}"), "subscriber export cut short"));
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(body),
    ))
}

/// The export document after `head` (the subscriber and the conversations' opening
/// bracket), one chunk per database read, each on a connection taken from `db` for that
/// read only (a slow reader holds none); written member by member in the order and with
/// the names of [`SubscriberExport`] and [`ConversationExport`](parlo_model::export::ConversationExport).
fn chunks(
    db: Pool,
    workspace_id: i64,
    subscriber_id: String,
    head: String,
    conversations: Vec<erasure::Conversation>,
) -> impl Stream<Item = anyhow::Result<Bytes>> {
    async_stream::try_stream! {
        let mut chunk = head;
        for (i, conversation) in conversations.into_iter().enumerate() {
            if i > 0 {
                chunk.push(',');
            }
            let channel_id = serde_json::to_string(&conversation.channel_id)?;
            let created_at = serde_json::to_string(&conversation.created_at)?;
            chunk.push_str(&format!(
                "{{\"channel_id\":{channel_id},\"created_at\":{created_at},\"messages\":["
            ));
            let mut after = 0;
            loop {
                let page = messages::range(&mut *db.acquire().await?, conversation.id, after, u64::MAX, CHUNK).await?;
                for message in &page {
                    if after > 0 {
                        chunk.push(',');
                    }
                    after = message.seq;
                    chunk.push_str(&serde_json::to_string(message)?);
                }
                yield Bytes::from(std::mem::take(&mut chunk));
                if page.len() < CHUNK as usize {
                    break;
                }
            }
            chunk.push_str("]}");
        }
        chunk.push_str("],\"leads\":[");
        let mut after = 0;
        loop {
            let page = leads::of_subscriber(&mut *db.acquire().await?, workspace_id, &subscriber_id, after, CHUNK).await?;
            for (seq, lead) in &page {
                if after > 0 {
                    chunk.push(',');
                }
                after = *seq;
                chunk.push_str(&serde_json::to_string(lead)?);
            }
            if page.len() < CHUNK as usize {
                break;
            }
            yield Bytes::from(std::mem::take(&mut chunk));
        }
        chunk.push_str("]}");
        yield Bytes::from(chunk);
    }
}

/// Erase a subscriber
///
/// Deletes the subscriber with everything they sent or the workspace stored about them:
/// conversations and messages, leads, custom field values, tags, sessions (refused from
/// the next request; open event streams end), scheduled bot output, and every outbox row
/// made for them (webhook deliveries and automations, pending or done). Answers 204; the
/// subscriber is then 404 everywhere, and their leads are gone from lists and CSV exports.
/// A retry of one of their lead submissions gets its original answer and stores nothing.
/// 404 when not of the key's workspace.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/erase",
    tag = doc::TAG_MANAGEMENT,
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Erased"),
        (status = 404, response = doc::NotFound),
    )
)]
pub(super) async fn erase_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<StatusCode> {
    let subscriber_id = self::subscriber_id(&subscriber_id)?;
    let mut tx = db::begin_write(&state.db).await?;
    let conversations = erasure::erase_subscriber(&mut tx, key.workspace_id, subscriber_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{subscriber_id}'")))?;
    tx.commit().await?;
    state.hub.close(&conversations);
    Ok(StatusCode::NO_CONTENT)
}
