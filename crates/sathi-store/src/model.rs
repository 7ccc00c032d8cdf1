//! The rows the store reads and writes.

use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_domain::validation::AppliedChange;
use sathi_domain::workflow::CaseStatus;
use serde::Serialize;
use serde_json::{Map, Value};
use time::{Date, OffsetDateTime};

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

/// Filters of a case list. Every filter narrows the caller's scope; an empty filter means
/// "every case I may see", never "every case".
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub enabled: Option<bool>,
    pub risk_levels: Vec<String>,
    pub sex: Option<String>,
    /// Inclusive bounds on date of birth, which is how an age range is queried.
    pub born_from: Option<Date>,
    pub born_to: Option<Date>,
    /// A location code at any level; its descendants match too.
    pub location: Option<String>,
    pub concern: Option<String>,
    pub owner_id: Option<UserId>,
    pub agency_id: Option<String>,
    pub registered_from: Option<Date>,
    pub registered_to: Option<Date>,
    pub updated_from: Option<OffsetDateTime>,
    pub updated_to: Option<OffsetDateTime>,
    pub stage: Option<String>,
    /// Search text: words of a name (normalised, prefix match) or a display id.
    pub query: Option<String>,
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
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
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
