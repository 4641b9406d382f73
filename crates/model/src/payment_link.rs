//! Payment links: the shop settings' `payment_url` template filled in for an order.
//!
//! The template is a web URL ([`crate::link`]) with placeholders, each replaced by its
//! value percent-encoded (RFC 3986: every byte but the unreserved `A-Z a-z 0-9 - . _ ~`
//! as `%XX`), so a value cannot change the URL's shape:
//!
//! | placeholder | value |
//! |---|---|
//! | `{{order.id}}` | the order's id, e.g. `42` |
//! | `{{order.total}}` | its total in major units, e.g. `54.00` ([`Money::decimal`]) |
//! | `{{order.amount}}` | its total in minor units, e.g. `5400` |
//! | `{{order.currency}}` | its ISO 4217 currency, e.g. `EUR` |
//! | `{{buyer.email}}` | the buyer's e-mail address |
//!
//! ```
//! use parlo_model::payment_link::{check, fill};
//! let template = "https://pay.example/checkout?order={{order.id}}&amount={{order.total}}";
//! assert!(check(template).is_ok());
//! assert!(check("https://pay.example/?o={{order.number}}").is_err());
//! # let order: parlo_model::shop::Order = serde_json::from_value(serde_json::json!({
//! #     "id": 42, "buyer": {"name": "Ada", "email": "ada+shop@example.com"}, "lines": [],
//! #     "total": {"currency": "EUR", "amount": 5400}, "status": "pending",
//! #     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})).unwrap();
//! assert_eq!(fill(template, &order), "https://pay.example/checkout?order=42&amount=54.00");
//! assert_eq!(fill("https://pay.example/?e={{buyer.email}}", &order), "https://pay.example/?e=ada%2Bshop%40example.com");
//! ```

use crate::link::check_web_url;
use crate::shop::Order;

/// The placeholders, with `{{` and `}}`.
pub const PLACEHOLDERS: [&str; 5] = [
    "{{order.id}}",
    "{{order.total}}",
    "{{order.amount}}",
    "{{order.currency}}",
    "{{buyer.email}}",
];

/// The values of [`PLACEHOLDERS`] for `order`, in their order.
fn values(order: &Order) -> [String; 5] {
    [
        order.id.to_string(),
        order.total.decimal(),
        order.total.amount.to_string(),
        order.total.currency.clone(),
        order.buyer.email.clone(),
    ]
}

/// `value` percent-encoded (module docs).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `template` with every placeholder replaced by `value(i)` of its index.
fn replace(template: &str, value: impl Fn(usize) -> String) -> String {
    let mut out = template.to_owned();
    for (i, placeholder) in PLACEHOLDERS.iter().enumerate() {
        if out.contains(placeholder) {
            out = out.replace(placeholder, &value(i));
        }
    }
    out
}

/// The payment link of `order`: `template` with its placeholders filled in.
pub fn fill(template: &str, order: &Order) -> String {
    let values = values(order);
    replace(template, |i| encode(&values[i]))
}

/// Checks a template: only known placeholders, and a web URL once they are filled in
/// (each with `0`); the error says what is wrong.
pub fn check(template: &str) -> Result<(), String> {
    let filled = replace(template, |_| "0".to_owned());
    if filled.contains("{{") || filled.contains("}}") {
        return Err(format!(
            "has an unknown placeholder; known: {}",
            PLACEHOLDERS.join(", ")
        ));
    }
    check_web_url(&filled).map_err(str::to_owned)
}
