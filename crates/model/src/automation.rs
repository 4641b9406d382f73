//! Automations: what happens after an event (e.g. a lead was created), run by the server's
//! outbox worker at least once, after the event's transaction committed.
//!
//! On the wire an automation is a JSON object tagged by `type` (snake_case):
//!
//! ```
//! use parlo_model::automation::Automation;
//! let a: Automation = serde_json::from_str(r#"{"type":"add_tags","tags":["lead"]}"#).unwrap();
//! assert_eq!(a, Automation::AddTags { tags: vec!["lead".into()] });
//! assert!(a.check("/automations/0").is_empty());
//! let bad: Automation = serde_json::from_str(r#"{"type":"email","to":"nobody"}"#).unwrap();
//! assert_eq!(bad.check("/automations/1")[0].pointer, "/automations/1/to");
//! ```
//!
//! Templates (the values of [`Automation::SetFields`]) are bot-text templates
//! (`parlo_engine::render`: `{{name}}`, `{{name|fallback}}`) whose names are dot-separated
//! paths into the event's data, e.g. `{{values.name}}` for the lead form field `name`;
//! arrays are indexed (`{{values.topics.0}}`) or joined with `, ` (`{{values.topics}}`).

use crate::ids::FlowId;
use crate::problem::FieldError;
use crate::tag::{MAX_BATCH, MAX_NAME_CHARS};
use crate::validate::{EMAIL, FieldKind, MemberRule, Rule, items, name, normalise_email, up_to};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest template, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 1000;

/// What [`Automation::check`] verifies of one member at a time, for the API document (the
/// endpoints, flows and tags named are the server's checks).
pub const SCHEMA_RULES: [MemberRule; 10] = [
    ("Automation", "", Rule::Closed),
    (
        "AutomationWebhook",
        "endpoint_id",
        Rule::Range {
            min: 1.0,
            max: i64::MAX as f64,
        },
    ),
    ("AutomationAddTags", "tags", items(1, MAX_BATCH)),
    ("AutomationAddTags", "tags/items", name(MAX_NAME_CHARS)),
    ("AutomationRemoveTags", "tags", items(1, MAX_BATCH)),
    ("AutomationRemoveTags", "tags/items", name(MAX_NAME_CHARS)),
    (
        "AutomationSetFields",
        "fields",
        Rule::Properties {
            min: 1,
            max: MAX_BATCH,
        },
    ),
    (
        "AutomationSetFields",
        "fields/propertyNames",
        name(MAX_NAME_CHARS),
    ),
    (
        "AutomationSetFields",
        "fields/additionalProperties",
        up_to(MAX_TEMPLATE_CHARS),
    ),
    ("AutomationEmail", "to", EMAIL),
];

/// One automation; see the module docs for the wire form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Automation {
    /// POST the event to a webhook endpoint of the workspace, signed per the Standard
    /// Webhooks spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    Webhook {
        /// Id of the webhook endpoint (`/api/v1/webhook-endpoints/{id}`).
        endpoint_id: i64,
    },
    /// Add tags (by name, created when missing) to the event's subscriber.
    AddTags {
        /// 1..=100 tag names.
        tags: Vec<String>,
    },
    /// Remove tags (by name; unknown names are ignored) from the event's subscriber.
    RemoveTags {
        /// 1..=100 tag names.
        tags: Vec<String>,
    },
    /// Set custom fields of the event's subscriber from templates over the event data,
    /// e.g. `{"first_name": "{{values.name}}"}`. A field the workspace lacks is created as
    /// `text`; a value its type rejects is skipped with a warning in the log, as when a
    /// flow sets it.
    SetFields {
        /// 1..=100 entries, field name → template.
        fields: BTreeMap<String, String>,
    },
    /// Start a flow for the event's subscriber; the bot writes to them in the widget.
    StartFlow {
        /// Id of the flow in the workspace.
        flow_id: FlowId,
    },
    /// E-mail a notification of the event (its type and data) to the site owner over SMTP.
    Email {
        /// The recipient's e-mail address (WHATWG HTML's valid e-mail address with a dotted
        /// domain, at most 254 characters, without surrounding spaces).
        to: String,
    },
}

