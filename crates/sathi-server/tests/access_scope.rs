//! The permission scope of every role on lists, search, reads, change logs and writes. A case
//! outside the caller's scope must give the same status and body as a case that does not exist.

mod common;

use std::collections::BTreeSet;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_store::NewReferral;
use serde_json::{Value, json};
use time::OffsetDateTime;

backend_tests!(scope_of_every_role);
backend_tests!(scope_through_assignments_and_referrals);

/// What one user may do with the owner's case.
struct Expectation {
    username: &'static str,
    /// The ids (by label) the user's unfiltered list must contain, exactly.
    listed: &'static [&'static str],
    /// Whether the user may read the owner's case.
    reads: bool,
    /// The status of a PATCH of the owner's case.
    patch_status: StatusCode,
}

/// Checks lists, search, reads, change logs and PATCHes of one caseworker's case for eight users.
/// They are the owner, a caseworker of the same agency, supervisors with and without the owner in
/// their group, the agency administrator, an information management officer, a system
/// administrator and a caseworker of another agency.
async fn scope_of_every_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.create_user("cw.owner", "caseworker", AGENCY_A, "en").await;
    app.create_user("cw.peer", "caseworker", AGENCY_A, "en").await;
    let team_supervisor = app.create_user("sup.team", "supervisor", AGENCY_A, "en").await;
    app.create_user("sup.other", "supervisor", AGENCY_A, "en").await;
    app.create_user("admin.a", "agency_admin", AGENCY_A, "en").await;
    app.create_user("imo", "information_management_officer", AGENCY_A, "en").await;
    app.create_user("sysadmin", "system_admin", AGENCY_A, "en").await;
    app.create_user("cw.bravo", "caseworker", AGENCY_B, "en").await;
    let team = app.state.store.create_group("Team", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(team, owner.id).await.expect("failed to add the owner to the group");
    app.state.store.add_group_member(team, team_supervisor.id).await.expect("failed to add the supervisor");

    let usernames =
        ["cw.owner", "cw.peer", "sup.team", "sup.other", "admin.a", "imo", "sysadmin", "cw.bravo"];
    let mut clients: Vec<(&str, Client)> = Vec::new();
    for username in usernames {
        clients.push((username, app.login(username, PASSWORD).await));
    }
    let client = |username: &str| {
        &clients.iter().find(|(name, _)| *name == username).expect("every user is logged in").1
    };

    let owned = app.create_case(client("cw.owner"), child("Nurjahan")).await;
    let owned_second = app.create_case(client("cw.owner"), child("Rokeya")).await;
    let peer_case = app.create_case(client("cw.peer"), child("Shahida")).await;
    let bravo_case = app.create_case(client("cw.bravo"), child("Taslima")).await;
    let id_of = |label: &str| -> String {
        let case = match label {
            "owned" => &owned,
            "owned_second" => &owned_second,
            "peer" => &peer_case,
            "bravo" => &bravo_case,
            other => panic!("unknown case label {other}"),
        };
        case["id"].as_str().expect("a created case has an id").to_owned()
    };
    let owned_id = id_of("owned");

    let expectations = [
        Expectation {
            username: "cw.owner",
            listed: &["owned", "owned_second"],
            reads: true,
            patch_status: StatusCode::OK,
        },
        Expectation {
            username: "cw.peer",
            listed: &["peer"],
            reads: false,
            patch_status: StatusCode::NOT_FOUND,
        },
        Expectation {
            username: "sup.team",
            listed: &["owned", "owned_second"],
            reads: true,
            patch_status: StatusCode::OK,
        },
        Expectation { username: "sup.other", listed: &[], reads: false, patch_status: StatusCode::NOT_FOUND },
        // The agency administrator reads the agency's cases but has no write grant.
        Expectation {
            username: "admin.a",
            listed: &["owned", "owned_second", "peer"],
            reads: true,
            patch_status: StatusCode::FORBIDDEN,
        },
        // Roles without the write grant are rejected before any lookup, so the status reveals
        // nothing about whether the case exists.
        Expectation { username: "imo", listed: &[], reads: false, patch_status: StatusCode::FORBIDDEN },
        Expectation { username: "sysadmin", listed: &[], reads: false, patch_status: StatusCode::FORBIDDEN },
        Expectation {
            username: "cw.bravo",
            listed: &["bravo"],
            reads: false,
            patch_status: StatusCode::NOT_FOUND,
        },
    ];

    for expectation in expectations {
        let user = expectation.username;
        let http = client(user);

        if ["imo", "sysadmin"].contains(&user) {
            // Roles with no read grant are told so, rather than shown an empty list.
            let (status, body) = send(http.get(app.api("/cases")).query(&[("q", "Nurjahan")])).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}'s case list is not forbidden: {body}");
            let (status, body) = send(http.get(app.api("/caseload"))).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}'s caseload is not forbidden: {body}");
        } else {
            // An empty filter means "every case I may see", never "every case".
            let listed: BTreeSet<String> = app.list_ids(http, &[]).await.into_iter().collect();
            let expected: BTreeSet<String> = expectation.listed.iter().map(|label| id_of(label)).collect();
            assert_eq!(listed, expected, "{user}'s unfiltered list has the wrong cases");

            let (status, body) = send(http.get(app.api("/cases")).query(&[("q", "Nurjahan")])).await;
            assert_eq!(status, StatusCode::OK, "{user}'s search failed: {body}");
            let found =
                body["cases"].as_array().is_some_and(|cases| cases.iter().any(|case| case["id"] == owned_id));
            assert_eq!(found, expectation.reads, "{user}'s search result for the owner's case is wrong");
            assert_eq!(body["total"], json!(i64::from(expectation.reads)), "{user}'s search total is wrong");
        }

        let missing_id = uuid::Uuid::now_v7().to_string();
        for path in ["", "/changes"] {
            let (status, body) = send(http.get(app.api(&format!("/cases/{owned_id}{path}")))).await;
            if expectation.reads {
                assert_eq!(status, StatusCode::OK, "{user} cannot GET /cases/{{id}}{path}: {body}");
            } else {
                let (missing_status, missing_body) =
                    send(http.get(app.api(&format!("/cases/{missing_id}{path}")))).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{user} can GET /cases/{{id}}{path}: {body}");
                assert_eq!(
                    status, missing_status,
                    "{user}'s GET {path} differs in status from a missing case"
                );
                assert_eq!(body, missing_body, "{user}'s GET {path} differs in body from a missing case");
            }
        }

        let change = json!({"changes": [{"path": "name_middle", "value": format!("by {user}")}]});
        let (status, body) = send(http.patch(app.api(&format!("/cases/{owned_id}"))).json(&change)).await;
        assert_eq!(status, expectation.patch_status, "{user}'s PATCH of the owner's case: {body}");
        if status != StatusCode::OK {
            let missing = app.api(&format!("/cases/{missing_id}"));
            let (missing_status, missing_body) = send(http.patch(missing).json(&change)).await;
            assert_eq!(status, missing_status, "{user}'s PATCH differs in status from a missing case");
            assert_eq!(body, missing_body, "{user}'s PATCH differs in body from a missing case");
        }
    }

    // Only the owner's and the team supervisor's PATCHes may have landed.
    let (_, changes) = send(client("cw.owner").get(app.api(&format!("/cases/{owned_id}/changes")))).await;
    let authors: BTreeSet<String> = changes
        .as_array()
        .expect("the change log is an array")
        .iter()
        .filter(|entry| entry["path"] == "name_middle")
        .filter_map(|entry| entry["username"].as_str().map(str::to_owned))
        .collect();
    let expected_authors: BTreeSet<String> = ["cw.owner", "sup.team"].map(str::to_owned).into();
    assert_eq!(authors, expected_authors, "the change log shows writes by users outside the write scope");
    let untouched: Value = send(client("cw.owner").get(app.api(&format!("/cases/{owned_id}")))).await.1;
    assert_eq!(
        untouched["data"]["name_middle"], "by sup.team",
        "the last permitted PATCH is not the stored value"
    );
}

