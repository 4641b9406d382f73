//! One test per step kind and trigger, through the public `run` API.

use parlo_engine::{
    Bot, ButtonKind, Context, ConversationState, Effect, Input, MAX_STEPS_PER_RUN, Output, Profile,
    ShopAction, StepOutcome, StepRef, Track, flow_payload, run, shop_payload,
};
use parlo_model::chat::{ButtonAction, MessageContent};
use parlo_model::flow::{BotConfig, Flow};
use parlo_model::keyword::{Keyword, KeywordMatch};
use parlo_model::validate::FieldKind;
use std::collections::BTreeMap;

fn flow(json: &str) -> Flow {
    Flow::from_json(json).unwrap_or_else(|e| panic!("invalid test flow: {e:?}"))
}

fn bot(flows: &[&str]) -> Bot {
    let flows: Vec<Flow> = flows.iter().map(|j| flow(j)).collect();
    let config = BotConfig {
        start_flow: Some(flows[0].id.clone()),
        keywords: vec![],
        fallback_flow: None,
    };
    Bot::new(config, flows)
}

fn texts(out: &[Output]) -> Vec<&str> {
    out.iter()
        .filter_map(|o| match o {
            Output::Message(m) => Some(m.text.as_str()),
            _ => None,
        })
        .collect()
}

/// The outputs to carry out, without the statistics.
fn untracked(out: Vec<Output>) -> Vec<Output> {
    out.into_iter()
        .filter(|o| !matches!(o, Output::Track(_)))
        .collect()
}

/// The statistics of a run.
fn tracks(out: &[Output]) -> Vec<&Track> {
    out.iter()
        .filter_map(|o| match o {
            Output::Track(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn at(flow: &str, step: &str) -> StepRef {
    StepRef {
        flow: flow.into(),
        step: step.into(),
    }
}

/// The outcome of step `step` of flow `w`.
fn outcome(step: &str, outcome: StepOutcome) -> Track {
    Track::Outcome {
        at: at("w", step),
        outcome,
    }
}

fn messages(out: &[Output]) -> Vec<&MessageContent> {
    out.iter()
        .filter_map(|o| match o {
            Output::Message(m) => Some(m),
            _ => None,
        })
        .collect()
}

struct Chat {
    bot: Bot,
    context: Context,
    profile: Profile,
    state: ConversationState,
}

impl Chat {
    fn new(bot: Bot) -> Self {
        Self {
            bot,
            context: Context::default(),
            profile: Profile::default(),
            state: ConversationState::default(),
        }
    }
    fn send(&mut self, input: Input) -> Vec<Output> {
        run(
            &self.bot,
            &self.context,
            &mut self.profile,
            &mut self.state,
            input,
        )
    }
}

#[test]
fn message_steps_chain_through_next_and_render_variables() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"message","text":"Hi {{first_name|friend}}!","next":"b"},
        "b":{"type":"message","text":"Bye {{field.first_name}}."}}}"#]));
    assert_eq!(texts(&chat.send(Input::Start)), ["Hi friend!", "Bye ."]);
    chat.profile.fields.insert("first_name".into(), "Ada".into());
    assert_eq!(texts(&chat.send(Input::Start)), ["Hi Ada!", "Bye Ada."]);
}

#[test]
fn buttons_and_quick_replies_lead_to_their_steps_and_flows() {
    let mut chat = Chat::new(bot(&[
        r#"{"id":"w","name":"W","start":"menu","steps":{
            "menu":{"type":"message","text":"Pick one",
                "buttons":[{"title":"Hours","next":"hours"},{"title":"Site","url":"https://example.com"}],
                "quick_replies":[{"title":"Other","flow":"other"}]},
            "hours":{"type":"message","text":"9 to 5"}}}"#,
        r#"{"id":"other","name":"O","start":"s","steps":{"s":{"type":"message","text":"Other flow"}}}"#,
    ]));
    let out = chat.send(Input::Start);
    let menu = messages(&out)[0];
    let ButtonAction::Postback { payload } = &menu.buttons[0].action else {
        panic!("postback expected")
    };
    assert_eq!(
        menu.buttons[1].action,
        ButtonAction::Url {
            url: "https://example.com".into()
        }
    );
    assert_eq!(texts(&chat.send(Input::Button(payload.clone()))), ["9 to 5"]);
    let quick = menu.quick_replies[0].payload.clone();
    assert_eq!(texts(&chat.send(Input::Button(quick))), ["Other flow"]);
}

#[test]
fn forged_or_stale_payloads_start_the_fallback_only() {
    let mut b = bot(&[
        r#"{"id":"w","name":"W","start":"a","steps":{"a":{"type":"message","text":"A",
            "buttons":[{"title":"Link","url":"https://example.com"}]}}}"#,
        r#"{"id":"fb","name":"F","start":"s","steps":{"s":{"type":"message","text":"Sorry?"}}}"#,
    ]);
    b.config.fallback_flow = Some("fb".into());
    let mut chat = Chat::new(b);
    for forged in [
        "",
        "w",
        "w/a",
        "w/a/b9",
        "w/a/x0",
        "w/a/b0",
        "nope/a/b0",
        "w/a/b-1",
    ] {
        assert_eq!(
            texts(&chat.send(Input::Button(forged.into()))),
            ["Sorry?"],
            "{forged:?}"
        );
    }
}

