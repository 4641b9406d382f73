//! Credentials: visitor session tokens (public API), API keys (management API), and
//! console users' passwords ([`password`]), log-in throttling ([`throttle`]) and session
//! tokens ([`UserSession`]).

pub mod password;
pub mod throttle;

use crate::clock;
use crate::db;
use crate::db::{api_keys, channels, flows, sessions, subscribers, users, workspaces};
use crate::error::ApiError;
use crate::extract::Path;
use crate::rate_limit::QuotaSlot;
use crate::state::AppState;
use crate::tokens;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use parlo_model::api_key::{CreatedApiKey, KEY_DISPLAY_CHARS, KEY_PREFIX, is_well_formed_key};
use parlo_model::user::{SESSION_TOKEN_PREFIX, User, UserSession as LoggedIn, WORKSPACE_HEADER};
use parlo_model::validate::{FieldKind, check_answer};
use std::time::{Duration, Instant};

/// `last_used_at` of an API key is written at most this often (one write per key per
/// minute, not per request).
pub const LAST_USED_RESOLUTION: Duration = Duration::from_secs(60);

/// The credentials of an `Authorization: <scheme> <credentials>` header, if its scheme is
/// `scheme` (case-insensitive, RFC 9110 §11.1).
fn authorization<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, credentials) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| credentials.trim())
        .filter(|c| !c.is_empty())
}

/// The token of an `Authorization: Bearer <token>` header, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    authorization(headers, "bearer")
}

/// The user name of an `Authorization: Basic base64(user:password)` header (RFC 7617), if any.
pub fn basic_user(headers: &HeaderMap) -> Option<String> {
    let encoded = authorization(headers, "basic")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let user = decoded.split_once(':').map_or(decoded.as_str(), |(user, _)| user);
    (!user.is_empty()).then(|| user.to_owned())
}

/// Resolves a visitor session token for `channel_id`; marks the subscriber as seen when
/// `seen` (a visitor message is a chat turn, which does that in its own transaction).
///
/// # Errors
/// 401 when the token is missing, unknown, or belongs to another channel.
pub async fn visitor(
    state: &AppState,
    channel_id: &str,
    token: Option<&str>,
    seen: bool,
) -> Result<sessions::VisitorSession, ApiError> {
    let token = token.ok_or(ApiError::Unauthorized("missing session token"))?;
    let mut conn = state.db.acquire().await?;
    let session = sessions::find(&mut conn, &tokens::digest(token))
        .await?
        .filter(|s| s.channel_id == channel_id)
        .ok_or(ApiError::Unauthorized("unknown session token"))?;
    if seen {
        subscribers::touch(&mut conn, &session.subscriber_id, &clock::now_rfc3339()).await?;
    }
    Ok(session)
}

/// Creates an API key named `name` for the workspace; the answer holds the secret, which
/// is not stored (only its SHA-256 and display prefix are).
pub async fn issue_api_key(
    conn: &mut db::Connection,
    workspace_id: i64,
    name: &str,
) -> sqlx::Result<CreatedApiKey> {
    let (secret, prefix) = new_secret();
    let created_at = clock::now_rfc3339();
    let id = api_keys::create(
        conn,
        workspace_id,
        name,
        &tokens::digest(&secret),
        &prefix,
        &created_at,
    )
    .await?;
    Ok(CreatedApiKey {
        id,
        name: name.to_owned(),
        prefix,
        secret,
        created_at,
    })
}

/// A new API key secret and its display prefix.
fn new_secret() -> (String, String) {
    let secret = tokens::new_api_key();
    let prefix = secret[..KEY_DISPLAY_CHARS].to_owned();
    (secret, prefix)
}

/// Gives unrevoked key `id` of the workspace a new secret under the same id and name; the
/// old secret is refused from its next request. The answer holds the new secret (only its
/// SHA-256 and display prefix are stored); `None` when the workspace has no such key.
pub async fn regenerate_api_key(
    conn: &mut db::Connection,
    workspace_id: i64,
    id: i64,
) -> sqlx::Result<Option<CreatedApiKey>> {
    let (secret, prefix) = new_secret();
    let replaced =
        api_keys::replace_secret(conn, workspace_id, id, &tokens::digest(&secret), &prefix).await?;
    Ok(replaced.map(|(name, created_at)| CreatedApiKey {
        id,
        name,
        prefix,
        secret,
        created_at,
    }))
}

