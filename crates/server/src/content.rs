//! Content sent through the management API ([`parlo_model::conversation`]): checked and
//! turned into the [`MessageContent`] the widget shows.
//!
//! Rules (limits in [`parlo_model::chat`] and [`parlo_model::flow`]; Messenger's send API
//! documents the same ones): text 1..=2000 characters; up to 10 buttons under a text, 3
//! under a card; up to 13 quick replies; 1..=10 cards in a carousel; card title 1..=80,
//! subtitle ≤ 80 characters; button titles 1..=40; image and link URLs absolute
//! `http`/`https` (≤ 2000 bytes); alternative text ≤ 300 characters. A button either opens
//! `url` or starts `flow` (a flow of the workspace); quick replies start a flow.

use parlo_engine::flow_payload;
use parlo_model::chat::{
    Button, ButtonAction, Card, Image, MAX_ALT_CHARS, MAX_CARD_BUTTONS, MAX_CARD_TEXT_CHARS, MAX_CARDS,
    MessageContent, QuickReply,
};
use parlo_model::conversation::{ContentCard, ContentMessage};
use parlo_model::flow::{ButtonDef, MAX_BUTTONS, MAX_QUICK_REPLIES, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use parlo_model::link::check_web_url;
use parlo_model::problem::FieldError;
use parlo_model::validate::{MemberRule, Rule, URL, items, non_blank, up_to};

/// What [`Checker`] checks of one member at a time (and that messages and actions have no
/// unknown members, as serde reads them), for the API document (the members a button may
/// combine, and the flows named, are checked, not stated).
pub const SCHEMA_RULES: [MemberRule; 18] = [
    ("ContentMessage", "", Rule::Closed),
    ("ContentAction", "", Rule::Closed),
    ("ContentMessageText", "text", non_blank(MAX_TEXT_CHARS)),
    ("ContentMessageText", "buttons", items(0, MAX_BUTTONS)),
    ("ContentMessageText", "quick_replies", QUICK_REPLIES),
    ("ContentMessageImage", "url", URL),
    ("ContentMessageImage", "alt", up_to(MAX_ALT_CHARS)),
    ("ContentMessageImage", "quick_replies", QUICK_REPLIES),
    ("ContentMessageCard", "title", non_blank(MAX_CARD_TEXT_CHARS)),
    ("ContentMessageCard", "subtitle", up_to(MAX_CARD_TEXT_CHARS)),
    ("ContentMessageCard", "buttons", CARD_BUTTONS),
    ("ContentMessageCard", "quick_replies", QUICK_REPLIES),
    ("ContentMessageCarousel", "cards", items(1, MAX_CARDS)),
    ("ContentMessageCarousel", "quick_replies", QUICK_REPLIES),
    ("ContentCard", "title", non_blank(MAX_CARD_TEXT_CHARS)),
    ("ContentCard", "subtitle", up_to(MAX_CARD_TEXT_CHARS)),
    ("ContentCard", "buttons", CARD_BUTTONS),
    ("Image", "url", URL),
];

/// Quick replies of a message.
const QUICK_REPLIES: Rule = items(0, MAX_QUICK_REPLIES);

/// Buttons of a card.
const CARD_BUTTONS: Rule = items(0, MAX_CARD_BUTTONS);

/// Checks sent content against the rules above, collecting every problem with its JSON
/// pointer; `flow_exists` tells whether the workspace has a flow.
pub struct Checker<'a> {
    /// Problems found so far.
    pub errors: Vec<FieldError>,
    flow_exists: &'a dyn Fn(&str) -> bool,
}

impl<'a> Checker<'a> {
    /// A checker for a workspace whose flows `flow_exists` knows.
    pub fn new(flow_exists: &'a dyn Fn(&str) -> bool) -> Self {
        Self {
            errors: Vec::new(),
            flow_exists,
        }
    }

    fn error(&mut self, pointer: String, message: impl Into<String>) {
        self.errors.push(FieldError::new(pointer, message));
    }

