//! Webhook, owner-notification and hand-over steps through the real public chat API, with
//! a real local receiver and SMTP sink: the call is signed, saves fields from the answer
//! and branches on success or failure (timeout, refused address, oversized answer); a
//! hand-over pauses the bot, leaves its notice and notifies the owner.

use crate::common::webhooks::{Receiver, Reply, SmtpSink, WAIT};
use crate::common::{TestServer, bot_texts};
use parlo_model::chat::{Author, Message};
use parlo_server::clock;
use parlo_server::outbox::signature::{Secret, verify};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A flow `order` started by the keyword `order`: asks for the order number, calls
/// endpoint `endpoint` (waiting at most `timeout` s) and tells the status it answered, or
/// apologises.
async fn order_flow(s: &TestServer, key: &str, endpoint: i64, timeout: u32) {
    s.put_flow(
        key,
        &json!({
            "id": "order", "name": "Order status", "start": "ask",
            "steps": {
                "ask": {"type": "question", "text": "Your order number?", "field": "order", "kind": "text", "next": "call"},
                "call": {"type": "webhook", "endpoint_id": endpoint, "timeout_seconds": timeout,
                         "save": {"order_status": "/order/status"}, "next": "tell", "failure": "sorry"},
                "tell": {"type": "message", "text": "Order {{order}} is {{order_status}}."},
                "sorry": {"type": "message", "text": "I cannot look that up right now."}
            }
        }),
    )
    .await;
    let body = json!({"phrases": ["order"], "match": "exact", "flow": "order"});
    let res = s
        .send_json(Method::POST, "/channels/demo/keywords", key, &body)
        .await;
    assert_eq!(res.status(), 201);
}

/// The visitor's history once it holds a message after `seq` for which `done` holds.
async fn history_when(
    s: &TestServer,
    token: &str,
    seq: u64,
    done: impl Fn(&Message) -> bool,
) -> Vec<Message> {
    let deadline = Instant::now() + WAIT;
    loop {
        let history = s.history(token).await;
        if history.iter().any(|m| m.seq > seq && done(m)) {
            return history;
        }
        assert!(Instant::now() < deadline, "no such message: {history:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asks the order flow about `order` and answers the bot's text after the call.
async fn ask_order(s: &TestServer, token: &str, order: &str) -> String {
    s.say(token, "order").await;
    let said = s.say(token, order).await;
    assert_eq!(
        bot_texts(&said),
        Vec::<&str>::new(),
        "the flow waits for the call"
    );
    let seq = said.last().unwrap().seq;
    let history = history_when(s, token, seq, |m| m.author == Author::Bot).await;
    history.last().unwrap().content.text.clone()
}

async fn outcomes(s: &TestServer, key: &str, step: &str) -> Value {
    let stats = s.get_ok("/flows/order/statistics", key).await;
    let steps = stats["steps"].as_array().unwrap();
    steps.iter().find(|x| x["step_id"] == step).unwrap()["outcomes"].clone()
}

#[tokio::test]
async fn a_signed_call_saves_fields_from_the_answer_for_the_next_message() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    receiver.always(Reply::json(
        &json!({"order": {"status": "shipped", "carrier": "DHL"}}),
    ));
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/orders")).await;
    order_flow(&s, &key, endpoint["id"].as_i64().unwrap(), 5).await;
    let visitor = s.session().await;

    let text = ask_order(&s, &visitor.session_token, "A-1042").await;
    assert_eq!(text, "Order A-1042 is shipped.");

    let call = receiver.next().await;
    let secret = Secret::parse(endpoint["secret"].as_str().unwrap()).unwrap();
    verify(
        &secret,
        call.header("webhook-id"),
        call.header("webhook-timestamp"),
        call.header("webhook-signature"),
        &call.body,
        clock::now_ms() / 1000,
    )
    .expect("signed like every delivery to the endpoint");
    let body = call.json();
    assert_eq!(body["type"], "flow.webhook");
    assert_eq!(body["data"]["flow_id"], "order");
    assert_eq!(body["data"]["step_id"], "call");
    assert_eq!(body["data"]["subscriber"]["id"], visitor.subscriber_id.as_str());
    assert_eq!(body["data"]["subscriber"]["fields"]["order"], "A-1042");
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["fields"]["order_status"], "shipped", "{subscriber}");
    assert_eq!(
        outcomes(&s, &key, "call").await,
        json!({"succeeded": 1, "failed": 0})
    );
}

#[tokio::test]
async fn a_slow_refused_or_oversized_answer_runs_the_failure_branch() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/orders")).await;
    order_flow(&s, &key, endpoint["id"].as_i64().unwrap(), 1).await;
    let visitor = s.session().await;
    let token = &visitor.session_token;

    // Answered after the step's 1 s timeout.
    receiver.script([Reply::json(&json!({"order": {"status": "late"}})).after(Duration::from_secs(3))]);
    assert_eq!(
        ask_order(&s, token, "A-1").await,
        "I cannot look that up right now."
    );
    // Over 64 KiB.
    let big = json!({"order": {"status": "x".repeat(70 * 1024)}});
    receiver.script([Reply::json(&big)]);
    assert_eq!(
        ask_order(&s, token, "A-2").await,
        "I cannot look that up right now."
    );
    // Not JSON, and a 500.
    let mut text = Reply::status(200);
    text.body = b"<html>OK</html>".to_vec();
    receiver.script([text, Reply::status(500)]);
    assert_eq!(
        ask_order(&s, token, "A-3").await,
        "I cannot look that up right now."
    );
    assert_eq!(
        ask_order(&s, token, "A-4").await,
        "I cannot look that up right now."
    );

    let subscriber = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    assert!(subscriber["fields"].get("order_status").is_none(), "{subscriber}");
    assert_eq!(
        outcomes(&s, &key, "call").await,
        json!({"succeeded": 0, "failed": 4})
    );
}