impl Automation {
    /// The wire name of the variant, e.g. `add_tags`.
    pub fn kind(&self) -> &'static str {
        match self {
            Automation::Webhook { .. } => "webhook",
            Automation::AddTags { .. } => "add_tags",
            Automation::RemoveTags { .. } => "remove_tags",
            Automation::SetFields { .. } => "set_fields",
            Automation::StartFlow { .. } => "start_flow",
            Automation::Email { .. } => "email",
        }
    }

    /// Whether it acts on the event's subscriber (and so needs one).
    pub fn needs_subscriber(&self) -> bool {
        matches!(
            self,
            Automation::AddTags { .. }
                | Automation::RemoveTags { .. }
                | Automation::SetFields { .. }
                | Automation::StartFlow { .. }
        )
    }

    /// Problems with its shape, pointed below `pointer` (RFC 6901, e.g. `/automations/0`);
    /// empty when fine. References (endpoint, flow) are checked by the server.
    pub fn check(&self, pointer: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self {
            Automation::Webhook { .. } | Automation::StartFlow { .. } => {}
            Automation::AddTags { tags } | Automation::RemoveTags { tags } => {
                check_count(&mut errors, &format!("{pointer}/tags"), tags.len());
                for (i, tag) in tags.iter().enumerate() {
                    check_name(&mut errors, &format!("{pointer}/tags/{i}"), tag);
                }
            }
            Automation::SetFields { fields } => {
                check_count(&mut errors, &format!("{pointer}/fields"), fields.len());
                for (name, template) in fields {
                    let at = format!("{pointer}/fields/{}", escape_pointer(name));
                    check_name(&mut errors, &at, name);
                    if template.chars().count() > MAX_TEMPLATE_CHARS {
                        errors.push(FieldError::new(
                            at,
                            format!("must be at most {MAX_TEMPLATE_CHARS} characters"),
                        ));
                    }
                }
            }
            Automation::Email { to } => {
                if normalise_email(to).is_none() {
                    errors.push(FieldError::new(
                        format!("{pointer}/to"),
                        FieldKind::Email.invalid_message(),
                    ));
                }
            }
        }
        errors
    }
}

fn check_count(errors: &mut Vec<FieldError>, pointer: &str, count: usize) {
    if count == 0 || count > MAX_BATCH {
        errors.push(FieldError::new(
            pointer,
            format!("must have 1..={MAX_BATCH} entries"),
        ));
    }
}

fn check_name(errors: &mut Vec<FieldError>, pointer: &str, name: &str) {
    if let Err(problem) = crate::validate::check_name(name, MAX_NAME_CHARS) {
        errors.push(FieldError::new(pointer, problem));
    }
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_form_is_tagged_snake_case() {
        let all = json!([
            {"type": "webhook", "endpoint_id": 3},
            {"type": "add_tags", "tags": ["lead"]},
            {"type": "remove_tags", "tags": ["cold"]},
            {"type": "set_fields", "fields": {"first_name": "{{values.name}}"}},
            {"type": "start_flow", "flow_id": "welcome"},
            {"type": "email", "to": "owner@example.com"},
        ]);
        let parsed: Vec<Automation> = serde_json::from_value(all.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), all);
        let kinds: Vec<_> = parsed.iter().map(Automation::kind).collect();
        assert_eq!(
            kinds,
            [
                "webhook",
                "add_tags",
                "remove_tags",
                "set_fields",
                "start_flow",
                "email"
            ]
        );
        assert!(parsed.iter().all(|a| a.check("").is_empty()));
    }

    #[test]
    fn unknown_type_and_members_are_rejected() {
        assert!(serde_json::from_value::<Automation>(json!({"type": "sms"})).is_err());
        assert!(
            serde_json::from_value::<Automation>(json!({"type": "webhook", "endpoint_id": 1, "x": 1}))
                .is_err()
        );
    }

    #[test]
    fn check_points_at_each_bad_member() {
        let a = Automation::AddTags {
            tags: vec!["ok".into(), " ".into()],
        };
        let errors = a.check("/automations/2");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/automations/2/tags/1");
        let empty = Automation::RemoveTags { tags: vec![] };
        assert_eq!(empty.check("")[0].pointer, "/tags");
        let fields = Automation::SetFields {
            fields: BTreeMap::from([("a/b".to_owned(), "x".repeat(MAX_TEMPLATE_CHARS + 1))]),
        };
        assert_eq!(fields.check("")[0].pointer, "/fields/a~1b");
    }
}
