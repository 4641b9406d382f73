//! `{{variable}}` templates and `[[spin|text]]` in bot texts.
//!
//! Syntax (the common denominator of ManyChat / UChat style variables):
//! - `{{first_name}}` and `{{field.first_name}}` are the subscriber's custom field
//!   `first_name`; `{{first_name}}`, `{{last_name}}`, `{{email}}` and `{{phone}}` are
//!   the subscriber's fields of those names;
//! - `{{full_name}}` is the field `full_name` when set, else `first_name` and `last_name`
//!   joined by a space;
//! - `{{current_date}}` is today as `YYYY-MM-DD` (from the caller's [`Context`]);
//! - `{{bot.promo}}` is the workspace's bot field `promo`;
//! - `{{payload.order}}` is the payload variable `order` given when the flow was started
//!   through the API (`POST /api/v1/subscribers/{id}/send-flow`, lead-form automations);
//! - `{{first_name|there}}` falls back to `there` when the value is unset or blank;
//! - an unknown variable without fallback renders as nothing;
//! - `{{` without a closing `}}` is kept as written;
//! - spin text `[[Hi|Hello|Hey]]` renders one of its two or more variants, separated by `|`
//!   outside `{{…}}`, picked at random (by [`Context::seed`]) on every send; variants may
//!   hold variables but not other spin text; `[[one]]` without `|` is kept as written.
//!   Double square brackets keep it apart from a variable's `|fallback`.

use crate::{Context, Profile};
use std::collections::BTreeMap;

/// What a template's variables are read from.
#[derive(Clone, Copy, Debug)]
pub struct Variables<'a> {
    /// The subscriber's fields.
    pub profile: &'a Profile,
    /// The flow's payload variables.
    pub payload: &'a BTreeMap<String, String>,
    /// Today, bot fields and the spin seed.
    pub context: &'a Context,
}

/// Renders `template` with `vars`; `spins` counts the spin texts rendered so far by the
/// caller's run (start from 0), so each one draws its own variant from the seed.
///
/// ```
/// use parlo_engine::{render, Context, Profile, Variables};
/// use std::collections::BTreeMap;
/// let mut profile = Profile::default();
/// profile.fields.insert("first_name".into(), "Ada".into());
/// let payload = BTreeMap::from([("order".to_owned(), "A-1042".to_owned())]);
/// let context = Context { today: "2026-11-21".into(), ..Context::default() };
/// let vars = Variables { profile: &profile, payload: &payload, context: &context };
/// assert_eq!(
///     render("Hi {{first_name|there}}, {{ field.plan | free }} {{payload.order}} {{current_date}}", &vars, &mut 0),
///     "Hi Ada, free A-1042 2026-11-21"
/// );
/// let greeting = render("[[Hi|Hello]] {{first_name}}", &vars, &mut 0);
/// assert!(greeting == "Hi Ada" || greeting == "Hello Ada");
/// ```
pub fn render(template: &str, vars: &Variables<'_>, spins: &mut u64) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open + 2..].find("]]") else {
            break;
        };
        let variants = split_variants(&rest[open + 2..open + 2 + close]);
        out.push_str(&render_variables(&rest[..open], vars));
        if variants.len() < 2 {
            out.push_str(&render_variables(&rest[open..open + 2 + close + 2], vars));
        } else {
            let pick = pick(vars.context.seed, *spins, variants.len());
            *spins += 1;
            out.push_str(&render_variables(variants[pick], vars));
        }
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(&render_variables(rest, vars));
    out
}

/// The variants of a spin text: split at `|` outside `{{…}}`.
fn split_variants(inner: &str) -> Vec<&str> {
    let mut variants = Vec::new();
    let (mut start, mut depth, mut i) = (0, 0_usize, 0);
    let bytes = inner.as_bytes();
    while i < bytes.len() {
        if inner[i..].starts_with("{{") {
            depth += 1;
            i += 2;
        } else if inner[i..].starts_with("}}") && depth > 0 {
            depth -= 1;
            i += 2;
        } else {
            if bytes[i] == b'|' && depth == 0 {
                variants.push(&inner[start..i]);
                start = i + 1;
            }
            i += 1;
        }
    }
    variants.push(&inner[start..]);
    variants
}

