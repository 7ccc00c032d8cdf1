//! Import uploads over real HTTP on SQLite and PostgreSQL: a file in another encoding than
//! UTF-8.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;

backend_tests!(latin1_csv_rejected_at_upload);

/// A running server with the import date 2024-06-20 and an agency administrator.
struct Setup {
    app: TestApp,
    admin: Client,
}

async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2024-06-20 06:00 UTC));
    app.create_user("admin.mizan", "agency_admin", AGENCY_A, "en").await;
    let admin = app.login("admin.mizan", PASSWORD).await;
    Setup { app, admin }
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
