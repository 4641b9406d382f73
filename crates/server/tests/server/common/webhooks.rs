//! Outbox test support: a real local webhook receiver (HTTP on 127.0.0.1) whose answers
//! a test scripts, a tiny SMTP sink, and enqueuing events on the running server.

use super::TestServer;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use parlo_model::automation::Automation;
use parlo_server::{AppState, Running, db, outbox};
use serde_json::Value;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Longest wait for an expected delivery or state before a test fails (a safety net, not
/// a timing assertion).
pub const WAIT: Duration = Duration::from_secs(30);

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// How the receiver answers one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// How long the receiver waits before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A 200 with `body` as JSON.
    pub fn json(body: &Value) -> Self {
        let mut reply = Self::status(200).header("content-type", "application/json");
        reply.body = body.to_string().into_bytes();
        reply
    }

    /// The same reply, after waiting `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

#[derive(Clone)]
struct Shared {
    script: Arc<Mutex<VecDeque<Reply>>>,
    fallback: Arc<Mutex<Reply>>,
    sender: mpsc::UnboundedSender<Received>,
}

/// A webhook receiver on `127.0.0.1`: answers the scripted replies in order, then its
/// fallback (204 unless changed), and hands every request to [`Receiver::next`].
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Shared,
    requests: mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    /// A receiver on a free port.
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    /// A receiver on `addr` (e.g. the port of an endpoint created while it was down).
    pub async fn start_on(addr: SocketAddr) -> Self {
        let (sender, requests) = mpsc::unbounded_channel();
        let shared = Shared {
            script: Arc::default(),
            fallback: Arc::new(Mutex::new(Reply::status(204))),
            sender,
        };
        async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
            let reply = shared
                .script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| shared.fallback.lock().unwrap().clone());
            let _ = shared.sender.send(Received {
                headers,
                body,
                at: Instant::now(),
            });
            tokio::time::sleep(reply.delay).await;
            let status = StatusCode::from_u16(reply.status).unwrap();
            let mut response = if reply.body.is_empty() {
                status.into_response()
            } else {
                (status, reply.body).into_response()
            };
            for (name, value) in reply.headers {
                response.headers_mut().insert(
                    HeaderName::from_static(name),
                    HeaderValue::from_str(&value).unwrap(),
                );
            }
            response
        }
        let app = Router::new()
            .route("/{*path}", post(receive))
            .with_state(shared.clone());
        let listener = TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            addr,
            shared,
            requests,
        }
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers the next requests with `replies`, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.script.lock().unwrap().extend(replies);
    }

    /// Answers every unscripted request with `reply`.
    pub fn always(&self, reply: Reply) {
        *self.shared.fallback.lock().unwrap() = reply;
    }

    /// The next request (waits up to [`WAIT`]).
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(WAIT, self.requests.recv())
            .await
            .expect("no webhook arrived")
            .unwrap()
    }

    /// The requests received so far and not yet taken.
    pub fn drain(&mut self) -> Vec<Received> {
        std::iter::from_fn(|| self.requests.try_recv().ok()).collect()
    }
}

/// The automation "POST to webhook `endpoint`" (the JSON of a created endpoint).
pub fn webhook(endpoint: &Value) -> Automation {
    Automation::Webhook {
        endpoint_id: endpoint["id"].as_i64().unwrap(),
    }
}

/// An address nothing listens on (bound, then released).
pub async fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
}

/// One e-mail the SMTP sink accepted.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A minimal SMTP server (RFC 5321 commands the client sends: EHLO, MAIL, RCPT, DATA,
/// RSET, NOOP, QUIT) that accepts every message and hands it to [`SmtpSink::next`].
pub struct SmtpSink {
    pub addr: SocketAddr,
    mails: mpsc::UnboundedReceiver<Mail>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (sender, mails) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _ = session(stream, sender).await;
                });
            }
        });
        Self { addr, mails }
    }

    /// `smtp://<addr>`, for `--smtp-url`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The next accepted e-mail (waits up to [`WAIT`]).
    pub async fn next(&mut self) -> Mail {
        tokio::time::timeout(WAIT, self.mails.recv())
            .await
            .expect("no e-mail arrived")
            .unwrap()
    }
}

