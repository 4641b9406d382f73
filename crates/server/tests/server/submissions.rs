//! Public form submissions: validation, idempotency, anti-spam, rate limits, subscribers.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

/// A form with one field of every type, no minimum fill time, and tagging automation.
fn every_kind() -> Value {
    json!({
        "id": "every-kind",
        "name": "Every kind",
        "min_fill_ms": 0,
        "fields": [
            { "name": "name", "type": "text", "label": "Name", "required": true, "max": 20 },
            { "name": "about", "type": "long_text", "label": "About", "min": 10 },
            { "name": "email", "type": "email", "label": "E-mail", "required": true },
            { "name": "phone", "type": "phone", "label": "Phone" },
            { "name": "guests", "type": "number", "label": "Guests", "min": 1, "max": 200 },
            { "name": "day", "type": "date", "label": "Day", "min_date": "2026-01-01" },
            { "name": "size", "type": "select", "label": "Size",
              "options": [{ "value": "s", "label": "Small" }, { "value": "l", "label": "Large" }] },
            { "name": "colour", "type": "radio", "label": "Colour",
              "options": [{ "value": "red", "label": "Red" }, { "value": "blue", "label": "Blue" }] },
            { "name": "extras", "type": "checkboxes", "label": "Extras", "max": 1,
              "options": [{ "value": "card", "label": "Card" }, { "value": "vase", "label": "Vase" }] },
            { "name": "terms", "type": "consent", "label": "I accept the terms.", "version": "v3", "required": true },
            { "name": "ref", "type": "hidden", "label": "Referral", "pattern": "[A-Z]{3}[0-9]+" }
        ],
        "automations": [{ "type": "add_tags", "tags": ["lead"] }]
    })
}

fn good_values() -> Value {
    json!({ "name": "Ada", "email": "ada@example.com", "terms": true })
}

fn submission(key: &str, values: Value) -> Value {
    json!({ "idempotency_key": key, "values": values })
}

async fn setup() -> (TestServer, String) {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &every_kind()).await;
    (s, key)
}

async fn lead_count(s: &TestServer, key: &str, form_id: &str) -> usize {
    let page = s
        .get_ok(&format!("/leads?form_id={form_id}&limit=100"), key)
        .await;
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn invalid_input_of_every_field_type_gets_its_message() {
    let (s, key) = setup().await;
    let cases = [
        ("name", json!(""), "This field is required."),
        (
            "name",
            json!("x".repeat(21)),
            "Use at most 20 characters (now 21).",
        ),
        ("about", json!("too short"), "Use at least 10 characters."),
        (
            "email",
            json!("ada@example"),
            "Enter an e-mail address like name@example.com.",
        ),
        (
            "phone",
            json!("call me maybe"),
            "Enter a phone number like +44 20 7946 0958 (7 to 15 digits).",
        ),
        ("guests", json!("many"), "Enter a number, like 42 or 3.5."),
        ("guests", json!("0"), "Enter a number of at least 1."),
        (
            "day",
            json!("2026-02-30"),
            "Enter a date as YYYY-MM-DD, like 2026-03-31.",
        ),
        (
            "day",
            json!("2025-12-31"),
            "Choose a date on or after 2026-01-01.",
        ),
        ("size", json!("xl"), "Choose one of the options shown."),
        ("colour", json!("green"), "Choose one of the options shown."),
        ("extras", json!(["card", "vase"]), "Choose at most 1 option."),
        ("extras", json!("card"), "Expected a list of the ticked options."),
        ("terms", json!(false), "Please tick this box to continue."),
        ("ref", json!("abc1"), "Use the format asked for."),
    ];
    for (i, (field, value, message)) in cases.into_iter().enumerate() {
        let mut values = good_values();
        values[field] = value;
        let res = s
            .submit_form("every-kind", &submission(&format!("bad-{i}"), values))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(
            problem["errors"],
            json!([{ "pointer": format!("/values/{field}"), "message": message }]),
            "{field}"
        );
    }
    // Every problem at once, and a value for no field.
    let res = s
        .submit_form("every-kind", &submission("bad-all", json!({ "nope": "x" })))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        ["/values/nope", "/values/name", "/values/email", "/values/terms"]
    );
    let res = s
        .submit_form("every-kind", &submission("not a key!", good_values()))
        .await;
    assert_problem(res, 422, "validation_failed").await;
    assert_eq!(lead_count(&s, &key, "every-kind").await, 0);
}

