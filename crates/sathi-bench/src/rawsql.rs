//! The SQL the store runs for each measured request, run directly with sqlx, so the time the
//! database needs can be set beside the time the whole HTTP request takes.
//!
//! The statements copy `crates/sathi-store/src/scope.rs` and `sql.rs` (scope condition, filter
//! order, placeholders, ORDER BY, LIMIT and OFFSET) for the filters this benchmark uses. The
//! benchmark checks that the total here equals the `total` the server returns, so a copy that
//! drifts from the store fails the run instead of timing a different query.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sathi_domain::validation::AppliedChange;
use sathi_store::IndexedColumns;
use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

/// `CASE_COLUMNS` of the store.
const CASE_COLUMNS: &str = "c.id, c.display_id, c.data, c.version, c.status, c.stage, c.enabled, c.owner_id, \
     c.owner_agency_id, c.created_by, c.created_at, c.updated_at, c.closed_at";
const RETURNED_CASE_COLUMNS: &str = "id, display_id, data, version, status, stage, enabled, owner_id, \
     owner_agency_id, created_by, created_at, updated_at, closed_at";
const USER_COLUMNS: &str =
    "id, username, full_name, agency_id, role_id, locale, disabled, failed_logins, locked_until, created_at";

#[derive(Debug, Clone)]
pub enum Bind {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Time(OffsetDateTime),
    Date(time::Date),
}

/// SQL with PostgreSQL-style placeholders and its bind values.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Statement {
    fn new(sql: &str) -> Self {
        Statement { sql: sql.to_owned(), binds: Vec::new() }
    }

    fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    fn bind(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }
}

/// Whose scope a case query runs in: a caseworker's own cases, or a supervisor's groups.
#[derive(Debug, Clone)]
pub enum Scope {
    Own { user: Uuid },
    Group { user: Uuid, groups: Vec<Uuid> },
}

/// The filters the benchmark's list and search requests set. The server adds `enabled = true`
/// to every list that does not name `enabled`, so this does too.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<&'static str>,
    pub risk_levels: Vec<String>,
    pub location: Option<String>,
    pub query: Option<String>,
    pub limit: i64,
}

impl ListFilter {
    /// The query string of the same request to `GET /api/v1/cases`.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(status) = self.status {
            pairs.push(("status", status.to_owned()));
        }
        if !self.risk_levels.is_empty() {
            pairs.push(("risk_level", self.risk_levels.join(",")));
        }
        if let Some(location) = &self.location {
            pairs.push(("location", location.clone()));
        }
        if let Some(query) = &self.query {
            pairs.push(("q", query.clone()));
        }
        pairs.push(("sort", "updated_desc".to_owned()));
        pairs.push(("limit", self.limit.to_string()));
        pairs
    }
}

/// `group_members_query` of the store: the members of a supervisor's groups, which the store
/// reads before each list. Empty for a caseworker.
pub fn group_members_statement(scope: &Scope) -> Option<Statement> {
    let Scope::Group { groups, .. } = scope else {
        return None;
    };
    if groups.is_empty() {
        return None;
    }
    let mut statement =
        Statement::new("SELECT DISTINCT m.user_id FROM group_members m WHERE m.group_id IN (");
    let placeholders: Vec<String> = groups.iter().map(|group| statement.bind(Bind::Uuid(*group))).collect();
    statement.push(&placeholders.join(", "));
    statement.push(")");
    Some(statement)
}