#[test]
fn question_reasks_invalid_answers_and_saves_the_valid_one() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"q","steps":{
        "q":{"type":"question","text":"Your e-mail?","field":"email","kind":"email","next":"t"},
        "t":{"type":"message","text":"Thanks, {{email}}"}}}"#]));
    let out = chat.send(Input::Start);
    assert_eq!(messages(&out)[0].expects, Some(FieldKind::Email));
    let awaited = StepRef {
        flow: "w".into(),
        step: "q".into(),
    };
    assert_eq!(chat.state.awaiting, Some(awaited.clone()));

    let out = chat.send(Input::Text("not-an-email".into()));
    assert_eq!(texts(&out), [FieldKind::Email.invalid_message(), "Your e-mail?"]);
    assert_eq!(chat.state.awaiting, Some(awaited));
    assert!(chat.profile.fields.is_empty());

    let out = untracked(chat.send(Input::Text(" ada@Example.com ".into())));
    assert_eq!(
        out,
        [
            Output::Effect(Effect::SetField {
                field: "email".into(),
                value: "ada@example.com".into()
            }),
            Output::Message(MessageContent::text("Thanks, ada@example.com")),
        ]
    );
    assert_eq!(chat.state.awaiting, None);
}

#[test]
fn question_uses_its_own_invalid_text_and_buttons_cancel_it() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"m","steps":{
        "m":{"type":"message","text":"Menu","buttons":[{"title":"Skip","next":"done"}],"next":"q"},
        "q":{"type":"question","text":"Age?","field":"age","kind":"number","invalid_text":"Digits please"},
        "done":{"type":"message","text":"Done"}}}"#]));
    let out = chat.send(Input::Start);
    let ButtonAction::Postback { payload } = &messages(&out)[0].buttons[0].action else {
        panic!()
    };
    assert_eq!(
        texts(&chat.send(Input::Text("old".into()))),
        ["Digits please", "Age?"]
    );
    assert_eq!(texts(&chat.send(Input::Button(payload.clone()))), ["Done"]);
    assert_eq!(chat.state.awaiting, None);
}

#[test]
fn tags_are_added_and_removed_once() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"add_tag","tag":"lead","next":"b"},
        "b":{"type":"add_tag","tag":"lead","next":"c"},
        "c":{"type":"remove_tag","tag":"cold","next":"d"},
        "d":{"type":"remove_tag","tag":"never-had"}}}"#]));
    chat.profile.tags.insert("cold".into());
    let out = untracked(chat.send(Input::Start));
    assert_eq!(
        out,
        [
            Output::Effect(Effect::AddTag("lead".into())),
            Output::Effect(Effect::RemoveTag("cold".into()))
        ]
    );
    assert!(chat.profile.tags.contains("lead") && !chat.profile.tags.contains("cold"));
}

#[test]
fn set_field_renders_its_value_and_later_steps_see_it() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"set_field","field":"greeting","value":"Hello {{name|you}}","next":"b"},
        "b":{"type":"message","text":"{{greeting}}!"}}}"#]));
    let out = untracked(chat.send(Input::Start));
    assert_eq!(
        out[0],
        Output::Effect(Effect::SetField {
            field: "greeting".into(),
            value: "Hello you".into()
        })
    );
    assert_eq!(texts(&out), ["Hello you!"]);
    assert_eq!(
        untracked(chat.send(Input::Start)).len(),
        1,
        "an unchanged field is not set again"
    );
}

#[test]
fn delay_orders_outputs() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"message","text":"One","next":"b"},
        "b":{"type":"delay","ms":800,"next":"c"},
        "c":{"type":"message","text":"Two"}}}"#]));
    let out = untracked(chat.send(Input::Start));
    assert!(matches!(
        &out[..],
        [Output::Message(_), Output::Delay(800), Output::Message(_)]
    ));
}

#[test]
fn goto_jumps_to_steps_and_flows_and_loops_are_cut() {
    let mut chat = Chat::new(bot(&[
        r#"{"id":"w","name":"W","start":"a","steps":{
            "a":{"type":"goto","step":"c"},
            "b":{"type":"message","text":"skipped"},
            "c":{"type":"message","text":"C","next":"d"},
            "d":{"type":"goto","flow":"x"}}}"#,
        r#"{"id":"x","name":"X","start":"s","steps":{"s":{"type":"message","text":"X"}}}"#,
    ]));
    assert_eq!(texts(&chat.send(Input::Start)), ["C", "X"]);

    let mut looping = Chat::new(bot(&[r#"{"id":"l","name":"L","start":"a","steps":{
        "a":{"type":"message","text":"again","next":"b"},
        "b":{"type":"goto","step":"a"}}}"#]));
    let out = looping.send(Input::Start);
    assert_eq!(texts(&out).len(), MAX_STEPS_PER_RUN / 2);
    assert!(
        !tracks(&out).iter().any(|t| matches!(t, Track::Completed(_))),
        "a cut walk does not complete"
    );
}

