//! E-mail copies of a broadcast's messages, with a link to opt out of them.
//!
//! A recipient of a broadcast with `email_copy` who has an e-mail address (custom field
//! `email`) and has not opted out gets the messages as a plain-text e-mail: [`enqueue`]
//! adds an outbox row (event [`EMAIL_COPY_EVENT`], an `email` automation to that address)
//! in the transaction that marks them sent, so the copy goes once with the chat messages
//! or not at all, and the outbox delivers it at least once over SMTP ([`message`]) — unless
//! the subscriber opted out meanwhile ([`opted_out_since`]).
//!
//! Every copy carries the recipient's unsubscribe link, `{public_url}/unsubscribe/{token}`:
//! the token is the subscriber id and the HMAC-SHA256 of `unsubscribe:{subscriber id}`
//! keyed with a server secret (`server_secrets`, made with the first link), so it cannot
//! be guessed or forged for another subscriber. `GET` shows a confirmation page, `POST`
//! opts out ([`crate::routes::unsubscribe`]). The e-mail names it in `List-Unsubscribe` with
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, so mail clients offer one-click
//! unsubscribing (RFC 8058: a `POST` of `List-Unsubscribe=One-Click` to that URL).

use crate::clock;
use crate::db::outbox::Claimed;
use crate::db::{self, email_opt_outs, forms};
use crate::identity;
use crate::outbox::{self, Event};
use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use parlo_model::automation::Automation;
use parlo_model::broadcast::{EMAIL_COPY_EVENT, EmailCopy};
use parlo_model::conversation::ContentMessage;
use parlo_model::flow::ButtonDef;
use serde::{Deserialize, Serialize};

/// What the outbox row of a copy holds (its `data`), all the e-mail needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyData {
    /// The broadcast.
    pub broadcast_id: i64,
    /// The subject: the broadcast's name.
    pub subject: String,
    /// The plain-text body: the messages as [`text`] writes them.
    pub text: String,
    /// The recipient's unsubscribe link.
    pub unsubscribe_url: String,
}

/// The unsubscribe token of subscriber `subscriber_id` under `secret`:
/// `{subscriber id}.{64 hex digits}`.
pub fn token(secret: &str, subscriber_id: &str) -> String {
    format!(
        "{subscriber_id}.{}",
        identity::user_hash(secret, &signed(subscriber_id))
    )
}

/// The subscriber id of a valid unsubscribe `token` under `secret` (compared in constant
/// time), or `None`.
pub fn verify(secret: &str, token: &str) -> Option<String> {
    let (subscriber_id, hash) = token.split_once('.')?;
    identity::verify(secret, &signed(subscriber_id), hash).then(|| subscriber_id.to_owned())
}

/// What the HMAC covers: the purpose and the subscriber id.
fn signed(subscriber_id: &str) -> String {
    format!("unsubscribe:{subscriber_id}")
}

/// `messages` as plain text: each message a paragraph; a button with a link as
/// `title: url`, an image as its alternative text and URL, a card as its title and
/// subtitle (quick replies and flow buttons, which only the chat can answer, are left out).
pub fn text(messages: &[ContentMessage]) -> String {
    let links = |buttons: &[ButtonDef]| -> Vec<String> {
        buttons
            .iter()
            .filter_map(|b| b.url.as_ref().map(|url| format!("{}: {url}", b.title)))
            .collect()
    };
    let card = |title: &str, subtitle: &Option<String>, buttons: &[ButtonDef]| {
        let mut lines = vec![title.to_owned()];
        lines.extend(subtitle.clone());
        lines.extend(links(buttons));
        lines.join("\n")
    };
    let paragraphs: Vec<String> = messages
        .iter()
        .map(|message| match message {
            ContentMessage::Text { text, buttons, .. } => {
                let mut lines = vec![text.clone()];
                lines.extend(links(buttons));
                lines.join("\n")
            }
            ContentMessage::Image { url, alt, .. } if alt.is_empty() => url.clone(),
            ContentMessage::Image { url, alt, .. } => format!("{alt}: {url}"),
            ContentMessage::Card {
                title,
                subtitle,
                buttons,
                ..
            } => card(title, subtitle, buttons),
            ContentMessage::Carousel { cards, .. } => cards
                .iter()
                .map(|c| card(&c.title, &c.subtitle, &c.buttons))
                .collect::<Vec<_>>()
                .join("\n\n"),
        })
        .collect();
    paragraphs.join("\n\n")
}

/// A broadcast's copy as [`enqueue`] needs it.
#[derive(Clone, Copy, Debug)]
pub struct CopySource<'a> {
    /// The workspace.
    pub workspace_id: i64,
    /// The broadcast.
    pub broadcast_id: i64,
    /// Its name.
    pub subject: &'a str,
    /// Its messages as [`text`].
    pub text: &'a str,
    /// The server's public URL (unsubscribe links start with it).
    pub public_url: &'a str,
}

