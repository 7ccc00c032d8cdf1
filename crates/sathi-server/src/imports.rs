//! Case imports over HTTP (`/imports`, `/import-mappings`): upload a CSV, XLSX or incumbent JSON
//! file, check it with a dry run, run it, and read each row's outcome and the report.
//!
//! Every route needs the `import` grant, and an import belongs to its uploader's agency: an
//! import of another agency gets the same 404 as a missing one. The jobs live in `imports/job.rs`,
//! the file readers in `imports/source.rs` and the report in `imports/report.rs`. `sathi import`
//! calls [`store_upload`] and [`start_job`] as the handlers do.

pub mod job;
pub mod report;
pub mod source;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use http_body_util::BodyExt;
use sathi_domain::import::{self, ImportFormat, Importer, IncumbentMapping, Mapping};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sathi_domain::validation::FieldError;
use sathi_store::{Claim, ImportId, ImportRecord, ImportSummary, JobKind, NewImport, UploadedFile};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use self::job::Job;
use self::source::{SourceEvent, SourceItem};
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;

/// Largest import file accepted, in bytes: 100,000 rows of a wide caseload spreadsheet fit.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Bytes per stored chunk of an import file. A database connection keeps a buffer as large as
/// the largest value it sent or received, so the chunk size bounds that memory. With 1 MiB
/// chunks, the connections of a PostgreSQL pool held 10.5 MB after a 15 MiB upload (heaptrack).
const CHUNK_BYTES: usize = 128 * 1024;

/// A running job whose heartbeat is older than this is taken for dead and marked failed. A job
/// writes its heartbeat with every batch of 500 rows, which takes well under a second.
const STALE_AFTER: time::Duration = time::Duration::minutes(2);

/// Rows shown in an import's sample.
const SAMPLE_ROWS: usize = 5;

/// The default mapping of the incumbent system's JSON exports, `config/imports/incumbent.json`.
pub const INCUMBENT_MAPPING: &str = include_str!("../../../config/imports/incumbent.json");

