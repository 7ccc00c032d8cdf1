//! Reports and the coordination dashboard over one fixture of two agencies. The tests cover
//! pivot values, distinct totals across protection concerns, suppression for callers across
//! agencies and for sharing, and ages at the as-of date. They also cover the monthly report,
//! XLSX and CSV exports, and the panel tables behind the coordination figures.
//!
//! The fixture, registered while "today" is 2026-11-20 in Dhaka (each line is one case):
//!
//! | Cases | Agency | Camp | Sex | Registered | Born | Risk | Concerns |
//! |---|---|---|---|---|---|---|---|
//! | A1-A7 | lli | Camp 1E | female | 2026-11-02 | 2015-06-01 | high | separated |
//! | A8-A10 | lli | Camp 1E | male | 2026-11-05 | 2010-01-01 | medium | child_labour, separated |
//! | A11-A12 | lli | Camp 2E | female | 2026-10-15 | 2020-11-30 | low | neglect |
//! | B1-B6 | bcri | Camp 1E | male | 2026-11-10 | 2012-03-03 | high | separated |
//! | B7 | bcri | Raja Palong Union | female | 2026-11-12 | 2019-01-01 | low | unaccompanied |
//!
//! A1 and A2 are closed by a closure approval on 2026-11-20. A1-A5 were assessed 2 days after
//! registration, A6-A7 10 days after, B1-B6 1 day after. A3 is referred to bcri on 2026-11-20
//! and A4 at 00:30 on 1 December in Dhaka (18:30 UTC on 30 November). Reports run on
//! 2026-12-05.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

backend_tests!(
    pivot_counts_and_suppression,
    pivot_ages_at_as_of_date,
    monthly_report_sections,
    exports_are_files_and_audited,
    coordination_figures_equal_panel_tables,
    reports_need_view_aggregates,
    shared_tables_count_whole_months,
);

const CAMP_1E_BLOCK: &str = "BD-CTG-CXB-UKH-C01E-A";
const CAMP_1E: &str = "BD-CTG-CXB-UKH-C01E";
const CAMP_2E_BLOCK: &str = "BD-CTG-CXB-UKH-C02E-A1";
const CAMP_2E: &str = "BD-CTG-CXB-UKH-C02E";
const RAJA_PALONG: &str = "BD-CTG-CXB-UKH-RAJAPALONG";

/// Every child of the fixture has this first name, so a test can look for it in responses.
const CHILD_NAME: &str = "Nurjahan";

struct Fixture {
    app: TestApp,
    /// The agency manager of lli (`agency_admin`: aggregates of the agency).
    manager: Client,
    /// An information management officer (aggregates of every agency, no records), English.
    imo: Client,
    /// The same role, reading Bangla.
    imo_bn: Client,
    caseworker: Client,
    /// The user id of the agency manager.
    manager_id: uuid::Uuid,
    /// B7, bcri's case in Raja Palong.
    host_case: uuid::Uuid,
}

fn set_now(app: &TestApp, now: OffsetDateTime) {
    *app.state.settings.now_override.write().unwrap() = Some(now);
}

async fn create_cases(app: &TestApp, client: &Client, count: usize, data: Value) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let case = app.create_case(client, with(child(CHILD_NAME), data.clone())).await;
        ids.push(case["id"].as_str().expect("a created case has an id").to_owned());
    }
    ids
}

