//! The SQLite and PostgreSQL stores.
//!
//! Both run the same SQL: the schemas (`migrations/sqlite`, `migrations/postgres`) have the
//! same tables and columns, and every value is bound through sqlx types that both drivers
//! encode. `sqlx::Any` cannot carry UUIDs, JSON or timestamps, so instead the one
//! implementation body below is instantiated once per driver by `sql_store!`. What differs
//! between the backends is passed in: the placeholder style and how a write transaction begins.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sathi_domain::ids::{CaseId, GroupId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sathi_domain::workflow::CaseStatus;
use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::columns::IndexedColumns;
use crate::model::*;
use crate::scope::{self, Bind, SqlBuilder};
use crate::{Store, StoreError, StoreResult};

pub(crate) const CASE_COLUMNS: &str = "c.id, c.display_id, c.data, c.version, c.status, c.stage, c.enabled, c.owner_id, \
     c.owner_agency_id, c.created_by, c.created_at, c.updated_at, c.closed_at";

/// The same columns without the table alias, for `RETURNING`, which SQLite does not let qualify.
pub(crate) const RETURNED_CASE_COLUMNS: &str = "id, display_id, data, version, status, stage, enabled, owner_id, \
     owner_agency_id, created_by, created_at, updated_at, closed_at";

/// A case's change log with the user's name and the device mutation that made each entry: a
/// mutation applied from a device (`sync_mutations`) or applied by a supervisor from the
/// quarantine (`sync_quarantine`). Callers append the `WHERE` clause.
pub(crate) const CHANGE_SELECT: &str = "SELECT ch.version, ch.path, ch.old_value, ch.new_value, ch.user_id, \
     ch.changed_at, ch.mutation_id, ch.conflict_id, u.username, u.full_name, \
     COALESCE(m.device_id, q.device_id) AS device_id, COALESCE(m.seq, q.seq) AS device_seq \
     FROM case_changes ch LEFT JOIN users u ON u.id = ch.user_id \
     LEFT JOIN sync_mutations m ON m.mutation_id = ch.mutation_id \
     LEFT JOIN sync_quarantine q ON q.mutation_id = ch.mutation_id";

const USER_COLUMNS: &str =
    "id, username, full_name, agency_id, role_id, locale, disabled, failed_logins, locked_until, created_at";

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file of a `sqlite://PATH` URL in WAL mode and
    /// applies the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }
}

pub struct PostgresStore {
    pub(crate) pool: PgPool,
}

impl PostgresStore {
    /// Connects to a `postgres://` URL and applies the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        // Names arrive in Bangla and Burmese script; a database in another encoding would
        // reject or mangle them.
        let encoding: String = sqlx::query_scalar("SHOW server_encoding").fetch_one(&pool).await?;
        if encoding != "UTF8" {
            return Err(StoreError::Setup(format!(
                "the PostgreSQL database uses encoding {encoding}; create it with ENCODING 'UTF8'"
            )));
        }
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PostgresStore { pool })
    }
}

/// SQLite reads `?N` as an explicit position, the same meaning PostgreSQL gives `$N`.
/// Turns PostgreSQL's `$N` placeholders into SQLite's. When they appear in the order
/// `$1, $2, … $n`, each once, as in every multi-row insert, they become plain `?`. sqlx reads
/// the name of each placeholder it binds, and SQLite finds the name of a numbered `?N` by
/// walking a list of all of them, so a statement of 6,000 values spent most of its time there.
/// Otherwise each `$N` becomes `?N`.
fn sqlite_placeholders(sql: &str) -> String {
    // Each `$` with the length of the number after it.
    let places: Vec<(usize, usize)> = sql
        .match_indices('$')
        .map(|(at, _)| (at, sql[at + 1..].bytes().take_while(u8::is_ascii_digit).count()))
        .collect();
    let in_order = places
        .iter()
        .enumerate()
        .all(|(index, &(at, digits))| sql[at + 1..at + 1 + digits].parse::<usize>() == Ok(index + 1));
    let mut out = String::with_capacity(sql.len());
    let mut from = 0;
    for (at, digits) in places {
        out.push_str(&sql[from..at]);
        out.push('?');
        from = if in_order { at + 1 + digits } else { at + 1 };
    }
    out.push_str(&sql[from..]);
    out
}