#[tokio::test]
async fn a_call_to_a_private_address_is_refused_without_the_opt_in() {
    // The endpoint was stored while the server allowed private addresses (as tests do).
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    receiver.always(Reply::json(&json!({"order": {"status": "shipped"}})));
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/orders")).await;
    order_flow(&s, &key, endpoint["id"].as_i64().unwrap(), 2).await;
    let s = s.restart_with(|c| c.outbox.allow_private_webhooks = false).await;
    let visitor = s.session().await;

    let text = ask_order(&s, &visitor.session_token, "A-1042").await;
    assert_eq!(text, "I cannot look that up right now.");
    assert!(receiver.drain().is_empty(), "nothing reached the private address");
}

#[tokio::test]
async fn a_hand_over_pauses_the_bot_leaves_a_notice_and_notifies_the_owner() {
    let mut sink = SmtpSink::start().await;
    let url = sink.url();
    let s = TestServer::start_with(|c| c.outbox.smtp_url = Some(url)).await;
    let key = s.api_key("demo").await;
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/desk")).await;
    s.put_flow(
        &key,
        &json!({
            "id": "human", "name": "Talk to a person", "start": "tell",
            "steps": {
                "tell": {"type": "notify_owner", "to": "owner@shop.example",
                         "text": "{{email|A visitor}} asked for a person", "next": "over"},
                "over": {"type": "hand_over", "email": "desk@shop.example", "endpoint_id": endpoint["id"]}
            }
        }),
    )
    .await;
    let body = json!({"phrases": ["human"], "match": "exact", "flow": "human"});
    let res = s
        .send_json(Method::POST, "/channels/demo/keywords", &key, &body)
        .await;
    assert_eq!(res.status(), 201);
    let visitor = s.newsletter_subscriber("ada@example.com").await;
    let token = &visitor.session_token;

    let said = s.say(token, "human").await;
    let notice = said.last().unwrap();
    assert_eq!(notice.author, Author::System);
    assert_eq!(notice.content.text, parlo_model::flow::HAND_OVER_NOTICE);
    let mut mails = [sink.next().await, sink.next().await];
    mails.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(mails[0].to, ["<desk@shop.example>"]);
    assert!(
        mails[0].data.contains("conversation.handed_over"),
        "{}",
        mails[0].data
    );
    assert_eq!(mails[1].to, ["<owner@shop.example>"]);
    assert!(
        mails[1].data.contains("text: ada@example.com asked for a person"),
        "{}",
        mails[1].data
    );
    let hook = receiver.next().await.json();
    assert_eq!(hook["type"], "conversation.handed_over");
    assert_eq!(hook["data"]["subscriber_id"], visitor.subscriber_id.as_str());

    let said = s.say(token, "hello?").await;
    assert_eq!(bot_texts(&said), Vec::<&str>::new(), "the bot is paused");
    let res = s
        .send_json(
            Method::POST,
            &format!("/subscribers/{}/send-flow", visitor.subscriber_id),
            &key,
            &json!({"flow_id": "human"}),
        )
        .await;
    assert_eq!(
        res.status(),
        409,
        "no flow starts while a person has the conversation"
    );
    let res = s
        .request(
            Method::DELETE,
            &format!("/webhook-endpoints/{}", endpoint["id"]),
            &key,
        )
        .await;
    assert_eq!(res.status(), 409, "the flow still calls the endpoint");
}
