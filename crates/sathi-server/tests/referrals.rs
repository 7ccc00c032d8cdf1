//! Referrals: the consent rule, one pending referral per agency and service, idempotent
//! creation, the forms a recipient sees and writes, notifications, and the end of access when a
//! referral closes.
//!
//! Sadia is a caseworker of agency `bcri` and owns the case; Nabil and Priya are service
//! providers of agency `lli`; Karim supervises Sadia's group.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::{CaseId, UserId};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(recipient_sees_only_shared_forms);
backend_tests!(consent_missing_and_override);
backend_tests!(referral_idempotent_and_one_pending);
backend_tests!(closed_referral_ends_recipient_access);
backend_tests!(recipient_resolves_shared_forms_only);
backend_tests!(inserted_referral_row_is_complete);

const SHARED: [&str; 4] = ["basic_identity", "protection_concerns", "consent", "services"];

struct Setting {
    app: TestApp,
    sadia: Client,
    nabil: Client,
    priya: Client,
    karim: Client,
    sadia_id: UserId,
    nabil_id: UserId,
    priya_id: UserId,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    let sadia = app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    let karim = app.create_user("sup.karim", "supervisor", AGENCY_B, "en").await;
    let nabil = app.create_user("sp.nabil", "service_provider", AGENCY_A, "bn").await;
    let priya = app.create_user("sp.priya", "service_provider", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team", AGENCY_B).await.expect("failed to create a group");
    for member in [sadia.id, karim.id] {
        app.state.store.add_group_member(team, member).await.expect("failed to add a group member");
    }
    Setting {
        sadia: app.login("cw.sadia", PASSWORD).await,
        nabil: app.login("sp.nabil", PASSWORD).await,
        priya: app.login("sp.priya", PASSWORD).await,
        karim: app.login("sup.karim", PASSWORD).await,
        sadia_id: sadia.id,
        nabil_id: nabil.id,
        priya_id: priya.id,
        app,
    }
}

/// Creates Sadia's case, with consent to share when `consent` is true, and returns its id.
async fn case_of_sadia(setting: &Setting, consent: bool) -> String {
    let data = with(
        child("Nurjahan"),
        json!({"consent_for_sharing": consent, "family_details_notes": "Mother lives in camp 4"}),
    );
    let case = setting.app.create_case(&setting.sadia, data).await;
    case["id"].as_str().expect("a created case has an id").to_owned()
}

async fn refer(setting: &Setting, client: &Client, case_id: &str, body: Value) -> (StatusCode, Value) {
    send(client.post(setting.app.api(&format!("/cases/{case_id}/referrals"))).json(&body)).await
}

fn psychosocial(extra: Value) -> Value {
    with(
        json!({"to_agency_id": AGENCY_A, "service_type": "psychosocial_support", "shared_forms": SHARED}),
        extra,
    )
}

async fn step(
    setting: &Setting,
    client: &Client,
    id: &str,
    action: &str,
    body: Value,
) -> (StatusCode, Value) {
    send(client.post(setting.app.api(&format!("/referrals/{id}/{action}"))).json(&body)).await
}

/// Returns the kinds of `user`'s notifications about `subject`.
async fn notification_kinds(app: &TestApp, user: UserId, subject: &str) -> Vec<String> {
    let (_, items) = app.state.store.notifications(user, 100).await.expect("failed to read notifications");
    items
        .into_iter()
        .filter(|item| item.subject_id.map(|id| id.to_string()).as_deref() == Some(subject))
        .map(|item| item.kind)
        .collect()
}

async fn sync_scope(app: &TestApp, client: &Client) -> Value {
    let body = json!({"device_id": Uuid::new_v4(), "mutations": []});
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn scope_has(response: &Value, case_id: &str) -> bool {
    response["scope"]["ids"].as_array().expect("a first sync sends the scope").iter().any(|id| id == case_id)
}

/// A referral to an agency gives its receivers the shared forms only, for reading and writing,
/// and each decision notifies the other side.
async fn recipient_sees_only_shared_forms(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, true).await;

    let (status, referral) = refer(&setting, &setting.sadia, &case_id, psychosocial(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    assert_eq!(referral["status"], "pending");
    assert_eq!(referral["consent_basis"], "given");
    assert_eq!(referral["to_user"], Value::Null, "an agency referral names a user");
    let id = referral["id"].as_str().expect("a referral has an id").to_owned();
    for receiver in [setting.nabil_id, setting.priya_id] {
        assert_eq!(
            notification_kinds(app, receiver, &id).await,
            ["referral_received"],
            "a receiver was not told"
        );
    }

    // Both receivers reach the pending referral's case, with the shared forms only.
    for client in [&setting.nabil, &setting.priya] {
        let (status, case) = send(client.get(app.api(&format!("/cases/{case_id}")))).await;
        assert_eq!(status, StatusCode::OK, "a receiver cannot read the referred case: {case}");
        assert_eq!(case["data"]["name_first"], "Nurjahan", "the identity form is not shared");
        assert_eq!(case["data"]["family_details_notes"], Value::Null, "an unshared form is visible");
        let listed = app.list_ids(client, &[]).await;
        assert_eq!(listed, std::slice::from_ref(&case_id), "a receiver's list misses the referred case");
    }
    let (_, incoming) = send(setting.priya.get(app.api("/referrals")).query(&[("box", "incoming")])).await;
    assert_eq!(incoming[0]["id"], id.as_str(), "the referral is not in Priya's incoming list");
    assert_eq!(incoming[0]["can"], json!(["accept", "reject"]), "a receiver's actions are wrong");
    assert_eq!(incoming[0]["child_name"], "Nurjahan", "the incoming list lacks the child's name");

    let (status, accepted) =
        step(&setting, &setting.nabil, &id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {accepted}");
    assert_eq!(accepted["to_user"]["id"], setting.nabil_id.to_string());
    assert_eq!(notification_kinds(app, setting.sadia_id, &id).await, ["referral_accepted"]);
    let (status, _) = send(setting.priya.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Priya still reads the case Nabil accepted");

    // Nabil records the service; the family details form is not his to write.
    let row = Uuid::new_v4();
    let service = json!({"changes": [{"path": format!("services_provided/{row}"),
        "value": {"unique_id": row, "service_type": "psychosocial_support", "implemented": true}}]});
    let (status, body) =
        send(setting.nabil.patch(app.api(&format!("/cases/{case_id}"))).json(&service)).await;
    assert_eq!(status, StatusCode::OK, "the recipient cannot record a service: {body}");
    assert_eq!(
        body["data"]["family_details_notes"],
        Value::Null,
        "the write's response shows an unshared form"
    );
    let family = json!({"changes": [{"path": "family_details_notes", "value": "changed by the provider"}]});
    let (status, body) = send(setting.nabil.patch(app.api(&format!("/cases/{case_id}"))).json(&family)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the recipient wrote an unshared form: {body}");
    assert_eq!(body["error"]["fields"][0]["code"], "form_not_writable", "the rejection names another cause");
    let (_, owners_view) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(
        owners_view["data"]["family_details_notes"], "Mother lives in camp 4",
        "the unshared form changed"
    );

    // The sync download is limited the same way.
    let response = sync_scope(app, &setting.nabil).await;
    let record = response["records"]
        .as_array()
        .expect("records is an array")
        .iter()
        .find(|record| record["id"] == case_id.as_str())
        .expect("the referred case is in Nabil's download")
        .clone();
    assert_eq!(record["data"]["name_first"], "Nurjahan");
    assert_eq!(record["data"]["family_details_notes"], Value::Null, "the download holds an unshared form");

    let (status, done) =
        step(&setting, &setting.nabil, &id, "done", json!({"expected_version": 2, "note": "6 sessions"}))
            .await;
    assert_eq!(status, StatusCode::OK, "marking the referral done failed: {done}");
    assert_eq!(done["status"], "done");
    assert_eq!(done["version"], 3);
    assert_eq!(notification_kinds(app, setting.sadia_id, &id).await, ["referral_done", "referral_accepted"]);
}

/// Outside the owner's agency a referral needs recorded consent, or a supervisor's override
/// with a reason that is kept out of the audit log.
async fn consent_missing_and_override(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, false).await;
    let reason = "Immediate danger at home; caregiver unreachable";

    let (status, body) = refer(&setting, &setting.sadia, &case_id, psychosocial(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a referral without consent was accepted: {body}");
    assert_eq!(body["error"]["code"], "consent_missing");
    // A caseworker has no override grant, so her reason does not help.
    let (status, body) =
        refer(&setting, &setting.sadia, &case_id, psychosocial(json!({"consent_override_reason": reason})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a caseworker overrode consent: {body}");
    assert_eq!(body["error"]["code"], "consent_missing");
    // An override without a reason is no override.
    let (status, body) =
        refer(&setting, &setting.karim, &case_id, psychosocial(json!({"consent_override_reason": "  "})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an override without a reason passed: {body}");

    let (status, referral) =
        refer(&setting, &setting.karim, &case_id, psychosocial(json!({"consent_override_reason": reason})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "the supervisor's override failed: {referral}");
    assert_eq!(referral["consent_basis"], "override");
    let id = referral["id"].as_str().expect("a referral has an id");

    let case = CaseId(case_id.parse().expect("case ids are UUIDs"));
    let entries = app.state.store.audit_entries(Some(case), 100).await.expect("failed to read the audit log");
    let overrides: Vec<&Value> = entries
        .iter()
        .filter(|entry| entry.action == "referral.consent_override")
        .map(|entry| &entry.detail)
        .collect();
    assert_eq!(overrides, [&json!({"referral_id": id})], "the override's audit line is not ids only");
    for entry in &entries {
        assert!(
            !entry.detail.to_string().contains("caregiver"),
            "the audit log holds the reason: {:?}",
            entry.detail
        );
    }

    // Inside the owner's agency no consent is needed. The agency needs someone who receives it.
    setting.app.create_user("sp.rumana", "service_provider", AGENCY_B, "en").await;
    let internal =
        json!({"to_agency_id": AGENCY_B, "service_type": "health", "shared_forms": ["basic_identity"]});
    let (status, referral) = refer(&setting, &setting.sadia, &case_id, internal).await;
    assert_eq!(status, StatusCode::CREATED, "an internal referral failed: {referral}");
    assert_eq!(referral["consent_basis"], "internal");
}

/// A retried create returns the first referral. A second pending referral to the same agency
/// for the same service is rejected with the first one's id. A rejection needs a reason.
async fn referral_idempotent_and_one_pending(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, true).await;
    let first_id = Uuid::now_v7().to_string();

    let (status, first) =
        refer(&setting, &setting.sadia, &case_id, psychosocial(json!({"id": first_id}))).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {first}");
    let (status, again) =
        refer(&setting, &setting.sadia, &case_id, psychosocial(json!({"id": first_id}))).await;
    assert_eq!(status, StatusCode::OK, "a retried create did not return the referral: {again}");
    assert_eq!(again["id"], first_id.as_str());
    let (_, list) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}/referrals")))).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "a retried create made a second referral: {list}");

    let (status, body) = refer(&setting, &setting.sadia, &case_id, psychosocial(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a second pending referral was accepted: {body}");
    assert_eq!(body["error"]["code"], "referral_pending");
    assert_eq!(body["error"]["existing_id"], first_id.as_str());
    let message = body["error"]["message"].as_str().expect("the error has a message");
    assert!(message.contains(&first_id), "the message does not name the pending referral: {message}");
    // Another service for the same agency is a different referral.
    let (status, body) =
        refer(&setting, &setting.sadia, &case_id, psychosocial(json!({"service_type": "education"}))).await;
    assert_eq!(status, StatusCode::CREATED, "a referral for another service was rejected: {body}");

    let (status, body) =
        step(&setting, &setting.priya, &first_id, "reject", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a rejection without a reason passed: {body}");
    let rejection = json!({"expected_version": 1, "reason": "No psychosocial staff this month"});
    let (status, rejected) = step(&setting, &setting.priya, &first_id, "reject", rejection).await;
    assert_eq!(status, StatusCode::OK, "the rejection failed: {rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reason"], "No psychosocial staff this month");
    assert_eq!(notification_kinds(app, setting.sadia_id, &first_id).await, ["referral_rejected"]);

    // With R-1 rejected, a new referral to the agency for the service is allowed again.
    let (status, body) = refer(&setting, &setting.sadia, &case_id, psychosocial(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "a referral after the rejection failed: {body}");
}

/// Revoking a pending referral or ending an accepted one ends the recipient's access at once,
/// and the recipient's next sync no longer lists the case.
async fn closed_referral_ends_recipient_access(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, true).await;
    let to_nabil = psychosocial(json!({"to_user_id": setting.nabil_id}));
    let missing = app.api(&format!("/cases/{}", Uuid::now_v7()));
    let (_, missing_body) = send(setting.nabil.get(missing)).await;

    for (round, closing) in [(1, "revoke"), (2, "end")] {
        let (status, referral) = refer(&setting, &setting.sadia, &case_id, to_nabil.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "round {round}: the referral was not created: {referral}");
        let id = referral["id"].as_str().expect("a referral has an id").to_owned();
        assert_eq!(
            notification_kinds(app, setting.priya_id, &id).await,
            Vec::<String>::new(),
            "Priya was told"
        );
        let mut version = 1;
        if closing == "end" {
            let (status, body) =
                step(&setting, &setting.nabil, &id, "accept", json!({"expected_version": 1})).await;
            assert_eq!(status, StatusCode::OK, "round {round}: the accept failed: {body}");
            version = 2;
        }
        assert!(
            scope_has(&sync_scope(app, &setting.nabil).await, &case_id),
            "round {round}: not in Nabil's scope"
        );

        let (status, body) =
            step(&setting, &setting.sadia, &id, closing, json!({"expected_version": version})).await;
        assert_eq!(status, StatusCode::OK, "round {round}: {closing} failed: {body}");
        let kind = if closing == "end" { "referral_ended" } else { "referral_revoked" };
        assert!(
            notification_kinds(app, setting.nabil_id, &id).await.contains(&kind.to_owned()),
            "round {round}"
        );

        let (status, body) = send(setting.nabil.get(app.api(&format!("/cases/{case_id}")))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "round {round}: Nabil still reads the case: {body}");
        assert_eq!(body, missing_body, "round {round}: the answer differs from a missing case");
        let response = sync_scope(app, &setting.nabil).await;
        assert!(!scope_has(&response, &case_id), "round {round}: the case stays in Nabil's sync scope");
        assert!(
            response["records"]
                .as_array()
                .is_some_and(|records| records.iter().all(|r| r["id"] != case_id.as_str())),
            "round {round}: the case is still downloaded"
        );
    }
}

/// Nabil's role writes case notes, but Sadia's referral does not share them. A conflict on a
/// note is neither listed to him nor resolvable by him, as `PATCH` would refuse the note too.
async fn recipient_resolves_shared_forms_only(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, true).await;
    let body = psychosocial(json!({"to_user_id": setting.nabil_id}));
    let (status, referral) = refer(&setting, &setting.sadia, &case_id, body).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    let id = referral["id"].as_str().expect("a referral has an id").to_owned();
    let (status, body) = step(&setting, &setting.nabil, &id, "accept", json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {body}");

    let row = Uuid::new_v4();
    let note = json!({"changes": [{"path": format!("case_notes/{row}"), "value": {"unique_id": row,
        "date": "2024-05-10T10:00:00+06:00", "subject": "Home visit", "text": "Met the mother"}}]});
    let (status, noted) = send(setting.sadia.patch(app.api(&format!("/cases/{case_id}"))).json(&note)).await;
    assert_eq!(status, StatusCode::OK, "the note was not saved: {noted}");
    let base = noted["version"].as_i64().expect("a case has a version");
    let path = format!("case_notes/{row}/text");
    for (value, time) in [("Met the mother and aunt", "T10"), ("Met the mother alone", "T11")] {
        let mutation = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case_id, "kind": "update",
            "base_version": base, "changes": [{"path": path, "value": value}],
            "device_time": format!("2024-05-10{time}:00:00+06:00")});
        let request = json!({"device_id": Uuid::new_v4(), "mutations": [mutation]});
        let (status, response) = send(setting.sadia.post(app.api("/sync")).json(&request)).await;
        assert_eq!(status, StatusCode::OK, "Sadia's sync failed: {response}");
    }
    let (_, case) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}")))).await;
    let conflict_id =
        case["conflicts"][0]["id"].as_str().expect("the two devices' notes conflict").to_owned();

    let (status, listed) = send(setting.nabil.get(app.api("/conflicts"))).await;
    assert_eq!(status, StatusCode::OK, "Nabil cannot list conflicts: {listed}");
    assert_eq!(listed, json!([]), "Nabil sees a conflict on a form not shared with him");
    let resolve = app.api(&format!("/cases/{case_id}/conflicts/{conflict_id}/resolve"));
    let (status, body) =
        send(setting.nabil.post(&resolve).json(&json!({"value": "Written by the provider"}))).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Nabil resolved a conflict on an unshared form: {body}"
    );
    assert_eq!(body["error"]["fields"][0]["code"], "form_not_writable");

    let (_, case) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(case["conflicts"][0]["id"], conflict_id.as_str(), "the conflict did not stay open");
    let (status, resolved) =
        send(setting.sadia.post(&resolve).json(&json!({"value": "Met the mother alone"}))).await;
    assert_eq!(status, StatusCode::OK, "the owner could not resolve the conflict: {resolved}");
    assert_eq!(resolved["conflicts"], json!([]));
}

/// A referral row written directly, as the demo generator does, has its sender's agency,
/// consent basis and the version of its status, like one made over the API.
async fn inserted_referral_row_is_complete(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, true).await;
    let row = sathi_store::NewReferral {
        id: sathi_domain::ids::ReferralId(Uuid::now_v7()),
        case_id: CaseId(case_id.parse().expect("case ids are UUIDs")),
        from_user_id: setting.sadia_id,
        to_user_id: setting.nabil_id,
        to_agency_id: AGENCY_A.to_owned(),
        service_type: "psychosocial_support".to_owned(),
        status: "accepted".to_owned(),
        shared_forms: SHARED.map(str::to_owned).to_vec(),
        now: time::OffsetDateTime::now_utc(),
    };
    app.state.store.insert_referral_row(&row, AGENCY_B, "given").await.expect("failed to insert a referral");

    let (status, referrals) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}/referrals")))).await;
    assert_eq!(status, StatusCode::OK, "{referrals}");
    let referral = &referrals[0];
    assert_eq!(referral["from_agency_id"], AGENCY_B, "the sender's agency is not filled");
    assert_eq!(referral["consent_basis"], "given");
    assert_eq!(referral["status"], "accepted");
    assert_eq!(referral["version"], 2, "an accepted referral is not at version 2");
    assert_eq!(referral["to_user"]["id"], setting.nabil_id.to_string());
    let (status, _) = send(setting.nabil.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::OK, "the accepted referral does not give its recipient access");
}
