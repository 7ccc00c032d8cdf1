//! Case exports (`/exports`): CSV with and without a byte order mark, XLSX and JSON files of the
//! cases a user may see, generated in the background, kept in the database until they expire,
//! and downloadable by their owner only.
//!
//! An export needs the `export` grant. Its cases are those of the case list with the same filter
//! (`cases::case_filter`), within the scope of the `export` grant and the read scope, and its
//! columns are the fields of the forms the caller may read (`columns.rs`). The file is written
//! by `generate.rs` and `files.rs`. Creation is audited as `export.create` with the names of the
//! filter parameters (never their values, since a name search is child data), and every download
//! as `export.download` with the export's id.

mod columns;
mod files;
mod generate;

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sathi_domain::permissions::Action;
use sathi_store::{AuditEntry, ExportFile, ExportId, NewExport};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::cases::CaseListQuery;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::state::AppState;

/// The parameters of `GET /cases` that an export's filter may carry. `offset` and `limit` are
/// accepted and ignored, because an export contains every matching case.
const FILTER_KEYS: [&str; 25] = [
    "status",
    "risk_level",
    "sex",
    "age_min",
    "age_max",
    "age_unknown",
    "as_of",
    "location",
    "protection_concern",
    "owner",
    "agency",
    "stage",
    "enabled",
    "registered_from",
    "registered_to",
    "closed_from",
    "closed_to",
    "assessed",
    "case_plan_approved",
    "updated_from",
    "updated_to",
    "q",
    "sort",
    "offset",
    "limit",
];

/// Minimum length of an export's password, in characters.
const MIN_PASSWORD_CHARS: usize = 8;

/// Maximum length of an export's password, in characters.
const MAX_PASSWORD_CHARS: usize = 128;

/// Exports one user may have running at once. Each one reads every matching case, so a user
/// who asks again and again before a file is ready would otherwise load the server for nothing.
const MAX_RUNNING_PER_USER: i64 = 3;

/// A running export that reported no progress for this long is taken as interrupted: its
/// process stopped. Generation reports progress with every page of cases and every stored chunk.
const STALLED_AFTER: time::Duration = time::Duration::minutes(15);

/// Time between two runs of the cleanup job; the first run starts with the server.
pub const CLEANUP_INTERVAL: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV with a UTF-8 byte order mark, which spreadsheet programs need to read Bangla.
    Csv,
    /// CSV without a byte order mark, for other programs.
    CsvPlain,
    Xlsx,
    /// The case views, as `GET /cases/{id}` returns them, in one JSON array.
    Json,
}

impl ExportFormat {
    fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::CsvPlain => "csv_plain",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvPlain => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvPlain => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat::Json => "application/json",
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateExportRequest {
    pub format: ExportFormat,
    /// The query parameters of `GET /cases`, each as a string, such as
    /// `{"risk_level": "high", "status": "open"}`. Empty for every case the caller may export.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filter: Map<String, Value>,
    /// With a password (8 to 128 characters), the file is a ZIP archive containing the export,
    /// encrypted with AES-256.
    pub password: Option<String>,
}

/// An export file as its owner sees it.
#[derive(Serialize, ToSchema)]
pub struct ExportView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ExportId,
    pub format: ExportFormat,
    /// `running`, `ready` or `failed`.
    pub state: String,
    pub file_name: String,
    /// Bytes of the file once it is ready.
    pub size: Option<i64>,
    /// Cases in the file once it is ready.
    pub rows: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// When the file is deleted.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    /// Whether the file is a password-protected ZIP archive.
    pub password_protected: bool,
    /// The reason generation failed, in the caller's language.
    pub error: Option<String>,
}

/// Ask for an export of the cases the caller may see with a case list filter. The file is
/// generated in the background; poll `GET /exports/{id}` until `state` is `ready`.
#[utoipa::path(post, path = "/exports", tag = "exports", request_body = CreateExportRequest,
    responses((status = 202, body = ExportView), (status = 400, body = ErrorBody, description = "`invalid_filter` or `unknown_filter`"),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`export_limit`: too many of the caller's exports are running"),
        (status = 422, body = ErrorBody, description = "`export_password_length`")))]
