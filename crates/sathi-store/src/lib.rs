//! Sathi's storage: one [`Store`] trait and its SQLite and PostgreSQL implementations.
//!
//! Every method that touches case records takes the caller's [`Principal`] and applies the
//! permission scope inside its SQL, so no caller can forget it: a record outside the scope is
//! indistinguishable from a missing one. The store does no validation of form data; the server
//! validates with `sathi_domain::validation` before calling it.

mod approvals;
mod attachments;
mod columns;
mod dashboard;
mod exports;
mod flags;
mod imports;
mod model;
mod notifications;
mod push;
mod referrals;
mod reports;
mod scope;
mod sql;
mod sync;
mod tasks;

use std::sync::Arc;

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, GroupId, UserId};
use sathi_domain::principal::Principal;
use time::OffsetDateTime;

pub use approvals::{
    Approval, ApprovalCreate, ApprovalDecision, ApprovalFilter, ApprovalStore, DecisionOutcome, NewApproval,
};
pub use attachments::{
    Append, Attachment, AttachmentId, AttachmentStatus, AttachmentStore, NewAttachment, Registration,
};
pub use columns::IndexedColumns;
pub use dashboard::{
    AGENCY_REFERRALS_LIMIT, AgencyReferralFilter, AgencySide, BirthRange, CaseDimension, CaseMilestone,
    DashboardStore, ReferralDimension,
};
pub use exports::{
    EXPORT_INTERRUPTED, ExportFile, ExportId, ExportOutcome, ExportState, ExportStore, NewExport,
};
pub use flags::{Flag, FlagAdd, FlagStore, NewFlag};
pub use imports::{
    Claim, EarlierRows, ExistingCase, ImportBatch, ImportId, ImportOwner, ImportRecord, ImportRowOutcome,
    ImportStore, ImportSummary, ImportTargets, ImportWrite, JobKind, NewImport, SavedMapping, StaleImport,
    UploadedFile, outcome as import_outcome, state as import_state, write_error as import_write_error,
};
pub use model::*;
pub use notifications::{
    NOTIFICATION_KINDS, NewNotification, Notification, NotificationStore, ReadSelection,
};
pub use push::{
    DeliveryOutcome, NewPushSubscription, PushBacklog, PushDelivery, PushEndpoint, PushStore,
    PushSubscription, SavedSubscription,
};
pub use referrals::{
    ConsentDecision, ListBox, Moved, NewCaseReferral, NewTransfer, Opened, REFERRAL_STATUSES, Referral,
    ReferralStep, ReferralStore, StatusFilter, TRANSFER_KINDS, Transfer, TransferStep, Transition,
};
pub use reports::{
    CountQuery, CountedRecords, DayEnd, DaysCount, GroupCount, Grouping, KeyFilter, Milestone, ReportFilter,
    ReportSnapshot, ReportStore,
};
pub use sql::{PostgresStore, SqliteStore};
pub use sync::SyncStore;
pub use tasks::{OWNED_TASKS_SQL, TaskQuery, TaskRow, TaskStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row was changed by someone else since it was read; re-read and try again.
    #[error("the record changed since it was read")]
    VersionConflict,
    /// A unique value (user name, display id) is taken.
    #[error("a record with this {0} already exists")]
    Duplicate(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database cannot hold Sathi's data as configured, such as a non-UTF-8 PostgreSQL.
    #[error("the database is not set up correctly: {0}")]
    Setup(String),
    /// A device's mutation is not the one after its last applied `seq` any more.
    #[error("the device's mutations arrived out of order")]
    OutOfOrder,
    /// The conflict or held mutation was already settled by someone else.
    #[error("this was already settled")]
    AlreadyDone,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The narrow storage interface the server and the CLI use.
#[async_trait]
pub trait Store:
    SyncStore
    + AttachmentStore
    + NotificationStore
    + PushStore
    + ApprovalStore
    + FlagStore
    + ImportStore
    + TaskStore
    + DashboardStore
    + ReferralStore
    + ReportStore
    + ExportStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs and the health check.
    fn backend(&self) -> &'static str;

    /// Checks that the database responds.
    async fn ping(&self) -> StoreResult<()>;

    // Configuration.
    async fn current_configuration(&self) -> StoreResult<Option<StoredConfiguration>>;
    /// Returns the version of the newest stored configuration, without reading it.
    async fn configuration_version(&self) -> StoreResult<Option<i64>>;
    async fn save_configuration(
        &self,
        document: &serde_json::Value,
        label: &str,
        by: Option<UserId>,
        now: OffsetDateTime,
    ) -> StoreResult<i64>;
    /// Counts the cases whose current location is one of `codes`, by code, across every
    /// agency. The configuration manager's check before a configuration drops locations.
    async fn cases_at_locations(&self, codes: &[String]) -> StoreResult<Vec<(String, i64)>>;

    // Users, groups and sessions.
    async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<User>;
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>>;
    async fn password_hash(&self, id: UserId) -> StoreResult<Option<String>>;
    async fn list_users(&self, agency_id: Option<&str>) -> StoreResult<Vec<User>>;
    async fn count_users(&self) -> StoreResult<i64>;
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<bool>;
    async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<bool>;
    async fn set_user_locale(&self, id: UserId, locale: &str) -> StoreResult<bool>;
    /// Counts a failed login and locks the account for `lockout` once `max_attempts` fail in a
    /// row. Returns the lock's end if the account is now locked.
    async fn record_failed_login(
        &self,
        id: UserId,
        max_attempts: u32,
        lockout: time::Duration,
        now: OffsetDateTime,
    ) -> StoreResult<Option<OffsetDateTime>>;
    async fn reset_failed_logins(&self, id: UserId) -> StoreResult<()>;
    /// Returns the user's vault key, storing `candidate` first if the user has none yet.
    async fn vault_key(&self, id: UserId, candidate: &[u8]) -> StoreResult<Vec<u8>>;

    async fn create_group(&self, name: &str, agency_id: &str) -> StoreResult<GroupId>;
    async fn add_group_member(&self, group: GroupId, user: UserId) -> StoreResult<()>;
    async fn groups_of(&self, user: UserId) -> StoreResult<Vec<GroupId>>;

    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Returns the user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<UserId>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn delete_sessions_of(&self, user: UserId) -> StoreResult<()>;
    async fn delete_expired_sessions_of(&self, user: UserId, now: OffsetDateTime) -> StoreResult<()>;

    // Case records, always within the caller's scope.
    async fn create_case(&self, principal: &Principal, case: &NewCase) -> StoreResult<CaseRecord>;
    /// Reads one case if the caller may read it; `None` for missing and out-of-scope alike.
    async fn case(&self, principal: &Principal, id: CaseId) -> StoreResult<Option<CaseRecord>>;
    /// Writes a new version of a case if the caller may write it and it is still at
    /// `update.expected_version`. `Ok(None)` means missing or out of write scope.
    async fn update_case(
        &self,
        principal: &Principal,
        update: &CaseUpdate,
    ) -> StoreResult<Option<CaseRecord>>;
    async fn list_cases(&self, principal: &Principal, filter: &CaseFilter) -> StoreResult<CasePage>;
    async fn case_changes(&self, principal: &Principal, id: CaseId) -> StoreResult<Option<Vec<ChangeEntry>>>;
    async fn display_id_taken(&self, display_id: &str) -> StoreResult<bool>;

    // Audit log.
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    async fn audit_entries(&self, case_id: Option<CaseId>, limit: i64) -> StoreResult<Vec<StoredAuditEntry>>;
}

/// Opens the store a database URL names: `sqlite://PATH` or `postgres://...`, and applies the
/// embedded migrations.
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    }
}
