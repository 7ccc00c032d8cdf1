//! The configuration as files over HTTP: the whole configuration folder as a ZIP archive, and
//! the location hierarchy as CSV or JSON ([`locations`]). An import is checked whole, reports
//! every problem in the caller's language, and then becomes a new stored configuration version.
//!
//! Every server process reads the configuration once at start. [`spawn_reload`] keeps each one
//! current: it polls the stored version every [`RELOAD_INTERVAL`] and loads a newer one, so a
//! configuration imported through one process, or with `sathi config import`, reaches the others.

pub mod locations;

use std::io::{Cursor, Read, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sathi_domain::config::{ConfigProblem, Configuration};
use sathi_domain::config_files::{self as folder, ConfigFileError};
use sathi_domain::ids::UserId;
use sathi_domain::permissions::Action;
use sathi_domain::validation::FieldError;
use sathi_store::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::locations::LocationsFormat;
use crate::auth::Caller;
use crate::error::{ApiError, ApiQuery, ApiResult, ErrorBody};
use crate::state::{AppState, LoadedConfiguration};

/// How often each server process looks for a newer stored configuration.
pub const RELOAD_INTERVAL: Duration = Duration::from_secs(30);

/// Maximum number of files in a configuration archive. The default configuration has 19.
const MAX_ZIP_ENTRIES: usize = 1_000;

/// Maximum number of bytes an archive may unpack to, against archives built to fill memory. The
/// default configuration unpacks to about 230 KB.
const MAX_UNZIPPED_BYTES: u64 = 32 * 1024 * 1024;

/// A configuration that was imported and is now in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigImported {
    /// The stored version the configuration was given.
    pub version: i64,
    /// `deployment.config_version` of the imported files.
    pub label: String,
    pub forms: usize,
    pub lookups: usize,
    pub locations: usize,
    pub agencies: usize,
    pub roles: usize,
}

/// Locations that replaced those of the configuration in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationsImported {
    /// The stored configuration version holding the new locations.
    pub version: i64,
    pub locations: usize,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationsFormatQuery {
    /// `csv` (the default) or `json`.
    pub format: Option<String>,
}

