//! The owner's inbox: `GET /api/v1/conversations` (newest activity first, paged, with
//! unread counts), `POST /api/v1/subscribers/{id}/read`, and the workspace event stream
//! `GET /api/v1/events` — live, resumable, and across instances on one PostgreSQL.

use crate::common::{Sse, SseEvent, TestServer, assert_problem, error_pointers};
use parlo_model::chat::{Author, Session};
use parlo_model::inbox::{ConversationSummary, InboxEvent};
use parlo_model::page::Page;
use reqwest::{Method, Response};
use serde_json::json;
use std::time::Duration;

impl TestServer {
    /// `GET /api/v1/conversations<query>` with `key`, decoded.
    async fn inbox(&self, key: &str, query: &str) -> Page<ConversationSummary> {
        serde_json::from_value(self.get_ok(&format!("/conversations{query}"), key).await).unwrap()
    }

    /// `POST /api/v1/subscribers/{id}/read` with `body` (none when `null`).
    async fn mark_read(&self, key: &str, subscriber: &Session, body: serde_json::Value) -> Response {
        let path = format!("/subscribers/{}/read", subscriber.subscriber_id);
        let request = self.management(Method::POST, &path, key);
        let request = if body.is_null() {
            request
        } else {
            request.json(&body)
        };
        request.send().await.unwrap()
    }

    /// The workspace event stream of `key`, resuming after `last_event_id` when given.
    async fn workspace_events(&self, key: &str, last_event_id: Option<u64>) -> Sse {
        let mut request = self.management(Method::GET, "/events", key);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        Sse::new(request.send().await.unwrap())
    }

    /// An agent message to `subscriber` through the management API.
    async fn agent_says(&self, key: &str, subscriber: &Session, text: &str) {
        let path = format!("/subscribers/{}/messages", subscriber.subscriber_id);
        let res = self
            .send_json(Method::POST, &path, key, &json!({ "text": text }))
            .await;
        assert_eq!(res.status(), 200);
    }
}

/// The decoded data of a workspace stream event, and its id.
fn inbox_event(event: &SseEvent) -> (u64, InboxEvent) {
    assert_eq!(event.event, "message");
    (
        event.id.expect("every message event has an id"),
        serde_json::from_str(&event.data).unwrap(),
    )
}

/// The subscriber ids of a page, in order.
fn ids(page: &Page<ConversationSummary>) -> Vec<&str> {
    page.items.iter().map(|c| c.subscriber_id.as_str()).collect()
}

/// Lets the clock pass a millisecond, so the next message is strictly newer than the last
/// (activity times have millisecond resolution).
async fn next_millisecond() {
    tokio::time::sleep(Duration::from_millis(3)).await;
}

#[tokio::test]
async fn the_inbox_lists_conversations_newest_activity_first_with_unread_counts() {
    let server = TestServer::start().await;
    let key = server.api_key("demo").await;
    let ada = server.newsletter_subscriber("ada@example.com").await;
    next_millisecond().await;
    let bob = server.session().await;
    next_millisecond().await;
    let cy = server.session().await;
    next_millisecond().await;
    server.say(&bob.session_token, "Is anyone there?").await;

    let page = server.inbox(&key, "").await;
    assert_eq!(
        ids(&page),
        [&bob.subscriber_id, &cy.subscriber_id, &ada.subscriber_id].map(|s| s.as_str())
    );
    assert_eq!(page.next_cursor, None);
    let bob_row = &page.items[0];
    // The visitor's message, then the bot's answer: the newest is the bot's.
    let last = bob_row.last_message.as_ref().unwrap();
    assert_eq!(last.author, Author::Bot);
    assert_eq!(bob_row.last_activity_at, last.created_at);
    assert_eq!(bob_row.unread_count, 1, "one visitor message, none read");
    assert_eq!(
        page.items[1].unread_count, 0,
        "a greeting alone is nothing to read"
    );
    let ada_row = &page.items[2];
    assert_eq!(ada_row.email.as_deref(), Some("ada@example.com"));
    assert_eq!(ada_row.unread_count, 2, "a button pressed and an e-mail typed");
    assert!(!ada_row.bot_paused && !ada_row.handed_over);

    // Pages of two: the cursor carries on where the first page ended.
    let first = server.inbox(&key, "?limit=2").await;
    assert_eq!(ids(&first), ids(&page)[..2]);
    let cursor = first.next_cursor.expect("a third conversation follows");
    let second = server.inbox(&key, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), ids(&page)[2..]);
    assert_eq!(second.next_cursor, None);

    // Only unread ones, then only those on another channel (none).
    let unread = server.inbox(&key, "?unread=true").await;
    assert_eq!(
        ids(&unread),
        [bob.subscriber_id.as_str(), ada.subscriber_id.as_str()]
    );
    assert!(server.inbox(&key, "?channel=elsewhere").await.items.is_empty());

    // Out-of-range pages and foreign cursors are refused, not guessed.
    for query in ["?limit=0", "?limit=101", "?cursor=not-a-cursor"] {
        let res = server
            .request(Method::GET, &format!("/conversations{query}"), &key)
            .await;
        assert_problem(res, 400, "invalid_cursor").await;
    }
}