#[test]
fn keywords_then_fallback_trigger_flows() {
    let mut b = bot(&[
        r#"{"id":"w","name":"W","start":"a","steps":{"a":{"type":"message","text":"Welcome"}}}"#,
        r#"{"id":"hours","name":"H","start":"a","steps":{"a":{"type":"message","text":"9 to 5"}}}"#,
        r#"{"id":"fb","name":"F","start":"a","steps":{"a":{"type":"message","text":"Try 'hours'"}}}"#,
    ]);
    b.config.keywords = vec![Keyword {
        id: "kw_hours".into(),
        phrases: vec!["hours".into()],
        match_rule: KeywordMatch::Contains,
        flow: "hours".into(),
        enabled: true,
    }];
    let mut chat = Chat::new(b.clone());
    assert_eq!(texts(&chat.send(Input::Text("Your hours?".into()))), ["9 to 5"]);
    assert!(
        chat.send(Input::Text("hm".into())).is_empty(),
        "no fallback configured"
    );
    b.config.fallback_flow = Some("fb".into());
    let mut chat = Chat::new(b);
    assert_eq!(texts(&chat.send(Input::Text("hm".into()))), ["Try 'hours'"]);
    assert_eq!(texts(&chat.send(Input::start_flow("hours"))), ["9 to 5"]);
    assert!(chat.send(Input::start_flow("missing")).is_empty());
}

#[test]
fn a_keyword_interrupts_an_awaited_question() {
    let mut b = bot(&[
        r#"{"id":"w","name":"W","start":"q","steps":{"q":{"type":"question","text":"Your e-mail?","field":"email","kind":"email"}}}"#,
        r#"{"id":"hours","name":"H","start":"a","steps":{"a":{"type":"message","text":"9 to 5"}}}"#,
    ]);
    b.config.start_flow = Some("w".into());
    b.config.keywords = vec![Keyword {
        id: "kw_hours".into(),
        phrases: vec!["opening hours".into()],
        match_rule: KeywordMatch::Contains,
        flow: "hours".into(),
        enabled: true,
    }];
    let mut chat = Chat::new(b);
    assert_eq!(texts(&chat.send(Input::Start)), ["Your e-mail?"]);
    assert!(chat.state.awaiting.is_some());
    assert_eq!(
        texts(&chat.send(Input::Text("Your opening hours, please".into()))),
        ["9 to 5"]
    );
    assert_eq!(chat.state.awaiting, None, "the question is dropped");
    assert!(
        !chat.profile.fields.contains_key("email"),
        "nothing saved as the answer"
    );
}

#[test]
fn payload_variables_render_and_outlive_a_question() {
    let mut chat = Chat::new(bot(&[r#"{"id":"order","name":"O","start":"a","steps":{
        "a":{"type":"message","text":"Order {{payload.order}} is {{payload.status|on its way}}.","next":"q"},
        "q":{"type":"question","text":"Rate it 1-5?","field":"rating","kind":"number","next":"t"},
        "t":{"type":"message","text":"Thanks for rating {{payload.order}}: {{rating}}"}}}"#]));
    let payload = BTreeMap::from([("order".to_owned(), "A-1042".to_owned())]);
    let out = chat.send(Input::StartFlow {
        flow: "order".into(),
        payload,
    });
    assert_eq!(texts(&out), ["Order A-1042 is on its way.", "Rate it 1-5?"]);
    assert_eq!(
        texts(&chat.send(Input::Text("5".into()))),
        ["Thanks for rating A-1042: 5"]
    );
    chat.send(Input::start_flow("order"));
    assert!(chat.state.payload.is_empty(), "a new start replaces the payload");
}

#[test]
fn flow_payload_buttons_start_their_flow() {
    let mut chat = Chat::new(bot(&[
        r#"{"id":"w","name":"W","start":"a","steps":{"a":{"type":"message","text":"A"}}}"#,
        r#"{"id":"menu","name":"M","start":"m","steps":{"m":{"type":"message","text":"Menu"}}}"#,
    ]));
    let out = chat.send(Input::Button(flow_payload(&"menu".into())));
    assert_eq!(texts(&out), ["Menu"]);
    assert!(
        !tracks(&out).iter().any(|t| matches!(t, Track::Pressed { .. })),
        "no step was pressed"
    );
    assert!(chat.send(Input::Button("flow:nope".into())).is_empty());
}

#[test]
fn statistics_count_sends_presses_and_completions() {
    let mut chat = Chat::new(bot(&[
        r#"{"id":"w","name":"W","start":"menu","steps":{
            "menu":{"type":"message","text":"Pick","buttons":[{"title":"Link","url":"https://example.com"},
                {"title":"Hours","next":"hours"}],"quick_replies":[{"title":"X","flow":"x"}]},
            "hours":{"type":"message","text":"9 to 5","next":"tag"},
            "tag":{"type":"add_tag","tag":"asked"}}}"#,
        r#"{"id":"x","name":"X","start":"s","steps":{"s":{"type":"goto","flow":"w"}}}"#,
    ]));
    let out = chat.send(Input::Start);
    assert_eq!(
        tracks(&out),
        [&Track::Sent(at("w", "menu"))],
        "a message waiting for a press does not complete"
    );
    let ButtonAction::Postback { payload } = &messages(&out)[0].buttons[1].action else {
        panic!("postback expected")
    };
    let quick = messages(&out)[0].quick_replies[0].payload.clone();
    let out = chat.send(Input::Button(payload.clone()));
    assert_eq!(
        tracks(&out),
        [
            &Track::Pressed {
                at: at("w", "menu"),
                kind: ButtonKind::Button,
                index: 1
            },
            &Track::Sent(at("w", "hours")),
            &Track::Completed(at("w", "tag")),
        ]
    );
    let out = chat.send(Input::Button(quick));
    assert_eq!(
        tracks(&out),
        [
            &Track::Pressed {
                at: at("w", "menu"),
                kind: ButtonKind::QuickReply,
                index: 0
            },
            &Track::Completed(at("x", "s")),
            &Track::Sent(at("w", "menu")),
        ]
    );
}