/// Parses [`INCUMBENT_MAPPING`], which a test checks, so a failure here is a build defect.
pub fn incumbent_mapping() -> IncumbentMapping {
    serde_json::from_str(INCUMBENT_MAPPING).expect("config/imports/incumbent.json parses")
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `csv`, `xlsx` or `incumbent_json`.
    pub format: String,
    /// The file's name as the user chose it, shown in lists.
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportProgress {
    pub rows_done: i64,
    /// Rows of the file, counted at upload.
    pub rows_total: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryView {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
}

impl From<ImportSummary> for SummaryView {
    fn from(summary: ImportSummary) -> Self {
        SummaryView {
            created: summary.created,
            updated: summary.updated,
            unchanged: summary.unchanged,
            rejected: summary.rejected,
        }
    }
}

/// An import: the file, its columns, the mappings and the state of its jobs.
#[derive(Serialize, ToSchema)]
pub struct ImportView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub file_name: String,
    /// `csv`, `xlsx` or `incumbent_json`.
    pub format: String,
    /// `uploaded`, `dry_run_running`, `dry_run_done`, `running`, `done` or `failed`.
    pub state: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: time::OffsetDateTime,
    #[schema(value_type = String, format = Uuid)]
    pub created_by: Uuid,
    /// The header row (for incumbent JSON, the keys of the first records' `data`).
    pub columns: Vec<String>,
    /// The first rows as text.
    pub sample: Vec<Vec<String>>,
    /// Columns matched to fields by id or label, and the case id column if one was recognised.
    #[schema(value_type = Object)]
    pub suggested_mapping: Value,
    /// The mapping of the latest dry run or run.
    #[schema(value_type = Option<Object>)]
    pub mapping: Option<Value>,
    pub progress: ImportProgress,
    /// Counts of the latest run.
    pub summary: Option<SummaryView>,
    /// Counts of the latest dry run.
    pub dry_run_summary: Option<SummaryView>,
    /// The reason the latest job failed, in the caller's language.
    pub error: Option<String>,
    /// The stable code of `error`.
    pub error_code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct JobRequest {
    /// The mapping to check or apply; see `docs/import.md`.
    #[schema(value_type = Object)]
    pub mapping: Value,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RowsQuery {
    /// `created`, `updated`, `unchanged` or `rejected`; every row when absent.
    pub outcome: Option<String>,
    /// Rows to skip, 0 or more; 0 by default.
    pub offset: Option<i64>,
    /// Rows per page, 1 to 1,000; 100 by default. A value outside that range is 400
    /// `query_out_of_range`, as is a negative offset.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RowErrorView {
    /// The column (or incumbent key) of the value.
    pub column: Option<String>,
    /// The field path, such as `age` or `family_members/<row id>/name`.
    pub field: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct RowView {
    /// 1-based data row; the header row is not counted.
    pub row: i64,
    /// `created`, `updated`, `unchanged` or `rejected`.
    pub outcome: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub case_id: Option<Uuid>,
    pub display_id: Option<String>,
    pub external_id: Option<String>,
    pub errors: Vec<RowErrorView>,
}

#[derive(Serialize, ToSchema)]
pub struct RowPage {
    pub rows: Vec<RowView>,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `csv` (UTF-8 with a byte order mark) or `xlsx`.
    pub format: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SaveMappingRequest {
    pub name: String,
    /// `csv`, `xlsx` or `incumbent_json`.
    pub format: String,
    #[schema(value_type = Object)]
    pub mapping: Value,
}

#[derive(Serialize, ToSchema)]
pub struct SavedMappingView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    pub format: String,
    #[schema(value_type = Object)]
    pub mapping: Value,
    #[schema(value_type = String, format = Uuid)]
    pub created_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: time::OffsetDateTime,
}

/// Maximum `limit` of `GET /imports/{id}/rows`.
const MAX_ROWS_PER_PAGE: i64 = 1000;

/// Maximum length of a saved mapping's name, in characters.
const MAX_MAPPING_NAME_CHARS: usize = 100;

fn require_import(principal: &Principal) -> ApiResult<()> {
    if principal.can(Action::Import) { Ok(()) } else { Err(ApiError::forbidden()) }
}

fn parse_format(raw: &str) -> ApiResult<ImportFormat> {
    ImportFormat::parse(raw.trim())
        .ok_or_else(|| ApiError::invalid_parameter("format", raw, &["csv", "xlsx", "incumbent_json"]))
}

/// Parses a mapping from JSON, with the default incumbent mapping for an incumbent export that
/// brings none.
pub fn parse_mapping(value: Value, format: ImportFormat) -> ApiResult<Mapping> {
    let mut mapping: Mapping = serde_json::from_value(value)
        .map_err(|error| crate::error::unreadable_request(Some("mapping"), &error.to_string()))?;
    if format == ImportFormat::IncumbentJson && mapping.incumbent.is_none() {
        mapping.incumbent = Some(incumbent_mapping());
    }
    Ok(mapping)
}

/// Renders an import for `locale`.
pub fn view(state: &AppState, record: ImportRecord, locale: &str) -> ImportView {
    let error =
        record.error.as_ref().map(|code| state.messages.format(locale, &format!("error-{code}"), &[]));
    ImportView {
        id: record.id.0,
        file_name: record.file_name,
        format: record.format,
        state: record.state,
        created_at: record.created_at,
        created_by: record.created_by.0,
        columns: record.columns,
        sample: record.sample,
        suggested_mapping: record.suggested_mapping,
        mapping: record.mapping,
        progress: ImportProgress { rows_done: record.rows_done, rows_total: record.rows_total },
        summary: record.summary.map(SummaryView::from),
        dry_run_summary: record.dry_run_summary.map(SummaryView::from),
        error,
        error_code: record.error,
    }
}

/// Marks failed the jobs of any process whose heartbeat stopped, so that they can be run again,
/// and audits each as a failed `import.dry_run` or `import.run`. The server writes these
/// entries with no user, because the store does not keep who started a job.
pub async fn fail_stale_jobs(state: &AppState) -> ApiResult<()> {
    let now = state.now();
    let failed = state.store.fail_stale_imports(now - STALE_AFTER, now).await?;
    for job in &failed {
        tracing::warn!(import_id = %job.id, rows_done = job.rows_done, "marked an import job failed whose heartbeat stopped");
        let entry = sathi_store::AuditEntry {
            user_id: None,
            action: match job.kind {
                JobKind::DryRun => "import.dry_run",
                JobKind::Run => "import.run",
            }
            .to_owned(),
            case_id: None,
            outcome: "failed".to_owned(),
            detail: serde_json::json!({
                "import_id": job.id.0,
                "error": "import_interrupted",
                "rows_done": job.rows_done,
                "created": job.summary.created,
                "updated": job.summary.updated,
                "unchanged": job.summary.unchanged,
                "rejected": job.summary.rejected,
            }),
            at: now,
        };
        if let Err(error) = state.store.audit(&entry).await {
            tracing::error!(import_id = %job.id, %error, "cannot write the audit entry of an interrupted import job");
        }
    }
    Ok(())
}

/// Stores an uploaded file chunk by chunk as it arrives, reads its columns, a sample and its
/// row count, and returns the import in state `uploaded`. A file over [`MAX_FILE_BYTES`] or one
/// that cannot be read is deleted again.
pub async fn store_upload(
    state: &AppState,
    principal: &Principal,
    format: ImportFormat,
    file_name: &str,
    mut body: UploadSource,
) -> ApiResult<ImportRecord> {
    let id = ImportId(Uuid::now_v7());
    let file_name: String = sathi_domain::text::clean_text(file_name).chars().take(200).collect();
    let file_name = if file_name.is_empty() { format!("import.{}", extension(format)) } else { file_name };
    let new = NewImport { id, file_name, format: format.as_str().to_owned(), now: state.now() };
    state.store.create_import(principal, &new).await?;

    let stored = async {
        let mut hasher = Sha256::new();
        let mut size: usize = 0;
        let mut buffer: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
        let mut seq = 0;
        while let Some(piece) = body.next_piece().await {
            let piece = piece?;
            size += piece.len();
            if size > MAX_FILE_BYTES {
                return Err(file_too_large());
            }
            hasher.update(&piece);
            buffer.extend_from_slice(&piece);
            while buffer.len() >= CHUNK_BYTES {
                let rest = buffer.split_off(CHUNK_BYTES);
                state.store.append_import_chunk(id, seq, &buffer).await?;
                seq += 1;
                buffer = rest;
            }
        }
        if !buffer.is_empty() {
            state.store.append_import_chunk(id, seq, &buffer).await?;
        }
        if size == 0 {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_empty_file"));
        }
        let inspected = inspect(state, id, format).await?;
        let file = UploadedFile {
            size: size as i64,
            sha256: hex::encode(hasher.finalize()),
            columns: inspected.columns,
            sample: inspected.sample,
            suggested_mapping: inspected.suggested_mapping,
            rows: inspected.rows,
            now: state.now(),
        };
        state.store.finish_import_upload(id, &file).await?;
        Ok::<_, ApiError>(())
    }
    .await;

    if let Err(error) = stored {
        if let Err(cleanup) = state.store.delete_import(id).await {
            tracing::error!(import_id = %id, error = %cleanup, "cannot delete a failed import upload");
        }
        return Err(error);
    }
    state.store.import(principal, id).await?.ok_or_else(|| ApiError::internal("an uploaded import vanished"))
}

/// Returns 413 for an import file over [`MAX_FILE_BYTES`]. Its message names the limit and
/// suggests splitting the file, in place of the general advice to send fewer changes.
pub fn file_too_large() -> ApiError {
    ApiError::payload_too_large_of(MAX_FILE_BYTES).with_message("error-import_file_too_large")
}

/// The source of an upload's bytes: a request body, or a file for `sathi import`.
pub enum UploadSource {
    Body(Body),
    File(tokio::fs::File),
}

impl UploadSource {
    /// Returns the next piece of the file, `None` at its end.
    async fn next_piece(&mut self) -> Option<ApiResult<axum::body::Bytes>> {
        match self {
            UploadSource::Body(body) => loop {
                match body.frame().await? {
                    Ok(frame) => {
                        if let Ok(data) = frame.into_data() {
                            return Some(Ok(data));
                        }
                    }
                    Err(error) if is_length_limit(&error) => {
                        return Some(Err(file_too_large()));
                    }
                    Err(error) => {
                        tracing::warn!(%error, "an import upload did not arrive whole");
                        return Some(Err(ApiError::bad_request("error-request_file_incomplete")));
                    }
                }
            },
            UploadSource::File(file) => {
                use tokio::io::AsyncReadExt as _;
                let mut buffer = vec![0; CHUNK_BYTES];
                match file.read(&mut buffer).await {
                    Ok(0) => None,
                    Ok(count) => {
                        buffer.truncate(count);
                        Some(Ok(buffer.into()))
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot read an import file");
                        Some(Err(ApiError::bad_request("error-request_file_unreadable")))
                    }
                }
            }
        }
    }
}

/// Returns whether reading a request body stopped at the body limit.
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

fn extension(format: ImportFormat) -> &'static str {
    match format {
        ImportFormat::Csv => "csv",
        ImportFormat::Xlsx => "xlsx",
        ImportFormat::IncumbentJson => "json",
    }
}

struct Inspected {
    columns: Vec<String>,
    sample: Vec<Vec<String>>,
    suggested_mapping: Value,
    rows: i64,
}

/// Reads a stored file once: its columns, the first rows and the number of rows.
async fn inspect(state: &AppState, id: ImportId, format: ImportFormat) -> ApiResult<Inspected> {
    let mut events = source::spawn_reader(state.store.clone(), id, format);
    let unreadable = |code: &'static str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code);
    let columns = match events.recv().await {
        Some(SourceEvent::Headers(headers)) => headers,
        Some(SourceEvent::Failed(code)) => return Err(unreadable(code)),
        _ => return Err(unreadable("import_unreadable_file")),
    };
    // A mapping names columns by their header, so two columns with one name are ambiguous.
    // Empty headers may repeat, because they are the unused columns of a spreadsheet.
    let mut seen = std::collections::HashSet::new();
    if let Some(repeated) =
        columns.iter().filter(|column| !column.is_empty()).find(|column| !seen.insert(*column))
    {
        return Err(unreadable("import_duplicate_column").with("column", repeated));
    }
    let mut sample = Vec::new();
    let mut rows: i64 = 0;
    while let Some(event) = events.recv().await {
        match event {
            SourceEvent::Rows(batch) => {
                for (number, item) in &batch {
                    // A file saved in another encoding, such as Windows-1252, fails on its first
                    // row with a letter outside ASCII. Reject it now, because its rows would
                    // otherwise reach the dry run with no cells and show false errors.
                    if let SourceItem::Unreadable(error) = item {
                        let rejected = if error.code == "import_not_utf8" {
                            unreadable("import_not_utf8").with_message("error-import_file_not_utf8")
                        } else {
                            unreadable("import_unreadable_file")
                        };
                        return Err(rejected.with("row", number));
                    }
                    if sample.len() < SAMPLE_ROWS {
                        sample.push(sample_row(&columns, item));
                    }
                }
                rows += batch.len() as i64;
            }
            SourceEvent::Failed(code) => return Err(unreadable(code)),
            SourceEvent::Headers(_) => {}
        }
    }
    let loaded = state.configuration();
    let mut suggested = match format {
        ImportFormat::IncumbentJson => Mapping { incumbent: Some(incumbent_mapping()), ..Mapping::default() },
        _ => import::suggest_mapping(&loaded.config, &columns),
    };
    if format == ImportFormat::IncumbentJson {
        suggested.columns.clear();
    }
    let suggested_mapping = serde_json::to_value(&suggested).map_err(ApiError::internal)?;
    Ok(Inspected { columns, sample, suggested_mapping, rows })
}

fn sample_row(columns: &[String], item: &SourceItem) -> Vec<String> {
    match item {
        SourceItem::Cells(cells) => cells.iter().map(source::display_text).collect(),
        SourceItem::Record(record) => {
            let data = record.get("data");
            columns
                .iter()
                .map(|column| match data.and_then(|data| data.get(column)) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                })
                .collect()
        }
        SourceItem::Unreadable(_) => Vec::new(),
    }
}

/// Checks a mapping against an import's columns and the configuration, and its owner against
/// the caller's scope, then claims the import for a job of `kind`. The returned job must be
/// run (spawned or awaited) to its end.
pub async fn start_job(
    state: &AppState,
    principal: &Principal,
    id: ImportId,
    kind: JobKind,
    mapping: Value,
) -> ApiResult<(ImportRecord, Job)> {
    require_import(principal)?;
    fail_stale_jobs(state).await?;
    let Some(import) = state.store.import(principal, id).await? else {
        return Err(ApiError::not_found());
    };
    let format = ImportFormat::parse(&import.format)
        .ok_or_else(|| ApiError::internal(format!("import {id} has an unknown format")))?;
    let mapping = parse_mapping(mapping, format)?;

    let loaded = state.configuration();
    if let Err(problems) = Importer::new(&loaded.config, &mapping, format, &import.columns) {
        let fields = problems
            .into_iter()
            .map(|problem| FieldError::new(problem.code, &problem.subject).with("value", &problem.subject))
            .collect();
        return Err(ApiError {
            fields,
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_mapping_invalid")
        });
    }
    if let Some(owner) =
        mapping.owner.as_deref().map(|name| name.trim().to_lowercase()).filter(|name| !name.is_empty())
        && state.store.import_owner(principal, &owner).await?.is_none()
    {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_owner_invalid").with("value", owner)
        );
    }

    let canonical = serde_json::to_value(&mapping).map_err(ApiError::internal)?;
    let job_id = Uuid::now_v7();
    let claimed = state.store.claim_import(principal, id, kind, &canonical, job_id, state.now()).await?;
    let record = match claimed {
        None => return Err(ApiError::not_found()),
        Some(Claim::Busy(_)) => return Err(ApiError::new(StatusCode::CONFLICT, "import_busy")),
        Some(Claim::NeedsDryRun(_)) => {
            return Err(ApiError::new(StatusCode::CONFLICT, "import_needs_dry_run"));
        }
        Some(Claim::Claimed(record)) => record,
    };
    let job = Job {
        state: state.clone(),
        principal: principal.clone(),
        import_id: id,
        format,
        kind,
        mapping,
        job_id,
        rows_total: record.rows_total,
        checked_seq: record.checked_seq,
    };
    Ok((record, job))
}

/// Starts a job in the background and returns 202 with the import.
async fn spawn_job(
    state: AppState,
    caller: Caller,
    id: ImportId,
    kind: JobKind,
    mapping: Value,
) -> ApiResult<(StatusCode, Json<ImportView>)> {
    let (record, job) = start_job(&state, &caller.principal, id, kind, mapping).await?;
    let import_id = job.import_id;
    tracing::info!(import_id = %import_id, user_id = %caller.user.id.0, kind = ?kind, "import job started");
    tokio::spawn(async move {
        let _ = job.run(|_| {}).await;
    });
    Ok((StatusCode::ACCEPTED, Json(view(&state, record, caller.locale()))))
}

/// Upload a file to import. The body is the raw file, up to 64 MiB.
#[utoipa::path(post, path = "/imports", tag = "imports", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = ImportView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Body,
) -> ApiResult<(StatusCode, Json<ImportView>)> {
    require_import(&caller.principal)?;
    let format = parse_format(&query.format)?;
    let name = query.file_name.unwrap_or_default();
    let record = store_upload(&state, &caller.principal, format, &name, UploadSource::Body(body)).await?;
    tracing::info!(import_id = %record.id, user_id = %caller.user.id.0, bytes = record.size, "import file uploaded");
    Ok((StatusCode::CREATED, Json(view(&state, record, caller.locale()))))
}