/// Checks the assignment and referral branches of the scope. A caseworker reaches cases of
/// another owner that are assigned to them or referred to them while the referral is pending
/// or accepted, and nothing else. A case the scope reaches in several ways is listed and
/// counted once.
async fn scope_through_assignments_and_referrals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.create_user("cw.owner", "caseworker", AGENCY_A, "en").await;
    let helper = app.create_user("cw.helper", "caseworker", AGENCY_A, "en").await;
    let supervisor = app.create_user("sup.team", "supervisor", AGENCY_A, "en").await;
    let team = app.state.store.create_group("Team", AGENCY_A).await.expect("failed to create a group");
    app.state.store.add_group_member(team, owner.id).await.expect("failed to add the owner to the group");
    app.state.store.add_group_member(team, supervisor.id).await.expect("failed to add the supervisor");
    let owner_client = app.login("cw.owner", PASSWORD).await;
    let helper_client = app.login("cw.helper", PASSWORD).await;
    let supervisor_client = app.login("sup.team", PASSWORD).await;

    let mut ids: Vec<(&str, String)> = Vec::new();
    for (label, name) in [
        ("assigned", "Amena"),
        ("pending", "Beauty"),
        ("accepted", "Champa"),
        ("done", "Dilara"),
        ("revoked", "Eti"),
        ("untouched", "Farzana"),
    ] {
        let case = app.create_case(&owner_client, child(name)).await;
        ids.push((label, case["id"].as_str().expect("a created case has an id").to_owned()));
    }
    let id_of = |label: &str| -> String {
        ids.iter().find(|(name, _)| *name == label).expect("every label has a case").1.clone()
    };
    let uuid_of = |label: &str| -> uuid::Uuid { id_of(label).parse().expect("case ids are UUIDs") };

    app.assign_case(uuid_of("assigned"), helper.id.0).await;
    let refer = |label: &str, to: UserId, status: &str| NewReferral {
        id: ReferralId(uuid::Uuid::now_v7()),
        case_id: CaseId(uuid_of(label)),
        from_user_id: owner.id,
        to_user_id: to,
        to_agency_id: AGENCY_A.to_owned(),
        service_type: "health".to_owned(),
        status: status.to_owned(),
        shared_forms: vec!["basic_identity".to_owned()],
        now: OffsetDateTime::now_utc(),
    };
    for (label, status) in
        [("pending", "pending"), ("accepted", "accepted"), ("done", "done"), ("revoked", "revoked")]
    {
        app.state
            .store
            .insert_referral_row(&refer(label, helper.id, status), AGENCY_A, "internal")
            .await
            .expect("failed to create a referral");
    }
    // The supervisor reaches "assigned" through the group, an assignment and two open referrals.
    app.assign_case(uuid_of("assigned"), supervisor.id.0).await;
    for status in ["pending", "accepted"] {
        app.state
            .store
            .insert_referral_row(&refer("assigned", supervisor.id, status), AGENCY_A, "internal")
            .await
            .expect("failed to create a referral");
    }

    let helper_listed = app.list_ids(&helper_client, &[]).await;
    let helper_set: BTreeSet<String> = helper_listed.iter().cloned().collect();
    let expected: BTreeSet<String> = ["assigned", "pending", "accepted"].map(id_of).into();
    assert_eq!(helper_set, expected, "the helper's list has the wrong cases");
    assert_eq!(helper_listed.len(), helper_set.len(), "the helper's list repeats a case");
    let (_, body) = send(helper_client.get(app.api("/cases"))).await;
    assert_eq!(body["total"], json!(3), "the helper's total is wrong");
    // A page past the end lists nothing but still counts every case in scope.
    let (_, body) = send(helper_client.get(app.api("/cases")).query(&[("offset", "5")])).await;
    assert_eq!(body["cases"].as_array().map(Vec::len), Some(0), "the page past the end lists cases");
    assert_eq!(body["total"], json!(3), "the total of a page past the end is wrong");

    // Filters apply to every branch of the scope.
    let (_, body) = send(helper_client.get(app.api("/cases")).query(&[("q", "Beauty")])).await;
    let found: Vec<&str> = body["cases"]
        .as_array()
        .expect("the case list is an array")
        .iter()
        .filter_map(|case| case["id"].as_str())
        .collect();
    assert_eq!(found, [id_of("pending").as_str()], "the helper's search found the wrong cases");
    assert_eq!(body["total"], json!(1), "the helper's search total is wrong");
    let (_, body) = send(helper_client.get(app.api("/cases")).query(&[("q", "Dilara")])).await;
    assert_eq!(body["total"], json!(0), "the helper finds a case whose referral is done");

    let missing_id = uuid::Uuid::now_v7().to_string();
    let (missing_status, missing_body) =
        send(helper_client.get(app.api(&format!("/cases/{missing_id}")))).await;
    for label in ["done", "revoked", "untouched"] {
        let (status, body) = send(helper_client.get(app.api(&format!("/cases/{}", id_of(label))))).await;
        assert_eq!(
            status, missing_status,
            "the helper's GET of the {label} case differs in status from a missing case"
        );
        assert_eq!(
            body, missing_body,
            "the helper's GET of the {label} case differs in body from a missing case"
        );
    }
    for label in ["assigned", "pending", "accepted"] {
        let (status, body) = send(helper_client.get(app.api(&format!("/cases/{}", id_of(label))))).await;
        assert_eq!(status, StatusCode::OK, "the helper cannot GET the {label} case: {body}");
    }

    let supervisor_listed = app.list_ids(&supervisor_client, &[]).await;
    let supervisor_set: BTreeSet<String> = supervisor_listed.iter().cloned().collect();
    assert_eq!(supervisor_set.len(), 6, "the supervisor's list misses a case of the group");
    assert_eq!(supervisor_listed.len(), 6, "the supervisor's list repeats a case");
    let (_, body) = send(supervisor_client.get(app.api("/cases"))).await;
    assert_eq!(body["total"], json!(6), "the supervisor's total counts a case twice");
    let (_, body) = send(supervisor_client.get(app.api("/cases")).query(&[("q", "Amena")])).await;
    assert_eq!(body["total"], json!(1), "the supervisor's search counts a case twice");
    assert_eq!(body["cases"].as_array().map(Vec::len), Some(1), "the supervisor's search lists a case twice");
}

