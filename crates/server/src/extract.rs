//! Extractors whose rejections are problem+json ([`ApiError`]) instead of axum's plain text.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use parlo_model::form::is_idempotency_key;
use parlo_model::problem::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;

mod wording;

/// Query string extractor; a malformed query is a 400 `bad_request`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters extractor; a malformed path is a 400 `bad_request`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// JSON body extractor and response.
///
/// Rejections: a `Content-Type` other than `application/json` (or `*/*+json`) is a 415, a
/// body over the route's limit a 413, malformed JSON a 400 `bad_request`, and JSON of the
/// wrong shape a 422 `validation_failed` with the JSON pointer of the offending value (of
/// the member itself when it is missing or unknown) and a message in the API's words
/// ([`wording`]); every request body of this API is a JSON object: anything else is a 422
/// at `""`.
#[derive(Debug)]
pub struct Json<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Turns a serde path (`input.type`, `steps[0]`) into an RFC 6901 JSON pointer.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&key.replace('~', "~0").replace('/', "~1"))
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// Parses `bytes` as JSON of type `T`, mapping errors as documented on [`Json`]: the
/// syntax is checked first, so ill-formed JSON is always a 400, never a 422.
///
/// The body must be a JSON object: serde would otherwise fill a struct from an array's
/// elements in field order (`[]` for a struct whose members are all optional), which the
/// documented schemas (`type: object`) do not allow.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::invalid("", "the body must be a JSON object"));
    }
    if let Some(at) = non_string_type(&value, "") {
        return Err(ApiError::invalid(&at, "must be a string naming the kind"));
    }
    let value = integral_numbers(value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut at = pointer(e.path());
        let worded = wording::reword(&e.into_inner().to_string());
        if let Some(member) = worded.member {
            at = format!("{at}/{}", member.replace('~', "~0").replace('/', "~1"));
        }
        ApiError::Validation(vec![FieldError::new(at, worded.message)])
    })
}

/// The pointer of the first `type` member of `value` (at pointer `at`) that is not a
/// string. Every `type` member of the API's bodies names a variant and is a string in the
/// document, while serde would also take a variant's index (`"type": 0`).
fn non_string_type(value: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Object(members) => members.iter().find_map(|(name, member)| {
            let at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
            if name == "type" && !member.is_string() {
                Some(at)
            } else {
                non_string_type(member, &at)
            }
        }),
        Value::Array(items) => {
            (items.iter().enumerate()).find_map(|(i, item)| non_string_type(item, &format!("{at}/{i}")))
        }
        _ => None,
    }
}

/// `value` with every number that has an integer value (`5.0`, `1e3`) written as that
/// integer. JSON has one number type (RFC 8259 §6) and JSON Schema's `integer` is "a number
/// with a zero fractional part", while serde refuses `5.0` for an integer field; after
/// this, every number the document calls an integer is taken as one.
fn integral_numbers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64() {
            // 2^63: above it an f64 is no i64; `as` is exact below it for an integral value.
            Some(f) if f.fract() == 0.0 && f.abs() < 9_223_372_036_854_775_808.0 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(integral_numbers).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, integral_numbers(v)))
                .collect(),
        ),
        other => other,
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await?;
        parse_json(&bytes).map(Json)
    }
}

/// An optional JSON body (`Option<Json<T>>`): `None` for an empty body sent without a
/// `Content-Type` or as JSON; any other `Content-Type` is a 415 like [`Json`]'s, and any
/// other body (whitespace alone included: it is not JSON) is read as [`Json`] reads it.
impl<T: DeserializeOwned, S: Send + Sync> OptionalFromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let json = is_json(req.headers());
        let typed = req.headers().contains_key(header::CONTENT_TYPE);
        let bytes = Bytes::from_request(req, state).await?;
        if bytes.is_empty() && (json || !typed) {
            return Ok(None);
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&bytes).map(|body| Some(Json(body)))
    }
}

/// The `Idempotency-Key` request header (`None` when not sent): the client's key of one
/// operation, the same on every retry, so the server runs it once and answers repeats with
/// the first result. A value that breaks the rule of idempotency keys
/// ([`is_idempotency_key`], as for form submissions) is a 400 `bad_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        match value.to_str() {
            Ok(key) if is_idempotency_key(key) => Ok(Self(Some(key.to_owned()))),
            _ => Err(ApiError::BadRequest(
                "Idempotency-Key must be 1..=64 of A-Z, a-z, 0-9, _ and - (a UUID is recommended)".to_owned(),
            )),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Inner {
        name: String,
    }

    fn error_of(json: &str) -> (String, String) {
        match parse_json::<Outer>(json.as_bytes()) {
            Err(ApiError::Validation(errors)) => (errors[0].pointer.clone(), errors[0].message.clone()),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn missing_and_unknown_members_are_pointed_at_themselves() {
        assert_eq!(
            error_of(r#"{"inner": {}}"#),
            ("/inner/name".into(), "is required".into())
        );
        assert_eq!(
            error_of(r#"{"inner": {"name": "a", "a/b": 1}}"#),
            (
                "/inner/a~1b".into(),
                "unknown member `a/b`; expected `name`".into()
            )
        );
        assert_eq!(
            error_of(r#"{"inner": {"name": 1}}"#),
            ("/inner/name".into(), "must be a string".into())
        );
    }

    #[test]
    fn a_type_member_must_be_a_string() {
        let (pointer, _) = error_of(r#"{"steps": {"a": {"conditions": [{"type": 0, "tag": "x"}]}}}"#);
        assert_eq!(pointer, "/steps/a/conditions/0/type");
    }

    #[test]
    fn integral_numbers_are_integers() {
        assert_eq!(
            parse_json::<serde_json::Value>(br#"{"n": 5.0, "m": [1e3, 2.5]}"#).unwrap(),
            serde_json::json!({"n": 5, "m": [1000, 2.5]})
        );
    }
}
