//! The dry run and the run of an import: read the file in batches, decide each row (create,
//! update, unchanged or rejected), and record the outcomes, writing cases in a run.
//!
//! Both kinds decide rows with the same code, so a run does what its dry run reported unless
//! the data changed in between, because the run checks every row again against the cases as
//! they are then. The server spawns a job as a Tokio task and `sathi import` awaits it, so both take the
//! same path. Progress, the heartbeat and the outcomes of a batch are written in one store
//! transaction, which any server process reads.

use std::collections::HashMap;

use sathi_domain::config::Configuration;
use sathi_domain::ids::CaseId;
use sathi_domain::import::{ImportFormat, Importer, Mapping, RowError, SourceRow};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sathi_domain::validation::{ValidatedWrite, Validator};
use sathi_store::{
    CaseUpdate, ExistingCase, ImportBatch, ImportId, ImportRowOutcome, ImportSummary, ImportTargets,
    ImportWrite, JobKind, NewCase, User, import_outcome as outcome,
};
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use super::source::{self, SourceEvent, SourceItem};
use crate::state::AppState;

/// A job that owns its import (the store's claim succeeded).
#[derive(Clone)]
pub struct Job {
    pub state: AppState,
    pub principal: Principal,
    pub import_id: ImportId,
    pub format: ImportFormat,
    pub kind: JobKind,
    pub mapping: Mapping,
    pub job_id: Uuid,
    /// Rows the file holds, counted at upload.
    pub rows_total: Option<i64>,
    /// The newest sync order number when the dry run started. A run rejects an update of a
    /// case written after it.
    pub checked_seq: Option<i64>,
}

/// The end of a job that did not finish.
#[derive(Debug)]
pub enum JobFailure {
    /// The reason's code (`error-<code>`), stored on the import.
    Failed(&'static str),
    /// Another process declared the job stale and may have started it again; this one stops
    /// without writing anything more.
    Lost,
}

impl Job {
    /// Runs the job to its end, stores its outcome and audits it. `progress` is called after
    /// each batch with the rows done.
    pub async fn run(self, progress: impl Fn(i64)) -> Result<ImportSummary, JobFailure> {
        let result = self.process(&progress).await;
        if matches!(result, Err(JobFailure::Lost)) {
            tracing::warn!(import_id = %self.import_id, "import job stopped: another process took over its import");
            return result;
        }
        let now = self.state.now();
        let store = &self.state.store;
        let (summary, error) = match &result {
            Ok(summary) => (*summary, None),
            Err(JobFailure::Failed(code)) => (ImportSummary::default(), Some(*code)),
            Err(JobFailure::Lost) => (ImportSummary::default(), None),
        };
        match store.finish_import_job(self.import_id, self.job_id, self.kind, &summary, error, now).await {
            Ok(true) => {}
            Ok(false) => return Err(JobFailure::Lost),
            Err(error) => {
                tracing::error!(import_id = %self.import_id, %error, "cannot store the end of an import job");
                return Err(JobFailure::Failed("import_failed"));
            }
        }
        self.audit(&summary, error).await;
        match error {
            None => tracing::info!(
                import_id = %self.import_id,
                kind = self.action(),
                created = summary.created,
                updated = summary.updated,
                unchanged = summary.unchanged,
                rejected = summary.rejected,
                "import job finished"
            ),
            Some(code) => {
                tracing::warn!(import_id = %self.import_id, kind = self.action(), code, "import job failed")
            }
        }
        result
    }

    fn action(&self) -> &'static str {
        match self.kind {
            JobKind::DryRun => "import.dry_run",
            JobKind::Run => "import.run",
        }
    }

    /// Writes the job's audit entry: the import id and the counts, never values.
    async fn audit(&self, summary: &ImportSummary, error: Option<&str>) {
        let entry = sathi_store::AuditEntry {
            user_id: Some(self.principal.user_id),
            action: self.action().to_owned(),
            case_id: None,
            outcome: if error.is_some() { "failed".to_owned() } else { "ok".to_owned() },
            detail: serde_json::json!({
                "import_id": self.import_id.0,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            }),
            at: self.state.now(),
        };
        if let Err(error) = self.state.store.audit(&entry).await {
            tracing::error!(import_id = %self.import_id, %error, "cannot write the audit entry of an import job");
        }
    }

