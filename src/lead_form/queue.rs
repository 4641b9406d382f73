//! The submission queue: nothing lost, nothing doubled.
//!
//! Every submission is written to `localStorage` as `parlo:lead:<idempotency key>` →
//! `{"api_base", "form", "body"}` (`body`: the exact JSON text sent, so every retry sends the
//! same bytes, which the server answers with the first result) before it is first sent,
//! and removed only when the server has answered it for good:
//!
//! - 2xx: stored (or taken for spam and dropped silently): [`Outcome::Sent`];
//! - 4xx other than 408 and 429 (e.g. 422 with per-field errors, 409 when the key was used
//!   with another body): [`Outcome::Rejected`], shown to the visitor, never retried;
//! - no answer, a timeout ([`ATTEMPT_TIMEOUT`]), 408, 429 or 5xx: kept and retried with
//!   exponential backoff and jitter ([`BACKOFF`]; `Retry-After` honoured), without spending
//!   attempts while the browser is offline, and at once on the `online` event.
//!
//! [`flush`] starts the delivery of every stored submission; the bundle runs it when a form
//! mounts and when `loader.js` finds leftovers on a later page load (see `js/loader.js`). A
//! page delivers each key once at a time; two tabs may both send one, and the server's
//! idempotency keeps one lead. Without `localStorage` (some private modes) a submission is
//! still retried while the page stays open.

use super::api;
use crate::client::json::{object, string};
use crate::client::{Error, RetryPolicy, online};
use parlo_model::lead::SubmissionAccepted;
use parlo_model::problem::Problem;
use std::cell::{Cell, RefCell};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::Storage;
use yew::Callback;
use yew::platform::spawn_local;
use yew::platform::time::sleep;

/// `localStorage` key prefix of queued submissions (shared with `loader.js`).
pub const PREFIX: &str = "parlo:lead:";

/// Longest wait for one answer before the attempt counts as failed and is retried.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// Delays between attempts: 1 s doubling up to 60 s, jittered; never gives up.
pub const BACKOFF: RetryPolicy = RetryPolicy {
    max_attempts: u32::MAX,
    base_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(60),
};

/// A submission waiting for the server's confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The idempotency key (also in `body`).
    pub key: String,
    /// Origin of the Parlo server (empty: the page's).
    pub api_base: String,
    /// Public id of the form.
    pub form: String,
    /// The JSON text of the [`Submission`](parlo_model::form::Submission).
    pub body: String,
}

/// How a submission ended, or that it waits in the queue.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The server stored it (or dropped it as spam without saying so); its answer, when it
    /// decoded.
    Sent(Option<Box<SubmissionAccepted>>),
    /// The server refused it for good; the problem says why (per-field `errors` for 422).
    Rejected(Box<Problem>),
    /// Not confirmed yet: it stays queued and is retried.
    Queued,
}

thread_local! {
    /// Keys being delivered by this page, with whoever waits for their outcome.
    static ACTIVE: RefCell<Vec<(String, Vec<Callback<Outcome>>)>> = RefCell::default();
    /// Bumped by every `online` event: wakes the deliveries waiting out a backoff.
    static ONLINE: Cell<u32> = const { Cell::new(0) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Pending {
    fn save(&self) {
        let entry = object(&[
            ("api_base", self.api_base.as_str().into()),
            ("form", self.form.as_str().into()),
            ("body", self.body.as_str().into()),
        ]);
        if let (Some(storage), Ok(text)) = (storage(), js_sys::JSON::stringify(&entry)) {
            let _ = storage.set_item(&format!("{PREFIX}{}", self.key), &String::from(text));
        }
    }

    fn remove(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&format!("{PREFIX}{}", self.key));
        }
    }

    fn load(key: &str, text: &str) -> Option<Pending> {
        let v = js_sys::JSON::parse(text).ok()?;
        Some(Pending {
            key: key.to_owned(),
            api_base: string(&v, "api_base").ok()?,
            form: string(&v, "form").ok()?,
            body: string(&v, "body")
                .ok()
                .filter(|b| js_sys::JSON::parse(b).is_ok())?,
        })
    }
}

