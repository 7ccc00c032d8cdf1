//! The configuration and its locations as files: `GET /config/export` and `POST /config/import`
//! (a ZIP of the configuration folder), `GET /config/locations/export` and
//! `POST /config/locations/import` (CSV or JSON). An export imports back unchanged. A bad file
//! lists every problem by row and column in the caller's language and changes nothing. Only a
//! role with `manage_configuration` may use the routes, and another server process on the same
//! database loads an imported configuration.

mod common;

use std::io::Write;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_server::config_files::{reload_if_newer, unzip_configuration};
use sathi_server::state::Settings;
use serde_json::{Value, json};

backend_tests!(
    export_imports_back_unchanged,
    bad_locations_csv_lists_every_row,
    bad_configuration_lists_every_problem,
    import_alias_of_two_fields_rejected,
    only_configuration_managers_may_use_files,
    imported_locations_take_effect_everywhere,
    location_in_use_cannot_be_dropped,
);

/// A block that the default configuration lacks, inside Camp 1E.
const NEW_BLOCK: &str = "BD-CTG-CXB-UKH-C01E-Z";

/// Sends `request` and returns the status, the `Content-Type` and the body bytes.
async fn download(request: reqwest::RequestBuilder) -> (StatusCode, String, Vec<u8>) {
    let response = request.send().await.expect("the request did not reach the test server");
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response.bytes().await.expect("failed to read the response body").to_vec();
    (status, content_type, bytes)
}

async fn admin(app: &TestApp, username: &str, locale: &str) -> Client {
    app.create_user(username, "system_admin", AGENCY_A, locale).await;
    app.login(username, PASSWORD).await
}

async fn config_version(app: &TestApp) -> i64 {
    let (status, health) = send(Client::new().get(app.api("/health"))).await;
    assert_eq!(status, StatusCode::OK, "health failed: {health}");
    health["config_version"].as_i64().expect("health reports the configuration version")
}

/// Returns the `(code, path)` of each field error of an error body.
fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("the error has no fields: {body}"))
        .iter()
        .map(|field| {
            (field["code"].as_str().unwrap_or("").to_owned(), field["path"].as_str().unwrap_or("").to_owned())
        })
        .collect()
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_owned(), path.to_owned())
}

/// Writes `files` into a ZIP archive.
fn zip_of(files: &[(String, String)]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in files {
        archive.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).expect("a file starts");
        archive.write_all(contents.as_bytes()).expect("the file is written");
    }
    archive.finish().expect("the archive is complete").into_inner()
}

async fn export_imports_back_unchanged(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = admin(&app, "admin.sys", "en").await;

    let (status, content_type, archive) = download(admin.get(app.api("/config/export"))).await;
    assert_eq!(status, StatusCode::OK, "the export failed: {}", String::from_utf8_lossy(&archive));
    assert_eq!(content_type, "application/zip");
    let files = unzip_configuration(&archive).expect("the export is a configuration archive");
    assert_eq!(files.len(), 19, "not the 5 configuration files and 14 forms: {:?}", names(&files));

    let (status, imported) =
        send(admin.post(app.api("/config/import")).header("content-type", "application/zip").body(archive))
            .await;
    assert_eq!(status, StatusCode::OK, "importing the export failed: {imported}");
    assert_eq!(imported["version"], 2, "{imported}");
    assert_eq!(imported["forms"], 14, "{imported}");
    assert_eq!(imported["locations"], 332, "{imported}");
    assert_eq!(config_version(&app).await, 2, "the imported configuration is not in force");

    let (_, _, again) = download(admin.get(app.api("/config/export"))).await;
    let files_again = unzip_configuration(&again).expect("the second export is a configuration archive");
    assert_eq!(files_again, files, "the configuration changed on its way through export and import");

    for format in ["csv", "json"] {
        let url = app.api(&format!("/config/locations/export?format={format}"));
        let (status, _, exported) = download(admin.get(&url)).await;
        assert_eq!(status, StatusCode::OK, "the {format} locations export failed");
        if format == "csv" {
            assert!(
                exported.starts_with("\u{feff}code,level,parent,name_en,name_bn\r\n".as_bytes())
                    || exported.starts_with("\u{feff}code,level,parent,name_en,name_bn\n".as_bytes()),
                "the CSV does not start with a byte order mark and the header: {:?}",
                String::from_utf8_lossy(&exported[..60])
            );
        }
        let import_url = app.api(&format!("/config/locations/import?format={format}"));
        let (status, imported) = send(admin.post(&import_url).body(exported.clone())).await;
        assert_eq!(status, StatusCode::OK, "importing the {format} locations export failed: {imported}");
        assert_eq!(imported["locations"], 332, "{imported}");
        let (_, _, exported_again) = download(admin.get(&url)).await;
        assert_eq!(
            String::from_utf8_lossy(&exported_again),
            String::from_utf8_lossy(&exported),
            "the {format} locations changed on their way through export and import"
        );
    }
    assert_eq!(config_version(&app).await, 4, "each import stores one configuration version");

    let entries = app.state.store.audit_entries(None, 100).await.expect("failed to read the audit log");
    let actions: Vec<&str> = entries.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|action| **action == "config.locations_import").count(),
        2,
        "not one audit entry per locations import: {actions:?}"
    );
    let import = entries.iter().find(|entry| entry.action == "config.import").expect("the import is audited");
    assert_eq!(import.detail["version"], 2, "{:?}", import.detail);
    assert_eq!(import.detail["locations"], 332, "{:?}", import.detail);
}

