//! Transitions of referrals and transfers are compare-and-set on the state the caller saw: a
//! revoke from a stale page fails with the current state, and when two people act at once
//! exactly one succeeds and the audit log contains one transition.
//!
//! The setting: case C-8001 is owned by caseworker Sadia of agency `bcri`; Nabil and Priya are
//! service providers of agency `lli`, which provides psychosocial support.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use rand::Rng;
use reqwest::{Client, StatusCode};
use sathi_domain::ids::CaseId;
use serde_json::{Value, json};

backend_tests!(revoke_after_accept_returns_current_state);
backend_tests!(concurrent_revoke_and_accept_one_wins);
backend_tests!(two_accepts_of_one_transfer_one_owner);

struct Setting {
    app: TestApp,
    sadia: Client,
    nabil: Client,
    nabil_id: String,
    case_id: String,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    let nabil = app.create_user("sp.nabil", "service_provider", AGENCY_A, "bn").await;
    app.create_user("sp.priya", "service_provider", AGENCY_A, "en").await;
    let sadia = app.login("cw.sadia", PASSWORD).await;
    let case = app.create_case(&sadia, with(child("Nurjahan"), json!({"consent_for_sharing": true}))).await;
    let case_id = case["id"].as_str().expect("a created case has an id").to_owned();
    Setting {
        nabil: app.login("sp.nabil", PASSWORD).await,
        sadia,
        nabil_id: nabil.id.to_string(),
        case_id,
        app,
    }
}

