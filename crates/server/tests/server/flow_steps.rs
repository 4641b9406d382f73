//! Flow steps that decide, ask and show through the real public chat API: a condition
//! that branches on a tag, a choice question, a date question, variables, an image and a
//! card whose button continues the flow; and flow documents reading records the workspace
//! lacks.

use crate::common::{TestServer, assert_problem, bot_texts, error_pointers, messages_of};
use parlo_model::chat::{Author, ButtonAction};
use parlo_model::validate::FieldKind;
use reqwest::Method;
use serde_json::json;

/// Makes visitor text `phrase` start flow `flow` on the demo channel.
async fn keyword(s: &TestServer, key: &str, phrase: &str, flow: &str) {
    let body = json!({"phrases": [phrase], "match": "exact", "flow": flow});
    let res = s
        .send_json(Method::POST, "/channels/demo/keywords", key, &body)
        .await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn a_condition_branches_for_tagged_and_untagged_visitors() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    // The demo welcome flow tags newsletter subscribers `newsletter` (creating the tag).
    let tagged = s.newsletter_subscriber("ada@example.com").await;
    let res = s
        .send_json(
            Method::POST,
            "/bot-fields",
            &key,
            &json!({"name": "promo", "type": "text"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let values = json!({"fields": [{"field": "promo", "value": "WINTER"}]});
    let res = s
        .send_json(Method::PATCH, "/bot-fields/values", &key, &values)
        .await;
    assert_eq!(res.status(), 200);
    s.put_flow(
        &key,
        &json!({
            "id": "status", "name": "Status", "start": "check",
            "steps": {
                "check": {"type": "condition", "match": "all", "conditions": [
                    {"type": "has_tag", "tag": "newsletter"},
                    {"type": "channel", "channel": "demo"},
                    {"type": "field", "field": "email", "op": "contains", "value": "@EXAMPLE.com"}
                ], "then": "known", "else": "new"},
                "known": {"type": "message", "text": "You're on the list, {{email}} ({{current_date}}): {{bot.promo}}"},
                "new": {"type": "message", "text": "[[Join|Sign up for]] our newsletter?"}
            }
        }),
    )
    .await;
    keyword(&s, &key, "status", "status").await;

    let said = s.say(&tagged.session_token, "status").await;
    let today = &said[0].created_at[..10];
    assert_eq!(
        bot_texts(&said),
        [format!("You're on the list, ada@example.com ({today}): WINTER")]
    );
    let untagged = s.session().await;
    let said = s.say(&untagged.session_token, "status").await;
    let text = bot_texts(&said)[0];
    assert!(
        ["Join our newsletter?", "Sign up for our newsletter?"].contains(&text),
        "{text}"
    );
}

#[tokio::test]
async fn choice_and_date_questions_take_only_their_answers() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(
        &key,
        &json!({
            "id": "booking", "name": "Booking", "start": "size",
            "steps": {
                "size": {"type": "question", "text": "Which bouquet?", "field": "bouquet",
                         "kind": "choice", "choices": ["Small", "Grande"], "next": "day"},
                "day": {"type": "question", "text": "For which day?", "field": "delivery_day",
                        "kind": "date", "next": "done"},
                "done": {"type": "message", "text": "A {{bouquet}} bouquet on {{delivery_day}}."}
            }
        }),
    )
    .await;
    keyword(&s, &key, "book", "booking").await;
    let session = s.session().await;
    let token = &session.session_token;
    let said = s.say(token, "book").await;
    let question = said.last().unwrap();
    let choices: Vec<&str> = question
        .content
        .quick_replies
        .iter()
        .map(|q| q.title.as_str())
        .collect();
    assert_eq!(choices, ["Small", "Grande"]);

    let said = s.say(token, "Huge").await;
    assert_eq!(
        bot_texts(&said),
        ["Please choose one of: Small, Grande.", "Which bouquet?"]
    );
    let grande = &said.last().unwrap().content.quick_replies[1];
    let body = json!({
        "id": "press-grande",
        "input": {"type": "button", "payload": grande.payload, "title": grande.title},
    });
    let res = s.post_message(token, &body).await;
    assert_eq!(res.status(), 200);
    let said = messages_of(res).await;
    assert_eq!(bot_texts(&said), ["For which day?"]);
    assert_eq!(said.last().unwrap().content.expects, Some(FieldKind::Date));

    assert_eq!(
        bot_texts(&s.say(token, "soon").await),
        [FieldKind::Date.invalid_message(), "For which day?"]
    );
    assert_eq!(
        bot_texts(&s.say(token, "Dec 24, 2026").await),
        ["A Grande bouquet on 2026-12-24."]
    );
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", session.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["fields"]["delivery_day"], "2026-12-24");
    assert_eq!(subscriber["fields"]["bouquet"], "Grande");
}

#[tokio::test]
async fn an_image_and_a_card_are_shown_and_a_card_button_continues_the_flow() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let flow = json!({
        "id": "cakes", "name": "Cakes", "start": "photo",
        "steps": {
            "photo": {"type": "image", "url": "https://example.com/cake.jpg", "alt": "A cake",
                      "text": "Today's cake", "next": "offer"},
            "offer": {"type": "card", "title": "Chocolate cake", "subtitle": "Serves 8",
                      "image": {"url": "https://example.com/choc.jpg", "alt": "Chocolate cake"},
                      "buttons": [{"title": "Recipe", "url": "https://example.com/recipe"},
                                  {"title": "Order", "next": "order"}]},
            "order": {"type": "message", "text": "Ordered!"}
        }
    });
    s.put_flow(&key, &flow).await;
    assert_eq!(
        s.get_ok("/flows/cakes", &key).await["steps"],
        flow["steps"],
        "stored as sent"
    );
    keyword(&s, &key, "cake", "cakes").await;
    let token = s.session().await.session_token;
    let said = s.say(&token, "cake").await;
    let shown: Vec<_> = said.iter().filter(|m| m.author == Author::Bot).collect();
    assert_eq!(shown.len(), 2, "the card waits for a press");
    let image = shown[0].content.image.as_ref().expect("an image message");
    assert_eq!(
        (image.url.as_str(), image.alt.as_str()),
        ("https://example.com/cake.jpg", "A cake")
    );
    assert_eq!(shown[0].content.text, "Today's cake");
    let card = &shown[1].content.cards[0];
    assert_eq!(
        (card.title.as_str(), card.subtitle.as_deref()),
        ("Chocolate cake", Some("Serves 8"))
    );
    assert_eq!(
        card.buttons[0].action,
        ButtonAction::Url {
            url: "https://example.com/recipe".into()
        }
    );
    let ButtonAction::Postback { payload } = &card.buttons[1].action else {
        panic!("a postback button: {card:?}")
    };
    let body = json!({
        "id": "press-order",
        "input": {"type": "button", "payload": payload, "title": "Order"},
    });
    let res = s.post_message(&token, &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(bot_texts(&messages_of(res).await), ["Ordered!"]);

    let stats = s.get_ok("/flows/cakes/statistics", &key).await;
    let offer = stats["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["step_id"] == "offer")
        .unwrap();
    assert_eq!(offer["sent"], 1);
    assert_eq!(offer["buttons"][1]["clicks"], 1, "{offer}");
}

#[tokio::test]
async fn a_flow_reading_missing_records_is_a_422_naming_each() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let flow = json!({
        "id": "reads", "name": "Reads", "start": "c",
        "steps": {
            "c": {"type": "condition", "match": "any", "conditions": [
                {"type": "has_tag", "tag": "ghost-tag"},
                {"type": "field", "field": "ghost_field", "op": "is_set"},
                {"type": "channel", "channel": "ghost-channel"},
                {"type": "business_hours", "open": false},
                {"type": "field", "field": "x", "op": "equals"}
            ], "then": "gone", "else": "clear"},
            "clear": {"type": "clear_field", "field": "other_ghost", "next": "g"},
            "g": {"type": "goto", "flow": "ghost-flow"},
            "q": {"type": "question", "text": "?", "field": "f", "kind": "choice"}
        }
    });
    let res = s.send_json(Method::PUT, "/flows/reads", &key, &flow).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/steps/c/conditions/4/value",
            "/steps/c/then",
            "/steps/q/choices",
            "/steps/g/flow",
            "/steps/c/conditions/0/tag",
            "/steps/c/conditions/1/field",
            "/steps/c/conditions/2/channel",
            "/steps/c/conditions/4/field",
            "/steps/clear/field",
        ]
    );
    let res = s.request(Method::GET, "/flows/reads", &key).await;
    assert_eq!(res.status(), 404, "nothing was stored");
}

