//! Case imports: uploaded files as chunks, the jobs that check and write them, each row's
//! outcome, saved mappings, and the batch write of cases.
//!
//! An import belongs to the agency of the user who uploaded it, and only users of that agency
//! whose role grants `import` see it (all imports with the `all` scope). A job owns its import
//! through `job_id` while it runs. The progress, row outcomes and case writes of a batch are one
//! transaction that first checks that the job still owns the import. So a job that was declared
//! stale, and whose import was started again, never writes beside its successor.
//!
//! [`ImportStore::write_import_batch`] does for each row what `create_case` and `update_case`
//! do (change log, derived rows, `case_tasks`, the sync order number), inside the `import`
//! scope: a new case's owner must be an active user of that scope, and an update reaches only
//! cases in it. The store does not validate field values; the server runs the validator first.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use sathi_domain::config::WorkflowRules;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::validation::AppliedChange;
use sathi_domain::workflow::{self, CaseStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::columns::IndexedColumns;
use crate::model::{CaseRecord, CaseUpdate, ChangeLink, NewCase, User};
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{CASE_COLUMNS, PostgresStore, RETURNED_CASE_COLUMNS, SqliteStore, utc, value_lists};
use crate::{StoreError, StoreResult};

/// An import's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImportId(pub Uuid);

impl std::fmt::Display for ImportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// States of an import, as stored in `imports.state`.
pub mod state {
    /// The file is still arriving; such imports are not listed.
    pub const UPLOADING: &str = "uploading";
    pub const UPLOADED: &str = "uploaded";
    pub const DRY_RUN_RUNNING: &str = "dry_run_running";
    pub const DRY_RUN_DONE: &str = "dry_run_done";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
}

/// Row outcomes, as stored in `import_rows.outcome`.
pub mod outcome {
    pub const CREATED: &str = "created";
    pub const UPDATED: &str = "updated";
    pub const UNCHANGED: &str = "unchanged";
    pub const REJECTED: &str = "rejected";
}

/// Counts of a finished job's rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
}

impl ImportSummary {
    /// Counts one row outcome.
    pub fn count(&mut self, outcome: &str) {
        match outcome {
            outcome::CREATED => self.created += 1,
            outcome::UPDATED => self.updated += 1,
            outcome::UNCHANGED => self.unchanged += 1,
            _ => self.rejected += 1,
        }
    }
}

/// A user who may own imported cases, as [`ImportStore::import_owners`] lists them.
#[derive(Debug, Clone)]
pub struct ImportOwner {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub role_id: String,
}

/// A job that [`ImportStore::fail_stale_imports`] marked failed, for its audit entry.
#[derive(Debug, Clone)]
pub struct StaleImport {
    pub id: ImportId,
    pub kind: JobKind,
    pub rows_done: i64,
    /// Outcomes of the rows the job wrote before it stopped.
    pub summary: ImportSummary,
}

/// A job: the dry run checks every row and writes nothing to cases, the run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    DryRun,
    Run,
}

impl JobKind {
    fn running_state(self) -> &'static str {
        match self {
            JobKind::DryRun => state::DRY_RUN_RUNNING,
            JobKind::Run => state::RUNNING,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewImport {
    pub id: ImportId,
    pub file_name: String,
    /// `csv`, `xlsx` or `incumbent_json`.
    pub format: String,
    pub now: OffsetDateTime,
}

/// The facts the server read from a complete upload.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub size: i64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
    pub columns: Vec<String>,
    /// The first rows, as text, for the mapping screen.
    pub sample: Vec<Vec<String>>,
    pub suggested_mapping: Value,
    /// Data rows of the file.
    pub rows: i64,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: ImportId,
    pub agency_id: String,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub file_name: String,
    pub format: String,
    pub size: i64,
    pub state: String,
    pub columns: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub suggested_mapping: Value,
    /// The mapping of the latest job.
    pub mapping: Option<Value>,
    /// The mapping of the latest finished dry run, which a run must equal. Claiming a run clears it.
    pub dry_run_mapping: Option<Value>,
    pub rows_done: i64,
    pub rows_total: Option<i64>,
    pub summary: Option<ImportSummary>,
    pub dry_run_summary: Option<ImportSummary>,
    /// The code of the reason a job failed.
    pub error: Option<String>,
    pub job_id: Option<Uuid>,
    pub heartbeat_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    /// The newest sync order number when the latest dry run started: a case whose `sync_seq`
    /// is higher was written after the dry run began.
    pub checked_seq: Option<i64>,
}

/// The result of asking to start a job.
#[derive(Debug, Clone)]
pub enum Claim {
    /// The job owns the import now.
    Claimed(ImportRecord),
    /// Another job is running, or the file is still arriving.
    Busy(ImportRecord),
    /// A run was asked for without a finished dry run of the same mapping.
    NeedsDryRun(ImportRecord),
}

/// One row's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRowOutcome {
    /// 1-based data row; the header row is not counted.
    pub row_number: i64,
    pub outcome: String,
    pub case_id: Option<CaseId>,
    pub display_id: Option<String>,
    pub external_id: Option<String>,
    /// `sathi_domain::import::RowError`s as JSON: codes and parameters, never rendered text.
    pub errors: Value,
}

/// A case an import row names, found within or, for external ids, beyond the import scope.
#[derive(Debug, Clone)]
pub struct ExistingCase {
    pub record: CaseRecord,
    pub external_id: Option<String>,
    /// The case's sync order number, which every write of the case raises.
    pub sync_seq: i64,
    /// Whether the case is in the importer's `import` scope. A case outside it must not be
    /// written, and its row is rejected like an unknown id.
    pub in_scope: bool,
}

/// The cases a batch of rows names.
#[derive(Debug, Clone, Default)]
pub struct ImportTargets {
    /// By the upper-cased display id and by the UUID as text, within the import scope only.
    pub by_case_ref: HashMap<String, ExistingCase>,
    /// By external id of the importer's agency, in scope or not.
    pub by_external_id: HashMap<String, ExistingCase>,
}

/// The first row of an import that named each case and each external id asked about.
#[derive(Debug, Clone, Default)]
pub struct EarlierRows {
    pub by_case: HashMap<CaseId, i64>,
    pub by_external_id: HashMap<String, i64>,
}

/// A case write of a run.
#[derive(Debug, Clone)]
pub enum ImportWrite {
    Create {
        row_number: i64,
        case: NewCase,
        external_id: Option<String>,
    },
    /// `update.action` must be [`Action::Import`], and `expected_version` is the version the row
    /// was checked against.
    Update {
        row_number: i64,
        update: CaseUpdate,
        external_id: Option<String>,
    },
}

/// Rows of one job, written in one transaction.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    pub import_id: ImportId,
    pub job_id: Uuid,
    /// Case writes; empty for a dry run.
    pub writes: Vec<ImportWrite>,
    /// Outcomes of the rows that write nothing: unchanged, rejected, and every row of a dry run.
    pub rows: Vec<ImportRowOutcome>,
    /// Rows done after this batch.
    pub rows_done: i64,
    pub rows_total: Option<i64>,
    pub now: OffsetDateTime,
}

