//! The shop inside the chat: the demo's `shop` flow (`show_products`, adding from the
//! carousel, `show_cart`, a question for the e-mail and `checkout` with the payment link),
//! a press carried out once however often it is sent, and two checkouts for the last
//! piece giving one order and one "sold out" message.

use crate::common::{TestServer, assert_problem, bot_texts, error_pointers, messages_of};
use parlo_model::chat::{Button, ButtonAction, Message};
use reqwest::Method;
use serde_json::{Value, json};

/// Every button of `message`: its own, then its cards' in order.
fn buttons(message: &Message) -> Vec<&Button> {
    let cards = message.content.cards.iter().flat_map(|c| &c.buttons);
    message.content.buttons.iter().chain(cards).collect()
}

/// Opens the shop as a visitor does: the menu (keyword `menu`), then its quick reply
/// "Shop bouquets"; the answered messages.
async fn open_shop(s: &TestServer, token: &str) -> Vec<Message> {
    let menu = s.say(token, "menu").await;
    let reply = menu
        .iter()
        .flat_map(|m| &m.content.quick_replies)
        .find(|q| q.title == "Shop bouquets")
        .expect("the menu offers the shop");
    let id = parlo_server::tokens::random_base62(16);
    let body = json!({"id": id, "input": {"type": "button", "payload": reply.payload, "title": reply.title}});
    send(s, token, &body).await
}

/// The visitor input pressing the `nth` button titled `title` of the last bot message of
/// `answer` that has one (a fresh message id each time).
fn press_body(answer: &[Message], title: &str, nth: usize) -> Value {
    let button = answer
        .iter()
        .rev()
        .flat_map(|m| buttons(m).into_iter().filter(|b| b.title == title).nth(nth))
        .next()
        .unwrap_or_else(|| panic!("no button {title:?} in {answer:?}"));
    let ButtonAction::Postback { payload } = &button.action else {
        panic!("{title:?} is a link")
    };
    let id = parlo_server::tokens::random_base62(16);
    json!({"id": id, "input": {"type": "button", "payload": payload, "title": title}})
}

async fn send(s: &TestServer, token: &str, body: &Value) -> Vec<Message> {
    let res = s.post_message(token, body).await;
    assert_eq!(res.status(), 200);
    messages_of(res).await
}

async fn press(s: &TestServer, token: &str, answer: &[Message], title: &str, nth: usize) -> Vec<Message> {
    send(s, token, &press_body(answer, title, nth)).await
}

#[tokio::test]
async fn a_visitor_buys_from_the_demo_shop_in_the_chat() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let session = s.session().await;
    let token = &session.session_token;

    let shop = open_shop(&s, token).await;
    assert_eq!(
        bot_texts(&shop)[..1],
        ["Our bouquets, tied fresh every morning 💐"]
    );
    let carousel = &shop.last().unwrap().content;
    let titles: Vec<&str> = carousel.cards.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Rose bouquet", "Tulip bouquet", "Wildflower bouquet"]);
    assert_eq!(
        carousel.cards[0].subtitle.as_deref(),
        Some("€36.00 · A dozen red roses, hand-tied with eucalyptus.")
    );
    let image = carousel.cards[0].image.as_ref().unwrap();
    assert!(image.url.ends_with("/shop/rose.svg") && image.alt == "Rose bouquet");
    let variants: Vec<&str> = carousel.cards[2]
        .buttons
        .iter()
        .map(|b| b.title.as_str())
        .collect();
    assert_eq!(variants, ["Add small · €18.00", "Add large · €30.00"]);

    // A press is carried out once, even when the widget sends it again.
    let add_rose = press_body(&shop, "Add to cart", 0);
    let added = send(&s, token, &add_rose).await;
    assert_eq!(bot_texts(&added), ["Added Rose bouquet — cart: 1 item, €36.00"]);
    assert_eq!(send(&s, token, &add_rose).await, added);
    let added = press(&s, token, &shop, "Add to cart", 1).await;
    assert_eq!(bot_texts(&added), ["Added Tulip bouquet — cart: 2 items, €60.00"]);
    let offered: Vec<&str> = buttons(&added[1]).iter().map(|b| b.title.as_str()).collect();
    assert_eq!(offered, ["View cart", "Check out", "Keep shopping"]);

    let cart = press(&s, token, &added, "View cart", 0).await;
    assert_eq!(
        bot_texts(&cart),
        ["1 × Rose bouquet — €36.00\n1 × Tulip bouquet — €24.00\nTotal (2 items): €60.00"]
    );
    let more = press(&s, token, &cart, "Keep shopping", 0).await;
    assert_eq!(more.last().unwrap().content.cards.len(), 3);

    // Checking out asks the e-mail address first, then orders and links to the payment.
    let asked = press(&s, token, &cart, "Check out", 0).await;
    assert_eq!(
        bot_texts(&asked),
        ["What's your e-mail address, for the order confirmation?"]
    );
    let done = s.say(token, "ada@example.com").await;
    let orders = s.get_ok("/orders", &key).await;
    let order = &orders["items"][0];
    let id = order["id"].as_i64().unwrap();
    assert_eq!(
        bot_texts(&done),
        [
            format!("Thank you! Your order #{id} (2 items, €60.00) is reserved: please pay it here.")
                .as_str()
        ]
    );
    let pay = &done.last().unwrap().content.buttons[0];
    assert_eq!(pay.title, "Pay €60.00");
    let ButtonAction::Url { url } = &pay.action else {
        panic!("a link expected")
    };
    assert!(
        url.ends_with(&format!("/pay.html?order={id}&amount=60.00&currency=EUR")),
        "{url}"
    );
    assert_eq!(order["total"], json!({"currency": "EUR", "amount": 6000}));
    assert_eq!(order["status"], "pending");
    assert_eq!(order["subscriber_id"], json!(session.subscriber_id));
    assert_eq!(order["buyer"]["email"], "ada@example.com");
    let skus: Vec<&str> = order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["bouquet-rose", "bouquet-tulip"]);
    let path = format!("/subscribers/{}/cart", session.subscriber_id);
    assert_eq!(s.get_ok(&path, &key).await["lines"], json!([]));

    // The cart is empty now; with the e-mail known, "Check out" orders at once.
    let again = press(&s, token, &cart, "Check out", 0).await;
    assert_eq!(bot_texts(&again), ["Your cart is empty."]);
    let empty = press(&s, token, &added, "View cart", 0).await;
    assert_eq!(bot_texts(&empty), ["Your cart is empty."]);
}