/// Refers the case to agency `lli` for psychosocial support and returns the referral.
async fn refer(setting: &Setting) -> Value {
    let body = json!({"to_agency_id": AGENCY_A, "service_type": "psychosocial_support",
        "shared_forms": ["basic_identity", "protection_concerns", "consent", "services"]});
    let url = setting.app.api(&format!("/cases/{}/referrals", setting.case_id));
    let (status, referral) = send(setting.sadia.post(url).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    assert_eq!(referral["version"], 1, "a new referral is not at version 1: {referral}");
    referral
}

/// Returns the audit entries of the case with `action` whose detail names `subject` under `key`.
async fn audit_of(app: &TestApp, case_id: &str, action: &str, key: &str, subject: &str) -> Vec<Value> {
    let case = CaseId(case_id.parse().expect("case ids are UUIDs"));
    let entries =
        app.state.store.audit_entries(Some(case), 1000).await.expect("failed to read the audit log");
    entries
        .into_iter()
        .filter(|entry| entry.action == action && entry.detail[key] == subject)
        .map(|entry| entry.detail)
        .collect()
}

/// Nabil accepts R-1 at version 1; Sadia's stale page then revokes at version 1.
async fn revoke_after_accept_returns_current_state(backend: Backend) {
    let setting = setting(backend).await;
    let referral = refer(&setting).await;
    let id = referral["id"].as_str().expect("a referral has an id");
    let app = &setting.app;

    let (status, accepted) = send(
        setting.nabil.post(app.api(&format!("/referrals/{id}/accept"))).json(&json!({"expected_version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {accepted}");
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["version"], 2);
    assert_eq!(accepted["to_user"]["id"], setting.nabil_id.as_str(), "the accepter is not the recipient now");

    let (status, body) = send(
        setting.sadia.post(app.api(&format!("/referrals/{id}/revoke"))).json(&json!({"expected_version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a revoke after the accept did not conflict: {body}");
    assert_eq!(body["error"]["code"], "state_changed");
    assert_eq!(body["error"]["current_status"], "accepted");
    assert_eq!(body["error"]["version"], 2);

    // R-1 stays accepted on both sides.
    for client in [&setting.sadia, &setting.nabil] {
        let (status, list) =
            send(client.get(app.api(&format!("/cases/{}/referrals", setting.case_id)))).await;
        assert_eq!(status, StatusCode::OK, "the case's referrals cannot be read: {list}");
        assert_eq!(list[0]["status"], "accepted", "the referral is not accepted any more: {list}");
        assert_eq!(list[0]["version"], 2);
    }
    // Sadia may now end it, which is a separate transition from version 2.
    let (_, view) = send(setting.sadia.get(app.api(&format!("/cases/{}/referrals", setting.case_id)))).await;
    assert_eq!(view[0]["can"], json!(["end"]), "the sender's actions on an accepted referral are wrong");
}

/// revoke and accept sent at the same instant, 20 times in random order.
async fn concurrent_revoke_and_accept_one_wins(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let mut random = rand::rng();

    for run in 0..20 {
        let referral = refer(&setting).await;
        let id = referral["id"].as_str().expect("a referral has an id").to_owned();
        let accept = setting
            .nabil
            .post(app.api(&format!("/referrals/{id}/accept")))
            .json(&json!({"expected_version": 1}));
        let revoke = setting
            .sadia
            .post(app.api(&format!("/referrals/{id}/revoke")))
            .json(&json!({"expected_version": 1}));
        let accept_first = random.random_bool(0.5);
        let ((accept_status, accept_body), (revoke_status, revoke_body)) = if accept_first {
            tokio::join!(send(accept), send(revoke))
        } else {
            let (revoked, accepted) = tokio::join!(send(revoke), send(accept));
            (accepted, revoked)
        };

        let statuses = [accept_status, revoke_status];
        let winners = statuses.iter().filter(|status| **status == StatusCode::OK).count();
        let losers = statuses.iter().filter(|status| **status == StatusCode::CONFLICT).count();
        assert_eq!(
            (winners, losers),
            (1, 1),
            "run {run}: accept {accept_status} {accept_body}, revoke {revoke_status} {revoke_body}"
        );
        let (winner, loser) = if accept_status == StatusCode::OK {
            (&accept_body, &revoke_body)
        } else {
            (&revoke_body, &accept_body)
        };
        assert_eq!(
            loser["error"]["current_status"], winner["status"],
            "run {run}: the loser saw another state"
        );
        assert_eq!(loser["error"]["version"], 2, "run {run}: the loser saw another version");

        let (_, list) =
            send(setting.sadia.get(app.api(&format!("/cases/{}/referrals", setting.case_id)))).await;
        let stored = list
            .as_array()
            .expect("the referrals are an array")
            .iter()
            .find(|referral| referral["id"] == id.as_str())
            .expect("the referral is listed")
            .clone();
        assert_eq!(stored["status"], winner["status"], "run {run}: the final status is not the winner's");

        let accepts = audit_of(app, &setting.case_id, "referral.accept", "referral_id", &id).await;
        let revokes = audit_of(app, &setting.case_id, "referral.revoke", "referral_id", &id).await;
        let from_first: Vec<&Value> =
            accepts.iter().chain(revokes.iter()).filter(|detail| detail["from_version"] == 1).collect();
        assert_eq!(
            from_first.len(),
            1,
            "run {run}: the audit log holds {} transitions from version 1",
            from_first.len()
        );

        // Make room for the next run's referral to the same agency and service.
        if stored["status"] == "accepted" {
            let (status, body) = send(
                setting
                    .sadia
                    .post(app.api(&format!("/referrals/{id}/end")))
                    .json(&json!({"expected_version": 2})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "run {run}: ending the accepted referral failed: {body}");
        }
    }
}

/// Lina and Omar, caseworkers of agency `lli`, accept transfer T-1 at the same time. Service
/// providers do not accept transfers, so Nabil and Priya are not in this race.
async fn two_accepts_of_one_transfer_one_owner(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let lina_id = app.create_user("cw.lina", "caseworker", AGENCY_A, "en").await.id.to_string();
    let omar_id = app.create_user("cw.omar", "caseworker", AGENCY_A, "en").await.id.to_string();
    let lina = app.login("cw.lina", PASSWORD).await;
    let omar = app.login("cw.omar", PASSWORD).await;
    let url = app.api(&format!("/cases/{}/transfers", setting.case_id));
    let (status, transfer) = send(setting.sadia.post(url).json(&json!({"to_agency_id": AGENCY_A}))).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer was not created: {transfer}");
    let id = transfer["id"].as_str().expect("a transfer has an id").to_owned();

    let accept = |client: &Client| {
        client.post(app.api(&format!("/transfers/{id}/accept"))).json(&json!({"expected_version": 1}))
    };
    let ((lina_status, lina_body), (omar_status, omar_body)) =
        tokio::join!(send(accept(&lina)), send(accept(&omar)));
    let statuses = [lina_status, omar_status];
    assert_eq!(
        statuses.iter().filter(|status| **status == StatusCode::OK).count(),
        1,
        "not exactly one accept won: Lina {lina_status} {lina_body}, Omar {omar_status} {omar_body}"
    );
    assert_eq!(
        statuses.iter().filter(|status| **status == StatusCode::CONFLICT).count(),
        1,
        "the losing accept did not conflict: Lina {lina_status} {lina_body}, Omar {omar_status} {omar_body}"
    );
    let (winner_client, winner_id) =
        if lina_status == StatusCode::OK { (&lina, &lina_id) } else { (&omar, &omar_id) };

    let (status, case) = send(winner_client.get(app.api(&format!("/cases/{}", setting.case_id)))).await;
    assert_eq!(status, StatusCode::OK, "the new owner cannot read the case: {case}");
    assert_eq!(case["owner_id"], winner_id.as_str(), "the case's owner is not the winner");
    assert_eq!(case["owner_agency_id"], AGENCY_A, "the case did not move to the new agency");

    let accepts = audit_of(app, &setting.case_id, "transfer.accept", "transfer_id", &id).await;
    assert_eq!(accepts.len(), 1, "the ownership change is logged {} times", accepts.len());
    assert_eq!(accepts[0]["owner_id"], winner_id.as_str(), "the audit entry names another owner");
}
