//! End-to-end tests of `sathi demo`: run the built binary on a temporary SQLite database, then
//! open that database through the store, or serve it on a loopback port, and check what the demo
//! wrote.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use sathi_domain::config::{Configuration, LocalizedText, LocationLevel};
use sathi_domain::ids::UserId;
use sathi_domain::permissions::{Action, Grant, Role, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::workflow::CaseStatus;
use sathi_store::{CaseFilter, CaseRecord, Store, User};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

/// Cases of the demo in these tests: 20 per caseworker, so each has closed cases and a full open
/// caseload.
const CASES: usize = 480;

const ROLES: [&str; 6] = [
    "caseworker",
    "supervisor",
    "agency_admin",
    "service_provider",
    "information_management_officer",
    "system_admin",
];

/// Runs `sathi demo --cases <cases>` on `data_dir` and returns its output. Fails the test on a
/// non-zero exit.
fn run_demo(data_dir: &Path, cases: usize) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_sathi"))
        .args(["demo", "--cases", &cases.to_string(), "--data-dir"])
        .arg(data_dir)
        .env("SATHI_LOG", "warn")
        .env_remove("SATHI_DATABASE_URL")
        .env_remove("SATHI_DATA_DIR")
        .output()
        .expect("the sathi binary starts");
    assert!(
        output.status.success(),
        "sathi demo exited with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

async fn open_store(data_dir: &Path) -> Arc<dyn Store> {
    let url = format!("sqlite://{}", data_dir.join("sathi.db").display());
    sathi_store::open(&url).await.expect("the demo database opens")
}

/// Builds a principal that reads every case, which no configured role does.
fn reader_of_all_cases() -> Principal {
    Principal {
        user_id: UserId(uuid::Uuid::nil()),
        agency_id: String::new(),
        role: Role {
            id: "test_reader".to_owned(),
            name: LocalizedText::default(),
            description: LocalizedText::default(),
            grants: vec![Grant { action: Action::Read, scope: Scope::All }],
            forms: Default::default(),
        },
        group_ids: Vec::new(),
    }
}

async fn principal_of(store: &dyn Store, config: &Configuration, user: &User) -> Principal {
    Principal {
        user_id: user.id,
        agency_id: user.agency_id.clone(),
        role: config.role(&user.role_id).expect("demo roles exist in the default configuration").clone(),
        group_ids: store.groups_of(user.id).await.expect("groups load"),
    }
}

async fn visible_cases(store: &dyn Store, principal: &Principal) -> Vec<CaseRecord> {
    let filter = CaseFilter { limit: 500, ..CaseFilter::default() };
    store.list_cases(principal, &filter).await.expect("cases list").cases
}

fn text<'r>(case: &'r CaseRecord, field: &str) -> &'r str {
    case.data.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Returns the code of the camp that contains a location code, if any.
fn camp_of(config: &Configuration, code: &str) -> Option<String> {
    let index = config.location_index();
    let mut current = index.get(code)?;
    loop {
        if current.level == LocationLevel::Camp {
            return Some(current.code.clone());
        }
        current = index.get(current.parent.as_deref()?)?;
    }
}

fn is_bangla(text: &str) -> bool {
    text.chars().any(|c| ('\u{0980}'..='\u{09FF}').contains(&c))
}

fn is_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic()) && !is_bangla(text)
}

