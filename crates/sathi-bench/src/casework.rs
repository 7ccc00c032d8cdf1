//! The casework benchmark: task lists, the approval, referral and notification lists, the
//! rebuild of every case's due items when the server starts, and what the due items add to a
//! case write, on a large synthetic database.
//!
//! The seeder writes cases with raw SQL and no `case_tasks` rows. The benchmark then deletes
//! the workflow rules' fingerprint from `store_settings`, so `sathi serve` rebuilds the rows of
//! every case before it passes its health check, as it does after an administrator changes
//! the rules. Approval requests, referrals and the notifications they cause are then made
//! through the HTTP API, so the lists are not empty.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use serde_json::{Value, json};
use sqlx::Connection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Args;
use crate::measure::{self, Session, Summary};
use crate::rawsql::{Bind, RawDatabase, Statement};
use crate::report::{self, Environment};
use crate::seed;
use crate::server::ServerProcess;
use crate::synth::Staff;

/// Target of every measured list, for the 95th percentile over HTTP.
pub const LIST_TARGET_MS: f64 = 100.0;

/// How long the server may take to start when it rebuilds every case's due items first.
/// NOTE: an estimate with a wide margin. The rebuild ran at thousands of cases per second on
/// the 2-CPU machine of the published run, so a slower machine or a larger database may need more.
const REBUILD_START_TIMEOUT: Duration = Duration::from_secs(3 * 60 * 60);

/// `store_settings` key of the fingerprint of the rules that the `case_tasks` rows were built
/// with. Without it the server rebuilds every case's rows at start.
const FINGERPRINT_KEY: &str = "workflow_rules_fingerprint";

/// Days ahead that the measured task lists cover, as the web client asks for them.
const TASK_DAYS: u32 = 7;

/// Requests made before the measurements, per caseworker of the first supervisor's group.
/// Each caseworker marks the assessment of cases completed and asks for its approval, and
/// refers the first of those cases to a service provider. The provider accepts some of the
/// referrals, and the supervisor rejects or approves some of the approval requests.
const APPROVAL_REQUESTS_PER_CASEWORKER: usize = 30;
const REFERRALS_PER_CASEWORKER: usize = 20;
const ACCEPTED_PER_CASEWORKER: usize = 10;
const REJECTED_PER_CASEWORKER: usize = 2;
const APPROVED_PER_CASEWORKER: usize = 2;
/// A service that every agency of the default configuration offers.
const REFERRED_SERVICE: &str = "psychosocial_support";
/// The forms a referral shares by default in the web client.
const SHARED_FORMS: [&str; 4] = ["basic_identity", "protection_concerns", "consent", "services"];

/// Cases whose one-field edits are measured, all owned by the measured caseworker.
const EDITED_CASES: usize = 50;

/// The rebuild of every case's due items when the server started.
pub struct Rebuild {
    /// From starting the process to its first successful health check.
    pub seconds: f64,
    pub cases: i64,
    pub task_rows: i64,
    pub cases_with_tasks: i64,
}

/// Counts of the approval requests, referrals and decisions made over HTTP before the measurements.
#[derive(Default)]
pub struct Setup {
    pub seconds: f64,
    pub requests: usize,
    pub approvals_requested: usize,
    pub approvals_rejected: usize,
    pub approvals_approved: usize,
    pub referrals_sent: usize,
    pub referrals_accepted: usize,
}

/// One list measured over HTTP.
pub struct ListMeasurement {
    pub operation: String,
    pub caller: String,
    pub http: Summary,
    /// Median number of items in the responses.
    pub items: usize,
    pub target_p95_ms: Option<f64>,
    pub cut_short: bool,
}

/// A one-field PATCH over HTTP, beside the statements that rewrite the case's due items.
pub struct WriteMeasurement {
    pub http: Summary,
    pub task_rows_sql: Summary,
    /// Due items the rewrite wrote per case, median.
    pub task_rows: usize,
    /// Cases edited in turn.
    pub cases: usize,
    pub cut_short: bool,
}

