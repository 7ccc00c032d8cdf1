//! The import benchmark: a generated caseload CSV of 10,000, 50,000 and 100,000 rows through
//! the real `sathi serve` over HTTP, uploaded, checked (dry run) and imported, with rows per
//! second and the server's peak memory for each size.
//!
//! Each size gets a fresh database and a fresh server process, so the peak resident set
//! (`VmHWM`) of each run covers that import alone and the sizes can be compared. Memory that
//! stays the same as the file grows is memory that does not depend on the file.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::Args;
use crate::report::{self, Environment};
use crate::server::ServerProcess;

/// Target of the run, in rows per second.
pub const ROWS_PER_SECOND_TARGET: f64 = 2_000.0;

const PASSWORD: &str = "benchmark import password";
const ADMIN: &str = "admin.import";
const OWNER: &str = "cw.import";
const AGENCY: &str = "lli";

/// Every 100th row has an error: a date that does not exist.
const BAD_ROW_EVERY: usize = 100;

/// How long one job may run before the benchmark gives up.
const JOB_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// One measured import.
pub struct ImportResult {
    pub backend: &'static str,
    pub rows: usize,
    pub file_bytes: usize,
    pub upload_seconds: f64,
    pub dry_run_seconds: f64,
    pub run_seconds: f64,
    pub created: i64,
    pub rejected: i64,
    pub rss_before_kib: u64,
    pub peak_rss_kib: u64,
}

/// Runs the import benchmark on SQLite and, with `--postgres-url`, on PostgreSQL, and writes
/// its section of the results page.
pub async fn run(
    args: &Args,
    sathi: &Path,
    work_dir: &Path,
    environment: &Environment,
) -> anyhow::Result<()> {
    let mut results = Vec::new();
    for &rows in &args.import_rows {
        if !args.skip_sqlite {
            let directory = work_dir.join(format!("import-sqlite-{rows}"));
            if directory.exists() {
                std::fs::remove_dir_all(&directory)?;
            }
            std::fs::create_dir_all(&directory)?;
            let url = format!("sqlite://{}", directory.join("sathi.db").display());
            eprintln!("SQLite: import of {rows} rows");
            results.push(measure("SQLite", &url, rows, sathi, work_dir).await?);
            if !args.keep {
                std::fs::remove_dir_all(&directory)?;
            }
        }
        if let Some(admin_url) = &args.postgres_url {
            let name = format!("sathi_bench_import_{}_{rows}", std::process::id());
            let url = crate::create_postgres_database(admin_url, &name).await?;
            eprintln!("PostgreSQL: import of {rows} rows");
            let outcome = measure("PostgreSQL", &url, rows, sathi, work_dir).await;
            if !args.keep {
                crate::drop_postgres_database(admin_url, &name).await?;
            }
            results.push(outcome?);
        }
    }

    let section = render(environment, &results);
    let previous = std::fs::read_to_string(&args.output).unwrap_or_default();
    let page = report::with_section(&previous, &report::IMPORT_SECTION, &section);
    std::fs::write(&args.output, page).with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("wrote {}", args.output.display());
    Ok(())
}

/// Creates the two users on a fresh database, starts the server and imports `rows` rows.
async fn measure(
    backend: &'static str,
    url: &str,
    rows: usize,
    sathi: &Path,
    work_dir: &Path,
) -> anyhow::Result<ImportResult> {
    create_users(url).await?;
    let log_path = work_dir.join(format!("server-import-{}-{rows}.log", backend.to_lowercase()));
    let server = ServerProcess::start(sathi, url, &log_path).await?;
    let outcome = import(&server, backend, rows).await;
    let stopped = server.stop().await;
    let result = outcome?;
    stopped?;
    Ok(result)
}

async fn create_users(url: &str) -> anyhow::Result<()> {
    let store = sathi_store::open(url).await.with_context(|| format!("cannot open the store at {url}"))?;
    let state = sathi_server::state(store, sathi_server::state::Settings::default()).await?;
    for (username, role) in [(ADMIN, "agency_admin"), (OWNER, "caseworker")] {
        let request = sathi_server::users::CreateUserRequest {
            username: username.to_owned(),
            full_name: format!("Benchmark user {username}"),
            agency_id: AGENCY.to_owned(),
            role_id: role.to_owned(),
            locale: Some("en".to_owned()),
            password: SecretString::from(PASSWORD),
        };
        sathi_server::users::add_user(&state, request)
            .await
            .map_err(|error| anyhow::anyhow!("cannot create {username}: {}", error.code))?;
    }
    Ok(())
}