/// Queues `copy` for subscriber `subscriber_id` when they have an e-mail address and have
/// not opted out, and answers what became of it. Run it in the transaction that marks
/// them sent; wake the outbox after the commit when it answers [`EmailCopy::Queued`].
pub async fn enqueue(
    conn: &mut db::Connection,
    copy: CopySource<'_>,
    subscriber_id: &str,
) -> anyhow::Result<EmailCopy> {
    let target = email_opt_outs::target(conn, subscriber_id).await?;
    let Some(email) = target.as_ref().and_then(|t| t.email.clone()) else {
        return Ok(EmailCopy::NoAddress);
    };
    if target.is_some_and(|t| t.opted_out) {
        return Ok(EmailCopy::OptedOut);
    }
    let secret = forms::secret(conn, email_opt_outs::UNSUBSCRIBE_SECRET, &clock::now_rfc3339()).await?;
    let data = CopyData {
        broadcast_id: copy.broadcast_id,
        subject: copy.subject.to_owned(),
        text: copy.text.to_owned(),
        unsubscribe_url: format!(
            "{}/unsubscribe/{}",
            copy.public_url,
            token(&secret, subscriber_id)
        ),
    };
    let event = Event {
        workspace_id: copy.workspace_id,
        subscriber_id: Some(subscriber_id.into()),
        event_type: EMAIL_COPY_EVENT.to_owned(),
        data: serde_json::to_value(&data)?,
    };
    outbox::enqueue(conn, &event, &[Automation::Email { to: email }]).await?;
    Ok(EmailCopy::Queued)
}

/// Whether outbox row `row` is a copy (event [`EMAIL_COPY_EVENT`]) whose subscriber opted
/// out after it was queued (the outbox then ends it `dead` instead of sending it).
pub async fn opted_out_since(conn: &mut db::Connection, row: &Claimed) -> sqlx::Result<bool> {
    let Some(subscriber_id) = row
        .subscriber_id
        .as_deref()
        .filter(|_| row.event_type == EMAIL_COPY_EVENT)
    else {
        return Ok(false);
    };
    let target = email_opt_outs::target(conn, subscriber_id).await?;
    Ok(target.is_some_and(|t| t.opted_out))
}

/// The e-mail of a copy's outbox `data` from `from` to `to`, with `message_id` as its
/// `Message-ID` (the same on every retry) and the RFC 8058 one-click unsubscribe headers.
pub fn message(data: &str, message_id: &str, from: &str, to: &str) -> anyhow::Result<Message> {
    let data: CopyData = serde_json::from_str(data)?;
    let body = format!(
        "{}\n\n--\nTo stop these e-mails, unsubscribe: {}\n",
        data.text, data.unsubscribe_url
    );
    let mut builder = Message::builder()
        .from(from.parse::<Mailbox>()?)
        .to(to.parse::<Mailbox>()?)
        .subject(data.subject)
        .message_id(Some(format!("<{message_id}@parlo>")))
        .header(ContentType::TEXT_PLAIN);
    let raw =
        |name: &'static str, value: String| HeaderValue::new(HeaderName::new_from_ascii_str(name), value);
    builder = builder.raw_header(raw("List-Unsubscribe", format!("<{}>", data.unsubscribe_url)));
    builder = builder.raw_header(raw(
        "List-Unsubscribe-Post",
        "List-Unsubscribe=One-Click".to_owned(),
    ));
    Ok(builder.body(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_subscriber_and_no_other() {
        let token = token("secret", "sub_4ZyT0rW8qk2mB1xLcV9d");
        assert_eq!(
            verify("secret", &token).as_deref(),
            Some("sub_4ZyT0rW8qk2mB1xLcV9d")
        );
        let (_, hash) = token.split_once('.').unwrap();
        assert_eq!(
            verify("secret", &format!("sub_00000000000000000000.{hash}")),
            None
        );
        assert_eq!(verify("other secret", &token), None);
    }

    #[test]
    fn messages_become_paragraphs_with_their_links() {
        let messages: Vec<ContentMessage> = serde_json::from_value(serde_json::json!([
            {"type": "text", "text": "Spring is here!", "buttons": [
                {"title": "Shop", "url": "https://shop.example/spring"},
                {"title": "Tell me more", "flow": "spring"}
            ]},
            {"type": "image", "url": "https://shop.example/tulips.jpg", "alt": "Tulips"}
        ]))
        .unwrap();
        assert_eq!(
            text(&messages),
            "Spring is here!\nShop: https://shop.example/spring\n\nTulips: https://shop.example/tulips.jpg"
        );
    }
}
