//! Workspace isolation: another workspace's ids answer 404 on every management route.
//!
//! Workspace A (`demo`, owned by console user A) gets one of every resource. Workspace B
//! belongs to user B, who made it and its API key through the console API. Then every
//! management operation of `/api/openapi.json` that takes a path parameter is called with
//! A's ids and B's credentials (B's API key, or user B's session for console operations,
//! as the operation's `security` says): every answer must be a 404 `not_found` problem, and
//! afterwards A's resources must read exactly as before (nothing changed, deleted or sent).
//! The one exception is a `PUT` that documents a 201 (create or replace a resource whose id
//! the client picks, like a flow): there B creates its own resource of that id (201, never
//! 200 "replaced"); these run last, so they cannot make B's other calls find something.
//!
//! The operations come from the document, so a route added later is called too. Its path
//! parameters must be in [`path_values`], its security scheme in [`Credentials`] and, when
//! it takes a body, its body in [`body_for`] — otherwise this test fails and names it.

use crate::common::webhooks::Receiver;
use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Prefix of the management API.
const MANAGEMENT: &str = "/api/v1/";
/// Password of both console users.
const PASSWORD: &str = "correct horse battery staple";

/// A flow of A that B tries to read, replace, delete and send.
fn flow() -> Value {
    json!({
        "id": "isolated", "name": "Isolated", "start": "a",
        "steps": {"a": {"type": "message", "text": "Only for workspace A"}}
    })
}

/// Settings of a channel of A that B tries to read, replace, archive and rotate.
fn channel_settings() -> Value {
    json!({"name": "Isolated channel", "allowed_origins": ["https://a.example"], "welcome_flow": null})
}

/// A lead form of A whose leads are delivered to `endpoint_id`.
fn form(endpoint_id: i64) -> Value {
    json!({
        "id": "isolated-form", "name": "Isolated form", "min_fill_ms": 0,
        "fields": [{"name": "email", "type": "email", "label": "E-mail", "required": true}],
        "automations": [{"type": "webhook", "endpoint_id": endpoint_id}]
    })
}

/// A product of A that B tries to read, replace, delete, put in a cart and order.
fn product() -> Value {
    json!({"name": "Isolated mug", "currency": "EUR", "price": 900, "sku": "iso-mug", "stock": 5})
}

/// What a side sends for each security scheme of the document.
struct Credentials {
    /// `api_key`: a management API key of the side's workspace.
    api_key: String,
    /// `user_session`: a console session of the user owning the side's workspace.
    user_session: String,
}

impl Credentials {
    /// The bearer token for the first security scheme of `operation`; `None` for a scheme
    /// this test does not know yet (the test then fails, naming the operation).
    fn for_operation(&self, operation: &Value) -> Option<&str> {
        let requirement = operation["security"].as_array()?.first()?.as_object()?;
        match requirement.keys().next()?.as_str() {
            "api_key" => Some(&self.api_key),
            "user_session" => Some(&self.user_session),
            _ => None,
        }
    }
}

/// A console user made like `parlo-server --seed-demo create-user` (the first one gets
/// the demo workspace), logged in; answers their session token.
async fn console_user(s: &TestServer, email: &str) -> String {
    s.user(email, PASSWORD).await;
    s.user_token(email, PASSWORD).await
}

/// User B, their own workspace `other` and an API key of it, all made through the console API.
async fn workspace_b(s: &TestServer) -> Credentials {
    let user_session = console_user(s, "b@example.com").await;
    let workspace = create(
        s,
        &user_session,
        "/workspaces",
        json!({"slug": "other", "name": "Other"}),
    )
    .await;
    let path = format!("/workspaces/{}/api-keys", id_of(&workspace));
    let key = create(s, &user_session, &path, json!({"name": "b"})).await;
    Credentials {
        api_key: key["secret"].as_str().unwrap().to_owned(),
        user_session,
    }
}

/// The ids of A's resources, by kind.
struct WorkspaceA {
    credentials: Credentials,
    ids: BTreeMap<&'static str, String>,
    /// A's documents that write operations send back (a flow or form replaced whole).
    flow: Value,
    form: Value,
    _receiver: Receiver,
}

impl WorkspaceA {
    fn id(&self, kind: &str) -> String {
        self.ids[kind].clone()
    }
}

