//! The task list: due items kept in `case_tasks` on every case write, "overdue" decided against
//! today in Dhaka, items that follow the owner, and the list reading its index.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use time::macros::datetime;

backend_tests!(overdue_from_midnight_in_dhaka, tasks_follow_writes_and_owner, task_list_reads_owner_index);

fn items_of(body: &Value) -> Vec<Value> {
    body["items"].as_array().unwrap_or_else(|| panic!("the task list has no items: {body}")).clone()
}

/// Checks that the assessment of a high-risk child registered on 30 December, due on 31 December,
/// is due today at 23:55 in Dhaka (17:55 UTC) and overdue at 00:05 on 1 January (18:05 UTC).
async fn overdue_from_midnight_in_dhaka(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let set_now = |now| *app.state.settings.now_override.write().unwrap() = Some(now);

    set_now(datetime!(2026-12-31 17:55 UTC));
    let case = app.create_case(&rina, with(child("Sayra"), json!({"registration_date": "2026-12-30"}))).await;
    let (status, before) = send(rina.get(app.api("/tasks?days=0"))).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["today"], "2026-12-31", "today at 17:55 UTC is not 31 December in Dhaka");
    let items = items_of(&before);
    assert_eq!(items.len(), 1, "expected one assessment task: {before}");
    assert_eq!(items[0]["kind"], "assessment");
    assert_eq!(items[0]["case_id"], case["id"]);
    assert_eq!(items[0]["due_on"], "2026-12-31");
    assert_eq!(items[0]["overdue"], false, "the assessment is overdue before midnight in Dhaka");
    assert_eq!(items[0]["child_name"], "Sayra");
    assert_eq!(items[0]["risk_level"], "high");

    set_now(datetime!(2026-12-31 18:05 UTC));
    let (_, after) = send(rina.get(app.api("/tasks?days=0"))).await;
    assert_eq!(after["today"], "2027-01-01", "today at 18:05 UTC is not 1 January in Dhaka");
    let items = items_of(&after);
    assert_eq!(items.len(), 1, "{after}");
    assert_eq!(items[0]["overdue"], true, "the assessment is not overdue after midnight in Dhaka");
}

/// Checks that completing the assessment replaces its task with the case plan's, and that
/// reassigning moves the tasks to the new owner and notifies them. A case registered later is
/// not due within 0 days.
async fn tasks_follow_writes_and_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.jamal", "caseworker", AGENCY_A, "bn").await;
    let boss = app.create_user("sv.karim", "supervisor", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let jamal = app.login("cw.jamal", PASSWORD).await;
    let boss_client = app.login("sv.karim", PASSWORD).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2026-03-10 06:00 UTC));

    let case = app
        .create_case(
            &rina,
            with(child("Sayra"), json!({"registration_date": "2026-03-01", "risk_level": "medium"})),
        )
        .await;
    let id = case["id"].as_str().unwrap().to_owned();
    let (_, list) = send(rina.get(app.api("/tasks"))).await;
    let items = items_of(&list);
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["kind"], "assessment");
    assert_eq!(items[0]["due_on"], "2026-03-04", "medium risk gives 3 days from registration");
    assert_eq!(items[0]["overdue"], true);

    let (status, body) = send(
        rina.patch(app.api(&format!("/cases/{id}")))
            .json(&json!({"changes": [{"path": "assessment_completed_on", "value": "2026-03-05"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = send(rina.get(app.api("/tasks?days=30"))).await;
    let kinds: Vec<(String, String)> = items_of(&list)
        .iter()
        .map(|item| (item["kind"].as_str().unwrap().to_owned(), item["due_on"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(kinds, vec![("case_plan".to_owned(), "2026-03-19".to_owned())], "{list}");
    let (_, list) = send(rina.get(app.api("/tasks?days=1"))).await;
    assert!(items_of(&list).is_empty(), "a case plan due in 9 days is in the 1-day list: {list}");

    // The supervisor reaches the case through a shared group.
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.unwrap();
    let rina_user = app.state.store.user_by_username("cw.rina").await.unwrap().unwrap();
    let jamal_user = app.state.store.user_by_username("cw.jamal").await.unwrap().unwrap();
    for user in [rina_user.id, jamal_user.id, boss.id] {
        app.state.store.add_group_member(group, user).await.unwrap();
    }
    let boss_client = {
        drop(boss_client);
        app.login("sv.karim", PASSWORD).await
    };
    let (status, body) = send(
        boss_client.post(app.api(&format!("/cases/{id}/reassign"))).json(&json!({"owner_id": jamal_user.id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, rina_list) = send(rina.get(app.api("/tasks?days=30"))).await;
    assert!(items_of(&rina_list).is_empty(), "the former owner keeps the tasks: {rina_list}");
    let (_, jamal_list) = send(jamal.get(app.api("/tasks?days=30"))).await;
    assert_eq!(items_of(&jamal_list).len(), 1, "the new owner has no tasks: {jamal_list}");
    let (_, notes) = send(jamal.get(app.api("/notifications"))).await;
    assert_eq!(notes["items"][0]["kind"], "case_assigned", "{notes}");
    assert_eq!(notes["items"][0]["title"], "আপনাকে কেস দেওয়া হয়েছে");

    let (status, body) = send(rina.get(app.api("/tasks?days=400"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

/// Checks that the query of owned tasks reads the `case_tasks_owner` index on both backends.
async fn task_list_reads_owner_index(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = uuid::Uuid::now_v7();
    let until = time::macros::date!(2026 - 12 - 31);
    let plan = match backend {
        Backend::Sqlite => {
            let mut connection = sqlx::SqliteConnection::connect(&app.database_url).await.unwrap();
            let sql = format!("EXPLAIN QUERY PLAN {}", sathi_store::OWNED_TASKS_SQL.replace('$', "?"));
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(user)
                .bind(until)
                .fetch_all(&mut connection)
                .await
                .unwrap();
            rows.iter().map(|row| row.get::<String, _>("detail")).collect::<Vec<_>>().join("\n")
        }
        Backend::Postgres => {
            let mut connection = sqlx::PgConnection::connect(&app.database_url).await.unwrap();
            // With empty tables a sequential scan is cheapest, so forbid it to see whether the
            // index can serve the query at all.
            sqlx::query("SET enable_seqscan = off").execute(&mut connection).await.unwrap();
            let sql = format!("EXPLAIN {}", sathi_store::OWNED_TASKS_SQL);
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(user)
                .bind(until)
                .fetch_all(&mut connection)
                .await
                .unwrap();
            rows.iter().map(|row| row.get::<String, _>(0)).collect::<Vec<_>>().join("\n")
        }
    };
    assert!(
        plan.contains("case_tasks_owner"),
        "the owned-tasks query does not use case_tasks_owner:\n{plan}"
    );
}
