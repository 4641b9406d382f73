//! Verified visitor identity on the session start: a valid `user_hash` joins the visitor to
//! the workspace's subscriber with that external id (merging the anonymous conversation),
//! a wrong or missing one is refused and changes nothing, and unsigned profile members and
//! attributes are custom fields, never identity. UTM parameters, referrer and landing page
//! are kept on the subscriber.

use crate::common::{TestServer, assert_problem};
use parlo_model::chat::{Author, Session};
use parlo_server::identity::user_hash;
use reqwest::Method;
use serde_json::{Value, json};

/// The demo channel's identity secret, freshly rotated.
async fn secret(s: &TestServer, key: &str) -> String {
    let res = s
        .request(Method::POST, "/channels/demo/rotate-identity-secret", key)
        .await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    rotated["identity_secret"].as_str().unwrap().to_owned()
}

/// `POST /sessions` on the demo channel with `body`.
async fn start(s: &TestServer, body: &Value) -> reqwest::Response {
    s.client
        .post(s.channel("/sessions"))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// `start` that must answer `status`; answers the session.
async fn started(s: &TestServer, body: &Value, status: u16) -> Session {
    let res = start(s, body).await;
    let code = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The visitor texts of a history.
fn visitor_texts(messages: &[parlo_model::chat::Message]) -> Vec<&str> {
    messages
        .iter()
        .filter(|m| m.author == Author::Visitor)
        .map(|m| m.content.text.as_str())
        .collect()
}

#[tokio::test]
async fn a_valid_hash_joins_the_users_subscriber_and_merges_the_anonymous_conversation() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let secret = secret(&s, &key).await;
    let user = |token: Option<&str>| {
        json!({
            "session_token": token,
            "user": {"id": "user-42", "email": "ada@example.com", "name": "Ada", "user_hash": user_hash(&secret, "user-42")}
        })
    };

    // The user's first browser: a new subscriber with that external id.
    let first = started(&s, &user(None), 201).await;
    s.say(&first.session_token, "hello from the laptop").await;

    // Another browser: an anonymous visitor chats, then the page tells who they are.
    let anonymous = s.session().await;
    s.say(&anonymous.session_token, "hi from the phone").await;
    let joined = started(&s, &user(Some(&anonymous.session_token)), 200).await;
    assert!(!joined.created);
    assert_eq!(joined.subscriber_id, first.subscriber_id);
    assert_eq!(
        joined.session_token, anonymous.session_token,
        "the token now opens the user's conversation"
    );

    // Both browsers see one conversation: the laptop's messages, then the phone's.
    for token in [&first.session_token, &joined.session_token] {
        let history = s.history(token).await;
        assert_eq!(
            visitor_texts(&history),
            ["hello from the laptop", "hi from the phone"]
        );
        let seqs: Vec<u64> = history.iter().map(|m| m.seq).collect();
        assert_eq!(
            seqs,
            (1..=history.len() as u64).collect::<Vec<_>>(),
            "seqs without gaps"
        );
        assert_eq!(joined.last_seq, history.len() as u64);
    }
    let said = s.say(&joined.session_token, "one more").await;
    assert!(said.iter().any(|m| m.content.text == "one more"));
    assert_eq!(visitor_texts(&s.history(&first.session_token).await).len(), 3);

    // The owner sees one subscriber with the external id; the anonymous one is gone.
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", first.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["external_id"], "user-42");
    let found = s.get_ok("/subscribers?q=user-42", &key).await;
    assert_eq!(found["items"][0]["id"], first.subscriber_id.to_string());
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(subscriber["fields"]["email"], "ada@example.com");
    assert_eq!(subscriber["fields"]["name"], "Ada");
    let gone = s
        .request(
            Method::GET,
            &format!("/subscribers/{}", anonymous.subscriber_id),
            &key,
        )
        .await;
    assert_eq!(gone.status(), 404);

    // A third browser of the same user, with no session: a new token of the same subscriber.
    let third = started(&s, &user(None), 200).await;
    assert_eq!(third.subscriber_id, first.subscriber_id);
    assert_eq!(visitor_texts(&s.history(&third.session_token).await).len(), 3);
}

#[tokio::test]
async fn a_delayed_bot_answer_of_the_anonymous_conversation_arrives_once_after_the_merge() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let secret = secret(&s, &key).await;
    s.slow_hours_flow(&key).await;
    let user = |token: Option<&str>| {
        json!({
            "session_token": token,
            "user": {"id": "user-7", "user_hash": user_hash(&secret, "user-7")}
        })
    };
    let first = started(&s, &user(None), 201).await;
    s.say(&first.session_token, "hello from the laptop").await;

    // The anonymous visitor asks; the bot's answer is still scheduled when they sign in.
    let anonymous = s.session().await;
    s.say(&anonymous.session_token, "opening hours?").await;
    let joined = started(&s, &user(Some(&anonymous.session_token)), 200).await;
    assert_eq!(joined.subscriber_id, first.subscriber_id);

    let mut sse = s
        .events(
            &joined.session_token,
            &format!("&after={}", joined.last_seq),
            None,
        )
        .await;
    let (seq, message) = sse.next_message().await;
    assert_eq!(message.content.text, "We open at 7:30.");
    assert_eq!(seq, joined.last_seq + 1);
    let history = s.history(&first.session_token).await;
    let answers = history
        .iter()
        .filter(|m| m.content.text == "We open at 7:30.")
        .count();
    assert_eq!(
        answers, 1,
        "the delayed answer arrives once in the merged conversation"
    );
}

