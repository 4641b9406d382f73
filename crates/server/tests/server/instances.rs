//! Several server instances on one PostgreSQL schema: a visitor's event stream on one
//! instance gets, live, once each and in order, what the other instances store — bot
//! replies, agent messages, delayed output. Skipped (with a note) on SQLite.

use crate::common::TestServer;
use parlo_model::chat::{Author, StreamEvent};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_stream_on_one_instance_gets_what_another_instance_stores() {
    let a = TestServer::start().await;
    let Some(b) = a.another_instance().await else {
        eprintln!("skipped: several instances need PostgreSQL (PARLO_TEST_DATABASE_URL)");
        return;
    };
    let session = a.session().await;
    let token = &session.session_token;
    let mut sse = a.events(token, "", None).await;
    let (_, greeting) = sse.next_message().await;

    // The visitor's next requests reach B: B's bot answers, A's stream shows it.
    let answer = b.press(token, &greeting, "Get our newsletter").await;
    assert!(!answer.is_empty());
    for expected in &answer {
        assert_eq!(&sse.next_message().await.1, expected, "B's reply, live on A");
    }
    let answer = b.say(token, "ada@example.com").await;
    assert_eq!(sse.next_message().await.1, answer[0]);
    // The thanks follows a delay step: a typing indicator, then the delayed message, from
    // whichever instance's scheduler delivers it.
    let typing = sse.next().await;
    assert_eq!(typing.event, "typing");
    assert!(matches!(typing.parse(), StreamEvent::Typing { duration_ms } if duration_ms <= 800));
    let (seq, thanks) = sse.next_message().await;
    assert_eq!(seq, answer[0].seq + 1);
    assert!(thanks.content.text.starts_with("Thanks! You're on the list"));

    // A human agent writes through B's management API.
    let key = b.api_key("demo").await;
    let path = format!("/subscribers/{}/messages", session.subscriber_id);
    let res = b
        .send_json(Method::POST, &path, &key, &json!({"text": "Hi, this is Sam."}))
        .await;
    assert_eq!(res.status(), 200);
    let (seq, agent) = sse.next_message().await;
    assert_eq!(
        (seq, agent.author, agent.content.text.as_str()),
        (thanks.seq + 1, Author::Agent, "Hi, this is Sam.")
    );

    // Nothing came twice: the next event is the next message, whichever instance stores it.
    let answer = a.say(token, "menu").await;
    assert_eq!(sse.next_message().await.1, answer[0]);
    assert_eq!(answer[0].seq, agent.seq + 1);
    let history = a.history(token).await;
    assert_eq!(history.last().map(|m| m.seq), answer.last().map(|m| m.seq));
}