async fn import(server: &ServerProcess, backend: &'static str, rows: usize) -> anyhow::Result<ImportResult> {
    let client = reqwest::Client::new();
    let session = crate::measure::login(&server.base_url, ADMIN, PASSWORD, Vec::new()).await?;
    let api = |path: &str| format!("{}/api/v1{path}", server.base_url);
    let bearer = format!("Bearer {}", session.token);
    let file = caseload_csv(rows);
    let rss_before_kib = server.memory_kib("VmRSS")?;

    let started = Instant::now();
    let response = client
        .post(api("/imports"))
        .query(&[("format", "csv"), ("file_name", "caseload.csv")])
        .header("authorization", &bearer)
        .body(file.clone())
        .send()
        .await?;
    let status = response.status();
    let uploaded: Value = response.json().await?;
    ensure!(status.is_success(), "the upload failed with {status}: {uploaded}");
    let upload_seconds = started.elapsed().as_secs_f64();
    let id = uploaded["id"].as_str().context("the upload returned no id")?.to_owned();
    ensure!(uploaded["progress"]["rows_total"] == json!(rows), "the server counted other rows: {uploaded}");

    let mapping = json!({
        "date_format": "dd/mm/yyyy",
        "columns": [
            {"column": "name_bn", "field": "name_first"},
            {"column": "name_en", "field": "name_other_spellings"},
            {"column": "sex", "field": "sex"},
            {"column": "age", "field": "age"},
            {"column": "date_of_birth", "field": "date_of_birth"},
            {"column": "household_size", "field": "household_size"},
            {"column": "phone", "field": "phone"},
            {"column": "camp", "field": "location_current"},
            {"column": "risk", "field": "risk_level"},
            {"column": "concerns", "field": "protection_concerns"}
        ],
        "external_id_column": "case_ref",
        "owner": OWNER
    });
    let mut seconds = Vec::new();
    for job in ["dry-run", "run"] {
        let started = Instant::now();
        let response = client
            .post(api(&format!("/imports/{id}/{job}")))
            .header("authorization", &bearer)
            .json(&json!({ "mapping": mapping }))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        ensure!(status.is_success(), "starting the {job} failed with {status}: {body}");
        let done = wait(&client, &api(&format!("/imports/{id}")), &bearer).await?;
        seconds.push((started.elapsed().as_secs_f64(), done));
        eprintln!("  {job}: {:.1} s", seconds.last().map_or(0.0, |(seconds, _)| *seconds));
    }
    let (run_seconds, done) = seconds.pop().context("the run was not measured")?;
    let (dry_run_seconds, _) = seconds.pop().context("the dry run was not measured")?;
    let summary = &done["summary"];
    let rejected = summary["rejected"].as_i64().unwrap_or(-1);
    let expected_rejected = (rows / BAD_ROW_EVERY) as i64;
    ensure!(rejected == expected_rejected, "expected {expected_rejected} rejected rows: {done}");
    Ok(ImportResult {
        backend,
        rows,
        file_bytes: file.len(),
        upload_seconds,
        dry_run_seconds,
        run_seconds,
        created: summary["created"].as_i64().unwrap_or(-1),
        rejected,
        rss_before_kib,
        peak_rss_kib: server.memory_kib("VmHWM")?,
    })
}

