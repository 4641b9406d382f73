//! Reading a `text/event-stream` (server-sent events, WHATWG HTML § 9.2) from the body of a
//! `fetch` answer, for streams that need the `Authorization` header, which `EventSource`
//! cannot send (the management API's workspace event stream).
//!
//! [`SseReader`] reads the body through the crate's one [`transport`](super::transport)
//! ([`Request::open`](super::transport::Request::open)) and [`Parser`] cuts it into events.
//!
//! ```
//! use parlo::client::sse::Parser;
//! let mut parser = Parser::default();
//! parser.push(b": keep-alive\n\nevent: message\nid: 7\ndata: {\"a\":1}\n\nretry: 1000\n");
//! let event = parser.next_event().unwrap();
//! assert_eq!((event.event.as_str(), event.id.as_deref(), event.data.as_str()), ("message", Some("7"), "{\"a\":1}"));
//! assert!(parser.next_event().is_none(), "the retry line's block is not finished");
//! parser.push(b"id: 8\n\n");
//! assert!(parser.next_event().is_none(), "a block without data is no event");
//! assert_eq!((parser.retry_ms(), parser.last_id()), (Some(1000), Some("8")));
//! ```

use super::Error;
use super::transport::{BodyReader, Request};

/// One event of the stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; `message` when the block had none.
    pub event: String,
    /// The `id:` field of the block, if it had one.
    pub id: Option<String>,
    /// The `data:` lines, joined by `\n`.
    pub data: String,
}

/// Cuts a `text/event-stream` into events, as its bytes arrive in chunks of any size.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes not yet cut into a whole line.
    buf: Vec<u8>,
    /// The event being read (fields seen since the last blank line).
    pending: SseEvent,
    /// Whether the pending block had a `data:` line.
    has_data: bool,
    /// The last `retry:` value, in milliseconds.
    retry_ms: Option<u64>,
    /// The `id:` of the last block, events or not (what `EventSource` calls the last
    /// event id: the server may announce the resume point in a block without data).
    last_id: Option<String>,
}

impl Parser {
    /// Adds the next bytes of the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The reconnection delay the server asked for last (`retry:`), in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// The last event id the stream set (`id:`, also in a block without data).
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The next whole event of the bytes pushed so far; `None` until one is complete.
    /// Comments (`:` lines) and blocks without `data:` are skipped.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        while let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.buf.drain(..=end).collect();
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line)).into_owned();
            if line.is_empty() {
                let event = std::mem::take(&mut self.pending);
                if event.id.is_some() {
                    self.last_id.clone_from(&event.id);
                }
                if std::mem::take(&mut self.has_data) {
                    return Some(SseEvent {
                        event: if event.event.is_empty() {
                            "message".to_owned()
                        } else {
                            event.event
                        },
                        ..event
                    });
                }
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.pending.event = value.to_owned(),
                "id" => self.pending.id = Some(value.to_owned()),
                "retry" => self.retry_ms = value.parse().ok().or(self.retry_ms),
                "data" => {
                    if self.has_data {
                        self.pending.data.push('\n');
                    }
                    self.pending.data.push_str(value);
                    self.has_data = true;
                }
                // A comment (empty field name) or a field this reader does not know.
                _ => {}
            }
        }
        None
    }
}

/// An open event stream read with `fetch`. Dropping it aborts the request.
#[derive(Debug)]
pub struct SseReader {
    body: BodyReader,
    parser: Parser,
    /// An event read by [`SseReader::wait_for_id`], answered by the next [`SseReader::next`].
    peeked: Option<SseEvent>,
}

impl SseReader {
    /// Sends `request` (once, accepting `text/event-stream`) and reads its answer's events.
    ///
    /// # Errors
    /// As [`Request::open`]: the network, or the server's problem answer.
    pub async fn open(request: Request) -> Result<Self, Error> {
        let body = request.accept("text/event-stream").open().await?;
        Ok(Self {
            body,
            parser: Parser::default(),
            peeked: None,
        })
    }

    /// Reads until the server has set an event id (a stream may announce its position in a
    /// block without data before any event), keeping an event read meanwhile for
    /// [`SseReader::next`]; returns at once when the stream ends.
    ///
    /// # Errors
    /// [`Error::Network`] when the connection breaks.
    pub async fn wait_for_id(&mut self) -> Result<(), Error> {
        while self.parser.last_id().is_none() && self.peeked.is_none() {
            if let Some(event) = self.parser.next_event() {
                self.peeked = Some(event);
                continue;
            }
            match self.body.next_chunk().await? {
                Some(chunk) => self.parser.push(&chunk),
                None => return Ok(()),
            }
        }
        Ok(())
    }

    /// The next event; `None` once the server ended the stream (reconnect after
    /// [`SseReader::retry_ms`]).
    ///
    /// # Errors
    /// [`Error::Network`] when the connection breaks; reconnect then.
    pub async fn next(&mut self) -> Result<Option<SseEvent>, Error> {
        if let Some(event) = self.peeked.take() {
            return Ok(Some(event));
        }
        loop {
            if let Some(event) = self.parser.next_event() {
                return Ok(Some(event));
            }
            match self.body.next_chunk().await? {
                Some(chunk) => self.parser.push(&chunk),
                None => return Ok(None),
            }
        }
    }

    /// The reconnection delay the server asked for, in milliseconds (`retry:`, sent when it
    /// shuts down).
    pub fn retry_ms(&self) -> Option<u64> {
        self.parser.retry_ms()
    }

    /// The last event id the server sent (`id:`): reopen with it as `Last-Event-ID`.
    pub fn last_id(&self) -> Option<&str> {
        self.parser.last_id()
    }
}
