//! The operator's data tools: exporting one subscriber's data, erasing one subscriber with
//! everything they sent, and deleting a whole workspace.

use crate::common::{TestServer, assert_problem, assert_stream_ends};
use parlo_model::chat::{Message, Session};
use parlo_model::export::SubscriberExport;
use parlo_server::db::Backend;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Password of the console users.
const PASSWORD: &str = "correct horse battery staple";

/// A lead form of the key's workspace on channel `channel_id` whose leads go to a webhook
/// endpoint nobody answers, so their deliveries stay pending.
async fn form_with_pending_webhook(s: &TestServer, key: &str, form_id: &str, channel_id: &str) {
    let endpoint = s.webhook_endpoint(key, "http://127.0.0.1:9/unreachable").await;
    let form = json!({
        "id": form_id, "name": "Contact", "min_fill_ms": 0, "channel_id": channel_id,
        "fields": [
            {"name": "email", "type": "email", "label": "E-mail", "required": true},
            {"name": "message", "type": "text", "label": "Message"}
        ],
        "automations": [{"type": "webhook", "endpoint_id": endpoint["id"]}]
    });
    s.create_form(key, &form).await;
}

/// A submission of the contact form by the chat visitor holding `session_token`.
fn submission(key: &str, email: &str, session_token: &str) -> Value {
    json!({
        "idempotency_key": key,
        "values": {"email": email, "message": format!("Please call {email}")},
        "session_token": session_token
    })
}

