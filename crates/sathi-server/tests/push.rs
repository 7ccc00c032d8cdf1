//! Web push against a push service on 127.0.0.1. It receives one encrypted, VAPID-signed
//! request per notification and subscription, which the test decrypts with a browser key pair
//! made here. A 410 response removes the subscription and a 503 is retried. Subscriptions are
//! private to their user, and each notification is claimed once even when two workers race.

mod common;

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{AGENCY_A, AGENCY_B, Backend, PASSWORD, TestApp, backend_tests, child, send, with};
use reqwest::{Client, StatusCode};
use sathi_server::push::PushSettings;
use sathi_server::state::Settings;
use sathi_store::{NewPushSubscription, PushBacklog, PushEndpoint};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use web_push_native::jwt_simple::prelude::{ECDSAP256PublicKeyLike, ES256PublicKey, NoCustomClaims};
use web_push_native::p256::SecretKey;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

backend_tests!(
    push_referral_reaches_bangla_recipient,
    push_approval_request_signed_in_english,
    push_gone_removes_subscription,
    push_failure_is_retried,
    push_subscriptions_are_private,
    push_endpoint_rules_by_default,
    push_claims_each_notification_once,
);

/// The VAPID subject the tests configure.
const CONTACT: &str = "mailto:push-test@example.org";

/// Maximum wait for the worker, reached only when the test is about to fail.
const WAIT: Duration = Duration::from_secs(30);

/// Push settings for a push service on 127.0.0.1, checked often.
fn loopback_settings() -> Settings {
    Settings {
        push: PushSettings {
            enabled: true,
            contact: CONTACT.to_owned(),
            poll_interval: Duration::from_millis(20),
            retry_base: Duration::from_millis(10),
            allow_loopback_http: true,
        },
        ..Settings::default()
    }
}

/// One request the push service received.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct ServiceState {
    received: Arc<Mutex<Vec<Received>>>,
    /// Statuses to return, in order, then 201 once they run out.
    statuses: Arc<Mutex<VecDeque<u16>>>,
}

/// A push service on 127.0.0.1 port 0 that records every request.
struct PushService {
    address: String,
    state: ServiceState,
    _stop: oneshot::Sender<()>,
}

impl PushService {
    async fn start(statuses: &[u16]) -> PushService {
        let state = ServiceState::default();
        state.statuses.lock().unwrap().extend(statuses);
        let router = axum::Router::new()
            .route("/push/{token}", axum::routing::post(receive))
            .with_state(state.clone());
        let listener =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("failed to bind 127.0.0.1:0");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        PushService { address, state, _stop: stop }
    }

    fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}

async fn receive(State(state): State<ServiceState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    state.received.lock().unwrap().push(Received { headers, body: body.to_vec() });
    let status = state.statuses.lock().unwrap().pop_front().unwrap_or(201);
    StatusCode::from_u16(status).unwrap()
}

/// A browser's side of a subscription: its key pair and auth secret, made here.
struct Browser {
    endpoint: String,
    secret: SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new(service: &PushService) -> Browser {
        let secret = loop {
            let bytes: [u8; 32] = rand::random();
            if let Ok(secret) = SecretKey::from_slice(&bytes) {
                break secret;
            }
        };
        let token = uuid::Uuid::new_v4().simple();
        Browser { endpoint: format!("{}/push/{token}", service.address), secret, auth: rand::random() }
    }

    fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().as_affine().to_encoded_point(false).as_bytes())
    }

    fn subscription(&self) -> Value {
        json!({
            "endpoint": self.endpoint,
            "expirationTime": null,
            "keys": {"p256dh": self.p256dh(), "auth": URL_SAFE_NO_PAD.encode(self.auth)},
        })
    }

    /// Decrypts a pushed body to the JSON payload.
    fn decrypt(&self, received: &Received) -> Value {
        let auth = web_push_native::Auth::from(self.auth);
        let plain = web_push_native::decrypt(received.body.clone(), &self.secret, &auth)
            .expect("the pushed body does not decrypt with the browser's keys");
        serde_json::from_slice(&plain).expect("the decrypted payload is not JSON")
    }
}

async fn subscribe(app: &TestApp, client: &Client, browser: &Browser) -> Value {
    let (status, body) =
        send(client.post(app.api("/push/subscriptions")).json(&browser.subscription())).await;
    assert_eq!(status, StatusCode::CREATED, "subscribing failed: {body}");
    body
}

