//! Webhooks: endpoint management, Standard Webhooks signatures as a receiver checks them,
//! and how the answers of a real local receiver (2xx, 410, 429, 3xx) are handled.

use crate::common::webhooks::{Receiver, Reply, webhook};
use crate::common::{TestServer, assert_problem};
use parlo_server::outbox::signature::{Secret, TOLERANCE_SECS, VerifyError, verify};
use reqwest::Method;
use serde_json::{Value, json};

/// A server whose failed deliveries are retried after ~100 ms (4× longer each time).
async fn quick_retries() -> TestServer {
    TestServer::start_with(|c| c.outbox.retry_base_ms = 100).await
}

fn lead(name: &str) -> Value {
    json!({"id": "lead_1", "form_id": "quote", "values": {"name": name, "email": "ada@example.com"}})
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn endpoints_are_created_listed_rotated_and_deleted() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = s.webhook_endpoint(&key, "http://127.0.0.1:9/hooks").await;
    let id = created["id"].as_i64().unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(Secret::parse(secret).is_ok(), "{secret}");
    assert_eq!(created["url"], "http://127.0.0.1:9/hooks");
    assert_eq!(created["disabled_at"], Value::Null);

    let got = s.get_ok(&format!("/webhook-endpoints/{id}"), &key).await;
    assert!(got.get("secret").is_none(), "the secret is shown only on create");
    let page = s.get_ok("/webhook-endpoints", &key).await;
    assert_eq!(page["items"], json!([got]));
    assert_eq!(page["next_cursor"], Value::Null);

    let res = s
        .management(
            Method::POST,
            &format!("/webhook-endpoints/{id}/rotate-secret"),
            &key,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    assert_ne!(rotated["secret"], created["secret"]);
    assert!(Secret::parse(rotated["secret"].as_str().unwrap()).is_ok());

    let own = s
        .send_json(
            Method::POST,
            "/webhook-endpoints",
            &key,
            &json!({"url": "https://hooks.example.com/x", "description": "CRM", "secret": secret}),
        )
        .await;
    assert_eq!(own.status(), 201);
    let own: Value = own.json().await.unwrap();
    assert_eq!(
        (own["secret"].as_str(), own["description"].as_str()),
        (Some(secret), Some("CRM"))
    );
    let first = s.get_ok("/webhook-endpoints?limit=1", &key).await;
    assert_eq!(first["next_cursor"], id.to_string());
    let second = s
        .get_ok(&format!("/webhook-endpoints?limit=1&cursor={id}"), &key)
        .await;
    assert_eq!(second["items"][0]["id"], own["id"]);

    let res = s
        .management(Method::DELETE, &format!("/webhook-endpoints/{id}"), &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let gone = s
        .management(Method::GET, &format!("/webhook-endpoints/{id}"), &key)
        .send()
        .await
        .unwrap();
    assert_problem(gone, 404, "not_found").await;
}

#[tokio::test]
async fn bad_endpoints_and_ids_are_refused() {
    let s = TestServer::start_with(|c| c.outbox.allow_private_webhooks = false).await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/webhook-endpoints",
            &key,
            &json!({"url": "http://169.254.169.254/latest", "secret": "whsec_short"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/url", "/secret"]);
    for url in [
        "http://localhost:8090/",
        "http://10.0.0.7/",
        "ftp://example.com/",
        "not a url",
    ] {
        let res = s
            .send_json(Method::POST, "/webhook-endpoints", &key, &json!({ "url": url }))
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }
    let res = s
        .send_json(
            Method::POST,
            "/webhook-endpoints",
            &key,
            &json!({"url": "https://x.example", "extra": 1}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;

    let public = s.webhook_endpoint(&key, "https://hooks.example.com/parlo").await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s
        .management(
            Method::GET,
            &format!("/webhook-endpoints/{}", public["id"]),
            &other,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
    for path in ["/webhook-endpoints/abc", "/deliveries/0"] {
        let res = s.management(Method::GET, path, &key).send().await.unwrap();
        assert_problem(res, 400, "invalid_id").await;
    }
    for path in [
        "/webhook-endpoints?limit=0",
        "/deliveries?limit=101",
        "/deliveries?cursor=x",
    ] {
        let res = s.management(Method::GET, path, &key).send().await.unwrap();
        assert_problem(res, 400, "invalid_cursor").await;
    }
    let res = s
        .management(Method::GET, "/deliveries?status=lost", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;
}

#[tokio::test]
async fn deliveries_are_signed_per_standard_webhooks() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks/parlo")).await;
    let secret = Secret::parse(endpoint["secret"].as_str().unwrap()).unwrap();
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;

    let got = receiver.next().await;
    let (id, timestamp, signature) = (
        got.header("webhook-id"),
        got.header("webhook-timestamp"),
        got.header("webhook-signature"),
    );
    assert!(id.starts_with("msg_"), "{id}");
    assert!(signature.starts_with("v1,"), "{signature}");
    assert_eq!(got.header("content-type"), "application/json");
    let now = now_secs();
    assert_eq!(verify(&secret, id, timestamp, signature, &got.body, now), Ok(()));
    let body = got.json();
    assert_eq!(body["type"], "lead.created");
    assert_eq!(body["data"], lead("Ada"));
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

    let tampered = String::from_utf8(got.body.to_vec())
        .unwrap()
        .replace("Ada", "Eve");
    assert_eq!(
        verify(&secret, id, timestamp, signature, tampered.as_bytes(), now),
        Err(VerifyError::NoMatch)
    );
    assert_eq!(
        verify(
            &secret,
            id,
            timestamp,
            signature,
            &got.body,
            now + TOLERANCE_SECS + 60
        ),
        Err(VerifyError::Stale)
    );
    assert_eq!(
        verify(&Secret::generate(), id, timestamp, signature, &got.body, now),
        Err(VerifyError::NoMatch)
    );

    let delivery = s
        .delivery_when(&key, s.last_delivery(&key).await["id"].as_i64().unwrap(), |d| {
            d["status"] == "delivered"
        })
        .await;
    assert_eq!(delivery["message_id"], id);
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(delivery["last_status"], 204);
    assert_eq!(
        delivery["automation"],
        json!({"type": "webhook", "endpoint_id": endpoint["id"]})
    );
}

#[tokio::test]
async fn gone_disables_the_endpoint() {
    let s = quick_retries().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    receiver.always(Reply::status(410));
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;
    receiver.next().await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert_eq!(
        (dead["attempts"].as_u64(), dead["last_status"].as_u64()),
        (Some(1), Some(410))
    );
    let disabled = s
        .get_ok(&format!("/webhook-endpoints/{}", endpoint["id"]), &key)
        .await;
    assert!(disabled["disabled_at"].is_string(), "{disabled}");

    // Later events to the disabled endpoint are not sent at all.
    s.enqueue("demo", None, lead("Bob"), &[webhook(&endpoint)]).await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert!(
        dead["last_error"].as_str().unwrap().contains("disabled"),
        "{dead}"
    );
    assert!(receiver.drain().is_empty());
}

#[tokio::test]
async fn too_many_requests_is_retried_after_retry_after() {
    let s = quick_retries().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    receiver.script([Reply::status(429).header("retry-after", "2"), Reply::status(503)]);
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;

    let first = receiver.next().await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let waiting = s.delivery_when(&key, id, |d| d["last_status"] == 429).await;
    assert_eq!(waiting["status"], "pending");
    let second = receiver.next().await;
    assert!(
        second.at.duration_since(first.at) >= std::time::Duration::from_secs(2),
        "the retry came before Retry-After"
    );
    let third = receiver.next().await;
    assert_eq!(
        first.header("webhook-id"),
        third.header("webhook-id"),
        "one message id for every attempt"
    );
    let delivered = s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
    assert_eq!(delivered["attempts"], 3);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let s = quick_retries().await;
    let key = s.api_key("demo").await;
    let mut elsewhere = Receiver::start().await;
    let mut receiver = Receiver::start().await;
    receiver.script([Reply::status(307).header("location", elsewhere.url("/stolen"))]);
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;
    receiver.next().await;
    receiver.next().await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let delivered = s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
    assert_eq!(delivered["attempts"], 2);
    assert!(elsewhere.drain().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn the_demo_webhook_flag_sends_demo_leads_to_the_demo_receiver() {
    let s = TestServer::start_with(|c| c.outbox.demo_webhook = true).await;
    let key = s.api_key("demo").await;
    let endpoints = s.get_ok("/webhook-endpoints", &key).await;
    assert_eq!(endpoints["items"].as_array().unwrap().len(), 1);
    let endpoint = &endpoints["items"][0];
    assert_eq!(endpoint["url"], "http://127.0.0.1:8090/parlo");
    let form = s.get_ok("/forms/quote", &key).await;
    let webhook = json!({"type": "webhook", "endpoint_id": endpoint["id"]});
    assert!(
        form["automations"].as_array().unwrap().contains(&webhook),
        "{form}"
    );

    // Seeding again (a restart) adds neither a second endpoint nor a second webhook.
    let s = s.restart_with(|c| c.outbox.demo_webhook = true).await;
    assert_eq!(s.get_ok("/webhook-endpoints", &key).await, endpoints);
    let again = s.get_ok("/forms/quote", &key).await;
    assert_eq!(again["automations"], form["automations"]);
}