#[test]
fn condition_branches_on_tags_with_all_and_any() {
    let flow = r#"{"id":"w","name":"W","start":"c","steps":{
        "c":{"type":"condition","match":"all","conditions":[
            {"type":"has_tag","tag":"customer"},{"type":"has_not_tag","tag":"blocked"}],
            "then":"back","else":"any"},
        "any":{"type":"condition","match":"any","conditions":[
            {"type":"has_tag","tag":"blocked"},{"type":"has_tag","tag":"lead"}],"then":"known"},
        "back":{"type":"message","text":"Welcome back"},
        "known":{"type":"message","text":"Hello again"}}}"#;
    let mut chat = Chat::new(bot(&[flow]));
    let out = chat.send(Input::Start);
    assert_eq!(
        texts(&out),
        Vec::<&str>::new(),
        "an untagged visitor takes no branch"
    );
    assert_eq!(
        tracks(&out),
        [
            &outcome("c", StepOutcome::Else),
            &outcome("any", StepOutcome::Else),
            &Track::Completed(at("w", "any"))
        ]
    );
    chat.profile.tags.insert("customer".into());
    let out = chat.send(Input::Start);
    assert_eq!(texts(&out), ["Welcome back"]);
    assert_eq!(tracks(&out)[0], &outcome("c", StepOutcome::Then));
    chat.profile.tags.insert("blocked".into());
    assert_eq!(texts(&chat.send(Input::Start)), ["Hello again"]);
    chat.profile.tags.clear();
    chat.profile.tags.insert("lead".into());
    assert_eq!(texts(&chat.send(Input::Start)), ["Hello again"]);
}

