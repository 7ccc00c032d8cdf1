//! The printed case summary, `GET /cases/{id}/pdf`: a PDF file in the requested language, read
//! within the caller's scope and forms like `GET /cases/{id}`, and audited.
//!
//! Sadia is a caseworker of agency `bcri` (Bangla) and owns the case. Nabil is a service
//! provider of agency `lli` who receives a referral of the services form only, and Lina a
//! caseworker of agency `lli` who has no access to the case.

mod common;

#[path = "../../sathi-pdf/tests/pdf_text/mod.rs"]
mod pdf_text;

use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode, header};
use sathi_domain::ids::{CaseId, UserId};
use serde_json::{Value, json};
use uuid::Uuid;

backend_tests!(summary_prints_in_both_languages);
backend_tests!(out_of_scope_matches_case_not_found);
backend_tests!(guest_summary_leaves_out_unshared_forms);

struct Setting {
    app: TestApp,
    sadia: Client,
    nabil: Client,
    lina: Client,
    nabil_id: UserId,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    app.create_user("cw.sadia", "caseworker", AGENCY_B, "bn").await;
    let nabil = app.create_user("sp.nabil", "service_provider", AGENCY_A, "en").await;
    app.create_user("cw.lina", "caseworker", AGENCY_A, "en").await;
    Setting {
        sadia: app.login("cw.sadia", PASSWORD).await,
        nabil: app.login("sp.nabil", PASSWORD).await,
        lina: app.login("cw.lina", PASSWORD).await,
        nabil_id: nabil.id,
        app,
    }
}

/// Creates Sadia's case for ক্ষমা আক্তার, with a family member, a tracing note and a service,
/// and returns the case.
async fn case_of_sadia(setting: &Setting) -> Value {
    let member = json!({"unique_id": Uuid::new_v4(), "name": "শ্রাবন্তী আক্তার", "relation": "mother"});
    let service = json!({"unique_id": Uuid::new_v4(), "service_type": "psychosocial_support",
        "implementing_agency": "Mukti Cox's Bazar"});
    let data = with(
        child("ক্ষমা"),
        json!({"name_last": "আক্তার", "name_nickname": "মিতু", "consent_for_sharing": true,
            "family_members": [member], "separation_location": "Balukhali bridge",
            "services_provided": [service]}),
    );
    setting.app.create_case(&setting.sadia, data).await
}

/// Downloads the summary and returns the response's status, headers and body.
async fn download(client: &Client, url: String) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let response = client.get(url).send().await.expect("the request failed");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("the body cannot be read").to_vec();
    (status, headers, body)
}

/// Returns the audit entries of `case_id` for `action`, oldest first.
async fn audit_of(app: &TestApp, case_id: &str, action: &str) -> Vec<(String, Value)> {
    let case = CaseId(case_id.parse().expect("a case id"));
    let entries = app.state.store.audit_entries(Some(case), 100).await.expect("failed to read the audit log");
    let mut found: Vec<(String, Value)> = entries
        .into_iter()
        .filter(|entry| entry.action == action)
        .map(|entry| (entry.outcome, entry.detail))
        .collect();
    found.reverse();
    found
}

