//! Due items of open cases, kept in `case_tasks` so that a task list reads an index, and the
//! task list itself.
//!
//! `take_sync_seq`, which every case write calls last, rewrites the case's rows from
//! `sathi_domain::workflow::due_items` in the same transaction, with `owner_id` set to the
//! case's owner at that point. The rules come from `store_settings`, where
//! [`TaskStore::set_workflow_rules`] stores them, so every process on the database computes
//! the same dates. The server adds the items that do not come from the case's data (approvals
//! to decide, referrals and transfers to respond to) from their own tables.

use async_trait::async_trait;
use sathi_domain::config::WorkflowRules;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sathi_domain::workflow::{self, CaseStatus};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::scope::{self, Bind, SqlBuilder};
use crate::sql::{PostgresStore, SqliteStore, utc};
use crate::{StoreError, StoreResult};

/// `store_settings` key of the rules as JSON.
const RULES_KEY: &str = "workflow_rules";
/// `store_settings` key of the SHA-256 of the rules that every `case_tasks` row was built with.
const FINGERPRINT_KEY: &str = "workflow_rules_fingerprint";
/// Cases read per transaction when all rows are rebuilt, so a large database is never read
/// into memory at once.
const REBUILD_BATCH: i64 = 500;

/// The query of the due items of cases a user owns, up to a date. It is public so that a test
/// can check with EXPLAIN that it reads the `case_tasks_owner` index. `$1` is the user, `$2`
/// the last due date.
pub const OWNED_TASKS_SQL: &str = "SELECT t.case_id, t.kind, t.item, t.due_on, t.child_name, t.risk_level, c.display_id \
     FROM case_tasks t JOIN cases c ON c.id = t.case_id WHERE t.owner_id = $1 AND t.due_on <= $2";

/// The due items of cases a user is assigned to (not the owner), up to a date.
const ASSIGNED_TASKS_SQL: &str = "SELECT t.case_id, t.kind, t.item, t.due_on, t.child_name, t.risk_level, c.display_id \
     FROM case_assignments s JOIN case_tasks t ON t.case_id = s.case_id JOIN cases c ON c.id = t.case_id \
     WHERE s.user_id = $1 AND t.owner_id <> $1 AND t.due_on <= $2";

/// One line of a task list. `due_on` is absent for items that wait on the user now (an
/// approval to decide, a referral to respond to).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// `assessment`, `case_plan`, `service`, `follow_up`, `approval`, `approval_rejected`,
    /// `referral`, `referral_service` or `transfer`.
    pub kind: String,
    pub case_id: CaseId,
    pub display_id: String,
    pub child_name: Option<String>,
    pub risk_level: Option<String>,
    pub due_on: Option<Date>,
    /// A subform row's unique_id for services and follow-ups. For the others, the approval kind,
    /// the referral's service type or the transfer kind, and otherwise empty.
    pub item: String,
    /// The approval, referral or transfer the item is about.
    pub subject_id: Option<Uuid>,
    /// The supervisor's comment of a rejected approval.
    pub comment: Option<String>,
}

/// Range of a task list.
#[derive(Debug, Clone)]
pub struct TaskQuery {
    /// Due items up to this date, overdue ones included.
    pub until: Date,
    /// Rejected approval requests decided after this instant.
    pub rejected_since: OffsetDateTime,
}

#[async_trait]
pub trait TaskStore {
    /// Stores the rules that due dates are computed with. When they differ from the rules the
    /// stored rows were built with, rebuilds every case's rows in batches and returns how many
    /// cases were rebuilt.
    async fn set_workflow_rules(&self, rules: &WorkflowRules) -> StoreResult<u64>;

    /// Lists `principal`'s tasks: due items of cases the user owns or is assigned to, approvals
    /// to decide, the user's rejected requests, and referrals and transfers to respond to. Not
    /// sorted.
    async fn tasks(&self, principal: &Principal, query: &TaskQuery) -> StoreResult<Vec<TaskRow>>;
}

