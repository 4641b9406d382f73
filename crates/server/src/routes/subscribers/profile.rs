//! Creating subscribers (one, or up to 100 at once) and changing their profile.
//!
//! A batch is all-or-nothing: every item is checked first; 422 `validation_failed` lists
//! every problem with a pointer into the body (`/subscribers/3/email`), 409 `conflict`
//! names every e-mail address already taken, and nothing is created unless all items are
//! good.
//!
//! E-mail addresses are unique in a workspace, ignoring case: creating or changing a
//! subscriber with the e-mail of another is a 409 `conflict` (also between two items of a
//! batch). Visitors answering the bot's e-mail question are never refused, so subscribers
//! from chats may share one; `GET /api/v1/subscribers/find?field=email` lists them all.

use super::{changes::Changes, find, subscriber_id};
use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, channels, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::problem::FieldError;
use parlo_model::subscriber::{
    CreateSubscriber, CreateSubscribers, CreatedSubscribers, MAX_CREATE_BATCH, Subscriber, UpdateSubscriber,
};
use parlo_model::tag::MAX_BATCH;
use parlo_model::validate::{MemberRule, items};

/// 422 at `{prefix}/channel_id` unless `channel_id` is a channel of the workspace.
pub(crate) async fn check_channel(
    conn: &mut db::Connection,
    workspace_id: i64,
    prefix: &str,
    channel_id: &str,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    let channel = channels::find(conn, channel_id).await?;
    if channel.is_none_or(|c| c.workspace_id != workspace_id) {
        errors.push(FieldError::new(
            format!("{prefix}/channel_id"),
            format!("no channel '{channel_id}' in this workspace"),
        ));
    }
    Ok(())
}

/// 422 at `pointer` when a list has more than [`MAX_BATCH`] items.
pub(crate) fn check_len(pointer: String, len: usize, errors: &mut Vec<FieldError>) {
    if len > MAX_BATCH {
        errors.push(FieldError::new(
            pointer,
            format!("must list at most {MAX_BATCH} items"),
        ));
    }
}

/// 409 `conflict` naming every e-mail of `emails` (pointer, address) that another
/// subscriber than `except` has, or that two of them share.
pub(crate) async fn check_emails(
    conn: &mut db::Connection,
    workspace_id: i64,
    emails: &[(String, String)],
    except: Option<&str>,
) -> ApiResult<()> {
    let mut taken = Vec::new();
    for (i, (pointer, email)) in emails.iter().enumerate() {
        if let Some((first, _)) = emails[..i].iter().find(|(_, e)| e.eq_ignore_ascii_case(email)) {
            taken.push(format!("{pointer}: '{email}' is also at {first}"));
            continue;
        }
        let owners = subscribers::with_email(conn, workspace_id, email).await?;
        if let Some(owner) = owners.iter().find(|o| Some(o.as_str()) != except) {
            taken.push(format!(
                "{pointer}: '{email}' is the e-mail of subscriber {owner}"
            ));
        }
    }
    if taken.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "e-mail addresses are unique in a workspace: {}",
            taken.join("; ")
        )))
    }
}

/// Creates `items` in one transaction (see the module docs); `prefix(i)` is the pointer
/// of item `i` in the body.
async fn create_all(
    state: &AppState,
    key: ApiKey,
    items: &[CreateSubscriber],
    prefix: impl Fn(usize) -> String,
) -> ApiResult<Vec<Subscriber>> {
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    let mut errors = Vec::new();
    let mut emails = Vec::new();
    let mut planned = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = prefix(i);
        check_channel(
            &mut tx,
            key.workspace_id,
            &at,
            item.channel_id.as_str(),
            &mut errors,
        )
        .await?;
        check_len(format!("{at}/fields"), item.fields.len(), &mut errors);
        check_len(format!("{at}/tags"), item.tags.len(), &mut errors);
        let mut changes = Changes::default();
        changes
            .profile(&mut tx, key.workspace_id, &at, item.profile(), &now)
            .await?;
        changes
            .fields(&mut tx, key.workspace_id, &format!("{at}/fields"), &item.fields)
            .await?;
        changes
            .tags(
                &mut tx,
                key.workspace_id,
                &format!("{at}/tags"),
                &item.tags,
                true,
                &now,
            )
            .await?;
        changes.unknown_as_errors();
        errors.append(&mut changes.errors);
        emails.extend(changes.email.take());
        planned.push(changes);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    check_emails(&mut tx, key.workspace_id, &emails, None).await?;
    let mut created = Vec::with_capacity(items.len());
    for (item, changes) in items.iter().zip(&planned) {
        let id = tokens::new_subscriber_id();
        subscribers::create(&mut tx, &id, key.workspace_id, item.channel_id.as_str(), &now).await?;
        changes.apply(&mut tx, &id, true, &now).await?;
        created.push(find(&mut tx, key, &id).await?);
    }
    tx.commit().await?;
    Ok(created)
}

