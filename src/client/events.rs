//! `GET /api/public/v1/channels/{channel_id}/events`: the realtime stream, over
//! `EventSource` (server-sent events).
//!
//! # Why `web_sys::EventSource` and not `gloo_net::eventsource`
//!
//! The widget shows "Reconnecting…" as soon as the stream drops and reopens it itself, after
//! a backoff, from the last `seq` it has (`?after=`), resuming the session when its token
//! may have expired. gloo-net's `EventSource` (0.6) cannot serve that: it passes on an
//! `error` event only once the source is `CLOSED` — the errors of a dropped connection that
//! the browser retries on its own (`readyState` `CONNECTING`) are swallowed, so a server
//! restart or a cut network would show nothing — it reports no `open` event, and it does
//! not expose the underlying `EventSource` to listen to them. The few lines below listen to
//! `open`, `error`, `message` and `typing` directly; the event data are read with the
//! model's serde derives like every answer of the [`transport`](super::transport).

use super::transport::from_json;
use super::{Client, Error};
use parlo_model::chat::{Message, StreamEvent};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

/// What an [`EventStream`] reports to its handler.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(
        clippy::large_enum_variant,
        reason = "short-lived values, and nearly every signal is a message (smaller on wasm32)"
    )
)]
pub enum StreamSignal {
    /// The connection is open.
    Open,
    /// An event of the conversation.
    Event(StreamEvent),
    /// The connection failed or dropped. The stream does not reconnect by itself: drop it
    /// and open a new one after the last `seq` received, after a backoff.
    Error,
}

/// The data of a `typing` event: [`StreamEvent::Typing`]'s member, which the stream sends
/// without the enum's `event`/`data` envelope (the SSE `event:` field names the variant).
#[derive(Deserialize)]
struct Typing {
    duration_ms: u32,
}

type Listener = Closure<dyn FnMut(Event)>;

/// What a listener makes of its event.
type Translate = Box<dyn Fn(&Event) -> Option<StreamSignal>>;

/// An open realtime stream. Dropping it closes the connection.
#[derive(Debug)]
pub struct EventStream {
    source: EventSource,
    _listeners: Vec<Listener>,
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.source.close();
        self.source.set_onopen(None);
        self.source.set_onmessage(None);
        self.source.set_onerror(None);
    }
}

impl Client {
    /// Opens the event stream of the session holding `session_token`, starting after
    /// message `after` (so every message with `seq > after` is delivered).
    ///
    /// `handler` receives every [`StreamSignal`]; events whose data do not decode are skipped.
    pub fn events(
        &self,
        session_token: &str,
        after: u64,
        handler: impl Fn(StreamSignal) + 'static,
    ) -> Result<EventStream, Error> {
        let token = String::from(js_sys::encode_uri_component(session_token));
        let channel = String::from(js_sys::encode_uri_component(self.channel.as_str()));
        let url = super::public_url(
            &self.api_base,
            &format!("/channels/{channel}/events?after={after}&token={token}"),
        );
        let source = EventSource::new(&url).map_err(|e| Error::Network(super::describe(&e)))?;
        let handler = std::rc::Rc::new(handler);
        let on = |f: Translate| {
            let handler = handler.clone();
            Closure::new(move |event: Event| {
                if let Some(signal) = f(&event) {
                    handler(signal);
                }
            }) as Listener
        };
        let on_open = on(Box::new(|_| Some(StreamSignal::Open)));
        let on_error = on(Box::new(|_| Some(StreamSignal::Error)));
        let on_message = on(Box::new(|event| {
            let message: Message = from_json(data(event)?).ok()?;
            Some(StreamSignal::Event(StreamEvent::Message(message)))
        }));
        let on_typing = on(Box::new(|event| {
            let Typing { duration_ms } = from_json(data(event)?).ok()?;
            Some(StreamSignal::Event(StreamEvent::Typing { duration_ms }))
        }));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source
            .add_event_listener_with_callback("typing", on_typing.as_ref().unchecked_ref())
            .map_err(|e| Error::Network(super::describe(&e)))?;
        Ok(EventStream {
            source,
            _listeners: vec![on_open, on_error, on_message, on_typing],
        })
    }
}

/// The event's data text.
fn data(event: &Event) -> Option<String> {
    event.dyn_ref::<MessageEvent>()?.data().as_string()
}