#[tokio::test]
async fn a_condition_reads_the_channel_business_hours() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.put_flow(
        &key,
        &json!({
            "id": "open", "name": "Open?", "start": "check",
            "steps": {
                "check": {"type": "condition", "conditions": [{"type": "business_hours", "open": true}],
                          "then": "yes", "else": "no"},
                "yes": {"type": "message", "text": "Someone is here"},
                "no": {"type": "message", "text": "We reply after {{current_date}}"}
            }
        }),
    )
    .await;
    keyword(&s, &key, "anyone there", "open").await;
    let token = s.session().await.session_token;
    assert_eq!(
        bot_texts(&s.say(&token, "anyone there").await),
        ["Someone is here"],
        "a channel without business hours is always open"
    );
    let hours = s.say(&token, "opening hours").await;
    assert!(!bot_texts(&hours)[0].contains("closed"), "{hours:?}");

    let mut channel = s.get_ok("/channels/demo", &key).await;
    channel["business_hours"] =
        json!({"time_zone": "Europe/Paris", "weekly": [], "away_message": "Back soon"});
    let res = s.send_json(Method::PUT, "/channels/demo", &key, &channel).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let said = s.say(&token, "anyone there").await;
    let text = bot_texts(&said)[0];
    let date = text.strip_prefix("We reply after ").unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "today in the hours' time zone, as YYYY-MM-DD: {text}"
    );
    let hours = s.say(&token, "opening hours").await;
    assert!(
        bot_texts(&hours)[0].contains("we're closed right now"),
        "the demo's hours flow says so outside business hours: {hours:?}"
    );
}

