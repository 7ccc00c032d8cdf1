//! Storage of the sync protocol (`docs/sync.md`): devices, stored mutation results, parked
//! mutations, field conflicts, the quarantine of mutations kept aside for a supervisor (those of
//! deactivated users, and a former owner's edits after a transfer), and delta downloads in
//! global order.
//!
//! The store decides nothing about merging. The server reads the case and its change log,
//! decides with `sathi_domain::merge`, validates, and hands the whole outcome to
//! [`SyncStore::commit_mutation`]. That writes it in one transaction if the case is still at the
//! version read and the device's `seq` is still the next one.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use serde_json::Value;
use sqlx::Row;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::model::*;
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, is_unique_violation, utc};
use crate::{StoreError, StoreResult};

/// The sync part of the storage interface; every [`crate::Store`] implements it.
#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Registers `device_id` for `user` if it is new, and returns the device as stored, which
    /// may belong to another user.
    async fn sync_device(
        &self,
        device_id: Uuid,
        user: UserId,
        now: OffsetDateTime,
    ) -> StoreResult<SyncDevice>;
    /// Returns the stored result of a mutation id, if its `seq` was consumed.
    async fn stored_mutation(&self, mutation_id: Uuid) -> StoreResult<Option<MutationRecord>>;
    /// Returns whether a mutation id was kept aside from a disabled user, whatever its review.
    async fn was_quarantined(&self, mutation_id: Uuid) -> StoreResult<bool>;
    /// Keeps a mutation that arrived before a lower `seq` of its device. Returns `false`, and
    /// keeps nothing, when a mutation is already parked at that device and `seq`, or the same
    /// mutation id is parked at another `seq`.
    async fn park_mutation(&self, parked: &ParkedMutation) -> StoreResult<bool>;
    /// Deletes the parked mutation of a device at `seq`.
    async fn unpark(&self, device_id: Uuid, seq: i64) -> StoreResult<()>;
    /// Returns how many mutations of the user's devices are parked.
    async fn parked_count(&self, user: UserId) -> StoreResult<i64>;
    async fn parked_mutation(&self, device_id: Uuid, seq: i64) -> StoreResult<Option<ParkedMutation>>;

    /// Reads one case if the principal's scope for `action` covers it; `None` for missing and
    /// out of scope alike.
    async fn case_for(
        &self,
        principal: &Principal,
        id: CaseId,
        action: Action,
    ) -> StoreResult<Option<CaseRecord>>;
    /// Returns the change log of a case after `version`, oldest first, each entry with the
    /// device mutation that made it. This reads no scope, so the caller must have read the case
    /// within the principal's scope first.
    async fn changes_after(&self, id: CaseId, version: i64) -> StoreResult<Vec<ChangeEntry>>;
    /// Returns the open conflicts of these cases. The caller must have read the cases within scope.
    async fn open_conflicts(&self, case_ids: &[CaseId]) -> StoreResult<Vec<CaseConflict>>;
    /// Returns one conflict of a case the principal may write, or `None` for missing and out of
    /// scope alike.
    async fn conflict(
        &self,
        principal: &Principal,
        case_id: CaseId,
        id: Uuid,
    ) -> StoreResult<Option<CaseConflict>>;
    /// Returns the open conflicts on cases the principal may write, with each case's display id.
    async fn conflicts_in_scope(&self, principal: &Principal) -> StoreResult<Vec<(CaseConflict, String)>>;

    /// Writes a mutation's whole outcome in one transaction. Errors: `VersionConflict` when
    /// the case changed since it was read, `OutOfOrder` when the device's `seq` moved,
    /// `Duplicate("mutation id")` when the mutation was recorded meanwhile, `AlreadyDone` when
    /// the conflict or quarantined mutation it settles was settled meanwhile. `Ok(None)` means
    /// the case is missing or outside the write scope of the update's action.
    async fn commit_mutation(
        &self,
        principal: &Principal,
        commit: &MutationCommit,
    ) -> StoreResult<Option<CaseRecord>>;

    /// Returns at most `limit` enabled cases in the principal's read scope whose global order
    /// number is above `after`, in global order.
    async fn sync_page(&self, principal: &Principal, after: i64, limit: i64) -> StoreResult<SyncPage>;
    /// Returns the last global order number handed out (`sync_clock`), which may belong to a
    /// transaction that has not committed yet.
    async fn sync_clock(&self) -> StoreResult<i64>;
    /// Returns the ids of every enabled case in the principal's read scope.
    async fn scope_ids(&self, principal: &Principal) -> StoreResult<Vec<CaseId>>;
    /// Returns those of `ids` that are enabled cases in the principal's read scope.
    async fn cases_by_ids(&self, principal: &Principal, ids: &[CaseId]) -> StoreResult<Vec<CaseRecord>>;

    /// Keeps mutations of a deactivated user's device aside; a mutation id already kept is
    /// skipped. Returns how many are now held from this call.
    async fn quarantine_mutations(&self, mutations: &[QuarantinedMutation]) -> StoreResult<u64>;
    /// Returns the held mutations of users within the principal's write scope. That is the
    /// members of the principal's groups for group scope, the agency's users for agency scope,
    /// and everyone for all.
    async fn quarantined(&self, principal: &Principal) -> StoreResult<Vec<QuarantinedMutation>>;
    async fn quarantined_one(
        &self,
        principal: &Principal,
        id: Uuid,
    ) -> StoreResult<Option<QuarantinedMutation>>;
    /// Records a review of a held mutation, or the result of an apply that was rejected (status
    /// `held`); `AlreadyDone` if it is no longer held.
    async fn review_quarantine(&self, review: &QuarantineReview) -> StoreResult<()>;

    /// Deletes the stored results and the parked mutations received before `mutations_before`,
    /// and every user's sessions that expired at or before `now`. Running it twice, or in two processes
    /// at once, deletes nothing more.
    async fn purge_expired(
        &self,
        mutations_before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Purged>;
}

