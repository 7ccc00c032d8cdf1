//! `sathi-bench`: seeds a synthetic deployment of N cases, runs the real `sathi serve` on it
//! and measures, per backend, request latency over loopback HTTP beside the same SQL run
//! directly, and the server's peak memory under a mixed load. Writes the results as Markdown.
//!
//! Run it through `scripts/bench`, which builds both binaries in release mode first.

mod casework;
mod imports;
mod measure;
mod rawsql;
mod report;
mod reports;
mod seed;
mod server;
mod sync;
mod synth;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use sqlx::Connection;
use time::OffsetDateTime;

use crate::measure::{LoadClient, Operation, Runner, Session};
use crate::rawsql::{ListFilter, RawDatabase};
use crate::synth::{BANGLA_SEARCH_WORDS, CaseFactory, LATIN_SEARCH_WORDS, Staff};

/// Targets of the benchmark, for the 95th percentile over HTTP, and for the peak RSS.
pub const LIST_TARGET_MS: f64 = 30.0;
pub const SEARCH_TARGET_MS: f64 = 50.0;
pub const CREATE_TARGET_MS: f64 = 10.0;
pub const RSS_TARGET_MIB: f64 = 200.0;

#[derive(Parser, Clone)]
#[command(
    name = "sathi-bench",
    about = "Measure Sathi on a large synthetic database, on SQLite and PostgreSQL"
)]
pub struct Args {
    /// Number of synthetic cases to seed.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: u64,
    /// A postgres:// URL of a role that may create databases. The benchmark creates its own
    /// database there (from template0, UTF8) and drops it at the end. Without it, only SQLite
    /// is measured.
    #[arg(long, env = "SATHI_BENCH_DATABASE_URL")]
    pub postgres_url: Option<String>,
    /// Measure PostgreSQL only.
    #[arg(long)]
    pub skip_sqlite: bool,
    /// The `sathi` binary to run; by default the one next to this binary.
    #[arg(long)]
    pub sathi_bin: Option<PathBuf>,
    /// Folder for the SQLite database and the server logs; a temporary folder by default.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Measured requests per operation, after the warm-up.
    #[arg(long, default_value_t = 300)]
    pub requests: usize,
    /// Unmeasured requests per operation before the measured ones.
    #[arg(long, default_value_t = 30)]
    pub warmup: usize,
    /// Longest time one operation's measured requests may take, in seconds, plus a quarter of
    /// it for the warm-up. A slow operation is measured on fewer requests, and the table says so.
    #[arg(long, default_value_t = 60)]
    pub operation_seconds: u64,
    /// Concurrent clients of the mixed load.
    #[arg(long, default_value_t = 8)]
    pub load_clients: usize,
    /// Duration of the mixed load, in seconds.
    #[arg(long, default_value_t = 20)]
    pub load_seconds: u64,
    /// Seed of the data generator, so a run can be repeated on the same data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Keep the databases and the work folder after the run.
    #[arg(long)]
    pub keep: bool,
    /// Run the sync benchmark instead of the server benchmark: a first sync of one caseload and
    /// a one-field edit counted on the wire, then `--sync-devices` devices syncing at once. It
    /// seeds `--caseload` cases per caseworker and ignores `--cases`.
    #[arg(long)]
    pub sync: bool,
    /// Cases each caseworker owns in the sync benchmark.
    #[arg(long, default_value_t = 500)]
    pub caseload: u64,
    /// Devices that sync at once in the sync benchmark, one caseworker each.
    #[arg(long, default_value_t = 200)]
    pub sync_devices: usize,
    /// Rounds in which every device sends one edit at the same moment.
    #[arg(long, default_value_t = 10)]
    pub sync_rounds: usize,
    /// Run the casework benchmark instead of the server benchmark: task lists, approval,
    /// referral and notification lists over `--cases` cases, the rebuild of every case's due
    /// items at server start, and the cost of the due items on a case write.
    #[arg(long, conflicts_with = "sync")]
    pub casework: bool,
    /// Run the reports benchmark instead of the server benchmark: the dashboard of a caseworker,
    /// a supervisor, an agency manager and the coordination role, the coordination snapshot's
    /// computation, a pivot table and the monthly report over `--cases` cases.
    #[arg(long, conflicts_with_all = ["sync", "casework"])]
    pub reports: bool,
    /// Run the import benchmark instead of the server benchmark: a generated caseload CSV of
    /// `--import-rows` rows uploaded, checked and imported through the real server, with rows per
    /// second and peak memory. Ignores `--cases`.
    #[arg(long, conflicts_with_all = ["sync", "casework", "reports"])]
    pub import: bool,
    /// Sizes of the import benchmark's files, in data rows, separated by commas.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000, 50_000, 100_000])]
    pub import_rows: Vec<usize>,
    /// Markdown file to write the results to.
    #[arg(long, default_value = "docs/benchmarks.md")]
    pub output: PathBuf,
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The results of one backend.
pub struct BackendResult {
    pub backend: &'static str,
    pub seed: seed::SeedReport,
    pub database_bytes: u64,
    pub measurements: Vec<measure::Measurement>,
    pub load: measure::LoadReport,
    pub rss_before_load_kib: u64,
    pub peak_rss_kib: u64,
    pub load_average_before: String,
    pub load_average_after: String,
    /// Query plans of the measured SQL: (what, plan lines).
    pub plans: Vec<(String, Vec<String>)>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let sathi = match &args.sathi_bin {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("sathi"),
    };
    anyhow::ensure!(
        sathi.is_file(),
        "{} does not exist; build it with cargo build --release -p sathi or pass --sathi-bin",
        sathi.display()
    );
    let work_dir = match &args.work_dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("sathi-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work_dir).with_context(|| format!("cannot create {}", work_dir.display()))?;
    let environment = report::Environment::read(&args, &sathi);
    if args.sync {
        return run_sync(&args, &sathi, &work_dir, &environment).await;
    }
    if args.casework {
        return casework::run(&args, &sathi, &work_dir, &environment).await;
    }
    if args.reports {
        return reports::run(&args, &sathi, &work_dir, &environment).await;
    }
    if args.import {
        return imports::run(&args, &sathi, &work_dir, &environment).await;
    }

    let mut results = Vec::new();
    if !args.skip_sqlite {
        eprintln!("SQLite: {} cases", args.cases);
        let directory = work_dir.join("sqlite");
        if directory.exists() {
            std::fs::remove_dir_all(&directory)?;
        }
        std::fs::create_dir_all(&directory)?;
        let url = format!("sqlite://{}", directory.join("sathi.db").display());
        results.push(run_backend("SQLite", &url, &args, &sathi, &work_dir).await?);
        if !args.keep {
            std::fs::remove_dir_all(&directory)?;
        }
    }
    if let Some(admin_url) = &args.postgres_url {
        eprintln!("PostgreSQL: {} cases", args.cases);
        let name = format!("sathi_bench_{}", std::process::id());
        let url = create_postgres_database(admin_url, &name).await?;
        let outcome = run_backend("PostgreSQL", &url, &args, &sathi, &work_dir).await;
        if !args.keep {
            drop_postgres_database(admin_url, &name).await?;
        }
        results.push(outcome?);
    }

    let mut markdown = report::render(&environment, &args, &results);
    // The sync, casework, reports and import sections come from `--sync`, `--casework`,
    // `--reports` and `--import` runs; a server run keeps the last of each.
    let previous = std::fs::read_to_string(&args.output).unwrap_or_default();
    for markers in
        [&report::SYNC_SECTION, &report::CASEWORK_SECTION, &report::REPORTS_SECTION, &report::IMPORT_SECTION]
    {
        if let Some(section) = report::section_of(&previous, markers) {
            markdown = report::with_section(&markdown, markers, section);
        }
    }
    if let Some(parent) = args.output.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&args.output, markdown)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("wrote {}", args.output.display());
    if !args.keep && args.work_dir.is_none() {
        let _ = std::fs::remove_dir_all(&work_dir);
    }
    Ok(())
}

async fn run_backend(
    backend: &'static str,
    url: &str,
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
) -> anyhow::Result<BackendResult> {
    let config = sathi_server::default_config::configuration();
    let staff = Staff::generate(&config, args.seed);

    eprintln!("  creating the schema, configuration and {} users", staff.all_members().count());
    let state = seed::prepare(url, &staff).await?;
    let group_ids = seed::group_ids(&state, &staff).await?;
    drop(state);
    eprintln!("  seeding {} cases", args.cases);
    let seconds = seed::seed_cases(url, &config, &staff, args.cases, args.seed, false).await?;
    let seed_report = seed::SeedReport {
        cases: args.cases,
        users: staff.all_members().count(),
        groups: staff.groups.len(),
        seconds,
    };
    eprintln!("  seeded in {seconds:.0} s");
    let database_bytes = database_size(url).await?;

    let log_path = work_dir.join(format!("server-{}.log", backend.to_lowercase()));
    let server = server::ServerProcess::start(sathi, url, &log_path).await?;
    let raw = RawDatabase::connect(url).await?;
    let outcome = measure_backend(&server, &raw, args, &config, &staff, &group_ids).await;
    raw.close().await;
    let stopped = server.stop().await;
    let (measurements, load, rss_before_load_kib, peak_rss_kib, averages, plans) = outcome?;
    stopped?;
    Ok(BackendResult {
        backend,
        seed: seed_report,
        database_bytes,
        measurements,
        load,
        rss_before_load_kib,
        peak_rss_kib,
        load_average_before: averages.0,
        load_average_after: averages.1,
        plans,
    })
}

type BackendMeasurements =
    (Vec<measure::Measurement>, measure::LoadReport, u64, u64, (String, String), Vec<(String, Vec<String>)>);

async fn measure_backend(
    server: &server::ServerProcess,
    raw: &RawDatabase,
    args: &Args,
    config: &sathi_domain::config::Configuration,
    staff: &Staff,
    group_ids: &[Vec<sathi_domain::ids::GroupId>],
) -> anyhow::Result<BackendMeasurements> {
    let load_average_before = report::load_average();
    let groups_of_supervisor =
        |index: usize| group_ids[index].iter().map(|group| group.0).collect::<Vec<_>>();
    let caseworker =
        measure::login(&server.base_url, &staff.caseworkers[0].username, seed::PASSWORD, Vec::new()).await?;
    let supervisor = measure::login(
        &server.base_url,
        &staff.supervisors[0].username,
        seed::PASSWORD,
        groups_of_supervisor(0),
    )
    .await?;

    let list_filters: Vec<ListFilter> = staff
        .upazilas
        .iter()
        .map(|upazila| ListFilter {
            status: Some("open"),
            risk_levels: vec!["high".to_owned()],
            location: Some(upazila.clone()),
            limit: 50,
            ..ListFilter::default()
        })
        .collect();
    let searches = |words: &[&str]| -> Vec<ListFilter> {
        words
            .iter()
            .map(|word| ListFilter { query: Some((*word).to_owned()), limit: 50, ..ListFilter::default() })
            .collect()
    };
    let bangla = searches(BANGLA_SEARCH_WORDS);
    let latin = searches(LATIN_SEARCH_WORDS);
    let now = OffsetDateTime::now_utc();
    let mut factory = CaseFactory::new(config, staff, 1, args.seed + 1, now);
    let today = sathi_domain::dates::today(now, config.deployment.utc_offset_minutes);
    let payloads: Vec<_> =
        (0..200).map(|_| factory.new_case_data(today, staff.caseworkers[0].home_camp)).collect();

    let runner = Runner {
        http: reqwest::Client::new(),
        base_url: server.base_url.clone(),
        raw,
        warmup: args.warmup,
        requests: args.requests,
        time_limit: Duration::from_secs(args.operation_seconds),
        config,
    };
    let plan: Vec<(&str, &Session, Operation, Option<f64>)> = vec![
        ("Trivial authenticated request (GET /me)", &caseworker, Operation::Me, None),
        ("Trivial authenticated request (GET /me)", &supervisor, Operation::Me, None),
        (
            "List page of 50: open, high risk, in an upazila",
            &caseworker,
            Operation::List(list_filters.clone()),
            Some(LIST_TARGET_MS),
        ),
        (
            "List page of 50: open, high risk, in an upazila",
            &supervisor,
            Operation::List(list_filters.clone()),
            Some(LIST_TARGET_MS),
        ),
        ("Name search, Bangla script", &caseworker, Operation::List(bangla.clone()), Some(SEARCH_TARGET_MS)),
        ("Name search, Latin script", &caseworker, Operation::List(latin.clone()), Some(SEARCH_TARGET_MS)),
        ("Name search, Bangla script", &supervisor, Operation::List(bangla.clone()), Some(SEARCH_TARGET_MS)),
        ("Name search, Latin script", &supervisor, Operation::List(latin.clone()), Some(SEARCH_TARGET_MS)),
        ("Create a case", &caseworker, Operation::Create(payloads.clone()), Some(CREATE_TARGET_MS)),
    ];
    // The query plans are read before the creates, whose new cases would sort first by
    // updated_at and make the page plans look faster than they were during the measurement.
    let (reads, creates) = plan.split_at(plan.len() - 1);
    let mut measurements = Vec::new();
    for (name, session, operation, target) in reads {
        eprintln!("  measuring {name} as {}", session.role_id);
        measurements.push(runner.measure(name, session, operation, *target).await?);
    }

    let mut plans = Vec::new();
    for (what, session, filter) in [
        ("List page, supervisor", &supervisor, &list_filters[0]),
        ("List page, caseworker", &caseworker, &list_filters[0]),
        ("Name search (Latin), supervisor", &supervisor, &latin[0]),
        ("Name search (Bangla), caseworker", &caseworker, &bangla[0]),
    ] {
        let members = raw.group_members(&session.scope).await?;
        let page = rawsql::list_statement(&session.scope, &members, filter);
        plans.push((format!("{what}: page and total"), raw.explain(&page).await?));
    }

    for (name, session, operation, target) in creates {
        eprintln!("  measuring {name} as {}", session.role_id);
        measurements.push(runner.measure(name, session, operation, *target).await?);
    }

    let rss_before_load_kib = server.memory_kib("VmRSS")?;
    eprintln!("  mixed load: {} clients for {} s", args.load_clients, args.load_seconds);
    let mut clients = Vec::new();
    let payloads = Arc::new(payloads);
    for index in 0..args.load_clients {
        // Every fourth client is a supervisor; the others are caseworkers of different teams.
        let session = if index % 4 == 3 {
            let supervisor_index = (index / 4) % staff.supervisors.len();
            let username = &staff.supervisors[supervisor_index].username;
            measure::login(&server.base_url, username, seed::PASSWORD, groups_of_supervisor(supervisor_index))
                .await?
        } else {
            let username = &staff.caseworkers[(index * 7) % staff.caseworkers.len()].username;
            measure::login(&server.base_url, username, seed::PASSWORD, Vec::new()).await?
        };
        let mut filters = list_filters.clone();
        filters.push(ListFilter { status: Some("open"), limit: 50, ..ListFilter::default() });
        filters.push(ListFilter {
            location: Some(staff.camps[index % staff.camps.len()][0].clone()),
            limit: 50,
            ..ListFilter::default()
        });
        let mut all_searches = bangla.clone();
        all_searches.extend(latin.iter().cloned());
        clients.push(LoadClient { session, filters, searches: all_searches, payloads: payloads.clone() });
    }
    let load =
        measure::mixed_load(&server.base_url, clients, Duration::from_secs(args.load_seconds), args.seed)
            .await;
    let peak_rss_kib = server.memory_kib("VmHWM")?;
    let load_average_after = report::load_average();
    Ok((
        measurements,
        load,
        rss_before_load_kib,
        peak_rss_kib,
        (load_average_before, load_average_after),
        plans,
    ))
}

/// Runs the sync benchmark on each backend and writes its section of the results page.
async fn run_sync(
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
    environment: &report::Environment,
) -> anyhow::Result<()> {
    let config = sathi_server::default_config::configuration();
    let staff = Staff::generate(&config, args.seed);
    let cases = args.caseload * staff.caseworkers.len() as u64;
    let usernames: Vec<String> = staff.caseworkers.iter().map(|member| member.username.clone()).collect();
    let mut results = Vec::new();
    let mut run = async |backend: &'static str, url: &str| -> anyhow::Result<()> {
        eprintln!("{backend}: sync benchmark over {cases} cases");
        seed::prepare(url, &staff).await?;
        seed::seed_cases(url, &config, &staff, cases, args.seed, false).await?;
        let log_path = work_dir.join(format!("server-sync-{}.log", backend.to_lowercase()));
        let server = server::ServerProcess::start(sathi, url, &log_path).await?;
        let outcome =
            sync::measure(backend, &server, &usernames, seed::PASSWORD, args.sync_devices, args.sync_rounds)
                .await;
        server.stop().await?;
        results.push(outcome?);
        Ok(())
    };
    if !args.skip_sqlite {
        let directory = work_dir.join("sqlite-sync");
        if directory.exists() {
            std::fs::remove_dir_all(&directory)?;
        }
        std::fs::create_dir_all(&directory)?;
        run("SQLite", &format!("sqlite://{}", directory.join("sathi.db").display())).await?;
        if !args.keep {
            std::fs::remove_dir_all(&directory)?;
        }
    }
    if let Some(admin_url) = &args.postgres_url {
        let name = format!("sathi_bench_sync_{}", std::process::id());
        let url = create_postgres_database(admin_url, &name).await?;
        let outcome = run("PostgreSQL", &url).await;
        if !args.keep {
            drop_postgres_database(admin_url, &name).await?;
        }
        outcome?;
    }
    let section = report::render_sync(environment, args, cases, &results);
    let page = std::fs::read_to_string(&args.output).unwrap_or_default();
    std::fs::write(&args.output, report::with_section(&page, &report::SYNC_SECTION, &section))
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("wrote the sync section of {}", args.output.display());
    Ok(())
}

/// Bytes the database takes: the SQLite file with its WAL, or `pg_database_size`.
async fn database_size(url: &str) -> anyhow::Result<u64> {
    if is_postgres(url) {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&mut connection)
            .await?;
        return Ok(size as u64);
    }
    let file = PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
    let mut total = 0;
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        total += std::fs::metadata(&path).map(|metadata| metadata.len()).unwrap_or(0);
    }
    Ok(total)
}

/// Returns `admin_url` with its database name replaced by `name`.
fn with_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let scheme_end = base.find("://").context("the PostgreSQL URL has no scheme")? + 3;
    let host_part = &base[scheme_end..];
    let prefix = match host_part.find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    Ok(match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    })
}

async fn create_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .with_context(|| "cannot connect to the PostgreSQL server of --postgres-url")?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut admin).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")))
        .execute(&mut admin)
        .await
        .with_context(|| format!("cannot create the database {name}; the role needs CREATEDB"))?;
    admin.close().await?;
    with_database(admin_url, name)
}

async fn drop_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let mut admin = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(())
}
