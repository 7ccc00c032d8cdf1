//! Approval requests over HTTP. A caseworker requests approval of the assessment, the case plan
//! or the closure, and a supervisor approves or rejects it with a comment. The requester may
//! withdraw it.
//!
//! Decisions are compare-and-set on the request's version: the loser of two decisions gets
//! 409 `state_changed` with the status and version now. An approval writes a case version,
//! by the approver, that sets `assessment_approved_on`, `case_plan_approved_on` or
//! `closure_approved_on` to today in the deployment's zone. A closure approval closes the case.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::dates;
use sathi_domain::ids::CaseId;
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::validation::AppliedChange;
use sathi_domain::workflow::CaseStatus;
use sathi_store::{
    Approval, ApprovalCreate, ApprovalDecision, ApprovalFilter, CaseRecord, CaseUpdate, DecisionOutcome,
    NewApproval, StoreError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::cases::audit;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::flags::UserRef;
use crate::state::AppState;

/// Maximum number of times a decision re-reads the case after another write changed it.
const DECIDE_ATTEMPTS: usize = 20;
/// Maximum length of a request's or a decision's comment, in characters.
const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    Assessment,
    CasePlan,
    Closure,
}

impl ApprovalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Assessment => "assessment",
            ApprovalKind::CasePlan => "case_plan",
            ApprovalKind::Closure => "closure",
        }
    }

    /// The read-only field that an approval sets to its date.
    fn approved_on_field(self) -> &'static str {
        match self {
            ApprovalKind::Assessment => "assessment_approved_on",
            ApprovalKind::CasePlan => "case_plan_approved_on",
            ApprovalKind::Closure => "closure_approved_on",
        }
    }

    /// Returns the error code of the first precondition the case's data fails.
    fn unmet_precondition(self, data: &Map<String, Value>) -> Option<&'static str> {
        let is_set = |key: &str| data.get(key).is_some_and(|value| !value.is_null() && value != "");
        match self {
            ApprovalKind::Assessment if !is_set("assessment_completed_on") => {
                Some("assessment_not_completed")
            }
            ApprovalKind::CasePlan
                if data
                    .get("case_plan_interventions")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty) =>
            {
                Some("case_plan_empty")
            }
            ApprovalKind::Closure if !is_set("closure_reason") => Some("closure_reason_missing"),
            _ => None,
        }
    }
}

/// An approval request as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub display_id: String,
    /// `assessment`, `case_plan` or `closure`.
    pub kind: String,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    /// Grows by one on every decision; send it back as `expected_version`.
    pub version: i64,
    pub requested_by: UserRef,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: OffsetDateTime,
    pub request_comment: Option<String>,
    pub decided_by: Option<UserRef>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<OffsetDateTime>,
    /// The decider's comment; always present on a rejection.
    pub comment: Option<String>,
}

