//! Leads: accepted form submissions, as the management API lists and exports them.
//!
//! Routes: `GET /api/v1/leads?form_id=&from=&to=&limit=&cursor=` (→
//! [`Page`](crate::page::Page)`<`[`Lead`]`>`, newest first), `GET /api/v1/leads/{id}`,
//! `GET /api/v1/leads/export.csv` (same filters; one column per form field, then the
//! capture members and the consents). The public submission answers
//! [`SubmissionAccepted`].

use crate::form::{Capture, FieldType, FieldValue, Form, Success};
use crate::ids::{FormId, LeadId, SubscriberId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One lead: a form submission that passed validation and the anti-spam checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Lead {
    /// Lead id, `lead_` + 20 base62 characters.
    pub id: LeadId,
    /// The form submitted.
    pub form_id: FormId,
    /// The subscriber the lead belongs to: the chat widget's visitor when the submission
    /// carried its session token, else the one with the same e-mail or phone, else a new one
    /// on the form's channel (or the workspace's first channel). `None` only when the
    /// workspace has no channel, or the subscriber was deleted since.
    pub subscriber_id: Option<SubscriberId>,
    /// The cleaned values by field name (see
    /// [`Submission::validate`](crate::form::Submission::validate)).
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, FormFieldValue>"))]
    pub values: BTreeMap<String, FieldValue>,
    /// Each consent field of the form as it was when submitted.
    #[serde(default)]
    pub consents: Vec<ConsentRecord>,
    /// Where the visitor came from.
    #[serde(default)]
    pub capture: Capture,
    /// The submission's idempotency key.
    pub idempotency_key: String,
    /// When the server stored the lead, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// What a visitor was asked to consent to and whether they did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ConsentRecord {
    /// Name of the consent field.
    pub field: String,
    /// The consent text shown (the field's label) at submission time.
    pub text: String,
    /// The version of that text.
    pub version: String,
    /// Whether the box was ticked.
    pub given: bool,
}

impl ConsentRecord {
    /// The records of every consent field of `form` for cleaned `values`.
    pub fn from_form(form: &Form, values: &BTreeMap<String, FieldValue>) -> Vec<ConsentRecord> {
        form.fields
            .iter()
            .filter(|f| f.kind == FieldType::Consent)
            .map(|f| ConsentRecord {
                field: f.name.clone(),
                text: f.label.clone(),
                version: f.version.clone().unwrap_or_default(),
                given: values.get(&f.name) == Some(&FieldValue::Bool(true)),
            })
            .collect()
    }
}

/// Answer of `POST /api/public/v1/forms/{form_id}/submissions` (201 the first time, 200
/// for a retry with the same idempotency key). Submissions taken for spam get the same
/// answer, so bots learn nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubmissionAccepted {
    /// The submission's idempotency key.
    pub idempotency_key: String,
    /// When the server first accepted it, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub accepted_at: String,
    /// What to show the visitor now.
    pub success: Success,
}
