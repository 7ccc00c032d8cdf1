//! The reports benchmark: the dashboard of each role, the coordination snapshot, a pivot table
//! and the monthly report, over HTTP on a large synthetic database.
//!
//! The seeder adds completed assessments and approved case plans to the synthetic cases
//! ([`crate::synth::CaseFactory::with_casework`]), so the time-to-assessment and time-to-plan
//! figures count real rows. Like the casework benchmark, it deletes the workflow rules'
//! fingerprint, so `sathi serve` builds every case's due items before its first successful
//! health check, and the caseworker's and supervisor's task panels read real `case_tasks` rows.
//!
//! After the timed requests, the server is restarted with every SQL statement logged (the
//! `sqlx::query` target at debug level, as JSON), each operation runs a few more times, and the
//! log gives the slowest statements of each operation with the plan the database chooses for
//! the slowest one. sqlx logs statements without their bound values, so the plans are generic:
//! SQLite's `EXPLAIN QUERY PLAN` with unbound parameters, and PostgreSQL's plan for a statement
//! prepared with `plan_cache_mode = force_generic_plan`.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use time::OffsetDateTime;

use crate::Args;
use crate::casework::Api;
use crate::measure::{self, Session, Summary};
use crate::rawsql::{RawDatabase, Statement};
use crate::report::{self, Environment};
use crate::seed;
use crate::server::ServerProcess;
use crate::synth::Staff;

/// Target of every dashboard, for the 95th percentile over HTTP.
pub const DASHBOARD_TARGET_MS: f64 = 200.0;

/// How long the server may take to start when it builds every case's due items first.
/// NOTE: an estimate with a wide margin; see the same limit of the casework benchmark.
const START_TIMEOUT: Duration = Duration::from_secs(3 * 60 * 60);

/// Times the coordination snapshot is computed from scratch, each after deleting it.
const SNAPSHOT_RUNS: usize = 3;

/// Requests per operation whose statements the diagnostic pass logs, after one unlogged
/// request that warms the caches of the restarted server.
const DIAGNOSTIC_REQUESTS: usize = 3;
/// Statements listed per operation in the results, slowest first.
const SLOWEST_STATEMENTS: usize = 3;

/// Filter of the server's log in the diagnostic pass: every SQL statement, and warnings.
const STATEMENT_LOG_FILTER: &str = "warn,sqlx::query=debug";

/// One measured request, with what it returned.
struct Operation<'a> {
    name: String,
    session: &'a Session,
    method: reqwest::Method,
    path: &'static str,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    target_p95_ms: Option<f64>,
    /// Checks a response and describes its size, such as "12 panels, 140 figures".
    check: fn(&Value) -> anyhow::Result<String>,
}

pub struct Measured {
    pub operation: String,
    pub caller: String,
    pub http: Summary,
    pub size: String,
    pub target_p95_ms: Option<f64>,
    pub cut_short: bool,
}

/// One SQL statement of an operation, from the diagnostic pass.
pub struct StatementTime {
    pub sql: String,
    /// Executions per request, on average.
    pub per_request: f64,
    /// Milliseconds per request, summed over its executions, on average.
    pub ms_per_request: f64,
    pub max_ms: f64,
}

pub struct Diagnosis {
    pub operation: String,
    pub statements: Vec<StatementTime>,
    /// Statements the operation ran per request, on average, and their total time.
    pub statement_count: f64,
    pub statement_ms: f64,
    /// The plan of the slowest statement, or why it could not be read.
    pub plan: Vec<String>,
}

/// Rows of the seeded database that the measured callers see, counted with raw SQL.
#[derive(Default)]
pub struct DataSizes {
    pub cases: i64,
    pub open: i64,
    pub closed: i64,
    pub assessed: i64,
    pub plan_approved: i64,
    pub referrals: i64,
    pub task_rows: i64,
    pub caseworker_open: i64,
    pub group_open: i64,
    pub agency_cases: i64,
}

