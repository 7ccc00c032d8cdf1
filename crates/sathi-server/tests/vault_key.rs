//! The vault key a web login hands out: one random key per user, the same at every login and
//! across password resets, never given to API clients.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, send};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

backend_tests!(vault_key_is_stable_per_user);

async fn login_body(app: &TestApp, username: &str, password: &str, client: &str) -> Value {
    let request = Client::new()
        .post(app.api("/auth/login"))
        .json(&json!({"username": username, "password": password, "client": client}));
    let (status, body) = send(request).await;
    assert_eq!(status, StatusCode::OK, "{username} could not log in: {body}");
    body
}

async fn vault_key_is_stable_per_user(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let rahima = app.create_user("cw.rahima", "caseworker", AGENCY_A, "bn").await;
    app.create_user("cw.jannat", "caseworker", AGENCY_A, "bn").await;

    let first = login_body(&app, "cw.rahima", PASSWORD, "web").await["vault_key"].clone();
    let key = first.as_str().expect("a web login returns a vault key");
    assert_eq!(key.len(), 43, "the vault key is 32 bytes in unpadded base64url");

    let again = login_body(&app, "cw.rahima", PASSWORD, "web").await;
    assert_eq!(again["vault_key"], first, "a second login returned another vault key");

    let other = login_body(&app, "cw.jannat", PASSWORD, "web").await;
    assert_ne!(other["vault_key"], first, "two users share a vault key");

    let api = login_body(&app, "cw.rahima", PASSWORD, "api").await;
    assert!(api.get("vault_key").is_none(), "an API login returned the vault key: {api}");

    // After a password reset the key is unchanged, which is what lets the phone re-wrap its vault.
    let hash = sathi_server::auth::hash_password("a new long password".to_owned().into())
        .await
        .expect("hashing works");
    app.state.store.set_password_hash(rahima.id, &hash).await.expect("the password can be reset");
    let after_reset = login_body(&app, "cw.rahima", "a new long password", "web").await;
    assert_eq!(after_reset["vault_key"], first, "a password reset changed the vault key");
}
