//! Error responses in the caller's language, invalid filters, writes that fail as a whole, and
//! authentication: lockout, logout, bearer tokens and cookies, disabled users and user names.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, bearer_client, child, send};
use reqwest::{Client, StatusCode, header};
use sathi_server::auth::token_hash;
use serde_json::{Value, json};
use time::OffsetDateTime;

backend_tests!(errors_in_callers_language, failed_write_saves_nothing, login_lockout_and_sessions);

/// Returns whether `text` contains a Bengali letter or vowel sign (the Bengali block without its digits).
fn has_bengali_letters(text: &str) -> bool {
    text.chars().any(|c| ('\u{0980}'..='\u{09E5}').contains(&c) || ('\u{09F0}'..='\u{09FF}').contains(&c))
}

/// Returns the rendered field error for `path` in a 422 body.
fn field_error<'a>(body: &'a Value, path: &str) -> &'a Value {
    body["error"]["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|field| field["path"] == path))
        .unwrap_or_else(|| panic!("no field error for {path}: {body}"))
}

/// Validation errors carry a code, per-field paths and messages in the user's language;
/// unauthenticated requests follow `Accept-Language`; invalid filters are rejected.
async fn errors_in_callers_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.en", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.bn", "caseworker", AGENCY_A, "bn").await;
    let english = app.login("cw.en", PASSWORD).await;
    let bangla = app.login("cw.bn", PASSWORD).await;

    let mut invalid = child("Amina");
    let object = invalid.as_object_mut().expect("case data is an object");
    object.remove("name_first");
    object.insert("age".to_owned(), json!("abc"));
    let request = json!({"data": invalid});

    for (locale, client) in [("en", &english), ("bn", &bangla)] {
        let (status, body) = send(client.post(app.api("/cases")).json(&request)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an invalid case was accepted for {locale}: {body}"
        );
        assert_eq!(body["error"]["code"], "validation_failed", "the {locale} rejection has the wrong code");
        for (path, code) in [("name_first", "required"), ("age", "invalid_number")] {
            let field = field_error(&body, path);
            assert_eq!(field["code"], code, "{path} has the wrong code for {locale}");
            let message = field["message"].as_str().unwrap_or_default();
            let expected = app.state.messages.format(locale, &format!("error-{code}"), &[]);
            assert_eq!(message, expected, "{path} has the wrong {locale} message");
            assert_eq!(
                has_bengali_letters(message),
                locale == "bn",
                "{path}'s message is not in {locale}: {message}"
            );
        }
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert_eq!(has_bengali_letters(message), locale == "bn", "the summary is not in {locale}: {message}");
    }

    // Before login, errors follow Accept-Language, and English is the default.
    let anonymous = Client::new();
    for (accept_language, bangla_expected) in
        [(Some("bn"), true), (Some("bn-BD, en;q=0.5"), true), (Some("en"), false), (None, false)]
    {
        let mut request = anonymous.get(app.api("/cases"));
        if let Some(value) = accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, value);
        }
        let response = request.send().await.expect("the request failed");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "an anonymous list was not rejected");
        let content_language = response.headers().get(header::CONTENT_LANGUAGE).cloned();
        let body: Value = response.json().await.expect("a 401 body is JSON");
        assert_eq!(body["error"]["code"], "unauthenticated", "the 401 has the wrong code");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert_eq!(
            has_bengali_letters(message),
            bangla_expected,
            "Accept-Language {accept_language:?} gave: {message}"
        );
        let expected_language = if bangla_expected { "bn" } else { "en" };
        assert_eq!(
            content_language.as_ref().and_then(|value| value.to_str().ok()),
            Some(expected_language),
            "Accept-Language {accept_language:?} gave the wrong Content-Language"
        );
    }

    for (name, value) in
        [("registered_from", "yesterday"), ("updated_to", "2026-12-04"), ("sort", "sideways")]
    {
        let (status, body) = send(english.get(app.api("/cases")).query(&[(name, value)])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}={value} was accepted: {body}");
        assert_eq!(body["error"]["code"], "invalid_filter", "{name}={value} has the wrong code");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(name) && message.contains(value),
            "{name}={value}: the message names neither: {message}"
        );
    }
}

/// Checks that a write with one invalid change stores none of its changes.
async fn failed_write_saves_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.en", "caseworker", AGENCY_A, "en").await;
    let client = app.login("cw.en", PASSWORD).await;
    let case = app.create_case(&client, child("Amina")).await;
    let url = app.api(&format!("/cases/{}", case["id"].as_str().expect("a created case has an id")));

    let changes = json!({"changes": [
        {"path": "risk_level", "value": "low"},
        {"path": "age", "value": "1৫"},
    ]});
    let (status, body) = send(client.patch(&url).json(&changes)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a write with an invalid age was accepted: {body}");
    assert_eq!(
        field_error(&body, "age")["code"],
        "mixed_digit_scripts",
        "the invalid age has the wrong code"
    );

    let (_, after) = send(client.get(&url)).await;
    assert_eq!(after["version"], json!(1), "a failed write changed the version");
    assert_eq!(after["data"], case["data"], "a failed write changed the data");
    let (_, changes) = send(client.get(format!("{url}/changes"))).await;
    let logged_later = changes
        .as_array()
        .expect("the change log is an array")
        .iter()
        .any(|entry| entry["version"] != json!(1));
    assert!(!logged_later, "a failed write left entries in the change log: {changes}");
}