pub struct CaseworkResult {
    pub backend: &'static str,
    pub seed_seconds: f64,
    pub database_bytes: u64,
    pub rebuild: Rebuild,
    pub setup: Setup,
    pub lists: Vec<ListMeasurement>,
    pub write: WriteMeasurement,
    /// Query plans: (what, plan lines).
    pub plans: Vec<(String, Vec<String>)>,
    pub load_average_before: String,
    pub load_average_after: String,
}

/// Runs the casework benchmark on each backend and writes its section of the results page.
pub async fn run(
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
    environment: &Environment,
) -> anyhow::Result<()> {
    let mut results = Vec::new();
    if !args.skip_sqlite {
        eprintln!("SQLite: casework benchmark over {} cases", args.cases);
        let directory = work_dir.join("sqlite-casework");
        if directory.exists() {
            std::fs::remove_dir_all(&directory)?;
        }
        std::fs::create_dir_all(&directory)?;
        let url = format!("sqlite://{}", directory.join("sathi.db").display());
        results.push(run_backend("SQLite", &url, args, sathi, work_dir).await?);
        if !args.keep {
            std::fs::remove_dir_all(&directory)?;
        }
    }
    if let Some(admin_url) = &args.postgres_url {
        eprintln!("PostgreSQL: casework benchmark over {} cases", args.cases);
        let name = format!("sathi_bench_casework_{}", std::process::id());
        let url = crate::create_postgres_database(admin_url, &name).await?;
        let outcome = run_backend("PostgreSQL", &url, args, sathi, work_dir).await;
        if !args.keep {
            crate::drop_postgres_database(admin_url, &name).await?;
        }
        results.push(outcome?);
    }
    let section = render(environment, args, &results);
    let page = std::fs::read_to_string(&args.output).unwrap_or_default();
    std::fs::write(&args.output, report::with_section(&page, &report::CASEWORK_SECTION, &section))
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("wrote the casework section of {}", args.output.display());
    Ok(())
}

async fn run_backend(
    backend: &'static str,
    url: &str,
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
) -> anyhow::Result<CaseworkResult> {
    let config = sathi_server::default_config::configuration();
    let staff = Staff::generate(&config, args.seed);
    eprintln!("  creating the schema, configuration and {} users", staff.all_members().count());
    let state = seed::prepare(url, &staff).await?;
    let group_ids = seed::group_ids(&state, &staff).await?;
    drop(state);
    eprintln!("  seeding {} cases", args.cases);
    let seed_seconds = seed::seed_cases(url, &config, &staff, args.cases, args.seed, false).await?;
    eprintln!("  seeded in {seed_seconds:.0} s");
    forget_rules_fingerprint(url).await?;
    let database_bytes = crate::database_size(url).await?;

    eprintln!("  starting the server, which rebuilds every case's due items");
    let log_path = work_dir.join(format!("server-casework-{}.log", backend.to_lowercase()));
    let started = Instant::now();
    let server = ServerProcess::start_within(sathi, url, &log_path, REBUILD_START_TIMEOUT).await?;
    let seconds = started.elapsed().as_secs_f64();
    let raw = RawDatabase::connect(url).await?;
    let outcome = async {
        let rebuild = count_task_rows(&raw, seconds).await?;
        eprintln!(
            "  started in {seconds:.0} s: {} due items of {} cases",
            rebuild.task_rows, rebuild.cases_with_tasks
        );
        ensure!(rebuild.task_rows > 0, "the server built no due items; see {}", log_path.display());
        if crate::is_postgres(url) {
            // Autovacuum would analyse the new rows on its own within minutes. The benchmark
            // does it at once, as after seeding, so that the plans do not depend on timing.
            analyze_task_rows(url).await?;
        }
        measure_backend(&server, &raw, args, &config, &staff, &group_ids, rebuild).await
    }
    .await;
    raw.close().await;
    let stopped = server.stop().await;
    let (rebuild, setup, lists, write, plans, load_average_before, load_average_after) = outcome?;
    stopped?;
    Ok(CaseworkResult {
        backend,
        seed_seconds,
        database_bytes,
        rebuild,
        setup,
        lists,
        write,
        plans,
        load_average_before,
        load_average_after,
    })
}

