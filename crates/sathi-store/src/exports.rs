//! Case export files: their metadata, their bytes as chunks in the database, and the case query
//! an export runs.
//!
//! An export belongs to the user who asked for it. Every read of a file or its bytes checks the
//! owner and the expiry in its SQL, so another user's export reads exactly like a missing one.
//! The cases of an export come from the query of a case list (`scope::push_scoped_cases` with
//! the list's `CaseFilter`) in the scope of the `export` grant, and each page is read again
//! within both the read and the export scope.
//!
//! This module does not check the role's action grants or form access, and it does not render
//! the file: the server does.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::model::{CaseFilter, CaseRecord};
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{CASE_COLUMNS, PostgresStore, SqliteStore, utc};
use crate::{StoreError, StoreResult};

/// An export file's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExportId(pub Uuid);

impl std::fmt::Display for ExportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportState {
    /// The file is being generated.
    Running,
    /// Every chunk is stored; the file can be downloaded.
    Ready,
    /// Generation stopped. `error` contains the code, and no chunk is kept.
    Failed,
}

impl ExportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportState::Running => "running",
            ExportState::Ready => "ready",
            ExportState::Failed => "failed",
        }
    }

    fn parse(value: &str) -> StoreResult<Self> {
        match value {
            "running" => Ok(ExportState::Running),
            "ready" => Ok(ExportState::Ready),
            "failed" => Ok(ExportState::Failed),
            other => Err(StoreError::Corrupt(format!("unknown export state '{other}'"))),
        }
    }
}

/// The metadata of an export, stored before its generation starts.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExport {
    pub id: ExportId,
    pub owner_id: UserId,
    /// `csv`, `csv_plain`, `xlsx` or `json`.
    pub format: String,
    pub file_name: String,
    pub content_type: String,
    pub password_protected: bool,
    pub now: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub id: ExportId,
    pub owner_id: UserId,
    pub format: String,
    pub file_name: String,
    pub content_type: String,
    /// Length of the finished file in bytes; `None` until it is ready.
    pub size: Option<i64>,
    /// Cases written to the file; `None` until it is ready.
    pub row_count: Option<i64>,
    pub state: ExportState,
    /// The error code of a failed generation.
    pub error: Option<String>,
    pub password_protected: bool,
    pub created_at: OffsetDateTime,
    /// When the last chunk was stored or the state last changed.
    pub updated_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// The end state of a generation.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportOutcome {
    Ready { size: i64, row_count: i64 },
    Failed { error: String },
}

/// Storage of export files, each readable by its owner only.
#[async_trait]
pub trait ExportStore {
    /// Stores a new export in state `running`. Returns `None`, storing nothing, when its owner
    /// already has `max_running` running exports that have not expired.
    async fn create_export(&self, export: &NewExport, max_running: i64) -> StoreResult<Option<ExportFile>>;

