//! Web push: the caller's browser subscriptions over HTTP, the server's VAPID key, and the
//! worker that sends each new notification to its recipient's browsers.
//!
//! A pushed message carries the notification's title and body in the recipient's language and
//! the app's notifications screen as the URL to open. The text comes from the same Fluent
//! messages as the in-app list, so it never contains a child's name or a field value. Payloads are encrypted with
//! RFC 8291 (`aes128gcm`) and requests signed with VAPID (RFC 8292) by `web-push-native`.
//!
//! The VAPID key pair is made at first start and kept in `store_settings`, so every
//! `sathi serve` process on one database signs with the same key and browsers stay subscribed
//! across restarts.

mod endpoint;
mod worker;

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sathi_store::{NewPushSubscription, PushEndpoint, PushSubscription, Store};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};

pub use endpoint::{EndpointError, check_endpoint, is_public_address};
pub use worker::{PushJob, deliver_once, spawn};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult, ErrorBody};
use crate::state::AppState;

/// The VAPID subject used when `--push-contact` is not given. The `.invalid` domain is
/// reserved (RFC 2606), so push services can tell that no contact was configured.
pub const DEFAULT_CONTACT: &str = "mailto:webpush@sathi.invalid";

/// Web push settings of one `sathi serve` process.
#[derive(Debug, Clone)]
pub struct PushSettings {
    /// Whether this process offers subscriptions and sends pushes.
    pub enabled: bool,
    /// The VAPID `sub` claim: a `mailto:` or `https:` address where the push services'
    /// operators can reach the deployment's administrator.
    pub contact: String,
    /// Time between two checks for new notifications and due retries.
    pub poll_interval: Duration,
    /// Wait before the second attempt of a failed delivery. Each further failure doubles it, up
    /// to an hour.
    pub retry_base: Duration,
    /// Accepts `http://` endpoints on loopback addresses, so tests can run a push service on
    /// 127.0.0.1. Never set it in production: it lets a subscription aim the server at itself.
    pub allow_loopback_http: bool,
}

impl Default for PushSettings {
    fn default() -> Self {
        PushSettings {
            enabled: true,
            contact: DEFAULT_CONTACT.to_owned(),
            poll_interval: Duration::from_secs(3),
            retry_base: Duration::from_secs(30),
            allow_loopback_http: false,
        }
    }
}

/// The server's VAPID key pair. `Debug` shows only the public key.
pub struct VapidKey {
    key_pair: ES256KeyPair,
    public_key: String,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("VapidKey").field("public_key", &self.public_key).finish_non_exhaustive()
    }
}

impl VapidKey {
    /// Loads the stored key pair, generating and storing one first if none is stored.
    pub async fn load(store: &dyn Store) -> anyhow::Result<VapidKey> {
        let candidate = SecretString::from(URL_SAFE_NO_PAD.encode(ES256KeyPair::generate().to_bytes()));
        let stored = store.vapid_private_key(candidate).await?;
        let bytes = URL_SAFE_NO_PAD
            .decode(stored.expose_secret())
            .map_err(|_| anyhow::anyhow!("the stored VAPID private key is not base64url"))?;
        let key_pair = ES256KeyPair::from_bytes(&bytes)
            .map_err(|_| anyhow::anyhow!("the stored VAPID private key is not a P-256 key"))?;
        let public_key = URL_SAFE_NO_PAD.encode(key_pair.public_key().public_key().to_bytes_uncompressed());
        Ok(VapidKey { key_pair, public_key })
    }

    /// The uncompressed P-256 public key, base64url: the browser's `applicationServerKey`.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    pub(crate) fn key_pair(&self) -> &ES256KeyPair {
        &self.key_pair
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicKeyView {
    /// The server's VAPID public key, base64url: pass it to `pushManager.subscribe` as
    /// `applicationServerKey`.
    pub public_key: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionKeys {
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The browser's 16-byte authentication secret, base64url.
    pub auth: String,
}

/// A browser's push subscription, as `PushSubscription.toJSON()` returns it. Other fields
/// of that object are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscribeRequest {
    pub endpoint: String,
    pub keys: SubscriptionKeys,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnsubscribeRequest {
    pub endpoint: String,
}

/// One of the caller's push subscriptions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub endpoint: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Failed deliveries since the last success.
    pub failures: i64,
    /// The last failure, such as `HTTP 503` or `timed out`, or null after a success.
    pub last_error: Option<String>,
}

impl From<PushSubscription> for SubscriptionView {
    fn from(subscription: PushSubscription) -> Self {
        SubscriptionView {
            id: subscription.id,
            endpoint: subscription.endpoint.expose().to_owned(),
            created_at: subscription.created_at,
            failures: subscription.failures,
            last_error: subscription.last_error,
        }
    }
}

fn push_disabled() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "push_disabled")
}

