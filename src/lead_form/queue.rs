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
//! - no answer, a timeout ([`ATTEMPT_TIMEOUT`]), 408, 429 or 5xx: kept and retried by the
//!   crate's one [`transport`](crate::client::transport) with exponential backoff and jitter
//!   ([`BACKOFF`]; `Retry-After` honoured up to its 60 s), without spending attempts while
//!   the browser is offline, and at once on the `online` event. A longer `Retry-After` leaves
//!   it in the queue for the next [`flush`].
//!
//! [`flush`] starts the delivery of every stored submission; the bundle runs it when a form
//! mounts and when `loader.js` finds leftovers on a later page load (see `js/loader.js`). A
//! page delivers each key once at a time; two tabs may both send one, and the server's
//! idempotency keeps one lead. Without `localStorage` (some private modes) a submission is
//! still retried while the page stays open.

use super::api;
use crate::client::transport::{from_json, to_json};
use crate::client::{Error, RetryPolicy, online};
use parlo_model::lead::SubmissionAccepted;
use parlo_model::problem::Problem;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use web_sys::Storage;
use yew::Callback;
use yew::platform::spawn_local;

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

/// A submission waiting for the server's confirmation; stored as JSON without its `key`
/// (which is in the storage key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The idempotency key (also in `body`).
    #[serde(skip)]
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
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Pending {
    fn save(&self) {
        if let (Some(storage), Ok(text)) = (storage(), to_json(self)) {
            let _ = storage.set_item(&format!("{PREFIX}{}", self.key), &text);
        }
    }

    fn remove(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&format!("{PREFIX}{}", self.key));
        }
    }

    fn load(key: &str, text: &str) -> Option<Pending> {
        let pending: Pending = from_json(text.to_owned()).ok()?;
        js_sys::JSON::parse(&pending.body).ok()?;
        Some(Pending {
            key: key.to_owned(),
            ..pending
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

/// Delivers `pending`: [`Outcome::Queued`] is told the first time it has to wait (offline,
/// or a retry), the final outcome when the server has answered for good.
async fn run(pending: Pending) {
    let told = Rc::new(Cell::new(false));
    let on_wait = {
        let (key, told) = (pending.key.clone(), told.clone());
        move || {
            if !told.replace(true) {
                tell(&key, Outcome::Queued, false);
            }
        }
    };
    if !online() {
        on_wait();
    }
    match api::submit(&pending, on_wait).await {
        Ok(accepted) => {
            pending.remove();
            tell(&pending.key, Outcome::Sent(accepted.map(Box::new)), true);
        }
        Err(Error::Api { problem, .. })
            if (400..500).contains(&problem.status) && !matches!(problem.status, 408 | 429) =>
        {
            pending.remove();
            tell(&pending.key, Outcome::Rejected(problem), true);
        }
        // Not confirmed (a `Retry-After` beyond the backoff's longest delay): it stays queued
        // for the next flush.
        Err(_) => {
            if !told.get() {
                tell(&pending.key, Outcome::Queued, false);
            }
            ACTIVE.with(|a| a.borrow_mut().retain(|(k, _)| *k != pending.key));
        }
    }
}