/// A management request, scoped to one workspace, authenticated by either
///
/// - an API key, as `Authorization: Bearer parlo_sk_…` or as the user name of
///   `Authorization: Basic …`: the key's workspace; or
/// - a console user session, `Authorization: Bearer parlo_us_…` with the header
///   `Parlo-Workspace: <workspace id>` ([`WORKSPACE_HEADER`]): that workspace, which the
///   user must own.
///
/// Revocation and log-out are effective on the next request (no cache).
///
/// 401 `unauthorized` when the key is missing, malformed (wrong prefix, length or
/// checksum; only keys created before checksums are exempt), unknown or revoked, when the
/// session token is unknown, logged out or expired, or comes without `Parlo-Workspace`;
/// 400 `invalid_id` when `Parlo-Workspace` is not a positive integer; 404 `not_found` when
/// the user does not own that workspace (as for one that does not exist, like
/// `/api/v1/workspaces/{id}`); 429 `rate_limited` when the key, or the user, used up its
/// rate limit ([`crate::rate_limit`]).
#[derive(Clone, Copy, Debug)]
pub struct ApiKey {
    /// Who is calling.
    pub caller: Caller,
    /// The workspace the request acts on.
    pub workspace_id: i64,
}

/// The credential of a management request ([`ApiKey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// An API key, by id.
    Key(i64),
    /// A console user (by id) through a user session.
    User(i64),
}

impl Caller {
    /// The bucket of the management rate limit: the key's id, or for a user the negated
    /// user id (key ids and user ids both count from 1, so they never share a bucket).
    fn rate_bucket(self) -> i64 {
        match self {
            Caller::Key(id) => id,
            Caller::User(id) => -id,
        }
    }
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let called = match bearer(&parts.headers) {
            Some(token) if token.starts_with(SESSION_TOKEN_PREFIX) => {
                user_workspace(state, &parts.headers).await?
            }
            Some(key) => api_key(state, key).await?,
            None => {
                let key = basic_user(&parts.headers).ok_or(ApiError::Unauthorized("missing API key"))?;
                api_key(state, &key).await?
            }
        };
        let quota = state
            .key_limiter
            .take(called.caller.rate_bucket(), Instant::now());
        if let Some(slot) = parts.extensions.get::<QuotaSlot>() {
            slot.set(quota);
        }
        if let Some(retry_after_secs) = quota.retry_after_secs {
            return Err(ApiError::RateLimited { retry_after_secs });
        }
        Ok(called)
    }
}

/// Resolves the API key `key` (see [`ApiKey`]) and marks it used (at most once per
/// [`LAST_USED_RESOLUTION`]).
async fn api_key(state: &AppState, key: &str) -> Result<ApiKey, ApiError> {
    if !key.starts_with(KEY_PREFIX) {
        return Err(ApiError::Unauthorized("unknown API key"));
    }
    let well_formed = is_well_formed_key(key);
    let mut conn = state.db.acquire().await?;
    // Keys created before checksums (NULL prefix) are the only ones accepted without one.
    let found = api_keys::find_active(&mut conn, &tokens::digest(key))
        .await?
        .filter(|k| well_formed || k.legacy)
        .ok_or(ApiError::Unauthorized(if well_formed {
            "unknown or revoked API key"
        } else {
            "malformed API key (wrong length or checksum: a typo?)"
        }))?;
    let stale = clock::ago_rfc3339(LAST_USED_RESOLUTION);
    if found
        .last_used_at
        .as_deref()
        .is_none_or(|used| used < stale.as_str())
    {
        api_keys::touch(&mut conn, found.id, &clock::now_rfc3339()).await?;
    }
    Ok(ApiKey {
        caller: Caller::Key(found.id),
        workspace_id: found.workspace_id,
    })
}

/// Resolves a user session token and its `Parlo-Workspace` header (see [`ApiKey`]).
async fn user_workspace(state: &AppState, headers: &HeaderMap) -> Result<ApiKey, ApiError> {
    let session = user_session(state, headers).await?;
    let workspace = headers.get(WORKSPACE_HEADER).ok_or(ApiError::Unauthorized(
        "a user session token needs the Parlo-Workspace header (the workspace's id) here",
    ))?;
    let workspace_id = crate::routes::int_id(workspace.to_str().unwrap_or_default())?;
    let mut conn = state.db.acquire().await?;
    if !workspaces::is_owned_by(&mut conn, workspace_id, session.user_id).await? {
        return Err(ApiError::NotFound(format!("no workspace {workspace_id}")));
    }
    Ok(ApiKey {
        caller: Caller::User(session.user_id),
        workspace_id,
    })
}

