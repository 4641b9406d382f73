//! Management API: human takeover — pausing and resuming the bot for a subscriber.

use crate::common::{TestServer, assert_problem};
use parlo_model::chat::Author;
use reqwest::Method;
use serde_json::{Value, json};

async fn post(s: &TestServer, path: &str, key: &str) -> reqwest::Response {
    s.management(Method::POST, path, key).send().await.unwrap()
}

#[tokio::test]
async fn a_paused_bot_stores_but_does_not_answer_until_resumed() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let token = &session.session_token;
    let id = session.subscriber_id.as_str();
    let mut sse = s.events(token, "", None).await;
    sse.next_message().await;

    let res = post(&s, &format!("/subscribers/{id}/pause-bot"), &key).await;
    assert_eq!(res.status(), 200);
    let status: Value = res.json().await.unwrap();
    assert_eq!(status, json!({"paused": true, "paused_until": null}));
    let (_, notice) = sse.next_message().await;
    assert_eq!(notice.author, Author::System, "the widget is told");

    let answer = s.say(token, "What are your opening hours?").await;
    assert_eq!(answer.len(), 1, "the visitor message only: {answer:?}");
    assert_eq!(answer[0].author, Author::Visitor);
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{id}/send-flow"),
            &key,
            &json!({"flow_id": "hours"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    // An agent answers instead; content can still be sent.
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{id}/messages"),
            &key,
            &json!({"text": "We open at 7:30."}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let res = post(&s, &format!("/subscribers/{id}/resume-bot"), &key).await;
    let status: Value = res.json().await.unwrap();
    assert_eq!(status, json!({"paused": false, "paused_until": null}));
    let answer = s.say(token, "hours").await;
    assert_eq!(answer.len(), 2, "the bot answers again");
    let authors: Vec<Author> = s.history(token).await.iter().map(|m| m.author).collect();
    assert_eq!(
        authors,
        [
            Author::Bot,
            Author::System,
            Author::Visitor,
            Author::Agent,
            Author::System,
            Author::Visitor,
            Author::Bot
        ]
    );
}

#[tokio::test]
async fn pausing_drops_delayed_bot_messages() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    // A long delay, so the pause surely comes first.
    let flow = json!({"id": "slow", "name": "Slow", "start": "a", "steps": {
        "a": {"type": "message", "text": "One moment…", "next": "b"},
        "b": {"type": "delay", "ms": 10000, "next": "c"},
        "c": {"type": "message", "text": "Here it is."}}});
    s.put_flow(&key, &flow).await;
    let session = s.session().await;
    let id = session.subscriber_id.as_str();
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{id}/send-flow"),
            &key,
            &json!({"flow_id": "slow"}),
        )
        .await;
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["delayed"], true);
    post(&s, &format!("/subscribers/{id}/pause-bot"), &key).await;

    let pool = s.db().await;
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scheduled")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(waiting, 0, "nothing is left to deliver");
}

#[tokio::test]
async fn timed_pauses_and_bad_requests() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let path = format!("/subscribers/{}/pause-bot", session.subscriber_id);

    let res = s
        .send_json(Method::POST, &path, &key, &json!({"minutes": 30}))
        .await;
    let status: Value = res.json().await.unwrap();
    assert_eq!(status["paused"], true);
    let until = status["paused_until"].as_str().unwrap();
    let now = parlo_server::clock::now_rfc3339();
    let in_31 =
        parlo_server::clock::format_rfc3339(time::OffsetDateTime::now_utc() + time::Duration::minutes(31));
    assert!(now.as_str() < until && until < in_31.as_str(), "{until}");
    let answer = s.say(&session.session_token, "hours").await;
    assert_eq!(answer.len(), 1, "paused");

    // Pausing again changes the end, without a second notice.
    let res = s.send_json(Method::POST, &path, &key, &json!({})).await;
    assert_eq!(res.json::<Value>().await.unwrap()["paused_until"], Value::Null);
    let notices = s
        .history(&session.session_token)
        .await
        .iter()
        .filter(|m| m.author == Author::System)
        .count();
    assert_eq!(notices, 1);

    for minutes in [json!(0), json!(525_601)] {
        let res = s
            .send_json(Method::POST, &path, &key, &json!({ "minutes": minutes }))
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }
    let res = s
        .management(Method::POST, &path, &key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;
    // A body of another type, even empty, is refused: the route takes JSON only.
    for body in ["{\"minutes\": 5}", ""] {
        let res = s
            .management(Method::POST, &path, &key)
            .header("content-type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(res, 415, "bad_request").await;
    }
    let res = post(&s, "/subscribers/sub_!/pause-bot", &key).await;
    assert_problem(res, 400, "invalid_id").await;
    let res = post(&s, "/subscribers/sub_00000000000000000000/resume-bot", &key).await;
    assert_problem(res, 404, "not_found").await;
}
