//! The Markdown page of results: machine, build, data, and one table per backend.

use std::fmt::Write;
use std::path::Path;

use crate::measure::Measurement;
use crate::{Args, BackendResult, RSS_TARGET_MIB};

/// The machine and build a run happened on.
pub struct Environment {
    pub date: String,
    pub commit: String,
    pub cpus: usize,
    pub cpu_model: String,
    pub memory: String,
    pub profile: &'static str,
    pub sathi: String,
}

impl Environment {
    pub fn read(_args: &Args, sathi: &Path) -> Environment {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':').map(|(_, model)| model.trim()))
            .unwrap_or("unknown")
            .to_owned();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or("unknown".to_owned(), |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0));
        Environment {
            date: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            commit: git_commit(),
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            cpu_model,
            memory,
            profile: if cfg!(debug_assertions) { "debug" } else { "release" },
            sathi: sathi.display().to_string(),
        }
    }
}

fn git_commit() -> String {
    let output = |arguments: &[&str]| {
        std::process::Command::new("git")
            .args(arguments)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    match output(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => {
            let dirty =
                output(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
            if dirty { format!("{commit} with uncommitted changes in the working tree") } else { commit }
        }
        None => "unknown (not a git checkout)".to_owned(),
    }
}

/// The 1, 5 and 15 minute load averages of `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

pub fn verdict(value: f64, target: f64) -> &'static str {
    if value < target { "yes" } else { "**no**" }
}

fn role_name(role: &str) -> &str {
    match role {
        "caseworker" => "caseworker (own cases)",
        "supervisor" => "supervisor (group of 10 caseworkers)",
        other => other,
    }
}

fn measurement_row(out: &mut String, measurement: &Measurement) {
    let http = &measurement.http;
    let sql = &measurement.sql;
    let (target, met) = match measurement.target_p95_ms {
        Some(target) => (format!("< {target:.0}"), verdict(http.p95_ms, target).to_owned()),
        None => ("none".to_owned(), "n/a".to_owned()),
    };
    let matched = measurement.matched.map_or("".to_owned(), |matched| matched.to_string());
    let short = if measurement.cut_short { " (time limit)" } else { "" };
    let _ = writeln!(
        out,
        "| {} | {} | {}{short} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {target} | {met} |",
        measurement.operation,
        role_name(&measurement.role),
        http.count,
        matched,
        http.p50_ms,
        http.p95_ms,
        http.max_ms,
        sql.p50_ms,
        sql.p95_ms,
        sql.max_ms,
        http.p50_ms - sql.p50_ms,
    );
}

fn backend_section(out: &mut String, result: &BackendResult, args: &Args) {
    let _ = writeln!(out, "## {}\n", result.backend);
    let _ = writeln!(
        out,
        "Seeded {} cases, {} users and {} groups in {:.0} s ({:.0} cases/s). Database size after seeding: {:.0} MiB.\n",
        result.seed.cases,
        result.seed.users,
        result.seed.groups,
        result.seed.seconds,
        result.seed.cases as f64 / result.seed.seconds.max(0.001),
        result.database_bytes as f64 / 1024.0 / 1024.0,
    );
    let _ = writeln!(
        out,
        "Load average (1, 5, 15 min) before the measurements: {}; after the mixed load: {}.\n",
        result.load_average_before, result.load_average_after
    );
    let _ = writeln!(
        out,
        "Up to {} measured requests per operation after {} warm-up requests, and at most {} s per \
         operation: \"Requests\" is the number measured, marked \"(time limit)\" where the limit \
         ended the loop first. Times in ms. \"Matched\" is the median `total` of the list responses. \"Overhead\" is HTTP p50 minus SQL p50: the time Sathi \
         adds to the store's SQL (authentication queries, the audit log insert, JSON, HTTP).\n",
        args.requests, args.warmup, args.operation_seconds
    );
    out.push_str(
        "| Operation | Caller | Requests | Matched | HTTP p50 | HTTP p95 | HTTP max | SQL p50 | SQL p95 | SQL max | Overhead p50 | Target HTTP p95 | Met |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for measurement in &result.measurements {
        measurement_row(out, measurement);
    }

    let peak_mib = result.peak_rss_kib as f64 / 1024.0;
    let load = &result.load;
    let _ = writeln!(
        out,
        "\nMixed load: {} concurrent clients (three caseworkers to one supervisor) for {:.0} s: {} requests \
         ({:.0} per second), {} failed. Caseworkers send 40% lists, 25% name searches, 25% case reads and \
         10% creates. Supervisors may not create, so they send lists, searches and reads in the same \
         proportions.\n",
        load.clients,
        load.seconds,
        load.requests,
        load.requests as f64 / load.seconds.max(0.001),
        load.failures
    );
    out.push_str("| Under load | Requests | p50 | p95 | max |\n|---|---:|---:|---:|---:|\n");
    for (kind, summary) in &load.kinds {
        let _ = writeln!(
            out,
            "| {kind} | {} | {:.1} | {:.1} | {:.1} |",
            summary.count, summary.p50_ms, summary.p95_ms, summary.max_ms
        );
    }
    let _ = writeln!(
        out,
        "\nServer memory: {:.0} MiB resident before the mixed load, peak (VmHWM) {:.0} MiB after it; \
         target < {RSS_TARGET_MIB:.0} MiB: {}.\n",
        result.rss_before_load_kib as f64 / 1024.0,
        peak_mib,
        if peak_mib < RSS_TARGET_MIB { "met" } else { "**not met**" }
    );

    out.push_str("<details><summary>Query plans of the measured SQL</summary>\n\n");
    for (what, plan) in &result.plans {
        let _ = writeln!(out, "{what}:\n\n```\n{}\n```\n", plan.join("\n"));
    }
    out.push_str("</details>\n\n");
}

/// Formats one backend's result against one target, for the summary table.
type TargetValue = dyn Fn(&BackendResult) -> String;

/// Renders the whole page.
pub fn render(environment: &Environment, args: &Args, results: &[BackendResult]) -> String {
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n");
    out.push_str(
        "Server benchmarks are on this page. The web client's (first-load size, unlock, case list, \
         search and opening a case with 5,000 cases on the phone) are in \
         [benchmarks-web.md](benchmarks-web.md), written by `scripts/bench-web`.\n\n",
    );
    out.push_str(
        "This page is written by `sathi-bench` (`crates/sathi-bench`); rerun it rather than editing it. \
         Each backend gets a fresh database with synthetic cases, then the real `sathi serve` process runs \
         on it and is measured over loopback HTTP. Beside every HTTP request the benchmark runs the store's \
         SQL for it directly with sqlx on its own connection, in the same loop, and checks that both find \
         the same number of cases. That SQL is the group members, scope, filters and the page with its \
         total, or the create transaction.\n\n",
    );
    out.push_str("## Run\n\n");
    let _ = writeln!(out, "- Date: {}", environment.date);
    let _ = writeln!(out, "- Commit: {}", environment.commit);
    let _ = writeln!(
        out,
        "- Machine: {} CPUs ({}), {} memory. Other builds and tests shared these CPUs during the run, so \
         the load averages below the tables matter when comparing runs.",
        environment.cpus, environment.cpu_model, environment.memory
    );
    let _ =
        writeln!(out, "- Build: `{}` profile, server binary `{}`", environment.profile, environment.sathi);
    let _ = writeln!(out, "- Cases: {}; data generator seed {}", args.cases, args.seed);
    out.push_str(
        "- Data: 15 agencies with 40 caseworkers each (about N/600 cases per caseworker, 85% of them in the \
         caseworker's home camp), 4 supervisors per agency whose group contains 10 caseworkers, 2 service \
         providers per agency; half the names in Bangla script and half in Latin script; 25% high risk; \
         20% of cases older than 90 days closed; 5% with a second caseworker assigned, 3% referred. Every \
         case passed the domain validator and its indexed columns come from `IndexedColumns::from_data`, \
         with the change log rows a create (and close) writes.\n",
    );
    out.push_str(
        "- SQLite is not analysed (the store never runs `ANALYZE`); PostgreSQL gets `VACUUM ANALYZE` after \
         seeding, as autovacuum would do on its own.\n\n",
    );
    out.push_str("Reproduce (PostgreSQL only when `SATHI_BENCH_DATABASE_URL` is set):\n\n");
    let _ = writeln!(
        out,
        "```sh\nSATHI_BENCH_DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres scripts/bench --cases {} --operation-seconds {}\n```\n",
        args.cases, args.operation_seconds
    );
    out.push_str("## Summary\n\n| Target | ");
    for result in results {
        let _ = write!(out, "{} | ", result.backend);
    }
    out.push_str("\n|---|");
    for _ in results {
        out.push_str("---|");
    }
    out.push('\n');
    let targets: [(&str, &TargetValue); 4] = [
        ("List page of 50, HTTP p95 < 30 ms", &|result| worst_p95(result, "List")),
        ("Name search, HTTP p95 < 50 ms", &|result| worst_p95(result, "Name search")),
        ("Create, HTTP p95 < 10 ms", &|result| worst_p95(result, "Create")),
        ("Peak server RSS under mixed load < 200 MiB", &|result| {
            let mib = result.peak_rss_kib as f64 / 1024.0;
            format!("{mib:.0} MiB: {}", verdict(mib, RSS_TARGET_MIB))
        }),
    ];
    for (target, value) in targets {
        let _ = write!(out, "| {target} | ");
        for result in results {
            let _ = write!(out, "{} | ", value(result));
        }
        out.push('\n');
    }
    out.push('\n');
    if results.is_empty() {
        out.push_str("No backend was measured in this run.\n");
    }
    for result in results {
        backend_section(&mut out, result, args);
    }
    out
}

/// The slowest p95 among the operations whose name starts with `prefix`, and whether it meets
/// the target.
fn worst_p95(result: &BackendResult, prefix: &str) -> String {
    let worst = result
        .measurements
        .iter()
        .filter(|measurement| measurement.operation.starts_with(prefix))
        .max_by(|a, b| a.http.p95_ms.total_cmp(&b.http.p95_ms));
    match worst {
        Some(measurement) => {
            let target = measurement.target_p95_ms.unwrap_or(f64::INFINITY);
            format!("{:.1} ms: {}", measurement.http.p95_ms, verdict(measurement.http.p95_ms, target))
        }
        None => "not measured".to_owned(),
    }
}

/// The comments that open and close a section of the results page that one mode of the
/// benchmark writes and the other modes keep as it is.
pub struct Markers {
    pub begin: &'static str,
    pub end: &'static str,
}

/// The section of `--sync` runs.
pub const SYNC_SECTION: Markers =
    Markers { begin: "<!-- sync benchmark: begin -->", end: "<!-- sync benchmark: end -->" };
/// The section of `--casework` runs.
pub const CASEWORK_SECTION: Markers =
    Markers { begin: "<!-- casework benchmark: begin -->", end: "<!-- casework benchmark: end -->" };

/// The section of `--reports` runs.
pub const REPORTS_SECTION: Markers =
    Markers { begin: "<!-- reports benchmark: begin -->", end: "<!-- reports benchmark: end -->" };

/// The section of `--import` runs.
pub const IMPORT_SECTION: Markers =
    Markers { begin: "<!-- import benchmark: begin -->", end: "<!-- import benchmark: end -->" };

/// Returns the section of a results page between `markers`, markers included, if it has one.
pub fn section_of<'a>(page: &'a str, markers: &Markers) -> Option<&'a str> {
    let start = page.find(markers.begin)?;
    let end = page[start..].find(markers.end)? + start + markers.end.len();
    Some(&page[start..end])
}

