//! Sathi's HTTP server: the JSON API under `/api/v1`, its OpenAPI document, health and
//! Prometheus metrics, served over HTTP or HTTPS with graceful shutdown.
//!
//! Request flow, outermost layer first:
//! 1. response headers: content security, framing, referrer and `no-store` caching;
//! 2. `client_info`, the address and scheme the request really came from;
//! 3. the tracing span, named by route template only;
//! 4. `localize_errors`, which renders any [`error::ApiError`] in the caller's language;
//! 5. the body size limit, inside `localize_errors` so that its `413` gets a rendered body too;
//! 6. `record_metrics`;
//! 7. the handler, whose [`auth::Caller`] extractor authenticates the session and builds the
//!    principal that every store call is scoped by.

pub mod approvals;
pub mod attachments;
pub mod auth;
pub mod case_pdf;
pub mod cases;
pub mod config_files;
pub mod conflicts;
pub mod coordination;
pub mod dashboard;
pub mod default_config;
pub mod error;
pub mod exports;
pub mod flags;
pub mod imports;
pub mod notifications;
pub mod ops;
pub mod push;
pub mod referrals;
pub mod reports;
pub mod retention;
pub mod state;
pub mod sync;
pub mod tasks;
pub mod transfers;
pub mod users;
pub mod web;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sathi_domain::config::Configuration;
use sathi_domain::i18n::Messages;
use sathi_store::Store;
use time::OffsetDateTime;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::RequestLocale;
use crate::error::ApiError;
use crate::state::{AppState, LoadedConfiguration, Settings};

/// Largest request body accepted, in bytes. Case writes are a few kilobytes; attachments
/// travel separately. [`LARGE_BODY_ROUTES`] take more.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Routes whose request body is a whole file, with their own limit in bytes: method and path.
pub const LARGE_BODY_ROUTES: [(&str, &str, usize); 1] =
    [("POST", "/api/v1/imports", imports::MAX_FILE_BYTES)];

/// Returns the body limit of a request to `path` with `method`.
pub fn body_limit(method: &axum::http::Method, path: &str) -> usize {
    LARGE_BODY_ROUTES
        .iter()
        .find(|(route_method, route_path, _)| method.as_str() == *route_method && path == *route_path)
        .map_or(MAX_BODY_BYTES, |(_, _, limit)| *limit)
}

/// Returns the 413 error of a request to `path` with `method` whose body is over its limit.
fn payload_too_large_for(method: &axum::http::Method, path: &str) -> ApiError {
    if method == axum::http::Method::POST && path == "/api/v1/imports" {
        return imports::file_too_large();
    }
    ApiError::payload_too_large_of(body_limit(method, path))
}

/// Everything the client loads comes from this server; nothing from another host, and no page
/// may frame it.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; \
     font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
     base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

#[derive(OpenApi)]
#[openapi(
    info(title = "Sathi API", description = "Child protection case management. All dates are `YYYY-MM-DD` \
        calendar dates; instants are RFC 3339. Errors carry a stable `code` and a `message` in the caller's \
        language."),
    tags(
        (name = "auth", description = "Login, logout and the current user"),
        (name = "cases", description = "Case records, always within the caller's permission scope"),
        (name = "attachments", description = "Photos, audio, documents and signatures, uploaded in resumable chunks"),
        (name = "sync", description = "The offline client's sync exchange, field conflicts and held mutations of deactivated users"),
        (name = "referrals", description = "Referrals of cases for services, transfers of ownership and transfer requests"),
        (name = "approvals", description = "Approval of a case's assessment, case plan and closure"),
        (name = "tasks", description = "What is due and what waits on the caller"),
        (name = "dashboard", description = "Figures of the caller's work, each with the list it counts"),
        (name = "exports", description = "Case exports as CSV, XLSX and JSON files that belong to the user who asked for them and expire"),
        (name = "reports", description = "Pivot tables and the monthly coordination report, with small counts suppressed when shared, and their XLSX and CSV exports"),
        (name = "imports", description = "Case imports from CSV, XLSX and the incumbent system's JSON exports: upload, dry run, run, row outcomes and reports, and saved mappings"),
        (name = "notifications", description = "In-app notifications in the reader's language"),
        (name = "users", description = "User administration"),
        (name = "configuration", description = "Forms, lookups, locations, roles and agencies"),
        (name = "operations", description = "Health and monitoring")
    )
)]
struct ApiDoc;