/// A saved mapping of an agency.
#[derive(Debug, Clone)]
pub struct SavedMapping {
    pub id: Uuid,
    pub name: String,
    pub format: String,
    pub mapping: Value,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
}

/// Codes of the reasons the store rejects a row's case write, which the server renders as row errors.
pub mod write_error {
    /// The case is missing or outside the import scope, or the owner is not an active user of it.
    pub const NOT_FOUND: &str = "import_case_not_found";
    pub const OWNER: &str = "import_owner_invalid";
    /// The case changed after the row was checked against it.
    pub const CHANGED: &str = "import_case_changed";
    /// Another case of the agency has the external id.
    pub const DUPLICATE: &str = "import_duplicate_id";
}

#[async_trait]
pub trait ImportStore {
    /// Registers an upload in state `uploading` for the caller's agency.
    async fn create_import(&self, principal: &Principal, import: &NewImport) -> StoreResult<()>;
    /// Stores chunk `seq` (from 0) of an upload.
    async fn append_import_chunk(&self, id: ImportId, seq: i64, bytes: &[u8]) -> StoreResult<()>;
    /// Marks a complete upload `uploaded` with what was read from it.
    async fn finish_import_upload(&self, id: ImportId, file: &UploadedFile) -> StoreResult<()>;
    /// Deletes an import with its chunks and rows, after a failed upload.
    async fn delete_import(&self, id: ImportId) -> StoreResult<()>;
    /// Reads chunk `seq` of an import's file; `None` past the last chunk.
    async fn import_chunk(&self, id: ImportId, seq: i64) -> StoreResult<Option<Vec<u8>>>;

