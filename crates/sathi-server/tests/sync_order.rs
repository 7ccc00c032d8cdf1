//! The global order under load: a sync cursor never passes over a write that commits late,
//! and randomized offline edits from three devices, to fields and subform rows, delivered
//! shuffled and duplicated, end in one state on every device with no value dropped silently.

mod common;

use std::collections::HashMap;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
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

/// Independent randomized histories, one per seed, each on its own case and devices.
const RUNS: u64 = 32;
const DEVICES: usize = 3;
const ROWS: [&str; 2] = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"];

/// A seeded xorshift, so that a failure names the run that reproduces it.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A value a device wrote, to find again at the end.
struct Written {
    path: String,
    value: Value,
}

/// Three devices of one caseworker edit a case offline: fields, fields of subform rows, whole
/// rows and new rows. Their mutations are delivered in shuffled, duplicated partial batches, and
/// a device now and then downloads the case and edits the newer version. After every device sends
/// what is left and downloads, all hold the server's data, and every value written is current, a
/// conflict candidate or in the change log. Runs `RUNS` seeds, each on its own case and devices.
async fn randomized_devices_converge(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.rina", PASSWORD).await;
    // Four runs at a time, as four groups of phones syncing at once would.
    let lane = |first: u64| {
        let (app, client) = (&app, &client);
        async move {
            for run in (first..=RUNS).step_by(4) {
                randomized_run(app, client, run).await;
            }
        }
    };
    tokio::join!(lane(1), lane(2), lane(3), lane(4));
}

async fn randomized_run(app: &TestApp, client: &Client, run: u64) {
    let rows: Vec<Value> = ROWS
        .iter()
        .map(|row| json!({"unique_id": row, "name": format!("Member {row}"), "relation": "mother"}))
        .collect();
    let data = with(child(&format!("Child {run}")), json!({"family_members": rows}));
    let case = app.create_case(client, data).await["id"].as_str().expect("an id").to_owned();
    let devices: Vec<Uuid> = (0..DEVICES).map(|_| Uuid::new_v4()).collect();
    let mut random = Random(run.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    let mut outboxes: Vec<Vec<Value>> = vec![Vec::new(); DEVICES];
    let mut bases = [1_i64; DEVICES];
    let mut written = Vec::new();
    for step in 0..(10 + random.below(8)) {
        let device = random.below(DEVICES as u64) as usize;
        if random.below(6) == 0 {
            // The device downloads the case and edits the newer version from now on.
            let (_, current) = send(client.get(app.api(&format!("/cases/{case}")))).await;
            bases[device] = current["version"].as_i64().expect("a version");
            continue;
        }
        let value = format!("run {run} step {step}");
        let row = ROWS[random.below(ROWS.len() as u64) as usize];
        let (path, value) = match random.below(5) {
            0 => (["name_last", "name_middle"][random.below(2) as usize].to_owned(), json!(value)),
            1 | 2 => (format!("family_members/{row}/name"), json!(value)),
            3 => (
                format!("family_members/{row}"),
                json!({"unique_id": row, "name": value, "relation": "grandmother"}),
            ),
            _ => {
                let new_row = Uuid::new_v4();
                (
                    format!("family_members/{new_row}"),
                    json!({"unique_id": new_row, "name": value, "relation": "father"}),
                )
            }
        };
        written.push(Written { path: path.clone(), value: value.clone() });
        let seq = outboxes[device].len() as i64 + 1;
        outboxes[device].push(json!({"mutation_id": Uuid::new_v4(), "seq": seq, "record_id": case,
            "kind": "update", "base_version": bases[device], "changes": [{"path": path, "value": value}],
            "device_time": "2024-05-10T10:00:00+06:00"}));
    }

    // Partial deliveries in shuffled order, with duplicates.
    for _ in 0..(4 + random.below(4)) {
        let device = random.below(DEVICES as u64) as usize;
        if outboxes[device].is_empty() {
            continue;
        }
        let mut batch: Vec<Value> = Vec::new();
        for _ in 0..(1 + random.below(4)) {
            batch.push(outboxes[device][random.below(outboxes[device].len() as u64) as usize].clone());
        }
        let response =
            sync(app, client, json!({"device_id": devices[device], "mutations": batch, "limit": 1})).await;
        for result in response["results"].as_array().expect("results") {
            assert_ne!(result["status"], "rejected", "run {run}: a valid mutation was rejected: {result}");
        }
    }
    // Reconnect: each device sends its whole outbox, then every device downloads.
    for (device, outbox) in outboxes.iter().enumerate() {
        let response =
            sync(app, client, json!({"device_id": devices[device], "mutations": outbox, "limit": 1})).await;
        for result in response["results"].as_array().expect("results") {
            assert_ne!(
                result["status"], "deferred",
                "run {run}: a mutation stayed deferred with no gap: {result}"
            );
            assert_ne!(result["status"], "rejected", "run {run}: a valid mutation was rejected: {result}");
        }
    }
    let mut replicas = Vec::new();
    for device in &devices {
        let response = sync(app, client, json!({"device_id": device, "limit": 500})).await;
        let record = response["records"]
            .as_array()
            .expect("records")
            .iter()
            .find(|record| record["id"] == case.as_str())
            .cloned()
            .expect("the run's case downloads");
        replicas.push(record);
    }
    assert_eq!(replicas[0], replicas[1], "run {run}: devices 0 and 1 did not converge");
    assert_eq!(replicas[1], replicas[2], "run {run}: devices 1 and 2 did not converge");

    let record = &replicas[0];
    let (_, changes) = send(client.get(app.api(&format!("/cases/{case}/changes")))).await;
    let changes = changes.as_array().expect("changes");
    for Written { path, value } in written {
        let field = path.split('/').next().expect("a path has a field");
        let current = contains(&record["data"][field], &value);
        let kept = record["conflicts"].as_array().expect("conflicts").iter().any(|conflict| {
            conflict["candidates"]
                .as_array()
                .expect("candidates")
                .iter()
                .any(|c| contains(&c["value"], &value))
        });
        let logged = changes.iter().any(|entry| contains(&entry["new_value"], &value));
        assert!(current || kept || logged, "run {run}: value {value} of {path} was lost silently");
    }
}

/// Whether `needle` is `haystack` or a value somewhere inside it.
fn contains(haystack: &Value, needle: &Value) -> bool {
    haystack == needle
        || match haystack {
            Value::Array(items) => items.iter().any(|item| contains(item, needle)),
            Value::Object(fields) => fields.values().any(|item| contains(item, needle)),
            _ => false,
        }
}