/// Builds the router and the OpenAPI document from the same handler list.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(ops::health))
        .routes(routes!(ops::configuration))
        .routes(routes!(config_files::export_configuration))
        .routes(routes!(config_files::import_configuration))
        .routes(routes!(config_files::export_locations))
        .routes(routes!(config_files::import_locations))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me, auth::update_me))
        .routes(routes!(cases::list_cases, cases::create_case))
        .routes(routes!(cases::get_case, cases::update_case))
        .routes(routes!(cases::case_changes))
        .routes(routes!(case_pdf::case_pdf))
        .routes(routes!(cases::caseload))
        .routes(routes!(cases::close_case))
        .routes(routes!(cases::reopen_case))
        .routes(routes!(cases::disable_case))
        .routes(routes!(cases::enable_case))
        .routes(routes!(cases::reassign_case))
        .routes(routes!(sync::sync))
        .routes(routes!(sync::records))
        .routes(routes!(conflicts::list_conflicts))
        .routes(routes!(conflicts::resolve_conflict))
        .routes(routes!(conflicts::list_quarantine))
        .routes(routes!(conflicts::apply_quarantined))
        .routes(routes!(conflicts::discard_quarantined))
        .routes(routes!(attachments::register_attachment))
        .routes(routes!(attachments::get_attachment, attachments::append_attachment))
        .routes(routes!(attachments::attachment_content))
        .routes(routes!(referrals::referral_recipients))
        .routes(routes!(referrals::case_referrals, referrals::create_referral))
        .routes(routes!(referrals::list_referrals))
        .routes(routes!(referrals::accept_referral))
        .routes(routes!(referrals::reject_referral))
        .routes(routes!(referrals::done_referral))
        .routes(routes!(referrals::revoke_referral))
        .routes(routes!(referrals::end_referral))
        .routes(routes!(transfers::case_transfers, transfers::create_transfer))
        .routes(routes!(transfers::create_transfer_request))
        .routes(routes!(transfers::list_transfers))
        .routes(routes!(transfers::accept_transfer))
        .routes(routes!(transfers::reject_transfer))
        .routes(routes!(transfers::revoke_transfer))
        .routes(routes!(approvals::request_approval, approvals::case_approvals))
        .routes(routes!(approvals::list_approvals))
        .routes(routes!(approvals::approve))
        .routes(routes!(approvals::reject))
        .routes(routes!(approvals::withdraw))
        .routes(routes!(flags::add_flag))
        .routes(routes!(flags::remove_flag))
        .routes(routes!(tasks::list_tasks))
        .routes(routes!(dashboard::dashboard))
        .routes(routes!(coordination::panel_table))
        .routes(routes!(reports::pivot))
        .routes(routes!(reports::export_pivot))
        .routes(routes!(reports::monthly))
        .routes(routes!(reports::export_monthly))
        .routes(routes!(imports::list_imports, imports::upload))
        .routes(routes!(imports::get_import))
        .routes(routes!(imports::dry_run))
        .routes(routes!(imports::run))
        .routes(routes!(imports::rows))
        .routes(routes!(imports::download_report))
        .routes(routes!(imports::list_mappings, imports::save_mapping))
        .routes(routes!(imports::delete_mapping))
        .routes(routes!(imports::list_owners))
        .routes(routes!(exports::list_exports, exports::create_export))
        .routes(routes!(exports::get_export))
        .routes(routes!(exports::download_export))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(push::public_key))
        .routes(routes!(push::list_subscriptions, push::subscribe, push::unsubscribe))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::assignable_users))
        .routes(routes!(users::disable_user))
        .routes(routes!(users::enable_user))
        .split_for_parts()
}