#[tokio::test]
async fn demo_covers_roles_camps_and_scripts() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = run_demo(dir.path(), CASES);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("cw.rahima"), "the logins table lists caseworkers:\n{stdout}");
    assert!(stdout.contains("demo-supervisor"), "the logins table lists passwords:\n{stdout}");

    let store = open_store(dir.path()).await;
    let config = sathi_server::default_config::configuration();
    let users = store.list_users(None).await.expect("users list");
    for role in ROLES {
        let agencies: BTreeSet<&str> =
            users.iter().filter(|user| user.role_id == role).map(|user| user.agency_id.as_str()).collect();
        assert!(agencies.len() >= 2, "role {role} has users in {agencies:?} only");
    }
    // The referral worked example needs two receivers in Lanternlight, which provides
    // psychosocial support.
    for username in ["sp.nabil", "sp.priya"] {
        let receiver = users.iter().find(|user| user.username == username);
        assert!(
            receiver.is_some_and(|user| user.agency_id == "lli" && user.role_id == "service_provider"),
            "{username} is not a service provider of lli"
        );
    }

    let cases = visible_cases(&*store, &reader_of_all_cases()).await;
    assert_eq!(cases.len(), CASES);

    let camps: BTreeSet<String> =
        cases.iter().filter_map(|case| camp_of(&config, text(case, "location_current"))).collect();
    assert!(camps.len() > 1, "all cases are in {camps:?}");
    let outside_camps =
        cases.iter().filter(|case| camp_of(&config, text(case, "location_current")).is_none()).count();
    assert_eq!(outside_camps, 0, "cases whose location is not in a camp");

    let bangla_names = cases.iter().filter(|case| is_bangla(text(case, "name_first"))).count();
    let latin_names = cases.iter().filter(|case| is_latin(text(case, "name_first"))).count();
    assert!(bangla_names > 0, "no child has a name in Bangla script");
    assert!(latin_names > 0, "no child has a name in Latin script");
    assert_eq!(bangla_names + latin_names, CASES, "names in neither or both scripts");

    let today = sathi_domain::dates::today(OffsetDateTime::now_utc(), config.deployment.utc_offset_minutes);
    for case in &cases {
        let born = sathi_domain::dates::parse_date(text(case, "date_of_birth"), &[])
            .expect("every case has a date of birth");
        let age = sathi_domain::dates::age_years(born, today);
        assert!((0..=17).contains(&age), "case {} has a child aged {age}", case.display_id);
        let registered =
            sathi_domain::dates::parse_date(text(case, "registration_date"), &[]).expect("registration date");
        assert!(registered <= today, "case {} is registered in the future", case.display_id);
    }

    // Every caseworker owns about 20 cases and keeps at most 22 open, and at least a tenth of
    // the cases they own is closed.
    for caseworker in users.iter().filter(|user| user.role_id == "caseworker") {
        let owned: Vec<&CaseRecord> = cases.iter().filter(|case| case.owner_id == caseworker.id).collect();
        let closed = owned.iter().filter(|case| case.status == CaseStatus::Closed).count();
        assert!(
            closed >= owned.len() / 10,
            "{} owns {} cases, {closed} closed",
            caseworker.username,
            owned.len()
        );
    }
    let closed: Vec<&CaseRecord> = cases.iter().filter(|case| case.status == CaseStatus::Closed).collect();
    for case in &closed {
        assert!(!text(case, "closure_reason").is_empty(), "closed case {} lacks a reason", case.display_id);
        assert!(
            !text(case, "closure_approved_on").is_empty(),
            "closed case {} lacks an approval",
            case.display_id
        );
    }
    // Closures spread over the months before today, as the managers' charts show them.
    let closure_months: BTreeSet<&str> = closed.iter().map(|case| &text(case, "closure_date")[..7]).collect();
    let last_year = today - time::Duration::days(365);
    let recent_months: BTreeSet<&&str> = closure_months
        .iter()
        .filter(|month| **month >= &sathi_domain::dates::format_date(last_year)[..7])
        .collect();
    assert!(recent_months.len() >= 6, "closures fall in the months {closure_months:?} only");

    let assessed = cases.iter().filter(|case| !text(case, "assessment_completed_on").is_empty()).count();
    let planned = cases.iter().filter(|case| !text(case, "case_plan_approved_on").is_empty()).count();
    assert!(
        assessed > CASES / 2 && assessed < CASES,
        "{assessed} of {CASES} cases have a completed assessment"
    );
    assert!(
        planned > 0 && planned < assessed,
        "{planned} of {assessed} assessed cases have an approved plan"
    );
    for case in cases.iter().filter(|case| !text(case, "assessment_completed_on").is_empty()) {
        assert!(
            text(case, "registration_date") <= text(case, "assessment_completed_on"),
            "case {} is assessed before its registration",
            case.display_id
        );
    }

    // Two camps have fewer cases than the suppression threshold of shared reports (5).
    let mut per_camp: std::collections::BTreeMap<String, usize> = Default::default();
    for case in &cases {
        *per_camp.entry(camp_of(&config, text(case, "location_current")).unwrap_or_default()).or_default() +=
            1;
    }
    let sparse: Vec<&String> =
        per_camp.iter().filter(|(_, count)| (1..=4).contains(*count)).map(|(camp, _)| camp).collect();
    assert_eq!(sparse.len(), 2, "camps with 1 to 4 cases: {sparse:?} of {per_camp:?}");
    for case in cases.iter().filter(|case| {
        camp_of(&config, text(case, "location_current")).is_some_and(|camp| sparse.contains(&&camp))
    }) {
        assert_eq!(case.status, CaseStatus::Open, "case {} of a sparse camp is closed", case.display_id);
    }

    // Each supervisor owns new cases that wait to be assigned.
    for supervisor in users.iter().filter(|user| user.role_id == "supervisor") {
        let waiting = cases
            .iter()
            .filter(|case| {
                case.owner_id == supervisor.id && case.status == CaseStatus::Open && case.stage == "new"
            })
            .count();
        assert!((1..=5).contains(&waiting), "{} holds {waiting} new cases", supervisor.username);
    }

    for case in cases.iter().filter(|case| !text(case, "case_plan_approved_on").is_empty()) {
        let approved = text(case, "case_plan_approved_on");
        assert!(
            text(case, "assessment_completed_on") <= approved,
            "case {} has its plan approved on {approved} before its assessment",
            case.display_id
        );
    }

    let mut referred = 0;
    for provider in users.iter().filter(|user| user.role_id == "service_provider") {
        let principal = principal_of(&*store, &config, provider).await;
        let received = visible_cases(&*store, &principal).await;
        assert!(
            received.iter().all(|case| case.owner_agency_id != provider.agency_id),
            "{} received a referral from their own agency",
            provider.username
        );
        referred += received.len();
    }
    assert!(referred > 0, "no case is referred to a service provider");

    for supervisor in users.iter().filter(|user| user.role_id == "supervisor") {
        let principal = principal_of(&*store, &config, supervisor).await;
        let team_cases = visible_cases(&*store, &principal).await.len();
        let agency_cases = cases.iter().filter(|case| case.owner_agency_id == supervisor.agency_id).count();
        assert_eq!(team_cases, agency_cases, "{} sees their team's cases", supervisor.username);
    }
}

