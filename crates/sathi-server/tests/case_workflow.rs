//! A caseworker's whole story through the HTTP API, concurrent edits and the change log, and
//! closing, reopening, disabling and enabling cases with the permissions `config/roles.json`
//! grants.

mod common;

use common::{
    AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, bearer_client, child, code_points, send,
};
use reqwest::StatusCode;
use sathi_domain::permissions::Action;
use serde_json::{Value, json};

backend_tests!(
    caseworker_story_across_agencies,
    concurrent_edits_merge_and_log,
    burst_of_edits_all_land,
    close_reopen_disable_enable,
    direct_close_needs_closure_approver
);

/// সায়রা typed with the precomposed YYA U+09DF, which NFC stores as U+09AF U+09BC.
const SAYRA_PRECOMPOSED: &str = "\u{09B8}\u{09BE}\u{09DF}\u{09B0}\u{09BE}";
/// সায়রা typed with YA and NUKTA, U+09AF U+09BC.
const SAYRA_DECOMPOSED: &str = "\u{09B8}\u{09BE}\u{09AF}\u{09BC}\u{09B0}\u{09BE}";

/// A caseworker of one agency registers a child named in Bangla, finds the case by name and by
/// every list filter, a caseworker of another agency cannot tell it exists, and the change log
/// shows who changed what.
async fn caseworker_story_across_agencies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.alpha", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.bravo", "caseworker", AGENCY_B, "en").await;
    let alpha = app.login("cw.alpha", PASSWORD).await;
    let bravo = app.login("cw.bravo", PASSWORD).await;
    let today = sathi_domain::dates::format_date(app.today());

    // Registered today, so the age typed in Bengali digits is also the current age.
    let sayra = app
        .create_case(
            &alpha,
            json!({
                "registration_date": today,
                "name_first": SAYRA_PRECOMPOSED,
                "name_last": "আক্তার",
                "sex": "female",
                "age": "৭",
                "location_current": "BD-CTG-CXB-UKH-C01E-A",
                "risk_level": "high",
                "protection_concerns": ["separated", "child_labour"],
            }),
        )
        .await;
    let sayra_id = sayra["id"].as_str().expect("a created case has an id").to_owned();
    let stored_name = sayra["data"]["name_first"].as_str().expect("name_first is stored");
    assert_eq!(code_points(stored_name), code_points(SAYRA_DECOMPOSED), "name_first is not stored in NFC");
    assert_eq!(sayra["data"]["age"], json!(7), "the age typed as ৭ is not stored as the number 7");
    assert_eq!(
        sayra["data"]["date_of_birth_estimated"],
        json!(true),
        "an age without a date of birth must mark the date of birth estimated"
    );
    assert_eq!(
        sayra["calculated"]["current_age"],
        json!(7),
        "the estimated date of birth does not give age 7 today"
    );

    // A contrasting case: another sex, risk, age, upazila and concern.
    let contrast = app
        .create_case(
            &alpha,
            json!({
                "registration_date": "2024-06-20",
                "name_first": "Rahim",
                "sex": "male",
                "date_of_birth": "2010-01-15",
                "location_current": "BD-CTG-CXB-TKF-C21-A1",
                "risk_level": "low",
                "protection_concerns": ["child_marriage"],
            }),
        )
        .await;
    let contrast_id = contrast["id"].as_str().expect("a created case has an id").to_owned();

    let found = app.list_ids(&alpha, &[("q", SAYRA_DECOMPOSED)]).await;
    assert_eq!(
        found,
        vec![sayra_id.clone()],
        "searching the name typed with U+09AF U+09BC does not find the case typed with U+09DF"
    );
    let found = app.list_ids(&alpha, &[("q", SAYRA_PRECOMPOSED)]).await;
    assert_eq!(found, vec![sayra_id.clone()], "searching the name typed with U+09DF does not find the case");

    let filters: [(&[(&str, &str)], &str); 12] = [
        (&[("risk_level", "high")], "sayra"),
        (&[("risk_level", "low,medium")], "contrast"),
        (&[("sex", "female")], "sayra"),
        (&[("sex", "male")], "contrast"),
        (&[("age_min", "7"), ("age_max", "7")], "sayra"),
        (&[("age_min", "8")], "contrast"),
        (&[("location", "BD-CTG-CXB-UKH-C01E")], "sayra"),
        (&[("location", "BD-CTG-CXB-UKH")], "sayra"),
        (&[("location", "BD-CTG-CXB-TKF")], "contrast"),
        (&[("protection_concern", "child_labour")], "sayra"),
        (&[("protection_concern", "child_marriage")], "contrast"),
        (
            &[
                ("risk_level", "high"),
                ("sex", "female"),
                ("location", "BD-CTG-CXB-UKH"),
                ("protection_concern", "separated"),
            ],
            "sayra",
        ),
    ];
    for (query, expected) in filters {
        let expected_id = if expected == "sayra" { &sayra_id } else { &contrast_id };
        let ids = app.list_ids(&alpha, query).await;
        assert_eq!(
            ids,
            vec![expected_id.clone()],
            "the list filtered by {query:?} should hold only the {expected} case"
        );
    }
    let (status, page) =
        send(alpha.get(app.api("/cases")).query(&[("limit", "1"), ("sort", "name_asc")])).await;
    assert_eq!(status, StatusCode::OK, "a paged list failed: {page}");
    assert_eq!(page["total"], json!(2), "the total of a paged list should count both cases");
    assert_eq!(page["cases"].as_array().map(Vec::len), Some(1), "a page of limit 1 has another length");
    assert_eq!(
        page["cases"][0]["id"],
        json!(contrast_id),
        "name_asc should list Rahim before the Bangla name"
    );
    let district = app.list_ids(&alpha, &[("location", "BD-CTG-CXB")]).await;
    assert_eq!(district.len(), 2, "the district filter should hold both cases, got {district:?}");

    // Another agency's caseworker gets the same response as for an id that does not exist.
    let (status, body) = send(bravo.get(app.api(&format!("/cases/{sayra_id}")))).await;
    let missing_id = uuid::Uuid::new_v4();
    let (missing_status, missing_body) = send(bravo.get(app.api(&format!("/cases/{missing_id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agency's caseworker can read the case: {body}");
    assert_eq!(status, missing_status, "an out-of-scope case and a missing one give different statuses");
    assert_eq!(body, missing_body, "an out-of-scope case and a missing one give different bodies");
    let bravo_search = app.list_ids(&bravo, &[("q", SAYRA_DECOMPOSED)]).await;
    assert!(bravo_search.is_empty(), "another agency's search finds the case: {bravo_search:?}");

    // The change log names who changed what, with the old and new values.
    let (status, updated) = send(
        alpha
            .patch(app.api(&format!("/cases/{sayra_id}")))
            .json(&json!({"changes": [{"path": "risk_level", "value": "medium"}], "expected_version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the PATCH of risk_level failed: {updated}");
    assert_eq!(updated["version"], json!(2), "a PATCH should make version 2");
    let (status, changes) = send(alpha.get(app.api(&format!("/cases/{sayra_id}/changes")))).await;
    assert_eq!(status, StatusCode::OK, "reading the change log failed: {changes}");
    let entries = changes.as_array().expect("the change log is an array");
    let risk_change: Vec<&Value> =
        entries.iter().filter(|entry| entry["path"] == "risk_level" && entry["version"] == 2).collect();
    assert_eq!(
        risk_change.len(),
        1,
        "the change log should have one risk_level entry at version 2: {changes}"
    );
    assert_eq!(risk_change[0]["username"], "cw.alpha", "the change log does not name who changed risk_level");
    assert_eq!(risk_change[0]["old_value"], "high", "the change log has the wrong old value");
    assert_eq!(risk_change[0]["new_value"], "medium", "the change log has the wrong new value");
    let created = entries.iter().find(|entry| entry["path"] == "name_first").expect("the creation is logged");
    assert_eq!(created["version"], json!(1), "the creation should be logged at version 1");
    assert_eq!(created["old_value"], Value::Null, "a created field has no old value");
    assert_eq!(created["username"], "cw.alpha", "the change log does not name who created the case");

    let (status, body) = send(bravo.get(app.api(&format!("/cases/{sayra_id}/changes")))).await;
    let (_, missing_body) = send(bravo.get(app.api(&format!("/cases/{missing_id}/changes")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agency's caseworker can read the change log");
    assert_eq!(body, missing_body, "the change log of an out-of-scope case answers unlike a missing one");
}

/// Two people edit different fields at the same time: both edits land, each is logged once
/// with its author, a stale `expected_version` is rejected, and a retried create with the same
/// client-made id returns the first case.
async fn concurrent_edits_merge_and_log(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.create_user("cw.alpha", "caseworker", AGENCY_A, "en").await;
    let supervisor = app.create_user("sup.alpha", "supervisor", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team Alpha", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(team, owner.id).await.expect("failed to add the caseworker");
    app.state.store.add_group_member(team, supervisor.id).await.expect("failed to add the supervisor");
    let alpha = app.login("cw.alpha", PASSWORD).await;
    let boss = bearer_client(&app.login_token("sup.alpha", PASSWORD).await);

    let case = app.create_case(&alpha, child("Amina")).await;
    let id = case["id"].as_str().expect("a created case has an id").to_owned();
    let url = app.api(&format!("/cases/{id}"));

    let first = send(alpha.patch(&url).json(&json!({"changes": [{"path": "risk_level", "value": "low"}]})));
    let second = send(boss.patch(&url).json(&json!({"changes": [{"path": "name_last", "value": "বেগম"}]})));
    let ((first_status, first_body), (second_status, second_body)) = tokio::join!(first, second);
    assert_eq!(first_status, StatusCode::OK, "the caseworker's concurrent PATCH failed: {first_body}");
    assert_eq!(second_status, StatusCode::OK, "the supervisor's concurrent PATCH failed: {second_body}");

    let (_, current) = send(alpha.get(&url)).await;
    assert_eq!(current["data"]["risk_level"], "low", "the caseworker's edit was lost");
    assert_eq!(current["data"]["name_last"], "বেগম", "the supervisor's edit was lost");
    assert_eq!(current["version"], json!(3), "two edits after creation should make version 3");

    let (_, changes) = send(alpha.get(app.api(&format!("/cases/{id}/changes")))).await;
    let edits: Vec<&Value> = changes
        .as_array()
        .expect("the change log is an array")
        .iter()
        .filter(|entry| entry["version"].as_i64() > Some(1))
        .collect();
    assert_eq!(edits.len(), 2, "the change log should have one entry per edit: {changes}");
    let author_of = |path: &str| {
        edits
            .iter()
            .find(|entry| entry["path"] == path)
            .map(|entry| entry["username"].clone())
            .unwrap_or_default()
    };
    assert_eq!(author_of("risk_level"), "cw.alpha", "the risk_level edit is not logged with its author");
    assert_eq!(author_of("name_last"), "sup.alpha", "the name_last edit is not logged with its author");
    assert_ne!(
        edits[0]["version"], edits[1]["version"],
        "the two edits should be logged at different versions"
    );

    let (status, body) = send(alpha.patch(&url).json(&json!({
        "changes": [{"path": "risk_level", "value": "high"}],
        "expected_version": 1,
    })))
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a PATCH based on version 1 of version 3 was accepted: {body}");
    assert_eq!(body["error"]["code"], "version_conflict", "a stale PATCH has the wrong error code");
    let (_, after) = send(alpha.get(&url)).await;
    assert_eq!(after["data"]["risk_level"], "low", "a rejected stale PATCH changed the data");
    assert_eq!(after["version"], json!(3), "a rejected stale PATCH changed the version");

    // A retried create after a lost response carries the same client-made id.
    let client_id = uuid::Uuid::now_v7().to_string();
    let request = json!({"id": client_id, "data": child("Karim")});
    let (first_status, first_case) = send(alpha.post(app.api("/cases")).json(&request)).await;
    let (retry_status, retried_case) = send(alpha.post(app.api("/cases")).json(&request)).await;
    assert_eq!(first_status, StatusCode::CREATED, "the first create failed: {first_case}");
    assert_eq!(
        retry_status,
        StatusCode::OK,
        "the retried create should return the existing case: {retried_case}"
    );
    assert_eq!(retried_case["id"], json!(client_id), "the retried create returned another case");
    assert_eq!(
        retried_case["display_id"], first_case["display_id"],
        "the retried create made a new display id"
    );
    let karims = app.list_ids(&alpha, &[("q", "Karim")]).await;
    assert_eq!(karims, vec![client_id], "a retried create must leave exactly one record");
}

/// Closing needs a `closure_reason` option and an approver: the owner's supervisor closes
/// directly, as the closure's approver. Reopening and disabling need grants that the default
/// configuration gives the supervisor of the owner's group but not the caseworker.
async fn close_reopen_disable_enable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let loaded = app.state.configuration();
    let caseworker_role =
        loaded.config.role("caseworker").expect("the default configuration has caseworkers");
    let supervisor_role =
        loaded.config.role("supervisor").expect("the default configuration has supervisors");
    assert!(caseworker_role.can(Action::Close), "roles.json no longer lets caseworkers close cases");
    assert!(!caseworker_role.can(Action::Reopen), "roles.json now lets caseworkers reopen cases");
    assert!(!caseworker_role.can(Action::Disable), "roles.json now lets caseworkers disable cases");
    assert!(supervisor_role.can(Action::Reopen), "roles.json no longer lets supervisors reopen cases");
    assert!(supervisor_role.can(Action::Disable), "roles.json no longer lets supervisors disable cases");

    let owner = app.create_user("cw.alpha", "caseworker", AGENCY_A, "en").await;
    let supervisor = app.create_user("sup.alpha", "supervisor", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team Alpha", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(team, owner.id).await.expect("failed to add the caseworker");
    app.state.store.add_group_member(team, supervisor.id).await.expect("failed to add the supervisor");
    let alpha = app.login("cw.alpha", PASSWORD).await;
    let boss = app.login("sup.alpha", PASSWORD).await;

    let case = app.create_case(&alpha, child("Amina")).await;
    let id = case["id"].as_str().expect("a created case has an id").to_owned();
    let action = |name: &str| app.api(&format!("/cases/{id}/{name}"));

    let (status, body) = send(boss.post(action("close")).json(&json!({"reason": "finished"}))).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "closing with an unknown reason was accepted: {body}"
    );
    assert_eq!(
        body["error"]["fields"][0]["path"], "closure_reason",
        "the unknown reason is not reported on closure_reason"
    );
    assert_eq!(body["error"]["fields"][0]["code"], "unknown_option", "the unknown reason has the wrong code");

    let (status, closed) = send(boss.post(action("close")).json(&json!({"reason": "goals_met"}))).await;
    assert_eq!(status, StatusCode::OK, "the supervisor could not close the case: {closed}");
    assert_eq!(closed["status"], "closed", "the closed case is not marked closed");
    assert_eq!(closed["stage"], "closed", "the closed case is not at the closed stage");
    assert_eq!(closed["data"]["closure_reason"], "goals_met", "the closure reason is not stored");
    let today = sathi_domain::dates::format_date(app.today());
    assert_eq!(
        closed["data"]["closure_date"],
        json!(today),
        "the closure date should default to today in Dhaka"
    );

    let (status, body) = send(boss.post(action("close")).json(&json!({"reason": "goals_met"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "closing a closed case was accepted: {body}");
    assert_eq!(body["error"]["code"], "already_closed", "closing twice has the wrong error code");
    let closed_ids = app.list_ids(&alpha, &[("status", "closed")]).await;
    assert_eq!(closed_ids, vec![id.clone()], "the closed case is not in the status=closed list");

    let (status, body) =
        send(alpha.post(action("reopen")).json(&json!({"reason": "new protection concern"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker reopened a case: {body}");
    assert_eq!(body["error"]["code"], "forbidden", "a caseworker's reopen has the wrong error code");
    let (status, reopened) =
        send(boss.post(action("reopen")).json(&json!({"reason": "new protection concern"}))).await;
    assert_eq!(status, StatusCode::OK, "the supervisor could not reopen the case: {reopened}");
    assert_eq!(reopened["status"], "open", "the reopened case is not open");
    let (status, body) =
        send(boss.post(action("reopen")).json(&json!({"reason": "new protection concern"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "reopening an open case was accepted: {body}");
    assert_eq!(body["error"]["code"], "not_closed", "reopening an open case has the wrong error code");

    let (status, body) = send(alpha.post(action("disable"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a caseworker disabled a case: {body}");
    let (status, disabled) = send(boss.post(action("disable"))).await;
    assert_eq!(status, StatusCode::OK, "the supervisor could not disable the case: {disabled}");
    assert_eq!(disabled["enabled"], json!(false), "the disabled case is still enabled");
    let default_list = app.list_ids(&alpha, &[]).await;
    assert!(default_list.is_empty(), "a disabled case is still in the default list: {default_list:?}");
    let disabled_list = app.list_ids(&alpha, &[("enabled", "false")]).await;
    assert_eq!(disabled_list, vec![id.clone()], "the disabled case is not in the enabled=false list");

    let (status, enabled) = send(boss.post(action("enable"))).await;
    assert_eq!(status, StatusCode::OK, "the supervisor could not enable the case: {enabled}");
    assert_eq!(enabled["enabled"], json!(true), "the enabled case is still disabled");
    let default_list = app.list_ids(&alpha, &[]).await;
    assert_eq!(default_list, vec![id], "the enabled case is not back in the default list");
}

/// Twelve edits of different fields sent at once by two clients all land without a conflict,
/// because no edit names an `expected_version` and no two touch the same field.
async fn burst_of_edits_all_land(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.alpha", "caseworker", AGENCY_A, "en").await;
    let cookie_client = app.login("cw.alpha", PASSWORD).await;
    let token_client = bearer_client(&app.login_token("cw.alpha", PASSWORD).await);
    let case = app.create_case(&cookie_client, child("Amina")).await;
    let url = app.api(&format!("/cases/{}", case["id"].as_str().expect("a created case has an id")));

    let fields = [
        "name_middle",
        "name_last",
        "name_nickname",
        "name_other_spellings",
        "address_current",
        "phone",
        "progres_individual_number",
        "progres_case_number",
        "family_counting_number",
        "protection_concerns_details",
        "case_plan_goal",
        "family_details_notes",
    ];
    let mut edits = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let client = if index % 2 == 0 { cookie_client.clone() } else { token_client.clone() };
        let change = json!({"changes": [{"path": field, "value": format!("value {index}")}]});
        let url = url.clone();
        edits.push(tokio::spawn(async move { send(client.patch(&url).json(&change)).await }));
    }
    for (field, edit) in fields.iter().zip(edits) {
        let (status, body) = edit.await.expect("the edit task panicked");
        assert_eq!(status, StatusCode::OK, "the concurrent edit of {field} failed: {body}");
    }

    let (_, current) = send(cookie_client.get(&url)).await;
    for (index, field) in fields.iter().enumerate() {
        assert_eq!(current["data"][field], json!(format!("value {index}")), "the edit of {field} was lost");
    }
    assert_eq!(current["version"], json!(1 + fields.len()), "each edit should make one version");
}

/// A direct close is a closure approved by the closer. The owner, who may close but not
/// approve, is told in Bangla to ask for closure approval; a supervisor of another group finds
/// no case; the owner's supervisor closes with the approval date set to today.
async fn direct_close_needs_closure_approver(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.create_user("cw.alpha", "caseworker", AGENCY_A, "bn").await;
    let supervisor = app.create_user("sup.alpha", "supervisor", AGENCY_A, "en").await;
    app.create_user("sup.other", "supervisor", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team Alpha", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(team, owner.id).await.expect("failed to add the caseworker");
    app.state.store.add_group_member(team, supervisor.id).await.expect("failed to add the supervisor");
    let alpha = app.login("cw.alpha", PASSWORD).await;
    let boss = app.login("sup.alpha", PASSWORD).await;
    let other = app.login("sup.other", PASSWORD).await;
    let case = app.create_case(&alpha, child("Amina")).await;
    let id = case["id"].as_str().expect("a created case has an id").to_owned();
    let close = app.api(&format!("/cases/{id}/close"));
    let reason = json!({"reason": "goals_met"});

    let (status, body) = send(alpha.post(&close).json(&reason)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the owner closed the case without approval: {body}");
    assert_eq!(body["error"]["code"], "closure_approval_required");
    let message = body["error"]["message"].as_str().expect("the error has a message");
    assert!(message.contains("অনুমোদন"), "the owner's message is not in Bangla: {message}");

    // A supervisor outside the owner's group cannot read the case, so it reads as missing.
    let (status, body) = send(other.post(&close).json(&reason)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a supervisor outside the owner's group closed the case: {body}"
    );
    let (status, body) = send(boss.post(&close).json(&json!({"reason": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a close without a reason passed: {body}");
    assert_eq!(body["error"]["code"], "closure_reason_required");

    let (_, unchanged) = send(alpha.get(app.api(&format!("/cases/{id}")))).await;
    assert_eq!(unchanged["status"], "open", "a refused close changed the case");
    assert_eq!(unchanged["version"], case["version"], "a refused close wrote a version");

    let (status, closed) = send(boss.post(&close).json(&reason)).await;
    assert_eq!(status, StatusCode::OK, "the owner's supervisor could not close the case: {closed}");
    assert_eq!(closed["status"], "closed");
    let today = sathi_domain::dates::format_date(app.today());
    assert_eq!(closed["data"]["closure_approved_on"], json!(today), "the closer did not approve the closure");
    assert_eq!(closed["data"]["closure_reason"], "goals_met");

    let (_, changes) = send(boss.get(app.api(&format!("/cases/{id}/changes")))).await;
    let approved_by: Vec<&Value> = changes
        .as_array()
        .expect("the change log is a list")
        .iter()
        .filter(|entry| entry["path"] == "closure_approved_on")
        .map(|entry| &entry["user_id"])
        .collect();
    assert_eq!(approved_by, vec![&json!(supervisor.id)], "the approval date is not logged as the closer's");
}