pub struct ReportsResult {
    pub backend: &'static str,
    pub seed_seconds: f64,
    pub database_bytes: u64,
    /// From starting the server to its first successful health check, with the due items built.
    pub start_seconds: f64,
    pub sizes: DataSizes,
    /// Each computation of the coordination snapshot, in ms.
    pub snapshot_ms: Vec<f64>,
    /// The way each run made the server compute the snapshot again, for the text of the results.
    pub snapshot_method: String,
    pub measured: Vec<Measured>,
    pub diagnoses: Vec<Diagnosis>,
    pub load_average_before: String,
    pub load_average_after: String,
}

/// Runs the reports benchmark on each backend and writes its section of the results page.
pub async fn run(
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
    environment: &Environment,
) -> anyhow::Result<()> {
    let mut results = Vec::new();
    if !args.skip_sqlite {
        eprintln!("SQLite: reports benchmark over {} cases", args.cases);
        let directory = work_dir.join("sqlite-reports");
        if directory.exists() {
            std::fs::remove_dir_all(&directory)?;
        }
        std::fs::create_dir_all(&directory)?;
        let url = format!("sqlite://{}", directory.join("sathi.db").display());
        let outcome = run_backend("SQLite", &url, args, sathi, work_dir).await;
        if !args.keep {
            std::fs::remove_dir_all(&directory)?;
        }
        results.push(outcome?);
    }
    if let Some(admin_url) = &args.postgres_url {
        eprintln!("PostgreSQL: reports benchmark over {} cases", args.cases);
        let name = format!("sathi_bench_reports_{}", std::process::id());
        let url = crate::create_postgres_database(admin_url, &name).await?;
        let outcome = run_backend("PostgreSQL", &url, args, sathi, work_dir).await;
        if !args.keep {
            crate::drop_postgres_database(admin_url, &name).await?;
        }
        results.push(outcome?);
    }
    let section = render(environment, args, &results);
    let page = std::fs::read_to_string(&args.output).unwrap_or_default();
    std::fs::write(&args.output, report::with_section(&page, &report::REPORTS_SECTION, &section))
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("wrote the reports section of {}", args.output.display());
    Ok(())
}

async fn run_backend(
    backend: &'static str,
    url: &str,
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
) -> anyhow::Result<ReportsResult> {
    let config = sathi_server::default_config::configuration();
    let staff = Staff::generate(&config, args.seed);
    eprintln!("  creating the schema, configuration and {} users", staff.all_members().count());
    let state = seed::prepare(url, &staff).await?;
    let group_ids = seed::group_ids(&state, &staff).await?;
    drop(state);
    eprintln!("  seeding {} cases with assessments and case plans", args.cases);
    let seed_seconds = seed::seed_cases(url, &config, &staff, args.cases, args.seed, true).await?;
    eprintln!("  seeded in {seed_seconds:.0} s");
    crate::casework::forget_rules_fingerprint(url).await?;
    let database_bytes = crate::database_size(url).await?;

    eprintln!("  starting the server, which builds every case's due items");
    let log_path = work_dir.join(format!("server-reports-{}.log", backend.to_lowercase()));
    let started = Instant::now();
    let server = ServerProcess::start_within(sathi, url, &log_path, START_TIMEOUT).await?;
    let start_seconds = started.elapsed().as_secs_f64();
    eprintln!("  started in {start_seconds:.0} s");
    if crate::is_postgres(url) {
        crate::casework::analyze_task_rows(url).await?;
    }
    let raw = RawDatabase::connect(url).await?;
    let sessions = Sessions::login(&server.base_url, &staff, &group_ids).await;
    let outcome = match sessions {
        Ok(sessions) => measure_backend(&server, &raw, args, &config, &staff, &sessions).await,
        Err(error) => Err(error),
    };
    raw.close().await;
    let stopped = server.stop().await;
    let (sizes, snapshot_ms, snapshot_method, measured, load_average_before, load_average_after) = outcome?;
    stopped?;

    eprintln!("  restarting the server with every SQL statement logged");
    let diagnostic_log = work_dir.join(format!("server-reports-statements-{}.log", backend.to_lowercase()));
    let env = [("SATHI_LOG", STATEMENT_LOG_FILTER), ("SATHI_LOG_FORMAT", "json")];
    let server = ServerProcess::start_with_env(sathi, url, &diagnostic_log, START_TIMEOUT, &env).await?;
    let outcome = async {
        let sessions = Sessions::login(&server.base_url, &staff, &group_ids).await?;
        let operations = operations(&sessions, &config);
        diagnose(&server, url, &operations).await
    }
    .await;
    let stopped = server.stop().await;
    let diagnoses = outcome?;
    stopped?;
    if !args.keep {
        let _ = std::fs::remove_file(&diagnostic_log);
    }

    Ok(ReportsResult {
        backend,
        seed_seconds,
        database_bytes,
        start_seconds,
        sizes,
        snapshot_ms,
        snapshot_method,
        measured,
        diagnoses,
        load_average_before,
        load_average_after,
    })
}