/// The server's VAPID public key, which the browser needs to subscribe.
#[utoipa::path(get, path = "/push/public-key", tag = "notifications",
    responses((status = 200, body = PublicKeyView), (status = 401, body = ErrorBody),
        (status = 404, description = "Web push is turned off on this server (`push_disabled`)", body = ErrorBody)))]
pub async fn public_key(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<PublicKeyView>> {
    if !state.settings.push.enabled {
        return Err(push_disabled());
    }
    let key = VapidKey::load(state.store.as_ref()).await.map_err(ApiError::internal)?;
    Ok(Json(PublicKeyView { public_key: key.public_key().to_owned() }))
}

/// The caller's push subscriptions, oldest first.
#[utoipa::path(get, path = "/push/subscriptions", tag = "notifications",
    responses((status = 200, body = Vec<SubscriptionView>), (status = 401, body = ErrorBody)))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SubscriptionView>>> {
    let subscriptions = state.store.push_subscriptions(caller.user.id).await?;
    Ok(Json(subscriptions.into_iter().map(SubscriptionView::from).collect()))
}

/// Subscribes this browser to the caller's notifications. Sending the same endpoint again updates
/// its keys, and an endpoint that another user of the same browser had moves to the caller.
#[utoipa::path(post, path = "/push/subscriptions", tag = "notifications", request_body = SubscribeRequest,
    responses((status = 201, body = SubscriptionView), (status = 401, body = ErrorBody),
        (status = 404, description = "Web push is turned off (`push_disabled`)", body = ErrorBody),
        (status = 422, description = "`push_endpoint_not_allowed` or `push_keys_invalid`", body = ErrorBody)))]
pub async fn subscribe(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<SubscribeRequest>,
) -> ApiResult<(StatusCode, Json<SubscriptionView>)> {
    let settings = &state.settings.push;
    if !settings.enabled {
        return Err(push_disabled());
    }
    let endpoint = check_endpoint(&request.endpoint, settings.allow_loopback_http).map_err(|error| {
        tracing::info!(user_id = %caller.user.id, %error, "push subscription rejected: endpoint not allowed");
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "push_endpoint_not_allowed")
    })?;
    let (p256dh, auth) = normalize_keys(&request.keys)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "push_keys_invalid"))?;

    let subscription = NewPushSubscription { endpoint: PushEndpoint::new(endpoint.as_str()), p256dh, auth };
    let saved = state.store.save_push_subscription(caller.user.id, &subscription, state.now()).await?;
    match saved.moved_from {
        Some(previous) => tracing::info!(
            subscription_id = %saved.subscription.id, user_id = %caller.user.id, previous_user_id = %previous,
            "push subscription moved to another user of the same browser"
        ),
        None => {
            tracing::info!(subscription_id = %saved.subscription.id, user_id = %caller.user.id, "push subscription saved")
        }
    }
    Ok((StatusCode::CREATED, Json(saved.subscription.into())))
}

/// Deletes the caller's subscription with this endpoint. Another user's endpoint returns 404,
/// the same as a missing one.
#[utoipa::path(delete, path = "/push/subscriptions", tag = "notifications", request_body = UnsubscribeRequest,
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<UnsubscribeRequest>,
) -> ApiResult<StatusCode> {
    if !state.store.delete_push_subscription(caller.user.id, &request.endpoint).await? {
        return Err(ApiError::not_found());
    }
    tracing::info!(user_id = %caller.user.id, "push subscription deleted by its user");
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the browser's keys and returns them as unpadded base64url: `p256dh` must be a point
/// on P-256 and `auth` exactly 16 bytes. Padded base64url is accepted too.
fn normalize_keys(keys: &SubscriptionKeys) -> Option<(String, String)> {
    let lenient = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let p256dh = lenient.decode(keys.p256dh.trim()).ok()?;
    let auth = lenient.decode(keys.auth.trim()).ok()?;
    web_push_native::p256::PublicKey::from_sec1_bytes(&p256dh).ok()?;
    if auth.len() != 16 {
        return None;
    }
    Some((URL_SAFE_NO_PAD.encode(p256dh), URL_SAFE_NO_PAD.encode(auth)))
}
