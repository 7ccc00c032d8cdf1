//! The rows the store reads and writes.

use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_domain::validation::AppliedChange;
use sathi_domain::workflow::CaseStatus;
use serde::Serialize;
use serde_json::{Map, Value};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct StoredConfiguration {
    pub version: i64,
    pub label: String,
    pub document: Value,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub agency_id: String,
    pub role_id: String,
    pub locale: String,
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub agency_id: String,
    pub role_id: String,
    pub locale: String,
    pub disabled: bool,
    pub failed_logins: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub id: CaseId,
    pub display_id: String,
    pub data: Map<String, Value>,
    pub version: i64,
    pub status: CaseStatus,
    pub stage: String,
    pub enabled: bool,
    pub owner_id: UserId,
    pub owner_agency_id: String,
    pub created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
}

/// A case to insert; `data` and `changes` come validated from the domain's validator.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub id: CaseId,
    pub display_id: String,
    pub data: Map<String, Value>,
    pub changes: Vec<AppliedChange>,
    pub owner_id: UserId,
    pub owner_agency_id: String,
    pub now: OffsetDateTime,
}

/// A new version of a case. The change log gets one entry per change.
#[derive(Debug, Clone)]
pub struct CaseUpdate {
    pub id: CaseId,
    /// The action whose scope must cover the case: `Write` for edits, `Close`, `Reopen`...
    pub action: sathi_domain::permissions::Action,
    pub expected_version: i64,
    pub data: Map<String, Value>,
    pub changes: Vec<AppliedChange>,
    pub status: CaseStatus,
    pub enabled: bool,
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    RegisteredDesc,
    RegisteredAsc,
    NameAsc,
    RiskDesc,
}

/// A filter on a case value that may be missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueFilter {
    /// The value, such as an option id. For a location, the place or any place inside it.
    Is(String),
    /// No value recorded. For protection concerns: no concern at all.
    NotRecorded,
}

/// Filters of a case list. Every filter narrows the caller's scope; an empty filter means
/// "every case I may see", never "every case".
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub enabled: Option<bool>,
    /// Cases with any of these risk levels; empty for no filter.
    pub risk_levels: Vec<ValueFilter>,
    pub sex: Option<ValueFilter>,
    /// Inclusive bounds on date of birth, which is how an age range is queried.
    pub born_from: Option<Date>,
    pub born_to: Option<Date>,
    /// Only cases without a date of birth.
    pub age_unknown: bool,
    /// A location code at any level; its descendants match too.
    pub location: Option<ValueFilter>,
    pub concern: Option<ValueFilter>,
    pub owner_id: Option<UserId>,
    pub agency_id: Option<String>,
    pub registered_from: Option<Date>,
    pub registered_to: Option<Date>,
    /// Inclusive bounds on the closure date.
    pub closed_from: Option<Date>,
    pub closed_to: Option<Date>,
    /// `Some(true)`: an assessment completion date is recorded; `Some(false)`: none is.
    pub assessed: Option<bool>,
    /// `Some(true)`: a case plan approval date is recorded; `Some(false)`: none is.
    pub case_plan_approved: Option<bool>,
    pub updated_from: Option<OffsetDateTime>,
    pub updated_to: Option<OffsetDateTime>,
    pub stage: Option<String>,
    /// Search text: words of a name (normalised, prefix match) or a display id.
    pub query: Option<String>,
    /// Only cases whose global order number is above this (a sync cursor).
    pub sync_after: Option<i64>,
    pub sort: CaseSort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct CasePage {
    pub cases: Vec<CaseRecord>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeEntry {
    pub version: i64,
    pub path: String,
    pub old_value: Value,
    pub new_value: Value,
    pub user_id: UserId,
    pub username: Option<String>,
    pub full_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    /// The sync mutation that made the change, if a device's mutation did.
    pub mutation_id: Option<Uuid>,
    /// The conflict whose resolution the change is.
    pub conflict_id: Option<Uuid>,
    /// The device and its `seq` of the mutation that made the change, while the mutation's
    /// record is kept (see `SyncStore::purge_expired`).
    pub device_id: Option<Uuid>,
    pub device_seq: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub id: ReferralId,
    pub case_id: CaseId,
    pub from_user_id: UserId,
    pub to_user_id: UserId,
    pub to_agency_id: String,
    pub service_type: String,
    pub status: String,
    pub shared_forms: Vec<String>,
    pub now: OffsetDateTime,
}

/// One line of the audit log. `detail` holds ids and codes only, never names or field values.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub user_id: Option<UserId>,
    pub action: String,
    pub case_id: Option<CaseId>,
    pub outcome: String,
    pub detail: Value,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredAuditEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub user_id: Option<UserId>,
    pub action: String,
    pub case_id: Option<CaseId>,
    pub outcome: String,
    pub detail: Value,
}

/// What a change-log entry is linked to, besides its case: the sync mutation that made it, or
/// the conflict whose resolution it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeLink {
    pub mutation_id: Option<Uuid>,
    pub conflict_id: Option<Uuid>,
}

/// A device as the sync protocol knows it: the user it belongs to and the last `seq` whose
/// mutation was applied or rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub device_id: Uuid,
    pub user_id: UserId,
    pub last_seq: i64,
}