#[tokio::test]
async fn second_demo_run_adds_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    run_demo(dir.path(), 60);
    let store = open_store(dir.path()).await;
    let users_before = store.count_users().await.expect("user count");
    let cases_before = visible_cases(&*store, &reader_of_all_cases()).await.len();
    drop(store);

    let output = run_demo(dir.path(), 60);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("already contains the demo"), "second run output:\n{stdout}");
    assert!(stdout.contains("cw.rahima"), "the second run prints the logins again:\n{stdout}");

    let store = open_store(dir.path()).await;
    assert_eq!(store.count_users().await.expect("user count"), users_before);
    assert_eq!(visible_cases(&*store, &reader_of_all_cases()).await.len(), cases_before);
}

/// Serves the demo database in `data_dir` on a free loopback port until the returned sender is
/// dropped, and returns the API's base URL.
async fn serve_demo(data_dir: &Path) -> (String, tokio::sync::oneshot::Sender<()>) {
    let store = open_store(data_dir).await;
    let state =
        sathi_server::state(store, sathi_server::state::Settings::default()).await.expect("server state");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let base = format!("http://{}/api/v1", listener.local_addr().expect("bound address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        sathi_server::serve(listener, state, None, shutdown).await.expect("the demo server runs");
    });
    (base, stop)
}

