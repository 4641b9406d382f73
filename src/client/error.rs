//! The one error type of the client.

use parlo_model::problem::Problem;
use std::fmt;

/// What can go wrong with a request.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The request did not get an answer: offline, DNS, CORS refusal, connection reset.
    Network(String),
    /// The server answered an error status; `problem` is its `application/problem+json` body
    /// (or one made up from the status when the body was not a problem).
    Api {
        /// The problem body, `problem.status` is the HTTP status (boxed: it is large).
        problem: Box<Problem>,
        /// `Retry-After` in seconds, when the server sent one (429, 503).
        retry_after: Option<u32>,
    },
    /// A success answer whose body is not what the API documents; `body` is the raw text.
    Decode {
        /// What did not match.
        message: String,
        /// The raw body as received.
        body: String,
    },
    /// The request was cancelled through the client's `AbortSignal`.
    Aborted,
}

impl Error {
    /// `true` when sending the same idempotent request again may succeed: network errors,
    /// 408, 429 and 5xx answers (RFC 9110 §15.5.9, RFC 6585 §4, §15.6).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Network(_) => true,
            Error::Api { problem, .. } => matches!(problem.status, 408 | 429 | 500..),
            Error::Decode { .. } | Error::Aborted => false,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { problem, .. } => Some(problem.status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Network(message) => write!(f, "network error: {message}"),
            Error::Api { problem, .. } => {
                write!(f, "{} ({}, {})", problem.title, problem.status, problem.code)?;
                match &problem.detail {
                    Some(detail) => write!(f, ": {detail}"),
                    None => Ok(()),
                }
            }
            Error::Decode { message, .. } => write!(f, "unexpected answer: {message}"),
            Error::Aborted => f.write_str("request aborted"),
        }
    }
}

impl std::error::Error for Error {}
