//! Request bodies over the size limit, sent plain or gzipped, get a JSON `413 payload_too_large`
//! error in the user's language, like every other error.

mod common;

use std::io::Write as _;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests};
use reqwest::StatusCode;
use serde_json::Value;

backend_tests!(oversized_bodies_get_json_413);

/// Three MiB, more than the 2 MiB the server accepts.
const OVERSIZED: usize = 3 * 1024 * 1024;

/// Sends `body` to `POST /sync` as `rina` with a Content-Length, and returns the status, the
/// Content-Language and the body. The body goes over a raw connection because the server may
/// send 413 and close before the whole body is written. reqwest then reports a failed request
/// (a broken pipe) instead of returning the response.
async fn post(
    app: &TestApp,
    token: &str,
    body: Vec<u8>,
    gzipped: bool,
) -> (StatusCode, Option<String>, String) {
    let encoding = if gzipped { "Content-Encoding: gzip\r\n" } else { "" };
    let headers = format!("Content-Length: {}\r\n{encoding}", body.len());
    let frames = body.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    post_raw(app, token, &headers, frames).await
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

    // Sent in chunks, so no Content-Length tells the size before the body is read.
    let (status, language, text) = post_chunked(&app, &token, &json).await;
    assert_payload_too_large("chunked body", status, language, &text);
}

/// Sends `body` to `POST /sync` with `Transfer-Encoding: chunked` over a raw connection and
/// returns the status, the Content-Language and the body of the response.
async fn post_chunked(app: &TestApp, token: &str, body: &[u8]) -> (StatusCode, Option<String>, String) {
    let mut frames: Vec<Vec<u8>> = body
        .chunks(64 * 1024)
        .map(|chunk| [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat())
        .collect();
    frames.push(b"0\r\n\r\n".to_vec());
    post_raw(app, token, "Transfer-Encoding: chunked\r\n", frames).await
}

/// Writes a `POST /api/v1/sync` with the extra `headers` and the body `frames`, ignoring write
/// errors once the server has responded, then reads and parses the whole response.
async fn post_raw(
    app: &TestApp,
    token: &str,
    headers: &str,
    frames: Vec<Vec<u8>>,
) -> (StatusCode, Option<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.strip_prefix("http://").expect("an http address");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /api/v1/sync HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\n{headers}Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write the head");
    for frame in &frames {
        // The server may answer and close before the whole body is sent.
        if stream.write_all(frame).await.is_err() {
            break;
        }
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, text) = response.split_once("\r\n\r\n").expect("a response head");
    let status: u16 = head.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status code");
    let language = head
        .lines()
        .find_map(|line| {
            line.strip_prefix("content-language: ").or_else(|| line.strip_prefix("Content-Language: "))
        })
        .map(str::to_owned);
    let text = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(text)
    } else {
        text.to_owned()
    };
    (StatusCode::from_u16(status).expect("a valid status"), language, text)
}

/// Joins the chunks of a chunked response body.
fn dechunk(mut text: &str) -> String {
    let mut body = String::new();
    while let Some((size, rest)) = text.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        body.push_str(&rest[..size]);
        text = rest[size..].trim_start_matches("\r\n");
    }
    body
}
