//! Migration 0021 upper-cases the external ids that imports stored before they compared ids
//! without regard to letter case, except where two cases of one source would then share an id.
//!
//! The PostgreSQL test needs `SATHI_TEST_DATABASE_URL`, a URL whose role may create databases,
//! and passes with a note without it.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, Row};
use uuid::Uuid;

/// The last migration before external ids were upper-cased.
const BEFORE_UPPER_CASE: i64 = 20;

/// Cases as imports stored them: id, external source and external id.
const OLD_CASES: [(u128, Option<&str>, Option<&str>); 7] = [
    (1, Some("lli"), Some("d-1")),
    (2, Some("lli"), Some("IMP-001")),
    // Two ids of one source that differ only in letter case, which both stay as they are.
    (3, Some("lli"), Some("x-7")),
    (4, Some("lli"), Some("X-7")),
    (5, Some("bcri"), Some("x-7")),
    (6, Some("bcri"), Some("Camp-4/b")),
    (7, None, None),
];

/// The external ids of the cases of [`OLD_CASES`], in order, after the migration.
const EXPECTED: [Option<&str>; 7] =
    [Some("D-1"), Some("IMP-001"), Some("x-7"), Some("X-7"), Some("X-7"), Some("CAMP-4/B"), None];

const INSERT_CASE: &str = "INSERT INTO cases (id, display_id, data, version, status, stage, enabled, name_key, \
     owner_id, owner_agency_id, created_by, created_at, updated_at, external_source, external_id) \
     VALUES ($1, $2, $3, 1, 'open', 'new', TRUE, '', $4, 'lli', $4, $5, $5, $6, $7)";

const READ_EXTERNAL_ID: &str = "SELECT external_id FROM cases WHERE id = $1";

#[tokio::test]
async fn sqlite_migration_upper_cases_external_ids() {
    let directory = std::env::temp_dir().join(format!("sathi-external-ids-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&directory).expect("failed to create a temporary directory");
    let url = format!("sqlite://{}/sathi.db", directory.display());
    let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let migrator = sqlx::migrate!("./migrations/sqlite");
    migrator.run_to(BEFORE_UPPER_CASE, &pool).await.expect("the older migrations failed");

    let now = time::OffsetDateTime::now_utc();
    for (id, source, external_id) in OLD_CASES {
        sqlx::query(sqlx::AssertSqlSafe(INSERT_CASE.replace('$', "?")))
            .bind(Uuid::from_u128(id))
            .bind(format!("CP-{id}"))
            .bind("{}")
            .bind(Uuid::from_u128(99))
            .bind(now)
            .bind(source)
            .bind(external_id)
            .execute(&pool)
            .await
            .expect("failed to store an old case");
    }
    migrator.run(&pool).await.expect("the external id migration failed");

    let mut found = Vec::new();
    for (id, _, _) in OLD_CASES {
        let row = sqlx::query(sqlx::AssertSqlSafe(READ_EXTERNAL_ID.replace('$', "?")))
            .bind(Uuid::from_u128(id))
            .fetch_one(&pool)
            .await
            .unwrap();
        found.push(row.get::<Option<String>, _>("external_id"));
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&directory);

    let expected: Vec<Option<String>> = EXPECTED.iter().map(|id| id.map(str::to_owned)).collect();
    assert_eq!(found, expected);
}

#[tokio::test]
async fn postgres_migration_upper_cases_external_ids() {
    let Some(admin_url) = std::env::var("SATHI_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty()) else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "skipped on PostgreSQL: SATHI_TEST_DATABASE_URL is not set");
        return;
    };
    let name = format!("sathi_external_ids_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("failed to connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")))
        .execute(&mut admin)
        .await
        .expect("failed to create a test database");
    let (server, _) = admin_url.rsplit_once('/').expect("the test database URL names a database");
    let url = format!("{server}/{name}");

    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let migrator = sqlx::migrate!("./migrations/postgres");
    migrator.run_to(BEFORE_UPPER_CASE, &pool).await.expect("the older migrations failed");
    let now = time::OffsetDateTime::now_utc();
    for (id, source, external_id) in OLD_CASES {
        sqlx::query(INSERT_CASE)
            .bind(Uuid::from_u128(id))
            .bind(format!("CP-{id}"))
            .bind(sqlx::types::Json(serde_json::json!({})))
            .bind(Uuid::from_u128(99))
            .bind(now)
            .bind(source)
            .bind(external_id)
            .execute(&pool)
            .await
            .expect("failed to store an old case");
    }
    let migrated = migrator.run(&pool).await;

    let mut found = Vec::new();
    if migrated.is_ok() {
        for (id, _, _) in OLD_CASES {
            let row = sqlx::query(READ_EXTERNAL_ID).bind(Uuid::from_u128(id)).fetch_one(&pool).await.unwrap();
            found.push(row.get::<Option<String>, _>("external_id"));
        }
    }
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("failed to drop the test database");

    migrated.expect("the external id migration failed");
    let expected: Vec<Option<String>> = EXPECTED.iter().map(|id| id.map(str::to_owned)).collect();
    assert_eq!(found, expected);
}