    async fn process(&self, progress: &impl Fn(i64)) -> Result<ImportSummary, JobFailure> {
        let loaded = self.state.configuration();
        let config = &loaded.config;
        let mut events = source::spawn_reader(self.state.store.clone(), self.import_id, self.format);
        let headers = match events.recv().await {
            Some(SourceEvent::Headers(headers)) => headers,
            Some(SourceEvent::Failed(code)) => return Err(JobFailure::Failed(code)),
            _ => return Err(JobFailure::Failed("import_unreadable_file")),
        };
        let importer = Importer::new(config, &self.mapping, self.format, &headers)
            .map_err(|_| JobFailure::Failed("import_mapping_invalid"))?;
        let mut decider = Decider::new(self, config);
        let mut summary = ImportSummary::default();
        let mut rows_done: i64 = 0;

        while let Some(event) = events.recv().await {
            let rows = match event {
                SourceEvent::Rows(rows) => rows,
                SourceEvent::Failed(code) => return Err(JobFailure::Failed(code)),
                SourceEvent::Headers(_) => continue,
            };
            let source_rows: Vec<SourceRow> =
                rows.iter().map(|(number, item)| read(&importer, *number, item)).collect();
            let decided = decider.decide(&importer, &source_rows).await?;
            rows_done += source_rows.len() as i64;
            let outcomes = self.record(decided, rows_done).await?;
            for outcome in &outcomes {
                summary.count(&outcome.outcome);
            }
            progress(rows_done);
        }
        Ok(summary)
    }

    /// Writes a batch's decisions; returns every row's outcome.
    async fn record(
        &self,
        decided: Vec<Decision>,
        rows_done: i64,
    ) -> Result<Vec<ImportRowOutcome>, JobFailure> {
        let mut writes = Vec::new();
        let mut rows = Vec::new();
        for decision in decided {
            match decision {
                Decision::Outcome(row) => rows.push(row),
                Decision::Write(write) => writes.push(write),
            }
        }
        let prefix = self.state.configuration().config.deployment.display_id_prefix.clone();
        let new_display_id = move || crate::cases::new_display_id(&prefix);
        let batch = ImportBatch {
            import_id: self.import_id,
            job_id: self.job_id,
            writes,
            rows,
            rows_done,
            rows_total: self.rows_total,
            now: self.state.now(),
        };
        let written = self
            .state
            .store
            .write_import_batch(&self.principal, &batch, &new_display_id)
            .await
            .map_err(|error| {
                tracing::error!(import_id = %self.import_id, %error, "cannot write a batch of an import");
                JobFailure::Failed("import_failed")
            })?
            .ok_or(JobFailure::Lost)?;
        let mut outcomes = batch.rows;
        outcomes.extend(written);
        Ok(outcomes)
    }
}

fn read(importer: &Importer, number: u64, item: &SourceItem) -> SourceRow {
    match item {
        SourceItem::Cells(cells) => importer.read_row(number, cells),
        SourceItem::Record(record) => importer.read_record(number, record),
        SourceItem::Unreadable(error) => SourceRow {
            number,
            case_ref: None,
            external_id: None,
            owner: None,
            values: Default::default(),
            errors: vec![error.clone()],
            cells: Default::default(),
        },
    }
}

/// The decision about one row.
enum Decision {
    /// Nothing to write: unchanged, rejected, or any row of a dry run.
    Outcome(ImportRowOutcome),
    Write(ImportWrite),
}

/// A decider of rows, which remembers the owners it looked up. A second row about a case or an
/// external id that an earlier row named is rejected, so a file cannot update one case twice in
/// a way that its dry run did not show. Earlier batches' rows are read from the store, where the
/// job recorded them, so the job's memory does not grow with the file.
struct Decider<'a> {
    job: &'a Job,
    config: &'a Configuration,
    today: Date,
    owners: HashMap<String, Option<User>>,
}

/// The first rows that named each case and external id: those of earlier batches, and those of
/// the batch being decided.
#[derive(Default)]
struct Named {
    cases: HashMap<CaseId, i64>,
    external_ids: HashMap<String, i64>,
}

impl Named {
    /// Returns the first row that named the case or the external id, and otherwise remembers
    /// that row `number` did.
    fn first_or_insert(
        &mut self,
        case: Option<CaseId>,
        external_id: Option<&String>,
        number: i64,
    ) -> Option<i64> {
        let earlier = case
            .and_then(|id| self.cases.get(&id))
            .into_iter()
            .chain(external_id.and_then(|id| self.external_ids.get(id)))
            .min()
            .copied();
        if earlier.is_none() {
            if let Some(id) = case {
                self.cases.insert(id, number);
            }
            if let Some(id) = external_id {
                self.external_ids.insert(id.clone(), number);
            }
        }
        earlier
    }
}

impl<'a> Decider<'a> {
    fn new(job: &'a Job, config: &'a Configuration) -> Self {
        Decider { job, config, today: job.state.today(config), owners: HashMap::new() }
    }