/// The measured callers, logged in.
struct Sessions {
    caseworker: Session,
    supervisor: Session,
    manager: Session,
    coordinator: Session,
}

impl Sessions {
    /// Logs in the first caseworker, the supervisor of the first group (which contains that
    /// caseworker), the manager of their agency and the information management officer.
    async fn login(
        base_url: &str,
        staff: &Staff,
        group_ids: &[Vec<sathi_domain::ids::GroupId>],
    ) -> anyhow::Result<Sessions> {
        let caseworker = &staff.caseworkers[0];
        let supervisor_groups = group_ids[0].iter().map(|group| group.0).collect();
        let manager = staff
            .managers
            .iter()
            .find(|manager| manager.agency_id == caseworker.agency_id)
            .context("the first caseworker's agency has no manager")?;
        let coordinator = staff.coordinators.first().context("the staff has no coordinator")?;
        Ok(Sessions {
            caseworker: measure::login(base_url, &caseworker.username, seed::PASSWORD, Vec::new()).await?,
            supervisor: measure::login(
                base_url,
                &staff.supervisors[0].username,
                seed::PASSWORD,
                supervisor_groups,
            )
            .await?,
            manager: measure::login(base_url, &manager.username, seed::PASSWORD, Vec::new()).await?,
            coordinator: measure::login(base_url, &coordinator.username, seed::PASSWORD, Vec::new()).await?,
        })
    }
}

/// Returns the first day of the month before the month of `today`, as `YYYY-MM`.
fn last_month(today: time::Date) -> String {
    let first = today.replace_day(1).expect("day 1 exists in every month");
    let previous = first.previous_day().expect("the calendar goes on before any deployment");
    format!("{:04}-{:02}", previous.year(), u8::from(previous.month()))
}

