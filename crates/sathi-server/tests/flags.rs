//! Flags on a case: added and removed within the write scope, shown on the case and sent to
//! devices without a new case version.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::StatusCode;
use serde_json::json;

backend_tests!(flag_shows_on_case_and_sync_without_version);

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