/// Logs in through the API as an API client and returns the bearer token.
async fn login(client: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let login: Value = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": username, "password": password, "client": "api"}))
        .send()
        .await
        .expect("login request")
        .error_for_status()
        .unwrap_or_else(|error| panic!("{username} cannot log in: {error}"))
        .json()
        .await
        .expect("login body");
    login["token"].as_str().expect("login returns a token").to_owned()
}

/// Sends `GET {base}{path}` with `token` and returns the JSON body of a successful response.
async fn get_json(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
    client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET request")
        .error_for_status()
        .unwrap_or_else(|error| panic!("GET {path} failed: {error}"))
        .json()
        .await
        .expect("JSON body")
}

/// Logs in through the API and returns `GET /tasks?days=6`: the overdue items and those due from
/// today to today + 6.
async fn tasks_of(client: &reqwest::Client, base: &str, username: &str, password: &str) -> Value {
    let token = login(client, base, username, password).await;
    get_json(client, base, &token, "/tasks?days=6").await
}

/// Counts the items of a task list that are overdue, and those due from today to today + 6.
fn overdue_and_this_week(tasks: &Value) -> (usize, usize) {
    let today: Date = sathi_domain::dates::parse_date(tasks["today"].as_str().expect("today"), &[])
        .expect("today is a date");
    let items = tasks["items"].as_array().expect("items");
    let mut overdue = 0;
    let mut this_week = 0;
    for item in items {
        let Some(due_on) = item["due_on"].as_str() else { continue };
        let due_on = sathi_domain::dates::parse_date(due_on, &[]).expect("due_on is a date");
        assert!((due_on - today).whole_days() <= 6, "an item due {due_on} is past days=6");
        assert_eq!(item["overdue"].as_bool(), Some(due_on < today), "overdue flag of {item}");
        if due_on < today {
            overdue += 1;
        } else {
            this_week += 1;
        }
    }
    (overdue, this_week)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_tasks_look_like_a_caseload() {
    let dir = tempfile::tempdir().expect("temporary folder");
    run_demo(dir.path(), CASES);
    let (base, _stop) = serve_demo(dir.path()).await;
    let client = reqwest::Client::new();
    let store = open_store(dir.path()).await;
    let users = store.list_users(None).await.expect("users list");

    let rahima = tasks_of(&client, &base, "cw.rahima", "demo-caseworker").await;
    let (overdue, this_week) = overdue_and_this_week(&rahima);
    assert!((2..=6).contains(&overdue), "cw.rahima has {overdue} overdue tasks: {rahima}");
    assert!((3..=10).contains(&this_week), "cw.rahima has {this_week} tasks due this week: {rahima}");

    for caseworker in users.iter().filter(|user| user.role_id == "caseworker") {
        let tasks = tasks_of(&client, &base, &caseworker.username, "demo-caseworker").await;
        let (overdue, this_week) = overdue_and_this_week(&tasks);
        assert!((2..=6).contains(&overdue), "{} has {overdue} overdue tasks", caseworker.username);
        assert!((3..=10).contains(&this_week), "{} has {this_week} tasks due this week", caseworker.username);
    }

    for supervisor in users.iter().filter(|user| user.role_id == "supervisor") {
        let tasks = tasks_of(&client, &base, &supervisor.username, "demo-supervisor").await;
        let approvals = tasks["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|item| item["kind"] == "approval")
            .count();
        assert!(approvals >= 1, "{} has no case plan to approve", supervisor.username);
    }

    let mut to_answer = 0;
    for receiver in ["sp.nabil", "sp.priya"] {
        let tasks = tasks_of(&client, &base, receiver, "demo-provider").await;
        to_answer += tasks["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|item| item["kind"] == "referral")
            .count();
    }
    assert!(to_answer >= 1, "Lanternlight's receivers have no referral to answer");

    // BCRI's receiver got referrals from the other agencies' caseworkers in past months, all
    // closed by now.
    let token = login(&client, &base, "sp.sumaiya", "demo-provider").await;
    let open = get_json(&client, &base, &token, "/referrals?box=incoming&status=open").await;
    assert_eq!(open.as_array().map(Vec::len), Some(0), "sp.sumaiya has open referrals: {open}");
    let closed = get_json(&client, &base, &token, "/referrals?box=incoming&status=closed").await;
    let closed = closed.as_array().expect("a referral list");
    assert!(!closed.is_empty(), "sp.sumaiya received no referral");
    for referral in closed {
        assert_ne!(referral["from_agency_id"], "bcri", "a referral inside BCRI: {referral}");
    }
    let months: BTreeSet<&str> =
        closed.iter().filter_map(|referral| referral["created_at"].as_str()).map(|at| &at[..7]).collect();
    assert!(months.len() >= 2, "sp.sumaiya's referrals were all made in {months:?}");
}

/// Returns the figures of panel `id` of a dashboard.
fn panel_figures<'d>(dashboard: &'d Value, id: &str) -> &'d Vec<Value> {
    let panels = dashboard["panels"].as_array().expect("panels");
    let panel = panels.iter().find(|panel| panel["id"] == id);
    panel
        .and_then(|panel| panel["figures"].as_array())
        .unwrap_or_else(|| panic!("no panel {id}: {dashboard}"))
}

/// Returns the sum of the values of panel `id`'s figures, suppressed ones left out.
fn panel_sum(dashboard: &Value, id: &str) -> i64 {
    panel_figures(dashboard, id).iter().filter_map(|figure| figure["value"].as_i64()).sum()
}

/// Returns the value of the figure `key` of panel `id`.
fn figure_value(dashboard: &Value, id: &str, key: &str) -> Option<i64> {
    panel_figures(dashboard, id)
        .iter()
        .find(|figure| figure["key"] == key)
        .and_then(|figure| figure["value"].as_i64())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_dashboards_have_figures() {
    let dir = tempfile::tempdir().expect("temporary folder");
    run_demo(dir.path(), CASES);
    let (base, _stop) = serve_demo(dir.path()).await;
    let client = reqwest::Client::new();
    let dashboard_of = async |username: &str, password: &str| {
        let token = login(&client, &base, username, password).await;
        get_json(&client, &base, &token, "/dashboard").await
    };

    let caseworker = dashboard_of("cw.rahima", "demo-caseworker").await;
    assert_eq!(caseworker["kind"], "caseworker");
    assert!(panel_sum(&caseworker, "my_open_total") > 0, "cw.rahima has no open case: {caseworker}");
    assert!(figure_value(&caseworker, "my_tasks", "overdue") >= Some(2), "cw.rahima's tasks: {caseworker}");

    let supervisor = dashboard_of("sup.karim", "demo-supervisor").await;
    assert_eq!(supervisor["kind"], "supervisor");
    assert!(panel_sum(&supervisor, "new_to_assign") >= 1, "sup.karim has no case to assign: {supervisor}");
    assert!(panel_sum(&supervisor, "approvals_pending") >= 1, "sup.karim has no approval: {supervisor}");

    let manager = dashboard_of("admin.mizan", "demo-agency-admin").await;
    assert_eq!(manager["kind"], "manager");
    for panel in [
        "open_total",
        "opened_by_month",
        "closed_by_month",
        "referrals_sent_by_service",
        "referrals_received_by_agency",
    ] {
        assert!(panel_sum(&manager, panel) > 0, "admin.mizan's {panel} is empty: {manager}");
    }
    for panel in ["days_to_assessment", "days_to_case_plan"] {
        let measured = figure_value(&manager, panel, "cases");
        assert!(measured > Some(0), "admin.mizan's {panel} measures no case: {manager}");
    }

    // Small counts of the coordination figures are suppressed, such as the sparse camps' cases.
    let coordination = dashboard_of("imo.nasrin", "demo-im-officer").await;
    assert_eq!(coordination["kind"], "coordination");
    assert_eq!(coordination["suppression_threshold"], 5);
    let suppressed =
        panel_figures(&coordination, "open_by_camp").iter().filter(|figure| figure["suppressed"] == true);
    assert!(suppressed.count() >= 1, "no camp figure is suppressed: {coordination}");
}
