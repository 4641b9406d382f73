//! The realtime stream (SSE) and delayed bot messages.

use crate::common::{TestServer, assert_problem};
use parlo_model::chat::{Author, StreamEvent};

#[tokio::test]
async fn delayed_messages_arrive_on_the_stream_after_a_typing_event() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let mut sse = s.events(&token, "", None).await;
    let (seq, greeting) = sse.next_message().await;
    assert_eq!(seq, 1);

    let answer = s.press(&token, &greeting, "Get our newsletter").await;
    for expected in &answer {
        assert_eq!(
            &sse.next_message().await.1,
            expected,
            "live messages in seq order"
        );
    }
    let answer = s.say(&token, "ada@example.com").await;
    assert_eq!(answer.len(), 1, "the thanks comes after a delay step");
    assert_eq!(sse.next_message().await.1, answer[0]);

    let typing = sse.next().await;
    assert_eq!(typing.event, "typing");
    assert_eq!(typing.id, None);
    assert!(matches!(typing.parse(), StreamEvent::Typing { duration_ms } if duration_ms <= 800));

    let (seq, thanks) = sse.next_message().await;
    assert_eq!(seq, answer[0].seq + 1);
    assert_eq!(thanks.author, Author::Bot);
    assert_eq!(
        thanks.content.text,
        "Thanks! You're on the list, we'll write to ada@example.com."
    );
    assert_eq!(thanks.reply_to.as_ref(), Some(&answer[0].id));

    let history = s.history(&token).await;
    assert_eq!(history.last(), Some(&thanks), "delivered messages are stored");
}

#[tokio::test]
async fn reconnecting_with_last_event_id_loses_and_repeats_nothing() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    s.say(&token, "hours").await;

    let mut sse = s.events(&token, "", None).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(sse.next_message().await.0);
    }
    drop(sse);

    // Messages written while disconnected.
    s.say(&token, "menu").await;
    s.say(&token, "delivery").await;

    let mut sse = s.events(&token, "", Some(*seen.last().unwrap())).await;
    for _ in 0..4 {
        seen.push(sse.next_message().await.0);
    }
    // And live ones after the backlog.
    s.say(&token, "hello").await;
    for _ in 0..2 {
        seen.push(sse.next_message().await.0);
    }
    assert_eq!(seen, (1..=9).collect::<Vec<u64>>());

    // `?after=` works like Last-Event-ID; the greater of both wins.
    let mut sse = s.events(&token, "&after=7", Some(2)).await;
    assert_eq!(sse.next_message().await.0, 8);
}

#[tokio::test]
async fn the_stream_accepts_a_bearer_token_and_rejects_bad_ones() {
    let s = TestServer::start().await;
    let token = s.session().await.session_token;
    let res = s
        .client
        .get(s.channel("/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    drop(res);

    let res = s
        .client
        .get(s.channel("/events?token=wrong"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = s.client.get(s.channel("/events")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .client
        .get(s.channel(&format!("/events?token={token}")))
        .header("last-event-id", "yesterday")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;
}

#[tokio::test]
async fn scheduled_messages_survive_a_restart() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    // The hours flow answers after a delay long enough to restart in between.
    s.slow_hours_flow(&key).await;

    let token = s.session().await.session_token;
    let answer = s.say(&token, "opening hours?").await;
    assert_eq!(answer.len(), 1);
    let s = s.restart().await;

    let mut sse = s.events(&token, &format!("&after={}", answer[0].seq), None).await;
    let (seq, message) = sse.next_message().await;
    assert_eq!(seq, answer[0].seq + 1);
    assert_eq!(message.content.text, "We open at 7:30.");
}