/// Deletes the rules' fingerprint, which the store wrote when the seeder first opened it, so
/// that the next server start rebuilds the due items of the seeded cases.
pub(crate) async fn forget_rules_fingerprint(url: &str) -> anyhow::Result<()> {
    let sql = format!("DELETE FROM store_settings WHERE key = '{FINGERPRINT_KEY}'");
    if crate::is_postgres(url) {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut connection).await?;
        connection.close().await?;
    } else {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut connection).await?;
        connection.close().await?;
    }
    Ok(())
}

pub(crate) async fn analyze_task_rows(url: &str) -> anyhow::Result<()> {
    let mut connection = sqlx::PgConnection::connect(url).await?;
    sqlx::raw_sql("VACUUM ANALYZE case_tasks").execute(&mut connection).await?;
    connection.close().await?;
    Ok(())
}

async fn count_task_rows(raw: &RawDatabase, seconds: f64) -> anyhow::Result<Rebuild> {
    let count = |sql: &str| Statement { sql: sql.to_owned(), binds: Vec::new() };
    let (cases, _) = raw.fetch(&count("SELECT COUNT(*) FROM cases")).await?;
    let (task_rows, _) = raw.fetch(&count("SELECT COUNT(*) FROM case_tasks")).await?;
    let (cases_with_tasks, _) = raw.fetch(&count("SELECT COUNT(DISTINCT case_id) FROM case_tasks")).await?;
    Ok(Rebuild {
        seconds,
        cases: cases.unwrap_or(0),
        task_rows: task_rows.unwrap_or(0),
        cases_with_tasks: cases_with_tasks.unwrap_or(0),
    })
}

type BackendMeasurements =
    (Rebuild, Setup, Vec<ListMeasurement>, WriteMeasurement, Vec<(String, Vec<String>)>, String, String);