    async fn decide(
        &mut self,
        importer: &Importer<'_>,
        rows: &[SourceRow],
    ) -> Result<Vec<Decision>, JobFailure> {
        let store = &self.job.state.store;
        let case_refs: Vec<String> = rows.iter().filter_map(|row| row.case_ref.clone()).collect();
        let external_ids: Vec<String> = rows.iter().filter_map(|row| row.external_id.clone()).collect();
        let failed = |error: sathi_store::StoreError| {
            tracing::error!(import_id = %self.job.import_id, %error, "cannot look up the cases an import names");
            JobFailure::Failed("import_failed")
        };
        let targets =
            store.import_targets(&self.job.principal, &case_refs, &external_ids).await.map_err(failed)?;
        let case_ids: Vec<CaseId> = targets
            .by_case_ref
            .values()
            .chain(targets.by_external_id.values())
            .map(|existing| existing.record.id)
            .collect();
        let named_external_ids: Vec<String> = rows
            .iter()
            .filter_map(|row| row.external_id.clone())
            .chain(targets.by_case_ref.values().filter_map(|existing| existing.external_id.clone()))
            .collect();
        let earlier = store
            .earlier_import_rows(&self.job.principal, self.job.import_id, &case_ids, &named_external_ids)
            .await
            .map_err(failed)?;
        let mut named = Named { cases: earlier.by_case, external_ids: earlier.by_external_id };
        let validator = Validator::new(self.config, self.today);

        let mut decisions = Vec::with_capacity(rows.len());
        for row in rows {
            let decision = self.decide_row(importer, &validator, &targets, &mut named, row).await?;
            decisions.push(decision);
        }
        Ok(decisions)
    }

    async fn decide_row(
        &mut self,
        importer: &Importer<'_>,
        validator: &Validator<'_>,
        targets: &ImportTargets,
        named: &mut Named,
        row: &SourceRow,
    ) -> Result<Decision, JobFailure> {
        let number = row.number as i64;
        let reject =
            |errors: Vec<RowError>| Decision::Outcome(rejected(number, row.external_id.clone(), errors));

        let existing: Option<&ExistingCase> = match (&row.case_ref, &row.external_id) {
            (Some(case_ref), external_id) => match targets.by_case_ref.get(case_ref) {
                Some(found) => {
                    // Both ids must name this case: another case's external id, or another
                    // external id than the case's own, would put one child's data in another's case.
                    if let Some(external) = external_id {
                        let other_case = targets
                            .by_external_id
                            .get(external)
                            .is_some_and(|named| named.record.id != found.record.id);
                        let other_id = found.external_id.as_ref().is_some_and(|own| own != external);
                        if other_case || other_id {
                            let error = RowError::new("import_ids_disagree")
                                .with("case_ref", case_ref)
                                .with("external_id", external);
                            return Ok(reject(vec![error]));
                        }
                    }
                    Some(found)
                }
                None => {
                    let mut errors = vec![
                        RowError::new(sathi_store::import_write_error::NOT_FOUND).with_cell(Some(case_ref)),
                    ];
                    errors.extend(row.errors.iter().cloned());
                    return Ok(reject(errors));
                }
            },
            (None, Some(external)) => match targets.by_external_id.get(external) {
                Some(found) if found.in_scope => Some(found),
                Some(_) => {
                    let error =
                        RowError::new(sathi_store::import_write_error::NOT_FOUND).with_cell(Some(external));
                    return Ok(reject(vec![error]));
                }
                None => None,
            },
            (None, None) => None,
        };

        let case = existing.map(|existing| existing.record.id);
        let external_id =
            row.external_id.as_ref().or(existing.and_then(|existing| existing.external_id.as_ref()));
        if let Some(first) = named.first_or_insert(case, external_id, number) {
            let id = row.case_ref.as_ref().or(row.external_id.as_ref());
            let error =
                RowError::new("import_duplicate_row").with("row", first).with_cell(id.map(String::as_str));
            return Ok(reject(vec![error]));
        }

        match existing {
            Some(existing) => Ok(self.decide_update(importer, validator, row, existing)),
            None => self.decide_create(importer, validator, row).await,
        }
    }