const CONFLICT_COLUMNS: &str = "k.id, k.case_id, k.path, k.status, k.candidates, k.opened_at, k.opened_version, \
     k.resolved_by, k.resolved_at, k.resolved_version, k.resolution";

const QUARANTINE_COLUMNS: &str = "q.id, q.user_id, q.device_id, q.mutation_id, q.seq, q.case_id, q.mutation, \
     q.status, q.reason, q.received_at, q.reviewed_by, q.reviewed_at, q.note, q.result, u.username, u.full_name";

/// Appends the condition on `users u` that limits quarantined mutations to the users whose
/// cases the principal may write.
fn push_quarantine_scope(builder: &mut SqlBuilder, principal: &Principal) {
    match principal.scope_of(Action::Write) {
        Some(Scope::All) => {
            builder.push("(1 = 1)");
        }
        Some(Scope::Agency) => {
            builder.push("u.agency_id = ").push_bind(Bind::Text(principal.agency_id.clone()));
        }
        Some(Scope::Group) if !principal.group_ids.is_empty() => {
            let groups: Vec<String> =
                principal.group_ids.iter().map(|group| builder.bind(Bind::Uuid(group.0))).collect();
            builder.push(&format!(
                "u.id IN (SELECT m.user_id FROM group_members m WHERE m.group_id IN ({}))",
                groups.join(", ")
            ));
        }
        _ => {
            builder.push("(1 = 0)");
        }
    }
}