/// List the imports of the caller's agency, newest first.
#[utoipa::path(get, path = "/imports", tag = "imports",
    responses((status = 200, body = Vec<ImportView>), (status = 403, body = ErrorBody)))]
pub async fn list_imports(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ImportView>>> {
    require_import(&caller.principal)?;
    fail_stale_jobs(&state).await?;
    let records = state.store.list_imports(&caller.principal, 100).await?;
    Ok(Json(records.into_iter().map(|record| view(&state, record, caller.locale())).collect()))
}

/// Read one import with the progress of its job.
#[utoipa::path(get, path = "/imports/{id}", tag = "imports", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ImportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_import(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ImportView>> {
    require_import(&caller.principal)?;
    fail_stale_jobs(&state).await?;
    let record =
        state.store.import(&caller.principal, ImportId(id)).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(view(&state, record, caller.locale())))
}

/// Check every row with `mapping` and report what a run would create, update or reject;
/// writes no case. Runs in the background: poll `GET /imports/{id}`.
#[utoipa::path(post, path = "/imports/{id}/dry-run", tag = "imports", params(("id" = String, Path, format = Uuid)),
    request_body = JobRequest,
    responses((status = 202, body = ImportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`import_busy`: a job of this import is running"),
        (status = 422, body = ErrorBody)))]
