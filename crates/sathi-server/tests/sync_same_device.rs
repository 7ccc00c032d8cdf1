//! `POST /sync` with several offline edits of one field from the same device: the device's own
//! earlier edits are not concurrent with its later ones, whatever order they arrive in, while
//! another device's edit still is. The case history links each entry to its mutation.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    same_device_edits_apply_in_order,
    same_device_edits_sent_reversed_apply,
    second_edit_joins_own_conflict,
);

async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn update(id: &str, seq: i64, record: &str, base: i64, path: &str, value: &str) -> Value {
    json!({
        "mutation_id": id, "seq": seq, "record_id": record, "kind": "update", "base_version": base,
        "changes": [{"path": path, "value": value}], "device_time": "2024-05-10T10:00:00+06:00",
    })
}

/// Rina (caseworker) and Tanvir (her supervisor, in her group), logged in, and a new case of
/// Rina's at version 1 with risk level high.
async fn rina_and_tanvir(app: &TestApp) -> (Client, Client, String) {
    let rina_user = app.create_user("caseworker.rina", "caseworker", AGENCY_A, "en").await;
    let tanvir_user = app.create_user("supervisor.tanvir", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(group, rina_user.id).await.expect("failed to add rina");
    app.state.store.add_group_member(group, tanvir_user.id).await.expect("failed to add tanvir");
    let rina = app.login("caseworker.rina", PASSWORD).await;
    let tanvir = app.login("supervisor.tanvir", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    (rina, tanvir, case)
}

async fn current(app: &TestApp, client: &Client, case: &str) -> Value {
    let (status, body) = send(client.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(status, StatusCode::OK, "reading the case failed: {body}");
    body
}

async fn changes(app: &TestApp, client: &Client, case: &str) -> Vec<Value> {
    let (status, body) = send(client.get(app.api(&format!("/cases/{case}/changes")))).await;
    assert_eq!(status, StatusCode::OK, "reading the change log failed: {body}");
    body.as_array().expect("a change list").clone()
}

async fn same_device_edits_apply_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (rina, _tanvir, case) = rina_and_tanvir(&app).await;
    let device = Uuid::new_v4();
    let first = Uuid::new_v4().to_string();
    let second = Uuid::new_v4().to_string();

    // Offline on version 1, the phone sets the risk level twice.
    let mutations = json!([
        update(&first, 1, &case, 1, "risk_level", "medium"),
        update(&second, 2, &case, 1, "risk_level", "low"),
    ]);
    let response = sync(&app, &rina, json!({"device_id": device, "mutations": mutations})).await;
    assert_eq!(response["results"][0]["status"], "applied", "the first edit: {}", response["results"][0]);
    assert_eq!(response["results"][1]["status"], "applied", "the second edit: {}", response["results"][1]);
    assert_eq!(response["results"][1]["version"], 3);

    let case_now = current(&app, &rina, &case).await;
    assert_eq!(case_now["data"]["risk_level"], "low", "the later edit of the device did not win");
    assert_eq!(case_now["conflicts"], json!([]), "the device's own edits conflicted");

    let log = changes(&app, &rina, &case).await;
    let risk: Vec<&Value> =
        log.iter().filter(|entry| entry["path"] == "risk_level" && entry["version"] != 1).collect();
    assert_eq!(risk.len(), 2, "both edits are not in the change log: {log:?}");
    assert_eq!(risk[0]["mutation_id"], first.as_str(), "the first entry is not linked to its mutation");
    assert_eq!(risk[1]["mutation_id"], second.as_str(), "the second entry is not linked to its mutation");
    assert_eq!(risk[1]["conflict_id"], Value::Null);
    let created = log.iter().find(|entry| entry["version"] == 1).expect("the create is logged");
    assert_eq!(created["mutation_id"], Value::Null, "a create over the API names a mutation");
}

async fn same_device_edits_sent_reversed_apply(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (rina, _tanvir, case) = rina_and_tanvir(&app).await;
    let device = Uuid::new_v4();
    let first = update(&Uuid::new_v4().to_string(), 1, &case, 1, "risk_level", "medium");
    let second = update(&Uuid::new_v4().to_string(), 2, &case, 1, "risk_level", "low");

    let response = sync(&app, &rina, json!({"device_id": device, "mutations": [second.clone()]})).await;
    assert_eq!(response["results"][0]["status"], "deferred", "seq 2 was not parked before seq 1");
    let response = sync(&app, &rina, json!({"device_id": device, "mutations": [first, second]})).await;
    assert_eq!(response["results"][0]["status"], "applied", "seq 1: {}", response["results"][0]);
    assert_eq!(response["results"][1]["status"], "applied", "seq 2: {}", response["results"][1]);

    let case_now = current(&app, &rina, &case).await;
    assert_eq!(case_now["data"]["risk_level"], "low", "device order did not decide the value");
    assert_eq!(case_now["conflicts"], json!([]), "edits delivered out of order conflicted");
}

/// Tanvir's edit makes Rina's first offline edit a conflict candidate. Her second edit of the
/// same field, on the same old version, joins that conflict as one more candidate, because
/// Tanvir's change is still concurrent with it.
async fn second_edit_joins_own_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (rina, tanvir, case) = rina_and_tanvir(&app).await;
    let phone = Uuid::new_v4();

    let supervisor_edit = update(&Uuid::new_v4().to_string(), 1, &case, 1, "risk_level", "low");
    let response =
        sync(&app, &tanvir, json!({"device_id": Uuid::new_v4(), "mutations": [supervisor_edit]})).await;
    assert_eq!(response["results"][0]["status"], "applied");

    let first = update(&Uuid::new_v4().to_string(), 1, &case, 1, "risk_level", "medium");
    let response = sync(&app, &rina, json!({"device_id": phone, "mutations": [first]})).await;
    let result = &response["results"][0];
    assert_eq!(result["status"], "conflict", "the first edit did not conflict with Tanvir's: {result}");
    let conflict_id = result["conflicts"][0].clone();

    let second = update(&Uuid::new_v4().to_string(), 2, &case, 1, "risk_level", "high");
    let response = sync(&app, &rina, json!({"device_id": phone, "mutations": [second]})).await;
    let result = &response["results"][0];
    assert_eq!(result["status"], "conflict", "the second edit skipped Tanvir's change: {result}");
    assert_eq!(result["conflicts"][0], conflict_id, "the second edit opened another conflict");

    let case_now = current(&app, &rina, &case).await;
    assert_eq!(case_now["data"]["risk_level"], "low", "a conflicting edit replaced the value");
    let conflicts = case_now["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "one field has more than one open conflict: {conflicts:?}");
    let values: Vec<&Value> =
        conflicts[0]["candidates"].as_array().expect("candidates").iter().map(|c| &c["value"]).collect();
    assert_eq!(
        values,
        [&json!("low"), &json!("medium"), &json!("high")],
        "the candidates are not in arrival order"
    );

    // The resolution is labelled with its conflict in the history.
    let resolve =
        app.api(&format!("/cases/{case}/conflicts/{}/resolve", conflict_id.as_str().expect("an id")));
    let (status, resolved) = send(tanvir.post(&resolve).json(&json!({"value": "high"}))).await;
    assert_eq!(status, StatusCode::OK, "resolving failed: {resolved}");
    let log = changes(&app, &tanvir, &case).await;
    let last = log.last().expect("the change log is not empty");
    assert_eq!(last["conflict_id"], conflict_id, "the resolution is not linked to its conflict");
    assert_eq!(last["mutation_id"], Value::Null, "a resolution names a mutation");
}
