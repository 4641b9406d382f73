//! Every malformed request class, sent to every operation of the OpenAPI document and to the
//! static routes of a real `parlo-server` process, is answered with a 4xx
//! `application/problem+json` body — never a 5xx — and logs no ERROR line; so is every
//! request head the HTTP parser refuses, sent over a raw TCP connection.

use crate::common::{BIN, spawn_server, terminate};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};

/// The request class with a body over every route's limit.
const LARGE: &str = "2 MiB of JSON";

/// A request class: its name and how it spoils a request.
type Spoil = (&'static str, fn(RequestBuilder) -> RequestBuilder);

const CLASSES: &[Spoil] = &[
    ("malformed JSON", |r| {
        r.header("content-type", "application/json").body("{\"a\": ")
    }),
    ("a JSON array", |r| {
        r.header("content-type", "application/json").body("[1, 2]")
    }),
    ("text/plain", |r| {
        r.header("content-type", "text/plain").body("{}")
    }),
    ("a form body", |r| {
        r.header("content-type", "application/x-www-form-urlencoded")
            .body("a=1")
    }),
    ("invalid UTF-8", |r| {
        r.header("content-type", "application/json")
            .body(vec![0x7b, 0xff, 0xfe, 0x7d])
    }),
    (LARGE, |r| {
        r.header("content-type", "application/json")
            .body(format!("{{\"text\": \"{}\"}}", "a".repeat(2 << 20)))
    }),
    ("a bad Last-Event-ID", |r| {
        r.header("last-event-id", "not-a-number")
    }),
];

/// Request heads that no HTTP client sends and that the server's HTTP parser itself refuses,
/// before any route: each with what makes it malformed.
const HEADS: &[(&str, &[u8])] = &[
    (
        "a NUL in Last-Event-ID",
        b"GET /api/v1/health HTTP/1.1\r\nhost: x\r\nlast-event-id: 1\x002\r\n\r\n",
    ),
    (
        "a control byte in a header name",
        b"GET / HTTP/1.1\r\nhost: x\r\nx\x01y: 1\r\n\r\n",
    ),
    ("a malformed request line", b"GET\r\n\r\n"),
    ("an unknown HTTP version", b"GET / HTTP/7.3\r\nhost: x\r\n\r\n"),
];

/// Sends each of [`HEADS`] over a raw TCP connection to `url` and returns what was not a
/// 4xx problem answer whose body states the same status.
async fn malformed_heads(url: &str) -> Vec<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut bad = Vec::new();
    let mut heads: Vec<(&str, Vec<u8>)> = HEADS.iter().map(|(n, h)| (*n, h.to_vec())).collect();
    let mut huge = b"GET / HTTP/1.1\r\nhost: x\r\n".to_vec();
    for i in 0..1_000 {
        huge.extend_from_slice(format!("x-{i}: {}\r\n", "a".repeat(1_000)).as_bytes());
    }
    huge.extend_from_slice(b"\r\n");
    heads.push(("a 1 MB header section", huge));
    for (name, head) in heads {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        // The server may answer and close before reading all of a huge head.
        let _ = stream.write_all(&head).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let problem: Option<Value> = serde_json::from_str(body).ok();
        let is_problem = head
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json");
        if !(400..500).contains(&status) || !is_problem || problem.is_none_or(|p| p["status"] != status) {
            bad.push(format!("{name}: {answer:?}"));
        }
    }
    bad
}

/// `template` with every `{param}` replaced by a value of the wrong form.
fn fill(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        out.push_str("%00%ff..%2F");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn malformed_requests_get_4xx_problems_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = Command::new(BIN)
        .args([
            "--seed-demo",
            "create-key",
            "--workspace",
            "demo",
            "--name",
            "probe",
        ])
        .env("PARLO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    // With the docs' assets (installed by `cargo xtask setup`), so `/docs` is not a 503.
    let swagger_ui = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/swagger-ui/node_modules/swagger-ui-dist"
    );
    let envs = [
        ("PARLO_KEY_RATE_LIMIT", "1000000"),
        ("PARLO_SWAGGER_UI_DIR", swagger_ui),
    ];
    let (mut child, url) = spawn_server(&data, &envs, Stdio::piped());
    // Read the log as it comes: a full pipe would stall the server.
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        stderr.read_to_string(&mut log).unwrap();
        log
    });
    // No connection reuse: the server closes a connection whose large body it refused.
    let client = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let doc: Value = client
        .get(format!("{url}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let mut targets: Vec<(Method, String)> = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if let Ok(method) = method.to_uppercase().parse::<Method>() {
                targets.push((method.clone(), template.clone()));
                targets.push((
                    method.clone(),
                    format!("{template}?limit=-1&cursor=%00&after=x&from=y"),
                ));
                targets.push((method, fill(template)));
            }
        }
    }
    let long = "a".repeat(300);
    for path in [
        "/",
        "/pkg/x.js",
        "/embed.js",
        "/docs",
        "/docs/assets/x.css",
        "/healthz",
    ] {
        targets.push((Method::GET, path.to_owned()));
        targets.push((Method::POST, path.to_owned()));
        targets.push((Method::GET, format!("{path}/{long}")));
    }

    let mut bad = Vec::new();
    let mut sent = 0;
    for (method, path) in &targets {
        for (class, spoil) in CLASSES {
            let request = client
                .request(method.clone(), format!("{url}{path}"))
                .bearer_auth(&key)
                .header("origin", "http://127.0.0.1:8080");
            let res = match spoil(request).send().await {
                Ok(res) => res,
                // The server may answer (and close) before reading a large body it refuses;
                // the client then fails writing it. Nothing to judge.
                Err(e) if *class == LARGE && e.is_request() => continue,
                Err(e) => panic!("{method} {path} with {class}: {e}"),
            };
            sent += 1;
            let status = res.status();
            let problem = res
                .headers()
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
            // A well-formed part of the request may still succeed (GETs ignore bodies): only
            // errors are judged, and those must be 4xx problems.
            if status.is_server_error() || (status.is_client_error() && !problem) {
                bad.push(format!("{method} {path} with {class}: {status}"));
            }
        }
    }
    bad.extend(malformed_heads(&url).await);
    terminate(child);
    let log = log.join().unwrap();
    assert!(
        bad.is_empty(),
        "{} of {sent} requests:\n{}",
        bad.len(),
        bad.join("\n")
    );
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