/// `push_scoped_cases` of the store for a caseworker (own) or supervisor (group, whose group
/// members are `members`): the UNION of cases by owner, by assignment and by open referral,
/// each branch with all filters.
fn push_scoped_cases(
    statement: &mut Statement,
    scope: &Scope,
    members: &[Uuid],
    filter: &ListFilter,
    columns: &str,
) {
    let user = match scope {
        Scope::Own { user } | Scope::Group { user, .. } => *user,
    };
    let mut owners = vec![user];
    if matches!(scope, Scope::Group { .. }) {
        owners.extend(members.iter().copied().filter(|member| *member != user));
    }
    let placeholders: Vec<String> = owners.iter().map(|owner| statement.bind(Bind::Uuid(*owner))).collect();
    statement
        .push(&format!("SELECT {columns} FROM cases c WHERE c.owner_id IN ({})", placeholders.join(", ")));
    push_filters(statement, filter);
    let user = statement.bind(Bind::Uuid(user));
    statement.push(&format!(
        " UNION SELECT {columns} FROM case_assignments a CROSS JOIN cases c \
         WHERE c.id = a.case_id AND a.user_id = {user}"
    ));
    push_filters(statement, filter);
    statement.push(&format!(
        " UNION SELECT {columns} FROM referrals r CROSS JOIN cases c \
         WHERE c.id = r.case_id AND r.to_user_id = {user} AND r.status IN ('pending', 'accepted')"
    ));
    push_filters(statement, filter);
}

/// `push_filters` of the store, for the filters of [`ListFilter`], in the store's order.
fn push_filters(statement: &mut Statement, filter: &ListFilter) {
    if let Some(status) = filter.status {
        let placeholder = statement.bind(Bind::Text(status.to_owned()));
        statement.push(&format!(" AND c.status = {placeholder}"));
    }
    let enabled = statement.bind(Bind::Bool(true));
    statement.push(&format!(" AND c.enabled = {enabled}"));
    if !filter.risk_levels.is_empty() {
        let placeholders: Vec<String> =
            filter.risk_levels.iter().map(|level| statement.bind(Bind::Text(level.clone()))).collect();
        statement.push(&format!(" AND c.risk_level IN ({})", placeholders.join(", ")));
    }
    if let Some(location) = &filter.location {
        let exact = statement.bind(Bind::Text(location.clone()));
        let low = statement.bind(Bind::Text(format!("{location}-")));
        let high = statement.bind(Bind::Text(format!("{location}.")));
        statement.push(&format!(
            " AND (c.location_code = {exact} OR (c.location_code >= {low} AND c.location_code < {high}))"
        ));
    }
    if let Some(query) = filter.query.as_deref().map(str::trim).filter(|query| !query.is_empty()) {
        let display_id = statement.bind(Bind::Text(query.to_uppercase()));
        statement
            .push(&format!(" AND (c.id IN (SELECT d.id FROM cases d WHERE d.display_id = {display_id})"));
        let tokens = sathi_domain::text::search_tokens(query);
        if !tokens.is_empty() {
            statement.push(" OR (1 = 1");
            for token in tokens {
                let low = statement.bind(Bind::Text(token.clone()));
                let high = statement.bind(Bind::Text(format!("{token}{}", char::MAX)));
                statement.push(&format!(
                    " AND EXISTS (SELECT 1 FROM case_name_tokens t \
                     WHERE t.case_id = c.id AND t.token >= {low} AND t.token < {high})"
                ));
            }
            statement.push(")");
        }
        statement.push(")");
    }
}

/// Builds the statement of the store's `list_cases` after it has read the group members: the
/// page, with the total of all matches in its first column. The store runs a separate count
/// only for an empty page past offset 0, which this benchmark never requests.
pub fn list_statement(scope: &Scope, members: &[Uuid], filter: &ListFilter) -> Statement {
    let mut page = Statement::new(&format!(
        "SELECT p.total, {CASE_COLUMNS} FROM (SELECT s.id, COUNT(*) OVER () AS total FROM ("
    ));
    push_scoped_cases(&mut page, scope, members, filter, "c.id, c.updated_at");
    page.push(") s ORDER BY s.updated_at DESC, s.id DESC LIMIT ");
    let limit = page.bind(Bind::Int(filter.limit.clamp(1, 500)));
    page.push(&limit);
    page.push(" OFFSET ");
    let offset = page.bind(Bind::Int(0));
    page.push(&offset);
    page.push(") p CROSS JOIN cases c WHERE c.id = p.id ORDER BY c.updated_at DESC, c.id DESC");
    page
}

