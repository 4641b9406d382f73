//! Subscribers' e-mail addresses as broadcast e-mail copies need them, their opt-outs
//! (`subscribers.email_opted_out_at`), and the key of the unsubscribe links
//! (`server_secrets`).

use crate::db::Connection;

/// Name of the server secret keying the unsubscribe links (`server_secrets`).
pub const UNSUBSCRIBE_SECRET: &str = "unsubscribe";

/// Where a broadcast e-mail copy for one subscriber would go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailTarget {
    /// The value of their custom field `email`, if any.
    pub email: Option<String>,
    /// Whether they opted out of e-mail copies.
    pub opted_out: bool,
}

/// The e-mail address (custom field `email`) and opt-out of subscriber `id`; `None` when
/// there is no such subscriber.
pub async fn target(conn: &mut Connection, id: &str) -> sqlx::Result<Option<EmailTarget>> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT (SELECT sf.value FROM subscriber_fields sf JOIN custom_fields f ON f.id = sf.field_id
                 WHERE sf.subscriber_id = s.id AND f.name = 'email'),
                s.email_opted_out_at
         FROM subscribers s WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(email, opted_out_at)| EmailTarget {
        email: email.filter(|e| !e.trim().is_empty()),
        opted_out: opted_out_at.is_some(),
    }))
}

/// Opts subscriber `id` out of e-mail copies at `now` (RFC 3339 UTC); an earlier opt-out
/// keeps its time. `false` when there is no such subscriber.
pub async fn opt_out(conn: &mut Connection, id: &str, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE subscribers SET email_opted_out_at = COALESCE(email_opted_out_at, $1) WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The key of the unsubscribe links' HMAC (server secret [`UNSUBSCRIBE_SECRET`], made by
/// [`crate::db::forms::secret`] when the first link is), if there is one yet.
pub async fn unsubscribe_secret(conn: &mut Connection) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(UNSUBSCRIBE_SECRET)
        .fetch_optional(conn)
        .await
}
