//! Mutations parked until a lower `seq` of their device arrives are bounded: how far ahead a
//! mutation may be, how many one user may have parked, and one mutation per device and `seq`.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use sathi_store::ParkedMutation;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

backend_tests!(
    far_ahead_seq_is_not_parked,
    parked_mutations_per_user_are_capped,
    second_mutation_at_parked_seq_is_rejected,
    one_mutation_at_two_seqs_never_blocks,
    oversized_mutation_is_not_parked
);

async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn nickname(case: &str, seq: i64, value: &str) -> Value {
    json!({"mutation_id": Uuid::new_v4(), "seq": seq, "record_id": case, "kind": "update",
        "base_version": 1, "changes": [{"path": "name_nickname", "value": value}]})
}

async fn far_ahead_seq_is_not_parked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4();

    let mutations =
        [nickname(&case, 1000, "Edge"), nickname(&case, 1001, "Past"), nickname(&case, i64::MAX, "Max")];
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": mutations})).await;
    assert_eq!(answer["results"][0]["status"], "deferred", "a mutation 1000 ahead was not parked");
    for index in [1, 2] {
        let result = &answer["results"][index];
        assert_eq!(result["status"], "rejected", "a mutation far ahead was accepted: {result}");
        assert_eq!(result["error"]["code"], "sequence_out_of_range");
        let message = result["error"]["message"].as_str().expect("a message");
        assert!(message.contains("1000"), "the message does not name the limit: {message}");
    }

    let store = &app.state.store;
    assert!(store.parked_mutation(device, 1000).await.expect("read").is_some(), "seq 1000 is not parked");
    assert!(store.parked_mutation(device, 1001).await.expect("read").is_none(), "seq 1001 was parked");
    assert!(store.parked_mutation(device, i64::MAX).await.expect("read").is_none(), "i64::MAX was parked");

    // Nothing was recorded, so seq 1 still applies as the device's next mutation.
    let answer =
        sync(&app, &rina, json!({"device_id": device, "mutations": [nickname(&case, 1, "Mina")]})).await;
    assert_eq!(answer["results"][0]["status"], "applied", "the device's next mutation did not apply");
}

async fn parked_mutations_per_user_are_capped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let store = &app.state.store;
    let now = OffsetDateTime::now_utc();

    // 400 parked mutations spread over two other devices of the same user.
    let full = [Uuid::new_v4(), Uuid::new_v4()];
    for device in full {
        store.sync_device(device, user.id, now).await.expect("device");
        for seq in 2..202 {
            let parked = ParkedMutation {
                device_id: device,
                seq,
                mutation_id: Uuid::new_v4(),
                user_id: user.id,
                mutation: json!({}),
                received_at: now,
            };
            assert!(store.park_mutation(&parked).await.expect("park"), "a parked row was not kept");
        }
    }
    assert_eq!(store.parked_count(user.id).await.expect("count"), 400);

    let device = Uuid::new_v4();
    let answer =
        sync(&app, &rina, json!({"device_id": device, "mutations": [nickname(&case, 2, "Later")]})).await;
    let result = &answer["results"][0];
    assert_eq!(result["status"], "rejected", "a mutation beyond the cap was parked: {result}");
    assert_eq!(result["error"]["code"], "too_many_deferred");
    assert!(
        store.parked_mutation(device, 2).await.expect("read").is_none(),
        "the rejected mutation was parked"
    );
    assert_eq!(store.parked_count(user.id).await.expect("count"), 400, "the cap was passed");

    // A mutation that applies at once is not parked, so the cap does not stop it.
    let answer =
        sync(&app, &rina, json!({"device_id": device, "mutations": [nickname(&case, 1, "Mina")]})).await;
    assert_eq!(answer["results"][0]["status"], "applied", "the device's next mutation did not apply");
}

