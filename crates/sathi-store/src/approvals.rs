//! Approval requests of a case's assessment, case plan or closure, and their decisions.
//!
//! Every transition is a compare-and-set on the request's `version` and `status`, so when two
//! supervisors decide at once exactly one succeeds. An approval writes its case version in the
//! same transaction as the decision, and each transition writes its notifications there too.
//! Every method applies the scope of the request's case inside its SQL; a request on a case
//! outside the scope reads exactly like a missing one.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::model::{CaseRecord, CaseUpdate, ChangeLink};
use crate::notifications::NewNotification;
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, is_unique_violation, utc};
use crate::{StoreError, StoreResult};

/// An approval request as stored, with the names and display id its view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub id: Uuid,
    pub case_id: CaseId,
    pub display_id: String,
    /// `assessment`, `case_plan` or `closure`.
    pub kind: String,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    pub version: i64,
    pub requested_by: UserId,
    pub requested_by_name: Option<String>,
    pub requested_at: OffsetDateTime,
    pub request_comment: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewApproval {
    /// Made by the client, so a retried request finds the first one.
    pub id: Uuid,
    pub case_id: CaseId,
    pub kind: String,
    pub comment: Option<String>,
    pub now: OffsetDateTime,
}

/// The result of requesting an approval on a case in the caller's write scope.
#[derive(Debug, Clone, PartialEq)]
pub enum ApprovalCreate {
    Created(Approval),
    /// The id exists already for this case and kind: a retry of the same request.
    Existing(Approval),
    /// A pending request of the same kind exists; its id.
    Pending(Uuid),
    /// The id is used by another request.
    IdTaken,
}

/// A decision on a pending request: `approved`, `rejected` or `withdrawn`.
#[derive(Debug, Clone)]
pub struct ApprovalDecision {
    pub id: Uuid,
    pub expected_version: i64,
    pub status: &'static str,
    pub comment: Option<String>,
    pub now: OffsetDateTime,
    /// The case version an approval writes; its `action` is the scope the decider needs.
    pub case_update: Option<CaseUpdate>,
}

#[derive(Debug, Clone)]
pub enum DecisionOutcome {
    /// The decision was written, with the case version it wrote.
    Decided(Box<Approval>, Option<Box<CaseRecord>>),
    /// The request is no longer at the expected version or no longer pending.
    StateChanged { status: String, version: i64 },
    /// The caller can read the request but may not make this decision on it.
    NotPermitted,
}

/// Which approvals a list returns.
#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    /// Only requests in this status.
    pub status: Option<String>,
    /// Every request of this case, if the caller may read it, in place of the caller's view.
    pub case_id: Option<CaseId>,
    /// Only requests the caller may decide (Approve scope, not their own).
    pub decidable_only: bool,
}

#[async_trait]
pub trait ApprovalStore {
    /// Requests an approval if the case is in `principal`'s write scope, and notifies the users
    /// whose role grants Approve at one of `approvers` (role id and scope) over the case.
    /// `Ok(None)` for a missing and an out-of-scope case alike.
    async fn create_approval(
        &self,
        principal: &Principal,
        approval: &NewApproval,
        approvers: &[(String, Scope)],
    ) -> StoreResult<Option<ApprovalCreate>>;

    /// Reads a request whose case `principal` may read.
    async fn approval(&self, principal: &Principal, id: Uuid) -> StoreResult<Option<Approval>>;

    /// Lists requests the caller may see: on cases in the caller's Approve scope, and the
    /// caller's own requests on cases they may read; with `case_id`, every request of that
    /// case if the caller may read it. Newest first, at most 500.
    async fn approvals(&self, principal: &Principal, filter: &ApprovalFilter) -> StoreResult<Vec<Approval>>;

    /// Decides a request: approve and reject need the Approve scope over its case and may not
    /// be the requester; withdraw must be the requester. `Ok(None)` when the request is
    /// missing or its case unreadable. `StoreError::VersionConflict` when the case changed
    /// since `case_update` was built; nothing was written then.
    async fn decide_approval(
        &self,
        principal: &Principal,
        decision: &ApprovalDecision,
    ) -> StoreResult<Option<DecisionOutcome>>;
}

