//! `POST /sync` guarantees other than conflicts: retries, device order, device clocks, scope,
//! access lost offline, deactivated users and their held mutations, reassignment, compression.

mod common;

use std::io::Write as _;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

backend_tests!(
    retried_create_returns_first_result,
    shuffled_delivery_ends_in_device_order,
    device_clock_years_off_changes_nothing,
    download_stays_in_scope,
    write_after_access_lost_is_rejected,
    disabled_user_mutations_are_held,
    reassigned_case_leaves_former_owner,
    responses_compress_and_gzip_bodies_decompress,
    cursor_ahead_of_clock_starts_over,
);

async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn create(seq: i64, record: &str, data: Value) -> Value {
    json!({"mutation_id": Uuid::new_v4(), "seq": seq, "record_id": record, "kind": "create", "data": data,
           "device_time": "2024-05-11T11:42:10+06:00"})
}

fn update(seq: i64, record: &str, base: i64, changes: Value) -> Value {
    json!({"mutation_id": Uuid::new_v4(), "seq": seq, "record_id": record, "kind": "update",
           "base_version": base, "changes": changes, "device_time": "2024-05-11T12:00:00+06:00"})
}

fn record_ids(response: &Value) -> Vec<String> {
    response["records"]
        .as_array()
        .expect("records is an array")
        .iter()
        .map(|record| record["id"].as_str().expect("a record has an id").to_owned())
        .collect()
}

/// Downloads everything from scratch, page by page, and returns the last response and all ids.
async fn full_download(app: &TestApp, client: &Client, device: &str) -> (Value, Vec<String>) {
    let mut cursor = Value::Null;
    let mut ids = Vec::new();
    loop {
        let response = sync(app, client, json!({"device_id": device, "cursor": cursor, "limit": 2})).await;
        ids.extend(record_ids(&response));
        cursor = response["cursor"].clone();
        if response["more"] == false {
            return (response, ids);
        }
    }
}