/// A mutation whose `seq` was consumed, with the result the server sent back.
#[derive(Debug, Clone)]
pub struct MutationRecord {
    pub mutation_id: Uuid,
    pub device_id: Uuid,
    pub user_id: UserId,
    pub seq: i64,
    pub case_id: Option<CaseId>,
    pub kind: String,
    pub status: String,
    pub result: Value,
    /// The device's clock as it reported it; never compared with anything.
    pub device_time: Option<String>,
    pub received_at: OffsetDateTime,
}

/// A mutation held until the lower `seq`s of its device arrive. `mutation` is the request's
/// JSON as the device sent it.
#[derive(Debug, Clone)]
pub struct ParkedMutation {
    pub device_id: Uuid,
    pub seq: i64,
    pub mutation_id: Uuid,
    pub user_id: UserId,
    pub mutation: Value,
    pub received_at: OffsetDateTime,
}

/// One value kept by a conflict: the value the case held, or a value a device sent.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ConflictCandidate {
    pub value: Value,
    pub user_id: UserId,
    pub username: Option<String>,
    /// The user's full name when the value was kept; absent in conflicts stored before it was.
    #[serde(default)]
    pub full_name: Option<String>,
    /// When the server received the value.
    #[serde(with = "time::serde::rfc3339")]
    pub server_time: OffsetDateTime,
    /// The device's clock when the value was made, as the device reported it.
    pub device_time: Option<String>,
    /// The case version the value was written in, for the value the case held.
    pub version: Option<i64>,
    pub mutation_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseConflict {
    pub id: Uuid,
    pub case_id: CaseId,
    pub path: String,
    /// `open` or `resolved`.
    pub status: String,
    pub candidates: Vec<ConflictCandidate>,
    pub opened_at: OffsetDateTime,
    pub opened_version: i64,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<OffsetDateTime>,
    pub resolved_version: Option<i64>,
    pub resolution: Option<Value>,
}

/// A conflict to open (`opened`) or whose candidate list grows, written with a case version.
#[derive(Debug, Clone)]
pub struct ConflictWrite {
    pub id: Uuid,
    pub path: String,
    pub candidates: Vec<ConflictCandidate>,
    pub opened: bool,
}

/// A case write the sync protocol makes.
#[derive(Debug, Clone)]
pub enum CaseWrite {
    Create(NewCase),
    Update(CaseUpdate),
}

/// Everything one applied, rejected or reviewed mutation writes, committed in one transaction:
/// the case version, conflicts, the stored result, and the device's `seq`.
#[derive(Debug, Clone, Default)]
pub struct MutationCommit {
    /// The mutation and its result, with the device's `seq` it consumes. `None` when a
    /// supervisor applies a quarantined mutation, which has its own record.
    pub record: Option<MutationRecord>,
    pub write: Option<CaseWrite>,
    /// Written to the change log with each change of `write`.
    pub link: ChangeLink,
    pub conflicts: Vec<ConflictWrite>,
    /// A conflict this write resolves; it must still be open.
    pub resolves: Option<ConflictResolution>,
    /// A quarantined mutation this write reviews; it must still be held.
    pub review: Option<QuarantineReview>,
    /// A copy of the mutation to keep aside for a supervisor, stored with its record.
    pub quarantine: Option<QuarantinedMutation>,
    /// A new owner of the case, set with the write.
    pub owner: Option<(UserId, String)>,
    /// Notifications to write with the case version, each with its recipient.
    pub notifications: Vec<(UserId, crate::NewNotification)>,
}

#[derive(Debug, Clone)]
pub struct ConflictResolution {
    pub conflict_id: Uuid,
    pub value: Value,
    pub by: UserId,
    pub at: OffsetDateTime,
}

/// A supervisor's decision on a quarantined mutation, or an apply that was rejected.
#[derive(Debug, Clone)]
pub struct QuarantineReview {
    pub id: Uuid,
    /// `applied`, `discarded`, or `held` for an apply that was rejected and changed nothing.
    pub status: String,
    pub by: UserId,
    pub at: OffsetDateTime,
    pub note: Option<String>,
    pub result: Value,
}

/// A mutation of a deactivated user's device, held unapplied for a supervisor.
#[derive(Debug, Clone)]
pub struct QuarantinedMutation {
    pub id: Uuid,
    pub user_id: UserId,
    pub device_id: Uuid,
    pub mutation_id: Uuid,
    pub seq: i64,
    pub case_id: Option<CaseId>,
    pub mutation: Value,
    /// `held`, `applied` or `discarded`.
    pub status: String,
    /// Why it was kept aside: `account_disabled` or `not_owner_since`.
    pub reason: String,
    pub received_at: OffsetDateTime,
    pub reviewed_by: Option<UserId>,
    pub reviewed_at: Option<OffsetDateTime>,
    pub note: Option<String>,
    pub result: Option<Value>,
    /// The user's name and full name, read with the row.
    pub username: Option<String>,
    pub full_name: Option<String>,
}

/// One page of a delta download, in global order.
#[derive(Debug, Clone)]
pub struct SyncPage {
    pub cases: Vec<CaseRecord>,
    /// The global order number of the last case of the page.
    pub last_seq: Option<i64>,
    /// In-scope cases changed after the page.
    pub remaining: i64,
}

/// How many rows [`crate::SyncStore::purge_expired`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Stored results of sync mutations.
    pub mutations: u64,
    /// Mutations parked until a lower `seq` of their device arrived, which never came.
    pub parked: u64,
    /// Attachment uploads that never completed; filled by the caller from `AttachmentStore`.
    pub uploads: u64,
    pub sessions: u64,
}
