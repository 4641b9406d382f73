//! The TCP listener the server accepts connections on ([`ProblemListener`]): a plain
//! [`TcpListener`] whose connections give hyper's own error answers a problem body.
//!
//! hyper answers a request head it cannot parse (a NUL or other control byte in a header
//! value, a malformed request line, a head too large) itself, before any service or layer
//! runs, with a bodiless `400`/`431`/`414`/`505`, `connection: close` and
//! `content-length: 0`, and then closes the connection. No middleware can see those answers,
//! so [`ProblemIo`] recognises that exact head when hyper writes it and sends in its place
//! the same status with the problem body of [`problem_bodies::bare_problem`], like every
//! other error answer of the server (RFC 9457). Everything else passes through unchanged:
//! the server's own error answers always carry a body, so a bare error head can only be
//! hyper's.

use crate::problem_bodies;
use axum::extract::connect_info::Connected;
use axum::http::StatusCode;
use axum::serve::IncomingStream;
use parlo_model::problem;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A [`TcpListener`] whose connections are [`ProblemIo`]s.
#[derive(Debug)]
pub struct ProblemListener(pub TcpListener);

/// The TCP peer of a connection, as handlers read it (`ConnectInfo<Peer>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, ProblemListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, ProblemListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

impl axum::serve::Listener for ProblemListener {
    type Io = ProblemIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (ProblemIo, SocketAddr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (
            ProblemIo {
                stream,
                replacement: Vec::new(),
                written: 0,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// One accepted connection; reads pass through, writes pass through except hyper's bare
/// error head, which is replaced by a problem answer (see the module docs).
#[derive(Debug)]
pub struct ProblemIo {
    stream: TcpStream,
    /// The problem answer still to send in place of a bare error head.
    replacement: Vec<u8>,
    /// How much of `replacement` is sent.
    written: usize,
}

impl ProblemIo {
    /// Sends what is left of the replacement answer.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.replacement.len() {
            let n = ready!(Pin::new(&mut self.stream).poll_write(cx, &self.replacement[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for ProblemIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ProblemIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.poll_replacement(cx))?;
        if let Some(status) = bare_error_status(buf) {
            self.replacement = problem_answer(status);
            self.written = 0;
            // hyper's head counts as written; the replacement goes out on this call or the
            // next write, flush or shutdown.
            let _ = self.poll_replacement(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The status of `head` when it is hyper's bare error answer: a whole HTTP/1.1 head with a
/// 4xx/5xx status, `connection: close` and `content-length: 0`, and nothing after it.
fn bare_error_status(head: &[u8]) -> Option<StatusCode> {
    let rest = head.strip_prefix(b"HTTP/1.1 ")?;
    let status = StatusCode::from_bytes(rest.get(..3)?).ok()?;
    let lines = head.strip_suffix(b"\r\n\r\n")?;
    let has_line = |line: &[u8]| {
        lines
            .split(|&b| b == b'\n')
            .any(|l| l.strip_suffix(b"\r").unwrap_or(l) == line)
    };
    let is_error = status.is_client_error() || status.is_server_error();
    (is_error
        && !lines.windows(4).any(|w| w == b"\r\n\r\n")
        && has_line(b"connection: close")
        && has_line(b"content-length: 0"))
    .then_some(status)
}

/// The whole answer sent in place of a bare `status`: the status line, the problem's content
/// type and length, `connection: close`, and the problem body.
fn problem_answer(status: StatusCode) -> Vec<u8> {
    let problem = problem_bodies::bare_problem(status);
    let problem = match status {
        StatusCode::BAD_REQUEST => {
            problem.with_detail("the request line or a header field is malformed (RFC 9112)")
        }
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            problem.with_detail("the request's header section is larger than the server reads")
        }
        _ => problem,
    };
    let body = serde_json::to_vec(&problem).expect("a problem serializes to JSON");
    let mut answer = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or("Error"),
        problem::CONTENT_TYPE,
        body.len(),
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_bare_error_head_is_replaced() {
        let bare = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 03:46:13 GMT\r\n\r\n";
        assert_eq!(bare_error_status(bare), Some(StatusCode::BAD_REQUEST));
        let too_large =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(
            bare_error_status(too_large),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        for passes in [
            // An answer with a body, ours.
            &b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 90\r\n\r\n"[..],
            // Not an error.
            b"HTTP/1.1 204 No Content\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
            // A head followed by a pipelined answer's bytes.
            b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
            // Part of a head.
            b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n",
            // Body bytes.
            b"{\"status\":400}",
        ] {
            assert_eq!(bare_error_status(passes), None, "{}", String::from_utf8_lossy(passes));
        }
    }

    #[test]
    fn the_replacement_is_a_problem_answer_of_the_same_status() {
        let answer = String::from_utf8(problem_answer(StatusCode::BAD_REQUEST)).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains("content-type: application/problem+json"), "{head}");
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 400);
        assert_eq!(problem["code"], "bad_request");
    }
}
