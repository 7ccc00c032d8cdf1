//! Import uploads, row errors and interrupted jobs over real HTTP on SQLite and PostgreSQL.
//! The cases: a file that is not UTF-8, a file over the size limit, a repeated header, date
//! errors in the mapping's format, the audit entry of a job whose server stopped, the users who
//! may own imported cases, and paging of the row outcomes.

mod common;

use std::time::Duration;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;

backend_tests!(
    latin1_csv_rejected_at_upload,
    oversized_import_gets_own_413,
    date_error_names_mapping_format,
    interrupted_jobs_are_audited,
    import_owners_are_scope_users,
    rows_paging_out_of_range_rejected,
    repeated_header_rejected_at_upload,
    unknown_parameter_values_list_allowed,
);

/// A running server with the import date 2024-06-20, an English and a Bangla agency
/// administrator, and the caseworker who owns imported cases.
struct Setup {
    app: TestApp,
    admin: Client,
    admin_bn: Client,
}

async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2024-06-20 06:00 UTC));
    app.create_user("admin.mizan", "agency_admin", AGENCY_A, "en").await;
    app.create_user("admin.shamsun", "agency_admin", AGENCY_A, "bn").await;
    app.create_user("cw.rahima", "caseworker", AGENCY_A, "en").await;
    let admin = app.login("admin.mizan", PASSWORD).await;
    let admin_bn = app.login("admin.shamsun", PASSWORD).await;
    Setup { app, admin, admin_bn }
}

async fn post_file(app: &TestApp, client: &Client, name: &str, bytes: &[u8]) -> (StatusCode, Value) {
    send(
        client
            .post(app.api("/imports"))
            .query(&[("format", "csv"), ("file_name", name)])
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec()),
    )
    .await
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

async fn latin1_csv_rejected_at_upload(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    // "José" saved in Latin-1: é is the single byte 0xE9, which is not UTF-8.
    let latin1 = b"ext,name,sex\nL-0,Rina,female\nL-1,Jos\xe9,male\n";
    let (status, body) = post_file(&app, &admin, "latin1.csv", latin1).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "import_not_utf8");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Row 2 of the file is not UTF-8 text"), "{message}");
    assert!(message.contains("\"CSV UTF-8\""), "{message}");
    let (_, listed) = send(admin.get(app.api("/imports"))).await;
    assert_eq!(listed, json!([]), "the rejected upload was kept");
}

