//! Management API: listing, finding and deleting subscribers.

use crate::common::{TestServer, assert_problem, error_pointers, item_strings};
use reqwest::Method;
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<&str> {
    item_strings(page, "id")
}

#[tokio::test]
async fn subscribers_are_listed_with_filters_and_pages() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let ada = s
        .newsletter_subscriber("ada@example.com")
        .await
        .subscriber_id
        .to_string();
    let bob = s
        .newsletter_subscriber("Bob@Example.com")
        .await
        .subscriber_id
        .to_string();
    let carla = s.session().await.subscriber_id.to_string();
    // `first_name` comes with the demo (its welcome flow reads it).
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "phone", "type": "text"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    for (sub, field, value) in [(&carla, "first_name", "Carla"), (&bob, "phone", "+4930123")] {
        let body = json!({"fields": [{"field": field, "value": value}]});
        let res = s
            .send_json(Method::PATCH, &format!("/subscribers/{sub}/fields"), &key, &body)
            .await;
        assert_eq!(res.status(), 200);
    }

    let all = s.get_ok("/subscribers", &key).await;
    assert_eq!(
        ids(&all),
        [ada.as_str(), bob.as_str(), carla.as_str()],
        "oldest first"
    );
    assert_eq!(all["items"][0]["tags"], json!(["newsletter"]));
    let first = s.get_ok("/subscribers?limit=2", &key).await;
    assert_eq!(ids(&first), [ada.as_str(), bob.as_str()]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = s
        .get_ok(&format!("/subscribers?limit=2&cursor={cursor}"), &key)
        .await;
    assert_eq!(ids(&rest), [carla.as_str()]);
    assert_eq!(rest["next_cursor"], Value::Null);

    for (query, expected) in [
        ("tag=newsletter", vec![ada.as_str(), bob.as_str()]),
        ("email=BOB%40example.COM", vec![bob.as_str()]),
        ("phone=%2B4930123", vec![bob.as_str()]),
        ("name=carl", vec![carla.as_str()]),
        ("q=CARL", vec![carla.as_str()]),
        ("q=example.com", vec![ada.as_str(), bob.as_str()]),
        ("q=%20%20", vec![ada.as_str(), bob.as_str(), carla.as_str()]),
        ("q=nobody", Vec::<&str>::new()),
        ("field=email&value=ada%40example.com", vec![ada.as_str()]),
        ("tag=newsletter&email=ada%40example.com", vec![ada.as_str()]),
        ("channel=demo", vec![ada.as_str(), bob.as_str(), carla.as_str()]),
        ("channel=elsewhere", Vec::<&str>::new()),
        (
            "created_from=2000-01-01T00:00:00Z&last_seen_to=2999-01-01T00:00:00%2B02:00",
            vec![ada.as_str(), bob.as_str(), carla.as_str()],
        ),
        ("created_from=2999-01-01T00:00:00Z", Vec::<&str>::new()),
    ] {
        assert_eq!(
            ids(&s.get_ok(&format!("/subscribers?{query}"), &key).await),
            expected,
            "{query}"
        );
    }

    let by_id = format!("/subscribers?q={bob}");
    assert_eq!(ids(&s.get_ok(&by_id, &key).await), [bob.as_str()]);

    for (query, status, code) in [
        (
            "created_from=2026-02-01T00:00:00Z&created_to=2026-01-01T00:00:00Z",
            400,
            "invalid_date_range",
        ),
        ("last_seen_from=yesterday", 400, "invalid_date_range"),
        (
            "created_to=0000-01-01T00:00:00%2B01:00",
            400,
            "invalid_date_range",
        ),
        ("cursor=nope", 400, "invalid_cursor"),
        ("limit=101", 400, "invalid_cursor"),
        ("field=email", 400, "bad_request"),
        ("field=nope&value=1", 400, "bad_request"),
    ] {
        let res = s
            .request(Method::GET, &format!("/subscribers?{query}"), &key)
            .await;
        assert_problem(res, status, code).await;
    }
}