async fn fixture(backend: Backend) -> Fixture {
    let app = TestApp::spawn(backend).await;
    let rina = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let karim = app.create_user("sv.karim", "supervisor", AGENCY_A, "en").await;
    app.create_user("cw.jamal", "caseworker", AGENCY_B, "en").await;
    app.create_user("sp.bcri", "service_provider", AGENCY_B, "en").await;
    let manager = app.create_user("mgr.lli", "agency_admin", AGENCY_A, "en").await;
    app.create_user("imo.nasrin", "information_management_officer", "unhoc", "en").await;
    app.create_user("imo.rafiq", "information_management_officer", "unhoc", "bn").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.expect("failed to create a group");
    for user in [&rina, &karim] {
        app.state.store.add_group_member(group, user.id).await.expect("failed to add a group member");
    }
    let rina = app.login("cw.rina", PASSWORD).await;
    let karim = app.login("sv.karim", PASSWORD).await;
    let jamal = app.login("cw.jamal", PASSWORD).await;

    set_now(&app, datetime!(2026-11-20 06:00 UTC));
    let camp_1e_girls = json!({
        "sex": "female", "location_current": CAMP_1E_BLOCK, "registration_date": "2026-11-02",
        "date_of_birth": "2015-06-01", "risk_level": "high", "protection_concerns": ["separated"],
        "consent_for_sharing": true, "closure_reason": "goals_met",
    });
    let quick = with(camp_1e_girls.clone(), json!({"assessment_completed_on": "2026-11-04"}));
    let slow = with(camp_1e_girls, json!({"assessment_completed_on": "2026-11-12"}));
    let mut girls = create_cases(&app, &rina, 5, quick).await;
    girls.extend(create_cases(&app, &rina, 2, slow).await);
    let boys = json!({
        "sex": "male", "location_current": CAMP_1E_BLOCK, "registration_date": "2026-11-05",
        "date_of_birth": "2010-01-01", "risk_level": "medium", "protection_concerns": ["child_labour", "separated"],
    });
    create_cases(&app, &rina, 3, boys).await;
    let camp_2e = json!({
        "sex": "female", "location_current": CAMP_2E_BLOCK, "registration_date": "2026-10-15",
        "date_of_birth": "2020-11-30", "risk_level": "low", "protection_concerns": ["neglect"],
    });
    create_cases(&app, &rina, 2, camp_2e).await;
    let bcri_boys = json!({
        "sex": "male", "location_current": CAMP_1E_BLOCK, "registration_date": "2026-11-10",
        "date_of_birth": "2012-03-03", "risk_level": "high", "protection_concerns": ["separated"],
        "assessment_completed_on": "2026-11-11",
    });
    create_cases(&app, &jamal, 6, bcri_boys).await;
    let host = json!({
        "sex": "female", "location_current": RAJA_PALONG, "registration_date": "2026-11-12",
        "date_of_birth": "2019-01-01", "risk_level": "low", "protection_concerns": ["unaccompanied"],
    });
    let host_case = create_cases(&app, &jamal, 1, host).await.remove(0);

    // A1 and A2 close today, 2026-11-20.
    for case in &girls[..2] {
        let (status, approval) =
            send(rina.post(app.api(&format!("/cases/{case}/approvals"))).json(&json!({"kind": "closure"})))
                .await;
        assert_eq!(status, StatusCode::CREATED, "the closure request failed: {approval}");
        let id = approval["id"].as_str().expect("an approval has an id");
        let (status, body) = send(
            karim.post(app.api(&format!("/approvals/{id}/approve"))).json(&json!({"expected_version": 1})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "the closure approval failed: {body}");
    }

    let referral = json!({"to_agency_id": AGENCY_B, "service_type": "psychosocial_support",
        "shared_forms": ["basic_identity", "protection_concerns"]});
    let (status, body) =
        send(rina.post(app.api(&format!("/cases/{}/referrals", girls[2]))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "the November referral failed: {body}");
    set_now(&app, datetime!(2026-11-30 18:30 UTC));
    let (status, body) =
        send(rina.post(app.api(&format!("/cases/{}/referrals", girls[3]))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "the December referral failed: {body}");

    set_now(&app, datetime!(2026-12-05 06:00 UTC));
    Fixture {
        manager: app.login("mgr.lli", PASSWORD).await,
        imo: app.login("imo.nasrin", PASSWORD).await,
        imo_bn: app.login("imo.rafiq", PASSWORD).await,
        caseworker: rina,
        manager_id: manager.id.0,
        host_case: host_case.parse().expect("a case id is a UUID"),
        app,
    }
}

async fn pivot(fixture: &Fixture, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(fixture.app.api("/reports/pivot")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "the pivot {body} failed: {response}");
    response
}

/// Returns the values of a list of cells: the count, or `None` when suppressed (or, for a
/// median of no case, when there is no value).
fn values(cells: &Value) -> Vec<Option<u64>> {
    cells
        .as_array()
        .unwrap_or_else(|| panic!("not a list of cells: {cells}"))
        .iter()
        .map(|cell| {
            let suppressed = cell["suppressed"].as_bool().expect("a cell says whether it is suppressed");
            if suppressed {
                assert!(cell["value"].is_null(), "a suppressed cell has a value: {cell}");
            }
            cell["value"].as_u64()
        })
        .collect()
}

fn keys(headings: &Value) -> Vec<String> {
    headings
        .as_array()
        .unwrap_or_else(|| panic!("not a list of headings: {headings}"))
        .iter()
        .map(|heading| heading["key"].as_str().expect("a heading has a key").to_owned())
        .collect()
}

fn labels(headings: &Value) -> Vec<String> {
    headings
        .as_array()
        .unwrap_or_else(|| panic!("not a list of headings: {headings}"))
        .iter()
        .map(|heading| heading["label"].as_str().expect("a heading has a label").to_owned())
        .collect()
}

/// Checks camp by sex for the agency manager (own agency, nothing suppressed), for the same
/// table made for sharing, and for the information management officer (all agencies,
/// suppressed). Also checks that totals across concerns count distinct cases.
async fn pivot_counts_and_suppression(backend: Backend) {
    let fixture = fixture(backend).await;
    let camp_by_sex = json!({"measure": "cases", "rows": "camp", "columns": "sex"});

    let own = pivot(&fixture, &fixture.manager, camp_by_sex.clone()).await;
    assert_eq!(keys(&own["rows"]), [CAMP_1E, CAMP_2E]);
    assert_eq!(labels(&own["rows"]), ["Camp 1E", "Camp 2E"]);
    assert_eq!(keys(&own["columns"]), ["female", "male", "other"]);
    assert_eq!(values(&own["cells"][0]), [Some(7), Some(3), Some(0)]);
    assert_eq!(
        values(&own["cells"][1]),
        [Some(2), Some(0), Some(0)],
        "the agency's own small count is hidden"
    );
    assert_eq!(values(&own["row_totals"]), [Some(10), Some(2)]);
    assert_eq!(values(&own["column_totals"]), [Some(9), Some(3), Some(0)]);
    assert_eq!(own["total"]["value"], 12);
    assert_eq!(own["suppression_threshold"], Value::Null);
    assert_eq!(own["suppressed_cells"], 0);

    let shared =
        pivot(&fixture, &fixture.manager, with(camp_by_sex.clone(), json!({"for_sharing": true}))).await;
    assert_eq!(shared["suppression_threshold"], 5);
    // 2 girls in Camp 2E and 3 boys are below 5. Camp 1E's row then hides its 7 girls, the
    // column totals hide the 9 girls, and the row totals hide Camp 1E's 10.
    assert_eq!(values(&shared["cells"][0]), [None, None, Some(0)]);
    assert_eq!(values(&shared["cells"][1]), [None, Some(0), Some(0)]);
    assert_eq!(values(&shared["row_totals"]), [None, None]);
    assert_eq!(values(&shared["column_totals"]), [None, None, Some(0)]);
    assert_eq!(shared["total"]["value"], 12);

    let all = pivot(&fixture, &fixture.imo, camp_by_sex).await;
    assert_eq!(all["suppression_threshold"], 5, "a table across agencies is not suppressed");
    assert_eq!(
        keys(&all["rows"]),
        [CAMP_1E, CAMP_2E, RAJA_PALONG],
        "the host community counts under its union"
    );
    // Shown, the 7 girls of Camp 1E under the girls' total of 10 would leave 3 for the two hidden
    // cells, each then 1 or 2. So the 7 is hidden too, and then the row totals, whose two small
    // values would leave the same 3 under the total of 19.
    assert_eq!(values(&all["cells"][0]), [None, Some(9), Some(0)]);
    assert_eq!(values(&all["cells"][1]), [None, Some(0), Some(0)]);
    assert_eq!(values(&all["cells"][2]), [None, Some(0), Some(0)]);
    assert_eq!(values(&all["row_totals"]), [None, None, None]);
    assert_eq!(values(&all["column_totals"]), [Some(10), Some(9), Some(0)]);
    assert_eq!(all["total"]["value"], 19);
    assert_eq!(all["suppressed_cells"], 6);

    // A8-A10 have two concerns, so the column of boys sums to 6 but counts 3 boys.
    let concerns =
        pivot(&fixture, &fixture.manager, json!({"measure": "cases", "rows": "concern", "columns": "sex"}))
            .await;
    let rows = keys(&concerns["rows"]);
    let row_of = |key: &str| rows.iter().position(|row| row == key).unwrap_or_else(|| panic!("no row {key}"));
    assert_eq!(values(&concerns["cells"][row_of("separated")])[..2], [Some(7), Some(3)]);
    assert_eq!(values(&concerns["cells"][row_of("child_labour")])[..2], [Some(0), Some(3)]);
    assert_eq!(values(&concerns["column_totals"])[..2], [Some(9), Some(3)]);
    assert_eq!(concerns["total"]["value"], 12);

    // Referrals by month, in Dhaka's calendar: A4's referral at 00:30 on 1 December is December's.
    let referrals = pivot(&fixture, &fixture.manager, json!({"measure": "referrals", "rows": "month"})).await;
    assert_eq!(keys(&referrals["rows"]), ["2026-11", "2026-12"]);
    assert_eq!(labels(&referrals["rows"]), ["November 2026", "December 2026"]);
    assert_eq!(values(&referrals["row_totals"]), [Some(1), Some(1)]);

    let filtered = json!({"measure": "cases", "rows": "risk_level",
        "filters": {"status": "open", "location": CAMP_1E, "sex": "female"}});
    let open_girls = pivot(&fixture, &fixture.manager, filtered).await;
    assert_eq!(keys(&open_girls["rows"]), ["high", "medium", "low"]);
    assert_eq!(values(&open_girls["row_totals"]), [Some(5), Some(0), Some(0)], "A1 and A2 are closed");

    // Every heading is a word in the reader's language, never a message id.
    let stages = pivot(&fixture, &fixture.manager, json!({"measure": "cases", "rows": "stage"})).await;
    let stage_labels = labels(&stages["rows"]);
    assert!(!stage_labels.is_empty(), "no stage rows: {stages}");
    for (key, label) in keys(&stages["rows"]).iter().zip(&stage_labels) {
        assert!(!label.contains("stage-"), "stage {key} is labelled with a message id: {label}");
    }
    assert!(stage_labels.contains(&"New".to_owned()), "labels: {stage_labels:?}");

    // A case of another agency assigned to the manager is in the manager's scope too.
    fixture.app.assign_case(fixture.host_case, fixture.manager_id).await;
    let with_assigned = pivot(&fixture, &fixture.manager, json!({"measure": "cases", "rows": "camp"})).await;
    assert_eq!(keys(&with_assigned["rows"]), [CAMP_1E, CAMP_2E, RAJA_PALONG]);
    assert_eq!(values(&with_assigned["row_totals"]), [Some(10), Some(2), Some(1)]);
    assert_eq!(with_assigned["total"]["value"], 13);

    let texts = [own, shared, all, concerns, referrals, open_girls].map(|body| body.to_string());
    for text in texts {
        assert!(!text.contains(CHILD_NAME), "a report shows a child's name: {text}");
    }
}

/// Checks that a suppressed table takes only whole months, because two tables a day apart
/// would give away the children registered on that day, while a manager's own table takes days.
async fn shared_tables_count_whole_months(backend: Backend) {
    let fixture = fixture(backend).await;
    let by_sex = |from: &str, to: &str| json!({"measure": "cases", "rows": "sex", "filters": {"registered_from": from, "registered_to": to}});
    let post = |client: &Client, body: Value| client.post(fixture.app.api("/reports/pivot")).json(&body);

    for (from, to, name, value) in [
        ("2020-01-01", "2026-01-05", "registered_to", "2026-01-05"),
        ("2020-01-02", "2026-01-31", "registered_from", "2020-01-02"),
    ] {
        let (status, body) = send(post(&fixture.imo, by_sex(from, to))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{from}..{to} was accepted: {body}");
        assert_eq!(body["error"]["code"], "report_whole_months");
        assert!(body["error"]["message"].as_str().unwrap().contains(value), "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(name), "{body}");
    }

    let (status, body) = send(post(&fixture.imo, by_sex("2020-01-01", "2026-11-30"))).await;
    assert_eq!(status, StatusCode::OK, "whole months were rejected: {body}");
    let (status, body) = send(post(&fixture.manager, by_sex("2020-01-01", "2026-01-05"))).await;
    assert_eq!(status, StatusCode::OK, "a manager's own table rejected a day: {body}");
    let shared = with(by_sex("2020-01-01", "2026-01-05"), json!({"for_sharing": true}));
    let (status, _) = send(post(&fixture.manager, shared)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a table for sharing took a day");
}

/// Checks that a child born on 30 November 2020 is 5 on 29 November 2026 and 6, in the next
/// range, on 30 November 2026.
async fn pivot_ages_at_as_of_date(backend: Backend) {
    let fixture = fixture(backend).await;
    let ages = |as_of: &str| json!({"measure": "cases", "rows": "age_range", "as_of": as_of});

    let before = pivot(&fixture, &fixture.manager, ages("2026-11-29")).await;
    assert_eq!(keys(&before["rows"]), ["0-5", "6-11", "12-17", "18+"]);
    assert_eq!(values(&before["row_totals"]), [Some(2), Some(7), Some(3), Some(0)]);
    assert_eq!(before["as_of"], "2026-11-29");

    let on_birthday = pivot(&fixture, &fixture.manager, ages("2026-11-30")).await;
    assert_eq!(values(&on_birthday["row_totals"]), [Some(0), Some(9), Some(3), Some(0)]);

    let (status, body) =
        send(fixture.manager.post(fixture.app.api("/reports/pivot")).json(&ages("2026-12-06"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an as-of date after today was accepted: {body}");
    assert_eq!(body["error"]["code"], "invalid_report");
    assert_eq!(body["error"]["message"], "The report setting \"as_of\" has an invalid value \"2026-12-06\".");
}

fn section<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .expect("the monthly report has sections")
        .iter()
        .find(|section| section["id"] == id)
        .map(|section| &section["pivot"])
        .unwrap_or_else(|| panic!("the monthly report has no section {id}: {report}"))
}

/// Checks the sections of November 2026 as the information management officer reads them.
async fn monthly_report_sections(backend: Backend) {
    let fixture = fixture(backend).await;
    let (status, report) = send(fixture.imo.get(fixture.app.api("/reports/monthly?month=2026-11"))).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["month"], "2026-11");
    assert_eq!(report["as_of"], "2026-11-30");
    assert_eq!(report["suppression_threshold"], 5);
    let ids: Vec<&str> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| section["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "registered_by_camp_sex",
            "registered_by_age_sex",
            "registered_by_concern_sex",
            "open_at_month_end_by_risk_sex",
            "closed_by_camp",
            "referrals_by_service_agency"
        ]
    );

    // 17 registered in November: A11-A12 registered in October.
    let camps = section(&report, "registered_by_camp_sex");
    assert_eq!(keys(&camps["rows"]), [CAMP_1E, RAJA_PALONG]);
    assert_eq!(values(&camps["cells"][0]), [None, Some(9), Some(0)]);
    assert_eq!(values(&camps["cells"][1]), [None, Some(0), Some(0)]);
    assert_eq!(values(&camps["row_totals"]), [None, None]);
    assert_eq!(values(&camps["column_totals"]), [Some(8), Some(9), Some(0)]);
    assert_eq!(camps["total"]["value"], 17);

    // Ages on 30 November: A1-A7 and B7 are 6-11, A8-A10 and B1-B6 are 12-17.
    let ages = section(&report, "registered_by_age_sex");
    assert_eq!(values(&ages["row_totals"]), [Some(0), Some(8), Some(9), Some(0)]);
    assert_eq!(values(&ages["cells"][1]), [Some(8), Some(0), Some(0)]);
    assert_eq!(values(&ages["cells"][2]), [Some(0), Some(9), Some(0)]);

    // Open at the end of November: A1 and A2 closed on the 20th.
    let open = section(&report, "open_at_month_end_by_risk_sex");
    assert_eq!(keys(&open["rows"]), ["high", "medium", "low"]);
    assert_eq!(open["total"]["value"], 17);
    assert_eq!(values(&open["row_totals"]), [Some(11), None, None], "3 medium and 3 low are below 5");
    assert_eq!(values(&open["cells"][0]), [None, None, Some(0)], "5 and 6 would give away the 3s");
    assert_eq!(values(&open["column_totals"]), [Some(8), Some(9), Some(0)]);

    let closed = section(&report, "closed_by_camp");
    assert_eq!(keys(&closed["rows"]), [CAMP_1E]);
    assert_eq!(values(&closed["row_totals"]), [None], "2 closures are below 5");
    assert_eq!(closed["total"]["suppressed"], true);

    let referrals = section(&report, "referrals_by_service_agency");
    assert_eq!(keys(&referrals["columns"]), [AGENCY_B]);
    assert_eq!(referrals["total"]["suppressed"], true, "1 referral in November is below 5");

    let (status, body) = send(fixture.imo.get(fixture.app.api("/reports/monthly?month=2027-01"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a future month was accepted: {body}");
    assert_eq!(body["error"]["code"], "invalid_report");

    let (_, bangla) = send(fixture.imo_bn.get(fixture.app.api("/reports/monthly?month=2026-11"))).await;
    let ages = section(&bangla, "registered_by_age_sex");
    assert_eq!(labels(&ages["rows"]), ["০-৫", "৬-১১", "১২-১৭", "১৮+"]);
    assert_eq!(bangla["sections"][0]["title"], "নভেম্বর ২০২৬ মাসে নিবন্ধিত শিশু, ক্যাম্প ও লিঙ্গ অনুযায়ী");
    assert!(!report.to_string().contains(CHILD_NAME), "the monthly report shows a child's name");
}

async fn download(client: &Client, request: reqwest::RequestBuilder) -> (StatusCode, String, Vec<u8>) {
    let _ = client;
    let response = request.send().await.expect("the export request failed");
    let status = response.status();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, disposition, response.bytes().await.expect("failed to read the file").to_vec())
}

/// Checks that the monthly XLSX opens with one sheet per section, Bangla labels intact and `<5`
/// for suppressed counts. The pivot CSV has a byte order mark and `<5`, and each export is
/// audited with the report and format only.
async fn exports_are_files_and_audited(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;

    let request = fixture.imo_bn.get(app.api("/reports/monthly/export?month=2026-11&format=xlsx"));
    let (status, disposition, bytes) = download(&fixture.imo_bn, request).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(disposition, "attachment; filename=\"sathi-monthly-2026-11.xlsx\"");
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("the XLSX does not open");
    let sheets = workbook.sheet_names();
    assert_eq!(sheets.len(), 6, "{sheets:?}");
    assert_eq!(sheets[0], "ক্যাম্প অনুযায়ী নিবন্ধন");
    let camps = workbook.worksheet_range(&sheets[0]).expect("the first sheet does not read");
    let text = |row: u32, column: u32| camps.get_value((row, column)).cloned();
    assert_eq!(text(0, 0), Some(Data::String("নভেম্বর ২০২৬ মাসে নিবন্ধিত শিশু, ক্যাম্প ও লিঙ্গ অনুযায়ী".to_owned())));
    // Title, as-of date, note and an empty line come before the header.
    assert_eq!(text(4, 0), Some(Data::String("ক্যাম্প".to_owned())));
    assert_eq!(text(4, 1), Some(Data::String("মহিলা".to_owned())));
    assert_eq!(text(5, 0), Some(Data::String("ক্যাম্প ১ পূর্ব".to_owned())));
    assert_eq!(text(5, 1), Some(Data::String("<5".to_owned())), "a suppressed count is not <5");
    assert_eq!(text(5, 2), Some(Data::Float(9.0)));
    assert_eq!(text(7, 0), Some(Data::String("মোট".to_owned())));
    assert_eq!(text(7, 4), Some(Data::Float(17.0)));

    let body = json!({"measure": "cases", "rows": "camp", "columns": "sex"});
    let request = fixture.imo.post(app.api("/reports/pivot/export?format=csv")).json(&body);
    let (status, disposition, bytes) = download(&fixture.imo, request).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(disposition, "attachment; filename=\"sathi-pivot-2026-12-05.csv\"");
    assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF], "the CSV has no byte order mark");
    let csv = String::from_utf8(bytes[3..].to_vec()).expect("the CSV is UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Cases: Camp × Sex");
    assert_eq!(lines[1], "As of 2026-12-05");
    assert_eq!(lines[3], "Camp,Female,Male,Other,Total");
    assert_eq!(lines[4], "Camp 1E,<5,9,0,<5");
    assert_eq!(lines[5], "Camp 2E,<5,0,0,<5");
    assert_eq!(lines[7], "Total,10,9,0,19");

    let (status, body) =
        send(fixture.imo.post(app.api("/reports/pivot/export?format=pdf")).json(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_report");

    let entries = app.state.store.audit_entries(None, 100).await.expect("failed to read the audit log");
    let exports: Vec<&Value> =
        entries.iter().filter(|entry| entry.action == "report.export").map(|entry| &entry.detail).collect();
    assert_eq!(exports.len(), 2, "each export writes one audit entry");
    assert!(exports.contains(&&json!({"report": "monthly", "format": "xlsx"})), "{exports:?}");
    assert!(exports.contains(&&json!({"report": "pivot", "format": "csv"})), "{exports:?}");
}

/// Checks the coordination dashboard: each figure equals the row total of the panel table it
/// opens, small counts are suppressed, and no response names a child.
async fn coordination_figures_equal_panel_tables(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let (status, dashboard) = send(fixture.imo.get(app.api("/dashboard"))).await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    assert_eq!(dashboard["kind"], "coordination");
    assert_eq!(dashboard["suppression_threshold"], 5);
    assert_eq!(dashboard["as_of"], "2026-12-05");
    let panels = dashboard["panels"].as_array().expect("the dashboard has panels").clone();
    let ids: Vec<&str> = panels.iter().map(|panel| panel["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "open_total",
            "open_by_camp",
            "open_by_concern",
            "open_by_sex",
            "open_by_age_range",
            "opened_by_month",
            "closed_by_month",
            "referrals_sent_by_service",
            "referrals_received_by_agency",
            "days_to_assessment",
            "days_to_case_plan",
            "open_by_agency"
        ]
    );

    let mut texts = vec![dashboard.to_string()];
    for panel in &panels {
        let id = panel["id"].as_str().unwrap();
        let (status, table) = send(fixture.imo.get(app.api(&format!("/dashboard/panels/{id}")))).await;
        assert_eq!(status, StatusCode::OK, "panel {id}: {table}");
        let figures = panel["figures"].as_array().unwrap();
        assert_eq!(keys(&table["rows"]).len(), figures.len(), "panel {id}");
        for (figure, (key, total)) in
            figures.iter().zip(keys(&table["rows"]).iter().zip(values(&table["row_totals"])))
        {
            assert_eq!(figure["key"], json!(key), "panel {id}");
            assert_eq!(figure["value"].as_u64(), total, "panel {id}, figure {key}");
            assert_eq!(figure["list"], json!({"screen": "report", "filter": {"panel": id}}), "panel {id}");
            if figure["suppressed"] == true {
                assert!(figure["value"].is_null(), "panel {id}, figure {key} is suppressed with a value");
            }
        }
        texts.push(table.to_string());
    }

    let figures_of = |id: &str| -> Vec<(String, Option<u64>)> {
        let panel = panels.iter().find(|panel| panel["id"] == id).unwrap();
        panel["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|figure| (figure["key"].as_str().unwrap().to_owned(), figure["value"].as_u64()))
            .collect()
    };
    assert_eq!(figures_of("open_total"), [("total".to_owned(), Some(17))]);
    assert_eq!(
        figures_of("open_by_camp"),
        // 14 is hidden as well: beside the total of 17 it would leave 3 for the two small camps.
        [(CAMP_1E.to_owned(), None), (CAMP_2E.to_owned(), None), (RAJA_PALONG.to_owned(), None)]
    );
    assert_eq!(
        figures_of("open_by_sex"),
        [("female".to_owned(), Some(8)), ("male".to_owned(), Some(9)), ("other".to_owned(), Some(0))]
    );
    assert_eq!(
        figures_of("days_to_assessment"),
        [("median".to_owned(), Some(2)), ("p90".to_owned(), Some(10)), ("cases".to_owned(), Some(13))]
    );
    assert_eq!(
        figures_of("days_to_case_plan"),
        [("median".to_owned(), None), ("p90".to_owned(), None), ("cases".to_owned(), Some(0))]
    );
    assert_eq!(
        figures_of("referrals_received_by_agency"),
        [(AGENCY_A.to_owned(), None)],
        "lli referred 2 children, keyed by the referring agency and below 5"
    );
    let agencies = panels.iter().find(|panel| panel["id"] == "open_by_agency").unwrap();
    assert_eq!(agencies["figures"][0]["key"], AGENCY_A);
    assert_eq!(agencies["figures"][0]["value"], 10);
    assert_eq!(agencies["figures"][0]["label"], "Lanternlight International");

    let (_, camps) = send(fixture.imo.get(app.api("/dashboard/panels/open_by_camp"))).await;
    assert_eq!(keys(&camps["columns"]), [AGENCY_A, AGENCY_B]);
    assert_eq!(
        values(&camps["cells"][0]),
        [None, None],
        "Camp 1E's agencies hide Camp 2E's and Raja Palong's"
    );
    assert_eq!(values(&camps["column_totals"]), [Some(10), Some(7)]);
    assert_eq!(camps["total"]["value"], 17);

    let (status, _) = send(fixture.imo.get(app.api("/dashboard/panels/no_such_panel"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(fixture.manager.get(app.api("/dashboard/panels/open_by_camp"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a manager opened a coordination panel");

    for text in texts {
        assert!(!text.contains(CHILD_NAME), "a coordination response shows a child's name: {text}");
    }

    // The snapshot stays until it is due; then exactly one claim computes it again.
    let now = app.state.now();
    let store = &app.state.store;
    let stale_before = now - time::Duration::minutes(15);
    let lease = now + time::Duration::minutes(10);
    let claimed = store.claim_report_snapshot("coordination", stale_before, now, lease, false).await.unwrap();
    assert!(!claimed, "a fresh snapshot was claimed");
    let later = now + time::Duration::minutes(16);
    let first = store.claim_report_snapshot(
        "coordination",
        later - time::Duration::minutes(15),
        later,
        later + time::Duration::minutes(10),
        false,
    );
    let second = store.claim_report_snapshot(
        "coordination",
        later - time::Duration::minutes(15),
        later,
        later + time::Duration::minutes(10),
        false,
    );
    let (first, second) = tokio::join!(first, second);
    assert_eq!(
        [first.unwrap(), second.unwrap()].iter().filter(|won| **won).count(),
        1,
        "both processes claimed it"
    );
}

/// Checks that a caseworker, whose role has no `view_aggregates`, gets 403 from every report.
async fn reports_need_view_aggregates(backend: Backend) {
    let fixture = fixture(backend).await;
    let app = &fixture.app;
    let client = &fixture.caseworker;
    let body = json!({"measure": "cases", "rows": "camp"});
    let requests = [
        client.post(app.api("/reports/pivot")).json(&body),
        client.post(app.api("/reports/pivot/export?format=csv")).json(&body),
        client.get(app.api("/reports/monthly?month=2026-11")),
        client.get(app.api("/reports/monthly/export?month=2026-11&format=xlsx")),
        client.get(app.api("/dashboard/panels/open_total")),
    ];
    for request in requests {
        let (status, body) = send(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
}