#[tokio::test]
async fn a_wrong_or_missing_hash_is_refused_and_nothing_is_merged() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let secret = secret(&s, &key).await;
    let owner = started(
        &s,
        &json!({"user": {"id": "user-42", "user_hash": user_hash(&secret, "user-42")}}),
        201,
    )
    .await;
    let anonymous = s.session().await;
    s.say(&anonymous.session_token, "my secret question").await;

    let forged = [
        json!({"id": "user-42", "user_hash": user_hash("parlo_is_guessed", "user-42")}),
        json!({"id": "user-42", "user_hash": user_hash(&secret, "user-43")}),
        json!({"id": "user-42", "user_hash": user_hash(&secret, "user-42").to_uppercase()}),
        json!({"id": "user-42", "email": "ada@example.com"}),
    ];
    for user in forged {
        let res = start(
            &s,
            &json!({"session_token": anonymous.session_token, "user": user}),
        )
        .await;
        let problem = assert_problem(res, 403, "identity_invalid").await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("user_hash"), "{detail}");
        // Also without a session: no subscriber is made for the forged id.
        let res = start(&s, &json!({"user": user})).await;
        assert_problem(res, 403, "identity_invalid").await;
    }
    let res = start(
        &s,
        &json!({"user": {"id": "user-42", "user_hash": "00"}, "session_token": anonymous.session_token}),
    )
    .await;
    let problem = assert_problem(res, 403, "identity_invalid").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("does not match"),
        "{problem}"
    );

    // Nothing moved: each conversation is as it was, the anonymous visitor is still anonymous.
    assert!(visitor_texts(&s.history(&owner.session_token).await).is_empty());
    assert_eq!(
        visitor_texts(&s.history(&anonymous.session_token).await),
        ["my secret question"]
    );
    let visitor = s
        .get_ok(&format!("/subscribers/{}", anonymous.subscriber_id), &key)
        .await;
    assert!(visitor.get("external_id").is_none(), "{visitor}");
    assert!(visitor["fields"].get("email").is_none(), "{visitor}");
    let resumed = started(&s, &json!({"session_token": anonymous.session_token}), 200).await;
    assert_eq!(resumed.subscriber_id, anonymous.subscriber_id);
}

