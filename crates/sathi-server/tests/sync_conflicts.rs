//! `POST /sync` on the same field edited on two offline devices: both values are kept as a
//! conflict, a replay changes nothing, a person resolves it, and different fields merge.
//!
//! The values are those of a worked example mapped onto the default configuration's field
//! ids: `care_arrangement` is `care_arrangement_current` (`with_parents` is `both_parents`) and
//! `next_follow_up` is `case_plan_review_date`.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    same_field_offline_edits_conflict,
    different_fields_merge_into_next_version,
    update_without_valid_base_is_rejected,
    extended_conflict_keeps_current_value,
);

/// Sends one sync request and returns the body, asserting 200.
async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn update(id: &str, seq: i64, record: &str, base: i64, changes: Value, device_time: &str) -> Value {
    json!({
        "mutation_id": id, "seq": seq, "record_id": record, "kind": "update",
        "base_version": base, "changes": changes, "device_time": device_time,
    })
}

/// Rina's case at version 3, as in the example: risk medium, living with both parents, review
/// on 2024-05-20. Returns the case id.
async fn case_at_version_three(app: &TestApp, rina: &Client) -> String {
    let created = app
        .create_case(
            rina,
            with(child("Amina"), json!({"risk_level": "medium", "care_arrangement_current": "both_parents"})),
        )
        .await;
    let id = created["id"].as_str().expect("a created case has an id").to_owned();
    let (status, body) = send(
        rina.patch(app.api(&format!("/cases/{id}")))
            .json(&json!({"changes": [{"path": "case_plan_review_date", "value": "2024-05-20"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "setting the review date failed: {body}");
    let (status, body) = send(
        rina.patch(app.api(&format!("/cases/{id}")))
            .json(&json!({"changes": [{"path": "care_arrangement_safe", "value": "yes"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the third version failed: {body}");
    assert_eq!(body["version"], 3, "the setup case is not at version 3");
    id
}

async fn audit_count(app: &TestApp, case: &str, action: &str) -> usize {
    let case_id = sathi_domain::ids::CaseId(Uuid::parse_str(case).expect("case ids are UUIDs"));
    let entries =
        app.state.store.audit_entries(Some(case_id), 1000).await.expect("failed to read the audit log");
    entries.iter().filter(|entry| entry.action == action).count()
}

async fn same_field_offline_edits_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina_user = app.create_user("caseworker.rina", "caseworker", AGENCY_A, "en").await;
    let tanvir_user = app.create_user("supervisor.tanvir", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(group, rina_user.id).await.expect("failed to add rina");
    app.state.store.add_group_member(group, tanvir_user.id).await.expect("failed to add tanvir");
    let rina = app.login("caseworker.rina", PASSWORD).await;
    let tanvir = app.login("supervisor.tanvir", PASSWORD).await;
    let case = case_at_version_three(&app, &rina).await;
    let device_a = Uuid::new_v4().to_string();
    let device_b = Uuid::new_v4().to_string();
    let a17 = Uuid::new_v4().to_string();
    let b4 = Uuid::new_v4().to_string();

    // 14:00: device B pushes B-4.
    let b_push = update(
        &b4,
        1,
        &case,
        3,
        json!([{"path": "risk_level", "value": "low"}, {"path": "care_arrangement_current", "value": "kinship_care"}]),
        "2024-05-10T10:05:00+06:00",
    );
    let response = sync(&app, &tanvir, json!({"device_id": device_b, "mutations": [b_push]})).await;
    let result = &response["results"][0];
    assert_eq!(result["status"], "applied", "B-4 did not apply: {result}");
    assert_eq!(result["version"], 4, "B-4 did not make version 4");

    // 16:00: device A pushes A-17, still on version 3.
    let a_push = update(
        &a17,
        1,
        &case,
        3,
        json!([{"path": "risk_level", "value": "high"}]),
        "2024-05-10T10:00:00+06:00",
    );
    let request = json!({"device_id": device_a, "mutations": [a_push]});
    let first = sync(&app, &rina, request.clone()).await;
    let result = &first["results"][0];
    assert_eq!(result["status"], "conflict", "A-17 did not raise a conflict: {result}");
    let conflict_id =
        result["conflicts"][0].as_str().expect("the conflict result names the conflict").to_owned();

    let record = first["records"]
        .as_array()
        .expect("records is an array")
        .iter()
        .find(|record| record["id"] == case.as_str())
        .expect("the changed case is in the download")
        .clone();
    assert_eq!(record["data"]["risk_level"], "low", "risk level was silently replaced");
    assert_eq!(
        record["data"]["care_arrangement_current"], "kinship_care",
        "A-17 touched the care arrangement"
    );
    let conflict = &record["conflicts"][0];
    assert_eq!(conflict["path"], "risk_level", "the conflict is on the wrong field");
    let candidates = conflict["candidates"].as_array().expect("a conflict has candidates");
    assert_eq!(candidates.len(), 2, "the conflict does not keep both values: {conflict}");
    assert_eq!(candidates[0]["value"], "low");
    assert_eq!(candidates[0]["username"], "supervisor.tanvir");
    assert_eq!(candidates[1]["value"], "high");
    assert_eq!(candidates[1]["username"], "caseworker.rina");
    assert_eq!(
        candidates[0]["full_name"], "Test user supervisor.tanvir",
        "the held value has no author name"
    );
    assert_eq!(
        candidates[1]["full_name"], "Test user caseworker.rina",
        "the incoming value has no author name"
    );
    assert_eq!(
        candidates[1]["device_time"], "2024-05-10T10:00:00+06:00",
        "the device time is not kept as reported"
    );
    assert_eq!(candidates[1]["mutation_id"], a17.as_str());

    // A retry of A-17 gets the same result and changes nothing.
    let replay = sync(&app, &rina, request).await;
    assert_eq!(replay["results"][0], first["results"][0], "a replay returned another result");
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["version"], 5, "the replay made another version");
    assert_eq!(current["conflicts"].as_array().map(Vec::len), Some(1), "the replay opened a second conflict");
    assert_eq!(audit_count(&app, &case, "case.sync_update").await, 1, "B-4 is not audited once");
    assert_eq!(audit_count(&app, &case, "case.sync_conflict").await, 1, "A-17 is not audited once");

    // The conflict is listed to the supervisor, who resolves it with the caseworker's value.
    let (status, listed) = send(tanvir.get(app.api("/conflicts"))).await;
    assert_eq!(status, StatusCode::OK, "listing conflicts failed: {listed}");
    assert!(
        listed
            .as_array()
            .expect("a list")
            .iter()
            .any(|item| item["id"] == conflict_id.as_str() && item["display_id"].is_string()),
        "the supervisor's conflict list lacks the conflict: {listed}"
    );
    let resolve = app.api(&format!("/cases/{case}/conflicts/{conflict_id}/resolve"));
    let (status, resolved) = send(tanvir.post(&resolve).json(&json!({"value": "high"}))).await;
    assert_eq!(status, StatusCode::OK, "resolving failed: {resolved}");
    assert_eq!(resolved["version"], 6, "the resolution is not a new version");
    assert_eq!(resolved["data"]["risk_level"], "high");
    assert_eq!(resolved["conflicts"], json!([]), "the resolved conflict is still open");
    assert_eq!(
        audit_count(&app, &case, "case.conflict_resolve").await,
        1,
        "the resolution is not audited once"
    );
    let (status, again) = send(tanvir.post(&resolve).json(&json!({"value": "low"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a second resolution was accepted: {again}");
    assert_eq!(again["error"]["code"], "conflict_resolved");

    let (_, changes) = send(tanvir.get(app.api(&format!("/cases/{case}/changes")))).await;
    let last =
        changes.as_array().expect("a change list").last().expect("the change log is not empty").clone();
    assert_eq!(last["version"], 6);
    assert_eq!(last["path"], "risk_level");
    assert_eq!(last["new_value"], "high");
}

async fn different_fields_merge_into_next_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina_user = app.create_user("caseworker.rina", "caseworker", AGENCY_A, "en").await;
    let tanvir_user = app.create_user("supervisor.tanvir", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(group, rina_user.id).await.expect("failed to add rina");
    app.state.store.add_group_member(group, tanvir_user.id).await.expect("failed to add tanvir");
    let rina = app.login("caseworker.rina", PASSWORD).await;
    let tanvir = app.login("supervisor.tanvir", PASSWORD).await;
    let case = case_at_version_three(&app, &rina).await;

    let b_push = update(
        &Uuid::new_v4().to_string(),
        1,
        &case,
        3,
        json!([{"path": "risk_level", "value": "low"}, {"path": "care_arrangement_current", "value": "kinship_care"}]),
        "2024-05-10T10:05:00+06:00",
    );
    sync(&app, &tanvir, json!({"device_id": Uuid::new_v4(), "mutations": [b_push]})).await;
    let a_push = update(
        &Uuid::new_v4().to_string(),
        1,
        &case,
        3,
        json!([{"path": "case_plan_review_date", "value": "2024-05-27"}]),
        "2024-05-10T10:00:00+06:00",
    );
    let response = sync(&app, &rina, json!({"device_id": Uuid::new_v4(), "mutations": [a_push]})).await;
    let result = &response["results"][0];
    assert_eq!(result["status"], "applied", "a change of another field did not merge: {result}");
    assert_eq!(result["version"], 5, "the merge is not version 5");
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["risk_level"], "low");
    assert_eq!(current["data"]["care_arrangement_current"], "kinship_care");
    assert_eq!(current["data"]["case_plan_review_date"], "2024-05-27");
    assert_eq!(current["conflicts"], json!([]), "a merge of different fields opened a conflict");
}

/// An update with no base version, or with one the case never had, cannot be checked for
/// concurrent changes, so it is rejected and its `seq` is consumed.
async fn update_without_valid_base_is_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = case_at_version_three(&app, &rina).await;
    let device = Uuid::new_v4();

    let missing = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "update",
        "changes": [{"path": "risk_level", "value": "low"}]});
    let ahead = update(
        &Uuid::new_v4().to_string(),
        2,
        &case,
        4,
        json!([{"path": "risk_level", "value": "low"}]),
        "2024-05-10T10:00:00+06:00",
    );
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [missing.clone(), ahead]})).await;
    for index in 0..2 {
        let result = &answer["results"][index];
        assert_eq!(result["status"], "rejected", "an update without a valid base applied: {result}");
        assert_eq!(result["error"]["code"], "invalid_base_version");
        assert!(
            result["error"]["message"].as_str().is_some_and(|message| !message.is_empty()),
            "no message: {result}"
        );
    }
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["version"], 3, "a rejected update wrote the case");
    assert_eq!(current["data"]["risk_level"], "medium", "a rejected update changed the value");

    // The rejection is stored: a replay gets it again, and the next seq follows.
    let next = update(
        &Uuid::new_v4().to_string(),
        3,
        &case,
        3,
        json!([{"path": "risk_level", "value": "low"}]),
        "2024-05-10T10:00:00+06:00",
    );
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [missing, next]})).await;
    assert_eq!(
        answer["results"][0]["error"]["code"], "invalid_base_version",
        "the replay got another result"
    );
    assert_eq!(
        answer["results"][1]["status"], "applied",
        "the seq after the rejections did not apply: {answer}"
    );
}

/// A value set on the current version while a conflict is open becomes the case's value but is
/// no candidate. When a late device value joins the conflict, the current value joins too, with
/// the author and version of the write that made it, so resolving can still keep it.
async fn extended_conflict_keeps_current_value(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina_user = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = case_at_version_three(&app, &rina).await;
    let time = "2024-05-10T10:00:00+06:00";
    let risk = |value: &str| json!([{"path": "risk_level", "value": value}]);

    let first = update(&Uuid::new_v4().to_string(), 1, &case, 3, risk("high"), time);
    let answer = sync(&app, &rina, json!({"device_id": Uuid::new_v4(), "mutations": [first]})).await;
    assert_eq!(answer["results"][0]["status"], "applied", "the first device's change did not apply");
    let second = update(&Uuid::new_v4().to_string(), 1, &case, 3, risk("low"), time);
    let answer = sync(&app, &rina, json!({"device_id": Uuid::new_v4(), "mutations": [second]})).await;
    assert_eq!(answer["results"][0]["status"], "conflict", "the second device's change did not conflict");
    let conflict_id = answer["results"][0]["conflicts"][0].as_str().expect("a conflict id").to_owned();

    // A change on the current version applies while the conflict stays open.
    let (status, patched) = send(
        rina.patch(app.api(&format!("/cases/{case}")))
            .json(&json!({"changes": [{"path": "risk_level", "value": "medium"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the change on the current version failed: {patched}");
    let medium_version = patched["version"].as_i64().expect("a version");

    let third = update(&Uuid::new_v4().to_string(), 1, &case, 3, risk("low"), time);
    let answer = sync(&app, &rina, json!({"device_id": Uuid::new_v4(), "mutations": [third]})).await;
    let result = &answer["results"][0];
    assert_eq!(result["status"], "conflict", "the third device's change did not conflict: {result}");
    assert_eq!(result["conflicts"][0], conflict_id.as_str(), "the third value opened another conflict");

    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["risk_level"], "medium", "the current value was replaced");
    let conflict = &current["conflicts"][0];
    let candidates = conflict["candidates"].as_array().expect("a conflict has candidates");
    let values: Vec<&Value> = candidates.iter().map(|candidate| &candidate["value"]).collect();
    assert_eq!(
        values,
        [&json!("high"), &json!("low"), &json!("medium"), &json!("low")],
        "candidates: {conflict}"
    );
    let held = &candidates[2];
    assert_eq!(held["version"], medium_version, "the current value's candidate names another version");
    assert_eq!(held["user_id"], rina_user.id.to_string(), "the current value's candidate names another user");

    // A fourth value finds the current one among the candidates and does not add it again.
    let fourth = update(&Uuid::new_v4().to_string(), 1, &case, 3, risk("high"), time);
    let answer = sync(&app, &rina, json!({"device_id": Uuid::new_v4(), "mutations": [fourth]})).await;
    assert_eq!(answer["results"][0]["status"], "conflict");
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    let candidates = current["conflicts"][0]["candidates"].as_array().expect("a conflict has candidates");
    assert_eq!(candidates.len(), 5, "the current value was added twice: {candidates:?}");
}
