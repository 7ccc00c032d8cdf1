//! Flags on a case: short warnings ("do not contact the father") that show on the case until
//! someone removes them with a reason.
//!
//! A flag is not part of the case's data, so adding or removing one writes no case version.
//! It does take a new sync order number for the case, so devices download the case again with
//! its flags. Every method applies the scope of the flag's case inside its SQL.

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreResult;
use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, utc};

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub id: Uuid,
    pub case_id: CaseId,
    pub text: String,
    pub flagged_by: UserId,
    pub flagged_by_name: Option<String>,
    pub flagged_at: OffsetDateTime,
    pub removed_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewFlag {
    /// Made by the client, so a retried request finds the first flag.
    pub id: Uuid,
    pub case_id: CaseId,
    /// Normalised (NFC, trimmed) by the server.
    pub text: String,
    pub now: OffsetDateTime,
}

/// The result of adding a flag to a case in the caller's write scope.
#[derive(Debug, Clone, PartialEq)]
pub enum FlagAdd {
    Created(Flag),
    /// The id exists already on this case: a retry, with the stored flag.
    Existing(Flag),
    /// The id is used by a flag of another case.
    IdTaken,
}

#[async_trait]
pub trait FlagStore {
    /// Adds a flag if the case is in `principal`'s write scope; `Ok(None)` for a missing and
    /// an out-of-scope case alike.
    async fn add_flag(&self, principal: &Principal, flag: &NewFlag) -> StoreResult<Option<FlagAdd>>;

    /// Removes an active flag of a case in `principal`'s write scope and returns it. `Ok(None)`
    /// when the flag is missing, already removed, or its case is out of scope.
    async fn remove_flag(
        &self,
        principal: &Principal,
        id: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Flag>>;

    /// Reads the active flags of `case_ids`, oldest first. The caller has already read the
    /// cases within its scope.
    async fn active_flags(&self, case_ids: &[CaseId]) -> StoreResult<Vec<Flag>>;
}

const FLAG_SELECT: &str = "SELECT f.id, f.case_id, f.text, f.flagged_by, u.full_name AS flagged_by_name, \
     f.flagged_at, f.removed_at FROM case_flags f LEFT JOIN users u ON u.id = f.flagged_by";

macro_rules! flag_store {
    ($store:ident, $db:ty) => {
        impl $store {
            fn flag_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<Flag> {
                Ok(Flag {
                    id: row.try_get("id")?,
                    case_id: CaseId(row.try_get("case_id")?),
                    text: row.try_get("text")?,
                    flagged_by: UserId(row.try_get("flagged_by")?),
                    flagged_by_name: row.try_get("flagged_by_name")?,
                    flagged_at: row.try_get("flagged_at")?,
                    removed_at: row.try_get("removed_at")?,
                })
            }

            async fn flag_in(tx: &mut sqlx::Transaction<'static, $db>, id: Uuid) -> StoreResult<Option<Flag>> {
                let row = Self::query(&format!("{FLAG_SELECT} WHERE f.id = $1"))
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
                row.as_ref().map(Self::flag_from_row).transpose()
            }
        }

        #[async_trait]
        impl FlagStore for $store {
            async fn add_flag(&self, principal: &Principal, flag: &NewFlag) -> StoreResult<Option<FlagAdd>> {
                let mut tx = self.begin_write().await?;
                let mut case = SqlBuilder::new("SELECT c.id FROM cases c WHERE c.id = ");
                case.push_bind(Bind::Uuid(flag.case_id.0)).push(" AND ");
                scope::push_direct_scope(&mut case, principal, Action::Write);
                if Self::query_built(case).fetch_optional(&mut *tx).await?.is_none() {
                    return Ok(None);
                }
                if let Some(existing) = Self::flag_in(&mut tx, flag.id).await? {
                    return Ok(Some(if existing.case_id == flag.case_id {
                        FlagAdd::Existing(existing)
                    } else {
                        FlagAdd::IdTaken
                    }));
                }
                Self::query(
                    "INSERT INTO case_flags (id, case_id, text, flagged_by, flagged_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(flag.id)
                .bind(flag.case_id.0)
                .bind(&flag.text)
                .bind(principal.user_id.0)
                .bind(utc(flag.now))
                .execute(&mut *tx)
                .await?;
                let created = Self::flag_in(&mut tx, flag.id).await?;
                Self::take_sync_seq(&mut tx, flag.case_id).await?;
                tx.commit().await?;
                Ok(created.map(FlagAdd::Created))
            }

            async fn remove_flag(
                &self,
                principal: &Principal,
                id: Uuid,
                reason: &str,
                now: OffsetDateTime,
            ) -> StoreResult<Option<Flag>> {
                let mut tx = self.begin_write().await?;
                let mut builder = SqlBuilder::new("UPDATE case_flags SET removed_by = ");
                builder.push_bind(Bind::Uuid(principal.user_id.0));
                builder.push(", removed_at = ").push_bind(Bind::Time(utc(now)));
                builder.push(", removed_reason = ").push_bind(Bind::Text(reason.to_owned()));
                builder.push(" WHERE id = ").push_bind(Bind::Uuid(id));
                builder.push(" AND removed_at IS NULL AND case_id IN (SELECT c.id FROM cases c WHERE ");
                scope::push_direct_scope(&mut builder, principal, Action::Write);
                builder.push(")");
                if Self::query_built(builder).execute(&mut *tx).await?.rows_affected() != 1 {
                    return Ok(None);
                }
                let Some(removed) = Self::flag_in(&mut tx, id).await? else { return Ok(None) };
                Self::take_sync_seq(&mut tx, removed.case_id).await?;
                tx.commit().await?;
                Ok(Some(removed))
            }

            async fn active_flags(&self, case_ids: &[CaseId]) -> StoreResult<Vec<Flag>> {
                let mut flags = Vec::new();
                // Bounded IN lists keep every statement under both backends' bind limits.
                for chunk in case_ids.chunks(500) {
                    let mut builder = SqlBuilder::new(&format!("{FLAG_SELECT} WHERE f.removed_at IS NULL AND f.case_id IN ("));
                    let ids: Vec<String> = chunk.iter().map(|id| builder.bind(Bind::Uuid(id.0))).collect();
                    builder.push(&ids.join(", ")).push(") ORDER BY f.flagged_at, f.id");
                    let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                    for row in &rows {
                        flags.push(Self::flag_from_row(row)?);
                    }
                }
                Ok(flags)
            }
        }
    };
}

flag_store!(SqliteStore, sqlx::Sqlite);
flag_store!(PostgresStore, sqlx::Postgres);