#[tokio::test]
async fn a_deleted_subscriber_is_gone_with_its_session() {
    let s = TestServer::start().await;
    s.create_workspace("other").await;
    let key = s.api_key("demo").await;
    let other = s.api_key("other").await;
    let session = s.session().await;
    let sub = session.subscriber_id.to_string();

    // Another workspace neither lists nor deletes it.
    assert_eq!(s.get_ok("/subscribers", &other).await["items"], json!([]));
    let res = s
        .request(Method::DELETE, &format!("/subscribers/{sub}"), &other)
        .await;
    assert_problem(res, 404, "not_found").await;

    let res = s
        .request(Method::DELETE, &format!("/subscribers/{sub}"), &key)
        .await;
    assert_eq!(res.status(), 204);
    let res = s.request(Method::GET, &format!("/subscribers/{sub}"), &key).await;
    assert_problem(res, 404, "not_found").await;
    let res = s
        .client
        .get(s.channel("/messages"))
        .bearer_auth(&session.session_token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = s
        .request(Method::DELETE, &format!("/subscribers/{sub}"), &key)
        .await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn subscribers_are_created_one_at_a_time_and_found() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({
                "channel_id": "demo",
                "first_name": " Ada ",
                "last_name": "Lovelace",
                "email": "Ada@EXAMPLE.com",
                "phone": "+44 (20) 7946-0958",
                "tags": ["vip"],
            }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ada: Value = res.json().await.unwrap();
    let id = ada["id"].as_str().unwrap();
    assert!(parlo_model::subscriber::is_valid_subscriber_id(id), "{id}");
    assert_eq!(ada["channel_id"], "demo");
    assert_eq!(
        ada["fields"],
        json!({"first_name": "Ada", "last_name": "Lovelace", "email": "Ada@example.com", "phone": "+442079460958"})
    );
    assert_eq!(ada["tags"], json!(["vip"]));
    assert_eq!(s.get_ok(&format!("/subscribers/{id}"), &key).await, ada);

    // Found by e-mail (ignoring case), by phone, and by any custom field.
    for query in [
        "field=email&value=ada%40example.COM",
        "field=phone&value=%2B442079460958",
        "field=last_name&value=Lovelace",
    ] {
        let page = s.get_ok(&format!("/subscribers/find?{query}"), &key).await;
        assert_eq!(ids(&page), [id], "{query}");
    }
    let none = s
        .get_ok("/subscribers/find?field=last_name&value=Byron", &key)
        .await;
    assert_eq!(none["items"], json!([]));
    for query in ["field=nope&value=1", "field=email", "limit=5"] {
        let res = s
            .request(Method::GET, &format!("/subscribers/find?{query}"), &key)
            .await;
        assert_problem(res, 400, "bad_request").await;
    }

    // The same e-mail, in any case, is taken.
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({"channel_id": "demo", "email": "ADA@example.com"}),
        )
        .await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains(id), "{problem}");

    // Every invalid member is listed with its pointer; nothing is created.
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({
                "channel_id": "elsewhere",
                "name": "",
                "email": "not an e-mail",
                "phone": "12",
                "fields": [{"field": "nope", "value": "x"}],
                "tags": [42],
            }),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let mut pointers: Vec<&str> = error_pointers(&problem);
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        [
            "/channel_id",
            "/email",
            "/fields/0/field",
            "/name",
            "/phone",
            "/tags/0"
        ]
    );
    assert_eq!(
        s.get_ok("/subscribers", &key).await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({"email": "x@example.com"}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_batch_is_created_whole_or_not_at_all() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let res = s
        .send_json(
            Method::POST,
            "/custom-fields",
            &key,
            &json!({"name": "visits", "type": "number"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let item = |i: usize| {
        json!({
            "channel_id": "demo",
            "email": format!("user{i}@example.com"),
            "fields": [{"field": "visits", "value": i}],
        })
    };

    // One bad item among valid ones: 422 points into it, and nothing is created.
    let mut items: Vec<Value> = (0..5).map(item).collect();
    items[3]["email"] = json!("user3-at-example.com");
    items[4]["fields"][0]["value"] = json!("many");
    let res = s
        .send_json(
            Method::POST,
            "/subscribers/batch",
            &key,
            &json!({"subscribers": items}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = error_pointers(&problem);
    assert_eq!(
        pointers,
        ["/subscribers/3/email", "/subscribers/4/fields/0/value"]
    );
    assert_eq!(s.get_ok("/subscribers", &key).await["items"], json!([]));

    // Two items with one e-mail: 409, nothing created.
    let mut items: Vec<Value> = (0..3).map(item).collect();
    items[2]["email"] = json!("USER0@example.com");
    let res = s
        .send_json(
            Method::POST,
            "/subscribers/batch",
            &key,
            &json!({"subscribers": items}),
        )
        .await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/subscribers/2/email"),
        "{problem}"
    );
    assert_eq!(s.get_ok("/subscribers", &key).await["items"], json!([]));

    // 100 good items: all created, in order.
    let items: Vec<Value> = (0..100).map(item).collect();
    let res = s
        .send_json(
            Method::POST,
            "/subscribers/batch",
            &key,
            &json!({"subscribers": items}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let created = created["items"].as_array().unwrap();
    assert_eq!(created.len(), 100);
    assert_eq!(
        created[7]["fields"],
        json!({"email": "user7@example.com", "visits": "7"})
    );
    let page = s.get_ok("/subscribers/find?field=visits&value=42", &key).await;
    assert_eq!(page["items"][0]["id"], created[42]["id"]);

    // 0 or 101 items, or an item of an existing e-mail, are refused.
    for (body, status) in [
        (json!({"subscribers": []}), 422),
        (
            json!({"subscribers": (0..101).map(|i| item(i + 200)).collect::<Vec<_>>()}),
            422,
        ),
        (json!({"subscribers": [item(500), item(5)]}), 409),
    ] {
        let res = s.send_json(Method::POST, "/subscribers/batch", &key, &body).await;
        assert_eq!(res.status(), status);
    }
    assert_eq!(
        s.get_ok("/subscribers/find?field=email&value=user500%40example.com", &key)
            .await["items"],
        json!([])
    );
}

#[tokio::test]
async fn a_subscriber_is_updated_with_checked_values() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let create = |email: &str| json!({"channel_id": "demo", "name": "Ada", "email": email});
    let ada: Value = s
        .send_json(Method::POST, "/subscribers", &key, &create("ada@example.com"))
        .await
        .json()
        .await
        .unwrap();
    let res = s
        .send_json(Method::POST, "/subscribers", &key, &create("bob@example.com"))
        .await;
    assert_eq!(res.status(), 201);
    let path = format!("/subscribers/{}", ada["id"].as_str().unwrap());

    let res = s
        .send_json(
            Method::PATCH,
            &path,
            &key,
            &json!({"name": null, "first_name": "Augusta", "email": "ADA@example.com", "phone": "030 1234567"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(
        changed["fields"],
        json!({"first_name": "Augusta", "email": "ADA@example.com", "phone": "0301234567"})
    );

    for (body, status, code) in [
        (json!({"email": "bob@EXAMPLE.com"}), 409, "conflict"),
        (json!({"phone": "call me"}), 422, "validation_failed"),
        (json!({"channel_id": "elsewhere"}), 422, "validation_failed"),
        (json!({"first_name": "x".repeat(101)}), 422, "validation_failed"),
        (json!({"nickname": "Ada"}), 422, "validation_failed"),
    ] {
        let res = s.send_json(Method::PATCH, &path, &key, &body).await;
        assert_problem(res, status, code).await;
    }
    assert_eq!(
        s.get_ok(&path, &key).await,
        changed,
        "refused changes change nothing"
    );
}

#[tokio::test]
async fn a_malformed_subscriber_id_is_invalid_on_every_route() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    for id in [
        "nope",
        "sub_short",
        "sub_4ZyT0rW8qk2mB1xLcV9-",
        "4ZyT0rW8qk2mB1xLcV9d1234",
    ] {
        for (method, suffix, body) in [
            (Method::GET, "", None),
            (Method::PATCH, "", Some(json!({"name": "x"}))),
            (Method::DELETE, "", None),
            (Method::POST, "/tags", Some(json!({"tags": ["x"]}))),
            (Method::DELETE, "/tags", Some(json!({"tags": ["x"]}))),
            (
                Method::PATCH,
                "/fields",
                Some(json!({"fields": [{"field": "x", "value": "y"}]})),
            ),
        ] {
            let mut req = s.management(method.clone(), &format!("/subscribers/{id}{suffix}"), &key);
            if let Some(body) = body {
                req = req.json(&body);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 400, "{method} {id}{suffix}");
            assert_problem(res, 400, "invalid_id").await;
        }
    }
}

#[tokio::test]
async fn another_workspace_cannot_reach_created_subscribers() {
    let s = TestServer::start().await;
    s.create_workspace("other").await;
    let key = s.api_key("demo").await;
    let other = s.api_key("other").await;
    let ada: Value = s
        .send_json(
            Method::POST,
            "/subscribers",
            &key,
            &json!({"channel_id": "demo", "email": "ada@example.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/subscribers/{}", ada["id"].as_str().unwrap());
    let res = s
        .send_json(Method::PATCH, &path, &other, &json!({"name": "Eve"}))
        .await;
    assert_problem(res, 404, "not_found").await;
    let found = s
        .get_ok("/subscribers/find?field=email&value=ada%40example.com", &other)
        .await;
    assert_eq!(found["items"], json!([]));
    // The other workspace cannot use demo's channel either, and its e-mails are its own.
    let res = s
        .send_json(
            Method::POST,
            "/subscribers",
            &other,
            &json!({"channel_id": "demo", "email": "ada@example.com"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["pointer"], "/channel_id");
    assert_eq!(s.get_ok(&path, &key).await, ada);
}
