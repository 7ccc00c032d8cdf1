//! Dashboards: the kind each role gets, the figures of the caseworker, supervisor and manager
//! dashboards, and the rule that every figure equals the row count of the list it opens.
//!
//! Today is 5 December 2026 in Dhaka. Agency `lli` has caseworkers Rina and Jamal, their
//! supervisor Karim and the manager Lima; agency `bcri` has the caseworker Sadia and the
//! receiver Omar; one of Sadia's cases is assigned to Karim. Nabil is a service provider of `lli`, Ibrahim an information management officer.

mod common;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::principal::Principal;
use sathi_domain::workflow::CaseStatus;
use sathi_store::{CaseUpdate, NewCase, User};
use serde_json::{Map, Value, json};
use time::macros::datetime;

backend_tests!(
    every_dashboard_figure_equals_its_list_rows,
    dashboard_figures_have_expected_values,
    dashboard_kinds_follow_role_grants,
    age_filter_moves_on_birthday,
    not_recorded_filters_match_missing_values,
    agency_referral_lists_need_agency_read
);

/// The users of the fixture, logged in, and the cases it made.
struct Fixture {
    app: TestApp,
    rina: Client,
    jamal: Client,
    karim: Client,
    lima: Client,
    sadia: Client,
    omar: Client,
    nabil: Client,
    ibrahim: Client,
    rina_id: UserId,
    jamal_id: UserId,
    karim_id: UserId,
    sadia_id: UserId,
    /// Sadia's case referred to `lli`, which no `lli` dashboard may count as a case.
    sadia_case: String,
}

fn principal_of(app: &TestApp, user: &User) -> Principal {
    let config = app.state.configuration();
    let role =
        config.config.roles.iter().find(|role| role.id == user.role_id).expect("the role exists").clone();
    Principal { user_id: user.id, agency_id: user.agency_id.clone(), role, group_ids: Vec::new() }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("case data is not an object: {other}"),
    }
}

/// Stores a case owned by `owner` directly, without the validator, so that it may lack
/// required values or carry dates people cannot write. With `closed_on`, the case is then
/// closed with that closure date.
async fn store_case(
    app: &TestApp,
    owner: &User,
    display_id: &str,
    data: Value,
    closed_on: Option<&str>,
) -> String {
    let store = &app.state.store;
    let principal = principal_of(app, owner);
    let mut data = object(data);
    let case = NewCase {
        id: CaseId::new(),
        display_id: display_id.to_owned(),
        data: data.clone(),
        changes: Vec::new(),
        owner_id: owner.id,
        owner_agency_id: owner.agency_id.clone(),
        now: app.state.now(),
    };
    let record = store.create_case(&principal, &case).await.expect("failed to store a case");
    if let Some(closed_on) = closed_on {
        data.insert("closure_date".to_owned(), json!(closed_on));
        data.insert("closure_reason".to_owned(), json!("goals_achieved"));
        let update = CaseUpdate {
            id: record.id,
            action: sathi_domain::permissions::Action::Write,
            expected_version: record.version,
            data,
            changes: Vec::new(),
            status: CaseStatus::Closed,
            enabled: true,
            now: app.state.now(),
        };
        store
            .update_case(&principal, &update)
            .await
            .expect("failed to close a case")
            .expect("the case is in scope");
    }
    record.id.to_string()
}

fn id_of(case: &Value) -> String {
    case["id"].as_str().expect("a created case has an id").to_owned()
}