/// Returns the SHA-256 of the rules' JSON, which changes whenever a rule changes.
fn fingerprint(rules: &WorkflowRules) -> StoreResult<(String, String)> {
    let json = serde_json::to_string(rules).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// Joins the name parts the way case lists show a name.
fn child_name(parts: [Option<String>; 3]) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().filter(|part| !part.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

pub(crate) fn name_of(data: &Map<String, Value>) -> Option<String> {
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    child_name([text("name_first"), text("name_middle"), text("name_last")])
}

/// Columns of the case that server-only items show: the name parts are read from the JSON
/// document of these few rows only.
const CASE_BRIEF: &str = "c.id AS case_id, c.display_id, c.risk_level, c.data ->> 'name_first' AS name_first, \
     c.data ->> 'name_middle' AS name_middle, c.data ->> 'name_last' AS name_last";

macro_rules! task_store {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Reads the stored rules inside `tx`, or returns the defaults if none are stored.
            pub(crate) async fn workflow_rules_tx(tx: &mut sqlx::Transaction<'static, $db>) -> StoreResult<WorkflowRules> {
                let row = Self::query("SELECT value FROM store_settings WHERE key = $1")
                    .bind(RULES_KEY)
                    .fetch_optional(&mut **tx)
                    .await?;
                match row {
                    Some(row) => {
                        let json: String = row.try_get("value")?;
                        serde_json::from_str(&json)
                            .map_err(|error| StoreError::Corrupt(format!("stored workflow rules: {error}")))
                    }
                    None => Ok(WorkflowRules::default()),
                }
            }

            /// Replaces the `case_tasks` rows of one case inside `tx`.
            pub(crate) async fn write_tasks_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                rules: &WorkflowRules,
                id: CaseId,
                data: &Map<String, Value>,
                status: CaseStatus,
                enabled: bool,
                owner: Uuid,
            ) -> StoreResult<()> {
                Self::query("DELETE FROM case_tasks WHERE case_id = $1").bind(id.0).execute(&mut **tx).await?;
                if !enabled {
                    return Ok(());
                }
                let name = name_of(data);
                let risk_level = data.get("risk_level").and_then(Value::as_str).map(str::to_owned);
                for due in workflow::due_items(data, status, rules) {
                    Self::query(
                        "INSERT INTO case_tasks (case_id, kind, item, due_on, owner_id, child_name, risk_level) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                    )
                    .bind(id.0)
                    .bind(due.kind.as_str())
                    .bind(&due.item)
                    .bind(due.due_on)
                    .bind(owner)
                    .bind(&name)
                    .bind(&risk_level)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            /// Recomputes the `case_tasks` rows of a case from its stored data and owner, inside
            /// the transaction that wrote it. `take_sync_seq` calls this.
            pub(crate) async fn rewrite_tasks_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: CaseId,
            ) -> StoreResult<()> {
                let row = Self::query("SELECT data, status, enabled, owner_id FROM cases WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                let Some(row) = row else { return Ok(()) };
                let rules = Self::workflow_rules_tx(tx).await?;
                let Json(data): Json<Map<String, Value>> = row.try_get("data")?;
                let status: String = row.try_get("status")?;
                let status = CaseStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown case status '{status}'")))?;
                Self::write_tasks_tx(tx, &rules, id, &data, status, row.try_get("enabled")?, row.try_get("owner_id")?)
                    .await
            }

            async fn put_setting_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                key: &str,
                value: &str,
            ) -> StoreResult<()> {
                Self::query(
                    "INSERT INTO store_settings (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Rebuilds the rows of up to [`REBUILD_BATCH`] cases after `after` in id order, in
            /// one transaction. Returns the last id done and the number of cases, or `None` at
            /// the end.
            async fn rebuild_batch(
                &self,
                rules: &WorkflowRules,
                after: Option<Uuid>,
            ) -> StoreResult<Option<(Uuid, u64)>> {
                let mut tx = self.begin_write().await?;
                let mut builder = SqlBuilder::new("SELECT id, data, status, enabled, owner_id FROM cases");
                if let Some(after) = after {
                    builder.push(" WHERE id > ").push_bind(Bind::Uuid(after));
                }
                builder.push(" ORDER BY id LIMIT ").push_bind(Bind::Int(REBUILD_BATCH));
                let rows = Self::query_built(builder).fetch_all(&mut *tx).await?;
                let mut last = None;
                for row in &rows {
                    let id: Uuid = row.try_get("id")?;
                    let Json(data): Json<Map<String, Value>> = row.try_get("data")?;
                    let status: String = row.try_get("status")?;
                    let status = CaseStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown case status '{status}'")))?;
                    let enabled: bool = row.try_get("enabled")?;
                    let owner: Uuid = row.try_get("owner_id")?;
                    Self::write_tasks_tx(&mut tx, rules, CaseId(id), &data, status, enabled, owner).await?;
                    last = Some(id);
                }
                tx.commit().await?;
                Ok(last.map(|last| (last, rows.len() as u64)))
            }

            fn task_from_brief(
                row: &<$db as sqlx::Database>::Row,
                kind: &str,
                item: String,
                subject_id: Option<Uuid>,
                comment: Option<String>,
            ) -> StoreResult<TaskRow> {
                Ok(TaskRow {
                    kind: kind.to_owned(),
                    case_id: CaseId(row.try_get("case_id")?),
                    display_id: row.try_get("display_id")?,
                    child_name: child_name([
                        row.try_get("name_first")?,
                        row.try_get("name_middle")?,
                        row.try_get("name_last")?,
                    ]),
                    risk_level: row.try_get("risk_level")?,
                    due_on: None,
                    item,
                    subject_id,
                    comment,
                })
            }

            async fn due_tasks(&self, user: UserId, until: Date) -> StoreResult<Vec<TaskRow>> {
                let mut tasks = Vec::new();
                for sql in [OWNED_TASKS_SQL, ASSIGNED_TASKS_SQL] {
                    let rows = Self::query(sql).bind(user.0).bind(until).fetch_all(&self.pool).await?;
                    for row in &rows {
                        tasks.push(TaskRow {
                            kind: row.try_get("kind")?,
                            case_id: CaseId(row.try_get("case_id")?),
                            display_id: row.try_get("display_id")?,
                            child_name: row.try_get("child_name")?,
                            risk_level: row.try_get("risk_level")?,
                            due_on: Some(row.try_get("due_on")?),
                            item: row.try_get("item")?,
                            subject_id: None,
                            comment: None,
                        });
                    }
                }
                Ok(tasks)
            }

            async fn approval_tasks(&self, principal: &Principal, query: &TaskQuery) -> StoreResult<Vec<TaskRow>> {
                let mut tasks = Vec::new();
                let mut decide = SqlBuilder::new(&format!(
                    "SELECT a.id AS subject_id, a.kind AS item, {CASE_BRIEF} FROM approvals a \
                     JOIN cases c ON c.id = a.case_id WHERE a.status = 'pending' AND a.requested_by <> "
                ));
                decide.push_bind(Bind::Uuid(principal.user_id.0)).push(" AND ");
                scope::push_scope(&mut decide, principal, Action::Approve);
                for row in &Self::query_built(decide).fetch_all(&self.pool).await? {
                    tasks.push(Self::task_from_brief(row, "approval", row.try_get("item")?, row.try_get("subject_id")?, None)?);
                }

                let mut rejected = SqlBuilder::new(&format!(
                    "SELECT a.id AS subject_id, a.kind AS item, a.comment, {CASE_BRIEF} FROM approvals a \
                     JOIN cases c ON c.id = a.case_id WHERE a.status = 'rejected' AND a.requested_by = "
                ));
                rejected.push_bind(Bind::Uuid(principal.user_id.0));
                rejected.push(" AND a.decided_at >= ").push_bind(Bind::Time(utc(query.rejected_since)));
                rejected.push(" AND ");
                scope::push_scope(&mut rejected, principal, Action::Read);
                for row in &Self::query_built(rejected).fetch_all(&self.pool).await? {
                    tasks.push(Self::task_from_brief(
                        row,
                        "approval_rejected",
                        row.try_get("item")?,
                        row.try_get("subject_id")?,
                        row.try_get("comment")?,
                    )?);
                }
                Ok(tasks)
            }

            async fn referral_tasks(&self, principal: &Principal) -> StoreResult<Vec<TaskRow>> {
                let mut tasks = Vec::new();
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT r.id AS subject_id, r.service_type AS item, r.status, {CASE_BRIEF} FROM referrals r \
                     JOIN cases c ON c.id = r.case_id WHERE "
                ));
                let me = builder.bind(Bind::Uuid(principal.user_id.0));
                builder.push(&format!("((r.status = 'pending' AND (r.to_user_id = {me}"));
                if principal.can(Action::ReceiveReferrals) {
                    let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
                    builder.push(&format!(" OR (r.to_user_id IS NULL AND r.to_agency_id = {agency})"));
                }
                builder.push(&format!(")) OR (r.status = 'accepted' AND r.to_user_id = {me}))"));
                for row in &Self::query_built(builder).fetch_all(&self.pool).await? {
                    let status: String = row.try_get("status")?;
                    let kind = if status == "accepted" { "referral_service" } else { "referral" };
                    tasks.push(Self::task_from_brief(row, kind, row.try_get("item")?, row.try_get("subject_id")?, None)?);
                }
                Ok(tasks)
            }

            async fn transfer_tasks(&self, principal: &Principal) -> StoreResult<Vec<TaskRow>> {
                let mut tasks = Vec::new();
                let mut builder = SqlBuilder::new(&format!(
                    "SELECT t.id AS subject_id, t.kind AS item, {CASE_BRIEF} FROM transfers t \
                     JOIN cases c ON c.id = t.case_id WHERE t.status = 'pending' AND "
                ));
                let me = builder.bind(Bind::Uuid(principal.user_id.0));
                builder.push(&format!("((t.kind = 'transfer' AND (t.to_user_id = {me}"));
                if principal.can(Action::Transfer) {
                    let agency = builder.bind(Bind::Text(principal.agency_id.clone()));
                    builder.push(&format!(" OR (t.to_user_id IS NULL AND t.to_agency_id = {agency})"));
                }
                builder.push(&format!(")) OR (t.kind = 'request' AND c.owner_id = {me}))"));
                for row in &Self::query_built(builder).fetch_all(&self.pool).await? {
                    tasks.push(Self::task_from_brief(row, "transfer", row.try_get("item")?, row.try_get("subject_id")?, None)?);
                }
                Ok(tasks)
            }
        }

        #[async_trait]
        impl TaskStore for $store {
            async fn set_workflow_rules(&self, rules: &WorkflowRules) -> StoreResult<u64> {
                let (json, hash) = fingerprint(rules)?;
                let stored = Self::query("SELECT value FROM store_settings WHERE key = $1")
                    .bind(FINGERPRINT_KEY)
                    .fetch_optional(&self.pool)
                    .await?;
                let stored: Option<String> = stored.map(|row| row.try_get("value")).transpose()?;
                if stored.as_deref() == Some(hash.as_str()) {
                    return Ok(0);
                }
                // The rules go in first, so a case written during the rebuild gets the new dates
                // too. The fingerprint goes in last, so an interrupted rebuild runs again at the
                // next start.
                let mut tx = self.begin_write().await?;
                Self::put_setting_tx(&mut tx, RULES_KEY, &json).await?;
                tx.commit().await?;
                let mut rebuilt = 0;
                let mut after = None;
                while let Some((last, count)) = self.rebuild_batch(rules, after).await? {
                    after = Some(last);
                    rebuilt += count;
                }
                let mut tx = self.begin_write().await?;
                Self::put_setting_tx(&mut tx, FINGERPRINT_KEY, &hash).await?;
                tx.commit().await?;
                Ok(rebuilt)
            }

            async fn tasks(&self, principal: &Principal, query: &TaskQuery) -> StoreResult<Vec<TaskRow>> {
                let mut tasks = self.due_tasks(principal.user_id, query.until).await?;
                tasks.extend(self.approval_tasks(principal, query).await?);
                tasks.extend(self.referral_tasks(principal).await?);
                tasks.extend(self.transfer_tasks(principal).await?);
                Ok(tasks)
            }
        }
    };
}

task_store!(SqliteStore, sqlx::Sqlite);
task_store!(PostgresStore, sqlx::Postgres);