pub async fn dry_run(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<JobRequest>,
) -> ApiResult<(StatusCode, Json<ImportView>)> {
    spawn_job(state, caller, ImportId(id), JobKind::DryRun, request.mapping).await
}

/// Import the rows: create and update cases. Needs a finished dry run with the same mapping;
/// every row is checked again as it is written. Runs in the background.
#[utoipa::path(post, path = "/imports/{id}/run", tag = "imports", params(("id" = String, Path, format = Uuid)),
    request_body = JobRequest,
    responses((status = 202, body = ImportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`import_needs_dry_run` or `import_busy`"),
        (status = 422, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<JobRequest>,
) -> ApiResult<(StatusCode, Json<ImportView>)> {
    spawn_job(state, caller, ImportId(id), JobKind::Run, request.mapping).await
}

/// The rows of the latest dry run or run with their outcomes and reasons, in row order.
#[utoipa::path(get, path = "/imports/{id}/rows", tag = "imports", params(("id" = String, Path, format = Uuid), RowsQuery),
    responses((status = 200, body = RowPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn rows(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<RowsQuery>,
) -> ApiResult<Json<RowPage>> {
    require_import(&caller.principal)?;
    let outcome = query.outcome.as_deref().map(str::trim).filter(|outcome| !outcome.is_empty());
    if let Some(outcome) = outcome
        && !["created", "updated", "unchanged", "rejected"].contains(&outcome)
    {
        return Err(ApiError::invalid_parameter(
            "outcome",
            outcome,
            &["created", "updated", "unchanged", "rejected"],
        ));
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=MAX_ROWS_PER_PAGE).contains(&limit) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "query_out_of_range")
            .with("name", "limit")
            .with("value", limit)
            .with("min", 1)
            .with("max", MAX_ROWS_PER_PAGE));
    }
    let offset = query.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "query_out_of_range")
            .with("name", "offset")
            .with("value", offset)
            .with("min", 0)
            .with_message("error-query_below_min"));
    }
    let (rows, total) = state
        .store
        .import_rows(&caller.principal, ImportId(id), outcome, offset, limit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let loaded = state.configuration();
    let rows =
        rows.into_iter().map(|row| report::row_view(&state, &loaded.config, caller.locale(), row)).collect();
    Ok(Json(RowPage { rows, total }))
}

