//! Case records over HTTP: create, read, update by field, list, change log, close, reopen,
//! disable and enable.
//!
//! Each handler reads as parse, authorise, act, respond. Record scope is applied inside the
//! store; this layer adds the role's action grants and per-form access.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rand::Rng;
use sathi_domain::config::Configuration;
use sathi_domain::dates::{self, AgeRange};
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::{Action, FormAccess};
use sathi_domain::principal::Principal;
use sathi_domain::validation::{Change, FieldError, Validator};
use sathi_domain::workflow::CaseStatus;
use sathi_store::{
    AuditEntry, CaseFilter, CaseRecord, CaseSort, CaseUpdate, NewCase, StoreError, ValueFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::referrals;
use crate::state::AppState;

/// How often an update re-reads and re-applies its changes when another write got in first.
/// Every failed attempt means another write to the case committed, so retrying cannot livelock.
/// The cap is far above any realistic burst of writers to one case, so a caller without
/// `expected_version` does not get a conflict for edits of other fields.
const UPDATE_ATTEMPTS: usize = 50;

#[derive(Deserialize, ToSchema)]
pub struct CreateCaseRequest {
    /// Field values by field id; subform values are arrays of row objects.
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
    /// A case id made by the client (UUID), so a retried create never makes a second record.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<CaseId>,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateCaseRequest {
    pub changes: Vec<ChangeRequest>,
    /// When given, the update fails with `version_conflict` unless the case is still at this
    /// version; when absent, the changes apply to the current version.
    pub expected_version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeRequest {
    /// `name_first`, `family_members/<row id>` or `family_members/<row id>/relation`.
    pub path: String,
    #[schema(value_type = Object)]
    pub value: Value,
}

/// A case as the API returns it: only the forms the caller's role may read.
#[derive(Serialize, ToSchema)]
pub struct CaseView {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    pub display_id: String,
    pub version: i64,
    pub status: String,
    pub stage: String,
    pub enabled: bool,
    #[schema(value_type = String, format = Uuid)]
    pub owner_id: UserId,
    pub owner_agency_id: String,
    #[schema(value_type = String, format = Uuid)]
    pub created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
    /// Calculated fields (such as `current_age`) as of today in the deployment's zone.
    #[schema(value_type = Object)]
    pub calculated: Map<String, Value>,
    /// Open conflicts: fields where two values wait for a person to choose.
    pub conflicts: Vec<ConflictView>,
    /// Active flags, oldest first; always empty for a caller who reads the case only through
    /// referrals.
    pub flags: Vec<crate::flags::FlagView>,
    /// `null` when the caller reads the case through ownership, assignment or scope; the ids of
    /// the forms the caller may read when the access is through open referrals only (the
    /// referrals' shared forms that the caller's role reads). Always serialised.
    pub shared_forms: Option<Vec<String>>,
}

/// A field conflict: the values kept for a person to choose from.
#[derive(Serialize, ToSchema)]
pub struct ConflictView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    /// The field path, such as `risk_level` or `family_members/<row id>/relation`.
    pub path: String,
    /// `open` or `resolved`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: OffsetDateTime,
    pub opened_version: i64,
    pub candidates: Vec<CandidateView>,
}

/// One value of a conflict, with who made it and when.
#[derive(Serialize, ToSchema)]
pub struct CandidateView {
    #[schema(value_type = Object)]
    pub value: Value,
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
    pub username: Option<String>,
    pub full_name: Option<String>,
    /// When the server received the value.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub server_time: OffsetDateTime,
    /// The device's clock when the value was made, as the device reported it.
    pub device_time: Option<String>,
    /// The case version that holds this value, for the value the case held.
    pub version: Option<i64>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub mutation_id: Option<uuid::Uuid>,
}

impl From<sathi_store::CaseConflict> for ConflictView {
    fn from(conflict: sathi_store::CaseConflict) -> Self {
        ConflictView {
            id: conflict.id,
            case_id: conflict.case_id,
            path: conflict.path,
            status: conflict.status,
            opened_at: conflict.opened_at,
            opened_version: conflict.opened_version,
            candidates: conflict
                .candidates
                .into_iter()
                .map(|candidate| CandidateView {
                    value: candidate.value,
                    user_id: candidate.user_id,
                    username: candidate.username,
                    full_name: candidate.full_name,
                    server_time: candidate.server_time,
                    device_time: candidate.device_time,
                    version: candidate.version,
                    mutation_id: candidate.mutation_id,
                })
                .collect(),
        }
    }
}

/// The columns a case list shows.
#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    pub display_id: String,
    pub name: Option<String>,
    pub sex: Option<String>,
    pub age: Option<i32>,
    pub age_estimated: bool,
    pub risk_level: Option<String>,
    pub status: String,
    pub stage: String,
    pub location: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub owner_id: UserId,
    pub owner_agency_id: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub cases: Vec<CaseSummary>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// `open` or `closed`.
    pub status: Option<String>,
    /// Comma-separated risk levels, such as `high,medium`; `none` matches cases without one.
    pub risk_level: Option<String>,
    /// An option id of the `sex` lookup, or `none` for cases without one.
    pub sex: Option<String>,
    /// Youngest age in whole years, inclusive, as of `as_of`; Bengali digits are accepted.
    pub age_min: Option<String>,
    /// Oldest age in whole years, inclusive, as of `as_of`; Bengali digits are accepted.
    pub age_max: Option<String>,
    /// `true` lists only cases without a date of birth.
    pub age_unknown: Option<String>,
    /// The date `YYYY-MM-DD` at which `age_min` and `age_max` are evaluated; today by default.
    /// A child whose birthday falls on this date already has the new age.
    pub as_of: Option<String>,
    /// A location code at any level (places inside it match too), or `none` for cases without
    /// a current location.
    pub location: Option<String>,
    /// An option id of the `protection_concern` lookup, or `none` for cases without any concern.
    pub protection_concern: Option<String>,
    #[param(value_type = Option<String>, format = Uuid)]
    pub owner: Option<UserId>,
    pub agency: Option<String>,
    pub stage: Option<String>,
    /// `true` (default) lists enabled records; `false` lists disabled ones.
    pub enabled: Option<bool>,
    /// Registration date range, `YYYY-MM-DD`, inclusive.
    pub registered_from: Option<String>,
    pub registered_to: Option<String>,
    /// Closure date range, `YYYY-MM-DD`, inclusive.
    pub closed_from: Option<String>,
    pub closed_to: Option<String>,
    /// `true`: an assessment completion date is recorded; `false`: none is.
    pub assessed: Option<String>,
    /// `true`: a case plan approval date is recorded; `false`: none is.
    pub case_plan_approved: Option<String>,
    /// Last change range, RFC 3339 instants.
    pub updated_from: Option<String>,
    pub updated_to: Option<String>,
    /// Name words (Bangla or Latin script, any Unicode form), a display id or a case id.
    pub q: Option<String>,
    /// `updated_desc` (default), `updated_asc`, `registered_desc`, `registered_asc`, `name_asc`, `risk_desc`.
    pub sort: Option<String>,
    pub offset: Option<i64>,
    /// Page size, 1 to 100; 50 by default.
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct CloseCaseRequest {
    /// An option id of the `closure_reason` lookup.
    pub reason: String,
    /// Closure date, `YYYY-MM-DD`; today when absent.
    pub date: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenRequest {
    /// When given, the reopen fails with `version_conflict` unless the case is at this version.
    pub expected_version: Option<i64>,
    /// Why the case is reopened; stored in `reopen_reason`.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeView {
    pub version: i64,
    pub path: String,
    #[schema(value_type = Object)]
    pub old_value: Value,
    #[schema(value_type = Object)]
    pub new_value: Value,
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
    pub username: Option<String>,
    pub full_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub changed_at: OffsetDateTime,
    /// The sync mutation that made the change; `null` for a change made over the API.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub mutation_id: Option<uuid::Uuid>,
    /// The conflict this change resolves; `null` unless it is a resolution.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub conflict_id: Option<uuid::Uuid>,
}

/// Register a new case.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CreateCaseRequest,
    responses((status = 201, body = CaseView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateCaseRequest>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    if !caller.principal.can(Action::Create) {
        return Err(ApiError::forbidden());
    }
    let loaded = state.configuration();
    let validator = Validator::new(&loaded.config, state.today(&loaded.config));
    let access = |form: &str| caller.principal.form_access(form);
    let write = validator.validate_new(&request.data, &access).map_err(ApiError::validation)?;

    let id = request.id.unwrap_or_default();
    // A retried create with the same client-made id returns the case it made the first time.
    if request.id.is_some()
        && let Some(existing) = state.store.case(&caller.principal, id).await?
    {
        return Ok((StatusCode::OK, Json(render_case(&state, &caller.principal, existing).await?)));
    }
    let now = OffsetDateTime::now_utc();
    let mut attempts = 0;
    let record = loop {
        let case = NewCase {
            id,
            display_id: new_display_id(&loaded.config.deployment.display_id_prefix),
            data: write.data.clone(),
            changes: write.changes.clone(),
            owner_id: caller.user.id,
            owner_agency_id: caller.user.agency_id.clone(),
            now,
        };
        match state.store.create_case(&caller.principal, &case).await {
            Ok(record) => break record,
            // A display id collision is rare (29^6 values per prefix); draw another.
            Err(StoreError::Duplicate("display id")) if attempts < 5 => attempts += 1,
            Err(StoreError::Duplicate(_)) => {
                return Err(ApiError::bad_request("error-request_case_id_used"));
            }
            Err(error) => return Err(error.into()),
        }
    };
    audit(&state, &caller, "case.create", Some(record.id), "ok").await?;
    tracing::info!(case_id = %record.id, "case created");
    Ok((StatusCode::CREATED, Json(render_case(&state, &caller.principal, record).await?)))
}

/// Read one case.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<CaseView>> {
    let Some(record) = state.store.case(&caller.principal, id).await? else {
        audit(&state, &caller, "case.read", Some(id), "not_found").await?;
        return Err(ApiError::not_found());
    };
    audit(&state, &caller, "case.read", Some(id), "ok").await?;
    Ok(Json(render_case(&state, &caller.principal, record).await?))
}

/// Change fields of a case. Changes to different fields by different people merge; each
/// change is kept in the change log with its old and new value.
#[utoipa::path(patch, path = "/cases/{id}", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = UpdateCaseRequest,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<UpdateCaseRequest>,
) -> ApiResult<Json<CaseView>> {
    // A role without the write grant gets `forbidden` for every id, like close and reopen,
    // rather than a form error that suggests the request could be corrected.
    require(&caller, Action::Write)?;
    let changes: Vec<Change> =
        request.changes.into_iter().map(|change| Change { path: change.path, value: change.value }).collect();
    // A referral's recipient writes the shared forms only.
    let principal = referrals::case_principal(&state, &caller.principal, id).await?;
    let updated =
        apply_update(&state, &caller, id, request.expected_version, Action::Write, |validator, current| {
            let access = |form: &str| principal.form_access(form);
            let write = validator.validate_update(&current.data, &changes, &access)?;
            Ok((write, current.status, current.enabled))
        })
        .await;
    let record = match updated {
        Ok(record) => record,
        // A former owner's write from a stale page says since when the case is someone else's.
        Err(error) if matches!(error.code, "not_found" | "forbidden") => {
            return Err(referrals::not_owner_since(&state, caller.user.id, id).await?.unwrap_or(error));
        }
        Err(error) => return Err(error),
    };
    audit(&state, &caller, "case.update", Some(id), "ok").await?;
    Ok(Json(render_case(&state, &caller.principal, record).await?))
}

/// Close a case with a reason, as its approver. Closing needs an approval, so only a user whose
/// Approve scope covers the case may close it directly; the closure is then approved by them
/// (`closure_approved_on` = today). Anyone else requests closure approval instead.
#[utoipa::path(post, path = "/cases/{id}/close", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = CloseCaseRequest,
    responses((status = 200, body = CaseView),
        (status = 403, body = ErrorBody, description = "`closure_approval_required`: ask for closure approval"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CloseCaseRequest>,
) -> ApiResult<Json<CaseView>> {
    if !caller.principal.can(Action::Approve) {
        return Err(closure_approval_required());
    }
    if request.reason.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "closure_reason_required"));
    }
    let today = validator_today(&state);
    let closed = apply_update(&state, &caller, id, None, Action::Approve, |validator, current| {
        if current.status == CaseStatus::Closed {
            return Err(vec![FieldError::new("already_closed", "status")]);
        }
        let changes = vec![
            Change { path: "closure_reason".into(), value: Value::String(request.reason.clone()) },
            Change {
                path: "closure_date".into(),
                value: Value::String(request.date.clone().unwrap_or_else(|| dates::format_date(today))),
            },
        ];
        // The closer approves the closure, so the closure form is written as part of it.
        let mut write = validator.validate_update(&current.data, &changes, &|_| FormAccess::ReadWrite)?;
        // `closure_approved_on` is read-only to people, so the server sets it past the validator.
        let approved_on = [("closure_approved_on", Value::String(dates::format_date(today)))];
        let (data, approval) = crate::approvals::system_changes(&write.data, &approved_on);
        write.data = data;
        write.changes.extend(approval);
        Ok((write, CaseStatus::Closed, current.enabled))
    })
    .await;
    let record = match closed {
        Ok(record) => record,
        // Readable, but outside the caller's Approve scope.
        Err(error) if error.code == "forbidden" => return Err(closure_approval_required()),
        Err(error) => return Err(error),
    };
    audit(&state, &caller, "case.close", Some(id), "ok").await?;
    Ok(Json(render_case(&state, &caller.principal, record).await?))
}

