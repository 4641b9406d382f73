//! Console log-in: users with e-mail and password get a session token.
//!
//! | method | path | auth | answer |
//! |---|---|---|---|
//! | POST | `/api/v1/auth/login` | – | [`Login`] → [`UserSession`], 201 |
//! | POST | `/api/v1/auth/logout` | user session | 204; this token stops working |
//! | POST | `/api/v1/auth/logout-all` | user session | 204; every token of the user stops working |
//!
//! Passwords are checked against argon2id hashes ([`crate::auth::password`]); failed
//! log-ins are throttled per e-mail and per client IP ([`crate::auth::throttle`]).

use crate::auth::throttle::{self, Attempt};
use crate::auth::{self, UserSession as Session, password};
use crate::client_ip::ClientIp;
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::openapi as doc;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::user::{Login, MAX_PASSWORD_BYTES, UserSession};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_all))
}

/// Log in
///
/// Logs a console user in. 401 `unauthorized` for an unknown e-mail or a wrong password
/// (the same answer, in the same time); 429 `rate_limited` with `Retry-After` after 5
/// failures for the e-mail or 20 from the client IP in 15 minutes.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = doc::TAG_CONSOLE,
    request_body = Login,
    responses(
        (status = 201, description = "Logged in; `token` is shown only now", body = UserSession),
        (status = 401, response = doc::Unauthorized),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<Login>,
) -> ApiResult<(StatusCode, Json<UserSession>)> {
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid(
            "/password",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    let attempt = Attempt {
        email: body.email.trim().to_lowercase(),
        ip: ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()),
    };
    let mut conn = state.db.acquire().await?;
    throttle::check(&mut conn, &attempt).await?;
    let found = users::find_by_email(&mut conn, &attempt.email).await?;
    let (user, hash) = found.unzip();
    if !password::verify(body.password, hash).await? {
        throttle::failed(&mut conn, &attempt).await?;
        return Err(ApiError::Unauthorized("wrong e-mail or password"));
    }
    let user = user.ok_or_else(|| anyhow::anyhow!("a password matched without a user"))?;
    throttle::succeeded(&mut conn, &attempt).await?;
    let session = auth::issue_user_session(&mut conn, user).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Log out
///
/// Ends the session of the token sent; the token is refused from the next request.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = doc::TAG_CONSOLE,
    security(("user_session" = [])),
    responses(
        (status = 204, description = "Logged out"),
    )
)]
async fn logout(State(state): State<AppState>, session: Session) -> ApiResult<StatusCode> {
    let mut conn = state.db.acquire().await?;
    users::delete_session(&mut conn, &session.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Log out everywhere
///
/// Ends every session of the user (log out everywhere), this one included.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout-all",
    tag = doc::TAG_CONSOLE,
    security(("user_session" = [])),
    responses(
        (status = 204, description = "Every session of the user ended"),
    )
)]
async fn logout_all(State(state): State<AppState>, session: Session) -> ApiResult<StatusCode> {
    let mut conn = state.db.acquire().await?;
    users::delete_sessions(&mut conn, session.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