#[tokio::test]
async fn a_valid_submission_is_cleaned_and_stored_once_per_key() {
    let (s, key) = setup().await;
    let body = json!({
        "idempotency_key": "3b0c5f0e-4a86-4a43-9a51-5b2d0d3f4e10",
        "values": {
            "name": " Ada ", "email": "Ada@Example.COM", "phone": "+44 (20) 7946-0958", "guests": "12",
            "day": "2026-06-01", "size": "l", "colour": "red", "extras": ["vase"], "terms": true, "ref": "ABC123"
        },
        "capture": { "utm_source": "newsletter", "page_url": "https://shop.example/quote", "locale": "en-GB" }
    });
    let first = s.submit_form("every-kind", &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["success"]["type"], "message");
    // A retry (lost answer, queue flush) answers the first answer and stores nothing new.
    let again = s.submit_form("every-kind", &body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    // The same key with other values is refused.
    let mut other = body.clone();
    other["values"]["name"] = json!("Grace");
    let res = s.submit_form("every-kind", &other).await;
    assert_problem(res, 409, "conflict").await;

    let leads = s.get_ok("/leads?form_id=every-kind", &key).await;
    assert_eq!(leads["items"].as_array().unwrap().len(), 1);
    let lead = &leads["items"][0];
    assert_eq!(lead["values"]["name"], "Ada");
    assert_eq!(lead["values"]["email"], "Ada@example.com");
    assert_eq!(lead["values"]["phone"], "+442079460958");
    assert_eq!(lead["values"]["extras"], json!(["vase"]));
    assert_eq!(lead["values"]["terms"], true);
    assert_eq!(
        lead["consents"],
        json!([{ "field": "terms", "text": "I accept the terms.", "version": "v3", "given": true }])
    );
    assert_eq!(lead["capture"]["utm_source"], "newsletter");
    assert_eq!(lead["idempotency_key"], body["idempotency_key"]);

    // A new subscriber with the visitor's details; its lead automation is in the outbox.
    let subscriber = s
        .get_ok(
            &format!("/subscribers/{}", lead["subscriber_id"].as_str().unwrap()),
            &key,
        )
        .await;
    assert_eq!(subscriber["channel_id"], "demo");
    assert_eq!(subscriber["fields"]["email"], "Ada@example.com");
    assert_eq!(subscriber["fields"]["phone"], "+442079460958");
    assert_eq!(subscriber["fields"]["name"], "Ada");
    let stats = s.get_ok("/forms/every-kind/stats", &key).await;
    assert_eq!(stats, json!({ "leads": 1, "honeypot": 0, "too_fast": 0 }));
}

#[tokio::test]
async fn leads_join_the_widget_visitor_or_the_subscriber_with_that_email() {
    let (s, key) = setup().await;
    let visitor = s.session().await;
    let mut body = submission("with-session", good_values());
    body["session_token"] = json!(visitor.session_token);
    assert_eq!(s.submit_form("every-kind", &body).await.status(), 201);
    // Same e-mail, no session: the same subscriber.
    let res = s
        .submit_form("every-kind", &submission("by-email", good_values()))
        .await;
    assert_eq!(res.status(), 201);
    // A phone of a known subscriber, another e-mail: matched by phone.
    let mut values = good_values();
    values["phone"] = json!("+1 555 0100 200");
    values["email"] = json!("grace@example.com");
    s.submit_form("every-kind", &submission("new-phone", values.clone()))
        .await;
    values["email"] = json!("hopper@example.com");
    s.submit_form("every-kind", &submission("by-phone", values)).await;
    // A session token of no one is ignored.
    let mut stranger = submission(
        "stranger",
        json!({ "name": "Bob", "email": "bob@example.com", "terms": true }),
    );
    stranger["session_token"] = json!("not-a-session");
    assert_eq!(s.submit_form("every-kind", &stranger).await.status(), 201);

    let leads = s.get_ok("/leads?form_id=every-kind", &key).await;
    let by_key = |k: &str| {
        leads["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["idempotency_key"] == k)
            .unwrap()["subscriber_id"]
            .clone()
    };
    assert_eq!(by_key("with-session"), json!(visitor.subscriber_id));
    assert_eq!(by_key("by-email"), json!(visitor.subscriber_id));
    assert_eq!(by_key("by-phone"), by_key("new-phone"));
    assert_ne!(by_key("new-phone"), json!(visitor.subscriber_id));
    assert_ne!(by_key("stranger"), json!(visitor.subscriber_id));
    // The widget visitor's profile got the e-mail from the form.
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    assert_eq!(subscriber["fields"]["email"], "ada@example.com");
}

#[tokio::test]
async fn honeypot_and_too_fast_submissions_are_answered_but_make_no_lead() {
    let (s, key) = setup().await;
    let mut slow = every_kind();
    slow["id"] = json!("slow");
    slow["min_fill_ms"] = json!(60_000);
    s.create_form(&key, &slow).await;

    let mut bot = submission("honey", good_values());
    bot["honeypot"] = json!("http://spam.example");
    let res = s.submit_form("every-kind", &bot).await;
    assert_eq!(res.status(), 201);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(
        answer["success"],
        json!({ "type": "message", "text": "Thank you! We have received your message." })
    );
    // Even invalid values get the success answer: bots learn nothing.
    let mut junk = submission("honey-junk", json!({ "email": "no" }));
    junk["honeypot"] = json!("x");
    assert_eq!(s.submit_form("every-kind", &junk).await.status(), 201);

    let form: Value = s
        .client
        .get(s.form_url("slow", ""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut fast = submission("fast", good_values());
    fast["render_token"] = form["render_token"].clone();
    assert_eq!(s.submit_form("slow", &fast).await.status(), 201);
    // No token, or a forged one, is no proof of the fill time either.
    assert_eq!(
        s.submit_form("slow", &submission("no-token", good_values()))
            .await
            .status(),
        201
    );
    let mut forged = submission("forged", good_values());
    forged["render_token"] = json!("1.AAAA");
    assert_eq!(s.submit_form("slow", &forged).await.status(), 201);

    assert_eq!(lead_count(&s, &key, "every-kind").await, 0);
    assert_eq!(lead_count(&s, &key, "slow").await, 0);
    let stats = s.get_ok("/forms/every-kind/stats", &key).await;
    assert_eq!(stats, json!({ "leads": 0, "honeypot": 2, "too_fast": 0 }));
    let stats = s.get_ok("/forms/slow/stats", &key).await;
    assert_eq!(stats, json!({ "leads": 0, "honeypot": 0, "too_fast": 3 }));
}

#[tokio::test]
async fn a_render_token_older_than_the_minimum_fill_time_passes() {
    let (s, key) = setup().await;
    let mut form = every_kind();
    form["id"] = json!("quick");
    form["min_fill_ms"] = json!(1);
    s.create_form(&key, &form).await;
    let public: Value = s
        .client
        .get(s.form_url("quick", ""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Waits out the 1 ms minimum (a person takes seconds); nothing is timed.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let mut body = submission("human", good_values());
    body["render_token"] = public["render_token"].clone();
    assert_eq!(s.submit_form("quick", &body).await.status(), 201);
    assert_eq!(lead_count(&s, &key, "quick").await, 1);
}

#[tokio::test]
async fn submissions_are_rate_limited_per_ip() {
    let s = TestServer::start_with(|config| config.form_ip_rate_limit = 2).await;
    let key = s.api_key("demo").await;
    s.create_form(&key, &every_kind()).await;
    for i in 0..2 {
        let res = s
            .submit_form("every-kind", &submission(&format!("k{i}"), good_values()))
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = s
        .submit_form("every-kind", &submission("k2", good_values()))
        .await;
    // One submission per 30 s: the wait is 30 s less the time the requests took.
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(res.headers()["ratelimit-policy"], "\"form-ip\";q=2;w=60");
    let problem = assert_problem(res, 429, "rate_limited").await;
    assert_eq!(
        problem["detail"],
        format!("too many submissions from this IP address; retry after {retry_after} s")
    );
    assert_eq!(lead_count(&s, &key, "every-kind").await, 2);
}

#[tokio::test]
async fn unknown_and_unpublished_forms_take_no_submissions() {
    let (s, key) = setup().await;
    let res = s.submit_form("missing", &submission("k", good_values())).await;
    assert_problem(res, 404, "not_found").await;
    let mut form = every_kind();
    form["published"] = json!(false);
    let res = s.send_json(Method::PUT, "/forms/every-kind", &key, &form).await;
    assert_eq!(res.status(), 200);
    let res = s.submit_form("every-kind", &submission("k", good_values())).await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn a_retry_after_the_form_is_deleted_gets_its_original_answer() {
    let (s, key) = setup().await;
    let body = submission("before-delete", good_values());
    let res = s.submit_form("every-kind", &body).await;
    assert_eq!(res.status(), 201);
    let accepted: Value = res.json().await.unwrap();
    let res = s.request(Method::DELETE, "/forms/every-kind", &key).await;
    assert_eq!(res.status(), 204);
    // The browser never saw the first answer and retries: same answer, no second lead.
    let res = s.submit_form("every-kind", &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), accepted);
    assert_eq!(lead_count(&s, &key, "every-kind").await, 1);
    // Other values under that key are still a conflict; a new key finds no form.
    let other = submission(
        "before-delete",
        json!({ "name": "Eve", "email": "eve@example.com", "terms": true }),
    );
    assert_problem(s.submit_form("every-kind", &other).await, 409, "conflict").await;
    let res = s
        .submit_form("every-kind", &submission("after-delete", good_values()))
        .await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn the_demo_quote_greets_the_widget_visitor_by_name() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    // The seeded form waits 2 s for a person; this test is not one.
    let mut quote = s.get_ok("/forms/quote", &key).await;
    quote["min_fill_ms"] = json!(0);
    let res = s.send_json(Method::PUT, "/forms/quote", &key, &quote).await;
    assert_eq!(res.status(), 200);

    let visitor = s.session().await;
    let token = &visitor.session_token;
    let last_seq = s.history(token).await.last().map_or(0, |m| m.seq);
    let mut events = s.events(token, &format!("&after={last_seq}"), None).await;
    let body = json!({
        "idempotency_key": "quote-1",
        "session_token": token,
        "values": { "name": "Ada", "email": "ada@example.com", "service": "event_catering", "consent": true }
    });
    assert_eq!(s.submit_form("quote", &body).await.status(), 201);

    // The outbox worker runs the form's automations: the greeting flow writes in the widget.
    let (_, greeting) = events.next_message().await;
    assert!(
        greeting
            .content
            .text
            .starts_with("Hi Ada, thanks for your quote request!"),
        "{greeting:?}"
    );
    let subscriber = s
        .get_ok(&format!("/subscribers/{}", visitor.subscriber_id), &key)
        .await;
    // Automations of one subscriber run in order: the tag and field came before the flow.
    assert!(
        subscriber["tags"].as_array().unwrap().contains(&json!("lead")),
        "{subscriber}"
    );
    assert_eq!(subscriber["fields"]["first_name"], "Ada");
}
