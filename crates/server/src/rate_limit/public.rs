//! Limits of the public chat API, which anyone may call without a key: new sessions per
//! client IP, visitor messages and read reports per session, and open event streams per
//! session and per server. Refusals are 429 `rate_limited` problems with `Retry-After` (RFC 6585 §4,
//! RFC 9110 §10.2.3), which the widget's client waits out and retries.
//!
//! The defaults are far above what a person does — one session per page view, a message
//! every second or two, one stream per open tab — and far below what a script does: the
//! limits stop one client from filling the database with subscribers or messages, or
//! holding thousands of connections.
//!
//! Like [`super::Limiter`], the counts live in this process: behind a load balancer each
//! instance allows the full rate.

use super::{Limiter, refuse_past};
use crate::error::ApiError;
use clap::Args;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Default of [`PublicLimitsConfig::session_rate_limit`].
pub const DEFAULT_SESSIONS_PER_IP: u32 = 120;
/// Default of [`PublicLimitsConfig::message_rate_limit`].
pub const DEFAULT_MESSAGES_PER_SESSION: u32 = 60;
/// Default of [`PublicLimitsConfig::read_rate_limit`]: twice the messages, as the widget
/// reports once per message it shows and a turn shows the visitor's message and a reply.
pub const DEFAULT_READS_PER_SESSION: u32 = 120;
/// Default of [`PublicLimitsConfig::streams_per_session`].
pub const DEFAULT_STREAMS_PER_SESSION: u32 = 10;
/// Default of [`PublicLimitsConfig::max_streams`].
pub const DEFAULT_MAX_STREAMS: u32 = 20_000;
/// `Retry-After` of a refused stream, in seconds: a slot frees when a tab closes.
const STREAM_RETRY_SECS: u64 = 10;

/// Settings of the public limits (flags and `PARLO_*` variables of `parlo-server`).
#[derive(Clone, Debug, Args)]
pub struct PublicLimitsConfig {
    /// Visitor sessions started or resumed per client IP per minute (a token bucket:
    /// bursts up to this many, refilled evenly). Behind a reverse proxy set
    /// `--trusted-proxies`, or every visitor shares the proxy's address.
    #[arg(long, env = "PARLO_SESSION_RATE_LIMIT", default_value_t = DEFAULT_SESSIONS_PER_IP,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub session_rate_limit: u32,
    /// Visitor messages and button presses per session per minute (a token bucket).
    #[arg(long, env = "PARLO_MESSAGE_RATE_LIMIT", default_value_t = DEFAULT_MESSAGES_PER_SESSION,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub message_rate_limit: u32,
    /// Read reports (`POST …/read`) per session per minute (a token bucket). A refused
    /// report loses nothing: the next one, further on, covers it.
    #[arg(long, env = "PARLO_READ_RATE_LIMIT", default_value_t = DEFAULT_READS_PER_SESSION,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub read_rate_limit: u32,
    /// Event streams open at once per session (one per browser tab of the visitor).
    #[arg(long, env = "PARLO_STREAMS_PER_SESSION", default_value_t = DEFAULT_STREAMS_PER_SESSION,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub streams_per_session: u32,
    /// Event streams open at once on this server instance.
    #[arg(long, env = "PARLO_MAX_STREAMS", default_value_t = DEFAULT_MAX_STREAMS,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_streams: u32,
}

impl Default for PublicLimitsConfig {
    /// The command line defaults.
    fn default() -> Self {
        Self {
            session_rate_limit: DEFAULT_SESSIONS_PER_IP,
            message_rate_limit: DEFAULT_MESSAGES_PER_SESSION,
            read_rate_limit: DEFAULT_READS_PER_SESSION,
            streams_per_session: DEFAULT_STREAMS_PER_SESSION,
            max_streams: DEFAULT_MAX_STREAMS,
        }
    }
}

/// The limits of [`PublicLimitsConfig`] with their counts.
#[derive(Debug)]
pub struct PublicLimits {
    sessions: Limiter<IpAddr>,
    messages: Limiter<String>,
    reads: Limiter<String>,
    streams: Arc<Mutex<Streams>>,
}

/// Open event streams, in total and per subscriber.
#[derive(Debug)]
struct Streams {
    per_session: u32,
    max: u32,
    total: u32,
    by_subscriber: HashMap<String, u32>,
}

/// An open event stream's place in the count; dropping it (when the stream ends) frees it.
#[derive(Debug)]
pub struct StreamSlot {
    streams: Arc<Mutex<Streams>>,
    subscriber_id: String,
}

