//! Languages: the public channel configuration and the public form answer the strings of
//! the visitor's language (`?locale=`, BCP 47 prefix matching, English otherwise), and an
//! owner's own texts per language win over the built-in ones, with unknown keys refused.

use crate::common::{TestServer, assert_problem, error_pointers};
use reqwest::Method;
use serde_json::{Value, json};

async fn public(s: &TestServer, url: String) -> Value {
    let res = s.client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_channel_answers_the_strings_of_the_first_language_it_has() {
    let s = TestServer::start().await;
    let config = public(&s, s.channel("?locale=ja,de-AT,fr")).await;
    assert_eq!(config["locale"], "de");
    assert_eq!(config["strings"]["widget.composer.send"], "Senden");
    assert!(
        config["strings"].get("form.sent").is_none(),
        "only the widget's keys"
    );

    let config = public(&s, s.channel("?locale=ar")).await;
    assert_eq!(config["strings"]["widget.composer.placeholder"], "اكتب رسالة…");

    // English is the bundle's own: no strings to send.
    for query in ["", "?locale=ja", "?locale=en-GB"] {
        let config = public(&s, s.channel(query)).await;
        assert_eq!(config["locale"], "en", "{query}");
        assert!(config.get("strings").is_none(), "{query}: {config}");
    }
}

#[tokio::test]
async fn the_public_form_answers_its_strings_in_the_language_asked() {
    let s = TestServer::start().await;
    let form = public(&s, s.form_url("quote", "?locale=es-MX")).await;
    assert_eq!(form["locale"], "es");
    assert_eq!(
        form["strings"]["form.error.required"],
        "Este campo es obligatorio."
    );
    assert!(
        form["strings"].get("widget.menu").is_none(),
        "only the forms' keys"
    );
    let form = public(&s, s.form_url("quote", "")).await;
    assert_eq!(form["locale"], "en");
}

#[tokio::test]
async fn owner_texts_win_per_language_and_unknown_keys_are_refused() {
    let s = TestServer::start().await;
    let key = s.api_key("demo").await;
    let mut demo = s.get_ok("/channels/demo", &key).await;
    for member in ["id", "embed_snippet", "archived_at", "created_at"] {
        demo.as_object_mut().unwrap().remove(member);
    }

    // Unknown keys and a malformed tag: 422 naming each, listing the keys there are.
    demo["strings"] = json!({
        "de": {"widget.composer.send": "Los", "widget.nope": "x", "form.sent": "y"},
        "German": {"widget.menu": "Menü"}
    });
    let res = s.send_json(Method::PUT, "/channels/demo", &key, &demo).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let mut pointers = error_pointers(&problem);
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        [
            "/strings/German",
            "/strings/de/form.sent",
            "/strings/de/widget.nope"
        ]
    );
    let message = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pointer"] == "/strings/de/widget.nope")
        .unwrap()["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("widget.composer.placeholder"), "{message}");

    // Valid: German gets the owner's text over the catalogue's, Hebrew becomes a language.
    demo["strings"] = json!({
        "de": {"widget.composer.send": "Los"},
        "he": {"widget.composer.send": "שלח"}
    });
    let res = s.send_json(Method::PUT, "/channels/demo", &key, &demo).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(s.get_ok("/channels/demo", &key).await["strings"], demo["strings"]);
    let de = public(&s, s.channel("?locale=de")).await;
    assert_eq!(de["strings"]["widget.composer.send"], "Los");
    assert_eq!(de["strings"]["widget.menu"], "Menü");
    let he = public(&s, s.channel("?locale=he-IL,de")).await;
    assert_eq!(he["locale"], "he");
    assert_eq!(he["strings"], json!({"widget.composer.send": "שלח"}));
}
