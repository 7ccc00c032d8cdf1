//! Inputs found by trying the server as a new user would: filter values that cannot match,
//! ages typed in Bengali digits, a PATCH that changes nothing, U+0000 in text, and requests
//! that cannot be read.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::StatusCode;
use serde_json::json;

backend_tests!(filters_reject_values_that_cannot_match);
backend_tests!(empty_patch_keeps_version);
backend_tests!(nul_character_is_dropped);
backend_tests!(unreadable_requests_answer_in_bangla);

async fn filters_reject_values_that_cannot_match(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.filters", "caseworker", AGENCY_A, "bn").await;
    let client = app.login("cw.filters", PASSWORD).await;
    app.create_case(&client, with(child("Rahima"), json!({"age": 8}))).await;

    for (name, value) in [
        ("sex", "x"),
        ("risk_level", "extreme"),
        ("location", "BD-NOPE"),
        ("protection_concern", "unknown_concern"),
        ("agency", "no_such_agency"),
        ("stage", "finished"),
        ("age_min", "ten"),
    ] {
        let (status, body) = send(client.get(app.api("/cases")).query(&[(name, value)])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}={value} was not rejected: {body}");
        assert_eq!(body["error"]["code"], "invalid_filter", "{name}={value} gave the wrong code: {body}");
    }

    let (status, body) =
        send(client.get(app.api("/cases")).query(&[("age_min", "১০"), ("age_max", "৫")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an inverted age range was not rejected: {body}");
    assert_eq!(
        body["error"]["code"], "invalid_age_range",
        "an inverted age range gave the wrong code: {body}"
    );
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains('৫') && message.contains("১০"),
        "the Bangla message does not name both ages: {message}"
    );

    let (status, body) =
        send(client.get(app.api("/cases")).query(&[("age_min", "০"), ("age_max", "১৭")])).await;
    assert_eq!(status, StatusCode::OK, "an age range in Bengali digits was rejected: {body}");
    assert_eq!(body["total"], json!(1), "the age range in Bengali digits did not find the child: {body}");
}

async fn empty_patch_keeps_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.patch", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.patch", PASSWORD).await;
    let case = app.create_case(&client, child("Noor")).await;
    let url = app.api(&format!("/cases/{}", case["id"].as_str().expect("a case has an id")));
    let risk = case["data"]["risk_level"].clone();

    for changes in [json!([]), json!([{"path": "risk_level", "value": risk}])] {
        let (status, body) = send(client.patch(&url).json(&json!({"changes": changes}))).await;
        assert_eq!(status, StatusCode::OK, "a PATCH without changes failed: {body}");
        assert_eq!(body["version"], case["version"], "a PATCH that changed nothing made a new version");
        assert_eq!(body["updated_at"], case["updated_at"], "a PATCH that changed nothing moved updated_at");
    }
}

async fn nul_character_is_dropped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.nul", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.nul", PASSWORD).await;

    let case = app.create_case(&client, child("Nul\u{0}ima")).await;
    assert_eq!(case["data"]["name_first"], "Nulima", "U+0000 was not removed from a new case's name");

    let url = app.api(&format!("/cases/{}", case["id"].as_str().expect("a case has an id")));
    let changes = json!({"changes": [{"path": "name_nickname", "value": "a\u{0}b"}]});
    let (status, body) = send(client.patch(&url).json(&changes)).await;
    assert_eq!(status, StatusCode::OK, "a nickname with U+0000 failed: {body}");
    assert_eq!(body["data"]["name_nickname"], "ab", "U+0000 was not removed from the nickname");

    let (status, body) = send(client.get(app.api("/cases")).query(&[("q", "Nul\u{0}ima")])).await;
    assert_eq!(status, StatusCode::OK, "a search with U+0000 failed: {body}");

    let login = json!({"username": "cw.nul\u{0}", "password": PASSWORD});
    let (status, body) = send(reqwest::Client::new().post(app.api("/auth/login")).json(&login)).await;
    assert_ne!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "a user name with U+0000 crashed the login: {body}"
    );
}

/// Requests that serde cannot read get a Bangla message naming the part, and none of serde's
/// English text.
async fn unreadable_requests_answer_in_bangla(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.rahima", "caseworker", AGENCY_A, "bn").await;
    let rahima = app.login("cw.rahima", PASSWORD).await;
    let exports = app.api("/exports");
    let cases = app.api("/cases");
    let cases_query = [("limit", "abc")];
    let cases_with_bad_limit = rahima.get(&cases).query(&cases_query);
    let requests = [
        (
            rahima.post(&exports).json(&json!({"format": "pdf"})),
            "\"format\"-এর জন্য \"pdf\" চলবে না। এগুলোর একটি ব্যবহার করুন: csv, csv_plain, xlsx, json।",
        ),
        (rahima.post(&exports).json(&json!({})), "অনুরোধে \"format\" নেই। এটি যোগ করে আবার পাঠান।"),
        (
            rahima.post(&exports).header("content-type", "application/json").body("{\"format\": "),
            "অনুরোধের বডি সঠিক JSON নয়। বন্ধনী, উদ্ধৃতিচিহ্ন ও কমা যাচাই করুন।",
        ),
        (
            rahima.post(&exports).body("format=csv"),
            "অনুরোধের বডি JSON হিসেবে পাঠান, \"Content-Type: application/json\" হেডারসহ।",
        ),
        (
            cases_with_bad_limit,
            "\"limit\"-এর মান পড়া যাচ্ছে না। API বিবরণের সাথে এর ধরন ও গঠন মিলিয়ে দেখে আবার পাঠান।",
        ),
    ];
    for (request, expected) in requests {
        let (status, body) = send(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_request");
        assert_eq!(body["error"]["message"], expected);
    }
}