/// A public API request authenticated by `Authorization: Bearer <session_token>` for the
/// channel in the path (`{channel_id}`). Reads mark the subscriber as seen; a `POST` (a
/// read report) does not. A visitor message uses [`VisitorTurn`] instead, whose chat turn
/// marks the subscriber seen, so it is written once.
#[derive(Clone, Debug)]
pub struct Visitor(pub sessions::VisitorSession);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(channel_id) = Path::<String>::from_request_parts(parts, state).await?;
        let seen = parts.method != axum::http::Method::POST;
        visitor(state, &channel_id, bearer(&parts.headers), seen)
            .await
            .map(Visitor)
    }
}

/// [`Visitor`] of a visitor message (`POST`, which leaves marking the subscriber seen to
/// its chat turn), with what that turn reads before it is queued: the channel and its bot
/// sources (`None`: the channel is gone), read in the same request as the session on
/// SQLite ([`flows::session_with_bot_sources`]).
#[derive(Debug)]
pub struct VisitorTurn(
    pub sessions::VisitorSession,
    pub Option<(channels::Channel, flows::BotSources)>,
);

impl FromRequestParts<AppState> for VisitorTurn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(channel_id) = Path::<String>::from_request_parts(parts, state).await?;
        let token = bearer(&parts.headers).ok_or(ApiError::Unauthorized("missing session token"))?;
        let mut conn = state.db.acquire().await?;
        let (session, bot) = flows::session_with_bot_sources(&mut conn, &tokens::digest(token), &channel_id)
            .await?
            .ok_or(ApiError::Unauthorized("unknown session token"))?;
        Ok(Self(session, bot))
    }
}

/// How long a console user session lasts, from log-in (it is not extended by use).
pub const USER_SESSION_LIFETIME: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// A console request authenticated by a user session token, `Authorization: Bearer
/// parlo_us_…` (from `POST /api/v1/auth/login`).
///
/// 401 `unauthorized` when the token is missing, not a user session token, unknown,
/// logged out or expired.
#[derive(Clone, Debug)]
pub struct UserSession {
    /// The logged-in user.
    pub user_id: i64,
    /// SHA-256 of the token, which identifies the session.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for UserSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        user_session(state, &parts.headers).await
    }
}

/// The user session of the `Authorization: Bearer parlo_us_…` header (see [`UserSession`]).
async fn user_session(state: &AppState, headers: &HeaderMap) -> Result<UserSession, ApiError> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized("missing user session token"))?;
    if !token.starts_with(SESSION_TOKEN_PREFIX) {
        return Err(ApiError::Unauthorized(
            "not a user session token (parlo_us_…); log in with POST /api/v1/auth/login",
        ));
    }
    let token_hash = tokens::digest(token);
    let mut conn = state.db.acquire().await?;
    let user_id = users::session_user(&mut conn, &token_hash, &clock::now_rfc3339())
        .await?
        .ok_or(ApiError::Unauthorized(
            "unknown, logged out or expired user session token",
        ))?;
    Ok(UserSession { user_id, token_hash })
}

/// Starts a session of `user`: a new token (only its SHA-256 is stored) lasting
/// [`USER_SESSION_LIFETIME`].
pub async fn issue_user_session(conn: &mut db::Connection, user: User) -> sqlx::Result<LoggedIn> {
    let token = tokens::new_user_session_token();
    let now = time::OffsetDateTime::now_utc();
    let expires_at = clock::format_rfc3339(now + USER_SESSION_LIFETIME);
    users::create_session(
        conn,
        &tokens::digest(&token),
        user.id,
        &clock::format_rfc3339(now),
        &expires_at,
    )
    .await?;
    Ok(LoggedIn {
        token,
        expires_at,
        user,
    })
}

/// Creates a console user (the e-mail must be an e-mail address, the password pass
/// [`password::check`]); errors name what is wrong, or that the e-mail is taken.
pub async fn create_user(conn: &mut db::Connection, email: &str, password: String) -> anyhow::Result<User> {
    let email = check_answer(FieldKind::Email, email).map_err(|e| anyhow::anyhow!("e-mail: {e}"))?;
    password::check(&password).map_err(|e| anyhow::anyhow!("password {e}"))?;
    let hash = password::hash(password).await?;
    users::create(conn, &email, &hash, &clock::now_rfc3339())
        .await?
        .ok_or_else(|| anyhow::anyhow!("a user with e-mail {email} exists"))
}