/// Every submission in the queue (unreadable entries are dropped).
pub fn pending() -> Vec<Pending> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    keys.into_iter()
        .filter_map(|k| {
            let text = storage.get_item(&k).ok().flatten()?;
            let found = Pending::load(&k[PREFIX.len()..], &text);
            if found.is_none() {
                let _ = storage.remove_item(&k);
            }
            found
        })
        .collect()
}

/// Queues `pending` and sends it: `notify` gets [`Outcome::Queued`] when the first attempt
/// gets no final answer, and the final outcome whenever it comes (while this page is open).
pub fn submit(pending: Pending, notify: Callback<Outcome>) {
    pending.save();
    deliver(pending, Some(notify));
}

/// Starts delivering every queued submission (those already under way are left alone).
pub fn flush() {
    for pending in self::pending() {
        deliver(pending, None);
    }
}

/// Calls `notify` with the final outcome of the queued submission `key`, if this page is
/// delivering it.
pub fn watch(key: &str, notify: Callback<Outcome>) {
    ACTIVE.with(|a| {
        if let Some((_, waiting)) = a.borrow_mut().iter_mut().find(|(k, _)| k == key) {
            waiting.push(notify);
        }
    });
}

fn deliver(pending: Pending, notify: Option<Callback<Outcome>>) {
    listen_online();
    let started = ACTIVE.with(|a| {
        let mut active = a.borrow_mut();
        match active.iter_mut().find(|(k, _)| *k == pending.key) {
            Some((_, waiting)) => {
                waiting.extend(notify);
                false
            }
            None => {
                active.push((pending.key.clone(), notify.into_iter().collect()));
                true
            }
        }
    });
    if started {
        spawn_local(run(pending));
    }
}

fn tell(key: &str, outcome: Outcome, done: bool) {
    let waiting = ACTIVE.with(|a| {
        let mut active = a.borrow_mut();
        let i = active.iter().position(|(k, _)| k == key)?;
        Some(if done {
            active.remove(i).1
        } else {
            active[i].1.clone()
        })
    });
    for notify in waiting.into_iter().flatten() {
        notify.emit(outcome.clone());
    }
}

async fn run(pending: Pending) {
    let mut retry = 0;
    let mut told = false;
    loop {
        if !online() && !told {
            tell(&pending.key, Outcome::Queued, false);
            told = true;
        }
        while !online() {
            sleep(Duration::from_secs(1)).await;
        }
        let error = match api::submit(&pending, ATTEMPT_TIMEOUT).await {
            Ok(accepted) => {
                pending.remove();
                return tell(&pending.key, Outcome::Sent(accepted.map(Box::new)), true);
            }
            Err(error) => error,
        };
        let final_status = error
            .status()
            .filter(|s| (400..500).contains(s) && *s != 408 && *s != 429);
        if let (Some(_), Error::Api { problem, .. }) = (final_status, &error) {
            pending.remove();
            return tell(&pending.key, Outcome::Rejected(problem.clone()), true);
        }
        if !told {
            tell(&pending.key, Outcome::Queued, false);
            told = true;
        }
        let delay = match &error {
            Error::Api {
                retry_after: Some(secs),
                ..
            } => Duration::from_secs(u64::from(*secs)),
            // An attempt that failed because the browser went offline is not a failure of
            // the server: it is tried again as soon as the browser is back online.
            Error::Network(_) if !online() => Duration::ZERO,
            _ => BACKOFF.delay(retry),
        };
        retry += 1;
        let epoch = ONLINE.with(Cell::get);
        let mut waited = Duration::ZERO;
        while waited < delay && ONLINE.with(Cell::get) == epoch {
            let step = (delay - waited).min(Duration::from_millis(250));
            sleep(step).await;
            waited += step;
        }
    }
}

/// Installs (once) the `online` listener that cuts the backoff of every delivery short.
fn listen_online() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    if let Some(window) = web_sys::window() {
        let listener = Closure::<dyn FnMut()>::new(|| ONLINE.with(|o| o.set(o.get().wrapping_add(1))));
        let _ = window.add_event_listener_with_callback("online", listener.as_ref().unchecked_ref());
        // Lives as long as the page, like the queue itself.
        listener.forget();
    }
}
