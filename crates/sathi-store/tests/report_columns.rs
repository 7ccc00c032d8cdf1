//! The report columns of cases stored before migrations 0013 and 0017: the migrations fill
//! `closure_date`, `assessment_completed_on`, `case_plan_approved_on` and `concern_list` from
//! the stored documents and concern rows, keeping only real `YYYY-MM-DD` dates.
//!
//! The PostgreSQL test needs `SATHI_TEST_DATABASE_URL`, a URL whose role may create databases,
//! and passes with a note without it.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, Row};
use uuid::Uuid;

/// The last migration before the report columns.
const BEFORE_REPORTS: i64 = 12;

/// Cases as an older version stored them: data, and concern rows.
fn old_cases() -> Vec<(Uuid, &'static str, Vec<&'static str>)> {
    vec![
        (
            Uuid::from_u128(1),
            r#"{"closure_date": "2026-11-20", "assessment_completed_on": "2026-02-30",
                "case_plan_approved_on": "5 Dec 2026"}"#,
            vec!["separated", "child_labour"],
        ),
        (
            Uuid::from_u128(2),
            r#"{"assessment_completed_on": "2026-03-14", "closure_date": 20261120}"#,
            vec![],
        ),
    ]
}

const INSERT_CASE: &str = "INSERT INTO cases (id, display_id, data, version, status, stage, enabled, name_key, \
     owner_id, owner_agency_id, created_by, created_at, updated_at) \
     VALUES ($1, $2, $3, 1, 'open', 'new', TRUE, '', $4, 'lli', $4, $5, $5)";

const READ_COLUMNS: &str = "SELECT CAST(closure_date AS TEXT) AS closure_date, \
     CAST(assessment_completed_on AS TEXT) AS assessment_completed_on, \
     CAST(case_plan_approved_on AS TEXT) AS case_plan_approved_on, concern_list FROM cases WHERE id = $1";

/// The columns of the two cases after the migrations, as text.
type Columns = [Option<String>; 4];

fn expected() -> [Columns; 2] {
    [
        [Some("2026-11-20".to_owned()), None, None, Some("child_labour,separated".to_owned())],
        [None, Some("2026-03-14".to_owned()), None, None],
    ]
}

#[tokio::test]
async fn sqlite_migration_fills_report_columns() {
    let directory = std::env::temp_dir().join(format!("sathi-report-columns-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&directory).expect("failed to create a temporary directory");
    let url = format!("sqlite://{}/sathi.db", directory.display());
    let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let migrator = sqlx::migrate!("./migrations/sqlite");
    migrator.run_to(BEFORE_REPORTS, &pool).await.expect("the older migrations failed");

    let now = time::OffsetDateTime::now_utc();
    for (index, (id, data, concerns)) in old_cases().into_iter().enumerate() {
        sqlx::query(sqlx::AssertSqlSafe(INSERT_CASE.replace('$', "?")))
            .bind(id)
            .bind(format!("CP-{index}"))
            .bind(data)
            .bind(Uuid::from_u128(99))
            .bind(now)
            .execute(&pool)
            .await
            .expect("failed to store an old case");
        for concern in concerns {
            sqlx::query("INSERT INTO case_concerns (case_id, concern) VALUES (?1, ?2)")
                .bind(id)
                .bind(concern)
                .execute(&pool)
                .await
                .expect("failed to store a concern row");
        }
    }
    migrator.run(&pool).await.expect("the report migrations failed");

    for ((id, _, _), expected) in old_cases().into_iter().zip(expected()) {
        let row = sqlx::query(sqlx::AssertSqlSafe(READ_COLUMNS.replace('$', "?")))
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
        let columns: Columns = [
            row.get("closure_date"),
            row.get("assessment_completed_on"),
            row.get("case_plan_approved_on"),
            row.get("concern_list"),
        ];
        assert_eq!(columns, expected, "case {id}");
    }
    pool.close().await;
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test]
async fn postgres_migration_fills_report_columns() {
    let Some(admin_url) = std::env::var("SATHI_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty()) else {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "skipped on PostgreSQL: SATHI_TEST_DATABASE_URL is not set");
        return;
    };
    let name = format!("sathi_report_columns_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("failed to connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")))
        .execute(&mut admin)
        .await
        .expect("failed to create a test database");
    let (server, _) = admin_url.rsplit_once('/').expect("the test database URL names a database");
    let url = format!("{server}/{name}");

    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let migrator = sqlx::migrate!("./migrations/postgres");
    migrator.run_to(BEFORE_REPORTS, &pool).await.expect("the older migrations failed");
    let now = time::OffsetDateTime::now_utc();
    for (index, (id, data, concerns)) in old_cases().into_iter().enumerate() {
        let data: serde_json::Value = serde_json::from_str(data).unwrap();
        sqlx::query(INSERT_CASE)
            .bind(id)
            .bind(format!("CP-{index}"))
            .bind(sqlx::types::Json(data))
            .bind(Uuid::from_u128(99))
            .bind(now)
            .execute(&pool)
            .await
            .expect("failed to store an old case");
        for concern in concerns {
            sqlx::query("INSERT INTO case_concerns (case_id, concern) VALUES ($1, $2)")
                .bind(id)
                .bind(concern)
                .execute(&pool)
                .await
                .expect("failed to store a concern row");
        }
    }
    let migrated = migrator.run(&pool).await;

    let mut rows = Vec::new();
    if migrated.is_ok() {
        for (id, _, _) in old_cases() {
            let row = sqlx::query(READ_COLUMNS).bind(id).fetch_one(&pool).await.unwrap();
            let columns: Columns = [
                row.get("closure_date"),
                row.get("assessment_completed_on"),
                row.get("case_plan_approved_on"),
                row.get("concern_list"),
            ];
            rows.push(columns);
        }
    }
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("failed to drop the test database");

    migrated.expect("the report migrations failed");
    assert_eq!(rows, expected().to_vec());
}
