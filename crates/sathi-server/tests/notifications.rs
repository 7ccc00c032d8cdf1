//! Notifications: every kind renders in English and Bangla with the actor's full name and the
//! display id and never the child's name, and reading marks them read.

mod common;

use common::{AGENCY_A, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::StatusCode;
use sathi_domain::i18n::Messages;
use sathi_store::{NOTIFICATION_KINDS, Notification};
use serde_json::json;

backend_tests!(notifications_list_and_mark_read, notification_texts_in_every_locale);

/// Every kind has a title and body in both languages that name the actor and the case.
#[test]
fn every_kind_renders_in_both_languages() {
    let messages = Messages::load();
    for kind in NOTIFICATION_KINDS {
        let notification = Notification {
            id: uuid::Uuid::now_v7(),
            kind: kind.to_owned(),
            case_id: None,
            display_id: Some("CXB-4F7K2Q".to_owned()),
            subject_id: None,
            actor_name: Some("Nasrin Akter".to_owned()),
            approval_kind: kind.starts_with("approval").then(|| "case_plan".to_owned()),
            created_at: time::OffsetDateTime::now_utc(),
            read_at: None,
        };
        for locale in ["en", "bn"] {
            let (title, body) = sathi_server::notifications::render(&messages, locale, &notification);
            assert!(!title.starts_with("notification-"), "{kind} has no title in {locale}");
            assert!(body.contains("Nasrin Akter"), "{kind} body in {locale} lacks the actor: {body}");
            assert!(body.contains("CXB-4F7K2Q"), "{kind} body in {locale} lacks the case: {body}");
            if kind.starts_with("approval") {
                let plan = if locale == "en" { "case plan" } else { "কেস পরিকল্পনা" };
                assert!(body.contains(plan), "{kind} body in {locale} lacks the approval kind: {body}");
            }
        }
    }
}

/// The supervisor's list shows an approval request by the caseworker's full name in Bangla,
/// without the child's name; reading by id and all lowers the unread count.
async fn notifications_list_and_mark_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let boss = app.create_user("sv.karim", "supervisor", AGENCY_A, "bn").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.unwrap();
    app.state.store.add_group_member(group, worker.id).await.unwrap();
    app.state.store.add_group_member(group, boss.id).await.unwrap();
    let rina = app.login("cw.rina", PASSWORD).await;
    let karim = app.login("sv.karim", PASSWORD).await;

    let mut ids = Vec::new();
    for name in ["Sayra", "Rahim"] {
        let case =
            app.create_case(&rina, with(child(name), json!({"assessment_completed_on": "2024-06-21"}))).await;
        let id = case["id"].as_str().unwrap().to_owned();
        let (status, body) =
            send(rina.post(app.api(&format!("/cases/{id}/approvals"))).json(&json!({"kind": "assessment"})))
                .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(case["display_id"].as_str().unwrap().to_owned());
    }

    let (status, list) = send(karim.get(app.api("/notifications"))).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["unread"], 2, "{list}");
    let newest = &list["items"][0];
    assert_eq!(newest["kind"], "approval_requested");
    assert_eq!(newest["read"], false);
    assert_eq!(newest["actor_name"], "Test user cw.rina");
    assert_eq!(newest["title"], "অনুমোদনের অনুরোধ");
    let body = newest["body"].as_str().unwrap();
    assert!(body.contains(&ids[1]), "the notification lacks the display id: {body}");
    assert!(body.contains("Test user cw.rina"), "the notification lacks the actor: {body}");
    assert!(!body.contains("Rahim"), "a notification names the child: {body}");
    let (_, own) = send(rina.get(app.api("/notifications"))).await;
    assert_eq!(own["unread"], 0, "the requester was notified of their own request: {own}");

    let first = newest["id"].clone();
    let (status, read) =
        send(karim.post(app.api("/notifications/read")).json(&json!({"ids": [first]}))).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["unread"], 1);
    let (_, read) = send(karim.post(app.api("/notifications/read")).json(&json!({"all": true}))).await;
    assert_eq!(read["unread"], 0);
    let (status, body) = send(karim.post(app.api("/notifications/read")).json(&json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

/// Each notification carries its title and body in every language of the deployment, so a phone
/// that switches language offline can show them. `title` and `body` stay in the caller's.
async fn notification_texts_in_every_locale(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let boss = app.create_user("sv.karim", "supervisor", AGENCY_A, "bn").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.unwrap();
    app.state.store.add_group_member(group, worker.id).await.unwrap();
    app.state.store.add_group_member(group, boss.id).await.unwrap();
    let rina = app.login("cw.rina", PASSWORD).await;
    let karim = app.login("sv.karim", PASSWORD).await;
    let case =
        app.create_case(&rina, with(child("Sayra"), json!({"assessment_completed_on": "2024-06-21"}))).await;
    let id = case["id"].as_str().unwrap();
    let (status, body) =
        send(rina.post(app.api(&format!("/cases/{id}/approvals"))).json(&json!({"kind": "assessment"})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (status, list) = send(karim.get(app.api("/notifications"))).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let item = &list["items"][0];
    let texts = item["texts"].as_object().expect("a notification has texts by locale");
    let locales: Vec<&str> = texts.keys().map(String::as_str).collect();
    assert_eq!(locales, ["bn", "en"], "the texts are not in every configured locale: {item}");
    assert_eq!(texts["en"]["title"], "Approval requested");
    assert_eq!(texts["bn"]["title"], "অনুমোদনের অনুরোধ");
    assert_eq!(item["title"], texts["bn"]["title"], "the title is not in the caller's language");
    assert_eq!(item["body"], texts["bn"]["body"], "the body is not in the caller's language");
    let display_id = case["display_id"].as_str().unwrap();
    for locale in ["en", "bn"] {
        let body = texts[locale]["body"].as_str().expect("every text has a body");
        assert!(body.contains(display_id), "the {locale} body lacks the display id: {body}");
        assert!(body.contains("Test user cw.rina"), "the {locale} body lacks the actor: {body}");
    }
}
