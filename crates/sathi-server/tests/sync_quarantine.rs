//! A held mutation of a disabled user that would be rejected: applying it changes nothing, keeps
//! it held with the rejection on record, and the supervisor then discards it with a reason.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(
    rejected_held_mutation_can_be_discarded,
    resent_kept_aside_mutation_applies_once,
    disabled_user_outbox_survives_other_requests,
    held_mutations_need_own_device
);

/// The people of these tests: caseworker Rina, who registered one case and is now disabled, her
/// supervisor in the same group, and the agency administrator who disabled her.
struct Team {
    rina: sathi_store::User,
    rina_client: reqwest::Client,
    admin: reqwest::Client,
    supervisor: reqwest::Client,
    case: String,
}

async fn disabled_caseworker_with_case(app: &TestApp) -> Team {
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let supervisor_user = app.create_user("sup.a", "supervisor", AGENCY_A, "en").await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    let group = app.state.store.create_group("team", AGENCY_A).await.expect("group");
    for user in [rina.id, supervisor_user.id] {
        app.state.store.add_group_member(group, user).await.expect("member");
    }
    let rina_client = app.login("cw.rina", PASSWORD).await;
    let admin = app.login("admin.a", PASSWORD).await;
    let supervisor = app.login("sup.a", PASSWORD).await;
    let case = app.create_case(&rina_client, child("Amina")).await["id"].as_str().expect("an id").to_owned();

    let (status, body) = send(admin.post(app.api(&format!("/users/{}/disable", rina.id)))).await;
    assert_eq!(status, StatusCode::OK, "disabling failed: {body}");
    Team { rina, rina_client, admin, supervisor, case }
}

async fn audit_outcomes(app: &TestApp, case: &str, action: &str) -> Vec<String> {
    let case_id = sathi_domain::ids::CaseId(Uuid::parse_str(case).expect("case ids are UUIDs"));
    let entries =
        app.state.store.audit_entries(Some(case_id), 1000).await.expect("failed to read the audit log");
    entries.iter().filter(|entry| entry.action == action).map(|entry| entry.outcome.clone()).collect()
}

