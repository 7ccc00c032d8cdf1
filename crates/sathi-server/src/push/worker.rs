//! The push worker: every [`PushSettings::poll_interval`] it claims new notifications, takes
//! the deliveries that are due, and sends them, several at once.
//!
//! Outcomes: a 2xx response deletes the delivery, and 404 or 410 deletes the subscription because
//! the browser unsubscribed. 408, 429, 5xx and network errors are retried with exponential
//! backoff until the message's one-day TTL or [`MAX_ATTEMPTS`] runs out. Other responses (400,
//! 403, 413...) are counted on the subscription and not retried. Logs name the subscription and notification
//! ids, never the endpoint URL.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use sathi_store::{DeliveryOutcome, PushDelivery};
use serde::Serialize;
use time::OffsetDateTime;
use web_push_native::{Auth, WebPushBuilder};

use super::endpoint::{PublicResolver, check_endpoint};
use super::{PushSettings, VapidKey};
use crate::state::AppState;

/// How long a push service keeps a message for a phone that is offline (the `TTL` header).
/// A notification older than this is not pushed at all.
pub const MESSAGE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the VAPID signature is valid. RFC 8292 allows at most 24 hours, and some
/// services reject a signature that expires close to that limit.
const SIGNATURE_VALIDITY: Duration = Duration::from_secs(12 * 60 * 60);

/// How long a taken delivery stays with the worker that took it. If that worker dies before
/// reporting, another one sends it again after this.
const LEASE: Duration = Duration::from_secs(120);

/// Maximum wait between two attempts of one delivery.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60 * 60);

/// Attempts of one delivery before it is dropped.
pub const MAX_ATTEMPTS: i64 = 8;

/// Notifications claimed, and deliveries taken, per step.
const BATCH: i64 = 50;

/// Time allowed for one request to a push service.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The URL a tap on the phone's notification opens: the app's notifications screen, which
/// works offline and leads on to the case, referral or approval.
const OPEN_URL: &str = "/#/notifications";

/// The decrypted payload that the service worker shows.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    title: &'a str,
    body: &'a str,
    url: &'a str,
}

/// Handle of the running worker. Dropping it stops the worker.
pub struct PushJob(tokio::task::JoinHandle<()>);

impl Drop for PushJob {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the worker on the current Tokio runtime, unless web push is turned off.
pub fn spawn(state: AppState) -> Option<PushJob> {
    if !state.settings.push.enabled {
        return None;
    }
    Some(PushJob(tokio::spawn(async move {
        let client = match http_client(&state.settings.push) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "failed to build the web push HTTP client, so web push is off");
                return;
            }
        };
        let mut key = None;
        let mut ticks = tokio::time::interval(state.settings.push.poll_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tracing::info!("web push worker started");
        loop {
            ticks.tick().await;
            if key.is_none() {
                match VapidKey::load(state.store.as_ref()).await {
                    Ok(loaded) => key = Some(Arc::new(loaded)),
                    Err(error) => {
                        tracing::warn!(error = %format!("{error:#}"), "failed to load the VAPID key, retrying at the next interval");
                        continue;
                    }
                }
            }
            let key = key.clone().expect("the key was loaded above");
            if let Err(error) = deliver_once(&state, &client, &key).await {
                tracing::warn!(%error, "web push step failed, retrying at the next interval");
            }
        }
    })))
}

