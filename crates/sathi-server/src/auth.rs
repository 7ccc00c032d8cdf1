//! Passwords, sessions and the authenticated caller.
//!
//! Passwords are hashed with Argon2id on a blocking thread. A session is a random 256-bit
//! token. The database keeps only its SHA-256, so a leaked database contains no usable token, and
//! deleting the row ends the session at once on every server. The web client carries the token
//! in an HttpOnly, SameSite=Strict cookie; API clients send it as a bearer token.

use std::sync::{Arc, OnceLock};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use rand::RngCore;
use sathi_domain::ids::UserId;
use sathi_domain::principal::Principal;
use sathi_store::{AuditEntry, User};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiJson, ApiResult, ErrorBody};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "sathi_session";

/// Argon2id hashes computed at once. Each takes about 19 MiB and a core for a moment, so a
/// burst of logins queues here instead of exhausting memory on a small server.
const CONCURRENT_HASHES: usize = 2;

fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(CONCURRENT_HASHES))
}

/// Hashes a password with Argon2id and a random salt.
pub async fn hash_password(password: SecretString) -> anyhow::Result<String> {
    let _permit = hashing_permits().acquire().await?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose_secret().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("hashing failed: {error}"))
    })
    .await?
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub async fn verify_password(password: SecretString, hash: String) -> bool {
    let Ok(_permit) = hashing_permits().acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Makes a new session token and the hash the database keeps of it.
pub fn new_session_token() -> (SecretString, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (SecretString::from(token), hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The locale errors of this request are rendered in: set from the user's preference once
/// they are authenticated, from `Accept-Language` otherwise.
#[derive(Debug, Clone, Default)]
pub struct RequestLocale(pub Arc<OnceLock<String>>);

/// The authenticated user of a request, with the role and groups in force now.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub principal: Principal,
    pub token_hash: String,
}

impl Caller {
    pub fn locale(&self) -> &str {
        &self.user.locale
    }
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_owned());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Returns the locale of the user whose session the headers carry, if the session is valid.
/// For rendering an error that was decided before any handler read the session.
pub async fn session_locale(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let hash = token_hash(&session_token(headers)?);
    let user_id = state.store.session_user(&hash, OffsetDateTime::now_utc()).await.ok()??;
    let user = state.store.user(user_id).await.ok()??;
    Some(user.locale)
}

/// The session of a request: an active user's, or a disabled user's, which allows nothing but
/// the delivery of a device's outbox to the quarantine (`POST /sync`).
#[derive(Debug, Clone)]
pub enum Session {
    Active(Caller),
    Disabled { user: User, token_hash: String },
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let hash = token_hash(&token);
        let now = OffsetDateTime::now_utc();
        let user_id = state.store.session_user(&hash, now).await?.ok_or_else(ApiError::unauthenticated)?;
        let user = state.store.user(user_id).await?.ok_or_else(ApiError::unauthenticated)?;
        if let Some(locale) = parts.extensions.get::<RequestLocale>() {
            let _ = locale.0.set(user.locale.clone());
        }
        tracing::Span::current().record("user_id", tracing::field::display(user.id));
        if user.disabled {
            return Ok(Session::Disabled { user, token_hash: hash });
        }
        let principal = principal_of(state, &user).await?;
        Ok(Session::Active(Caller { user, principal, token_hash: hash }))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// A disabled user's session allows nothing here, but it is not ended: the device must
    /// still be able to deliver its outbox with `POST /sync`, which ends it.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Session::from_request_parts(parts, state).await? {
            Session::Active(caller) => Ok(caller),
            Session::Disabled { user, .. } => {
                tracing::info!(user_id = %user.id, "rejected a request of a disabled user");
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "account_disabled")
                    .with_message("error-account_disabled_unsent"))
            }
        }
    }
}

/// Ends a disabled user's session once `POST /sync` has kept the device's outbox aside.
pub async fn end_disabled_session(state: &AppState, user: &User, token_hash: &str) -> ApiResult<()> {
    state.store.delete_session(token_hash).await?;
    tracing::info!(user_id = %user.id, "ended a session of a disabled user");
    Ok(())
}

/// Builds the principal from the user's current role and groups, so a changed role applies to
/// the very next request.
pub async fn principal_of(state: &AppState, user: &User) -> ApiResult<Principal> {
    let loaded = state.configuration();
    let Some(role) = loaded.config.role(&user.role_id) else {
        tracing::error!(user_id = %user.id, role = %user.role_id, "user has a role the configuration lacks");
        return Err(ApiError::forbidden());
    };
    Ok(Principal {
        user_id: user.id,
        agency_id: user.agency_id.clone(),
        role: role.clone(),
        group_ids: state.store.groups_of(user.id).await?,
    })
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    /// `web` (default) sets an HttpOnly cookie; `api` returns a bearer token in the body.
    #[serde(default)]
    pub client: ClientKind,
}

#[derive(Deserialize, ToSchema, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    #[default]
    Web,
    Api,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserView,
    /// Only for `client: api`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Only for `client: web`: the user's vault key (base64url, 32 bytes). The client wraps its
    /// vault's data key under it as well as under the password, so a phone whose vault was
    /// sealed under an old password can open it after a password reset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vault_key: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