async fn second_mutation_at_parked_seq_is_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4();

    let first = nickname(&case, 2, "First");
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [first.clone()]})).await;
    assert_eq!(answer["results"][0]["status"], "deferred");

    let other = nickname(&case, 2, "Other");
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [other]})).await;
    let result = &answer["results"][0];
    assert_eq!(result["status"], "rejected", "a second mutation at a parked seq was accepted: {result}");
    assert_eq!(result["error"]["code"], "sequence_used");

    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [first.clone()]})).await;
    assert_eq!(answer["results"][0]["status"], "deferred", "the parked mutation sent again was not deferred");

    let void = json!({"mutation_id": Uuid::new_v4(), "seq": 1, "record_id": case, "kind": "void"});
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [void, first]})).await;
    assert_eq!(answer["results"][0]["status"], "applied");
    assert_eq!(answer["results"][1]["status"], "applied", "the parked mutation did not apply: {answer}");
    let (_, current) = send(rina.get(app.api(&format!("/cases/{case}")))).await;
    assert_eq!(current["data"]["name_nickname"], "First", "the parked mutation was not the one applied");
}

/// A client that sends one mutation id at two seqs gets `sequence_used` for the second, and a
/// copy parked before the same id applied at a lower seq is dropped; a `void` fills the gap, so
/// the device is never stuck.
async fn one_mutation_at_two_seqs_never_blocks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();

    // Parked twice: the second copy is rejected at once.
    let device = Uuid::new_v4();
    let twice = nickname(&case, 3, "Twice");
    let mut again = twice.clone();
    again["seq"] = json!(4);
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [twice, again]})).await;
    assert_eq!(answer["results"][0]["status"], "deferred");
    assert_eq!(answer["results"][1]["status"], "rejected", "one mutation id was parked at two seqs");
    assert_eq!(answer["results"][1]["error"]["code"], "sequence_used");
    let answer = sync(
        &app,
        &rina,
        json!({"device_id": device, "mutations": [nickname(&case, 1, "One"), nickname(&case, 2, "Two")]}),
    )
    .await;
    assert_eq!(answer["results"][1]["status"], "applied");
    assert!(app.state.store.parked_mutation(device, 3).await.expect("read").is_none(), "seq 3 still waits");

    // Parked at seq 4, then applied at seq 3 directly: the parked copy is dropped. A second case
    // keeps the first device's edits out of the way.
    let case = app.create_case(&rina, child("Nur")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4();
    let early = nickname(&case, 4, "Early");
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [early.clone()]})).await;
    assert_eq!(answer["results"][0]["status"], "deferred");
    let mut direct = early.clone();
    direct["seq"] = json!(3);
    let mutations = [nickname(&case, 1, "A"), nickname(&case, 2, "B"), direct];
    let (status, answer) =
        send(rina.post(app.api("/sync")).json(&json!({"device_id": device, "mutations": mutations}))).await;
    assert_eq!(status, StatusCode::OK, "a mutation id parked at another seq made the sync fail: {answer}");
    assert_eq!(answer["results"][2]["status"], "applied");
    assert!(
        app.state.store.parked_mutation(device, 4).await.expect("read").is_none(),
        "the stale copy is still parked"
    );

    let void = json!({"mutation_id": Uuid::new_v4(), "seq": 4, "record_id": case, "kind": "void"});
    let answer =
        sync(&app, &rina, json!({"device_id": device, "mutations": [void, nickname(&case, 5, "After")]}))
            .await;
    assert_eq!(answer["results"][0]["status"], "applied", "the void did not fill the gap");
    assert_eq!(answer["results"][1]["status"], "applied", "the device is still blocked");
}

async fn oversized_mutation_is_not_parked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let case = app.create_case(&rina, child("Amina")).await["id"].as_str().expect("an id").to_owned();
    let device = Uuid::new_v4();

    let huge = nickname(&case, 2, &"x".repeat(300 * 1024));
    let answer = sync(&app, &rina, json!({"device_id": device, "mutations": [huge]})).await;
    let result = &answer["results"][0];
    assert_eq!(result["status"], "rejected", "a 300 KiB mutation was parked: {result}");
    assert_eq!(result["error"]["code"], "deferred_too_large");
    assert!(app.state.store.parked_mutation(device, 2).await.expect("read").is_none());
}