/// Lists the measured operations, in the order they run.
fn operations<'a>(
    sessions: &'a Sessions,
    config: &sathi_domain::config::Configuration,
) -> Vec<Operation<'a>> {
    let today = sathi_domain::dates::today(OffsetDateTime::now_utc(), config.deployment.utc_offset_minutes);
    let dashboard =
        |name: &str, session: &'a Session, check: fn(&Value) -> anyhow::Result<String>| Operation {
            name: format!("Dashboard (GET /dashboard), {name}"),
            session,
            method: reqwest::Method::GET,
            path: "/api/v1/dashboard",
            query: Vec::new(),
            body: None,
            target_p95_ms: Some(DASHBOARD_TARGET_MS),
            check,
        };
    let month = last_month(today);
    vec![
        dashboard("caseworker", &sessions.caseworker, |body| dashboard_size(body, "caseworker")),
        dashboard("supervisor", &sessions.supervisor, |body| dashboard_size(body, "supervisor")),
        dashboard("agency manager", &sessions.manager, |body| dashboard_size(body, "manager")),
        dashboard("coordination, snapshot read", &sessions.coordinator, |body| {
            dashboard_size(body, "coordination")
        }),
        Operation {
            name: "Pivot table, camp by sex, all agencies (POST /reports/pivot)".to_owned(),
            session: &sessions.coordinator,
            method: reqwest::Method::POST,
            path: "/api/v1/reports/pivot",
            query: Vec::new(),
            body: Some(json!({
                "measure": "cases",
                "rows": "camp",
                "columns": "sex",
                "filters": {"status": "all"},
            })),
            target_p95_ms: None,
            check: pivot_size,
        },
        Operation {
            name: format!("Monthly report for {month} (GET /reports/monthly)"),
            session: &sessions.coordinator,
            method: reqwest::Method::GET,
            path: "/api/v1/reports/monthly",
            query: vec![("month", month)],
            body: None,
            target_p95_ms: None,
            check: monthly_size,
        },
    ]
}

/// Checks that a dashboard is of `kind` and has figures, and describes its size.
fn dashboard_size(body: &Value, kind: &str) -> anyhow::Result<String> {
    ensure!(body["kind"] == kind, "the dashboard is of kind {}, not {kind}", body["kind"]);
    let panels = body["panels"].as_array().context("the dashboard has no panels")?;
    let figures: usize = panels.iter().map(|panel| panel["figures"].as_array().map_or(0, Vec::len)).sum();
    ensure!(figures > 0, "the {kind} dashboard has no figures");
    Ok(format!("{} panels, {figures} figures", panels.len()))
}

fn pivot_size(body: &Value) -> anyhow::Result<String> {
    let rows = body["rows"].as_array().context("the pivot has no rows")?.len();
    let columns = body["columns"].as_array().context("the pivot has no columns")?.len();
    let total = &body["total"]["value"];
    Ok(format!("{rows} rows by {columns} columns, total {total}"))
}

fn monthly_size(body: &Value) -> anyhow::Result<String> {
    let sections = body["sections"].as_array().context("the monthly report has no sections")?;
    let cells: usize = sections
        .iter()
        .map(|section| {
            let pivot = &section["pivot"];
            let rows = pivot["rows"].as_array().map_or(0, Vec::len);
            rows * pivot["columns"].as_array().map_or(1, |columns| columns.len().max(1))
        })
        .sum();
    Ok(format!("{} sections, {cells} cells", sections.len()))
}

type BackendMeasurements = (DataSizes, Vec<f64>, String, Vec<Measured>, String, String);

async fn measure_backend(
    server: &ServerProcess,
    raw: &RawDatabase,
    args: &Args,
    config: &sathi_domain::config::Configuration,
    staff: &Staff,
    sessions: &Sessions,
) -> anyhow::Result<BackendMeasurements> {
    let api = Api { http: reqwest::Client::new(), base_url: server.base_url.clone() };
    let sizes = data_sizes(raw, staff, sessions).await?;
    eprintln!(
        "  {} cases ({} open); the caseworker has {} open, the group {}, the agency {} cases",
        sizes.cases, sizes.open, sizes.caseworker_open, sizes.group_open, sizes.agency_cases
    );

    let load_average_before = report::load_average();
    eprintln!("  computing the coordination snapshot {SNAPSHOT_RUNS} times");
    let (snapshot_ms, snapshot_method) = measure_snapshot(&api, raw, &sessions.coordinator).await?;

    let operations = operations(sessions, config);
    let mut measured = Vec::new();
    for operation in &operations {
        eprintln!("  measuring {}", operation.name);
        measured.push(measure_operation(&api, args, operation).await?);
    }
    let load_average_after = report::load_average();
    Ok((sizes, snapshot_ms, snapshot_method, measured, load_average_before, load_average_after))
}

