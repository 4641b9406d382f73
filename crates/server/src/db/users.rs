//! `users`, `user_sessions` and `login_failures`: console users, their sessions (stored as
//! SHA-256 of the token) and failed log-ins (for throttling).

use crate::db::Connection;
use parlo_model::user::User;

/// Creates a user with an argon2id PHC `password_hash`; `None` when the e-mail is taken
/// (ignoring case).
pub async fn create(
    conn: &mut Connection,
    email: &str,
    password_hash: &str,
    now: &str,
) -> sqlx::Result<Option<User>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING id, email, created_at",
    )
    .bind(email)
    .bind(password_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, email, created_at)| User {
        id,
        email,
        created_at,
    }))
}

/// The user with `email` (ignoring case) and their password hash, if any.
pub async fn find_by_email(conn: &mut Connection, email: &str) -> sqlx::Result<Option<(User, String)>> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, email, created_at, password_hash FROM users WHERE lower(email) = lower($1)",
    )
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, email, created_at, hash)| {
        (
            User {
                id,
                email,
                created_at,
            },
            hash,
        )
    }))
}

/// Stores a session of user `user_id` by its token digest.
pub async fn create_session(
    conn: &mut Connection,
    token_hash: &str,
    user_id: i64,
    now: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The user of the session with digest `token_hash`, unless it expired by `now`.
pub async fn session_user(conn: &mut Connection, token_hash: &str, now: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM user_sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await
}

/// Ends the session with digest `token_hash`.
pub async fn delete_session(conn: &mut Connection, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM user_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the console sessions that expired by `now` (RFC 3339, as stored); answers how
/// many.
pub async fn prune_expired_sessions(conn: &mut Connection, now: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM user_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes the failed log-ins at or before `before_ms`; answers how many.
pub async fn prune_failures(conn: &mut Connection, before_ms: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at_ms <= $1")
        .bind(before_ms)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Ends every session of user `user_id`.
pub async fn delete_sessions(conn: &mut Connection, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM user_sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed log-in for `subject` of `scope` (`email` or `ip`) at `now_ms`.
pub async fn record_failure(
    conn: &mut Connection,
    scope: &str,
    subject: &str,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (scope, subject, failed_at_ms) VALUES ($1, $2, $3)")
        .bind(scope)
        .bind(subject)
        .bind(now_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// When the `nth` most recent failure (1-based) of `subject` after `since_ms` happened, if
/// there were that many.
pub async fn nth_recent_failure(
    conn: &mut Connection,
    scope: &str,
    subject: &str,
    since_ms: i64,
    nth: u32,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT failed_at_ms FROM login_failures WHERE scope = $1 AND subject = $2 AND failed_at_ms > $3
         ORDER BY failed_at_ms DESC LIMIT 1 OFFSET $4",
    )
    .bind(scope)
    .bind(subject)
    .bind(since_ms)
    .bind(i64::from(nth.saturating_sub(1)))
    .fetch_optional(conn)
    .await
}

/// Forgets the failures of `subject` (after a successful log-in) and every failure
/// older than `before_ms`.
pub async fn clear_failures(
    conn: &mut Connection,
    scope: &str,
    subject: &str,
    before_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE (scope = $1 AND subject = $2) OR failed_at_ms <= $3")
        .bind(scope)
        .bind(subject)
        .bind(before_ms)
        .execute(conn)
        .await?;
    Ok(())
}
