//! What a person settles after sync: field conflicts (`/conflicts`, `.../resolve`) and the
//! mutations kept aside (`/sync/quarantine`): those of deactivated users, and a former owner's
//! edits that arrived after a transfer.
//!
//! A conflict is listed to, and resolved by, users whose write scope covers its case. A
//! quarantined mutation is listed to users whose write scope reaches its user. That is the
//! members of their groups for a group-scope supervisor, the agency's users for an agency-scope
//! role, and everyone for an all-scope role. The supervisor applies it as themselves, with the
//! merge rules of `POST /sync`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::validation::{AppliedChange, Change, Validator};
use sathi_store::{
    CaseUpdate, CaseWrite, ChangeLink, ConflictResolution, MutationCommit, QuarantineReview,
    QuarantinedMutation, StoreError,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::cases::{CaseView, ConflictView, render_case};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::sync::{Actor, Mutation, MutationResult, audit, evaluate, readable_conflicts};

/// How often a resolution is validated again after another write to its case got in first.
const RESOLVE_ATTEMPTS: usize = 50;

/// An open conflict with the display id of its case.
#[derive(Serialize, ToSchema)]
pub struct ConflictListItem {
    pub display_id: String,
    #[serde(flatten)]
    pub conflict: ConflictView,
}

#[derive(Deserialize, ToSchema)]
pub struct ResolveRequest {
    /// The value to keep: usually one of the candidates' values, but any valid value.
    #[schema(value_type = Object)]
    pub value: Value,
}

/// List the open conflicts on cases the caller may change.
#[utoipa::path(get, path = "/conflicts", tag = "sync",
    responses((status = 200, body = Vec<ConflictListItem>), (status = 403, body = ErrorBody)))]
pub async fn list_conflicts(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ConflictListItem>>> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let rows = state.store.conflicts_in_scope(&caller.principal).await?;
    // Only conflicts on the shared forms are listed to a referral's recipient.
    let case_ids: Vec<CaseId> = rows.iter().map(|(conflict, _)| conflict.case_id).collect();
    let limited = crate::referrals::case_principals(&state, &caller.principal, &case_ids).await?;
    let mut items = Vec::with_capacity(rows.len());
    for (conflict, display_id) in rows {
        let reader = limited.get(&conflict.case_id).unwrap_or(&caller.principal);
        for view in readable_conflicts(&state, reader, vec![conflict]) {
            items.push(ConflictListItem { display_id: display_id.clone(), conflict: view });
        }
    }
    Ok(Json(items))
}

