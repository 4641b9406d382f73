//! The OpenAPI 3.1 document of the API, generated from the code with utoipa and served at
//! `GET /api/openapi.json`.
//!
//! Every API route is registered through `utoipa_axum::routes!` (see [`crate::routes::api`]),
//! so a handler cannot be routed without being documented. This module adds what is not
//! per handler: the info block, the security schemes, the reusable problem+json error
//! responses, and the list of stable error codes (`Problem.code` as an `enum`).

use crate::routes;
use crate::routes::{custom_fields, webhook_endpoints};
use axum::http::header;
use axum::response::IntoResponse;
use parlo_model::flow::ID_PATTERN;
use parlo_model::page::MAX_LIMIT;
use parlo_model::problem::{FieldError, Problem, codes};
use parlo_model::subscriber::SUBSCRIBER_ID_PATTERN;
use parlo_model::user::WORKSPACE_HEADER;
use parlo_model::validate::{MemberRule, Rule};
use parlo_model::{automation, channel, flow, form, keyword, shop};
use std::sync::LazyLock;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, Discriminator, KnownFormat, ObjectBuilder, SchemaFormat, Type,
};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{Modify, OpenApi, ToResponse};

/// Security scheme: management API key as `Authorization: Bearer parlo_sk_…`.
pub const API_KEY: &str = "api_key";
/// Security scheme: management API key as HTTP Basic user name (empty password).
pub const API_KEY_BASIC: &str = "api_key_basic";
/// Security scheme: console user session token as `Authorization: Bearer parlo_us_…`.
pub const USER_SESSION: &str = "user_session";
/// Security scheme: the workspace a console user session acts on in the management API,
/// `Parlo-Workspace: <workspace id>`; always required together with [`USER_SESSION`].
pub const USER_WORKSPACE: &str = "user_workspace";
/// Security scheme: visitor session token as `Authorization: Bearer <session_token>`.
pub const SESSION_TOKEN: &str = "session_token";
/// Security scheme: visitor session token as `?token=` (event stream only; `EventSource`
/// cannot set headers).
pub const SESSION_TOKEN_QUERY: &str = "session_token_query";

/// Tag of the public widget API operations.
pub const TAG_PUBLIC: &str = "public";
/// Tag of the management API operations.
pub const TAG_MANAGEMENT: &str = "management";
/// Tag of the console operations (user log-in, workspaces).
pub const TAG_CONSOLE: &str = "console";
/// Tag of the document itself.
pub const TAG_META: &str = "meta";

const DESCRIPTION: &str = "\
Parlo's HTTP API.

* **Public widget API** (`/api/public/v1/…`): used by the chat widget from allowed origins; \
authenticated by a visitor session token from `POST …/sessions`.
* **Management API** (`/api/v1/…`): secret API keys (`parlo_sk_…`, created with \
`parlo-server create-key` or `POST /api/v1/api-keys`), as `Authorization: Bearer <key>` or as \
HTTP Basic with the key as user name. Everything is scoped to the key's workspace; ids of \
another workspace answer 404. A console user session token (below) works too, with the header \
`Parlo-Workspace: <workspace id>` naming a workspace the user owns (404 for another).
* **Console** (`/api/v1/auth/…`, `/api/v1/workspaces…`): users (made with \
`parlo-server create-user`) log in with e-mail and password at `POST /api/v1/auth/login` and \
send the session token (`parlo_us_…`) as `Authorization: Bearer <token>` to list and create \
their workspaces and mint API keys for them.

Lists take `limit` (1..=100, default 20; out of range is rejected, not clamped) and an opaque \
`cursor` (the `next_cursor` of the previous page). Timestamps are RFC 3339 UTC.

Errors are RFC 9457 `application/problem+json` bodies (`Problem`) with a stable machine \
`code` (the `enum` of `Problem.code`) and, for `validation_failed`, per-field `errors` with \
RFC 6901 JSON pointers.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Parlo API", description = DESCRIPTION),
    modifiers(&SecuritySchemes, &ProblemCodes),
    components(
        schemas(Problem, FieldError, parlo_model::inbox::InboxEvent),
        responses(
            BadRequest,
            Unauthorized,
            Forbidden,
            NotFound,
            Conflict,
            OutOfStock,
            InvalidTransition,
            PayloadTooLarge,
            UnsupportedMediaType,
            ValidationFailed,
            RateLimited,
            Internal
        )
    ),
    tags(
        (name = TAG_PUBLIC, description = "Public widget API: channel, sessions, messages, events"),
        (name = TAG_MANAGEMENT, description = "Management API (secret API key)"),
        (name = TAG_CONSOLE, description = "Console: user log-in and the user's workspaces and their API keys (user session token)"),
        (name = TAG_META, description = "This document")
    )
)]
struct ApiDoc;