/// Writes `POST /api/v1/imports?format=csv` whose Content-Length is one byte over 64 MiB, with
/// only the first bytes of the body, and returns the status and the response body.
async fn post_oversized(app: &TestApp, token: &str) -> (StatusCode, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.strip_prefix("http://").expect("an http address");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let length = 64 * 1024 * 1024 + 1;
    let head = format!(
        "POST /api/v1/imports?format=csv HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write the head");
    // The server responds from the Content-Length alone, so the rest of the body is never sent.
    let _ = stream.write_all(b"ext,name,sex\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, text) = response.split_once("\r\n\r\n").expect("a response head");
    let status: u16 = head.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status code");
    (StatusCode::from_u16(status).expect("a valid status"), text.to_owned())
}

async fn oversized_import_gets_own_413(backend: Backend) {
    let Setup { app, .. } = setup(backend).await;
    for (user, expected) in [
        ("admin.mizan", "The file is larger than the 64 MB an import accepts. Split it into smaller files"),
        ("admin.shamsun", "ফাইলটি ইমপোর্টের সর্বোচ্চ আকার ৬৪ MB-এর চেয়ে বড়। ফাইলটি কয়েকটি ছোট ফাইলে ভাগ করে"),
    ] {
        let token = app.login_token(user, PASSWORD).await;
        let (status, text) = post_oversized(&app, &token).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{user}: {text}");
        let body: Value =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"));
        assert_eq!(body["error"]["code"], "payload_too_large", "{user}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(expected), "{user}: {message}");
    }
}

/// Returns the message of the `date_of_birth` error of each rejected row, in row order.
async fn date_messages(app: &TestApp, client: &Client, id: &str) -> Vec<String> {
    let request = client.get(app.api(&format!("/imports/{id}/rows"))).query(&[("outcome", "rejected")]);
    let (status, body) = send(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = body["rows"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .map(|row| {
            let errors = row["errors"].as_array().cloned().unwrap_or_default();
            let date = errors.iter().find(|error| error["field"] == "date_of_birth");
            let date = date.unwrap_or_else(|| panic!("row {} has no date error: {row}", row["row"]));
            assert_eq!(date["code"], "invalid_date_format", "{row}");
            date["message"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

async fn date_error_names_mapping_format(backend: Backend) {
    let Setup { app, admin, admin_bn } = setup(backend).await;
    let csv = "case_ref,name,sex,born\n\
               D-1,Rina,female,2020/13/01\n\
               D-2,Mina,female,1/5/20\n\
               D-3,Tania,female,5 May 2020\n\
               D-4,Shila,female,2020-5-1\n\
               D-5,Ruma,female,15/06/2017\n";
    let (status, uploaded) = post_file(&app, &admin, "dates.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let id = uploaded["id"].as_str().expect("import id").to_owned();
    let mapping = json!({
        "date_format": "dd/mm/yyyy",
        "columns": [
            {"column": "name", "field": "name_first"},
            {"column": "sex", "field": "sex"},
            {"column": "born", "field": "date_of_birth"}
        ],
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });
    let (status, started) =
        send(admin.post(app.api(&format!("/imports/{id}/dry-run"))).json(&json!({"mapping": mapping}))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let checked = wait(&app, &admin, &id).await;
    assert_eq!(checked["state"], "dry_run_done", "{checked}");
    assert_eq!(checked["dry_run_summary"]["rejected"], 4, "{checked}");

    let english = date_messages(&app, &admin, &id).await;
    assert_eq!(english.len(), 4);
    assert_eq!(
        english[0],
        "Value \"2020/13/01\": This is not a date in the form day/month/year (dd/mm/yyyy) that this \
         import uses, such as 15/06/2017. A year-month-day date such as 2017-06-15 is accepted too."
    );
    for (message, value) in english.iter().zip(["2020/13/01", "1/5/20", "5 May 2020", "2020-5-1"]) {
        assert!(message.starts_with(&format!("Value \"{value}\": ")), "{message}");
        assert!(message.contains("(dd/mm/yyyy)"), "{message}");
    }

    let bangla = date_messages(&app, &admin_bn, &id).await;
    assert!(bangla[1].contains("দিন/মাস/বছর (dd/mm/yyyy)"), "{}", bangla[1]);
    assert!(bangla[1].contains("যেমন ১৫/০৬/২০১৭"), "{}", bangla[1]);
}

/// Returns the mapping of the interrupted jobs' file, as the server stores it.
fn stored_mapping() -> Value {
    let mapping = json!({
        "date_format": "dd/mm/yyyy",
        "columns": [{"column": "name", "field": "name_first"}, {"column": "sex", "field": "sex"}],
        "external_id_column": "case_ref",
        "owner": "cw.rahima"
    });
    let parsed: sathi_domain::import::Mapping = serde_json::from_value(mapping).expect("a valid mapping");
    serde_json::to_value(parsed).expect("a mapping serialises")
}

/// Claims import `id` for a job of `kind` ten minutes ago, as a process that then died would
/// have, and reads the import so that the server marks the job failed.
async fn interrupt(app: &TestApp, client: &Client, id: &str, kind: sathi_store::JobKind) {
    let admin = app.state.store.user_by_username("admin.mizan").await.unwrap().expect("admin");
    let principal = sathi_server::auth::principal_of(&app.state, &admin).await.expect("principal");
    let long_ago = app.state.now() - time::Duration::minutes(10);
    let import_id = sathi_store::ImportId(id.parse().expect("uuid"));
    let claimed = app
        .state
        .store
        .claim_import(&principal, import_id, kind, &stored_mapping(), uuid::Uuid::now_v7(), long_ago)
        .await
        .expect("claim");
    assert!(matches!(claimed, Some(sathi_store::Claim::Claimed(_))), "{kind:?} not claimed: {claimed:?}");
    let (_, stale) = send(client.get(app.api(&format!("/imports/{id}")))).await;
    assert_eq!(stale["error_code"], "import_interrupted", "{stale}");
}

/// Returns the audit entries of import jobs, oldest first.
async fn import_audit(app: &TestApp) -> Vec<sathi_store::StoredAuditEntry> {
    let mut entries = app.state.store.audit_entries(None, 1000).await.expect("audit log");
    entries.retain(|entry| entry.action.starts_with("import."));
    // The clock is fixed, so the entries have one time, and the store lists them newest first.
    entries.reverse();
    entries
}

async fn interrupted_jobs_are_audited(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let csv = "case_ref,name,sex\nK-1,Rina,female\nK-2,Mina,female\nK-3,,female\n";
    let (status, uploaded) = post_file(&app, &admin, "kill.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let id = uploaded["id"].as_str().expect("import id").to_owned();

    interrupt(&app, &admin, &id, sathi_store::JobKind::DryRun).await;
    let entries = import_audit(&app).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].action, "import.dry_run");
    assert_eq!(entries[0].outcome, "failed");
    assert_eq!(entries[0].user_id, None);
    assert_eq!(entries[0].detail["import_id"], id.as_str());
    assert_eq!(entries[0].detail["error"], "import_interrupted");
    assert_eq!(entries[0].detail["rows_done"], 0);

    // A dry run that finishes, then a run that stops after the dry run's row outcomes were
    // cleared: its counts are those of the rows it wrote, none here.
    let request = json!({"mapping": stored_mapping()});
    let (status, started) = send(admin.post(app.api(&format!("/imports/{id}/dry-run"))).json(&request)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(wait(&app, &admin, &id).await["state"], "dry_run_done");
    interrupt(&app, &admin, &id, sathi_store::JobKind::Run).await;
    let (_, again) = send(admin.get(app.api(&format!("/imports/{id}")))).await;
    assert_eq!(again["state"], "failed");

    let entries = import_audit(&app).await;
    let actions: Vec<(&str, &str)> =
        entries.iter().map(|entry| (entry.action.as_str(), entry.outcome.as_str())).collect();
    assert_eq!(
        actions,
        [("import.dry_run", "failed"), ("import.dry_run", "ok"), ("import.run", "failed")],
        "one entry per interrupted job"
    );
    let run = &entries[2].detail;
    assert_eq!(run["import_id"], id.as_str());
    assert_eq!(run["error"], "import_interrupted");
    for count in ["rows_done", "created", "updated", "unchanged", "rejected"] {
        assert_eq!(run[count], 0, "{count} of {run}");
    }
}

async fn import_owners_are_scope_users(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let gone = app.create_user("cw.gone", "caseworker", AGENCY_A, "en").await;
    app.state.store.set_user_disabled(gone.id, true).await.expect("disable a user");
    app.create_user("cw.other", "caseworker", AGENCY_B, "en").await;

    let (status, owners) = send(admin.get(app.api("/import-owners"))).await;
    assert_eq!(status, StatusCode::OK, "{owners}");
    let mut usernames: Vec<&str> =
        owners.as_array().into_iter().flatten().filter_map(|owner| owner["username"].as_str()).collect();
    usernames.sort_unstable();
    assert_eq!(usernames, ["admin.mizan", "admin.shamsun", "cw.rahima"], "{owners}");
    let rahima = owners.as_array().into_iter().flatten().find(|owner| owner["username"] == "cw.rahima");
    let rahima = rahima.expect("cw.rahima is listed");
    assert_eq!(rahima["role_id"], "caseworker");
    assert!(rahima["id"].as_str().is_some_and(|id| id.len() == 36), "{rahima}");
    assert!(rahima["full_name"].is_string(), "{rahima}");

    let caseworker = app.login("cw.rahima", PASSWORD).await;
    let (status, body) = send(caseworker.get(app.api("/import-owners"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

async fn rows_paging_out_of_range_rejected(backend: Backend) {
    let Setup { app, admin, admin_bn } = setup(backend).await;
    let (status, uploaded) =
        post_file(&app, &admin, "one.csv", b"case_ref,name,sex\nP-1,Rina,female\n").await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let id = uploaded["id"].as_str().expect("import id").to_owned();
    let path = app.api(&format!("/imports/{id}/rows"));

    for (name, value, expected) in [
        ("limit", "0", "The parameter \"limit\" is 0, but it must be from 1 to 1000."),
        ("limit", "1001", "The parameter \"limit\" is 1001, but it must be from 1 to 1000."),
        ("offset", "-1", "The parameter \"offset\" is -1, but it must be 0 or more."),
    ] {
        let (status, body) = send(admin.get(&path).query(&[(name, value)])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}={value}: {body}");
        assert_eq!(body["error"]["code"], "query_out_of_range", "{name}={value}");
        assert_eq!(body["error"]["message"], expected, "{name}={value}");
    }
    let (_, body) = send(admin_bn.get(&path).query(&[("limit", "1001")])).await;
    assert_eq!(
        body["error"]["message"],
        "\"limit\" প্যারামিটারের মান ১০০১, কিন্তু এটি ১ থেকে ১০০০-এর মধ্যে হতে হবে।"
    );

    for (limit, offset) in [("1", "0"), ("1000", "5")] {
        let (status, body) = send(admin.get(&path).query(&[("limit", limit), ("offset", offset)])).await;
        assert_eq!(status, StatusCode::OK, "limit={limit} offset={offset}: {body}");
        assert_eq!(body["total"], 0, "{body}");
    }
}

async fn repeated_header_rejected_at_upload(backend: Backend) {
    let Setup { app, admin_bn, .. } = setup(backend).await;
    let (status, body) =
        post_file(&app, &admin_bn, "names.csv", b"ext,Name,sex,Name\nN-1,Rina,female,Mina\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "import_duplicate_column");
    assert_eq!(
        body["error"]["message"],
        "শিরোনামের সারিতে \"Name\" কলামটি দুবার আছে, তাই ম্যাপিংয়ে দুটিকে আলাদা করা যাবে না। প্রতিটি কলামের আলাদা নাম দিন, তারপর ফাইলটি আবার আপলোড করুন।"
    );
    // Columns without a header are the unused columns of a spreadsheet, and may repeat.
    let (status, body) = post_file(&app, &admin_bn, "blank.csv", b"ext,name,,\nN-1,Rina,,\n").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn unknown_parameter_values_list_allowed(backend: Backend) {
    let Setup { app, admin, .. } = setup(backend).await;
    let (status, body) = send(
        admin.post(app.api("/imports")).query(&[("format", "docx"), ("file_name", "cases.docx")]).body("x"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_parameter");
    assert_eq!(
        body["error"]["message"],
        "The parameter \"format\" cannot be \"docx\". Use one of: csv, xlsx, incumbent_json."
    );
}
