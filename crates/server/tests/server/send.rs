//! Management API: sending a flow (with payload variables) and content to a subscriber;
//! both show up live in the open widget's event stream and stay in the history.

use crate::common::{TestServer, assert_problem, error_pointers};
use parlo_model::chat::{Author, ButtonAction};
use reqwest::Method;
use serde_json::{Value, json};

/// A flow using payload variables, a delay, and a goodbye.
fn order_flow() -> Value {
    json!({
        "id": "order", "name": "Order update", "start": "status",
        "steps": {
            "status": {"type": "message", "text": "Order {{payload.order}}: {{payload.status|on its way}} ({{payload.total}} €)", "next": "wait"},
            "wait": {"type": "delay", "ms": 50, "next": "bye"},
            "bye": {"type": "message", "text": "Thanks for ordering, {{payload.order}}!"}
        }
    })
}

#[tokio::test]
async fn send_flow_renders_payload_variables_live_and_for_the_next_visit() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(&key, &order_flow()).await;
    let session = s.session().await;
    let mut sse = s.events(&session.session_token, "", None).await;
    let (_, greeting) = sse.next_message().await;
    assert_eq!(greeting.author, Author::Bot);

    let path = format!("/subscribers/{}/send-flow", session.subscriber_id);
    let body = json!({"flow_id": "order", "payload": {"order": "A-1042", "total": 42.5}});
    let res = s.send_json(Method::POST, &path, &key, &body).await;
    assert_eq!(res.status(), 200);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["delayed"], true);
    assert_eq!(sent["messages"][0]["seq"], 2);
    let text = "Order A-1042: on its way (42.5 €)";
    assert_eq!(sent["messages"][0]["content"]["text"], text);

    let (seq, live) = sse.next_message().await;
    assert_eq!((seq, live.content.text.as_str()), (2, text));
    let (seq, later) = sse.next_message().await;
    assert_eq!(
        (seq, later.content.text.as_str()),
        (3, "Thanks for ordering, A-1042!")
    );

    // The next visit sees them too.
    let history = s.history(&session.session_token).await;
    let texts: Vec<&str> = history.iter().map(|m| m.content.text.as_str()).collect();
    assert_eq!(texts[1..], [text, "Thanks for ordering, A-1042!"]);
}

