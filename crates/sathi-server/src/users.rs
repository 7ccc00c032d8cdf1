//! User administration over HTTP, for agency and system administrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::UserId;
use sathi_domain::permissions::{Action, Scope};
use sathi_store::{NewUser, StoreError, User};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::{Caller, UserView, hash_password};
use crate::cases::audit;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub username: String,
    pub full_name: String,
    pub agency_id: String,
    pub role_id: String,
    pub locale: Option<String>,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// Checks the caller may manage users of `agency_id`.
fn require_manage(caller: &Caller, agency_id: &str) -> ApiResult<()> {
    match caller.principal.scope_of(Action::ManageUsers) {
        Some(Scope::All) => Ok(()),
        Some(_) if caller.user.agency_id == agency_id => Ok(()),
        _ => Err(ApiError::forbidden()),
    }
}

/// List the users the caller manages.
#[utoipa::path(get, path = "/users", tag = "users", responses((status = 200, body = Vec<UserView>), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<UserView>>> {
    let users = match caller.principal.scope_of(Action::ManageUsers) {
        Some(Scope::All) => state.store.list_users(None).await?,
        Some(_) => state.store.list_users(Some(&caller.user.agency_id)).await?,
        None => return Err(ApiError::forbidden()),
    };
    Ok(Json(users.iter().map(UserView::from).collect()))
}

/// A user a case can be given to, as a reassignment screen lists them.
#[derive(Serialize, ToSchema)]
pub struct AssignableUser {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub role_id: String,
}

/// List the users the caller may give a case to: active users of the caller's agency whose role
/// may create or write cases, sorted by full name.
#[utoipa::path(get, path = "/users/assignable", tag = "users",
    responses((status = 200, body = Vec<AssignableUser>), (status = 403, body = ErrorBody)))]
pub async fn assignable_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<AssignableUser>>> {
    if !caller.principal.can(Action::Assign) {
        return Err(ApiError::forbidden());
    }
    let loaded = state.configuration();
    let can_own_cases = |role_id: &str| {
        loaded.config.role(role_id).is_some_and(|role| {
            role.scope_of(Action::Create).is_some() || role.scope_of(Action::Write).is_some()
        })
    };
    let mut users: Vec<AssignableUser> = state
        .store
        .list_users(Some(&caller.user.agency_id))
        .await?
        .into_iter()
        .filter(|user| !user.disabled && can_own_cases(&user.role_id))
        .map(|user| AssignableUser {
            id: user.id,
            username: user.username,
            full_name: user.full_name,
            role_id: user.role_id,
        })
        .collect();
    users.sort_by(|a, b| a.full_name.cmp(&b.full_name).then_with(|| a.username.cmp(&b.username)));
    Ok(Json(users))
}

/// Create a user.
#[utoipa::path(post, path = "/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    require_manage(&caller, &request.agency_id)?;
    require_assignable(&state, &caller, &request.role_id)?;
    let user = add_user(&state, request).await?;
    audit(&state, &caller, "user.create", None, "ok").await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

/// Checks the caller may give `role_id` to someone: a manager whose own reach is narrower than
/// the whole deployment cannot hand out a role that reaches further, or one that manages users
/// or configuration, so an agency administrator cannot make a system administrator.
fn require_assignable(state: &AppState, caller: &Caller, role_id: &str) -> ApiResult<()> {
    if caller.principal.scope_of(Action::ManageUsers) == Some(Scope::All) {
        return Ok(());
    }
    let loaded = state.configuration();
    let Some(role) = loaded.config.role(role_id) else { return Ok(()) };
    let too_wide = role.grants.iter().any(|grant| {
        grant.scope == Scope::All || matches!(grant.action, Action::ManageUsers | Action::ManageConfiguration)
    });
    if too_wide { Err(ApiError::forbidden()) } else { Ok(()) }
}

/// Validates and stores a new user; shared by the API and `sathi user add`.
pub async fn add_user(state: &AppState, request: CreateUserRequest) -> ApiResult<User> {
    let loaded = state.configuration();
    let config = &loaded.config;
    let username = request.username.trim().to_lowercase();
    if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(ApiError::bad_request("error-request_username_characters"));
    }
    if config.role(&request.role_id).is_none() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_role").with("value", &request.role_id));
    }
    if config.agency(&request.agency_id).is_none() {
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "unknown_agency").with("value", &request.agency_id)
        );
    }
    let locale = request.locale.unwrap_or_else(|| config.deployment.locales[0].clone());
    if !config.deployment.locales.contains(&locale) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_locale")
            .with("value", &locale)
            .with("allowed", config.deployment.locales.join(", ")));
    }
    check_password(state, &request.password)?;
    let password_hash = hash_password(request.password).await.map_err(ApiError::internal)?;
    let new_user = NewUser {
        id: UserId::new(),
        username,
        full_name: sathi_domain::text::clean_text(&request.full_name),
        agency_id: request.agency_id,
        role_id: request.role_id,
        locale,
        password_hash,
    };
    match state.store.create_user(&new_user, OffsetDateTime::now_utc()).await {
        Ok(user) => Ok(user),
        Err(StoreError::Duplicate(_)) => Err(ApiError::new(StatusCode::CONFLICT, "username_taken")),
        Err(error) => Err(error.into()),
    }
}

pub fn check_password(state: &AppState, password: &SecretString) -> ApiResult<()> {
    let min = state.configuration().config.deployment.login.min_password_chars;
    if (password.expose_secret().chars().count() as u32) < min {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "password_too_short").with("min", min));
    }
    Ok(())
}

/// Disable a user: they cannot log in, and each of their sessions ends at its next request with
/// `account_disabled`.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "users", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<UserView>> {
    set_disabled(&state, &caller, id, true).await
}

/// Enable a disabled user again.
#[utoipa::path(post, path = "/users/{id}/enable", tag = "users", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn enable_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<UserView>> {
    set_disabled(&state, &caller, id, false).await
}

async fn set_disabled(
    state: &AppState,
    caller: &Caller,
    id: UserId,
    disabled: bool,
) -> ApiResult<Json<UserView>> {
    let user = state.store.user(id).await?.ok_or_else(ApiError::not_found)?;
    if require_manage(caller, &user.agency_id).is_err() {
        return Err(ApiError::not_found());
    }
    // A disabled user's sessions stay on record so that each device, at its next contact,
    // learns that the account is disabled and delivers its outbox for review.
    state.store.set_user_disabled(id, disabled).await?;
    audit(state, caller, if disabled { "user.disable" } else { "user.enable" }, None, "ok").await?;
    tracing::info!(user_id = %id, disabled, "user access changed");
    let user = state.store.user(id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(UserView::from(&user)))
}
