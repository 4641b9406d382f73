//! Management API: the API trigger (`POST /api/v1/flows/{flow_id}/trigger`) finds or
//! creates a subscriber, sets their fields and tags, and starts a flow — once per
//! `Idempotency-Key`.

use crate::common::{TestServer, assert_problem, error_pointers};
use parlo_model::chat::Author;
use reqwest::{Method, Response};
use serde_json::{Value, json};

/// A flow greeting a form's sender with payload variables, then tagging them.
fn thanks_flow() -> Value {
    json!({
        "id": "thanks", "name": "Thanks for your request", "start": "hello",
        "steps": {
            "hello": {"type": "message", "text": "Thanks {{payload.topic}}, we answer within {{payload.hours|a day}} hours.", "next": "tag"},
            "tag": {"type": "add_tag", "tag": "greeted"}
        }
    })
}

/// `POST /api/v1/flows/{flow}/trigger` with `body`, and `Idempotency-Key: key` when given.
async fn trigger(s: &TestServer, api_key: &str, flow: &str, key: Option<&str>, body: &Value) -> Response {
    let mut request = s
        .management(Method::POST, &format!("/flows/{flow}/trigger"), api_key)
        .json(body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.unwrap()
}

/// Creates custom field `name` of `field_type` in the key's workspace.
async fn custom_field(s: &TestServer, key: &str, name: &str, field_type: &str) {
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            key,
            &json!({"name": name, "type": field_type}),
        )
        .await;
    assert_eq!(res.status(), 201);
}

/// The ids of the workspace's subscribers whose e-mail is `email`.
async fn with_email(s: &TestServer, key: &str, email: &str) -> Vec<String> {
    let page = s
        .get_ok(&format!("/subscribers/find?field=email&value={email}"), key)
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_new_email_twice_with_one_key_creates_one_subscriber_and_runs_the_flow_once() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;
    custom_field(&s, &key, "plan", "text").await;
    let body = json!({
        "find": {"type": "email", "email": "Ada@Example.com"},
        "channel_id": "demo",
        "name": "Ada Lovelace",
        "fields": [{"field": "plan", "value": "pro"}],
        "tags": ["website-form"],
        "payload": {"topic": "about pricing", "hours": 4}
    });

    let res = trigger(&s, &key, "thanks", Some("form-1"), &body).await;
    assert_eq!(res.status(), 200);
    let first: Value = res.json().await.unwrap();
    assert_eq!(first["created"], true);
    let subscriber = &first["subscriber"];
    let id = subscriber["id"].as_str().unwrap().to_owned();
    assert_eq!(subscriber["channel_id"], "demo");
    assert_eq!(subscriber["fields"]["email"], "Ada@example.com");
    assert_eq!(subscriber["fields"]["name"], "Ada Lovelace");
    assert_eq!(subscriber["fields"]["plan"], "pro");
    // The body's tag, and the one the flow added.
    assert_eq!(subscriber["tags"], json!(["greeted", "website-form"]));
    let text = "Thanks about pricing, we answer within 4 hours.";
    assert_eq!(first["messages"][0]["content"]["text"], text);
    assert_eq!(first["delayed"], false);

    // The retry (a lost answer) gets the same answer and runs nothing.
    let res = trigger(&s, &key, "thanks", Some("form-1"), &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), first);
    assert_eq!(with_email(&s, &key, "ada@example.com").await, [id.as_str()]);
    let history = s.conversation(&key, &id, "").await;
    let texts: Vec<_> = history
        .iter()
        .map(|m| (m.author, m.content.text.as_str()))
        .collect();
    assert_eq!(texts, [(Author::Bot, text)]);

    // The same key with another body, or for another flow, is refused and changes nothing.
    let other = json!({"find": {"type": "email", "email": "ada@example.com"}, "tags": ["other"]});
    let res = trigger(&s, &key, "thanks", Some("form-1"), &other).await;
    assert_problem(res, 409, "conflict").await;
    let res = trigger(&s, &key, "menu", Some("form-1"), &body).await;
    assert_problem(res, 409, "conflict").await;
    assert_eq!(s.conversation(&key, &id, "").await.len(), 1);

    // A new key finds her by e-mail (ignoring case) and updates her: a second run.
    let again = json!({
        "find": {"type": "email", "email": "ada@EXAMPLE.com"},
        "tags": ["returning"],
        "payload": {"topic": "again"}
    });
    let res = trigger(&s, &key, "thanks", Some("form-2"), &again).await;
    assert_eq!(res.status(), 200);
    let second: Value = res.json().await.unwrap();
    assert_eq!(second["created"], false);
    assert_eq!(second["subscriber"]["id"], id.as_str());
    assert_eq!(
        second["subscriber"]["tags"],
        json!(["greeted", "returning", "website-form"])
    );
    assert_eq!(
        second["messages"][0]["content"]["text"],
        "Thanks again, we answer within a day hours."
    );
    assert_eq!(s.conversation(&key, &id, "").await.len(), 2);
}