fn names(files: &[(String, String)]) -> Vec<&str> {
    files.iter().map(|(name, _)| name.as_str()).collect()
}

async fn bad_locations_csv_lists_every_row(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin_bn = admin(&app, "admin.bn", "bn").await;
    let admin_en = admin(&app, "admin.en", "en").await;
    let (_, _, before) = download(admin_en.get(app.api("/config/locations/export?format=csv"))).await;

    // The export with three bad rows added at its end: an unknown parent, a code that row 1
    // already has, and a block without its Bangla name.
    let mut csv = String::from_utf8(before.clone()).expect("the export is UTF-8");
    csv.push_str("BD-CTG-CXB-UKH-C99-A,block,BD-CTG-CXB-UKH-C99,Block A,ব্লক এ\n");
    csv.push_str("BD,country,,Bangladesh again,বাংলাদেশ\n");
    csv.push_str(&format!("{NEW_BLOCK},block,BD-CTG-CXB-UKH-C01E,Block Z,\n"));

    let (status, body) =
        send(admin_bn.post(app.api("/config/locations/import?format=csv")).body(csv.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a bad locations file was accepted: {body}");
    assert_eq!(body["error"]["code"], "locations_invalid");
    assert_eq!(
        field_codes(&body),
        [
            pair("location_parent_unknown", "333/parent"),
            pair("location_code_duplicate", "334/code"),
            pair("location_name_missing", "335/name_bn"),
        ]
    );
    let messages: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].starts_with("সারি ৩৩৩, কলাম parent: \"BD-CTG-CXB-UKH-C99\""), "{}", messages[0]);
    assert!(messages[1].contains("সারি ১-এ আগেই আছে"), "{}", messages[1]);
    assert!(body["error"]["message"].as_str().unwrap().contains("৩টি সমস্যা"), "{body}");

    let (_, body_en) = send(admin_en.post(app.api("/config/locations/import?format=csv")).body(csv)).await;
    let message = body_en["error"]["fields"][2]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "Row 335, column name_bn: the name is empty. Write the place's name in that language."
    );

    // A row with a cell too many names both counts, as numbers in the reader's digits.
    let mut long_row = String::from_utf8(before.clone()).expect("the export is UTF-8");
    long_row.push_str(&format!("{NEW_BLOCK},block,BD-CTG-CXB-UKH-C01E,Block Z,ব্লক জেড,extra\n"));
    let (_, body_en) =
        send(admin_en.post(app.api("/config/locations/import?format=csv")).body(long_row.clone())).await;
    assert_eq!(
        body_en["error"]["fields"][0]["message"],
        "Row 333 has 6 cells, but the header has 5 columns. Check for a stray comma or a missing cell."
    );
    let (_, body_bn) =
        send(admin_bn.post(app.api("/config/locations/import?format=csv")).body(long_row)).await;
    let message = body_bn["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(message.contains("শিরোনাম সারিতে ৫টি কলাম"), "{message}");

    assert_eq!(config_version(&app).await, 1, "a rejected file changed the configuration");
    let (_, _, after) = download(admin_en.get(app.api("/config/locations/export?format=csv"))).await;
    assert_eq!(after, before, "a rejected file changed the locations");
}