/// Rejects a caller whose role lacks `manage_configuration` with 403, as every handler does for an
/// action the role lacks.
fn require_manage(caller: &Caller) -> ApiResult<()> {
    if caller.principal.can(Action::ManageConfiguration) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// Download the configuration in force as a ZIP archive laid out like the `config/` folder, which
/// `POST /config/import` and `sathi config import` take back.
#[utoipa::path(get, path = "/config/export", tag = "configuration",
    responses((status = 200, description = "The ZIP archive, as an attachment", content_type = "application/zip"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_configuration(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    require_manage(&caller)?;
    let loaded = state.configuration();
    let bytes = zip_configuration(&loaded.config).map_err(ApiError::internal)?;
    let file_name = format!("sathi-config-v{}.zip", loaded.version);
    Ok(attachment(bytes, "application/zip", &file_name))
}

/// Import a configuration ZIP archive, as `GET /config/export` writes it. The archive is checked
/// whole: a 422 lists every problem and changes nothing. Otherwise it becomes the configuration
/// in force, in this process at once and in other server processes within 30 seconds.
#[utoipa::path(post, path = "/config/import", tag = "configuration",
    request_body(content = Vec<u8>, content_type = "application/zip", description = "The configuration folder as a ZIP archive"),
    responses((status = 200, body = ConfigImported), (status = 400, body = ErrorBody, description = "Not a ZIP archive"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`config_invalid`, with one entry in `fields` per problem")))]
pub async fn import_configuration(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<ConfigImported>> {
    require_manage(&caller)?;
    let files = unzip_configuration(&body)?;
    let config = check_configuration(&files)?;

    let loaded = apply_configuration(&state, config, Some(caller.user.id)).await?;
    let config = &loaded.config;
    let imported = ConfigImported {
        version: loaded.version,
        label: config.deployment.config_version.clone(),
        forms: config.forms.len(),
        lookups: config.lookups.len(),
        locations: config.locations.len(),
        agencies: config.agencies.len(),
        roles: config.roles.len(),
    };
    let detail = serde_json::json!({
        "version": imported.version,
        "forms": imported.forms,
        "lookups": imported.lookups,
        "locations": imported.locations,
        "agencies": imported.agencies,
        "roles": imported.roles,
    });
    audit(&state, &caller, "config.import", detail).await?;
    tracing::info!(user_id = %caller.user.id.0, version = imported.version, "configuration imported");
    Ok(Json(imported))
}

/// Download the locations of the configuration in force as CSV (with a byte order mark for
/// spreadsheet programs; columns `code,level,parent,name_en,name_bn`) or as JSON.
#[utoipa::path(get, path = "/config/locations/export", tag = "configuration", params(LocationsFormatQuery),
    responses((status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_locations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<LocationsFormatQuery>,
) -> ApiResult<Response> {
    require_manage(&caller)?;
    let format = locations_format(query.format.as_deref())?;
    let loaded = state.configuration();
    let config = &loaded.config;
    let bytes = locations::write(&config.locations, &config.deployment.locales, format)
        .map_err(ApiError::internal)?;
    let file_name = format!("sathi-locations-v{}.{}", loaded.version, format.extension());
    Ok(attachment(bytes, format.content_type(), &file_name))
}

/// Replace the locations of the configuration in force with a CSV or JSON file. The file is
/// checked whole: a 422 lists every problem with its row and column and changes nothing.
#[utoipa::path(post, path = "/config/locations/import", tag = "configuration", params(LocationsFormatQuery),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The locations file, CSV or JSON"),
    responses((status = 200, body = LocationsImported), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`locations_invalid`, with one entry in `fields` per problem, or \
            `locations_in_use`, with one entry per left-out location that is still a case's current location")))]
pub async fn import_locations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<LocationsFormatQuery>,
    body: Bytes,
) -> ApiResult<Json<LocationsImported>> {
    require_manage(&caller)?;
    let format = locations_format(query.format.as_deref())?;
    let config = with_locations(&state.configuration().config, &body, format)?;

    let loaded = apply_configuration(&state, config, Some(caller.user.id)).await?;
    let imported = LocationsImported { version: loaded.version, locations: loaded.config.locations.len() };
    let detail = serde_json::json!({ "version": imported.version, "locations": imported.locations });
    audit(&state, &caller, "config.locations_import", detail).await?;
    tracing::info!(
        user_id = %caller.user.id.0,
        version = imported.version,
        locations = imported.locations,
        "locations imported"
    );
    Ok(Json(imported))
}

fn locations_format(name: Option<&str>) -> ApiResult<LocationsFormat> {
    let name = name.unwrap_or("csv");
    LocationsFormat::parse(name)
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "invalid_locations_format").with("value", name))
}

/// Returns `config` with its locations replaced by those of a locations file, after checking the
/// file and then the whole configuration with it. Used by the API and `sathi config import-locations`.
pub fn with_locations(
    config: &Configuration,
    bytes: &[u8],
    format: LocationsFormat,
) -> ApiResult<Configuration> {
    let new_locations = locations::read(bytes, format, &config.deployment.locales)
        .map_err(|fields| invalid("locations_invalid", fields))?;
    let mut changed = config.clone();
    changed.locations = new_locations;
    let problems = changed.validate();
    if !problems.is_empty() {
        return Err(invalid("locations_invalid", problem_fields(problems)));
    }
    Ok(changed)
}

/// Writes each file of the configuration into a ZIP archive, deflated.
pub fn zip_configuration(config: &Configuration) -> anyhow::Result<Vec<u8>> {
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, contents) in folder::to_files(config) {
        archive
            .start_file(name.as_str(), options)
            .with_context(|| format!("cannot add {name} to the archive"))?;
        archive.write_all(contents.as_bytes())?;
    }
    Ok(archive.finish()?.into_inner())
}

/// Reads the JSON files of a configuration archive as `(relative path, contents)` pairs. Files
/// may sit at the top of the archive or inside one folder, as when someone zips the `config`
/// folder itself. Files that are not JSON are skipped.
pub fn unzip_configuration(bytes: &[u8]) -> ApiResult<Vec<(String, String)>> {
    let not_a_configuration = || ApiError::new(StatusCode::BAD_REQUEST, "config_zip_invalid");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_configuration())?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(too_large());
    }

    let mut found = Vec::new();
    let mut unzipped: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|_| not_a_configuration())?;
        let Some(path) = entry.enclosed_name() else { return Err(not_a_configuration()) };
        let name = path.to_string_lossy().replace('\\', "/");
        if entry.is_dir() || !name.ends_with(".json") || name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        // The declared size can lie, so the read is bounded by what is left of the allowance.
        let allowance = MAX_UNZIPPED_BYTES - unzipped;
        let mut contents = Vec::new();
        (&mut entry).take(allowance + 1).read_to_end(&mut contents).map_err(|_| not_a_configuration())?;
        unzipped += contents.len() as u64;
        if unzipped > MAX_UNZIPPED_BYTES {
            return Err(too_large());
        }
        let text =
            String::from_utf8(sathi_domain::spreadsheet::strip_bom(&contents).to_vec()).map_err(|_| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "config_file_not_utf8").with("file", &name)
            })?;
        found.push((name, text));
    }

    let at_top = found.iter().any(|(name, _)| name == folder::DEPLOYMENT);
    if !at_top
        && let Some((name, _)) =
            found.iter().find(|(name, _)| name.ends_with(&format!("/{}", folder::DEPLOYMENT)))
    {
        let prefix = name[..name.len() - folder::DEPLOYMENT.len()].to_owned();
        found = found
            .into_iter()
            .filter_map(|(name, text)| name.strip_prefix(&prefix).map(|inner| (inner.to_owned(), text)))
            .collect();
    }
    Ok(found)
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "config_zip_too_large")
        .with("max_mb", MAX_UNZIPPED_BYTES / (1024 * 1024))
}