impl From<Approval> for ApprovalView {
    fn from(approval: Approval) -> Self {
        ApprovalView {
            id: approval.id,
            case_id: approval.case_id,
            display_id: approval.display_id,
            kind: approval.kind,
            status: approval.status,
            version: approval.version,
            requested_by: UserRef { id: approval.requested_by, full_name: approval.requested_by_name },
            requested_at: approval.requested_at,
            request_comment: approval.request_comment,
            decided_by: approval.decided_by.map(|id| UserRef { id, full_name: approval.decided_by_name }),
            decided_at: approval.decided_at,
            comment: approval.comment,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RequestApprovalRequest {
    /// A request id made by the client (UUID), so a retry sent from the offline queue finds
    /// the first request.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<uuid::Uuid>,
    pub kind: ApprovalKind,
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DecideRequest {
    /// The request's version the decision is based on.
    pub expected_version: i64,
    /// Required to reject; optional to approve; ignored on withdraw.
    pub comment: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprovalListQuery {
    /// `pending`, `approved`, `rejected`, `withdrawn`, or `all` (default).
    pub status: Option<String>,
    /// `true` lists only requests the caller may decide, leaving out the caller's own.
    pub decidable: Option<bool>,
}

/// Cleans a comment with [`crate::error::clean_free_text`], limited to [`MAX_COMMENT_CHARS`].
fn clean_comment(raw: Option<&str>) -> ApiResult<Option<String>> {
    crate::error::clean_free_text(raw, MAX_COMMENT_CHARS, "comment")
}

/// Returns the configured roles that grant Approve, with their scope, so a new request can
/// notify the users who may decide it.
fn approver_roles(state: &AppState) -> Vec<(String, Scope)> {
    let loaded = state.configuration();
    loaded
        .config
        .roles
        .iter()
        .filter_map(|role| role.scope_of(Action::Approve).map(|scope| (role.id.clone(), scope)))
        .collect()
}

/// Ask for the assessment, case plan or closure of a case to be approved. Supervisors whose
/// approval scope covers the case are notified.
#[utoipa::path(post, path = "/cases/{id}/approvals", tag = "approvals", params(("id" = String, Path, format = Uuid)),
    request_body = RequestApprovalRequest,
    responses((status = 201, body = ApprovalView), (status = 200, body = ApprovalView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_approval(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<RequestApprovalRequest>,
) -> ApiResult<(StatusCode, Json<ApprovalView>)> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let comment = clean_comment(request.comment.as_deref())?;
    let id = request.id.unwrap_or_else(uuid::Uuid::now_v7);

    // A retry returns the stored request, whatever the case contains now. The same id with
    // another case, kind or comment is not a retry, so it gets 409 `id_reused`.
    if request.id.is_some()
        && let Some(existing) = state.store.approval(&caller.principal, id).await?
    {
        if existing.case_id != case_id
            || existing.kind != request.kind.as_str()
            || existing.request_comment != comment
        {
            return Err(crate::referrals::id_reused());
        }
        return Ok((StatusCode::OK, Json(ApprovalView::from(existing))));
    }
    let Some(case) = state.store.case_for(&caller.principal, case_id, Action::Write).await? else {
        return Err(crate::flags::refusal(&state, &caller, case_id).await?);
    };
    // A referral's recipient takes no action on the case itself.
    if crate::referrals::is_guest(&state, &caller.principal, case_id).await? {
        return Err(ApiError::not_found());
    }
    if let Some(code) = request.kind.unmet_precondition(&case.data) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code));
    }
    let new = NewApproval { id, case_id, kind: request.kind.as_str().to_owned(), comment, now: state.now() };
    match state.store.create_approval(&caller.principal, &new, &approver_roles(&state)).await {
        Ok(Some(ApprovalCreate::Created(created))) => {
            audit(&state, &caller, "approval.request", Some(case_id), "ok").await?;
            tracing::info!(case_id = %case_id, approval_id = %created.id, kind = %created.kind, "approval requested");
            Ok((StatusCode::CREATED, Json(ApprovalView::from(created))))
        }
        Ok(Some(ApprovalCreate::Existing(existing))) => {
            Ok((StatusCode::OK, Json(ApprovalView::from(existing))))
        }
        Ok(Some(ApprovalCreate::Pending(existing))) => {
            let mut error =
                ApiError::new(StatusCode::CONFLICT, "approval_pending").with("id", existing.to_string());
            error.state.existing_id = Some(existing.to_string());
            Err(error)
        }
        Ok(Some(ApprovalCreate::IdTaken)) => Err(crate::referrals::id_reused()),
        Ok(None) => Err(ApiError::not_found()),
        // The pending request was decided while this one was inserted, so the client may retry.
        Err(StoreError::VersionConflict) => Err(ApiError::new(StatusCode::CONFLICT, "version_conflict")),
        Err(error) => Err(error.into()),
    }
}

/// List approval requests: those the caller may decide, and the caller's own requests.
#[utoipa::path(get, path = "/approvals", tag = "approvals", params(ApprovalListQuery),
    responses((status = 200, body = Vec<ApprovalView>), (status = 400, body = ErrorBody)))]
pub async fn list_approvals(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ApprovalListQuery>,
) -> ApiResult<Json<Vec<ApprovalView>>> {
    let status = match query.status.as_deref() {
        None | Some("") | Some("all") => None,
        Some(raw @ ("pending" | "approved" | "rejected" | "withdrawn")) => Some(raw.to_owned()),
        Some(raw) => {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter")
                .with("name", "status")
                .with("value", raw));
        }
    };
    let filter = ApprovalFilter {
        status,
        decidable_only: query.decidable.unwrap_or(false),
        ..ApprovalFilter::default()
    };
    let approvals = state.store.approvals(&caller.principal, &filter).await?;
    Ok(Json(approvals.into_iter().map(ApprovalView::from).collect()))
}

