//! Management API: the shop — products with variants, a subscriber's cart with totals per
//! currency, orders from the cart or from lines with their status transitions, stock that
//! never goes below zero under concurrent orders (and comes back on cancel or refund), the
//! order events' webhooks, and orders kept without contact details when their buyer is
//! erased.

use crate::common::webhooks::{Receiver, webhook};
use crate::common::{TestServer, assert_problem, error_pointers};
use reqwest::Method;
use serde_json::{Value, json};

async fn created(s: &TestServer, path: &str, key: &str, body: &Value) -> Value {
    let res = s.send_json(Method::POST, path, key, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 201, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn ok(s: &TestServer, method: Method, path: &str, key: &str, body: &Value) -> Value {
    let res = s.send_json(method, path, key, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn tee() -> Value {
    json!({
        "name": " T-shirt ", "description": "Organic cotton.",
        "images": ["https://example.com/tee.jpg"], "currency": "EUR", "price": 1500, "sku": "tee",
        "variants": [
            {"options": {"size": "M"}, "price": 1500, "sku": "tee-m", "stock": 5},
            {"options": {"size": "XL"}, "price": 1700, "sku": "tee-xl", "stock": 1}
        ]
    })
}

async fn subscriber(s: &TestServer, key: &str) -> String {
    let sub = created(s, "/subscribers", key, &json!({"channel_id": "demo"})).await;
    sub["id"].as_str().unwrap().to_owned()
}

fn buyer() -> Value {
    json!({"name": "Ada Lovelace", "email": "Ada@Example.com", "phone": "+44 20 7946 0958"})
}

#[tokio::test]
async fn products_are_managed_with_variants_and_unique_skus() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let product = created(&s, "/products", &key, &tee()).await;
    assert_eq!(product["settings"]["name"], "T-shirt");
    assert_eq!(product["settings"]["active"], true);
    assert_eq!(product["settings"]["variants"][1]["stock"], 1);
    let id = product["id"].as_i64().unwrap();
    let path = format!("/products/{id}");
    assert_eq!(s.get_ok(&path, &key).await, product);

    // Every rule at its pointer, and SKUs taken by another product.
    let res = s
        .send_json(
            Method::POST,
            "/products",
            &key,
            &json!({"name": "", "currency": "eur", "price": -5, "sku": "tee", "images": ["ftp://x"],
                    "variants": [{"options": {}, "price": 1, "sku": "a b"}]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_pointers(&problem),
        [
            "/name",
            "/images/0",
            "/currency",
            "/price",
            "/variants/0/options",
            "/variants/0/sku"
        ]
    );
    // A currency must be an active ISO 4217 code, not just three letters.
    for (code, accepted) in [("XYZ", false), ("HRK", false), ("JPY", true), ("BHD", true)] {
        let mut priced = tee();
        priced["sku"] = json!(format!("tee-{code}"));
        priced["variants"] = json!([]);
        priced["currency"] = json!(code);
        let res = s.send_json(Method::POST, "/products", &key, &priced).await;
        if accepted {
            assert_eq!(res.status(), 201, "{code}");
            let priced: Value = res.json().await.unwrap();
            let path = format!("/products/{}", priced["id"]);
            assert_eq!(s.request(Method::DELETE, &path, &key).await.status(), 204);
        } else {
            let problem = assert_problem(res, 422, "validation_failed").await;
            assert_eq!(error_pointers(&problem), ["/currency"], "{code}");
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("ISO 4217"),
                "{problem}"
            );
        }
    }
    let mut clash = tee();
    clash["sku"] = json!("tee2");
    let res = s.send_json(Method::POST, "/products", &key, &clash).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/variants/0/sku", "/variants/1/sku"]);

    // Replace keeps its own SKUs free for itself; the list pages in id order.
    let mut changed = tee();
    changed["price"] = json!(1600);
    changed["variants"] = json!([]);
    changed["stock"] = json!(3);
    let replaced = ok(&s, Method::PUT, &path, &key, &changed).await;
    assert_eq!(
        (
            replaced["settings"]["price"].as_i64(),
            replaced["settings"]["stock"].as_i64()
        ),
        (Some(1600), Some(3))
    );
    assert_eq!(replaced["settings"]["variants"], json!([]));
    let mut mug = tee();
    mug["sku"] = json!("mug");
    mug["variants"] = json!([]);
    let mug = created(&s, "/products", &key, &mug).await;
    // After the demo's three products.
    let demo = s.get_ok("/products?limit=3", &key).await;
    let after_demo = demo["next_cursor"].as_str().unwrap();
    let first = s
        .get_ok(&format!("/products?limit=1&cursor={after_demo}"), &key)
        .await;
    assert_eq!(first["items"][0]["id"], id);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = s
        .get_ok(&format!("/products?limit=1&cursor={cursor}"), &key)
        .await;
    assert_eq!(second["items"][0]["id"], mug["id"]);
    assert!(second["next_cursor"].is_null());

    assert_eq!(s.request(Method::DELETE, &path, &key).await.status(), 204);
    assert_problem(s.request(Method::GET, &path, &key).await, 404, "not_found").await;
    assert_problem(
        s.request(Method::GET, "/products/x", &key).await,
        400,
        "invalid_id",
    )
    .await;
}

#[tokio::test]
async fn a_cart_is_priced_on_the_server() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    created(&s, "/products", &key, &tee()).await;
    let mut usd = tee();
    usd["sku"] = json!("cap");
    usd["currency"] = json!("USD");
    usd["price"] = json!(999);
    usd["variants"] = json!([]);
    created(&s, "/products", &key, &usd).await;
    let sub = subscriber(&s, &key).await;
    let cart = format!("/subscribers/{sub}/cart");
    let items = format!("{cart}/items");

    let empty = s.get_ok(&cart, &key).await;
    assert_eq!(
        (empty["lines"].clone(), empty["totals"].clone()),
        (json!([]), json!([]))
    );
    ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "tee-m", "quantity": 2}),
    )
    .await;
    ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "tee-m", "quantity": 1}),
    )
    .await;
    let both = ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "cap", "quantity": 2}),
    )
    .await;
    assert_eq!(both["lines"][0]["quantity"], 3, "added to its line");
    assert_eq!(both["lines"][0]["total"], 4500);
    assert_eq!(both["lines"][0]["options"], json!({"size": "M"}));
    assert_eq!(
        both["totals"],
        json!([{"currency": "EUR", "amount": 4500}, {"currency": "USD", "amount": 1998}])
    );
    let set = ok(
        &s,
        Method::PUT,
        &format!("{items}/tee-m"),
        &key,
        &json!({"quantity": 1}),
    )
    .await;
    assert_eq!(set["totals"][0]["amount"], 1500);
    let removed = ok(&s, Method::DELETE, &format!("{items}/cap"), &key, &json!(null)).await;
    assert_eq!(removed["totals"], json!([{"currency": "EUR", "amount": 1500}]));
    assert_problem(
        s.request(Method::DELETE, &format!("{items}/cap"), &key).await,
        404,
        "not_found",
    )
    .await;

    // What cannot go in a cart.
    for (body, pointer) in [
        (json!({"sku": "tee", "quantity": 1}), "/sku"),
        (json!({"sku": "nope", "quantity": 1}), "/sku"),
        (json!({"sku": "cap", "quantity": 0}), "/quantity"),
    ] {
        let res = s.send_json(Method::POST, &items, &key, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_pointers(&problem), [pointer], "{body}");
    }
    assert_eq!(s.request(Method::DELETE, &cart, &key).await.status(), 204);
    assert_eq!(s.get_ok(&cart, &key).await["lines"], json!([]));
    let unknown = "/subscribers/sub_00000000000000000000/cart";
    assert_problem(s.request(Method::GET, unknown, &key).await, 404, "not_found").await;
}