/// Resolve a conflict with a value: a new version of the case, linked to the conflict.
#[utoipa::path(post, path = "/cases/{id}/conflicts/{conflict_id}/resolve", tag = "sync",
    params(("id" = String, Path, format = Uuid), ("conflict_id" = String, Path, format = Uuid)),
    request_body = ResolveRequest,
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`conflict_resolved`"), (status = 422, body = ErrorBody)))]
pub async fn resolve_conflict(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, conflict_id)): ApiPath<(CaseId, Uuid)>,
    ApiJson(request): ApiJson<ResolveRequest>,
) -> ApiResult<Json<CaseView>> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let Some(conflict) = state.store.conflict(&caller.principal, id, conflict_id).await? else {
        return Err(ApiError::not_found());
    };
    if conflict.status != "open" {
        return Err(ApiError::new(StatusCode::CONFLICT, "conflict_resolved"));
    }

    let loaded = state.configuration();
    let validator = Validator::new(&loaded.config, state.today(&loaded.config));
    // A referral's recipient resolves conflicts on the shared forms only, as in `PATCH`.
    let principal = crate::referrals::case_principal(&state, &caller.principal, id).await?;
    let access = |form: &str| principal.form_access(form);
    let change = Change { path: conflict.path.clone(), value: request.value };
    for _ in 0..RESOLVE_ATTEMPTS {
        let Some(current) = state.store.case_for(&caller.principal, id, Action::Write).await? else {
            return Err(ApiError::not_found());
        };
        let mut write = validator
            .validate_update(&current.data, std::slice::from_ref(&change), &access)
            .map_err(ApiError::validation)?;
        // Choosing the value the case holds still records the decision in the change log.
        if write.changes.is_empty() {
            let held = sathi_domain::merge::value_at(&current.data, &conflict.path);
            write.changes.push(AppliedChange {
                path: conflict.path.clone(),
                old_value: held.clone(),
                new_value: held,
            });
        }
        let resolved_value = sathi_domain::merge::value_at(&write.data, &conflict.path);
        let now = OffsetDateTime::now_utc();
        let commit = MutationCommit {
            write: Some(CaseWrite::Update(CaseUpdate {
                id,
                action: Action::Write,
                expected_version: current.version,
                data: write.data,
                changes: write.changes,
                status: current.status,
                enabled: current.enabled,
                now,
            })),
            link: ChangeLink { mutation_id: None, conflict_id: Some(conflict.id) },
            resolves: Some(ConflictResolution {
                conflict_id: conflict.id,
                value: resolved_value,
                by: caller.user.id,
                at: now,
            }),
            ..MutationCommit::default()
        };
        match state.store.commit_mutation(&caller.principal, &commit).await {
            Ok(Some(record)) => {
                let detail = serde_json::json!({"conflict_id": conflict.id, "version": record.version});
                audit(&state, caller.user.id, "case.conflict_resolve", Some(id), "ok", detail).await?;
                return Ok(Json(render_case(&state, &caller.principal, record).await?));
            }
            Ok(None) => return Err(ApiError::not_found()),
            Err(StoreError::AlreadyDone) => {
                return Err(ApiError::new(StatusCode::CONFLICT, "conflict_resolved"));
            }
            Err(StoreError::VersionConflict) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// A mutation kept aside for a supervisor.
#[derive(Serialize, ToSchema)]
pub struct QuarantineView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
    pub username: Option<String>,
    pub full_name: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub device_id: Uuid,
    /// `held`, `applied` or `discarded`.
    pub status: String,
    /// Why it was kept aside: `account_disabled` (its user was disabled) or `not_owner_since`
    /// (its user lost the case through an accepted transfer before it arrived).
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    /// The mutation as the device sent it.
    pub mutation: Mutation,
    #[schema(value_type = Option<MutationResult>)]
    pub result: Option<Value>,
}

impl TryFrom<QuarantinedMutation> for QuarantineView {
    type Error = ApiError;

    fn try_from(held: QuarantinedMutation) -> ApiResult<Self> {
        let mutation = serde_json::from_value(held.mutation)
            .map_err(|error| ApiError::internal(format!("a quarantined mutation does not parse: {error}")))?;
        Ok(QuarantineView {
            id: held.id,
            user_id: held.user_id,
            username: held.username,
            full_name: held.full_name,
            device_id: held.device_id,
            status: held.status,
            reason: held.reason,
            received_at: held.received_at,
            mutation,
            result: held.result,
        })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct DiscardRequest {
    /// The reason the mutation is not applied, kept with it.
    pub reason: String,
}

/// List the held mutations of the users the caller supervises.
#[utoipa::path(get, path = "/sync/quarantine", tag = "sync",
    responses((status = 200, body = Vec<QuarantineView>), (status = 403, body = ErrorBody)))]
pub async fn list_quarantine(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<QuarantineView>>> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let held = state.store.quarantined(&caller.principal).await?;
    let views = held.into_iter().map(QuarantineView::try_from).collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(views))
}