#[tokio::test]
async fn the_read_marker_moves_forward_and_unread_counts_drop() {
    let server = TestServer::start().await;
    let key = server.api_key("demo").await;
    let ada = server.newsletter_subscriber("ada@example.com").await;
    let history = server.history(&ada.session_token).await;
    let first_visitor = history.iter().find(|m| m.author == Author::Visitor).unwrap().seq;
    let newest = history.last().unwrap().seq;

    // Read up to the first visitor message: one unread is left.
    let res = server
        .mark_read(&key, &ada, json!({ "seq": first_visitor }))
        .await;
    assert_eq!(res.status(), 200);
    let marker: serde_json::Value = res.json().await.unwrap();
    assert_eq!(marker, json!({ "read_seq": first_visitor, "unread_count": 1 }));
    assert_eq!(server.inbox(&key, "").await.items[0].unread_count, 1);

    // Without a body: everything so far. A smaller seq later moves nothing back.
    let res = server.mark_read(&key, &ada, serde_json::Value::Null).await;
    let marker: serde_json::Value = res.json().await.unwrap();
    assert_eq!(marker, json!({ "read_seq": newest, "unread_count": 0 }));
    let res = server.mark_read(&key, &ada, json!({ "seq": 1 })).await;
    let marker: serde_json::Value = res.json().await.unwrap();
    assert_eq!(marker, json!({ "read_seq": newest, "unread_count": 0 }));
    let row = &server.inbox(&key, "").await.items[0];
    assert_eq!((row.read_seq, row.unread_count), (newest, 0));
    assert!(server.inbox(&key, "?unread=true").await.items.is_empty());

    // A new visitor message is unread again.
    server.say(&ada.session_token, "One more thing").await;
    assert_eq!(server.inbox(&key, "?unread=true").await.items[0].unread_count, 1);

    // A marker after the newest message is invalid.
    let res = server.mark_read(&key, &ada, json!({ "seq": 1000 })).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/seq"]);
}

#[tokio::test]
async fn another_workspace_sees_none_of_the_inbox() {
    let server = TestServer::start().await;
    let ada = server.newsletter_subscriber("ada@example.com").await;
    server.create_workspace("other").await;
    let other = server.api_key("other").await;
    assert!(server.inbox(&other, "").await.items.is_empty());
    let res = server.mark_read(&other, &ada, serde_json::Value::Null).await;
    assert_problem(res, 404, "not_found").await;

    // A visitor of the other workspace (moved there in the database: the demo channel
    // is the only one with a public page here).
    let mine = server.session().await;
    let pool = server.db().await;
    sqlx::query("UPDATE subscribers SET workspace_id = (SELECT id FROM workspaces WHERE slug = 'other') WHERE id = $1")
        .bind(mine.subscriber_id.as_str())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    // Its event stream stays silent while the demo workspace's conversation goes on; its
    // own agent message is the first thing it sees.
    let mut stream = server.workspace_events(&other, None).await;
    server.say(&ada.session_token, "Hello?").await;
    let demo = server.api_key("demo").await;
    server.agent_says(&demo, &ada, "Hi Ada").await;
    server
        .agent_says(&other, &mine, "Welcome to the other shop")
        .await;
    let (_, event) = inbox_event(&stream.next().await);
    assert_eq!(event.subscriber_id, mine.subscriber_id);
    assert_eq!(event.message.content.text, "Welcome to the other shop");
}