fn digest(ids: &[String]) -> String {
    let mut sorted: Vec<String> = ids.iter().map(|id| id.to_lowercase()).collect();
    sorted.sort();
    let mut hasher = Sha256::new();
    for id in sorted {
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

async fn retried_create_returns_first_result(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let device = Uuid::new_v4().to_string();
    let record = Uuid::new_v4().to_string();
    let data = json!({"registration_date": "2024-05-11", "name_first": "Tahmina", "name_last": "Akter",
                      "sex": "female", "date_of_birth": "2016-08-03", "location_current": "BD-CTG-CXB-UKH-C01E-A",
                      "risk_level": "medium", "protection_concerns": ["separated"]});
    let request = json!({"device_id": device, "mutations": [create(1, &record, data.clone())]});

    let first = sync(&app, &rina, request.clone()).await;
    assert_eq!(first["results"][0]["status"], "applied", "the create failed: {}", first["results"][0]);
    assert_eq!(first["results"][0]["version"], 1);
    let retry = sync(&app, &rina, request.clone()).await;
    assert_eq!(retry["results"][0], first["results"][0], "a retry returned another result");
    // Days later, after more mutations, an old copy is replayed once more.
    sync(&app, &rina, json!({"device_id": device, "mutations": [update(2, &record, 1, json!([{"path": "sex", "value": "female"}]))]}))
        .await;
    let late = sync(&app, &rina, request).await;
    assert_eq!(late["results"][0], first["results"][0], "a late replay returned another result");
    assert_eq!(app.list_ids(&rina, &[]).await, vec![record.clone()], "a replayed create made a second case");

    // Another user with identical values and another id makes a second case.
    app.create_user("cw.other", "caseworker", AGENCY_A, "en").await;
    let other = app.login("cw.other", PASSWORD).await;
    let second = Uuid::new_v4().to_string();
    let response =
        sync(&app, &other, json!({"device_id": Uuid::new_v4(), "mutations": [create(1, &second, data)]}))
            .await;
    assert_eq!(response["results"][0]["status"], "applied", "an identical new case was blocked");
    assert_eq!(app.list_ids(&other, &[]).await, vec![second], "the second user's case is missing");
}

async fn shuffled_delivery_ends_in_device_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;

    // The same five mutations, in order on one device and reversed on another.
    let mut finals = Vec::new();
    for reversed in [false, true] {
        let device = Uuid::new_v4().to_string();
        let record = Uuid::new_v4().to_string();
        let mutations = vec![
            create(1, &record, child("Nusrat")),
            update(2, &record, 1, json!([{"path": "risk_level", "value": "low"}])),
            update(3, &record, 2, json!([{"path": "risk_level", "value": "medium"}])),
            json!({"mutation_id": Uuid::new_v4(), "seq": 4, "record_id": record, "kind": "void"}),
            update(5, &record, 3, json!([{"path": "name_first", "value": "Nusrat Jahan"}])),
        ];
        let delivered: Vec<Value> =
            if reversed { mutations.iter().rev().cloned().collect() } else { mutations.clone() };
        let mut statuses = Vec::new();
        for mutation in delivered {
            let response = sync(&app, &rina, json!({"device_id": device, "mutations": [mutation]})).await;
            statuses.push(response["results"][0]["status"].as_str().unwrap_or_default().to_owned());
        }
        if reversed {
            assert_eq!(statuses[..4], ["deferred"; 4], "later mutations were not held back: {statuses:?}");
            // The device sends what is still deferred again and gets the stored results.
            let resent = sync(&app, &rina, json!({"device_id": device, "mutations": mutations})).await;
            for result in resent["results"].as_array().expect("results") {
                assert_eq!(result["status"], "applied", "a resent mutation did not apply: {result}");
            }
        }
        let (_, case) = send(rina.get(app.api(&format!("/cases/{record}")))).await;
        finals.push((
            case["version"].clone(),
            case["data"]["risk_level"].clone(),
            case["data"]["name_first"].clone(),
        ));
    }
    assert_eq!(finals[0], finals[1], "reversed delivery ended in another state");
    assert_eq!(finals[0].1, "medium", "the device's last risk level did not win");
    assert_eq!(finals[0].2, "Nusrat Jahan");
}

async fn device_clock_years_off_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await;
    let id = case["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4().to_string();

    let mut late = update(1, &id, 1, json!([{"path": "risk_level", "value": "low"}]));
    late["device_time"] = json!("2031-01-01T00:00:00+06:00");
    let mut early = update(2, &id, 2, json!([{"path": "risk_level", "value": "medium"}]));
    early["device_time"] = json!("2019-01-01T00:00:00+06:00");
    let before = time::OffsetDateTime::now_utc();
    let response = sync(&app, &rina, json!({"device_id": device, "mutations": [late, early]})).await;
    assert_eq!(response["results"][1]["status"], "applied");

    let (_, current) = send(rina.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(current["data"]["risk_level"], "medium", "the device clock, not the device order, decided");
    let case_id = sathi_domain::ids::CaseId(Uuid::parse_str(&id).expect("a UUID"));
    let entries = app.state.store.audit_entries(Some(case_id), 100).await.expect("audit log");
    let synced: Vec<_> = entries.iter().filter(|entry| entry.action == "case.sync_update").collect();
    assert_eq!(synced.len(), 2, "each mutation is not audited once");
    for entry in synced {
        assert!(
            entry.at >= before - time::Duration::seconds(5),
            "the server time is not recorded: {:?}",
            entry.at
        );
        assert!(entry.at.year() < 2031, "the device time replaced the server time");
        let reported = entry.detail["device_time"].as_str().expect("the device time is kept");
        assert!(reported == "2031-01-01T00:00:00+06:00" || reported == "2019-01-01T00:00:00+06:00");
    }
}

async fn download_stays_in_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alpha_user = app.create_user("cw.alpha", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.bravo", "caseworker", AGENCY_B, "en").await;
    let sup = app.create_user("sup.alpha", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("team", AGENCY_A).await.expect("group");
    for user in [alpha_user.id, sup.id] {
        app.state.store.add_group_member(group, user).await.expect("member");
    }
    let alpha = app.login("cw.alpha", PASSWORD).await;
    let bravo = app.login("cw.bravo", PASSWORD).await;
    let supervisor = app.login("sup.alpha", PASSWORD).await;
    let mut own = Vec::new();
    for name in ["Amina", "Rahim", "Sumi"] {
        own.push(app.create_case(&alpha, child(name)).await["id"].as_str().expect("an id").to_owned());
    }
    let foreign = app.create_case(&bravo, child("Karim")).await["id"].as_str().expect("an id").to_owned();
    let disabled = app.create_case(&alpha, child("Ruma")).await["id"].as_str().expect("an id").to_owned();
    let (status, body) = send(supervisor.post(app.api(&format!("/cases/{disabled}/disable")))).await;
    assert_eq!(status, StatusCode::OK, "disabling the case failed: {body}");

    let device = Uuid::new_v4().to_string();
    let (last, mut ids) = full_download(&app, &alpha, &device).await;
    ids.sort();
    let mut expected = own.clone();
    expected.sort();
    assert_eq!(ids, expected, "the download is not exactly the caller's enabled cases");
    assert!(!ids.contains(&foreign), "another agency's case was sent");
    let scope: Vec<String> = last["scope"]["ids"]
        .as_array()
        .expect("a first sync gets the scope")
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    assert!(!scope.contains(&foreign), "the scope list names another agency's case");
    assert!(!scope.contains(&disabled), "the scope list names a disabled case");
    assert_eq!(last["scope"]["digest"], digest(&scope), "the scope digest is not the documented hash");

    // With the right digest and cursor, nothing more is sent.
    let quiet = sync(
        &app,
        &alpha,
        json!({"device_id": device, "cursor": last["cursor"], "scope_digest": digest(&scope),
                                           "config_version": last["configuration"]["version"]}),
    )
    .await;
    assert_eq!(quiet["records"], json!([]), "an unchanged caseload was sent again");
    assert!(quiet.get("scope").is_none_or(Value::is_null), "a matching digest got the scope list");
    assert_eq!(quiet["configuration"], Value::Null, "a current configuration was sent again");
    assert_eq!(quiet["remaining"], 0);

    // Asking for the foreign case by id returns nothing.
    let (status, fetched) =
        send(alpha.post(app.api("/sync/records")).json(&json!({"ids": [foreign, own[0]]}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record_ids(&fetched), vec![own[0].clone()], "records by id left the scope");
}

async fn write_after_access_lost_is_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "bn").await;
    let other = app.create_user("cw.other", "caseworker", AGENCY_A, "en").await;
    app.create_user("sup.a", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("team", AGENCY_A).await.expect("group");
    for user in [rina.id, other.id] {
        app.state.store.add_group_member(group, user).await.expect("member");
    }
    let sup_user = app.state.store.user_by_username("sup.a").await.expect("read").expect("exists");
    app.state.store.add_group_member(group, sup_user.id).await.expect("member");
    let rina_client = app.login("cw.rina", PASSWORD).await;
    let supervisor = app.login("sup.a", PASSWORD).await;
    let case = app.create_case(&rina_client, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4().to_string();
    let (first, _) = full_download(&app, &rina_client, &device).await;

    // While Rina is offline, the supervisor gives the case to another caseworker.
    let (status, body) = send(
        supervisor.post(app.api(&format!("/cases/{case}/reassign"))).json(&json!({"owner_id": other.id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "reassigning failed: {body}");

    let queued = update(1, &case, 1, json!([{"path": "risk_level", "value": "low"}]));
    let response = sync(
        &app,
        &rina_client,
        json!({"device_id": device, "cursor": first["cursor"], "mutations": [queued]}),
    )
    .await;
    let result = &response["results"][0];
    assert_eq!(result["status"], "rejected", "a write without access applied: {result}");
    assert_eq!(result["error"]["code"], "record_unavailable");
    let message = result["error"]["message"].as_str().expect("a message");
    assert!(message.contains("সংরক্ষণ করা হয়নি"), "the message is not in the user's language: {message}");
    let (_, current) = send(supervisor.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["risk_level"], "high", "the rejected change reached the case");

    // A missing case gets the very same answer.
    let missing = update(2, &Uuid::new_v4().to_string(), 1, json!([{"path": "risk_level", "value": "low"}]));
    let response = sync(&app, &rina_client, json!({"device_id": device, "mutations": [missing]})).await;
    assert_eq!(response["results"][0]["error"], result["error"], "missing and out of scope differ");
}

async fn disabled_user_mutations_are_held(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    let sup = app.create_user("sup.a", "supervisor", AGENCY_A, "en").await;
    app.create_user("sup.b", "supervisor", AGENCY_B, "en").await;
    let group = app.state.store.create_group("team", AGENCY_A).await.expect("group");
    for user in [rina.id, sup.id] {
        app.state.store.add_group_member(group, user).await.expect("member");
    }
    let rina_client = app.login("cw.rina", PASSWORD).await;
    let admin = app.login("admin.a", PASSWORD).await;
    let supervisor = app.login("sup.a", PASSWORD).await;
    let outsider = app.login("sup.b", PASSWORD).await;
    let case = app.create_case(&rina_client, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4().to_string();
    sync(&app, &rina_client, json!({"device_id": device})).await;

    let (status, body) = send(admin.post(app.api(&format!("/users/{}/disable", rina.id)))).await;
    assert_eq!(status, StatusCode::OK, "disabling failed: {body}");
    let held = vec![
        update(1, &case, 1, json!([{"path": "risk_level", "value": "low"}])),
        update(2, &case, 2, json!([{"path": "name_last", "value": "Begum"}])),
    ];
    let (status, body) =
        send(rina_client.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": held}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user synced: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");
    assert!(
        body["error"]["message"].as_str().unwrap_or_default().contains('2'),
        "the count kept is not shown: {body}"
    );
    let (status, body) = send(rina_client.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the disabled user's session still works: {body}");
    let (_, current) = send(supervisor.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["risk_level"], "high", "a held mutation was applied");

    let (status, listed) = send(outsider.get(app.api("/sync/quarantine"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed, json!([]), "a supervisor of another agency sees the held mutations");
    let (status, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    assert_eq!(status, StatusCode::OK, "listing held mutations failed: {listed}");
    let items = listed.as_array().expect("a list");
    assert_eq!(items.len(), 2, "the supervisor does not see both held mutations: {listed}");
    assert!(
        items[0]["full_name"].as_str().is_some_and(|name| name.starts_with("Test user ")),
        "a held mutation does not name its sender: {listed}"
    );
    let first = items[0]["id"].as_str().expect("an id").to_owned();
    let second = items[1]["id"].as_str().expect("an id").to_owned();

    let (status, applied) = send(supervisor.post(app.api(&format!("/sync/quarantine/{first}/apply")))).await;
    assert_eq!(status, StatusCode::OK, "applying failed: {applied}");
    assert_eq!(applied["status"], "applied");
    let (_, current) = send(supervisor.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["risk_level"], "low", "the applied mutation is not on the case");
    let (status, body) = send(supervisor.post(app.api(&format!("/sync/quarantine/{first}/apply")))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a mutation applied twice: {body}");

    let discard = app.api(&format!("/sync/quarantine/{second}/discard"));
    let (status, body) = send(supervisor.post(&discard).json(&json!({"reason": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a discard without a reason passed: {body}");
    let (status, discarded) =
        send(supervisor.post(&discard).json(&json!({"reason": "Recorded twice"}))).await;
    assert_eq!(status, StatusCode::OK, "discarding failed: {discarded}");
    assert_eq!(discarded["status"], "discarded");
    let (_, current) = send(supervisor.get(app.api(&format!("/cases/{case}")))).await;
    assert_ne!(current["data"]["name_last"], "Begum", "a discarded mutation was applied");
    let (_, listed) = send(supervisor.get(app.api("/sync/quarantine"))).await;
    assert_eq!(listed, json!([]), "reviewed mutations are still listed as held");
}

async fn reassigned_case_leaves_former_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let other = app.create_user("cw.other", "caseworker", AGENCY_A, "en").await;
    let foreign = app.create_user("cw.foreign", "caseworker", AGENCY_B, "en").await;
    let sup = app.create_user("sup.a", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("team", AGENCY_A).await.expect("group");
    for user in [rina.id, other.id, sup.id] {
        app.state.store.add_group_member(group, user).await.expect("member");
    }
    let rina_client = app.login("cw.rina", PASSWORD).await;
    let other_client = app.login("cw.other", PASSWORD).await;
    let supervisor = app.login("sup.a", PASSWORD).await;
    let moved = app.create_case(&rina_client, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let kept = app.create_case(&rina_client, child("Sumi")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4().to_string();
    let (first, ids) = full_download(&app, &rina_client, &device).await;
    assert_eq!(ids.len(), 2);

    let reassign = app.api(&format!("/cases/{moved}/reassign"));
    let (status, body) = send(supervisor.post(&reassign).json(&json!({"owner_id": foreign.id}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a case went to another agency: {body}");
    let (status, body) = send(rina_client.post(&reassign).json(&json!({"owner_id": other.id}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker reassigned a case: {body}");
    let (status, body) = send(supervisor.post(&reassign).json(&json!({"owner_id": rina.id}))).await;
    assert_eq!(status, StatusCode::OK, "reassigning a case to its owner failed: {body}");
    assert_eq!(body["owner_id"], rina.id.to_string());
    assert_eq!(body["version"], 1, "reassigning a case to its owner wrote a version");
    let case_id = sathi_domain::ids::CaseId(Uuid::parse_str(&moved).expect("case ids are UUIDs"));
    let entries =
        app.state.store.audit_entries(Some(case_id), 1000).await.expect("failed to read the audit log");
    let outcomes: Vec<&str> = entries
        .iter()
        .filter(|entry| entry.action == "case.reassign")
        .map(|entry| entry.outcome.as_str())
        .collect();
    assert_eq!(outcomes, ["unchanged"], "reassigning a case to its owner is not audited as unchanged");
    let unchanged = sync(&app, &rina_client, json!({"device_id": device, "cursor": first["cursor"]})).await;
    assert_eq!(
        record_ids(&unchanged),
        Vec::<String>::new(),
        "reassigning to the owner took a new global order"
    );

    let (status, body) = send(supervisor.post(&reassign).json(&json!({"owner_id": other.id}))).await;
    assert_eq!(status, StatusCode::OK, "reassigning failed: {body}");
    assert_eq!(body["owner_id"], other.id.to_string());
    assert_eq!(body["version"], 2, "reassigning is not a new version");

    let mut held = vec![moved.clone(), kept.clone()];
    held.sort();
    let next = sync(
        &app,
        &rina_client,
        json!({"device_id": device, "cursor": first["cursor"], "scope_digest": digest(&held)}),
    )
    .await;
    let scope: Vec<&str> = next["scope"]["ids"]
        .as_array()
        .expect("the scope changed")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(scope, vec![kept.as_str()], "the transferred case is still in the former owner's scope");
    assert!(!record_ids(&next).contains(&moved), "the transferred case was sent to the former owner");
    let (_, theirs) = full_download(&app, &other_client, &Uuid::new_v4().to_string()).await;
    assert_eq!(theirs, vec![moved.clone()], "the new owner did not receive the case");
    let (_, changes) = send(supervisor.get(app.api(&format!("/cases/{moved}/changes")))).await;
    assert!(
        changes.as_array().expect("a list").iter().any(|entry| entry["path"] == "owner"),
        "no owner change logged"
    );
}

async fn responses_compress_and_gzip_bodies_decompress(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let token = app.login_token("cw.rina", PASSWORD).await;
    let raw = Client::builder().no_gzip().no_zstd().no_brotli().no_deflate().build().expect("client");
    let body = json!({"device_id": Uuid::new_v4(), "mutations": [create(1, &Uuid::new_v4().to_string(), with(child("Amina"), json!({})))]});

    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body.to_string().as_bytes()).expect("gzip");
    let gzipped = encoder.finish().expect("gzip");
    // A browser offers zstd as well; the server answers with gzip.
    for accepted in ["gzip", "zstd, gzip, br"] {
        let response = raw
            .post(app.api("/sync"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .header("accept-encoding", accepted)
            .body(gzipped.clone())
            .send()
            .await
            .expect("the request reached the server");
        assert_eq!(response.status(), StatusCode::OK, "a gzipped request failed");
        assert_eq!(
            response.headers().get("content-encoding").and_then(|value| value.to_str().ok()),
            Some("gzip"),
            "the response to accept-encoding {accepted} is not gzipped"
        );
    }
}

/// A cursor past the server's global order (a database restored from an older backup, or a
/// forged cursor) makes the device start over: every case again and the scope list.
async fn cursor_ahead_of_clock_starts_over(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let mut cases = Vec::new();
    for name in ["Amina", "Nur"] {
        cases.push(app.create_case(&rina, child(name)).await["id"].as_str().expect("an id").to_owned());
    }
    let device = Uuid::new_v4().to_string();
    let first = sync(&app, &rina, json!({"device_id": device})).await;
    let cursor = first["cursor"].as_str().expect("a cursor").to_owned();
    let mut parts = cursor.split('.');
    let (version, position, fingerprint) = (
        parts.next().expect("a version"),
        parts.next().expect("a position"),
        parts.next().expect("a fingerprint"),
    );
    let position: i64 = position.parse().expect("the position is a number");

    // The cursor the device holds is still valid: nothing new.
    let current =
        sync(&app, &rina, json!({"device_id": device, "cursor": cursor, "scope_digest": digest(&cases)}))
            .await;
    assert_eq!(record_ids(&current), Vec::<String>::new(), "a current cursor got cases again");

    // After a restore the device may hold a case the server no longer has.
    let mut held = cases.clone();
    held.push(Uuid::new_v4().to_string());
    let ahead = format!("{version}.{}.{fingerprint}", position + 1000);
    let answer =
        sync(&app, &rina, json!({"device_id": device, "cursor": ahead, "scope_digest": digest(&held)})).await;
    let mut sent = record_ids(&answer);
    sent.sort();
    let mut expected = cases.clone();
    expected.sort();
    assert_eq!(sent, expected, "a cursor ahead of the clock did not get every case again");
    assert_eq!(answer["cursor"], first["cursor"], "the new cursor is not the server's position");
    let mut scope: Vec<String> = answer["scope"]["ids"]
        .as_array()
        .unwrap_or_else(|| panic!("a restart did not send the scope list: {answer}"))
        .iter()
        .map(|id| id.as_str().expect("an id").to_owned())
        .collect();
    scope.sort();
    assert_eq!(scope, expected, "the scope list is not the cases the user may see");
}