/// Download the row-by-row report of the latest dry run or run, in the caller's language.
#[utoipa::path(get, path = "/imports/{id}/report", tag = "imports", params(("id" = String, Path, format = Uuid), ReportQuery),
    responses((status = 200, description = "The report, as an attachment", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    require_import(&caller.principal)?;
    let format = report::ReportFormat::parse(query.format.as_deref())?;
    let record =
        state.store.import(&caller.principal, ImportId(id)).await?.ok_or_else(ApiError::not_found)?;
    let bytes = report::build(&state, &caller.principal, &record, caller.locale(), format).await?;
    Ok(report::file_response(&record, format, bytes))
}

/// List the users who may own the cases the caller imports: the active users in the caller's
/// `import` scope, by full name. These are the owners a mapping's `owner` may name.
#[utoipa::path(get, path = "/import-owners", tag = "imports",
    responses((status = 200, body = Vec<crate::users::AssignableUser>), (status = 403, body = ErrorBody)))]
pub async fn list_owners(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<crate::users::AssignableUser>>> {
    require_import(&caller.principal)?;
    let owners = state.store.import_owners(&caller.principal).await?;
    let views = owners
        .into_iter()
        .map(|owner| crate::users::AssignableUser {
            id: owner.id,
            username: owner.username,
            full_name: owner.full_name,
            role_id: owner.role_id,
        })
        .collect();
    Ok(Json(views))
}

/// List the mappings the caller's agency saved.
#[utoipa::path(get, path = "/import-mappings", tag = "imports",
    responses((status = 200, body = Vec<SavedMappingView>), (status = 403, body = ErrorBody)))]