/// Apply a held mutation as the caller, with the usual merge rules.
#[utoipa::path(post, path = "/sync/quarantine/{id}/apply", tag = "sync", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = QuarantineView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`already_reviewed`")))]
pub async fn apply_quarantined(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<QuarantineView>> {
    let held = reviewable(&state, &caller, id).await?;
    let mutation: Mutation = serde_json::from_value(held.mutation.clone())
        .map_err(|error| ApiError::internal(format!("a quarantined mutation does not parse: {error}")))?;
    let actor = Actor { principal: &caller.principal, user: &caller.user };
    for _ in 0..RESOLVE_ATTEMPTS {
        let (mut commit, result) = evaluate(&state, &actor, held.device_id, &mutation).await?;
        let result_value = serde_json::to_value(&result).map_err(ApiError::internal)?;
        if result.status == "rejected" {
            // Nothing applies. The mutation stays held, with the rejection on record for the
            // list, so that a supervisor can discard it with a reason.
            let attempt = QuarantineReview {
                id,
                status: "held".to_owned(),
                by: caller.user.id,
                at: OffsetDateTime::now_utc(),
                note: None,
                result: result_value.clone(),
            };
            match state.store.review_quarantine(&attempt).await {
                Ok(()) => {}
                Err(StoreError::AlreadyDone) => {
                    return Err(ApiError::new(StatusCode::CONFLICT, "already_reviewed"));
                }
                Err(error) => return Err(error.into()),
            }
            let mut view = QuarantineView::try_from(held)?;
            view.result = Some(result_value);
            audit(
                &state,
                caller.user.id,
                "sync.quarantine_apply",
                Some(mutation.record_id),
                "rejected",
                review_detail(id),
            )
            .await?;
            return Ok(Json(view));
        }
        commit.review = Some(QuarantineReview {
            id,
            status: "applied".to_owned(),
            by: caller.user.id,
            at: OffsetDateTime::now_utc(),
            note: None,
            result: result_value.clone(),
        });
        match state.store.commit_mutation(&caller.principal, &commit).await {
            Ok(None) if commit.write.is_some() => continue,
            Ok(_) => {
                audit(
                    &state,
                    caller.user.id,
                    "sync.quarantine_apply",
                    Some(mutation.record_id),
                    &result.status,
                    review_detail(id),
                )
                .await?;
                let mut view = QuarantineView::try_from(held)?;
                view.status = "applied".to_owned();
                view.result = Some(result_value);
                return Ok(Json(view));
            }
            Err(StoreError::AlreadyDone) => {
                return Err(ApiError::new(StatusCode::CONFLICT, "already_reviewed"));
            }
            Err(StoreError::VersionConflict | StoreError::Duplicate(_)) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::new(StatusCode::CONFLICT, "version_conflict"))
}

/// Discard a held mutation with a reason; it stays on record.
#[utoipa::path(post, path = "/sync/quarantine/{id}/discard", tag = "sync", params(("id" = String, Path, format = Uuid)),
    request_body = DiscardRequest,
    responses((status = 200, body = QuarantineView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`already_reviewed`"), (status = 422, body = ErrorBody)))]
pub async fn discard_quarantined(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<DiscardRequest>,
) -> ApiResult<Json<QuarantineView>> {
    let reason = sathi_domain::text::clean_text(&request.reason);
    if reason.is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "reason_required"));
    }
    let held = reviewable(&state, &caller, id).await?;
    let review = QuarantineReview {
        id,
        status: "discarded".to_owned(),
        by: caller.user.id,
        at: OffsetDateTime::now_utc(),
        note: Some(reason),
        // The rejection of an earlier apply stays on record with the discard.
        result: held.result.clone().unwrap_or(Value::Null),
    };
    match state.store.review_quarantine(&review).await {
        Ok(()) => {}
        Err(StoreError::AlreadyDone) => return Err(ApiError::new(StatusCode::CONFLICT, "already_reviewed")),
        Err(error) => return Err(error.into()),
    }
    audit(&state, caller.user.id, "sync.quarantine_discard", held.case_id, "discarded", review_detail(id))
        .await?;
    let mut view = QuarantineView::try_from(held)?;
    view.status = "discarded".to_owned();
    Ok(Json(view))
}

/// Reads a held mutation the caller may review. A missing mutation and one out of the caller's
/// scope both return 404; only a caller who may see it gets 409 for one already reviewed.
async fn reviewable(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<QuarantinedMutation> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let Some(held) = state.store.quarantined_one(&caller.principal, id).await? else {
        return Err(ApiError::not_found());
    };
    if held.status != "held" {
        return Err(ApiError::new(StatusCode::CONFLICT, "already_reviewed"));
    }
    Ok(held)
}

fn review_detail(id: Uuid) -> Value {
    serde_json::json!({"quarantine_id": id})
}