/// Counts the seeded rows and the cases in the measured callers' scopes.
async fn data_sizes(raw: &RawDatabase, staff: &Staff, sessions: &Sessions) -> anyhow::Result<DataSizes> {
    use crate::rawsql::Bind;
    let count = async |sql: &str, binds: Vec<Bind>| -> anyhow::Result<i64> {
        let (value, _) = raw.fetch(&Statement { sql: sql.to_owned(), binds }).await?;
        Ok(value.unwrap_or(0))
    };
    let members = raw.group_members(&sessions.supervisor.scope).await?;
    let mut group_open = 0;
    for member in &members {
        group_open += count(
            "SELECT COUNT(*) FROM cases WHERE owner_id = $1 AND status = 'open' AND enabled = $2",
            vec![Bind::Uuid(*member), Bind::Bool(true)],
        )
        .await?;
    }
    Ok(DataSizes {
        cases: count("SELECT COUNT(*) FROM cases", Vec::new()).await?,
        open: count("SELECT COUNT(*) FROM cases WHERE status = 'open'", Vec::new()).await?,
        closed: count("SELECT COUNT(*) FROM cases WHERE closure_date IS NOT NULL", Vec::new()).await?,
        assessed: count("SELECT COUNT(*) FROM cases WHERE assessment_completed_on IS NOT NULL", Vec::new())
            .await?,
        plan_approved: count(
            "SELECT COUNT(*) FROM cases WHERE case_plan_approved_on IS NOT NULL",
            Vec::new(),
        )
        .await?,
        referrals: count("SELECT COUNT(*) FROM referrals", Vec::new()).await?,
        task_rows: count("SELECT COUNT(*) FROM case_tasks", Vec::new()).await?,
        caseworker_open: count(
            "SELECT COUNT(*) FROM cases WHERE owner_id = $1 AND status = 'open' AND enabled = $2",
            vec![Bind::Uuid(sessions.caseworker.user_id), Bind::Bool(true)],
        )
        .await?,
        group_open,
        agency_cases: count(
            "SELECT COUNT(*) FROM cases WHERE owner_agency_id = $1",
            vec![Bind::Text(staff.caseworkers[0].agency_id.clone())],
        )
        .await?,
    })
}

/// Computes the coordination snapshot [`SNAPSHOT_RUNS`] times and returns each time in ms, with
/// the way it was computed again. Each run deletes the stored snapshot before requesting the
/// coordination dashboard, which then computes and stores it before it responds.
async fn measure_snapshot(
    api: &Api,
    raw: &RawDatabase,
    coordinator: &Session,
) -> anyhow::Result<(Vec<f64>, String)> {
    use crate::rawsql::Bind;
    let delete = Statement {
        sql: "DELETE FROM report_snapshots WHERE kind = $1".to_owned(),
        binds: vec![Bind::Text(sathi_server::coordination::SNAPSHOT_KIND.to_owned())],
    };
    let mut times = Vec::new();
    for _ in 0..SNAPSHOT_RUNS {
        raw.execute(&delete).await?;
        let started = Instant::now();
        let body = api.get(coordinator, "/api/v1/dashboard", &[]).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        dashboard_size(&body, "coordination")?;
    }
    let method = format!(
        "each run deleted the `report_snapshots` row `{}` first, so the request computed it",
        sathi_server::coordination::SNAPSHOT_KIND
    );
    Ok((times, method))
}

async fn send(api: &Api, operation: &Operation<'_>) -> anyhow::Result<Value> {
    api.send(
        operation.method.clone(),
        operation.session,
        operation.path,
        &operation.query,
        operation.body.clone(),
    )
    .await
}