/// Returns `page` with its section between `markers` replaced by `section`, or with `section`
/// appended.
pub fn with_section(page: &str, markers: &Markers, section: &str) -> String {
    match section_of(page, markers) {
        Some(old) => page.replacen(old, section, 1),
        None if page.is_empty() => format!("# Benchmarks\n\n{section}\n"),
        None => format!("{}\n\n{section}\n", page.trim_end()),
    }
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Renders the sync benchmark's section, between its markers.
pub fn render_sync(
    environment: &Environment,
    args: &Args,
    cases: u64,
    results: &[crate::sync::SyncResult],
) -> String {
    use crate::sync::{CONCURRENT_SYNC_TARGET_MS, FIRST_SYNC_TARGET_BYTES, ROUND_TRIP_TARGET_BYTES};
    let mut out = String::new();
    out.push_str(SYNC_SECTION.begin);
    out.push_str("\n## Sync\n\n");
    out.push_str(
        "Written by `scripts/bench --sync` (`crates/sathi-bench/src/sync.rs`). The database holds \
         `--caseload` cases for each of the 600 caseworkers of the synthetic deployment described above. \
         Every sync is the real `POST /api/v1/sync` exchange of `docs/sync.md`, with 100 cases per response as \
         the web client asks. Bytes are counted by a loopback TCP relay between client and server, so they \
         include HTTP headers. The client offers zstd and gzip as a browser does, and the server answers with gzip. TLS, which a \
         real deployment adds, is not included.\n\n",
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
        "- Cases: {cases} ({} per caseworker); devices at once: {}; edit rounds: {}; seed {}.\n",
        args.caseload, args.sync_devices, args.sync_rounds, args.seed
    );
    out.push_str("Reproduce:\n\n```sh\nSATHI_BENCH_DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres scripts/bench --sync\n```\n\n");

    out.push_str("| Target | ");
    for result in results {
        let _ = write!(out, "{} | ", result.backend);
    }
    out.push_str("\n|---|");
    for _ in results {
        out.push_str("---|");
    }
    out.push('\n');
    let row = |out: &mut String, label: &str, value: &dyn Fn(&crate::sync::SyncResult) -> String| {
        let _ = write!(out, "| {label} | ");
        for result in results {
            let _ = write!(out, "{} | ", value(result));
        }
        out.push('\n');
    };
    row(&mut out, "First sync of one caseload with configuration, bytes on the wire < 1.5 MB", &|result| {
        let total = result.first.bytes_up + result.first.bytes_down;
        format!("{}: {}", kib(total), verdict(total as f64, FIRST_SYNC_TARGET_BYTES as f64))
    });
    row(&mut out, "One-field edit round trip, median bytes < 2 KiB", &|result| {
        let total = result.round_trip.median_up + result.round_trip.median_down;
        format!("{total} B: {}", verdict(total as f64, ROUND_TRIP_TARGET_BYTES as f64))
    });
    row(&mut out, "Devices syncing an edit at once, p95 < 1 s", &|result| {
        let p95 = result.concurrent.edit_sync.p95_ms;
        format!("{p95:.0} ms: {}", verdict(p95, CONCURRENT_SYNC_TARGET_MS))
    });
    out.push('\n');

    for result in results {
        let first = &result.first;
        let concurrent = &result.concurrent;
        let _ = writeln!(out, "### {}\n", result.backend);
        let _ = writeln!(
            out,
            "- First sync of {} cases: {} requests, {} sent and {} received, in {:.2} s over loopback \
             (at 384 kbit/s the bytes alone take {:.0} s).",
            first.cases,
            first.requests,
            kib(first.bytes_up),
            kib(first.bytes_down),
            first.seconds,
            (first.bytes_up + first.bytes_down) as f64 * 8.0 / 384_000.0
        );
        let _ = writeln!(
            out,
            "- The same records and configuration as uncompressed JSON: {}; zstd level 3: {}; zstd level 19: {}.",
            kib(first.json_bytes as u64),
            kib(first.zstd3_bytes as u64),
            kib(first.zstd19_bytes as u64)
        );
        let _ = writeln!(
            out,
            "- One-field edit round trip (one mutation sent, its result and the changed case received), \
             median of {}: {} B sent, {} B received; largest total {} B.",
            result.round_trip.samples,
            result.round_trip.median_up,
            result.round_trip.median_down,
            result.round_trip.max_total
        );
        let _ = writeln!(
            out,
            "- {} devices, each a different caseworker: first sync all at once p50 {:.0} ms, p95 {:.0} ms, \
             max {:.0} ms; then {} rounds of one edit each, all at once: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms \
             ({} exchanges).",
            concurrent.devices,
            concurrent.first_sync.p50_ms,
            concurrent.first_sync.p95_ms,
            concurrent.first_sync.max_ms,
            concurrent.rounds,
            concurrent.edit_sync.p50_ms,
            concurrent.edit_sync.p95_ms,
            concurrent.edit_sync.max_ms,
            concurrent.edit_sync.count
        );
        let _ = writeln!(
            out,
            "- Server during the concurrent phase: {:.0}% of one CPU on average; resident memory {:.0} MiB \
             before, peak {:.0} MiB.\n",
            concurrent.cpu_percent,
            concurrent.rss_before_kib as f64 / 1024.0,
            concurrent.peak_rss_kib as f64 / 1024.0
        );
    }
    out.push_str(SYNC_SECTION.end);
    out
}