    /// Checks that `text` has at most `max` characters as sent, and is not blank when
    /// `min > 0`.
    fn length(&mut self, pointer: String, text: &str, min: usize, max: usize) {
        let n = text.chars().count();
        if n > max || (min > 0 && text.trim().is_empty()) {
            let blank = if min > 0 { ", not blank" } else { "" };
            self.error(
                pointer,
                format!("must be {min}..={max} characters{blank}, is {n}"),
            );
        }
    }

    fn count(&mut self, pointer: String, len: usize, max: usize, what: &str) {
        if len > max {
            self.error(pointer, format!("at most {max} {what}"));
        }
    }

    fn image(&mut self, at: &str, image: &Image) {
        if let Err(problem) = check_web_url(&image.url) {
            self.error(format!("{at}/url"), problem);
        }
        self.length(format!("{at}/alt"), &image.alt, 0, MAX_ALT_CHARS);
    }

    /// The payload of a button or quick reply starting `flow`, when the flow exists.
    fn flow_target(&mut self, at: &str, flow: &str) -> String {
        if !(self.flow_exists)(flow) {
            self.error(format!("{at}/flow"), format!("no flow named '{flow}'"));
        }
        flow_payload(&flow.into())
    }

    fn button(&mut self, at: &str, def: &ButtonDef) -> Button {
        self.length(format!("{at}/title"), &def.title, 1, MAX_TITLE_CHARS);
        let action = match (&def.next, &def.flow, &def.url) {
            (None, Some(flow), None) => ButtonAction::Postback {
                payload: self.flow_target(at, flow.as_str()),
            },
            (None, None, Some(url)) => {
                if let Err(problem) = check_web_url(url) {
                    self.error(format!("{at}/url"), problem);
                }
                ButtonAction::Url { url: url.clone() }
            }
            _ => {
                self.error(
                    at.to_owned(),
                    "set exactly one of 'flow' and 'url' ('next' needs a flow step)",
                );
                ButtonAction::Url { url: String::new() }
            }
        };
        Button {
            title: def.title.trim().to_owned(),
            action,
        }
    }

    /// The buttons of `defs`, at most `max`, found at pointer `list`.
    pub fn buttons(&mut self, list: &str, defs: &[ButtonDef], max: usize) -> Vec<Button> {
        self.count(list.to_owned(), defs.len(), max, "buttons");
        defs.iter()
            .enumerate()
            .map(|(i, d)| self.button(&format!("{list}/{i}"), d))
            .collect()
    }

    /// The quick replies of `defs`, at most `max`, found at pointer `list`: each starts a
    /// flow.
    pub fn quick_replies(&mut self, list: &str, defs: &[ButtonDef], max: usize) -> Vec<QuickReply> {
        self.count(list.to_owned(), defs.len(), max, "quick replies");
        defs.iter()
            .enumerate()
            .map(|(i, def)| {
                let at = format!("{list}/{i}");
                self.length(format!("{at}/title"), &def.title, 1, MAX_TITLE_CHARS);
                let payload = match (&def.next, &def.flow, &def.url) {
                    (None, Some(flow), None) => self.flow_target(&at, flow.as_str()),
                    _ => {
                        self.error(at, "set 'flow' only: quick replies start a flow");
                        String::new()
                    }
                };
                QuickReply {
                    title: def.title.trim().to_owned(),
                    payload,
                }
            })
            .collect()
    }

    fn card(&mut self, at: &str, card: &ContentCard) -> Card {
        self.length(format!("{at}/title"), &card.title, 1, MAX_CARD_TEXT_CHARS);
        if let Some(subtitle) = &card.subtitle {
            self.length(format!("{at}/subtitle"), subtitle, 0, MAX_CARD_TEXT_CHARS);
        }
        if let Some(image) = &card.image {
            self.image(&format!("{at}/image"), image);
        }
        Card {
            title: card.title.trim().to_owned(),
            subtitle: card.subtitle.clone(),
            image: card.image.clone(),
            buttons: self.buttons(&format!("{at}/buttons"), &card.buttons, MAX_CARD_BUTTONS),
        }
    }