const APPROVAL_SELECT: &str = "SELECT a.id, a.case_id, c.display_id, a.kind, a.status, a.version, a.requested_by, \
     ru.full_name AS requested_by_name, a.requested_at, a.request_comment, a.decided_by, \
     du.full_name AS decided_by_name, a.decided_at, a.comment \
     FROM approvals a JOIN cases c ON c.id = a.case_id \
     LEFT JOIN users ru ON ru.id = a.requested_by LEFT JOIN users du ON du.id = a.decided_by";

/// Appends the condition that `users u` has one of `approvers` (role and scope) over `cases c`,
/// by the same rules as [`scope::push_scope`]: own, group members, agency, or every case.
fn push_approvers(builder: &mut SqlBuilder, approvers: &[(String, Scope)]) {
    builder.push("(1 = 0");
    for (role, scope) in approvers {
        let role = builder.bind(Bind::Text(role.clone()));
        let reach = match scope {
            Scope::All => "1 = 1".to_owned(),
            Scope::Agency => "u.agency_id = c.owner_agency_id OR u.id = c.owner_id".to_owned(),
            Scope::Group => "u.id = c.owner_id OR EXISTS (SELECT 1 FROM group_members mine \
                 JOIN group_members theirs ON theirs.group_id = mine.group_id \
                 WHERE mine.user_id = u.id AND theirs.user_id = c.owner_id)"
                .to_owned(),
            Scope::Own => "u.id = c.owner_id \
                 OR EXISTS (SELECT 1 FROM case_assignments s WHERE s.case_id = c.id AND s.user_id = u.id)"
                .to_owned(),
        };
        builder.push(&format!(" OR (u.role_id = {role} AND ({reach}))"));
    }
    builder.push(")");
}

