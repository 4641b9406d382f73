//! The OpenAPI document at `/api/openapi.json` and Swagger UI at `/docs`.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::json;

/// API routes as (method, path template) that the document must list (routes added later
/// need not be here: `utoipa_axum::routes!` documents every route it routes). Every
/// documented operation must also be answered by the router (checked for all of them).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/openapi.json"),
    ("get", "/api/public/v1/channels/{channel_id}"),
    ("post", "/api/public/v1/channels/{channel_id}/sessions"),
    ("post", "/api/public/v1/channels/{channel_id}/messages"),
    ("get", "/api/public/v1/channels/{channel_id}/messages"),
    ("get", "/api/public/v1/channels/{channel_id}/events"),
    ("post", "/api/v1/api-keys"),
    ("get", "/api/v1/api-keys"),
    ("delete", "/api/v1/api-keys/{api_key_id}"),
    ("get", "/api/v1/flows"),
    ("get", "/api/v1/flows/{flow_id}"),
    ("put", "/api/v1/flows/{flow_id}"),
    ("get", "/api/v1/subscribers"),
    ("get", "/api/v1/subscribers/{subscriber_id}"),
    ("delete", "/api/v1/subscribers/{subscriber_id}"),
    ("post", "/api/v1/subscribers/{subscriber_id}/tags"),
    ("delete", "/api/v1/subscribers/{subscriber_id}/tags"),
    ("patch", "/api/v1/subscribers/{subscriber_id}/fields"),
    ("post", "/api/v1/subscribers/{subscriber_id}/send-flow"),
    ("post", "/api/v1/subscribers/{subscriber_id}/send-content"),
    ("get", "/api/v1/subscribers/{subscriber_id}/messages"),
    ("post", "/api/v1/subscribers/{subscriber_id}/messages"),
    ("post", "/api/v1/subscribers/{subscriber_id}/pause-bot"),
    ("post", "/api/v1/subscribers/{subscriber_id}/resume-bot"),
    ("get", "/api/v1/flows/{flow_id}/statistics"),
    ("get", "/api/v1/tags"),
    ("post", "/api/v1/tags"),
    ("get", "/api/v1/tags/{tag_id}"),
    ("delete", "/api/v1/tags/{tag_id}"),
    ("get", "/api/v1/tags/by-name/{tag_name}"),
    ("delete", "/api/v1/tags/by-name/{tag_name}"),
    ("get", "/api/v1/custom-fields"),
    ("post", "/api/v1/custom-fields"),
    ("get", "/api/v1/custom-fields/{field_id}"),
    ("patch", "/api/v1/custom-fields/{field_id}"),
    ("delete", "/api/v1/custom-fields/{field_id}"),
    ("get", "/api/v1/custom-fields/by-name/{field_name}"),
    ("delete", "/api/v1/custom-fields/by-name/{field_name}"),
];

/// `path` with every `{param}` replaced by `x`.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "x" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_every_route() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    assert_eq!(doc["openapi"], "3.1.0");
    // It parses as an OpenAPI document (utoipa's own model of the spec).
    let parsed: utoipa::openapi::OpenApi = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(parsed.info.title, "Parlo API");

    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                documented.push((method.clone(), path.clone()));
            }
        }
    }
    documented.sort();
    let missing: Vec<_> = ROUTES
        .iter()
        .filter(|(m, p)| !documented.iter().any(|(dm, dp)| dm == m && dp == p))
        .collect();
    assert!(missing.is_empty(), "not documented: {missing:?}");

    // Every documented operation is routed: not the API fallback's 404, not a 405.
    for (method, path) in &documented {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let res = s
            .client
            .request(method.clone(), format!("{}{}", s.url, concrete(path)))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body = res.text().await.unwrap();
        assert_ne!(status, 405, "{method} {path}");
        assert!(
            !body.contains("no such API route"),
            "{method} {path} is not routed"
        );
    }
}

