//! The conversation reducer: merging by `seq`, optimistic sends, delivery states.
// Run by wasm-bindgen-test-runner in Chromium, without libtest (`harness = false`);
// elsewhere the binary is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use parlo::widget::state::{Action, ChatState, Delivery, Entry};
    use parlo_model::chat::{Author, Message, MessageContent};
    use parlo_model::ids::MessageId;
    use std::rc::Rc;
    use wasm_bindgen_test::*;
    use yew::Reducible;

    wasm_bindgen_test_configure!(run_in_browser);

    fn message(id: &str, seq: u64, author: Author, text: &str) -> Message {
        Message {
            id: MessageId::from(id),
            seq,
            author,
            content: MessageContent::text(text),
            created_at: "2026-11-21T09:30:00Z".into(),
            reply_to: None,
        }
    }

    fn reduce(state: Rc<ChatState>, action: Action) -> Rc<ChatState> {
        state.reduce(action)
    }

    fn seqs(state: &ChatState) -> Vec<u64> {
        state.entries.iter().map(|e| e.message.seq).collect()
    }

    #[wasm_bindgen_test]
    fn messages_are_merged_by_seq_without_duplicates() {
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Received(vec![message("b1", 1, Author::Bot, "Hi")]));
        // The same message again (history and stream overlap), and one out of order.
        let state = reduce(
            state,
            Action::Received(vec![
                message("b3", 3, Author::Bot, "Third"),
                message("b1", 1, Author::Bot, "Hi"),
            ]),
        );
        assert_eq!(seqs(&state), [1, 3]);
        assert_eq!(
            state.last_seq, 1,
            "seq 2 is missing, so the stream must resume after 1"
        );
        let state = reduce(
            state,
            Action::Received(vec![message("b2", 2, Author::Bot, "Second")]),
        );
        assert_eq!(seqs(&state), [1, 2, 3]);
        assert_eq!(state.last_seq, 3);
    }

    #[wasm_bindgen_test]
    fn optimistic_message_is_replaced_by_the_stored_one() {
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Received(vec![message("b1", 1, Author::Bot, "Hi")]));
        let state = reduce(state, Action::Sending(Entry::sending("v1".into(), "Hello")));
        assert_eq!(state.in_flight, 1);
        assert_eq!(state.entries[1].delivery, Delivery::Sending);
        // The send answer and the stream both deliver the visitor message and the reply.
        let answer = vec![
            message("v1", 2, Author::Visitor, "Hello"),
            message("b2", 3, Author::Bot, "Hey"),
        ];
        let state = reduce(state, Action::Received(answer.clone()));
        let state = reduce(state, Action::Received(answer));
        let state = reduce(
            state,
            Action::Settled {
                id: "v1".into(),
                ok: true,
            },
        );
        assert_eq!(seqs(&state), [1, 2, 3]);
        assert!(state.entries.iter().all(|e| e.delivery == Delivery::Stored));
        assert_eq!(state.in_flight, 0);
    }

    #[wasm_bindgen_test]
    fn failed_message_can_be_retried() {
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Sending(Entry::sending("v1".into(), "Hello")));
        let state = reduce(
            state,
            Action::Settled {
                id: "v1".into(),
                ok: false,
            },
        );
        assert_eq!(state.entries[0].delivery, Delivery::Failed);
        let state = reduce(state, Action::Retrying("v1".into()));
        assert_eq!(state.entries[0].delivery, Delivery::Sending);
        assert_eq!(state.in_flight, 1);
    }

    #[wasm_bindgen_test]
    fn a_message_shown_as_stored_stays_stored_when_sent_again() {
        // The send's answer was lost but the stream brought the stored message: sending it
        // again (same id, once the connection is back) must not show it as sending.
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Sending(Entry::sending("v1".into(), "Hello")));
        let state = reduce(
            state,
            Action::Settled {
                id: "v1".into(),
                ok: false,
            },
        );
        let state = reduce(
            state,
            Action::Received(vec![message("v1", 1, Author::Visitor, "Hello")]),
        );
        let state = reduce(state, Action::Retrying("v1".into()));
        assert_eq!(state.entries[0].delivery, Delivery::Stored);
        assert_eq!(seqs(&state), [1]);
    }

    #[wasm_bindgen_test]
    fn unsent_messages_stay_after_stored_ones() {
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Sending(Entry::sending("v1".into(), "Hello")));
        let state = reduce(
            state,
            Action::Received(vec![message("b1", 1, Author::Bot, "Welcome!")]),
        );
        let ids: Vec<_> = state
            .entries
            .iter()
            .map(|e| e.message.id.as_str().to_owned())
            .collect();
        assert_eq!(ids, ["b1", "v1"]);
    }

    #[wasm_bindgen_test]
    fn a_bot_message_ends_typing() {
        let state = Rc::new(ChatState::default());
        let state = reduce(state, Action::Typing(7));
        assert_eq!(state.typing, Some(7));
        let state = reduce(
            state,
            Action::Received(vec![message("b1", 1, Author::Bot, "Done")]),
        );
        assert_eq!(state.typing, None);
        // A stale expiry does not end a newer typing event.
        let state = reduce(state, Action::Typing(8));
        let state = reduce(state, Action::TypingEnded(7));
        assert_eq!(state.typing, Some(8));
    }
}