async fn session(stream: tokio::net::TcpStream, sender: mpsc::UnboundedSender<Mail>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut mail = Mail {
        from: String::new(),
        to: Vec::new(),
        data: String::new(),
    };
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if let Some(from) = upper.strip_prefix("MAIL FROM:") {
            mail.from = line[line.len() - from.len()..].trim().to_owned();
            b"250 OK\r\n"
        } else if let Some(to) = upper.strip_prefix("RCPT TO:") {
            mail.to.push(line[line.len() - to.len()..].trim().to_owned());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 end with .\r\n").await?;
            while let Some(data) = lines.next_line().await? {
                if data == "." {
                    break;
                }
                mail.data.push_str(data.strip_prefix('.').unwrap_or(&data));
                mail.data.push('\n');
            }
            let _ = sender.send(std::mem::replace(
                &mut mail,
                Mail {
                    from: String::new(),
                    to: Vec::new(),
                    data: String::new(),
                },
            ));
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"250 OK\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

impl TestServer {
    /// Id of workspace `slug`.
    pub async fn workspace_id(&self, slug: &str) -> i64 {
        let mut conn = self.running.state().db.acquire().await.unwrap();
        db::workspaces::find_by_slug(&mut conn, slug)
            .await
            .unwrap()
            .unwrap()
    }

    /// Enqueues `automations` for an event of workspace `slug` in a transaction of the
    /// running server, as a form submission does, and wakes its worker.
    pub async fn enqueue(
        &self,
        slug: &str,
        subscriber_id: Option<&str>,
        data: Value,
        automations: &[Automation],
    ) {
        let workspace_id = self.workspace_id(slug).await;
        enqueue(
            self.running.state(),
            workspace_id,
            subscriber_id,
            data,
            automations,
        )
        .await;
    }

    /// Stops the server gracefully and starts a new one on the same data dir, with the
    /// configuration changed by `configure`.
    pub async fn restart_with(self, configure: impl FnOnce(&mut parlo_server::config::Config)) -> Self {
        let mut config = self.server_config();
        self.running.shutdown().await.unwrap();
        configure(&mut config);
        Self::start_in(self.dir, &config).await
    }

    /// A second server (own port, pool and outbox worker) on this server's database.
    pub async fn second_server(&self) -> Running {
        parlo_server::start(&self.server_config()).await.unwrap()
    }

    /// Creates webhook endpoint `url` with `key`; answers its JSON (with the secret).
    pub async fn webhook_endpoint(&self, key: &str, url: &str) -> Value {
        let res = self
            .send_json(
                reqwest::Method::POST,
                "/webhook-endpoints",
                key,
                &serde_json::json!({ "url": url }),
            )
            .await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    /// Polls `GET /api/v1/deliveries/{id}` until `done` holds for it (up to [`WAIT`]).
    pub async fn delivery_when(&self, key: &str, id: i64, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let delivery = self.get_ok(&format!("/deliveries/{id}"), key).await;
            if done(&delivery) {
                return delivery;
            }
            assert!(
                Instant::now() < deadline,
                "delivery never reached the state: {delivery}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls `GET /api/v1/deliveries<query>` until it lists `count` items (up to [`WAIT`]).
    pub async fn deliveries_when(&self, key: &str, query: &str, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let page = self.get_ok(&format!("/deliveries{query}"), key).await;
            let items = page["items"].as_array().unwrap();
            if items.len() == count {
                return items.clone();
            }
            assert!(Instant::now() < deadline, "{query} never listed {count}: {page}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The newest delivery of the workspace of `key`.
    pub async fn last_delivery(&self, key: &str) -> Value {
        let page = self.get_ok("/deliveries?limit=1", key).await;
        page["items"][0].clone()
    }
}

/// Enqueues `automations` for a `lead.created` event in a transaction on `state`'s
/// database, as a form submission does, and wakes its worker.
pub async fn enqueue(
    state: &AppState,
    workspace_id: i64,
    subscriber_id: Option<&str>,
    data: Value,
    automations: &[Automation],
) {
    let mut tx = db::begin_write(&state.db).await.unwrap();
    let event = outbox::Event {
        workspace_id,
        subscriber_id: subscriber_id.map(Into::into),
        event_type: "lead.created".to_owned(),
        data,
    };
    outbox::enqueue(&mut tx, &event, automations).await.unwrap();
    tx.commit().await.unwrap();
    state.outbox.notify_one();
}