#[tokio::test]
async fn finds_by_id_phone_and_custom_field_and_creates_with_the_matched_value() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;
    custom_field(&s, &key, "customer_id", "number").await;

    // Unknown phone: created with it (stored as `+` and digits); then found by it.
    let by_phone = json!({"find": {"type": "phone", "phone": "+44 20 7946 0958"}, "channel_id": "demo"});
    let first: Value = trigger(&s, &key, "thanks", None, &by_phone)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["created"], true);
    assert_eq!(first["subscriber"]["fields"]["phone"], "+442079460958");
    let id = first["subscriber"]["id"].as_str().unwrap().to_owned();
    let found: Value = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "phone", "phone": "+44 (20) 7946-0958"}}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (&found["created"], &found["subscriber"]["id"]),
        (&json!(false), &json!(id))
    );

    // Unknown customer id: created with it; found by id and by the field afterwards.
    let by_field = json!({
        "find": {"type": "field", "field": "customer_id", "value": "1042"},
        "channel_id": "demo",
        "email": "grace@example.com"
    });
    let res = trigger(&s, &key, "thanks", None, &by_field).await;
    assert_eq!(res.status(), 200);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["created"], true);
    assert_eq!(created["subscriber"]["fields"]["customer_id"], "1042");
    let grace = created["subscriber"]["id"].as_str().unwrap().to_owned();
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "field", "field": "customer_id", "value": "1042"}}),
    )
    .await;
    let found: Value = res.json().await.unwrap();
    assert_eq!(found["subscriber"]["id"], grace.as_str());
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "id", "subscriber_id": grace}, "first_name": "Grace"}),
    )
    .await;
    let found: Value = res.json().await.unwrap();
    assert_eq!(found["created"], false);
    assert_eq!(found["subscriber"]["fields"]["first_name"], "Grace");
    assert_eq!(s.conversation(&key, &grace, "").await.len(), 3);

    // A subscriber from a chat is found by id too; the flow continues their conversation.
    let session = s.session().await;
    let visitor = session.subscriber_id.to_string();
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "id", "subscriber_id": visitor}, "payload": {"topic": "Sam"}}),
    )
    .await;
    let found: Value = res.json().await.unwrap();
    assert!(found["messages"][0]["seq"].as_u64().unwrap() > 1);
    let history = s.history(&session.session_token).await;
    assert_eq!(
        history.last().unwrap().content.text,
        "Thanks Sam, we answer within a day hours."
    );
}