/// Returns the OpenAPI document as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = api();
    document.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    document
}

/// Builds the whole application for `state`.
pub fn app(state: AppState) -> Router {
    let (api_router, _) = api();
    let document = openapi_document();
    let metrics = metrics_handle();
    let api_router = api_router
        .route("/openapi.json", axum::routing::get(move || async move { axum::Json(document) }))
        .fallback(|| async { ApiError::not_found() })
        // Phones sync over slow links: responses are gzipped when the client accepts it, and
        // request bodies may arrive gzipped. The outer body limit counts compressed bytes; the
        // JSON extractor's own 2 MB limit counts them decompressed. Not zstd: in the sync
        // benchmark (docs/benchmarks.md) a first sync was 95 KiB with zstd and 94 KiB with gzip,
        // so a second encoding would only add a code path that older phone browsers lack.
        .layer(RequestDecompressionLayer::new().gzip(true))
        .layer(CompressionLayer::new().gzip(true));

    Router::new()
        .nest("/api/v1", api_router)
        .route("/metrics", axum::routing::get(move || async move { metrics.render() }))
        .fallback(web::serve_asset)
        .layer(middleware::from_fn(record_metrics))
        .layer(middleware::from_fn(limit_request_body))
        .layer(middleware::from_fn_with_state(state.clone(), localize_errors))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // The route template only: query strings can hold a child's name.
            let route =
                request.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("unmatched");
            tracing::info_span!("request", method = %request.method(), route, user_id = tracing::field::Empty)
        }))
        .layer(middleware::from_fn_with_state(state.clone(), client_info))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Case data must not land in the browser's disk cache in the clear, because the client
        // keeps it only in its encrypted vault. The client's own files set their caching in web.rs.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// Installs the process-wide Prometheus recorder once and returns its handle.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
                .expect("bucket list is not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}

/// Rejects a request whose `Content-Length` is over the route's [`body_limit`], and stops reading
/// a body without one at the limit, as `tower_http`'s `RequestBodyLimitLayer` does with one
/// limit for every route.
async fn limit_request_body(request: Request, next: Next) -> Response {
    let limit = body_limit(request.method(), request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned());
    let response = next.run(request).await;
    let route = route.unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16().to_string();
    metrics::counter!("sathi_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("sathi_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The client address and scheme of a request, from forwarded headers of trusted proxies only.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub https: bool,
}

async fn client_info(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let info = resolve_client(peer, request.headers(), &state.settings);
    request.extensions_mut().insert(info);
    next.run(request).await
}

/// Applies `X-Forwarded-For` and `X-Forwarded-Proto` only when the direct peer is a configured
/// proxy; anyone else could write those headers.
pub fn resolve_client(peer: Option<IpAddr>, headers: &HeaderMap, settings: &Settings) -> ClientInfo {
    let trusted = peer.is_some_and(|peer| settings.trusted_proxies.contains(&peer));
    if !trusted {
        return ClientInfo { ip: peer, https: settings.tls };
    }
    // Each proxy appends the address it received from, so walk back from the last entry past
    // every trusted proxy. The first other address is the client; entries further left were
    // written by the client itself and are never believed.
    let mut forwarded_ip = None;
    if let Some(value) = headers.get("x-forwarded-for").and_then(|value| value.to_str().ok()) {
        for hop in value.split(',').rev() {
            let Ok(address) = hop.trim().parse::<IpAddr>() else { break };
            forwarded_ip = Some(address);
            if !settings.trusted_proxies.contains(&address) {
                break;
            }
        }
    }
    let https = headers.get("x-forwarded-proto").and_then(|value| value.to_str().ok()) == Some("https");
    ClientInfo { ip: forwarded_ip.or(peer), https: https || settings.tls }
}

/// Renders errors in the caller's language: the user's own once authenticated, otherwise the
/// best match of `Accept-Language`, otherwise the deployment's default.
async fn localize_errors(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let locale = RequestLocale::default();
    request.extensions_mut().insert(locale.clone());
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let headers = request.headers().clone();
    let too_large = payload_too_large_for(request.method(), request.uri().path());
    let response = next.run(request).await;
    let error = match response.extensions().get::<ApiError>() {
        Some(error) => error.clone(),
        // The body limit returns plain text before any handler runs, so before the session
        // set the user's locale.
        None if response.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            if let Some(user_locale) = auth::session_locale(&state, &headers).await {
                let _ = locale.0.set(user_locale);
            }
            too_large
        }
        None => return response,
    };
    let chosen = locale.0.get().cloned().unwrap_or_else(|| negotiate(&state, accept_language.as_ref()));
    let body = error.render_with(&state.messages, &chosen, Some(&state.configuration().config));
    let mut rendered = (error.status, axum::Json(body)).into_response();
    rendered
        .headers_mut()
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_str(&chosen).expect("locale codes are ASCII"));
    rendered
}