/// Waits until the worker has nothing left to do and the service has `count` requests.
async fn wait_for_requests(app: &TestApp, service: &PushService, count: usize) -> Vec<Received> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let backlog = app.state.store.push_backlog().await.expect("failed to read the push backlog");
        let received = service.received();
        if received.len() >= count && backlog == (PushBacklog { unclaimed: 0, deliveries: 0 }) {
            return received;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the push service received {} of {count} requests; backlog {backlog:?}",
            received.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn header<'a>(received: &'a Received, name: &str) -> &'a str {
    received.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("")
}

/// Creates a case of `client` with consent to share, and returns its id and display id.
async fn consenting_case(app: &TestApp, client: &Client, name: &str) -> (String, String) {
    let data =
        with(child(name), json!({"consent_for_sharing": true, "assessment_completed_on": "2024-06-21"}));
    let case = app.create_case(client, data).await;
    (case["id"].as_str().unwrap().to_owned(), case["display_id"].as_str().unwrap().to_owned())
}

/// Checks that a referral to a Bangla-speaking service provider reaches their browser once,
/// encrypted, with the Bangla title, the case's display id and no child's name.
async fn push_referral_reaches_bangla_recipient(backend: Backend) {
    let app = TestApp::spawn_with(backend, loopback_settings()).await;
    let service = PushService::start(&[]).await;
    app.create_user("cw.sadia", "caseworker", AGENCY_B, "en").await;
    let nabil = app.create_user("sp.nabil", "service_provider", AGENCY_A, "bn").await;
    let sadia = app.login("cw.sadia", PASSWORD).await;
    let nabil_client = app.login("sp.nabil", PASSWORD).await;
    let browser = Browser::new(&service);
    subscribe(&app, &nabil_client, &browser).await;

    let (case_id, display_id) = consenting_case(&app, &sadia, "Nurjahan").await;
    let referral = json!({"to_agency_id": AGENCY_A, "to_user_id": nabil.id, "service_type": "psychosocial_support",
        "shared_forms": ["basic_identity", "protection_concerns"]});
    let (status, body) =
        send(sadia.post(app.api(&format!("/cases/{case_id}/referrals"))).json(&referral)).await;
    assert_eq!(status, StatusCode::CREATED, "the referral failed: {body}");

    let received = wait_for_requests(&app, &service, 1).await;
    assert_eq!(received.len(), 1, "one notification to one subscription must make one request");
    let request = &received[0];
    assert_eq!(header(request, "content-encoding"), "aes128gcm");
    assert_eq!(header(request, "ttl"), "86400");
    assert!(header(request, "authorization").starts_with("vapid t="), "{:?}", request.headers);
    let payload = browser.decrypt(request);
    assert_eq!(payload["title"], "নতুন রেফারেল", "{payload}");
    let text = payload["body"].as_str().unwrap();
    assert!(text.contains(&display_id), "the body lacks the display id: {text}");
    assert!(text.contains("Test user cw.sadia"), "the body lacks the sender: {text}");
    assert_eq!(payload["url"], "/#/notifications");
    let raw = payload.to_string();
    assert!(!raw.contains("Nurjahan"), "the payload names the child: {raw}");

    let (_, subscriptions) = send(nabil_client.get(app.api("/push/subscriptions"))).await;
    assert_eq!(subscriptions[0]["failures"], 0, "{subscriptions}");
    assert_eq!(subscriptions[0]["last_error"], Value::Null, "{subscriptions}");
}

