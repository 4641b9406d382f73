//! Changes to one subscriber — profile members, custom field values, tags — resolved
//! against the workspace's records before anything is written, so that a request is
//! applied whole or not at all.
//!
//! Every problem is collected with the JSON pointer of the offending value (under the
//! caller's `prefix`, e.g. `/subscribers/3`), so one 422 lists them all.

use crate::db;
use crate::db::custom_fields::{self, Table};
use crate::db::{subscribers, tags};
use crate::error::{ApiError, ApiResult};
use crate::field_values;
use crate::routes;
use parlo_model::problem::FieldError;
use parlo_model::subscriber::ProfileChanges;
use parlo_model::tag::{FieldValue, IdOrName};
use parlo_model::validate::{FieldKind, check_answer};
use serde_json::Value;

/// Resolved changes of one subscriber and the problems found on the way.
#[derive(Debug, Default)]
pub struct Changes {
    /// Custom field ids with their canonical new value, or `None` to clear the field.
    pub fields: Vec<(i64, Option<String>)>,
    /// Ids of the tags to add or remove.
    pub tags: Vec<i64>,
    /// Tags or fields the workspace lacks, with the pointer of their reference.
    pub unknown: Vec<(String, IdOrName)>,
    /// Invalid values, with their pointers.
    pub errors: Vec<FieldError>,
    /// The e-mail address set by the profile (normalised), with its pointer.
    pub email: Option<(String, String)>,
}

impl Changes {
    /// Adds the profile members given (`name`, `first_name`, `last_name`, `email`,
    /// `phone`): each is checked like the bot's answers of its kind (names like tag names,
    /// 1..=100 characters) and stored in the custom field of its name, created as `text`
    /// when missing.
    pub async fn profile(
        &mut self,
        conn: &mut db::Connection,
        workspace_id: i64,
        prefix: &str,
        profile: ProfileChanges<'_>,
        now: &str,
    ) -> ApiResult<()> {
        for (member, change) in profile {
            let pointer = format!("{prefix}/{member}");
            let value = match change {
                None => continue,
                Some(None) => {
                    let field =
                        custom_fields::find(conn, workspace_id, &IdOrName::Name(member.into())).await?;
                    self.fields.extend(field.map(|f| (f.id, None)));
                    continue;
                }
                Some(Some(value)) => value,
            };
            let kind = match member {
                "email" => FieldKind::Email,
                "phone" => FieldKind::Phone,
                _ => FieldKind::Text,
            };
            let normalised = match kind {
                FieldKind::Text => self.checked_name(&pointer, value),
                _ => check_answer(kind, value)
                    .map_err(|message| self.errors.push(FieldError::new(&pointer, message)))
                    .ok(),
            };
            let Some(value) = normalised else { continue };
            let field = custom_fields::ensure(conn, workspace_id, member, now).await?;
            match field_values::canonical(field.field_type, &Value::String(value)) {
                Ok(value) => {
                    if member == "email" {
                        self.email = Some((pointer, value.clone()));
                    }
                    self.fields.push((field.id, Some(value)));
                }
                Err(message) => self.errors.push(FieldError::new(pointer, message)),
            }
        }
        Ok(())
    }

    /// Adds custom field values (`null` clears) at `{prefix}/{i}`: the fields must exist;
    /// each value is checked against its field's type ([`field_values::resolve`]).
    pub async fn fields(
        &mut self,
        conn: &mut db::Connection,
        workspace_id: i64,
        prefix: &str,
        items: &[FieldValue],
    ) -> ApiResult<()> {
        let resolved = field_values::resolve(conn, Table::Custom, workspace_id, prefix, items).await?;
        self.fields.extend(resolved.values);
        self.unknown.extend(resolved.unknown);
        self.errors.extend(resolved.errors);
        Ok(())
    }

    /// Adds tags at `{prefix}/{i}`, by id or by name; with `create`, a name the workspace
    /// lacks creates the tag (names are checked like `POST /api/v1/tags`).
    pub async fn tags(
        &mut self,
        conn: &mut db::Connection,
        workspace_id: i64,
        prefix: &str,
        refs: &[IdOrName],
        create: bool,
        now: &str,
    ) -> ApiResult<()> {
        for (i, tag) in refs.iter().enumerate() {
            let pointer = format!("{prefix}/{i}");
            let found = match tag {
                IdOrName::Name(name) => match self.checked_name(&pointer, name) {
                    None => continue,
                    Some(name) if create => Some(tags::ensure(conn, workspace_id, &name, now).await?),
                    Some(name) => tags::find(conn, workspace_id, &IdOrName::Name(name))
                        .await?
                        .map(|t| t.id),
                },
                IdOrName::Id(_) => tags::find(conn, workspace_id, tag).await?.map(|t| t.id),
            };
            match found {
                Some(id) => self.tags.push(id),
                None => self.unknown.push((pointer, tag.clone())),
            }
        }
        Ok(())
    }

    /// `name` checked like a tag name ([`routes::check_name`]), its problem collected.
    fn checked_name(&mut self, pointer: &str, name: &str) -> Option<String> {
        match routes::check_name(pointer, name) {
            Ok(name) => Some(name),
            Err(ApiError::Validation(errors)) => {
                self.errors.extend(errors);
                None
            }
            Err(other) => {
                self.errors.push(FieldError::new(pointer, other.to_string()));
                None
            }
        }
    }

    /// Moves the unknown references into `errors`: a body's reference that names nothing is
    /// invalid input, not a missing resource.
    pub fn unknown_as_errors(&mut self) {
        let (fields, tags): (Vec<_>, Vec<_>) = self
            .unknown
            .drain(..)
            .partition(|(pointer, _)| pointer.ends_with("/field"));
        self.errors
            .extend(field_values::unknown_errors("custom field", &fields));
        self.errors.extend(field_values::unknown_errors("tag", &tags));
    }

    /// Writes the field values and, with `add_tags`, adds the tags (otherwise removes them).
    pub async fn apply(
        &self,
        conn: &mut db::Connection,
        subscriber_id: &str,
        add_tags: bool,
        now: &str,
    ) -> sqlx::Result<()> {
        for (field_id, value) in &self.fields {
            match value {
                Some(value) => subscribers::set_field(conn, subscriber_id, *field_id, value, now).await?,
                None => subscribers::clear_field(conn, subscriber_id, *field_id).await?,
            }
        }
        for &tag_id in &self.tags {
            if add_tags {
                subscribers::add_tag(conn, subscriber_id, tag_id, now).await?;
            } else {
                subscribers::remove_tag(conn, subscriber_id, tag_id).await?;
            }
        }
        Ok(())
    }
}