async fn measure_backend(
    server: &ServerProcess,
    raw: &RawDatabase,
    args: &Args,
    config: &sathi_domain::config::Configuration,
    staff: &Staff,
    group_ids: &[Vec<sathi_domain::ids::GroupId>],
    rebuild: Rebuild,
) -> anyhow::Result<BackendMeasurements> {
    let api = Api { http: reqwest::Client::new(), base_url: server.base_url.clone() };
    let supervisor_groups = group_ids[0].iter().map(|group| group.0).collect();
    let supervisor =
        measure::login(&server.base_url, &staff.supervisors[0].username, seed::PASSWORD, supervisor_groups)
            .await?;
    // The first group's members after its supervisor are the caseworkers it approves for.
    let team = &staff.groups[0].members[1..];
    let mut caseworkers = Vec::new();
    for member in team {
        let username = &staff
            .caseworkers
            .iter()
            .find(|worker| worker.id == *member)
            .context("a member of the first group is not a caseworker")?
            .username;
        caseworkers.push(measure::login(&server.base_url, username, seed::PASSWORD, Vec::new()).await?);
    }
    let provider = staff
        .service_providers
        .iter()
        .find(|provider| provider.agency_id == staff.supervisors[0].agency_id)
        .context("the supervisor's agency has no service provider")?;
    let provider = measure::login(&server.base_url, &provider.username, seed::PASSWORD, Vec::new()).await?;
    let today = sathi_domain::dates::today(OffsetDateTime::now_utc(), config.deployment.utc_offset_minutes);

    eprintln!("  making approval requests, referrals and notifications over HTTP");
    let setup = make_casework(&api, &caseworkers, &supervisor, &provider, today).await?;
    eprintln!(
        "  {} requests in {:.0} s: {} approvals requested, {} referrals sent",
        setup.requests, setup.seconds, setup.approvals_requested, setup.referrals_sent
    );

    let load_average_before = report::load_average();
    let caseworker = &caseworkers[0];
    let loop_limits = LoopLimits {
        warmup: args.warmup,
        requests: args.requests,
        time_limit: Duration::from_secs(args.operation_seconds),
    };
    let days = || vec![("days", TASK_DAYS.to_string())];
    let lists = [
        ListRequest {
            operation: "Tasks due within 7 days (GET /tasks?days=7)",
            session: caseworker,
            path: "/api/v1/tasks",
            query: days(),
            count: items_of,
        },
        ListRequest {
            operation: "Tasks due within 7 days (GET /tasks?days=7)",
            session: &supervisor,
            path: "/api/v1/tasks",
            query: days(),
            count: items_of,
        },
        ListRequest {
            operation: "Pending approvals (GET /approvals?status=pending)",
            session: &supervisor,
            path: "/api/v1/approvals",
            query: vec![("status", "pending".to_owned())],
            count: array_length,
        },
        ListRequest {
            operation: "Open incoming referrals (GET /referrals?box=incoming&status=open)",
            session: &provider,
            path: "/api/v1/referrals",
            query: vec![("box", "incoming".to_owned()), ("status", "open".to_owned())],
            count: array_length,
        },
        ListRequest {
            operation: "Notifications (GET /notifications)",
            session: caseworker,
            path: "/api/v1/notifications",
            query: Vec::new(),
            count: items_of,
        },
    ];
    let mut measured = Vec::new();
    for list in &lists {
        eprintln!("  measuring {} as {}", list.operation, list.session.role_id);
        measured.push(measure_list(&api, &loop_limits, list).await?);
    }

    let mut plans = Vec::new();
    let owned_tasks = Statement {
        sql: sathi_store::OWNED_TASKS_SQL.to_owned(),
        binds: vec![
            Bind::Uuid(caseworker.user_id),
            Bind::Date(today + time::Duration::days(TASK_DAYS.into())),
        ],
    };
    plans.push((
        "Due items of the caseworker's own cases (`OWNED_TASKS_SQL`)".to_owned(),
        raw.explain(&owned_tasks).await?,
    ));

    eprintln!("  measuring a one-field edit and the rewrite of its due items");
    let edited = open_cases(&api, caseworker, EDITED_CASES).await?;
    let write = measure_write(&api, raw, &loop_limits, caseworker, &edited).await?;
    let load_average_after = report::load_average();
    Ok((rebuild, setup, measured, write, plans, load_average_before, load_average_after))
}

/// The HTTP API of the server under test.
pub(crate) struct Api {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
}

impl Api {
    /// Sends a request and returns the JSON body, failing unless the status is a success.
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        session: &Session,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base_url))
            .bearer_auth(&session.token)
            .query(query);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let body: Value =
            response.json().await.with_context(|| format!("{method} {path} did not return JSON"))?;
        ensure!(status.is_success(), "{method} {path} as {} returned {status}: {body}", session.username);
        Ok(body)
    }

    /// Sends a request with a JSON body and returns the status and the JSON body, whatever the
    /// status.
    async fn send_for_status(
        &self,
        method: reqwest::Method,
        session: &Session,
        path: &str,
        body: Value,
    ) -> anyhow::Result<(reqwest::StatusCode, Value)> {
        let response = self
            .http
            .request(method.clone(), format!("{}{path}", self.base_url))
            .bearer_auth(&session.token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let body: Value =
            response.json().await.with_context(|| format!("{method} {path} did not return JSON"))?;
        Ok((status, body))
    }

    pub(crate) async fn get(
        &self,
        session: &Session,
        path: &str,
        query: &[(&str, String)],
    ) -> anyhow::Result<Value> {
        self.send(reqwest::Method::GET, session, path, query, None).await
    }

    pub(crate) async fn post(&self, session: &Session, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, session, path, &[], Some(body)).await
    }

    async fn patch(&self, session: &Session, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::PATCH, session, path, &[], Some(body)).await
    }
}

