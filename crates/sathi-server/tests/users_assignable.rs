//! `GET /users/assignable`: the people a supervisor may give a case to. It lists only active
//! users of the supervisor's agency whose role may create or write cases, by full name and with
//! no other field. A role without the `assign` grant gets 403.

mod common;

use std::collections::BTreeSet;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, send};
use reqwest::StatusCode;
use sathi_server::users::{CreateUserRequest, add_user};
use secrecy::SecretString;
use serde_json::Value;

backend_tests!(caseworker_cannot_list_assignable, supervisor_lists_own_agency_active_owners);

/// Creates a user with a chosen full name, so that the order by full name differs from the
/// order by user name.
async fn add(app: &TestApp, username: &str, full_name: &str, role: &str, agency: &str) -> sathi_store::User {
    let request = CreateUserRequest {
        username: username.to_owned(),
        full_name: full_name.to_owned(),
        agency_id: agency.to_owned(),
        role_id: role.to_owned(),
        locale: Some("en".to_owned()),
        password: SecretString::from(PASSWORD),
    };
    add_user(&app.state, request).await.unwrap_or_else(|error| panic!("failed to add {username}: {error:?}"))
}

async fn caseworker_cannot_list_assignable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    add(&app, "cw.rina", "Rina Akter", "caseworker", AGENCY_A).await;
    let rina = app.login("cw.rina", PASSWORD).await;
    let (status, body) = send(rina.get(app.api("/users/assignable"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker listed assignable users: {body}");
    assert_eq!(body["error"]["code"], "forbidden");
}

async fn supervisor_lists_own_agency_active_owners(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let zara = add(&app, "cw.a", "Zara Begum", "caseworker", AGENCY_A).await;
    let amina = add(&app, "cw.z", "Amina Khatun", "caseworker", AGENCY_A).await;
    let tanvir = add(&app, "sv.tanvir", "Tanvir Hasan", "supervisor", AGENCY_A).await;
    let gone = add(&app, "cw.gone", "Babul Mia", "caseworker", AGENCY_A).await;
    app.state.store.set_user_disabled(gone.id, true).await.expect("failed to disable a user");
    add(&app, "admin.a", "Anwar Admin", "agency_admin", AGENCY_A).await;
    add(&app, "cw.other", "Aisha Other", "caseworker", AGENCY_B).await;

    let supervisor = app.login("sv.tanvir", PASSWORD).await;
    let (status, body) = send(supervisor.get(app.api("/users/assignable"))).await;
    assert_eq!(status, StatusCode::OK, "listing assignable users failed: {body}");
    let users = body.as_array().expect("a list of users");

    let names: Vec<&str> =
        users.iter().map(|user| user["full_name"].as_str().expect("a full name")).collect();
    assert_eq!(
        names,
        ["Amina Khatun", "Tanvir Hasan", "Zara Begum"],
        "not the agency's active users that may own cases, by full name"
    );
    let ids: Vec<&str> = users.iter().map(|user| user["id"].as_str().expect("an id")).collect();
    let expected = [amina.id.to_string(), tanvir.id.to_string(), zara.id.to_string()];
    assert_eq!(ids, expected, "the ids do not match the users");
    assert_eq!(users[0]["username"], "cw.z");
    assert_eq!(users[0]["role_id"], "caseworker");
    assert_eq!(users[1]["role_id"], "supervisor");

    for user in users {
        let keys: BTreeSet<&str> =
            user.as_object().expect("a user is an object").keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["id", "username", "full_name", "role_id"]),
            "an assignable user carries other fields: {user}"
        );
    }
    assert!(users.iter().all(|user| user["locale"] == Value::Null), "the list shows a locale");
}