backend_tests!(scope_through_agency_referrals);

/// Checks the agency branch of the referral scope. A pending referral to an agency reaches the
/// agency's users whose role receives referrals (in lists and reads) but not its caseworkers, and
/// a recipient may not refer or transfer the case onwards.
async fn scope_through_agency_referrals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.owner", "caseworker", AGENCY_B, "en").await;
    app.create_user("sp.receiver", "service_provider", AGENCY_A, "en").await;
    app.create_user("cw.lanternlight", "caseworker", AGENCY_A, "en").await;
    let owner = app.login("cw.owner", PASSWORD).await;
    let receiver = app.login("sp.receiver", PASSWORD).await;
    let caseworker = app.login("cw.lanternlight", PASSWORD).await;
    let data = common::with(child("Nurjahan"), json!({"consent_for_sharing": true}));
    let case = app.create_case(&owner, data).await;
    let case_id = case["id"].as_str().expect("a created case has an id").to_owned();
    let referral = json!({"to_agency_id": AGENCY_A, "service_type": "psychosocial_support",
        "shared_forms": ["basic_identity"]});
    let (status, body) =
        send(owner.post(app.api(&format!("/cases/{case_id}/referrals"))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {body}");

    assert_eq!(
        app.list_ids(&receiver, &[]).await,
        std::slice::from_ref(&case_id),
        "the receiver's list is wrong"
    );
    assert_eq!(
        app.list_ids(&caseworker, &[]).await,
        Vec::<String>::new(),
        "a caseworker reaches the referral"
    );
    let (status, _) = send(receiver.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::OK, "the receiver cannot read the referred case");
    let (status, _) = send(caseworker.get(app.api(&format!("/cases/{case_id}")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a caseworker of the agency reads the referred case");

    // A service provider has no refer or transfer grant at all.
    let (status, _) =
        send(receiver.post(app.api(&format!("/cases/{case_id}/referrals"))).json(&referral)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a recipient referred the case onwards");
    let transfer = json!({"to_agency_id": AGENCY_A});
    let (status, _) =
        send(receiver.post(app.api(&format!("/cases/{case_id}/transfers"))).json(&transfer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a recipient transferred the case");
}