#[test]
fn condition_compares_fields_by_every_operator() {
    let cases = [
        (r#""op":"is_set""#, "age", "", true),
        (r#""op":"is_set""#, "plan", "", false),
        (r#""op":"is_not_set""#, "plan", "", true),
        (r#""op":"equals","value":"GOLD""#, "tier", "", true),
        (r#""op":"contains","value":"old""#, "tier", "", true),
        (r#""op":"contains","value":"silver""#, "tier", "", false),
        (r#""op":"greater","value":"9""#, "age", "", true),
        (r#""op":"less","value":"9""#, "age", "", false),
        (
            r#""op":"less","value":"{{current_date}}""#,
            "renewal",
            "2026-11-21",
            true,
        ),
        (
            r#""op":"greater","value":"{{current_date}}""#,
            "renewal",
            "2026-11-21",
            false,
        ),
        (
            r#""op":"equals","value":"{{current_date}}""#,
            "renewal",
            "2026-11-20",
            true,
        ),
    ];
    for (op, field, today, holds) in cases {
        let flow = format!(
            r#"{{"id":"w","name":"W","start":"c","steps":{{
            "c":{{"type":"condition","conditions":[{{"type":"field","field":"{field}",{op}}}],
                "then":"yes","else":"no"}},
            "yes":{{"type":"message","text":"yes"}},"no":{{"type":"message","text":"no"}}}}}}"#
        );
        let mut chat = Chat::new(bot(&[&flow]));
        chat.context.today = today.into();
        for (k, v) in [("age", "10"), ("tier", "Gold"), ("renewal", "2026-11-20")] {
            chat.profile.fields.insert(k.into(), v.into());
        }
        let expected = if holds { "yes" } else { "no" };
        assert_eq!(texts(&chat.send(Input::Start)), [expected], "{field} {op}");
    }
}

#[test]
fn condition_reads_the_channel_and_business_hours() {
    let flow = r#"{"id":"w","name":"W","start":"c","steps":{
        "c":{"type":"condition","conditions":[{"type":"channel","channel":"web"}],"then":"open","else":"other"},
        "open":{"type":"condition","conditions":[{"type":"business_hours","open":true}],"then":"in","else":"out"},
        "other":{"type":"message","text":"other channel"},
        "in":{"type":"message","text":"we are in"},
        "out":{"type":"message","text":"we are away"}}}"#;
    let mut chat = Chat::new(bot(&[flow]));
    assert_eq!(texts(&chat.send(Input::Start)), ["other channel"]);
    chat.context.channel = Some("web".into());
    assert_eq!(texts(&chat.send(Input::Start)), ["we are in"]);
    chat.context.away = true;
    assert_eq!(texts(&chat.send(Input::Start)), ["we are away"]);
}

#[test]
fn clear_field_removes_a_set_field_once() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"clear_field","field":"plan","next":"b"},
        "b":{"type":"message","text":"plan: {{plan|none}}"}}}"#]));
    chat.profile.fields.insert("plan".into(), "gold".into());
    let out = untracked(chat.send(Input::Start));
    assert_eq!(out[0], Output::Effect(Effect::ClearField("plan".into())));
    assert_eq!(texts(&out), ["plan: none"]);
    assert_eq!(untracked(chat.send(Input::Start)).len(), 1, "nothing to clear");
}

#[test]
fn choice_question_offers_its_choices_and_refuses_others() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"q","steps":{
        "q":{"type":"question","text":"Which size?","field":"size","kind":"choice",
             "choices":["Small","Médium","Large"],"next":"t"},
        "t":{"type":"message","text":"{{size}} it is"}}}"#]));
    let out = chat.send(Input::Start);
    let question = messages(&out)[0];
    assert_eq!(question.expects, Some(FieldKind::Text));
    let titles: Vec<&str> = question.quick_replies.iter().map(|q| q.title.as_str()).collect();
    assert_eq!(titles, ["Small", "Médium", "Large"]);
    let large = question.quick_replies[2].payload.clone();

    assert_eq!(
        texts(&chat.send(Input::Text("huge".into()))),
        ["Please choose one of: Small, Médium, Large.", "Which size?"]
    );
    assert_eq!(
        texts(&chat.send(Input::Text(" MEDIUM ".into()))),
        ["Médium it is"]
    );
    assert_eq!(chat.profile.fields["size"], "Médium");

    chat.send(Input::Start);
    assert_eq!(texts(&chat.send(Input::Button(large.clone()))), ["Large it is"]);
    assert_eq!(
        texts(&chat.send(Input::Button(large))),
        Vec::<&str>::new(),
        "a stale choice answers nothing"
    );
}

#[test]
fn date_question_stores_iso_dates() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"q","steps":{
        "q":{"type":"question","text":"Which day?","field":"day","kind":"date","next":"t"},
        "t":{"type":"message","text":"Booked for {{day}}"}}}"#]));
    let out = chat.send(Input::Start);
    assert_eq!(messages(&out)[0].expects, Some(FieldKind::Date));
    assert_eq!(
        texts(&chat.send(Input::Text("next tuesday".into()))),
        [FieldKind::Date.invalid_message(), "Which day?"]
    );
    assert_eq!(
        texts(&chat.send(Input::Text("3 March 2027".into()))),
        ["Booked for 2027-03-03"]
    );
}

#[test]
fn rating_question_takes_one_to_five() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"q","steps":{
        "q":{"type":"question","text":"How did we do?","field":"score","kind":"rating","next":"t"},
        "t":{"type":"message","text":"Thanks for the {{score}}"}}}"#]));
    let out = chat.send(Input::Start);
    assert_eq!(messages(&out)[0].expects, Some(FieldKind::Rating));
    assert_eq!(
        texts(&chat.send(Input::Text("6".into()))),
        [FieldKind::Rating.invalid_message(), "How did we do?"]
    );
    assert_eq!(texts(&chat.send(Input::Text("4".into()))), ["Thanks for the 4"]);
}

#[test]
fn spin_text_varies_with_the_seed_and_bot_fields_render() {
    let flow = r#"{"id":"w","name":"W","start":"a","steps":{
        "a":{"type":"message","text":"[[Hi|Hello]] {{full_name|there}}, code {{bot.promo}}"}}}"#;
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..32 {
        let mut chat = Chat::new(bot(&[flow]));
        chat.context.seed = seed;
        chat.context.bot_fields.insert("promo".into(), "WINTER".into());
        seen.insert(texts(&chat.send(Input::Start))[0].to_owned());
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["Hello there, code WINTER", "Hi there, code WINTER"]
    );
}

