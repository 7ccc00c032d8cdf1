//! The harness of the server's integration tests: a real server on 127.0.0.1 port 0 over a
//! fresh database, test users created through `sathi_server::users::add_user`, and HTTP clients
//! logged in as them.
//!
//! Every scenario runs on SQLite and on PostgreSQL through [`backend_tests!`]. The PostgreSQL
//! variant needs `SATHI_TEST_DATABASE_URL`, a database URL whose role may create databases. Each
//! test then creates its own database from `template0` and drops it when the test ends.

// Each test file is its own crate and uses a different part of the harness.
#![allow(dead_code)]

use reqwest::{Client, RequestBuilder, StatusCode};
use sathi_server::state::{AppState, Settings};
use sathi_server::users::{CreateUserRequest, add_user};
use sathi_store::User;
use secrecy::SecretString;
use serde_json::{Value, json};
use sqlx::Connection;
use time::{Date, OffsetDateTime};
use tokio::sync::oneshot;

/// The environment variable that names the PostgreSQL server the tests create databases on.
pub const DATABASE_URL_VARIABLE: &str = "SATHI_TEST_DATABASE_URL";

/// The password of every user the tests create.
pub const PASSWORD: &str = "a long test password";

/// The agency most test users belong to, and a second one for cross-agency checks.
pub const AGENCY_A: &str = "lli";
pub const AGENCY_B: &str = "bcri";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Returns the PostgreSQL URL the tests may create databases on, if one is configured.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VARIABLE).ok().filter(|url| !url.trim().is_empty())
}

/// Generates `<scenario>_sqlite` and `<scenario>_postgres` tests from each async scenario
/// function `async fn scenario(backend: Backend)`. The PostgreSQL test prints one line and
/// passes when `SATHI_TEST_DATABASE_URL` is not set.
macro_rules! backend_tests {
    ($($scenario:ident),+ $(,)?) => {
        $(
            paste::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$scenario _sqlite>]() {
                    $scenario(common::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$scenario _postgres>]() {
                    if common::postgres_admin_url().is_none() {
                        // Written to stderr directly, because the test harness hides eprintln!
                        // output of passing tests.
                        use std::io::Write as _;
                        let _ = writeln!(
                            std::io::stderr(),
                            "skipped {} on PostgreSQL: {} is not set",
                            stringify!($scenario),
                            common::DATABASE_URL_VARIABLE
                        );
                        return;
                    }
                    $scenario(common::Backend::Postgres).await;
                }
            }
        )+
    };
}
pub(crate) use backend_tests;

/// A running server over its own database. Dropping it stops the server and, on PostgreSQL,
/// drops the database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub address: String,
    pub state: AppState,
    pub backend: Backend,
    /// The URL the store opened, for tests that write rows the API has no request for.
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    // Dropped after the shutdown signal is sent, because fields drop in declaration order.
    _directory: Option<tempfile::TempDir>,
    _database: Option<TemporaryDatabase>,
}