/// Adds the security schemes (see the `API_KEY…`/`SESSION_TOKEN…` constants).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let http = |scheme, format: Option<&str>, description: &str| {
            let mut builder = HttpBuilder::new().scheme(scheme).description(Some(description));
            if let Some(format) = format {
                builder = builder.bearer_format(format);
            }
            SecurityScheme::Http(builder.build())
        };
        components.add_security_scheme(
            API_KEY,
            http(
                HttpAuthScheme::Bearer,
                Some("parlo_sk_…"),
                "Management API key: `Authorization: Bearer parlo_sk_…`.",
            ),
        );
        components.add_security_scheme(
            API_KEY_BASIC,
            http(
                HttpAuthScheme::Basic,
                None,
                "Management API key as the HTTP Basic user name; the password is ignored.",
            ),
        );
        components.add_security_scheme(
            USER_SESSION,
            http(
                HttpAuthScheme::Bearer,
                Some("parlo_us_…"),
                "Console user session token from `POST /api/v1/auth/login`.",
            ),
        );
        components.add_security_scheme(
            USER_WORKSPACE,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                WORKSPACE_HEADER,
                "With a console user session token (`user_session`) instead of an API key: the id \
                 of the workspace (one the user owns) the management request acts on; 404 for \
                 another.",
            ))),
        );
        components.add_security_scheme(
            SESSION_TOKEN,
            http(
                HttpAuthScheme::Bearer,
                None,
                "Visitor session token from `POST /api/public/v1/channels/{channel_id}/sessions`.",
            ),
        );
        components.add_security_scheme(
            SESSION_TOKEN_QUERY,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "token",
                "Visitor session token in the query (the event stream only).",
            ))),
        );
    }
}

/// Lists every stable error code as the `enum` of `Problem.code`.
struct ProblemCodes;

impl Modify for ProblemCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let code = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("Problem"))
            .and_then(|problem| match problem {
                RefOr::T(Schema::Object(object)) => object.properties.get_mut("code"),
                _ => None,
            });
        if let Some(RefOr::T(Schema::Object(code))) = code {
            code.enum_values = Some(codes::ALL.iter().map(|c| (*c).into()).collect());
        }
    }
}

/// The document: [`ApiDoc`] plus every route of [`routes::api`], with the answers every
/// operation of a kind can give (see [`add_common_responses`]).
///
/// `servers` is the relative root `/` (OpenAPI 3.1 §4.8.5: a relative server URL resolves
/// against where the document was fetched), so clients and "Try it out" call the server that
/// served the document. Operations that take no credential (channel config, session
/// creation, public forms, log-in, this document) say so with an empty `security: []`
/// instead of leaving it unsaid.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(routes::api().into_openapi());
    doc.servers = Some(vec![utoipa::openapi::Server::new("/")]);
    if let Some(components) = doc.components.as_mut() {
        name_tagged_variants(&mut components.schemas);
        reference_page_items(&mut components.schemas);
        constrain_members(&mut components.schemas);
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let security = operation.security.get_or_insert_with(Vec::new);
            accept_user_sessions(security);
            constrain_parameters(path, operation);
            omit_null_body(operation);
            add_common_responses(path, operation);
        }
    }
    doc
}

/// Where an operation takes an API key, adds the alternative a console session uses: the
/// user session token together with `Parlo-Workspace` ([`crate::auth::ApiKey`]).
fn accept_user_sessions(security: &mut Vec<SecurityRequirement>) {
    if security.contains(&SecurityRequirement::new(API_KEY, Vec::<String>::new())) {
        security.push(
            SecurityRequirement::new(USER_SESSION, Vec::<String>::new())
                .add(USER_WORKSPACE, Vec::<String>::new()),
        );
    }
}

/// Schemas of the document, by component name.
type Schemas = std::collections::BTreeMap<String, RefOr<Schema>>;

