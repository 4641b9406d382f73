//! A scripted HTTP responder on 127.0.0.1 for the transport's retry test
//! (`tests/transport.rs`): the platform server cannot be told to answer 503 or 429 on
//! demand, this fixture can. It is no stand-in for `parlo-server`; it only answers statuses.
//!
//! `GET|POST /script/{name}/{s1},{s2},…` answers the n-th request to that path with status
//! `s_n` (the last one repeated): `200` with `{"attempt": n}`, `429` with `Retry-After: 1`,
//! others with a problem+json body. `OPTIONS` (CORS preflight) is answered `204` and not
//! counted; every answer allows any origin and exposes `Retry-After`.

use crate::util::Result;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// Starts the responder on a free port of 127.0.0.1 and answers its base URL; it runs until
/// xtask exits.
pub fn start() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counts = counts.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &counts);
            });
        }
    });
    Ok(url)
}

fn answer(mut stream: TcpStream, counts: &Mutex<HashMap<String, usize>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/").to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;

    let cors = "access-control-allow-origin: *\r\naccess-control-allow-methods: GET, POST, PUT, \
                PATCH, DELETE\r\naccess-control-allow-headers: content-type, authorization, accept\r\n\
                access-control-expose-headers: retry-after\r\n";
    if method == "OPTIONS" {
        return write!(
            stream,
            "HTTP/1.1 204 No Content\r\n{cors}connection: close\r\n\r\n"
        );
    }
    let path = path.split('?').next().unwrap_or("").to_owned();
    let statuses: Vec<u16> = path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let attempt = {
        let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(path).or_default();
        *n += 1;
        *n
    };
    let status = statuses
        .get(attempt - 1)
        .or(statuses.last())
        .copied()
        .unwrap_or(404);
    let (extra, body) = match status {
        200 => (String::new(), format!(r#"{{"attempt":{attempt}}}"#)),
        429 => (
            "retry-after: 1\r\n".to_owned(),
            r#"{"title":"Too many requests","status":429,"code":"rate_limited"}"#.to_owned(),
        ),
        s => (
            String::new(),
            format!(r#"{{"title":"Scripted","status":{s},"code":"service_unavailable"}}"#),
        ),
    };
    let kind = if status == 200 {
        "application/json"
    } else {
        "application/problem+json"
    };
    write!(
        stream,
        "HTTP/1.1 {status} Scripted\r\n{cors}{extra}content-type: {kind}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
}