#[tokio::test]
async fn the_document_has_security_schemes_and_error_codes() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["api_key"]["scheme"], "bearer");
    assert_eq!(schemes["api_key_basic"]["scheme"], "basic");
    assert_eq!(schemes["session_token"]["scheme"], "bearer");
    assert_eq!(schemes["session_token_query"]["in"], "query");

    let codes: Vec<&str> = doc["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for code in [
        "invalid_id",
        "invalid_date_range",
        "invalid_cursor",
        "validation_failed",
        "unauthorized",
        "forbidden",
        "not_found",
        "conflict",
        "rate_limited",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let not_found = &doc["components"]["responses"]["NotFound"]["content"]["application/problem+json"];
    assert_eq!(not_found["schema"]["$ref"], "#/components/schemas/Problem");

    assert_eq!(schemes["user_workspace"]["in"], "header");
    assert_eq!(schemes["user_workspace"]["name"], "Parlo-Workspace");

    // Management operations take the key (Bearer or Basic), or a console session together
    // with its workspace; errors refer to the problems.
    let get_flow = &doc["paths"]["/api/v1/flows/{flow_id}"]["get"];
    assert_eq!(
        get_flow["security"],
        serde_json::json!([
            {"api_key": []},
            {"api_key_basic": []},
            {"user_session": [], "user_workspace": []}
        ])
    );
    assert_eq!(
        get_flow["responses"]["404"]["$ref"],
        "#/components/responses/NotFound"
    );
    assert_eq!(
        get_flow["responses"]["429"]["$ref"],
        "#/components/responses/RateLimited"
    );
    assert!(doc["components"]["responses"]["RateLimited"]["headers"]["Retry-After"].is_object());
    let history = &doc["paths"]["/api/public/v1/channels/{channel_id}/messages"]["get"];
    assert_eq!(history["security"], serde_json::json!([{"session_token": []}]));

    // Operations open to anyone say so (generated clients then send no credential), and
    // the server is the one that served the document.
    let open = &doc["paths"]["/api/public/v1/channels/{channel_id}/sessions"]["post"];
    assert_eq!(open["security"], serde_json::json!([]));
    assert!(open["responses"].get("401").is_none());
    assert_eq!(doc["servers"], serde_json::json!([{"url": "/"}]));
}

