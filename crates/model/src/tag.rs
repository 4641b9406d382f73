//! Tags and custom (user) fields of a workspace, and setting them on subscribers.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/tags` | → `Page<Tag>` |
//! | POST | `/api/v1/tags` | [`CreateTag`] → [`Tag`] |
//! | GET, DELETE | `/api/v1/tags/{tag_id}`, `/api/v1/tags/by-name/{tag_name}` | → [`Tag`], 204 |
//! | GET | `/api/v1/custom-fields` | → `Page<CustomField>` |
//! | POST | `/api/v1/custom-fields` | [`CreateCustomField`] → [`CustomField`] |
//! | GET, PATCH, DELETE | `/api/v1/custom-fields/{field_id}`, `…/by-name/{field_name}` | [`UpdateCustomField`] → [`CustomField`], 204 |
//! | POST, DELETE | `/api/v1/subscribers/{subscriber_id}/tags` | [`SubscriberTags`] → `Subscriber` |
//! | PATCH | `/api/v1/subscribers/{subscriber_id}/fields` | [`SetFields`] → `Subscriber` |
//!
//! Tags and fields are referred to by id or by name ([`IdOrName`]); names are unique in a
//! workspace. Flows adding tags or setting fields use the same records (creating a missing
//! tag, or a missing field as `text`).

use serde::{Deserialize, Serialize};

/// Longest tag or field name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Most tags or fields changed by one request.
pub const MAX_BATCH: usize = 100;

/// A tag of a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Tag {
    /// Id of the tag in its workspace.
    pub id: i64,
    /// Name, unique in the workspace, e.g. `vip`.
    pub name: String,
    /// When the tag was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// Body of `POST /api/v1/tags`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"name": "vip"}))))]
#[serde(deny_unknown_fields)]
pub struct CreateTag {
    /// Name, 1..=100 characters without control characters (trimmed); 409 if taken.
    pub name: String,
}

/// Type of a custom field, which decides the values it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// A string of at most 1000 characters.
    Text,
    /// A finite JSON number (or a string holding one).
    Number,
    /// `true` or `false` (or the strings `"true"`, `"false"`).
    Boolean,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// An RFC 3339 date-time; stored in UTC.
    Datetime,
    /// A JSON array of at most 100 strings.
    Array,
    /// A string of at most 65 535 characters.
    LongText,
}

impl FieldType {
    /// The wire name, e.g. `long_text`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Array => "array",
            FieldType::LongText => "long_text",
        }
    }

    /// The type of wire name `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [
            FieldType::Text,
            FieldType::Number,
            FieldType::Boolean,
            FieldType::Date,
            FieldType::Datetime,
            FieldType::Array,
            FieldType::LongText,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// A custom (user) field of a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CustomField {
    /// Id of the field in its workspace.
    pub id: i64,
    /// Name, unique in the workspace, e.g. `email`; the key in `Subscriber.fields`.
    pub name: String,
    /// Type of its values.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// What the field holds, for people.
    pub description: String,
    /// When the field was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When the field was last changed, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated_at: String,
}

/// Body of `POST /api/v1/custom-fields`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"name": "order_number", "type": "text", "description": "The customer's last order"}))))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomField {
    /// Name, 1..=100 characters without control characters (trimmed); 409 if taken.
    pub name: String,
    /// Type of its values; it cannot be changed later.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// What the field holds (at most 1000 characters).
    #[serde(default)]
    pub description: String,
}

/// Body of `PATCH /api/v1/custom-fields/{field_id}`: the members given are changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"description": "The customer's most recent order"}))))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomField {
    /// New name (rules as on create); subscribers' values follow the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A tag or custom field, by id (a JSON number) or by name (a JSON string).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum IdOrName {
    /// By id.
    Id(i64),
    /// By name.
    Name(String),
}

/// Body of `POST` (add) and `DELETE` (remove) `/api/v1/subscribers/{subscriber_id}/tags`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"tags": ["vip", "newsletter"]}))))]
#[serde(deny_unknown_fields)]
pub struct SubscriberTags {
    /// 1..=100 tags by id or name. Adding by a name the workspace lacks creates the tag.
    pub tags: Vec<IdOrName>,
}

/// One field value to set or clear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    /// The custom field, by id or name; it must exist.
    pub field: IdOrName,
    /// The value, checked against the field's type; `null` clears the field.
    #[cfg_attr(feature = "openapi", schema(schema_with = field_value_schema))]
    #[cfg_attr(feature = "ts", tsify(type = "string | number | boolean | string[] | null"))]
    pub value: serde_json::Value,
}

/// The OpenAPI schema of a custom field value as the API takes it: a string, number,
/// boolean or array of strings (one of them, checked against the field's type).
#[cfg(feature = "openapi")]
pub fn custom_field_value_schema() -> utoipa::openapi::schema::OneOfBuilder {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    let of = |t| ObjectBuilder::new().schema_type(t);
    OneOfBuilder::new()
        .item(of(Type::String))
        .item(of(Type::Number))
        .item(of(Type::Boolean))
        .item(ArrayBuilder::new().items(of(Type::String)))
}

/// The OpenAPI schema of [`FieldValue::value`]: [`custom_field_value_schema`] or `null`.
#[cfg(feature = "openapi")]
fn field_value_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    custom_field_value_schema()
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "The value, checked against the field's type; `null` clears the field.",
        ))
        .build()
        .into()
}

/// Body of `PATCH /api/v1/subscribers/{subscriber_id}/fields`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"fields": [{"field": "order_number", "value": "A-1042"}, {"field": "phone", "value": null}]}))))]
#[serde(deny_unknown_fields)]
pub struct SetFields {
    /// 1..=100 values to set (or clear with `null`), applied together or not at all.
    pub fields: Vec<FieldValue>,
}

impl std::fmt::Display for IdOrName {
    /// `5` for an id, `'vip'` for a name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdOrName::Id(id) => write!(f, "{id}"),
            IdOrName::Name(name) => write!(f, "'{name}'"),
        }
    }
}