/// A product with one piece left, sold by a `shop` flow (replacing the demo's, so the
/// menu's "Shop bouquets" starts it) that checks out at once.
async fn last_piece_shop(s: &TestServer, key: &str) {
    let product = json!({"name": "Last vase", "currency": "EUR", "price": 4500, "sku": "vase", "stock": 1});
    let res = s.send_json(Method::POST, "/products", key, &product).await;
    assert_eq!(res.status(), 201);
    let flow = json!({"id": "shop", "name": "Shop", "start": "products", "steps": {
        "products": {"type": "show_products", "products": ["vase"]}}});
    s.put_flow(key, &flow).await;
}

#[tokio::test]
async fn two_checkouts_for_the_last_piece_give_one_order_and_one_sold_out_message() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let other = s.another_instance().await;
    let servers: Vec<&TestServer> = std::iter::once(&s).chain(other.as_ref()).collect();
    last_piece_shop(&s, &key).await;
    let mut checkouts = Vec::new();
    for i in 0..2 {
        let session = s.session().await;
        let path = format!("/subscribers/{}", session.subscriber_id);
        let email = json!({"name": format!("Buyer {i}"), "email": format!("buyer{i}@example.com")});
        let res = s.send_json(Method::PATCH, &path, &key, &email).await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        let shop = open_shop(&s, &session.session_token).await;
        let added = press(&s, &session.session_token, &shop, "Add to cart", 0).await;
        assert_eq!(bot_texts(&added), ["Added Last vase — cart: 1 item, €45.00"]);
        checkouts.push((session, press_body(&added, "Check out", 0)));
    }
    let answers =
        futures_util::future::join_all(checkouts.iter().enumerate().map(|(i, (session, body))| {
            servers[i % servers.len()].post_message(&session.session_token, body)
        }))
        .await;
    let mut said = Vec::new();
    for res in answers {
        assert_eq!(res.status(), 200);
        let messages = messages_of(res).await;
        said.push(bot_texts(&messages)[0].to_owned());
    }
    said.sort();
    assert_eq!(said[0], "Sorry, Last vase is sold out. Nothing was ordered.");
    assert!(said[1].starts_with("Thank you! Your order #"), "{}", said[1]);
    let orders = s.get_ok("/orders", &key).await;
    assert_eq!(orders["items"].as_array().unwrap().len(), 1);
    let vase = s.get_ok("/products?limit=100", &key).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["settings"]["sku"] == "vase")
        .cloned()
        .unwrap();
    assert_eq!(vase["settings"]["stock"], 0);
    // The one who got nothing keeps the vase in the cart.
    let mut lines = 0;
    for (session, _) in &checkouts {
        let cart = s
            .get_ok(&format!("/subscribers/{}/cart", session.subscriber_id), &key)
            .await;
        lines += cart["lines"].as_array().unwrap().len();
    }
    assert_eq!(lines, 1);
}

#[tokio::test]
async fn the_payment_link_template_is_a_web_url_with_known_placeholders() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let settings = s.get_ok("/shop/settings", &key).await;
    assert!(
        settings["payment_url"]
            .as_str()
            .unwrap()
            .ends_with("/pay.html?order={{order.id}}&amount={{order.total}}&currency={{order.currency}}")
    );
    for bad in [
        "https://pay.example/?o={{order.number}}",
        "javascript:alert({{order.id}})",
        "https://{{buyer.email}}@pay.example/",
    ] {
        let res = s
            .send_json(Method::PUT, "/shop/settings", &key, &json!({"payment_url": bad}))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_pointers(&problem), ["/payment_url"], "{bad}");
    }
    let good =
        json!({"payment_url": "https://pay.example/checkout?order={{order.id}}&amount={{order.amount}}"});
    let res = s.send_json(Method::PUT, "/shop/settings", &key, &good).await;
    assert_eq!(res.status(), 200);
}