/// Variant `0..n` of the `draw`th spin of a run: SplitMix64 (Steele, Lea, Flood 2014) of
/// the seed and the draw.
fn pick(seed: u64, draw: u64, n: usize) -> usize {
    let mut z = seed.wrapping_add(draw.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    // `n` is at most the length of a text, so both conversions are lossless.
    (z % n as u64) as usize
}

fn render_variables(template: &str, vars: &Variables<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&substitute(&rest[open + 2..open + 2 + close], vars));
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

fn substitute(expr: &str, vars: &Variables<'_>) -> String {
    let (name, fallback) = match expr.split_once('|') {
        Some((name, fallback)) => (name.trim(), fallback.trim()),
        None => (expr.trim(), ""),
    };
    let value = value(name, vars).filter(|v| !v.trim().is_empty());
    value.unwrap_or_else(|| fallback.to_owned())
}

/// The value of variable `name`, if it has one.
fn value(name: &str, vars: &Variables<'_>) -> Option<String> {
    let field = |name: &str| vars.profile.fields.get(name).filter(|v| !v.trim().is_empty());
    if let Some(key) = name.strip_prefix("payload.") {
        return vars.payload.get(key).cloned();
    }
    if let Some(key) = name.strip_prefix("bot.") {
        return vars.context.bot_fields.get(key).cloned();
    }
    match name {
        "current_date" => Some(vars.context.today.clone()),
        "full_name" => field("full_name").cloned().or_else(|| {
            let parts: Vec<&str> = ["first_name", "last_name"]
                .iter()
                .filter_map(|n| field(n).map(|v| v.trim()))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }),
        _ => field(name.strip_prefix("field.").unwrap_or(name)).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(
        template: &str,
        profile: &Profile,
        payload: &BTreeMap<String, String>,
        context: &Context,
    ) -> String {
        let vars = Variables {
            profile,
            payload,
            context,
        };
        render(template, &vars, &mut 0)
    }

    #[test]
    fn renders_variables_fallbacks_and_literals() {
        let mut p = Profile::default();
        p.fields.insert("email".into(), "ada@example.com".into());
        p.fields.insert("blank".into(), " ".into());
        let (none, context) = (BTreeMap::new(), Context::default());
        let r = |t: &str| rendered(t, &p, &none, &context);
        assert_eq!(
            r("{{email}} / {{field.email}}"),
            "ada@example.com / ada@example.com"
        );
        assert_eq!(r("[{{missing}}] [{{blank|none}}]"), "[] [none]");
        assert_eq!(r("a {{ b"), "a {{ b");
        assert_eq!(r("{{email}}}"), "ada@example.com}");
        assert_eq!(r("no vars"), "no vars");
    }

    #[test]
    fn payload_variables_are_their_own_namespace() {
        let mut p = Profile::default();
        p.fields.insert("order".into(), "field value".into());
        let payload = BTreeMap::from([("order".to_owned(), "A-1042".to_owned())]);
        assert_eq!(
            rendered(
                "{{payload.order}} {{order}} {{payload.missing|none}}",
                &p,
                &payload,
                &Context::default()
            ),
            "A-1042 field value none"
        );
    }

    #[test]
    fn names_dates_and_bot_fields() {
        let mut p = Profile::default();
        for (k, v) in [
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("email", "ada@example.com"),
            ("phone", "+442079460958"),
        ] {
            p.fields.insert(k.into(), v.into());
        }
        let context = Context {
            today: "2026-11-21".into(),
            bot_fields: BTreeMap::from([("promo".to_owned(), "WINTER".to_owned())]),
            ..Context::default()
        };
        let none = BTreeMap::new();
        assert_eq!(
            rendered(
                "{{first_name}} {{last_name}} <{{email}}> {{phone}}: {{full_name}}, {{current_date}}, {{bot.promo}} {{bot.none|-}}",
                &p,
                &none,
                &context
            ),
            "Ada Lovelace <ada@example.com> +442079460958: Ada Lovelace, 2026-11-21, WINTER -"
        );
        p.fields.remove("last_name");
        assert_eq!(rendered("{{full_name}}", &p, &none, &context), "Ada");
        p.fields.insert("full_name".into(), "Countess Ada".into());
        assert_eq!(rendered("{{full_name}}", &p, &none, &context), "Countess Ada");
        assert_eq!(
            rendered("{{full_name|friend}}", &Profile::default(), &none, &context),
            "friend"
        );
    }

    #[test]
    fn spin_text_picks_each_variant_by_the_seed() {
        let mut p = Profile::default();
        p.fields.insert("first_name".into(), "Ada".into());
        let none = BTreeMap::new();
        let template = "[[Hi|Hello {{first_name|there}}|Hey]]!";
        let picks: std::collections::BTreeSet<String> = (0..64)
            .map(|seed| {
                let context = Context {
                    seed,
                    ..Context::default()
                };
                rendered(template, &p, &none, &context)
            })
            .collect();
        assert_eq!(
            picks.into_iter().collect::<Vec<_>>(),
            ["Hello Ada!", "Hey!", "Hi!"]
        );
        let context = Context {
            seed: 7,
            ..Context::default()
        };
        assert_eq!(
            rendered(template, &p, &none, &context),
            rendered(template, &p, &none, &context),
            "the same seed picks the same variant"
        );
        assert_eq!(
            rendered("[[single]] [[open", &p, &none, &context),
            "[[single]] [[open"
        );
    }

    #[test]
    fn field_values_are_never_read_as_spin_text() {
        let mut p = Profile::default();
        p.fields.insert("first_name".into(), "[[a|b]]".into());
        let none = BTreeMap::new();
        assert_eq!(
            rendered("Hi {{first_name}}", &p, &none, &Context::default()),
            "Hi [[a|b]]"
        );
    }
}
