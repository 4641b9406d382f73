//! Management API: listing, finding and deleting subscribers.

mod common;

use common::{TestServer, assert_problem};
use reqwest::Method;
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
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
    for (name, t) in [("first_name", "text"), ("phone", "text")] {
        let res = s
            .send_json(
                Method::POST,
                "/custom-fields",
                &key,
                &json!({"name": name, "type": t}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
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
            .management(Method::GET, &format!("/subscribers?{query}"), &key)
            .send()
            .await
            .unwrap();
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
        .management(Method::DELETE, &format!("/subscribers/{sub}"), &other)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;

    let res = s
        .management(Method::DELETE, &format!("/subscribers/{sub}"), &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = s
        .management(Method::GET, &format!("/subscribers/{sub}"), &key)
        .send()
        .await
        .unwrap();
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
        .management(Method::DELETE, &format!("/subscribers/{sub}"), &key)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}
