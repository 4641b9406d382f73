//! The outbox worker: at-least-once delivery across receiver outages and server restarts,
//! dead letters and redelivery, subscriber automations, and the deliveries list.

use crate::common::webhooks::{Receiver, Reply, enqueue, free_addr, webhook};
use crate::common::{TestServer, assert_problem};
use parlo_model::automation::Automation;
use parlo_model::chat::Message;
use parlo_server::clock;
use parlo_server::db::outbox::{NewRow, claim, insert};
use parlo_server::outbox::worker::{LEASE_MS, Worker};
use parlo_server::outbox::{OutboxConfig, subscriber};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

fn lead(name: &str) -> Value {
    json!({"values": {"name": name, "email": "ada@example.com", "topics": ["roses", "tulips"]}})
}

#[tokio::test]
async fn a_receiver_down_then_up_gets_every_delivery_once() {
    let s = TestServer::start_with(|c| c.outbox.retry_base_ms = 100).await;
    let key = s.api_key("demo").await;
    let addr = free_addr().await;
    let endpoint = s.webhook_endpoint(&key, &format!("http://{addr}/hooks")).await;
    for name in ["Ada", "Bob", "Cy"] {
        s.enqueue("demo", None, lead(name), &[webhook(&endpoint)]).await;
    }
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let failed = s.delivery_when(&key, id, |d| d["last_error"].is_string()).await;
    assert_eq!(failed["status"], "pending");
    assert!(
        failed["last_error"].as_str().unwrap().contains("connect"),
        "{failed}"
    );

    let mut receiver = Receiver::start_on(addr).await;
    let mut names = BTreeMap::new();
    for _ in 0..3 {
        let got = receiver.next().await;
        names.insert(
            got.json()["data"]["values"]["name"].as_str().unwrap().to_owned(),
            got.header("webhook-id").to_owned(),
        );
    }
    assert_eq!(names.keys().collect::<Vec<_>>(), ["Ada", "Bob", "Cy"]);
    s.deliveries_when(&key, "?status=delivered", 3).await;
    assert!(receiver.drain().is_empty(), "a delivered webhook was sent again");
}

#[tokio::test]
async fn deliveries_survive_a_restart() {
    let s = TestServer::start_with(|c| c.outbox.retry_base_ms = 100).await;
    let key = s.api_key("demo").await;
    let addr = free_addr().await;
    let endpoint = s.webhook_endpoint(&key, &format!("http://{addr}/hooks")).await;
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    s.delivery_when(&key, id, |d| d["attempts"].as_u64() >= Some(1))
        .await;

    let s = s.restart().await;
    let mut receiver = Receiver::start_on(addr).await;
    let got = receiver.next().await;
    assert_eq!(got.json()["data"], lead("Ada"));
    s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
}