/// `POST` of `submission` to form `form_id`; asserts `status` and answers the body.
async fn submit(s: &TestServer, form_id: &str, submission: &Value, status: u16) -> Value {
    let res = s.submit_form(form_id, submission).await;
    let got = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{submission}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// A demo visitor who joined the newsletter (field `email`, tag `newsletter`), chatted,
/// and sent the contact form; answers their session.
async fn active_subscriber(s: &TestServer, email: &str) -> Session {
    let session = s.newsletter_subscriber(email).await;
    s.say(&session.session_token, "hello there").await;
    let body = submission(
        &format!("{}-1", email.split('@').next().unwrap()),
        email,
        &session.session_token,
    );
    submit(s, "contact", &body, 201).await;
    session
}

/// `GET /api/v1<path>` answering the status and the body text.
async fn get_text(s: &TestServer, path: &str, key: &str) -> (u16, String) {
    let res = s.request(Method::GET, path, key).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// `GET /api/v1/subscribers/{id}/export`, decoded; asserts a 200 JSON answer.
async fn export(s: &TestServer, key: &str, subscriber_id: &str) -> SubscriberExport {
    let res = s
        .request(Method::GET, &format!("/subscribers/{subscriber_id}/export"), key)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

/// The `subscriber_id`s of every item of the list at `path` (one page of 100).
async fn subscriber_ids(s: &TestServer, path: &str, key: &str) -> Vec<String> {
    let page = s.get_ok(path, key).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["subscriber_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_export_holds_profile_fields_tags_every_message_and_every_lead() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    form_with_pending_webhook(&s, &key, "contact", "demo").await;
    let session = active_subscriber(&s, "ada@example.com").await;
    let id = session.subscriber_id.as_str();
    // More messages than the export reads per chunk, written by an agent.
    for i in 0..210 {
        let body = json!({"text": format!("agent note {i}")});
        let res = s
            .send_json(Method::POST, &format!("/subscribers/{id}/messages"), &key, &body)
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let other = active_subscriber(&s, "bob@example.com").await;

    // Her welcome flow's delayed thanks may arrive any time: the export must lie between
    // two readings of her conversation.
    let history = "&include_bot=true&include_system=true";
    let before = s.conversation(&key, id, history).await;
    let doc = export(&s, &key, id).await;
    let after = s.conversation(&key, id, history).await;
    let profile: Value = s.get_ok(&format!("/subscribers/{id}"), &key).await;
    assert_eq!(serde_json::to_value(&doc.subscriber).unwrap(), profile);
    assert_eq!(doc.subscriber.fields["email"], "ada@example.com");
    assert_eq!(doc.subscriber.tags, ["newsletter"]);
    assert_eq!(doc.conversations.len(), 1);
    assert_eq!(doc.conversations[0].channel_id.as_str(), "demo");
    let exported = &doc.conversations[0].messages;
    assert!(before.len() > 210, "{} messages", before.len());
    assert!(exported.starts_with(&before) && after.starts_with(exported));
    let texts: Vec<&str> = doc.conversations[0]
        .messages
        .iter()
        .map(|m: &Message| m.content.text.as_str())
        .collect();
    assert!(texts.contains(&"hello there") && texts.contains(&"agent note 209"));
    assert_eq!(doc.leads.len(), 1);
    assert_eq!(json!(doc.leads[0].values["email"]), json!("ada@example.com"));
    assert_eq!(doc.leads[0].subscriber_id.as_ref(), Some(&session.subscriber_id));
    let other_doc = export(&s, &key, other.subscriber_id.as_str()).await;
    assert_eq!(other_doc.leads.len(), 1);
    assert_eq!(
        json!(other_doc.leads[0].values["email"]),
        json!("bob@example.com")
    );

    // Another workspace's key, an unknown and a malformed id.
    s.create_workspace("other").await;
    let other_key = s.api_key("other").await;
    let res = s
        .request(Method::GET, &format!("/subscribers/{id}/export"), &other_key)
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .request(Method::GET, "/subscribers/sub_00000000000000000000/export", &key)
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s.request(Method::GET, "/subscribers/nope/export", &key).await;
    assert_problem(res, 400, "invalid_id").await;
}

#[tokio::test]
async fn an_erased_subscriber_is_gone_from_every_list_and_export_and_others_are_untouched() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    form_with_pending_webhook(&s, &key, "contact", "demo").await;
    let ada = active_subscriber(&s, "ada@example.com").await;
    let bob = active_subscriber(&s, "bob@example.com").await;
    let (ada_id, bob_id) = (ada.subscriber_id.as_str(), bob.subscriber_id.as_str());
    let stream = s.open_stream("demo", &ada.session_token).await;
    let bob_before = export(&s, &key, bob_id).await;
    let both = [ada_id.to_owned(), bob_id.to_owned()];
    let mut leads = subscriber_ids(&s, "/leads?limit=100", &key).await;
    leads.sort();
    let mut sorted = both.clone();
    sorted.sort();
    assert_eq!(leads, sorted);
    let (status, csv) = get_text(&s, "/leads/export.csv", &key).await;
    assert_eq!(status, 200);
    assert!(csv.contains("ada@example.com") && csv.contains("bob@example.com"));
    // The form's automation made a (pending) webhook delivery for each.
    let deliveries = subscriber_ids(&s, "/deliveries?limit=100", &key).await;
    assert!(both.iter().all(|id| deliveries.contains(id)), "{deliveries:?}");

    let res = s
        .request(Method::POST, &format!("/subscribers/{ada_id}/erase"), &key)
        .await;
    assert_eq!(res.status(), 204);
    assert!(res.bytes().await.unwrap().is_empty());

    // Ada's open event stream ends, and her session token is refused.
    assert_stream_ends(stream).await;
    let res = s.visitor_get(&s.channel("/messages"), &ada.session_token).await;
    assert_problem(res, 401, "unauthorized").await;
    // She is 404 on every route, and a second erase is a 404 too.
    for path in ["", "/export", "/messages"] {
        let res = s
            .request(Method::GET, &format!("/subscribers/{ada_id}{path}"), &key)
            .await;
        assert_problem(res, 404, "not_found").await;
    }
    let res = s
        .request(Method::POST, &format!("/subscribers/{ada_id}/erase"), &key)
        .await;
    assert_problem(res, 404, "not_found").await;
    // Gone from lists, searches, the leads export and the deliveries.
    assert_eq!(subscriber_ids(&s, "/leads?limit=100", &key).await, [bob_id]);
    let (_, csv) = get_text(&s, "/leads/export.csv", &key).await;
    assert!(
        !csv.contains("ada@example.com") && csv.contains("bob@example.com"),
        "{csv}"
    );
    let deliveries = subscriber_ids(&s, "/deliveries?limit=100", &key).await;
    assert!(!deliveries.iter().any(|id| id == ada_id), "{deliveries:?}");
    assert!(deliveries.iter().any(|id| id == bob_id), "{deliveries:?}");
    for query in ["email=ada@example.com", "tag=newsletter", "name=ada"] {
        let found = s.get_ok(&format!("/subscribers?{query}"), &key).await;
        let ids: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert!(!ids.contains(&ada_id), "{query}: {ids:?}");
    }
    let found = s
        .get_ok("/subscribers/find?field=email&value=ada@example.com", &key)
        .await;
    assert_eq!(found["items"], json!([]));
    // Bob is as he was.
    // (His welcome flow's delayed thanks may have arrived since: his messages may only grow.)
    let bob_after = export(&s, &key, bob_id).await;
    assert_eq!(bob_after.subscriber, bob_before.subscriber);
    assert_eq!(bob_after.leads, bob_before.leads);
    let messages = &bob_after.conversations[0].messages;
    assert!(messages.starts_with(&bob_before.conversations[0].messages));

    // A retry of Ada's submission (the lead form's offline queue) gets its original answer
    // and brings no lead back; a new submission is a new lead.
    let retry = submission("ada-1", "ada@example.com", &ada.session_token);
    let answer = submit(&s, "contact", &retry, 200).await;
    assert_eq!(answer["idempotency_key"], "ada-1");
    assert_eq!(subscriber_ids(&s, "/leads?limit=100", &key).await, [bob_id]);
    let (_, csv) = get_text(&s, "/leads/export.csv", &key).await;
    assert!(!csv.contains("ada@example.com"), "{csv}");
    let again = json!({"idempotency_key": "ada-2", "values": {"email": "ada@example.com"}});
    submit(&s, "contact", &again, 201).await;
    let page = s.get_ok("/leads?limit=100", &key).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_deleted_subscriber_leaves_their_leads_without_a_subscriber_and_their_stream_ends() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    form_with_pending_webhook(&s, &key, "contact", "demo").await;
    let ada = active_subscriber(&s, "ada@example.com").await;
    let stream = s.open_stream("demo", &ada.session_token).await;
    let path = format!("/subscribers/{}", ada.subscriber_id.as_str());
    assert_eq!(s.request(Method::DELETE, &path, &key).await.status(), 204);
    assert_stream_ends(stream).await;
    let res = s.request(Method::GET, &path, &key).await;
    assert_problem(res, 404, "not_found").await;
    let leads = s.get_ok("/leads", &key).await;
    assert_eq!(leads["items"][0]["values"]["email"], "ada@example.com");
    assert_eq!(leads["items"][0]["subscriber_id"], Value::Null);
}

/// Row counts of every table of the server's database except the migrations' own.
async fn row_counts(s: &TestServer) -> BTreeMap<String, i64> {
    let pool = s.db().await;
    let tables_query = match Backend::of(&pool) {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let tables: Vec<String> = sqlx::query_scalar(tables_query).fetch_all(&pool).await.unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT count(*) FROM {table}");
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await
            .unwrap();
        counts.insert(table, count);
    }
    pool.close().await;
    counts
}

#[tokio::test]
async fn a_deleted_workspace_leaves_no_row_and_its_credentials_stop_at_once() {
    let s = TestServer::start().await;
    let demo_key = s.api_key("demo").await;
    let demo_visitor = s.session().await;
    // The first user gets the demo workspace.
    s.user("mallory@example.com", PASSWORD).await;
    let mallory = s.user_token("mallory@example.com", PASSWORD).await;
    s.user("owner@example.com", PASSWORD).await;
    let owner = s.user_token("owner@example.com", PASSWORD).await;
    let demo_before = export(&s, &demo_key, demo_visitor.subscriber_id.as_str()).await;
    let before = row_counts(&s).await;

    // The owner's workspace with one of most things, and a visitor chatting on it.
    let res = s
        .send_json(
            Method::POST,
            "/workspaces",
            &owner,
            &json!({"slug": "doomed", "name": "Doomed"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let workspace: Value = res.json().await.unwrap();
    let id = workspace["id"].as_i64().unwrap();
    let res = s
        .send_json(
            Method::POST,
            &format!("/workspaces/{id}/api-keys"),
            &owner,
            &json!({"name": "ci"}),
        )
        .await;
    let key = res.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let settings = json!({"name": "Doomed site", "allowed_origins": ["https://doomed.example"], "welcome_flow": "hello"});
    s.put_flow(&key, &json!({"id": "hello", "name": "Hello", "start": "a", "steps": {"a": {"type": "message", "text": "Hi!"}}})).await;
    let res = s.send_json(Method::POST, "/channels", &key, &settings).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let channel_id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, body) in [
        ("/tags", json!({"name": "vip"})),
        ("/custom-fields", json!({"name": "plan", "type": "text"})),
        ("/bot-fields", json!({"name": "opening", "type": "text"})),
    ] {
        let res = s.send_json(Method::POST, path, &key, &body).await;
        assert_eq!(res.status(), 201, "{path}: {}", res.text().await.unwrap());
    }
    form_with_pending_webhook(&s, &key, "doomed-contact", &channel_id).await;
    let res = s
        .client
        .post(format!("{}/api/public/v1/channels/{channel_id}/sessions", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let visitor: Session = res.json().await.unwrap();
    let body = submission("doomed-1", "eve@example.com", &visitor.session_token);
    submit(&s, "doomed-contact", &body, 201).await;
    let stream = s.open_stream(&channel_id, &visitor.session_token).await;
    assert_ne!(row_counts(&s).await, before);

    // Guards: no confirmation, a wrong one, an API key, another user.
    let path = format!("/workspaces/{id}");
    let res = s.request(Method::DELETE, &path, &owner).await;
    assert_problem(res, 400, "bad_request").await;
    let res = s
        .request(Method::DELETE, &format!("{path}?confirm=demo"), &owner)
        .await;
    assert_problem(res, 400, "bad_request").await;
    let res = s
        .request(Method::DELETE, &format!("{path}?confirm=doomed"), &key)
        .await;
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .request(Method::DELETE, &format!("{path}?confirm=doomed"), &mallory)
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(s.request(Method::GET, "/tags", &key).await.status(), 200);

    let res = s
        .request(Method::DELETE, &format!("{path}?confirm=doomed"), &owner)
        .await;
    assert_eq!(res.status(), 204);

    // Every row of it is gone; nothing else changed.
    assert_eq!(row_counts(&s).await, before);
    assert_stream_ends(stream).await;
    let res = s.request(Method::GET, "/tags", &key).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .client
        .get(format!("{}/api/public/v1/channels/{channel_id}/messages", s.url))
        .bearer_auth(&visitor.session_token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .submit_form("doomed-contact", &submission("doomed-2", "eve@example.com", ""))
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .request(Method::DELETE, &format!("{path}?confirm=doomed"), &owner)
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(s.get_ok("/workspaces", &owner).await["items"], json!([]));
    // The owner's console session and the demo workspace go on.
    let res = s
        .send_json(
            Method::POST,
            "/workspaces",
            &owner,
            &json!({"slug": "doomed", "name": "Reborn"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        export(&s, &demo_key, demo_visitor.subscriber_id.as_str())
            .await
            .conversations,
        demo_before.conversations
    );
    s.say(&demo_visitor.session_token, "still here").await;
}

#[tokio::test]
async fn erasing_on_one_instance_ends_the_stream_held_by_another() {
    let a = TestServer::start().await;
    let Some(b) = a.another_instance().await else {
        eprintln!("skipped: several instances need PostgreSQL (PARLO_TEST_DATABASE_URL)");
        return;
    };
    let key = a.api_key("demo").await;
    let visitor = a.session().await;
    let stream = b.open_stream("demo", &visitor.session_token).await;
    let res = a
        .request(
            Method::POST,
            &format!("/subscribers/{}/erase", visitor.subscriber_id.as_str()),
            &key,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_stream_ends(stream).await;
    let res = b
        .visitor_get(&b.channel("/messages"), &visitor.session_token)
        .await;
    assert_problem(res, 401, "unauthorized").await;
}
