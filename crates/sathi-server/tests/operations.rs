//! Operations endpoints: health, the OpenAPI document against the routes actually served,
//! Prometheus metrics, and which forwarded headers are believed.

mod common;

use std::collections::BTreeSet;
use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue};
use common::{Backend, TestApp, backend_tests, send};
use reqwest::{Client, Method, StatusCode};
use sathi_server::resolve_client;
use sathi_server::state::Settings;
use serde_json::Value;

backend_tests!(health_openapi_and_metrics);

/// Every API path with its methods, as clients and the docs rely on them.
const ROUTES: [(&str, &[&str]); 77] = [
    ("/health", &["get"]),
    ("/config", &["get"]),
    ("/config/export", &["get"]),
    ("/config/import", &["post"]),
    ("/config/locations/export", &["get"]),
    ("/config/locations/import", &["post"]),
    ("/auth/login", &["post"]),
    ("/auth/logout", &["post"]),
    ("/me", &["get", "patch"]),
    ("/cases", &["get", "post"]),
    ("/cases/{id}", &["get", "patch"]),
    ("/cases/{id}/changes", &["get"]),
    ("/cases/{id}/pdf", &["get"]),
    ("/caseload", &["get"]),
    ("/cases/{id}/close", &["post"]),
    ("/cases/{id}/reopen", &["post"]),
    ("/cases/{id}/disable", &["post"]),
    ("/cases/{id}/enable", &["post"]),
    ("/cases/{id}/reassign", &["post"]),
    ("/sync", &["post"]),
    ("/sync/records", &["post"]),
    ("/conflicts", &["get"]),
    ("/cases/{id}/conflicts/{conflict_id}/resolve", &["post"]),
    ("/sync/quarantine", &["get"]),
    ("/sync/quarantine/{id}/apply", &["post"]),
    ("/sync/quarantine/{id}/discard", &["post"]),
    ("/users", &["get", "post"]),
    ("/users/assignable", &["get"]),
    ("/users/{id}/disable", &["post"]),
    ("/users/{id}/enable", &["post"]),
    ("/cases/{id}/approvals", &["get", "post"]),
    ("/approvals", &["get"]),
    ("/approvals/{id}/approve", &["post"]),
    ("/approvals/{id}/reject", &["post"]),
    ("/approvals/{id}/withdraw", &["post"]),
    ("/cases/{id}/flags", &["post"]),
    ("/flags/{id}/remove", &["post"]),
    ("/tasks", &["get"]),
    ("/dashboard", &["get"]),
    ("/dashboard/panels/{panel_id}", &["get"]),
    ("/reports/pivot", &["post"]),
    ("/reports/pivot/export", &["post"]),
    ("/reports/monthly", &["get"]),
    ("/reports/monthly/export", &["get"]),
    ("/exports", &["get", "post"]),
    ("/exports/{id}", &["get"]),
    ("/exports/{id}/download", &["get"]),
    ("/imports", &["get", "post"]),
    ("/imports/{id}", &["get"]),
    ("/imports/{id}/dry-run", &["post"]),
    ("/imports/{id}/run", &["post"]),
    ("/imports/{id}/rows", &["get"]),
    ("/imports/{id}/report", &["get"]),
    ("/import-mappings", &["get", "post"]),
    ("/import-mappings/{id}", &["delete"]),
    ("/import-owners", &["get"]),
    ("/notifications", &["get"]),
    ("/notifications/read", &["post"]),
    ("/push/public-key", &["get"]),
    ("/push/subscriptions", &["get", "post", "delete"]),
    ("/attachments", &["post"]),
    ("/attachments/{id}", &["get", "patch"]),
    ("/attachments/{id}/content", &["get"]),
    ("/referral-recipients", &["get"]),
    ("/cases/{id}/referrals", &["get", "post"]),
    ("/referrals", &["get"]),
    ("/referrals/{id}/accept", &["post"]),
    ("/referrals/{id}/reject", &["post"]),
    ("/referrals/{id}/done", &["post"]),
    ("/referrals/{id}/revoke", &["post"]),
    ("/referrals/{id}/end", &["post"]),
    ("/cases/{id}/transfers", &["get", "post"]),
    ("/cases/{id}/transfer-requests", &["post"]),
    ("/transfers", &["get"]),
    ("/transfers/{id}/accept", &["post"]),
    ("/transfers/{id}/reject", &["post"]),
    ("/transfers/{id}/revoke", &["post"]),
];

/// Returns the `(path, method)` pairs of an OpenAPI document's `paths` object.
fn operations(paths: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in paths.as_object().expect("paths is an object") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                found.insert((path.clone(), method.to_owned()));
            }
        }
    }
    found
}