pub async fn list_mappings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SavedMappingView>>> {
    require_import(&caller.principal)?;
    let saved = state.store.import_mappings(&caller.principal).await?;
    Ok(Json(saved.into_iter().map(saved_view).collect()))
}

/// Save a mapping under a name for the caller's agency; a mapping of the same name is replaced.
#[utoipa::path(post, path = "/import-mappings", tag = "imports", request_body = SaveMappingRequest,
    responses((status = 201, body = SavedMappingView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn save_mapping(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<SaveMappingRequest>,
) -> ApiResult<(StatusCode, Json<SavedMappingView>)> {
    require_import(&caller.principal)?;
    let format = parse_format(&request.format)?;
    let name = crate::error::clean_free_text(Some(request.name.as_str()), MAX_MAPPING_NAME_CHARS, "name")?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_mapping_name_required"))?;
    let mapping: Mapping = serde_json::from_value(request.mapping)
        .map_err(|error| crate::error::unreadable_request(Some("mapping"), &error.to_string()))?;
    let canonical = serde_json::to_value(&mapping).map_err(ApiError::internal)?;
    let saved = state
        .store
        .save_import_mapping(&caller.principal, &name, format.as_str(), &canonical, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(saved_view(saved))))
}

/// Delete a saved mapping of the caller's agency.
#[utoipa::path(delete, path = "/import-mappings/{id}", tag = "imports", params(("id" = String, Path, format = Uuid)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_mapping(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    require_import(&caller.principal)?;
    if state.store.delete_import_mapping(&caller.principal, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

fn saved_view(saved: sathi_store::SavedMapping) -> SavedMappingView {
    SavedMappingView {
        id: saved.id,
        name: saved.name,
        format: saved.format,
        mapping: saved.mapping,
        created_by: saved.created_by.0,
        created_at: saved.created_at,
    }
}

#[cfg(test)]
mod tests {
    use sathi_domain::import::Cell;

    use super::*;

    #[test]
    fn incumbent_mapping_names_real_fields() {
        let config = crate::default_config::configuration();
        let mapping = Mapping {
            incumbent: Some(incumbent_mapping()),
            owner: Some("x".to_owned()),
            ..Mapping::default()
        };
        let checked = Importer::new(&config, &mapping, ImportFormat::IncumbentJson, &[]);
        assert!(checked.is_ok(), "config/imports/incumbent.json has problems: {:?}", checked.err());
    }

    #[test]
    fn cell_text_of_whole_numbers_has_no_fraction() {
        assert_eq!(source::display_text(&Cell::Number(1700000001.0)), "1700000001");
        assert_eq!(source::display_text(&Cell::Number(2.5)), "2.5");
    }
}