async fn bad_configuration_lists_every_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = admin(&app, "admin.sys", "en").await;
    let (_, _, archive) = download(admin.get(app.api("/config/export"))).await;
    let files = unzip_configuration(&archive).expect("the export is a configuration archive");

    // Without roles.json and with a broken lookups.json: both files are reported.
    let broken: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| name != "roles.json")
        .map(|(name, text)| {
            if name == "lookups.json" {
                (name.clone(), "[{".to_owned())
            } else {
                (name.clone(), text.clone())
            }
        })
        .collect();
    let (status, body) = send(admin.post(app.api("/config/import")).body(zip_of(&broken))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a broken archive was accepted: {body}");
    assert_eq!(body["error"]["code"], "config_invalid");
    assert_eq!(
        field_codes(&body),
        [pair("config_file_invalid", "lookups.json"), pair("config_file_missing", "roles.json")]
    );
    assert!(
        body["error"]["message"].as_str().unwrap().starts_with("The configuration has 2 problems"),
        "{body}"
    );

    // Files that parse, inside a folder, with a location whose parent does not exist.
    let mut locations: Value =
        serde_json::from_str(&files.iter().find(|(name, _)| name == "locations.json").unwrap().1).unwrap();
    locations.as_array_mut().unwrap().push(json!({
        "code": "BD-X-1", "level": "block", "name": {"en": "X", "bn": "এক্স"}, "parent": "BD-X"
    }));
    let in_folder: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| {
            let text = if name == "locations.json" { locations.to_string() } else { text.clone() };
            (format!("config/{name}"), text)
        })
        .collect();
    let (status, body) = send(admin.post(app.api("/config/import")).body(zip_of(&in_folder))).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a configuration with a problem was accepted: {body}"
    );
    assert_eq!(field_codes(&body), [pair("config_parent_unknown", "locations.BD-X-1")]);
    assert_eq!(
        body["error"]["fields"][0]["message"], "locations.BD-X-1: parent 'BD-X' does not exist.",
        "{body}"
    );

    let admin_bn = self::admin(&app, "admin.bn", "bn").await;
    let (_, body) = send(admin_bn.post(app.api("/config/import")).body(zip_of(&in_folder))).await;
    assert_eq!(body["error"]["fields"][0]["message"], "locations.BD-X-1: parent 'BD-X' নেই।", "{body}");

    let (status, body) = send(admin.post(app.api("/config/import")).body("not a zip")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "config_zip_invalid");

    let (status, body) = send(admin.post(app.api("/config/locations/import?format=xml")).body("")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_locations_format");
    assert_eq!(config_version(&app).await, 1, "a rejected archive changed the configuration");
}

async fn import_alias_of_two_fields_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = admin(&app, "admin.sys", "en").await;
    let (_, _, archive) = download(admin.get(app.api("/config/export"))).await;
    let files = unzip_configuration(&archive).expect("the export is a configuration archive");
    assert!(files.iter().any(|(_, text)| text.contains("\"import_aliases\"")), "the export lost the aliases");

    // "ফোন" is already an alias of phone, which comes after sex in the form.
    let changed: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| {
            if name != "forms/10-basic_identity.json" {
                return (name.clone(), text.clone());
            }
            let mut form: Value = serde_json::from_str(text).expect("the form is JSON");
            let fields = form["fields"].as_array_mut().expect("fields");
            let sex = fields.iter_mut().find(|field| field["id"] == "sex").expect("the sex field");
            sex["import_aliases"].as_array_mut().expect("aliases of sex").push(json!("ফোন"));
            (name.clone(), form.to_string())
        })
        .collect();
    let (status, body) = send(admin.post(app.api("/config/import")).body(zip_of(&changed))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a shared alias was accepted: {body}");
    let path = "forms.basic_identity.phone.import_aliases";
    assert_eq!(field_codes(&body), [pair("config_duplicate_import_alias", path)]);
    assert_eq!(
        body["error"]["fields"][0]["message"],
        format!(
            "{path}: the import alias 'ফোন' also names the field 'sex'. Keep the alias on one field only."
        ),
    );

    let admin_bn = self::admin(&app, "admin.bn", "bn").await;
    let (_, body) = send(admin_bn.post(app.api("/config/import")).body(zip_of(&changed))).await;
    assert_eq!(
        body["error"]["fields"][0]["message"],
        format!(
            "{path}: ইমপোর্টের বিকল্প কলাম-শিরোনাম 'ফোন' দিয়ে 'sex' ফিল্ডটিকেও বোঝায়। শিরোনামটি কেবল একটি ফিল্ডে রাখুন।"
        ),
    );
    assert_eq!(config_version(&app).await, 1, "a rejected archive changed the configuration");
}