#[tokio::test]
async fn unsigned_profile_and_attributes_are_custom_fields_never_identity() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let secret = secret(&s, &key).await;
    let verified = started(
        &s,
        &json!({"user": {"id": "user-42", "email": "ada@example.com", "user_hash": user_hash(&secret, "user-42")}}),
        201,
    )
    .await;

    // Same e-mail, no id: stored as this visitor's fields, not joined to the user.
    let body = json!({
        "user": {"email": "Ada@Example.com", "name": "Ada L.", "phone": "+44 20 7946 0958"},
        "attributes": {"plan": "pro", "seats": 3, "beta": true},
        "capture": {"utm_source": "newsletter", "utm_campaign": "spring", "referrer": "https://news.example/",
                    "landing_page": "https://shop.example/?utm_source=newsletter&utm_campaign=spring"}
    });
    let visitor = started(&s, &body, 201).await;
    assert_ne!(visitor.subscriber_id, verified.subscriber_id);
    let got = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    assert!(got.get("external_id").is_none(), "{got}");
    assert_eq!(got["fields"]["email"], "Ada@example.com");
    assert_eq!(got["fields"]["name"], "Ada L.");
    assert_eq!(got["fields"]["phone"], "+442079460958");
    assert_eq!(got["fields"]["plan"], "pro");
    assert_eq!(got["fields"]["seats"], "3");
    assert_eq!(got["fields"]["beta"], "true");
    assert_eq!(got["capture"]["utm_source"], "newsletter");
    assert_eq!(got["capture"]["utm_campaign"], "spring");
    assert_eq!(got["capture"]["referrer"], "https://news.example/");

    // Later attributes on the resumed session change fields; the first touch stays.
    let resumed = started(
        &s,
        &json!({"session_token": visitor.session_token, "attributes": {"plan": "team"},
                "capture": {"utm_source": "ads"}}),
        200,
    )
    .await;
    assert_eq!(resumed.subscriber_id, visitor.subscriber_id);
    let got = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    assert_eq!(got["fields"]["plan"], "team");
    assert_eq!(got["capture"]["utm_source"], "newsletter");

    // The verified user's profile is untouched.
    let user = s
        .get_ok(&format!("/subscribers/{}", verified.subscriber_id), &key)
        .await;
    assert_eq!(user["fields"]["email"], "ada@example.com");
    assert!(user["fields"].get("plan").is_none());

    // Malformed members are a 422 naming each.
    let res = start(
        &s,
        &json!({"user": {"email": "not-an-address", "user_hash": "ab"}, "attributes": {"Bad Name": 1}}),
    )
    .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers = crate::common::error_pointers(&problem);
    assert_eq!(
        pointers,
        ["/user/email", "/user/user_hash", "/attributes/Bad Name"]
    );
}

#[tokio::test]
async fn another_user_on_the_same_browser_gets_their_own_conversation() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let secret = secret(&s, &key).await;
    let user = |id: &str, token: Option<&str>| json!({"session_token": token, "user": {"id": id, "user_hash": user_hash(&secret, id)}});
    let ada = started(&s, &user("ada", None), 201).await;
    s.say(&ada.session_token, "Ada's question").await;

    // Ada logs out without `reset()`, Grace logs in: the stored token is Ada's.
    let grace = started(&s, &user("grace", Some(&ada.session_token)), 201).await;
    assert_ne!(grace.subscriber_id, ada.subscriber_id);
    assert_ne!(
        grace.session_token, ada.session_token,
        "Grace gets a token of her own"
    );
    assert!(visitor_texts(&s.history(&grace.session_token).await).is_empty());
    assert_eq!(
        visitor_texts(&s.history(&ada.session_token).await),
        ["Ada's question"],
        "Ada's conversation is hers alone"
    );

    // A rotated secret makes the old hashes worthless.
    let old = user_hash(&secret, "ada");
    let rotated = self::secret(&s, &key).await;
    let res = start(&s, &json!({"user": {"id": "ada", "user_hash": old}})).await;
    assert_problem(res, 403, "identity_invalid").await;
    let again = started(
        &s,
        &json!({"user": {"id": "ada", "user_hash": user_hash(&rotated, "ada")}}),
        200,
    )
    .await;
    assert_eq!(again.subscriber_id, ada.subscriber_id);
}