/// Builds the client for push services: no proxy and no redirects, and a resolver that refuses
/// private addresses, so an endpoint cannot aim the server at the internal network.
pub fn http_client(settings: &PushSettings) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .https_only(!settings.allow_loopback_http)
        .dns_resolver(Arc::new(PublicResolver { allow_loopback: settings.allow_loopback_http }))
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("sathi/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Runs one step: claims new notifications, then sends every due delivery and records the
/// outcomes. Returns the number of deliveries attempted.
pub async fn deliver_once(
    state: &AppState,
    client: &reqwest::Client,
    key: &Arc<VapidKey>,
) -> anyhow::Result<usize> {
    let now = state.now();
    let oldest = now - MESSAGE_TTL;
    loop {
        let (_queued, full) = state.store.claim_push_notifications(now, oldest, BATCH).await?;
        if !full {
            break;
        }
    }

    let mut attempted = 0;
    loop {
        let deliveries = state.store.claim_push_deliveries(now, now + LEASE, BATCH).await?;
        if deliveries.is_empty() {
            return Ok(attempted);
        }
        attempted += deliveries.len();
        let mut sends = tokio::task::JoinSet::new();
        for delivery in deliveries {
            let state = state.clone();
            let client = client.clone();
            let key = key.clone();
            sends.spawn(async move {
                let outcome = send(&state, &client, &key, &delivery).await;
                record(&state, &delivery, outcome).await;
            });
        }
        while sends.join_next().await.is_some() {}
    }
}

/// Sends one delivery and classifies the response.
async fn send(
    state: &AppState,
    client: &reqwest::Client,
    key: &VapidKey,
    delivery: &PushDelivery,
) -> DeliveryOutcome {
    let settings = &state.settings.push;
    let request = match build_request(state, key, delivery) {
        Ok(request) => request,
        Err(error) => {
            tracing::warn!(subscription_id = %delivery.subscription.id, %error, "failed to build the push message, dropping it");
            return DeliveryOutcome::Failed { error: "invalid subscription".to_owned(), retry_at: None };
        }
    };
    match client.execute(request).await {
        Ok(response) if response.status().is_success() => DeliveryOutcome::Delivered,
        Ok(response) if matches!(response.status(), StatusCode::NOT_FOUND | StatusCode::GONE) => {
            DeliveryOutcome::Gone
        }
        Ok(response) => {
            let status = response.status();
            let retryable = status == StatusCode::REQUEST_TIMEOUT
                || status == StatusCode::TOO_MANY_REQUESTS
                || status.is_server_error();
            let requested = retry_after(response.headers());
            let retry_at =
                if retryable { retry_time(state.now(), settings, delivery, requested) } else { None };
            DeliveryOutcome::Failed { error: format!("HTTP {}", status.as_u16()), retry_at }
        }
        Err(error) => {
            let described = describe(&error);
            DeliveryOutcome::Failed {
                error: described,
                retry_at: retry_time(state.now(), settings, delivery, None),
            }
        }
    }
}

/// Builds the encrypted, signed request with the payload in the recipient's language.
fn build_request(
    state: &AppState,
    key: &VapidKey,
    delivery: &PushDelivery,
) -> anyhow::Result<reqwest::Request> {
    let settings = &state.settings.push;
    let subscription = &delivery.subscription;
    let url = check_endpoint(subscription.endpoint.expose(), settings.allow_loopback_http)?;
    let p256dh = base64_url(&subscription.p256dh)?;
    let auth: [u8; 16] = base64_url(&subscription.auth)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("the stored auth secret is not 16 bytes"))?;
    let browser_key = web_push_native::p256::PublicKey::from_sec1_bytes(&p256dh)
        .map_err(|_| anyhow::anyhow!("the stored p256dh key is not a P-256 point"))?;

    let (title, body) =
        crate::notifications::render(&state.messages, &delivery.locale, &delivery.notification);
    let payload = serde_json::to_vec(&Payload { title: &title, body: &body, url: OPEN_URL })?;
    let mut request = WebPushBuilder::new(url.as_str().parse()?, browser_key, Auth::from(auth))
        .with_valid_duration(SIGNATURE_VALIDITY)
        .with_vapid(key.key_pair(), &settings.contact)
        .build(payload)?;
    // The builder uses one duration for the signature and the TTL, so the longer TTL is set here.
    request.headers_mut().insert("ttl", MESSAGE_TTL.as_secs().into());
    Ok(reqwest::Request::try_from(request)?)
}

fn base64_url(text: &str) -> anyhow::Result<Vec<u8>> {
    use base64::Engine as _;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text)?)
}