/// Gives every variant of a tagged enum (serde `tag = "type"`: a `oneOf` of objects whose
/// `type` property is a one-value `enum`) its own component, named after the enum and the
/// tag in PascalCase (`Automation` + `add_tags` → `AutomationAddTags`), `$ref`s it from the
/// `oneOf`, and adds a `discriminator` on `type` with the mapping (OpenAPI 3.1 §4.8.25).
/// Generators then make one named type per variant instead of colliding inline ones.
fn name_tagged_variants(schemas: &mut Schemas) {
    let mut named = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let RefOr::T(Schema::OneOf(one_of)) = schema else {
            continue;
        };
        let Some(tags) = one_of.items.iter().map(variant_tag).collect::<Option<Vec<_>>>() else {
            continue;
        };
        let mut mapping = std::collections::BTreeMap::new();
        for (item, tag) in one_of.items.iter_mut().zip(tags) {
            let component = format!("{name}{}", pascal_case(&tag));
            let reference = format!("#/components/schemas/{component}");
            named.push((
                component,
                std::mem::replace(item, RefOr::Ref(Ref::new(&reference))),
            ));
            mapping.insert(tag, reference);
        }
        let mut discriminator = Discriminator::new("type");
        discriminator.mapping = mapping;
        one_of.discriminator = Some(discriminator);
    }
    for (component, schema) in named {
        debug_assert!(!schemas.contains_key(&component), "{component} is taken");
        schemas.insert(component, schema);
    }
}

/// The tag of a tagged enum's inline variant: its `type` property's only `enum` value.
fn variant_tag(item: &RefOr<Schema>) -> Option<String> {
    let RefOr::T(Schema::Object(object)) = item else {
        return None;
    };
    let RefOr::T(Schema::Object(tag)) = object.properties.get("type")? else {
        return None;
    };
    match tag.enum_values.as_deref()? {
        [serde_json::Value::String(value)] => Some(value.clone()),
        _ => None,
    }
}

/// `add_tags` → `AddTags`.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// Makes the `items` of every `Page_<Item>` (utoipa inlines generic arguments) a `$ref` to
/// the `<Item>` component when there is one, so a list's items have the same named type as
/// the single resource.
fn reference_page_items(schemas: &mut Schemas) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !schemas.contains_key(item) {
            continue;
        }
        let reference = RefOr::Ref(Ref::from_schema_name(item));
        if let Some(RefOr::T(Schema::Object(page))) = schemas.get_mut(&name)
            && let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items")
        {
            items.items = ArrayItems::RefOrSchema(Box::new(reference));
        }
    }
}

/// Adds the problems the shared machinery answers, where the handler did not list them, so
/// handlers document only their own answers (success bodies, 403, 404, 409, 413, 503, a 422
/// with a special meaning):
///
/// - 400 `bad_request`/`invalid_id` for an operation with parameters or a body (the
///   [`crate::extract`] extractors and the id parsers of [`routes`]);
/// - 401 `unauthorized` for an operation with a `security` requirement (the credential
///   extractors of [`crate::auth`] reject a missing, unknown or revoked one);
/// - 415 and 422 `validation_failed` for an operation with a JSON body ([`crate::extract::Json`]);
/// - 429 `rate_limited` for every management operation ([`crate::rate_limit`]);
/// - 500 `internal` for every operation (any fault of the server,
///   [`crate::error::ApiError::Internal`]).
fn add_common_responses(path: &str, operation: &mut utoipa::openapi::path::Operation) {
    let has_parameters = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_body = operation.request_body.is_some();
    let has_security = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut common = Vec::new();
    if has_parameters || has_body {
        common.push(("400", "BadRequest"));
    }
    if has_security {
        common.push(("401", "Unauthorized"));
    }
    if has_body {
        common.extend([("415", "UnsupportedMediaType"), ("422", "ValidationFailed")]);
    }
    if path.starts_with(MANAGEMENT_PREFIX) {
        common.push(("429", "RateLimited"));
    }
    common.push(("500", "Internal"));
    for (status, response) in common {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(response)));
    }
}

