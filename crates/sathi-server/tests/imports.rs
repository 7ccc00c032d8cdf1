//! Case imports over real HTTP on SQLite and PostgreSQL. The tests cover the worked example
//! `bangla-digits-import.csv` with the results its README states, dry runs that write nothing,
//! re-imports that never duplicate, workbooks in both date systems, the incumbent system's JSON
//! with a subform, scope, stale jobs and the report.

mod common;

use std::time::Duration;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;

backend_tests!(
    bangla_digits_example_imports_four_rejects_three,
    reimport_updates_never_duplicates,
    external_id_ignores_letter_case,
    repeat_in_later_batch_is_rejected,
    case_changed_after_check_is_rejected,
    row_ids_of_two_cases_rejected,
    impossible_date_is_rejected_not_swapped,
    xlsx_dates_follow_workbook_date_system,
    bom_removed_and_headers_trimmed,
    lookup_matches_labels_after_nfc,
    incumbent_json_imports_subform_rows,
    invalid_row_id_shows_value_and_fix,
    row_outside_scope_rejected_like_unknown_id,
    run_needs_dry_run_with_same_mapping,
    finished_run_needs_new_dry_run,
    import_of_other_agency_is_not_found,
    stale_job_fails_and_runs_again,
    report_lists_every_reason,
    saved_mappings_belong_to_agency,
    semicolon_csv_is_rejected_with_advice,
    upload_over_two_mib_is_accepted,
    version_race_rejects_the_row,
);

/// The worked example, byte for byte, with its byte order mark.
const EXAMPLE_CSV: &[u8] = include_bytes!("data/bangla-digits-import.csv");

/// A workbook in the 1904 date system whose one date cell is serial 41439 (15 June 2017).
const WORKBOOK_1904: &[u8] = include_bytes!("data/date-1904.xlsx");

/// Returns the mapping of the worked example: case_ref is the external id, upazila stays unmapped.
fn example_mapping() -> Value {
    json!({
        "date_format": "dd/mm/yyyy",
        "columns": [
            {"column": "full_name_bn", "field": "name_first"},
            {"column": "full_name_en", "field": "name_other_spellings"},
            {"column": "sex", "field": "sex"},
            {"column": "age_years", "field": "age"},
            {"column": "date_of_birth", "field": "date_of_birth"},
            {"column": "household_size", "field": "household_size"},
            {"column": "phone", "field": "phone"}
        ],
        "case_id_column": null,
        "external_id_column": "case_ref",
        "owner": "cw.rahima",
        "owner_column": null,
        "incumbent": null
    })
}

/// A running server with the import date 2024-06-20, an agency administrator, the owner
/// caseworker, and their clients.
struct Setup {
    app: TestApp,
    admin: Client,
    caseworker: Client,
}

async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2024-06-20 06:00 UTC));
    app.create_user("admin.mizan", "agency_admin", AGENCY_A, "en").await;
    app.create_user("cw.rahima", "caseworker", AGENCY_A, "en").await;
    let admin = app.login("admin.mizan", PASSWORD).await;
    let caseworker = app.login("cw.rahima", PASSWORD).await;
    Setup { app, admin, caseworker }
}

async fn upload(app: &TestApp, client: &Client, format: &str, name: &str, bytes: &[u8]) -> Value {
    let (status, body) = send(
        client
            .post(app.api("/imports"))
            .query(&[("format", format), ("file_name", name)])
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "upload of {name} failed: {body}");
    body
}

/// Starts a job (`dry-run` or `run`) and returns the status and body of the request.
async fn start(app: &TestApp, client: &Client, id: &str, job: &str, mapping: &Value) -> (StatusCode, Value) {
    send(client.post(app.api(&format!("/imports/{id}/{job}"))).json(&json!({"mapping": mapping}))).await
}