#[tokio::test]
async fn the_last_failed_attempt_is_dead_and_redelivery_sends_it_again() {
    let s = TestServer::start_with(|c| {
        c.outbox.retry_base_ms = 50;
        c.outbox.max_attempts = 3;
    })
    .await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    receiver.always(Reply::status(500));
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    s.enqueue("demo", None, lead("Ada"), &[webhook(&endpoint)]).await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert_eq!(
        (dead["attempts"].as_u64(), dead["last_status"].as_u64()),
        (Some(3), Some(500))
    );
    assert_eq!(dead["next_attempt_at"], Value::Null);
    let attempts = receiver.drain();
    assert_eq!(attempts.len(), 3);
    let message_id = attempts[0].header("webhook-id").to_owned();
    assert!(attempts.iter().all(|a| a.header("webhook-id") == message_id));

    receiver.always(Reply::status(200));
    let res = s
        .management(Method::POST, &format!("/deliveries/{id}/redeliver"), &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let queued: Value = res.json().await.unwrap();
    assert_eq!(queued["status"], "pending");
    let again = receiver.next().await;
    assert_eq!(
        again.header("webhook-id"),
        message_id,
        "redelivery keeps the message id"
    );
    let delivered = s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
    assert_eq!(delivered["attempts"], 1);
    assert!(delivered["delivered_at"].is_string());

    // Every attempt is listed, oldest first: three answered 500, then the redelivery's 200
    // numbered from 1 again; pages of two.
    let attempts_path = format!("/deliveries/{id}/attempts");
    let first = s.get_ok(&format!("{attempts_path}?limit=2"), &key).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let rest = s
        .get_ok(&format!("{attempts_path}?limit=2&cursor={cursor}"), &key)
        .await;
    assert_eq!(rest["next_cursor"], Value::Null);
    let listed: Vec<(u64, u64, bool)> = [
        first["items"].as_array().unwrap(),
        rest["items"].as_array().unwrap(),
    ]
    .into_iter()
    .flatten()
    .map(|a| {
        assert!(a["ended_at"].as_str().unwrap().ends_with('Z'));
        assert!(a["duration_ms"].is_u64());
        (
            a["attempt"].as_u64().unwrap(),
            a["status"].as_u64().unwrap(),
            a["error"].is_string(),
        )
    })
    .collect();
    assert_eq!(
        listed,
        [(1, 500, true), (2, 500, true), (3, 500, true), (1, 200, false)]
    );

    // A delivered one can be sent again too; a pending one cannot.
    receiver.always(Reply::status(503).header("retry-after", "3600"));
    let path = format!("/deliveries/{id}/redeliver");
    let res = s.management(Method::POST, &path, &key).send().await.unwrap();
    assert_eq!(res.status(), 200);
    receiver.next().await;
    s.delivery_when(&key, id, |d| d["last_status"] == 503).await;
    let res = s.management(Method::POST, &path, &key).send().await.unwrap();
    assert_problem(res, 409, "conflict").await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s.management(Method::POST, &path, &other).send().await.unwrap();
    assert_problem(res, 404, "not_found").await;
    let res = s
        .management(Method::GET, &attempts_path, &other)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn deliveries_are_listed_newest_first_with_filters() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    let one = s.webhook_endpoint(&key, &receiver.url("/one")).await;
    let two = s.webhook_endpoint(&key, &receiver.url("/two")).await;
    s.enqueue(
        "demo",
        None,
        lead("Ada"),
        &[webhook(&one), webhook(&two), webhook(&one)],
    )
    .await;
    for _ in 0..3 {
        receiver.next().await;
    }
    let all = s.get_ok("/deliveries?limit=2", &key).await;
    let ids: Vec<i64> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert!(ids[0] > ids[1]);
    let rest = s
        .get_ok(
            &format!(
                "/deliveries?limit=2&cursor={}",
                all["next_cursor"].as_str().unwrap()
            ),
            &key,
        )
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    let to_one = s
        .get_ok(&format!("/deliveries?endpoint_id={}", one["id"]), &key)
        .await;
    assert_eq!(to_one["items"].as_array().unwrap().len(), 2);
    for d in to_one["items"].as_array().unwrap() {
        s.delivery_when(&key, d["id"].as_i64().unwrap(), |d| d["status"] == "delivered")
            .await;
    }
    let dead = s.get_ok("/deliveries?status=dead", &key).await;
    assert_eq!(dead["items"], json!([]));
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    assert_eq!(s.get_ok("/deliveries", &other).await["items"], json!([]));
}

#[tokio::test]
async fn subscriber_automations_tag_set_fields_and_start_a_flow_in_order() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let subscriber = session.subscriber_id.as_str().to_owned();
    let automations = [
        Automation::AddTags {
            tags: vec!["lead".into(), "cold".into()],
        },
        Automation::RemoveTags {
            tags: vec!["cold".into()],
        },
        Automation::SetFields {
            fields: BTreeMap::from([
                ("first_name".to_owned(), "{{values.name}}".to_owned()),
                ("topics".to_owned(), "{{values.topics}}".to_owned()),
                ("phone".to_owned(), "{{values.phone|none}}".to_owned()),
            ]),
        },
        Automation::StartFlow {
            flow_id: "hours".into(),
        },
    ];
    s.enqueue("demo", Some(&subscriber), lead("Ada"), &automations)
        .await;
    let newest = s.last_delivery(&key).await["id"].as_i64().unwrap();
    for id in newest - 3..=newest {
        s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
    }
    let profile = s.get_ok(&format!("/subscribers/{subscriber}"), &key).await;
    assert_eq!(profile["tags"], json!(["lead"]));
    assert_eq!(profile["fields"]["first_name"], "Ada");
    assert_eq!(profile["fields"]["topics"], "roses, tulips");
    assert_eq!(profile["fields"]["phone"], "none");
    let history = s.history(&session.session_token).await;
    let last = serde_json::to_value(history.last().unwrap()).unwrap();
    assert!(last.to_string().contains("We're open Monday to Friday"), "{last}");

    // Without a subscriber (or with a deleted one) they are dead at once.
    s.enqueue("demo", None, lead("Bob"), &automations[..1]).await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert_eq!(dead["last_error"], "the event has no subscriber");
}