/// Checks that health names the backend, that the served OpenAPI document lists exactly the
/// routes the server handles, and that metrics count the requests.
async fn health_openapi_and_metrics(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = Client::new();

    let (status, health) = send(client.get(app.api("/health"))).await;
    assert_eq!(status, StatusCode::OK, "health check failed: {health}");
    assert_eq!(health["status"], "ok", "health reports a problem: {health}");
    let expected_database = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(health["database"], expected_database, "health names the wrong database backend");

    let (status, document) = send(client.get(app.api("/openapi.json"))).await;
    assert_eq!(status, StatusCode::OK, "the OpenAPI document is not served");
    let served = operations(&document["paths"]);
    let (_, registered) = sathi_server::api();
    let registered = operations(&serde_json::to_value(&registered.paths).expect("the paths serialise"));
    assert_eq!(
        served, registered,
        "the served OpenAPI document differs from the routes in sathi_server::api()"
    );
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(path, methods)| methods.iter().map(|method| ((*path).to_owned(), (*method).to_owned())))
        .collect();
    assert_eq!(served, expected, "the API's routes changed; update ROUTES and the clients");

    // Every documented operation is routed: without a session it gets anything but 404 or 405.
    for (path, method) in &served {
        let url = app.api(&path.replace("{id}", &uuid::Uuid::now_v7().to_string()));
        let method =
            Method::from_bytes(method.to_uppercase().as_bytes()).expect("OpenAPI methods are HTTP methods");
        let response = client.request(method.clone(), &url).send().await.expect("the request failed");
        let status = response.status();
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but not routed: {status}"
        );
    }

    let metrics =
        client.get(format!("{}/metrics", app.address)).send().await.expect("the metrics request failed");
    assert_eq!(metrics.status(), StatusCode::OK, "metrics are not served");
    let text = metrics.text().await.expect("the metrics have a body");
    assert!(text.contains("sathi_http_requests_total"), "the request counter is missing from /metrics");
    assert!(
        text.contains("route=\"/api/v1/health\""),
        "the health requests are not counted by route: {text}"
    );
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test addresses are valid")
}

fn forwarded(for_header: Option<&str>, proto: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(value) = for_header {
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).expect("a valid header value"));
    }
    if let Some(value) = proto {
        headers.insert("x-forwarded-proto", HeaderValue::from_str(value).expect("a valid header value"));
    }
    headers
}

#[test]
fn forwarded_headers_ignored_from_untrusted_peer() {
    let settings = Settings { trusted_proxies: vec![ip("127.0.0.2")], tls: false, ..Settings::default() };
    let headers = forwarded(Some("127.0.0.9"), Some("https"));
    let client = resolve_client(Some(ip("127.0.0.5")), &headers, &settings);
    assert_eq!(client.ip, Some(ip("127.0.0.5")), "X-Forwarded-For from an untrusted peer was believed");
    assert!(!client.https, "X-Forwarded-Proto from an untrusted peer was believed");
}

#[test]
fn forwarded_headers_believed_from_trusted_proxy() {
    let settings =
        Settings { trusted_proxies: vec![ip("127.0.0.2"), ip("::1")], tls: false, ..Settings::default() };
    // The client may send its own X-Forwarded-For; the proxy appends the address it saw.
    let headers = forwarded(Some("127.0.0.66, 127.0.0.7"), Some("https"));
    let client = resolve_client(Some(ip("127.0.0.2")), &headers, &settings);
    assert_eq!(client.ip, Some(ip("127.0.0.7")), "the address the proxy appended was not used");
    assert!(client.https, "X-Forwarded-Proto https from a trusted proxy was ignored");

    let over_ipv6 = resolve_client(Some(ip("::1")), &forwarded(Some("127.0.0.8"), None), &settings);
    assert_eq!(over_ipv6.ip, Some(ip("127.0.0.8")), "a trusted IPv6 proxy's header was ignored");
    assert!(!over_ipv6.https, "a request without X-Forwarded-Proto counted as HTTPS");
}

#[test]
fn chained_trusted_proxies_skipped() {
    let settings = Settings {
        trusted_proxies: vec![ip("127.0.0.2"), ip("127.0.0.3")],
        tls: false,
        ..Settings::default()
    };
    // The client 127.0.0.7 reached proxy 127.0.0.3, which forwarded to proxy 127.0.0.2.
    let headers = forwarded(Some("127.0.0.66, 127.0.0.7, 127.0.0.3"), None);
    let client = resolve_client(Some(ip("127.0.0.2")), &headers, &settings);
    assert_eq!(client.ip, Some(ip("127.0.0.7")), "the client behind two trusted proxies was not found");
}

#[test]
fn invalid_forwarded_address_falls_back_to_peer() {
    let settings = Settings { trusted_proxies: vec![ip("127.0.0.2")], tls: false, ..Settings::default() };
    let client = resolve_client(Some(ip("127.0.0.2")), &forwarded(Some("unknown"), Some("http")), &settings);
    assert_eq!(client.ip, Some(ip("127.0.0.2")), "an unparsable X-Forwarded-For replaced the peer address");
    assert!(!client.https, "X-Forwarded-Proto http counted as HTTPS");

    let without_header = resolve_client(Some(ip("127.0.0.2")), &HeaderMap::new(), &settings);
    assert_eq!(
        without_header.ip,
        Some(ip("127.0.0.2")),
        "a proxy request without X-Forwarded-For lost the peer"
    );
}

#[test]
fn own_tls_always_counts_as_https() {
    let settings = Settings { trusted_proxies: Vec::new(), tls: true, ..Settings::default() };
    let client = resolve_client(Some(ip("127.0.0.5")), &forwarded(None, Some("http")), &settings);
    assert!(client.https, "a server serving TLS itself reported a plain HTTP request");
    let unknown_peer = resolve_client(None, &forwarded(Some("127.0.0.9"), None), &settings);
    assert_eq!(unknown_peer.ip, None, "X-Forwarded-For was believed without a known peer");
}

backend_tests!(api_responses_are_not_cached);

/// Case data must never reach the browser's disk cache, which is not encrypted.
async fn api_responses_are_not_cached(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/health", "/cases", "/no-such-endpoint"] {
        let response = Client::new().get(app.api(path)).send().await.expect("the request reached the server");
        let cache = response.headers().get("cache-control").and_then(|value| value.to_str().ok());
        assert_eq!(cache, Some("no-store"), "GET /api/v1{path} may be cached");
    }
}
