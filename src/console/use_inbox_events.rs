//! The workspace event stream (`GET /api/v1/events`) kept open while a screen shows it.

use super::app::Ctx;
use parlo_model::inbox::InboxEvent;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;
use yew::platform::pinned::oneshot;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// The stream's connection, as the inbox shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamState {
    /// Opening the stream for the first time.
    Connecting,
    /// Open: new messages show up as they are stored.
    Live,
    /// The connection was lost (or the server ended it); opening it again, resuming after
    /// the last event received (`Last-Event-ID`), so no message is missed.
    Reconnecting,
}

/// The longest wait between two attempts to reopen the stream.
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Keeps the workspace's event stream open while the component is mounted, calling
/// `onevent` for each message stored in any of its conversations. A lost connection is
/// reopened after 0.5 s, 1 s, 2 s… (at most [`MAX_DELAY`], or the server's `retry`), resuming
/// after the last event; a refused session (401) stops it and logs out ([`Ctx::shown`]).
/// Unmounting closes the connection.
#[hook]
pub fn use_inbox_events(ctx: &Ctx, workspace: i64, onevent: Callback<InboxEvent>) -> StreamState {
    let state = use_state_eq(|| StreamState::Connecting);
    {
        let state = state.clone();
        use_effect_with((ctx.clone(), workspace), move |(ctx, workspace)| {
            let (stop_tx, stop_rx) = oneshot::channel::<()>();
            let (ctx, client) = (ctx.clone(), ctx.client(*workspace));
            spawn_local(async move {
                let mut stop = Box::pin(stop_rx);
                let mut last_id = None;
                let mut failures = 0u32;
                loop {
                    let mut delay = None;
                    match until(&mut stop, client.inbox().events(last_id)).await {
                        None => return,
                        Some(Ok(mut events)) => {
                            state.set(StreamState::Live);
                            failures = 0;
                            last_id = events.last_event_id().or(last_id);
                            loop {
                                match until(&mut stop, events.next()).await {
                                    None => return,
                                    Some(Ok(Some((id, event)))) => {
                                        last_id = Some(id);
                                        onevent.emit(event);
                                    }
                                    Some(Ok(None)) => {
                                        delay = events.retry_ms().map(Duration::from_millis);
                                        break;
                                    }
                                    Some(Err(_)) => break,
                                }
                            }
                        }
                        Some(Err(e)) if e.status() == Some(401) => {
                            ctx.shown(&e);
                            return;
                        }
                        Some(Err(_)) => {}
                    }
                    state.set(StreamState::Reconnecting);
                    let backoff = (Duration::from_millis(500) * 2u32.pow(failures.min(4))).min(MAX_DELAY);
                    failures += 1;
                    if until(&mut stop, sleep(delay.unwrap_or(backoff))).await.is_none() {
                        return;
                    }
                }
            });
            // Dropping the sender stops the task, which drops (aborts) the open stream.
            move || drop(stop_tx)
        });
    }
    *state
}

/// `work`'s output, or `None` as soon as `stop` resolves (its sender was dropped).
async fn until<T>(stop: &mut Pin<Box<oneshot::Receiver<()>>>, work: impl Future<Output = T>) -> Option<T> {
    let mut work = pin!(work);
    poll_fn(|cx| {
        if stop.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        work.as_mut().poll(cx).map(Some)
    })
    .await
}