#[tokio::test]
async fn tags_and_fields_a_flow_reads_are_kept_as_named_until_it_stops() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for (path, body) in [
        ("/tags", json!({"name": "vip"})),
        ("/custom-fields", json!({"name": "plan", "type": "text"})),
    ] {
        let res = s.send_json(Method::POST, path, &key, &body).await;
        assert_eq!(res.status(), 201);
    }
    s.put_flow(
        &key,
        &json!({
            "id": "reader", "name": "Reader", "start": "c",
            "steps": {
                "c": {"type": "condition", "conditions": [{"type": "has_tag", "tag": "vip"}], "then": "x"},
                "x": {"type": "clear_field", "field": "plan"}
            }
        }),
    )
    .await;
    let res = s.request(Method::DELETE, "/tags/by-name/vip", &key).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("flow 'reader' (/steps/c/conditions/0/tag)"),
        "{problem}"
    );
    let res = s
        .request(Method::DELETE, "/custom-fields/by-name/plan", &key)
        .await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("flow 'reader' (/steps/x/field)"),
        "{problem}"
    );

    let field = s.get_ok("/custom-fields/by-name/plan", &key).await;
    let rename = json!({"name": "tier"});
    let path = format!("/custom-fields/{}", field["id"]);
    let res = s.send_json(Method::PATCH, &path, &key, &rename).await;
    assert_problem(res, 409, "conflict").await;
    let describe = json!({"description": "Subscription plan"});
    let res = s.send_json(Method::PATCH, &path, &key, &describe).await;
    assert_eq!(res.status(), 200, "a new description keeps the name");

    let res = s.request(Method::DELETE, "/flows/reader", &key).await;
    assert_eq!(res.status(), 204);
    let res = s.request(Method::DELETE, "/tags/by-name/vip", &key).await;
    assert_eq!(res.status(), 204);
    let res = s
        .request(Method::DELETE, "/custom-fields/by-name/plan", &key)
        .await;
    assert_eq!(res.status(), 204);
}
