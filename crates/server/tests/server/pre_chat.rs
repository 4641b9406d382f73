//! The channel's pre-chat form in its public configuration: the seeded `demo-prechat`
//! channel names `chat_intro`; a form that is not published is left out, so the widget goes
//! straight to the chat.

use crate::common::TestServer;
use reqwest::Method;
use serde_json::Value;

/// `GET /api/public/v1/channels/{channel}`.
async fn public_config(s: &TestServer, channel: &str) -> Value {
    let url = format!("{}/api/public/v1/channels/{channel}", s.url);
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_public_config_names_the_pre_chat_form_while_it_is_published() {
    let s = TestServer::start().await;
    assert_eq!(
        public_config(&s, "demo-prechat").await["pre_chat_form"],
        "chat_intro"
    );
    assert!(public_config(&s, "demo").await["pre_chat_form"].is_null());

    let key = s.api_key("demo").await;
    let mut form = s.get_ok("/forms/chat_intro", &key).await;
    form["published"] = Value::Bool(false);
    let res = s.send_json(Method::PUT, "/forms/chat_intro", &key, &form).await;
    assert_eq!(res.status(), 200);
    assert!(public_config(&s, "demo-prechat").await["pre_chat_form"].is_null());
}
