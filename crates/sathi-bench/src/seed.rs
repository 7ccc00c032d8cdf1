//! Fills a fresh database with the synthetic deployment: migrations and configuration through
//! the store and the server crate, users through the store, cases in bulk.
//!
//! Cases are written with multi-row INSERTs of the same Rust values the store binds, inside
//! transactions of [`CASES_PER_TRANSACTION`] cases, so every column is encoded as the store
//! would encode it. A generator thread validates the next batch while the database writes the
//! current one.

use std::time::{Duration, Instant};

use anyhow::Context;
use sathi_domain::ids::UserId;
use sathi_server::state::{AppState, Settings};
use sathi_store::NewUser;
use secrecy::SecretString;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::synth::{CaseFactory, SeedCase, Staff};

/// The password of every synthetic user.
pub const PASSWORD: &str = "benchmark password";

const CASES_PER_BATCH: usize = 1_000;
const CASES_PER_TRANSACTION: usize = 20_000;
/// Bind values per statement, below SQLite's default limit of 32,766.
const MAX_BINDS: usize = 30_000;

#[derive(Debug, Clone)]
pub struct SeedReport {
    pub cases: u64,
    pub users: usize,
    pub groups: usize,
    pub seconds: f64,
}

/// Applies the migrations, stores the default configuration and creates the users and groups
/// of `staff`. Returns the server state over the new store.
pub async fn prepare(url: &str, staff: &Staff) -> anyhow::Result<AppState> {
    let store = sathi_store::open(url).await.with_context(|| format!("cannot open the store at {url}"))?;
    let state = sathi_server::state(store, Settings::default()).await?;
    // One Argon2 hash for every user: hashing hundreds of times would only slow the set-up.
    let password_hash = sathi_server::auth::hash_password(SecretString::from(PASSWORD)).await?;
    let now = OffsetDateTime::now_utc();
    for member in staff.all_members() {
        let user = NewUser {
            id: member.id,
            username: member.username.clone(),
            full_name: format!("Benchmark user {}", member.username),
            agency_id: member.agency_id.clone(),
            role_id: member.role_id.to_owned(),
            locale: "en".to_owned(),
            password_hash: password_hash.clone(),
        };
        state
            .store
            .create_user(&user, now)
            .await
            .with_context(|| format!("cannot create {}", member.username))?;
    }
    for group in &staff.groups {
        let id = state.store.create_group(&group.name, &group.agency_id).await?;
        for member in &group.members {
            state.store.add_group_member(id, *member).await?;
        }
    }
    Ok(state)
}

/// Looks up the group ids the store gave the supervisors' groups, in the order of `staff.groups`.
pub async fn group_ids(
    state: &AppState,
    staff: &Staff,
) -> anyhow::Result<Vec<Vec<sathi_domain::ids::GroupId>>> {
    let mut ids = Vec::new();
    for group in &staff.groups {
        ids.push(state.store.groups_of(UserId(group.members[0].0)).await?);
    }
    Ok(ids)
}

/// Writes `total` synthetic cases and their derived rows. With `casework`, the cases also
/// record completed assessments and approved case plans ([`CaseFactory::with_casework`]).
pub async fn seed_cases(
    url: &str,
    config: &sathi_domain::config::Configuration,
    staff: &Staff,
    total: u64,
    seed: u64,
    casework: bool,
) -> anyhow::Result<f64> {
    check_case_columns(url).await?;
    let started = Instant::now();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<SeedCase>>(4);
    let config = config.clone();
    let staff = staff.clone();
    let generator = std::thread::spawn(move || {
        let mut factory = CaseFactory::new(&config, &staff, total, seed, OffsetDateTime::now_utc());
        if casework {
            factory = factory.with_casework(seed.wrapping_add(1));
        }
        let mut index = 0;
        while index < total {
            let end = (index + CASES_PER_BATCH as u64).min(total);
            let batch: Vec<SeedCase> = (index..end).map(|number| factory.case(number)).collect();
            if sender.blocking_send(batch).is_err() {
                return;
            }
            index = end;
        }
    });

    let mut writer = Writer::connect(url).await?;
    let mut written: u64 = 0;
    let mut in_transaction = 0;
    let mut last_report = Instant::now();
    writer.begin().await?;
    while let Some(batch) = receiver.recv().await {
        writer.write(&batch).await?;
        written += batch.len() as u64;
        in_transaction += batch.len();
        if in_transaction >= CASES_PER_TRANSACTION {
            writer.commit().await?;
            writer.begin().await?;
            in_transaction = 0;
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            let rate = written as f64 / started.elapsed().as_secs_f64();
            eprintln!("  seeded {written} of {total} cases ({rate:.0} cases/s)");
            last_report = Instant::now();
        }
    }
    writer.commit().await?;
    generator.join().map_err(|_| anyhow::anyhow!("the case generator thread panicked"))?;
    anyhow::ensure!(written == total, "the generator stopped after {written} of {total} cases");
    writer.finish().await?;
    Ok(started.elapsed().as_secs_f64())
}