    /// Stores chunk `seq` (counted from 0) of a running export. Returns `false`, storing
    /// nothing, when the export is no longer running (the cleanup job gave up on it).
    async fn append_export_chunk(
        &self,
        id: ExportId,
        seq: i64,
        bytes: &[u8],
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Records that the generation of a running export is still progressing, so that
    /// [`ExportStore::fail_stalled_exports`] leaves it alone. Returns `false` when the export is
    /// no longer running.
    async fn touch_export(&self, id: ExportId, now: OffsetDateTime) -> StoreResult<bool>;

    /// Ends a running export as ready or failed; a failed export loses its chunks. Returns
    /// `false` when the export was not running any more.
    async fn finish_export(
        &self,
        id: ExportId,
        outcome: &ExportOutcome,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Reads an unexpired export of `owner`; `None` for a missing, expired or another user's
    /// export alike.
    async fn export_file(
        &self,
        owner: UserId,
        id: ExportId,
        now: OffsetDateTime,
    ) -> StoreResult<Option<ExportFile>>;

    /// Lists the unexpired exports of `owner`, newest first.
    async fn list_exports(&self, owner: UserId, now: OffsetDateTime) -> StoreResult<Vec<ExportFile>>;

    /// Reads chunk `seq` of a ready, unexpired export of `owner`; `None` past the last chunk.
    async fn export_chunk(
        &self,
        owner: UserId,
        id: ExportId,
        seq: i64,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Vec<u8>>>;

    /// Deletes the exports that expired by `now`, with their chunks, and returns how many.
    async fn delete_expired_exports(&self, now: OffsetDateTime) -> StoreResult<u64>;

    /// Marks as failed (`interrupted`) the running exports that neither stored a chunk nor
    /// reported progress since `before`, because the process generating them stopped, and
    /// deletes their chunks. Returns how many.
    async fn fail_stalled_exports(&self, before: OffsetDateTime, now: OffsetDateTime) -> StoreResult<u64>;

    /// Returns the ids of the cases a case list with `filter` shows, limited to the scope of
    /// `principal`'s `export` grant, in the list's order. `filter.offset` and `filter.limit`
    /// are ignored, because an export contains every matching case.
    async fn export_case_ids(&self, principal: &Principal, filter: &CaseFilter) -> StoreResult<Vec<CaseId>>;

    /// Reads the cases `ids` that are still within both `principal`'s read and export scope,
    /// in the order of `ids`.
    async fn export_cases(&self, principal: &Principal, ids: &[CaseId]) -> StoreResult<Vec<CaseRecord>>;
}

const EXPORT_COLUMNS: &str = "id, owner_id, format, file_name, content_type, size, row_count, state, error, \
     password_protected, created_at, updated_at, expires_at";

/// The error code of an export whose process stopped while generating it.
pub const EXPORT_INTERRUPTED: &str = "interrupted";

macro_rules! export_store {
    ($store:ident, $db:ty, $begin_write:literal) => {
        impl $store {
            fn export_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<ExportFile> {
                let state: String = row.try_get("state")?;
                Ok(ExportFile {
                    id: ExportId(row.try_get("id")?),
                    owner_id: UserId(row.try_get("owner_id")?),
                    format: row.try_get("format")?,
                    file_name: row.try_get("file_name")?,
                    content_type: row.try_get("content_type")?,
                    size: row.try_get("size")?,
                    row_count: row.try_get("row_count")?,
                    state: ExportState::parse(&state)?,
                    error: row.try_get("error")?,
                    password_protected: row.try_get("password_protected")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    expires_at: row.try_get("expires_at")?,
                })
            }

            /// Deletes the chunks of the exports that `condition` (on `export_files`) selects,
            /// inside `tx`.
            async fn delete_export_chunks_where(
                tx: &mut sqlx::Transaction<'static, $db>,
                condition: &str,
                at: OffsetDateTime,
            ) -> StoreResult<()> {
                Self::query(&format!(
                    "DELETE FROM export_file_chunks WHERE export_id IN (SELECT id FROM export_files WHERE {condition})"
                ))
                .bind(utc(at))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

        #[async_trait]
        impl ExportStore for $store {
            async fn create_export(&self, export: &NewExport, max_running: i64) -> StoreResult<Option<ExportFile>> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                // Locks the owner's row until commit on PostgreSQL (SQLite's write transaction
                // locks the whole database), so requests at the same moment count each other.
                Self::query("UPDATE users SET disabled = disabled WHERE id = $1")
                    .bind(export.owner_id.0)
                    .execute(&mut *tx)
                    .await?;
                let running: i64 = Self::query(
                    "SELECT COUNT(*) AS n FROM export_files WHERE owner_id = $1 AND state = $2 AND expires_at > $3",
                )
                .bind(export.owner_id.0)
                .bind(ExportState::Running.as_str())
                .bind(utc(export.now))
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
                if running >= max_running {
                    return Ok(None);
                }
                let row = Self::query(&format!(
                    "INSERT INTO export_files (id, owner_id, format, file_name, content_type, state, \
                     password_protected, created_at, updated_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING {EXPORT_COLUMNS}"
                ))
                .bind(export.id.0)
                .bind(export.owner_id.0)
                .bind(&export.format)
                .bind(&export.file_name)
                .bind(&export.content_type)
                .bind(ExportState::Running.as_str())
                .bind(export.password_protected)
                .bind(utc(export.now))
                .bind(utc(export.expires_at))
                .fetch_one(&mut *tx)
                .await?;
                let created = Self::export_from_row(&row)?;
                tx.commit().await?;
                Ok(Some(created))
            }

            async fn append_export_chunk(
                &self,
                id: ExportId,
                seq: i64,
                bytes: &[u8],
                now: OffsetDateTime,
            ) -> StoreResult<bool> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                let touched = Self::query("UPDATE export_files SET updated_at = $1 WHERE id = $2 AND state = $3")
                    .bind(utc(now))
                    .bind(id.0)
                    .bind(ExportState::Running.as_str())
                    .execute(&mut *tx)
                    .await?;
                if touched.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::query("INSERT INTO export_file_chunks (export_id, seq, data) VALUES ($1, $2, $3)")
                    .bind(id.0)
                    .bind(seq)
                    .bind(bytes)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn touch_export(&self, id: ExportId, now: OffsetDateTime) -> StoreResult<bool> {
                let touched = Self::query("UPDATE export_files SET updated_at = $1 WHERE id = $2 AND state = $3")
                    .bind(utc(now))
                    .bind(id.0)
                    .bind(ExportState::Running.as_str())
                    .execute(&self.pool)
                    .await?;
                Ok(touched.rows_affected() == 1)
            }

            async fn finish_export(
                &self,
                id: ExportId,
                outcome: &ExportOutcome,
                now: OffsetDateTime,
            ) -> StoreResult<bool> {
                let (state, size, row_count, error) = match outcome {
                    ExportOutcome::Ready { size, row_count } => {
                        (ExportState::Ready, Some(*size), Some(*row_count), None)
                    }
                    ExportOutcome::Failed { error } => (ExportState::Failed, None, None, Some(error.clone())),
                };

                let mut tx = self.pool.begin_with($begin_write).await?;
                let changed = Self::query(
                    "UPDATE export_files SET state = $1, size = $2, row_count = $3, error = $4, updated_at = $5 \
                     WHERE id = $6 AND state = $7",
                )
                .bind(state.as_str())
                .bind(size)
                .bind(row_count)
                .bind(error)
                .bind(utc(now))
                .bind(id.0)
                .bind(ExportState::Running.as_str())
                .execute(&mut *tx)
                .await?;
                if changed.rows_affected() == 0 {
                    return Ok(false);
                }
                if state == ExportState::Failed {
                    Self::query("DELETE FROM export_file_chunks WHERE export_id = $1")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn export_file(
                &self,
                owner: UserId,
                id: ExportId,
                now: OffsetDateTime,
            ) -> StoreResult<Option<ExportFile>> {
                let row = Self::query(&format!(
                    "SELECT {EXPORT_COLUMNS} FROM export_files WHERE id = $1 AND owner_id = $2 AND expires_at > $3"
                ))
                .bind(id.0)
                .bind(owner.0)
                .bind(utc(now))
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(Self::export_from_row).transpose()
            }

            async fn list_exports(&self, owner: UserId, now: OffsetDateTime) -> StoreResult<Vec<ExportFile>> {
                let rows = Self::query(&format!(
                    "SELECT {EXPORT_COLUMNS} FROM export_files WHERE owner_id = $1 AND expires_at > $2 \
                     ORDER BY created_at DESC, id DESC"
                ))
                .bind(owner.0)
                .bind(utc(now))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::export_from_row).collect()
            }

            async fn export_chunk(
                &self,
                owner: UserId,
                id: ExportId,
                seq: i64,
                now: OffsetDateTime,
            ) -> StoreResult<Option<Vec<u8>>> {
                let row = Self::query(
                    "SELECT k.data FROM export_file_chunks k JOIN export_files f ON f.id = k.export_id \
                     WHERE f.id = $1 AND f.owner_id = $2 AND f.state = $3 AND f.expires_at > $4 AND k.seq = $5",
                )
                .bind(id.0)
                .bind(owner.0)
                .bind(ExportState::Ready.as_str())
                .bind(utc(now))
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|row| row.try_get("data")).transpose()?)
            }

            async fn delete_expired_exports(&self, now: OffsetDateTime) -> StoreResult<u64> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                Self::delete_export_chunks_where(&mut tx, "expires_at <= $1", now).await?;
                let deleted = Self::query("DELETE FROM export_files WHERE expires_at <= $1")
                    .bind(utc(now))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(deleted)
            }

            async fn fail_stalled_exports(&self, before: OffsetDateTime, now: OffsetDateTime) -> StoreResult<u64> {
                let mut tx = self.pool.begin_with($begin_write).await?;
                Self::delete_export_chunks_where(&mut tx, "state = 'running' AND updated_at < $1", before).await?;
                let failed = Self::query(
                    "UPDATE export_files SET state = $1, error = $2, updated_at = $3 \
                     WHERE state = 'running' AND updated_at < $4",
                )
                .bind(ExportState::Failed.as_str())
                .bind(EXPORT_INTERRUPTED)
                .bind(utc(now))
                .bind(utc(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(failed)
            }

            async fn export_case_ids(&self, principal: &Principal, filter: &CaseFilter) -> StoreResult<Vec<CaseId>> {
                let reach = self.reach(principal, Action::Export).await?;
                let mut builder = SqlBuilder::new("SELECT s.id FROM (");
                scope::push_scoped_cases(&mut builder, &reach, filter, scope::sort_columns(filter.sort));
                builder.push(") s").push(&scope::order_by(filter.sort, "s"));
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(|row| Ok(CaseId(row.try_get("id")?))).collect()
            }

            async fn export_cases(&self, principal: &Principal, ids: &[CaseId]) -> StoreResult<Vec<CaseRecord>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut builder = SqlBuilder::new(&format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id IN ("));
                let placeholders: Vec<String> = ids.iter().map(|id| builder.bind(Bind::Uuid(id.0))).collect();
                builder.push(&placeholders.join(", ")).push(") AND ");
                scope::push_scope(&mut builder, principal, Action::Read);
                builder.push(" AND ");
                scope::push_scope(&mut builder, principal, Action::Export);
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                let mut records = rows.iter().map(Self::case_from_row).collect::<StoreResult<Vec<_>>>()?;
                let position: std::collections::HashMap<CaseId, usize> =
                    ids.iter().enumerate().map(|(index, id)| (*id, index)).collect();
                records.sort_by_key(|record| position.get(&record.id).copied().unwrap_or(usize::MAX));
                Ok(records)
            }
        }
    };
}

export_store!(SqliteStore, sqlx::Sqlite, "BEGIN IMMEDIATE");
export_store!(PostgresStore, sqlx::Postgres, "BEGIN");