/// Computes when to try a failed delivery again: after the backoff, or the push service's
/// `Retry-After` if longer (both capped at an hour). Returns `None` once the message's TTL or
/// [`MAX_ATTEMPTS`] would be passed.
fn retry_time(
    now: OffsetDateTime,
    settings: &PushSettings,
    delivery: &PushDelivery,
    requested: Option<Duration>,
) -> Option<OffsetDateTime> {
    if delivery.attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = u32::try_from(delivery.attempts.saturating_sub(1)).unwrap_or(u32::MAX).min(16);
    let backoff = settings.retry_base.saturating_mul(1 << exponent).min(MAX_RETRY_DELAY);
    let wait = requested.map_or(backoff, |requested| requested.min(MAX_RETRY_DELAY).max(backoff));
    let retry_at = now + wait;
    (retry_at <= delivery.notification.created_at + MESSAGE_TTL).then_some(retry_at)
}

/// Reads a `Retry-After` header given in seconds. The HTTP-date form is ignored.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Describes a failed request briefly for `last_error` and the log, without the URL.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.downcast_ref::<super::EndpointError>().is_some() {
            return "address not allowed".to_owned();
        }
        source = cause.source();
    }
    if error.is_connect() { "connection failed".to_owned() } else { "request failed".to_owned() }
}

/// Stores the outcome, logs it and counts it in the metrics.
async fn record(state: &AppState, delivery: &PushDelivery, outcome: DeliveryOutcome) {
    let subscription_id = delivery.subscription.id;
    let notification_id = delivery.notification.id;
    let label = match &outcome {
        DeliveryOutcome::Delivered => {
            tracing::debug!(%subscription_id, %notification_id, "push delivered");
            "delivered"
        }
        DeliveryOutcome::Gone => {
            tracing::info!(%subscription_id, %notification_id, "push subscription removed because the push service returned 404 or 410");
            "gone"
        }
        DeliveryOutcome::Failed { error, retry_at: Some(retry_at) } => {
            tracing::warn!(%subscription_id, %notification_id, attempts = delivery.attempts, %error, %retry_at, "push failed, will retry");
            "retry"
        }
        DeliveryOutcome::Failed { error, retry_at: None } => {
            tracing::warn!(%subscription_id, %notification_id, attempts = delivery.attempts, %error, "push failed, giving up on this message");
            "failed"
        }
        DeliveryOutcome::Dropped => "dropped",
    };
    metrics::counter!("sathi_push_deliveries_total", "outcome" => label).increment(1);
    if let Err(error) = state.store.finish_push_delivery(notification_id, subscription_id, &outcome).await {
        tracing::warn!(%subscription_id, %notification_id, %error, "failed to record the push outcome, so it is sent again when the lease expires");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sathi_domain::ids::UserId;
    use sathi_store::{Notification, PushEndpoint, PushSubscription};

    fn delivery(attempts: i64, created_at: OffsetDateTime) -> PushDelivery {
        PushDelivery {
            subscription: PushSubscription {
                id: uuid::Uuid::nil(),
                user_id: UserId(uuid::Uuid::nil()),
                endpoint: PushEndpoint::new("https://push.example.net/1"),
                p256dh: String::new(),
                auth: String::new(),
                created_at,
                last_error: None,
                failures: 0,
            },
            locale: "en".to_owned(),
            notification: Notification {
                id: uuid::Uuid::nil(),
                kind: "referral_received".to_owned(),
                case_id: None,
                display_id: None,
                subject_id: None,
                actor_name: None,
                approval_kind: None,
                created_at,
                read_at: None,
            },
            attempts,
        }
    }

    #[test]
    fn retry_backoff_doubles_until_the_ttl() {
        let now = time::macros::datetime!(2026-03-01 10:00 UTC);
        let settings = PushSettings::default();
        let first = retry_time(now, &settings, &delivery(1, now), None).unwrap();
        let third = retry_time(now, &settings, &delivery(3, now), None).unwrap();
        assert_eq!(first - now, time::Duration::seconds(30));
        assert_eq!(third - now, time::Duration::seconds(120));
        let asked = retry_time(now, &settings, &delivery(1, now), Some(Duration::from_secs(600))).unwrap();
        assert_eq!(asked - now, time::Duration::seconds(600));
        assert_eq!(retry_time(now, &settings, &delivery(MAX_ATTEMPTS, now), None), None);
        let old = now - time::Duration::hours(23) - time::Duration::minutes(59) - time::Duration::seconds(50);
        assert_eq!(
            retry_time(now, &settings, &delivery(1, old), None),
            None,
            "a retry after the TTL is pointless"
        );
    }
}