#[tokio::test]
async fn bad_bodies_are_422_listing_every_problem_and_change_nothing() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;

    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({
            "find": {"type": "email", "email": "not an e-mail"},
            "channel_id": "no-such-channel",
            "phone": "12",
            "fields": [{"field": "no_such_field", "value": "x"}],
            "tags": [""],
            "payload": {"bad key": "x", "list": [1]}
        }),
    )
    .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let mut pointers = error_pointers(&problem);
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        [
            "/channel_id",
            "/fields/0/field",
            "/find/email",
            "/payload/bad key",
            "/payload/list",
            "/phone",
            "/tags/0"
        ]
    );

    // No match and no channel to create one on.
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "email", "email": "new@example.com"}}),
    )
    .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/channel_id"]);

    // Wrong shapes and unknown members are 422 from the JSON extractor.
    for body in [
        json!({"find": {"type": "nickname", "nickname": "ada"}}),
        json!({"find": {"type": "email", "email": "a@example.com"}, "colour": "red"}),
        json!({}),
    ] {
        let res = trigger(&s, &key, "thanks", None, &body).await;
        assert_problem(res, 422, "validation_failed").await;
    }
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "id", "subscriber_id": "sub_short"}}),
    )
    .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/find/subscriber_id"]);

    // Unknown flow or subscriber id: 404; a malformed flow id or key: 400.
    let known = json!({"find": {"type": "email", "email": "a@example.com"}, "channel_id": "demo"});
    assert_problem(trigger(&s, &key, "nope", None, &known).await, 404, "not_found").await;
    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "id", "subscriber_id": "sub_00000000000000000000"}}),
    )
    .await;
    assert_problem(res, 404, "not_found").await;
    assert_problem(
        trigger(&s, &key, "Not%20a%20flow", None, &known).await,
        400,
        "invalid_id",
    )
    .await;
    assert_problem(
        trigger(&s, &key, "thanks", Some("no spaces!"), &known).await,
        400,
        "bad_request",
    )
    .await;

    // Nothing of the above created a subscriber or a tag.
    assert_eq!(s.get_ok("/subscribers", &key).await["items"], json!([]));
    assert_eq!(s.get_ok("/tags", &key).await["items"], json!([]));
}

#[tokio::test]
async fn an_email_of_another_subscriber_or_a_paused_bot_is_409_and_changes_nothing() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;
    for email in ["ada@example.com", "grace@example.com"] {
        let body = json!({"find": {"type": "email", "email": email}, "channel_id": "demo"});
        assert_eq!(trigger(&s, &key, "thanks", None, &body).await.status(), 200);
    }
    let ada = with_email(&s, &key, "ada@example.com").await.remove(0);

    let res = trigger(
        &s,
        &key,
        "thanks",
        None,
        &json!({"find": {"type": "email", "email": "ada@example.com"}, "email": "grace@example.com", "tags": ["x"]}),
    )
    .await;
    assert_problem(res, 409, "conflict").await;

    let res = s
        .request(Method::POST, &format!("/subscribers/{ada}/pause-bot"), &key)
        .await;
    assert_eq!(res.status(), 200);
    let res = trigger(
        &s,
        &key,
        "thanks",
        Some("paused-1"),
        &json!({"find": {"type": "id", "subscriber_id": ada}, "tags": ["x"]}),
    )
    .await;
    assert_problem(res, 409, "conflict").await;
    let subscriber = s.get_ok(&format!("/subscribers/{ada}"), &key).await;
    assert_eq!(subscriber["tags"], json!(["greeted"]));
    let history = s.conversation(&key, &ada, "").await;
    assert_eq!(history.iter().filter(|m| m.author == Author::Bot).count(), 1);
}

#[tokio::test]
async fn idempotency_keys_are_per_workspace() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    s.put_flow(&other, &thanks_flow()).await;
    let body = json!({"find": {"type": "email", "email": "ada@example.com"}, "channel_id": "demo"});
    assert_eq!(
        trigger(&s, &key, "thanks", Some("k-1"), &body).await.status(),
        200
    );

    // Workspace `other` has no channel `demo`: its own key `k-1` is new to it, and its
    // problem is its own (422), not a replay of the demo workspace's answer.
    let res = trigger(&s, &other, "thanks", Some("k-1"), &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/channel_id"]);
    assert_eq!(s.get_ok("/subscribers", &other).await["items"], json!([]));
}

#[tokio::test]
async fn concurrent_retries_of_one_key_run_once() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &thanks_flow()).await;
    let body = json!({"find": {"type": "email", "email": "ada@example.com"}, "channel_id": "demo"});
    let calls = (0..5).map(|_| trigger(&s, &key, "thanks", Some("burst-1"), &body));
    let mut answers = Vec::new();
    for res in futures_util::future::join_all(calls).await {
        assert_eq!(res.status(), 200);
        answers.push(res.json::<Value>().await.unwrap());
    }
    assert!(answers.iter().all(|answer| *answer == answers[0]));
    let ids = with_email(&s, &key, "ada@example.com").await;
    assert_eq!(ids.len(), 1);
    assert_eq!(s.conversation(&key, &ids[0], "").await.len(), 1);
}
