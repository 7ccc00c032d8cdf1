//! The measured requests: each operation over HTTP against the running server, interleaved
//! with the same operation's SQL run directly, and a bounded mixed load from several clients.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::rawsql::{self, ListFilter, RawCase, RawDatabase, Scope};

/// Requests per client in the mixed load, on top of its time limit.
const LOAD_REQUESTS_PER_CLIENT: usize = 20_000;

/// Latency percentiles of one series, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub count: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

impl Summary {
    /// Nearest-rank percentiles of `samples`.
    pub fn of(samples: &[Duration]) -> Summary {
        if samples.is_empty() {
            return Summary::default();
        }
        let mut sorted = samples.to_vec();
        sorted.sort();
        let rank = |p: f64| {
            let index = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
            sorted[index].as_secs_f64() * 1000.0
        };
        Summary {
            count: sorted.len(),
            p50_ms: rank(0.50),
            p95_ms: rank(0.95),
            max_ms: sorted[sorted.len() - 1].as_secs_f64() * 1000.0,
        }
    }
}

/// A logged-in benchmark user.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub role_id: String,
    pub token: String,
    pub user_id: Uuid,
    pub agency_id: String,
    pub scope: Scope,
}

/// Logs in over HTTP as an API client and returns the bearer token with the user's scope.
pub async fn login(
    base_url: &str,
    username: &str,
    password: &str,
    groups: Vec<Uuid>,
) -> anyhow::Result<Session> {
    let response = reqwest::Client::new()
        .post(format!("{base_url}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password, "client": "api"}))
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await.context("the login response is not JSON")?;
    ensure!(status.is_success(), "login of {username} failed with {status}: {body}");
    let token = body["token"].as_str().context("the login response has no token")?.to_owned();
    let user = &body["user"];
    let user_id: Uuid = user["id"].as_str().context("the login response has no user id")?.parse()?;
    let role_id = user["role_id"].as_str().unwrap_or_default().to_owned();
    let scope = if role_id == "supervisor" {
        Scope::Group { user: user_id, groups }
    } else {
        Scope::Own { user: user_id }
    };
    Ok(Session {
        username: username.to_owned(),
        role_id,
        token,
        user_id,
        agency_id: user["agency_id"].as_str().unwrap_or_default().to_owned(),
        scope,
    })
}

/// One operation measured over HTTP and as raw SQL in the same loop.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub operation: String,
    pub role: String,
    pub http: Summary,
    pub sql: Summary,
    /// Median number of cases the filter matched (the list's `total`), where there is one.
    pub matched: Option<i64>,
    pub target_p95_ms: Option<f64>,
    /// Set when the time limit ended the loop before the requested count.
    pub cut_short: bool,
}

/// What a request does, over HTTP and in SQL.
pub enum Operation {
    /// `GET /api/v1/me`: authentication and nothing else.
    Me,
    /// `GET /api/v1/cases` with one of these filters per request, in turn.
    List(Vec<ListFilter>),
    /// `POST /api/v1/cases` with one of these payloads per request, in turn.
    Create(Vec<Map<String, Value>>),
}

pub struct Runner<'a> {
    pub http: reqwest::Client,
    pub base_url: String,
    pub raw: &'a RawDatabase,
    pub warmup: usize,
    pub requests: usize,
    /// No single operation's loop runs longer than this, whatever the request count.
    pub time_limit: Duration,
    pub config: &'a sathi_domain::config::Configuration,
}

