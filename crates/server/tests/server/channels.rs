//! Management API: channels — create (embed snippet, identity secret once), list, get,
//! replace, validation, origins applied on the next request, business hours on the public
//! configuration, ice breakers and main menu, archive (ending open event streams) and delete,
//! identity secret rotation.

use crate::common::{
    TestServer, assert_problem, assert_stream_ends, error_pointers, item_strings, messages_of,
};
use parlo_model::chat::Session;
use reqwest::Method;
use serde_json::{Value, json};

const SHOP: &str = "https://shop.example";

fn settings() -> Value {
    json!({
        "name": "Shop chat",
        "allowed_origins": [SHOP],
        "greeting": "Questions about your order?",
        "theme": {"primary_color": "#0f766e", "on_primary_color": "#ffffff", "position": "left", "launcher_label": "Chat with us",
            "font_family": "\"Inter\", sans-serif", "corner_radius": 8, "offset_bottom": 24, "offset_side": 0,
            "proactive_message": {"text": "Need help with your order?", "delay_seconds": 10}},
        "welcome_flow": "welcome",
        "fallback_flow": "fallback"
    })
}

async fn create(s: &TestServer, key: &str, body: &Value) -> Value {
    let res = s.send_json(Method::POST, "/channels", key, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// `POST /sessions` of channel `id` from `origin`; answers the status.
async fn open_session(s: &TestServer, id: &str, origin: &str) -> u16 {
    s.client
        .post(format!("{}/api/public/v1/channels/{id}/sessions", s.url))
        .header("origin", origin)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn public_config(s: &TestServer, id: &str) -> reqwest::Response {
    s.client
        .get(format!("{}/api/public/v1/channels/{id}", s.url))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_channel_is_created_with_its_snippet_and_serves_the_widget() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = create(&s, &key, &settings()).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("ch_"), "{id}");
    let secret = created["identity_secret"].as_str().unwrap();
    assert!(secret.starts_with("parlo_is_") && secret.len() == 49, "{secret}");
    assert_eq!(
        created["embed_snippet"],
        format!(
            r#"<script type="module" async src="{}/embed.js" data-channel="{id}"></script>"#,
            s.url
        )
    );
    assert_eq!(created["theme"]["launcher_label"], "Chat with us");
    assert_eq!(created["archived_at"], Value::Null);

    // Get and list answer the same channel, never the secret.
    let got = s.get_ok(&format!("/channels/{id}"), &key).await;
    assert!(got.get("identity_secret").is_none());
    assert!(!got.to_string().contains(secret));
    let mut without_secret = created.clone();
    without_secret.as_object_mut().unwrap().remove("identity_secret");
    assert_eq!(got, without_secret);
    let list = s.get_ok("/channels", &key).await;
    assert!(item_strings(&list, "id").contains(&id));
    assert!(!list.to_string().contains(secret));

    // The widget reads its look; a page of the allowed origin opens a chat with the
    // welcome flow, another origin is refused.
    let config: Value = public_config(&s, id).await.json().await.unwrap();
    assert_eq!(config["name"], "Shop chat");
    assert_eq!(config["greeting"], "Questions about your order?");
    assert_eq!(config["theme"], settings()["theme"], "the whole look");
    assert!(config.get("availability").is_none(), "{config}");
    let res = s
        .client
        .post(format!("{}/api/public/v1/channels/{id}/sessions", s.url))
        .header("origin", SHOP)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let session: Value = res.json().await.unwrap();
    let history = s
        .client
        .get(format!("{}/api/public/v1/channels/{id}/messages", s.url))
        .bearer_auth(session["session_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let history: Value = history.json().await.unwrap();
    assert!(
        !history["items"].as_array().unwrap().is_empty(),
        "the welcome flow greeted: {history}"
    );
    assert_eq!(open_session(&s, id, "https://evil.example").await, 403);
}

#[tokio::test]
async fn lists_are_paged_in_id_order() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for _ in 0..3 {
        create(&s, &key, &settings()).await;
    }
    // The demo's two seeded channels and the three new ones.
    let first = s.get_ok("/channels?limit=2", &key).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = s
        .get_ok(&format!("/channels?limit=10&cursor={cursor}"), &key)
        .await;
    let mut ids = item_strings(&first, "id");
    ids.extend(item_strings(&second, "id"));
    assert_eq!(ids.len(), 5);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert_eq!(second["next_cursor"], Value::Null);
    let res = s.request(Method::GET, "/channels?limit=101", &key).await;
    assert_problem(res, 400, "invalid_cursor").await;
}

#[tokio::test]
async fn bad_settings_are_422_with_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let bad = json!({
        "name": "",
        "allowed_origins": ["https://shop.example/", "https://*.shop.example", "shop.example", "https://shop.example?x=1"],
        "theme": {"primary_color": "red", "on_primary_color": "#fff", "position": "right",
            "font_family": "x;background:url(//evil.example)", "corner_radius": 25, "offset_bottom": 201,
            "proactive_message": {"text": " ", "delay_seconds": 3601}},
        "pre_chat_form": "no-such-form",
        "welcome_flow": "no-such-flow",
        "fallback_flow": "fallback",
        "business_hours": {"time_zone": "Mars/Olympus", "away_message": "Away",
            "weekly": [{"day": "monday", "open": "17:00", "close": "09:00"}]}
    });
    let res = s.send_json(Method::POST, "/channels", &key, &bad).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/name",
            "/allowed_origins/0",
            "/allowed_origins/1",
            "/allowed_origins/2",
            "/allowed_origins/3",
            "/theme/primary_color",
            "/theme/on_primary_color",
            "/theme/proactive_message/text",
            "/theme/font_family",
            "/theme/corner_radius",
            "/theme/offset_bottom",
            "/theme/proactive_message/delay_seconds",
            "/business_hours/weekly/0/close",
            "/business_hours/time_zone",
            "/pre_chat_form",
            "/welcome_flow",
        ]
    );
    let res = s
        .send_json(
            Method::POST,
            "/channels",
            &key,
            &json!({"name": "No origins", "allowed_origins": []}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/allowed_origins"]);
    // Wrong types are refused too.
    let res = s
        .send_json(
            Method::POST,
            "/channels",
            &key,
            &json!({"name": "x", "allowed_origins": SHOP}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    // A flow of another workspace is unknown here.
    s.create_workspace("other").await;
    let other = s.api_key("other").await;
    let res = s.send_json(Method::POST, "/channels", &other, &settings()).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/welcome_flow", "/fallback_flow"]);
}

#[tokio::test]
async fn a_changed_origin_applies_on_the_next_request() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = create(&s, &key, &settings()).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(open_session(&s, id, SHOP).await, 201);
    let moved = "http://localhost:3000";
    let mut changed = settings();
    changed["allowed_origins"] = json!([moved]);
    changed["greeting"] = json!("New greeting");
    let res = s
        .send_json(Method::PUT, &format!("/channels/{id}"), &key, &changed)
        .await;
    assert_eq!(res.status(), 200);
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored["allowed_origins"], json!([moved]));
    assert_eq!(open_session(&s, id, SHOP).await, 403);
    assert_eq!(open_session(&s, id, moved).await, 201);
    let config: Value = public_config(&s, id).await.json().await.unwrap();
    assert_eq!(config["greeting"], "New greeting");

    let res = s
        .send_json(Method::PUT, "/channels/ch_nope", &key, &changed)
        .await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn business_hours_say_online_or_away() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let every_day = |open: &str, close: &str| {
        let days = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        let weekly: Vec<Value> = days
            .iter()
            .map(|d| json!({"day": d, "open": open, "close": close}))
            .collect();
        json!({"time_zone": "Pacific/Kiritimati", "weekly": weekly, "away_message": "Back soon"})
    };
    let mut body = settings();
    body["business_hours"] = every_day("00:00", "24:00");
    let created = create(&s, &key, &body).await;
    let id = created["id"].as_str().unwrap();
    let config: Value = public_config(&s, id).await.json().await.unwrap();
    assert_eq!(
        config["availability"],
        json!({"online": true, "away_message": "Back soon"})
    );

    // Closed every day: away, whatever the time.
    body["business_hours"] = json!({"time_zone": "Europe/Paris", "weekly": [], "away_message": "Back soon"});
    let res = s
        .send_json(Method::PUT, &format!("/channels/{id}"), &key, &body)
        .await;
    assert_eq!(res.status(), 200);
    let config: Value = public_config(&s, id).await.json().await.unwrap();
    assert_eq!(config["availability"]["online"], false);
}

#[tokio::test]
async fn channels_with_conversations_are_archived_not_deleted() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = create(&s, &key, &settings()).await;
    let id = created["id"].as_str().unwrap();
    let res = s
        .client
        .post(format!("{}/api/public/v1/channels/{id}/sessions", s.url))
        .header("origin", SHOP)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let session: Session = res.json().await.unwrap();
    let stream = s.open_stream(id, &session.session_token).await;

    let path = format!("/channels/{id}");
    let res = s.request(Method::DELETE, &path, &key).await;
    assert_problem(res, 409, "conflict").await;
    let res = s
        .request(Method::DELETE, &format!("{path}?archive=true"), &key)
        .await;
    assert_eq!(res.status(), 204);
    let archived = s.get_ok(&path, &key).await;
    assert!(archived["archived_at"].is_string(), "{archived}");
    assert_problem(public_config(&s, id).await, 404, "not_found").await;
    assert_eq!(open_session(&s, id, SHOP).await, 404);
    // The visitor's open event stream ends, and its session is refused from now on.
    assert_stream_ends(stream).await;
    let res = s
        .client
        .get(format!("{}/api/public/v1/channels/{id}/events", s.url))
        .bearer_auth(&session.session_token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;

    // A channel nobody used is deleted.
    let unused = create(&s, &key, &settings()).await;
    let path = format!("/channels/{}", unused["id"].as_str().unwrap());
    assert_eq!(s.request(Method::DELETE, &path, &key).await.status(), 204);
    assert_problem(s.request(Method::GET, &path, &key).await, 404, "not_found").await;
    assert_problem(s.request(Method::DELETE, &path, &key).await, 404, "not_found").await;
}

#[tokio::test]
async fn the_identity_secret_rotates() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let created = create(&s, &key, &settings()).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/channels/{id}/rotate-identity-secret");
    let res = s.request(Method::POST, &path, &key).await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    assert_eq!(rotated["id"], id);
    let secret = rotated["identity_secret"].as_str().unwrap();
    assert!(secret.starts_with("parlo_is_"));
    assert_ne!(secret, created["identity_secret"]);
    assert!(
        !s.get_ok(&format!("/channels/{id}"), &key)
            .await
            .to_string()
            .contains(secret)
    );
    let res = s
        .request(Method::POST, "/channels/ch_nope/rotate-identity-secret", &key)
        .await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn the_snippet_names_the_public_url() {
    let s =
        TestServer::start_with(|config| config.public_url = Some("https://chat.example.com".into())).await;
    let key = s.api_key("demo").await;
    let created = create(&s, &key, &settings()).await;
    let snippet = created["embed_snippet"].as_str().unwrap();
    assert!(
        snippet.contains(r#"src="https://chat.example.com/embed.js""#),
        "{snippet}"
    );
}

/// Presses `title` with `payload` as the widget does and answers the bot's texts.
async fn press_payload(s: &TestServer, token: &str, title: &Value, payload: &Value) -> Vec<String> {
    let body = json!({
        "id": parlo_server::tokens::random_base62(16),
        "input": {"type": "button", "payload": payload, "title": title},
    });
    let res = s.post_message(token, &body).await;
    assert_eq!(res.status(), 200);
    let messages = messages_of(res).await;
    assert_eq!(
        Some(&messages[0].content.text),
        title.as_str().map(str::to_owned).as_ref()
    );
    messages[1..].iter().map(|m| m.content.text.clone()).collect()
}

#[tokio::test]
async fn ice_breakers_and_menu_items_start_their_flows() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut demo = s.get_ok("/channels/demo", &key).await;
    // The seeded demo channel offers both already.
    assert_eq!(
        demo["ice_breakers"][0],
        json!({"title": "What are your opening hours?", "flow": "hours"})
    );
    assert_eq!(demo["main_menu"].as_array().unwrap().len(), 5);
    demo["ice_breakers"] = json!([{"title": "Delivery?", "flow": "delivery"}]);
    demo["main_menu"] = json!([
        {"title": "Prices", "flow": "menu"},
        {"title": "Returns", "url": "https://shop.example/returns"}
    ]);
    let res = s.send_json(Method::PUT, "/channels/demo", &key, &demo).await;
    assert_eq!(res.status(), 200);
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored["ice_breakers"], demo["ice_breakers"]);
    assert_eq!(stored["main_menu"], demo["main_menu"]);

    // The widget gets quick replies and buttons whose payloads start the flows.
    let config: Value = public_config(&s, "demo").await.json().await.unwrap();
    assert_eq!(
        config["main_menu"][1],
        json!({"title": "Returns", "action": {"type": "url", "url": "https://shop.example/returns"}})
    );
    let session = s.session().await;
    let token = &session.session_token;
    let ice_breaker = &config["ice_breakers"][0];
    let replies = press_payload(&s, token, &ice_breaker["title"], &ice_breaker["payload"]).await;
    assert!(replies[0].contains("we deliver bouquets"), "{replies:?}");
    let item = &config["main_menu"][0];
    let replies = press_payload(&s, token, &item["title"], &item["action"]["payload"]).await;
    assert!(replies[0].starts_with("Today's favourites"), "{replies:?}");
}

#[tokio::test]
async fn bad_ice_breakers_and_menu_items_are_422() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut body = settings();
    let delivery = json!({"title": "Delivery?", "flow": "delivery"});
    body["ice_breakers"] = json!([
        delivery, delivery, delivery, delivery,
        {"title": "Our shop", "url": "https://shop.example"}
    ]);
    body["main_menu"] = json!([
        {"title": "Nothing", "flow": "no-such-flow"},
        {"title": "Both", "flow": "menu", "url": "https://shop.example"},
        {"title": " ", "url": "javascript:alert(1)"}
    ]);
    let res = s.send_json(Method::POST, "/channels", &key, &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/ice_breakers",
            "/ice_breakers/4",
            "/main_menu/0/flow",
            "/main_menu/1",
            "/main_menu/2/title",
            "/main_menu/2/url",
        ]
    );
    // Unknown members of an item are refused, not dropped.
    body["ice_breakers"] = json!([{"title": "Delivery?", "flow": "delivery", "payload": "x"}]);
    body["main_menu"] = json!([]);
    let res = s.send_json(Method::POST, "/channels", &key, &body).await;
    assert_problem(res, 422, "validation_failed").await;
}
