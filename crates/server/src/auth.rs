//! Credentials: visitor session tokens (public API) and API keys (management API).

use crate::clock;
use crate::db::{api_keys, sessions, subscribers};
use crate::error::ApiError;
use crate::extract::Path;
use crate::state::AppState;
use crate::tokens;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

/// The token of an `Authorization: Bearer <token>` header, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Resolves a visitor session token for `channel_id` and marks the subscriber as seen.
///
/// # Errors
/// 401 when the token is missing, unknown, or belongs to another channel.
pub async fn visitor(
    state: &AppState,
    channel_id: &str,
    token: Option<&str>,
) -> Result<sessions::VisitorSession, ApiError> {
    let token = token.ok_or(ApiError::Unauthorized("missing session token"))?;
    let mut conn = state.db.acquire().await?;
    let session = sessions::find(&mut conn, &tokens::digest(token))
        .await?
        .filter(|s| s.channel_id == channel_id)
        .ok_or(ApiError::Unauthorized("unknown session token"))?;
    subscribers::touch(&mut conn, &session.subscriber_id, &clock::now_rfc3339()).await?;
    Ok(session)
}

/// A management request authenticated by `Authorization: Bearer parlo_sk_…`; scopes
/// everything to the key's workspace.
#[derive(Clone, Copy, Debug)]
pub struct ApiKey {
    /// The workspace the key belongs to.
    pub workspace_id: i64,
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let key = bearer(&parts.headers).ok_or(ApiError::Unauthorized("missing API key"))?;
        if !key.starts_with(tokens::API_KEY_PREFIX) {
            return Err(ApiError::Unauthorized("unknown API key"));
        }
        let mut conn = state.db.acquire().await?;
        let workspace_id = api_keys::workspace_of(&mut conn, &tokens::digest(key))
            .await?
            .ok_or(ApiError::Unauthorized("unknown API key"))?;
        Ok(ApiKey { workspace_id })
    }
}

/// A public API request authenticated by `Authorization: Bearer <session_token>` for the
/// channel in the path (`{channel_id}`).
#[derive(Clone, Debug)]
pub struct Visitor(pub sessions::VisitorSession);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(channel_id) = Path::<String>::from_request_parts(parts, state).await?;
        visitor(state, &channel_id, bearer(&parts.headers))
            .await
            .map(Visitor)
    }
}
