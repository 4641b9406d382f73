//! `GET /api/public/v1/channels/{channel_id}/events`: the realtime stream, over
//! `EventSource` (server-sent events).

use super::json::{FromJson, integer};
use super::{Client, Error};
use parlo_model::chat::{Message, StreamEvent};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

/// What an [`EventStream`] reports to its handler.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamSignal {
    /// The connection is open.
    Open,
    /// An event of the conversation.
    Event(StreamEvent),
    /// The connection failed or dropped. The stream does not reconnect by itself: drop it
    /// and open a new one after the last `seq` received, after a backoff.
    Error,
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
        let url = self.url(&format!("/events?after={after}&token={token}"));
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
            let message = Message::from_json(&data(event)?).ok()?;
            Some(StreamSignal::Event(StreamEvent::Message(message)))
        }));
        let on_typing = on(Box::new(|event| {
            let duration_ms = integer(&data(event)?, "duration_ms").ok()?;
            Some(StreamSignal::Event(StreamEvent::Typing {
                duration_ms: duration_ms.try_into().unwrap_or(u32::MAX),
            }))
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

/// The event's data, parsed as JSON.
fn data(event: &Event) -> Option<wasm_bindgen::JsValue> {
    let data = event.dyn_ref::<MessageEvent>()?.data().as_string()?;
    js_sys::JSON::parse(&data).ok()
}