/// Lockout after five failures, unlocking in the store, logout, bearer tokens and cookies,
/// disabled users, and user names that ignore case.
async fn login_lockout_and_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let locked = app.create_user("cw.lock", "caseworker", AGENCY_A, "en").await;
    let login = |username: &str, password: &str, client: &str| {
        send(
            Client::new()
                .post(app.api("/auth/login"))
                .json(&json!({"username": username, "password": password, "client": client})),
        )
    };

    for attempt in 1..=4 {
        let (status, body) = login("cw.lock", "wrong password", "api").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong password attempt {attempt}: {body}");
        assert_eq!(
            body["error"]["code"], "invalid_credentials",
            "wrong password attempt {attempt} has the wrong code"
        );
    }
    let (status, body) = login("cw.lock", "wrong password", "api").await;
    assert_eq!(status, StatusCode::LOCKED, "the fifth wrong password did not lock the account: {body}");
    assert_eq!(body["error"]["code"], "account_locked", "the fifth failure has the wrong code");
    let (status, body) = login("cw.lock", PASSWORD, "api").await;
    assert_eq!(status, StatusCode::LOCKED, "the right password opened a locked account: {body}");
    assert_eq!(body["error"]["code"], "account_locked", "a login to a locked account has the wrong code");
    app.state.store.reset_failed_logins(locked.id).await.expect("failed to unlock the account");
    let (status, body) = login("cw.lock", PASSWORD, "api").await;
    assert_eq!(status, StatusCode::OK, "the unlocked account cannot log in: {body}");

    // The web login sets an HttpOnly, SameSite=Strict cookie and returns no token.
    let response = Client::new()
        .post(app.api("/auth/login"))
        .json(&json!({"username": "cw.lock", "password": PASSWORD}))
        .send()
        .await
        .expect("the web login request failed");
    assert_eq!(response.status(), StatusCode::OK, "the web login failed");
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("the login body is JSON");
    assert!(cookie.starts_with("sathi_session="), "the web login sets no session cookie: {cookie:?}");
    assert!(cookie.contains("HttpOnly"), "the session cookie is not HttpOnly: {cookie}");
    assert!(cookie.contains("SameSite=Strict"), "the session cookie is not SameSite=Strict: {cookie}");
    assert!(body.get("token").is_none(), "the web login returned a token in the body: {body}");

    // Logout ends the cookie session.
    let web = app.login("cw.lock", PASSWORD).await;
    let (status, _) = send(web.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::OK, "the cookie session does not work");
    let (status, body) = send(web.post(app.api("/auth/logout"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "logout failed: {body}");
    let (status, _) = send(web.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session still works after logout");

    // A bearer token works for API clients, until the user is disabled by an administrator.
    let victim = app.create_user("cw.leaver", "caseworker", AGENCY_A, "en").await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    let admin = app.login("admin.a", PASSWORD).await;
    let token = app.login_token("cw.leaver", PASSWORD).await;
    let api_client = bearer_client(&token);
    let (status, me) = send(api_client.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::OK, "the bearer token does not work: {me}");
    assert_eq!(me["user"]["username"], "cw.leaver", "the bearer token belongs to someone else");
    let (status, body) = send(admin.post(app.api(&format!("/users/{}/disable", victim.id)))).await;
    assert_eq!(status, StatusCode::OK, "the agency administrator cannot disable the user: {body}");
    let (status, body) = send(api_client.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user's token still works: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");
    // The session stays on record, allowing nothing, until `POST /sync` delivers the outbox.
    let session = app.state.store.session_user(&token_hash(&token), OffsetDateTime::now_utc()).await;
    assert!(
        session.expect("failed to read the session").is_some(),
        "a request other than a sync ended a disabled user's session"
    );
    let (status, body) = send(api_client.get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user's token works on a second request: {body}");
    assert_eq!(body["error"]["code"], "account_disabled");

    // A user disabled directly in the database is rejected at the next request too.
    let direct = app.create_user("cw.direct", "caseworker", AGENCY_A, "en").await;
    let token = app.login_token("cw.direct", PASSWORD).await;
    app.state.store.set_user_disabled(direct.id, true).await.expect("failed to disable the user");
    let (status, body) = send(bearer_client(&token).get(app.api("/me"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a user disabled in the database can still use the API");
    assert_eq!(body["error"]["code"], "account_disabled");
    let (status, body) = login("cw.direct", PASSWORD, "api").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a disabled user logged in: {body}");

    // User names ignore case when created and when logging in.
    let mixed = app.create_user("Cw.Mixed", "caseworker", AGENCY_A, "en").await;
    assert_eq!(mixed.username, "cw.mixed", "a user name is not stored in lowercase");
    let (status, body) = login("CW.MIXED", PASSWORD, "api").await;
    assert_eq!(status, StatusCode::OK, "logging in with an uppercase user name failed: {body}");
    let (status, body) = send(admin.post(app.api("/users")).json(&json!({
        "username": "cw.MIXED",
        "full_name": "Someone else",
        "agency_id": AGENCY_A,
        "role_id": "caseworker",
        "password": PASSWORD,
    })))
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a user name differing only in case was created: {body}");
    assert_eq!(body["error"]["code"], "username_taken", "a duplicate user name has the wrong code");
}