    /// Checks message `message` (at pointer `at`) and answers what the widget will show.
    pub fn message(&mut self, at: &str, message: ContentMessage) -> MessageContent {
        match message {
            ContentMessage::Text {
                text,
                buttons,
                quick_replies,
            } => {
                self.length(format!("{at}/text"), &text, 1, MAX_TEXT_CHARS);
                MessageContent {
                    buttons: self.buttons(&format!("{at}/buttons"), &buttons, MAX_BUTTONS),
                    quick_replies: self.quick_replies(
                        &format!("{at}/quick_replies"),
                        &quick_replies,
                        MAX_QUICK_REPLIES,
                    ),
                    ..MessageContent::text(text)
                }
            }
            ContentMessage::Image {
                url,
                alt,
                quick_replies,
            } => {
                let image = Image { url, alt };
                self.image(at, &image);
                MessageContent {
                    image: Some(image),
                    quick_replies: self.quick_replies(
                        &format!("{at}/quick_replies"),
                        &quick_replies,
                        MAX_QUICK_REPLIES,
                    ),
                    ..MessageContent::default()
                }
            }
            ContentMessage::Card {
                title,
                subtitle,
                image,
                buttons,
                quick_replies,
            } => {
                let card = ContentCard {
                    title,
                    subtitle,
                    image,
                    buttons,
                };
                MessageContent {
                    cards: vec![self.card(at, &card)],
                    quick_replies: self.quick_replies(
                        &format!("{at}/quick_replies"),
                        &quick_replies,
                        MAX_QUICK_REPLIES,
                    ),
                    ..MessageContent::default()
                }
            }
            ContentMessage::Carousel { cards, quick_replies } => {
                if cards.is_empty() || cards.len() > MAX_CARDS {
                    self.error(format!("{at}/cards"), format!("must hold 1..={MAX_CARDS} cards"));
                }
                MessageContent {
                    cards: cards
                        .iter()
                        .enumerate()
                        .map(|(i, c)| self.card(&format!("{at}/cards/{i}"), c))
                        .collect(),
                    quick_replies: self.quick_replies(
                        &format!("{at}/quick_replies"),
                        &quick_replies,
                        MAX_QUICK_REPLIES,
                    ),
                    ..MessageContent::default()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str) -> (MessageContent, Vec<String>) {
        let message: ContentMessage = serde_json::from_str(json).unwrap();
        let exists = |f: &str| f == "menu";
        let mut checker = Checker::new(&exists);
        let content = checker.message("/messages/0", message);
        (content, checker.errors.into_iter().map(|e| e.pointer).collect())
    }

    #[test]
    fn cards_become_content_with_flow_payloads() {
        let (content, errors) = check(
            r#"{"type":"card","title":"Cake","subtitle":"Fresh",
                "image":{"url":"https://example.com/c.jpg","alt":"A cake"},
                "buttons":[{"title":"Menu","flow":"menu"},{"title":"Shop","url":"https://example.com"}]}"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(content.cards[0].title, "Cake");
        assert_eq!(
            content.cards[0].buttons[0].action,
            ButtonAction::Postback {
                payload: "flow:menu".into()
            }
        );
    }

    #[test]
    fn every_problem_has_its_pointer() {
        let (_, errors) = check(
            r#"{"type":"carousel","cards":[
                {"title":"","image":{"url":"javascript:alert(1)"},
                 "buttons":[{"title":"a","next":"x"},{"title":"b","flow":"nope"},{"title":"c","url":"https://e.x"},
                            {"title":"d","url":"https://e.x"}]}],
                "quick_replies":[{"title":"q","url":"https://e.x"}]}"#,
        );
        assert_eq!(
            errors,
            [
                "/messages/0/cards/0/title",
                "/messages/0/cards/0/image/url",
                "/messages/0/cards/0/buttons",
                "/messages/0/cards/0/buttons/0",
                "/messages/0/cards/0/buttons/1/flow",
                "/messages/0/quick_replies/0",
            ]
        );
    }
}