#[tokio::test]
async fn two_workers_on_one_database_deliver_each_webhook_once() {
    let s = TestServer::start().await;
    let second = s.second_server().await;
    let key = s.api_key("demo").await;
    let workspace_id = s.workspace_id("demo").await;
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    let automations: Vec<_> = (0..40).map(|_| webhook(&endpoint)).collect();
    s.enqueue("demo", None, lead("Ada"), &automations[..20]).await;
    enqueue(
        second.state(),
        workspace_id,
        None,
        lead("Bob"),
        &automations[20..],
    )
    .await;
    let mut seen = HashSet::new();
    for _ in 0..40 {
        let got = receiver.next().await;
        assert!(
            seen.insert(got.header("webhook-id").to_owned()),
            "a webhook was delivered twice"
        );
    }
    s.deliveries_when(&key, "?status=delivered&limit=100", 40).await;
    assert!(receiver.drain().is_empty());
    second.shutdown().await.unwrap();
}

/// How many times the demo flow `quote_greeting` greeted in `history`.
fn quote_greetings(history: &[Message]) -> usize {
    history
        .iter()
        .filter(|m| m.content.text.contains("thanks for your quote request"))
        .count()
}

#[tokio::test]
async fn a_flow_start_whose_lease_ran_out_starts_nothing_and_the_next_holder_starts_it_once() {
    let s = TestServer::start().await;
    let second = s.second_server().await;
    let state = second.state();
    let key = s.api_key("demo").await;
    let workspace_id = s.workspace_id("demo").await;
    let visitor = s.session().await;
    // Due in an hour, so no worker of the two servers takes it on its own.
    let due = clock::now_ms() + 3_600_000;
    let start = Automation::StartFlow {
        flow_id: "quote_greeting".into(),
    };
    let mut conn = state.db.acquire().await.unwrap();
    let row = NewRow {
        workspace_id,
        message_id: "msg_lease_test",
        event_type: "lead.created",
        subscriber_id: Some(visitor.subscriber_id.as_str()),
        automation: &start,
        data: "{}",
        created_at: &clock::now_rfc3339(),
        due_at_ms: due,
    };
    insert(&mut conn, &row).await.unwrap();
    // A worker claims it and stalls (or dies) past its lease; another claims it then.
    let stalled = claim(&mut conn, due, LEASE_MS, "lease-a", 1)
        .await
        .unwrap()
        .remove(0);
    let next = claim(&mut conn, due + LEASE_MS, LEASE_MS, "lease-b", 1)
        .await
        .unwrap()
        .remove(0);
    drop(conn);
    let worker = Worker::new(OutboxConfig::default()).unwrap();

    // The stalled attempt comes back: it no longer holds the row, so its flow start is undone
    // with the marking it could not make.
    subscriber::deliver(state, &worker, stalled).await.unwrap();
    assert_eq!(quote_greetings(&s.history(&visitor.session_token).await), 0);

    subscriber::deliver(state, &worker, next).await.unwrap();
    assert_eq!(quote_greetings(&s.history(&visitor.session_token).await), 1);
    let delivered = s.get_ok("/deliveries?status=delivered", &key).await;
    assert_eq!(delivered["items"].as_array().unwrap().len(), 1);
    assert_eq!(delivered["items"][0]["attempts"], 2);
    second.shutdown().await.unwrap();
}
