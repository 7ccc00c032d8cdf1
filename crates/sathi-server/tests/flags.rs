//! Flags on a case: added and removed within the write scope, shown on the case and sent to
//! devices without a new case version.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::StatusCode;
use serde_json::{Value, json};

backend_tests!(
    flag_shows_on_case_and_sync_without_version,
    every_case_response_carries_flags,
    flag_text_drops_control_characters
);

/// A flag shows on the case and in the sync download, takes a new sync position but no new
/// version, is idempotent by id, and is removed with a reason; another agency sees nothing.
async fn flag_shows_on_case_and_sync_without_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.bravo", "caseworker", AGENCY_B, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let bravo = app.login("cw.bravo", PASSWORD).await;
    let case = app.create_case(&rina, child("Sayra")).await;
    let id = case["id"].as_str().unwrap().to_owned();
    let device = uuid::Uuid::now_v7();
    let (status, first) = send(rina.post(app.api("/sync")).json(&json!({"device_id": device}))).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let cursor = first["cursor"].clone();

    let flag_id = uuid::Uuid::now_v7().to_string();
    let body = json!({"id": flag_id, "text": "Do not contact the father"});
    let (status, flag) = send(rina.post(app.api(&format!("/cases/{id}/flags"))).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{flag}");
    assert_eq!(flag["flagged_by"]["full_name"], "Test user cw.rina");
    let (status, retry) = send(rina.post(app.api(&format!("/cases/{id}/flags"))).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "a retried flag was not answered with the first: {retry}");

    let (_, read) = send(rina.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(read["version"], case["version"], "a flag wrote a case version");
    let texts: Vec<&str> =
        read["flags"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap()).collect();
    assert_eq!(texts, vec!["Do not contact the father"], "{read}");

    let (_, next) =
        send(rina.post(app.api("/sync")).json(&json!({"device_id": device, "cursor": cursor}))).await;
    let records = next["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "the flagged case was not sent again: {next}");
    assert_eq!(records[0]["flags"][0]["id"], json!(flag_id), "the sync record has no flag: {next}");

    let (status, body) =
        send(bravo.post(app.api(&format!("/cases/{id}/flags"))).json(&json!({"text": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agency flagged the case: {body}");
    let (status, body) =
        send(bravo.post(app.api(&format!("/flags/{flag_id}/remove"))).json(&json!({"reason": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agency removed the flag: {body}");

    let (status, body) =
        send(rina.post(app.api(&format!("/flags/{flag_id}/remove"))).json(&json!({"reason": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "flag_reason_required");
    let (status, body) = send(
        rina.post(app.api(&format!("/flags/{flag_id}/remove"))).json(&json!({"reason": "Father moved away"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, read) = send(rina.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(read["flags"], json!([]), "a removed flag still shows: {read}");
}

/// Every route that returns a case view carries the case's active flags: a retried create,
/// update, reassign, close, reopen, disable, enable, the caseload and `/sync/records`.
async fn every_case_response_carries_flags(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let tania = app.create_user("cw.tania", "caseworker", AGENCY_A, "en").await;
    let karim = app.create_user("sv.karim", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.unwrap();
    for member in [rina.id, tania.id, karim.id] {
        app.state.store.add_group_member(group, member).await.unwrap();
    }
    let worker = app.login("cw.rina", PASSWORD).await;
    let boss = app.login("sv.karim", PASSWORD).await;
    let case_id = uuid::Uuid::now_v7();
    let create = json!({"id": case_id, "data": child("Sayra")});
    let (status, created) = send(worker.post(app.api("/cases")).json(&create)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let flag = json!({"text": "Do not contact the father"});
    let (status, body) = send(worker.post(app.api(&format!("/cases/{case_id}/flags"))).json(&flag)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let flag_texts = |route: &str, view: &Value| {
        let flags = view["flags"].as_array().unwrap_or_else(|| panic!("{route} has no flags list: {view}"));
        let texts: Vec<&str> = flags.iter().filter_map(|flag| flag["text"].as_str()).collect();
        assert_eq!(texts, ["Do not contact the father"], "{route} lacks the flag: {view}");
    };
    let case_url = |action: &str| app.api(&format!("/cases/{case_id}{action}"));

    let (status, retried) = send(worker.post(app.api("/cases")).json(&create)).await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    flag_texts("a retried create", &retried);
    let edit = json!({"changes": [{"path": "name_middle", "value": "Begum"}]});
    let (status, updated) = send(worker.patch(case_url("")).json(&edit)).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    flag_texts("PATCH", &updated);
    let (status, reassigned) =
        send(boss.post(case_url("/reassign")).json(&json!({"owner_id": tania.id}))).await;
    assert_eq!(status, StatusCode::OK, "{reassigned}");
    flag_texts("reassign", &reassigned);
    let (status, closed) = send(boss.post(case_url("/close")).json(&json!({"reason": "goals_met"}))).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    flag_texts("close", &closed);
    let (status, reopened) =
        send(boss.post(case_url("/reopen")).json(&json!({"reason": "new concern"}))).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    flag_texts("reopen", &reopened);
    let (status, disabled) = send(boss.post(case_url("/disable"))).await;
    assert_eq!(status, StatusCode::OK, "{disabled}");
    flag_texts("disable", &disabled);
    let (status, enabled) = send(boss.post(case_url("/enable"))).await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    flag_texts("enable", &enabled);

    let (status, caseload) = send(boss.get(app.api("/caseload"))).await;
    assert_eq!(status, StatusCode::OK, "{caseload}");
    flag_texts("the caseload", &caseload["cases"][0]);
    let (status, records) = send(boss.post(app.api("/sync/records")).json(&json!({"ids": [case_id]}))).await;
    assert_eq!(status, StatusCode::OK, "{records}");
    flag_texts("/sync/records", &records["records"][0]);
}

/// A flag's text loses BEL, ESC and the right-to-left override, so no screen shows it otherwise
/// than it was written. A text over 500 characters, or a removal reason over 1,000, is 422 with
/// a message that names the field in the caller's language.
async fn flag_text_drops_control_characters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.shila", "caseworker", AGENCY_A, "bn").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let shila = app.login("cw.shila", PASSWORD).await;
    let case = app.create_case(&rina, child("Sayra")).await;
    let id = case["id"].as_str().expect("a created case has an id").to_owned();
    let url = app.api(&format!("/cases/{id}/flags"));

    let text = "Do not\u{7} contact\u{1b}[2J the \u{202E}father";
    let (status, flag) = send(rina.post(url.clone()).json(&json!({"text": text}))).await;
    assert_eq!(status, StatusCode::CREATED, "{flag}");
    assert_eq!(flag["text"], "Do not contact[2J the father", "the answer kept control characters");
    let (_, read) = send(rina.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(read["flags"][0]["text"], "Do not contact[2J the father", "the stored flag kept them");

    let (status, body) = send(rina.post(url.clone()).json(&json!({"text": "ক".repeat(501)}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 501-character flag was stored: {body}");
    assert_eq!(body["error"]["code"], "text_too_long");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.starts_with("The flag text is too long."), "the field is not named: {message}");
    assert!(message.contains("500"), "the limit is not given: {message}");
    let (status, body) = send(shila.post(url).json(&json!({"text": "ক".repeat(501)}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(
        message.starts_with("ফ্ল্যাগের লেখাটি অনেক বড়।"),
        "the Bangla message does not name the field: {message}"
    );
    assert!(message.contains("৫০০"), "the Bangla message has no Bengali digits: {message}");

    let remove = app.api(&format!("/flags/{}/remove", flag["id"].as_str().expect("a flag has an id")));
    let (status, body) = send(rina.post(remove.clone()).json(&json!({"reason": "ক".repeat(1001)}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 1,001-character reason was stored: {body}");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.starts_with("The reason is too long."), "the field is not named: {message}");
    let (status, body) = send(rina.post(remove).json(&json!({"reason": "\u{0}\u{7}\u{202E}"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason of control characters was kept: {body}");
    assert_eq!(body["error"]["code"], "flag_reason_required");
}
