//! Transfers: one pending transfer per case, consent, ownership after an accept, transfer
//! requests and their consent across agencies, and the former owner's late writes over REST and
//! sync, which keeps them aside for a supervisor.
//!
//! Sadia is a caseworker of agency `bcri` and owns the case; Nabil is a caseworker and Priya a
//! service provider of agency `lli`; Rafi is another caseworker of `bcri`.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::CaseId;
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(second_transfer_names_pending_one);
backend_tests!(former_owner_write_after_transfer);
backend_tests!(transfer_request_accepted_by_owner);
backend_tests!(former_owner_sync_edit_kept_aside);
backend_tests!(request_across_agencies_needs_consent);
backend_tests!(accept_ends_referrals_to_new_owner);

struct Setting {
    app: TestApp,
    sadia: Client,
    nabil: Client,
    rafi: Client,
    nabil_id: String,
    rafi_id: String,
    priya_id: String,
    case_id: String,
}

async fn setting(backend: Backend, consent: bool) -> Setting {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    let rafi = app.create_user("cw.rafi", "caseworker", AGENCY_B, "en").await;
    // Transfers to an agency go to users whose role transfers cases, so Nabil is a caseworker.
    let nabil = app.create_user("cw.nabil", "caseworker", AGENCY_A, "bn").await;
    let priya = app.create_user("sp.priya", "service_provider", AGENCY_A, "en").await;
    let sadia = app.login("cw.sadia", PASSWORD).await;
    let data = with(child("Nurjahan"), json!({"consent_for_sharing": consent, "name_middle": "Begum"}));
    let case = app.create_case(&sadia, data).await;
    Setting {
        nabil: app.login("cw.nabil", PASSWORD).await,
        rafi: app.login("cw.rafi", PASSWORD).await,
        sadia,
        nabil_id: nabil.id.to_string(),
        rafi_id: rafi.id.to_string(),
        priya_id: priya.id.to_string(),
        case_id: case["id"].as_str().expect("a created case has an id").to_owned(),
        app,
    }
}

async fn transfer(setting: &Setting, body: Value) -> (StatusCode, Value) {
    let url = setting.app.api(&format!("/cases/{}/transfers", setting.case_id));
    send(setting.sadia.post(url).json(&body)).await
}

async fn step(
    setting: &Setting,
    client: &Client,
    id: &str,
    action: &str,
    body: Value,
) -> (StatusCode, Value) {
    send(client.post(setting.app.api(&format!("/transfers/{id}/{action}"))).json(&body)).await
}

