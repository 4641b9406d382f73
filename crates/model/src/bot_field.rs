//! Bot (global) fields: typed values of a whole workspace, e.g. a shop's opening hours or a
//! promotion code, kept beside the per-subscriber custom fields (UChat's and ManyChat's
//! "bot fields").
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/bot-fields?limit=&cursor=` | → `Page<BotField>` in id order |
//! | POST | `/api/v1/bot-fields` | [`CreateCustomField`] → [`BotField`], 201 (409 if the name is taken) |
//! | GET, DELETE | `/api/v1/bot-fields/{field_id}`, `…/by-name/{field_name}` | → [`BotField`], 204 |
//! | PATCH | `/api/v1/bot-fields/{field_id}` | [`UpdateCustomField`] → [`BotField`] |
//! | PATCH | `/api/v1/bot-fields/values` | [`SetFields`] → `Page<BotField>` (set one or many; `null` clears) |
//!
//! A bot field has the types and value rules of a custom field ([`FieldType`]); its value
//! is stored in the same canonical text form.
//!
//! [`CreateCustomField`]: crate::tag::CreateCustomField
//! [`UpdateCustomField`]: crate::tag::UpdateCustomField
//! [`SetFields`]: crate::tag::SetFields
//! [`FieldType`]: crate::tag::FieldType

use crate::tag::CustomField;
use serde::{Deserialize, Serialize};

/// A bot field: its definition (as a custom field's) and its one value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BotField {
    /// Id, name, type, description and timestamps.
    #[serde(flatten)]
    pub field: CustomField,
    /// The value in canonical text form (e.g. `42`, `true`, `["a","b"]`,
    /// `2026-11-21T09:30:00.000Z`); `null` while unset.
    pub value: Option<String>,
}