#[tokio::test]
async fn docs_serve_our_page_and_the_swagger_ui_assets() {
    let s = TestServer::start().await;
    let dir = s.swagger_ui_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("swagger-ui-bundle.js"), "/* bundle */").unwrap();
    std::fs::write(dir.join("swagger-ui.css"), "/* css */").unwrap();

    let res = s.client.get(format!("{}/docs", s.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<script src="/docs/assets/swagger-ui-bundle.js">"#));
    assert!(page.contains(r#"<script src="/docs/docs.js">"#));
    assert!(!page.contains("<script>"), "no inline script");

    let script = s
        .client
        .get(format!("{}/docs/docs.js", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    let script = script.text().await.unwrap();
    assert!(script.contains("url: '/api/openapi.json'"));
    assert!(script.contains("persistAuthorization: true"));

    let asset = s
        .client
        .get(format!("{}/docs/assets/swagger-ui-bundle.js", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.text().await.unwrap(), "/* bundle */");
}

#[tokio::test]
async fn docs_without_assets_are_a_503_problem() {
    let s = TestServer::start().await;
    let res = s.client.get(format!("{}/docs", s.url)).send().await.unwrap();
    let problem = assert_problem(res, 503, "service_unavailable").await;
    assert!(problem["detail"].as_str().unwrap().contains("cargo xtask setup"));
}

#[tokio::test]
async fn shared_answers_are_documented_on_every_operation() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            let takes_input = operation["parameters"].as_array().is_some_and(|p| !p.is_empty())
                || operation.get("requestBody").is_some();
            if takes_input {
                assert!(responses.get("400").is_some(), "{method} {path}: 400");
            }
            if operation.get("requestBody").is_some() {
                for status in ["415", "422"] {
                    assert!(responses.get(status).is_some(), "{method} {path}: {status}");
                }
            }
            if path.starts_with("/api/v1/") {
                assert!(responses.get("429").is_some(), "{method} {path}: 429");
            }
        }
    }
    let limit = doc["paths"]["/api/v1/tags"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(
        (&limit["schema"]["minimum"], &limit["schema"]["maximum"]),
        (&json!(1), &json!(100))
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_a_422() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for body in [json!([]), json!(["vip"]), json!("vip"), json!(null)] {
        let res = s.send_json(Method::POST, "/tags", &key, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["pointer"], "", "{body}");
    }
    // The visitor session body is optional, but when given it is an object too.
    let res = s
        .client
        .post(s.channel("/sessions"))
        .json(&json!([]))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;
    assert_eq!(s.get_ok("/tags", &key).await["items"], json!([]));
}

#[tokio::test]
async fn types_of_the_same_name_do_not_replace_each_other() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let schemas = &doc["components"]["schemas"];
    let referenced = |schema: &serde_json::Value| {
        let name = schema["$ref"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        schemas[name].clone()
    };
    // Custom fields' types, not lead form field kinds.
    let field_type = referenced(&schemas["CreateCustomField"]["properties"]["type"]);
    let kinds = field_type["enum"].as_array().unwrap();
    assert!(
        kinds.contains(&json!("datetime")) && !kinds.contains(&json!("email")),
        "{field_type}"
    );
    // A subscriber's field value names its field.
    let value = referenced(&schemas["SetFields"]["properties"]["fields"]["items"]);
    assert!(value["properties"]["field"].is_object(), "{value}");
    assert!(schemas["FormFieldType"].is_object() && schemas["FormFieldValue"].is_object());
}

#[tokio::test]
async fn tagged_variants_are_named_and_lists_reference_their_items() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let schemas = &doc["components"]["schemas"];
    // Each variant of a `type`-tagged enum is its own component, with a discriminator.
    let automation = &schemas["Automation"];
    assert_eq!(automation["discriminator"]["propertyName"], "type");
    assert_eq!(
        automation["discriminator"]["mapping"]["add_tags"],
        "#/components/schemas/AutomationAddTags"
    );
    assert_eq!(
        automation["oneOf"][1]["$ref"],
        "#/components/schemas/AutomationAddTags"
    );
    assert_eq!(
        schemas["AutomationAddTags"]["properties"]["type"]["enum"],
        json!(["add_tags"])
    );
    assert!(schemas["ContentActionSetField"]["properties"]["value"]["oneOf"].is_array());
    // A page's items are the resource's own schema, not a copy of it.
    assert_eq!(
        schemas["Page_Tag"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Tag"
    );
    // Timestamps say so.
    assert_eq!(schemas["Tag"]["properties"]["created_at"]["format"], "date-time");
    // Payload variables: strings, numbers or booleans under checked keys.
    let payload = &schemas["SendFlow"]["properties"]["payload"];
    assert_eq!(payload["maxProperties"], 50);
    assert_eq!(payload["additionalProperties"]["oneOf"][0]["maxLength"], 2000);
}

#[tokio::test]
async fn operation_ids_are_unique() {
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if let Some(id) = operation["operationId"].as_str()
                && let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}"))
            {
                panic!("operationId {id} on both {other} and {method} {path}");
            }
        }
    }
    assert!(seen.contains_key("get_public_channel") && seen.contains_key("get_channel"));
}

/// The schema of parameter `name` of `method path`.
fn parameter<'a>(doc: &'a serde_json::Value, method: &str, path: &str, name: &str) -> &'a serde_json::Value {
    let parameters = doc["paths"][path][method]["parameters"].as_array().unwrap();
    &parameters.iter().find(|p| p["name"] == name).unwrap()["schema"]
}