/// Polls the import until its job has ended, and returns it.
async fn wait(app: &TestApp, client: &Client, id: &str) -> Value {
    for _ in 0..600 {
        let (status, body) = send(client.get(app.api(&format!("/imports/{id}")))).await;
        assert_eq!(status, StatusCode::OK, "reading import {id} failed: {body}");
        if ["dry_run_done", "done", "failed"].contains(&body["state"].as_str().unwrap_or_default()) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish within 30 seconds");
}

/// Runs a job to its end, asserting that it finished, and returns the import.
async fn finish(app: &TestApp, client: &Client, id: &str, job: &str, mapping: &Value) -> Value {
    let (status, body) = start(app, client, id, job, mapping).await;
    assert_eq!(status, StatusCode::ACCEPTED, "starting the {job} failed: {body}");
    let done = wait(app, client, id).await;
    let expected = if job == "run" { "done" } else { "dry_run_done" };
    assert_eq!(done["state"], expected, "the {job} did not finish: {done}");
    done
}

async fn rows(app: &TestApp, client: &Client, id: &str, outcome: Option<&str>) -> Vec<Value> {
    let mut request = client.get(app.api(&format!("/imports/{id}/rows"))).query(&[("limit", "1000")]);
    if let Some(outcome) = outcome {
        request = request.query(&[("outcome", outcome)]);
    }
    let (status, body) = send(request).await;
    assert_eq!(status, StatusCode::OK, "reading rows of {id} failed: {body}");
    body["rows"].as_array().cloned().unwrap_or_default()
}

/// Finds the one case named `name` that `client` can read, and returns its case view.
async fn case_by_name(app: &TestApp, client: &Client, name: &str) -> Value {
    let ids = app.list_ids(client, &[("q", name)]).await;
    assert_eq!(ids.len(), 1, "expected one case named {name}, found {ids:?}");
    let (status, case) = send(client.get(app.api(&format!("/cases/{}", ids[0])))).await;
    assert_eq!(status, StatusCode::OK, "reading the case of {name} failed: {case}");
    case
}

fn summary(import: &Value, key: &str) -> [i64; 4] {
    let counts = &import[key];
    ["created", "updated", "unchanged", "rejected"].map(|name| counts[name].as_i64().unwrap_or(-1))
}

fn error_codes(row: &Value) -> Vec<(String, String)> {
    row["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    (
                        error["field"].as_str().unwrap_or_default().to_owned(),
                        error["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn bangla_digits_example_imports_four_rejects_three(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let uploaded = upload(&app, &admin, "csv", "bangla-digits-import.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("import id").to_owned();
    assert_eq!(uploaded["columns"][0], "case_ref", "the byte order mark was not removed");
    assert_eq!(uploaded["columns"].as_array().map(Vec::len), Some(9));
    assert_eq!(uploaded["progress"]["rows_total"], 7);
    assert_eq!(uploaded["state"], "uploaded");

    let checked = finish(&app, &admin, &id, "dry-run", &example_mapping()).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [4, 0, 0, 3]);
    assert!(app.list_ids(&caseworker, &[]).await.is_empty(), "the dry run created cases");

    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    let reasons: Vec<(i64, Vec<(String, String)>)> =
        rejected.iter().map(|row| (row["row"].as_i64().unwrap_or(0), error_codes(row))).collect();
    assert_eq!(
        reasons,
        vec![
            (5, vec![("age".to_owned(), "mixed_digit_scripts".to_owned())]),
            (6, vec![("age".to_owned(), "digit_script_not_accepted".to_owned())]),
            (7, vec![("date_of_birth".to_owned(), "impossible_date".to_owned())]),
        ]
    );
    assert_eq!(rejected[0]["external_id"], "IMP-005");
    assert_eq!(rejected[0]["errors"][0]["column"], "age_years");
    let message = rejected[0]["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("mixes digits"), "unexpected message: {message}");

    let imported = finish(&app, &admin, &id, "run", &example_mapping()).await;
    assert_eq!(summary(&imported, "summary"), [4, 0, 0, 3]);
    assert_eq!(app.list_ids(&caseworker, &[]).await.len(), 4);

    let rumana = case_by_name(&app, &caseworker, "রুমানা").await;
    assert_eq!(rumana["data"]["name_first"], "রুমানা আক্তার");
    assert_eq!(rumana["data"]["name_other_spellings"], "Rumana Akter");
    assert_eq!(rumana["data"]["age"], 7);
    assert_eq!(rumana["data"]["date_of_birth"], "2017-06-15");
    assert_eq!(rumana["data"]["household_size"], 5);
    assert_eq!(rumana["data"]["registration_date"], "2024-06-20");
    assert_eq!(rumana["version"], 1);
    let rumana_id = rumana["id"].as_str().expect("id");
    let (_, changes) = send(caseworker.get(app.api(&format!("/cases/{rumana_id}/changes")))).await;
    let paths: Vec<&str> =
        changes.as_array().expect("changes").iter().filter_map(|change| change["path"].as_str()).collect();
    assert!(paths.contains(&"name_first"), "change log: {paths:?}");
    assert!(paths.contains(&"household_size"), "change log: {paths:?}");
    let (_, tasks) = send(caseworker.get(app.api("/tasks"))).await;
    let items = tasks["items"].as_array().cloned().unwrap_or_default();
    let assessments = items.iter().filter(|item| item["kind"] == "assessment").count();
    assert_eq!(assessments, 4, "every imported case gets its assessment due item: {tasks}");

    let arif = case_by_name(&app, &caseworker, "আরিফ").await;
    assert_eq!(arif["data"]["age"], 7);
    assert_eq!(arif["data"]["date_of_birth"], "2017-06-15");
    assert_eq!(arif["data"]["household_size"], 12);
    assert_eq!(arif["data"]["phone"], "01700000002");

    let mitu = case_by_name(&app, &caseworker, "মিতু").await;
    assert_eq!(mitu["data"]["sex"], "female", "মহিলা is the Bangla label of female");
    assert_eq!(mitu["data"]["date_of_birth"], "2014-01-01");
    assert_eq!(mitu["data"]["household_size"], 4);
    let name = mitu["data"]["name_first"].as_str().unwrap_or_default();
    assert_eq!(name, "মিতু রানী দাস");
    assert_eq!(common::code_points(name), common::code_points(&sathi_domain::text::nfc(name)), "not NFC");

    let tanvir = case_by_name(&app, &caseworker, "তানভীর").await;
    assert_eq!(tanvir["data"]["sex"], "male");
    assert_eq!(tanvir["data"]["age"], 8);
    assert_eq!(tanvir["data"]["date_of_birth"], "2016-02-03");
    assert_eq!(tanvir["data"]["phone"], "01700000004");
    assert_eq!(tanvir["owner_agency_id"], AGENCY_A);

    let created = rows(&app, &admin, &id, Some("created")).await;
    let numbers: Vec<i64> = created.iter().map(|row| row["row"].as_i64().unwrap_or(0)).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);

    let entries = app.state.store.audit_entries(None, 50).await.expect("audit log");
    let run_entry = entries.iter().find(|entry| entry.action == "import.run").expect("an import.run entry");
    assert_eq!(run_entry.outcome, "ok");
    assert_eq!(run_entry.detail["import_id"], json!(id));
    assert_eq!(run_entry.detail["created"], 4);
    assert_eq!(run_entry.detail["rejected"], 3);
    assert!(entries.iter().any(|entry| entry.action == "import.dry_run"), "no import.dry_run entry");
    let logged =
        serde_json::to_string(&entries.iter().map(|entry| &entry.detail).collect::<Vec<_>>()).unwrap();
    assert!(!logged.contains("রুমানা"), "the audit log contains a name: {logged}");
    assert!(!logged.contains("IMP-001"), "the audit log contains an external id: {logged}");
    assert!(created.iter().all(|row| row["display_id"].as_str().is_some_and(|id| id.starts_with("CXB-"))));
}

async fn reimport_updates_never_duplicates(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let first = upload(&app, &admin, "csv", "first.csv", EXAMPLE_CSV).await;
    let first_id = first["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &first_id, "dry-run", &example_mapping()).await;
    finish(&app, &admin, &first_id, "run", &example_mapping()).await;

    let again = upload(&app, &admin, "csv", "again.csv", EXAMPLE_CSV).await;
    let again_id = again["id"].as_str().expect("id").to_owned();
    let checked = finish(&app, &admin, &again_id, "dry-run", &example_mapping()).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 0, 4, 3]);
    let done = finish(&app, &admin, &again_id, "run", &example_mapping()).await;
    assert_eq!(summary(&done, "summary"), [0, 0, 4, 3]);
    assert_eq!(app.list_ids(&caseworker, &[]).await.len(), 4);
    let rumana = case_by_name(&app, &caseworker, "রুমানা").await;
    assert_eq!(rumana["version"], 1, "an unchanged row wrote a new version");

    // Household size 5 → 6 in IMP-001.
    let text = String::from_utf8(EXAMPLE_CSV.to_vec()).expect("UTF-8");
    let changed = text.replace("15/06/2017,5,01700000001", "15/06/2017,6,01700000001");
    assert_ne!(changed, text);
    let third = upload(&app, &admin, "csv", "changed.csv", changed.as_bytes()).await;
    let third_id = third["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &third_id, "dry-run", &example_mapping()).await;
    let done = finish(&app, &admin, &third_id, "run", &example_mapping()).await;
    assert_eq!(summary(&done, "summary"), [0, 1, 3, 3]);
    assert_eq!(app.list_ids(&caseworker, &[]).await.len(), 4, "a changed row made a second case");
    let rumana_after = case_by_name(&app, &caseworker, "রুমানা").await;
    assert_eq!(rumana_after["id"], rumana["id"]);
    assert_eq!(rumana_after["version"], 2);
    assert_eq!(rumana_after["data"]["household_size"], 6);
    let (_, changes) =
        send(caseworker.get(app.api(&format!("/cases/{}/changes", rumana["id"].as_str().unwrap())))).await;
    let last: Vec<&Value> =
        changes.as_array().expect("changes").iter().filter(|change| change["version"] == 2).collect();
    assert_eq!(last.len(), 1, "version 2 should change one field: {last:?}");
    assert_eq!(last[0]["path"], "household_size");
}

async fn external_id_ignores_letter_case(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let mapping = json!({
        "columns": [{"column": "name", "field": "name_first"}, {"column": "sex", "field": "sex"}],
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });
    let import = |name: &'static str, csv: &'static str| {
        let (app, admin, mapping) = (&app, &admin, &mapping);
        async move {
            let uploaded = upload(app, admin, "csv", name, csv.as_bytes()).await;
            let id = uploaded["id"].as_str().expect("id").to_owned();
            finish(app, admin, &id, "dry-run", mapping).await;
            let done = finish(app, admin, &id, "run", mapping).await;
            (id, done)
        }
    };

    let (first_id, first) = import("first.csv", "case_ref,name,sex\nd-1,Rina,female\n").await;
    assert_eq!(summary(&first, "summary"), [1, 0, 0, 0]);
    let created = rows(&app, &admin, &first_id, None).await;
    assert_eq!(created[0]["external_id"], "D-1");

    let (_, second) = import("second.csv", "case_ref,name,sex\nD-1,Rina,female\n").await;
    assert_eq!(summary(&second, "summary"), [0, 0, 1, 0], "D-1 made a second case: {second}");

    let (third_id, third) =
        import("third.csv", "case_ref,name,sex\n d-1 ,Rina Akter,female\nD-2,Mina,female\nd-2,Mina,female\n")
            .await;
    assert_eq!(summary(&third, "summary"), [1, 1, 0, 1]);
    let rejected = rows(&app, &admin, &third_id, Some("rejected")).await;
    assert_eq!(rejected[0]["row"], 3);
    assert_eq!(rejected[0]["external_id"], "D-2");
    assert_eq!(rejected[0]["errors"][0]["code"], "import_duplicate_row");
    assert_eq!(app.list_ids(&caseworker, &[]).await.len(), 2);
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    assert_eq!(rina["data"]["name_first"], "Rina Akter");
    assert_eq!(rina["version"], 2);
}

async fn repeat_in_later_batch_is_rejected(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let mapping = json!({
        "columns": [{"column": "name", "field": "name_first"}, {"column": "sex", "field": "sex"}],
        "case_id_column": "id",
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });
    let uploaded =
        upload(&app, &admin, "csv", "first.csv", b"id,case_ref,name,sex\n,E-1,Rina,female\n").await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    finish(&app, &admin, &id, "run", &mapping).await;
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    let rina_display = rina["display_id"].as_str().expect("display id");

    // 700 rows, so two batches of 500. Row 600 names Rina's case by its external id after row 1
    // named it by its display id, and row 700 repeats the external id of row 2.
    let mut csv = format!("id,case_ref,name,sex\n{rina_display},,Rina Akter,female\n,E-5,Mina,female\n");
    for row in 3..=699 {
        if row == 600 {
            csv.push_str(",e-1,Rina Begum,female\n");
        } else {
            csv.push_str(&format!(",N-{row},Child {row},male\n"));
        }
    }
    csv.push_str(",E-5,Mina Khatun,female\n");
    let uploaded = upload(&app, &admin, "csv", "second.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    let checked = finish(&app, &admin, &id, "dry-run", &mapping).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [697, 1, 0, 2]);
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [697, 1, 0, 2]);
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    let reasons: Vec<(i64, &str, &str)> = rejected
        .iter()
        .map(|row| {
            let error = &row["errors"][0];
            (
                row["row"].as_i64().unwrap_or(0),
                error["code"].as_str().unwrap_or(""),
                error["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (
                600,
                "import_duplicate_row",
                "Value \"E-1\": This case is already in row 1 of the file. Keep one row for each case."
            ),
            (
                700,
                "import_duplicate_row",
                "Value \"E-5\": This case is already in row 2 of the file. Keep one row for each case."
            ),
        ]
    );
    let rina = case_by_name(&app, &caseworker, "Rina Akter").await;
    assert_eq!(rina["version"], 2);
    let mina = case_by_name(&app, &caseworker, "Mina").await;
    assert_eq!(mina["data"]["name_first"], "Mina");
}

fn ids_mapping() -> Value {
    json!({
        "columns": [{"column": "name", "field": "name_first"}, {"column": "sex", "field": "sex"}],
        "case_id_column": "id",
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    })
}

/// Uploads `csv`, checks it and imports it with `mapping`; returns the import's id, the finished
/// dry run and the finished run.
async fn check_and_import(
    app: &TestApp,
    admin: &Client,
    csv: &str,
    mapping: &Value,
) -> (String, Value, Value) {
    let uploaded = upload(app, admin, "csv", "cases.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    let checked = finish(app, admin, &id, "dry-run", mapping).await;
    let done = finish(app, admin, &id, "run", mapping).await;
    (id, checked, done)
}

async fn case_changed_after_check_is_rejected(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let mapping = ids_mapping();
    check_and_import(&app, &admin, "id,case_ref,name,sex\n,E-1,Rina,female\n,E-2,Mina,female\n", &mapping)
        .await;
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    let rina_id = rina["id"].as_str().expect("id").to_owned();

    let csv = "id,case_ref,name,sex\n,E-1,Rina Akter,female\n,E-2,Mina Akter,female\n";
    let uploaded = upload(&app, &admin, "csv", "second.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    let checked = finish(&app, &admin, &id, "dry-run", &mapping).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 2, 0, 0]);
    // The caseworker corrects Rina's name after the check and before the run.
    let (status, body) = send(
        caseworker
            .patch(app.api(&format!("/cases/{rina_id}")))
            .json(&json!({"changes": [{"path": "name_first", "value": "Rina Begum"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [0, 1, 0, 1]);
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    assert_eq!(rejected[0]["row"], 1);
    assert_eq!(rejected[0]["errors"][0]["code"], "import_case_changed_since_check");
    let message = rejected[0]["errors"][0]["message"].as_str().unwrap_or("");
    assert_eq!(
        message,
        "Someone changed this case after the file was checked, so this row was not written. Check the file again, then import it."
    );
    let (_, kept) = send(caseworker.get(app.api(&format!("/cases/{rina_id}")))).await;
    assert_eq!(kept["data"]["name_first"], "Rina Begum");

    // Checked again, the row shows what it overwrites, and the run writes it.
    let checked = finish(&app, &admin, &id, "dry-run", &mapping).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 1, 1, 0]);
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [0, 1, 1, 0]);
    let (_, written) = send(caseworker.get(app.api(&format!("/cases/{rina_id}")))).await;
    assert_eq!(written["data"]["name_first"], "Rina Akter");
}

async fn row_ids_of_two_cases_rejected(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let mapping = ids_mapping();
    check_and_import(&app, &admin, "id,case_ref,name,sex\n,E-1,Rina,female\n,E-2,Mina,female\n", &mapping)
        .await;
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    let rina_display = rina["display_id"].as_str().expect("display id");

    // Row 1 names Rina by her display id and Mina by her external id. Row 2 gives Rina an
    // external id she does not have. Row 3 names Rina by both of her ids.
    let csv = format!(
        "id,case_ref,name,sex\n{rina_display},E-2,Rina Akter,female\n{rina_display},E-9,Rina Akter,female\n{rina_display},e-1,Rina Akter,female\n"
    );
    let (id, checked, done) = check_and_import(&app, &admin, &csv, &mapping).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 1, 0, 2]);
    assert_eq!(summary(&done, "summary"), [0, 1, 0, 2]);
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    let messages: Vec<&str> =
        rejected.iter().map(|row| row["errors"][0]["message"].as_str().unwrap_or("")).collect();
    assert_eq!(
        messages,
        [
            format!(
                "The Sathi case id \"{rina_display}\" and the old system's case number \"E-2\" belong to two different cases, so this row was not written. Correct one of them in the file."
            ),
            format!(
                "The Sathi case id \"{rina_display}\" and the old system's case number \"E-9\" belong to two different cases, so this row was not written. Correct one of them in the file."
            ),
        ]
    );
    let mina = case_by_name(&app, &caseworker, "Mina").await;
    assert_eq!(mina["version"], 1);
    let rina = case_by_name(&app, &caseworker, "Rina Akter").await;
    assert_eq!(rina["version"], 2);
}

async fn impossible_date_is_rejected_not_swapped(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let csv = "case_ref,name,sex,dob\nD-1,Rina,female,31/02/2015\nD-2,Mina,female,13/25/2020\nD-3,Tina,female,02/03/2015\nD-4,Lina,female,2015-03-02\nD-5,,female,01/01/2015\n";
    let mapping = json!({
        "date_format": "dd/mm/yyyy",
        "columns": [
            {"column": "name", "field": "name_first"},
            {"column": "sex", "field": "sex"},
            {"column": "dob", "field": "date_of_birth"}
        ],
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });
    let uploaded = upload(&app, &admin, "csv", "dates.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    let all = rows(&app, &admin, &id, None).await;
    assert_eq!(error_codes(&all[0]), vec![("date_of_birth".to_owned(), "impossible_date".to_owned())]);
    assert_eq!(error_codes(&all[1]), vec![("date_of_birth".to_owned(), "impossible_date".to_owned())]);
    let message = all[0]["errors"][0]["message"].as_str().expect("a message");
    assert!(message.starts_with("Value \"31/02/2015\": "), "the failing value is not shown: {message}");
    assert_eq!(all[0]["errors"][0]["column"], "dob");
    assert_eq!(all[2]["outcome"], "created");
    assert_eq!(all[3]["outcome"], "created", "ISO dates are accepted whatever the declared format");
    assert_eq!(error_codes(&all[4]), vec![("name_first".to_owned(), "required".to_owned())]);
    let message = all[4]["errors"][0]["message"].as_str().expect("a message");
    assert!(message.contains("Fill in the cell in the file"), "an import has no save: {message}");

    finish(&app, &admin, &id, "run", &mapping).await;
    let created = rows(&app, &admin, &id, Some("created")).await;
    let (_, tina) =
        send(admin.get(app.api(&format!("/cases/{}", created[0]["case_id"].as_str().unwrap())))).await;
    assert_eq!(tina["data"]["date_of_birth"], "2015-03-02", "02/03/2015 is 2 March in dd/mm/yyyy");
}

async fn xlsx_dates_follow_workbook_date_system(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let mapping = json!({
        "columns": [
            {"column": "name", "field": "name_first"},
            {"column": "sex", "field": "sex"},
            {"column": "date_of_birth", "field": "date_of_birth"}
        ],
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });

    // The 1900 date system, as Excel writes by default.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook.add_worksheet();
    for (column, header) in ["case_ref", "name", "sex", "date_of_birth"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).expect("header");
    }
    sheet.write_string(1, 0, "X-1900").expect("cell");
    sheet.write_string(1, 1, "আরিফ হোসেন").expect("cell");
    sheet.write_string(1, 2, "Male").expect("cell");
    let born = rust_xlsxwriter::ExcelDateTime::from_ymd(2017, 6, 15).expect("date");
    sheet.write_datetime_with_format(1, 3, &born, &date_format).expect("date cell");
    let bytes = workbook.save_to_buffer().expect("workbook");

    for (name, bytes, person) in
        [("dates-1900.xlsx", bytes.as_slice(), "আরিফ"), ("dates-1904.xlsx", WORKBOOK_1904, "রুমানা")]
    {
        let uploaded = upload(&app, &admin, "xlsx", name, bytes).await;
        let id = uploaded["id"].as_str().expect("id").to_owned();
        assert_eq!(uploaded["columns"], json!(["case_ref", "name", "sex", "date_of_birth"]), "{name}");
        assert_eq!(uploaded["sample"][0][3], "2017-06-15", "{name}: the sample shows the converted date");
        finish(&app, &admin, &id, "dry-run", &mapping).await;
        let done = finish(&app, &admin, &id, "run", &mapping).await;
        assert_eq!(summary(&done, "summary"), [1, 0, 0, 0], "{name}: {done}");
        let case = case_by_name(&app, &caseworker, person).await;
        assert_eq!(case["data"]["date_of_birth"], "2017-06-15", "{name}: wrong date system");
    }
}

async fn bom_removed_and_headers_trimmed(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let csv = "\u{feff} Case Ref , First name ,Sex\nB-1,Rina,female\n";
    let uploaded = upload(&app, &admin, "csv", "bom.csv", csv.as_bytes()).await;
    assert_eq!(uploaded["columns"], json!(["Case Ref", "First name", "Sex"]));
    let suggested = &uploaded["suggested_mapping"]["columns"];
    assert_eq!(
        suggested,
        &json!([{"column": "First name", "field": "name_first"}, {"column": "Sex", "field": "sex"}]),
        "headers that equal field labels are suggested"
    );
    let mapping = json!({
        "columns": suggested,
        "external_id_column": " Case Ref ",
        "owner": "cw.rahima"
    });
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [1, 0, 0, 0]);
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    assert_eq!(rina["data"]["sex"], "female");
}

async fn lookup_matches_labels_after_nfc(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    // শোষণ typed with the vowel sign ো in two code points (U+09C7 U+09BE), which NFC composes.
    let decomposed = "যৌন শ\u{09C7}\u{09BE}ষণ";
    let csv = format!(
        "id,name,sex,concerns\nL-1,Rina,FEMALE,{decomposed};CHILD LABOUR\nL-2,Mina,girl,separated\nL-3,Tina,female,smuggling\n"
    );
    let mapping = json!({
        "columns": [
            {"column": "name", "field": "name_first"},
            {"column": "sex", "field": "sex"},
            {"column": "concerns", "field": "protection_concerns"}
        ],
        "external_id_column": "id",
        "owner": "cw.rahima"
    });
    let uploaded = upload(&app, &admin, "csv", "lookups.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [1, 0, 0, 2]);
    let rina = case_by_name(&app, &caseworker, "Rina").await;
    assert_eq!(rina["data"]["sex"], "female");
    assert_eq!(rina["data"]["protection_concerns"], json!(["sexual_exploitation", "child_labour"]));

    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    assert_eq!(error_codes(&rejected[0]), vec![("sex".to_owned(), "unknown_option".to_owned())]);
    let message = rejected[0]["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("\"girl\""), "the message does not name the value: {message}");
    assert!(
        message.contains("Female, Male, Other"),
        "the message does not list the allowed values: {message}"
    );
    assert_eq!(
        error_codes(&rejected[1]),
        vec![("protection_concerns".to_owned(), "unknown_option".to_owned())]
    );
}

async fn incumbent_json_imports_subform_rows(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let export = json!([
        {
            "id": "5f0c1c9e-2b7a-4a55-9b0e-0a4c3c1d2e11",
            "data": {
                "case_id": "5f0c1c9e-2b7a-4a55-9b0e-0a4c3c1d2e11",
                "case_id_display": "2e11abc",
                "name_first": "Rumana",
                "name_last": "Akter",
                "sex": "female",
                "date_of_birth": "2017-06-15",
                "registration_date": "2023-11-02",
                "risk_level": "high",
                "location_current": "BD-CTG-CXB-UKH-C01E",
                "protection_concerns": ["separated", "sexually_exploited"],
                "owned_by": "someone.else",
                "status": "open",
                "family_details_section": [
                    {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01", "relation_name": "Amina", "relation": "mother",
                     "relation_is_alive": "alive", "relation_age": 34},
                    {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c02", "relation_name": "Karim", "relation": "uncle",
                     "relation_is_caregiver": true}
                ]
            }
        },
        {"id": "no-data-record"}
    ]);
    let bytes = serde_json::to_vec(&export).expect("JSON");
    let uploaded = upload(&app, &admin, "incumbent_json", "export.json", &bytes).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    assert!(
        uploaded["columns"]
            .as_array()
            .is_some_and(|columns| columns.contains(&json!("family_details_section")))
    );
    let mapping = json!({"owner": "cw.rahima"});
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [1, 0, 0, 1], "{done}");
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    assert_eq!(error_codes(&rejected[0]), vec![(String::new(), "import_record_without_data".to_owned())]);

    let case = case_by_name(&app, &caseworker, "Rumana").await;
    assert_eq!(case["data"]["registration_date"], "2023-11-02");
    assert_eq!(case["data"]["protection_concerns"], json!(["separated", "sexual_exploitation"]));
    assert_eq!(
        case["data"]["family_members"],
        json!([
            {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01", "name": "Amina", "relation": "mother", "alive": "yes", "age": 34},
            {"unique_id": "0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c02", "name": "Karim", "relation": "uncle", "is_caregiver": true}
        ])
    );
    assert_ne!(case["display_id"], "2e11abc", "Sathi makes its own display id");

    let again = upload(&app, &admin, "incumbent_json", "export.json", &bytes).await;
    let again_id = again["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &again_id, "dry-run", &mapping).await;
    let done = finish(&app, &admin, &again_id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [0, 0, 1, 1], "the same export changed the case: {done}");
}

async fn invalid_row_id_shows_value_and_fix(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    app.create_user("admin.bn", "agency_admin", AGENCY_A, "bn").await;
    let admin_bn = app.login("admin.bn", PASSWORD).await;
    let export = json!([
        {"id": "R-1", "data": {"name_first": "Rumana", "family_details_section": [
            {"unique_id": "row-1", "relation_name": "Amina", "relation": "mother"}
        ]}},
        {"id": "R-2", "data": {"name_first": "Karim", "family_details_section": [
            {"relation_name": "Salma", "relation": "mother"}
        ]}}
    ]);
    let bytes = serde_json::to_vec(&export).expect("JSON");
    let uploaded = upload(&app, &admin, "incumbent_json", "export.json", &bytes).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    let checked = finish(&app, &admin, &id, "dry-run", &json!({"owner": "cw.rahima"})).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 0, 0, 2]);

    let advice = "A row of this list has a missing, invalid or repeated id. Each row needs its own UUID \
                  under \"unique_id\", written as 32 hexadecimal digits with or without hyphens, such as \
                  0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01. Give the row such an id in the file, then check the \
                  file again.";
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    assert_eq!(rejected[0]["errors"][0]["code"], "import_invalid_row_id");
    assert_eq!(rejected[0]["errors"][0]["column"], "family_details_section");
    assert_eq!(rejected[0]["errors"][0]["message"], format!("Value \"row-1\": {advice}"));
    assert_eq!(rejected[1]["errors"][0]["message"], advice, "a missing id has no value to show");

    let rejected_bn = rows(&app, &admin_bn, &id, Some("rejected")).await;
    assert_eq!(
        rejected_bn[0]["errors"][0]["message"],
        "মান \"row-1\": এই তালিকার একটি সারির আইডি নেই, সঠিক নয়, অথবা অন্য সারির আইডির সাথে মিলে গেছে। \
         প্রতিটি সারির \"unique_id\"-তে নিজস্ব একটি UUID লাগবে, যা হাইফেনসহ বা হাইফেন ছাড়া ৩২টি হেক্সাডেসিমাল \
         অঙ্কে লেখা, যেমন 0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01। ফাইলে সারিটিকে এমন একটি আইডি দিন, তারপর ফাইলটি \
         আবার যাচাই করুন।"
    );
}

async fn row_outside_scope_rejected_like_unknown_id(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    app.create_user("cw.other", "caseworker", AGENCY_B, "en").await;
    let other = app.login("cw.other", PASSWORD).await;
    let outside = app.create_case(&other, child("Outside")).await;
    let outside_id = outside["display_id"].as_str().expect("display id");

    let csv = format!("case,name\n{outside_id},Changed\nCXB-ZZZZZZ,Unknown\n");
    let mapping = json!({
        "columns": [{"column": "name", "field": "name_first"}],
        "case_id_column": "case",
        "owner": "cw.rahima"
    });
    let uploaded = upload(&app, &admin, "csv", "scope.csv", csv.as_bytes()).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &mapping).await;
    let done = finish(&app, &admin, &id, "run", &mapping).await;
    assert_eq!(summary(&done, "summary"), [0, 0, 0, 2]);
    let rejected = rows(&app, &admin, &id, Some("rejected")).await;
    assert_eq!(rejected[0]["errors"][0]["code"], "import_case_not_found");
    let outside_message = rejected[0]["errors"][0]["message"].as_str().expect("a message");
    let unknown_message = rejected[1]["errors"][0]["message"].as_str().expect("a message");
    assert_eq!(
        outside_message.replace(outside_id, "CXB-ZZZZZZ"),
        unknown_message,
        "a case outside the scope must read like an unknown id"
    );
    assert!(outside_message.starts_with(&format!("Value \"{outside_id}\": ")), "{outside_message}");
    let (_, unchanged) =
        send(other.get(app.api(&format!("/cases/{}", outside["id"].as_str().unwrap())))).await;
    assert_eq!(unchanged["data"]["name_first"], "Outside");
    assert_eq!(unchanged["version"], 1);
}

async fn run_needs_dry_run_with_same_mapping(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    let (status, body) = start(&app, &admin, &id, "run", &example_mapping()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "import_needs_dry_run");

    finish(&app, &admin, &id, "dry-run", &example_mapping()).await;
    let mut other = example_mapping();
    other["date_format"] = json!("mm/dd/yyyy");
    let (status, body) = start(&app, &admin, &id, "run", &other).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "import_needs_dry_run");
    assert!(app.list_ids(&caseworker, &[]).await.is_empty());

    let mut broken = example_mapping();
    broken["columns"][0]["column"] = json!("no_such_column");
    broken["owner"] = Value::Null;
    let (status, body) = start(&app, &admin, &id, "dry-run", &broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "import_mapping_invalid");
    let codes: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|field| field["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["import_unknown_column", "import_mapping_no_owner"]);

    let mut stranger = example_mapping();
    stranger["owner"] = json!("nobody.here");
    let (status, body) = start(&app, &admin, &id, "dry-run", &stranger).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "import_owner_invalid");
}

async fn finished_run_needs_new_dry_run(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &example_mapping()).await;
    let imported = finish(&app, &admin, &id, "run", &example_mapping()).await;
    assert_eq!(summary(&imported, "summary"), [4, 0, 0, 3]);

    let (status, body) = start(&app, &admin, &id, "run", &example_mapping()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "import_needs_dry_run");
    let (_, after) = send(admin.get(app.api(&format!("/imports/{id}")))).await;
    assert_eq!(after["state"], "done");
    assert_eq!(summary(&after, "summary"), [4, 0, 0, 3]);

    let checked = finish(&app, &admin, &id, "dry-run", &example_mapping()).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [0, 0, 4, 3]);
    let again = finish(&app, &admin, &id, "run", &example_mapping()).await;
    assert_eq!(summary(&again, "summary"), [0, 0, 4, 3]);
    assert_eq!(app.list_ids(&caseworker, &[]).await.len(), 4);
}