#[tokio::test]
async fn orders_snapshot_the_cart_and_follow_allowed_transitions() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let product = created(&s, "/products", &key, &tee()).await;
    let mut receiver = Receiver::start().await;
    let endpoint = s.webhook_endpoint(&key, &receiver.url("/orders")).await;
    let hook = serde_json::to_value(webhook(&endpoint)).unwrap();
    ok(
        &s,
        Method::PUT,
        "/shop/settings",
        &key,
        &json!({"order_created": [hook], "order_paid": [hook], "order_cancelled": [hook]}),
    )
    .await;
    let sub = subscriber(&s, &key).await;
    let items = format!("/subscribers/{sub}/cart/items");
    ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "tee-m", "quantity": 2}),
    )
    .await;

    let order = created(
        &s,
        "/orders",
        &key,
        &json!({"subscriber_id": sub, "buyer": buyer()}),
    )
    .await;
    assert_eq!(order["status"], "pending");
    assert_eq!(
        order["buyer"]["email"], "Ada@example.com",
        "the domain in lower case"
    );
    assert_eq!(order["total"], json!({"currency": "EUR", "amount": 3000}));
    assert_eq!(order["lines"][0]["unit_price"], 1500);
    assert_eq!(
        s.get_ok(&format!("/subscribers/{sub}/cart"), &key).await["lines"],
        json!([])
    );
    let event = receiver.next().await.json();
    assert_eq!(
        (event["type"].as_str(), &event["data"]["id"]),
        (Some("order.created"), &order["id"])
    );

    // The order keeps its prices when the product changes; its stock was taken.
    let mut dearer = tee();
    dearer["variants"][0]["price"] = json!(9900);
    let path = format!("/products/{}", product["id"]);
    let mut stock_kept = dearer.clone();
    stock_kept["variants"][0]["stock"] = json!(3);
    ok(&s, Method::PUT, &path, &key, &stock_kept).await;
    let id = order["id"].as_i64().unwrap();
    let order_path = format!("/orders/{id}");
    assert_eq!(s.get_ok(&order_path, &key).await["lines"][0]["unit_price"], 1500);

    // Transitions: allowed ones move it, others are 409 naming both statuses.
    let status = format!("{order_path}/status");
    let res = s
        .send_json(Method::POST, &status, &key, &json!({"status": "fulfilled"}))
        .await;
    let problem = assert_problem(res, 409, "invalid_transition").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("from pending to fulfilled"),
        "{problem}"
    );
    let paid = ok(&s, Method::POST, &status, &key, &json!({"status": "paid"})).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(receiver.next().await.json()["type"], "order.paid");
    ok(&s, Method::POST, &status, &key, &json!({"status": "fulfilled"})).await;
    for next in ["paid", "pending", "cancelled", "fulfilled"] {
        let res = s
            .send_json(Method::POST, &status, &key, &json!({"status": next}))
            .await;
        assert_problem(res, 409, "invalid_transition").await;
    }
    ok(&s, Method::POST, &status, &key, &json!({"status": "refunded"})).await;
    assert_eq!(
        s.get_ok(&path, &key).await["settings"]["variants"][0]["stock"],
        5,
        "a refund puts the 2 pieces back"
    );
    let res = s
        .send_json(Method::POST, &status, &key, &json!({"status": "paid"}))
        .await;
    assert_problem(res, 409, "invalid_transition").await;

    // A direct order, cancelled: its stock comes back and `order.cancelled` is sent.
    let direct = created(
        &s,
        "/orders",
        &key,
        &json!({"lines": [{"sku": "tee-xl", "quantity": 1}], "buyer": buyer()}),
    )
    .await;
    assert_eq!(receiver.next().await.json()["type"], "order.created");
    assert_eq!(s.get_ok(&path, &key).await["settings"]["variants"][1]["stock"], 0);
    let direct_status = format!("/orders/{}/status", direct["id"]);
    ok(
        &s,
        Method::POST,
        &direct_status,
        &key,
        &json!({"status": "cancelled"}),
    )
    .await;
    assert_eq!(receiver.next().await.json()["type"], "order.cancelled");
    assert_eq!(s.get_ok(&path, &key).await["settings"]["variants"][1]["stock"], 1);

    // Lists: newest first, filtered, paged.
    let all = s.get_ok("/orders", &key).await;
    let ids: Vec<&Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids, [&direct["id"], &order["id"]]);
    let refunded = s.get_ok("/orders?status=refunded", &key).await;
    assert_eq!(refunded["items"].as_array().unwrap().len(), 1);
    let mine = s.get_ok(&format!("/orders?subscriber_id={sub}"), &key).await;
    assert_eq!(mine["items"][0]["id"], order["id"]);
    let page = s.get_ok("/orders?limit=1", &key).await;
    let next = s
        .get_ok(
            &format!("/orders?limit=1&cursor={}", page["next_cursor"].as_str().unwrap()),
            &key,
        )
        .await;
    assert_eq!(next["items"][0]["id"], order["id"]);
    assert!(next["next_cursor"].is_null());
    let future = s.get_ok("/orders?from=2999-01-01T00:00:00Z", &key).await;
    assert_eq!(future["items"], json!([]));
    let bad = s
        .request(
            Method::GET,
            "/orders?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            &key,
        )
        .await;
    assert_problem(bad, 400, "invalid_date_range").await;
}

