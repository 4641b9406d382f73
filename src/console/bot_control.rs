//! Pausing and resuming a conversation's bot (human takeover).

use super::app::Ctx;
use super::error_text::ErrorText;
use parlo_model::ids::SubscriberId;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`BotControl`].
#[derive(Properties, PartialEq)]
pub struct BotControlProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber whose bot it is.
    pub id: SubscriberId,
    /// Whether the bot is paused, as the inbox knows it (`None`: not known yet).
    pub paused: Option<bool>,
    /// Called with the new state once the server changed it.
    pub onbot: Callback<(SubscriberId, bool)>,
}

/// The bot's state in words and one button that flips it: "Pause bot"
/// (`POST …/pause-bot`, until resumed) or "Resume bot" (`POST …/resume-bot`). While the
/// state is not known, it says so and offers "Pause bot" (the answer tells the state).
#[component]
pub fn BotControl(props: &BotControlProps) -> Html {
    // The state the server answered last; the inbox's (from the event stream) otherwise.
    let answered = use_state(|| None::<bool>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    {
        let answered = answered.clone();
        use_effect_with(props.paused, move |_| answered.set(None));
    }
    let known = answered.or(props.paused);
    let paused = known.unwrap_or(false);
    let onclick = {
        let (answered, busy, error) = (answered.clone(), busy.clone(), error.clone());
        let (ctx, id, onbot) = (props.ctx.clone(), props.id.clone(), props.onbot.clone());
        let client = props.ctx.client(props.workspace);
        Callback::from(move |_: MouseEvent| {
            let (answered, busy, error) = (answered.clone(), busy.clone(), error.clone());
            let (ctx, id, onbot, client) = (ctx.clone(), id.clone(), onbot.clone(), client.clone());
            busy.set(true);
            spawn_local(async move {
                let changed = if paused {
                    client.conversations().resume_bot(&id).await
                } else {
                    client.conversations().pause_bot(&id, None).await
                };
                busy.set(false);
                match changed {
                    Ok(status) => {
                        error.set(None);
                        answered.set(Some(status.paused));
                        onbot.emit((id, status.paused));
                    }
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        })
    };
    html! {
        <div class="bot">
            <p class={classes!("bot-state", paused.then_some("paused"), known.is_none().then_some("unknown"))}>
                { match known {
                    Some(true) => "Bot paused: you answer",
                    Some(false) => "Bot answering",
                    // A conversation older than the pages loaded, opened by its link.
                    None => "Bot state not loaded",
                } }
            </p>
            <button type="button" {onclick} disabled={*busy} aria-describedby="bot-error">
                { if paused { "Resume bot" } else { "Pause bot" } }
            </button>
            <ErrorText id="bot-error" message={(*error).clone()} />
        </div>
    }
}
