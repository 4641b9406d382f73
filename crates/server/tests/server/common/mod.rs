//! Test support: a real `parlo-server` on 127.0.0.1:0 over a fresh database seeded with the
//! demo workspace, plus small HTTP and SSE helpers. The database is a SQLite file in a temp
//! dir, or, when `PARLO_TEST_DATABASE_URL` names a PostgreSQL database, a fresh schema of
//! it per test server (so the same tests run on both backends).
pub mod webhooks;

use parlo_model::chat::{Message, Session, StreamEvent};
use parlo_server::config::Config;
use parlo_server::outbox::OutboxConfig;
use parlo_server::rate_limit::public::PublicLimitsConfig;
use parlo_server::{Running, db, start, tokens};
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

/// An origin the demo channel allows in tests (passed as `--demo-origin`).
pub const SITE: &str = "http://site.test:3000";

/// Longest wait for an expected SSE event before a test fails (a safety net, not a timing
/// assertion).
const EVENT_WAIT: Duration = Duration::from_secs(20);

/// Environment variable naming the PostgreSQL database the tests run on (a URL such as
/// `postgres://parlo@127.0.0.1:55432/postgres`); SQLite when unset.
const DATABASE_ENV: &str = "PARLO_TEST_DATABASE_URL";

/// A fresh PostgreSQL schema `t_<random>` in the database named by `PARLO_TEST_DATABASE_URL`,
/// as a URL whose connections use it; `None` when that variable is unset.
pub async fn fresh_database() -> Option<String> {
    use sqlx::Connection;
    let base = std::env::var(DATABASE_ENV).ok().filter(|url| !url.is_empty())?;
    let schema = format!("t_{}", tokens::random_base62(12).to_lowercase());
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .expect("connecting to PARLO_TEST_DATABASE_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let mut url = url::Url::parse(&base).unwrap();
    url.query_pairs_mut()
        .append_pair("options", &format!("-c search_path={schema}"));
    Some(url.into())
}

pub struct TestServer {
    pub url: String,
    pub dir: TempDir,
    /// The PostgreSQL URL of this server's database; `None` on SQLite.
    database_url: Option<String>,
    pub client: Client,
    running: Running,
}

impl TestServer {
    fn config(dir: &TempDir, database_url: Option<&str>) -> Config {
        Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().join("data"),
            database_url: database_url.map(str::to_owned),
            pkg_dir: dir.path().join("pkg"),
            www_dir: dir.path().join("www"),
            swagger_ui_dir: dir.path().join("swagger-ui"),
            key_rate_limit: 600,
            form_ip_rate_limit: 30,
            form_rate_limit: 600,
            public_url: None,
            seed_demo: true,
            demo_origins: vec![SITE.to_owned()],
            trusted_proxies: vec![],
            metrics_token: None,
            idempotency_retention_hours: 24,
            // Tests start sessions and send messages far faster than visitors do; the
            // limits' own test sets them low.
            public_limits: PublicLimitsConfig {
                session_rate_limit: 10_000,
                message_rate_limit: 10_000,
                ..PublicLimitsConfig::default()
            },
            // Tests' webhook receivers listen on 127.0.0.1.
            outbox: OutboxConfig {
                allow_private_webhooks: true,
                ..OutboxConfig::default()
            },
        }
    }

    /// Starts a server on a fresh data dir with the demo seeded.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Like [`TestServer::start`], with the configuration changed by `configure`.
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database().await;
        let mut config = Self::config(&dir, database_url.as_deref());
        configure(&mut config);
        Self::start_in(dir, &config).await
    }

    async fn start_in(dir: TempDir, config: &Config) -> Self {
        let running = start(config).await.unwrap();
        Self {
            url: running.url(),
            dir,
            database_url: config.database_url.clone(),
            client: Client::new(),
            running,
        }
    }

    /// Stops the server gracefully and starts a new one on the same data dir.
    pub async fn restart(self) -> Self {
        self.running.shutdown().await.unwrap();
        let config = Self::config(&self.dir, self.database_url.as_deref());
        Self::start_in(self.dir, &config).await
    }

    /// Another instance sharing this server's PostgreSQL schema (as behind a load
    /// balancer), on its own port and data dir; `None` on SQLite, where one process owns
    /// the database file.
    pub async fn another_instance(&self) -> Option<Self> {
        let url = self.database_url.clone()?;
        let dir = tempfile::tempdir().unwrap();
        let config = Self::config(&dir, Some(&url));
        Some(Self::start_in(dir, &config).await)
    }

    /// The configuration this server was started with (its data dir and database).
    pub(crate) fn server_config(&self) -> Config {
        Self::config(&self.dir, self.database_url.as_deref())
    }

    /// Opens this server's database directly (for checks no API offers).
    pub async fn db(&self) -> db::Pool {
        db::open(&self.dir.path().join("data"), self.database_url.as_deref())
            .await
            .unwrap()
    }

    pub fn pkg_dir(&self) -> PathBuf {
        self.dir.path().join("pkg")
    }

    pub fn www_dir(&self) -> PathBuf {
        self.dir.path().join("www")
    }

    /// The `--swagger-ui-dir` of the server (absent until a test creates it).
    pub fn swagger_ui_dir(&self) -> PathBuf {
        self.dir.path().join("swagger-ui")
    }

    /// `<url>/api/public/v1/channels/demo<path>`.
    pub fn channel(&self, path: &str) -> String {
        format!("{}/api/public/v1/channels/demo{path}", self.url)
    }

    /// `<url>/api/v1<path>`.
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// A new management API key for workspace `slug`, created like `parlo-server create-key`.
    pub async fn api_key(&self, slug: &str) -> String {
        parlo_server::create_key(&self.server_config(), slug, "test")
            .await
            .unwrap()
    }

    /// A new console user, created like `parlo-server --seed-demo create-user` (so the first
    /// one also gets the demo workspace); answers the user's id.
    pub async fn user(&self, email: &str, password: &str) -> i64 {
        let (user, _) = parlo_server::create_user(&self.server_config(), email, password.to_owned())
            .await
            .unwrap();
        user.id
    }

    /// `POST /api/v1/auth/login` with `email` and `password`; answers the response.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.api("/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Logs in (asserting a 201) and answers the user session token.
    pub async fn user_token(&self, email: &str, password: &str) -> String {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), 201, "log-in of {email}");
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// `GET <url>` (a public widget API URL, see [`TestServer::channel`]) with the visitor's
    /// session `token` as Bearer token.
    pub async fn visitor_get(&self, url: &str, token: &str) -> Response {
        self.client.get(url).bearer_auth(token).send().await.unwrap()
    }

    /// A management API request `method /api/v1<path>` with `key` as Bearer token.
    pub fn management(&self, method: Method, path: &str, key: &str) -> RequestBuilder {
        self.client.request(method, self.api(path)).bearer_auth(key)
    }

    /// `method /api/v1<path>` with `key` and no body; answers the response.
    pub async fn request(&self, method: Method, path: &str, key: &str) -> Response {
        self.management(method, path, key).send().await.unwrap()
    }

    /// `GET /api/v1<path>` with `key`; asserts a 200 and answers the JSON body.
    pub async fn get_ok(&self, path: &str, key: &str) -> Value {
        let res = self.management(Method::GET, path, key).send().await.unwrap();
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.unwrap()
    }

    /// `method /api/v1<path>` with `key` and JSON `body`; answers the response.
    pub async fn send_json(&self, method: Method, path: &str, key: &str, body: &Value) -> Response {
        self.management(method, path, key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Makes the demo's opening-hours flow (the keyword "hours") answer "We open at 7:30."
    /// only after a delay step of 1.5 s, so the answer is still scheduled for a while.
    pub async fn slow_hours_flow(&self, key: &str) {
        let slow_hours = json!({
            "id": "hours", "name": "Slow hours", "start": "wait",
            "steps": {
                "wait": {"type": "delay", "ms": 1500, "next": "say"},
                "say": {"type": "message", "text": "We open at 7:30."}
            }
        });
        let res = self
            .send_json(Method::PUT, "/flows/hours", key, &slow_hours)
            .await;
        assert_eq!(res.status(), 200);
    }

    /// Creates another workspace `slug` (no channels, no flows) directly in the database.
    pub async fn create_workspace(&self, slug: &str) {
        let pool = self.db().await;
        let mut conn = pool.acquire().await.unwrap();
        db::workspaces::create(&mut conn, slug, slug, "2026-01-01T00:00:00.000Z")
            .await
            .unwrap();
        drop(conn);
        pool.close().await;
    }

    /// Opens a new visitor session on the demo channel.
    pub async fn session(&self) -> Session {
        let res = self.client.post(self.channel("/sessions")).send().await.unwrap();
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    /// `POST /sessions` on `channel` with `Idempotency-Key: key` and no body.
    pub async fn start_session_with_key(&self, channel: &str, key: &str) -> Response {
        self.client
            .post(format!("{}/api/public/v1/channels/{channel}/sessions", self.url))
            .header("idempotency-key", key)
            .send()
            .await
            .unwrap()
    }

    /// A new demo subscriber who joined the newsletter with `email`: the welcome flow sets
    /// its field `email` and adds its tag `newsletter`.
    pub async fn newsletter_subscriber(&self, email: &str) -> Session {
        let session = self.session().await;
        let token = &session.session_token;
        let greeting = self.history(token).await.remove(0);
        self.press(token, &greeting, "Get our newsletter").await;
        self.say(token, email).await;
        session
    }

    /// `POST /messages` with `body`.
    pub async fn post_message(&self, token: &str, body: &Value) -> Response {
        self.client
            .post(self.channel("/messages"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Sends visitor text and returns the answered messages.
    pub async fn say(&self, token: &str, text: &str) -> Vec<Message> {
        let id = tokens::random_base62(16);
        let res = self
            .post_message(token, &json!({"id": id, "input": {"type": "text", "text": text}}))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        messages_of(res).await
    }

    /// Presses the button titled `title` of `message` and returns the answered messages.
    pub async fn press(&self, token: &str, message: &Message, title: &str) -> Vec<Message> {
        let button = message
            .content
            .buttons
            .iter()
            .find(|b| b.title == title)
            .unwrap_or_else(|| panic!("no button {title:?} in {message:?}"));
        let parlo_model::chat::ButtonAction::Postback { payload } = &button.action else {
            panic!("button {title:?} is a link");
        };
        let body = json!({
            "id": tokens::random_base62(16),
            "input": {"type": "button", "payload": payload, "title": title},
        });
        let res = self.post_message(token, &body).await;
        assert_eq!(res.status(), 200);
        messages_of(res).await
    }

    /// The whole history of a session, walking every page.
    pub async fn history(&self, token: &str) -> Vec<Message> {
        let mut all = Vec::new();
        let mut after = 0;
        loop {
            let page: Value = self
                .client
                .get(self.channel(&format!("/messages?after={after}&limit=100")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let items: Vec<Message> = serde_json::from_value(page["items"].clone()).unwrap();
            all.extend(items);
            match page["next_cursor"].as_str() {
                Some(c) => after = c.parse().unwrap(),
                None => return all,
            }
        }
    }

    /// The open event stream of the visitor holding `token` on channel `channel_id`.
    pub async fn open_stream(&self, channel_id: &str, token: &str) -> Response {
        let res = self
            .client
            .get(format!("{}/api/public/v1/channels/{channel_id}/events", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res
    }

    /// Opens the event stream with `token` in the query and extra request headers.
    pub async fn events(&self, token: &str, query: &str, last_event_id: Option<u64>) -> Sse {
        let mut req = self
            .client
            .get(self.channel(&format!("/events?token={token}{query}")));
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        Sse::new(req.send().await.unwrap())
    }
}

/// The `parlo-server` binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_parlo-server");

/// Spawns `parlo-server serve` on 127.0.0.1:0 over `data` with the demo seeded, plus
/// `envs`, its stderr going to `stderr`; answers the child and its URL (from the
/// `listening on` line).
pub fn spawn_server(data: &Path, envs: &[(&str, &str)], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--data-dir"])
        .arg(data)
        .env("PARLO_BIND", "127.0.0.1:0")
        .env("PARLO_SEED_DEMO", "true")
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, url)
}

/// Sends SIGTERM to `child` and asserts it exits 0 (graceful shutdown).
pub fn terminate(mut child: Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

/// Texts of the bot's messages among `messages`.
pub fn bot_texts(messages: &[Message]) -> Vec<&str> {
    messages
        .iter()
        .filter(|m| m.author == parlo_model::chat::Author::Bot)
        .map(|m| m.content.text.as_str())
        .collect()
}

/// The `messages` of a `SendMessageResponse`.
pub async fn messages_of(res: Response) -> Vec<Message> {
    let body: Value = res.json().await.unwrap();
    serde_json::from_value(body["messages"].clone()).unwrap()
}

/// Asserts `res` is a problem+json with `status` and `code`, and returns the body.
pub async fn assert_problem(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    body
}

/// One parsed SSE event.
#[derive(Debug)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<u64>,
    pub data: String,
}

impl SseEvent {
    /// The event as a [`StreamEvent`].
    pub fn parse(&self) -> StreamEvent {
        let data: Value = serde_json::from_str(&self.data).unwrap();
        serde_json::from_value(json!({"event": self.event, "data": data})).unwrap()
    }

    /// The message of a `message` event.
    pub fn message(&self) -> Message {
        match self.parse() {
            StreamEvent::Message(m) => m,
            other => panic!("expected a message event, got {other:?}"),
        }
    }
}

/// Longest wait for an event stream to end (a safety net, not a timing assertion).
const STREAM_END_WAIT: Duration = Duration::from_secs(20);

/// Reads an open event stream until the server ends it; fails when it stays open.
pub async fn assert_stream_ends(mut stream: Response) {
    tokio::time::timeout(STREAM_END_WAIT, async {
        while stream.chunk().await.unwrap_or(None).is_some() {}
    })
    .await
    .expect("the event stream stayed open");
}

/// A minimal `text/event-stream` reader over a real socket.
pub struct Sse {
    res: Response,
    buf: String,
}

impl Sse {
    /// Reads the event stream answered by `res`, which must be a 200 `text/event-stream`.
    pub fn new(res: Response) -> Self {
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Self {
            res,
            buf: String::new(),
        }
    }

    /// The next event (comments and keep-alives skipped).
    pub async fn next(&mut self) -> SseEvent {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: "message".to_owned(),
                    id: None,
                    data: String::new(),
                };
                let mut has_data = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("id:") {
                        event.id = Some(v.trim().parse().unwrap());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        has_data = true;
                    }
                }
                if has_data {
                    return event;
                }
                continue;
            }
            let chunk = tokio::time::timeout(EVENT_WAIT, self.res.chunk())
                .await
                .expect("no SSE event in time")
                .unwrap()
                .expect("SSE stream ended");
            self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next `message` event, skipping typing events.
    pub async fn next_message(&mut self) -> (u64, Message) {
        loop {
            let event = self.next().await;
            if event.event == "message" {
                let message = event.message();
                assert_eq!(event.id, Some(message.seq), "SSE id must be the seq");
                return (message.seq, message);
            }
        }
    }
}

/// The string member `member` of every item of a page, in order (e.g. the `id`s).
pub fn item_strings<'a>(page: &'a Value, member: &str) -> Vec<&'a str> {
    page["items"]
        .as_array()
        .expect("a page has items")
        .iter()
        .map(|item| item[member].as_str().unwrap())
        .collect()
}

/// The `pointer`s of a validation problem's `errors`, in order.
pub fn error_pointers(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .expect("a validation problem lists errors")
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect()
}

impl TestServer {
    /// Stores flow document `flow` (created or replaced) in the key's workspace.
    pub async fn put_flow(&self, key: &str, flow: &Value) {
        let path = format!("/flows/{}", flow["id"].as_str().unwrap());
        let res = self.send_json(Method::PUT, &path, key, flow).await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }

    /// The subscriber's conversation through the management API (every page).
    pub async fn conversation(&self, key: &str, subscriber_id: &str, query: &str) -> Vec<Message> {
        let mut all = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = self
                .get_ok(
                    &format!("/subscribers/{subscriber_id}/messages?limit=100{query}{cursor}"),
                    key,
                )
                .await;
            all.extend(serde_json::from_value::<Vec<Message>>(page["items"].clone()).unwrap());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => return all,
            }
        }
    }
}

impl TestServer {
    /// `<url>/api/public/v1/forms/<form_id><path>`.
    pub fn form_url(&self, form_id: &str, path: &str) -> String {
        format!("{}/api/public/v1/forms/{form_id}{path}", self.url)
    }

    /// Creates lead form `form` in the key's workspace; asserts a 201.
    pub async fn create_form(&self, key: &str, form: &Value) {
        let res = self.send_json(Method::POST, "/forms", key, form).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    /// `POST /api/public/v1/forms/<form_id>/submissions` with `body`.
    pub async fn submit_form(&self, form_id: &str, body: &Value) -> Response {
        self.client
            .post(self.form_url(form_id, "/submissions"))
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

impl TestServer {
    /// `GET /api/openapi.json`; asserts a 200 JSON answer and answers the document.
    pub async fn openapi(&self) -> Value {
        let res = self
            .client
            .get(format!("{}/api/openapi.json", self.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/json");
        res.json().await.unwrap()
    }
}