fn postgres_placeholders(sql: &str) -> String {
    sql.to_owned()
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|database| database.is_unique_violation())
}

pub(crate) fn utc(time: OffsetDateTime) -> OffsetDateTime {
    time.to_offset(time::UtcOffset::UTC)
}

/// Rows of one multi-row insert: at 10 values a row, 1,000 values, far below the bind limits
/// of SQLite (32,766) and PostgreSQL (65,535).
const ROWS_PER_INSERT: usize = 100;

/// Returns `rows` placeholder lists of `width` values each, numbered from `$1`:
/// `($1, $2), ($3, $4)` for two rows of two.
pub(crate) fn value_lists(rows: usize, width: usize) -> String {
    let lists: Vec<String> = (0..rows)
        .map(|row| {
            let places: Vec<String> =
                (1..=width).map(|column| format!("${}", row * width + column)).collect();
            format!("({})", places.join(", "))
        })
        .collect();
    lists.join(", ")
}

macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal, $placeholders:path, $begin_write:literal) => {
        impl $store {
            pub(crate) fn query<'q>(sql: &str) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments> {
                sqlx::query(sqlx::AssertSqlSafe($placeholders(sql)))
            }

            pub(crate) fn query_built(builder: SqlBuilder) -> sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments> {
                let mut query = Self::query(&builder.sql);
                for value in builder.binds {
                    query = match value {
                        Bind::Uuid(value) => query.bind(value),
                        Bind::Text(value) => query.bind(value),
                        Bind::Int(value) => query.bind(value),
                        Bind::Date(value) => query.bind(value),
                        Bind::Time(value) => query.bind(value),
                        Bind::Bool(value) => query.bind(value),
                        Bind::Json(value) => query.bind(Json(value)),
                        Bind::OptText(value) => query.bind(value),
                        Bind::OptDate(value) => query.bind(value),
                        Bind::OptTime(value) => query.bind(value),
                    };
                }
                query
            }

            fn user_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<User> {
                Ok(User {
                    id: UserId(row.try_get("id")?),
                    username: row.try_get("username")?,
                    full_name: row.try_get("full_name")?,
                    agency_id: row.try_get("agency_id")?,
                    role_id: row.try_get("role_id")?,
                    locale: row.try_get("locale")?,
                    disabled: row.try_get("disabled")?,
                    failed_logins: row.try_get("failed_logins")?,
                    locked_until: row.try_get("locked_until")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            /// Reads a row of [`CHANGE_SELECT`].
            pub(crate) fn change_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<ChangeEntry> {
                let Json(old_value): Json<Value> = row.try_get("old_value")?;
                let Json(new_value): Json<Value> = row.try_get("new_value")?;
                Ok(ChangeEntry {
                    version: row.try_get("version")?,
                    path: row.try_get("path")?,
                    old_value,
                    new_value,
                    user_id: UserId(row.try_get("user_id")?),
                    username: row.try_get("username")?,
                    full_name: row.try_get("full_name")?,
                    changed_at: row.try_get("changed_at")?,
                    mutation_id: row.try_get("mutation_id")?,
                    conflict_id: row.try_get("conflict_id")?,
                    device_id: row.try_get("device_id")?,
                    device_seq: row.try_get("device_seq")?,
                })
            }

            pub(crate) fn case_from_row(row: &<$db as sqlx::Database>::Row) -> StoreResult<CaseRecord> {
                let status: String = row.try_get("status")?;
                let Json(data): Json<Map<String, Value>> = row.try_get("data")?;
                Ok(CaseRecord {
                    id: CaseId(row.try_get("id")?),
                    display_id: row.try_get("display_id")?,
                    data,
                    version: row.try_get("version")?,
                    status: CaseStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown case status '{status}'")))?,
                    stage: row.try_get("stage")?,
                    enabled: row.try_get("enabled")?,
                    owner_id: UserId(row.try_get("owner_id")?),
                    owner_agency_id: row.try_get("owner_agency_id")?,
                    created_by: UserId(row.try_get("created_by")?),
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                    closed_at: row.try_get("closed_at")?,
                })
            }

            /// Replaces the derived rows (concerns, name words) of a case inside `tx`, each kind
            /// with one multi-row insert. A `new` case has no rows to delete first.
            async fn write_derived(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: CaseId,
                columns: &IndexedColumns,
                new: bool,
            ) -> StoreResult<()> {
                if !new {
                    Self::query("DELETE FROM case_concerns WHERE case_id = $1").bind(id.0).execute(&mut **tx).await?;
                    Self::query("DELETE FROM case_name_tokens WHERE case_id = $1").bind(id.0).execute(&mut **tx).await?;
                }
                for (table, column, values) in [
                    ("case_concerns", "concern", &columns.concerns),
                    ("case_name_tokens", "token", &columns.name_tokens),
                ] {
                    for part in values.chunks(ROWS_PER_INSERT) {
                        let sql = format!(
                            "INSERT INTO {table} (case_id, {column}) VALUES {} ON CONFLICT DO NOTHING",
                            value_lists(part.len(), 2)
                        );
                        let mut query = Self::query(&sql);
                        for value in part {
                            query = query.bind(id.0).bind(value.clone());
                        }
                        query.execute(&mut **tx).await?;
                    }
                }
                Ok(())
            }

            /// Appends one change log row per change inside `tx`, many rows per statement.
            pub(crate) async fn write_changes(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: CaseId,
                version: i64,
                changes: &[sathi_domain::validation::AppliedChange],
                user: UserId,
                now: OffsetDateTime,
                link: ChangeLink,
            ) -> StoreResult<()> {
                for part in changes.chunks(ROWS_PER_INSERT) {
                    let sql = format!(
                        "INSERT INTO case_changes (id, case_id, version, path, old_value, new_value, user_id, changed_at, \
                         mutation_id, conflict_id) VALUES {}",
                        value_lists(part.len(), 10)
                    );
                    let mut query = Self::query(&sql);
                    for change in part {
                        query = query
                            .bind(Uuid::now_v7())
                            .bind(id.0)
                            .bind(version)
                            .bind(change.path.clone())
                            .bind(Json(change.old_value.clone()))
                            .bind(Json(change.new_value.clone()))
                            .bind(user.0)
                            .bind(utc(now))
                            .bind(link.mutation_id)
                            .bind(link.conflict_id);
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Rewrites the case's due items (`case_tasks`) and gives the case the next global
            /// order number. Every write to a case calls this as its last statement before
            /// commit: the `sync_clock` row stays locked until the commit, so the numbers become
            /// visible in increasing order and a sync cursor never passes over a write that
            /// commits late.
            pub(crate) async fn take_sync_seq(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: CaseId,
            ) -> StoreResult<i64> {
                // The due items first, so the clock's row is locked as briefly as before.
                Self::rewrite_tasks_tx(tx, id).await?;
                let seq: i64 = Self::query("UPDATE sync_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get("seq")?;
                Self::query("UPDATE cases SET sync_seq = $1 WHERE id = $2").bind(seq).bind(id.0).execute(&mut **tx).await?;
                Ok(seq)
            }

            /// Inserts a new case inside `tx`, with its derived rows and change log.
            pub(crate) async fn insert_case_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                case: &NewCase,
                link: ChangeLink,
            ) -> StoreResult<CaseRecord> {
                let (record, columns) = Self::insert_case_row_tx(tx, principal, case).await?;
                Self::write_derived(tx, case.id, &columns, true).await?;
                Self::write_changes(tx, case.id, 1, &case.changes, principal.user_id, utc(case.now), link).await?;
                Ok(record)
            }

            /// Inserts the row of a new case inside `tx`, without its derived rows and change
            /// log, and returns it with the columns derived from its data.
            pub(crate) async fn insert_case_row_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                case: &NewCase,
            ) -> StoreResult<(CaseRecord, IndexedColumns)> {
                let status = CaseStatus::Open;
                let columns = IndexedColumns::from_data(&case.data, status);
                let now = utc(case.now);
                let taken = Self::query("SELECT 1 AS one FROM cases WHERE id = $1")
                    .bind(case.id.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Duplicate("case id"));
                }
                let inserted = Self::query(&format!(
                    "INSERT INTO cases (id, display_id, data, version, status, stage, enabled, risk_level, sex, \
                     date_of_birth, registration_date, location_code, name_key, owner_id, owner_agency_id, \
                     created_by, created_at, updated_at, closure_date, assessment_completed_on, case_plan_approved_on, \
                     concern_list) \
                     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, \
                     $20) \
                     RETURNING {RETURNED_CASE_COLUMNS}"
                ))
                .bind(case.id.0)
                .bind(&case.display_id)
                .bind(Json(&case.data))
                .bind(status.as_str())
                .bind(columns.stage)
                .bind(true)
                .bind(&columns.risk_level)
                .bind(&columns.sex)
                .bind(columns.date_of_birth)
                .bind(columns.registration_date)
                .bind(&columns.location_code)
                .bind(&columns.name_key)
                .bind(case.owner_id.0)
                .bind(&case.owner_agency_id)
                .bind(principal.user_id.0)
                .bind(now)
                .bind(columns.closure_date)
                .bind(columns.assessment_completed_on)
                .bind(columns.case_plan_approved_on)
                .bind(&columns.concern_list)
                .fetch_one(&mut **tx)
                .await;
                let row = match inserted {
                    Ok(row) => row,
                    Err(error) if is_unique_violation(&error) => return Err(StoreError::Duplicate("display id")),
                    Err(error) => return Err(error.into()),
                };
                let record = Self::case_from_row(&row)?;
                Ok((record, columns))
            }

            /// Writes a new version of a case inside `tx` if it is at the expected version and in
            /// the write scope of the update's action. `Ok(None)` means missing or out of scope.
            pub(crate) async fn update_case_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                principal: &Principal,
                update: &CaseUpdate,
                link: ChangeLink,
            ) -> StoreResult<Option<CaseRecord>> {
                let columns = IndexedColumns::from_data(&update.data, update.status);
                let now = utc(update.now);
                let closed_at = (update.status == CaseStatus::Closed).then_some(now);

                let mut builder = SqlBuilder::new("UPDATE cases SET data = ");
                builder.push_bind(Bind::Json(Value::Object(update.data.clone())));
                builder.push(", version = version + 1, status = ").push_bind(Bind::Text(update.status.as_str().into()));
                builder.push(", stage = ").push_bind(Bind::Text(columns.stage.into()));
                builder.push(", enabled = ").push_bind(Bind::Bool(update.enabled));
                builder.push(", risk_level = ").push_bind(Bind::OptText(columns.risk_level.clone()));
                builder.push(", sex = ").push_bind(Bind::OptText(columns.sex.clone()));
                builder.push(", date_of_birth = ").push_bind(Bind::OptDate(columns.date_of_birth));
                builder.push(", registration_date = ").push_bind(Bind::OptDate(columns.registration_date));
                builder.push(", location_code = ").push_bind(Bind::OptText(columns.location_code.clone()));
                builder.push(", closure_date = ").push_bind(Bind::OptDate(columns.closure_date));
                builder.push(", assessment_completed_on = ").push_bind(Bind::OptDate(columns.assessment_completed_on));
                builder.push(", case_plan_approved_on = ").push_bind(Bind::OptDate(columns.case_plan_approved_on));
                builder.push(", concern_list = ").push_bind(Bind::OptText(columns.concern_list.clone()));
                builder.push(", name_key = ").push_bind(Bind::Text(columns.name_key.clone()));
                builder.push(", updated_at = ").push_bind(Bind::Time(now));
                builder.push(", closed_at = ").push_bind(Bind::OptTime(closed_at));
                let id = builder.bind(Bind::Uuid(update.id.0));
                builder.push(&format!(" WHERE id = {id} AND version = "));
                builder.push_bind(Bind::Int(update.expected_version));
                // UPDATE has no portable table alias, so the scope runs as a sub-select on `c`.
                builder.push(&format!(" AND id IN (SELECT c.id FROM cases c WHERE c.id = {id} AND "));
                scope::push_scope(&mut builder, principal, update.action);
                builder.push(&format!(")  RETURNING {RETURNED_CASE_COLUMNS}"));
                let query = Self::query_built(builder);
                let row = query.fetch_optional(&mut **tx).await?;

                let Some(row) = row else {
                    let mut probe = SqlBuilder::new("SELECT c.version FROM cases c WHERE c.id = ");
                    probe.push_bind(Bind::Uuid(update.id.0)).push(" AND ");
                    scope::push_scope(&mut probe, principal, update.action);
                    let exists = Self::query_built(probe).fetch_optional(&mut **tx).await?;
                    return if exists.is_some() { Err(StoreError::VersionConflict) } else { Ok(None) };
                };
                let record = Self::case_from_row(&row)?;
                Self::write_derived(tx, update.id, &columns, false).await?;
                Self::write_changes(tx, update.id, record.version, &update.changes, principal.user_id, now, link).await?;
                Ok(Some(record))
            }

            /// Resolves the cases `principal` reaches for `action`, reading the members of the
            /// caller's groups when the scope is group.
            pub(crate) async fn reach(&self, principal: &Principal, action: Action) -> StoreResult<scope::Reach> {
                let members = match scope::group_members_query(principal, action) {
                    Some(query) => Self::query_built(query)
                        .fetch_all(&self.pool)
                        .await?
                        .iter()
                        .map(|row| row.try_get("user_id"))
                        .collect::<Result<Vec<Uuid>, _>>()?,
                    None => Vec::new(),
                };
                Ok(scope::reach(principal, action, &members))
            }

            pub(crate) async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, $db>> {
                Ok(self.pool.begin_with($begin_write).await?)
            }
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> StoreResult<()> {
                Self::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn current_configuration(&self) -> StoreResult<Option<StoredConfiguration>> {
                let row = Self::query(
                    "SELECT version, label, document, created_at FROM config_versions ORDER BY version DESC LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    let Json(document): Json<Value> = row.try_get("document")?;
                    Ok(StoredConfiguration {
                        version: row.try_get("version")?,
                        label: row.try_get("label")?,
                        document,
                        created_at: row.try_get("created_at")?,
                    })
                })
                .transpose()
            }

            async fn configuration_version(&self) -> StoreResult<Option<i64>> {
                Ok(Self::query("SELECT MAX(version) AS version FROM config_versions")
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("version")?)
            }

            async fn save_configuration(
                &self,
                document: &Value,
                label: &str,
                by: Option<UserId>,
                now: OffsetDateTime,
            ) -> StoreResult<i64> {
                let mut tx = self.begin_write().await?;
                let current: Option<i64> = Self::query("SELECT MAX(version) AS version FROM config_versions")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("version")?;
                let version = current.unwrap_or(0) + 1;
                Self::query(
                    "INSERT INTO config_versions (version, label, document, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(version)
                .bind(label)
                .bind(Json(document))
                .bind(utc(now))
                .bind(by.map(|user| user.0))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn cases_at_locations(&self, codes: &[String]) -> StoreResult<Vec<(String, i64)>> {
                let mut counts = Vec::new();
                for part in codes.chunks(500) {
                    let mut builder = SqlBuilder::new("SELECT c.location_code AS code, COUNT(*) AS n FROM cases c WHERE ");
                    let places: Vec<String> = part.iter().map(|code| builder.bind(Bind::Text(code.clone()))).collect();
                    builder.push(&format!(
                        "c.location_code IN ({}) GROUP BY c.location_code ORDER BY c.location_code",
                        places.join(", ")
                    ));
                    for row in Self::query_built(builder).persistent(false).fetch_all(&self.pool).await? {
                        counts.push((row.try_get("code")?, row.try_get("n")?));
                    }
                }
                Ok(counts)
            }

            async fn create_user(&self, user: &NewUser, now: OffsetDateTime) -> StoreResult<User> {
                let inserted = Self::query(&format!(
                    "INSERT INTO users (id, username, full_name, agency_id, role_id, locale, password_hash, \
                     disabled, failed_logins, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) \
                     RETURNING {USER_COLUMNS}"
                ))
                .bind(user.id.0)
                .bind(&user.username)
                .bind(&user.full_name)
                .bind(&user.agency_id)
                .bind(&user.role_id)
                .bind(&user.locale)
                .bind(&user.password_hash)
                .bind(false)
                .bind(utc(now))
                .fetch_one(&self.pool)
                .await;
                match inserted {
                    Ok(row) => Self::user_from_row(&row),
                    Err(error) if is_unique_violation(&error) => Err(StoreError::Duplicate("user name")),
                    Err(error) => Err(error.into()),
                }
            }

            async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
                let row = Self::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::user_from_row).transpose()
            }

            async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
                let row = Self::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"))
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::user_from_row).transpose()
            }

            async fn password_hash(&self, id: UserId) -> StoreResult<Option<String>> {
                let row = Self::query("SELECT password_hash FROM users WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get("password_hash")).transpose()?)
            }

            async fn list_users(&self, agency_id: Option<&str>) -> StoreResult<Vec<User>> {
                let rows = match agency_id {
                    Some(agency) => {
                        Self::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE agency_id = $1 ORDER BY username"))
                            .bind(agency.to_owned())
                            .fetch_all(&self.pool)
                            .await?
                    }
                    None => {
                        Self::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"))
                            .fetch_all(&self.pool)
                            .await?
                    }
                };
                rows.iter().map(Self::user_from_row).collect()
            }

            async fn count_users(&self) -> StoreResult<i64> {
                let row = Self::query("SELECT COUNT(*) AS n FROM users").fetch_one(&self.pool).await?;
                Ok(row.try_get("n")?)
            }

            async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<bool> {
                let result = Self::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(disabled)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<bool> {
                let result = Self::query(
                    "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
                )
                .bind(hash)
                .bind(id.0)
                .execute(&self.pool)
                .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn set_user_locale(&self, id: UserId, locale: &str) -> StoreResult<bool> {
                let result = Self::query("UPDATE users SET locale = $1 WHERE id = $2")
                    .bind(locale)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn record_failed_login(
                &self,
                id: UserId,
                max_attempts: u32,
                lockout: time::Duration,
                now: OffsetDateTime,
            ) -> StoreResult<Option<OffsetDateTime>> {
                // One statement, so concurrent failures from several servers all count. A failure after an
                // expired lock starts a new count instead of locking again at once.
                let locked_until = utc(now + lockout);
                let row = Self::query(
                    "UPDATE users SET \
                     failed_logins = CASE WHEN locked_until <= $4 THEN 1 ELSE failed_logins + 1 END, \
                     locked_until = CASE WHEN locked_until <= $4 THEN NULL \
                                         WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END \
                     WHERE id = $3 RETURNING locked_until",
                )
                .bind(i64::from(max_attempts))
                .bind(locked_until)
                .bind(id.0)
                .bind(utc(now))
                .fetch_optional(&self.pool)
                .await?;
                let until: Option<OffsetDateTime> = match row {
                    Some(row) => row.try_get("locked_until")?,
                    None => None,
                };
                Ok(until.filter(|until| *until > now))
            }

            async fn reset_failed_logins(&self, id: UserId) -> StoreResult<()> {
                Self::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn vault_key(&self, id: UserId, candidate: &[u8]) -> StoreResult<Vec<u8>> {
                // Set once, then only read, so concurrent first logins agree on one key.
                Self::query("UPDATE users SET vault_key = $1 WHERE id = $2 AND vault_key IS NULL")
                    .bind(candidate)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                let row = Self::query("SELECT vault_key FROM users WHERE id = $1").bind(id.0).fetch_one(&self.pool).await?;
                let key: Option<Vec<u8>> = row.try_get("vault_key")?;
                key.ok_or_else(|| StoreError::Corrupt("a user's vault key was not stored".to_owned()))
            }

            async fn create_group(&self, name: &str, agency_id: &str) -> StoreResult<GroupId> {
                let id = GroupId::new();
                Self::query("INSERT INTO user_groups (id, name, agency_id) VALUES ($1, $2, $3)")
                    .bind(id.0)
                    .bind(name)
                    .bind(agency_id)
                    .execute(&self.pool)
                    .await?;
                Ok(id)
            }

            async fn add_group_member(&self, group: GroupId, user: UserId) -> StoreResult<()> {
                Self::query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(group.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn groups_of(&self, user: UserId) -> StoreResult<Vec<GroupId>> {
                let rows = Self::query("SELECT group_id FROM group_members WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|row| Ok(GroupId(row.try_get("group_id")?))).collect()
            }

            async fn create_session(
                &self,
                token_hash: &str,
                user: UserId,
                now: OffsetDateTime,
                expires_at: OffsetDateTime,
            ) -> StoreResult<()> {
                Self::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user.0)
                    .bind(utc(now))
                    .bind(utc(expires_at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<UserId>> {
                let row = Self::query("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                    .bind(token_hash)
                    .bind(utc(now))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get("user_id").map(UserId)).transpose()?)
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                Self::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_sessions_of(&self, user: UserId) -> StoreResult<()> {
                Self::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_expired_sessions_of(&self, user: UserId, now: OffsetDateTime) -> StoreResult<()> {
                Self::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
                    .bind(user.0)
                    .bind(utc(now))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn create_case(&self, principal: &Principal, case: &NewCase) -> StoreResult<CaseRecord> {
                let mut tx = self.begin_write().await?;
                let record = Self::insert_case_tx(&mut tx, principal, case, ChangeLink::default()).await?;
                Self::take_sync_seq(&mut tx, record.id).await?;
                tx.commit().await?;
                Ok(record)
            }

            async fn case(&self, principal: &Principal, id: CaseId) -> StoreResult<Option<CaseRecord>> {
                let mut builder = SqlBuilder::new(&format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = "));
                builder.push_bind(Bind::Uuid(id.0)).push(" AND ");
                scope::push_scope(&mut builder, principal, Action::Read);
                let row = Self::query_built(builder).fetch_optional(&self.pool).await?;
                row.as_ref().map(Self::case_from_row).transpose()
            }

            async fn update_case(&self, principal: &Principal, update: &CaseUpdate) -> StoreResult<Option<CaseRecord>> {
                let mut tx = self.begin_write().await?;
                let Some(record) = Self::update_case_tx(&mut tx, principal, update, ChangeLink::default()).await? else {
                    return Ok(None);
                };
                Self::take_sync_seq(&mut tx, record.id).await?;
                tx.commit().await?;
                Ok(Some(record))
            }

            async fn list_cases(&self, principal: &Principal, filter: &CaseFilter) -> StoreResult<CasePage> {
                let reach = self.reach(principal, Action::Read).await?;
                let offset = filter.offset.max(0);

                // One pass over the scope chooses the page on the sort columns, which the scope
                // indexes carry, and counts every match with a window function, which runs
                // before LIMIT. Only the page's rows are then read in full.
                let mut page = SqlBuilder::new("SELECT p.total, ");
                page.push(CASE_COLUMNS).push(" FROM (SELECT s.id, COUNT(*) OVER () AS total FROM (");
                scope::push_scoped_cases(&mut page, &reach, filter, scope::sort_columns(filter.sort));
                page.push(") s").push(&scope::order_by(filter.sort, "s"));
                page.push(" LIMIT ").push_bind(Bind::Int(filter.limit.clamp(1, 500)));
                page.push(" OFFSET ").push_bind(Bind::Int(offset));
                page.push(") p CROSS JOIN cases c WHERE c.id = p.id").push(&scope::order_by(filter.sort, "c"));
                let rows = Self::query_built(page).fetch_all(&self.pool).await?;
                let cases = rows.iter().map(Self::case_from_row).collect::<StoreResult<Vec<_>>>()?;

                let total: i64 = match rows.first() {
                    Some(row) => row.try_get("total")?,
                    None if offset == 0 => 0,
                    // A page past the end has no row to carry the total, so count separately.
                    None => {
                        let mut count = SqlBuilder::new("SELECT COUNT(*) AS n FROM (");
                        scope::push_scoped_cases(&mut count, &reach, filter, "c.id");
                        count.push(") s");
                        Self::query_built(count).fetch_one(&self.pool).await?.try_get("n")?
                    }
                };
                Ok(CasePage { cases, total })
            }

            async fn case_changes(&self, principal: &Principal, id: CaseId) -> StoreResult<Option<Vec<ChangeEntry>>> {
                if self.case(principal, id).await?.is_none() {
                    return Ok(None);
                }
                let rows = Self::query(&format!(
                    "{CHANGE_SELECT} WHERE ch.case_id = $1 ORDER BY ch.version, ch.changed_at, ch.id"
                ))
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
                let entries = rows.iter().map(Self::change_from_row).collect::<StoreResult<Vec<_>>>()?;
                Ok(Some(entries))
            }

            async fn display_id_taken(&self, display_id: &str) -> StoreResult<bool> {
                let row = Self::query("SELECT 1 AS one FROM cases WHERE display_id = $1")
                    .bind(display_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
            }

            async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
                Self::query(
                    "INSERT INTO audit_log (id, at, user_id, action, case_id, outcome, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(Uuid::now_v7())
                .bind(utc(entry.at))
                .bind(entry.user_id.map(|user| user.0))
                .bind(&entry.action)
                .bind(entry.case_id.map(|case| case.0))
                .bind(&entry.outcome)
                .bind(Json(&entry.detail))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn audit_entries(&self, case_id: Option<CaseId>, limit: i64) -> StoreResult<Vec<StoredAuditEntry>> {
                let mut builder = SqlBuilder::new("SELECT at, user_id, action, case_id, outcome, detail FROM audit_log");
                if let Some(case_id) = case_id {
                    builder.push(" WHERE case_id = ").push_bind(Bind::Uuid(case_id.0));
                }
                builder.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(Bind::Int(limit.clamp(1, 1000)));
                let rows = Self::query_built(builder).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| {
                        let Json(detail): Json<Value> = row.try_get("detail")?;
                        let user_id: Option<Uuid> = row.try_get("user_id")?;
                        let case_id: Option<Uuid> = row.try_get("case_id")?;
                        Ok(StoredAuditEntry {
                            at: row.try_get("at")?,
                            user_id: user_id.map(UserId),
                            action: row.try_get("action")?,
                            case_id: case_id.map(CaseId),
                            outcome: row.try_get("outcome")?,
                            detail,
                        })
                    })
                    .collect()
            }
        }
    };
}

sql_store!(SqliteStore, sqlx::Sqlite, "sqlite", sqlite_placeholders, "BEGIN IMMEDIATE");
sql_store!(PostgresStore, sqlx::Postgres, "postgres", postgres_placeholders, "BEGIN");

#[cfg(test)]
mod tests {
    use super::{sqlite_placeholders, value_lists};

    #[test]
    fn placeholders_in_order_become_plain() {
        let sql = format!("INSERT INTO t (a, b) VALUES {}", value_lists(2, 2));
        assert_eq!(sqlite_placeholders(&sql), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(sqlite_placeholders("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn placeholders_out_of_order_keep_numbers() {
        assert_eq!(
            sqlite_placeholders("SELECT a FROM t WHERE b = $2 AND c = $1"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?1"
        );
        assert_eq!(
            sqlite_placeholders("UPDATE t SET a = $1, b = $1 WHERE c = $2"),
            "UPDATE t SET a = ?1, b = ?1 WHERE c = ?2"
        );
        assert_eq!(sqlite_placeholders("SELECT $1, $3"), "SELECT ?1, ?3");
    }
}
