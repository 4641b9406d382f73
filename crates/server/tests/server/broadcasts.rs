//! Management API: broadcasts reach each subscriber of their audience once, in their
//! conversation (live in an open widget), at `send_at`, not after a cancel, not twice
//! across a restart mid-send, and at their rate across server instances; a recipient is
//! `read` once their widget reports it showed the messages.

use crate::common::webhooks::{Receiver, SmtpSink};
use crate::common::{Sse, TestServer, assert_problem, error_pointers};
use parlo_model::chat::{Message, Session};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Creates a subscriber of the demo channel with `tags`; answers its id.
async fn subscriber(s: &TestServer, key: &str, tags: &[&str]) -> String {
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            key,
            &json!({"channel_id": "demo", "tags": tags}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// Creates broadcast `body`; asserts a 201 and answers it.
async fn create(s: &TestServer, key: &str, body: &Value) -> Value {
    let res = s.send_json(Method::POST, "/broadcasts", key, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A broadcast of one text message to `audience`.
fn text_broadcast(text: &str, audience: Value) -> Value {
    json!({
        "name": "Spring",
        "content": {"type": "messages", "messages": [{"type": "text", "text": text}]},
        "audience": audience,
    })
}

/// Polls broadcast `id` until it is in `state` (at most 20 s); answers it.
async fn wait_for(s: &TestServer, key: &str, id: &Value, state: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let broadcast = s.get_ok(&format!("/broadcasts/{id}"), key).await;
        if broadcast["state"] == state {
            return broadcast;
        }
        assert!(Instant::now() < deadline, "never {state}: {broadcast}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A visitor with the widget open (their event stream), tagged `tag`: the session, the
/// stream, and the `seq` of the greeting already in their conversation.
async fn tagged_visitor(s: &TestServer, key: &str, tag: &str) -> (Session, Sse, u64) {
    let session = s.session().await;
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{}/tags", session.subscriber_id),
            key,
            &json!({"tags": [tag]}),
        )
        .await;
    assert!(res.status().is_success());
    let mut sse = s.events(&session.session_token, "", None).await;
    let (_, greeting) = sse.next_message().await;
    (session, sse, greeting.seq)
}

/// Reports, as the widget of session `token` does, that it showed the messages up to `seq`.
async fn read(s: &TestServer, token: &str, seq: u64) {
    let res = s
        .client
        .post(s.channel("/read"))
        .bearer_auth(token)
        .json(&json!({"seq": seq}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

/// How many messages with `text` the subscriber's conversation holds.
async fn count(s: &TestServer, key: &str, subscriber_id: &str, text: &str) -> usize {
    let messages: Vec<Message> = s.conversation(key, subscriber_id, "").await;
    messages.iter().filter(|m| m.content.text == text).count()
}

/// Creates `hundreds` × 100 subscribers of the demo channel tagged `vip`; answers their ids.
async fn vip_subscribers(s: &TestServer, key: &str, hundreds: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..hundreds {
        let subscribers: Vec<Value> = (0..100)
            .map(|_| json!({"channel_id": "demo", "tags": ["vip"]}))
            .collect();
        let res = s
            .send_json(
                Method::POST,
                "/subscribers/batch",
                key,
                &json!({"subscribers": subscribers}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.unwrap();
        let items = created["items"].as_array().unwrap();
        ids.extend(items.iter().map(|s| s["id"].as_str().unwrap().to_owned()));
    }
    ids
}

#[tokio::test]
async fn a_broadcast_to_a_tag_reaches_each_tagged_subscriber_once_and_live() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let tagged = [
        subscriber(&s, &key, &["vip"]).await,
        subscriber(&s, &key, &["vip", "newsletter"]).await,
    ];
    let untagged = subscriber(&s, &key, &["newsletter"]).await;
    // A visitor with the widget open, tagged too: the message arrives on their stream.
    let (session, mut sse, greeting) = tagged_visitor(&s, &key, "vip").await;

    let text = "Spring bouquets are in!";
    let created = create(&s, &key, &text_broadcast(text, json!({"tags": ["vip"]}))).await;
    assert_eq!(created["rate_per_second"], 20);
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(
        done["statistics"],
        json!({"targeted": 3, "sent": 3, "delivered_live": 1, "emailed": 0, "read": 0, "failed": 0, "pending": 0})
    );
    assert!(done["finished_at"].is_string());

    let (seq, live) = sse.next_message().await;
    assert_eq!((seq, live.content.text.as_str()), (greeting + 1, text));
    // Read once the widget reports it showed the message, not before.
    let statistics = |broadcast: Value| broadcast["statistics"]["read"].clone();
    let path = format!("/broadcasts/{}", created["id"]);
    read(&s, &session.session_token, greeting).await;
    assert_eq!(statistics(s.get_ok(&path, &key).await), 0);
    read(&s, &session.session_token, seq).await;
    read(&s, &session.session_token, seq).await;
    assert_eq!(statistics(s.get_ok(&path, &key).await), 1);
    for id in tagged.iter().chain([&session.subscriber_id.to_string()]) {
        assert_eq!(count(&s, &key, id, text).await, 1, "{id}");
    }
    assert_eq!(count(&s, &key, &untagged, text).await, 0);

    let recipients = s
        .get_ok(&format!("/broadcasts/{}/recipients?limit=2", created["id"]), &key)
        .await;
    assert_eq!(recipients["items"][0]["subscriber_id"], tagged[0].as_str());
    assert_eq!(recipients["items"][0]["state"], "sent");
    let cursor = recipients["next_cursor"].as_str().unwrap();
    let rest = s
        .get_ok(
            &format!("/broadcasts/{}/recipients?cursor={cursor}", created["id"]),
            &key,
        )
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    // Only the visitor with the widget open had it delivered live.
    assert_eq!(recipients["items"][0]["delivered_live"], false);
    assert_eq!(rest["items"][0]["subscriber_id"], session.subscriber_id.as_str());
    assert_eq!(rest["items"][0]["delivered_live"], true);
    assert!(rest["items"][0]["read_at"].is_string(), "{rest}");
    assert!(recipients["items"][0].get("read_at").is_none(), "{recipients}");

    let all = s.get_ok("/broadcasts", &key).await;
    assert_eq!(all["items"][0]["id"], created["id"]);
}

#[tokio::test]
async fn a_broadcast_at_the_highest_rate_reaches_everyone_once_after_their_own_messages() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let ids = vip_subscribers(&s, &key, 6).await;
    // Two visitors with the widget open and a greeting in their conversation already.
    let mut visitors = Vec::new();
    for _ in 0..2 {
        visitors.push(tagged_visitor(&s, &key, "vip").await);
    }

    let mut body = text_broadcast("Everyone at once", json!({"tags": ["vip"]}));
    body["content"]["messages"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "text", "text": "And a second message"}));
    body["rate_per_second"] = json!(100_000);
    let created = create(&s, &key, &body).await;
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(
        done["statistics"],
        json!({"targeted": 602, "sent": 602, "delivered_live": 2, "emailed": 0, "read": 0, "failed": 0, "pending": 0})
    );
    for (session, sse, greeting) in &mut visitors {
        let (first, message) = sse.next_message().await;
        assert_eq!(
            (first, message.content.text.as_str()),
            (*greeting + 1, "Everyone at once")
        );
        let (second, message) = sse.next_message().await;
        assert_eq!(
            (second, message.content.text.as_str()),
            (*greeting + 2, "And a second message")
        );
        // The conversation goes on after the broadcast's messages.
        let res = s
            .send_json(
                Method::POST,
                &format!("/subscribers/{}/send-content", session.subscriber_id),
                &key,
                &json!({"messages": [{"type": "text", "text": "Next"}]}),
            )
            .await;
        assert_eq!(res.status(), 200);
        let (next, _) = sse.next_message().await;
        assert_eq!(next, *greeting + 3);
        read(&s, &session.session_token, second).await;
    }
    let done = s.get_ok(&format!("/broadcasts/{}", created["id"]), &key).await;
    assert_eq!(done["statistics"]["read"], 2);
    for id in ids.iter().step_by(37).chain([ids.last().unwrap()]) {
        assert_eq!(count(&s, &key, id, "Everyone at once").await, 1, "{id}");
        assert_eq!(count(&s, &key, id, "And a second message").await, 1, "{id}");
    }
}

#[tokio::test]
async fn a_segment_or_all_tags_select_subscribers_and_a_paused_bot_fails_a_flow() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "plan", "type": "text"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    s.put_flow(
        &key,
        &json!({"id": "promo", "name": "Promo", "start": "a",
                "steps": {"a": {"type": "message", "text": "Hello {{payload.season}} {{plan|friend}}"}}}),
    )
    .await;
    let gold = subscriber(&s, &key, &["vip", "newsletter"]).await;
    let paused = subscriber(&s, &key, &["vip", "newsletter"]).await;
    let other = subscriber(&s, &key, &["vip"]).await;
    let path = format!("/subscribers/{gold}/fields");
    let res = s
        .send_json(
            Method::PATCH,
            &path,
            &key,
            &json!({"fields": [{"field": "plan", "value": "gold"}]}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let res = s
        .request(Method::POST, &format!("/subscribers/{paused}/pause-bot"), &key)
        .await;
    assert!(res.status().is_success());

    // Both tags: `gold` and `paused`, not `other`; the flow fails for the paused one.
    let flow = json!({"type": "flow", "flow_id": "promo", "payload": {"season": "spring"}});
    let body = json!({"name": "Promo", "content": flow,
                      "audience": {"tags": ["vip", "newsletter"], "match": "all"}});
    let created = create(&s, &key, &body).await;
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(
        done["statistics"],
        json!({"targeted": 2, "sent": 1, "delivered_live": 0, "emailed": 0, "read": 0, "failed": 1, "pending": 0})
    );
    let recipients = s
        .get_ok(&format!("/broadcasts/{}/recipients", created["id"]), &key)
        .await;
    let failed = &recipients["items"][1];
    assert_eq!(
        (&failed["subscriber_id"], &failed["state"]),
        (&json!(paused), &json!("failed"))
    );
    assert!(failed["reason"].as_str().unwrap().contains("paused"), "{failed}");
    assert_eq!(count(&s, &key, &gold, "Hello spring gold").await, 1);
    assert_eq!(count(&s, &key, &other, "Hello spring friend").await, 0);

    // A segment: the plan is set.
    let segment = json!({"conditions": [{"type": "field", "field": "plan", "op": "is_set"}]});
    let created = create(&s, &key, &text_broadcast("For gold members", segment)).await;
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(done["statistics"]["targeted"], 1);
    assert_eq!(count(&s, &key, &gold, "For gold members").await, 1);
}

#[tokio::test]
async fn a_finished_broadcast_runs_its_automations() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/hooks")).await;
    subscriber(&s, &key, &["vip"]).await;
    let mut body = text_broadcast("Hi", json!({"tags": ["vip"]}));
    body["automations"] = json!([{"type": "webhook", "endpoint_id": endpoint["id"]}]);
    let created = create(&s, &key, &body).await;
    assert_eq!(created["automations"], body["automations"]);
    let got = receiver.next().await;
    let event: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(event["type"], "broadcast.finished");
    assert_eq!(event["data"]["id"], created["id"]);
    assert_eq!(event["data"]["state"], "done");
    assert_eq!(event["data"]["statistics"]["sent"], 1);
}

#[tokio::test]
async fn a_scheduled_broadcast_is_sent_at_its_time_not_before() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let id = subscriber(&s, &key, &[]).await;
    let send_at = time::OffsetDateTime::now_utc() + Duration::from_secs(2);
    let send_at = send_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut body = text_broadcast("Later", json!({"subscriber_ids": [id]}));
    body["send_at"] = json!(send_at);
    let created = create(&s, &key, &body).await;
    assert_eq!(created["state"], "scheduled");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(count(&s, &key, &id, "Later").await, 0);
    let broadcast = s.get_ok(&format!("/broadcasts/{}", created["id"]), &key).await;
    assert_eq!(broadcast["state"], "scheduled");
    assert_eq!(broadcast["statistics"]["targeted"], 0);

    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert!(done["started_at"].as_str().unwrap() >= created["send_at"].as_str().unwrap());
    assert_eq!(count(&s, &key, &id, "Later").await, 1);
}

#[tokio::test]
async fn a_cancelled_broadcast_sends_nothing() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let id = subscriber(&s, &key, &["vip"]).await;
    let mut body = text_broadcast("Never", json!({"tags": ["vip"]}));
    body["send_at"] = json!("2099-01-01T00:00:00+01:00");
    let created = create(&s, &key, &body).await;
    assert_eq!(created["send_at"], "2098-12-31T23:00:00.000Z");
    let path = format!("/broadcasts/{}/cancel", created["id"]);
    let res = s.request(Method::POST, &path, &key).await;
    assert_eq!(res.status(), 200);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["state"], "cancelled");
    assert!(cancelled["cancelled_at"].is_string());
    // Cancelling again answers it unchanged.
    let res = s.request(Method::POST, &path, &key).await;
    assert_eq!(res.json::<Value>().await.unwrap(), cancelled);

    // Sent now, then cancelled: nothing either, as long as no recipient was sent to yet.
    let mut body = text_broadcast("Never", json!({"tags": ["vip"]}));
    body["send_at"] = json!(
        (time::OffsetDateTime::now_utc() + Duration::from_secs(1))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    let soon = create(&s, &key, &body).await;
    let res = s
        .request(Method::POST, &format!("/broadcasts/{}/cancel", soon["id"]), &key)
        .await;
    assert_eq!(res.status(), 200);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(count(&s, &key, &id, "Never").await, 0);
    let broadcast = s.get_ok(&format!("/broadcasts/{}", soon["id"]), &key).await;
    assert_eq!(broadcast["state"], "cancelled");
    let recipients = s
        .get_ok(&format!("/broadcasts/{}/recipients", soon["id"]), &key)
        .await;
    assert_eq!(recipients["items"], json!([]));

    // A broadcast that is done cannot be cancelled.
    let sent = create(&s, &key, &text_broadcast("Now", json!({"tags": ["vip"]}))).await;
    wait_for(&s, &key, &sent["id"], "done").await;
    let res = s
        .request(Method::POST, &format!("/broadcasts/{}/cancel", sent["id"]), &key)
        .await;
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn a_broadcast_cancelled_mid_send_stops_at_once_and_sends_no_one_twice() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let ids = vip_subscribers(&s, &key, 5).await;
    // 500 recipients at 200 a second: batches of 20, two and a half seconds in all.
    let mut body = text_broadcast("Until cancelled", json!({"tags": ["vip"]}));
    body["rate_per_second"] = json!(200);
    let created = create(&s, &key, &body).await;
    let path = format!("/broadcasts/{}", created["id"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let broadcast = s.get_ok(&path, &key).await;
        if broadcast["statistics"]["sent"].as_u64().unwrap() >= 100 {
            break;
        }
        assert!(Instant::now() < deadline, "never half-sent: {broadcast}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let res = s.request(Method::POST, &format!("{path}/cancel"), &key).await;
    assert_eq!(res.status(), 200);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["state"], "cancelled");
    let sent = cancelled["statistics"]["sent"].as_u64().unwrap();
    assert!(sent < 500, "the send was over before the cancel: {cancelled}");
    // The rest are never sent to (`pending` counts them, as the statistics document).
    assert_eq!(cancelled["statistics"]["pending"], 500 - sent, "{cancelled}");

    // A second later (ten batches' time) nobody more has it, and each who has it has it once.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let later = s.get_ok(&path, &key).await;
    assert_eq!(later["statistics"], cancelled["statistics"]);
    let mut reached = 0;
    for id in &ids {
        match count(&s, &key, id, "Until cancelled").await {
            0 => {}
            1 => reached += 1,
            n => panic!("{id} has the broadcast {n} times"),
        }
    }
    assert_eq!(reached, sent);
}

#[tokio::test]
async fn bad_bodies_list_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let body = json!({
        "name": " ",
        "content": {"type": "messages", "messages": []},
        "audience": {"subscriber_ids": ["sub_00000000000000000000"], "tags": ["no-such-tag"],
                     "channel_id": "nowhere"},
        "send_at": "tomorrow",
        "rate_per_second": 0,
    });
    let res = s.send_json(Method::POST, "/broadcasts", &key, &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/name",
            "/content/messages",
            "/audience",
            "/audience/subscriber_ids/0",
            "/audience/tags/0",
            "/audience/channel_id",
            "/send_at",
            "/rate_per_second",
        ]
    );

    let body = json!({
        "name": "Segment",
        "content": {"type": "flow", "flow_id": "no-such-flow", "payload": {"bad key": "x"}},
        "audience": {"conditions": [
            {"type": "field", "field": "no_such_field", "op": "equals"},
            {"type": "business_hours", "open": true},
            {"type": "has_tag", "tag": "no-such-tag"}
        ]},
        "automations": [{"type": "add_tags", "tags": ["x"]}, {"type": "webhook", "endpoint_id": 999}],
        "email_copy": true,
    });
    let res = s.send_json(Method::POST, "/broadcasts", &key, &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/content/flow_id",
            "/content/payload/bad key",
            "/email_copy",
            "/audience/conditions/0/value",
            "/audience/conditions/0/field",
            "/audience/conditions/2/tag",
            "/audience/conditions/1",
            "/automations/0",
            "/automations/1/endpoint_id",
        ]
    );

    let body = json!({"name": "x", "content": {"type": "messages", "messages": [{"type": "text", "text": "hi"}]},
                      "audience": {"tags": ["vip"]}, "extra": 1});
    let res = s.send_json(Method::POST, "/broadcasts", &key, &body).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = s.request(Method::GET, "/broadcasts/0", &key).await;
    assert_problem(res, 400, "invalid_id").await;
    let res = s.request(Method::GET, "/broadcasts/42", &key).await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn a_restart_mid_send_sends_to_each_recipient_exactly_once() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(subscriber(&s, &key, &["vip"]).await);
    }
    let mut body = text_broadcast("Once only", json!({"tags": ["vip"]}));
    body["rate_per_second"] = json!(5);
    let created = create(&s, &key, &body).await;
    // Some recipients are sent to, not all.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let broadcast = s.get_ok(&format!("/broadcasts/{}", created["id"]), &key).await;
        let sent = broadcast["statistics"]["sent"].as_u64().unwrap();
        if sent >= 3 {
            assert!(sent < 12, "sent to everyone before the restart");
            break;
        }
        assert!(Instant::now() < deadline, "{broadcast}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let s = s.restart().await;
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(
        done["statistics"],
        json!({"targeted": 12, "sent": 12, "delivered_live": 0, "emailed": 0, "read": 0, "failed": 0, "pending": 0})
    );
    for id in &ids {
        assert_eq!(count(&s, &key, id, "Once only").await, 1, "{id}");
    }
}

#[tokio::test]
async fn two_instances_send_one_broadcast_to_each_recipient_once_at_its_rate() {
    let a = TestServer::start().await;
    let key = a.api_key("demo").await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(subscriber(&a, &key, &["vip"]).await);
    }
    let mut body = text_broadcast("From both", json!({"tags": ["vip"]}));
    body["rate_per_second"] = json!(5);
    body["send_at"] = json!(
        (time::OffsetDateTime::now_utc() + Duration::from_millis(2000))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    );
    let created = create(&a, &key, &body).await;
    // Started now, the second instance sees the broadcast due and sends it too.
    let Some(b) = a.another_instance().await else {
        eprintln!("skipped: several instances need PostgreSQL (PARLO_TEST_DATABASE_URL)");
        return;
    };
    let done = wait_for(&b, &key, &created["id"], "done").await;
    // The rate is the broadcast's, not each instance's: 20 recipients at 5 a second take
    // about 4 s (3.8 s from the first to the last), not 2 s.
    let at = |member: &str| {
        time::OffsetDateTime::parse(
            done[member].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    let took = at("finished_at") - at("started_at");
    assert!(took >= time::Duration::milliseconds(3_400), "{took}");
    assert_eq!(
        done["statistics"],
        json!({"targeted": 20, "sent": 20, "delivered_live": 0, "emailed": 0, "read": 0, "failed": 0, "pending": 0})
    );
    for id in &ids {
        assert_eq!(count(&b, &key, id, "From both").await, 1, "{id}");
    }
}

/// The URL of `List-Unsubscribe: <…>` in the raw e-mail `data`.
fn unsubscribe_url(data: &str) -> String {
    let start = data.find("List-Unsubscribe: <").expect("no List-Unsubscribe") + "List-Unsubscribe: <".len();
    let end = start + data[start..].find('>').unwrap();
    data[start..end].to_owned()
}

#[tokio::test]
async fn email_copies_go_to_subscribers_with_an_address_until_they_unsubscribe() {
    let mut sink = SmtpSink::start().await;
    let url = sink.url();
    let s = TestServer::start_with(|c| c.outbox.smtp_url = Some(url)).await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({"channel_id": "demo", "email": "ada@example.com", "tags": ["vip"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ada = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    subscriber(&s, &key, &["vip"]).await;

    let mut body = text_broadcast("Spring bouquets are in!", json!({"tags": ["vip"]}));
    body["email_copy"] = json!(true);
    let created = create(&s, &key, &body).await;
    assert_eq!(created["email_copy"], true);
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(done["statistics"]["emailed"], 1);
    let recipients = s
        .get_ok(&format!("/broadcasts/{}/recipients", created["id"]), &key)
        .await;
    assert_eq!(recipients["items"][0]["email_copy"], "queued");
    assert_eq!(recipients["items"][1]["email_copy"], "no_address");

    let mail = sink.next().await;
    assert_eq!(mail.to, ["<ada@example.com>"]);
    assert!(mail.data.contains("Subject: Spring"), "{}", mail.data);
    assert!(mail.data.contains("Spring bouquets are in!"), "{}", mail.data);
    assert!(
        mail.data
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{}",
        mail.data
    );
    let link = unsubscribe_url(&mail.data);
    let client = reqwest::Client::new();
    let page = client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form method=\"post\">"));
    let forged = format!("{}0", &link[..link.len() - 1]);
    let forged = if forged == link {
        format!("{}1", &link[..link.len() - 1])
    } else {
        forged
    };
    assert_eq!(client.post(&forged).send().await.unwrap().status(), 404);
    assert!(s.get_ok(&format!("/subscribers/{ada}"), &key).await["email_opted_out_at"].is_null());

    // RFC 8058 one-click: a POST with `List-Unsubscribe=One-Click`.
    let res = client
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(s.get_ok(&format!("/subscribers/{ada}"), &key).await["email_opted_out_at"].is_string());

    let created = create(&s, &key, &body).await;
    let done = wait_for(&s, &key, &created["id"], "done").await;
    assert_eq!(done["statistics"]["emailed"], 0);
    let recipients = s
        .get_ok(&format!("/broadcasts/{}/recipients", created["id"]), &key)
        .await;
    assert_eq!(recipients["items"][0]["email_copy"], "opted_out");
}

#[tokio::test]
async fn a_copy_still_retrying_is_not_sent_once_its_subscriber_opts_out() {
    // An SMTP server that refuses connections: the copy stays pending, retried.
    let s = TestServer::start_with(|c| {
        c.outbox.smtp_url = Some("smtp://127.0.0.1:1".to_owned());
        c.outbox.retry_base_ms = 300;
    })
    .await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({"channel_id": "demo", "email": "ada@example.com", "tags": ["vip"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mut body = text_broadcast("Spring bouquets are in!", json!({"tags": ["vip"]}));
    body["email_copy"] = json!(true);
    let created = create(&s, &key, &body).await;
    wait_for(&s, &key, &created["id"], "done").await;
    let copy = s.last_delivery(&key).await;
    assert_eq!(copy["event_type"], "broadcast.email_copy");
    let id = copy["id"].as_i64().unwrap();
    s.delivery_when(&key, id, |d| d["attempts"].as_u64() >= Some(1))
        .await;

    let link = copy["data"]["unsubscribe_url"].as_str().unwrap();
    let res = reqwest::Client::new().post(link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert_eq!(dead["last_error"], "the subscriber opted out of e-mail copies");
}