#[test]
fn image_card_and_carousel_steps_send_media_whose_buttons_continue_the_flow() {
    let mut chat = Chat::new(bot(&[
        r#"{"id":"w","name":"W","start":"pic","steps":{
            "pic":{"type":"image","url":"https://example.com/cake.jpg","alt":"A cake",
                "text":"Fresh for {{first_name|you}}","next":"card"},
            "card":{"type":"card","title":"Cake for {{first_name|you}}","subtitle":"Chocolate",
                "image":{"url":"https://example.com/c.jpg","alt":"Chocolate cake"},
                "buttons":[{"title":"Shop","url":"https://example.com/shop"},{"title":"More","next":"more"}]},
            "more":{"type":"carousel","cards":[
                {"title":"Tart","buttons":[{"title":"Tart","next":"tart"}]},
                {"title":"Pie","buttons":[{"title":"Site","url":"https://example.com"},{"title":"Pie","next":"pie"}]},
                {"title":"Other","buttons":[{"title":"Other","flow":"other"}]}]},
            "tart":{"type":"message","text":"Tart it is"},
            "pie":{"type":"message","text":"Pie it is"}}}"#,
        r#"{"id":"other","name":"O","start":"s","steps":{"s":{"type":"message","text":"Other flow"}}}"#,
    ]));
    let out = chat.send(Input::Start);
    let sent = messages(&out);
    assert_eq!(sent.len(), 2, "the card waits for a press: {sent:?}");
    let image = sent[0].image.as_ref().expect("an image");
    assert_eq!(
        (image.url.as_str(), image.alt.as_str()),
        ("https://example.com/cake.jpg", "A cake")
    );
    assert_eq!(sent[0].text, "Fresh for you");
    let card = &sent[1].cards[..];
    assert_eq!(card.len(), 1);
    assert_eq!(card[0].title, "Cake for you");
    assert_eq!(
        card[0].image.as_ref().map(|i| i.alt.as_str()),
        Some("Chocolate cake")
    );
    assert_eq!(
        card[0].buttons[0].action,
        ButtonAction::Url {
            url: "https://example.com/shop".into()
        }
    );
    assert_eq!(
        tracks(&out),
        [&Track::Sent(at("w", "pic")), &Track::Sent(at("w", "card"))],
        "a card waiting for a press does not complete"
    );
    let press = |m: &MessageContent, card: usize, button: usize| match &m.cards[card].buttons[button].action {
        ButtonAction::Postback { payload } => Input::Button(payload.clone()),
        other => panic!("postback expected, got {other:?}"),
    };
    let out = chat.send(press(sent[1], 0, 1));
    let carousel = messages(&out)[0].clone();
    assert_eq!(
        carousel
            .cards
            .iter()
            .map(|c| c.title.as_str())
            .collect::<Vec<_>>(),
        ["Tart", "Pie", "Other"]
    );
    assert_eq!(
        tracks(&out),
        [
            &Track::Pressed {
                at: at("w", "card"),
                kind: ButtonKind::Button,
                index: 1
            },
            &Track::Sent(at("w", "more")),
        ]
    );
    let out = chat.send(press(&carousel, 1, 1));
    assert_eq!(texts(&out), ["Pie it is"]);
    assert_eq!(
        tracks(&out)[0],
        &Track::Pressed {
            at: at("w", "more"),
            kind: ButtonKind::Button,
            index: 2
        },
        "a carousel's buttons are counted across its cards"
    );
    assert_eq!(texts(&chat.send(press(&carousel, 0, 0))), ["Tart it is"]);
    assert_eq!(texts(&chat.send(press(&carousel, 2, 0))), ["Other flow"]);
}

#[test]
fn an_image_or_a_card_without_postbacks_goes_on_and_completes() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"pic","steps":{
        "pic":{"type":"image","url":"https://example.com/cake.jpg"},
        "card":{"type":"card","title":"Shop","buttons":[{"title":"Open","url":"https://example.com"}]}}}"#]));
    let out = chat.send(Input::Start);
    assert_eq!(messages(&out)[0].text, "", "no caption");
    assert_eq!(
        tracks(&out),
        [&Track::Sent(at("w", "pic")), &Track::Completed(at("w", "pic"))]
    );
    chat.bot = bot(&[r#"{"id":"w","name":"W","start":"card","steps":{
        "card":{"type":"card","title":"Shop","buttons":[{"title":"Open","url":"https://example.com"}]}}}"#]);
    let out = chat.send(Input::Start);
    assert_eq!(
        tracks(&out),
        [&Track::Sent(at("w", "card")), &Track::Completed(at("w", "card"))],
        "a card with link buttons only does not wait"
    );
}