/// `POST /api/v1<path>` with `body` and bearer `token`; asserts a 201 and answers the body.
async fn create(s: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let res = s.send_json(Method::POST, path, token, &body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Keyword settings that start `flow`.
fn keyword_settings(flow: &str) -> Value {
    json!({"phrases": ["isolated"], "flow": flow})
}

/// The `id` member of `value` as path text.
fn id_of(value: &Value) -> String {
    match &value["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// User A (owner of the demo workspace) and one of every resource in the workspace.
async fn populate(s: &TestServer) -> WorkspaceA {
    let user_session = console_user(s, "a@example.com").await;
    let workspaces = s.get_ok("/workspaces", &user_session).await;
    assert_eq!(workspaces["items"][0]["slug"], "demo");
    let key = s.api_key("demo").await;
    let mut ids = BTreeMap::new();
    ids.insert("workspace", id_of(&workspaces["items"][0]));
    let revocable = create(s, &key, "/api-keys", json!({"name": "revocable"})).await;
    ids.insert("api_key", id_of(&revocable));
    let tag = create(s, &key, "/tags", json!({"name": "isolated-tag"})).await;
    ids.insert("tag", id_of(&tag));
    let channel = create(s, &key, "/channels", channel_settings()).await;
    ids.insert("channel", id_of(&channel));
    ids.insert("tag_name", "isolated-tag".to_owned());
    let field = create(s, &key, "/custom-fields", json!({"name": "plan", "type": "text"})).await;
    ids.insert("custom_field", id_of(&field));
    ids.insert("custom_field_name", "plan".to_owned());
    let bot_field = create(s, &key, "/bot-fields", json!({"name": "opening", "type": "text"})).await;
    ids.insert("bot_field", id_of(&bot_field));
    ids.insert("bot_field_name", "opening".to_owned());
    let flow = flow();
    create(s, &key, "/flows", flow.clone()).await;
    ids.insert("flow", id_of(&flow));
    let keyword = create(
        s,
        &key,
        &format!("/channels/{}/keywords", id_of(&channel)),
        keyword_settings(&id_of(&flow)),
    )
    .await;
    ids.insert("keyword", id_of(&keyword));
    let subscriber = create(
        s,
        &key,
        "/subscribers",
        json!({"channel_id": "demo", "email": "ada@example.com", "first_name": "Ada"}),
    )
    .await;
    ids.insert("subscriber", id_of(&subscriber));
    // Scheduled far ahead, so it stays as it is while B tries it.
    let broadcast = create(
        s,
        &key,
        "/broadcasts",
        json!({"name": "Isolated", "send_at": "2099-01-01T00:00:00Z",
               "content": {"type": "messages", "messages": [{"type": "text", "text": "Hi"}]},
               "audience": {"subscriber_ids": [id_of(&subscriber)]}}),
    )
    .await;
    ids.insert("broadcast", id_of(&broadcast));
    let product = create(s, &key, "/products", product()).await;
    ids.insert("product", id_of(&product));
    ids.insert("sku", "iso-mug".to_owned());
    let cart = format!("/subscribers/{}/cart/items", id_of(&subscriber));
    let res = s
        .send_json(
            Method::POST,
            &cart,
            &key,
            &json!({"sku": "iso-mug", "quantity": 1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let order = create(
        s,
        &key,
        "/orders",
        json!({"lines": [{"sku": "iso-mug", "quantity": 1}], "buyer": {"name": "Ada", "email": "ada@example.com"}}),
    )
    .await;
    ids.insert("order", id_of(&order));

    // A lead of a form whose automation delivers it to a webhook endpoint: a lead and a
    // delivery. The receiver answers 200, so the delivery settles as `delivered`.
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    ids.insert("webhook_endpoint", id_of(&endpoint));
    let form = form(endpoint["id"].as_i64().unwrap());
    let created_form = create(s, &key, "/forms", form.clone()).await;
    ids.insert("form", id_of(&created_form));
    let submission = json!({"idempotency_key": "isolation-1", "values": {"email": "lead@example.com"}});
    let res = s.submit_form("isolated-form", &submission).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let leads = s.get_ok("/leads", &key).await;
    ids.insert("lead", id_of(&leads["items"][0]));
    receiver.next().await;
    let delivery = delivered(s, &key).await;
    ids.insert("delivery", id_of(&delivery));

    WorkspaceA {
        credentials: Credentials {
            api_key: key,
            user_session,
        },
        ids,
        flow,
        form,
        _receiver: receiver,
    }
}

/// A's one delivery once it is `delivered` (the receiver got it; its state is written
/// right after).
async fn delivered(s: &TestServer, key: &str) -> Value {
    for _ in 0..200 {
        let page = s.get_ok("/deliveries", key).await;
        if let Some(delivery) = page["items"].as_array().unwrap().first()
            && delivery["status"] == "delivered"
        {
            return delivery.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("A's delivery was never marked delivered");
}

/// The value of path parameter `param` of `path`: one of A's ids, chosen by the path's
/// resource collection and the parameter's name. `None` for a parameter this table does
/// not know yet (the test then fails, naming the operation).
fn path_values(a: &WorkspaceA, path: &str, param: &str) -> Option<String> {
    let rest = path.strip_prefix(MANAGEMENT)?;
    let collection = rest.split('/').next()?;
    let kind = match (collection, param) {
        ("api-keys", "api_key_id") => "api_key",
        ("channels", "channel_id") => "channel",
        ("channels", "keyword_id") => "keyword",
        ("tags", "tag_id") => "tag",
        ("tags", "tag_name") => "tag_name",
        ("custom-fields", "field_id") => "custom_field",
        ("custom-fields", "field_name") => "custom_field_name",
        ("bot-fields", "field_id") => "bot_field",
        ("bot-fields", "field_name") => "bot_field_name",
        ("flows", "flow_id") => "flow",
        ("subscribers", "subscriber_id") => "subscriber",
        ("forms", "form_id") => "form",
        ("leads", "lead_id") => "lead",
        ("webhook-endpoints", "endpoint_id") => "webhook_endpoint",
        ("deliveries", "delivery_id") => "delivery",
        ("broadcasts", "broadcast_id") => "broadcast",
        ("products", "product_id") => "product",
        ("orders", "order_id") => "order",
        ("subscribers", "sku") => "sku",
        ("workspaces", "workspace_id") => "workspace",
        _ => return None,
    };
    Some(a.id(kind))
}

/// A valid body for write operation `method path` (a path template) that A's key would
/// have succeeded with, so the 404 cannot come from body validation. `None` for an
/// operation this table does not know yet (the test then fails, naming it).
fn body_for(a: &WorkspaceA, method: &str, path: &str) -> Option<Value> {
    let path = path.strip_prefix(MANAGEMENT)?;
    let renamed = |document: &Value| {
        let mut document = document.clone();
        document["name"] = json!("Renamed by workspace B");
        document
    };
    Some(match (method, path) {
        ("patch", "custom-fields/{field_id}" | "bot-fields/{field_id}") => {
            json!({"description": "changed by workspace B"})
        }
        ("put", "flows/{flow_id}") => renamed(&a.flow),
        ("post", "flows/{flow_id}/trigger") => json!({
            "find": {"type": "id", "subscriber_id": a.id("subscriber")},
            "tags": [a.id("tag_name")],
        }),
        ("put", "forms/{form_id}") => renamed(&a.form),
        ("put", "channels/{channel_id}") => renamed(&channel_settings()),
        ("post", "channels/{channel_id}/keywords")
        | ("put", "channels/{channel_id}/keywords/{keyword_id}") => keyword_settings(&a.id("flow")),
        ("patch", "subscribers/{subscriber_id}") => json!({"first_name": "Mallory"}),
        ("patch", "subscribers/{subscriber_id}/fields") => {
            json!({"fields": [{"field": a.id("custom_field_name"), "value": "pro"}]})
        }
        ("post" | "delete", "subscribers/{subscriber_id}/tags") => {
            json!({"tags": [a.id("tag_name")]})
        }
        ("post", "subscribers/{subscriber_id}/messages") => json!({"text": "Hello from B"}),
        ("post", "subscribers/{subscriber_id}/pause-bot") => json!({"minutes": 5}),
        ("post", "subscribers/{subscriber_id}/read") => json!({"seq": 0}),
        ("post", "subscribers/{subscriber_id}/send-content") => {
            json!({"messages": [{"type": "text", "text": "Hello from B"}]})
        }
        ("post", "subscribers/{subscriber_id}/send-flow") => json!({"flow_id": a.id("flow")}),
        ("post", "workspaces/{workspace_id}/api-keys") => json!({"name": "minted by user B"}),
        ("put", "products/{product_id}") => renamed(&product()),
        ("post", "subscribers/{subscriber_id}/cart/items") => json!({"sku": a.id("sku"), "quantity": 1}),
        ("put", "subscribers/{subscriber_id}/cart/items/{sku}") => json!({"quantity": 2}),
        ("post", "orders/{order_id}/status") => json!({"status": "paid"}),
        _ => return None,
    })
}

/// One management operation with a path parameter, as the document lists it.
struct Operation {
    method: String,
    template: String,
    /// The operation object of the document.
    spec: Value,
}

impl Operation {
    fn has_body(&self) -> bool {
        self.spec.get("requestBody").is_some()
    }

    /// A `PUT` that creates the resource when the workspace has none of that id.
    fn is_upsert(&self) -> bool {
        self.method == "put" && self.spec["responses"].get("201").is_some()
    }
}

/// Every management operation of the document whose path has a `{parameter}`.
fn operations_with_path_ids(doc: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        if !template.starts_with(MANAGEMENT) || !template.contains('{') {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                operations.push(Operation {
                    method: method.clone(),
                    template: template.clone(),
                    spec: operation.clone(),
                });
            }
        }
    }
    operations.sort_by_key(Operation::is_upsert);
    operations
}

/// `template` with every `{param}` filled by [`path_values`] (A's ids and names are plain
/// ASCII, nothing to encode); `Err(param)` for the first one it cannot fill.
fn fill(a: &WorkspaceA, template: &str) -> Result<String, String> {
    template
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => path_values(a, template, param).ok_or_else(|| param.to_owned()),
                None => Ok(segment.to_owned()),
            },
        )
        .collect::<Result<Vec<_>, _>>()
        .map(|segments| segments.join("/"))
}

/// Every GET of A's resources (the document's GET operations with a path id), as A sees them.
async fn snapshot(s: &TestServer, a: &WorkspaceA, operations: &[Operation]) -> BTreeMap<String, Value> {
    let mut seen = BTreeMap::new();
    for op in operations.iter().filter(|op| op.method == "get") {
        let path = fill(a, &op.template).unwrap();
        let token = a.credentials.for_operation(&op.spec).unwrap();
        let res = s
            .client
            .get(format!("{}{path}", s.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "A reads its own {path}: {text}");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        seen.insert(path, body);
    }
    seen
}

#[tokio::test]
async fn workspace_b_gets_404_for_every_id_of_workspace_a() {
    let s = TestServer::start().await;
    let a = populate(&s).await;
    let b = workspace_b(&s).await;

    let doc = s.openapi().await;
    let operations = operations_with_path_ids(&doc);
    assert!(
        operations.len() >= 30,
        "only {} operations with path ids",
        operations.len()
    );

    let mut unknown = Vec::new();
    for op in &operations {
        if let Err(param) = fill(&a, &op.template) {
            unknown.push(format!(
                "{} {}: path parameter {{{param}}}",
                op.method, op.template
            ));
        } else if b.for_operation(&op.spec).is_none() {
            unknown.push(format!(
                "{} {}: security {}",
                op.method, op.template, op.spec["security"]
            ));
        } else if op.has_body() && body_for(&a, &op.method, &op.template).is_none() {
            unknown.push(format!("{} {}: request body", op.method, op.template));
        }
    }
    assert!(
        unknown.is_empty(),
        "extend path_values/Credentials/body_for in tests/isolation.rs for: {unknown:#?}"
    );

    let before = snapshot(&s, &a, &operations).await;
    for op in &operations {
        let path = fill(&a, &op.template).unwrap();
        let method = Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
        let token = b.for_operation(&op.spec).unwrap();
        let mut request = s
            .client
            .request(method, format!("{}{path}", s.url))
            .bearer_auth(token);
        if op.has_body() {
            request = request.json(&body_for(&a, &op.method, &op.template).unwrap());
        }
        let res = request.send().await.unwrap();
        let status = res.status().as_u16();
        if op.is_upsert() {
            assert_eq!(status, 201, "{} {path} creates B's own resource", op.method);
            continue;
        }
        assert_eq!(status, 404, "{} {path} with workspace B's credentials", op.method);
        assert_problem(res, 404, "not_found").await;
    }
    let after = snapshot(&s, &a, &operations).await;
    assert_eq!(before, after, "workspace B changed workspace A's resources");

    // A's second key, which B tried to revoke, still works.
    let revocable_works = s.get_ok("/api-keys", &a.credentials.api_key).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| id_of(k) == a.id("api_key") && k["name"] == "revocable");
    assert!(revocable_works, "B revoked A's key");
}