/// T-1 is pending, so a transfer to the same or another agency is rejected naming
/// T-1. Without consent, a transfer outside the agency is rejected too.
async fn second_transfer_names_pending_one(backend: Backend) {
    let setting = setting(backend, true).await;
    let (status, first) = transfer(&setting, json!({"to_agency_id": AGENCY_A})).await;
    assert_eq!(status, StatusCode::CREATED, "T-1 was not created: {first}");
    assert_eq!(first["status"], "pending");
    assert_eq!(first["kind"], "transfer");
    let first_id = first["id"].as_str().expect("a transfer has an id");

    // A transfer to an agency needs someone there who may accept it.
    setting.app.create_user("cw.dola", "caseworker", "dcfwo", "en").await;
    for agency in [AGENCY_A, "dcfwo"] {
        let (status, body) = transfer(&setting, json!({"to_agency_id": agency})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "T-2 to {agency} was accepted: {body}");
        assert_eq!(body["error"]["code"], "transfer_pending");
        assert_eq!(body["error"]["existing_id"], first_id);
        let message = body["error"]["message"].as_str().expect("the error has a message");
        assert!(message.contains(first_id), "the message does not name T-1: {message}");
    }

    let (status, body) =
        step(&setting, &setting.sadia, first_id, "revoke", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "revoking T-1 failed: {body}");
    let setting = self::setting(backend, false).await;
    let (status, body) = transfer(&setting, json!({"to_agency_id": AGENCY_A})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a transfer without consent passed: {body}");
    assert_eq!(body["error"]["code"], "consent_missing");
    let (status, body) =
        transfer(&setting, json!({"to_agency_id": AGENCY_B, "to_user_id": setting.rafi_id})).await;
    assert_eq!(status, StatusCode::CREATED, "a transfer inside the agency needs no consent: {body}");
    assert_eq!(body["consent_basis"], "internal");
}

/// after Nabil accepts T-1, Sadia's stale tab and her offline queue both get
/// `not_owner_since`, and the queued edit is not applied.
async fn former_owner_write_after_transfer(backend: Backend) {
    let setting = setting(backend, true).await;
    let app = &setting.app;
    let device = Uuid::new_v4();
    let (status, first_sync) =
        send(setting.sadia.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": []}))).await;
    assert_eq!(status, StatusCode::OK, "Sadia's first sync failed: {first_sync}");

    let (status, t1) = transfer(&setting, json!({"to_agency_id": AGENCY_A})).await;
    assert_eq!(status, StatusCode::CREATED, "T-1 was not created: {t1}");
    let id = t1["id"].as_str().expect("a transfer has an id");
    let (status, accepted) =
        step(&setting, &setting.nabil, id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {accepted}");
    assert_eq!(
        accepted["previous_owner_id"], first_sync["records"][0]["owner_id"],
        "the former owner is not kept"
    );

    let (status, case) = send(setting.nabil.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(status, StatusCode::OK, "the new owner cannot read the case: {case}");
    assert_eq!(case["owner_id"], setting.nabil_id.as_str());
    let version = case["version"].as_i64().expect("a case has a version");

    // The stale tab.
    let follow_up = json!({"changes": [{"path": "name_middle", "value": "from a stale tab"}]});
    let (status, body) =
        send(setting.sadia.patch(app.api(&format!("/cases/{}", setting.case_id))).json(&follow_up)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the former owner's write was not refused: {body}");
    assert_eq!(body["error"]["code"], "not_owner_since");
    assert!(body["error"]["since"].as_str().is_some_and(|since| since.len() >= 20), "no time: {body}");

    // The offline queue.
    let queued = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": setting.case_id, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_middle", "value": "queued offline"}]});
    let (status, response) =
        send(setting.sadia.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": [queued]})))
            .await;
    assert_eq!(status, StatusCode::OK, "Sadia's sync failed: {response}");
    assert_eq!(response["results"][0]["status"], "rejected", "the queued edit was not rejected: {response}");
    assert_eq!(response["results"][0]["error"]["code"], "not_owner_since");
    let scope = response["scope"]["ids"].as_array().expect("the sync sends the scope");
    assert!(scope.iter().all(|case| case != setting.case_id.as_str()), "the case stays on Sadia's device");

    let (_, case) = send(setting.nabil.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(case["data"]["name_middle"], "Begum", "a former owner's write was applied");
    assert_eq!(case["version"], version, "a former owner's write made a version");
    let case = CaseId(setting.case_id.parse().expect("case ids are UUIDs"));
    let entries = app.state.store.audit_entries(Some(case), 100).await.expect("failed to read the audit log");
    assert_eq!(entries.iter().filter(|entry| entry.action == "transfer.accept").count(), 1);
}

/// Rafi asks Sadia for her case; her accept makes him the owner.
async fn transfer_request_accepted_by_owner(backend: Backend) {
    let setting = setting(backend, false).await;
    let app = &setting.app;
    // Rafi reads the case through an assignment, which the transfer clears.
    app.assign_case(
        setting.case_id.parse().expect("case ids are UUIDs"),
        setting.rafi_id.parse().expect("a uuid"),
    )
    .await;
    let url = app.api(&format!("/cases/{}/transfer-requests", setting.case_id));
    let (status, request) =
        send(setting.rafi.post(url.clone()).json(&json!({"note": "I visit the family"}))).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer request failed: {request}");
    assert_eq!(request["kind"], "request");
    let id = request["id"].as_str().expect("a transfer has an id");
    let (status, body) = send(setting.sadia.post(url).json(&json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the owner asked for her own case: {body}");

    let (_, incoming) = send(setting.sadia.get(app.api("/transfers")).query(&[("box", "incoming")])).await;
    assert_eq!(incoming[0]["id"], id, "the request is not in the owner's incoming list: {incoming}");
    assert_eq!(incoming[0]["can"], json!(["accept", "reject"]));
    let (status, body) = step(&setting, &setting.rafi, id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the requester accepted his own request: {body}");

    let (status, accepted) =
        step(&setting, &setting.sadia, id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "the owner's accept failed: {accepted}");
    let (status, case) = send(setting.rafi.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(status, StatusCode::OK, "the new owner cannot read the case: {case}");
    assert_eq!(case["owner_id"], setting.rafi_id.as_str());
    let (status, _) = send(setting.sadia.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the former owner still reads the case");
}

/// Makes Karim, a supervisor of agency `bcri`, and puts him in one group with Sadia.
async fn supervisor_of_sadia(app: &TestApp) -> Client {
    let sadia =
        app.state.store.user_by_username("cw.sadia").await.expect("users load").expect("Sadia exists");
    let karim = app.create_user("sup.karim", "supervisor", AGENCY_B, "en").await;
    let team = app.state.store.create_group("Team", AGENCY_B).await.expect("failed to create a group");
    for member in [sadia.id, karim.id] {
        app.state.store.add_group_member(team, member).await.expect("failed to add a group member");
    }
    app.login("sup.karim", PASSWORD).await
}

/// Sadia's phone, offline since before Nabil accepted T-1, sends a queued edit. It is not
/// applied but kept aside with the reason `not_owner_since`, and the result gives the time of
/// the transfer. Karim, Sadia's supervisor, finds it in his
/// review list; applying it is rejected without a change, and he discards it.
async fn former_owner_sync_edit_kept_aside(backend: Backend) {
    let setting = setting(backend, true).await;
    let app = &setting.app;
    let karim = supervisor_of_sadia(app).await;
    let device = Uuid::new_v4();
    let (status, first_sync) =
        send(setting.sadia.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": []}))).await;
    assert_eq!(status, StatusCode::OK, "Sadia's first sync failed: {first_sync}");
    let sadia_id = first_sync["records"][0]["owner_id"].clone();

    let (status, t1) = transfer(&setting, json!({"to_agency_id": AGENCY_A})).await;
    assert_eq!(status, StatusCode::CREATED, "T-1 was not created: {t1}");
    let id = t1["id"].as_str().expect("a transfer has an id");
    let (status, accepted) =
        step(&setting, &setting.nabil, id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {accepted}");
    let (_, before) = send(setting.nabil.get(app.api(&format!("/cases/{}", setting.case_id)))).await;

    let mutation_id = Uuid::new_v4();
    let queued = json!({"mutation_id": mutation_id, "seq": 1, "record_id": setting.case_id, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_middle", "value": "queued offline"}]});
    let request = json!({"device_id": device, "mutations": [queued]});
    let (status, response) = send(setting.sadia.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::OK, "Sadia's sync failed: {response}");
    let result = &response["results"][0];
    assert_eq!(result["status"], "rejected", "the queued edit was applied: {response}");
    assert_eq!(result["error"]["code"], "not_owner_since");
    assert!(result["error"]["since"].as_str().is_some_and(|since| since.len() >= 20), "no time: {result}");
    let message = result["error"]["message"].as_str().expect("the rejection has a message");
    assert!(message.contains("supervisor"), "the message does not say the edit was kept: {message}");
    let (_, replay) = send(setting.sadia.post(app.api("/sync")).json(&request)).await;
    assert_eq!(replay["results"][0], *result, "a resent mutation got another result");

    let (status, held) = send(karim.get(app.api("/sync/quarantine"))).await;
    assert_eq!(status, StatusCode::OK, "Karim cannot list the mutations kept aside: {held}");
    let items = held.as_array().expect("the quarantine is a list");
    assert_eq!(items.len(), 1, "the edit is not kept aside once: {held}");
    assert_eq!(items[0]["reason"], "not_owner_since");
    assert_eq!(items[0]["status"], "held");
    assert_eq!(items[0]["user_id"], sadia_id);
    assert_eq!(items[0]["mutation"]["mutation_id"], json!(mutation_id));
    let (_, others) = send(setting.nabil.get(app.api("/sync/quarantine"))).await;
    assert_eq!(others, json!([]), "the new owner sees Sadia's mutation kept aside");

    let quarantine_id = items[0]["id"].as_str().expect("a kept mutation has an id");
    let (status, applied) =
        send(karim.post(app.api(&format!("/sync/quarantine/{quarantine_id}/apply")))).await;
    assert_eq!(status, StatusCode::OK, "applying the kept edit failed: {applied}");
    assert_eq!(applied["status"], "held", "an edit to a case out of Karim's scope was applied: {applied}");
    assert_eq!(applied["result"]["error"]["code"], "record_unavailable");
    let (_, after) = send(setting.nabil.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(after["data"]["name_middle"], "Begum", "the former owner's edit was applied");
    assert_eq!(after["version"], before["version"], "the former owner's edit made a version");

    let discard = json!({"reason": "The case belongs to another agency now"});
    let url = app.api(&format!("/sync/quarantine/{quarantine_id}/discard"));
    let (status, discarded) = send(karim.post(url).json(&discard)).await;
    assert_eq!(status, StatusCode::OK, "discarding the kept edit failed: {discarded}");
    assert_eq!(discarded["status"], "discarded");
    assert_eq!(discarded["reason"], "not_owner_since");
    let (_, held) = send(karim.get(app.api("/sync/quarantine"))).await;
    assert_eq!(held, json!([]), "a discarded mutation is still listed");
}

/// Nabil of agency `lli` reads Sadia's case through a referral and asks for it. The case no
/// longer records consent to share, so Sadia's accept is refused with `consent_missing`, her
/// override reason too (she may not override consent), and Karim's accept with a reason moves
/// the case and is logged as a consent override.
async fn request_across_agencies_needs_consent(backend: Backend) {
    let setting = setting(backend, true).await;
    let app = &setting.app;
    let karim = supervisor_of_sadia(app).await;
    // An assignment lets Nabil read the case as a caseworker; a referral would make him a guest,
    // who may not ask for the case.
    let case_uuid = setting.case_id.parse().expect("case ids are UUIDs");
    app.assign_case(case_uuid, setting.nabil_id.parse().expect("user ids are UUIDs")).await;
    let withdraw = json!({"changes": [{"path": "consent_for_sharing", "value": false}]});
    let (status, body) =
        send(setting.sadia.patch(app.api(&format!("/cases/{}", setting.case_id))).json(&withdraw)).await;
    assert_eq!(status, StatusCode::OK, "the consent could not be withdrawn: {body}");

    let url = app.api(&format!("/cases/{}/transfer-requests", setting.case_id));
    let (status, request) =
        send(setting.nabil.post(url).json(&json!({"note": "We run the safe space"}))).await;
    assert_eq!(status, StatusCode::CREATED, "Nabil's transfer request failed: {request}");
    assert_eq!(request["consent_basis"], "none", "a request without consent claims a basis");
    let id = request["id"].as_str().expect("a transfer has an id");

    let (status, body) = step(&setting, &setting.sadia, id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a request moved without consent: {body}");
    assert_eq!(body["error"]["code"], "consent_missing");
    let with_reason = json!({"expected_version": 1, "consent_override_reason": "The family moved to camp 9"});
    let (status, body) = step(&setting, &setting.sadia, id, "accept", with_reason.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a caseworker overrode consent: {body}");
    assert_eq!(body["error"]["code"], "consent_missing");
    let (_, case) = send(setting.sadia.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(case["owner_agency_id"], AGENCY_B, "a refused accept moved the case");

    let (status, accepted) = step(&setting, &karim, id, "accept", with_reason).await;
    assert_eq!(status, StatusCode::OK, "Karim's accept with an override failed: {accepted}");
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["consent_basis"], "override");
    let (status, case) = send(setting.nabil.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(status, StatusCode::OK, "the new owner cannot read the case: {case}");
    assert_eq!(case["owner_id"], setting.nabil_id.as_str());
    assert_eq!(case["owner_agency_id"], AGENCY_A);

    let case = CaseId(setting.case_id.parse().expect("case ids are UUIDs"));
    let entries = app.state.store.audit_entries(Some(case), 100).await.expect("failed to read the audit log");
    let overrides: Vec<_> =
        entries.iter().filter(|entry| entry.action == "transfer.consent_override").collect();
    assert_eq!(overrides.len(), 1, "the override is not logged once");
    assert_eq!(
        overrides[0].detail,
        json!({"transfer_id": id}),
        "the override's log entry holds more than ids"
    );
}

/// Gives `username` the role `role`, as an agency administrator would; the API has no request
/// for it, so this writes the `users` row directly.
async fn set_role(app: &TestApp, username: &str, role: &str) {
    use sqlx::Connection;
    match app.backend {
        Backend::Sqlite => {
            let mut connection =
                sqlx::SqliteConnection::connect(&app.database_url).await.expect("failed to connect");
            sqlx::query("UPDATE users SET role_id = ?1 WHERE username = ?2")
                .bind(role)
                .bind(username)
                .execute(&mut connection)
                .await
                .expect("failed to change the role");
        }
        Backend::Postgres => {
            let mut connection =
                sqlx::PgConnection::connect(&app.database_url).await.expect("failed to connect");
            sqlx::query("UPDATE users SET role_id = $1 WHERE username = $2")
                .bind(role)
                .bind(username)
                .execute(&mut connection)
                .await
                .expect("failed to change the role");
        }
    }
}

/// Accepting a transfer ends the open referrals of the case addressed to the new owner, one
/// accepted and one pending, and notifies their sender. A referral to someone else stays open.
/// Tania receives two referrals as a service provider, then becomes a caseworker and takes
/// the case by transfer.
async fn accept_ends_referrals_to_new_owner(backend: Backend) {
    let setting = setting(backend, true).await;
    let app = &setting.app;
    let tania_id = app.create_user("sp.tania", "service_provider", AGENCY_A, "en").await.id.to_string();
    let tania = app.login("sp.tania", PASSWORD).await;
    let refer = |to_user: &str, service: &str| {
        json!({"to_agency_id": AGENCY_A, "to_user_id": to_user, "service_type": service,
            "shared_forms": ["services"]})
    };
    let url = app.api(&format!("/cases/{}/referrals", setting.case_id));
    let mut ids = Vec::new();
    for body in [
        refer(&tania_id, "psychosocial_support"),
        refer(&tania_id, "education"),
        refer(&setting.priya_id, "health"),
    ] {
        let (status, referral) = send(setting.sadia.post(url.clone()).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "the referral failed: {referral}");
        ids.push(referral["id"].as_str().expect("a referral has an id").to_owned());
    }
    let accept = app.api(&format!("/referrals/{}/accept", ids[0]));
    let (status, body) = send(tania.post(accept).json(&json!({"expected_version": 1}))).await;
    assert_eq!(status, StatusCode::OK, "Tania's accept of the referral failed: {body}");

    set_role(app, "sp.tania", "caseworker").await;
    let tania = app.login("sp.tania", PASSWORD).await;
    let (status, created) =
        transfer(&setting, json!({"to_agency_id": AGENCY_A, "to_user_id": tania_id})).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer failed: {created}");
    let transfer_id = created["id"].as_str().expect("a transfer has an id");
    let (status, body) = step(&setting, &tania, transfer_id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Tania's accept of the transfer failed: {body}");

    let (status, list) = send(tania.get(app.api(&format!("/cases/{}/referrals", setting.case_id)))).await;
    assert_eq!(status, StatusCode::OK, "the new owner cannot list the referrals: {list}");
    let referrals = list.as_array().expect("the referrals are a list");
    let by_id =
        |id: &str| referrals.iter().find(|referral| referral["id"] == id).expect("the referral is listed");
    assert_eq!(by_id(&ids[0])["status"], "ended", "the accepted referral to the owner is open: {list}");
    assert_eq!(by_id(&ids[0])["version"], 3, "the ended referral has no new version: {list}");
    assert_eq!(by_id(&ids[1])["status"], "ended", "the pending referral to the owner is open: {list}");
    assert_eq!(by_id(&ids[1])["version"], 2, "the ended referral has no new version: {list}");
    assert_eq!(by_id(&ids[2])["status"], "pending", "the referral to Priya was ended: {list}");

    let (_, notes) = send(setting.sadia.get(app.api("/notifications"))).await;
    let ended = notes["items"]
        .as_array()
        .expect("notifications are a list")
        .iter()
        .filter(|note| note["kind"] == "referral_ended_by_transfer")
        .count();
    assert_eq!(ended, 2, "the sender was not notified of both ended referrals: {notes}");
}