/// The approval requests of one case, newest first.
#[utoipa::path(get, path = "/cases/{id}/approvals", tag = "approvals", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ApprovalView>), (status = 404, body = ErrorBody)))]
pub async fn case_approvals(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<ApprovalView>>> {
    if state.store.case(&caller.principal, case_id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    // Every request of a readable case, not only the caller's: the case's history.
    let filter = ApprovalFilter { case_id: Some(case_id), ..ApprovalFilter::default() };
    let approvals = state.store.approvals(&caller.principal, &filter).await?;
    Ok(Json(approvals.into_iter().map(ApprovalView::from).collect()))
}

/// Approve a request. The case gets a new version, by the approver, with the approval date;
/// a closure approval closes the case.
#[utoipa::path(post, path = "/approvals/{id}/approve", tag = "approvals", params(("id" = String, Path, format = Uuid)),
    request_body = DecideRequest,
    responses((status = 200, body = ApprovalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    ApiJson(request): ApiJson<DecideRequest>,
) -> ApiResult<Json<ApprovalView>> {
    decide(&state, &caller, id, request, "approved").await
}

/// Reject a request with a comment that says what to change. The requester sees it in their
/// tasks for 14 days.
#[utoipa::path(post, path = "/approvals/{id}/reject", tag = "approvals", params(("id" = String, Path, format = Uuid)),
    request_body = DecideRequest,
    responses((status = 200, body = ApprovalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    ApiJson(request): ApiJson<DecideRequest>,
) -> ApiResult<Json<ApprovalView>> {
    decide(&state, &caller, id, request, "rejected").await
}

/// Withdraw one's own pending request.
#[utoipa::path(post, path = "/approvals/{id}/withdraw", tag = "approvals", params(("id" = String, Path, format = Uuid)),
    request_body = DecideRequest,
    responses((status = 200, body = ApprovalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    ApiJson(request): ApiJson<DecideRequest>,
) -> ApiResult<Json<ApprovalView>> {
    decide(&state, &caller, id, request, "withdrawn").await
}

async fn decide(
    state: &AppState,
    caller: &Caller,
    id: uuid::Uuid,
    request: DecideRequest,
    status: &'static str,
) -> ApiResult<Json<ApprovalView>> {
    if status != "withdrawn" && !caller.principal.can(Action::Approve) {
        return Err(ApiError::forbidden());
    }
    let comment = if status == "withdrawn" { None } else { clean_comment(request.comment.as_deref())? };
    if status == "rejected" && comment.is_none() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "comment_required"));
    }

    for _ in 0..DECIDE_ATTEMPTS {
        let Some(approval) = state.store.approval(&caller.principal, id).await? else {
            return Err(ApiError::not_found());
        };
        if approval.status != "pending" || approval.version != request.expected_version {
            return Err(ApiError::state_changed(&approval.status, approval.version, "pending"));
        }
        if status != "withdrawn" && approval.requested_by == caller.user.id {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "own_approval"));
        }
        let now = state.now();
        let case_update = if status == "approved" {
            let Some(case) =
                state.store.case_for(&caller.principal, approval.case_id, Action::Approve).await?
            else {
                return Err(ApiError::forbidden());
            };
            check_still_approvable(state, caller, &approval, &case).await?;
            Some(approval_write(state, &approval, &case, now)?)
        } else {
            None
        };
        let decision = ApprovalDecision {
            id,
            expected_version: request.expected_version,
            status,
            comment: comment.clone(),
            now,
            case_update,
        };
        match state.store.decide_approval(&caller.principal, &decision).await {
            Ok(Some(DecisionOutcome::Decided(decided, record))) => {
                let action = match status {
                    "approved" => "approval.approve",
                    "rejected" => "approval.reject",
                    _ => "approval.withdraw",
                };
                audit(state, caller, action, Some(decided.case_id), "ok").await?;
                tracing::info!(
                    case_id = %decided.case_id,
                    approval_id = %decided.id,
                    status,
                    case_version = record.as_ref().map(|record| record.version),
                    "approval decided"
                );
                return Ok(Json(ApprovalView::from(*decided)));
            }
            Ok(Some(DecisionOutcome::StateChanged { status, version })) => {
                return Err(ApiError::state_changed(&status, version, "pending"));
            }
            Ok(Some(DecisionOutcome::NotPermitted)) => return Err(ApiError::forbidden()),
            Ok(None) => return Err(ApiError::not_found()),
            // The case changed after it was read: read both again.
            Err(StoreError::VersionConflict) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// Checks again, on approval, the precondition of the request's kind, because the case may have
/// changed since the request. A closure also requires that no referral is pending or accepted
/// and no transfer is pending, or else it gets 422 `closure_blocked` naming them.
async fn check_still_approvable(
    state: &AppState,
    caller: &Caller,
    approval: &Approval,
    case: &CaseRecord,
) -> ApiResult<()> {
    let kind: ApprovalKind = serde_json::from_value(Value::String(approval.kind.clone()))
        .map_err(|_| ApiError::internal(format!("approval {} has an unknown kind", approval.id)))?;
    if let Some(code) = kind.unmet_precondition(&case.data) {
        let message = match code {
            "assessment_not_completed" => "error-assessment_not_completed-decision",
            "case_plan_empty" => "error-case_plan_empty-decision",
            _ => "error-closure_reason_missing-decision",
        };
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code).with_message(message));
    }
    if kind != ApprovalKind::Closure {
        return Ok(());
    }
    let mut open: Vec<String> = Vec::new();
    for referral in state.store.case_referrals(&caller.principal, case.id).await?.unwrap_or_default() {
        if matches!(referral.status.as_str(), "pending" | "accepted") {
            open.push(referral.id.0.to_string());
        }
    }
    for transfer in state.store.case_transfers(&caller.principal, case.id).await?.unwrap_or_default() {
        if transfer.status == "pending" {
            open.push(transfer.id.to_string());
        }
    }
    if open.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "closure_blocked").with("ids", open.join(", ")))
}