/// A single connection that writes seed batches, on either backend.
enum Writer {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Writer {
    async fn connect(url: &str) -> anyhow::Result<Writer> {
        use sqlx::{ConnectOptions, Connection};
        if crate::is_postgres(url) {
            return Ok(Writer::Postgres(sqlx::PgConnection::connect(url).await?));
        }
        // The database is already in WAL mode (the store set it). Seeding alone may skip the
        // fsyncs and use a large page cache; the server opens its own connections later.
        let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(url)?
            .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
            .pragma("cache_size", "-1000000")
            .foreign_keys(true);
        Ok(Writer::Sqlite(options.connect().await?))
    }

    async fn begin(&mut self) -> anyhow::Result<()> {
        self.execute("BEGIN").await
    }

    async fn commit(&mut self) -> anyhow::Result<()> {
        self.execute("COMMIT").await
    }

    async fn execute(&mut self, sql: &'static str) -> anyhow::Result<()> {
        match self {
            Writer::Sqlite(connection) => sqlx::raw_sql(sql).execute(connection).await.map(drop)?,
            Writer::Postgres(connection) => sqlx::raw_sql(sql).execute(connection).await.map(drop)?,
        }
        Ok(())
    }

    async fn write(&mut self, batch: &[SeedCase]) -> anyhow::Result<()> {
        match self {
            Writer::Sqlite(connection) => sqlite_rows::write(connection, batch).await,
            Writer::Postgres(connection) => postgres_rows::write(connection, batch).await,
        }
    }