async fn import_of_other_agency_is_not_found(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    app.create_user("admin.other", "agency_admin", AGENCY_B, "en").await;
    let other_admin = app.login("admin.other", PASSWORD).await;
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();

    let (status, missing) =
        send(other_admin.get(app.api(&format!("/imports/{}", uuid::Uuid::now_v7())))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, foreign) = send(other_admin.get(app.api(&format!("/imports/{id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(foreign, missing, "another agency's import must read like a missing one");
    let (_, listed) = send(other_admin.get(app.api("/imports"))).await;
    assert_eq!(listed, json!([]));

    let (status, _) = send(caseworker.get(app.api("/imports"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker has no import grant");
    let (status, _) =
        send(caseworker.post(app.api("/imports")).query(&[("format", "csv")]).body(EXAMPLE_CSV.to_vec()))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn stale_job_fails_and_runs_again(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();

    // A job that claimed the import ten minutes ago and whose process then died.
    let admin_user = app.state.store.user_by_username("admin.mizan").await.unwrap().expect("admin");
    let principal = sathi_server::auth::principal_of(&app.state, &admin_user).await.expect("principal");
    let mapping = serde_json::to_value(
        serde_json::from_value::<sathi_domain::import::Mapping>(example_mapping()).unwrap(),
    )
    .unwrap();
    let long_ago = app.state.now() - time::Duration::minutes(10);
    let import_id = sathi_store::ImportId(id.parse().expect("uuid"));
    let claimed = app
        .state
        .store
        .claim_import(
            &principal,
            import_id,
            sathi_store::JobKind::DryRun,
            &mapping,
            uuid::Uuid::now_v7(),
            long_ago,
        )
        .await
        .expect("claim");
    assert!(matches!(claimed, Some(sathi_store::Claim::Claimed(_))));

    let (_, stale) = send(admin.get(app.api(&format!("/imports/{id}")))).await;
    assert_eq!(stale["state"], "failed");
    assert_eq!(stale["error_code"], "import_interrupted");
    assert!(stale["error"].as_str().is_some_and(|message| message.contains("server stopped")), "{stale}");

    let checked = finish(&app, &admin, &id, "dry-run", &example_mapping()).await;
    assert_eq!(summary(&checked, "dry_run_summary"), [4, 0, 0, 3]);
}

async fn report_lists_every_reason(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    app.create_user("admin.bn", "agency_admin", AGENCY_A, "bn").await;
    let admin_bn = app.login("admin.bn", PASSWORD).await;
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let id = uploaded["id"].as_str().expect("id").to_owned();
    finish(&app, &admin, &id, "dry-run", &example_mapping()).await;

    let response = admin
        .get(app.api(&format!("/imports/{id}/report")))
        .query(&[("format", "csv")])
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("report bytes");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "the CSV report has no byte order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Row,Outcome,Case ID,ID in the other system,Column,Field,Reason");
    assert_eq!(lines.len(), 8, "one line per row: {text}");
    assert!(lines[1].starts_with("1,New case,,IMP-001,"), "{}", lines[1]);
    assert!(lines[7].starts_with("7,Rejected,,IMP-007,date_of_birth,Date of birth,"), "{}", lines[7]);

    let response = admin_bn
        .get(app.api(&format!("/imports/{id}/report")))
        .query(&[("format", "xlsx")])
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("report bytes");
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
    use calamine::Reader as _;
    let sheet = workbook.worksheet_range_at(0).expect("a sheet").expect("readable sheet");
    assert_eq!(sheet.get_value((0, 0)).map(ToString::to_string).as_deref(), Some("সারি"));
    assert_eq!(sheet.get_value((7, 1)).map(ToString::to_string).as_deref(), Some("বাদ পড়েছে"));
    assert_eq!(sheet.get_value((7, 5)).map(ToString::to_string).as_deref(), Some("জন্ম তারিখ"));
}

async fn semicolon_csv_is_rejected_with_advice(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let csv = "case_ref;name;sex\nS-1;Rina;female\n";
    let (status, body) = send(
        admin
            .post(app.api("/imports"))
            .query(&[("format", "csv"), ("file_name", "semicolons.csv")])
            .header("content-type", "application/octet-stream")
            .body(csv.as_bytes().to_vec()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "import_not_comma_separated");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(message.contains("CSV UTF-8 (Comma delimited)"), "{message}");
}

async fn saved_mappings_belong_to_agency(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    app.create_user("admin.other", "agency_admin", AGENCY_B, "en").await;
    let other_admin = app.login("admin.other", PASSWORD).await;
    let request = json!({"name": "Camp spreadsheet", "format": "csv", "mapping": example_mapping()});
    let (status, saved) = send(admin.post(app.api("/import-mappings")).json(&request)).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["mapping"]["external_id_column"], "case_ref");
    let (status, replaced) = send(admin.post(app.api("/import-mappings")).json(&request)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, listed) = send(admin.get(app.api("/import-mappings"))).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "saving under the same name replaces: {listed}");
    assert_eq!(listed[0]["id"], replaced["id"]);

    let (_, foreign) = send(other_admin.get(app.api("/import-mappings"))).await;
    assert_eq!(foreign, json!([]));
    let mapping_id = replaced["id"].as_str().expect("id");
    let (status, _) = send(other_admin.delete(app.api(&format!("/import-mappings/{mapping_id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(admin.delete(app.api(&format!("/import-mappings/{mapping_id}")))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

async fn upload_over_two_mib_is_accepted(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    // 40,000 rows of about 80 bytes: larger than the 2 MiB every other route takes.
    let mut csv = String::from("case_ref,name,sex,notes\n");
    for index in 0..40_000 {
        csv.push_str(&format!("BIG-{index:06},Name {index},female,{}\n", "x".repeat(50)));
    }
    assert!(csv.len() > 3 * 1024 * 1024, "the file is only {} bytes", csv.len());
    let uploaded = upload(&app, &admin, "csv", "big.csv", csv.as_bytes()).await;
    assert_eq!(uploaded["progress"]["rows_total"], 40_000);
    assert_eq!(uploaded["sample"].as_array().map(Vec::len), Some(5));
}

async fn version_race_rejects_the_row(backend: Backend) {
    let Setup { app, admin, caseworker } = setup(backend).await;
    let case = app.create_case(&caseworker, child("Rina")).await;
    let case_id = sathi_domain::ids::CaseId(case["id"].as_str().expect("id").parse().expect("uuid"));
    let uploaded = upload(&app, &admin, "csv", "example.csv", EXAMPLE_CSV).await;
    let import_id = sathi_store::ImportId(uploaded["id"].as_str().expect("id").parse().expect("uuid"));

    let admin_user = app.state.store.user_by_username("admin.mizan").await.unwrap().expect("admin");
    let principal = sathi_server::auth::principal_of(&app.state, &admin_user).await.expect("principal");
    let job_id = uuid::Uuid::now_v7();
    let mapping = serde_json::to_value(sathi_domain::import::Mapping::default()).unwrap();
    let claimed = app
        .state
        .store
        .claim_import(&principal, import_id, sathi_store::JobKind::DryRun, &mapping, job_id, app.state.now())
        .await
        .expect("claim");
    assert!(matches!(claimed, Some(sathi_store::Claim::Claimed(_))));

    // The row was checked against version 1, but the caseworker saved version 2 meanwhile.
    let (status, _) = send(
        caseworker
            .patch(app.api(&format!("/cases/{}", case_id.0)))
            .json(&json!({"changes": [{"path": "name_nickname", "value": "Rinu"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let record = app.state.store.case(&principal, case_id).await.unwrap().expect("case");
    let mut data = record.data.clone();
    data.insert("name_middle".to_owned(), json!("Akter"));
    let update = sathi_store::CaseUpdate {
        id: case_id,
        action: sathi_domain::permissions::Action::Import,
        expected_version: 1,
        data,
        changes: Vec::new(),
        status: record.status,
        enabled: true,
        now: app.state.now(),
    };
    let batch = sathi_store::ImportBatch {
        import_id,
        job_id,
        writes: vec![sathi_store::ImportWrite::Update { row_number: 1, update, external_id: None }],
        rows: Vec::new(),
        rows_done: 1,
        rows_total: Some(1),
        now: app.state.now(),
    };
    let outcomes = app
        .state
        .store
        .write_import_batch(&principal, &batch, &|| "CXB-RACE01".to_owned())
        .await
        .expect("batch")
        .expect("the job owns the import");
    assert_eq!(outcomes[0].outcome, "rejected");
    assert_eq!(outcomes[0].errors[0]["code"], "import_case_changed");
    let after = app.state.store.case(&principal, case_id).await.unwrap().expect("case");
    assert_eq!(after.version, 2, "the stale row was written");
    assert!(!after.data.contains_key("name_middle"));

    let import_rows = rows(&app, &admin, uploaded["id"].as_str().expect("id"), None).await;
    let message = import_rows[0]["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("changed this case while"), "unclear reason: {message}");
}