#[tokio::test]
async fn schemas_state_what_the_server_checks() {
    use parlo_model::{conversation, subscriber, tag, validate};
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let schemas = &doc["components"]["schemas"];
    let subscriber_id = parameter(
        &doc,
        "get",
        "/api/v1/subscribers/{subscriber_id}",
        "subscriber_id",
    );
    assert_eq!(subscriber_id["pattern"], subscriber::SUBSCRIBER_ID_PATTERN);
    assert_eq!(
        parameter(&doc, "get", "/api/v1/tags/{tag_id}", "tag_id")["minimum"],
        1
    );
    assert_eq!(parameter(&doc, "get", "/api/v1/leads", "limit")["maximum"], 100);
    assert_eq!(
        parameter(&doc, "get", "/api/v1/leads", "from")["format"],
        "date-time"
    );
    for list in [
        "/api/v1/tags",
        "/api/v1/leads",
        "/api/v1/workspaces/{workspace_id}/api-keys",
        "/api/public/v1/channels/{channel_id}/messages",
    ] {
        assert_eq!(
            parameter(&doc, "get", list, "cursor")["pattern"],
            "^(0|[1-9][0-9]{0,17})$",
            "{list}"
        );
    }
    assert_eq!(
        parameter(&doc, "get", "/api/v1/forms", "cursor").get("pattern"),
        None
    );
    let name = &schemas["CreateTag"]["properties"]["name"];
    assert_eq!(
        (&name["minLength"], &name["maxLength"], &name["pattern"]),
        (
            &json!(1),
            &json!(tag::MAX_NAME_CHARS),
            &json!(validate::NAME_PATTERN)
        )
    );
    let tags = &schemas["SubscriberTags"]["properties"]["tags"];
    assert_eq!(
        (&tags["minItems"], &tags["maxItems"]),
        (&json!(1), &json!(tag::MAX_BATCH))
    );
    let minutes = &schemas["PauseBot"]["properties"]["minutes"];
    assert_eq!(
        (&minutes["minimum"], &minutes["maximum"]),
        (&json!(1), &json!(conversation::MAX_PAUSE_MINUTES))
    );
    // An optional body may be omitted; it is never `null`.
    let pause = &doc["paths"]["/api/v1/subscribers/{subscriber_id}/pause-bot"]["post"]["requestBody"];
    assert_eq!(
        pause["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/PauseBot"
    );
}

/// The rules of the complex bodies (flows, forms, channels, keywords, content, webhook
/// endpoints) are in the document, from the constants their checks use.
#[tokio::test]
async fn complex_bodies_state_their_rules() {
    use parlo_model::{automation, channel, chat, flow, form, keyword, link, tag, validate};
    use parlo_server::outbox::signature::SECRET_PATTERN;
    let s = TestServer::start().await;
    let doc = s.openapi().await;
    let schemas = &doc["components"]["schemas"];
    // (component, member path, keyword, value)
    let expected = [
        ("StepMessage", "text", "maxLength", json!(flow::MAX_TEXT_CHARS)),
        ("StepMessage", "text", "minLength", json!(1)),
        (
            "StepMessage",
            "text",
            "pattern",
            json!(validate::NON_BLANK_PATTERN),
        ),
        ("StepMessage", "buttons", "maxItems", json!(flow::MAX_BUTTONS)),
        ("StepMessage", "buttons", "minItems", json!(null)),
        ("ButtonDef", "title", "maxLength", json!(flow::MAX_TITLE_CHARS)),
        ("ButtonDef", "url", "maxLength", json!(link::MAX_URL_LEN)),
        ("StepDelay", "ms", "maximum", json!(flow::MAX_DELAY_MS)),
        (
            "StepQuestion",
            "field",
            "pattern",
            json!(flow::FIELD_NAME_PATTERN),
        ),
        ("StepId", "", "pattern", json!(flow::ID_PATTERN)),
        ("Form", "fields", "minItems", json!(1)),
        ("Form", "fields", "maxItems", json!(form::MAX_FIELDS)),
        ("Form", "min_fill_ms", "maximum", json!(form::MAX_MIN_FILL_MS)),
        ("SuccessRedirect", "url", "maxLength", json!(link::MAX_URL_LEN)),
        ("AutomationAddTags", "tags", "maxItems", json!(tag::MAX_BATCH)),
        ("AutomationSetFields", "fields", "minProperties", json!(1)),
        (
            "ChannelSettings",
            "allowed_origins/items",
            "pattern",
            json!(form::ORIGIN_PATTERN),
        ),
        (
            "Theme",
            "primary_color",
            "pattern",
            json!(channel::COLOUR_PATTERN),
        ),
        ("OpeningRange", "close", "pattern", json!(channel::CLOSE_PATTERN)),
        (
            "KeywordSettings",
            "phrases",
            "maxItems",
            json!(keyword::MAX_PHRASES),
        ),
        (
            "KeywordSettings",
            "phrases/items",
            "maxLength",
            json!(keyword::MAX_PHRASE_CHARS),
        ),
        (
            "ContentMessageCarousel",
            "cards",
            "maxItems",
            json!(chat::MAX_CARDS),
        ),
        (
            "CreateWebhookEndpoint",
            "url",
            "maxLength",
            json!(link::MAX_URL_LEN),
        ),
        (
            "CreateWebhookEndpoint",
            "secret",
            "pattern",
            json!(SECRET_PATTERN),
        ),
        ("ChannelSettings", "allowed_origins", "uniqueItems", json!(true)),
        ("Flow", "steps/propertyNames", "pattern", json!(flow::ID_PATTERN)),
        ("StepMessage", "", "additionalProperties", json!(false)),
        ("ContentActionAddTag", "", "additionalProperties", json!(false)),
        ("AutomationEmail", "", "additionalProperties", json!(false)),
        ("AutomationEmail", "to", "pattern", json!(validate::EMAIL_PATTERN)),
        (
            "AutomationSetFields",
            "fields/propertyNames",
            "maxLength",
            json!(tag::MAX_NAME_CHARS),
        ),
        (
            "AutomationSetFields",
            "fields/additionalProperties",
            "maxLength",
            json!(automation::MAX_TEMPLATE_CHARS),
        ),
        ("IdOrName", "1", "maxLength", json!(tag::MAX_NAME_CHARS)),
    ];
    for (component, path, keyword, value) in expected {
        let schema = path.split('/').filter(|segment| !segment.is_empty()).fold(
            &schemas[component],
            |schema, segment| match segment {
                "items" | "propertyNames" | "additionalProperties" => &schema[segment],
                index if index.parse::<usize>().is_ok() => &schema["oneOf"][index.parse::<usize>().unwrap()],
                name => &schema["properties"][name],
            },
        );
        assert_eq!(schema[keyword], value, "{component} {path} {keyword}");
    }
}

/// The e-mail automation's pattern takes exactly the addresses its check takes, so a form
/// with any schema-valid address is accepted and an address around spaces is refused.
#[tokio::test]
async fn the_email_pattern_is_the_check() {
    use parlo_model::automation::Automation;
    use parlo_model::validate::{EMAIL_PATTERN, MAX_EMAIL_LEN};
    let pattern = regex::Regex::new(EMAIL_PATTERN).unwrap();
    let long_local = format!("{}@example.com", "a".repeat(MAX_EMAIL_LEN - 12));
    let too_long = format!("{}@example.com", "a".repeat(MAX_EMAIL_LEN - 11));
    let label = "l".repeat(63);
    for address in [
        "owner@example.com",
        "o.w+n!e#r$%&'*/=?^_`{|}~-@sub.example.co",
        "Owner@EXAMPLE.com",
        &format!("x@{label}.example"),
        &format!("x@{label}l.example"),
        &long_local,
        &too_long,
        " owner@example.com",
        "owner@example.com ",
        "owner@example",
        "owner@-example.com",
        "owner@example-.com",
        "owner@exa_mple.com",
        "owner@example..com",
        "ow ner@example.com",
        "@example.com",
        "owner.example.com",
        "owner@@example.com",
        "élan@example.com",
        "owner@exämple.com",
    ] {
        let automation = Automation::Email {
            to: address.to_owned(),
        };
        let taken = pattern.is_match(address) && address.chars().count() <= MAX_EMAIL_LEN;
        assert_eq!(taken, automation.check("").is_empty(), "{address:?}");
    }
}

/// `maxLength` counts characters as sent (JSON Schema), so a name padded with spaces past it
/// is refused even though the server stores it trimmed, and a payload of multi-byte
/// characters up to it is taken.
#[tokio::test]
async fn lengths_count_characters_as_sent() {
    use parlo_model::{chat, tag};
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let exact = "n".repeat(tag::MAX_NAME_CHARS);
    let padded = format!(" {exact} ");
    let res = s
        .send_json(Method::POST, "/tags", &key, &json!({"name": padded}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/name");
    let res = s
        .send_json(Method::POST, "/tags", &key, &json!({"name": exact}))
        .await;
    assert_eq!(res.status(), 201);

    let session = s.session().await;
    let body = |payload: String| json!({"id": format!("m{}", payload.chars().count()), "input": {"type": "button", "title": "Menu", "payload": payload}});
    let res = s
        .post_message(&session.session_token, &body("é".repeat(chat::MAX_PAYLOAD_CHARS)))
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let res = s
        .post_message(
            &session.session_token,
            &body("é".repeat(chat::MAX_PAYLOAD_CHARS + 1)),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/input/payload");
}

#[tokio::test]
async fn an_integral_number_is_an_integer() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = s
        .send_json(Method::POST, "/subscribers", &key, &json!({"channel_id": "demo"}))
        .await;
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/subscribers/{id}/pause-bot");
    let res = s
        .send_json(Method::POST, &path, &key, &json!({"minutes": 60.0}))
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .send_json(Method::POST, &path, &key, &json!({"minutes": 60.5}))
        .await;
    assert_problem(res, 422, "validation_failed").await;
}
