//! Import uploads over real HTTP on SQLite and PostgreSQL: a file in another encoding than
//! UTF-8, and a file over the size limit.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::macros::datetime;

backend_tests!(
    latin1_csv_rejected_at_upload,
    oversized_import_gets_own_413,
);

/// A running server with the import date 2024-06-20 and an English and a Bangla agency
/// administrator.
struct Setup {
    app: TestApp,
    admin: Client,
}

async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2024-06-20 06:00 UTC));
    app.create_user("admin.mizan", "agency_admin", AGENCY_A, "en").await;
    app.create_user("admin.shamsun", "agency_admin", AGENCY_A, "bn").await;
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
    // The server answers from the Content-Length alone, so the rest of the body is never sent.
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
