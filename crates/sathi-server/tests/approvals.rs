//! Approval requests of the assessment, case plan and closure: preconditions, one pending
//! request per kind, idempotent retries, compare-and-set decisions, the case version an
//! approval writes, closing by approval and reopening with a reason.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

backend_tests!(
    assessment_approval_writes_version_by_approver,
    concurrent_approvals_one_wins,
    request_preconditions_and_pending_duplicate,
    rejection_needs_comment_and_shows_in_tasks,
    closure_approval_closes_and_reopen_restarts,
    comments_and_reasons_are_cleaned
);

/// A caseworker and two supervisors of agency A in one user group, logged in.
struct Team {
    app: TestApp,
    worker: Client,
    boss: Client,
    second_boss: Client,
}

async fn team(backend: Backend) -> Team {
    let app = TestApp::spawn(backend).await;
    let worker = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let boss = app.create_user("sv.karim", "supervisor", AGENCY_A, "bn").await;
    let second = app.create_user("sv.nasrin", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    for user in [&worker, &boss, &second] {
        app.state.store.add_group_member(group, user.id).await.expect("failed to add a group member");
    }
    let worker = app.login("cw.rina", PASSWORD).await;
    let boss = app.login("sv.karim", PASSWORD).await;
    let second_boss = app.login("sv.nasrin", PASSWORD).await;
    Team { app, worker, boss, second_boss }
}

/// Creates a case with `extra` data and returns its id.
async fn case_with(team: &Team, extra: Value) -> String {
    let case = team.app.create_case(&team.worker, with(child("Sayra"), extra)).await;
    case["id"].as_str().expect("a created case has an id").to_owned()
}

async fn request(team: &Team, case: &str, body: Value) -> (StatusCode, Value) {
    send(team.worker.post(team.app.api(&format!("/cases/{case}/approvals"))).json(&body)).await
}

async fn decide(client: &Client, app: &TestApp, id: &str, action: &str, body: Value) -> (StatusCode, Value) {
    send(client.post(app.api(&format!("/approvals/{id}/{action}"))).json(&body)).await
}

async fn changes_of(app: &TestApp, client: &Client, case: &str) -> Vec<Value> {
    let (status, body) = send(client.get(app.api(&format!("/cases/{case}/changes")))).await;
    assert_eq!(status, StatusCode::OK, "the change log could not be read: {body}");
    body.as_array().expect("the change log is an array").clone()
}

/// An approved assessment sets assessment_approved_on to today, in a new case version whose
/// change-log entry names the supervisor, and the caseworker is notified.
async fn assessment_approval_writes_version_by_approver(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({"assessment_completed_on": "2024-06-21"})).await;

    let (status, requested) = request(&team, &case, json!({"kind": "assessment", "comment": "Ready"})).await;
    assert_eq!(status, StatusCode::CREATED, "the assessment approval was not requested: {requested}");
    assert_eq!(requested["status"], "pending");
    assert_eq!(requested["version"], 1);
    assert_eq!(requested["requested_by"]["full_name"], "Test user cw.rina");
    let id = requested["id"].as_str().expect("an approval has an id").to_owned();

    let (status, pending) = send(team.boss.get(app.api("/approvals?status=pending"))).await;
    assert_eq!(status, StatusCode::OK, "the supervisor's queue failed: {pending}");
    let queued: Vec<&str> = pending.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(queued, vec![id.as_str()], "the supervisor's queue does not hold the request");
    let (_, notes) = send(team.boss.get(app.api("/notifications"))).await;
    assert_eq!(notes["unread"], 1, "the supervisor was not notified: {notes}");
    assert_eq!(notes["items"][0]["kind"], "approval_requested");

    let (_, before) = send(team.worker.get(app.api(&format!("/cases/{case}")))).await;
    let (status, approved) = decide(&team.boss, app, &id, "approve", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "the supervisor could not approve: {approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["version"], 2);
    assert_eq!(approved["decided_by"]["full_name"], "Test user sv.karim");

    let (_, after) = send(team.worker.get(app.api(&format!("/cases/{case}")))).await;
    let today = sathi_domain::dates::format_date(app.today());
    assert_eq!(after["data"]["assessment_approved_on"], json!(today), "the approval date is not today");
    assert_eq!(
        after["version"],
        before["version"].as_i64().unwrap() + 1,
        "approval did not write one version"
    );
    let log = changes_of(app, &team.worker, &case).await;
    let entry = log
        .iter()
        .find(|entry| entry["path"] == "assessment_approved_on")
        .unwrap_or_else(|| panic!("no change-log entry for the approval date: {log:?}"));
    assert_eq!(entry["full_name"], "Test user sv.karim", "the approval's change is not by the approver");

    let (_, notes) = send(team.worker.get(app.api("/notifications"))).await;
    assert_eq!(notes["items"][0]["kind"], "approval_approved", "the caseworker was not notified: {notes}");
}

/// Two supervisors approve the same request at once: one gets 200, the other 409
/// state_changed with the status and version now, and the case gets one version.
async fn concurrent_approvals_one_wins(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({"assessment_completed_on": "2024-06-21"})).await;
    let (_, requested) = request(&team, &case, json!({"kind": "assessment"})).await;
    let id = requested["id"].as_str().unwrap().to_owned();
    let (_, before) = send(team.worker.get(app.api(&format!("/cases/{case}")))).await;

    let body = json!({"expected_version": 1});
    let (first, second) = tokio::join!(
        decide(&team.boss, app, &id, "approve", body.clone()),
        decide(&team.second_boss, app, &id, "approve", body.clone()),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "not exactly one approval won: {first:?} {second:?}"
    );
    let loser = if first.0 == StatusCode::CONFLICT { &first.1 } else { &second.1 };
    assert_eq!(loser["error"]["code"], "state_changed");
    assert_eq!(loser["error"]["current_status"], "approved");
    assert_eq!(loser["error"]["version"], 2);

    let (_, after) = send(team.worker.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(
        after["version"],
        before["version"].as_i64().unwrap() + 1,
        "the case got more than one version"
    );
    let log = changes_of(app, &team.worker, &case).await;
    let dates = log.iter().filter(|entry| entry["path"] == "assessment_approved_on").count();
    assert_eq!(dates, 1, "the approval date was written {dates} times");
}

/// Requests check the case first and return errors in the caller's language. A second pending
/// request of a kind names the first, and a retry with the same id returns the first request.
async fn request_preconditions_and_pending_duplicate(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({})).await;

    let (status, body) = request(&team, &case, json!({"kind": "assessment"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an incomplete assessment was sent for approval: {body}"
    );
    assert_eq!(body["error"]["code"], "assessment_not_completed");
    let (status, body) = request(&team, &case, json!({"kind": "case_plan"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an empty case plan was sent for approval: {body}");
    assert_eq!(body["error"]["code"], "case_plan_empty");
    let (status, body) = request(&team, &case, json!({"kind": "closure"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a closure without a reason was sent: {body}");
    assert_eq!(body["error"]["code"], "closure_reason_missing");

    // The supervisor's language is Bangla.
    let (status, body) =
        send(team.boss.post(app.api(&format!("/cases/{case}/approvals"))).json(&json!({"kind": "closure"})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("কেস বন্ধ"),
        "the message is not in the caller's Bangla: {body}"
    );

    let (status, _) = send(
        team.worker
            .patch(app.api(&format!("/cases/{case}")))
            .json(&json!({"changes": [{"path": "assessment_completed_on", "value": "2024-06-22"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let client_id = uuid::Uuid::now_v7().to_string();
    let (status, first) = request(&team, &case, json!({"id": client_id, "kind": "assessment"})).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, retry) = request(&team, &case, json!({"id": client_id, "kind": "assessment"})).await;
    assert_eq!(status, StatusCode::OK, "a retried request was not answered with the first: {retry}");
    assert_eq!(retry["id"], first["id"]);

    let (status, duplicate) = request(&team, &case, json!({"kind": "assessment"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a second pending request was accepted: {duplicate}");
    assert_eq!(duplicate["error"]["code"], "approval_pending");
    assert_eq!(duplicate["error"]["existing_id"], json!(client_id));
    assert!(duplicate["error"]["message"].as_str().unwrap().contains(&client_id), "{duplicate}");

    let (status, history) = send(team.worker.get(app.api(&format!("/cases/{case}/approvals")))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history.as_array().unwrap().len(), 1, "the case's history is wrong: {history}");
}

/// A rejection needs a comment; the rejected request shows in the requester's tasks with it,
/// and the requester may not decide on their own request but may withdraw it.
async fn rejection_needs_comment_and_shows_in_tasks(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({"assessment_completed_on": "2024-06-21"})).await;
    let (_, requested) = request(&team, &case, json!({"kind": "assessment"})).await;
    let id = requested["id"].as_str().unwrap().to_owned();

    let (status, body) = decide(&team.boss, app, &id, "reject", json!({"expected_version": 1})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection without a comment was accepted: {body}"
    );
    assert_eq!(body["error"]["code"], "comment_required");
    let comment = "Add the child's views on education";
    let (status, rejected) =
        decide(&team.boss, app, &id, "reject", json!({"expected_version": 1, "comment": comment})).await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "rejected");

    let (status, tasks) = send(team.worker.get(app.api("/tasks"))).await;
    assert_eq!(status, StatusCode::OK, "{tasks}");
    let item = tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["kind"] == "approval_rejected")
        .unwrap_or_else(|| panic!("the rejection is not in the requester's tasks: {tasks}"));
    assert_eq!(item["comment"], comment);
    assert_eq!(item["subject_id"], json!(id));
    assert_eq!(item["child_name"], "Sayra");

    let (status, again) = request(&team, &case, json!({"kind": "assessment"})).await;
    assert_eq!(status, StatusCode::CREATED, "a new request after a rejection was refused: {again}");
    let again_id = again["id"].as_str().unwrap().to_owned();
    let (status, body) =
        send(team.boss.post(app.api(&format!("/cases/{case}/approvals"))).json(&json!({"kind": "closure"})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) =
        decide(&team.worker, app, &again_id, "approve", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker approved: {body}");
    let (status, withdrawn) =
        decide(&team.worker, app, &again_id, "withdraw", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "the requester could not withdraw: {withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    let (status, late) = decide(&team.boss, app, &again_id, "approve", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a withdrawn request was approved: {late}");
    assert_eq!(late["error"]["current_status"], "withdrawn");
}

/// A closure approval closes the case; reopening needs the reopen grant and a reason, and
/// sets reopened_on so the assessment is due again.
async fn closure_approval_closes_and_reopen_restarts(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({"closure_reason": "goals_met"})).await;
    let (_, requested) = request(&team, &case, json!({"kind": "closure"})).await;
    let id = requested["id"].as_str().unwrap().to_owned();
    let (status, body) = decide(&team.boss, app, &id, "approve", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, closed) = send(team.worker.get(app.api(&format!("/cases/{case}")))).await;
    let today = sathi_domain::dates::format_date(app.today());
    assert_eq!(closed["status"], "closed", "the closure approval did not close the case");
    assert_eq!(closed["data"]["closure_approved_on"], json!(today));
    assert_eq!(closed["data"]["closure_date"], json!(today));

    let reopen = |client: &Client, body: Value| {
        send(client.post(app.api(&format!("/cases/{case}/reopen"))).json(&body))
    };
    let (status, body) = reopen(&team.worker, json!({"reason": "New concern"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker reopened: {body}");
    let (status, body) = reopen(&team.boss, json!({"reason": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reopen without a reason was accepted: {body}");
    assert_eq!(body["error"]["code"], "reopen_reason_required");
    let (status, body) = reopen(&team.boss, json!({"reason": "New concern", "expected_version": 1})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale reopen was accepted: {body}");
    let (status, reopened) = reopen(&team.boss, json!({"reason": "New concern"})).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["status"], "open");
    assert_eq!(reopened["data"]["reopened_on"], json!(today));
    assert_eq!(reopened["data"]["reopen_reason"], "New concern");
    assert_eq!(reopened["stage"], "reopened");
}

/// Approval comments and the reopen reason lose NUL (which PostgreSQL text cannot store), escape
/// and bidi override characters. One over 2,000 characters is 422 with a message that names the
/// field in the caller's language.
async fn comments_and_reasons_are_cleaned(backend: Backend) {
    let team = team(backend).await;
    let app = &team.app;
    let case = case_with(&team, json!({"closure_reason": "goals_met"})).await;

    let (status, body) = request(&team, &case, json!({"kind": "closure", "comment": "ক".repeat(2001)})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 2,001-character comment was stored: {body}");
    assert_eq!(body["error"]["code"], "text_too_long");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.starts_with("The comment is too long."), "the field is not named: {message}");
    assert!(message.contains("2000"), "the limit is not given: {message}");

    let comment = "Goals\u{0} met\u{1b}[2J, \u{202E}please close";
    let (status, requested) = request(&team, &case, json!({"kind": "closure", "comment": comment})).await;
    assert_eq!(status, StatusCode::CREATED, "a comment with NUL failed: {requested}");
    assert_eq!(requested["request_comment"], "Goals met[2J, please close");
    let id = requested["id"].as_str().expect("a request has an id").to_owned();

    let long = json!({"expected_version": 1, "comment": "ক".repeat(2001)});
    let (status, body) = decide(&team.boss, app, &id, "approve", long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 2,001-character decision was stored: {body}");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.starts_with("মন্তব্যটি অনেক বড়।"), "the Bangla message does not name the field: {message}");
    let decision = json!({"expected_version": 1, "comment": "Agreed\u{0}\u{7}"});
    let (status, approved) = decide(&team.boss, app, &id, "approve", decision).await;
    assert_eq!(status, StatusCode::OK, "a decision comment with NUL failed: {approved}");
    assert_eq!(approved["comment"], "Agreed");

    let reopen = |body: Value| send(team.boss.post(app.api(&format!("/cases/{case}/reopen"))).json(&body));
    let (status, body) = reopen(json!({"reason": "ক".repeat(2001)})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 2,001-character reason was stored: {body}");
    assert_eq!(body["error"]["code"], "text_too_long");
    let (status, body) = reopen(json!({"reason": "\u{0}\u{202E}"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason of control characters was kept: {body}");
    assert_eq!(body["error"]["code"], "reopen_reason_required");
    let (status, reopened) = reopen(json!({"reason": "New\u{0} concern\u{1b}"})).await;
    assert_eq!(status, StatusCode::OK, "a reason with NUL failed: {reopened}");
    assert_eq!(reopened["data"]["reopen_reason"], "New concern");
}