/// Returns the ids of up to `count` open cases that `session`'s user owns, the most recently
/// changed first. Fails when the user owns no open case.
async fn open_cases(api: &Api, session: &Session, count: usize) -> anyhow::Result<Vec<Uuid>> {
    let query = [
        ("status", "open".to_owned()),
        ("owner", session.user_id.to_string()),
        ("sort", "updated_desc".to_owned()),
        ("limit", count.to_string()),
    ];
    let body = api.get(session, "/api/v1/cases", &query).await?;
    let ids: Vec<Uuid> = body["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|case| case["id"].as_str()?.parse().ok())
        .collect();
    ensure!(!ids.is_empty(), "{} owns no open case; seed more cases", session.username);
    Ok(ids)
}

/// Makes, through the API, approval requests of each caseworker's cases to the supervisor,
/// referrals to the service provider, and their decisions, which notify the caseworkers.
async fn make_casework(
    api: &Api,
    caseworkers: &[Session],
    supervisor: &Session,
    provider: &Session,
    today: time::Date,
) -> anyhow::Result<Setup> {
    let started = Instant::now();
    let mut setup = Setup::default();
    let today = sathi_domain::dates::format_date(today);
    for caseworker in caseworkers {
        let cases = open_cases(api, caseworker, APPROVAL_REQUESTS_PER_CASEWORKER).await?;
        let mut approvals = Vec::new();
        for case in &cases {
            let changes = json!({"changes": [{"path": "assessment_completed_on", "value": today}]});
            api.patch(caseworker, &format!("/api/v1/cases/{case}"), changes).await?;
            let approval = api
                .post(caseworker, &format!("/api/v1/cases/{case}/approvals"), json!({"kind": "assessment"}))
                .await?;
            approvals.push(approval);
            setup.requests += 2;
            setup.approvals_requested += 1;
        }
        let mut sent = 0;
        for case in &cases {
            if sent == REFERRALS_PER_CASEWORKER {
                break;
            }
            let body = json!({
                "to_agency_id": provider.agency_id,
                "to_user_id": provider.user_id,
                "service_type": REFERRED_SERVICE,
                "shared_forms": SHARED_FORMS,
            });
            let path = format!("/api/v1/cases/{case}/referrals");
            let (status, referral) =
                api.send_for_status(reqwest::Method::POST, caseworker, &path, body).await?;
            setup.requests += 1;
            // The seeder's referrals include pending ones for this service, which the API
            // does not duplicate; such a case is skipped.
            if status == reqwest::StatusCode::UNPROCESSABLE_ENTITY
                && referral["error"]["code"] == "referral_pending"
            {
                continue;
            }
            ensure!(
                status.is_success(),
                "POST {path} as {} returned {status}: {referral}",
                caseworker.username
            );
            sent += 1;
            setup.referrals_sent += 1;
            if sent <= ACCEPTED_PER_CASEWORKER {
                let id = referral["id"].as_str().context("the referral response has no id")?;
                let version = referral["version"].as_i64().context("the referral response has no version")?;
                api.post(
                    provider,
                    &format!("/api/v1/referrals/{id}/accept"),
                    json!({"expected_version": version}),
                )
                .await?;
                setup.requests += 1;
                setup.referrals_accepted += 1;
            }
        }
        let decided = approvals.iter().take(REJECTED_PER_CASEWORKER + APPROVED_PER_CASEWORKER);
        for (index, approval) in decided.enumerate() {
            let id = approval["id"].as_str().context("the approval response has no id")?;
            let version = approval["version"].as_i64().context("the approval response has no version")?;
            if index < REJECTED_PER_CASEWORKER {
                let body = json!({"expected_version": version, "comment": "Add the family's view"});
                api.post(supervisor, &format!("/api/v1/approvals/{id}/reject"), body).await?;
                setup.approvals_rejected += 1;
            } else {
                api.post(
                    supervisor,
                    &format!("/api/v1/approvals/{id}/approve"),
                    json!({"expected_version": version}),
                )
                .await?;
                setup.approvals_approved += 1;
            }
            setup.requests += 1;
        }
    }
    setup.seconds = started.elapsed().as_secs_f64();
    Ok(setup)
}

struct LoopLimits {
    warmup: usize,
    requests: usize,
    /// The measured requests of one operation stop after this long; the warm-up gets a quarter
    /// of it.
    time_limit: Duration,
}

/// One measured list request.
struct ListRequest<'a> {
    operation: &'static str,
    session: &'a Session,
    path: &'static str,
    query: Vec<(&'static str, String)>,
    /// Returns the number of items in a response.
    count: fn(&Value) -> usize,
}

fn items_of(body: &Value) -> usize {
    body["items"].as_array().map_or(0, Vec::len)
}

fn array_length(body: &Value) -> usize {
    body.as_array().map_or(0, Vec::len)
}

async fn measure_list(
    api: &Api,
    limits: &LoopLimits,
    list: &ListRequest<'_>,
) -> anyhow::Result<ListMeasurement> {
    let ListRequest { operation, session, path, query, count } = list;
    let started = Instant::now();
    for _ in 0..limits.warmup {
        if started.elapsed() > limits.time_limit / 4 {
            break;
        }
        api.get(session, path, query).await?;
    }
    let mut times = Vec::with_capacity(limits.requests);
    let mut items = Vec::with_capacity(limits.requests);
    let mut cut_short = false;
    let started = Instant::now();
    for _ in 0..limits.requests {
        if started.elapsed() > limits.time_limit {
            cut_short = true;
            break;
        }
        let request_started = Instant::now();
        let body = api.get(session, path, query).await?;
        times.push(request_started.elapsed());
        items.push(count(&body));
    }
    items.sort_unstable();
    Ok(ListMeasurement {
        operation: (*operation).to_owned(),
        caller: session.role_id.clone(),
        http: Summary::of(&times),
        items: items.get(items.len() / 2).copied().unwrap_or(0),
        target_p95_ms: Some(LIST_TARGET_MS),
        cut_short,
    })
}

/// PATCHes one text field of each case in turn, and after each request runs the statements
/// that rewrite that case's due items, rolled back.
async fn measure_write(
    api: &Api,
    raw: &RawDatabase,
    limits: &LoopLimits,
    session: &Session,
    cases: &[Uuid],
) -> anyhow::Result<WriteMeasurement> {
    let mut http_times = Vec::with_capacity(limits.requests);
    let mut sql_times = Vec::with_capacity(limits.requests);
    let mut rows = Vec::with_capacity(limits.requests);
    let mut cut_short = false;
    let mut started = Instant::now();
    for iteration in 0..limits.warmup + limits.requests {
        let warming = iteration < limits.warmup;
        if iteration == limits.warmup {
            started = Instant::now();
        }
        let limit = if warming { limits.time_limit / 4 } else { limits.time_limit };
        if started.elapsed() > limit {
            if warming {
                continue;
            }
            cut_short = true;
            break;
        }
        let case = cases[iteration % cases.len()];
        let changes = json!({"changes": [{"path": "name_nickname", "value": format!("Nick {iteration}")}]});
        let request_started = Instant::now();
        api.patch(session, &format!("/api/v1/cases/{case}"), changes).await?;
        let http_time = request_started.elapsed();
        let sql_started = Instant::now();
        let written = raw.rewrite_tasks(case).await?;
        let sql_time = sql_started.elapsed();
        if !warming {
            http_times.push(http_time);
            sql_times.push(sql_time);
            rows.push(written);
        }
    }
    rows.sort_unstable();
    Ok(WriteMeasurement {
        http: Summary::of(&http_times),
        task_rows_sql: Summary::of(&sql_times),
        task_rows: rows.get(rows.len() / 2).copied().unwrap_or(0),
        cases: cases.len(),
        cut_short,
    })
}

fn role_name(role: &str) -> &str {
    match role {
        "caseworker" => "caseworker (own cases)",
        "supervisor" => "supervisor (group of 10 caseworkers)",
        "service_provider" => "service provider",
        other => other,
    }
}

/// Renders the casework benchmark's section, between its markers.
pub fn render(environment: &Environment, args: &Args, results: &[CaseworkResult]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str(report::CASEWORK_SECTION.begin);
    out.push_str("\n## Casework\n\n");
    out.push_str(
        "Written by `scripts/bench --casework` (`crates/sathi-bench/src/casework.rs`). The database holds the \
         synthetic deployment described above. Seeding writes no due items, so the benchmark deletes the \
         workflow rules' fingerprint from `store_settings`, and `sathi serve` rebuilds the `case_tasks` rows \
         of every case before it answers its first request, as after an administrator changes the rules. \
         The seeded cases have no assessment, so every open case has one overdue assessment item. That is \
         the longest task list the data can give, because the task list returns every overdue item.\n\n",
    );
    let _ = writeln!(
        out,
        "Then, over HTTP, each of the 10 caseworkers in the first supervisor's group marks the assessment of up to \
         {APPROVAL_REQUESTS_PER_CASEWORKER} open cases completed and asks for its approval. Each also refers \
         {REFERRALS_PER_CASEWORKER} of them to a service provider of the same agency, skipping cases that the \
         seeder already referred there for the same service. The provider accepts \
         {ACCEPTED_PER_CASEWORKER} per caseworker, and the supervisor rejects {REJECTED_PER_CASEWORKER} and \
         approves {APPROVED_PER_CASEWORKER} of each caseworker's requests. These requests notify the \
         supervisor, the provider and the caseworkers. The provider also receives the referrals that the \
         seeder wrote (3% of cases, spread over all service providers).\n"
    );
    let _ = writeln!(
        out,
        "- Date: {}; commit {}; {} CPUs ({}), {} memory; `{}` build.",
        environment.date,
        environment.commit,
        environment.cpus,
        environment.cpu_model,
        environment.memory,
        environment.profile
    );
    let _ = writeln!(
        out,
        "- Cases: {}; seed {}; up to {} measured requests per operation after {} warm-up requests, at most {} s \
         per operation. Times in ms.\n",
        args.cases, args.seed, args.requests, args.warmup, args.operation_seconds
    );
    let _ = writeln!(
        out,
        "Reproduce:\n\n```sh\nSATHI_BENCH_DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres \
         scripts/bench --casework --cases {}\n```\n",
        args.cases
    );

    out.push_str("| Target | ");
    for result in results {
        let _ = write!(out, "{} | ", result.backend);
    }
    out.push_str("\n|---|");
    for _ in results {
        out.push_str("---|");
    }
    out.push('\n');
    let worst = |result: &CaseworkResult, prefix: &str| {
        result
            .lists
            .iter()
            .filter(|list| list.operation.starts_with(prefix))
            .map(|list| list.http.p95_ms)
            .fold(None, |worst: Option<f64>, p95| Some(worst.map_or(p95, |worst| worst.max(p95))))
    };
    for (label, prefix) in [
        ("Task list, HTTP p95 < 100 ms", "Tasks"),
        ("Pending approvals, HTTP p95 < 100 ms", "Pending approvals"),
        ("Open incoming referrals, HTTP p95 < 100 ms", "Open incoming referrals"),
        ("Notifications, HTTP p95 < 100 ms", "Notifications"),
    ] {
        let _ = write!(out, "| {label} | ");
        for result in results {
            match worst(result, prefix) {
                Some(p95) => {
                    let _ = write!(out, "{p95:.1} ms: {} | ", report::verdict(p95, LIST_TARGET_MS));
                }
                None => out.push_str("not measured | "),
            }
        }
        out.push('\n');
    }
    out.push('\n');
    if results.is_empty() {
        out.push_str("No backend was measured in this run.\n\n");
    }

    for result in results {
        let rebuild = &result.rebuild;
        let setup = &result.setup;
        let write = &result.write;
        let _ = writeln!(out, "### {}\n", result.backend);
        let _ = writeln!(
            out,
            "- Seeded in {:.0} s; database size before the rebuild {:.0} MiB.",
            result.seed_seconds,
            result.database_bytes as f64 / 1024.0 / 1024.0
        );
        let _ = writeln!(
            out,
            "- Rebuild of the due items at server start: {} cases in {:.1} s ({:.0} cases/s), {} `case_tasks` \
             rows for {} cases. The time runs from starting the process to its first successful health check.",
            rebuild.cases,
            rebuild.seconds,
            rebuild.cases as f64 / rebuild.seconds.max(0.001),
            rebuild.task_rows,
            rebuild.cases_with_tasks
        );
        let _ = writeln!(
            out,
            "- Made over HTTP in {:.1} s ({} requests): {} approval requests ({} rejected, {} approved), {} \
             referrals ({} accepted).",
            setup.seconds,
            setup.requests,
            setup.approvals_requested,
            setup.approvals_rejected,
            setup.approvals_approved,
            setup.referrals_sent,
            setup.referrals_accepted
        );
        let _ = writeln!(
            out,
            "- Load average (1, 5, 15 min) before the measurements: {}; after them: {}.\n",
            result.load_average_before, result.load_average_after
        );
        out.push_str("| Operation | Caller | Requests | Items | HTTP p50 | HTTP p95 | HTTP max | Target HTTP p95 | Met |\n");
        out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for list in &result.lists {
            let short = if list.cut_short { " (time limit)" } else { "" };
            let (target, met) = match list.target_p95_ms {
                Some(target) => (format!("< {target:.0}"), report::verdict(list.http.p95_ms, target)),
                None => ("none".to_owned(), "n/a"),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {}{short} | {} | {:.1} | {:.1} | {:.1} | {target} | {met} |",
                list.operation,
                role_name(&list.caller),
                list.http.count,
                list.items,
                list.http.p50_ms,
                list.http.p95_ms,
                list.http.max_ms
            );
        }
        let short = if write.cut_short { " (time limit)" } else { "" };
        let _ = writeln!(
            out,
            "\nA one-field edit (`PATCH /cases/{{id}}` of `name_nickname`, {} requests{short} over {} \
             of the caseworker's open cases): HTTP p50 {:.1}, p95 {:.1}, max {:.1}. The statements that rewrite \
             the case's due items (median rows written: {}), run on their own connection after each request and rolled back: \
             p50 {:.2}, p95 {:.2}, max {:.2}. The PATCH runs the same statements inside its transaction, so they \
             are the part of the write that the due items add. The server benchmark above measures no PATCH to \
             compare with.\n",
            write.http.count,
            write.cases,
            write.http.p50_ms,
            write.http.p95_ms,
            write.http.max_ms,
            write.task_rows,
            write.task_rows_sql.p50_ms,
            write.task_rows_sql.p95_ms,
            write.task_rows_sql.max_ms
        );
        for (what, plan) in &result.plans {
            let _ = writeln!(out, "{what}:\n\n```\n{}\n```\n", plan.join("\n"));
        }
    }
    out.push_str(report::CASEWORK_SECTION.end);
    out
}