/// A flow that asks for an order number, calls webhook endpoint 7 with it and tells the
/// order's status, or apologises when the call failed.
const ORDER_FLOW: &str = r#"{"id":"w","name":"W","start":"ask","steps":{
    "ask":{"type":"question","text":"Your order number?","field":"order","kind":"text","next":"call"},
    "call":{"type":"webhook","endpoint_id":7,"timeout_seconds":3,
            "save":{"order_status":"/order/status","order_total":"/order/total","gone":"/nothing","none":"/none"},
            "next":"tell","failure":"sorry"},
    "tell":{"type":"message","text":"Order {{order}} is {{order_status}} ({{order_total}})."},
    "sorry":{"type":"message","text":"I cannot look it up right now."}}}"#;

#[test]
fn a_webhook_step_waits_for_its_answer_and_saves_fields_from_it() {
    let mut chat = Chat::new(bot(&[ORDER_FLOW]));
    chat.send(Input::Start);
    let out = chat.send(Input::Text("A-1042".into()));
    assert_eq!(
        untracked(out),
        [
            Output::Effect(Effect::SetField {
                field: "order".into(),
                value: "A-1042".into()
            }),
            Output::CallWebhook {
                at: at("w", "call"),
                endpoint_id: 7,
                timeout_seconds: 3
            }
        ],
        "the run stops at the webhook step"
    );
    assert_eq!(chat.state.awaiting, None);
    let answer = serde_json::json!({"order": {"status": "shipped", "total": 12.5}, "none": null});
    let out = chat.send(Input::WebhookAnswer {
        at: at("w", "call"),
        answer: Some(answer),
    });
    assert_eq!(texts(&out), ["Order A-1042 is shipped (12.5)."]);
    assert_eq!(
        chat.profile.fields["order_total"], "12.5",
        "a number is saved as its JSON text"
    );
    assert!(!chat.profile.fields.contains_key("gone") && !chat.profile.fields.contains_key("none"));
    assert_eq!(
        tracks(&out),
        [
            &outcome("call", StepOutcome::Succeeded),
            &Track::Sent(at("w", "tell")),
            &Track::Completed(at("w", "tell"))
        ]
    );
}

#[test]
fn a_failed_webhook_call_runs_the_failure_branch() {
    let mut chat = Chat::new(bot(&[ORDER_FLOW]));
    chat.send(Input::Start);
    chat.send(Input::Text("A-1042".into()));
    let out = chat.send(Input::WebhookAnswer {
        at: at("w", "call"),
        answer: None,
    });
    assert_eq!(texts(&out), ["I cannot look it up right now."]);
    assert_eq!(tracks(&out)[0], &outcome("call", StepOutcome::Failed));
    assert!(!chat.profile.fields.contains_key("order_status"));
    let stale = chat.send(Input::WebhookAnswer {
        at: at("w", "ask"),
        answer: None,
    });
    assert_eq!(
        stale,
        [],
        "an answer for a step that is no webhook step does nothing"
    );
}

#[test]
fn a_webhook_answer_keeps_a_question_asked_meanwhile() {
    let mut chat = Chat::new(bot(&[
        ORDER_FLOW,
        r#"{"id":"q","name":"Q","start":"a","steps":{
            "a":{"type":"question","text":"Your e-mail?","field":"email","kind":"email"}}}"#,
    ]));
    chat.send(Input::Start);
    chat.send(Input::Text("A-1042".into()));
    chat.send(Input::start_flow("q"));
    chat.send(Input::WebhookAnswer {
        at: at("w", "call"),
        answer: Some(serde_json::json!({"order": {"status": "packed"}})),
    });
    assert_eq!(chat.state.awaiting, Some(at("q", "a")));
}

#[test]
fn notify_owner_goes_on_and_hand_over_ends_the_flow() {
    let mut chat = Chat::new(bot(&[r#"{"id":"w","name":"W","start":"n","steps":{
        "n":{"type":"notify_owner","to":"owner@example.com","text":"{{first_name|Someone}} wants a person","next":"h"},
        "h":{"type":"hand_over","email":"desk@example.com","endpoint_id":3}}}"#]));
    chat.profile.fields.insert("first_name".into(), "Ada".into());
    let out = chat.send(Input::Start);
    assert_eq!(
        untracked(out.clone()),
        [
            Output::NotifyOwner {
                at: at("w", "n"),
                to: "owner@example.com".into(),
                text: "Ada wants a person".into()
            },
            Output::HandOver {
                at: at("w", "h"),
                notice: parlo_model::flow::HAND_OVER_NOTICE.into(),
                email: Some("desk@example.com".into()),
                endpoint_id: Some(3)
            }
        ]
    );
    assert_eq!(
        tracks(&out),
        [
            &outcome("h", StepOutcome::HandedOver),
            &Track::Completed(at("w", "h"))
        ]
    );
    chat.bot = bot(&[r#"{"id":"w","name":"W","start":"h","steps":{
        "h":{"type":"hand_over","text":"{{first_name}}, Sam will answer you here."}}}"#]);
    let out = chat.send(Input::Start);
    assert!(
        matches!(&out[0], Output::HandOver { notice, email: None, endpoint_id: None, .. }
        if notice == "Ada, Sam will answer you here.")
    );
}

/// The shop actions of a run, with the step each is about.
fn shop_actions(out: &[Output]) -> Vec<(&str, &ShopAction)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Shop { at, action } => Some((at.step.as_str(), action)),
            _ => None,
        })
        .collect()
}