#[tokio::test]
async fn send_flow_checks_ids_payload_and_workspace() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let path = format!("/subscribers/{}/send-flow", session.subscriber_id);

    let res = s
        .send_json(
            Method::POST,
            "/subscribers/42/send-flow",
            &key,
            &json!({"flow_id": "menu"}),
        )
        .await;
    assert_problem(res, 400, "invalid_id").await;
    let res = s
        .send_json(
            Method::POST,
            "/subscribers/sub_00000000000000000000/send-flow",
            &key,
            &json!({"flow_id": "menu"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    // An unknown or empty flow is a bad reference in the body: 422 pointing at it, never the
    // 404 that would say the subscriber of the path is missing.
    for flow_id in ["nope", ""] {
        let res = s
            .send_json(Method::POST, &path, &key, &json!({ "flow_id": flow_id }))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_pointers(&problem), ["/flow_id"], "flow_id {flow_id:?}");
    }

    let payload = json!({"flow_id": "menu", "payload": {"ok": 1, "bad key": "x", "nested": {"a": 1}}});
    let problem = assert_problem(
        s.send_json(Method::POST, &path, &key, &payload).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_pointers(&problem), ["/payload/bad key", "/payload/nested"]);

    // Another workspace's key does not see the subscriber.
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s
        .send_json(Method::POST, &path, &other, &json!({"flow_id": "menu"}))
        .await;
    assert_problem(res, 404, "not_found").await;

    let res = s
        .send_json(Method::POST, &path, &key, &json!({"flow_id": "menu"}))
        .await;
    assert_eq!(res.status(), 200);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["delayed"], false);
    assert!(
        sent["messages"][0]["content"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Today's favourites")
    );
}

#[tokio::test]
async fn send_content_shows_every_kind_live_and_applies_actions() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let token = &session.session_token;
    let mut sse = s.events(token, "", None).await;
    sse.next_message().await;
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "favourite", "type": "text"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    let card = |title: &str| {
        json!({"title": title, "subtitle": "Fresh today",
               "image": {"url": "https://example.com/cake.jpg", "alt": "A cake"},
               "buttons": [{"title": "See the menu", "flow": "menu"}, {"title": "Shop", "url": "https://example.com/shop"}]})
    };
    let mut one_card = card("Lemon cake");
    one_card["type"] = json!("card");
    let body = json!({
        "messages": [
            {"type": "text", "text": "New this week:", "quick_replies": [{"title": "Hours", "flow": "hours"}]},
            {"type": "image", "url": "https://example.com/shop.jpg", "alt": "Our shop"},
            one_card,
            {"type": "carousel", "cards": [card("Lemon cake"), card("Cardamom bun")]}
        ],
        "actions": [
            {"type": "add_tag", "tag": "cake-lover"},
            {"type": "set_field", "field": "favourite", "value": "lemon"}
        ]
    });
    let path = format!("/subscribers/{}/send-content", session.subscriber_id);
    let res = s.send_json(Method::POST, &path, &key, &body).await;
    assert_eq!(res.status(), 200);

    let mut live = Vec::new();
    for _ in 0..4 {
        live.push(sse.next_message().await.1);
    }
    assert_eq!(live[0].content.text, "New this week:");
    assert_eq!(live[0].content.quick_replies[0].payload, "flow:hours");
    assert_eq!(live[1].content.image.as_ref().unwrap().alt, "Our shop");
    assert_eq!(live[2].content.cards.len(), 1);
    assert_eq!(live[3].content.cards[1].title, "Cardamom bun");
    assert!(live.iter().all(|m| m.author == Author::Bot));

    let subscriber = s
        .get_ok(&format!("/subscribers/{}", session.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["tags"], json!(["cake-lover"]));
    assert_eq!(subscriber["fields"]["favourite"], "lemon");

    // A card's flow button starts its flow when pressed.
    let ButtonAction::Postback { payload } = &live[2].content.cards[0].buttons[0].action else {
        panic!("a flow button is a postback");
    };
    let body =
        json!({"id": "press-1", "input": {"type": "button", "payload": payload, "title": "See the menu"}});
    let answer = crate::common::messages_of(s.post_message(token, &body).await).await;
    assert!(answer[1].content.text.starts_with("Today's favourites"));

    // Kept for the next visit.
    let history = s.history(token).await;
    assert_eq!(history[4].content.cards[1].title, "Cardamom bun");
}

#[tokio::test]
async fn send_content_lists_every_problem_and_changes_nothing() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let path = format!("/subscribers/{}/send-content", session.subscriber_id);
    let body = json!({
        "messages": [
            {"type": "text", "text": ""},
            {"type": "image", "url": "javascript:alert(1)"},
            {"type": "card", "title": "T", "buttons": [{"title": "Go", "next": "somewhere"}]},
            {"type": "carousel", "cards": []},
            {"type": "text", "text": "ok", "buttons": [{"title": "X", "flow": "no-such-flow"}]}
        ],
        "actions": [
            {"type": "add_tag", "tag": "fine"},
            {"type": "remove_tag", "tag": 999},
            {"type": "set_field", "field": "no_such_field", "value": "x"}
        ]
    });
    let problem = assert_problem(
        s.send_json(Method::POST, &path, &key, &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/messages/0/text",
            "/messages/1/url",
            "/messages/2/buttons/0",
            "/messages/3/cards",
            "/messages/4/buttons/0/flow",
            "/actions/1/tag",
            "/actions/2/field",
        ]
    );
    let res = s.send_json(Method::POST, &path, &key, &json!({})).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = s
        .send_json(
            Method::POST,
            &path,
            &key,
            &json!({"messages": [{"type": "video"}]}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;

    assert_eq!(
        s.history(&session.session_token).await.len(),
        1,
        "only the greeting"
    );
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", session.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["tags"], json!([]), "actions roll back with the rest");
}
