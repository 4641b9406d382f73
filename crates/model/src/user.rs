//! Console users: people who log in with e-mail and password to manage their workspaces.
//!
//! `POST /api/v1/auth/login` takes a [`Login`] and answers a [`UserSession`] whose `token`
//! (`parlo_us_…`) is sent as `Authorization: Bearer <token>` to the console routes
//! (`/api/v1/workspaces…`, `/api/v1/auth/logout…`). Users are created with
//! `parlo-server create-user`.

use serde::{Deserialize, Serialize};

/// Prefix of every user session token.
pub const SESSION_TOKEN_PREFIX: &str = "parlo_us_";
/// Request header naming the workspace (its id) that a user session token acts on in the
/// management API (`/api/v1/…` routes that otherwise take an API key): the console calls
/// them with `Authorization: Bearer parlo_us_…` and `Parlo-Workspace: <workspace id>`, for
/// a workspace the user owns.
pub const WORKSPACE_HEADER: &str = "Parlo-Workspace";
/// Shortest accepted password, in characters (NIST SP 800-63B §3.1.1.2: at least 8).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in bytes (bounds the work of hashing one).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A console user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct User {
    /// Id of the user.
    pub id: i64,
    /// Log-in e-mail address, unique ignoring case.
    pub email: String,
    /// When the user was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// Body of `POST /api/v1/auth/login`. Its `Debug` never shows the password.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// The user's e-mail address (case does not matter).
    pub email: String,
    /// The user's password.
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Answer of `POST /api/v1/auth/login`: a new session of the user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct UserSession {
    /// The session token, `parlo_us_` + 43 base62 characters; shown only now (the server
    /// keeps only its SHA-256). Send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
    /// The logged-in user.
    pub user: User,
}
