//! Request bodies over the size limit, sent plain or gzipped, get a JSON `413 payload_too_large`
//! error in the user's language, like every other error.

mod common;

use std::io::Write as _;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests};
use reqwest::{Client, StatusCode};
use serde_json::Value;

backend_tests!(oversized_bodies_get_json_413);

/// Three MiB, more than the 2 MiB the server accepts.
const OVERSIZED: usize = 3 * 1024 * 1024;

/// Sends `body` to `POST /sync` as `rina` and returns the status, the Content-Language and the body.
async fn post(
    app: &TestApp,
    token: &str,
    body: Vec<u8>,
    gzipped: bool,
) -> (StatusCode, Option<String>, String) {
    let client = Client::builder().no_gzip().no_zstd().no_brotli().no_deflate().build().expect("client");
    let mut request = client
        .post(app.api("/sync"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body);
    if gzipped {
        request = request.header("content-encoding", "gzip");
    }
    let response = request.send().await.expect("the request reached the server");
    let status = response.status();
    let language =
        response.headers().get("content-language").and_then(|value| value.to_str().ok()).map(str::to_owned);
    let text = response.text().await.expect("a body");
    (status, language, text)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn assert_payload_too_large(case: &str, status: StatusCode, language: Option<String>, text: &str) {
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{case}: not 413: {text}");
    let body: Value =
        serde_json::from_str(text).unwrap_or_else(|error| panic!("{case}: not JSON ({error}): {text}"));
    assert_eq!(body["error"]["code"], "payload_too_large", "{case}: wrong code: {body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains('২'), "{case}: the message is not in Bangla with the limit: {message}");
    assert_eq!(language.as_deref(), Some("bn"), "{case}: not rendered in the user's language");
}

async fn oversized_bodies_get_json_413(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rina", "caseworker", AGENCY_A, "bn").await;
    let token = app.login_token("cw.rina", PASSWORD).await;
    // Valid JSON, so only the size can be wrong: a string of spaces inside an object.
    let mut json = br#"{"device_id": "8d3c2f9e-5b0a-4f5e-9d41-6f0c8a2b7e11", "mutations": []"#.to_vec();
    json.extend(std::iter::repeat_n(b' ', OVERSIZED));
    json.push(b'}');

    let (status, language, text) = post(&app, &token, json.clone(), false).await;
    assert_payload_too_large("plain body", status, language, &text);

    // Small on the wire, over the limit once decompressed: a gzip bomb.
    let compressed = gzip(&json);
    assert!(compressed.len() < 100 * 1024, "the test body does not compress well");
    let (status, language, text) = post(&app, &token, compressed, true).await;
    assert_payload_too_large("gzipped body", status, language, &text);
}