/// Every [`MemberRule`] of the API's bodies, each stated next to its check.
fn member_rules() -> impl Iterator<Item = &'static MemberRule> {
    flow::SCHEMA_RULES
        .iter()
        .chain(&form::SCHEMA_RULES)
        .chain(&automation::SCHEMA_RULES)
        .chain(&channel::SCHEMA_RULES)
        .chain(&keyword::SCHEMA_RULES)
        .chain(&routes::SCHEMA_RULES)
        .chain(&routes::api_keys::SCHEMA_RULES)
        .chain(&routes::subscribers::SCHEMA_RULES)
        .chain(&routes::subscribers::profile::SCHEMA_RULES)
        .chain(&routes::takeover::SCHEMA_RULES)
        .chain(&custom_fields::SCHEMA_RULES)
        .chain(&webhook_endpoints::SCHEMA_RULES)
        .chain(&crate::chat::SCHEMA_RULES)
        .chain(&crate::content::SCHEMA_RULES)
        .chain(&routes::send::SCHEMA_RULES)
        .chain(&routes::triggers::SCHEMA_RULES)
        .chain(&routes::tags::SCHEMA_RULES)
        .chain(&routes::conversations::SCHEMA_RULES)
        .chain(&routes::broadcasts::SCHEMA_RULES)
        .chain(&shop::SCHEMA_RULES)
        .chain(&shop::QUANTITY_RULES)
        .chain(&shop::SETTINGS_RULES)
}

/// The schema at `path` (see [`MemberRule`]) inside `schema`, when it is written inline.
fn member<'a>(schema: &'a mut Schema, path: &str) -> Option<&'a mut Schema> {
    if path.is_empty() {
        return Some(schema);
    }
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    let inner = match schema {
        Schema::Object(object) => match first {
            "propertyNames" => object.property_names.as_deref_mut()?,
            "additionalProperties" => match object.additional_properties.as_deref_mut()? {
                AdditionalProperties::RefOr(RefOr::T(values)) => values,
                _ => return None,
            },
            property => inline(object.properties.get_mut(property)?)?,
        },
        Schema::Array(array) if first == "items" => match &mut array.items {
            ArrayItems::RefOrSchema(items) => inline(items)?,
            ArrayItems::False => return None,
        },
        Schema::OneOf(one_of) => inline(one_of.items.get_mut(first.parse::<usize>().ok()?)?)?,
        _ => return None,
    };
    member(inner, rest)
}

/// The schema itself when it is written inline, not a `$ref`.
fn inline(schema: &mut RefOr<Schema>) -> Option<&mut Schema> {
    match schema {
        RefOr::T(schema) => Some(schema),
        RefOr::Ref(_) => None,
    }
}

/// Applies [`member_rules`]; a rule whose member is missing or of another JSON type is a
/// bug of its list (panics, so the document's tests catch it).
fn constrain_members(schemas: &mut Schemas) {
    // Variants of closed tagged enums, named components by now (see `name_tagged_variants`).
    let mut closed_variants = Vec::new();
    for (component, path, rule) in member_rules() {
        let target = schemas
            .get_mut(*component)
            .and_then(inline)
            .and_then(|schema| member(schema, path));
        let applied = match (target, rule) {
            (Some(Schema::Object(object)), Rule::Text { min, max, pattern }) => {
                object.min_length = (*min > 0).then_some(*min);
                object.max_length = Some(*max);
                object.pattern = (!pattern.is_empty()).then(|| (*pattern).to_owned());
                true
            }
            (Some(Schema::Object(object)), Rule::Pattern(pattern)) => {
                object.pattern = Some((*pattern).to_owned());
                true
            }
            (Some(Schema::Object(object)), Rule::Range { min, max }) => {
                object.minimum = Some((*min).into());
                object.maximum = Some((*max).into());
                true
            }
            (Some(Schema::Object(object)), Rule::Properties { min, max }) => {
                object.min_properties = (*min > 0).then_some(*min);
                object.max_properties = Some(*max);
                true
            }
            (Some(Schema::Array(array)), Rule::Items { min, max }) => {
                array.min_items = (*min > 0).then_some(*min);
                array.max_items = Some(*max);
                true
            }
            (Some(Schema::Array(array)), Rule::Unique) => {
                array.unique_items = true;
                true
            }
            (Some(Schema::Object(object)), Rule::Closed) => {
                object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
                true
            }
            (Some(Schema::OneOf(one_of)), Rule::Closed) => {
                let variants = one_of.items.iter().filter_map(|item| match item {
                    RefOr::Ref(reference) => reference
                        .ref_location
                        .strip_prefix("#/components/schemas/")
                        .map(str::to_owned),
                    RefOr::T(_) => None,
                });
                let before = closed_variants.len();
                closed_variants.extend(variants);
                closed_variants.len() - before == one_of.items.len()
            }
            _ => false,
        };
        assert!(applied, "no {component}/{path} for its rule {rule:?}");
    }
    for variant in closed_variants {
        match schemas.get_mut(&variant) {
            Some(RefOr::T(Schema::Object(object))) => {
                object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
            _ => panic!("variant {variant} is not an object component"),
        }
    }
}

/// An optional request body is omitted, never JSON `null` (which the [`Json`](crate::extract::Json)
/// extractor refuses): `Option<Body>` gives `oneOf: [Body, null]`, this keeps `Body`.
fn omit_null_body(operation: &mut utoipa::openapi::path::Operation) {
    let bodies = operation.request_body.iter_mut().filter_map(|body| match body {
        RefOr::T(body) => Some(body),
        RefOr::Ref(_) => None,
    });
    let contents = bodies
        .flat_map(|body| body.content.values_mut())
        .filter_map(|c| match c {
            RefOr::T(content) => Some(content),
            RefOr::Ref(_) => None,
        });
    for content in contents {
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
            let not_null: Vec<_> = one_of
                .items
                .iter()
                .filter(
                    |item| !matches!(item, RefOr::T(Schema::Object(o)) if o.schema_type == Type::Null.into()),
                )
                .cloned()
                .collect();
            if let [only] = not_null.as_slice() {
                content.schema = Some(only.clone());
            }
        }
    }
}