pub async fn create_export(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateExportRequest>,
) -> ApiResult<(StatusCode, Json<ExportView>)> {
    require_export(&caller)?;
    let loaded = state.configuration();
    let query = filter_query(&request.filter)?;
    let filter = crate::cases::case_filter(&query, state.today(&loaded.config), &loaded.config)?;
    let password = match request.password {
        None => None,
        Some(password) => {
            let length = password.chars().count();
            if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) || password.trim().is_empty() {
                return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "export_password_length")
                    .with("min", MIN_PASSWORD_CHARS)
                    .with("max", MAX_PASSWORD_CHARS));
            }
            Some(password)
        }
    };

    let now = state.now();
    let hours = i64::from(loaded.config.deployment.exports.expiry_hours);
    let inner_file_name = format!(
        "sathi-cases-{}.{}",
        sathi_domain::dates::format_date(state.today(&loaded.config)),
        request.format.extension()
    );
    let (file_name, content_type) = match password {
        Some(_) => (format!("{inner_file_name}.zip"), "application/zip"),
        None => (inner_file_name.clone(), request.format.content_type()),
    };
    let new = NewExport {
        id: ExportId(uuid::Uuid::now_v7()),
        owner_id: caller.user.id,
        format: request.format.as_str().to_owned(),
        file_name,
        content_type: content_type.to_owned(),
        password_protected: password.is_some(),
        now,
        expires_at: now + time::Duration::hours(hours),
    };
    let Some(export) = state.store.create_export(&new, MAX_RUNNING_PER_USER).await? else {
        return Err(ApiError::new(StatusCode::CONFLICT, "export_limit").with("max", MAX_RUNNING_PER_USER));
    };

    let filter_keys: Vec<&String> = request.filter.keys().collect();
    audit(
        &state,
        &caller,
        "export.create",
        "ok",
        serde_json::json!({
            "export_id": export.id,
            "format": request.format.as_str(),
            "filter": filter_keys,
            "password_protected": export.password_protected,
        }),
    )
    .await?;
    tracing::info!(export_id = %export.id, format = request.format.as_str(), "export requested");

    let job = generate::Job {
        id: export.id,
        principal: caller.principal.clone(),
        locale: caller.locale().to_owned(),
        format: request.format,
        filter,
        inner_file_name,
        password,
    };
    tokio::spawn(generate::run(state.clone(), job));
    Ok((StatusCode::ACCEPTED, Json(view(&state, caller.locale(), export))))
}

/// The caller's exports that have not expired, newest first.
#[utoipa::path(get, path = "/exports", tag = "exports",
    responses((status = 200, body = Vec<ExportView>), (status = 403, body = ErrorBody)))]
pub async fn list_exports(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ExportView>>> {
    require_export(&caller)?;
    let exports = state.store.list_exports(caller.user.id, state.now()).await?;
    Ok(Json(exports.into_iter().map(|export| view(&state, caller.locale(), export)).collect()))
}

/// One of the caller's exports. Another user's export is 404, exactly like a missing one.
#[utoipa::path(get, path = "/exports/{id}", tag = "exports", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ExportView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ExportId>,
) -> ApiResult<Json<ExportView>> {
    require_export(&caller)?;
    let Some(export) = state.store.export_file(caller.user.id, id, state.now()).await? else {
        return Err(ApiError::not_found());
    };
    Ok(Json(view(&state, caller.locale(), export)))
}

/// Download a ready export: only its owner may, and every download is audited.
#[utoipa::path(get, path = "/exports/{id}/download", tag = "exports", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, content_type = "application/octet-stream",
            description = "The file: CSV, XLSX, JSON, or a ZIP archive when password-protected"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`export_not_ready`: still running, or failed")))]
