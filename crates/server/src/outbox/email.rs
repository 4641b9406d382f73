//! E-mail automations: a plain-text notification of the event to the site owner over
//! SMTP (lettre), e.g. subject `[Parlo] lead.created`, one `path: value` line per datum;
//! or, for event `broadcast.email_copy`, a broadcast's copy to a subscriber
//! ([`email_copy::message`]).
//!
//! The `Message-ID` is derived from the delivery's message id, so a retried notification
//! carries the same one. SMTP answers are classified as lettre does: a permanent (5xx)
//! rejection ends the delivery `dead`; anything else (4xx, connection) is retried.

use super::Outcome;
use super::template;
use super::worker::Worker;
use crate::broadcasts::email_copy;
use crate::db::outbox::Claimed;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use parlo_model::broadcast::EMAIL_COPY_EVENT;
use std::time::Duration;

/// Time limit of each SMTP command.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// An SMTP transport (a connection pool) for notifications.
#[derive(Clone)]
pub struct Mailer(AsyncSmtpTransport<Tokio1Executor>);

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mailer")
    }
}

impl Mailer {
    /// A transport for `smtp://[user:password@]host:port` (see lettre's
    /// `AsyncSmtpTransport::from_url`); fails on a malformed URL.
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Self(transport))
    }
}

/// The notification of `row` from `from` to `to`.
pub fn message(row: &Claimed, from: &str, to: &str) -> anyhow::Result<Message> {
    let data: serde_json::Value = serde_json::from_str(&row.data)?;
    let mut text = format!("{} at {}\n\n", row.event_type, row.created_at);
    for (path, value) in template::flatten(&data) {
        text.push_str(&format!("{path}: {value}\n"));
    }
    Ok(Message::builder()
        .from(from.parse::<Mailbox>()?)
        .to(to.parse::<Mailbox>()?)
        .subject(format!("[Parlo] {}", row.event_type))
        .message_id(Some(format!("<{}@parlo>", row.message_id)))
        .header(ContentType::TEXT_PLAIN)
        .body(text)?)
}

/// One attempt to e-mail `row` to `to`.
pub async fn deliver(worker: &Worker, row: &Claimed, to: &str) -> Outcome {
    let Some(Mailer(transport)) = &worker.mailer else {
        return Outcome::dead("SMTP is not configured (--smtp-url)");
    };
    let from = &worker.config.smtp_from;
    let message = if row.event_type == EMAIL_COPY_EVENT {
        email_copy::message(&row.data, &row.message_id, from, to)
    } else {
        message(row, from, to)
    };
    let message = match message {
        Ok(message) => message,
        Err(e) => return Outcome::dead(format!("cannot build the e-mail: {e:#}")),
    };
    match transport.send(message).await {
        Ok(_) => Outcome::Delivered { status: None },
        Err(e) if e.is_permanent() => Outcome::dead(format!("the SMTP server refused the e-mail: {e}")),
        Err(e) => Outcome::retry(format!("SMTP: {e}")),
    }
}