impl Runner<'_> {
    /// Runs `warmup + requests` iterations of one HTTP request followed by the same SQL, and
    /// keeps the timings of the last `requests`.
    pub async fn measure(
        &self,
        name: &str,
        session: &Session,
        operation: &Operation,
        target_p95_ms: Option<f64>,
    ) -> anyhow::Result<Measurement> {
        let mut http_times = Vec::with_capacity(self.requests);
        let mut sql_times = Vec::with_capacity(self.requests);
        let mut matched = Vec::new();
        // The warm-up gets a quarter of the time limit, the measured requests all of it.
        let started = Instant::now();
        for iteration in 0..self.warmup {
            if started.elapsed() > self.time_limit / 4 {
                break;
            }
            self.once(session, operation, iteration).await?;
        }
        let started = Instant::now();
        let mut cut_short = false;
        for iteration in self.warmup..self.warmup + self.requests {
            if started.elapsed() > self.time_limit {
                cut_short = true;
                break;
            }
            let (http_time, sql_time, total) = self.once(session, operation, iteration).await?;
            http_times.push(http_time);
            sql_times.push(sql_time);
            matched.extend(total);
        }
        matched.sort_unstable();
        Ok(Measurement {
            operation: name.to_owned(),
            role: session.role_id.clone(),
            http: Summary::of(&http_times),
            sql: Summary::of(&sql_times),
            matched: matched.get(matched.len() / 2).copied(),
            target_p95_ms,
            cut_short,
        })
    }

    async fn once(
        &self,
        session: &Session,
        operation: &Operation,
        iteration: usize,
    ) -> anyhow::Result<(Duration, Duration, Option<i64>)> {
        match operation {
            Operation::Me => {
                let started = Instant::now();
                let body = self.get(session, "/api/v1/me", &[]).await?;
                let http_time = started.elapsed();
                ensure!(body["user"]["id"].is_string(), "GET /me returned no user: {body}");

                let statements = rawsql::authentication_statements(
                    &sathi_server::auth::token_hash(&session.token),
                    session.user_id,
                );
                let started = Instant::now();
                for statement in &statements {
                    self.raw.fetch(statement).await?;
                }
                Ok((http_time, started.elapsed(), None))
            }
            Operation::List(filters) => {
                let filter = &filters[iteration % filters.len()];
                let started = Instant::now();
                let body = self.get(session, "/api/v1/cases", &filter.query_pairs()).await?;
                let http_time = started.elapsed();
                let total = body["total"].as_i64().context("the case list has no total")?;

                let started = Instant::now();
                let members = self.raw.group_members(&session.scope).await?;
                let page = rawsql::list_statement(&session.scope, &members, filter);
                let (page_total, rows) = self.raw.fetch(&page).await?;
                // An empty first page has no row to carry the total, which is then 0.
                let sql_total = Some(page_total.unwrap_or(0));
                let sql_time = started.elapsed();
                let listed = body["cases"].as_array().map_or(0, Vec::len);
                if sql_total != Some(total) || rows != listed {
                    bail!(
                        "the raw SQL does not match the server for {:?}: the server listed {listed} of {total}, \
                         the SQL {rows} of {sql_total:?}; update rawsql.rs to the store's SQL",
                        filter.query_pairs()
                    );
                }
                Ok((http_time, sql_time, Some(total)))
            }
            Operation::Create(payloads) => {
                let data = &payloads[iteration % payloads.len()];
                let started = Instant::now();
                let response = self
                    .http
                    .post(format!("{}/api/v1/cases", self.base_url))
                    .bearer_auth(&session.token)
                    .json(&json!({ "data": data }))
                    .send()
                    .await?;
                let status = response.status();
                let body: Value = response.json().await?;
                let http_time = started.elapsed();
                ensure!(status == reqwest::StatusCode::CREATED, "POST /cases returned {status}: {body}");

                let today = sathi_domain::dates::today(
                    OffsetDateTime::now_utc(),
                    self.config.deployment.utc_offset_minutes,
                );
                let write = sathi_domain::validation::Validator::new(self.config, today)
                    .validate_new(data, &|_| sathi_domain::permissions::FormAccess::ReadWrite)
                    .map_err(|errors| anyhow::anyhow!("the create payload is invalid: {errors:?}"))?;
                let case = RawCase {
                    id: Uuid::now_v7(),
                    display_id: format!("BENCH-{}", Uuid::new_v4().simple()),
                    data: write.data,
                    changes: write.changes,
                    owner_id: session.user_id,
                    owner_agency_id: session.agency_id.clone(),
                };
                let started = Instant::now();
                self.raw.create_case(&case, OffsetDateTime::now_utc()).await?;
                Ok((http_time, started.elapsed(), None))
            }
        }
    }

    async fn get(&self, session: &Session, path: &str, query: &[(&str, String)]) -> anyhow::Result<Value> {
        get_json(&self.http, &self.base_url, session, path, query).await
    }
}

async fn get_json(
    http: &reqwest::Client,
    base_url: &str,
    session: &Session,
    path: &str,
    query: &[(&str, String)],
) -> anyhow::Result<Value> {
    let response =
        http.get(format!("{base_url}{path}")).bearer_auth(&session.token).query(query).send().await?;
    let status = response.status();
    let body: Value = response.json().await.with_context(|| format!("GET {path} did not return JSON"))?;
    ensure!(status.is_success(), "GET {path} returned {status}: {body}");
    Ok(body)
}

/// The result of the mixed load.
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub clients: usize,
    pub seconds: f64,
    pub requests: usize,
    pub failures: usize,
    /// Latency per kind of request under load: list, search, read, create.
    pub kinds: Vec<(&'static str, Summary)>,
}