/// Parses and validates configuration files, returning a 422 `config_invalid` that lists every
/// missing or unreadable file, or else every problem [`Configuration::validate`] finds.
pub fn check_configuration(files: &[(String, String)]) -> ApiResult<Configuration> {
    let config = folder::parse_all(files)
        .map_err(|errors| invalid("config_invalid", errors.iter().map(file_error).collect()))?;
    let problems = config.validate();
    if !problems.is_empty() {
        return Err(invalid("config_invalid", problem_fields(problems)));
    }
    Ok(config)
}

/// Builds a 422 with the code `code`, the number of problems as `count`, and each problem in `fields`.
fn invalid(code: &'static str, fields: Vec<FieldError>) -> ApiError {
    let count = fields.len();
    ApiError { fields, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code) }.with("count", count)
}

/// Converts the problems [`Configuration::validate`] found into field errors with the code
/// `config_<kind>`, whose message names the path and the values of the problem.
fn problem_fields(problems: Vec<ConfigProblem>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|problem| {
            let mut field = FieldError::new(&format!("config_{}", problem.kind.code()), &problem.path)
                .with("path", &problem.path);
            for (name, value) in problem.kind.params() {
                field = field.with(name, value);
            }
            field
        })
        .collect()
}

fn file_error(error: &ConfigFileError) -> FieldError {
    match error {
        ConfigFileError::Missing(file) => FieldError::new("config_file_missing", file).with("file", file),
        ConfigFileError::Invalid { file, source } => FieldError::new("config_file_invalid", file)
            .with("file", file)
            .with("line", source.line())
            .with("column", source.column())
            .with("detail", source),
    }
}

/// Stores `config` as a new configuration version and puts it in force in this process: the
/// store gets its workflow rules (rebuilding due items if they changed) and every later request
/// reads it. The caller has validated it. Shared by the API and the `sathi config` commands.
pub async fn apply_configuration(
    state: &AppState,
    config: Configuration,
    by: Option<UserId>,
) -> ApiResult<Arc<LoadedConfiguration>> {
    check_dropped_locations(state, &config).await?;
    let document = serde_json::to_value(&config).map_err(ApiError::internal)?;
    let version =
        state.store.save_configuration(&document, &config.deployment.config_version, by, state.now()).await?;
    let loaded = LoadedConfiguration { version, config };
    put_in_force(state, loaded).await.map_err(ApiError::internal)
}