async fn measure_operation(api: &Api, args: &Args, operation: &Operation<'_>) -> anyhow::Result<Measured> {
    let time_limit = Duration::from_secs(args.operation_seconds);
    let first = send(api, operation).await?;
    let size = (operation.check)(&first).with_context(|| format!("{} returned {first}", operation.name))?;
    let started = Instant::now();
    for _ in 1..args.warmup {
        if started.elapsed() > time_limit / 4 {
            break;
        }
        send(api, operation).await?;
    }
    let mut times = Vec::with_capacity(args.requests);
    let mut cut_short = false;
    let started = Instant::now();
    for _ in 0..args.requests {
        if started.elapsed() > time_limit {
            cut_short = true;
            break;
        }
        let request_started = Instant::now();
        send(api, operation).await?;
        times.push(request_started.elapsed());
    }
    Ok(Measured {
        operation: operation.name.clone(),
        caller: operation.session.username.clone(),
        http: Summary::of(&times),
        size,
        target_p95_ms: operation.target_p95_ms,
        cut_short,
    })
}

/// Runs each operation on a server that logs every statement, and reads the slowest statements
/// of each from the log, with the plan of the slowest.
async fn diagnose(
    server: &ServerProcess,
    url: &str,
    operations: &[Operation<'_>],
) -> anyhow::Result<Vec<Diagnosis>> {
    let api = Api { http: reqwest::Client::new(), base_url: server.base_url.clone() };
    let mut diagnoses = Vec::new();
    for operation in operations {
        send(&api, operation).await?;
        let offset = std::fs::metadata(&server.log_path)?.len();
        for _ in 0..DIAGNOSTIC_REQUESTS {
            send(&api, operation).await?;
        }
        // The server writes each statement's line when the statement ends, before it responds.
        let log = std::fs::read(&server.log_path)?;
        let lines = String::from_utf8_lossy(&log[offset as usize..]).into_owned();
        let mut statements = statement_times(&lines);
        let statement_count = statements.iter().map(|statement| statement.per_request).sum();
        let statement_ms = statements.iter().map(|statement| statement.ms_per_request).sum();
        statements.truncate(SLOWEST_STATEMENTS);
        let plan = match statements.first() {
            Some(slowest) => match explain_generic(url, &slowest.sql).await {
                Ok(plan) => plan,
                Err(error) => vec![format!("no plan: {error:#}")],
            },
            None => vec!["no statement was logged".to_owned()],
        };
        diagnoses.push(Diagnosis {
            operation: operation.name.clone(),
            statements,
            statement_count,
            statement_ms,
            plan,
        });
    }
    Ok(diagnoses)
}

/// Sums the logged statements of [`DIAGNOSTIC_REQUESTS`] requests by SQL text, slowest first.
fn statement_times(log: &str) -> Vec<StatementTime> {
    let mut by_sql: HashMap<String, (usize, f64, f64)> = HashMap::new();
    for line in log.lines() {
        let Ok(event) = serde_json::from_str::<Value>(line) else { continue };
        let fields = &event["fields"];
        let Some(seconds) = fields["elapsed_secs"].as_f64() else { continue };
        // sqlx puts the first words in `summary` and the whole statement, when longer, in
        // `db.statement`.
        let statement = fields["db.statement"].as_str().map(str::trim).filter(|sql| !sql.is_empty());
        let Some(sql) = statement.or_else(|| fields["summary"].as_str()) else { continue };
        // A new pooled connection's settings are not part of any request's work.
        if sql.starts_with("PRAGMA") {
            continue;
        }
        let entry = by_sql.entry(sql.to_owned()).or_insert((0, 0.0, 0.0));
        entry.0 += 1;
        entry.1 += seconds * 1000.0;
        entry.2 = entry.2.max(seconds * 1000.0);
    }
    let requests = DIAGNOSTIC_REQUESTS as f64;
    let mut statements: Vec<StatementTime> = by_sql
        .into_iter()
        .map(|(sql, (count, total_ms, max_ms))| StatementTime {
            sql,
            per_request: count as f64 / requests,
            ms_per_request: total_ms / requests,
            max_ms,
        })
        .collect();
    statements.sort_by(|a, b| b.ms_per_request.total_cmp(&a.ms_per_request));
    statements
}

/// Returns the plan the database chooses for `sql` whatever its parameters' values.
async fn explain_generic(url: &str, sql: &str) -> anyhow::Result<Vec<String>> {
    if crate::is_postgres(url) {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        let parameters = highest_parameter(sql);
        let nulls = vec!["NULL"; parameters].join(", ");
        let execute = if parameters == 0 {
            "EXPLAIN EXECUTE bench_plan".to_owned()
        } else {
            format!("EXPLAIN EXECUTE bench_plan({nulls})")
        };
        sqlx::raw_sql("SET plan_cache_mode = force_generic_plan").execute(&mut connection).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PREPARE bench_plan AS {sql}")))
            .execute(&mut connection)
            .await
            .context("PREPARE failed")?;
        let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(execute)).fetch_all(&mut connection).await?;
        connection.close().await?;
        return rows.iter().map(|row| Ok(row.try_get::<String, _>(0)?)).collect();
    }
    let mut connection = sqlx::SqliteConnection::connect(url).await?;
    // Unbound parameters are NULL, and SQLite's plan does not depend on their values without
    // statistics, which the store never gathers.
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
        .fetch_all(&mut connection)
        .await?;
    connection.close().await?;
    rows.iter().map(|row| Ok(row.try_get::<String, _>("detail")?)).collect()
}