/// Everything one load client needs, owned so the client can run as its own task.
#[derive(Clone)]
pub struct LoadClient {
    pub session: Session,
    pub filters: Vec<ListFilter>,
    pub searches: Vec<ListFilter>,
    pub payloads: Arc<Vec<Map<String, Value>>>,
}

/// Runs every client at once for `duration` (and at most [`LOAD_REQUESTS_PER_CLIENT`]
/// requests each): 40% lists, 25% name searches, 25% reads of a listed case, 10% creates
/// (supervisors, who may not create, make lists, searches and reads in the same proportions).
pub async fn mixed_load(
    base_url: &str,
    clients: Vec<LoadClient>,
    duration: Duration,
    seed: u64,
) -> LoadReport {
    let started = Instant::now();
    let deadline = started + duration;
    let count = clients.len();
    let mut tasks = Vec::new();
    for (index, client) in clients.into_iter().enumerate() {
        let base_url = base_url.to_owned();
        tasks.push(tokio::spawn(async move {
            load_client(base_url, client, deadline, seed + index as u64).await
        }));
    }
    let mut samples: [Vec<Duration>; 4] = Default::default();
    let mut failures = 0;
    for task in tasks {
        match task.await {
            Ok((client_samples, client_failures)) => {
                for (all, client) in samples.iter_mut().zip(client_samples) {
                    all.extend(client);
                }
                failures += client_failures;
            }
            Err(error) => {
                eprintln!("  a load client failed: {error}");
                failures += 1;
            }
        }
    }
    let names = ["list", "search", "read", "create"];
    LoadReport {
        clients: count,
        seconds: started.elapsed().as_secs_f64(),
        requests: samples.iter().map(Vec::len).sum(),
        failures,
        kinds: names.iter().zip(&samples).map(|(name, series)| (*name, Summary::of(series))).collect(),
    }
}

async fn load_client(
    base_url: String,
    client: LoadClient,
    deadline: Instant,
    seed: u64,
) -> ([Vec<Duration>; 4], usize) {
    let http = reqwest::Client::new();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut samples: [Vec<Duration>; 4] = Default::default();
    let mut failures = 0;
    let mut case_ids: Vec<String> = Vec::new();
    for request in 0..LOAD_REQUESTS_PER_CLIENT {
        if Instant::now() >= deadline {
            break;
        }
        // Supervisors have no create grant, so they only list, search and read.
        let roll = if client.session.role_id == "caseworker" {
            rng.random_range(0..100)
        } else {
            rng.random_range(0..90)
        };
        let started = Instant::now();
        let (kind, outcome) = match roll {
            0..40 | 65..90 if case_ids.is_empty() || roll < 40 => {
                let filter = client.filters.choose(&mut rng).expect("load clients have filters");
                let outcome =
                    get_json(&http, &base_url, &client.session, "/api/v1/cases", &filter.query_pairs()).await;
                if let Ok(body) = &outcome {
                    let listed = body["cases"].as_array().into_iter().flatten();
                    case_ids.extend(listed.filter_map(|case| case["id"].as_str().map(str::to_owned)));
                    case_ids.truncate(500);
                }
                (0, outcome.map(drop))
            }
            40..65 => {
                let filter = client.searches.choose(&mut rng).expect("load clients have searches");
                (
                    1,
                    get_json(&http, &base_url, &client.session, "/api/v1/cases", &filter.query_pairs())
                        .await
                        .map(drop),
                )
            }
            65..90 => {
                let id = case_ids.choose(&mut rng).expect("checked above").clone();
                (
                    2,
                    get_json(&http, &base_url, &client.session, &format!("/api/v1/cases/{id}"), &[])
                        .await
                        .map(drop),
                )
            }
            _ => {
                let data = &client.payloads[request % client.payloads.len()];
                let outcome = async {
                    let response = http
                        .post(format!("{base_url}/api/v1/cases"))
                        .bearer_auth(&client.session.token)
                        .json(&json!({ "data": data }))
                        .send()
                        .await?;
                    let status = response.status();
                    response.bytes().await?;
                    ensure!(status.is_success(), "POST /cases returned {status}");
                    Ok(())
                }
                .await;
                (3, outcome)
            }
        };
        match outcome {
            Ok(()) => samples[kind].push(started.elapsed()),
            Err(error) => {
                if failures < 5 {
                    eprintln!("  load request failed for {}: {error:#}", client.session.username);
                }
                failures += 1;
            }
        }
    }
    (samples, failures)
}
