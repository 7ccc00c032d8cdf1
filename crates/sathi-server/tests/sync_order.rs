//! The global order under load: a sync cursor never passes over a write that commits late,
//! and randomized offline edits from three devices, delivered shuffled and duplicated, end in
//! one state on every device with no value dropped silently.

mod common;

use std::collections::HashMap;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(cursor_never_skips_late_commit, randomized_devices_converge);

const WRITERS: usize = 8;
const WRITES_PER_WRITER: usize = 12;

async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

/// Records the highest version seen per case from one sync response, asserting that no case
/// ever goes back to an older version.
fn observe(seen: &mut HashMap<String, i64>, response: &Value) {
    for record in response["records"].as_array().expect("records") {
        let id = record["id"].as_str().expect("an id").to_owned();
        let version = record["version"].as_i64().expect("a version");
        let previous = seen.insert(id.clone(), version).unwrap_or(0);
        assert!(version >= previous, "case {id} went back from version {previous} to {version}");
    }
}

async fn cursor_never_skips_late_commit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let writer = app.login("cw.rina", PASSWORD).await;
    let reader = app.login("cw.rina", PASSWORD).await;
    let mut cases = Vec::new();
    for index in 0..WRITERS {
        cases.push(
            app.create_case(&writer, child(&format!("Child {index}"))).await["id"]
                .as_str()
                .expect("an id")
                .to_owned(),
        );
    }
    let device = Uuid::new_v4().to_string();
    let mut seen = HashMap::new();
    let first = sync(&app, &reader, json!({"device_id": device})).await;
    observe(&mut seen, &first);
    let mut cursor = first["cursor"].clone();

    let mut tasks = Vec::new();
    for case in cases.clone() {
        let client = writer.clone();
        let url = app.api(&format!("/cases/{case}"));
        tasks.push(tokio::spawn(async move {
            for step in 0..WRITES_PER_WRITER {
                let value = if step % 2 == 0 { "low" } else { "medium" };
                let body = json!({"changes": [{"path": "risk_level", "value": value}, {"path": "name_last", "value": format!("step {step}")}]});
                let (status, response) = send(client.patch(&url).json(&body)).await;
                assert_eq!(status, StatusCode::OK, "a concurrent write failed: {response}");
            }
        }));
    }
    // The reader follows the cursor while the writers run.
    while tasks.iter().any(|task| !task.is_finished()) {
        let response = sync(&app, &reader, json!({"device_id": device, "cursor": cursor, "limit": 3})).await;
        observe(&mut seen, &response);
        cursor = response["cursor"].clone();
    }
    for task in tasks {
        task.await.expect("a writer task panicked");
    }
    loop {
        let response = sync(&app, &reader, json!({"device_id": device, "cursor": cursor, "limit": 3})).await;
        observe(&mut seen, &response);
        cursor = response["cursor"].clone();
        if response["more"] == false {
            break;
        }
    }
    let final_version = 1 + WRITES_PER_WRITER as i64;
    for case in &cases {
        assert_eq!(seen.get(case), Some(&final_version), "the reader missed the last write of case {case}");
    }
}

/// Three devices of one caseworker edit a few cases offline; their mutations are delivered in
/// shuffled batches with duplicates. After every device sends what is left and downloads, all
/// hold the server's data, and every value written is current, a conflict candidate or in the
/// change log.
async fn randomized_devices_converge(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.rina", PASSWORD).await;
    let mut cases = Vec::new();
    for index in 0..3 {
        cases.push(
            app.create_case(&client, child(&format!("Child {index}"))).await["id"]
                .as_str()
                .expect("an id")
                .to_owned(),
        );
    }
    let devices: Vec<String> = (0..3).map(|_| Uuid::new_v4().to_string()).collect();
    let mut seed: u64 = 0x5EED_1234_ABCD_0001;
    let mut random = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };

    // Each device queues edits on version 1 of a random case, offline.
    let mut outboxes: Vec<Vec<Value>> = vec![Vec::new(); 3];
    let mut written = Vec::new();
    for step in 0..40 {
        let device = random(3) as usize;
        let case = &cases[random(3) as usize];
        let path = ["name_last", "name_middle", "name_nickname"][random(3) as usize];
        let value = format!("value {step}");
        written.push((case.clone(), path, value.clone()));
        let seq = outboxes[device].len() as i64 + 1;
        outboxes[device].push(json!({"mutation_id": Uuid::new_v4(), "seq": seq, "record_id": case, "kind": "update",
            "base_version": 1, "changes": [{"path": path, "value": value}], "device_time": "2024-05-10T10:00:00+06:00"}));
    }
    // Shuffled, duplicated partial deliveries.
    for _ in 0..12 {
        let device = random(3) as usize;
        let mut batch: Vec<Value> = Vec::new();
        for _ in 0..(1 + random(4)) {
            batch.push(outboxes[device][random(outboxes[device].len() as u64) as usize].clone());
        }
        sync(&app, &client, json!({"device_id": devices[device], "mutations": batch})).await;
    }
    // Reconnect: each device sends its whole outbox until nothing is deferred, then downloads.
    for (device, outbox) in outboxes.iter().enumerate() {
        let response = sync(&app, &client, json!({"device_id": devices[device], "mutations": outbox})).await;
        for result in response["results"].as_array().expect("results") {
            assert_ne!(result["status"], "deferred", "a mutation stayed deferred with no gap: {result}");
            assert_ne!(result["status"], "rejected", "a valid mutation was rejected: {result}");
        }
    }
    let mut replicas = Vec::new();
    for device in &devices {
        let response = sync(&app, &client, json!({"device_id": device, "limit": 500})).await;
        let mut records: Vec<Value> = response["records"].as_array().expect("records").clone();
        records.sort_by_key(|record| record["id"].as_str().unwrap_or_default().to_owned());
        replicas.push(records);
    }
    assert_eq!(replicas[0], replicas[1], "devices 0 and 1 did not converge");
    assert_eq!(replicas[1], replicas[2], "devices 1 and 2 did not converge");

    for (case, path, value) in written {
        let record =
            replicas[0].iter().find(|record| record["id"] == case.as_str()).expect("every case downloads");
        let current = record["data"][path] == value.as_str();
        let kept = record["conflicts"].as_array().expect("conflicts").iter().any(|conflict| {
            conflict["candidates"]
                .as_array()
                .expect("candidates")
                .iter()
                .any(|c| c["value"] == value.as_str())
        });
        let (_, changes) = send(client.get(app.api(&format!("/cases/{case}/changes")))).await;
        let logged =
            changes.as_array().expect("changes").iter().any(|entry| entry["new_value"] == value.as_str());
        assert!(current || kept || logged, "value {value} of {path} on case {case} was lost silently");
    }
}
