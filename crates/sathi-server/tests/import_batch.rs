//! The batch write of an import run, called on the store directly. A new case whose id or
//! display id is already taken rejects or renames only its own row. The rest of the batch is
//! written, because PostgreSQL does not abort the transaction, and the written cases reach
//! their owner's device in the next sync.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send};
use reqwest::{Client, StatusCode};
use sathi_domain::ids::CaseId;
use sathi_store::{ImportBatch, ImportRowOutcome, ImportWrite, JobKind, NewCase};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(taken_ids_touch_only_their_rows);

async fn sync(app: &TestApp, client: &Client, body: Value) -> Value {
    let (status, response) = send(client.post(app.api("/sync")).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "sync failed: {response}");
    response
}

fn outcome_of(outcomes: &[ImportRowOutcome], row_number: i64) -> &ImportRowOutcome {
    outcomes.iter().find(|outcome| outcome.row_number == row_number).expect("an outcome for every row")
}

async fn taken_ids_touch_only_their_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("admin.mizan", "agency_admin", AGENCY_A, "en").await;
    let owner = app.create_user("cw.rahima", "caseworker", AGENCY_A, "en").await;
    let admin = app.login("admin.mizan", PASSWORD).await;
    let caseworker = app.login("cw.rahima", PASSWORD).await;
    let existing = app.create_case(&caseworker, child("Rina")).await;
    let existing_id: Uuid = existing["id"].as_str().expect("id").parse().expect("uuid");
    let existing_display = existing["display_id"].as_str().expect("display id").to_owned();
    let device = Uuid::new_v4().to_string();
    let first = sync(&app, &caseworker, json!({"device_id": device})).await;

    let (status, uploaded) = send(
        admin
            .post(app.api("/imports"))
            .query(&[("format", "csv"), ("file_name", "batch.csv")])
            .body("case_ref,name\nA-1,Mitu\n"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let import_id = sathi_store::ImportId(uploaded["id"].as_str().expect("id").parse().expect("uuid"));
    let admin_user = app.state.store.user_by_username("admin.mizan").await.unwrap().expect("admin");
    let principal = sathi_server::auth::principal_of(&app.state, &admin_user).await.expect("principal");
    let job_id = Uuid::now_v7();
    let mapping = serde_json::to_value(sathi_domain::import::Mapping::default()).unwrap();
    let claimed = app
        .state
        .store
        .claim_import(&principal, import_id, JobKind::DryRun, &mapping, job_id, app.state.now())
        .await
        .expect("claim");
    assert!(matches!(claimed, Some(sathi_store::Claim::Claimed(_))));

    let new_case = |id: Uuid, display_id: &str, name: &str| NewCase {
        id: CaseId(id),
        display_id: display_id.to_owned(),
        data: json!({"name_first": name}).as_object().cloned().expect("an object"),
        changes: Vec::new(),
        owner_id: owner.id,
        owner_agency_id: AGENCY_A.to_owned(),
        now: app.state.now(),
    };
    let create = |row_number: i64, case: NewCase, external_id: Option<&str>| ImportWrite::Create {
        row_number,
        case,
        external_id: external_id.map(str::to_owned),
    };
    let writes = vec![
        create(1, new_case(Uuid::new_v4(), "CXB-NEW001", "Mitu"), Some("EXT-1")),
        // The id of the case that exists: no display id makes this row insertable.
        create(2, new_case(existing_id, "CXB-NEW002", "Arif"), Some("EXT-2")),
        // The display id of the case that exists: the row gets another one.
        create(3, new_case(Uuid::new_v4(), &existing_display, "Shapla"), None),
        // The external id of row 1, again.
        create(4, new_case(Uuid::new_v4(), "CXB-NEW004", "Nasrin"), Some("EXT-1")),
    ];
    let batch = ImportBatch {
        import_id,
        job_id,
        writes,
        rows: Vec::new(),
        rows_done: 4,
        rows_total: Some(4),
        now: app.state.now(),
    };
    let generated = AtomicUsize::new(0);
    let new_display_id = || format!("CXB-GEN{:03}", generated.fetch_add(1, Ordering::SeqCst) + 1);
    let outcomes = app
        .state
        .store
        .write_import_batch(&principal, &batch, &new_display_id)
        .await
        .expect("the batch is written")
        .expect("the job owns the import");

    assert_eq!(outcomes.len(), 4);
    let created = outcome_of(&outcomes, 1);
    assert_eq!(created.outcome, "created");
    assert_eq!(created.display_id.as_deref(), Some("CXB-NEW001"));
    let taken_id = outcome_of(&outcomes, 2);
    assert_eq!(taken_id.outcome, "rejected");
    assert_eq!(taken_id.errors[0]["code"], "import_duplicate_id");
    let renamed = outcome_of(&outcomes, 3);
    assert_eq!(renamed.outcome, "created");
    assert_eq!(renamed.display_id.as_deref(), Some("CXB-GEN001"));
    let repeated = outcome_of(&outcomes, 4);
    assert_eq!(repeated.outcome, "rejected");
    assert_eq!(repeated.errors[0]["code"], "import_duplicate_id");

    let untouched = app.state.store.case(&principal, CaseId(existing_id)).await.unwrap().expect("case");
    assert_eq!(untouched.version, 1);
    assert_eq!(untouched.data.get("name_first"), Some(&json!("Rina")));

    // The two new cases have sync order numbers after the cursor, and only they are new.
    let next = sync(&app, &caseworker, json!({"device_id": device, "cursor": first["cursor"]})).await;
    let mut synced: Vec<String> = next["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|record| record["id"].as_str().expect("id").to_owned())
        .collect();
    synced.sort();
    let mut expected: Vec<String> =
        [created, renamed].iter().map(|outcome| outcome.case_id.expect("a case id").0.to_string()).collect();
    expected.sort();
    assert_eq!(synced, expected);
}