macro_rules! approval_store {
    ($store:ident, $db:ty) => {
        impl $store {
            fn approval_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Approval> {
                let decided_by: Option<Uuid> = row.try_get("decided_by")?;
                Ok(Approval {
                    id: row.try_get("id")?,
                    case_id: CaseId(row.try_get("case_id")?),
                    display_id: row.try_get("display_id")?,
                    kind: row.try_get("kind")?,
                    status: row.try_get("status")?,
                    version: row.try_get("version")?,
                    requested_by: UserId(row.try_get("requested_by")?),
                    requested_by_name: row.try_get("requested_by_name")?,
                    requested_at: row.try_get("requested_at")?,
                    request_comment: row.try_get("request_comment")?,
                    decided_by: decided_by.map(UserId),
                    decided_by_name: row.try_get("decided_by_name")?,
                    decided_at: row.try_get("decided_at")?,
                    comment: row.try_get("comment")?,
                })
            }

            /// Reads a request inside `tx` if its case is in `principal`'s scope for `action`.
            async fn approval_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                id: Uuid,
                action: Action,
            ) -> StoreResult<Option<Approval>> {
                let mut builder = SqlBuilder::new(&format!("{APPROVAL_SELECT} WHERE a.id = "));
                builder.push_bind(Bind::Uuid(id)).push(" AND ");
                scope::push_direct_scope(&mut builder, principal, action);
                let row = Self::query_built(builder).fetch_optional(&mut **tx).await?;
                row.as_ref().map(Self::approval_from_row).transpose()
            }

            /// Notifies the approvers of a new request inside `tx`; the requester is skipped.
            async fn notify_approvers_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                approval: &Approval,
                approvers: &[(String, Scope)],
                now: OffsetDateTime,
            ) -> StoreResult<()> {
                let mut builder = SqlBuilder::new("SELECT u.id FROM users u CROSS JOIN cases c WHERE c.id = ");
                builder.push_bind(Bind::Uuid(approval.case_id.0)).push(" AND u.disabled = ");
                builder.push_bind(Bind::Bool(false)).push(" AND ");
                push_approvers(&mut builder, approvers);
                let rows = Self::query_built(builder).fetch_all(&mut **tx).await?;
                let notification = NewNotification {
                    kind: "approval_requested",
                    case_id: Some(approval.case_id),
                    subject_id: Some(approval.id),
                    actor_id: Some(approval.requested_by),
                    now,
                };
                for row in rows {
                    Self::insert_notification_tx(tx, UserId(row.try_get("id")?), &notification).await?;
                }
                Ok(())
            }
        }

        #[async_trait]
        impl ApprovalStore for $store {
            async fn create_approval(
                &self,
                principal: &Principal,
                approval: &NewApproval,
                approvers: &[(String, Scope)],
            ) -> StoreResult<Option<ApprovalCreate>> {
                let mut tx = self.begin_write().await?;
                let mut case = SqlBuilder::new("SELECT c.id FROM cases c WHERE c.id = ");
                case.push_bind(Bind::Uuid(approval.case_id.0)).push(" AND ");
                scope::push_direct_scope(&mut case, principal, Action::Write);
                if Self::query_built(case).fetch_optional(&mut *tx).await?.is_none() {
                    return Ok(None);
                }
                let taken = Self::query("SELECT case_id, kind FROM approvals WHERE id = $1")
                    .bind(approval.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = taken {
                    let case_id: Uuid = row.try_get("case_id")?;
                    let kind: String = row.try_get("kind")?;
                    if case_id != approval.case_id.0 || kind != approval.kind {
                        return Ok(Some(ApprovalCreate::IdTaken));
                    }
                    let existing = Self::approval_in(&mut tx, principal, approval.id, Action::Read).await?;
                    return Ok(Some(existing.map_or(ApprovalCreate::IdTaken, ApprovalCreate::Existing)));
                }

                let inserted = Self::query(
                    "INSERT INTO approvals (id, case_id, kind, status, version, requested_by, requested_at, \
                     request_comment) VALUES ($1, $2, $3, 'pending', 1, $4, $5, $6)",
                )
                .bind(approval.id)
                .bind(approval.case_id.0)
                .bind(&approval.kind)
                .bind(principal.user_id.0)
                .bind(utc(approval.now))
                .bind(&approval.comment)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    Err(error) if is_unique_violation(&error) => {
                        drop(tx);
                        let pending = Self::query(
                            "SELECT id FROM approvals WHERE case_id = $1 AND kind = $2 AND status = 'pending'",
                        )
                        .bind(approval.case_id.0)
                        .bind(&approval.kind)
                        .fetch_optional(&self.pool)
                        .await?;
                        return match pending {
                            Some(row) => Ok(Some(ApprovalCreate::Pending(row.try_get("id")?))),
                            // The pending request was decided in between: the caller may retry.
                            None => Err(StoreError::VersionConflict),
                        };
                    }
                    Err(error) => return Err(error.into()),
                }
                let created = Self::approval_in(&mut tx, principal, approval.id, Action::Read)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("an inserted approval cannot be read".to_owned()))?;
                Self::notify_approvers_tx(&mut tx, &created, approvers, approval.now).await?;
                tx.commit().await?;
                Ok(Some(ApprovalCreate::Created(created)))
            }

            async fn approval(&self, principal: &Principal, id: Uuid) -> StoreResult<Option<Approval>> {
                let mut builder = SqlBuilder::new(&format!("{APPROVAL_SELECT} WHERE a.id = "));
                builder.push_bind(Bind::Uuid(id)).push(" AND ");
                scope::push_direct_scope(&mut builder, principal, Action::Read);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::approval_from_row).transpose()
            }

            async fn approvals(&self, principal: &Principal, filter: &ApprovalFilter) -> StoreResult<Vec<Approval>> {
                let mut builder = SqlBuilder::new(&format!("{APPROVAL_SELECT} WHERE "));
                if let Some(case_id) = filter.case_id {
                    // A case's history: every request of a case the caller may read.
                    builder.push("a.case_id = ").push_bind(Bind::Uuid(case_id.0)).push(" AND ");
                    scope::push_direct_scope(&mut builder, principal, Action::Read);
                } else if filter.decidable_only {
                    let me = builder.bind(Bind::Uuid(principal.user_id.0));
                    builder.push(&format!("a.requested_by <> {me} AND "));
                    scope::push_direct_scope(&mut builder, principal, Action::Approve);
                } else {
                    let me = builder.bind(Bind::Uuid(principal.user_id.0));
                    builder.push(&format!("((a.requested_by = {me} AND "));
                    scope::push_direct_scope(&mut builder, principal, Action::Read);
                    builder.push(") OR ");
                    scope::push_direct_scope(&mut builder, principal, Action::Approve);
                    builder.push(")");
                }
                if let Some(status) = &filter.status {
                    builder.push(" AND a.status = ").push_bind(Bind::Text(status.clone()));
                }
                builder.push(" ORDER BY a.requested_at DESC, a.id DESC LIMIT 500");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::approval_from_row).collect()
            }

            async fn decide_approval(
                &self,
                principal: &Principal,
                decision: &ApprovalDecision,
            ) -> StoreResult<Option<DecisionOutcome>> {
                let mut tx = self.begin_write().await?;
                let Some(current) = Self::approval_in(&mut tx, principal, decision.id, Action::Read).await? else {
                    return Ok(None);
                };
                if current.status != "pending" || current.version != decision.expected_version {
                    return Ok(Some(DecisionOutcome::StateChanged {
                        status: current.status,
                        version: current.version,
                    }));
                }

                // The compare-and-set: on PostgreSQL a concurrent decider waits for this row and
                // then finds the version moved on; SQLite runs one write transaction at a time.
                let mut builder = SqlBuilder::new("UPDATE approvals SET status = ");
                builder.push_bind(Bind::Text(decision.status.to_owned()));
                builder.push(", version = version + 1, decided_by = ").push_bind(Bind::Uuid(principal.user_id.0));
                builder.push(", decided_at = ").push_bind(Bind::Time(utc(decision.now)));
                builder.push(", comment = ").push_bind(Bind::OptText(decision.comment.clone()));
                builder.push(" WHERE id = ").push_bind(Bind::Uuid(decision.id));
                builder.push(" AND version = ").push_bind(Bind::Int(decision.expected_version));
                builder.push(" AND status = 'pending'");
                let me = builder.bind(Bind::Uuid(principal.user_id.0));
                if decision.status == "withdrawn" {
                    builder.push(&format!(" AND requested_by = {me}"));
                } else {
                    builder.push(&format!(" AND requested_by <> {me}"));
                    builder.push(" AND case_id IN (SELECT c.id FROM cases c WHERE ");
                    scope::push_direct_scope(&mut builder, principal, Action::Approve);
                    builder.push(")");
                }
                let updated = Self::query_built(builder).execute(&mut *tx).await?;
                if updated.rows_affected() != 1 {
                    let now = Self::approval_in(&mut tx, principal, decision.id, Action::Read).await?;
                    return Ok(Some(match now {
                        Some(now) if now.status != "pending" || now.version != decision.expected_version => {
                            DecisionOutcome::StateChanged { status: now.status, version: now.version }
                        }
                        _ => DecisionOutcome::NotPermitted,
                    }));
                }

                let mut record = None;
                if let Some(update) = &decision.case_update {
                    if update.id != current.case_id {
                        return Err(StoreError::Corrupt("an approval's case write names another case".to_owned()));
                    }
                    match Self::update_case_tx(&mut tx, principal, update, ChangeLink::default()).await? {
                        Some(written) => record = Some(Box::new(written)),
                        None => return Ok(Some(DecisionOutcome::NotPermitted)),
                    }
                }
                let kind = match decision.status {
                    "approved" => Some("approval_approved"),
                    "rejected" => Some("approval_rejected"),
                    _ => None,
                };
                if let Some(kind) = kind {
                    let notification = NewNotification {
                        kind,
                        case_id: Some(current.case_id),
                        subject_id: Some(current.id),
                        actor_id: Some(principal.user_id),
                        now: decision.now,
                    };
                    Self::insert_notification_tx(&mut tx, current.requested_by, &notification).await?;
                }
                let decided = Self::approval_in(&mut tx, principal, decision.id, Action::Read)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("a decided approval cannot be read".to_owned()))?;
                if record.is_some() {
                    Self::take_sync_seq(&mut tx, current.case_id).await?;
                }
                tx.commit().await?;
                Ok(Some(DecisionOutcome::Decided(Box::new(decided), record)))
            }
        }
    };
}

approval_store!(SqliteStore, sqlx::Sqlite);
approval_store!(PostgresStore, sqlx::Postgres);