impl TestApp {
    /// Opens a fresh database on `backend`, builds the state with the default configuration
    /// and serves it on a free loopback port.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, Settings::default()).await
    }

    /// [`TestApp::spawn`] with the process settings `settings`.
    pub async fn spawn_with(backend: Backend, settings: Settings) -> TestApp {
        let (url, directory, database) = match backend {
            Backend::Sqlite => {
                let directory = tempfile::tempdir().expect("failed to create a temporary directory");
                let url = format!("sqlite://{}/sathi.db", directory.path().display());
                (url, Some(directory), None)
            }
            Backend::Postgres => {
                let database = TemporaryDatabase::create().await;
                (database.url.clone(), None, Some(database))
            }
        };
        let store = sathi_store::open(&url)
            .await
            .unwrap_or_else(|error| panic!("failed to open the {backend:?} store: {error}"));
        let state = sathi_server::state(store, settings)
            .await
            .unwrap_or_else(|error| panic!("failed to build the server state: {error:#}"));

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("failed to bind 127.0.0.1:0");
        let address = format!("http://{}", listener.local_addr().expect("bound listener has an address"));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server_state = state.clone();
        tokio::spawn(async move {
            let stop = async move {
                let _ = stopped.await;
            };
            if let Err(error) = sathi_server::serve(listener, server_state, None, stop).await {
                eprintln!("the test server failed: {error:#}");
            }
        });

        TestApp {
            address,
            state,
            backend,
            database_url: url,
            shutdown: Some(shutdown),
            _directory: directory,
            _database: database,
        }
    }

    /// Assigns `case` to `user` as a second caseworker. The API has no request for it yet, so
    /// this writes the `case_assignments` row directly.
    pub async fn assign_case(&self, case: uuid::Uuid, user: uuid::Uuid) {
        let insert = "INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2)";
        let sqlite_insert = "INSERT INTO case_assignments (case_id, user_id) VALUES (?1, ?2)";
        match self.backend {
            Backend::Sqlite => {
                let mut connection = sqlx::SqliteConnection::connect(&self.database_url)
                    .await
                    .expect("failed to connect to the test database");
                sqlx::query(sqlite_insert)
                    .bind(case)
                    .bind(user)
                    .execute(&mut connection)
                    .await
                    .expect("failed to insert a case assignment");
            }
            Backend::Postgres => {
                let mut connection = sqlx::PgConnection::connect(&self.database_url)
                    .await
                    .expect("failed to connect to the test database");
                sqlx::query(insert)
                    .bind(case)
                    .bind(user)
                    .execute(&mut connection)
                    .await
                    .expect("failed to insert a case assignment");
            }
        }
    }

    /// Returns the URL of an API path such as `/cases`.
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    /// Today in the deployment's zone, as the server computes it.
    pub fn today(&self) -> Date {
        let offset = self.state.configuration().config.deployment.utc_offset_minutes;
        sathi_domain::dates::today(OffsetDateTime::now_utc(), offset)
    }

    /// Creates a user with [`PASSWORD`] directly through `add_user`, without HTTP.
    pub async fn create_user(&self, username: &str, role: &str, agency: &str, locale: &str) -> User {
        let request = CreateUserRequest {
            username: username.to_owned(),
            full_name: format!("Test user {username}"),
            agency_id: agency.to_owned(),
            role_id: role.to_owned(),
            locale: Some(locale.to_owned()),
            password: SecretString::from(PASSWORD),
        };
        add_user(&self.state, request)
            .await
            .unwrap_or_else(|error| panic!("failed to create user {username}: {error:?}"))
    }

    /// Logs in through the web flow and returns a client that carries the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> Client {
        let client = Client::builder().cookie_store(true).build().expect("failed to build an HTTP client");
        let response = client
            .post(self.api("/auth/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .expect("login request failed");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::OK, "login of {username} failed: {body}");
        client
    }

    /// Logs in as an API client and returns the bearer token.
    pub async fn login_token(&self, username: &str, password: &str) -> String {
        let (status, body) = send(
            Client::new()
                .post(self.api("/auth/login"))
                .json(&json!({"username": username, "password": password, "client": "api"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "API login of {username} failed: {body}");
        body["token"].as_str().unwrap_or_else(|| panic!("API login returned no token: {body}")).to_owned()
    }

    /// Creates a case as `client` and returns the case as the server returned it.
    pub async fn create_case(&self, client: &Client, data: Value) -> Value {
        let (status, body) = send(client.post(self.api("/cases")).json(&json!({"data": data}))).await;
        assert_eq!(status, StatusCode::CREATED, "creating a case failed: {body}");
        body
    }

    /// Lists cases as `client` with query parameters such as `[("risk_level", "high")]`, and
    /// returns the ids in the order the server listed them.
    pub async fn list_ids(&self, client: &Client, query: &[(&str, &str)]) -> Vec<String> {
        let (status, body) = send(client.get(self.api("/cases")).query(query)).await;
        assert_eq!(status, StatusCode::OK, "listing cases with {query:?} failed: {body}");
        body["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("the case list has no 'cases' array: {body}"))
            .iter()
            .map(|case| case["id"].as_str().expect("every listed case has an id").to_owned())
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Returns a client that sends `token` as a bearer token.
pub fn bearer_client(token: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}").parse().expect("a session token is a valid header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Client::builder().default_headers(headers).build().expect("failed to build an HTTP client")
}

/// Sends a request and returns the status and the JSON body (`Null` for an empty body).
pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("the request did not reach the test server");
    let status = response.status();
    let text = response.text().await.expect("failed to read the response body");
    if text.is_empty() {
        return (status, Value::Null);
    }
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("the response ({status}) is not JSON ({error}): {text}"));
    (status, body)
}

/// The smallest valid new case: every required field of the default configuration.
pub fn child(name_first: &str) -> Value {
    json!({
        "registration_date": "2024-06-20",
        "name_first": name_first,
        "sex": "female",
        "location_current": "BD-CTG-CXB-UKH-C01E-A",
        "risk_level": "high",
        "protection_concerns": ["separated"],
    })
}

/// Returns `base` with `changes` merged in; a `null` value removes the key.
pub fn with(base: Value, changes: Value) -> Value {
    let mut merged = base;
    let object = merged.as_object_mut().expect("case data is an object");
    for (key, value) in changes.as_object().expect("changes are an object") {
        if value.is_null() {
            object.remove(key);
        } else {
            object.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// Returns the code points of `text` written as `U+09B8 U+09BE ...`.
pub fn code_points(text: &str) -> String {
    text.chars().map(|c| format!("U+{:04X}", u32::from(c))).collect::<Vec<_>>().join(" ")
}

/// A PostgreSQL database made for one test.
struct TemporaryDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TemporaryDatabase {
    async fn create() -> TemporaryDatabase {
        let admin_url = postgres_admin_url()
            .unwrap_or_else(|| panic!("{DATABASE_URL_VARIABLE} must be set for the PostgreSQL tests"));
        let name = format!("sathi_t_{}", uuid::Uuid::new_v4().simple());
        let mut connection = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|error| panic!("failed to connect to {DATABASE_URL_VARIABLE}: {error}"));
        // The name is made of ASCII letters, digits and underscores only, so it needs no quoting.
        let create = format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'");
        sqlx::query(sqlx::AssertSqlSafe(create))
            .execute(&mut connection)
            .await
            .unwrap_or_else(|error| panic!("failed to create database {name}: {error}"));
        let _ = connection.close().await;
        let url = replace_database(&admin_url, &name);
        TemporaryDatabase { admin_url, name, url }
    }
}

impl Drop for TemporaryDatabase {
    /// Drops the database from a thread of its own, because `Drop` cannot await and the test's
    /// runtime may be shutting down. `WITH (FORCE)` ends the store's pooled connections.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(async {
                let mut connection =
                    sqlx::PgConnection::connect(&admin_url).await.map_err(|e| e.to_string())?;
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::query(sqlx::AssertSqlSafe(drop))
                    .execute(&mut connection)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("failed to drop test database {}: {error}", self.name),
            Err(_) => eprintln!("failed to drop test database {}: the dropping thread panicked", self.name),
        }
    }
}

/// Returns `url` with its database name replaced by `name`, keeping any query string.
fn replace_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = without_query.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let base = match without_query[authority_end..].find('/') {
        Some(slash) => &without_query[..authority_end + slash],
        None => without_query,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}