pub async fn download_export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ExportId>,
) -> ApiResult<Response> {
    require_export(&caller)?;
    let now = state.now();
    let detail = serde_json::json!({ "export_id": id });
    let Some(export) = state.store.export_file(caller.user.id, id, now).await? else {
        audit(&state, &caller, "export.download", "not_found", detail).await?;
        return Err(ApiError::not_found());
    };
    if export.state != sathi_store::ExportState::Ready {
        audit(&state, &caller, "export.download", "not_ready", detail).await?;
        return Err(ApiError::new(StatusCode::CONFLICT, "export_not_ready"));
    }
    audit(&state, &caller, "export.download", "ok", detail).await?;
    tracing::info!(export_id = %id, "export downloaded");

    // Chunks are read one at a time while the body is sent. The length is declared, so a
    // file deleted on expiry in the middle of a download ends as a broken transfer, never as a
    // short file that looks complete.
    let owner = caller.user.id;
    let store = state.store.clone();
    let chunks = futures_util::stream::try_unfold(0_i64, move |seq| {
        let store = store.clone();
        async move {
            let chunk = store.export_chunk(owner, id, seq, now).await.map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(chunk.map(|bytes| (bytes, seq + 1)))
        }
    });
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", export.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let content_type = HeaderValue::from_str(&export.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CONTENT_LENGTH, HeaderValue::from(export.size.unwrap_or(0))),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, Body::from_stream(chunks)).into_response())
}

fn require_export(caller: &Caller) -> ApiResult<()> {
    if caller.principal.can(Action::Export) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// Reads an export's filter as the query parameters of `GET /cases`, so that both parse it
/// with the same code. A key `GET /cases` does not know is 400 `unknown_filter`, and a value
/// that is not a string is 400 `invalid_filter`. A `null` value is the same as leaving the key out.
fn filter_query(filter: &Map<String, Value>) -> ApiResult<CaseListQuery> {
    let invalid = |name: &str, value: &Value| {
        let value_text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter").with("name", name).with("value", value_text)
    };
    let mut encoded = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in filter {
        if !FILTER_KEYS.contains(&key.as_str()) {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_filter")
                .with("name", key)
                .with("allowed", FILTER_KEYS.join(", ")));
        }
        match value {
            Value::Null => {}
            Value::String(_) if key == "offset" || key == "limit" => {}
            Value::String(text) => {
                encoded.append_pair(key, text);
            }
            other => return Err(invalid(key, other)),
        }
    }
    let uri: Uri = format!("/cases?{}", encoded.finish())
        .parse()
        .map_err(|_| ApiError::bad_request("error-request_filter_unreadable"))?;
    let Query(query) = Query::<CaseListQuery>::try_from_uri(&uri)?;
    Ok(query)
}

fn view(state: &AppState, locale: &str, export: ExportFile) -> ExportView {
    let format = match export.format.as_str() {
        "csv_plain" => ExportFormat::CsvPlain,
        "xlsx" => ExportFormat::Xlsx,
        "json" => ExportFormat::Json,
        _ => ExportFormat::Csv,
    };
    ExportView {
        id: export.id,
        format,
        state: export.state.as_str().to_owned(),
        file_name: export.file_name,
        size: export.size,
        rows: export.row_count,
        created_at: export.created_at,
        expires_at: export.expires_at,
        password_protected: export.password_protected,
        error: export.error.map(|code| state.messages.format(locale, &format!("export-error-{code}"), &[])),
    }
}

async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &str,
    outcome: &str,
    detail: Value,
) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(caller.user.id),
            action: action.to_owned(),
            case_id: None,
            outcome: outcome.to_owned(),
            detail,
            at: state.now(),
        })
        .await?;
    Ok(())
}

/// Deletes expired exports and gives up on stalled ones, as of `now`, and logs the counts.
pub async fn cleanup_once(state: &AppState, now: OffsetDateTime) -> sathi_store::StoreResult<(u64, u64)> {
    let deleted = state.store.delete_expired_exports(now).await?;
    let interrupted = state.store.fail_stalled_exports(now - STALLED_AFTER, now).await?;
    if deleted > 0 || interrupted > 0 {
        tracing::info!(deleted, interrupted, "deleted expired exports and marked stalled ones as failed");
    }
    Ok((deleted, interrupted))
}

/// The running cleanup job; dropping it stops the job.
pub struct CleanupJob(tokio::task::JoinHandle<()>);

impl Drop for CleanupJob {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the cleanup every [`CLEANUP_INTERVAL`] on the current Tokio runtime. The deletes are
/// idempotent, so several `sathi serve` processes on one database may each run it. A failed run
/// is logged and the next one tries again.
pub fn spawn(state: AppState) -> CleanupJob {
    CleanupJob(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CLEANUP_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = cleanup_once(&state, state.now()).await {
                tracing::warn!(%error, "deleting expired exports failed; retrying at the next run");
            }
        }
    }))
}