/// Builds the case version an approval writes: the approval date, and for a closure the
/// closure date (if missing or null) and the closed status.
fn approval_write(
    state: &AppState,
    approval: &Approval,
    case: &CaseRecord,
    now: OffsetDateTime,
) -> ApiResult<CaseUpdate> {
    let kind: ApprovalKind = serde_json::from_value(Value::String(approval.kind.clone()))
        .map_err(|_| ApiError::internal(format!("approval {} has an unknown kind", approval.id)))?;
    let loaded = state.configuration();
    let today = Value::String(dates::format_date(state.today(&loaded.config)));
    let mut sets = vec![(kind.approved_on_field(), today.clone())];
    let mut status = case.status;
    if kind == ApprovalKind::Closure {
        if case.data.get("closure_date").is_none_or(Value::is_null) {
            sets.push(("closure_date", today));
        }
        status = CaseStatus::Closed;
    }
    let (data, changes) = system_changes(&case.data, &sets);
    Ok(CaseUpdate {
        id: case.id,
        action: Action::Approve,
        expected_version: case.version,
        data,
        changes,
        status,
        enabled: case.enabled,
        now,
    })
}

/// Sets fields the server owns (read-only to people, so the validator would reject them) and
/// returns the new data with a change-log entry for each value that changed.
pub fn system_changes(
    current: &Map<String, Value>,
    sets: &[(&str, Value)],
) -> (Map<String, Value>, Vec<AppliedChange>) {
    let mut data = current.clone();
    let mut changes = Vec::new();
    for (field, value) in sets {
        let old_value = data.get(*field).cloned().unwrap_or(Value::Null);
        if old_value != *value {
            changes.push(AppliedChange { path: (*field).to_owned(), old_value, new_value: value.clone() });
            data.insert((*field).to_owned(), value.clone());
        }
    }
    (data, changes)
}