/// Create a subscriber
///
/// Creates a subscriber on a channel of the workspace with profile members, custom field
/// values and tags; it can then be found, tagged and sent flows like one from a chat.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers",
    tag = "management",
    request_body = CreateSubscriber,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Subscriber),
        (status = 409, response = doc::Conflict),
    )
)]
pub(super) async fn create_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateSubscriber>,
) -> ApiResult<(StatusCode, Json<Subscriber>)> {
    let mut created = create_all(&state, key, std::slice::from_ref(&body), |_| String::new()).await?;
    Ok((StatusCode::CREATED, Json(created.remove(0))))
}

/// What [`create_subscribers`] checks of the list's length, for the API document.
pub const SCHEMA_RULES: [MemberRule; 1] = [("CreateSubscribers", "subscribers", items(1, MAX_CREATE_BATCH))];

/// Create up to 100 subscribers at once
///
/// Creates 1..=100 subscribers, all or none: 422 lists every problem of every item with
/// its pointer (`/subscribers/3/email`), 409 every e-mail already taken.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/batch",
    tag = "management",
    request_body = CreateSubscribers,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "All created, in request order", body = CreatedSubscribers),
        (status = 409, response = doc::Conflict),
        (status = 413, response = doc::PayloadTooLarge),
    )
)]
pub(super) async fn create_subscribers(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateSubscribers>,
) -> ApiResult<(StatusCode, Json<CreatedSubscribers>)> {
    if !(1..=MAX_CREATE_BATCH).contains(&body.subscribers.len()) {
        return Err(ApiError::invalid(
            "/subscribers",
            format!("must list 1..={MAX_CREATE_BATCH} subscribers"),
        ));
    }
    let items = create_all(&state, key, &body.subscribers, |i| format!("/subscribers/{i}")).await?;
    Ok((StatusCode::CREATED, Json(CreatedSubscribers { items })))
}

/// Update a subscriber
///
/// Changes the subscriber's channel and profile members (`null` clears one); checked like
/// on create, all or nothing.
#[utoipa::path(
    patch,
    path = "/api/v1/subscribers/{subscriber_id}",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = UpdateSubscriber,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The changed subscriber", body = Subscriber),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
pub(super) async fn update_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<UpdateSubscriber>,
) -> ApiResult<Json<Subscriber>> {
    let id = self::subscriber_id(&subscriber_id)?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    find(&mut tx, key, id).await?;
    let mut errors = Vec::new();
    if let Some(channel_id) = &body.channel_id {
        check_channel(&mut tx, key.workspace_id, "", channel_id.as_str(), &mut errors).await?;
    }
    let mut changes = Changes::default();
    changes
        .profile(&mut tx, key.workspace_id, "", body.profile(), &now)
        .await?;
    errors.append(&mut changes.errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let emails: Vec<_> = changes.email.take().into_iter().collect();
    check_emails(&mut tx, key.workspace_id, &emails, Some(id)).await?;
    if let Some(channel_id) = &body.channel_id {
        subscribers::set_channel(&mut tx, id, channel_id.as_str()).await?;
    }
    changes.apply(&mut tx, id, true, &now).await?;
    let subscriber = find(&mut tx, key, id).await?;
    tx.commit().await?;
    Ok(Json(subscriber))
}
