//! Console users: `/api/v1/auth/…` (log in and out) and `/api/v1/workspaces` (the user's
//! workspaces and their API keys). These take a user session token, not an API key: make
//! the client with [`Client::login`], or with [`Client::new`] and a session's `token`.

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::api_key::{ApiKey, CreateApiKey, CreatedApiKey};
use parlo_model::user::{Login, UserSession};
use parlo_model::workspace::{CreateWorkspace, Workspace};
use serde::Serialize;

/// The workspaces of the logged-in user; from [`Client::workspaces`].
#[derive(Clone, Copy, Debug)]
pub struct WorkspacesApi<'a> {
    pub(super) client: &'a Client,
}

impl WorkspacesApi<'_> {
    /// `GET /api/v1/workspaces`: one page of the workspaces the user owns, in id order.
    pub async fn list(self, page: ListParams) -> Result<Page<Workspace>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/workspaces").query(&page)?)
            .await
    }

    /// `POST /api/v1/workspaces`: a new workspace owned by the user; 409 when the slug is
    /// taken.
    pub async fn create(self, workspace: &CreateWorkspace) -> Result<Workspace, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/workspaces").json(workspace)?)
            .await
    }

    /// `DELETE /api/v1/workspaces/{id}?confirm={slug}`: deletes the workspace with
    /// everything in it (channels, flows, subscribers, conversations, leads, API keys, …);
    /// it cannot be undone. `confirm` must be the workspace's slug, a guard against
    /// deleting another one than meant (400 otherwise, nothing deleted); 404 when the user
    /// does not own it.
    pub async fn delete(self, workspace_id: i64, confirm: &str) -> Result<(), Error> {
        /// The query of the request.
        #[derive(Serialize)]
        struct Confirm<'a> {
            confirm: &'a str,
        }
        let path = format!("/api/v1/workspaces/{workspace_id}");
        self.client
            .send_empty(Request::new(Method::Delete, path).query(&Confirm { confirm })?)
            .await
    }

    /// `GET /api/v1/workspaces/{id}/api-keys`: one page of the workspace's API keys.
    pub async fn api_keys(self, workspace_id: i64, page: ListParams) -> Result<Page<ApiKey>, Error> {
        let path = format!("/api/v1/workspaces/{workspace_id}/api-keys");
        self.client
            .send(Request::new(Method::Get, path).query(&page)?)
            .await
    }

    /// `POST /api/v1/workspaces/{id}/api-keys`: a new API key of the workspace (its secret
    /// is shown only in this answer).
    pub async fn create_api_key(self, workspace_id: i64, name: &str) -> Result<CreatedApiKey, Error> {
        let path = format!("/api/v1/workspaces/{workspace_id}/api-keys");
        let body = CreateApiKey {
            name: name.to_owned(),
        };
        self.client
            .send(Request::new(Method::Post, path).json(&body)?)
            .await
    }
}

impl Client {
    /// `POST /api/v1/auth/login`: logs a console user in with e-mail and password; answers
    /// a client holding the session token, and the session (its `expires_at`, the user).
    /// 401 for a wrong e-mail or password, 429 after too many failures.
    pub async fn login(base_url: &str, login: &Login) -> Result<(Client, UserSession), Error> {
        let anonymous = Client::new(base_url, "");
        let session: UserSession = anonymous
            .send(Request::new(Method::Post, "/api/v1/auth/login").json(login)?)
            .await?;
        let client = Client::with_retry(base_url, &session.token, anonymous.inner.retry);
        Ok((client, session))
    }

    /// This client (logged in, see [`Client::login`]) acting on the workspace `workspace_id`
    /// through the whole management API, as an API key of that workspace would: every
    /// request also sends `Parlo-Workspace: {workspace_id}`
    /// ([`WORKSPACE_HEADER`](parlo_model::user::WORKSPACE_HEADER)). Requests answer 404 when
    /// the user does not own the workspace.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), parlo::management::Error> {
    /// use parlo::management::{Client, ListParams};
    /// use parlo_model::user::Login;
    /// let login = Login { email: "ada@example.com".into(), password: "…".into() };
    /// let (console, _session) = Client::login("https://chat.example.com", &login).await?;
    /// let workspace = &console.workspaces().list(ListParams::default()).await?.items[0];
    /// let client = console.in_workspace(workspace.id);
    /// let keys = client.api_keys().list(ListParams::default()).await?;
    /// # let _ = keys;
    /// # Ok(())
    /// # }
    /// ```
    pub fn in_workspace(&self, workspace_id: i64) -> Client {
        Client {
            inner: std::rc::Rc::new(super::Inner {
                base_url: self.inner.base_url.clone(),
                api_key: self.inner.api_key.clone(),
                workspace: Some(workspace_id),
                retry: self.inner.retry,
            }),
        }
    }

    /// `POST /api/v1/auth/logout`: this client's session token stops working.
    pub async fn logout(&self) -> Result<(), Error> {
        self.send_empty(Request::new(Method::Post, "/api/v1/auth/logout"))
            .await
    }

    /// `POST /api/v1/auth/logout-all`: every session token of the user stops working.
    pub async fn logout_all(&self) -> Result<(), Error> {
        self.send_empty(Request::new(Method::Post, "/api/v1/auth/logout-all"))
            .await
    }
}
