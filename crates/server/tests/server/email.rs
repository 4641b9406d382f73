//! E-mail automations: the owner's notification reaches a real (local) SMTP server.

use crate::common::TestServer;
use crate::common::webhooks::SmtpSink;
use parlo_model::automation::Automation;
use serde_json::json;

fn email(to: &str) -> Vec<Automation> {
    vec![Automation::Email { to: to.to_owned() }]
}

#[tokio::test]
async fn the_notification_arrives_at_the_smtp_server() {
    let mut sink = SmtpSink::start().await;
    let url = sink.url();
    let s = TestServer::start_with(|c| {
        c.outbox.smtp_url = Some(url);
        c.outbox.smtp_from = "Parlo <parlo@shop.example>".to_owned();
    })
    .await;
    let key = s.api_key("demo").await;
    let data = json!({"form_id": "quote", "values": {"name": "Ada", "service": "wedding_flowers"}});
    s.enqueue("demo", None, data, &email("owner@shop.example")).await;

    let mail = sink.next().await;
    assert_eq!(mail.from, "<parlo@shop.example>");
    assert_eq!(mail.to, ["<owner@shop.example>"]);
    assert!(
        mail.data.contains("Subject: [Parlo] lead.created"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("To: owner@shop.example"), "{}", mail.data);
    assert!(mail.data.contains("values.name: Ada"), "{}", mail.data);
    assert!(
        mail.data.contains("values.service: wedding_flowers"),
        "{}",
        mail.data
    );
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let delivery = s.delivery_when(&key, id, |d| d["status"] == "delivered").await;
    let message_id = delivery["message_id"].as_str().unwrap();
    assert!(
        mail.data.contains(&format!("Message-ID: <{message_id}@parlo>")),
        "{}",
        mail.data
    );
}

#[tokio::test]
async fn without_smtp_the_notification_is_dead_with_the_reason() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.enqueue("demo", None, json!({}), &email("owner@shop.example"))
        .await;
    let id = s.last_delivery(&key).await["id"].as_i64().unwrap();
    let dead = s.delivery_when(&key, id, |d| d["status"] == "dead").await;
    assert_eq!(dead["last_error"], "SMTP is not configured (--smtp-url)");
}
