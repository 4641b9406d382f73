//! Public widget API: channel config, sessions, sending messages, history.

use crate::common::{TestServer, assert_problem, messages_of};
use parlo_model::chat::{Author, Session};
use parlo_model::validate::FieldKind;
use reqwest::Method;
use serde_json::{Value, json};

const GREETING: &str = "Hi there 👋 Welcome to Bloom & Brew! How can I help you today?";

#[tokio::test]
async fn channel_config_is_public_and_unknown_channels_are_404() {
    let s = TestServer::start().await;
    let config: Value = s
        .client
        .get(s.channel(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["name"], "Bloom & Brew");
    assert_eq!(config["greeting"], "Coffee & flowers · usually replies instantly");
    assert_eq!(
        config["ice_breakers"],
        json!([
            {"title": "What are your opening hours?", "payload": "flow:hours"},
            {"title": "Do you deliver flowers?", "payload": "flow:delivery"}
        ])
    );
    let res = s
        .client
        .get(format!("{}/api/public/v1/channels/nope", s.url))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn a_new_session_runs_the_start_flow_and_a_token_resumes_it() {
    let s = TestServer::start().await;
    let session = s.session().await;
    assert!(session.created);
    assert!(session.subscriber_id.as_str().starts_with("sub_"));
    assert_eq!(session.last_seq, 1);

    let history = s.history(&session.session_token).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].author, Author::Bot);
    assert_eq!(history[0].content.text, GREETING);
    let titles: Vec<&str> = history[0]
        .content
        .buttons
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(titles, ["Opening hours", "Get our newsletter"]);

    let res = s
        .client
        .post(s.channel("/sessions"))
        .json(&json!({"session_token": session.session_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let resumed: Session = res.json().await.unwrap();
    assert!(!resumed.created);
    assert_eq!(resumed.subscriber_id, session.subscriber_id);
    assert_eq!(resumed.session_token, session.session_token);
    assert_eq!(resumed.last_seq, 1);
    assert_eq!(
        s.history(&session.session_token).await.len(),
        1,
        "resuming sends nothing"
    );

    let res = s
        .client
        .post(s.channel("/sessions"))
        .json(&json!({"session_token": "not-a-token"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let fresh: Session = res.json().await.unwrap();
    assert!(fresh.created);
    assert_ne!(fresh.subscriber_id, session.subscriber_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_start_with_an_idempotency_key_creates_one_subscriber() {
    let s = TestServer::start().await;
    let res = s.start_session_with_key("demo", "start-1").await;
    assert_eq!(res.status(), 201);
    let first: Session = res.json().await.unwrap();
    assert!(first.created);
    s.say(&first.session_token, "menu").await;
    let last_seq = s.history(&first.session_token).await.last().unwrap().seq;

    // A retry after a lost answer, and a storm of concurrent ones: the same subscriber,
    // each with a working token of its conversation; the start flow ran once.
    let retries = (0..4).map(|_| s.start_session_with_key("demo", "start-1"));
    for res in futures_util::future::join_all(retries).await {
        assert_eq!(res.status(), 200);
        let again: Session = res.json().await.unwrap();
        assert_eq!(again.subscriber_id, first.subscriber_id);
        assert!(again.created, "answered as the first start was");
        assert_eq!(again.last_seq, last_seq);
        let history = s.history(&again.session_token).await;
        assert_eq!(history.last().unwrap().seq, last_seq);
        assert_eq!(history.iter().filter(|m| m.content.text == GREETING).count(), 1);
    }

    // Concurrent first starts with one new key make one subscriber between them.
    let starts = (0..4).map(|_| s.start_session_with_key("demo", "start-2"));
    let mut created = Vec::new();
    for res in futures_util::future::join_all(starts).await {
        let status = res.status().as_u16();
        let session: Session = res.json().await.unwrap();
        created.push((status, session.subscriber_id));
    }
    assert_eq!(created.iter().filter(|(status, _)| *status == 201).count(), 1);
    assert!(created.windows(2).all(|w| w[0].1 == w[1].1), "{created:?}");
    assert_ne!(created[0].1, first.subscriber_id);

    // Another key, or none, is another visitor.
    let other: Session = s
        .start_session_with_key("demo", "start-3")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(other.subscriber_id, first.subscriber_id);
    assert_ne!(s.session().await.subscriber_id, first.subscriber_id);
}

#[tokio::test]
async fn a_session_start_key_is_checked_and_bound_to_its_channel() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = s
        .send_json(
            Method::POST,
            "/channels",
            &key,
            &json!({"name": "Second", "allowed_origins": ["https://second.example"]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let second: Value = created.json().await.unwrap();
    let second = second["id"].as_str().unwrap();

    assert_eq!(s.start_session_with_key("demo", "shared-key").await.status(), 201);
    let res = s.start_session_with_key(second, "shared-key").await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("another channel"),
        "{problem}"
    );

    for bad in ["", "has space", "ä", &"k".repeat(65)] {
        let res = s
            .client
            .post(s.channel("/sessions"))
            .header("idempotency-key", bad.as_bytes())
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 400, "bad_request").await;
        assert!(
            problem["detail"].as_str().unwrap().contains("Idempotency-Key"),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn newsletter_signup_re_asks_invalid_email_then_saves_field_and_tag() {
    let s = TestServer::start().await;
    let session = s.session().await;
    let token = &session.session_token;
    let greeting = s.history(token).await.remove(0);

    let answer = s.press(token, &greeting, "Get our newsletter").await;
    assert_eq!(answer[0].author, Author::Visitor);
    assert_eq!(answer[0].content.text, "Get our newsletter");
    let question = answer.last().unwrap();
    assert!(question.content.text.contains("e-mail address"));
    assert_eq!(question.content.expects, Some(FieldKind::Email));
    assert_eq!(question.reply_to.as_ref(), Some(&answer[0].id));

    let answer = s.say(token, "not-an-email").await;
    let texts: Vec<&str> = answer.iter().map(|m| m.content.text.as_str()).collect();
    assert!(texts.contains(&FieldKind::Email.invalid_message()), "{texts:?}");
    assert!(
        answer.last().unwrap().content.text.contains("e-mail address"),
        "asked again"
    );

    let answer = s.say(token, "ada@example.com").await;
    assert_eq!(answer[0].content.text, "ada@example.com");

    let key = s.api_key("demo").await;
    let res = s
        .management(
            Method::GET,
            &format!("/subscribers/{}", session.subscriber_id),
            &key,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let subscriber: Value = res.json().await.unwrap();
    assert_eq!(subscriber["id"], session.subscriber_id.as_str());
    assert_eq!(subscriber["channel_id"], "demo");
    assert_eq!(subscriber["fields"]["email"], "ada@example.com");
    assert_eq!(subscriber["tags"], json!(["newsletter"]));
}

#[tokio::test]
async fn keywords_start_their_flows() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let answer = s.say(&token, "What are your opening hours?").await;
    assert!(answer[1].content.text.starts_with("We're open"), "{answer:?}");
    let answer = s.say(&token, "Do you deliver flowers?").await;
    assert!(answer[1].content.text.contains("deliver"), "{answer:?}");
    let answer = s.say(&token, "blorp").await;
    assert!(answer[1].content.text.starts_with("Sorry"), "{answer:?}");
}

#[tokio::test]
async fn sending_is_idempotent_by_message_id() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let body = json!({"id": "client-1", "input": {"type": "text", "text": "opening hours"}});

    let first = messages_of(s.post_message(&token, &body).await).await;
    let res = s.post_message(&token, &body).await;
    assert_eq!(res.status(), 200);
    let again = messages_of(res).await;
    assert_eq!(first, again, "a repeat answers the same messages");
    assert_eq!(
        s.history(&token).await.len(),
        1 + first.len(),
        "nothing stored twice"
    );

    let other = json!({"id": "client-1", "input": {"type": "text", "text": "menu"}});
    assert_problem(s.post_message(&token, &other).await, 409, "conflict").await;
    assert_eq!(s.history(&token).await.len(), 1 + first.len());
}

#[tokio::test]
async fn a_visitor_message_and_its_repeat_mark_the_subscriber_seen() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let path = format!("/subscribers/{}", session.subscriber_id);
    let last_seen = async || {
        s.get_ok(&path, &key).await["last_seen_at"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let body = json!({"id": "seen-1", "input": {"type": "text", "text": "opening hours"}});

    let opened = last_seen().await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(s.post_message(&session.session_token, &body).await.status(), 200);
    let said = last_seen().await;
    assert!(said > opened, "seen at the message: {said} after {opened}");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(s.post_message(&session.session_token, &body).await.status(), 200);
    let repeated = last_seen().await;
    assert!(repeated > said, "seen at the repeat: {repeated} after {said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_of_one_message_store_it_once() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let body = json!({"id": "retry-storm", "input": {"type": "text", "text": "menu"}});
    let sends = (0..6).map(|_| s.post_message(&token, &body));
    let answers = futures_util::future::join_all(sends).await;
    let mut bodies = Vec::new();
    for res in answers {
        assert_eq!(res.status(), 200);
        bodies.push(messages_of(res).await);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "every retry got the same answer"
    );
    let history = s.history(&token).await;
    assert_eq!(history.len(), 1 + bodies[0].len());
    assert_eq!(
        history.iter().filter(|m| m.id.as_str() == "retry-storm").count(),
        1
    );
}

#[tokio::test]
async fn history_pages_without_gaps_and_rejects_bad_limits() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    for text in ["hours", "menu", "delivery"] {
        s.say(&token, text).await;
    }
    let all = s.history(&token).await;
    assert_eq!(all.len(), 7);

    let mut seqs = Vec::new();
    let mut url = s.channel("/messages?limit=2");
    loop {
        let page: Value = s.visitor_get(&url, &token).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seqs.extend(items.iter().map(|m| m["seq"].as_u64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = s.channel(&format!("/messages?limit=2&cursor={cursor}")),
            None => break,
        }
    }
    assert_eq!(seqs, (1..=7).collect::<Vec<u64>>());

    let page: Value = s
        .visitor_get(&s.channel("/messages?after=5"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["next_cursor"], Value::Null);

    for bad in ["limit=0", "limit=101"] {
        let res = s
            .visitor_get(&s.channel(&format!("/messages?{bad}")), &token)
            .await;
        assert_problem(res, 400, "invalid_cursor").await;
    }
    let res = s.visitor_get(&s.channel("/messages?limit=lots"), &token).await;
    assert_problem(res, 400, "bad_request").await;
}

#[tokio::test]
async fn bad_requests_are_problems_not_crashes() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let url = s.channel("/messages");

    let res = s.client.get(&url).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = s.client.get(&url).bearer_auth("nope").send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;

    let res = s
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;

    let res = s
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body(r#"{"id":"a","input":{"type":"text","text":"hi"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);

    let res = s
        .post_message(
            &token,
            &json!({"id": "a", "input": {"type": "shout", "text": "hi"}}),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["pointer"], "/input/type");

    let res = s
        .post_message(
            &token,
            &json!({"id": "bad id!", "input": {"type": "text", "text": "   "}}),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/id", "/input/text"]);

    let huge = "x".repeat(70 * 1024);
    let res = s
        .post_message(
            &token,
            &json!({"id": "big", "input": {"type": "text", "text": huge}}),
        )
        .await;
    assert_problem(res, 413, "payload_too_large").await;

    let res = s
        .client
        .post(s.channel("/sessions"))
        .header("content-type", "application/json")
        .body("[1, 2")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;

    let res = s.client.delete(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    let res = s
        .client
        .get(format!("{}/api/public/v1/nothing", s.url))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;

    assert_eq!(s.history(&token).await.len(), 1, "no bad request stored anything");
}