#[tokio::test]
async fn orders_reject_bad_lines_with_every_problem() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    created(&s, "/products", &key, &tee()).await;
    let mut cap = tee();
    cap["sku"] = json!("cap");
    cap["currency"] = json!("USD");
    cap["variants"] = json!([]);
    created(&s, "/products", &key, &cap).await;
    let res = s
        .send_json(
            Method::POST,
            "/orders",
            &key,
            &json!({"lines": [{"sku": "tee-m", "quantity": 0}, {"sku": "tee-m", "quantity": 1}],
                    "buyer": {"name": "Ada", "email": "not-an-address"}}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/lines/0/quantity", "/lines/1/sku"]);
    let res = s
        .send_json(
            Method::POST,
            "/orders",
            &key,
            &json!({"lines": [{"sku": "tee-m", "quantity": 1}], "buyer": {"name": "Ada", "email": "nope"}}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/buyer/email"]);
    let res = s
        .send_json(
            Method::POST,
            "/orders",
            &key,
            &json!({"lines": [{"sku": "tee-m", "quantity": 1}, {"sku": "cap", "quantity": 1}, {"sku": "tee", "quantity": 1}],
                    "buyer": buyer()}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/lines/2/sku", "/lines"]);
    let res = s
        .send_json(Method::POST, "/orders", &key, &json!({"buyer": buyer()}))
        .await;
    assert_problem(res, 422, "validation_failed").await;
    assert_eq!(s.get_ok("/orders", &key).await["items"], json!([]));
}

/// On PostgreSQL the orders go to two server instances on the one database, as behind a
/// load balancer.
#[tokio::test]
async fn concurrent_orders_for_the_last_piece_give_one_order() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let other = s.another_instance().await;
    let servers: Vec<&TestServer> = std::iter::once(&s).chain(other.as_ref()).collect();
    let product = created(&s, "/products", &key, &tee()).await;
    let body = json!({"lines": [{"sku": "tee-xl", "quantity": 1}], "buyer": buyer()});
    let answers = futures_util::future::join_all(
        (0..6).map(|i| servers[i % servers.len()].send_json(Method::POST, "/orders", &key, &body)),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409]);
    for res in answers.into_iter().filter(|r| r.status() == 409) {
        let problem = assert_problem(res, 409, "out_of_stock").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("'tee-xl' has 0 pieces left"),
            "{problem}"
        );
    }
    let stored = s.get_ok(&format!("/products/{}", product["id"]), &key).await;
    assert_eq!(stored["settings"]["variants"][1]["stock"], 0);
    let orders = s.get_ok("/orders", &key).await;
    assert_eq!(orders["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn shop_settings_name_only_the_workspace_s_endpoints() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut demo = s.get_ok("/shop/settings", &key).await;
    assert!(demo["payment_url"].as_str().unwrap().contains("/pay.html?"));
    demo.as_object_mut().unwrap().remove("payment_url");
    assert_eq!(
        demo,
        json!({"order_created": [], "order_paid": [], "order_cancelled": []})
    );
    let res = s
        .send_json(
            Method::PUT,
            "/shop/settings",
            &key,
            &json!({"order_paid": [{"type": "add_tags", "tags": ["customer"]}, {"type": "webhook", "endpoint_id": 999}]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_pointers(&problem), ["/order_paid/1/endpoint_id"]);
    let tags = json!({"order_paid": [{"type": "add_tags", "tags": ["customer"]}]});
    ok(&s, Method::PUT, "/shop/settings", &key, &tags).await;
    assert_eq!(
        s.get_ok("/shop/settings", &key).await["order_paid"],
        tags["order_paid"]
    );
}

#[tokio::test]
async fn a_visitor_s_cart_and_orders_follow_them_when_they_sign_in() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    created(&s, "/products", &key, &tee()).await;
    let rotated: Value = s
        .request(Method::POST, "/channels/demo/rotate-identity-secret", &key)
        .await
        .json()
        .await
        .unwrap();
    let secret = rotated["identity_secret"].as_str().unwrap().to_owned();
    let hash = parlo_server::identity::user_hash(&secret, "buyer-1");
    let user =
        |token: Option<&str>| json!({"session_token": token, "user": {"id": "buyer-1", "user_hash": hash}});
    let start = |body: Value| s.client.post(s.channel("/sessions")).json(&body).send();
    let known: Value = start(user(None)).await.unwrap().json().await.unwrap();
    let known_id = known["subscriber_id"].as_str().unwrap();
    let known_items = format!("/subscribers/{known_id}/cart/items");
    ok(
        &s,
        Method::POST,
        &known_items,
        &key,
        &json!({"sku": "tee-m", "quantity": 1}),
    )
    .await;

    // Anonymous in another browser: a cart and an order, then the page says who they are.
    let anonymous = s.session().await;
    let items = format!("/subscribers/{}/cart/items", anonymous.subscriber_id);
    ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "tee-m", "quantity": 3}),
    )
    .await;
    ok(
        &s,
        Method::POST,
        &items,
        &key,
        &json!({"sku": "tee-xl", "quantity": 1}),
    )
    .await;
    let body = json!({"subscriber_id": anonymous.subscriber_id,
                      "lines": [{"sku": "tee-m", "quantity": 1}], "buyer": buyer()});
    let order = created(&s, "/orders", &key, &body).await;
    let res = start(user(Some(&anonymous.session_token))).await.unwrap();
    assert_eq!(res.status(), 200);

    let cart = s.get_ok(&format!("/subscribers/{known_id}/cart"), &key).await;
    let lines: Vec<(&str, i64)> = cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["sku"].as_str().unwrap(), l["quantity"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [("tee-m", 1), ("tee-xl", 1)],
        "the signed-in cart's lines win"
    );
    let moved = s.get_ok(&format!("/orders/{}", order["id"]), &key).await;
    assert_eq!(moved["subscriber_id"], known_id);
}

#[tokio::test]
async fn an_order_with_an_idempotency_key_is_created_once() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    created(&s, "/products", &key, &tee()).await;
    let body = json!({"lines": [{"sku": "tee-m", "quantity": 2}], "buyer": buyer()});
    let post = |body: &Value, idempotency_key: &str| {
        s.management(Method::POST, "/orders", &key)
            .header("Idempotency-Key", idempotency_key)
            .json(body)
            .send()
    };
    let first: Value = post(&body, "order-81f3c2").await.unwrap().json().await.unwrap();
    let repeat = post(&body, "order-81f3c2").await.unwrap();
    assert_eq!(repeat.status(), 201);
    assert_eq!(repeat.json::<Value>().await.unwrap()["id"], first["id"]);
    let stock = s
        .get_ok(&format!("/products/{}", first["lines"][0]["product_id"]), &key)
        .await;
    assert_eq!(stock["settings"]["variants"][0]["stock"], 3, "taken once");
    let mut other = body.clone();
    other["lines"][0]["quantity"] = json!(1);
    assert_problem(post(&other, "order-81f3c2").await.unwrap(), 409, "conflict").await;
    assert_eq!(
        s.get_ok("/orders", &key).await["items"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn erasing_a_buyer_keeps_their_orders_without_contact_details() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    created(&s, "/products", &key, &tee()).await;
    let sub = subscriber(&s, &key).await;
    let mut details = buyer();
    details["address"] = json!("12 St James's Square, London");
    let order = created(
        &s,
        "/orders",
        &key,
        &json!({"subscriber_id": sub, "lines": [{"sku": "tee-m", "quantity": 2}], "buyer": details}),
    )
    .await;
    let other = created(
        &s,
        "/orders",
        &key,
        &json!({"lines": [{"sku": "tee-xl", "quantity": 1}], "buyer": buyer()}),
    )
    .await;

    let res = s
        .request(Method::POST, &format!("/subscribers/{sub}/erase"), &key)
        .await;
    assert_eq!(res.status(), 204);
    let kept = s.get_ok(&format!("/orders/{}", order["id"]), &key).await;
    assert_eq!(
        kept["buyer"],
        json!({"name": "erased", "email": "erased@invalid", "phone": null, "address": null})
    );
    assert!(kept.get("subscriber_id").is_none(), "{kept}");
    for member in ["lines", "total", "status", "created_at"] {
        assert_eq!(kept[member], order[member], "{member}");
    }
    let text = kept.to_string();
    assert!(
        !text.contains("Ada") && !text.contains("7946") && !text.contains("London"),
        "{text}"
    );
    // Another buyer's order is untouched.
    assert_eq!(s.get_ok(&format!("/orders/{}", other["id"]), &key).await, other);
}