async fn rejected_held_mutation_can_be_discarded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Team { rina_client, supervisor, case, .. } = disabled_caseworker_with_case(&app).await;
    let invalid = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "risk_level", "value": "extreme"}]});
    let request = json!({"device_id": Uuid::new_v4(), "mutations": [invalid]});
    let (status, body) = send(rina_client.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user synced: {body}");

    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    let held = listed[0]["id"].as_str().expect("the held mutation is listed").to_owned();
    assert_eq!(listed[0]["result"], Value::Null, "a mutation nobody tried has a result");

    let apply = app.api(&format!("/sync/quarantine/{held}/apply"));
    let (status, tried) = send(supervisor.post(&apply)).await;
    assert_eq!(status, StatusCode::OK, "applying failed: {tried}");
    assert_eq!(tried["status"], "held", "a rejected mutation left the quarantine");
    assert_eq!(tried["result"]["status"], "rejected");
    assert_eq!(tried["result"]["error"]["code"], "invalid");
    let (_, current) = send(supervisor.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["version"], 1, "a rejected apply wrote the case");

    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    assert_eq!(listed[0]["status"], "held", "the rejected mutation is no longer listed as held");
    assert_eq!(listed[0]["result"]["error"]["code"], "invalid", "the list does not show why it was rejected");

    let discard = app.api(&format!("/sync/quarantine/{held}/discard"));
    let (status, discarded) =
        send(supervisor.post(&discard).json(&json!({"reason": "Not a valid risk level"}))).await;
    assert_eq!(status, StatusCode::OK, "discarding a rejected mutation failed: {discarded}");
    assert_eq!(discarded["status"], "discarded");
    assert_eq!(discarded["result"]["error"]["code"], "invalid", "the discard dropped the rejection");
    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    assert_eq!(listed, json!([]), "a discarded mutation is still listed");
    let (status, body) = send(supervisor.post(&apply)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a discarded mutation was applied: {body}");
    assert_eq!(body["error"]["code"], "already_reviewed");

    assert_eq!(audit_outcomes(&app, &case, "sync.quarantine_apply").await, ["rejected"]);
    assert_eq!(audit_outcomes(&app, &case, "sync.quarantine_discard").await, ["discarded"]);
}

/// After an administrator enables the account again, the phone sends the mutations the server
/// kept aside once more. A supervisor already applied them, so they must not apply twice, and the
/// device's later mutations must still follow in order.
async fn resent_kept_aside_mutation_applies_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Team { rina, rina_client, admin, supervisor, case } = disabled_caseworker_with_case(&app).await;
    let device = Uuid::new_v4();
    let kept = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_nickname", "value": "Mina"}]});
    let request = json!({"device_id": device, "mutations": [kept.clone()]});
    let (status, body) = send(rina_client.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user synced: {body}");

    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    let held = listed[0]["id"].as_str().expect("the held mutation is listed").to_owned();
    let (status, applied) = send(supervisor.post(app.api(&format!("/sync/quarantine/{held}/apply")))).await;
    assert_eq!(status, StatusCode::OK, "applying failed: {applied}");
    assert_eq!(applied["status"], "applied");

    let (status, body) = send(admin.post(app.api(&format!("/users/{}/enable", rina.id)))).await;
    assert_eq!(status, StatusCode::OK, "enabling failed: {body}");
    let rina_again = app.login("cw.rina", PASSWORD).await;
    let later = json!({"mutation_id": Uuid::new_v4(), "seq": 2, "record_id": case, "kind": "update",
        "base_version": 2, "changes": [{"path": "name_nickname", "value": "Minu"}]});
    let request = json!({"device_id": device, "mutations": [kept, later]});
    let (status, answer) = send(rina_again.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::OK, "the enabled user could not sync: {answer}");
    assert_eq!(answer["results"][0]["status"], "rejected", "a kept-aside mutation applied again");
    assert_eq!(answer["results"][0]["error"]["code"], "kept_aside");
    assert_eq!(answer["results"][1]["status"], "applied", "the next mutation did not follow");

    let (_, changes) = send(supervisor.get(app.api(&format!("/cases/{case}/changes")))).await;
    let nicknames: Vec<&Value> = changes
        .as_array()
        .expect("the change log is a list")
        .iter()
        .filter(|entry| entry["path"] == "name_nickname")
        .map(|entry| &entry["new_value"])
        .collect();
    assert_eq!(nicknames, [&json!("Mina"), &json!("Minu")], "the nickname changes are not the two expected");
}

/// A disabled user's phone may open a case before it syncs. That request is rejected without
/// ending the session, so the following `POST /sync` still delivers the outbox to the quarantine.
async fn disabled_user_outbox_survives_other_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    let rina_client = app.login("cw.rina", PASSWORD).await;
    let admin = app.login("admin.a", PASSWORD).await;
    let case = app.create_case(&rina_client, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let (status, body) = send(admin.post(app.api(&format!("/users/{}/disable", rina.id)))).await;
    assert_eq!(status, StatusCode::OK, "disabling failed: {body}");

    let (status, body) = send(rina_client.get(app.api(&format!("/cases/{case}/changes")))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user read a case: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");
    let message = body["error"]["message"].as_str().expect("the error has a message");
    assert!(!message.contains('0'), "the message counts kept changes before any were sent: {message}");
    assert!(message.contains("unsent changes"), "the message does not ask to send the outbox: {message}");

    let (status, body) = send(rina_client.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a second request of a disabled user was let in: {body}");
    assert_eq!(body["error"]["code"], "account_disabled", "the first rejected request ended the session");

    let mutation_id = Uuid::new_v4();
    let mutation = json!({"mutation_id": mutation_id, "seq": 1, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_nickname", "value": "Mina"}]});
    let request = json!({"device_id": Uuid::new_v4(), "mutations": [mutation]});
    let (status, body) = send(rina_client.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user synced: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");
    let message = body["error"]["message"].as_str().expect("the error has a message");
    assert!(message.contains("The 1 change"), "the sync answer does not count the kept change: {message}");
    let kept = app.state.store.was_quarantined(mutation_id).await.expect("failed to read the quarantine");
    assert!(kept, "the outbox was not kept aside");

    let (status, body) = send(rina_client.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session outlived the sync: {body}");
    assert_eq!(body["error"]["code"], "unauthenticated", "the sync did not end the session");
}

/// A disabled user's sync that names another user's device keeps nothing aside: applied later,
/// its changes would count as made on top of that device's edits and skip the conflict check.
async fn held_mutations_need_own_device(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.mousumi", "caseworker", AGENCY_A, "en").await;
    let colleague_client = app.login("cw.mousumi", PASSWORD).await;
    let Team { rina_client, supervisor, case, .. } = disabled_caseworker_with_case(&app).await;
    let device = Uuid::new_v4();
    let (status, body) =
        send(colleague_client.post(app.api("/sync")).json(&json!({"device_id": device}))).await;
    assert_eq!(status, StatusCode::OK, "the colleague could not register a device: {body}");

    let forged = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_nickname", "value": "Forged"}]});
    let (status, body) =
        send(rina_client.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": [forged]})))
            .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user synced: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");
    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    assert_eq!(listed, json!([]), "a mutation naming another user's device was kept aside");
}
