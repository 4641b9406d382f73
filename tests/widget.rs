//! The widget's components in a real browser: roles, texts, callbacks, keyboard, isolation.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::client::Client;
    use parlo::widget::components::{Composer, ComposerProps, MessageList, MessageListProps};
    use parlo::widget::state::Entry;
    use parlo::widget::style::LAUNCHER_CSS;
    use parlo::widget::{AppProps, mount};
    use parlo_model::chat::{
        Author, Button, ButtonAction, Message, MessageContent, QuickReply, VisitorInput,
    };
    use parlo_model::ids::MessageId;
    use std::cell::RefCell;
    use std::rc::Rc;
    use support::{all, document, one, render, settle, texts};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{
        Element, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent,
        KeyboardEventInit,
    };
    use yew::Callback;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounting components and querying the DOM.
    mod support {

        use wasm_bindgen::JsCast;
        use web_sys::{Element, HtmlElement};
        use yew::BaseComponent;

        /// The test page's document.
        pub fn document() -> web_sys::Document {
            web_sys::window().unwrap().document().unwrap()
        }

        /// Renders `COMP` with `props` into a fresh `<div>` of the page and waits for the render.
        pub async fn render<COMP: BaseComponent>(props: COMP::Properties) -> Element {
            let root = document().create_element("div").unwrap();
            document().body().unwrap().append_child(&root).unwrap();
            yew::Renderer::<COMP>::with_root_and_props(root.clone(), props).render();
            settle().await;
            root
        }

        /// Lets yew render everything scheduled.
        pub async fn settle() {
            yew::scheduler::flush().await;
        }

        /// The elements under `root` matching `selector`.
        pub fn all(root: &Element, selector: &str) -> Vec<Element> {
            let list = root.query_selector_all(selector).unwrap();
            (0..list.length())
                .map(|i| list.get(i).unwrap().unchecked_into())
                .collect()
        }

        /// The one element under `root` matching `selector`.
        pub fn one(root: &Element, selector: &str) -> HtmlElement {
            root.query_selector(selector)
                .unwrap()
                .unwrap_or_else(|| panic!("no element matches {selector}"))
                .unchecked_into()
        }

        /// The text of each element under `root` matching `selector`.
        pub fn texts(root: &Element, selector: &str) -> Vec<String> {
            all(root, selector)
                .iter()
                .map(|e| e.text_content().unwrap_or_default().trim().to_owned())
                .collect()
        }
    }

    fn message(seq: u64, author: Author, content: MessageContent) -> Entry {
        Entry::stored(Message {
            id: MessageId(format!("m{seq}")),
            seq,
            author,
            content,
            created_at: "2026-11-21T09:30:00Z".into(),
            reply_to: None,
        })
    }

    fn with_quick_replies(text: &str, titles: &[&str]) -> MessageContent {
        MessageContent {
            quick_replies: titles
                .iter()
                .map(|t| QuickReply {
                    title: (*t).into(),
                    payload: t.to_uppercase(),
                })
                .collect(),
            ..MessageContent::text(text)
        }
    }

    /// Collects what a callback receives.
    fn recorder<T: 'static>() -> (Callback<T>, Rc<RefCell<Vec<T>>>) {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        (Callback::from(move |value| sink.borrow_mut().push(value)), seen)
    }

    fn list_props(entries: Vec<Entry>, onaction: Callback<VisitorInput>) -> MessageListProps {
        MessageListProps {
            entries: Rc::new(entries),
            ice_breakers: Rc::new(vec![QuickReply {
                title: "What do you sell?".into(),
                payload: "flow:products".into(),
            }]),
            onaction,
            onretry: Callback::noop(),
            texts: Default::default(),
        }
    }

    fn click(element: &HtmlElement) {
        element.click();
    }

    fn key(target: &Element, key: &str, shift: bool) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        target.dispatch_event(&event).unwrap();
    }

    async fn type_text(textarea: &HtmlTextAreaElement, text: &str) {
        textarea.set_value(text);
        input_event(textarea).await;
    }

    /// Fires the `input` event a visitor's edit of `target` fires.
    async fn input_event(target: &Element) {
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        target.dispatch_event(&event).unwrap();
        settle().await;
    }

    #[wasm_bindgen_test]
    async fn message_list_shows_bot_and_visitor_bubbles_in_a_log() {
        let entries = vec![
            message(1, Author::Bot, MessageContent::text("Welcome to Bloom & Brew!")),
            message(2, Author::Visitor, MessageContent::text("Hi there")),
        ];
        let root = render::<MessageList>(list_props(entries, Callback::noop())).await;
        let log = one(&root, "[role=log]");
        assert_eq!(log.get_attribute("aria-live").as_deref(), Some("polite"));
        assert_eq!(
            texts(&log, ".parlo-msg.parlo-msg--bot[data-seq='1']"),
            ["Welcome to Bloom & Brew!"]
        );
        assert_eq!(
            texts(&log, ".parlo-msg.parlo-msg--visitor[data-seq='2']"),
            ["Hi there"]
        );
        // The visitor has written: no ice breakers any more.
        assert!(texts(&log, "button").is_empty());
    }

    #[wasm_bindgen_test]
    async fn ice_breakers_show_before_the_first_visitor_message_and_send_their_flow_payload() {
        let (onaction, seen) = recorder();
        let entries = vec![message(1, Author::Bot, MessageContent::text("Hello!"))];
        let root = render::<MessageList>(list_props(entries, onaction)).await;
        let buttons = all(&root, "button");
        assert_eq!(texts(&root, "button"), ["What do you sell?"]);
        click(buttons[0].unchecked_ref());
        assert_eq!(
            *seen.borrow(),
            [VisitorInput::Button {
                payload: "flow:products".into(),
                title: "What do you sell?".into()
            }]
        );
    }

    #[wasm_bindgen_test]
    async fn quick_replies_show_only_after_the_last_message() {
        let entries = vec![
            message(
                1,
                Author::Bot,
                with_quick_replies("Coffee or tea?", &["Coffee", "Tea"]),
            ),
            message(2, Author::Visitor, MessageContent::text("Coffee")),
            message(3, Author::Bot, with_quick_replies("Milk?", &["Yes", "No"])),
        ];
        let (onaction, seen) = recorder();
        let root = render::<MessageList>(list_props(entries.clone(), onaction)).await;
        assert_eq!(texts(&root, "button"), ["Yes", "No"]);
        click(all(&root, "button")[1].unchecked_ref());
        assert_eq!(
            *seen.borrow(),
            [VisitorInput::Button {
                payload: "NO".into(),
                title: "No".into()
            }]
        );

        // Once the visitor has answered, the quick replies are gone.
        let answered = entries[..2].to_vec();
        let root = render::<MessageList>(list_props(answered, Callback::noop())).await;
        assert!(texts(&root, "button").is_empty());
    }

    #[wasm_bindgen_test]
    async fn postback_buttons_call_back_with_their_payload() {
        let content = MessageContent {
            buttons: vec![
                Button {
                    title: "Book a table".into(),
                    action: ButtonAction::Postback {
                        payload: "BOOK".into(),
                    },
                },
                Button {
                    title: "Menu".into(),
                    action: ButtonAction::Url {
                        url: "javascript:alert(1)".into(),
                    },
                },
            ],
            ..MessageContent::text("What next?")
        };
        let (onaction, seen) = recorder();
        let root = render::<MessageList>(list_props(vec![message(1, Author::Bot, content)], onaction)).await;
        let bubble = one(&root, ".parlo-msg--bot");
        let buttons = all(&bubble, "button");
        assert_eq!(texts(&bubble, "button"), ["Book a table", "Menu"]);
        click(buttons[0].unchecked_ref());
        // A URL button sends nothing, and a non-http URL is not opened.
        click(buttons[1].unchecked_ref());
        assert_eq!(
            *seen.borrow(),
            [VisitorInput::Button {
                payload: "BOOK".into(),
                title: "Book a table".into()
            }]
        );
    }

    #[wasm_bindgen_test]
    async fn markup_in_messages_is_shown_as_text() {
        let text = "<script>window.parloPwned = 1</script><b>bold</b><img src=x onerror=alert(1)>";
        let entries = vec![message(1, Author::Bot, MessageContent::text(text))];
        let root = render::<MessageList>(list_props(entries, Callback::noop())).await;
        let bubble = one(&root, ".parlo-msg--bot");
        assert_eq!(bubble.text_content().unwrap(), text);
        assert!(all(&bubble, "script, b, img").is_empty());
    }

    #[wasm_bindgen_test]
    async fn composer_sends_on_enter_and_not_on_shift_enter() {
        let (onsend, sent) = recorder();
        let root = render::<Composer>(ComposerProps {
            expects: None,
            onsend,
            autofocus: false,
            texts: Default::default(),
        })
        .await;
        let textarea: HtmlTextAreaElement = one(&root, "textarea[aria-label='Message']").unchecked_into();
        type_text(&textarea, "first line").await;
        key(&textarea, "Enter", true);
        settle().await;
        assert!(sent.borrow().is_empty(), "Shift+Enter must not send");

        key(&textarea, "Enter", false);
        settle().await;
        assert_eq!(*sent.borrow(), ["first line"]);
        assert_eq!(textarea.value(), "", "the composer is cleared after sending");

        type_text(&textarea, "  second  ").await;
        click(&one(&root, "button[aria-label='Send']"));
        settle().await;
        assert_eq!(*sent.borrow(), ["first line", "second"]);
    }

    #[wasm_bindgen_test]
    async fn composer_keyboard_follows_the_expected_answer_kind() {
        let (onsend, sent) = recorder();
        let root = render::<Composer>(ComposerProps {
            expects: Some(parlo_model::validate::FieldKind::Email),
            onsend,
            autofocus: false,
            texts: Default::default(),
        })
        .await;
        let textarea: HtmlTextAreaElement = one(&root, "textarea[aria-label='Message']").unchecked_into();
        assert_eq!(textarea.get_attribute("inputmode").as_deref(), Some("email"));
        assert_eq!(textarea.get_attribute("autocomplete").as_deref(), Some("email"));
        assert_eq!(textarea.get_attribute("autocapitalize").as_deref(), Some("off"));
        type_text(&textarea, "ada@example.com").await;
        key(&textarea, "Enter", false);
        settle().await;
        assert_eq!(*sent.borrow(), ["ada@example.com"]);
    }

    #[wasm_bindgen_test]
    async fn composer_offers_a_date_picker_for_a_date() {
        let (onsend, sent) = recorder();
        let root = render::<Composer>(ComposerProps {
            expects: Some(parlo_model::validate::FieldKind::Date),
            onsend,
            autofocus: false,
            texts: Default::default(),
        })
        .await;
        assert!(
            all(&root, "textarea").is_empty(),
            "the picker replaces the text box"
        );
        let picker: HtmlInputElement = one(&root, "input[type='date'][aria-label='Date']").unchecked_into();
        picker.set_value("2026-12-24");
        input_event(&picker).await;
        key(&picker, "Enter", false);
        settle().await;
        assert_eq!(*sent.borrow(), ["2026-12-24"]);
    }

    #[wasm_bindgen_test]
    async fn composer_refuses_a_too_long_message() {
        let (onsend, sent) = recorder::<String>();
        let root = render::<Composer>(ComposerProps {
            expects: None,
            onsend,
            autofocus: false,
            texts: Default::default(),
        })
        .await;
        let textarea: HtmlTextAreaElement = one(&root, "textarea[aria-label='Message']").unchecked_into();
        type_text(
            &textarea,
            &"a".repeat(parlo_model::chat::MAX_VISITOR_TEXT_CHARS + 1),
        )
        .await;
        key(&textarea, "Enter", false);
        settle().await;
        assert!(sent.borrow().is_empty());
        assert_eq!(texts(&root, "[role=alert]"), ["That message is too long."]);
    }

    /// A host element in the page, styled by hostile page CSS.
    fn hostile_page() -> HtmlElement {
        let style = document().create_element("style").unwrap();
        style.set_text_content(Some(
            "* { all: unset !important } button { display: none !important } \
             div { display: none !important; position: static !important; z-index: 0 !important }",
        ));
        document().head().unwrap().append_child(&style).unwrap();
        let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        host.set_attribute("data-parlo-widget", "test").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        host
    }

    #[wasm_bindgen_test]
    async fn widget_lives_in_a_shadow_root_that_page_css_does_not_break() {
        let host = hostile_page();
        let props = AppProps {
            // Nothing listens there: the widget must still draw itself.
            client: Client::new(
                "http://127.0.0.1:9",
                format!("test-{}", js_sys::Math::random()).into(),
            ),
            open: false,
            theme: Default::default(),
            config: None,
            control: Default::default(),
            events: Default::default(),
            scheme: Default::default(),
            visitor: Default::default(),
        };
        let widget = mount(&host, props).unwrap();
        settle().await;
        let shadow = host.shadow_root().expect("an open shadow root");
        // Styled by one adopted stylesheet, no `<style>` element (a strict CSP blocks those).
        assert_eq!(shadow.adopted_style_sheets().length(), 1);
        let shadow: &web_sys::DocumentFragment = shadow.as_ref();
        assert!(shadow.query_selector("style").unwrap().is_none());

        let launcher: HtmlElement = shadow
            .query_selector("button[aria-label='Open chat']")
            .unwrap()
            .unwrap()
            .unchecked_into();
        let window = web_sys::window().unwrap();
        let css = window.get_computed_style(&launcher).unwrap().unwrap();
        assert_eq!(css.get_property_value("display").unwrap(), "flex");
        assert_eq!(css.get_property_value("position").unwrap(), "fixed");
        let rect = launcher.get_bounding_client_rect();
        assert!(
            rect.width() >= 56.0 && rect.height() >= 56.0,
            "launcher is {}x{}",
            rect.width(),
            rect.height()
        );
        let host_css = window.get_computed_style(&host).unwrap().unwrap();
        assert_eq!(host_css.get_property_value("display").unwrap(), "block");
        assert_eq!(host_css.get_property_value("z-index").unwrap(), "2147483000");

        // Opening shows the dialog and focuses the composer; Esc closes it and refocuses the launcher.
        launcher.click();
        settle().await;
        let dialog: HtmlElement = shadow
            .query_selector("[role=dialog]")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert_eq!(dialog.get_attribute("aria-label").as_deref(), Some("Chat chat"));
        assert_eq!(
            launcher.get_attribute("aria-label").as_deref(),
            Some("Close chat")
        );
        assert_eq!(launcher.get_attribute("aria-expanded").as_deref(), Some("true"));
        let root = host.shadow_root().unwrap();
        let focused = root.active_element().expect("something focused");
        assert_eq!(focused.get_attribute("aria-label").as_deref(), Some("Message"));
        let composer_css = window.get_computed_style(&focused).unwrap().unwrap();
        assert_eq!(composer_css.get_property_value("font-size").unwrap(), "16px");
        key(&focused, "Escape", false);
        settle().await;
        assert!(shadow.query_selector("[role=dialog]").unwrap().is_none());
        let focused = root.active_element().expect("launcher focused");
        assert_eq!(focused.get_attribute("aria-label").as_deref(), Some("Open chat"));

        widget.unmount();
        assert_eq!(shadow.child_element_count(), 0);
    }

    #[wasm_bindgen_test]
    fn loader_draws_the_same_launcher() {
        let loader = include_str!("../js/loader.js");
        assert!(
            loader.contains(LAUNCHER_CSS),
            "js/loader.js must embed LAUNCHER_CSS verbatim"
        );
    }
}
