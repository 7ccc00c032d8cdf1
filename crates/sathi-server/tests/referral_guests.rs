//! A user who reaches a case only through a referral is its guest: they read and write the
//! referral's shared forms and take no action on the case itself. These tests follow a tester's
//! steps that once showed more, and the checks made when a referral or transfer is accepted or a
//! closure approved.
//!
//! Sadia is a caseworker of agency `bcri` and owns the cases, and Karim supervises her group. Nabil
//! is a service provider and Lina a caseworker of agency `lli`.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::{CaseId, UserId};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(guest_takes_no_case_actions);
backend_tests!(guest_lists_hide_unshared_values);
backend_tests!(accept_rechecks_consent_and_closure);
backend_tests!(closure_approval_rechecks_case);
backend_tests!(agency_transfer_needs_transfer_grant);
backend_tests!(retry_with_other_body_is_id_reused);
backend_tests!(referral_needs_a_receiver);
backend_tests!(done_keeps_sender_note);
backend_tests!(notes_are_cleaned_and_limited);

struct Setting {
    app: TestApp,
    sadia: Client,
    karim: Client,
    nabil: Client,
    lina: Client,
    sadia_id: UserId,
    nabil_id: UserId,
    lina_id: UserId,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    let sadia = app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    let karim = app.create_user("sup.karim", "supervisor", AGENCY_B, "bn").await;
    let nabil = app.create_user("sp.nabil", "service_provider", AGENCY_A, "en").await;
    let lina = app.create_user("cw.lina", "caseworker", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team", AGENCY_B).await.expect("failed to create a group");
    for member in [sadia.id, karim.id] {
        app.state.store.add_group_member(team, member).await.expect("failed to add a group member");
    }
    Setting {
        sadia: app.login("cw.sadia", PASSWORD).await,
        karim: app.login("sup.karim", PASSWORD).await,
        nabil: app.login("sp.nabil", PASSWORD).await,
        lina: app.login("cw.lina", PASSWORD).await,
        sadia_id: sadia.id,
        nabil_id: nabil.id,
        lina_id: lina.id,
        app,
    }
}

/// Creates Sadia's case for Nurjahan with `extra` data and returns its id.
async fn case_of_sadia(setting: &Setting, extra: Value) -> String {
    let data = with(with(child("Nurjahan"), json!({"consent_for_sharing": true})), extra);
    let case = setting.app.create_case(&setting.sadia, data).await;
    case["id"].as_str().expect("a created case has an id").to_owned()
}

/// Refers the case from Sadia to Nabil for psychosocial support, sharing `forms`, and returns the
/// referral.
async fn refer_to_nabil(setting: &Setting, case_id: &str, forms: &[&str]) -> Value {
    let body = json!({"to_agency_id": AGENCY_A, "to_user_id": setting.nabil_id,
        "service_type": "psychosocial_support", "shared_forms": forms, "note": "Weekly sessions"});
    let url = setting.app.api(&format!("/cases/{case_id}/referrals"));
    let (status, referral) = send(setting.sadia.post(url).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    referral
}

async fn post(setting: &Setting, client: &Client, path: &str, body: Value) -> (StatusCode, Value) {
    send(client.post(setting.app.api(path)).json(&body)).await
}

async fn patch(setting: &Setting, case_id: &str, changes: Value) {
    let url = setting.app.api(&format!("/cases/{case_id}"));
    let (status, body) = send(setting.sadia.patch(url).json(&json!({"changes": changes}))).await;
    assert_eq!(status, StatusCode::OK, "Sadia's change was not saved: {body}");
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("the object has an id").to_owned()
}

/// Checks that Nabil, given the services form only, cannot request an approval, flag the case
/// or request its transfer. He gets no flags, approvals or transfers, and his case view lists the
/// forms he reads.
async fn guest_takes_no_case_actions(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, json!({"closure_reason": "goals_met"})).await;
    let referral = refer_to_nabil(&setting, &case_id, &["services"]).await;
    let accept = format!("/referrals/{}/accept", id_of(&referral));
    let (status, body) = post(&setting, &setting.nabil, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {body}");

    let approvals = format!("/cases/{case_id}/approvals");
    let (status, body) = post(&setting, &setting.nabil, &approvals, json!({"kind": "closure"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a guest asked for closure approval: {body}");
    let flags = format!("/cases/{case_id}/flags");
    let (status, body) =
        post(&setting, &setting.nabil, &flags, json!({"text": "Call before visiting"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a guest flagged the case: {body}");
    let requests = format!("/cases/{case_id}/transfer-requests");
    let (status, body) = post(&setting, &setting.nabil, &requests, json!({"note": "give it to me"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a service provider asked for the case: {body}");

    let (status, body) =
        post(&setting, &setting.sadia, &flags, json!({"text": "Call before visiting"})).await;
    assert_eq!(status, StatusCode::CREATED, "Sadia's flag failed: {body}");
    let (status, body) = post(&setting, &setting.sadia, &approvals, json!({"kind": "closure"})).await;
    assert_eq!(status, StatusCode::CREATED, "Sadia's closure request failed: {body}");

    let (status, case) = send(setting.nabil.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::OK, "Nabil cannot read the referred case: {case}");
    assert_eq!(case["flags"], json!([]), "a guest sees the case's flags");
    let shared = case["shared_forms"].as_array().expect("a guest's view lists the shared forms");
    assert!(shared.contains(&json!("services")), "the shared forms miss services: {shared:?}");
    assert!(!shared.contains(&json!("basic_identity")), "the shared forms list identity: {shared:?}");
    let (_, history) = send(setting.nabil.get(app.api(&approvals))).await;
    assert_eq!(history, json!([]), "a guest sees the approval history");
    let (_, referrals) = send(setting.nabil.get(app.api(&format!("/cases/{case_id}/transfers")))).await;
    assert_eq!(referrals, json!([]), "a guest sees the case's transfers");

    let (_, own) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(own.get("shared_forms"), Some(&Value::Null), "the owner's view has no null shared_forms");
    assert_eq!(own["flags"].as_array().map(Vec::len), Some(1), "the owner does not see her flag");

    let body = json!({"device_id": Uuid::new_v4(), "mutations": []});
    let (status, synced) = send(setting.nabil.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "Nabil's sync failed: {synced}");
    let records = synced["records"].as_array().expect("a sync sends records");
    let record = records.iter().find(|record| record["id"] == case_id.as_str()).expect("the case is synced");
    assert_eq!(record["shared_forms"], case["shared_forms"], "sync and GET disagree on shared forms");
    assert_eq!(record["flags"], json!([]), "sync sends flags to a guest");
}

/// Checks that with only the services form shared, Nabil's tasks and case list show no name,
/// sex, age, location or risk level, and searching or filtering on them finds nothing.
async fn guest_lists_hide_unshared_values(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id =
        case_of_sadia(&setting, json!({"date_of_birth": "2015-03-02", "protection_concerns": ["separated"]}))
            .await;
    refer_to_nabil(&setting, &case_id, &["services"]).await;

    let (status, tasks) = send(setting.nabil.get(app.api("/tasks"))).await;
    assert_eq!(status, StatusCode::OK, "Nabil's tasks failed: {tasks}");
    let task = tasks["items"]
        .as_array()
        .expect("tasks are an array")
        .iter()
        .find(|task| task["kind"] == "referral")
        .expect("Nabil has a referral task")
        .clone();
    assert_eq!(task["child_name"], Value::Null, "the task names the child");
    assert_eq!(task["risk_level"], Value::Null, "the task shows the risk level");

    let (_, list) = send(setting.nabil.get(app.api("/cases"))).await;
    assert_eq!(list["total"], json!(1), "Nabil does not list the referred case: {list}");
    let row = &list["cases"][0];
    for column in ["name", "sex", "age", "location", "risk_level"] {
        assert_eq!(row[column], Value::Null, "the list shows {column}: {row}");
    }

    for (name, value) in [
        ("q", "Nurjahan"),
        ("sex", "female"),
        ("risk_level", "high"),
        ("protection_concern", "separated"),
        ("location", "BD-CTG-CXB-UKH-C01E-A"),
    ] {
        let (status, body) = send(setting.nabil.get(app.api("/cases")).query(&[(name, value)])).await;
        assert_eq!(status, StatusCode::OK, "the filter {name} failed: {body}");
        assert_eq!(body["total"], json!(0), "the filter {name} confirms an unshared value");
    }
    let (_, body) = send(setting.nabil.get(app.api("/cases")).query(&[("q", "Nurjahan")])).await;
    assert_eq!(body["cases"], json!([]));

    // With the identity form shared, the same search finds the case.
    let other = case_of_sadia(&setting, json!({})).await;
    let body = json!({"to_agency_id": AGENCY_A, "to_user_id": setting.nabil_id,
        "service_type": "education", "shared_forms": ["basic_identity"]});
    let (status, created) = post(&setting, &setting.sadia, &format!("/cases/{other}/referrals"), body).await;
    assert_eq!(status, StatusCode::CREATED, "the second referral failed: {created}");
    let (_, body) = send(setting.nabil.get(app.api("/cases")).query(&[("q", "Nurjahan")])).await;
    assert_eq!(body["total"], json!(1), "a search on a shared name finds nothing: {body}");
    assert_eq!(body["cases"][0]["id"], other.as_str());
}

/// Checks that a referral made on recorded consent cannot be accepted after the consent is
/// withdrawn, and that no referral can be accepted once the case is closed.
async fn accept_rechecks_consent_and_closure(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, json!({})).await;
    let referral = refer_to_nabil(&setting, &case_id, &["services"]).await;
    assert_eq!(referral["consent_basis"], "given");
    patch(&setting, &case_id, json!([{"path": "consent_for_sharing", "value": false}])).await;

    let accept = format!("/referrals/{}/accept", id_of(&referral));
    let (status, body) = post(&setting, &setting.nabil, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a referral was accepted without consent: {body}");
    assert_eq!(body["error"]["code"], "consent_withdrawn");
    let (_, case) = send(setting.nabil.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(case["status"], "open", "the refused accept changed the case");

    // A pending referral written to a closed case, as an older server could leave one.
    let closed = case_of_sadia(&setting, json!({})).await;
    let id = Uuid::now_v7();
    let row = sathi_store::NewReferral {
        id: sathi_domain::ids::ReferralId(id),
        case_id: CaseId(closed.parse().expect("case ids are UUIDs")),
        from_user_id: setting.sadia_id,
        to_user_id: setting.nabil_id,
        to_agency_id: AGENCY_A.to_owned(),
        service_type: "psychosocial_support".to_owned(),
        status: "pending".to_owned(),
        shared_forms: vec!["services".to_owned()],
        now: time::OffsetDateTime::now_utc(),
    };
    app.state.store.insert_referral_row(&row, AGENCY_B, "given").await.expect("failed to insert a referral");
    let (status, body) =
        post(&setting, &setting.karim, &format!("/cases/{closed}/close"), json!({"reason": "goals_met"}))
            .await;
    assert_eq!(status, StatusCode::OK, "Karim could not close the case: {body}");
    let (status, body) =
        post(&setting, &setting.nabil, &format!("/referrals/{id}/accept"), json!({"expected_version": 1}))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a referral of a closed case was accepted: {body}");
    assert_eq!(body["error"]["code"], "case_closed");
}

/// Checks that a closure request is not approved when its reason was removed afterwards or its
/// case still has an open referral. Karim reads the reason in Bangla.
async fn closure_approval_rechecks_case(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, json!({"closure_reason": "goals_met"})).await;
    let (status, approval) =
        post(&setting, &setting.sadia, &format!("/cases/{case_id}/approvals"), json!({"kind": "closure"}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "the closure request failed: {approval}");
    let approve = format!("/approvals/{}/approve", id_of(&approval));

    patch(&setting, &case_id, json!([{"path": "closure_reason", "value": null}])).await;
    let (status, body) = post(&setting, &setting.karim, &approve, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a closure without a reason was approved: {body}");
    assert_eq!(body["error"]["code"], "closure_reason_missing");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.contains("অনুমোদন করা যাবে না"), "the message is not the Bangla decision text: {message}");

    patch(&setting, &case_id, json!([{"path": "closure_reason", "value": "goals_met"}])).await;
    let referral = refer_to_nabil(&setting, &case_id, &["services"]).await;
    let (status, body) = post(&setting, &setting.karim, &approve, json!({"expected_version": 1})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a closure with a pending referral was approved: {body}"
    );
    assert_eq!(body["error"]["code"], "closure_blocked");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.contains(&id_of(&referral)), "the message does not name the referral: {message}");

    let revoke = format!("/referrals/{}/revoke", id_of(&referral));
    let (status, body) = post(&setting, &setting.sadia, &revoke, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "the revoke failed: {body}");
    let (status, body) = post(&setting, &setting.karim, &approve, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "the closure was not approved: {body}");
    let (_, case) = send(setting.sadia.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(case["status"], "closed");
}

/// Checks that a transfer to agency `lli` is shown to and accepted by a user whose role transfers
/// cases, not by its service provider. A transfer to the sender's own agency is not hers to accept.
async fn agency_transfer_needs_transfer_grant(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case_id = case_of_sadia(&setting, json!({})).await;
    let url = format!("/cases/{case_id}/transfers");
    let (status, transfer) = post(&setting, &setting.sadia, &url, json!({"to_agency_id": AGENCY_A})).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer was not created: {transfer}");
    let accept = format!("/transfers/{}/accept", id_of(&transfer));

    let (_, incoming) = send(setting.nabil.get(app.api("/transfers"))).await;
    assert_eq!(incoming, json!([]), "a service provider sees an agency transfer");
    let (status, body) = post(&setting, &setting.nabil, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a service provider accepted a transfer: {body}");
    let (status, body) = post(&setting, &setting.lina, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Lina could not accept: {body}");
    let (_, case) = send(setting.lina.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(case["owner_id"], setting.lina_id.to_string(), "Lina does not own the case");

    let own = case_of_sadia(&setting, json!({})).await;
    let url = format!("/cases/{own}/transfers");
    let (status, transfer) = post(&setting, &setting.sadia, &url, json!({"to_agency_id": AGENCY_B})).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer was not created: {transfer}");
    let can = transfer["can"].as_array().expect("a transfer lists what the caller can do");
    assert!(!can.contains(&json!("accept")), "the sender may accept her own transfer: {can:?}");
    let accept = format!("/transfers/{}/accept", id_of(&transfer));
    let (status, body) = post(&setting, &setting.sadia, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the sender accepted her own transfer: {body}");
    let (status, body) = post(&setting, &setting.karim, &accept, json!({"expected_version": 1})).await;
    assert_eq!(status, StatusCode::OK, "Karim could not accept: {body}");
}

/// Checks that a create retried with its id returns the first object, and that the same id with
/// another body returns 409 `id_reused`.
async fn retry_with_other_body_is_id_reused(backend: Backend) {
    let setting = setting(backend).await;
    let case_id = case_of_sadia(&setting, json!({"closure_reason": "goals_met"})).await;
    let id = Uuid::now_v7();
    let first = json!({"id": id, "to_agency_id": AGENCY_A, "service_type": "psychosocial_support",
        "shared_forms": ["services"]});
    let second = with(first.clone(), json!({"service_type": "education"}));
    let transfer = json!({"id": Uuid::now_v7(), "to_agency_id": AGENCY_A, "note": "Moving to Ukhia"});
    let approval = json!({"id": Uuid::now_v7(), "kind": "closure", "comment": "Goals met"});
    let flag = json!({"id": Uuid::now_v7(), "text": "Call before visiting"});
    let cases = [
        ("referral", "referrals", first, second),
        ("transfer", "transfers", transfer.clone(), with(transfer, json!({"to_agency_id": AGENCY_B}))),
        ("approval", "approvals", approval.clone(), with(approval, json!({"comment": "Other text"}))),
        ("flag", "flags", flag.clone(), with(flag, json!({"text": "Another warning"}))),
    ];
    for (label, route, body, changed) in cases {
        let url = format!("/cases/{case_id}/{route}");
        let (status, created) = post(&setting, &setting.sadia, &url, body.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "the {label} was not created: {created}");
        let (status, retried) = post(&setting, &setting.sadia, &url, body).await;
        assert_eq!(status, StatusCode::OK, "the {label} retry failed: {retried}");
        assert_eq!(retried["id"], created["id"]);
        let (status, reused) = post(&setting, &setting.sadia, &url, changed).await;
        assert_eq!(status, StatusCode::CONFLICT, "the {label} id was reused: {reused}");
        assert_eq!(reused["error"]["code"], "id_reused", "the {label} error: {reused}");
    }
}

/// Checks that a referral with no user named is rejected when no user of the agency receives
/// referrals.
async fn referral_needs_a_receiver(backend: Backend) {
    let setting = setting(backend).await;
    let case_id = case_of_sadia(&setting, json!({})).await;
    let body = json!({"to_agency_id": "smr", "service_type": "health", "shared_forms": ["services"]});
    let (status, body) = post(&setting, &setting.sadia, &format!("/cases/{case_id}/referrals"), body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a referral nobody can accept was made: {body}");
    assert_eq!(body["error"]["code"], "no_receivers");

    let (status, agencies) = send(setting.sadia.get(setting.app.api("/referral-recipients"))).await;
    assert_eq!(status, StatusCode::OK, "{agencies}");
    let lli = agencies
        .as_array()
        .expect("recipients are an array")
        .iter()
        .find(|agency| agency["agency_id"] == AGENCY_A);
    let users = lli.expect("lli is listed")["users"].clone();
    assert_eq!(users[0]["role_id"], "service_provider", "recipients carry no role: {users}");
}

/// Checks that marking a referral done keeps the sender's note and stores the done note as its
/// reason.
async fn done_keeps_sender_note(backend: Backend) {
    let setting = setting(backend).await;
    let case_id = case_of_sadia(&setting, json!({})).await;
    let referral = refer_to_nabil(&setting, &case_id, &["services"]).await;
    let id = id_of(&referral);
    let (status, body) =
        post(&setting, &setting.nabil, &format!("/referrals/{id}/accept"), json!({"expected_version": 1}))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let done = json!({"expected_version": 2, "note": "Six sessions held"});
    let (status, body) = post(&setting, &setting.nabil, &format!("/referrals/{id}/done"), done).await;
    assert_eq!(status, StatusCode::OK, "the done step failed: {body}");
    assert_eq!(body["note"], "Weekly sessions", "the sender's note was overwritten");
    assert_eq!(body["reason"], "Six sessions held", "the done note is not kept");
}

/// Checks that a referral note loses NUL, escape sequences and bidi overrides (PostgreSQL cannot
/// store NUL), and that a note or reason longer than 2,000 characters is rejected.
async fn notes_are_cleaned_and_limited(backend: Backend) {
    let setting = setting(backend).await;
    let case_id = case_of_sadia(&setting, json!({})).await;
    let url = format!("/cases/{case_id}/referrals");
    let body = json!({"to_agency_id": AGENCY_A, "service_type": "psychosocial_support",
        "shared_forms": ["services"], "note": "Call\u{0} the \u{1b}[2Jmother\u{202E} first\nthen visit"});
    let (status, referral) = post(&setting, &setting.sadia, &url, body).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    assert_eq!(referral["note"], "Call the [2Jmother first\nthen visit");

    let long = "ক".repeat(2001);
    let body = json!({"to_agency_id": AGENCY_A, "service_type": "education", "shared_forms": ["services"],
        "note": long});
    let (status, body) = post(&setting, &setting.sadia, &url, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 2,001-character note was stored: {body}");
    assert_eq!(body["error"]["code"], "text_too_long");
    let message = body["error"]["message"].as_str().expect("an error has a message");
    assert!(message.starts_with("The note is too long."), "the field is not named: {message}");
    let revoke = format!("/referrals/{}/revoke", id_of(&referral));
    let (status, body) =
        post(&setting, &setting.sadia, &revoke, json!({"expected_version": 1, "reason": "ক".repeat(2001)}))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a 2,001-character reason was stored: {body}");
}