/// States on every parameter of `operation` at `path` what the server checks about it
/// ([`parameter_schema`]), so generated clients and fuzzers send only what is accepted.
fn constrain_parameters(path: &str, operation: &mut utoipa::openapi::path::Operation) {
    let parameters = operation.parameters.iter_mut().flatten().filter_map(|p| match p {
        RefOr::T(parameter) => Some(parameter),
        RefOr::Ref(_) => None,
    });
    for parameter in parameters {
        if let Some(schema) = parameter_schema(path, &parameter.parameter_in, &parameter.name) {
            parameter.schema = Some(schema);
        }
    }
}

/// The schema of a parameter from the constants its check uses, or `None` to keep the
/// declared one:
///
/// - integer ids in the path: positive ([`routes::int_id`]);
/// - `subscriber_id`, `flow_id`: their id patterns (400 `invalid_id` otherwise);
/// - `folder`, `parent` of the flow lists: a folder path or empty (400 otherwise);
/// - `limit`: `1..=`[`MAX_LIMIT`] ([`routes::check_limit`]);
/// - date bounds: RFC 3339 date-times ([`routes::date_range`]);
/// - `status` of the deliveries: a [`DeliveryStatus`](parlo_model::webhook::DeliveryStatus);
/// - `status`, `subscriber_id` of the orders: an [`OrderStatus`](shop::OrderStatus), a
///   subscriber id; `sku` in the path: [`shop::SKU_PATTERN`];
/// - `Last-Event-ID`: a `seq`;
/// - `Idempotency-Key`: [`form::is_idempotency_key`]'s rule.
fn parameter_schema(path: &str, location: &ParameterIn, name: &str) -> Option<RefOr<Schema>> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let integer = |format| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    let schema = match (location, name) {
        (
            ParameterIn::Path,
            "api_key_id" | "broadcast_id" | "delivery_id" | "endpoint_id" | "field_id" | "tag_id"
            | "workspace_id" | "product_id" | "order_id",
        ) => integer(KnownFormat::Int64).minimum(Some(1)),
        (ParameterIn::Path, "subscriber_id") => string().pattern(Some(SUBSCRIBER_ID_PATTERN)),
        (ParameterIn::Query, "subscriber_id") if path == "/api/v1/orders" => {
            string().pattern(Some(SUBSCRIBER_ID_PATTERN))
        }
        (ParameterIn::Path, "sku") => string().pattern(Some(shop::SKU_PATTERN)),
        (ParameterIn::Path, "flow_id") => string().pattern(Some(ID_PATTERN)),
        (ParameterIn::Query, "folder" | "parent") => string().pattern(Some(flow::FOLDER_OR_TOP_PATTERN)),
        (ParameterIn::Query, "limit") => integer(KnownFormat::Int32)
            .minimum(Some(1))
            .maximum(Some(MAX_LIMIT)),
        (
            ParameterIn::Query,
            "from" | "to" | "created_from" | "created_to" | "last_seen_from" | "last_seen_to",
        ) => string().format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        (ParameterIn::Query, "status") if path == "/api/v1/deliveries" => {
            return Some(RefOr::Ref(Ref::from_schema_name("DeliveryStatus")));
        }
        (ParameterIn::Query, "status") if path == "/api/v1/orders" => {
            return Some(RefOr::Ref(Ref::from_schema_name("OrderStatus")));
        }
        (ParameterIn::Header, "Last-Event-ID") => integer(KnownFormat::Int64).minimum(Some(0)),
        (ParameterIn::Header, "Idempotency-Key") => string()
            .pattern(Some(form::IDEMPOTENCY_KEY_PATTERN))
            .min_length(Some(1))
            .max_length(Some(form::MAX_IDEMPOTENCY_KEY_LEN)),
        _ => return None,
    };
    Some(RefOr::T(Schema::Object(schema.build())))
}

