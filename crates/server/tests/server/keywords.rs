//! Management API: keywords of a channel — list, create, get, replace, delete, validation,
//! matching rules on the next visitor message, a keyword interrupting a question, and
//! concurrent changes that all land.

use crate::common::{TestServer, assert_problem, bot_texts, error_pointers};
use reqwest::Method;
use serde_json::{Value, json};

const KEYWORDS: &str = "/channels/demo/keywords";

async fn create(s: &TestServer, key: &str, body: &Value) -> Value {
    let res = s.send_json(Method::POST, KEYWORDS, key, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The first text the demo bot answers to `text` in a new session.
async fn answer(s: &TestServer, text: &str) -> String {
    let session = s.session().await;
    let said = s.say(&session.session_token, text).await;
    bot_texts(&said)
        .first()
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn keywords_are_managed_and_apply_on_the_next_message() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let seeded = s.get_ok(KEYWORDS, &key).await;
    let ids: Vec<&str> = seeded
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kw_hours", "kw_delivery", "kw_menu", "kw_welcome"]);
    let menu = answer(&s, "prices?").await;
    let fallback = answer(&s, "latte art class").await;
    assert!(menu.starts_with("Today's favourites"), "{menu}");
    assert!(fallback.starts_with("Sorry"), "{fallback}");

    // A new keyword, starts-with, accent- and case-insensitive.
    let created = create(
        &s,
        &key,
        &json!({"phrases": ["latté art"], "match": "starts_with", "flow": "menu"}),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("kw_") && id.len() == 15, "{id}");
    assert_eq!(created["enabled"], true);
    assert_eq!(answer(&s, "LATTE ART class?").await, menu);
    assert_eq!(answer(&s, "a latte art class").await, fallback, "starts_with");
    assert_eq!(s.get_ok(&format!("{KEYWORDS}/{id}"), &key).await, created);
    assert_eq!(s.get_ok(KEYWORDS, &key).await[4], created, "tried last");

    // Replaced: contains now, then switched off.
    let path = format!("{KEYWORDS}/{id}");
    let res = s
        .send_json(
            Method::PUT,
            &path,
            &key,
            &json!({"phrases": ["latte art"], "flow": "menu"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(answer(&s, "a latte art class").await, menu, "contains by default");
    let off = json!({"phrases": ["latte art"], "flow": "menu", "enabled": false});
    let replaced: Value = s
        .send_json(Method::PUT, &path, &key, &off)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replaced["enabled"], false);
    assert_eq!(replaced["id"], id);
    assert_eq!(answer(&s, "a latte art class").await, fallback, "off");
    assert_eq!(s.get_ok(KEYWORDS, &key).await[4]["id"], id, "same place");

    // Deleted.
    assert_eq!(s.request(Method::DELETE, &path, &key).await.status(), 204);
    assert_problem(s.request(Method::GET, &path, &key).await, 404, "not_found").await;
    assert_problem(s.request(Method::DELETE, &path, &key).await, 404, "not_found").await;
    assert_eq!(s.get_ok(KEYWORDS, &key).await.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn a_keyword_interrupts_a_question() {
    let s = TestServer::start().await;
    let session = s.session().await;
    let token = &session.session_token;
    let greeting = s.history(token).await.remove(0);
    let asked = s.press(token, &greeting, "Get our newsletter").await;
    assert!(bot_texts(&asked)[0].contains("e-mail"), "{asked:?}");
    let said = s.say(token, "When are you open?").await;
    assert!(bot_texts(&said)[0].starts_with("We're open"), "{said:?}");
    // The e-mail question was dropped: other text goes to the fallback flow.
    let said = s.say(token, "ada@example.com").await;
    assert!(bot_texts(&said)[0].starts_with("Sorry"), "{said:?}");
}

#[tokio::test]
async fn bad_keywords_are_refused_with_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            KEYWORDS,
            &key,
            &json!({"phrases": ["ok", "?!", "x".repeat(101)], "flow": "Bad"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/phrases/1", "/phrases/2", "/flow"]);
    let res = s
        .send_json(
            Method::POST,
            KEYWORDS,
            &key,
            &json!({"phrases": [], "flow": "menu"}),
        )
        .await;
    assert_eq!(
        error_pointers(&assert_problem(res, 422, "validation_failed").await),
        ["/phrases"]
    );
    let res = s
        .send_json(
            Method::POST,
            KEYWORDS,
            &key,
            &json!({"phrases": ["hi"], "flow": "no-such-flow"}),
        )
        .await;
    assert_eq!(
        error_pointers(&assert_problem(res, 422, "validation_failed").await),
        ["/flow"]
    );
    let res = s
        .send_json(
            Method::POST,
            KEYWORDS,
            &key,
            &json!({"phrases": ["hi"], "flow": "menu", "match": "regex"}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = s
        .send_json(
            Method::PUT,
            &format!("{KEYWORDS}/kw_hours"),
            &key,
            &json!({"phrases": ["hi"], "flow": "menu", "exact": true}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    // Unknown channel or keyword, and another workspace's channel, are 404.
    let body = json!({"phrases": ["hi"], "flow": "menu"});
    let res = s
        .send_json(Method::POST, "/channels/ch_none/keywords", &key, &body)
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .send_json(Method::PUT, &format!("{KEYWORDS}/kw_none"), &key, &body)
        .await;
    assert_problem(res, 404, "not_found").await;
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    assert_problem(s.request(Method::GET, KEYWORDS, &other).await, 404, "not_found").await;
    // Nothing changed.
    assert_eq!(s.get_ok(KEYWORDS, &key).await.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn concurrent_changes_all_land_up_to_the_limit() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let creates = (0..96).map(|i| {
        let s = &s;
        let key = &key;
        async move {
            let body = json!({"phrases": [format!("word{i}")], "flow": "menu"});
            s.send_json(Method::POST, KEYWORDS, key, &body)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(creates).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(s.get_ok(KEYWORDS, &key).await.as_array().unwrap().len(), 100);
    let res = s
        .send_json(
            Method::POST,
            KEYWORDS,
            &key,
            &json!({"phrases": ["one more"], "flow": "menu"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    // A channel replaced meanwhile keeps its keywords.
    let mut settings = s.get_ok("/channels/demo", &key).await;
    let settings = settings.as_object_mut().unwrap();
    for member in ["id", "embed_snippet", "archived_at", "created_at"] {
        settings.remove(member);
    }
    let res = s
        .send_json(
            Method::PUT,
            "/channels/demo",
            &key,
            &Value::Object(settings.clone()),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(s.get_ok(KEYWORDS, &key).await.as_array().unwrap().len(), 100);
}