/// A user as the API shows them.
#[derive(Serialize, ToSchema)]
pub struct UserView {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub agency_id: String,
    pub role_id: String,
    pub locale: String,
    pub disabled: bool,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        UserView {
            id: user.id,
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            agency_id: user.agency_id.clone(),
            role_id: user.role_id.clone(),
            locale: user.locale.clone(),
            disabled: user.disabled,
        }
    }
}

/// Returns a hash of a random password, checked when the user name is unknown so that the response
/// takes as long as for a known user.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"decoy password that matches nothing")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Log in with a user name and password.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 423, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    Extension(locale): Extension<RequestLocale>,
    Extension(client): Extension<crate::ClientInfo>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let now = OffsetDateTime::now_utc();
    let policy = state.configuration().config.deployment.login.clone();
    let username = request.username.trim().to_lowercase().replace('\0', "");
    let user = state.store.user_by_username(&username).await?;

    let Some(user) = user else {
        let _ = verify_password(request.password, decoy_hash().to_owned()).await;
        audit_login(&state, None, "invalid_credentials", now).await?;
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials"));
    };
    let _ = locale.0.set(user.locale.clone());
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        audit_login(&state, Some(user.id), "locked", now).await?;
        return Err(locked_error(&state, until));
    }
    let hash = state.store.password_hash(user.id).await?.unwrap_or_default();
    if user.disabled || !verify_password(request.password, hash).await {
        let lockout = time::Duration::minutes(i64::from(policy.lockout_minutes));
        let locked =
            state.store.record_failed_login(user.id, policy.max_failed_attempts, lockout, now).await?;
        audit_login(&state, Some(user.id), "invalid_credentials", now).await?;
        return Err(match locked {
            Some(until) => locked_error(&state, until),
            None => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials"),
        });
    }

    state.store.reset_failed_logins(user.id).await?;
    state.store.delete_expired_sessions_of(user.id, now).await?;
    let (token, token_hash) = new_session_token();
    let expires_at = now + time::Duration::hours(i64::from(policy.session_hours));
    state.store.create_session(&token_hash, user.id, now, expires_at).await?;
    audit_login(&state, Some(user.id), "ok", now).await?;
    tracing::info!(user_id = %user.id, "logged in");

    let vault_key = match request.client {
        ClientKind::Web => {
            let mut candidate = [0u8; 32];
            rand::rng().fill_bytes(&mut candidate);
            let key = state.store.vault_key(user.id, &candidate).await?;
            Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key))
        }
        ClientKind::Api => None,
    };
    let body = LoginResponse {
        user: UserView::from(&user),
        token: (request.client == ClientKind::Api).then(|| token.expose_secret().to_owned()),
        vault_key,
        expires_at,
    };
    let mut response = Json(body).into_response();
    if request.client == ClientKind::Web {
        let max_age = i64::from(policy.session_hours) * 3600;
        // Behind a trusted TLS-terminating proxy the browser speaks HTTPS even though this
        // process does not.
        let secure = if client.https { "; Secure" } else { "" };
        let cookie = format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
            token.expose_secret()
        );
        response.headers_mut().insert(header::SET_COOKIE, cookie.parse().expect("token is URL-safe base64"));
    }
    Ok(response)
}

fn locked_error(state: &AppState, until: OffsetDateTime) -> ApiError {
    let offset = state.configuration().config.deployment.utc_offset_minutes;
    let local = sathi_domain::dates::in_zone(until, offset);
    let shown = format!("{:02}:{:02}", local.hour(), local.minute());
    ApiError::new(StatusCode::LOCKED, "account_locked").with("until", shown)
}

async fn audit_login(
    state: &AppState,
    user: Option<UserId>,
    outcome: &str,
    now: OffsetDateTime,
) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: user,
            action: "auth.login".to_owned(),
            case_id: None,
            outcome: outcome.to_owned(),
            detail: serde_json::json!({}),
            at: now,
        })
        .await?;
    Ok(())
}

/// End the current session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    state.store.delete_session(&caller.token_hash).await?;
    tracing::info!(user_id = %caller.user.id, "logged out");
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, expired)]).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub role_name: String,
    /// Actions the role grants, with their scope.
    #[schema(value_type = Object)]
    pub grants: serde_json::Value,
}

/// Returns the logged-in user and what their role allows.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Json<MeResponse> {
    Json(MeResponse {
        user: UserView::from(&caller.user),
        role_name: caller.principal.role.name.get(&caller.user.locale).to_owned(),
        grants: serde_json::to_value(&caller.principal.role.grants).unwrap_or_default(),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    /// Interface language, such as `bn` or `en`.
    pub locale: String,
}

/// Change the logged-in user's language.
#[utoipa::path(patch, path = "/me", tag = "auth", request_body = UpdateMeRequest,
    responses((status = 200, body = MeResponse), (status = 400, body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<UpdateMeRequest>,
) -> ApiResult<Json<MeResponse>> {
    let locales = &state.configuration().config.deployment.locales;
    if !locales.contains(&request.locale) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_locale")
            .with("value", &request.locale)
            .with("allowed", locales.join(", ")));
    }
    state.store.set_user_locale(caller.user.id, &request.locale).await?;
    let mut caller = caller;
    caller.user.locale = request.locale;
    Ok(me(caller).await)
}
