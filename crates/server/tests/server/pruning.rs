//! Pruning: ended deliveries after their retention, expired console sessions, old failed
//! log-ins and old idempotency keys go; pending deliveries and everything younger stay.

use crate::common::TestServer;
use crate::common::webhooks::{Receiver, free_addr, webhook};
use parlo_model::automation::Automation;
use parlo_server::pruning::{Pruned, Retention, prune};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use time::OffsetDateTime;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);
/// Deliveries kept 30 days, idempotency keys (session starts, triggers) a day.
const RETENTION: Retention = Retention {
    deliveries: Duration::from_secs(30 * 24 * 60 * 60),
    idempotency: DAY,
};

/// The ids and states of the workspace's deliveries, newest first.
async fn deliveries(s: &TestServer, key: &str) -> Vec<(i64, String)> {
    let page = s.get_ok("/deliveries", key).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn ended_deliveries_expired_sessions_and_old_failures_are_pruned_after_their_time() {
    let s = TestServer::start_with(|c| {
        c.outbox.max_attempts = 2;
        c.outbox.retry_base_ms = 3_600_000;
    })
    .await;
    let key = s.api_key("demo").await;
    let receiver = Receiver::start().await;
    let ok = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    let down = s
        .webhook_endpoint(&key, &format!("http://{}/hooks", free_addr().await))
        .await;
    // Delivered; pending after a refused first attempt (the next one is an hour away); dead
    // at once (a subscriber automation of an event without a subscriber).
    let tag = Automation::AddTags {
        tags: vec!["vip".to_owned()],
    };
    let lead = json!({"values": {"name": "Ada"}});
    s.enqueue("demo", None, lead, &[webhook(&ok), webhook(&down), tag])
        .await;
    let mut ended = Vec::new();
    for _ in 0..400 {
        ended = deliveries(&s, &key).await;
        let pending_tried = s.get_ok("/deliveries?status=pending", &key).await["items"][0]["attempts"] == 1;
        if ended.iter().filter(|(_, st)| st != "pending").count() == 2 && pending_tried {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut states: Vec<&str> = ended.iter().map(|(_, st)| st.as_str()).collect();
    states.sort_unstable();
    assert_eq!(states, ["dead", "delivered", "pending"]);

    // A console session, and a failed log-in (counted for the e-mail and for the address).
    s.user("ada@example.com", "correct horse battery").await;
    let token = s.user_token("ada@example.com", "correct horse battery").await;
    assert_eq!(s.login("ada@example.com", "wrong password").await.status(), 401);

    // Within their time nothing goes.
    let db = s.db().await;
    let now = OffsetDateTime::now_utc();
    assert_eq!(prune(&db, now, &RETENTION).await.unwrap(), Pruned::default());
    assert_eq!(deliveries(&s, &key).await.len(), 3);
    assert_eq!(s.request(Method::GET, "/workspaces", &token).await.status(), 200);

    // 31 days on: the two ended deliveries, the expired session and the old failures go.
    let later = now + 31 * DAY;
    let pruned = prune(&db, later, &RETENTION).await.unwrap();
    assert_eq!(
        pruned,
        Pruned {
            deliveries: 2,
            user_sessions: 1,
            login_failures: 2,
            session_starts: 0,
            flow_triggers: 0,
        }
    );
    assert_eq!(
        deliveries(&s, &key).await,
        ended
            .into_iter()
            .filter(|(_, st)| st == "pending")
            .collect::<Vec<_>>()
    );
    assert_eq!(s.request(Method::GET, "/workspaces", &token).await.status(), 401);
    assert_eq!(prune(&db, later, &RETENTION).await.unwrap(), Pruned::default());
}

/// A demo session start with `Idempotency-Key: key`: its status and subscriber id.
async fn start(s: &TestServer, key: &str) -> (u16, String) {
    let res = s.start_session_with_key("demo", key).await;
    let status = res.status().as_u16();
    let session: Value = res.json().await.unwrap();
    (status, session["subscriber_id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn session_start_keys_answer_retries_within_their_retention_then_go() {
    let s = TestServer::start().await;
    let (status, first) = start(&s, "visit-1").await;
    assert_eq!(status, 201);
    let db = s.db().await;
    let now = OffsetDateTime::now_utc();

    // Within the retention the key is kept and a retry gets the first subscriber.
    assert_eq!(
        prune(&db, now + DAY / 2, &RETENTION).await.unwrap(),
        Pruned::default()
    );
    assert_eq!(start(&s, "visit-1").await, (200, first.clone()));

    // After it the key goes (the subscriber and its session stay): the same key is new.
    let pruned = prune(&db, now + DAY + DAY / 24, &RETENTION).await.unwrap();
    assert_eq!(pruned.session_starts, 1);
    let (status, again) = start(&s, "visit-1").await;
    assert_eq!(status, 201);
    assert_ne!(again, first);
    let key = s.api_key("demo").await;
    assert_eq!(
        s.request(Method::GET, &format!("/subscribers/{first}"), &key)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn trigger_keys_answer_retries_within_their_retention_then_go() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let trigger = || async {
        let body = json!({"find": {"type": "email", "email": "ada@example.com"}, "channel_id": "demo"});
        let res = s
            .management(Method::POST, "/flows/menu/trigger", &key)
            .header("idempotency-key", "form-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()
    };
    let first = trigger().await;
    assert_eq!(first["created"], true);
    let db = s.db().await;
    let now = OffsetDateTime::now_utc();

    // Within the retention a retry gets the first answer; after it the key is new again,
    // so the flow runs a second time (for the subscriber it now finds).
    assert_eq!(
        prune(&db, now + DAY / 2, &RETENTION).await.unwrap(),
        Pruned::default()
    );
    assert_eq!(trigger().await, first);
    let pruned = prune(&db, now + DAY + DAY / 24, &RETENTION).await.unwrap();
    assert_eq!(pruned.flow_triggers, 1);
    let again = trigger().await;
    assert_eq!(again["created"], false);
    assert_eq!(again["subscriber"]["id"], first["subscriber"]["id"]);
    assert_ne!(again["messages"], first["messages"]);
}