/// Checks the summary in Sadia's language (Bangla) and in English: a PDF attachment named after
/// the display id, the child's name shaped as typed, dates with the month's name and the
/// reader's digits, and an audit entry for each download.
async fn summary_prints_in_both_languages(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case = case_of_sadia(&setting).await;
    let case_id = case["id"].as_str().expect("a case id");
    let display_id = case["display_id"].as_str().expect("a display id");
    let url = app.api(&format!("/cases/{case_id}/pdf"));

    let (status, headers, pdf) = download(&setting.sadia, url.clone()).await;
    assert_eq!(status, StatusCode::OK, "the summary failed: {}", String::from_utf8_lossy(&pdf));
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let expected_disposition = format!("attachment; filename=\"{display_id}.pdf\"");
    assert_eq!(headers[header::CONTENT_DISPOSITION], expected_disposition.as_str());
    assert!(pdf.starts_with(b"%PDF-"), "the body is not a PDF file");
    let bangla = pdf_text::extract(&pdf);
    assert!(bangla.contains("কেস সারসংক্ষেপ"), "the Bangla summary has no Bangla title: {bangla}");
    assert!(bangla.contains("ক্ষমা আক্তার"), "the child's name is missing: {bangla}");
    assert!(bangla.contains("শ্রাবন্তী আক্তার"), "the family member is missing: {bangla}");
    assert!(bangla.contains("২০ জুন ২০২৪"), "the registration date is not in Bangla: {bangla}");
    assert!(bangla.contains(display_id), "the display id is not kept in ASCII: {bangla}");
    assert!(bangla.contains("উচ্চ"), "the risk level is not in Bangla: {bangla}");

    let (status, _, pdf) = download(&setting.sadia, format!("{url}?lang=en")).await;
    assert_eq!(status, StatusCode::OK, "the English summary failed");
    let english = pdf_text::extract(&pdf);
    assert!(english.contains("Case summary"), "the English summary has no English title: {english}");
    assert!(english.contains("20 June 2024"), "the registration date is not in English: {english}");
    assert!(english.contains("Risk level: High"), "the risk level is not in English: {english}");
    assert!(english.contains("ক্ষমা আক্তার"), "the child's name is missing: {english}");
    // The header's facts are not printed again in the sections.
    assert_eq!(
        english.matches("20 June 2024").count(),
        1,
        "the registration date is printed twice: {english}"
    );
    assert_eq!(english.matches("Service provision").count(), 1, "the stage is printed twice: {english}");
    assert_eq!(english.matches(display_id).count(), 1, "the display id is printed twice: {english}");
    assert_eq!(english.matches("Risk level").count(), 1, "the risk level is printed twice: {english}");

    let (status, body) = send(setting.sadia.get(format!("{url}?lang=fr"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown language was accepted: {body}");
    assert_eq!(body["error"]["code"], "unknown_locale");
    assert_eq!(body["error"]["message"], "\"fr\" এই ব্যবস্থার কোনো ভাষা নয়। এগুলোর একটি দিন: en, bn।");

    let entries = audit_of(app, case_id, "case.pdf").await;
    let expected =
        [("ok".to_owned(), json!({"language": "bn"})), ("ok".to_owned(), json!({"language": "en"}))];
    assert_eq!(entries, expected, "the audit log does not hold the two downloads by language");
}

/// Checks that Lina, who cannot read the case, gets exactly the 404 of `GET /cases/{id}`, as for
/// an id that does not exist, and that the attempt is audited.
async fn out_of_scope_matches_case_not_found(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case = case_of_sadia(&setting).await;
    let case_id = case["id"].as_str().expect("a case id");

    let (case_status, case_headers, case_body) =
        download(&setting.lina, app.api(&format!("/cases/{case_id}"))).await;
    let (pdf_status, pdf_headers, pdf_body) =
        download(&setting.lina, app.api(&format!("/cases/{case_id}/pdf"))).await;
    assert_eq!(case_status, StatusCode::NOT_FOUND, "Lina reads Sadia's case");
    assert_eq!(pdf_status, StatusCode::NOT_FOUND, "Lina prints Sadia's case");
    assert_eq!(
        String::from_utf8_lossy(&pdf_body),
        String::from_utf8_lossy(&case_body),
        "the summary's 404 differs from the case's"
    );
    assert_eq!(pdf_headers[header::CONTENT_TYPE], case_headers[header::CONTENT_TYPE]);

    let missing = Uuid::new_v4();
    let (status, _, missing_body) = download(&setting.lina, app.api(&format!("/cases/{missing}/pdf"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a missing case did not give 404");
    assert_eq!(missing_body, pdf_body, "a missing case and a case out of scope answer differently");

    let entries = audit_of(app, case_id, "case.pdf").await;
    assert_eq!(entries, [("not_found".to_owned(), json!({"language": "en"}))]);
}

/// Checks that Nabil, referred the services form only, prints the service but no name, family
/// member or tracing note, while Sadia's own summary contains them all.
async fn guest_summary_leaves_out_unshared_forms(backend: Backend) {
    let setting = setting(backend).await;
    let app = &setting.app;
    let case = case_of_sadia(&setting).await;
    let case_id = case["id"].as_str().expect("a case id");
    let body = json!({"to_agency_id": AGENCY_A, "to_user_id": setting.nabil_id,
        "service_type": "psychosocial_support", "shared_forms": ["services"], "note": "Weekly sessions"});
    let (status, referral) =
        send(setting.sadia.post(app.api(&format!("/cases/{case_id}/referrals"))).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "the referral was not created: {referral}");
    let accept = format!("/referrals/{}/accept", referral["id"].as_str().expect("a referral id"));
    let (status, body) =
        send(setting.nabil.post(app.api(&accept)).json(&json!({"expected_version": 1}))).await;
    assert_eq!(status, StatusCode::OK, "Nabil's accept failed: {body}");

    let url = app.api(&format!("/cases/{case_id}/pdf"));
    let (status, _, pdf) = download(&setting.sadia, format!("{url}?lang=en")).await;
    assert_eq!(status, StatusCode::OK, "Sadia's summary failed");
    let owner_text = pdf_text::extract(&pdf);
    assert!(owner_text.contains("Balukhali bridge"), "Sadia's summary lacks the tracing note: {owner_text}");
    assert!(owner_text.contains("Mukti Cox's Bazar"), "Sadia's summary lacks the service: {owner_text}");

    let (status, _, pdf) = download(&setting.nabil, url).await;
    assert_eq!(status, StatusCode::OK, "Nabil's summary failed");
    let guest_text = pdf_text::extract(&pdf);
    assert!(guest_text.contains("Mukti Cox's Bazar"), "Nabil's summary lacks the service: {guest_text}");
    assert!(!guest_text.contains("Balukhali"), "Nabil's summary shows the tracing note: {guest_text}");
    assert!(!guest_text.contains("ক্ষমা"), "Nabil's summary shows the child's name: {guest_text}");
    assert!(!guest_text.contains("শ্রাবন্তী"), "Nabil's summary shows a family member: {guest_text}");
}