    /// Reads an import of the caller's agency; `None` for a missing one and another agency's alike.
    async fn import(&self, principal: &Principal, id: ImportId) -> StoreResult<Option<ImportRecord>>;
    /// Lists the caller's agency's imports, newest first, at most `limit`.
    async fn list_imports(&self, principal: &Principal, limit: i64) -> StoreResult<Vec<ImportRecord>>;
    /// Marks `failed` every running job whose heartbeat is older than `before`, with the
    /// reason `import_interrupted`, and returns those that this call marked.
    async fn fail_stale_imports(
        &self,
        before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<StaleImport>>;
    /// Starts a job of `kind` with `mapping` if no job runs; a run needs a finished dry run of
    /// an equal mapping with no run since. Clears the previous job's row outcomes.
    async fn claim_import(
        &self,
        principal: &Principal,
        id: ImportId,
        kind: JobKind,
        mapping: &Value,
        job_id: Uuid,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Claim>>;
    /// Writes a batch's cases, row outcomes and progress in one transaction. `None` when the job
    /// no longer owns the import (it was declared stale); nothing is written then. Otherwise
    /// the outcomes of `batch.writes`, in order.
    async fn write_import_batch(
        &self,
        principal: &Principal,
        batch: &ImportBatch,
        new_display_id: &(dyn Fn() -> String + Send + Sync),
    ) -> StoreResult<Option<Vec<ImportRowOutcome>>>;
    /// Ends a job: `done` or `dry_run_done` with its summary, or `failed` with `error`.
    /// Returns false when the job no longer owns the import.
    async fn finish_import_job(
        &self,
        id: ImportId,
        job_id: Uuid,
        kind: JobKind,
        summary: &ImportSummary,
        error: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Lists row outcomes of the import's latest job in row order, with their total.
    async fn import_rows(
        &self,
        principal: &Principal,
        id: ImportId,
        outcome: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Option<(Vec<ImportRowOutcome>, i64)>>;

    /// Finds an active user named `username` in the caller's `import` scope.
    async fn import_owner(&self, principal: &Principal, username: &str) -> StoreResult<Option<User>>;
    /// Lists the active users in the caller's `import` scope, who may own imported cases, by
    /// full name and then user name.
    async fn import_owners(&self, principal: &Principal) -> StoreResult<Vec<ImportOwner>>;
    /// Finds the first rows of the import's current job that named one of `case_ids` or
    /// `external_ids`. A job rejects a second row about the same case with it, and so keeps no
    /// id of the file in memory.
    async fn earlier_import_rows(
        &self,
        principal: &Principal,
        id: ImportId,
        case_ids: &[CaseId],
        external_ids: &[String],
    ) -> StoreResult<EarlierRows>;
    /// Finds the cases that rows name by case id or display id (within the import scope) and
    /// by external id of the caller's agency (in scope or not).
    async fn import_targets(
        &self,
        principal: &Principal,
        case_refs: &[String],
        external_ids: &[String],
    ) -> StoreResult<ImportTargets>;

    /// Saves a mapping under `name` for the caller's agency, replacing one of the same name.
    async fn save_import_mapping(
        &self,
        principal: &Principal,
        name: &str,
        format: &str,
        mapping: &Value,
        now: OffsetDateTime,
    ) -> StoreResult<SavedMapping>;
    async fn import_mappings(&self, principal: &Principal) -> StoreResult<Vec<SavedMapping>>;
    /// Deletes a saved mapping of the caller's agency; false when there is none.
    async fn delete_import_mapping(&self, principal: &Principal, id: Uuid) -> StoreResult<bool>;
}

const IMPORT_COLUMNS: &str = "id, agency_id, created_by, created_at, file_name, format, size, state, columns, sample, \
     suggested_mapping, mapping, dry_run_mapping, rows_done, rows_total, summary, dry_run_summary, error, job_id, \
     heartbeat_at, updated_at, checked_seq";

const RUNNING_STATES: &str = "('dry_run_running', 'running')";

/// Row outcomes (7 values each) or derived rows (2 values) inserted by one statement, far below
/// the bind limits of SQLite (32,766) and PostgreSQL (65,535).
///
/// The multi-row statements of a batch are not kept as prepared statements. Each database
/// connection would keep its own copy of each, about 1 MB for SQLite's 250-case insert, so a
/// job's memory would grow with the number of connections its batches happened to use.
const OUTCOMES_PER_STATEMENT: usize = 500;

/// Cases (25 values each) inserted by one statement.
const CASES_PER_STATEMENT: usize = 250;

/// Change log rows (8 values each) or due items (7 values) inserted by one statement.
const CHANGES_PER_STATEMENT: usize = 200;

/// Returns the changes of a create.
fn case_changes_of(write: &ImportWrite) -> &[AppliedChange] {
    match write {
        ImportWrite::Create { case, .. } => &case.changes,
        ImportWrite::Update { update, .. } => &update.changes,
    }
}

/// Appends the condition that the import row (unqualified columns) belongs to the caller's
/// agency. An `all` import scope reaches every agency, and no grant reaches nothing.
fn push_import_scope(builder: &mut SqlBuilder, principal: &Principal) {
    match principal.scope_of(Action::Import) {
        None => {
            builder.push("(1 = 0)");
        }
        Some(Scope::All) => {
            builder.push("(1 = 1)");
        }
        Some(_) => {
            builder.push("agency_id = ").push_bind(Bind::Text(principal.agency_id.clone()));
        }
    }
}

/// Appends the condition that user `u` may own cases the caller imports: the users whose
/// cases the `import` scope reaches (the caller for `own`, the caller and group members for
/// `group`, the agency's users for `agency`, anyone for `all`).
fn push_owner_scope(builder: &mut SqlBuilder, principal: &Principal) {
    let Some(scope) = principal.scope_of(Action::Import) else {
        builder.push("(1 = 0)");
        return;
    };
    match scope {
        Scope::All => {
            builder.push("(1 = 1)");
        }
        Scope::Agency => {
            builder.push("u.agency_id = ").push_bind(Bind::Text(principal.agency_id.clone()));
        }
        Scope::Group | Scope::Own => {
            let user = builder.bind(Bind::Uuid(principal.user_id.0));
            builder.push(&format!("(u.id = {user}"));
            if scope == Scope::Group && !principal.group_ids.is_empty() {
                let groups: Vec<String> =
                    principal.group_ids.iter().map(|group| builder.bind(Bind::Uuid(group.0))).collect();
                builder.push(&format!(
                    " OR u.id IN (SELECT m.user_id FROM group_members m WHERE m.group_id IN ({}))",
                    groups.join(", ")
                ));
            }
            builder.push(")");
        }
    }
}

fn rejected(row_number: i64, code: &str, external_id: Option<String>) -> ImportRowOutcome {
    ImportRowOutcome {
        row_number,
        outcome: outcome::REJECTED.to_owned(),
        case_id: None,
        display_id: None,
        external_id,
        errors: serde_json::json!([{ "code": code }]),
    }
}

fn written(
    row_number: i64,
    outcome: &str,
    record: &CaseRecord,
    external_id: Option<String>,
) -> ImportRowOutcome {
    ImportRowOutcome {
        row_number,
        outcome: outcome.to_owned(),
        case_id: Some(record.id),
        display_id: Some(record.display_id.clone()),
        external_id,
        errors: Value::Array(Vec::new()),
    }
}

fn corrupt(what: &str) -> impl Fn(serde_json::Error) -> StoreError + '_ {
    move |error| StoreError::Corrupt(format!("stored import {what}: {error}"))
}

macro_rules! import_store {
    ($store:ident, $db:ty, $begin_write:literal) => {
        impl $store {
            fn import_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<ImportRecord> {
                let Json(columns): Json<Value> = row.try_get("columns")?;
                let Json(sample): Json<Value> = row.try_get("sample")?;
                let Json(suggested_mapping): Json<Value> = row.try_get("suggested_mapping")?;
                let mapping: Option<Json<Value>> = row.try_get("mapping")?;
                let dry_run_mapping: Option<Json<Value>> = row.try_get("dry_run_mapping")?;
                let summary: Option<Json<Value>> = row.try_get("summary")?;
                let dry_run_summary: Option<Json<Value>> = row.try_get("dry_run_summary")?;
                let summary_of = |value: Option<Json<Value>>| {
                    value.map(|Json(value)| serde_json::from_value(value).map_err(corrupt("summary"))).transpose()
                };
                Ok(ImportRecord {
                    id: ImportId(row.try_get("id")?),
                    agency_id: row.try_get("agency_id")?,
                    created_by: UserId(row.try_get("created_by")?),
                    created_at: row.try_get("created_at")?,
                    file_name: row.try_get("file_name")?,
                    format: row.try_get("format")?,
                    size: row.try_get("size")?,
                    state: row.try_get("state")?,
                    columns: serde_json::from_value(columns).map_err(corrupt("columns"))?,
                    sample: serde_json::from_value(sample).map_err(corrupt("sample"))?,
                    suggested_mapping,
                    mapping: mapping.map(|Json(value)| value),
                    dry_run_mapping: dry_run_mapping.map(|Json(value)| value),
                    rows_done: row.try_get("rows_done")?,
                    rows_total: row.try_get("rows_total")?,
                    summary: summary_of(summary)?,
                    dry_run_summary: summary_of(dry_run_summary)?,
                    error: row.try_get("error")?,
                    job_id: row.try_get("job_id")?,
                    heartbeat_at: row.try_get("heartbeat_at")?,
                    updated_at: row.try_get("updated_at")?,
                    checked_seq: row.try_get("checked_seq")?,
                })
            }

            fn import_row_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<ImportRowOutcome> {
                let Json(errors): Json<Value> = row.try_get("errors")?;
                let case_id: Option<Uuid> = row.try_get("case_id")?;
                Ok(ImportRowOutcome {
                    row_number: row.try_get("row_number")?,
                    outcome: row.try_get("outcome")?,
                    case_id: case_id.map(CaseId),
                    display_id: row.try_get("display_id")?,
                    external_id: row.try_get("external_id")?,
                    errors,
                })
            }

            fn mapping_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<SavedMapping> {
                let Json(mapping): Json<Value> = row.try_get("mapping")?;
                Ok(SavedMapping {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    format: row.try_get("format")?,
                    mapping,
                    created_by: UserId(row.try_get("created_by")?),
                    created_at: row.try_get("created_at")?,
                })
            }

            fn existing_from_row(row: &<$db as sqlx::Database>::Row, in_scope: bool) -> StoreResult<ExistingCase> {
                Ok(ExistingCase {
                    record: Self::case_from_row(row)?,
                    external_id: row.try_get("external_id")?,
                    sync_seq: row.try_get("sync_seq")?,
                    in_scope,
                })
            }

            /// Inserts row outcomes inside `tx`, many rows per statement.
            async fn insert_outcomes(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: ImportId,
                rows: &[&ImportRowOutcome],
            ) -> StoreResult<()> {
                for part in rows.chunks(OUTCOMES_PER_STATEMENT) {
                    let values: Vec<String> = (0..part.len())
                        .map(|index| {
                            let first = index * 7;
                            let places: Vec<String> = (1..=7).map(|offset| format!("${}", first + offset)).collect();
                            format!("({})", places.join(", "))
                        })
                        .collect();
                    let sql = format!(
                        "INSERT INTO import_rows (import_id, row_number, outcome, case_id, display_id, external_id, errors) \
                         VALUES {}",
                        values.join(", ")
                    );
                    let mut query = Self::query(&sql).persistent(false);
                    for row in part {
                        query = query
                            .bind(id.0)
                            .bind(row.row_number)
                            .bind(row.outcome.clone())
                            .bind(row.case_id.map(|case| case.0))
                            .bind(row.display_id.clone())
                            .bind(row.external_id.clone())
                            .bind(Json(row.errors.clone()));
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Returns which of `owners` may own the cases the caller imports: active users of
            /// their agency and of the `import` scope, read inside `tx`.
            async fn allowed_owners_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                owners: &[(UserId, String)],
            ) -> StoreResult<HashSet<UserId>> {
                let mut allowed = HashSet::new();
                for (owner_id, agency_id) in owners {
                    let mut owner = SqlBuilder::new("SELECT u.id FROM users u WHERE u.id = ");
                    owner.push_bind(Bind::Uuid(owner_id.0)).push(" AND u.disabled = ").push_bind(Bind::Bool(false));
                    owner.push(" AND u.agency_id = ").push_bind(Bind::Text(agency_id.clone())).push(" AND ");
                    push_owner_scope(&mut owner, principal);
                    if Self::query_built(owner).fetch_optional(&mut **tx).await?.is_some() {
                        allowed.insert(*owner_id);
                    }
                }
                Ok(allowed)
            }

            /// Inserts the rows of new cases inside `tx`, many per statement, with their external
            /// ids (of the agency `source`) and sync order numbers. Taking the numbers first keeps
            /// the `sync_clock` row locked until commit, as [`Self::sequence_tx`] does, so other
            /// writers wait for the rest of the batch. Updating each case's number afterwards
            /// would cost more than the insert, because every index of `cases` gets a new entry.
            /// A row that is not inserted leaves its number unused, which a sync cursor passes
            /// over. A row whose id, display id or external id is taken
            /// is skipped, not an error, so a PostgreSQL transaction is never aborted by it.
            /// Returns the inserted cases; the caller finds the skipped ones by their ids.
            async fn insert_cases_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                source: &str,
                cases: &[(&NewCase, &Option<String>)],
            ) -> StoreResult<Vec<(CaseRecord, IndexedColumns)>> {
                const WIDTH: usize = 25;
                let mut seq = Self::take_sync_seqs_tx(tx, cases.len()).await?;
                let status = CaseStatus::Open;
                let mut inserted = Vec::with_capacity(cases.len());
                for part in cases.chunks(CASES_PER_STATEMENT) {
                    let mut columns_of: HashMap<Uuid, IndexedColumns> = HashMap::with_capacity(part.len());
                    let sql = format!(
                        "INSERT INTO cases (id, display_id, data, version, status, stage, enabled, risk_level, sex, \
                         date_of_birth, registration_date, location_code, name_key, owner_id, owner_agency_id, \
                         created_by, created_at, updated_at, closure_date, assessment_completed_on, \
                         case_plan_approved_on, concern_list, external_id, external_source, sync_seq) \
                         VALUES {} ON CONFLICT DO NOTHING RETURNING {RETURNED_CASE_COLUMNS}",
                        value_lists(part.len(), WIDTH)
                    );
                    let mut query = Self::query(&sql).persistent(false);
                    for (case, external_id) in part {
                        let columns = IndexedColumns::from_data(&case.data, status);
                        let now = utc(case.now);
                        query = query
                            .bind(case.id.0)
                            .bind(case.display_id.clone())
                            .bind(Json(case.data.clone()))
                            .bind(1_i64)
                            .bind(status.as_str())
                            .bind(columns.stage)
                            .bind(true)
                            .bind(columns.risk_level.clone())
                            .bind(columns.sex.clone())
                            .bind(columns.date_of_birth)
                            .bind(columns.registration_date)
                            .bind(columns.location_code.clone())
                            .bind(columns.name_key.clone())
                            .bind(case.owner_id.0)
                            .bind(case.owner_agency_id.clone())
                            .bind(principal.user_id.0)
                            .bind(now)
                            .bind(now)
                            .bind(columns.closure_date)
                            .bind(columns.assessment_completed_on)
                            .bind(columns.case_plan_approved_on)
                            .bind(columns.concern_list.clone())
                            .bind((*external_id).clone())
                            .bind(external_id.as_ref().map(|_| source.to_owned()))
                            .bind(seq);
                        seq += 1;
                        columns_of.insert(case.id.0, columns);
                    }
                    for row in query.fetch_all(&mut **tx).await? {
                        let record = Self::case_from_row(&row)?;
                        let columns = columns_of.remove(&record.id.0).ok_or_else(|| {
                            StoreError::Corrupt("an inserted case that the statement did not send".to_owned())
                        })?;
                        inserted.push((record, columns));
                    }
                }
                Ok(inserted)
            }

            /// Updates one case of a run inside `tx`, within the `import` scope and only at the
            /// version the row was checked against, with its due items.
            async fn import_update_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                rules: &WorkflowRules,
                row_number: i64,
                update: &CaseUpdate,
                external_id: &Option<String>,
            ) -> StoreResult<(ImportRowOutcome, Option<CaseId>)> {
                match Self::update_case_tx(tx, principal, update, ChangeLink::default()).await {
                    Ok(Some(record)) => {
                        Self::write_tasks_tx(tx, rules, record.id, &record.data, record.status, record.enabled, record.owner_id.0)
                            .await?;
                        Ok((written(row_number, outcome::UPDATED, &record, external_id.clone()), Some(record.id)))
                    }
                    Ok(None) => Ok((rejected(row_number, write_error::NOT_FOUND, external_id.clone()), None)),
                    Err(StoreError::VersionConflict) => {
                        Ok((rejected(row_number, write_error::CHANGED, external_id.clone()), None))
                    }
                    Err(error) => Err(error),
                }
            }

            /// Returns which of `values` are already in `column` of `cases` (for external ids,
            /// of the agency `source`), inside `tx`.
            ///
            /// This and the look-ups of [`ImportStore::import_targets`] are not kept as prepared
            /// statements. PostgreSQL would soon plan them once for any values. The plan made
            /// while an import's first batches were written scanned every case of the agency
            /// for the later ones: 38 ms a batch at 50,000 cases, growing with them.
            async fn taken_in_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                column: &str,
                source: Option<&str>,
                values: &[String],
            ) -> StoreResult<HashSet<String>> {
                let mut taken = HashSet::new();
                for part in values.chunks(OUTCOMES_PER_STATEMENT) {
                    let mut builder = SqlBuilder::new(&format!("SELECT c.{column} AS value FROM cases c WHERE "));
                    if let Some(source) = source {
                        builder.push("c.external_source = ").push_bind(Bind::Text(source.to_owned())).push(" AND ");
                    }
                    let places: Vec<String> = part.iter().map(|value| builder.bind(Bind::Text(value.clone()))).collect();
                    builder.push(&format!("c.{column} IN ({})", places.join(", ")));
                    for row in Self::query_built(builder).persistent(false).fetch_all(&mut **tx).await? {
                        taken.insert(row.try_get("value")?);
                    }
                }
                Ok(taken)
            }

            /// Writes the derived rows, change logs and due items of a batch's new cases inside
            /// `tx`, each kind with multi-row inserts, which `insert_case_tx` and `take_sync_seq`
            /// write for one case at a time.
            async fn write_created_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                rules: &WorkflowRules,
                created: &[(CaseRecord, IndexedColumns, &[AppliedChange])],
                now: OffsetDateTime,
            ) -> StoreResult<()> {
                for (table, column, pick) in [
                    ("case_concerns", "concern", 0),
                    ("case_name_tokens", "token", 1),
                ] {
                    let pairs: Vec<(Uuid, &String)> = created
                        .iter()
                        .flat_map(|(record, columns, _)| {
                            let values = if pick == 0 { &columns.concerns } else { &columns.name_tokens };
                            values.iter().map(move |value| (record.id.0, value))
                        })
                        .collect();
                    for part in pairs.chunks(OUTCOMES_PER_STATEMENT) {
                        let sql = format!(
                            "INSERT INTO {table} (case_id, {column}) VALUES {} ON CONFLICT DO NOTHING",
                            value_lists(part.len(), 2)
                        );
                        let mut query = Self::query(&sql).persistent(false);
                        for (id, value) in part {
                            query = query.bind(*id).bind((*value).clone());
                        }
                        query.execute(&mut **tx).await?;
                    }
                }

                let changes: Vec<(Uuid, &AppliedChange)> = created
                    .iter()
                    .flat_map(|(record, _, changes)| changes.iter().map(move |change| (record.id.0, change)))
                    .collect();
                for part in changes.chunks(CHANGES_PER_STATEMENT) {
                    let sql = format!(
                        "INSERT INTO case_changes (id, case_id, version, path, old_value, new_value, user_id, changed_at) \
                         VALUES {}",
                        value_lists(part.len(), 8)
                    );
                    let mut query = Self::query(&sql).persistent(false);
                    for (id, change) in part {
                        query = query
                            .bind(Uuid::now_v7())
                            .bind(*id)
                            .bind(1_i64)
                            .bind(change.path.clone())
                            .bind(Json(change.old_value.clone()))
                            .bind(Json(change.new_value.clone()))
                            .bind(principal.user_id.0)
                            .bind(utc(now));
                    }
                    query.execute(&mut **tx).await?;
                }

                let mut tasks = Vec::new();
                for (record, _, _) in created.iter().filter(|(record, _, _)| record.enabled) {
                    let name = crate::tasks::name_of(&record.data);
                    let risk_level = record.data.get("risk_level").and_then(Value::as_str).map(str::to_owned);
                    for due in workflow::due_items(&record.data, record.status, rules) {
                        tasks.push((record.id.0, due, record.owner_id.0, name.clone(), risk_level.clone()));
                    }
                }
                for part in tasks.chunks(CHANGES_PER_STATEMENT) {
                    let sql = format!(
                        "INSERT INTO case_tasks (case_id, kind, item, due_on, owner_id, child_name, risk_level) \
                         VALUES {} ON CONFLICT DO NOTHING",
                        value_lists(part.len(), 7)
                    );
                    let mut query = Self::query(&sql).persistent(false);
                    for (id, due, owner, name, risk_level) in part {
                        query = query
                            .bind(*id)
                            .bind(due.kind.as_str())
                            .bind(due.item.clone())
                            .bind(due.due_on)
                            .bind(*owner)
                            .bind(name.clone())
                            .bind(risk_level.clone());
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Takes `count` consecutive sync order numbers from `sync_clock` inside `tx` and
            /// returns the first. The clock's row stays locked until `tx` ends.
            async fn take_sync_seqs_tx(tx: &mut sqlx::Transaction<'static, $db>, count: usize) -> StoreResult<i64> {
                let last: i64 = Self::query("UPDATE sync_clock SET seq = seq + $1 WHERE id = 1 RETURNING seq")
                    .bind(count as i64)
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get("seq")?;
                Ok(last - count as i64 + 1)
            }

            /// Gives the updated cases consecutive sync order numbers, as `take_sync_seq` gives
            /// one case its number, inside `tx`, many cases per statement. Runs last before
            /// commit, so the `sync_clock` row stays locked until the numbers are visible.
            async fn sequence_tx(tx: &mut sqlx::Transaction<'static, $db>, cases: &[CaseId]) -> StoreResult<()> {
                if cases.is_empty() {
                    return Ok(());
                }
                let first = Self::take_sync_seqs_tx(tx, cases.len()).await?;
                for (index, part) in cases.chunks(OUTCOMES_PER_STATEMENT).enumerate() {
                    // Both backends name the columns of a `VALUES` list column1, column2.
                    let sql = format!(
                        "UPDATE cases SET sync_seq = v.column2 FROM (VALUES {}) AS v WHERE cases.id = v.column1",
                        value_lists(part.len(), 2)
                    );
                    let mut query = Self::query(&sql).persistent(false);
                    for (offset, id) in part.iter().enumerate() {
                        query = query.bind(id.0).bind(first + (index * OUTCOMES_PER_STATEMENT + offset) as i64);
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }

        #[async_trait]
        impl ImportStore for $store {
            async fn create_import(&self, principal: &Principal, import: &NewImport) -> StoreResult<()> {
                let empty = Json(Value::Array(Vec::new()));
                Self::query(
                    "INSERT INTO imports (id, agency_id, created_by, created_at, file_name, format, state, columns, \
                     sample, suggested_mapping, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4)",
                )
                .bind(import.id.0)
                .bind(&principal.agency_id)
                .bind(principal.user_id.0)
                .bind(utc(import.now))
                .bind(&import.file_name)
                .bind(&import.format)
                .bind(state::UPLOADING)
                .bind(&empty)
                .bind(&empty)
                .bind(Json(Value::Object(serde_json::Map::new())))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn append_import_chunk(&self, id: ImportId, seq: i64, bytes: &[u8]) -> StoreResult<()> {
                Self::query("INSERT INTO import_file_chunks (import_id, seq, data) VALUES ($1, $2, $3)")
                    .bind(id.0)
                    .bind(seq)
                    .bind(bytes)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn finish_import_upload(&self, id: ImportId, file: &UploadedFile) -> StoreResult<()> {
                Self::query(
                    "UPDATE imports SET size = $1, sha256 = $2, columns = $3, sample = $4, suggested_mapping = $5, \
                     state = $6, updated_at = $7, rows_total = $10 WHERE id = $8 AND state = $9",
                )
                .bind(file.size)
                .bind(&file.sha256)
                .bind(Json(&file.columns))
                .bind(Json(&file.sample))
                .bind(Json(&file.suggested_mapping))
                .bind(state::UPLOADED)
                .bind(utc(file.now))
                .bind(id.0)
                .bind(state::UPLOADING)
                .bind(file.rows)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn delete_import(&self, id: ImportId) -> StoreResult<()> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                for table in ["import_file_chunks", "import_rows"] {
                    Self::query(&format!("DELETE FROM {table} WHERE import_id = $1")).bind(id.0).execute(&mut *tx).await?;
                }
                Self::query("DELETE FROM imports WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn import_chunk(&self, id: ImportId, seq: i64) -> StoreResult<Option<Vec<u8>>> {
                let row = Self::query("SELECT data FROM import_file_chunks WHERE import_id = $1 AND seq = $2")
                    .bind(id.0)
                    .bind(seq)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get("data")).transpose()?)
            }

            async fn import(&self, principal: &Principal, id: ImportId) -> StoreResult<Option<ImportRecord>> {
                let mut builder = SqlBuilder::new(&format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = "));
                builder.push_bind(Bind::Uuid(id.0)).push(" AND state <> ").push_bind(Bind::Text(state::UPLOADING.into()));
                builder.push(" AND ");
                push_import_scope(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::import_from_row).transpose()
            }

            async fn list_imports(&self, principal: &Principal, limit: i64) -> StoreResult<Vec<ImportRecord>> {
                let mut builder = SqlBuilder::new(&format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE state <> "));
                builder.push_bind(Bind::Text(state::UPLOADING.into())).push(" AND ");
                push_import_scope(&mut builder, principal);
                builder.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(Bind::Int(limit.clamp(1, 500)));
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::import_from_row).collect()
            }

            async fn fail_stale_imports(&self, before: OffsetDateTime, now: OffsetDateTime) -> StoreResult<Vec<StaleImport>> {
                let stale = Self::query(&format!(
                    "SELECT id, state, rows_done FROM imports WHERE state IN {RUNNING_STATES} AND heartbeat_at < $1"
                ))
                .bind(utc(before))
                .fetch_all(&self.pool)
                .await?;
                let mut failed = Vec::new();
                for row in stale {
                    let id: Uuid = row.try_get("id")?;
                    let running: String = row.try_get("state")?;
                    // The update repeats the conditions, so when two processes find the same
                    // stale job, only the one whose update changes the row reports it.
                    let result = Self::query(
                        "UPDATE imports SET state = $1, error = $2, job_id = NULL, updated_at = $3 \
                         WHERE id = $4 AND state = $5 AND heartbeat_at < $6",
                    )
                    .bind(state::FAILED)
                    .bind("import_interrupted")
                    .bind(utc(now))
                    .bind(id)
                    .bind(&running)
                    .bind(utc(before))
                    .execute(&self.pool)
                    .await?;
                    if result.rows_affected() == 0 {
                        continue;
                    }
                    let counts = Self::query(
                        "SELECT outcome, COUNT(*) AS count FROM import_rows WHERE import_id = $1 GROUP BY outcome",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut summary = ImportSummary::default();
                    for count in counts {
                        let outcome_name: String = count.try_get("outcome")?;
                        let rows: i64 = count.try_get("count")?;
                        match outcome_name.as_str() {
                            outcome::CREATED => summary.created = rows,
                            outcome::UPDATED => summary.updated = rows,
                            outcome::UNCHANGED => summary.unchanged = rows,
                            _ => summary.rejected += rows,
                        }
                    }
                    let kind = if running == state::RUNNING { JobKind::Run } else { JobKind::DryRun };
                    failed.push(StaleImport { id: ImportId(id), kind, rows_done: row.try_get("rows_done")?, summary });
                }
                Ok(failed)
            }

            async fn claim_import(
                &self,
                principal: &Principal,
                id: ImportId,
                kind: JobKind,
                mapping: &Value,
                job_id: Uuid,
                now: OffsetDateTime,
            ) -> StoreResult<Option<Claim>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let mut builder = SqlBuilder::new(&format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = "));
                builder.push_bind(Bind::Uuid(id.0)).push(" AND state <> ").push_bind(Bind::Text(state::UPLOADING.into()));
                builder.push(" AND ");
                push_import_scope(&mut builder, principal);
                let Some(row) = Self::query_built(builder).fetch_optional(&mut *tx).await? else {
                    return Ok(None);
                };
                let current = Self::import_from_row(&row)?;
                if [state::DRY_RUN_RUNNING, state::RUNNING].contains(&current.state.as_str()) {
                    return Ok(Some(Claim::Busy(current)));
                }
                if kind == JobKind::Run && current.dry_run_mapping.as_ref() != Some(mapping) {
                    return Ok(Some(Claim::NeedsDryRun(current)));
                }

                let mut update = SqlBuilder::new("UPDATE imports SET state = ");
                update.push_bind(Bind::Text(kind.running_state().into()));
                update.push(", mapping = ").push_bind(Bind::Json(mapping.clone()));
                update.push(", job_id = ").push_bind(Bind::Uuid(job_id));
                let now_bind = update.bind(Bind::Time(utc(now)));
                update.push(&format!(", heartbeat_at = {now_bind}, updated_at = {now_bind}"));
                update.push(", rows_done = 0, error = NULL");
                match kind {
                    JobKind::DryRun => update.push(
                        ", dry_run_summary = NULL, dry_run_mapping = NULL, summary = NULL, \
                         checked_seq = (SELECT seq FROM sync_clock WHERE id = 1)",
                    ),
                    // A run uses up its dry run, because the cases it writes make that report
                    // stale. Another run, after this one ends or fails, needs a new dry run.
                    JobKind::Run => update.push(", summary = NULL, dry_run_mapping = NULL"),
                };
                update.push(" WHERE id = ").push_bind(Bind::Uuid(id.0));
                update.push(" AND state = ").push_bind(Bind::Text(current.state.clone()));
                let changed = Self::query_built(update).execute(&mut *tx).await?.rows_affected();
                if changed == 0 {
                    return Ok(Some(Claim::Busy(current)));
                }
                Self::query("DELETE FROM import_rows WHERE import_id = $1").bind(id.0).execute(&mut *tx).await?;
                let row = Self::query(&format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = $1"))
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let claimed = Self::import_from_row(&row)?;
                tx.commit().await?;
                Ok(Some(Claim::Claimed(claimed)))
            }

            async fn write_import_batch(
                &self,
                principal: &Principal,
                batch: &ImportBatch,
                new_display_id: &(dyn Fn() -> String + Send + Sync),
            ) -> StoreResult<Option<Vec<ImportRowOutcome>>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                // First, so that the import's row stays locked (PostgreSQL) or the database
                // (SQLite) until commit, and a job declared stale writes nothing.
                let owned = Self::query(&format!(
                    "UPDATE imports SET rows_done = $1, rows_total = $2, heartbeat_at = $3, updated_at = $3 \
                     WHERE id = $4 AND job_id = $5 AND state IN {RUNNING_STATES}"
                ))
                .bind(batch.rows_done)
                .bind(batch.rows_total)
                .bind(utc(batch.now))
                .bind(batch.import_id.0)
                .bind(batch.job_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if owned == 0 {
                    return Ok(None);
                }

                let rules = Self::workflow_rules_tx(&mut tx).await?;
                let creates: Vec<(&NewCase, &Option<String>)> = batch
                    .writes
                    .iter()
                    .filter_map(|write| match write {
                        ImportWrite::Create { case, external_id, .. } => Some((case, external_id)),
                        ImportWrite::Update { .. } => None,
                    })
                    .collect();
                let display_ids: Vec<String> = creates.iter().map(|(case, _)| case.display_id.clone()).collect();
                let mut taken_displays = Self::taken_in_tx(&mut tx, "display_id", None, &display_ids).await?;
                let external_ids: Vec<String> = creates.iter().filter_map(|(_, external)| (*external).clone()).collect();
                let mut taken_externals =
                    Self::taken_in_tx(&mut tx, "external_id", Some(&principal.agency_id), &external_ids).await?;
                let mut owners: Vec<(UserId, String)> = Vec::new();
                for (case, _) in &creates {
                    if !owners.iter().any(|(id, _)| *id == case.owner_id) {
                        owners.push((case.owner_id, case.owner_agency_id.clone()));
                    }
                }
                let allowed_owners = Self::allowed_owners_tx(&mut tx, principal, &owners).await?;

                let mut outcomes = Vec::with_capacity(batch.writes.len());
                let mut updated: Vec<CaseId> = Vec::new();
                // New cases to insert, each with its row and changes.
                let mut pending: Vec<(i64, NewCase, &Option<String>, &[AppliedChange])> = Vec::new();
                for write in &batch.writes {
                    match write {
                        ImportWrite::Create { row_number, case, external_id } => {
                            if external_id.as_ref().is_some_and(|external| !taken_externals.insert(external.clone())) {
                                outcomes.push(rejected(*row_number, write_error::DUPLICATE, external_id.clone()));
                                continue;
                            }
                            if !allowed_owners.contains(&case.owner_id) {
                                outcomes.push(rejected(*row_number, write_error::OWNER, external_id.clone()));
                                continue;
                            }
                            let mut case = case.clone();
                            while !taken_displays.insert(case.display_id.clone()) {
                                case.display_id = new_display_id();
                            }
                            pending.push((*row_number, case, external_id, case_changes_of(write)));
                        }
                        ImportWrite::Update { row_number, update, external_id } => {
                            let (outcome, id) =
                                Self::import_update_tx(&mut tx, principal, &rules, *row_number, update, external_id)
                                    .await?;
                            updated.extend(id);
                            outcomes.push(outcome);
                        }
                    }
                }

                // A case skipped by the insert had an id, display id or external id written by
                // someone else since the checks above: one taken external id rejects its row,
                // and the others try again with new display ids.
                let mut created: Vec<(CaseRecord, IndexedColumns, &[AppliedChange])> = Vec::new();
                let mut attempts = 0;
                while !pending.is_empty() {
                    let cases: Vec<(&NewCase, &Option<String>)> =
                        pending.iter().map(|(_, case, external_id, _)| (case, *external_id)).collect();
                    let inserted = Self::insert_cases_tx(&mut tx, principal, &principal.agency_id, &cases).await?;
                    let mut by_id: HashMap<Uuid, (CaseRecord, IndexedColumns)> =
                        inserted.into_iter().map(|(record, columns)| (record.id.0, (record, columns))).collect();
                    let mut skipped = Vec::new();
                    for (row_number, case, external_id, changes) in pending {
                        match by_id.remove(&case.id.0) {
                            Some((record, columns)) => {
                                outcomes.push(written(row_number, outcome::CREATED, &record, external_id.clone()));
                                created.push((record, columns, changes));
                            }
                            None => skipped.push((row_number, case, external_id, changes)),
                        }
                    }
                    if skipped.is_empty() {
                        break;
                    }
                    attempts += 1;
                    let externals: Vec<String> =
                        skipped.iter().filter_map(|(_, _, external_id, _)| (*external_id).clone()).collect();
                    let taken = Self::taken_in_tx(&mut tx, "external_id", Some(&principal.agency_id), &externals).await?;
                    pending = Vec::new();
                    for (row_number, mut case, external_id, changes) in skipped {
                        let external_taken = external_id.as_ref().is_some_and(|external| taken.contains(external));
                        if external_taken || attempts > 5 {
                            outcomes.push(rejected(row_number, write_error::DUPLICATE, external_id.clone()));
                            continue;
                        }
                        case.display_id = new_display_id();
                        pending.push((row_number, case, external_id, changes));
                    }
                }
                let all: Vec<&ImportRowOutcome> = outcomes.iter().chain(&batch.rows).collect();
                Self::insert_outcomes(&mut tx, batch.import_id, &all).await?;
                Self::write_created_tx(&mut tx, principal, &rules, &created, batch.now).await?;
                Self::sequence_tx(&mut tx, &updated).await?;
                tx.commit().await?;
                Ok(Some(outcomes))
            }

            async fn finish_import_job(
                &self,
                id: ImportId,
                job_id: Uuid,
                kind: JobKind,
                summary: &ImportSummary,
                error: Option<&str>,
                now: OffsetDateTime,
            ) -> StoreResult<bool> {
                let summary = Json(serde_json::to_value(summary).map_err(corrupt("summary"))?);
                let query = match (kind, error) {
                    (_, Some(error)) => Self::query(
                        "UPDATE imports SET state = $1, error = $2, job_id = NULL, updated_at = $3 \
                         WHERE id = $4 AND job_id = $5",
                    )
                    .bind(state::FAILED)
                    .bind(error),
                    (JobKind::DryRun, None) => Self::query(
                        "UPDATE imports SET state = $1, dry_run_summary = $2, dry_run_mapping = mapping, \
                         job_id = NULL, updated_at = $3 WHERE id = $4 AND job_id = $5",
                    )
                    .bind(state::DRY_RUN_DONE)
                    .bind(summary),
                    (JobKind::Run, None) => Self::query(
                        "UPDATE imports SET state = $1, summary = $2, job_id = NULL, \
                         updated_at = $3 WHERE id = $4 AND job_id = $5",
                    )
                    .bind(state::DONE)
                    .bind(summary),
                };
                let result = query.bind(utc(now)).bind(id.0).bind(job_id).execute(&self.pool).await?;
                Ok(result.rows_affected() == 1)
            }

            async fn import_rows(
                &self,
                principal: &Principal,
                id: ImportId,
                outcome: Option<&str>,
                offset: i64,
                limit: i64,
            ) -> StoreResult<Option<(Vec<ImportRowOutcome>, i64)>> {
                if self.import(principal, id).await?.is_none() {
                    return Ok(None);
                }
                let filter = |builder: &mut SqlBuilder| {
                    builder.push(" WHERE import_id = ").push_bind(Bind::Uuid(id.0));
                    if let Some(outcome) = outcome {
                        builder.push(" AND outcome = ").push_bind(Bind::Text(outcome.to_owned()));
                    }
                };
                let mut page = SqlBuilder::new(
                    "SELECT row_number, outcome, case_id, display_id, external_id, errors FROM import_rows",
                );
                filter(&mut page);
                page.push(" ORDER BY row_number LIMIT ").push_bind(Bind::Int(limit.clamp(1, 5000)));
                page.push(" OFFSET ").push_bind(Bind::Int(offset.max(0)));
                let rows = Self::query_built(page).fetch_all(&self.pool).await?;
                let rows = rows.iter().map(Self::import_row_from_row).collect::<StoreResult<Vec<_>>>()?;
                let mut count = SqlBuilder::new("SELECT COUNT(*) AS n FROM import_rows");
                filter(&mut count);
                let total: i64 = Self::query_built(count).fetch_one(&self.pool).await?.try_get("n")?;
                Ok(Some((rows, total)))
            }

            async fn import_owner(&self, principal: &Principal, username: &str) -> StoreResult<Option<User>> {
                let mut builder = SqlBuilder::new("SELECT u.id FROM users u WHERE u.username = ");
                builder.push_bind(Bind::Text(username.to_owned()));
                builder.push(" AND u.disabled = ").push_bind(Bind::Bool(false)).push(" AND ");
                push_owner_scope(&mut builder, principal);
                let Some(row) = Self::query_built(builder).fetch_optional(&self.pool).await? else {
                    return Ok(None);
                };
                let id: Uuid = row.try_get("id")?;
                crate::Store::user(self, UserId(id)).await
            }

            async fn import_owners(&self, principal: &Principal) -> StoreResult<Vec<ImportOwner>> {
                let mut builder =
                    SqlBuilder::new("SELECT u.id, u.username, u.full_name, u.role_id FROM users u WHERE u.disabled = ");
                builder.push_bind(Bind::Bool(false)).push(" AND ");
                push_owner_scope(&mut builder, principal);
                builder.push(" ORDER BY u.full_name, u.username");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| {
                        Ok(ImportOwner {
                            id: UserId(row.try_get("id")?),
                            username: row.try_get("username")?,
                            full_name: row.try_get("full_name")?,
                            role_id: row.try_get("role_id")?,
                        })
                    })
                    .collect()
            }

            async fn earlier_import_rows(
                &self,
                principal: &Principal,
                id: ImportId,
                case_ids: &[CaseId],
                external_ids: &[String],
            ) -> StoreResult<EarlierRows> {
                let mut earlier = EarlierRows::default();
                for (column, values) in [
                    ("case_id", case_ids.iter().map(|id| Bind::Uuid(id.0)).collect::<Vec<_>>()),
                    ("external_id", external_ids.iter().map(|id| Bind::Text(id.clone())).collect()),
                ] {
                    for part in values.chunks(OUTCOMES_PER_STATEMENT) {
                        let mut builder = SqlBuilder::new(&format!(
                            "SELECT r.{column} AS value, MIN(r.row_number) AS first FROM import_rows r \
                             JOIN imports i ON i.id = r.import_id WHERE r.import_id = "
                        ));
                        builder.push_bind(Bind::Uuid(id.0)).push(" AND ");
                        push_import_scope(&mut builder, principal);
                        let places: Vec<String> = part.iter().map(|value| builder.bind(value.clone())).collect();
                        builder.push(&format!(" AND r.{column} IN ({}) GROUP BY r.{column}", places.join(", ")));
                        for row in Self::query_built(builder).persistent(false).fetch_all(&self.pool).await? {
                            let first: i64 = row.try_get("first")?;
                            if column == "case_id" {
                                earlier.by_case.insert(CaseId(row.try_get("value")?), first);
                            } else {
                                earlier.by_external_id.insert(row.try_get("value")?, first);
                            }
                        }
                    }
                }
                Ok(earlier)
            }

            async fn import_targets(
                &self,
                principal: &Principal,
                case_refs: &[String],
                external_ids: &[String],
            ) -> StoreResult<ImportTargets> {
                let mut targets = ImportTargets::default();
                if !case_refs.is_empty() {
                    let mut builder = SqlBuilder::new(&format!("SELECT {CASE_COLUMNS}, c.external_id, c.sync_seq FROM cases c WHERE ("));
                    let uuids: Vec<Uuid> = case_refs.iter().filter_map(|raw| Uuid::parse_str(raw).ok()).collect();
                    let displays: Vec<String> =
                        case_refs.iter().map(|raw| builder.bind(Bind::Text(raw.clone()))).collect();
                    builder.push(&format!("c.display_id IN ({})", displays.join(", ")));
                    if !uuids.is_empty() {
                        let ids: Vec<String> = uuids.iter().map(|id| builder.bind(Bind::Uuid(*id))).collect();
                        builder.push(&format!(" OR c.id IN ({})", ids.join(", ")));
                    }
                    builder.push(") AND ");
                    scope::push_scope(&mut builder, principal, Action::Import);
                    for row in Self::query_built(builder).persistent(false).fetch_all(&self.pool).await? {
                        let existing = Self::existing_from_row(&row, true)?;
                        targets.by_case_ref.insert(existing.record.id.0.to_string().to_uppercase(), existing.clone());
                        targets.by_case_ref.insert(existing.record.display_id.to_uppercase(), existing);
                    }
                }
                if !external_ids.is_empty() {
                    let mut builder =
                        SqlBuilder::new(&format!("SELECT {CASE_COLUMNS}, c.external_id, c.sync_seq, CASE WHEN "));
                    scope::push_scope(&mut builder, principal, Action::Import);
                    builder.push(" THEN 1 ELSE 0 END AS in_scope FROM cases c WHERE c.external_source = ");
                    builder.push_bind(Bind::Text(principal.agency_id.clone()));
                    let ids: Vec<String> =
                        external_ids.iter().map(|id| builder.bind(Bind::Text(id.clone()))).collect();
                    builder.push(&format!(" AND c.external_id IN ({})", ids.join(", ")));
                    for row in Self::query_built(builder).persistent(false).fetch_all(&self.pool).await? {
                        let in_scope: i32 = row.try_get("in_scope")?;
                        let existing = Self::existing_from_row(&row, in_scope == 1)?;
                        if let Some(external) = existing.external_id.clone() {
                            targets.by_external_id.insert(external, existing);
                        }
                    }
                }
                Ok(targets)
            }

            async fn save_import_mapping(
                &self,
                principal: &Principal,
                name: &str,
                format: &str,
                mapping: &Value,
                now: OffsetDateTime,
            ) -> StoreResult<SavedMapping> {
                let row = Self::query(
                    "INSERT INTO import_mappings (id, agency_id, name, format, mapping, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (agency_id, name) DO UPDATE SET \
                     format = excluded.format, mapping = excluded.mapping, created_by = excluded.created_by, \
                     created_at = excluded.created_at \
                     RETURNING id, name, format, mapping, created_by, created_at",
                )
                .bind(Uuid::now_v7())
                .bind(&principal.agency_id)
                .bind(name)
                .bind(format)
                .bind(Json(mapping))
                .bind(principal.user_id.0)
                .bind(utc(now))
                .fetch_one(&self.pool)
                .await?;
                Self::mapping_from_row(&row)
            }

            async fn import_mappings(&self, principal: &Principal) -> StoreResult<Vec<SavedMapping>> {
                let mut builder = SqlBuilder::new(
                    "SELECT id, name, format, mapping, created_by, created_at FROM import_mappings WHERE ",
                );
                push_import_scope(&mut builder, principal);
                builder.push(" ORDER BY name");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::mapping_from_row).collect()
            }

            async fn delete_import_mapping(&self, principal: &Principal, id: Uuid) -> StoreResult<bool> {
                let mut builder = SqlBuilder::new("DELETE FROM import_mappings WHERE id = ");
                builder.push_bind(Bind::Uuid(id)).push(" AND ");
                push_import_scope(&mut builder, principal);
                let result = Self::query_built(builder).execute(&self.pool).await?;
                Ok(result.rows_affected() == 1)
            }
        }
    };
}

import_store!(SqliteStore, sqlx::Sqlite, "BEGIN IMMEDIATE");
import_store!(PostgresStore, sqlx::Postgres, "BEGIN");