macro_rules! sync_store {
    ($store:ident, $db:ty) => {
        impl $store {
            fn conflict_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<CaseConflict> {
                let Json(candidates): Json<Vec<ConflictCandidate>> = row.try_get("candidates")?;
                let resolution: Option<Json<Value>> = row.try_get("resolution")?;
                let resolved_by: Option<Uuid> = row.try_get("resolved_by")?;
                Ok(CaseConflict {
                    id: row.try_get("id")?,
                    case_id: CaseId(row.try_get("case_id")?),
                    path: row.try_get("path")?,
                    status: row.try_get("status")?,
                    candidates,
                    opened_at: row.try_get("opened_at")?,
                    opened_version: row.try_get("opened_version")?,
                    resolved_by: resolved_by.map(UserId),
                    resolved_at: row.try_get("resolved_at")?,
                    resolved_version: row.try_get("resolved_version")?,
                    resolution: resolution.map(|Json(value)| value),
                })
            }

            fn mutation_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<MutationRecord> {
                let Json(result): Json<Value> = row.try_get("result")?;
                let case_id: Option<Uuid> = row.try_get("case_id")?;
                Ok(MutationRecord {
                    mutation_id: row.try_get("mutation_id")?,
                    device_id: row.try_get("device_id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    seq: row.try_get("seq")?,
                    case_id: case_id.map(CaseId),
                    kind: row.try_get("kind")?,
                    status: row.try_get("status")?,
                    result,
                    device_time: row.try_get("device_time")?,
                    received_at: row.try_get("received_at")?,
                })
            }

            fn quarantined_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<QuarantinedMutation> {
                let Json(mutation): Json<Value> = row.try_get("mutation")?;
                let result: Option<Json<Value>> = row.try_get("result")?;
                let case_id: Option<Uuid> = row.try_get("case_id")?;
                let reviewed_by: Option<Uuid> = row.try_get("reviewed_by")?;
                Ok(QuarantinedMutation {
                    id: row.try_get("id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    device_id: row.try_get("device_id")?,
                    mutation_id: row.try_get("mutation_id")?,
                    seq: row.try_get("seq")?,
                    case_id: case_id.map(CaseId),
                    mutation,
                    status: row.try_get("status")?,
                    reason: row.try_get("reason")?,
                    received_at: row.try_get("received_at")?,
                    reviewed_by: reviewed_by.map(UserId),
                    reviewed_at: row.try_get("reviewed_at")?,
                    note: row.try_get("note")?,
                    result: result.map(|Json(value)| value),
                    username: row.try_get("username")?,
                    full_name: row.try_get("full_name")?,
                })
            }

            /// Records the mutation and moves the device's `seq` on, inside `tx`.
            async fn record_mutation_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                record: &MutationRecord,
            ) -> StoreResult<()> {
                let moved = Self::query(
                    "UPDATE sync_devices SET last_seq = $1, last_seen_at = $2 \
                     WHERE device_id = $3 AND user_id = $4 AND last_seq = $5",
                )
                .bind(record.seq)
                .bind(utc(record.received_at))
                .bind(record.device_id)
                .bind(record.user_id.0)
                .bind(record.seq - 1)
                .execute(&mut **tx)
                .await?;
                if moved.rows_affected() != 1 {
                    return Err(StoreError::OutOfOrder);
                }
                let inserted = Self::query(
                    "INSERT INTO sync_mutations (mutation_id, device_id, user_id, seq, case_id, kind, status, result, \
                     device_time, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(record.mutation_id)
                .bind(record.device_id)
                .bind(record.user_id.0)
                .bind(record.seq)
                .bind(record.case_id.map(|id| id.0))
                .bind(&record.kind)
                .bind(&record.status)
                .bind(Json(&record.result))
                .bind(&record.device_time)
                .bind(utc(record.received_at))
                .execute(&mut **tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    Err(error) if is_unique_violation(&error) => return Err(StoreError::Duplicate("mutation id")),
                    Err(error) => return Err(error.into()),
                }
                Self::query("DELETE FROM sync_parked WHERE device_id = $1 AND seq = $2")
                    .bind(record.device_id)
                    .bind(record.seq)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Keeps a mutation aside inside `tx`; a mutation id already kept is skipped. Returns
            /// whether a row was written.
            async fn quarantine_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                mutation: &QuarantinedMutation,
            ) -> StoreResult<bool> {
                let inserted = Self::query(
                    "INSERT INTO sync_quarantine (id, user_id, device_id, mutation_id, seq, case_id, mutation, status, \
                     reason, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $9) \
                     ON CONFLICT (mutation_id) DO NOTHING",
                )
                .bind(mutation.id)
                .bind(mutation.user_id.0)
                .bind(mutation.device_id)
                .bind(mutation.mutation_id)
                .bind(mutation.seq)
                .bind(mutation.case_id.map(|id| id.0))
                .bind(Json(&mutation.mutation))
                .bind(&mutation.reason)
                .bind(utc(mutation.received_at))
                .execute(&mut **tx)
                .await?;
                Ok(inserted.rows_affected() == 1)
            }

            async fn write_conflicts_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                case: &CaseRecord,
                conflicts: &[ConflictWrite],
            ) -> StoreResult<()> {
                for conflict in conflicts {
                    if conflict.opened {
                        Self::query(
                            "INSERT INTO case_conflicts (id, case_id, path, status, candidates, opened_at, opened_version) \
                             VALUES ($1, $2, $3, 'open', $4, $5, $6)",
                        )
                        .bind(conflict.id)
                        .bind(case.id.0)
                        .bind(&conflict.path)
                        .bind(Json(&conflict.candidates))
                        .bind(utc(case.updated_at))
                        .bind(case.version)
                        .execute(&mut **tx)
                        .await?;
                    } else {
                        Self::query("UPDATE case_conflicts SET candidates = $1 WHERE id = $2 AND status = 'open'")
                            .bind(Json(&conflict.candidates))
                            .bind(conflict.id)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
                Ok(())
            }
        }

        #[async_trait]
        impl SyncStore for $store {
            async fn sync_device(&self, device_id: Uuid, user: UserId, now: OffsetDateTime) -> StoreResult<SyncDevice> {
                Self::query(
                    "INSERT INTO sync_devices (device_id, user_id, last_seq, first_seen_at, last_seen_at) \
                     VALUES ($1, $2, 0, $3, $3) ON CONFLICT (device_id) DO NOTHING",
                )
                .bind(device_id)
                .bind(user.0)
                .bind(utc(now))
                .execute(&self.pool)
                .await?;
                let row = Self::query("SELECT device_id, user_id, last_seq FROM sync_devices WHERE device_id = $1")
                    .bind(device_id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(SyncDevice {
                    device_id: row.try_get("device_id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    last_seq: row.try_get("last_seq")?,
                })
            }

            async fn stored_mutation(&self, mutation_id: Uuid) -> StoreResult<Option<MutationRecord>> {
                let row = Self::query(
                    "SELECT mutation_id, device_id, user_id, seq, case_id, kind, status, result, device_time, received_at \
                     FROM sync_mutations WHERE mutation_id = $1",
                )
                .bind(mutation_id)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(Self::mutation_from_row).transpose()
            }

            async fn was_quarantined(&self, mutation_id: Uuid) -> StoreResult<bool> {
                let row = Self::query("SELECT 1 AS one FROM sync_quarantine WHERE mutation_id = $1")
                    .bind(mutation_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
            }

            async fn park_mutation(&self, parked: &ParkedMutation) -> StoreResult<bool> {
                let inserted = Self::query(
                    "INSERT INTO sync_parked (device_id, seq, mutation_id, user_id, mutation, received_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id, seq) DO NOTHING",
                )
                .bind(parked.device_id)
                .bind(parked.seq)
                .bind(parked.mutation_id)
                .bind(parked.user_id.0)
                .bind(Json(&parked.mutation))
                .bind(utc(parked.received_at))
                .execute(&self.pool)
                .await;
                match inserted {
                    Ok(done) => Ok(done.rows_affected() == 1),
                    // The same mutation id is parked at another seq.
                    Err(error) if is_unique_violation(&error) => Ok(false),
                    Err(error) => Err(error.into()),
                }
            }

            async fn unpark(&self, device_id: Uuid, seq: i64) -> StoreResult<()> {
                Self::query("DELETE FROM sync_parked WHERE device_id = $1 AND seq = $2")
                    .bind(device_id)
                    .bind(seq)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn parked_count(&self, user: UserId) -> StoreResult<i64> {
                let row = Self::query("SELECT COUNT(*) AS parked FROM sync_parked WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(row.try_get("parked")?)
            }

            async fn parked_mutation(&self, device_id: Uuid, seq: i64) -> StoreResult<Option<ParkedMutation>> {
                let row = Self::query(
                    "SELECT device_id, seq, mutation_id, user_id, mutation, received_at FROM sync_parked \
                     WHERE device_id = $1 AND seq = $2",
                )
                .bind(device_id)
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    let Json(mutation): Json<Value> = row.try_get("mutation")?;
                    Ok(ParkedMutation {
                        device_id: row.try_get("device_id")?,
                        seq: row.try_get("seq")?,
                        mutation_id: row.try_get("mutation_id")?,
                        user_id: UserId(row.try_get("user_id")?),
                        mutation,
                        received_at: row.try_get("received_at")?,
                    })
                })
                .transpose()
            }

            async fn case_for(&self, principal: &Principal, id: CaseId, action: Action) -> StoreResult<Option<CaseRecord>> {
                let mut builder =
                    SqlBuilder::new(&format!("SELECT {} FROM cases c WHERE c.id = ", crate::sql::CASE_COLUMNS));
                builder.push_bind(Bind::Uuid(id.0)).push(" AND ");
                scope::push_scope(&mut builder, principal, action);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::case_from_row).transpose()
            }

            async fn changes_after(&self, id: CaseId, version: i64) -> StoreResult<Vec<ChangeEntry>> {
                let rows = Self::query(&format!(
                    "{} WHERE ch.case_id = $1 AND ch.version > $2 ORDER BY ch.version, ch.changed_at, ch.id",
                    crate::sql::CHANGE_SELECT
                ))
                .bind(id.0)
                .bind(version)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::change_from_row).collect()
            }

            async fn open_conflicts(&self, case_ids: &[CaseId]) -> StoreResult<Vec<CaseConflict>> {
                if case_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {CONFLICT_COLUMNS} FROM case_conflicts k WHERE k.status = 'open' AND k.case_id IN ("
                ));
                let ids: Vec<String> = case_ids.iter().map(|id| builder.bind(Bind::Uuid(id.0))).collect();
                builder.push(&ids.join(", ")).push(") ORDER BY k.opened_at, k.id");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::conflict_from_row).collect()
            }

            async fn conflict(&self, principal: &Principal, case_id: CaseId, id: Uuid) -> StoreResult<Option<CaseConflict>> {
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {CONFLICT_COLUMNS} FROM case_conflicts k CROSS JOIN cases c \
                     WHERE c.id = k.case_id AND k.id = "
                ));
                builder.push_bind(Bind::Uuid(id)).push(" AND k.case_id = ").push_bind(Bind::Uuid(case_id.0));
                builder.push(" AND ");
                scope::push_scope(&mut builder, principal, Action::Write);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::conflict_from_row).transpose()
            }

            async fn conflicts_in_scope(&self, principal: &Principal) -> StoreResult<Vec<(CaseConflict, String)>> {
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {CONFLICT_COLUMNS}, c.display_id FROM case_conflicts k CROSS JOIN cases c \
                     WHERE c.id = k.case_id AND k.status = 'open' AND "
                ));
                scope::push_scope(&mut builder, principal, Action::Write);
                builder.push(" ORDER BY k.opened_at, k.id LIMIT 1000");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| Ok((Self::conflict_from_row(row)?, row.try_get("display_id")?)))
                    .collect()
            }

            async fn commit_mutation(&self, principal: &Principal, commit: &MutationCommit) -> StoreResult<Option<CaseRecord>> {
                let mut tx = self.begin_write().await?;
                if let Some(record) = &commit.record {
                    Self::record_mutation_tx(&mut tx, record).await?;
                }
                if let Some(kept) = &commit.quarantine {
                    Self::quarantine_tx(&mut tx, kept).await?;
                }
                if let Some(review) = &commit.review {
                    let reviewed = Self::query(
                        "UPDATE sync_quarantine SET status = $1, reviewed_by = $2, reviewed_at = $3, note = $4, result = $5 \
                         WHERE id = $6 AND status = 'held'",
                    )
                    .bind(&review.status)
                    .bind(review.by.0)
                    .bind(utc(review.at))
                    .bind(&review.note)
                    .bind(Json(&review.result))
                    .bind(review.id)
                    .execute(&mut *tx)
                    .await?;
                    if reviewed.rows_affected() != 1 {
                        return Err(StoreError::AlreadyDone);
                    }
                }
                let record = match &commit.write {
                    None => None,
                    Some(CaseWrite::Create(case)) => {
                        Some(Self::insert_case_tx(&mut tx, principal, case, commit.link).await?)
                    }
                    Some(CaseWrite::Update(update)) => {
                        match Self::update_case_tx(&mut tx, principal, update, commit.link).await? {
                            Some(record) => Some(record),
                            None => return Ok(None),
                        }
                    }
                };
                let Some(mut record) = record else {
                    tx.commit().await?;
                    return Ok(None);
                };
                if let Some((owner, agency)) = &commit.owner {
                    Self::query("UPDATE cases SET owner_id = $1, owner_agency_id = $2 WHERE id = $3")
                        .bind(owner.0)
                        .bind(agency)
                        .bind(record.id.0)
                        .execute(&mut *tx)
                        .await?;
                    record.owner_id = *owner;
                    record.owner_agency_id = agency.clone();
                }
                if let Some(resolution) = &commit.resolves {
                    let resolved = Self::query(
                        "UPDATE case_conflicts SET status = 'resolved', resolved_by = $1, resolved_at = $2, \
                         resolved_version = $3, resolution = $4 WHERE id = $5 AND case_id = $6 AND status = 'open'",
                    )
                    .bind(resolution.by.0)
                    .bind(utc(resolution.at))
                    .bind(record.version)
                    .bind(Json(&resolution.value))
                    .bind(resolution.conflict_id)
                    .bind(record.id.0)
                    .execute(&mut *tx)
                    .await?;
                    if resolved.rows_affected() != 1 {
                        return Err(StoreError::AlreadyDone);
                    }
                }
                Self::write_conflicts_tx(&mut tx, &record, &commit.conflicts).await?;
                for (recipient, notification) in &commit.notifications {
                    Self::insert_notification_tx(&mut tx, *recipient, notification).await?;
                }
                Self::take_sync_seq(&mut tx, record.id).await?;
                tx.commit().await?;
                Ok(Some(record))
            }

            async fn sync_page(&self, principal: &Principal, after: i64, limit: i64) -> StoreResult<SyncPage> {
                let reach = self.reach(principal, Action::Read).await?;
                let filter = CaseFilter { enabled: Some(true), sync_after: Some(after), ..CaseFilter::default() };
                // The page and the count of everything after the cursor come from one statement,
                // so they agree with each other.
                let mut page = SqlBuilder::new("SELECT p.total, p.sync_seq AS page_seq, ");
                page.push(crate::sql::CASE_COLUMNS);
                page.push(" FROM (SELECT s.id, s.sync_seq, COUNT(*) OVER () AS total FROM (");
                scope::push_scoped_cases(&mut page, &reach, &filter, "c.id, c.sync_seq");
                page.push(") s ORDER BY s.sync_seq LIMIT ").push_bind(Bind::Int(limit.clamp(1, 500)));
                page.push(") p CROSS JOIN cases c WHERE c.id = p.id ORDER BY p.sync_seq");
                let rows = Self::query_built(page).fetch_all(&self.pool).await?;
                let cases = rows.iter().map(Self::case_from_row).collect::<StoreResult<Vec<_>>>()?;
                let total: i64 = match rows.first() {
                    Some(row) => row.try_get("total")?,
                    None => 0,
                };
                let last_seq: Option<i64> = match rows.last() {
                    Some(row) => Some(row.try_get("page_seq")?),
                    None => None,
                };
                Ok(SyncPage { remaining: total - cases.len() as i64, cases, last_seq })
            }

            async fn sync_clock(&self) -> StoreResult<i64> {
                let row = Self::query("SELECT seq FROM sync_clock WHERE id = 1").fetch_one(&self.pool).await?;
                Ok(row.try_get("seq")?)
            }

            async fn scope_ids(&self, principal: &Principal) -> StoreResult<Vec<CaseId>> {
                let reach = self.reach(principal, Action::Read).await?;
                let filter = CaseFilter { enabled: Some(true), ..CaseFilter::default() };
                let mut builder = SqlBuilder::default();
                scope::push_scoped_cases(&mut builder, &reach, &filter, "c.id");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(|row| Ok(CaseId(row.try_get("id")?))).collect()
            }

            async fn cases_by_ids(&self, principal: &Principal, ids: &[CaseId]) -> StoreResult<Vec<CaseRecord>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {} FROM cases c WHERE c.enabled = ",
                    crate::sql::CASE_COLUMNS
                ));
                builder.push_bind(Bind::Bool(true)).push(" AND c.id IN (");
                let placeholders: Vec<String> = ids.iter().map(|id| builder.bind(Bind::Uuid(id.0))).collect();
                builder.push(&placeholders.join(", ")).push(") AND ");
                scope::push_scope(&mut builder, principal, Action::Read);
                builder.push(" ORDER BY c.sync_seq");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::case_from_row).collect()
            }

            async fn quarantine_mutations(&self, mutations: &[QuarantinedMutation]) -> StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let mut kept = 0;
                for mutation in mutations {
                    if Self::quarantine_tx(&mut tx, mutation).await? {
                        kept += 1;
                    }
                }
                tx.commit().await?;
                Ok(kept)
            }

            async fn quarantined(&self, principal: &Principal) -> StoreResult<Vec<QuarantinedMutation>> {
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {QUARANTINE_COLUMNS} FROM sync_quarantine q CROSS JOIN users u \
                     WHERE u.id = q.user_id AND q.status = 'held' AND "
                ));
                push_quarantine_scope(&mut builder, principal);
                builder.push(" ORDER BY q.received_at, q.seq LIMIT 1000");
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter().map(Self::quarantined_from_row).collect()
            }

            async fn quarantined_one(&self, principal: &Principal, id: Uuid) -> StoreResult<Option<QuarantinedMutation>> {
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT {QUARANTINE_COLUMNS} FROM sync_quarantine q CROSS JOIN users u WHERE u.id = q.user_id AND q.id = "
                ));
                builder.push_bind(Bind::Uuid(id)).push(" AND ");
                push_quarantine_scope(&mut builder, principal);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::quarantined_from_row).transpose()
            }

            async fn review_quarantine(&self, review: &QuarantineReview) -> StoreResult<()> {
                let reviewed = Self::query(
                    "UPDATE sync_quarantine SET status = $1, reviewed_by = $2, reviewed_at = $3, note = $4, result = $5 \
                     WHERE id = $6 AND status = 'held'",
                )
                .bind(&review.status)
                .bind(review.by.0)
                .bind(utc(review.at))
                .bind(&review.note)
                .bind(Json(&review.result))
                .bind(review.id)
                .execute(&self.pool)
                .await?;
                if reviewed.rows_affected() == 1 { Ok(()) } else { Err(StoreError::AlreadyDone) }
            }

            async fn purge_expired(&self, mutations_before: OffsetDateTime, now: OffsetDateTime) -> StoreResult<Purged> {
                let mutations = Self::query("DELETE FROM sync_mutations WHERE received_at < $1")
                    .bind(utc(mutations_before))
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                let parked = Self::query("DELETE FROM sync_parked WHERE received_at < $1")
                    .bind(utc(mutations_before))
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                let sessions = Self::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(utc(now))
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(Purged { mutations, parked, uploads: 0, sessions })
            }
        }
    };
}

sync_store!(SqliteStore, sqlx::Sqlite);
sync_store!(PostgresStore, sqlx::Postgres);