/// Returns the highest `$n` placeholder in PostgreSQL SQL.
fn highest_parameter(sql: &str) -> usize {
    let mut highest = 0;
    let mut rest = sql;
    while let Some(position) = rest.find('$') {
        rest = &rest[position + 1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(number) = digits.parse::<usize>() {
            highest = highest.max(number);
        }
    }
    highest
}

fn shorten(sql: &str, length: usize) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= length {
        return flat;
    }
    let cut: String = flat.chars().take(length).collect();
    format!("{cut} …")
}

/// Renders the reports benchmark's section, between its markers.
pub fn render(environment: &Environment, args: &Args, results: &[ReportsResult]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str(report::REPORTS_SECTION.begin);
    out.push_str("\n## Dashboards and reports\n\n");
    out.push_str(
        "Written by `scripts/bench --reports` (`crates/sathi-bench/src/reports.rs`). The database holds the \
         synthetic deployment described at the top of this page, plus one agency manager (`agency_admin`) per \
         agency and one information management officer. The seeder also records casework: of the cases open \
         for at least a day (until closure or now), 80% have a completed assessment, 0 to 7 days after \
         registration or, for a quarter of them, 8 to 28 days. Three quarters of those have an approved case \
         plan 3 to 30 days after the assessment. Registration dates run evenly from 25 August 2017 to \
         yesterday, so the last 12 months hold about a tenth of the cases. As in the casework benchmark, \
         `sathi serve` builds every case's due items before it answers, so the task panels read real rows.\n\n",
    );
    out.push_str(
        "Callers: the first caseworker; the supervisor of the first group (10 caseworkers, including that \
         caseworker); the manager of their agency; the information management officer, whose figures span \
         every agency and come from the coordination snapshot. The pivot table and the monthly report are \
         requested by the information management officer, so their small counts are suppressed. The \
         snapshot's computation is timed apart from the dashboard that reads it.\n\n",
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
         scripts/bench --reports --cases {}\n```\n",
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
    let _ = write!(out, "| Every dashboard, HTTP p95 < {DASHBOARD_TARGET_MS:.0} ms | ");
    for result in results {
        let worst = result
            .measured
            .iter()
            .filter(|measured| measured.target_p95_ms.is_some())
            .map(|measured| measured.http.p95_ms)
            .fold(None, |worst: Option<f64>, p95| Some(worst.map_or(p95, |worst| worst.max(p95))));
        match worst {
            Some(p95) => {
                let _ =
                    write!(out, "{p95:.1} ms (slowest): {} | ", report::verdict(p95, DASHBOARD_TARGET_MS));
            }
            None => out.push_str("not measured | "),
        }
    }
    out.push_str("\n\n");
    if results.is_empty() {
        out.push_str("No backend was measured in this run.\n\n");
    }

    for result in results {
        let sizes = &result.sizes;
        let _ = writeln!(out, "### {}\n", result.backend);
        let _ = writeln!(
            out,
            "- Seeded in {:.0} s; database size before the due items were built {:.0} MiB. The server started in \
             {:.0} s, building {} `case_tasks` rows.",
            result.seed_seconds,
            result.database_bytes as f64 / 1024.0 / 1024.0,
            result.start_seconds,
            sizes.task_rows
        );
        let _ = writeln!(
            out,
            "- Data: {} cases, {} open; {} with a closure date, {} with a completed assessment, {} with an \
             approved case plan; {} referrals. The caseworker owns {} open cases, the supervisor's group {}, \
             and the manager's agency owns {} cases.",
            sizes.cases,
            sizes.open,
            sizes.closed,
            sizes.assessed,
            sizes.plan_approved,
            sizes.referrals,
            sizes.caseworker_open,
            sizes.group_open,
            sizes.agency_cases
        );
        let snapshot: Vec<String> = result.snapshot_ms.iter().map(|ms| format!("{ms:.0}")).collect();
        let _ = writeln!(
            out,
            "- Coordination snapshot, from the request to the response of the dashboard that computes it: {} ms \
             ({}).",
            snapshot.join(", "),
            result.snapshot_method
        );
        let _ = writeln!(
            out,
            "- Load average (1, 5, 15 min) before the measurements: {}; after them: {}.\n",
            result.load_average_before, result.load_average_after
        );
        out.push_str("| Operation | Caller | Response | Requests | HTTP p50 | HTTP p95 | HTTP max | Target HTTP p95 | Met |\n");
        out.push_str("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for measured in &result.measured {
            let short = if measured.cut_short { " (time limit)" } else { "" };
            let (target, met) = match measured.target_p95_ms {
                Some(target) => (format!("< {target:.0}"), report::verdict(measured.http.p95_ms, target)),
                None => ("none".to_owned(), "n/a"),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}{short} | {:.1} | {:.1} | {:.1} | {target} | {met} |",
                measured.operation,
                measured.caller,
                measured.size,
                measured.http.count,
                measured.http.p50_ms,
                measured.http.p95_ms,
                measured.http.max_ms
            );
        }
        let _ = writeln!(
            out,
            "\nSlowest SQL statements of each operation, from a restarted server that logged every statement \
             (`SATHI_LOG={STATEMENT_LOG_FILTER}`) over {DIAGNOSTIC_REQUESTS} requests after one unlogged request. \
             Logging adds to the times, and the plans are generic (see `reports.rs`).\n"
        );
        out.push_str("<details><summary>Statements and plans</summary>\n\n");
        for diagnosis in &result.diagnoses {
            let _ = writeln!(
                out,
                "{}: {:.1} statements per request taking {:.1} ms in all.\n",
                diagnosis.operation, diagnosis.statement_count, diagnosis.statement_ms
            );
            for statement in &diagnosis.statements {
                let _ = writeln!(
                    out,
                    "- {:.1} ms per request ({:.1} runs, max {:.1} ms): `{}`",
                    statement.ms_per_request,
                    statement.per_request,
                    statement.max_ms,
                    shorten(&statement.sql, 160).replace('`', "'")
                );
            }
            if let Some(slowest) = diagnosis.statements.first() {
                let _ = writeln!(
                    out,
                    "\nThe slowest statement and its plan:\n\n```sql\n{}\n```\n\n```\n{}\n```\n",
                    slowest.sql.trim(),
                    diagnosis.plan.join("\n")
                );
            }
        }
        out.push_str("</details>\n\n");
    }
    out.push_str(report::REPORTS_SECTION.end);
    out
}