/// Paths of the management API (API key, rate-limited).
const MANAGEMENT_PREFIX: &str = "/api/v1/";

/// [`document`] as JSON, built once.
static DOCUMENT_JSON: LazyLock<String> =
    LazyLock::new(|| document().to_json().expect("the OpenAPI document serializes"));

/// The API document
///
/// `GET /api/openapi.json`: this OpenAPI 3.1 document, generated from the server's code, so
/// it always describes the running version.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = TAG_META,
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn get_openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT_JSON.as_str(),
    )
}

macro_rules! problem_response {
    ($(#[$doc:meta])* $name:ident, $status:literal, $code:literal, $title:literal) => {
        $(#[$doc])*
        #[derive(ToResponse)]
        #[response(
            content_type = "application/problem+json",
            example = json!({"type": "about:blank", "title": $title, "status": $status, "code": $code})
        )]
        pub struct $name(#[expect(dead_code, reason = "documentation only")] Problem);
    };
}

problem_response!(
    /// 400: `bad_request` (malformed body, query or path), `invalid_cursor` (`limit` or
    /// `cursor` out of range), `invalid_id`, `invalid_date_range`.
    BadRequest, 400, "bad_request", "Bad request"
);
problem_response!(
    /// 401 `unauthorized`: missing, unknown or revoked credentials (`WWW-Authenticate: Bearer`).
    Unauthorized, 401, "unauthorized", "Unauthorized"
);
problem_response!(
    /// 403 `forbidden`: valid credentials that may not do this (e.g. origin not allowed).
    Forbidden, 403, "forbidden", "Forbidden"
);
problem_response!(
    /// 404 `not_found`: no such resource in the key's workspace (also for other workspaces' ids).
    NotFound, 404, "not_found", "Not found"
);
problem_response!(
    /// 409 `conflict`: the request conflicts with stored state (e.g. a name already taken,
    /// an idempotency key reused with another body).
    Conflict, 409, "conflict", "Conflict"
);
problem_response!(
    /// 409 `out_of_stock`: a SKU of the order has fewer pieces left than ordered (the
    /// detail names it); nothing was ordered.
    OutOfStock, 409, "out_of_stock", "Out of stock"
);
problem_response!(
    /// 409 `invalid_transition`: the order may not go from its status to the one asked
    /// (the detail names both).
    InvalidTransition, 409, "invalid_transition", "Status change not allowed"
);
problem_response!(
    /// 413 `payload_too_large`: the body is larger than the route accepts.
    PayloadTooLarge, 413, "payload_too_large", "Payload too large"
);
problem_response!(
    /// 415 `bad_request`: the body is not `application/json`.
    UnsupportedMediaType, 415, "bad_request", "Unsupported media type"
);
problem_response!(
    /// 422 `validation_failed`: well-formed input breaking rules; `errors` lists every
    /// problem with its JSON pointer.
    ValidationFailed, 422, "validation_failed", "Validation failed"
);
/// 429 `rate_limited`: the API key used up its rate limit (`crate::rate_limit`); wait
/// `Retry-After` seconds. Every management answer carries `RateLimit-Policy` and
/// `RateLimit` (draft-ietf-httpapi-ratelimit-headers).
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(
        ("Retry-After" = u64, description = "Seconds until a request is allowed again"),
        ("RateLimit" = String, description = "`\"api-key\";r=<left>;t=<seconds until full>`"),
        ("RateLimit-Policy" = String, description = "`\"api-key\";q=<requests>;w=60`")
    ),
    example = json!({"type": "about:blank", "title": "Too many requests", "status": 429, "code": "rate_limited"})
)]
pub struct RateLimited(#[expect(dead_code, reason = "documentation only")] Problem);

problem_response!(
    /// 500 `internal`: a fault of the server; details only in its log.
    Internal, 500, "internal", "Internal server error"
);
