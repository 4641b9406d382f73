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

/// How a list names the subscriber: [`subscriber_name`], else their e-mail, else
/// `Visitor {id}`.
pub fn subscriber_label(s: &Subscriber) -> String {
    subscriber_name(s)
        .or_else(|| s.fields.get("email").filter(|v| !v.is_empty()).cloned())
        .unwrap_or_else(|| format!("Visitor {}", s.id.as_str()))
}
