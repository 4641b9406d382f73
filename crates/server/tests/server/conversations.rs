//! Management API: a subscriber's conversation history, and messages sent by a human agent.

use crate::common::{TestServer, assert_problem};
use parlo_model::chat::{Author, Message};
use reqwest::Method;
use serde_json::{Value, json};

fn authors(messages: &[Message]) -> Vec<Author> {
    messages.iter().map(|m| m.author).collect()
}

#[tokio::test]
async fn history_filters_by_author_and_date_and_walks_pages() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.newsletter_subscriber("ada@example.com").await;
    let id = session.subscriber_id.as_str();
    let path = format!("/subscribers/{id}/messages");
    let res = s
        .send_json(Method::POST, &path, &key, &json!({"text": "Hi Ada, Sam here."}))
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .management(Method::POST, &format!("/subscribers/{id}/pause-bot"), &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let all = s.conversation(&key, id, "").await;
    let public = s.history(&session.session_token).await;
    assert_eq!(all, public, "the same conversation the widget shows");
    assert_eq!(all.last().unwrap().author, Author::System);
    assert!(all.iter().any(|m| m.author == Author::Agent));

    let no_bot = s.conversation(&key, id, "&include_bot=false").await;
    assert!(!authors(&no_bot).contains(&Author::Bot));
    assert!(authors(&no_bot).contains(&Author::System));
    let people = s
        .conversation(&key, id, "&include_bot=false&include_system=false")
        .await;
    assert_eq!(
        authors(&people),
        [Author::Visitor, Author::Visitor, Author::Agent],
        "the button press, the e-mail, the agent"
    );

    // Pages of 2, in seq order, without gaps or repeats.
    let first = s.get_ok(&format!("{path}?limit=2"), &key).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = s.get_ok(&format!("{path}?limit=2&cursor={cursor}"), &key).await;
    assert_eq!(second["items"][0]["seq"], all[2].seq);

    // Dates: everything is from today; nothing from the year 2000.
    let all_dates = s
        .conversation(
            &key,
            id,
            "&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B02:00",
        )
        .await;
    assert_eq!(all_dates.len(), all.len());
    let old = s.get_ok(&format!("{path}?to=2000-01-01T00:00:00Z"), &key).await;
    assert_eq!(old["items"], json!([]));
    let since = &all[3].created_at;
    let recent = s.conversation(&key, id, &format!("&from={since}")).await;
    assert!(recent.iter().all(|m| m.created_at >= *since));
}

#[tokio::test]
async fn history_rejects_bad_ranges_cursors_and_ids() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let path = format!("/subscribers/{}/messages", session.subscriber_id);
    let get = |query: &str| s.management(Method::GET, &format!("{path}{query}"), &key).send();

    let res = get("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_date_range").await;
    let res = get("?from=yesterday").await.unwrap();
    assert_problem(res, 400, "invalid_date_range").await;
    for query in ["?limit=0", "?limit=101", "?cursor=abc"] {
        assert_problem(get(query).await.unwrap(), 400, "invalid_cursor").await;
    }
    let res = get("?include_bot=maybe").await.unwrap();
    assert_problem(res, 400, "bad_request").await;
    let res = s
        .management(Method::GET, "/subscribers/not-an-id/messages", &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_id").await;
    let res = s
        .management(
            Method::GET,
            "/subscribers/sub_00000000000000000000/messages",
            &key,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn agent_messages_reach_the_open_widget() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let mut sse = s.events(&session.session_token, "", None).await;
    sse.next_message().await;
    let path = format!("/subscribers/{}/messages", session.subscriber_id);

    let res = s
        .send_json(
            Method::POST,
            &path,
            &key,
            &json!({"text": "  Hello, this is Sam.  "}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["messages"][0]["author"], "agent");
    let (seq, live) = sse.next_message().await;
    assert_eq!(seq, 2);
    assert_eq!(
        (live.author, live.content.text.as_str()),
        (Author::Agent, "Hello, this is Sam.")
    );

    for body in [
        json!({"text": "   "}),
        json!({"text": "x".repeat(2001)}),
        json!({"text": 5}),
    ] {
        let res = s.send_json(Method::POST, &path, &key, &body).await;
        assert_problem(res, 422, "validation_failed").await;
    }
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s
        .send_json(Method::POST, &path, &other, &json!({"text": "hi"}))
        .await;
    assert_problem(res, 404, "not_found").await;
}