async fn fixture(backend: Backend) -> Fixture {
    let app = TestApp::spawn(backend).await;
    *app.state.settings.now_override.write().unwrap() = Some(datetime!(2026-12-05 06:00 UTC));
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let jamal = app.create_user("cw.jamal", "caseworker", AGENCY_A, "bn").await;
    let karim = app.create_user("sv.karim", "supervisor", AGENCY_A, "en").await;
    app.create_user("mg.lima", "agency_admin", AGENCY_A, "en").await;
    let sadia = app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    app.create_user("sp.omar", "service_provider", AGENCY_B, "en").await;
    app.create_user("sp.nabil", "service_provider", AGENCY_A, "en").await;
    app.create_user("im.ibrahim", "information_management_officer", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    for member in [&rina, &jamal, &karim] {
        app.state.store.add_group_member(group, member.id).await.expect("failed to add a group member");
    }
    let fixture = Fixture {
        rina: app.login("cw.rina", PASSWORD).await,
        jamal: app.login("cw.jamal", PASSWORD).await,
        karim: app.login("sv.karim", PASSWORD).await,
        lima: app.login("mg.lima", PASSWORD).await,
        sadia: app.login("cw.sadia", PASSWORD).await,
        omar: app.login("sp.omar", PASSWORD).await,
        nabil: app.login("sp.nabil", PASSWORD).await,
        ibrahim: app.login("im.ibrahim", PASSWORD).await,
        rina_id: rina.id,
        jamal_id: jamal.id,
        karim_id: karim.id,
        sadia_id: sadia.id,
        sadia_case: String::new(),
        app,
    };
    let app = &fixture.app;

    // Rina: five open cases made over the API, and two stored ones.
    let ayesha = app
        .create_case(
            &fixture.rina,
            with(
                child("Ayesha"),
                json!({"date_of_birth": "2020-12-05", "registration_date": "2026-03-10",
                       "protection_concerns": ["separated", "child_labour"], "consent_for_sharing": true,
                       "assessment_completed_on": "2026-03-14"}),
            ),
        )
        .await;
    app.create_case(
        &fixture.rina,
        with(
            child("Bilkis"),
            json!({"date_of_birth": "2020-12-06", "registration_date": "2026-05-02", "risk_level": "medium",
                   "location_current": "BD-CTG-CXB-UKH-C02E", "protection_concerns": ["child_marriage"],
                   "assessment_completed_on": "2026-05-12"}),
        ),
    )
    .await;
    app.create_case(
        &fixture.rina,
        with(
            child("Chumki"),
            json!({"date_of_birth": "2016-02-29", "registration_date": "2026-11-20", "risk_level": "low",
                   "sex": "male"}),
        ),
    )
    .await;
    app.create_case(
        &fixture.rina,
        with(child("Dilara"), json!({"date_of_birth": "2008-12-05", "registration_date": "2026-11-30"})),
    )
    .await;
    app.create_case(
        &fixture.rina,
        with(
            child("Esha"),
            json!({"date_of_birth": "2008-12-06", "registration_date": "2026-12-01",
                   "location_current": "BD-CTG-CXB-UKH-JALIAPALONG"}),
        ),
    )
    .await;
    let rina_user = app.state.store.user(fixture.rina_id).await.unwrap().unwrap();
    store_case(
        app,
        &rina_user,
        "CP-DASH-0001",
        json!({"registration_date": "2026-06-15", "name_first": "Farida"}),
        None,
    )
    .await;
    store_case(
        app,
        &rina_user,
        "CP-DASH-0002",
        with(
            child("Gulshan"),
            json!({"registration_date": "2026-02-03", "assessment_completed_on": "2026-02-10",
                   "case_plan_approved_on": "2026-02-20"}),
        ),
        Some("2026-11-20"),
    )
    .await;

    // Jamal: an open high-risk case registered in June whose assessment is overdue, and a case
    // closed in January.
    app.create_case(&fixture.jamal, with(child("Hasina"), json!({"registration_date": "2026-06-01"}))).await;
    let jamal_user = app.state.store.user(fixture.jamal_id).await.unwrap().unwrap();
    store_case(
        app,
        &jamal_user,
        "CP-DASH-0003",
        with(child("Ismat"), json!({"registration_date": "2025-12-20"})),
        Some("2026-01-05"),
    )
    .await;
    let jamal_case = app
        .create_case(
            &fixture.jamal,
            with(child("Jui"), json!({"registration_date": "2026-12-04", "risk_level": "low"})),
        )
        .await;

    // Karim keeps a new registration until he assigns it.
    let karim_user = app.state.store.user(fixture.karim_id).await.unwrap().unwrap();
    store_case(
        app,
        &karim_user,
        "CP-DASH-0004",
        with(child("Kulsum"), json!({"registration_date": "2026-12-05"})),
        None,
    )
    .await;

    // Sadia of bcri: one case, referred to lli for psychosocial support.
    let sadia_case = app
        .create_case(
            &fixture.sadia,
            with(child("Lovely"), json!({"registration_date": "2026-10-01", "consent_for_sharing": true})),
        )
        .await;
    let sadia_case = id_of(&sadia_case);
    // A second case of Sadia's is assigned to Karim, so it is in his scope but not his group's.
    let mina = app
        .create_case(&fixture.sadia, with(child("Mina"), json!({"registration_date": "2026-09-01"})))
        .await;
    let mina = uuid::Uuid::parse_str(&id_of(&mina)).expect("a case id is a UUID");
    app.assign_case(mina, fixture.karim_id.0).await;
    let referral = json!({"to_agency_id": AGENCY_A, "service_type": "psychosocial_support",
                          "shared_forms": ["basic_identity", "protection_concerns"]});
    let (status, body) =
        send(fixture.sadia.post(app.api(&format!("/cases/{sadia_case}/referrals"))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "Sadia's referral failed: {body}");

    // Rina refers Ayesha to bcri for cash, and requests Karim's approval of Ayesha's assessment.
    let ayesha = id_of(&ayesha);
    let referral =
        json!({"to_agency_id": AGENCY_B, "service_type": "cash", "shared_forms": ["basic_identity"]});
    let (status, body) =
        send(fixture.rina.post(app.api(&format!("/cases/{ayesha}/referrals"))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "Rina's referral failed: {body}");
    let (status, body) = send(
        fixture
            .rina
            .post(app.api(&format!("/cases/{ayesha}/approvals")))
            .json(&json!({"kind": "assessment"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "the approval request failed: {body}");

    // Jamal transfers Jui to Rina, who has not accepted it yet.
    let jamal_case = id_of(&jamal_case);
    let transfer = json!({"to_agency_id": AGENCY_A, "to_user_id": fixture.rina_id});
    let (status, body) =
        send(fixture.jamal.post(app.api(&format!("/cases/{jamal_case}/transfers"))).json(&transfer)).await;
    assert_eq!(status, StatusCode::CREATED, "the transfer failed: {body}");

    Fixture { sadia_case, ..fixture }
}

async fn dashboard_of(app: &TestApp, client: &Client) -> Value {
    let (status, body) = send(client.get(app.api("/dashboard"))).await;
    assert_eq!(status, StatusCode::OK, "the dashboard failed: {body}");
    body
}

fn panel<'a>(dashboard: &'a Value, id: &str) -> &'a Value {
    dashboard["panels"]
        .as_array()
        .expect("a dashboard has panels")
        .iter()
        .find(|panel| panel["id"] == id)
        .unwrap_or_else(|| panic!("no panel {id}: {dashboard}"))
}

/// Returns the value of the figure `key` of panel `id`, or `None` when the panel has no such figure.
fn value(dashboard: &Value, id: &str, key: &str) -> Option<i64> {
    panel(dashboard, id)["figures"]
        .as_array()
        .expect("a panel has figures")
        .iter()
        .find(|figure| figure["key"] == key)
        .map(|figure| figure["value"].as_i64().unwrap_or_else(|| panic!("{id}/{key} has no value: {figure}")))
}

/// Follows a figure's list target over HTTP and returns how many rows the list shows.
async fn list_rows(app: &TestApp, client: &Client, list: &Value) -> usize {
    let filter: Vec<(String, String)> = list["filter"]
        .as_object()
        .expect("a list target has a filter")
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().expect("filter values are strings").to_owned()))
        .collect();
    let path = match list["screen"].as_str().expect("a list target has a screen") {
        "cases" => "/cases",
        "tasks" => "/tasks",
        "approvals" => "/approvals",
        "referrals" => "/referrals",
        "transfers" => "/transfers",
        other => panic!("no list endpoint for screen {other}"),
    };
    let mut request = client.get(app.api(path)).query(&filter);
    if path == "/cases" {
        request = request.query(&[("limit", "1")]);
    }
    let (status, body) = send(request).await;
    assert_eq!(status, StatusCode::OK, "the list {list} failed: {body}");
    match path {
        "/cases" => usize::try_from(body["total"].as_i64().expect("a case list has a total")).unwrap(),
        "/tasks" => body["items"].as_array().expect("a task list has items").len(),
        _ => body.as_array().unwrap_or_else(|| panic!("the list {list} is not an array: {body}")).len(),
    }
}

/// Rule of the dashboards: every figure that opens a list equals that list's row count, for
/// every role, and only `days` medians and percentiles open no list.
async fn every_dashboard_figure_equals_its_list_rows(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let mut checked = 0;
    for (name, client) in [
        ("rina", &fixture.rina),
        ("jamal", &fixture.jamal),
        ("karim", &fixture.karim),
        ("lima", &fixture.lima),
        ("sadia", &fixture.sadia),
    ] {
        let dashboard = dashboard_of(app, client).await;
        assert!(!dashboard["panels"].as_array().unwrap().is_empty(), "{name} has no panels: {dashboard}");
        for panel in dashboard["panels"].as_array().unwrap() {
            for figure in panel["figures"].as_array().expect("a panel has figures") {
                let Some(list) = figure.get("list").filter(|list| !list.is_null()) else {
                    assert!(
                        ["median", "p90"].contains(&figure["key"].as_str().unwrap()),
                        "{name}: figure {} of {} opens no list",
                        figure["key"],
                        panel["id"]
                    );
                    continue;
                };
                let rows = list_rows(app, client, list).await;
                let expected = figure["value"].as_i64().expect("a listed figure has a value");
                assert_eq!(
                    i64::try_from(rows).unwrap(),
                    expected,
                    "{name}: figure {} of {} is {expected} but its list {list} shows {rows}",
                    figure["key"],
                    panel["id"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 70, "only {checked} figures were followed");
}

/// Concrete figures of the fixture, and the scope: no lli dashboard counts Sadia's case.
async fn dashboard_figures_have_expected_values(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;

    let rina = dashboard_of(app, &fixture.rina).await;
    assert_eq!(rina["kind"], "caseworker");
    assert_eq!(rina["as_of"], "2026-12-05");
    assert_eq!(rina["period"], json!({"from": "2026-01-01", "to": "2026-12-05"}));
    assert_eq!(value(&rina, "my_open_total", "total"), Some(6), "Rina owns six open cases");
    assert_eq!(value(&rina, "my_open_by_risk", "high"), Some(3));
    assert_eq!(value(&rina, "my_open_by_risk", "medium"), Some(1));
    assert_eq!(value(&rina, "my_open_by_risk", "low"), Some(1));
    assert_eq!(value(&rina, "my_open_by_risk", "none"), Some(1), "Farida has no risk level");
    assert_eq!(value(&rina, "my_incoming", "transfers"), Some(1), "Jamal's transfer waits on Rina");
    assert_eq!(value(&rina, "my_incoming", "referrals"), Some(0));

    let jamal = dashboard_of(app, &fixture.jamal).await;
    assert_eq!(value(&jamal, "my_open_total", "total"), Some(2));
    assert!(value(&jamal, "my_tasks", "overdue").unwrap() >= 1, "Hasina's assessment is overdue: {jamal}");

    let karim = dashboard_of(app, &fixture.karim).await;
    assert_eq!(karim["kind"], "supervisor");
    assert_eq!(value(&karim, "team_open_by_owner", &fixture.rina_id.to_string()), Some(6));
    assert_eq!(value(&karim, "team_open_by_owner", &fixture.jamal_id.to_string()), Some(2));
    assert_eq!(value(&karim, "team_open_by_owner", &fixture.karim_id.to_string()), Some(1));
    assert_eq!(
        value(&karim, "team_open_by_owner", &fixture.sadia_id.to_string()),
        Some(1),
        "Mina is assigned to Karim"
    );
    let owners = &panel(&karim, "team_open_by_owner")["figures"];
    let rina_figure =
        owners.as_array().unwrap().iter().find(|figure| figure["key"] == json!(fixture.rina_id)).unwrap();
    assert_eq!(rina_figure["label"], "Test user cw.rina");
    assert_eq!(value(&karim, "approvals_pending", "total"), Some(1), "Ayesha's assessment waits on Karim");
    assert_eq!(value(&karim, "new_to_assign", "total"), Some(1), "Karim holds Kulsum");
    assert_eq!(value(&karim, "team_open_by_risk", "high"), Some(6), "three of Rina, Hasina, Kulsum and Mina");
    assert!(value(&karim, "team_overdue_by_owner", &fixture.jamal_id.to_string()).unwrap() >= 1);

    let lima = dashboard_of(app, &fixture.lima).await;
    assert_eq!(lima["kind"], "manager");
    assert_eq!(value(&lima, "open_total", "total"), Some(9), "six of Rina, two of Jamal, one of Karim");
    assert_eq!(value(&lima, "open_by_camp", "BD-CTG-CXB-UKH-C01E"), Some(6));
    assert_eq!(value(&lima, "open_by_camp", "BD-CTG-CXB-UKH-C02E"), Some(1));
    assert_eq!(value(&lima, "open_by_camp", "BD-CTG-CXB-UKH-JALIAPALONG"), Some(1), "a host community union");
    assert_eq!(value(&lima, "open_by_camp", "none"), Some(1));
    assert_eq!(value(&lima, "open_by_concern", "separated"), Some(7));
    assert_eq!(value(&lima, "open_by_concern", "child_labour"), Some(1), "Ayesha counts under two concerns");
    assert_eq!(value(&lima, "open_by_concern", "none"), Some(1));
    assert_eq!(value(&lima, "open_by_sex", "female"), Some(7));
    assert_eq!(value(&lima, "open_by_sex", "male"), Some(1));
    assert_eq!(value(&lima, "open_by_sex", "none"), Some(1));
    // Ayesha turns 6 today and Bilkis tomorrow; Chumki (29 February 2016) is 10; Dilara turns
    // 18 today and Esha tomorrow.
    assert_eq!(value(&lima, "open_by_age_range", "0-5"), Some(1));
    assert_eq!(value(&lima, "open_by_age_range", "6-11"), Some(2));
    assert_eq!(value(&lima, "open_by_age_range", "12-17"), Some(1));
    assert_eq!(value(&lima, "open_by_age_range", "18+"), Some(1));
    assert_eq!(value(&lima, "open_by_age_range", "unknown"), Some(4));
    assert_eq!(value(&lima, "opened_by_month", "2026-12"), Some(3), "Esha, Jui and Kulsum");
    assert_eq!(value(&lima, "opened_by_month", "2026-11"), Some(2));
    assert_eq!(value(&lima, "opened_by_month", "2026-01"), Some(0));
    assert_eq!(value(&lima, "closed_by_month", "2026-11"), Some(1));
    assert_eq!(value(&lima, "closed_by_month", "2026-01"), Some(1));
    assert_eq!(panel(&lima, "opened_by_month")["figures"].as_array().unwrap().len(), 12);
    assert_eq!(value(&lima, "referrals_sent_by_service", "cash"), Some(1));
    assert_eq!(value(&lima, "referrals_received_by_agency", AGENCY_B), Some(1));
    // Ayesha took 4 days, Bilkis 10, Gulshan 7; Gulshan's case plan took 17 days.
    assert_eq!(value(&lima, "days_to_assessment", "cases"), Some(3));
    assert_eq!(value(&lima, "days_to_assessment", "median"), Some(7));
    assert_eq!(value(&lima, "days_to_assessment", "p90"), Some(10));
    assert_eq!(value(&lima, "days_to_case_plan", "cases"), Some(1));
    assert_eq!(value(&lima, "days_to_case_plan", "median"), Some(17));

    // Sadia's case reaches lli only as a referral: the cases Lima's dashboard counts exclude it.
    let (_, sadia_case) = send(fixture.lima.get(app.api(&format!("/cases/{}", fixture.sadia_case)))).await;
    assert_eq!(sadia_case["error"]["code"], "not_found", "Lima reads another agency's case: {sadia_case}");
    let sadia = dashboard_of(app, &fixture.sadia).await;
    assert_eq!(value(&sadia, "my_open_total", "total"), Some(2));
}

/// Checks that the kind comes from the role's grants: a service provider gets none, the information
/// management officer the coordination dashboard.
async fn dashboard_kinds_follow_role_grants(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    for (client, kind) in
        [(&fixture.nabil, "none"), (&fixture.omar, "none"), (&fixture.ibrahim, "coordination")]
    {
        let dashboard = dashboard_of(app, client).await;
        assert_eq!(dashboard["kind"], kind, "{dashboard}");
        if kind == "none" {
            assert_eq!(dashboard["panels"], json!([]));
        }
    }
    let (status, _) = send(Client::new().get(app.api("/dashboard"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Field rule: a birthday on the as-of date moves the child into the next range, and a
/// 29 February birthday is reached on 1 March in years without 29 February.
async fn age_filter_moves_on_birthday(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let total = |query: Vec<(&'static str, &'static str)>| {
        let request = fixture.lima.get(app.api("/cases")).query(&query);
        async move {
            let (status, body) = send(request).await;
            assert_eq!(status, StatusCode::OK, "{query:?}: {body}");
            body["total"].as_i64().unwrap()
        }
    };
    // Ayesha, born 5 December 2020, is 6 on 5 December 2026; Bilkis, born a day later, is 5.
    let six_to_eleven = vec![("age_min", "6"), ("age_max", "11"), ("as_of", "2026-12-05"), ("q", "Ayesha")];
    assert_eq!(total(six_to_eleven).await, 1);
    let under_six = vec![("age_min", "0"), ("age_max", "5"), ("as_of", "2026-12-05"), ("q", "Bilkis")];
    assert_eq!(total(under_six).await, 1);
    let ayesha_before = vec![("age_min", "6"), ("age_max", "11"), ("as_of", "2026-12-04"), ("q", "Ayesha")];
    assert_eq!(total(ayesha_before).await, 0, "Ayesha is 5 the day before her birthday");
    // Chumki, born 29 February 2016, is 9 on 28 February 2026 and 10 on 1 March 2026.
    let ten_on_28 = vec![("age_min", "10"), ("age_max", "10"), ("as_of", "2026-02-28"), ("q", "Chumki")];
    assert_eq!(total(ten_on_28).await, 0);
    let nine_on_28 = vec![("age_min", "9"), ("age_max", "9"), ("as_of", "2026-02-28"), ("q", "Chumki")];
    assert_eq!(total(nine_on_28).await, 1);
    let ten_on_1 = vec![("age_min", "10"), ("age_max", "10"), ("as_of", "2026-03-01"), ("q", "Chumki")];
    assert_eq!(total(ten_on_1).await, 1);
    // Dilara turns 18 today, Esha tomorrow.
    let adults = vec![("age_min", "18"), ("as_of", "2026-12-05")];
    assert_eq!(total(adults).await, 1);
    let (status, body) = send(fixture.lima.get(app.api("/cases")).query(&[("as_of", "5 Dec")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_filter");
}

/// `none` lists cases without the value, and the new date filters select on the stored dates.
async fn not_recorded_filters_match_missing_values(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let names = |query: Vec<(&'static str, &'static str)>| {
        let request = fixture.lima.get(app.api("/cases")).query(&query).query(&[("sort", "name_asc")]);
        async move {
            let (status, body) = send(request).await;
            assert_eq!(status, StatusCode::OK, "{query:?}: {body}");
            let cases = body["cases"].as_array().unwrap().iter();
            cases.map(|case| case["name"].as_str().unwrap_or("").to_owned()).collect::<Vec<String>>()
        }
    };
    for query in [
        vec![("risk_level", "none")],
        vec![("sex", "none")],
        vec![("location", "none")],
        vec![("protection_concern", "none")],
    ] {
        assert_eq!(names(query.clone()).await, ["Farida"], "{query:?}");
    }
    assert_eq!(names(vec![("risk_level", "low,none")]).await, ["Chumki", "Farida", "Jui"]);
    let unknown_age = names(vec![("age_unknown", "true"), ("status", "open")]).await;
    assert_eq!(unknown_age, ["Farida", "Hasina", "Jui", "Kulsum"]);
    assert_eq!(names(vec![("closed_from", "2026-11-01"), ("closed_to", "2026-11-30")]).await, ["Gulshan"]);
    assert_eq!(names(vec![("closed_to", "2026-01-05")]).await, ["Ismat"]);
    assert_eq!(names(vec![("assessed", "true")]).await, ["Ayesha", "Bilkis", "Gulshan"]);
    assert_eq!(names(vec![("case_plan_approved", "true")]).await, ["Gulshan"]);
    assert_eq!(names(vec![("assessed", "false"), ("risk_level", "medium,low")]).await, ["Chumki", "Jui"]);

    let (status, body) = send(fixture.lima.get(app.api("/cases")).query(&[("assessed", "yes")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_filter");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("\"assessed\""), "{body}");
    assert!(message.contains("\"yes\""), "{body}");
}

/// Checks that the agency referral boxes list the agency's referrals for a manager, and nothing
/// for a caseworker, whose read scope is their own cases.
async fn agency_referral_lists_need_agency_read(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let (status, sent) = send(fixture.lima.get(app.api("/referrals")).query(&[("box", "agency_sent")])).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent.as_array().unwrap().len(), 1);
    assert_eq!(sent[0]["service_type"], "cash");
    let (_, received) =
        send(fixture.lima.get(app.api("/referrals")).query(&[("box", "agency_received")])).await;
    assert_eq!(received.as_array().unwrap().len(), 1);
    assert_eq!(received[0]["from_agency_id"], AGENCY_B);
    let (_, filtered) = send(
        fixture.lima.get(app.api("/referrals")).query(&[("box", "agency_sent"), ("from", "2026-12-06")]),
    )
    .await;
    assert_eq!(filtered, json!([]), "a referral made on 5 December is not from 6 December");

    let (status, rina) = send(fixture.rina.get(app.api("/referrals")).query(&[("box", "agency_sent")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rina, json!([]), "a caseworker listed the agency's referrals");
    let (status, body) =
        send(fixture.lima.get(app.api("/referrals")).query(&[("box", "agency_sent"), ("service", "flying")]))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
