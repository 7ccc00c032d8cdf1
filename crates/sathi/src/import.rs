//! `sathi import`: imports a CSV, XLSX or incumbent JSON file from the command line, through the
//! same upload, dry run and run as `POST /api/v1/imports`, as the user named on the command line.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use sathi_domain::import::ImportFormat;
use sathi_server::imports::{self, UploadSource, job::JobFailure, report};
use sathi_server::state::AppState;
use sathi_store::{ImportId, ImportSummary, JobKind};

use crate::DatabaseArgs;

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The importing user: an active user whose role has the `import` grant, such as an
    /// agency administrator. Cases are created and updated within that user's scope.
    #[arg(long)]
    username: String,
    /// `csv`, `xlsx` or `incumbent_json`.
    #[arg(long)]
    format: String,
    /// A JSON file with the mapping: columns to fields, date format, id columns and owner
    /// (see docs/import.md).
    #[arg(long)]
    mapping: PathBuf,
    /// Check every row and report, without writing any case.
    #[arg(long)]
    dry_run: bool,
    /// Write the row-by-row report to this file: XLSX when it ends in `.xlsx`, else CSV.
    #[arg(long)]
    report: Option<PathBuf>,
    /// The file to import.
    file: PathBuf,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let format = ImportFormat::parse(args.format.trim())
        .with_context(|| format!("unknown format '{}': use csv, xlsx or incumbent_json", args.format))?;
    let mapping_text = std::fs::read_to_string(&args.mapping)
        .with_context(|| format!("cannot read the mapping {}", args.mapping.display()))?;
    let mapping: serde_json::Value = serde_json::from_str(&mapping_text)
        .with_context(|| format!("the mapping {} is not JSON", args.mapping.display()))?;

    let state = crate::open_state(&args.database).await?;
    let user = crate::find_user(&state, &args.username).await?;
    if user.disabled {
        bail!("the user {} is disabled; import as an active user", user.username);
    }
    let principal = sathi_server::auth::principal_of(&state, &user)
        .await
        .map_err(|error| crate::api_error(error, &state))?;
    let locale = user.locale.clone();

    let file = tokio::fs::File::open(&args.file)
        .await
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let file_name = args.file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let uploaded = imports::store_upload(&state, &principal, format, &file_name, UploadSource::File(file))
        .await
        .map_err(|error| crate::api_error(error, &state))?;
    let total = uploaded.rows_total.unwrap_or(0);
    eprintln!("Stored {} ({} rows) as import {}.", args.file.display(), total, uploaded.id);

    let checked =
        run_job(&state, &principal, uploaded.id, JobKind::DryRun, mapping.clone(), total, &locale).await?;
    print_summary("Dry run", &checked);
    let mut failed = false;
    if !args.dry_run {
        let imported =
            run_job(&state, &principal, uploaded.id, JobKind::Run, mapping, total, &locale).await?;
        print_summary("Import", &imported);
        failed = imported.rejected > 0;
    }

    if let Some(path) = &args.report {
        let record = state
            .store
            .import(&principal, uploaded.id)
            .await?
            .context("the import disappeared before its report was written")?;
        let bytes = report::build(&state, &principal, &record, &locale, report::ReportFormat::of_path(path))
            .await
            .map_err(|error| crate::api_error(error, &state))?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write the report {}", path.display()))?;
        println!("Wrote the row-by-row report to {}.", path.display());
    }
    if failed {
        bail!("some rows were rejected; the report lists each one with its reason");
    }
    Ok(())
}

/// Runs one job to its end, with its progress on standard error.
async fn run_job(
    state: &AppState,
    principal: &sathi_domain::principal::Principal,
    id: ImportId,
    kind: JobKind,
    mapping: serde_json::Value,
    total: i64,
    locale: &str,
) -> anyhow::Result<ImportSummary> {
    let (_, job) = imports::start_job(state, principal, id, kind, mapping)
        .await
        .map_err(|error| crate::api_error(error, state))?;
    let verb = match kind {
        JobKind::DryRun => "Checked",
        JobKind::Run => "Imported",
    };
    let result = job
        .run(|done| {
            eprint!("\r{verb} {done} of {total} rows");
            let _ = std::io::stderr().flush();
        })
        .await;
    eprintln!();
    match result {
        Ok(summary) => Ok(summary),
        Err(JobFailure::Failed(code)) => {
            bail!("{}", state.messages.format(locale, &format!("error-{code}"), &[]))
        }
        Err(JobFailure::Lost) => {
            bail!("another process took over this import; check it with GET /api/v1/imports")
        }
    }
}

fn print_summary(what: &str, summary: &ImportSummary) {
    println!(
        "{what}: {} created, {} updated, {} unchanged, {} rejected.",
        summary.created, summary.updated, summary.unchanged, summary.rejected
    );
}