impl PublicLimits {
    /// Limits with the counts of `config`, all unused.
    pub fn new(config: &PublicLimitsConfig) -> Self {
        Self {
            sessions: Limiter::new(config.session_rate_limit),
            messages: Limiter::new(config.message_rate_limit),
            reads: Limiter::new(config.read_rate_limit),
            streams: Arc::new(Mutex::new(Streams {
                per_session: config.streams_per_session,
                max: config.max_streams,
                total: 0,
                by_subscriber: HashMap::new(),
            })),
        }
    }

    /// Counts a session request from `ip` (not counted when unknown); 429 past the limit.
    pub fn session(&self, ip: Option<IpAddr>, now: Instant) -> Result<(), ApiError> {
        match ip {
            Some(ip) => refuse_past(
                self.sessions.take(ip, now),
                "session-ip",
                "too many sessions started from this IP address",
            ),
            None => Ok(()),
        }
    }

    /// Counts a message of subscriber `subscriber_id`; 429 past the limit.
    pub fn message(&self, subscriber_id: &str, now: Instant) -> Result<(), ApiError> {
        refuse_past(
            self.messages.take(subscriber_id.to_owned(), now),
            "session-messages",
            "too many messages in this session",
        )
    }

    /// Counts a read report of subscriber `subscriber_id`; 429 past the limit.
    pub fn read(&self, subscriber_id: &str, now: Instant) -> Result<(), ApiError> {
        refuse_past(
            self.reads.take(subscriber_id.to_owned(), now),
            "session-reads",
            "too many read reports in this session",
        )
    }

    /// A slot for one more event stream of `subscriber_id`; 429 when the session or the
    /// server has all its streams open.
    pub fn open_stream(&self, subscriber_id: &str) -> Result<StreamSlot, ApiError> {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        let refuse = |what| {
            Err(ApiError::TooMany {
                what,
                retry_after_secs: STREAM_RETRY_SECS,
                policy: None,
            })
        };
        if streams.total >= streams.max {
            return refuse("too many event streams open on this server");
        }
        let per_session = streams.per_session;
        let open = streams.by_subscriber.entry(subscriber_id.to_owned()).or_default();
        if *open >= per_session {
            return refuse("too many event streams open for this session");
        }
        *open += 1;
        streams.total += 1;
        Ok(StreamSlot {
            streams: self.streams.clone(),
            subscriber_id: subscriber_id.to_owned(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.total = streams.total.saturating_sub(1);
        if let Some(open) = streams.by_subscriber.get_mut(&self.subscriber_id) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                streams.by_subscriber.remove(&self.subscriber_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(streams_per_session: u32, max_streams: u32) -> PublicLimits {
        PublicLimits::new(&PublicLimitsConfig {
            session_rate_limit: 2,
            message_rate_limit: 3,
            read_rate_limit: 2,
            streams_per_session,
            max_streams,
        })
    }

    fn refusal(result: Result<impl std::fmt::Debug, ApiError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn sessions_count_per_ip_and_messages_per_session() {
        let limits = limits(1, 1);
        let t0 = Instant::now();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(limits.session(Some(a), t0).is_ok() && limits.session(Some(a), t0).is_ok());
        assert_eq!(
            refusal(limits.session(Some(a), t0)),
            "too many sessions started from this IP address"
        );
        assert!(limits.session(Some(b), t0).is_ok());
        assert!(limits.session(None, t0).is_ok() && limits.session(None, t0).is_ok());
        for _ in 0..3 {
            assert!(limits.message("sub_a", t0).is_ok());
        }
        assert_eq!(
            refusal(limits.message("sub_a", t0)),
            "too many messages in this session"
        );
        assert!(limits.message("sub_b", t0).is_ok());
        // Read reports have their own bucket, which messages did not use.
        assert!(limits.read("sub_a", t0).is_ok() && limits.read("sub_a", t0).is_ok());
        assert_eq!(
            refusal(limits.read("sub_a", t0)),
            "too many read reports in this session"
        );
        // A minute refills the bucket.
        assert!(
            limits
                .message("sub_a", t0 + std::time::Duration::from_secs(60))
                .is_ok()
        );
    }

    #[test]
    fn streams_are_counted_while_open() {
        let limits = limits(2, 3);
        let a1 = limits.open_stream("sub_a").unwrap();
        let _a2 = limits.open_stream("sub_a").unwrap();
        assert_eq!(
            refusal(limits.open_stream("sub_a")),
            "too many event streams open for this session"
        );
        let _b1 = limits.open_stream("sub_b").unwrap();
        assert_eq!(
            refusal(limits.open_stream("sub_c")),
            "too many event streams open on this server"
        );
        drop(a1);
        let _a3 = limits.open_stream("sub_a").unwrap();
        assert!(limits.open_stream("sub_c").is_err());
    }
}