async fn only_configuration_managers_may_use_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("admin.lli", "agency_admin", AGENCY_A, "en").await;
    let agency_admin = app.login("admin.lli", PASSWORD).await;
    let admin = admin(&app, "admin.sys", "en").await;
    let (_, _, archive) = download(admin.get(app.api("/config/export"))).await;

    let requests = [
        agency_admin.get(app.api("/config/export")),
        agency_admin.post(app.api("/config/import")).body(archive.clone()),
        agency_admin.get(app.api("/config/locations/export")),
        agency_admin
            .post(app.api("/config/locations/import?format=csv"))
            .body("code,level,parent,name_en,name_bn\n"),
    ];
    for request in requests {
        let (status, body) = send(request).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "an agency administrator used a configuration file route: {body}"
        );
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let (status, body) = send(Client::new().get(app.api("/config/export"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = send(Client::new().post(app.api("/config/import")).body(archive)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(config_version(&app).await, 1);
}

async fn imported_locations_take_effect_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = admin(&app, "admin.sys", "en").await;
    app.create_user("cw.rahima", "caseworker", AGENCY_A, "en").await;
    let caseworker = app.login("cw.rahima", PASSWORD).await;

    // A second server process on the same database, started before the import.
    let store = sathi_store::open(&app.database_url).await.expect("the second store opens");
    let other = sathi_server::state(store, Settings::default()).await.expect("the second state builds");

    let (status, body) = send(
        caseworker
            .post(app.api("/cases"))
            .json(&json!({"data": with(child("Amina"), json!({"location_current": NEW_BLOCK}))})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a case took an unknown location: {body}");

    let (_, _, exported) = download(admin.get(app.api("/config/locations/export?format=csv"))).await;
    let mut csv = String::from_utf8(exported).expect("the export is UTF-8");
    csv.push_str(&format!("{NEW_BLOCK},block,BD-CTG-CXB-UKH-C01E,Block Z,ব্লক জেড\n"));
    let (status, imported) = send(admin.post(app.api("/config/locations/import?format=csv")).body(csv)).await;
    assert_eq!(status, StatusCode::OK, "importing a new block failed: {imported}");
    assert_eq!(imported["locations"], 333, "{imported}");

    let (status, body) = send(
        caseworker
            .post(app.api("/cases"))
            .json(&json!({"data": with(child("Amina"), json!({"location_current": NEW_BLOCK}))})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "a case did not take the imported location: {body}");

    assert_eq!(other.configuration().version, 1, "the other process loaded the configuration too early");
    let loaded = reload_if_newer(&other).await.expect("the other process checks the stored configuration");
    assert_eq!(loaded, Some(2), "the other process did not load the imported configuration");
    let config = &other.configuration().config;
    assert!(
        config.locations.iter().any(|location| location.code == NEW_BLOCK),
        "the other process lacks the new block"
    );
    assert_eq!(
        reload_if_newer(&other).await.expect("a second check works"),
        None,
        "the same version loaded twice"
    );
}

async fn location_in_use_cannot_be_dropped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = admin(&app, "admin.sys", "bn").await;
    app.create_user("cw.rahima", "caseworker", AGENCY_A, "en").await;
    let caseworker = app.login("cw.rahima", PASSWORD).await;
    let (_, _, exported) = download(admin.get(app.api("/config/locations/export?format=csv"))).await;
    let exported = String::from_utf8(exported).expect("the export is UTF-8");
    let with_block = format!("{exported}{NEW_BLOCK},block,BD-CTG-CXB-UKH-C01E,Block Z,ব্লক জেড\n");
    let (status, body) =
        send(admin.post(app.api("/config/locations/import?format=csv")).body(with_block)).await;
    assert_eq!(status, StatusCode::OK, "importing a new block failed: {body}");
    for name in ["Amina", "Rina"] {
        let data = with(child(name), json!({"location_current": NEW_BLOCK}));
        let (status, body) = send(caseworker.post(app.api("/cases")).json(&json!({ "data": data }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let version = config_version(&app).await;

    // The file without the block, as it was before.
    let (status, body) =
        send(admin.post(app.api("/config/locations/import?format=csv")).body(exported.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "locations_in_use");
    assert_eq!(field_codes(&body), [pair("location_in_use", NEW_BLOCK)]);
    let message = body["error"]["fields"][0]["message"].as_str().unwrap_or("");
    assert_eq!(message, format!("\"{NEW_BLOCK}\" ২টি কেসের বর্তমান অবস্থান। অবস্থানটি রাখুন, অথবা আগে কেসগুলো সরান।"));
    assert_eq!(config_version(&app).await, version, "a refused file changed the configuration");

    // Once no case is there any more, the block can go.
    for id in app.list_ids(&caseworker, &[]).await {
        let (status, body) = send(
            caseworker
                .patch(app.api(&format!("/cases/{id}")))
                .json(&json!({"changes": [{"path": "location_current", "value": "BD-CTG-CXB-UKH-C01E-A"}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) =
        send(admin.post(app.api("/config/locations/import?format=csv")).body(exported)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(config_version(&app).await, version + 1);
}