const SHOP: &str = r#"{"id":"w","name":"W","start":"hi","steps":{
    "hi":{"type":"message","text":"Our bouquets","next":"products"},
    "products":{"type":"show_products","products":["rose","tulip"],"checkout":"has_email"},
    "has_email":{"type":"condition","conditions":[{"type":"field","field":"email","op":"is_set"}],
        "then":"checkout","else":"ask_email"},
    "ask_email":{"type":"question","text":"Your e-mail?","field":"email","kind":"email","next":"checkout"},
    "cart":{"type":"show_cart"},
    "checkout":{"type":"checkout"}}}"#;

#[test]
fn shop_steps_ask_the_server_for_products_cart_and_checkout() {
    let mut chat = Chat::new(bot(&[SHOP]));
    let out = chat.send(Input::Start);
    assert_eq!(texts(&out), ["Our bouquets"]);
    let products = ShopAction::ShowProducts(vec!["rose".into(), "tulip".into()]);
    assert_eq!(shop_actions(&out), [("products", &products)]);
    // A show_products step waits for a press: the flow does not complete there.
    assert!(!tracks(&out).iter().any(|t| matches!(t, Track::Completed(_))));

    let products_step = at("w", "products");
    let press = |action: ShopAction| Input::Button(shop_payload(&products_step, &action));
    let out = chat.send(press(ShopAction::Add("rose-l".into())));
    assert_eq!(
        shop_actions(&out),
        [("products", &ShopAction::Add("rose-l".into()))]
    );
    let out = chat.send(press(ShopAction::ShowCart));
    assert_eq!(shop_actions(&out), [("products", &ShopAction::ShowCart)]);
    // "Keep shopping" shows the step's products again.
    let out = chat.send(press(ShopAction::ShowProducts(vec![])));
    assert_eq!(shop_actions(&out), [("products", &products)]);

    // "Check out" runs the step's checkout step: the e-mail is asked first, once.
    let out = chat.send(press(ShopAction::Checkout));
    assert_eq!(texts(&out), ["Your e-mail?"]);
    assert!(shop_actions(&out).is_empty());
    let out = chat.send(Input::Text("ada@example.com".into()));
    assert_eq!(shop_actions(&out), [("checkout", &ShopAction::Checkout)]);
    assert!(tracks(&out).contains(&&Track::Completed(at("w", "checkout"))));
    let out = chat.send(press(ShopAction::Checkout));
    assert_eq!(shop_actions(&out), [("checkout", &ShopAction::Checkout)]);
}

#[test]
fn a_cart_without_checkout_step_checks_out_at_once_and_forged_shop_payloads_do_nothing() {
    let mut chat = Chat::new(bot(&[SHOP]));
    let cart = at("w", "cart");
    let out = chat.send(Input::Button(shop_payload(&cart, &ShopAction::Checkout)));
    assert_eq!(shop_actions(&out), [("cart", &ShopAction::Checkout)]);
    // Adding and "keep shopping" belong to show_products steps; other steps are no shop.
    for payload in [
        shop_payload(&cart, &ShopAction::Add("rose".into())),
        shop_payload(&cart, &ShopAction::ShowProducts(vec![])),
        shop_payload(&at("w", "hi"), &ShopAction::ShowCart),
        shop_payload(&at("w", "gone"), &ShopAction::ShowCart),
        "w/products/shop:dance".into(),
    ] {
        let out = chat.send(Input::Button(payload.clone()));
        assert!(untracked(out).is_empty(), "{payload}");
    }
}

#[test]
fn shop_steps_are_validated() {
    let errors = Flow::from_json(
        r#"{"id":"w","name":"W","start":"p","steps":{
            "p":{"type":"show_products","products":["ok","no way","ok"],"checkout":"gone","next":"c"},
            "c":{"type":"show_cart","checkout":"nowhere"}}}"#,
    )
    .unwrap_err();
    let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/steps/c/checkout",
            "/steps/p/products/1",
            "/steps/p/products/2",
            "/steps/p/checkout"
        ]
    );
    let eleven: Vec<String> = (0..11).map(|i| format!("\"p{i}\"")).collect();
    let json = format!(
        r#"{{"id":"w","name":"W","start":"p","steps":{{"p":{{"type":"show_products","products":[{}]}}}}}}"#,
        eleven.join(",")
    );
    assert_eq!(
        Flow::from_json(&json).unwrap_err()[0].pointer,
        "/steps/p/products"
    );
}
