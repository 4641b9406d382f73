//! How the console names a subscriber.

use parlo_model::subscriber::Subscriber;

/// The subscriber's custom field `name`, else `first_name` and `last_name` joined by a
/// space (the rule of the inbox's `ConversationSummary::name`); `None` when none is set.
pub fn subscriber_name(s: &Subscriber) -> Option<String> {
    let field = |name: &str| s.fields.get(name).filter(|v| !v.is_empty()).cloned();
    field("name").or_else(|| {
        let parts: Vec<String> = [field("first_name"), field("last_name")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}