/// 403 for a direct close by someone who may not approve the closure.
fn closure_approval_required() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "closure_approval_required")
}

/// Maximum length of the reason for reopening a case, in characters.
const MAX_REOPEN_REASON_CHARS: usize = 2000;

/// Reopen a closed case with a reason. The case gets a new version that sets `reopened_on` to
/// today and `reopen_reason`, so the due-date rule starts again from the reopening.
#[utoipa::path(post, path = "/cases/{id}/reopen", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = ReopenRequest,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reopen_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<ReopenRequest>,
) -> ApiResult<Json<CaseView>> {
    require(&caller, Action::Reopen)?;
    let Some(reason) =
        crate::error::clean_free_text(Some(&request.reason), MAX_REOPEN_REASON_CHARS, "reason")?
    else {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "reopen_reason_required"));
    };
    let today = Value::String(dates::format_date(validator_today(&state)));
    let record = apply_update(&state, &caller, id, request.expected_version, Action::Reopen, |_, current| {
        if current.status != CaseStatus::Closed {
            return Err(vec![FieldError::new("not_closed", "status")]);
        }
        // Both fields are read-only to people, so the server sets them without the validator.
        let sets = [("reopened_on", today.clone()), ("reopen_reason", Value::String(reason.clone()))];
        let (data, changes) = crate::approvals::system_changes(&current.data, &sets);
        Ok((sathi_domain::validation::ValidatedWrite { data, changes }, CaseStatus::Open, current.enabled))
    })
    .await?;
    audit(&state, &caller, "case.reopen", Some(id), "ok").await?;
    Ok(Json(render_case(&state, &caller.principal, record).await?))
}