/// Checks that an approval request reaches an English-speaking supervisor, signed with the key
/// that `/push/public-key` publishes, for the push service's origin and the configured contact.
async fn push_approval_request_signed_in_english(backend: Backend) {
    let app = TestApp::spawn_with(backend, loopback_settings()).await;
    let service = PushService::start(&[]).await;
    let (_, _, rina, karim) = approval_team(&app).await;
    let browser = Browser::new(&service);
    subscribe(&app, &karim, &browser).await;
    let (status, key) = send(karim.get(app.api("/push/public-key"))).await;
    assert_eq!(status, StatusCode::OK, "{key}");

    let (case_id, display_id) = consenting_case(&app, &rina, "Sayra").await;
    let (status, body) =
        send(rina.post(app.api(&format!("/cases/{case_id}/approvals"))).json(&json!({"kind": "assessment"})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "the approval request failed: {body}");

    let received = wait_for_requests(&app, &service, 1).await;
    assert_eq!(received.len(), 1);
    let payload = browser.decrypt(&received[0]);
    assert_eq!(payload["title"], "Approval requested", "{payload}");
    assert!(payload["body"].as_str().unwrap().contains(&display_id), "{payload}");
    assert!(!payload.to_string().contains("Sayra"), "the payload names the child: {payload}");

    let authorization = header(&received[0], "authorization");
    let (token, public_key) = authorization
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .unwrap_or_else(|| panic!("the Authorization header is not VAPID: {authorization}"));
    assert_eq!(
        public_key,
        key["public_key"].as_str().unwrap(),
        "signed with another key than the published one"
    );
    let verifier = ES256PublicKey::from_bytes(&URL_SAFE_NO_PAD.decode(public_key).unwrap()).unwrap();
    let claims =
        verifier.verify_token::<NoCustomClaims>(token, None).expect("the VAPID token does not verify");
    assert_eq!(claims.subject.as_deref(), Some(CONTACT));
    let audiences = claims.audiences.expect("the VAPID token has no audience").into_set();
    assert!(audiences.contains("http://127.0.0.1"), "audience {audiences:?}");
    let lifetime = claims.expires_at.unwrap().as_secs() - claims.issued_at.unwrap().as_secs();
    assert!(lifetime <= 24 * 60 * 60, "a VAPID token may live 24 hours at most, not {lifetime} s");
}

/// Checks that a push service returning 410 Gone makes the server delete the subscription.
async fn push_gone_removes_subscription(backend: Backend) {
    let app = TestApp::spawn_with(backend, loopback_settings()).await;
    let service = PushService::start(&[410]).await;
    let (_, _, rina, karim) = approval_team(&app).await;
    let browser = Browser::new(&service);
    subscribe(&app, &karim, &browser).await;

    request_assessment_approval(&app, &rina, "Sayra").await;
    wait_for_requests(&app, &service, 1).await;

    let (status, subscriptions) = send(karim.get(app.api("/push/subscriptions"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(subscriptions, json!([]), "the gone subscription is still stored");
}

/// Checks that a 503 response is counted and retried, and the retry delivers the same message.
async fn push_failure_is_retried(backend: Backend) {
    let app = TestApp::spawn_with(backend, loopback_settings()).await;
    let service = PushService::start(&[503]).await;
    let (_, _, rina, karim) = approval_team(&app).await;
    let browser = Browser::new(&service);
    subscribe(&app, &karim, &browser).await;

    request_assessment_approval(&app, &rina, "Sayra").await;
    let received = wait_for_requests(&app, &service, 2).await;
    assert_eq!(received.len(), 2, "one failed attempt and one retry");
    assert_eq!(browser.decrypt(&received[0])["title"], "Approval requested");
    assert_eq!(browser.decrypt(&received[1])["title"], "Approval requested");
    let (_, subscriptions) = send(karim.get(app.api("/push/subscriptions"))).await;
    assert_eq!(subscriptions[0]["failures"], 0, "a success resets the failure count: {subscriptions}");
}

/// Checks that a user lists and deletes only their own subscriptions, so another user's endpoint
/// reads as missing. The public key requires a login.
async fn push_subscriptions_are_private(backend: Backend) {
    let app = TestApp::spawn_with(backend, loopback_settings()).await;
    let service = PushService::start(&[]).await;
    let (_, _, rina, karim) = approval_team(&app).await;
    let browser = Browser::new(&service);
    let saved = subscribe(&app, &karim, &browser).await;
    assert_eq!(saved["endpoint"], browser.endpoint.as_str());

    let (status, others) = send(rina.get(app.api("/push/subscriptions"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(others, json!([]), "another user's subscription is listed");
    let (status, body) =
        send(rina.delete(app.api("/push/subscriptions")).json(&json!({"endpoint": browser.endpoint}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another user's subscription was deleted: {body}");
    assert_eq!(body["error"]["code"], "not_found");
    let (_, own) = send(karim.get(app.api("/push/subscriptions"))).await;
    assert_eq!(own.as_array().map(Vec::len), Some(1), "{own}");

    let (status, _) =
        send(karim.delete(app.api("/push/subscriptions")).json(&json!({"endpoint": browser.endpoint}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, own) = send(karim.get(app.api("/push/subscriptions"))).await;
    assert_eq!(own, json!([]));

    let (status, _) = send(Client::new().get(app.api("/push/public-key"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Checks that without the test setting, loopback and private endpoints and plain http are
/// rejected in the caller's language, and so are keys that are not a P-256 point and a 16-byte
/// secret.
async fn push_endpoint_rules_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.create_user("sv.karim", "supervisor", AGENCY_A, "bn").await;
    let karim = app.login("sv.karim", PASSWORD).await;
    let service = PushService::start(&[]).await;
    let browser = Browser::new(&service);

    for endpoint in [
        browser.endpoint.clone(),
        "https://127.0.0.1/push/1".to_owned(),
        "https://10.0.0.8/push/1".to_owned(),
        "http://push.example.net/push/1".to_owned(),
    ] {
        let mut subscription = browser.subscription();
        subscription["endpoint"] = json!(endpoint);
        let (status, body) = send(karim.post(app.api("/push/subscriptions")).json(&subscription)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} was accepted: {body}");
        assert_eq!(body["error"]["code"], "push_endpoint_not_allowed");
        assert!(body["error"]["message"].as_str().unwrap().contains("পুশ"), "not in Bangla: {body}");
    }

    let mut bad_keys = browser.subscription();
    bad_keys["endpoint"] = json!("https://push.example.net/push/1");
    bad_keys["keys"]["auth"] = json!(URL_SAFE_NO_PAD.encode([7u8; 15]));
    let (status, body) = send(karim.post(app.api("/push/subscriptions")).json(&bad_keys)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "push_keys_invalid");
    bad_keys["keys"]["auth"] = json!(URL_SAFE_NO_PAD.encode([7u8; 16]));
    bad_keys["keys"]["p256dh"] = json!(URL_SAFE_NO_PAD.encode([4u8; 65]));
    let (status, body) = send(karim.post(app.api("/push/subscriptions")).json(&bad_keys)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "push_keys_invalid");

    let mut public = browser.subscription();
    public["endpoint"] = json!("https://push.example.net/push/1");
    let (status, body) = send(karim.post(app.api("/push/subscriptions")).json(&public)).await;
    assert_eq!(status, StatusCode::CREATED, "a public https endpoint was rejected: {body}");
}

/// Checks that two workers claiming at once queue each notification once per subscription and
/// take each delivery once. The server's own worker is off, so only these two claim.
async fn push_claims_each_notification_once(backend: Backend) {
    let mut settings = loopback_settings();
    settings.push.enabled = false;
    let app = TestApp::spawn_with(backend, settings).await;
    let (_, boss, rina, _) = approval_team(&app).await;
    for index in 0..2 {
        let subscription = NewPushSubscription {
            endpoint: PushEndpoint::new(format!("https://push.example.net/push/{index}")),
            p256dh: String::new(),
            auth: String::new(),
        };
        app.state.store.save_push_subscription(boss, &subscription, app.state.now()).await.unwrap();
    }
    for name in ["Sayra", "Rahim", "Amina", "Karim", "Jamal", "Rupa"] {
        request_assessment_approval(&app, &rina, name).await;
    }

    let now = app.state.now();
    let claim = |store: Arc<dyn sathi_store::Store>| async move {
        let mut queued = 0;
        loop {
            let (count, full) =
                store.claim_push_notifications(now, now - time::Duration::days(1), 2).await.unwrap();
            queued += count;
            if !full {
                return queued;
            }
        }
    };
    let (first, second) = tokio::join!(claim(app.state.store.clone()), claim(app.state.store.clone()));
    assert_eq!(first + second, 12, "6 notifications to 2 subscriptions make 12 deliveries");
    let backlog = app.state.store.push_backlog().await.unwrap();
    assert_eq!(backlog, PushBacklog { unclaimed: 0, deliveries: 12 });

    let take = |store: Arc<dyn sathi_store::Store>| async move {
        let mut taken = Vec::new();
        loop {
            let batch = store.claim_push_deliveries(now, now + time::Duration::minutes(2), 5).await.unwrap();
            if batch.is_empty() {
                return taken;
            }
            taken.extend(
                batch.into_iter().map(|delivery| (delivery.notification.id, delivery.subscription.id)),
            );
        }
    };
    let (first, second) = tokio::join!(take(app.state.store.clone()), take(app.state.store.clone()));
    let all: Vec<_> = first.into_iter().chain(second).collect();
    let distinct: HashSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), 12, "deliveries taken: {all:?}");
    assert_eq!(distinct.len(), 12, "a delivery was taken twice: {all:?}");
}

/// Creates a caseworker and their supervisor in one group, and returns their ids and logged-in
/// clients.
async fn approval_team(
    app: &TestApp,
) -> (sathi_domain::ids::UserId, sathi_domain::ids::UserId, Client, Client) {
    let worker = app.create_user("cw.rina", "caseworker", AGENCY_A, "en").await;
    let boss = app.create_user("sv.karim", "supervisor", AGENCY_A, "en").await;
    let group = app.state.store.create_group("Ukhia team", AGENCY_A).await.unwrap();
    app.state.store.add_group_member(group, worker.id).await.unwrap();
    app.state.store.add_group_member(group, boss.id).await.unwrap();
    (worker.id, boss.id, app.login("cw.rina", PASSWORD).await, app.login("sv.karim", PASSWORD).await)
}

async fn request_assessment_approval(app: &TestApp, client: &Client, name: &str) {
    let (case_id, _) = consenting_case(app, client, name).await;
    let (status, body) = send(
        client.post(app.api(&format!("/cases/{case_id}/approvals"))).json(&json!({"kind": "assessment"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "the approval request failed: {body}");
}
