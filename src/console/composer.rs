//! The agent's reply box.

use super::app::Ctx;
use super::error_text::ErrorText;
use parlo_model::ids::SubscriberId;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Composer`].
#[derive(Properties, PartialEq)]
pub struct ComposerProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber to answer.
    pub id: SubscriberId,
    /// Called once a reply is stored.
    pub onsent: Callback<()>,
}

/// A labelled textarea and "Send": the text goes to the visitor as the agent's message
/// (`POST /api/v1/subscribers/{id}/messages`), shown at once in their open widget. Ctrl+Enter
/// (⌘+Enter) sends too. The text is cleared only once the server stored it; a failed send
/// keeps it and says why next to the box.
#[component]
pub fn Composer(props: &ComposerProps) -> Html {
    let text = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let send = {
        let (text, busy, error) = (text.clone(), busy.clone(), error.clone());
        let (ctx, id, onsent) = (props.ctx.clone(), props.id.clone(), props.onsent.clone());
        let client = props.ctx.client(props.workspace);
        Callback::from(move |()| {
            let reply = text.trim().to_owned();
            if reply.is_empty() || *busy {
                return;
            }
            let (text, busy, error) = (text.clone(), busy.clone(), error.clone());
            let (ctx, id, onsent, client) = (ctx.clone(), id.clone(), onsent.clone(), client.clone());
            busy.set(true);
            spawn_local(async move {
                let sent = client.conversations().send_message(&id, &reply).await;
                busy.set(false);
                match sent {
                    Ok(_) => {
                        text.set(String::new());
                        error.set(None);
                        onsent.emit(());
                    }
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        })
    };
    let onsubmit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(());
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
            e.prevent_default();
            send.emit(());
        }
    });
    html! {
        <form class="composer" {onsubmit}>
            <label for="reply">{ "Reply as agent" }</label>
            <textarea id="reply" rows="3" value={(*text).clone()} {oninput} {onkeydown}
                aria-describedby="reply-hint reply-error" aria-invalid={error.is_some().then_some("true")} />
            <p id="reply-hint" class="muted">{ "Ctrl+Enter sends." }</p>
            <ErrorText id="reply-error" message={(*error).clone()} />
            <button type="submit" disabled={*busy}>{ if *busy { "Sending…" } else { "Send" } }</button>
        </form>
    }
}