#[tokio::test]
async fn the_event_stream_shows_visitor_agent_and_takeover_messages_live() {
    let server = TestServer::start().await;
    let key = server.api_key("demo").await;
    let ada = server.session().await;
    let mut stream = server.workspace_events(&key, None).await;

    // A visitor message, then the bot's answer, live.
    let answer = server.say(&ada.session_token, "Where is my order?").await;
    let (first_id, visitor) = inbox_event(&stream.next().await);
    assert_eq!(visitor.subscriber_id, ada.subscriber_id);
    assert_eq!(visitor.channel_id.as_str(), "demo");
    assert_eq!(
        (visitor.message.author, visitor.message.content.text.as_str()),
        (Author::Visitor, "Where is my order?")
    );
    assert_eq!(visitor.unread_count, 1);
    for expected in &answer[1..] {
        assert_eq!(&inbox_event(&stream.next().await).1.message, expected);
    }

    // An agent's reply, and a hand-over: the bot is paused, the notice says so.
    server.agent_says(&key, &ada, "Hi, Sam here.").await;
    let (agent_id, agent) = inbox_event(&stream.next().await);
    assert!(agent_id > first_id);
    assert_eq!(
        (agent.message.author, agent.message.content.text.as_str()),
        (Author::Agent, "Hi, Sam here.")
    );
    let path = format!("/subscribers/{}/send-flow", ada.subscriber_id);
    let res = server
        .send_json(Method::POST, &path, &key, &json!({"flow_id": "human"}))
        .await;
    assert_eq!(res.status(), 200);
    let (_, notice) = inbox_event(&stream.next().await);
    assert_eq!(notice.message.author, Author::System);
    assert!(notice.bot_paused && notice.handed_over);
    let row = &server.inbox(&key, "?handed_over=true").await.items[0];
    assert_eq!(row.subscriber_id, ada.subscriber_id);
    assert!(row.bot_paused);

    // Resuming the bot ends the hand-over.
    let path = format!("/subscribers/{}/resume-bot", ada.subscriber_id);
    assert_eq!(server.request(Method::POST, &path, &key).await.status(), 200);
    let (_, resumed) = inbox_event(&stream.next().await);
    assert!(!resumed.bot_paused && !resumed.handed_over);
    assert!(server.inbox(&key, "?bot_paused=true").await.items.is_empty());

    // Reconnecting with the id of the first event resumes right after it.
    drop(stream);
    let mut resumed = server.workspace_events(&key, Some(first_id)).await;
    let (_, next) = inbox_event(&resumed.next().await);
    assert_eq!(next.message, answer[1]);

    // A malformed Last-Event-ID is refused.
    let res = server
        .management(Method::GET, "/events", &key)
        .header("last-event-id", "yesterday")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad_request").await;
}

#[tokio::test]
async fn a_workspace_stream_on_one_instance_gets_what_another_instance_stores() {
    let a = TestServer::start().await;
    let Some(b) = a.another_instance().await else {
        eprintln!("skipped: several instances need PostgreSQL (PARLO_TEST_DATABASE_URL)");
        return;
    };
    let key = a.api_key("demo").await;
    let ada = a.session().await;
    let mut stream = a.workspace_events(&key, None).await;

    // The visitor's message reaches B; A's stream shows it, then B's bot answer.
    let answer = b.say(&ada.session_token, "Hello from B").await;
    for expected in &answer {
        let (_, event) = inbox_event(&stream.next().await);
        assert_eq!(&event.message, expected, "B's message, live on A");
    }
    // An agent writes through B's management API.
    b.agent_says(&key, &ada, "Sam on B").await;
    let (_, agent) = inbox_event(&stream.next().await);
    assert_eq!(
        (agent.message.author, agent.message.content.text.as_str()),
        (Author::Agent, "Sam on B")
    );
    // Nothing came twice: the next event is the next message stored, on A this time.
    let answer = a.say(&ada.session_token, "and from A").await;
    let (_, next) = inbox_event(&stream.next().await);
    assert_eq!(next.message, answer[0]);
    assert_eq!(next.message.seq, agent.message.seq + 1);
}