    fn decide_update(
        &self,
        importer: &Importer,
        validator: &Validator,
        row: &SourceRow,
        existing: &ExistingCase,
    ) -> Decision {
        let number = row.number as i64;
        let record = &existing.record;
        let external_id = existing.external_id.clone().or_else(|| row.external_id.clone());
        let write = match importer.validate_update(row, &record.data, validator) {
            Ok(write) => write,
            // The case and its external id stay on the row, so later rows about it are duplicates.
            Err(errors) => {
                return Decision::Outcome(ImportRowOutcome {
                    case_id: Some(record.id),
                    display_id: Some(record.display_id.clone()),
                    ..rejected(number, external_id, errors)
                });
            }
        };
        if write.changes.is_empty() {
            return Decision::Outcome(ImportRowOutcome {
                row_number: number,
                outcome: outcome::UNCHANGED.to_owned(),
                case_id: Some(record.id),
                display_id: Some(record.display_id.clone()),
                external_id,
                errors: Value::Array(Vec::new()),
            });
        }
        let written_since_check = self.job.checked_seq.is_some_and(|checked| existing.sync_seq > checked);
        if self.job.kind == JobKind::Run && written_since_check {
            let error = RowError::new("import_case_changed_since_check");
            return Decision::Outcome(ImportRowOutcome {
                case_id: Some(record.id),
                display_id: Some(record.display_id.clone()),
                ..rejected(number, external_id, vec![error])
            });
        }
        if self.job.kind == JobKind::DryRun {
            return Decision::Outcome(ImportRowOutcome {
                row_number: number,
                outcome: outcome::UPDATED.to_owned(),
                case_id: Some(record.id),
                display_id: Some(record.display_id.clone()),
                external_id,
                errors: Value::Array(Vec::new()),
            });
        }
        let ValidatedWrite { data, changes } = write;
        Decision::Write(ImportWrite::Update {
            row_number: number,
            update: CaseUpdate {
                id: record.id,
                action: Action::Import,
                expected_version: record.version,
                data,
                changes,
                status: record.status,
                enabled: record.enabled,
                now: self.job.state.now(),
            },
            external_id,
        })
    }

    async fn decide_create(
        &mut self,
        importer: &Importer<'_>,
        validator: &Validator<'_>,
        row: &SourceRow,
    ) -> Result<Decision, JobFailure> {
        let number = row.number as i64;
        let username = row
            .owner
            .clone()
            .or_else(|| self.job.mapping.owner.as_deref().map(|name| name.trim().to_lowercase()));
        let owner = match username {
            Some(username) => self.owner(&username).await?.map(Ok).unwrap_or(Err(username)),
            None => Err(String::new()),
        };
        let mut errors = Vec::new();
        if let Err(username) = &owner {
            errors.push(RowError::new(sathi_store::import_write_error::OWNER).with("value", username));
        }
        let write = match importer.validate_create(row, validator, self.today) {
            Ok(write) => Some(write),
            Err(mut found) => {
                errors.append(&mut found);
                None
            }
        };
        let (Ok(owner), Some(write), true) = (owner, write, errors.is_empty()) else {
            return Ok(Decision::Outcome(rejected(number, row.external_id.clone(), errors)));
        };
        if self.job.kind == JobKind::DryRun {
            return Ok(Decision::Outcome(ImportRowOutcome {
                row_number: number,
                outcome: outcome::CREATED.to_owned(),
                case_id: None,
                display_id: None,
                external_id: row.external_id.clone(),
                errors: Value::Array(Vec::new()),
            }));
        }
        let prefix = &self.config.deployment.display_id_prefix;
        Ok(Decision::Write(ImportWrite::Create {
            row_number: number,
            case: NewCase {
                id: CaseId::new(),
                display_id: crate::cases::new_display_id(prefix),
                data: write.data,
                changes: write.changes,
                owner_id: owner.id,
                owner_agency_id: owner.agency_id.clone(),
                now: self.job.state.now(),
            },
            external_id: row.external_id.clone(),
        }))
    }

    /// Looks up an owner in the import scope once per user name.
    async fn owner(&mut self, username: &str) -> Result<Option<User>, JobFailure> {
        if let Some(known) = self.owners.get(username) {
            return Ok(known.clone());
        }
        let found = self.job.state.store.import_owner(&self.job.principal, username).await.map_err(|error| {
            tracing::error!(import_id = %self.job.import_id, %error, "cannot look up the owner of imported cases");
            JobFailure::Failed("import_failed")
        })?;
        self.owners.insert(username.to_owned(), found.clone());
        Ok(found)
    }
}

fn rejected(row_number: i64, external_id: Option<String>, errors: Vec<RowError>) -> ImportRowOutcome {
    ImportRowOutcome {
        row_number,
        outcome: outcome::REJECTED.to_owned(),
        case_id: None,
        display_id: None,
        external_id,
        errors: serde_json::to_value(errors).unwrap_or(Value::Array(Vec::new())),
    }
}