/// The three statements that authenticate a request: the session, the user and their groups.
pub fn authentication_statements(token_hash: &str, user: Uuid) -> [Statement; 3] {
    let mut session =
        Statement::new("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2");
    session.binds = vec![Bind::Text(token_hash.to_owned()), Bind::Time(OffsetDateTime::now_utc())];
    let mut account = Statement::new(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
    account.binds = vec![Bind::Uuid(user)];
    let mut groups = Statement::new("SELECT group_id FROM group_members WHERE user_id = $1");
    groups.binds = vec![Bind::Uuid(user)];
    [session, account, groups]
}

/// A new case for [`RawDatabase::create_case`], as the server hands it to the store.
pub struct RawCase {
    pub id: Uuid,
    pub display_id: String,
    pub data: Map<String, Value>,
    pub changes: Vec<AppliedChange>,
    pub owner_id: Uuid,
    pub owner_agency_id: String,
}

/// A connection pool of its own on the benchmark database.
pub enum RawDatabase {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl RawDatabase {
    /// Connects one connection with the store's connection settings.
    pub async fn connect(url: &str) -> anyhow::Result<RawDatabase> {
        if crate::is_postgres(url) {
            let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
            return Ok(RawDatabase::Postgres(pool));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        Ok(RawDatabase::Sqlite(pool))
    }

    /// Runs a statement and returns the first column of its first row (when that is an
    /// integer) and the number of rows.
    pub async fn fetch(&self, statement: &Statement) -> anyhow::Result<(Option<i64>, usize)> {
        match self {
            RawDatabase::Sqlite(pool) => sqlite_raw::fetch(pool, statement).await,
            RawDatabase::Postgres(pool) => postgres_raw::fetch(pool, statement).await,
        }
    }

    /// Runs a statement that returns no rows, such as a DELETE.
    pub async fn execute(&self, statement: &Statement) -> anyhow::Result<()> {
        match self {
            RawDatabase::Sqlite(pool) => sqlite_raw::query(statement).execute(pool).await.map(drop)?,
            RawDatabase::Postgres(pool) => postgres_raw::query(statement).execute(pool).await.map(drop)?,
        }
        Ok(())
    }

    /// Runs a statement and returns the first column of every row as a UUID.
    pub async fn fetch_uuids(&self, statement: &Statement) -> anyhow::Result<Vec<Uuid>> {
        match self {
            RawDatabase::Sqlite(pool) => sqlite_raw::fetch_uuids(pool, statement).await,
            RawDatabase::Postgres(pool) => postgres_raw::fetch_uuids(pool, statement).await,
        }
    }

    /// Runs [`group_members_statement`] for `scope`, as the store does before a list.
    pub async fn group_members(&self, scope: &Scope) -> anyhow::Result<Vec<Uuid>> {
        match group_members_statement(scope) {
            Some(statement) => self.fetch_uuids(&statement).await,
            None => Ok(Vec::new()),
        }
    }

    /// Runs the statements of the store's `create_case` in one write transaction.
    pub async fn create_case(&self, case: &RawCase, now: OffsetDateTime) -> anyhow::Result<()> {
        match self {
            RawDatabase::Sqlite(pool) => sqlite_raw::create_case(pool, "BEGIN IMMEDIATE", case, now).await,
            RawDatabase::Postgres(pool) => postgres_raw::create_case(pool, "BEGIN", case, now).await,
        }
    }

    /// Runs the statements with which the store's `rewrite_tasks_tx` replaces a case's
    /// `case_tasks` rows, in a write transaction that is rolled back, and returns how many rows
    /// it wrote. A case write runs these inside its own transaction, so their time is what the
    /// due items add to every write.
    pub async fn rewrite_tasks(&self, case_id: Uuid) -> anyhow::Result<usize> {
        match self {
            RawDatabase::Sqlite(pool) => sqlite_raw::rewrite_tasks(pool, "BEGIN IMMEDIATE", case_id).await,
            RawDatabase::Postgres(pool) => postgres_raw::rewrite_tasks(pool, "BEGIN", case_id).await,
        }
    }

    /// Returns the query plan the database chooses for `statement`, one line per step.
    pub async fn explain(&self, statement: &Statement) -> anyhow::Result<Vec<String>> {
        match self {
            RawDatabase::Sqlite(pool) => {
                let explained = Statement {
                    sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
                    binds: statement.binds.clone(),
                };
                let rows = sqlite_raw::query(&explained).fetch_all(pool).await?;
                rows.iter().map(|row| Ok(row.try_get::<String, _>("detail")?)).collect()
            }
            RawDatabase::Postgres(pool) => {
                let explained = Statement {
                    sql: format!("EXPLAIN (ANALYZE, BUFFERS) {}", statement.sql),
                    binds: statement.binds.clone(),
                };
                let rows = postgres_raw::query(&explained).fetch_all(pool).await?;
                rows.iter().map(|row| Ok(row.try_get::<String, _>(0)?)).collect()
            }
        }
    }

    pub async fn close(self) {
        match self {
            RawDatabase::Sqlite(pool) => pool.close().await,
            RawDatabase::Postgres(pool) => pool.close().await,
        }
    }
}

/// Defines `query`, `fetch` and `create_case` for one sqlx driver, as `sql_store!` does in the
/// store.
macro_rules! raw_driver {
    ($module:ident, $db:ty, $pool:ty, $placeholders:expr) => {
        mod $module {
            use super::*;

            pub fn query(
                statement: &Statement,
            ) -> sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments> {
                let sql: String = $placeholders(&statement.sql);
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for value in &statement.binds {
                    query = match value.clone() {
                        Bind::Uuid(value) => query.bind(value),
                        Bind::Text(value) => query.bind(value),
                        Bind::Int(value) => query.bind(value),
                        Bind::Bool(value) => query.bind(value),
                        Bind::Time(value) => query.bind(value),
                        Bind::Date(value) => query.bind(value),
                    };
                }
                query
            }

            fn sql(text: &str) -> sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments> {
                let converted: String = $placeholders(text);
                sqlx::query(sqlx::AssertSqlSafe(converted))
            }

            pub async fn fetch(pool: &$pool, statement: &Statement) -> anyhow::Result<(Option<i64>, usize)> {
                let rows = query(statement).fetch_all(pool).await.context("a raw SQL query failed")?;
                let first = rows.first().and_then(|row| row.try_get::<i64, _>(0).ok());
                Ok((first, rows.len()))
            }

            pub async fn fetch_uuids(pool: &$pool, statement: &Statement) -> anyhow::Result<Vec<Uuid>> {
                let rows = query(statement).fetch_all(pool).await.context("a raw SQL query failed")?;
                rows.iter().map(|row| Ok(row.try_get::<Uuid, _>(0)?)).collect()
            }

            pub async fn create_case(
                pool: &$pool,
                begin: &'static str,
                case: &RawCase,
                now: OffsetDateTime,
            ) -> anyhow::Result<()> {
                let status = sathi_domain::workflow::CaseStatus::Open;
                let columns = IndexedColumns::from_data(&case.data, status);
                let mut tx = pool.begin_with(begin).await?;
                let taken = sql("SELECT 1 AS one FROM cases WHERE id = $1").bind(case.id).fetch_optional(&mut *tx).await?;
                anyhow::ensure!(taken.is_none(), "case id {} is taken", case.id);
                sql(&format!(
                    "INSERT INTO cases (id, display_id, data, version, status, stage, enabled, risk_level, sex, \
                     date_of_birth, registration_date, location_code, name_key, owner_id, owner_agency_id, \
                     created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
                     RETURNING {RETURNED_CASE_COLUMNS}"
                ))
                .bind(case.id)
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
                .bind(case.owner_id)
                .bind(&case.owner_agency_id)
                .bind(case.owner_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sql("DELETE FROM case_concerns WHERE case_id = $1").bind(case.id).execute(&mut *tx).await?;
                sql("DELETE FROM case_name_tokens WHERE case_id = $1").bind(case.id).execute(&mut *tx).await?;
                for concern in &columns.concerns {
                    sql("INSERT INTO case_concerns (case_id, concern) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(case.id)
                        .bind(concern)
                        .execute(&mut *tx)
                        .await?;
                }
                for token in &columns.name_tokens {
                    sql("INSERT INTO case_name_tokens (case_id, token) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(case.id)
                        .bind(token)
                        .execute(&mut *tx)
                        .await?;
                }
                for change in &case.changes {
                    sql("INSERT INTO case_changes (id, case_id, version, path, old_value, new_value, user_id, \
                         changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(Uuid::now_v7())
                    .bind(case.id)
                    .bind(1_i64)
                    .bind(&change.path)
                    .bind(Json(&change.old_value))
                    .bind(Json(&change.new_value))
                    .bind(case.owner_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn rewrite_tasks(pool: &$pool, begin: &'static str, case_id: Uuid) -> anyhow::Result<usize> {
                let mut tx = pool.begin_with(begin).await?;
                let row = sql("SELECT data, status, enabled, owner_id FROM cases WHERE id = $1")
                    .bind(case_id)
                    .fetch_one(&mut *tx)
                    .await
                    .with_context(|| format!("case {case_id} is not in the database"))?;
                let rules = sql("SELECT value FROM store_settings WHERE key = $1")
                    .bind(WORKFLOW_RULES_KEY)
                    .fetch_optional(&mut *tx)
                    .await?;
                let rules: sathi_domain::config::WorkflowRules = match rules {
                    Some(rules) => serde_json::from_str(&rules.try_get::<String, _>("value")?)?,
                    None => Default::default(),
                };
                let Json(data): Json<Map<String, Value>> = row.try_get("data")?;
                let status: String = row.try_get("status")?;
                let status = sathi_domain::workflow::CaseStatus::parse(&status)
                    .with_context(|| format!("unknown case status '{status}'"))?;
                let enabled: bool = row.try_get("enabled")?;
                let owner: Uuid = row.try_get("owner_id")?;
                sql("DELETE FROM case_tasks WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
                let mut written = 0;
                if enabled {
                    let name = child_name(&data);
                    let risk_level = data.get("risk_level").and_then(Value::as_str).map(str::to_owned);
                    for due in sathi_domain::workflow::due_items(&data, status, &rules) {
                        sql("INSERT INTO case_tasks (case_id, kind, item, due_on, owner_id, child_name, risk_level) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                        .bind(case_id)
                        .bind(due.kind.as_str())
                        .bind(due.item.clone())
                        .bind(due.due_on)
                        .bind(owner)
                        .bind(name.clone())
                        .bind(risk_level.clone())
                        .execute(&mut *tx)
                        .await?;
                        written += 1;
                    }
                }
                tx.rollback().await?;
                Ok(written)
            }
        }
    };
}

/// `store_settings` key under which the store keeps the workflow rules as JSON.
const WORKFLOW_RULES_KEY: &str = "workflow_rules";

/// The child's name as the store copies it into `case_tasks`: the name parts joined by spaces.
fn child_name(data: &Map<String, Value>) -> Option<String> {
    let parts: Vec<&str> = ["name_first", "name_middle", "name_last"]
        .iter()
        .filter_map(|key| data.get(*key).and_then(Value::as_str))
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

raw_driver!(sqlite_raw, sqlx::Sqlite, SqlitePool, |sql: &str| sql.replace('$', "?"));
raw_driver!(postgres_raw, sqlx::Postgres, PgPool, |sql: &str| sql.to_owned());