/// Rejects a configuration that leaves out a location that is still a case's current location.
/// Such a case would keep a code that no screen, list filter or report can name.
// NOTE: only the current location is checked, because it is the one location kept in a column
// of its own. Locations inside subform rows (a service's place, a family member's) are not.
async fn check_dropped_locations(state: &AppState, config: &Configuration) -> ApiResult<()> {
    let new_codes: std::collections::HashSet<&str> =
        config.locations.iter().map(|location| location.code.as_str()).collect();
    let dropped: Vec<String> = state
        .configuration()
        .config
        .locations
        .iter()
        .filter(|location| !new_codes.contains(location.code.as_str()))
        .map(|location| location.code.clone())
        .collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let in_use = state.store.cases_at_locations(&dropped).await?;
    if in_use.is_empty() {
        return Ok(());
    }
    let fields = in_use
        .into_iter()
        .map(|(code, cases)| {
            FieldError::new("location_in_use", &code).with("value", &code).with("cases", cases)
        })
        .collect();
    Err(invalid("locations_in_use", fields))
}

/// Gives the store the workflow rules of `loaded` and makes it the configuration of `state`,
/// unless a newer version is already in force there.
async fn put_in_force(
    state: &AppState,
    loaded: LoadedConfiguration,
) -> anyhow::Result<Arc<LoadedConfiguration>> {
    let rebuilt = state
        .store
        .set_workflow_rules(&loaded.config.deployment.workflow)
        .await
        .context("failed to store the workflow rules")?;
    if rebuilt > 0 {
        tracing::info!(
            cases = rebuilt,
            version = loaded.version,
            "rebuilt due items for changed workflow rules"
        );
    }
    let loaded = Arc::new(loaded);
    let mut current = state.configuration.write().expect("configuration lock is never poisoned");
    if current.version < loaded.version {
        *current = loaded.clone();
    }
    Ok(current.clone())
}

/// Loads the stored configuration when its version is newer than the one in force, and returns
/// the version loaded.
pub async fn reload_if_newer(state: &AppState) -> anyhow::Result<Option<i64>> {
    // The version first, because the document is about 230 KB and rarely changes.
    let newest = state.store.configuration_version().await?;
    if newest.is_none_or(|version| version <= state.configuration().version) {
        return Ok(None);
    }
    let Some(stored) = state.store.current_configuration().await? else { return Ok(None) };
    if stored.version <= state.configuration().version {
        return Ok(None);
    }
    let config: Configuration = serde_json::from_value(stored.document)
        .with_context(|| format!("stored configuration version {} does not parse", stored.version))?;
    let loaded = put_in_force(state, LoadedConfiguration { version: stored.version, config }).await?;
    tracing::info!(version = loaded.version, "loaded a newer stored configuration");
    Ok(Some(loaded.version))
}

/// The running reload job; dropping it stops the job.
pub struct ReloadJob(tokio::task::JoinHandle<()>);

impl Drop for ReloadJob {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts [`reload_if_newer`] every [`RELOAD_INTERVAL`] on the current Tokio runtime. A failed
/// check is logged and the next one tries again.
pub fn spawn_reload(state: AppState) -> ReloadJob {
    ReloadJob(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(RELOAD_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(error) = reload_if_newer(&state).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "checking for a newer configuration failed; retrying"
                );
            }
        }
    }))
}

async fn audit(state: &AppState, caller: &Caller, action: &str, detail: serde_json::Value) -> ApiResult<()> {
    let entry = AuditEntry {
        user_id: Some(caller.user.id),
        action: action.to_owned(),
        case_id: None,
        outcome: "ok".to_owned(),
        detail,
        at: state.now(),
    };
    state.store.audit(&entry).await?;
    Ok(())
}

fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (headers, bytes).into_response()
}