/// Disable a case (a duplicate or a record made in error); it leaves the default lists.
#[utoipa::path(post, path = "/cases/{id}/disable", tag = "cases", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub async fn disable_case(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<CaseId>,
) -> ApiResult<Json<CaseView>> {
    set_enabled(state, caller, id, false).await
}

/// Enable a disabled case again.
#[utoipa::path(post, path = "/cases/{id}/enable", tag = "cases", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub async fn enable_case(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<CaseId>,
) -> ApiResult<Json<CaseView>> {
    set_enabled(state, caller, id, true).await
}

async fn set_enabled(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    enabled: bool,
) -> ApiResult<Json<CaseView>> {
    require(&caller, Action::Disable)?;
    let record = apply_update(&state, &caller, id, None, Action::Disable, |validator, current| {
        let write = validator.validate_update(&current.data, &[], &|_| FormAccess::ReadWrite)?;
        Ok((write, current.status, enabled))
    })
    .await?;
    let action = if enabled { "case.enable" } else { "case.disable" };
    audit(&state, &caller, action, Some(id), "ok").await?;
    Ok(Json(render_case(&state, &caller.principal, record).await?))
}

/// List cases the caller may see, filtered, sorted and paged.
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseListQuery),
    responses((status = 200, body = CaseList), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> ApiResult<Json<CaseList>> {
    require(&caller, Action::Read)?;
    let loaded = state.configuration();
    let today = state.today(&loaded.config);
    let filter = case_filter(&query, today, &loaded.config)?;
    let page = state.store.list_cases(&caller.principal, &filter).await?;
    // The filter values are not logged: a name search is child data.
    audit(&state, &caller, "case.list", None, "ok").await?;
    let ids: Vec<CaseId> = page.cases.iter().map(|record| record.id).collect();
    let limited = referrals::case_principals(&state, &caller.principal, &ids).await?;
    let cases = page
        .cases
        .iter()
        .map(|record| {
            let reader = limited.get(&record.id).unwrap_or(&caller.principal);
            summary(record, today, &|field| field_readable(&loaded.config, reader, field))
        })
        .collect();
    Ok(Json(CaseList { total: page.total, offset: filter.offset, limit: filter.limit, cases }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadQuery {
    pub offset: Option<i64>,
    /// Page size, 1 to 200; 100 by default.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Caseload {
    pub total: i64,
    pub offset: i64,
    pub cases: Vec<CaseView>,
}

/// Every case the caller may see, whole, page by page: what the offline client keeps on the
/// device. Each case holds only the forms the caller's role may read.
#[utoipa::path(get, path = "/caseload", tag = "cases", params(CaseloadQuery),
    responses((status = 200, body = Caseload), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn caseload(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CaseloadQuery>,
) -> ApiResult<Json<Caseload>> {
    require(&caller, Action::Read)?;
    let filter = CaseFilter {
        enabled: Some(true),
        sort: CaseSort::UpdatedAsc,
        offset: query.offset.unwrap_or(0).max(0),
        limit: query.limit.unwrap_or(100).clamp(1, 200),
        ..CaseFilter::default()
    };
    let page = state.store.list_cases(&caller.principal, &filter).await?;
    audit(&state, &caller, "case.download", None, "ok").await?;
    let cases = render_cases(&state, &caller.principal, page.cases).await?;
    Ok(Json(Caseload { total: page.total, offset: filter.offset, cases }))
}

/// The change log of a case: who changed which field, when, from what to what.
#[utoipa::path(get, path = "/cases/{id}/changes", tag = "cases", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ChangeView>), (status = 404, body = ErrorBody)))]
pub async fn case_changes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<ChangeView>>> {
    let Some(entries) = state.store.case_changes(&caller.principal, id).await? else {
        return Err(ApiError::not_found());
    };
    audit(&state, &caller, "case.changes", Some(id), "ok").await?;
    let loaded = state.configuration();
    let principal = referrals::case_principal(&state, &caller.principal, id).await?;
    let readable = |path: &str| {
        let field_id = path.split('/').next().unwrap_or(path);
        loaded
            .config
            .field(field_id)
            .is_none_or(|(form, _)| principal.form_access(&form.id) >= FormAccess::Read)
    };
    let views = entries
        .into_iter()
        .filter(|entry| readable(&entry.path))
        .map(|entry| ChangeView {
            version: entry.version,
            path: entry.path,
            old_value: entry.old_value,
            new_value: entry.new_value,
            user_id: entry.user_id,
            username: entry.username,
            full_name: entry.full_name,
            changed_at: entry.changed_at,
            mutation_id: entry.mutation_id,
            conflict_id: entry.conflict_id,
        })
        .collect();
    Ok(Json(views))
}

#[derive(Deserialize, ToSchema)]
pub struct ReassignRequest {
    /// An active user of the case's agency.
    #[schema(value_type = String, format = Uuid)]
    pub owner_id: UserId,
}

/// Give a case to another caseworker of the same agency. The former owner's devices drop it at
/// their next sync if it leaves their scope.
#[utoipa::path(post, path = "/cases/{id}/reassign", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = ReassignRequest,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reassign_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<ReassignRequest>,
) -> ApiResult<Json<CaseView>> {
    require(&caller, Action::Assign)?;
    let new_owner = state.store.user(request.owner_id).await?.filter(|user| !user.disabled);
    for _ in 0..UPDATE_ATTEMPTS {
        let Some(current) = state.store.case_for(&caller.principal, id, Action::Assign).await? else {
            audit(&state, &caller, "case.reassign", Some(id), "not_found").await?;
            return Err(ApiError::not_found());
        };
        let Some(owner) = new_owner.as_ref().filter(|user| user.agency_id == current.owner_agency_id) else {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_owner"));
        };
        // Giving a case to its owner changes nothing, so it writes no version.
        if owner.id == current.owner_id {
            audit(&state, &caller, "case.reassign", Some(id), "unchanged").await?;
            return Ok(Json(render_case(&state, &caller.principal, current).await?));
        }
        let change = sathi_domain::validation::AppliedChange {
            path: "owner".to_owned(),
            old_value: Value::String(current.owner_id.to_string()),
            new_value: Value::String(owner.id.to_string()),
        };
        let commit = sathi_store::MutationCommit {
            write: Some(sathi_store::CaseWrite::Update(CaseUpdate {
                id,
                action: Action::Assign,
                expected_version: current.version,
                data: current.data.clone(),
                changes: vec![change],
                status: current.status,
                enabled: current.enabled,
                now: OffsetDateTime::now_utc(),
            })),
            owner: Some((owner.id, owner.agency_id.clone())),
            notifications: vec![(
                owner.id,
                sathi_store::NewNotification {
                    kind: "case_assigned",
                    case_id: Some(id),
                    subject_id: None,
                    actor_id: Some(caller.user.id),
                    now: OffsetDateTime::now_utc(),
                },
            )],
            ..sathi_store::MutationCommit::default()
        };
        match state.store.commit_mutation(&caller.principal, &commit).await {
            Ok(Some(record)) => {
                audit(&state, &caller, "case.reassign", Some(id), "ok").await?;
                tracing::info!(case_id = %id, owner_id = %owner.id, "case reassigned");
                return Ok(Json(render_case(&state, &caller.principal, record).await?));
            }
            Ok(None) => return Err(ApiError::not_found()),
            Err(StoreError::VersionConflict) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// Reads the case, lets `build` validate the new version against it, and writes it unless another
/// write came in between. Then it re-reads and tries again, so edits of different fields merge.
async fn apply_update<F>(
    state: &AppState,
    caller: &Caller,
    id: CaseId,
    expected_version: Option<i64>,
    action: Action,
    build: F,
) -> ApiResult<CaseRecord>
where
    F: Fn(
        &Validator<'_>,
        &CaseRecord,
    ) -> Result<(sathi_domain::validation::ValidatedWrite, CaseStatus, bool), Vec<FieldError>>,
{
    let loaded = state.configuration();
    let validator = Validator::new(&loaded.config, state.today(&loaded.config));
    for _ in 0..UPDATE_ATTEMPTS {
        let Some(current) = state.store.case(&caller.principal, id).await? else {
            audit(state, caller, "case.update", Some(id), "not_found").await?;
            return Err(ApiError::not_found());
        };
        if expected_version.is_some_and(|expected| expected != current.version) {
            return Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"));
        }
        let (write, status, enabled) = build(&validator, &current).map_err(request_errors)?;
        // Nothing changes: no new version, so clients holding this version see no conflict.
        if write.changes.is_empty() && status == current.status && enabled == current.enabled {
            return Ok(current);
        }
        let update = CaseUpdate {
            id,
            action,
            expected_version: current.version,
            data: write.data,
            changes: write.changes,
            status,
            enabled,
            now: OffsetDateTime::now_utc(),
        };
        match state.store.update_case(&caller.principal, &update).await {
            Ok(Some(record)) => return Ok(record),
            // Readable but outside the write scope: the caller can read the case, so explain the refusal.
            Ok(None) => {
                audit(state, caller, "case.update", Some(id), "denied").await?;
                return Err(ApiError::forbidden());
            }
            Err(StoreError::VersionConflict) => {
                // A short random pause spreads out writers that collided, so they do not collide
                // again on the next read.
                let pause = rand::rng().random_range(1..=10);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                continue;
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// Turns whole-request problems reported as field errors into their own error codes.
fn request_errors(errors: Vec<FieldError>) -> ApiError {
    for code in ["already_closed", "not_closed"] {
        if errors.iter().any(|error| error.code == code) {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                if code == "already_closed" { "already_closed" } else { "not_closed" },
            );
        }
    }
    ApiError::validation(errors)
}

fn validator_today(state: &AppState) -> time::Date {
    let loaded = state.configuration();
    state.today(&loaded.config)
}

fn require(caller: &Caller, action: Action) -> ApiResult<()> {
    if caller.principal.can(action) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// The filter value that matches cases where the value is not recorded.
pub const NOT_RECORDED: &str = "none";

/// Parses the query parameters of a case list into the store's filter. Dashboards build their
/// figures' filters with it too, so a figure and its list run the same query.
pub fn case_filter(
    query: &CaseListQuery,
    today: time::Date,
    config: &Configuration,
) -> ApiResult<CaseFilter> {
    let scripts = &config.deployment.accepted_digit_scripts;
    let invalid = |name: &'static str, value: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter").with("name", name).with("value", value)
    };
    // A filter value that cannot match anything is a mistake to report, not "no cases".
    let known = |name: &'static str, value: &Option<String>, allowed: &dyn Fn(&str) -> bool| match value
        .as_deref()
        .map(str::trim)
        .filter(|raw| !raw.is_empty())
    {
        None => Ok(None),
        Some(raw) if allowed(raw) => Ok(Some(raw.to_owned())),
        Some(raw) => Err(invalid(name, raw)),
    };
    let option_of = |lookup: &str, raw: &str| {
        config.lookup(lookup).is_some_and(|lookup| lookup.options.iter().any(|option| option.id == raw))
    };
    let date = |name: &'static str, value: &Option<String>| -> ApiResult<Option<time::Date>> {
        value
            .as_deref()
            .map(|raw| dates::parse_date(raw, scripts).map_err(|_| invalid(name, raw)))
            .transpose()
    };
    let instant = |name: &'static str, value: &Option<String>| -> ApiResult<Option<OffsetDateTime>> {
        value.as_deref().map(|raw| dates::parse_instant(raw).map_err(|_| invalid(name, raw))).transpose()
    };
    let age = |name: &'static str, value: &Option<String>| -> ApiResult<Option<u32>> {
        let Some(raw) = value.as_deref().filter(|raw| !raw.trim().is_empty()) else { return Ok(None) };
        match sathi_domain::text::parse_number(raw, scripts) {
            Ok(number) if number >= 0.0 && number.fract() == 0.0 && number <= 150.0 => {
                Ok(Some(number as u32))
            }
            _ => Err(invalid(name, raw)),
        }
    };

    let status = match query.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(raw) => Some(CaseStatus::parse(raw).ok_or_else(|| invalid("status", raw))?),
    };
    let sort = match query.sort.as_deref() {
        None | Some("") => CaseSort::default(),
        Some(raw) => {
            serde_json::from_value(Value::String(raw.to_owned())).map_err(|_| invalid("sort", raw))?
        }
    };
    let flag = |name: &'static str, value: &Option<String>| -> ApiResult<Option<bool>> {
        match value.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(raw) => Err(invalid(name, raw)),
        }
    };
    // `none` selects the cases where the value is not recorded.
    let recorded = |name: &'static str, value: &Option<String>, allowed: &dyn Fn(&str) -> bool| {
        Ok::<_, ApiError>(match known(name, value, &|raw| raw == NOT_RECORDED || allowed(raw))? {
            Some(raw) if raw == NOT_RECORDED => Some(ValueFilter::NotRecorded),
            Some(raw) => Some(ValueFilter::Is(raw)),
            None => None,
        })
    };

    let as_of = date("as_of", &query.as_of)?.unwrap_or(today);
    let (age_min, age_max) = (age("age_min", &query.age_min)?, age("age_max", &query.age_max)?);
    let (born_from, born_to) = if age_min.is_some() || age_max.is_some() {
        let range = AgeRange { min: age_min.unwrap_or(0), max: age_max };
        if let Some(max) = range.max.filter(|max| *max < range.min) {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_age_range")
                .with("min", range.min)
                .with("max", max));
        }
        range.date_of_birth_bounds(as_of)
    } else {
        (None, None)
    };
    let mut risk_levels = Vec::new();
    for level in
        query.risk_level.as_deref().unwrap_or("").split(',').map(str::trim).filter(|level| !level.is_empty())
    {
        if level == NOT_RECORDED {
            risk_levels.push(ValueFilter::NotRecorded);
        } else if option_of("risk_level", level) {
            risk_levels.push(ValueFilter::Is(level.to_owned()));
        } else {
            return Err(invalid("risk_level", level));
        }
    }
    const STAGES: [&str; 7] =
        ["new", "assessment", "case_plan", "service_provision", "services_implemented", "closed", "reopened"];

    Ok(CaseFilter {
        status,
        enabled: Some(query.enabled.unwrap_or(true)),
        risk_levels,
        sex: recorded("sex", &query.sex, &|raw| option_of("sex", raw))?,
        born_from,
        born_to,
        age_unknown: flag("age_unknown", &query.age_unknown)?.unwrap_or(false),
        location: recorded("location", &query.location, &|raw| {
            config.locations.iter().any(|place| place.code == raw)
        })?,
        concern: recorded("protection_concern", &query.protection_concern, &|raw| {
            option_of("protection_concern", raw)
        })?,
        owner_id: query.owner,
        agency_id: known("agency", &query.agency, &|raw| config.agency(raw).is_some())?,
        registered_from: date("registered_from", &query.registered_from)?,
        registered_to: date("registered_to", &query.registered_to)?,
        closed_from: date("closed_from", &query.closed_from)?,
        closed_to: date("closed_to", &query.closed_to)?,
        assessed: flag("assessed", &query.assessed)?,
        case_plan_approved: flag("case_plan_approved", &query.case_plan_approved)?,
        updated_from: instant("updated_from", &query.updated_from)?,
        updated_to: instant("updated_to", &query.updated_to)?,
        stage: known("stage", &query.stage, &|raw| STAGES.contains(&raw))?,
        // U+0000 cannot reach PostgreSQL as text, and no name contains it.
        query: query.q.as_deref().map(|text| text.replace('\0', "")),
        sync_after: None,
        sort,
        offset: query.offset.unwrap_or(0).max(0),
        limit: query.limit.unwrap_or(50).clamp(1, 100),
    })
}

/// Renders cases as the caller may see them: the forms the caller may read (only the shared forms
/// for a case the caller reaches through referrals), calculated values, open conflicts and
/// active flags. Every response that carries a case view builds it here.
pub async fn render_cases(
    state: &AppState,
    principal: &Principal,
    cases: Vec<CaseRecord>,
) -> ApiResult<Vec<CaseView>> {
    let ids: Vec<CaseId> = cases.iter().map(|case| case.id).collect();
    let mut conflicts = state.store.open_conflicts(&ids).await?;
    let limited = referrals::case_principals(state, principal, &ids).await?;
    let mut views = Vec::with_capacity(cases.len());
    for case in cases {
        let (own, rest): (Vec<_>, Vec<_>) =
            conflicts.into_iter().partition(|conflict| conflict.case_id == case.id);
        conflicts = rest;
        let reader = limited.get(&case.id).unwrap_or(principal);
        let mut view = view_with_conflicts(state, reader, case, own);
        if limited.contains_key(&view.id) {
            let loaded = state.configuration();
            let readable =
                loaded.config.forms.iter().filter(|form| reader.form_access(&form.id) >= FormAccess::Read);
            view.shared_forms = Some(readable.map(|form| form.id.clone()).collect());
        }
        views.push(view);
    }
    crate::flags::attach_flags(state, &mut views).await?;
    Ok(views)
}

/// Renders one case as [`render_cases`] does.
pub async fn render_case(state: &AppState, principal: &Principal, record: CaseRecord) -> ApiResult<CaseView> {
    let mut views = render_cases(state, principal, vec![record]).await?;
    views.pop().ok_or_else(|| ApiError::internal("a rendered case went missing"))
}

/// Keeps only the forms the principal may read, and adds calculated values.
fn view(state: &AppState, principal: &Principal, record: CaseRecord) -> CaseView {
    let loaded = state.configuration();
    let config = &loaded.config;
    let today = state.today(config);
    let mut data = Map::new();
    let mut calculated = Map::new();
    for form in &config.forms {
        if principal.form_access(&form.id) < FormAccess::Read {
            continue;
        }
        for field in &form.fields {
            if let Some(value) = record.data.get(&field.id) {
                data.insert(field.id.clone(), value.clone());
            }
            if let sathi_domain::config::FieldKind::Calculated { calculation } = &field.kind
                && let Some(value) = calculate(calculation, &record.data, today)
            {
                calculated.insert(field.id.clone(), value);
            }
        }
    }
    CaseView {
        id: record.id,
        display_id: record.display_id,
        version: record.version,
        status: record.status.as_str().to_owned(),
        stage: record.stage,
        enabled: record.enabled,
        owner_id: record.owner_id,
        owner_agency_id: record.owner_agency_id,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
        data,
        calculated,
        conflicts: Vec::new(),
        flags: Vec::new(),
        shared_forms: None,
    }
}

/// Renders a case as [`view`] does, with those of its open conflicts the principal may read.
fn view_with_conflicts(
    state: &AppState,
    principal: &Principal,
    record: CaseRecord,
    conflicts: Vec<sathi_store::CaseConflict>,
) -> CaseView {
    let mut rendered = view(state, principal, record);
    rendered.conflicts = crate::sync::readable_conflicts(state, principal, conflicts);
    rendered
}

fn calculate(
    calculation: &sathi_domain::config::Calculation,
    data: &Map<String, Value>,
    today: time::Date,
) -> Option<Value> {
    use sathi_domain::config::Calculation;
    let date_of =
        |key: &str| data.get(key).and_then(Value::as_str).and_then(|raw| dates::parse_date(raw, &[]).ok());
    match calculation {
        Calculation::AgeYears { from } => {
            date_of(from).map(|born| Value::from(dates::age_years(born, today)))
        }
        Calculation::DaysBetween { from, to } => {
            let start = date_of(from)?;
            let end = match to {
                Some(to) => date_of(to)?,
                None => today,
            };
            Some(Value::from((end - start).whole_days()))
        }
    }
}

/// Returns whether `principal` reads the form that holds the top-level field `field`.
pub(crate) fn field_readable(
    config: &sathi_domain::config::Configuration,
    principal: &Principal,
    field: &str,
) -> bool {
    config
        .forms
        .iter()
        .find(|form| form.fields.iter().any(|known| known.id == field))
        .is_some_and(|form| principal.form_access(&form.id) >= FormAccess::Read)
}

/// Builds a list row with the values of the fields `readable` accepts; the others are null.
fn summary(record: &CaseRecord, today: time::Date, readable: &dyn Fn(&str) -> bool) -> CaseSummary {
    let text = |key: &str| {
        if !readable(key) {
            return None;
        }
        record.data.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let name = readable("name_first")
        .then(|| {
            let parts: Vec<String> =
                ["name_first", "name_middle", "name_last"].iter().filter_map(|key| text(key)).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .flatten();
    let born = text("date_of_birth").and_then(|raw| dates::parse_date(&raw, &[]).ok());
    CaseSummary {
        id: record.id,
        display_id: record.display_id.clone(),
        name,
        sex: text("sex"),
        age: born.map(|born| dates::age_years(born, today)),
        age_estimated: readable("date_of_birth_estimated")
            && record.data.get("date_of_birth_estimated") == Some(&Value::Bool(true)),
        risk_level: text("risk_level"),
        status: record.status.as_str().to_owned(),
        stage: record.stage.clone(),
        location: text("location_current"),
        owner_id: record.owner_id,
        owner_agency_id: record.owner_agency_id.clone(),
        updated_at: record.updated_at,
    }
}

/// Makes a short id people can read out over a phone: the prefix and six characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L, U/V).
pub fn new_display_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
    let mut rng = rand::rng();
    let suffix: String = (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{prefix}-{suffix}")
}

pub async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &str,
    case_id: Option<CaseId>,
    outcome: &str,
) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(caller.user.id),
            action: action.to_owned(),
            case_id,
            outcome: outcome.to_owned(),
            detail: serde_json::json!({}),
            at: OffsetDateTime::now_utc(),
        })
        .await?;
    Ok(())
}
