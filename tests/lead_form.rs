//! The lead form in a real browser: labels and aria, the honeypot, 16 px inputs, the
//! per-field messages of the model's validation for every field kind (after leaving a field,
//! and for all of them on submit, the focus moving to the first). (The submission body is the
//! model's `Submission`, checked against the server's JSON in `tests/wire.rs`.)
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::client::transport::from_json;
    use parlo::lead_form::{LeadForm, LeadFormProps};
    use parlo_model::form::PublicForm;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, EventInit, HtmlElement, HtmlInputElement};

    wasm_bindgen_test_configure!(run_in_browser);

    /// A form with one field of every kind, as the server's JSON gives it.
    const FORM: &str = r#"{
      "id": "all", "name": "Every kind", "submit_label": "Send it",
      "success": { "type": "message", "text": "Thanks!" },
      "render_token": "rt",
      "fields": [
        { "name": "name", "type": "text", "label": "Name", "required": true, "min": 2 },
        { "name": "code", "type": "text", "label": "Code", "pattern": "[A-Z]{3}", "help": "three capitals" },
        { "name": "about", "type": "long_text", "label": "About", "max": 10 },
        { "name": "email", "type": "email", "label": "E-mail", "required": true },
        { "name": "phone", "type": "phone", "label": "Phone" },
        { "name": "guests", "type": "number", "label": "Guests", "min": 1, "max": 50 },
        { "name": "day", "type": "date", "label": "Day", "required": true, "min_date": "2026-01-01" },
        { "name": "size", "type": "select", "label": "Size", "required": true,
          "options": [{ "value": "s", "label": "Small" }, { "value": "l", "label": "Large" }] },
        { "name": "colour", "type": "radio", "label": "Colour", "required": true,
          "options": [{ "value": "red", "label": "Red" }, { "value": "blue", "label": "Blue" }] },
        { "name": "extras", "type": "checkboxes", "label": "Extras", "min": 2,
          "options": [{ "value": "card", "label": "Card" }, { "value": "vase", "label": "Vase" },
                      { "value": "beans", "label": "Beans" }] },
        { "name": "terms", "type": "consent", "label": "I agree to be contacted.", "required": true,
          "version": "2026-01" },
        { "name": "campaign", "type": "hidden", "label": "Campaign", "default": "spring" }
      ]
    }"#;

    fn public_form() -> PublicForm {
        from_json(FORM.to_owned()).unwrap()
    }

    fn document() -> web_sys::Document {
        web_sys::window().unwrap().document().unwrap()
    }

    async fn settle() {
        yew::scheduler::flush().await;
    }

    async fn render() -> Element {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        let props = LeadFormProps {
            api_base: "http://127.0.0.1:9".into(),
            form: "all".into(),
            listeners: Default::default(),
            preload: Some(Rc::new(public_form())),
            locale: None,
            capture: Default::default(),
            preview: false,
        };
        yew::Renderer::<LeadForm>::with_root_and_props(root.clone(), props).render();
        settle().await;
        settle().await;
        root
    }

    fn one(root: &Element, selector: &str) -> HtmlElement {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .unchecked_into()
    }

    fn text(root: &Element, selector: &str) -> String {
        one(root, selector)
            .text_content()
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    fn fire(target: &Element, kind: &str) {
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
        target.dispatch_event(&event).unwrap();
    }

    /// Types `value` into the input `#pf-{name}` and leaves it.
    async fn fill(root: &Element, name: &str, value: &str) {
        let input: HtmlInputElement = one(root, &format!("#pf-{name}")).unchecked_into();
        input.set_value(value);
        fire(&input, "input");
        settle().await;
        fire(&input, "blur");
        settle().await;
    }

    /// The message shown for field `name` (`None` when valid), checking that the input says
    /// so with `aria-invalid` and points at it with `aria-describedby`.
    fn error(root: &Element, name: &str) -> Option<String> {
        let input = one(root, &format!("#pf-{name}"));
        let message = root
            .query_selector(&format!("#pf-{name}-e"))
            .unwrap()
            .map(|e| e.text_content().unwrap_or_default());
        let described = input.get_attribute("aria-describedby").unwrap_or_default();
        match &message {
            Some(_) => {
                assert_eq!(
                    input.get_attribute("aria-invalid").as_deref(),
                    Some("true"),
                    "{name}"
                );
                assert!(
                    described.split(' ').any(|id| id == format!("pf-{name}-e")),
                    "{name}: {described}"
                );
            }
            None => assert_eq!(input.get_attribute("aria-invalid"), None, "{name}"),
        }
        message
    }

    #[wasm_bindgen_test]
    async fn every_field_has_a_label_and_the_honeypot_is_out_of_reach() {
        let root = render().await;
        for (name, label) in [
            ("name", "Name *"),
            ("code", "Code"),
            ("about", "About"),
            ("email", "E-mail *"),
            ("phone", "Phone"),
            ("guests", "Guests"),
            ("day", "Day *"),
            ("size", "Size *"),
        ] {
            assert_eq!(text(&root, &format!("label[for='pf-{name}']")), label);
        }
        let legends: Vec<String> = (0..2)
            .map(|i| {
                let list = root.query_selector_all("fieldset > legend").unwrap();
                list.get(i).unwrap().text_content().unwrap().trim().to_owned()
            })
            .collect();
        assert_eq!(legends, ["Colour *", "Extras"]);
        assert_eq!(text(&root, "label:has(#pf-terms)"), "I agree to be contacted.");
        assert_eq!(
            one(&root, "#pf-email").get_attribute("type").as_deref(),
            Some("email")
        );
        assert_eq!(
            one(&root, "#pf-phone").get_attribute("type").as_deref(),
            Some("tel")
        );
        assert_eq!(
            one(&root, "#pf-day").get_attribute("type").as_deref(),
            Some("date")
        );
        assert_eq!(
            one(&root, "#pf-guests").get_attribute("inputmode").as_deref(),
            Some("decimal")
        );
        assert_eq!(text(&root, "#pf-code-h"), "three capitals");
        assert!(
            one(&root, "#pf-code")
                .get_attribute("aria-describedby")
                .as_deref()
                == Some("pf-code-h")
        );
        assert!(
            root.query_selector("[name=campaign]").unwrap().is_none(),
            "hidden fields draw nothing"
        );
        let trap = one(&root, "input[name=website]");
        assert_eq!(trap.get_attribute("tabindex").as_deref(), Some("-1"));
        assert_eq!(trap.get_attribute("autocomplete").as_deref(), Some("off"));
        assert!(trap.closest("[aria-hidden=true]").unwrap().is_some());
        assert_eq!(text(&root, "button[type=submit]"), "Send it");
        root.remove();
    }

    #[wasm_bindgen_test]
    async fn inputs_use_16px_text() {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        let host: HtmlElement = root.clone().unchecked_into();
        let props = LeadFormProps {
            api_base: "http://127.0.0.1:9".into(),
            form: "all".into(),
            listeners: Default::default(),
            preload: Some(Rc::new(public_form())),
            locale: None,
            capture: Default::default(),
            preview: false,
        };
        let mounted = parlo::lead_form::mount_form(&host, props).unwrap();
        settle().await;
        settle().await;
        let shadow = host.shadow_root().unwrap();
        let email = shadow.query_selector("#pf-email").unwrap().unwrap();
        let style = web_sys::window()
            .unwrap()
            .get_computed_style(&email)
            .unwrap()
            .unwrap();
        assert_eq!(style.get_property_value("font-size").unwrap(), "16px");
        mounted.unmount();
        root.remove();
    }

    /// The browser reads number fields with JavaScript's `Number`: for the text the model
    /// hands over, the same `f64` as Rust's parser (the server's), and none where it finds none.
    #[wasm_bindgen_test]
    fn numbers_read_as_rusts_parser_reads_them() {
        use parlo::lead_form::pattern::JsPatterns;
        use parlo_model::form::PatternMatcher;
        let texts = [
            "42",
            "-0",
            "+7",
            "3.5",
            "1.",
            ".5",
            "-.25",
            "1e3",
            "2E-3",
            "1.e5",
            "+.5e-3",
            "00012",
            "0.30000000000000004",
            "9007199254740993",
            "123456789012345678901234567890",
            "1e400",
            "-1e400",
            "1e-400",
            ".",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "+-1",
            "1-2",
            "1.2.3",
            "1e5e5",
            "--1",
            "1ee5",
            ".e1",
        ];
        for text in texts {
            let js = JsPatterns.parse_number(text).map(f64::to_bits);
            let rust = text.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(js, rust, "{text}");
        }
    }

    #[wasm_bindgen_test]
    async fn each_kind_shows_the_models_message_after_the_field_is_left() {
        let root = render().await;
        // Nothing is said before a field has been left.
        let input: HtmlInputElement = one(&root, "#pf-email").unchecked_into();
        input.set_value("ada@");
        fire(&input, "input");
        settle().await;
        assert_eq!(error(&root, "email"), None);

        let cases = [
            ("name", "A", "Use at least 2 characters."),
            ("code", "abc", "Use the format asked for: three capitals"),
            (
                "about",
                "far more than ten",
                "Use at most 10 characters (now 17).",
            ),
            ("email", "ada@", "Enter an e-mail address like name@example.com."),
            (
                "phone",
                "12ab",
                "Enter a phone number like +44 20 7946 0958 (7 to 15 digits).",
            ),
            ("guests", "lots", "Enter a number, like 42 or 3.5."),
            ("guests", "51", "Enter a number of at most 50."),
            ("day", "2025-12-31", "Choose a date on or after 2026-01-01."),
        ];
        for (name, value, message) in cases {
            fill(&root, name, value).await;
            assert_eq!(error(&root, name).as_deref(), Some(message), "{name} = {value:?}");
        }
        // Once left, the message follows every keystroke.
        let input: HtmlInputElement = one(&root, "#pf-email").unchecked_into();
        input.set_value("ada@example.com");
        fire(&input, "input");
        settle().await;
        assert_eq!(error(&root, "email"), None);
        root.remove();
    }

    #[wasm_bindgen_test]
    async fn submit_shows_every_message_and_focuses_the_first_invalid_field() {
        let root = render().await;
        fill(&root, "name", "Ada").await;
        one(&root, "button[type=submit]").click();
        settle().await;
        settle().await;
        assert_eq!(error(&root, "name"), None);
        assert_eq!(error(&root, "email").as_deref(), Some("This field is required."));
        assert_eq!(error(&root, "size").as_deref(), Some("Choose an option."));
        assert_eq!(error(&root, "colour").as_deref(), Some("Choose an option."));
        assert_eq!(
            error(&root, "terms").as_deref(),
            Some("Please tick this box to continue.")
        );
        assert_eq!(error(&root, "extras"), None, "optional and empty");
        let focused = document().active_element().unwrap();
        assert_eq!(focused.id(), "pf-email", "focus on the first invalid field");

        // Choices: one checkbox is too few, two are fine; ticking the consent clears it.
        one(&root, "input[name=extras][value=card]").click();
        settle().await;
        assert_eq!(
            error(&root, "extras").as_deref(),
            Some("Choose at least 2 options.")
        );
        one(&root, "input[name=extras][value=vase]").click();
        settle().await;
        assert_eq!(error(&root, "extras"), None);
        one(&root, "#pf-terms").click();
        settle().await;
        assert_eq!(error(&root, "terms"), None);
        one(&root, "input[name=colour][value=blue]").click();
        settle().await;
        assert_eq!(error(&root, "colour"), None);
        root.remove();
    }
}
