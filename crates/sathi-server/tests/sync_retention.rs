//! Retention, with explicit times. Stored results of sync mutations are deleted after 180 days,
//! and so are the expired sessions of every user. A replay after its result is gone changes
//! nothing.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::StatusCode;
use sathi_server::auth::principal_of;
use sathi_server::retention::{MUTATION_RETENTION, purge_once};
use sathi_store::{MutationCommit, MutationRecord, ParkedMutation, Purged};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

backend_tests!(
    purge_deletes_only_expired_rows,
    replay_after_purge_changes_nothing,
    purge_deletes_old_parked_mutations
);

/// Times are relative to the real clock, so the job that `serve` starts (which purges as of the
/// real time) never deletes a row this test counts.
async fn purge_deletes_only_expired_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let principal = principal_of(&app.state, &user).await.expect("rina has a principal");
    let real = OffsetDateTime::now_utc();
    let device = Uuid::new_v4();
    app.state.store.sync_device(device, user.id, real - Duration::days(10)).await.expect("device");

    let mut mutation_ids = Vec::new();
    for (seq, days_ago) in [(1, 10), (2, 5), (3, 1)] {
        let mutation_id = Uuid::new_v4();
        mutation_ids.push(mutation_id);
        let record = MutationRecord {
            mutation_id,
            device_id: device,
            user_id: user.id,
            seq,
            case_id: None,
            kind: "void".to_owned(),
            status: "applied".to_owned(),
            result: json!({"status": "applied"}),
            device_time: None,
            received_at: real - Duration::days(days_ago),
        };
        let commit = MutationCommit { record: Some(record), ..MutationCommit::default() };
        app.state.store.commit_mutation(&principal, &commit).await.expect("failed to record a mutation");
    }
    let store = &app.state.store;
    store.create_session("expires-first", user.id, real, real + Duration::hours(1)).await.expect("session");
    store.create_session("expires-later", user.id, real, real + Duration::hours(2)).await.expect("session");

    // Received exactly at the cutoff is kept; only the older result goes.
    let purged =
        store.purge_expired(real - Duration::days(5), real + Duration::minutes(90)).await.expect("purge");
    assert_eq!(
        purged,
        Purged { mutations: 1, parked: 0, uploads: 0, sessions: 1 },
        "the first purge deleted other rows"
    );
    assert!(store.stored_mutation(mutation_ids[0]).await.expect("read").is_none(), "the oldest result stays");
    assert!(
        store.stored_mutation(mutation_ids[1]).await.expect("read").is_some(),
        "a result at the cutoff went"
    );
    let at = real + Duration::minutes(30);
    assert_eq!(
        store.session_user("expires-first", at).await.expect("read"),
        None,
        "the expired session stays"
    );
    assert_eq!(store.session_user("expires-later", at).await.expect("read"), Some(user.id));

    let again =
        store.purge_expired(real - Duration::days(5), real + Duration::minutes(90)).await.expect("purge");
    assert_eq!(again, Purged::default(), "a second purge deleted more rows");

    // The job's own cutoff: results older than 180 days before its "now".
    let purged = purge_once(&app.state, real + MUTATION_RETENTION - Duration::days(3)).await.expect("purge");
    assert_eq!(
        purged,
        Purged { mutations: 1, parked: 0, uploads: 0, sessions: 1 },
        "the job did not keep 180 days"
    );
    assert!(store.stored_mutation(mutation_ids[2]).await.expect("read").is_some(), "a recent result went");
}

/// Checks that a mutation replayed after its stored result expired is not applied again. Its
/// `seq` is behind the device's, so it is rejected with `sequence_used`.
async fn replay_after_purge_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4();
    let mutation = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_last", "value": "Begum"}]});
    let request = json!({"device_id": device, "mutations": [mutation]});
    let (status, first) = send(rina.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {first}");
    assert_eq!(first["results"][0]["status"], "applied");

    let now = OffsetDateTime::now_utc();
    let purged = app.state.store.purge_expired(now + Duration::minutes(1), now).await.expect("purge");
    assert_eq!(purged.mutations, 1, "the stored result was not deleted");

    let (status, replay) = send(rina.post(app.api("/sync")).json(&request)).await;
    assert_eq!(status, StatusCode::OK, "the replay failed: {replay}");
    assert_eq!(replay["results"][0]["status"], "rejected", "an expired replay was applied again");
    assert_eq!(replay["results"][0]["error"]["code"], "sequence_used");
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["version"], 2, "the replay wrote another version");
}

/// Checks that a mutation parked for longer than the results are kept, whose gap never filled,
/// goes with the hourly purge.
async fn purge_deletes_old_parked_mutations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let store = &app.state.store;
    // A year ahead, so that the server's own hourly purge, which ran at its start with the real
    // time, finds neither mutation old and leaves both for this purge.
    let now = OffsetDateTime::now_utc() + Duration::days(365);
    let device = Uuid::new_v4();
    store.sync_device(device, user.id, now).await.expect("device");
    for (seq, days_ago) in [(5, 181), (6, 179)] {
        let parked = ParkedMutation {
            device_id: device,
            seq,
            mutation_id: Uuid::new_v4(),
            user_id: user.id,
            mutation: json!({}),
            received_at: now - Duration::days(days_ago),
        };
        assert!(store.park_mutation(&parked).await.expect("park"), "a parked row was not kept");
    }

    let purged = purge_once(&app.state, now).await.expect("purge");
    assert_eq!(purged.parked, 1, "the purge did not delete exactly the old parked mutation");
    assert!(store.parked_mutation(device, 5).await.expect("read").is_none(), "the old parked mutation stays");
    assert!(store.parked_mutation(device, 6).await.expect("read").is_some(), "a recent parked mutation went");
}
