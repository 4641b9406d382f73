//! Lead forms on the server: the pattern matcher, render tokens, the checks of a definition
//! against the workspace, and storing submissions ([`submit`]).
//!
//! Definitions and submissions are checked by the model ([`parlo_model::form`]); this
//! module adds what needs the server: regular expressions, a secret, the database.

pub mod submit;

use crate::db;
use crate::db::{channels, flows, webhook_endpoints};
use crate::error::ApiResult;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use parlo_model::automation::Automation;
use parlo_model::form::{Form, PatternMatcher};
use parlo_model::problem::FieldError;
use sha2::Sha256;

/// Name of the server secret signing render tokens (`server_secrets`).
pub const RENDER_SECRET: &str = "form_render";
/// Largest compiled pattern, in bytes (the `regex` crate's size limit), against patterns
/// that blow up.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// The HTML `pattern` attribute with the `regex` crate: the whole value must match
/// (`^(?:pattern)$`, WHATWG HTML §4.10.5.3.6). Its syntax is close to ECMAScript's for
/// common patterns; patterns it cannot compile (look-around, back-references) are refused
/// when the form is saved, so browser and server never disagree on a saved form.
#[derive(Clone, Copy, Debug, Default)]
pub struct RegexPatterns;

impl PatternMatcher for RegexPatterns {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
            .size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .map(|re| re.is_match(value))
            .map_err(|e| e.to_string().split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

fn mac(secret: &str, form_id: &str, issued_ms: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{form_id}.{issued_ms}").as_bytes());
    mac
}

/// A render token for `form_id` issued at `issued_ms` (Unix ms): `<issued_ms>.<base64url
/// HMAC-SHA256 of "form_id.issued_ms">`.
pub fn render_token(secret: &str, form_id: &str, issued_ms: i64) -> String {
    let tag = mac(secret, form_id, issued_ms).finalize().into_bytes();
    format!("{issued_ms}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// When a render token of `form_id` was issued (Unix ms); `None` when it is not one this
/// server signed for that form.
pub fn token_issued_ms(secret: &str, form_id: &str, token: &str) -> Option<i64> {
    let (issued, tag) = token.split_once('.')?;
    let issued_ms: i64 = issued.parse().ok()?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(secret, form_id, issued_ms).verify_slice(&tag).ok()?;
    Some(issued_ms)
}

/// Problems of `form`'s references in the workspace: its `channel_id` and the webhook
/// endpoints and flows its automations name must be the workspace's.
pub async fn check_references(
    conn: &mut db::Connection,
    workspace_id: i64,
    form: &Form,
) -> ApiResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(channel_id) = &form.channel_id {
        let channel = channels::find(conn, channel_id.as_str()).await?;
        if channel.is_none_or(|c| c.workspace_id != workspace_id) {
            errors.push(FieldError::new(
                "/channel_id",
                format!("no channel '{channel_id}' in this workspace"),
            ));
        }
    }
    errors.extend(automation_references(conn, workspace_id, &form.automations).await?);
    Ok(errors)
}

/// Problems of `automations`' references in the workspace: the webhook endpoints and flows
/// they name must be the workspace's; each at `/automations/<i>/<member>`.
pub async fn automation_references(
    conn: &mut db::Connection,
    workspace_id: i64,
    automations: &[Automation],
) -> ApiResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, automation) in automations.iter().enumerate() {
        let missing = match automation {
            Automation::Webhook { endpoint_id } => webhook_endpoints::find(conn, workspace_id, *endpoint_id)
                .await?
                .is_none()
                .then(|| {
                    (
                        "endpoint_id",
                        format!("no webhook endpoint {endpoint_id} in this workspace"),
                    )
                }),
            Automation::StartFlow { flow_id } => flows::find(conn, workspace_id, flow_id.as_str())
                .await?
                .is_none()
                .then(|| ("flow_id", format!("no flow '{flow_id}' in this workspace"))),
            _ => None,
        };
        if let Some((member, message)) = missing {
            errors.push(FieldError::new(format!("/automations/{i}/{member}"), message));
        }
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_the_whole_value() {
        assert_eq!(RegexPatterns.matches("[0-9]{5}", "12345"), Ok(true));
        assert_eq!(RegexPatterns.matches("[0-9]{5}", "123456"), Ok(false));
        assert_eq!(RegexPatterns.matches("a|b", "ab"), Ok(false));
        assert!(RegexPatterns.matches("(", "").is_err());
    }

    #[test]
    fn render_tokens_verify_only_for_their_form_and_secret() {
        let token = render_token("s3cret", "quote", 1_700_000_000_000);
        assert_eq!(
            token_issued_ms("s3cret", "quote", &token),
            Some(1_700_000_000_000)
        );
        assert_eq!(token_issued_ms("s3cret", "contact", &token), None);
        assert_eq!(token_issued_ms("other", "quote", &token), None);
        let forged = token.replacen("1700000000000", "1600000000000", 1);
        assert_eq!(token_issued_ms("s3cret", "quote", &forged), None);
    }
}
