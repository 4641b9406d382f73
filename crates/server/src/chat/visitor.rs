//! What a session start tells about the visitor besides its token: the site's user
//! (`Parlo.setUser`), custom attributes (`Parlo.setAttributes`) and where the visit came
//! from, checked once ([`Visitor::check`]) and stored on the subscriber the start resolves
//! to ([`Visitor::store`]).

use crate::db::{self, channels, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::identity;
use parlo_model::chat::{MAX_ATTRIBUTES, StartSession};
use parlo_model::flow::is_valid_field_name;
use parlo_model::form::Capture;
use parlo_model::identity::MAX_USER_ID_CHARS;
use parlo_model::problem::FieldError;
use parlo_model::validate::{FieldKind, check_answer};
use serde_json::Value;

/// A session start's visitor data, checked.
#[derive(Debug, Default)]
pub(super) struct Visitor {
    /// The site's user id, its `user_hash` verified.
    pub external_id: Option<String>,
    /// Custom field values to store, by field name: the user's `name`, `email` and `phone`
    /// (normalised), then the attributes (numbers and booleans as their text).
    fields: Vec<(String, Value)>,
    /// Where the visit came from.
    capture: Option<Capture>,
}

impl Visitor {
    /// Checks the visitor members of `start` for channel `channel_id`.
    ///
    /// # Errors
    /// 422 listing every malformed member (`/user/id`, `/user/email`, `/user/phone`,
    /// `/user/name`, `/user/user_hash` without an id, `/attributes` past 100 or
    /// `/attributes/<name>` not a field name, `/capture/<member>` over 2000 characters);
    /// then 403 `identity_invalid` when `user.id` comes without a `user_hash`, with one that
    /// is not the HMAC-SHA256 of the id with the channel's identity secret, or the channel
    /// has no identity secret.
    pub async fn check(conn: &mut db::Connection, channel_id: &str, start: StartSession) -> ApiResult<Self> {
        let mut errors = Vec::new();
        let mut fields = Vec::new();
        let user = start.user.unwrap_or_default();
        for (member, value) in user.profile() {
            let kind = match member {
                "email" => FieldKind::Email,
                "phone" => FieldKind::Phone,
                _ => FieldKind::Text,
            };
            match check_answer(kind, value) {
                Ok(value) => fields.push((member.to_owned(), Value::String(value))),
                Err(message) => errors.push(FieldError::new(format!("/user/{member}"), message)),
            }
        }
        if let Some(id) = &user.id
            && (id.trim().is_empty() || id.chars().count() > MAX_USER_ID_CHARS)
        {
            errors.push(FieldError::new(
                "/user/id",
                format!("must be 1..={MAX_USER_ID_CHARS} characters, not blank"),
            ));
        }
        if user.id.is_none() && user.user_hash.is_some() {
            errors.push(FieldError::new(
                "/user/user_hash",
                "is only taken with `id`, the user id it signs",
            ));
        }
        if start.attributes.len() > MAX_ATTRIBUTES {
            errors.push(FieldError::new(
                "/attributes",
                format!("must have at most {MAX_ATTRIBUTES} members"),
            ));
        }
        for (name, value) in start.attributes {
            if !is_valid_field_name(&name) {
                errors.push(FieldError::new(
                    format!("/attributes/{name}"),
                    "attribute names are custom field names: 1..=64 of a-z, 0-9 and _",
                ));
                continue;
            }
            let value = match value {
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                other => other,
            };
            fields.push((name, value));
        }
        if let Some(capture) = &start.capture {
            capture.check("/capture", &mut errors);
        }
        ApiError::unless_any(errors)?;
        let external_id = match (user.id, user.user_hash) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(ApiError::IdentityInvalid(
                    "`user.user_hash` is missing: a user `id` is only taken with its hash, the lower-case hex \
                     HMAC-SHA256 of the id keyed with the channel's identity secret"
                        .into(),
                ));
            }
            (Some(id), Some(hash)) => {
                let Some(secret) = channels::identity_secret(conn, channel_id).await? else {
                    return Err(ApiError::IdentityInvalid(
                        "this channel has no identity secret yet: rotate it to get one".into(),
                    ));
                };
                if !identity::verify(&secret, &id, &hash) {
                    return Err(ApiError::IdentityInvalid(
                        "`user.user_hash` does not match `user.id`: it must be the lower-case hex HMAC-SHA256 \
                         of the id keyed with the channel's identity secret"
                            .into(),
                    ));
                }
                Some(id)
            }
        };
        Ok(Self {
            external_id,
            fields,
            capture: start.capture,
        })
    }

    /// Whether the start told nothing about the visitor (a plain resume).
    pub fn is_empty(&self) -> bool {
        self.external_id.is_none() && self.fields.is_empty() && self.capture.is_none()
    }

    /// Stores the custom field values and, when it has none yet, the capture on subscriber
    /// `subscriber_id`. A value its field's type refuses is not stored (logged as a
    /// warning): the visitor still chats.
    pub async fn store(
        &self,
        conn: &mut db::Connection,
        workspace_id: i64,
        subscriber_id: &str,
        now: &str,
    ) -> ApiResult<()> {
        for (name, value) in &self.fields {
            if let Err(problem) =
                subscribers::set_field_by_name(conn, workspace_id, subscriber_id, name, value, now).await?
            {
                tracing::warn!(
                    field = name,
                    problem,
                    "a visitor attribute has the wrong type for its field"
                );
            }
        }
        if let Some(capture) = &self.capture {
            subscribers::set_capture(conn, subscriber_id, capture).await?;
        }
        Ok(())
    }
}