    /// Leaves the database as a server would find it after a quiet period: on SQLite the WAL
    /// folded into the main file, on PostgreSQL the statistics and visibility map that
    /// autovacuum would have built.
    async fn finish(&mut self) -> anyhow::Result<()> {
        // Seeded rows bypass the store, so they get their global sync order here, in the order
        // they last changed, as the migration numbers existing cases.
        self.execute(
            "UPDATE cases SET sync_seq = numbered.n \
             FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS n FROM cases) AS numbered \
             WHERE cases.id = numbered.id",
        )
        .await?;
        self.execute(
            "UPDATE sync_clock SET seq = (SELECT COALESCE(MAX(sync_seq), 0) FROM cases) WHERE id = 1",
        )
        .await?;
        match self {
            Writer::Sqlite(_) => self.execute("PRAGMA wal_checkpoint(TRUNCATE)").await,
            Writer::Postgres(_) => self.execute("VACUUM ANALYZE").await,
        }
    }
}

/// The columns of `cases` that the seeder writes, in the order of its bind values.
const SEEDED_CASE_COLUMNS: [&str; 23] = [
    "id",
    "display_id",
    "data",
    "version",
    "status",
    "stage",
    "enabled",
    "risk_level",
    "sex",
    "date_of_birth",
    "registration_date",
    "location_code",
    "name_key",
    "owner_id",
    "owner_agency_id",
    "created_by",
    "created_at",
    "updated_at",
    "closed_at",
    "closure_date",
    "assessment_completed_on",
    "case_plan_approved_on",
    "concern_list",
];
/// Columns of `cases` the seeder leaves to [`Writer::finish`].
const FINISHED_CASE_COLUMNS: [&str; 1] = ["sync_seq"];

/// Fails when the schema has a `cases` column that the seeder does not write, such as a new
/// column derived from the case data, which seeded cases would otherwise leave empty.
async fn check_case_columns(url: &str) -> anyhow::Result<()> {
    use sqlx::{Connection, Row};
    let names: Vec<String> = if crate::is_postgres(url) {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        let rows = sqlx::query(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'cases'",
        )
        .fetch_all(&mut connection)
        .await?;
        rows.iter().map(|row| row.try_get::<String, _>(0)).collect::<Result<_, _>>()?
    } else {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        let rows =
            sqlx::query("SELECT name FROM pragma_table_info('cases')").fetch_all(&mut connection).await?;
        rows.iter().map(|row| row.try_get::<String, _>(0)).collect::<Result<_, _>>()?
    };
    let unwritten: Vec<&String> = names
        .iter()
        .filter(|name| !SEEDED_CASE_COLUMNS.contains(&name.as_str()))
        .filter(|name| !FINISHED_CASE_COLUMNS.contains(&name.as_str()))
        .collect();
    anyhow::ensure!(
        unwritten.is_empty(),
        "the cases table has columns that the seeder does not write: {unwritten:?}; add them to \
         SEEDED_CASE_COLUMNS and the bind values in crates/sathi-bench/src/seed.rs"
    );
    Ok(())
}

/// Rows per statement for a table of `columns` columns.
fn rows_per_statement(columns: usize) -> usize {
    MAX_BINDS / columns
}

/// Defines `write(connection, batch)` for one sqlx driver: the same statements, and the same
/// Rust types bound as the store's `create_case`, `write_derived` and `write_changes`.
macro_rules! seed_rows {
    ($module:ident, $db:ty, $connection:ty) => {
        mod $module {
            use super::*;

            pub async fn write(connection: &mut $connection, batch: &[SeedCase]) -> anyhow::Result<()> {
                for chunk in batch.chunks(rows_per_statement(SEEDED_CASE_COLUMNS.len())) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO cases ({}) ",
                        SEEDED_CASE_COLUMNS.join(", ")
                    ));
                    insert.push_values(chunk, |mut row, case| {
                        row.push_bind(case.id)
                            .push_bind(case.display_id.clone())
                            .push_bind(Json(case.data.clone()))
                            .push_bind(case.version)
                            .push_bind(case.status.as_str())
                            .push_bind(case.columns.stage)
                            .push_bind(case.enabled)
                            .push_bind(case.columns.risk_level.clone())
                            .push_bind(case.columns.sex.clone())
                            .push_bind(case.columns.date_of_birth)
                            .push_bind(case.columns.registration_date)
                            .push_bind(case.columns.location_code.clone())
                            .push_bind(case.columns.name_key.clone())
                            .push_bind(case.owner_id)
                            .push_bind(case.owner_agency_id.clone())
                            .push_bind(case.owner_id)
                            .push_bind(case.created_at)
                            .push_bind(case.updated_at)
                            .push_bind(case.closed_at)
                            .push_bind(case.columns.closure_date)
                            .push_bind(case.columns.assessment_completed_on)
                            .push_bind(case.columns.case_plan_approved_on)
                            .push_bind(case.columns.concern_list.clone());
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert cases")?;
                }

                let concerns: Vec<(Uuid, &String)> = batch
                    .iter()
                    .flat_map(|case| case.columns.concerns.iter().map(move |concern| (case.id, concern)))
                    .collect();
                for chunk in concerns.chunks(rows_per_statement(2)) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new("INSERT INTO case_concerns (case_id, concern) ");
                    insert.push_values(chunk, |mut row, (case_id, concern)| {
                        row.push_bind(*case_id).push_bind((*concern).clone());
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert case concerns")?;
                }

                let tokens: Vec<(Uuid, &String)> = batch
                    .iter()
                    .flat_map(|case| case.columns.name_tokens.iter().map(move |token| (case.id, token)))
                    .collect();
                for chunk in tokens.chunks(rows_per_statement(2)) {
                    let mut insert =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO case_name_tokens (case_id, token) ");
                    insert.push_values(chunk, |mut row, (case_id, token)| {
                        row.push_bind(*case_id).push_bind((*token).clone());
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert name tokens")?;
                }

                let changes: Vec<(&SeedCase, &(i64, sathi_domain::validation::AppliedChange, OffsetDateTime))> =
                    batch.iter().flat_map(|case| case.changes.iter().map(move |change| (case, change))).collect();
                for chunk in changes.chunks(rows_per_statement(8)) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO case_changes (id, case_id, version, path, old_value, new_value, user_id, \
                         changed_at) ",
                    );
                    insert.push_values(chunk, |mut row, (case, (version, change, at))| {
                        row.push_bind(crate::synth::uuid_v7_at(*at))
                            .push_bind(case.id)
                            .push_bind(*version)
                            .push_bind(change.path.clone())
                            .push_bind(Json(change.old_value.clone()))
                            .push_bind(Json(change.new_value.clone()))
                            .push_bind(case.owner_id)
                            .push_bind(*at);
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert case changes")?;
                }

                let assigned: Vec<(Uuid, Uuid)> =
                    batch.iter().filter_map(|case| case.assigned_to.map(|user| (case.id, user))).collect();
                if !assigned.is_empty() {
                    let mut insert =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO case_assignments (case_id, user_id) ");
                    insert.push_values(&assigned, |mut row, (case_id, user_id)| {
                        row.push_bind(*case_id).push_bind(*user_id);
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert assignments")?;
                }

                let referred: Vec<&SeedCase> = batch.iter().filter(|case| case.referral.is_some()).collect();
                if !referred.is_empty() {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO referrals (id, case_id, from_user_id, to_user_id, to_agency_id, service_type, \
                         status, shared_forms, created_at, updated_at) ",
                    );
                    insert.push_values(&referred, |mut row, case| {
                        let referral = case.referral.as_ref().expect("filtered on a referral");
                        row.push_bind(referral.id)
                            .push_bind(case.id)
                            .push_bind(case.owner_id)
                            .push_bind(referral.to_user_id)
                            .push_bind(referral.to_agency_id.clone())
                            .push_bind(referral.service_type)
                            .push_bind(referral.status)
                            .push_bind(Json(vec!["basic_identity", "protection_concerns"]))
                            .push_bind(case.updated_at)
                            .push_bind(case.updated_at);
                    });
                    insert.build().execute(&mut *connection).await.context("cannot insert referrals")?;
                }
                Ok(())
            }
        }
    };
}

seed_rows!(sqlite_rows, sqlx::Sqlite, sqlx::SqliteConnection);
seed_rows!(postgres_rows, sqlx::Postgres, sqlx::PgConnection);