/// Polls an import until its job has ended, and returns it.
async fn wait(client: &reqwest::Client, url: &str, bearer: &str) -> anyhow::Result<Value> {
    let started = Instant::now();
    while started.elapsed() < JOB_TIMEOUT {
        let import: Value = client.get(url).header("authorization", bearer).send().await?.json().await?;
        match import["state"].as_str() {
            Some("dry_run_done" | "done") => return Ok(import),
            Some("failed") => bail!("the import failed: {import}"),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
    bail!("the import did not finish within {JOB_TIMEOUT:?}")
}

/// Generates a caseload CSV like an agency's spreadsheet. It has a byte order mark, Bangla and
/// Latin names, dd/mm/yyyy dates (every third in Bengali digits), lookup labels in both
/// languages and camp names, and every 100th row has a date that does not exist.
pub fn caseload_csv(rows: usize) -> Vec<u8> {
    const FIRST: [&str; 8] = ["রুমানা", "আরিফ", "মিতু", "তানভীর", "নাসরিন", "জাহিদ", "শাপলা", "ফাতেমা"];
    const LAST: [&str; 6] = ["আক্তার", "হোসেন", "রানী দাস", "আলম", "সুলতানা", "করিম"];
    const LATIN: [&str; 8] = ["Rumana", "Arif", "Mitu", "Tanvir", "Nasrin", "Zahid", "Shapla", "Fatema"];
    const SEX: [&str; 4] = ["female", "Male", "মহিলা", "পুরুষ"];
    const CAMPS: [&str; 4] = ["Camp 1E", "Camp 1W", "ক্যাম্প ২ পূর্ব", "BD-CTG-CXB-UKH-C03"];
    const RISK: [&str; 3] = ["high", "Medium", "নিম্ন"];
    const CONCERNS: [&str; 3] = ["separated", "child_labour; Neglect", "শিশুশ্রম"];
    let mut out = String::from(
        "\u{feff}case_ref,name_bn,name_en,sex,age,date_of_birth,household_size,phone,camp,risk,concerns\n",
    );
    for index in 0..rows {
        let age = 1 + index % 17;
        let year = 2024 - age;
        let day = 1 + index % 28;
        let month = 1 + index % 12;
        let mut date = format!("{day:02}/{month:02}/{year}");
        if index % BAD_ROW_EVERY == BAD_ROW_EVERY - 1 {
            date = format!("31/02/{year}");
        }
        let mut household = (2 + index % 9).to_string();
        let mut phone = format!("017{:08}", index);
        if index % 3 == 0 {
            date = sathi_domain::i18n::to_bengali_digits(&date);
            household = sathi_domain::i18n::to_bengali_digits(&household);
            phone = sathi_domain::i18n::to_bengali_digits(&phone);
        }
        let name = format!("{} {}", FIRST[index % FIRST.len()], LAST[index % LAST.len()]);
        let latin = format!("{} {index}", LATIN[index % LATIN.len()]);
        out.push_str(&format!(
            "IMP-{index:06},{name},{latin},{},{age},{date},{household},{phone},{},{},\"{}\"\n",
            SEX[index % SEX.len()],
            CAMPS[index % CAMPS.len()],
            RISK[index % RISK.len()],
            CONCERNS[index % CONCERNS.len()],
        ));
    }
    out.into_bytes()
}

/// Renders the import benchmark's section, between its markers.
pub fn render(environment: &Environment, results: &[ImportResult]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str(report::IMPORT_SECTION.begin);
    out.push_str("\n## Case import\n\n");
    out.push_str(
        "Written by `scripts/bench --import` (`crates/sathi-bench/src/imports.rs`). A generated caseload CSV \
         goes through the real `sathi serve` over HTTP: `POST /imports`, the dry run, then the run, polling \
         `GET /imports/{id}` every 250 ms. The file has a byte order mark, Bangla names and their Latin spelling, \
         sex, risk level and concerns as option ids or labels in either language, dd/mm/yyyy dates (every third \
         row with Bengali digits) and camps by name or code. Every 100th row has the date 31 February. Every row is validated like a case \
         typed in the app, and the run creates every valid row as a new case, with its change log, search words \
         and due items, 500 rows per transaction. Each size runs on a fresh database and a fresh server \
         process, so the peak resident set (`VmHWM` of `/proc`) covers that import alone. The job reads the \
         file and writes the cases in batches of 500 rows, and asks the database which earlier rows named a \
         batch's ids, so nothing it keeps grows with the file.\n\n",
    );
    let _ = writeln!(
        out,
        "- Date: {}; commit {}; {} CPUs ({}), {} memory; `{}` build.\n",
        environment.date,
        environment.commit,
        environment.cpus,
        environment.cpu_model,
        environment.memory,
        environment.profile
    );
    out.push_str("Reproduce:\n\n```sh\nSATHI_BENCH_DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres scripts/bench --import\n```\n\n");
    table(&mut out, results);
    out.push('\n');
    out.push_str(report::IMPORT_SECTION.end);
    out
}

/// Appends the table of results, one line per backend and size.
fn table(out: &mut String, results: &[ImportResult]) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "| Backend | Rows | File | Upload (s) | Dry run (s) | Dry run rows/s | Run (s) | Run rows/s (target ≥ {ROWS_PER_SECOND_TARGET:.0}) | Created | Rejected | RSS before (MiB) | Peak RSS (MiB) |"
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for result in results {
        let per_second = |seconds: f64| result.rows as f64 / seconds.max(0.001);
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} MiB | {:.1} | {:.1} | {:.0} | {:.1} | {:.0} | {} | {} | {:.0} | {:.0} |",
            result.backend,
            result.rows,
            result.file_bytes as f64 / 1024.0 / 1024.0,
            result.upload_seconds,
            result.dry_run_seconds,
            per_second(result.dry_run_seconds),
            result.run_seconds,
            per_second(result.run_seconds),
            result.created,
            result.rejected,
            result.rss_before_kib as f64 / 1024.0,
            result.peak_rss_kib as f64 / 1024.0,
        );
    }
}