fn negotiate(state: &AppState, accept_language: Option<&HeaderValue>) -> String {
    let configured = state.configuration().config.deployment.locales.clone();
    let requested = accept_language.and_then(|value| value.to_str().ok()).unwrap_or("");
    requested
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(|tag| tag.trim().split('-').next().unwrap_or("").to_lowercase())
        .find(|tag| configured.contains(tag) && state.messages.has_locale(tag))
        .unwrap_or_else(|| configured.first().cloned().unwrap_or_else(|| "en".to_owned()))
}

/// Loads the configuration in force, storing the embedded default at first start.
pub async fn load_configuration(store: &Arc<dyn Store>) -> anyhow::Result<LoadedConfiguration> {
    if let Some(stored) = store.current_configuration().await? {
        let config: Configuration =
            serde_json::from_value(stored.document).context("the stored configuration does not parse")?;
        return Ok(LoadedConfiguration { version: stored.version, config });
    }
    let config = default_config::configuration();
    let document = serde_json::to_value(&config)?;
    let version = store
        .save_configuration(&document, &config.deployment.config_version, None, OffsetDateTime::now_utc())
        .await?;
    tracing::info!(version, "stored the default configuration");
    Ok(LoadedConfiguration { version, config })
}

/// Builds the shared state over an open store, and gives the store the workflow rules of the
/// configuration, which rebuilds every case's due items when the rules changed.
pub async fn state(store: Arc<dyn Store>, settings: Settings) -> anyhow::Result<AppState> {
    let loaded = load_configuration(&store).await?;
    let rebuilt = store
        .set_workflow_rules(&loaded.config.deployment.workflow)
        .await
        .context("failed to store the workflow rules")?;
    if rebuilt > 0 {
        tracing::info!(cases = rebuilt, "rebuilt due items for changed workflow rules");
    }
    Ok(AppState {
        store,
        configuration: Arc::new(RwLock::new(Arc::new(loaded))),
        messages: Arc::new(Messages::load()),
        settings: Arc::new(settings),
    })
}

/// TLS certificate and key files in PEM form.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: std::net::TcpListener,
    state: AppState,
    tls: Option<TlsFiles>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let _retention = retention::spawn(state.clone());
    let _push = push::spawn(state.clone());
    let _snapshots = coordination::spawn(state.clone());
    let _exports = exports::spawn(state.clone());
    let _config_reload = config_files::spawn_reload(state.clone());
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    listener.set_nonblocking(true)?;
    match tls {
        None => {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
        }
        Some(files) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                .await
                .with_context(|| {
                    format!("cannot load TLS files {} and {}", files.cert.display(), files.key.display())
                })?;
            let handle = axum_server::Handle::new();
            let waiter = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                waiter.graceful_shutdown(Some(Duration::from_secs(20)));
            });
            axum_server::from_tcp_rustls(listener, config)?.handle(handle).serve(app).await?;
        }
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
