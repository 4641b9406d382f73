//! Condition steps: whether their conditions hold for a subscriber (rules in
//! [`parlo_model::flow::FieldOp`]).

use crate::template::{Variables, render};
use crate::{Context, Profile};
use parlo_model::flow::{Condition, FieldOp, Match};
use parlo_model::form::is_valid_date;
use std::cmp::Ordering;

/// Whether `conditions` hold under `matching`; `spins` as for [`render`] (a condition's
/// value is a template).
pub(crate) fn holds(
    matching: Match,
    conditions: &[Condition],
    vars: &Variables<'_>,
    spins: &mut u64,
) -> bool {
    let mut one = |c: &Condition| condition_holds(c, vars, spins);
    match matching {
        Match::All => conditions.iter().all(&mut one),
        Match::Any => conditions.iter().any(&mut one),
    }
}

/// Whether `conditions` hold under `matching` for a subscriber with `profile`, outside a
/// flow run (a broadcast's segment): as a condition step would decide, with `context`'s
/// channel being the subscriber's and no payload variables.
///
/// ```
/// use parlo_engine::{segment_holds, Context, Profile};
/// use parlo_model::flow::{Condition, Match};
/// let mut profile = Profile::default();
/// profile.tags.insert("vip".into());
/// let vip = [Condition::HasTag { tag: "vip".into() }];
/// assert!(segment_holds(Match::All, &vip, &profile, &Context::default()));
/// ```
pub fn segment_holds(
    matching: Match,
    conditions: &[Condition],
    profile: &Profile,
    context: &Context,
) -> bool {
    let payload = std::collections::BTreeMap::new();
    let vars = Variables {
        profile,
        payload: &payload,
        context,
    };
    holds(matching, conditions, &vars, &mut 0)
}

fn condition_holds(condition: &Condition, vars: &Variables<'_>, spins: &mut u64) -> bool {
    match condition {
        Condition::HasTag { tag } => vars.profile.tags.contains(tag),
        Condition::HasNotTag { tag } => !vars.profile.tags.contains(tag),
        Condition::Channel { channel } => vars.context.channel.as_ref() == Some(channel),
        Condition::BusinessHours { open } => *open != vars.context.away,
        Condition::Field { field, op, value } => {
            let actual = vars
                .profile
                .fields
                .get(field)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            let expected = value.as_deref().map(|v| render(v, vars, spins));
            compare(actual, *op, expected.as_deref().unwrap_or("").trim())
        }
    }
}

/// Applies `op` to a field's value (`None` when unset or blank) and the expected value.
fn compare(actual: Option<&str>, op: FieldOp, expected: &str) -> bool {
    let Some(actual) = actual else {
        return op == FieldOp::IsNotSet;
    };
    match op {
        FieldOp::IsSet => true,
        FieldOp::IsNotSet => false,
        FieldOp::Contains => actual.to_lowercase().contains(&expected.to_lowercase()),
        FieldOp::Equals => order(actual, expected) == Ordering::Equal,
        FieldOp::Greater => order(actual, expected) == Ordering::Greater,
        FieldOp::Less => order(actual, expected) == Ordering::Less,
    }
}

/// Orders two values as numbers when both are, as dates when both are ISO 8601 dates or
/// RFC 3339 date-times (by the date only when either is a date only), else as text
/// ignoring case.
fn order(a: &str, b: &str) -> Ordering {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x.total_cmp(&y);
    }
    if let (Some(x), Some(y)) = (date(a), date(b)) {
        return if x.len() == y.len() {
            x.cmp(y)
        } else {
            x[..10].cmp(&y[..10])
        };
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `s` when it is a date `YYYY-MM-DD` or starts with one followed by `T` (a date-time as
/// the server stores it: UTC, so date-times compare as text).
fn date(s: &str) -> Option<&str> {
    let valid = s.get(..10).is_some_and(is_valid_date) && (s.len() == 10 || s[10..].starts_with('T'));
    valid.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_numbers_dates_and_text() {
        use FieldOp::*;
        let cases = [
            (Some("10"), Greater, "9", true),
            (Some("10"), Less, "9", false),
            (Some("2.50"), Equals, "2.5", true),
            (Some("2026-11-21"), Less, "2026-12-01", true),
            (Some("2026-11-21T09:30:00.000Z"), Equals, "2026-11-21", true),
            (
                Some("2026-11-21T09:30:00.000Z"),
                Greater,
                "2026-11-21T08:00:00.000Z",
                true,
            ),
            (Some("Gold"), Equals, "gold", true),
            (Some("b"), Greater, "A", true),
            (Some("Premium plan"), Contains, "PLAN", true),
            (Some("Premium"), Contains, "gold", false),
            (Some("x"), IsSet, "", true),
            (Some("x"), IsNotSet, "", false),
            (None, IsNotSet, "", true),
            (None, IsSet, "", false),
            (None, Equals, "", false),
            (None, Less, "5", false),
        ];
        for (actual, op, expected, holds) in cases {
            assert_eq!(
                compare(actual, op, expected),
                holds,
                "{actual:?} {op:?} {expected:?}"
            );
        }
    }
}
