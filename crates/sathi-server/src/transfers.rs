//! Transfers of case ownership over HTTP: offering a case to another agency or user, asking the
//! owner for a case, the lists, and accept, reject and revoke as compare-and-set on the version.
//! Accepting moves the case to its new owner in one store transaction with one audit entry.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_domain::principal::Principal;
use sathi_store::{
    ConsentDecision, Moved, NewTransfer, Opened, StoreError, Transfer, TransferStep, Transition,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::referrals::{
    PersonView, child_names, clean, consent_basis, id_reused, list_filters, pending_error,
    recipients_to_notify, unprocessable,
};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct CreateTransferRequest {
    /// A transfer id made by the client, so a retried request returns the first transfer.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<Uuid>,
    pub to_agency_id: String,
    /// An active user of `to_agency_id`; without one, any user of the agency whose role
    /// transfers cases may accept, except the sender.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub to_user_id: Option<UserId>,
    pub note: Option<String>,
    /// Why the case goes outside the owner's agency without recorded consent; needs the
    /// `override_consent` grant.
    pub consent_override_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTransferRequestRequest {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct TransferTransitionRequest {
    /// The version the caller saw; a transfer at another version or status is not changed.
    pub expected_version: i64,
    /// The reason of a rejection (required).
    pub reason: Option<String>,
    /// The reason for accepting a request from another agency without recorded consent. Needs
    /// the `override_consent` grant over the case.
    pub consent_override_reason: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferListQuery {
    /// `incoming` (default): addressed to the caller, to the caller's agency, or requests for the
    /// caller's cases. `outgoing`: sent by the caller or on cases the caller may transfer.
    #[serde(rename = "box")]
    #[param(rename = "box")]
    pub list: Option<String>,
    /// `open` (default) or `pending`, which both list pending transfers; `closed` or `all`.
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TransferView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub display_id: String,
    pub child_name: Option<String>,
    /// `transfer` (the sender offers the case) or `request` (the sender asks the owner for it).
    pub kind: String,
    /// `pending`, `accepted`, `rejected` or `revoked`.
    pub status: String,
    pub version: i64,
    pub from_user: PersonView,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub to_user: Option<PersonView>,
    pub consent_basis: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    /// The owner the case had when the transfer was accepted.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub previous_owner_id: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// The transitions the caller may take now: `accept`, `reject`, `revoke`.
    pub can: Vec<String>,
}

/// Offer a case to another agency or user; accepting it makes them the owner.
#[utoipa::path(post, path = "/cases/{id}/transfers", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = CreateTransferRequest,
    responses((status = 201, body = TransferView), (status = 200, body = TransferView, description = "The transfer with this id exists already"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody,
        description = "`consent_missing`, `transfer_pending` (with `existing_id`), `invalid_recipient`")))]
pub async fn create_transfer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CreateTransferRequest>,
) -> ApiResult<(StatusCode, Json<TransferView>)> {
    if !caller.principal.can(Action::Transfer) {
        return Err(ApiError::forbidden());
    }
    let notify =
        recipients_to_notify(&state, &request.to_agency_id, request.to_user_id, Action::Transfer).await?;
    let id = request.id.unwrap_or_else(Uuid::now_v7);
    let note = clean(request.note, "note")?;
    let retried = |transfer: &Transfer| {
        transfer.kind == "transfer"
            && transfer.to_agency_id == request.to_agency_id
            && request.to_user_id.is_none_or(|user| transfer.to_user_id == Some(user))
            && transfer.note == note
    };
    if let Some(existing) = existing(&state, &caller, request.id, case_id, retried).await? {
        return Ok((StatusCode::OK, Json(existing)));
    }
    let Some(case) = state.store.case_for(&caller.principal, case_id, Action::Transfer).await? else {
        return Err(ApiError::not_found());
    };
    if request.to_user_id == Some(case.owner_id) {
        return Err(unprocessable("invalid_recipient"));
    }
    let (consent_basis, consent_override) = consent_basis(
        &state,
        &caller,
        &case,
        &request.to_agency_id,
        request.consent_override_reason.as_deref(),
    )
    .await?;
    let new = NewTransfer {
        id,
        case_id,
        kind: "transfer".to_owned(),
        to_agency_id: request.to_agency_id,
        to_user_id: request.to_user_id,
        consent_basis: consent_basis.to_owned(),
        consent_override,
        note,
        notify,
        now: state.now(),
    };
    open(&state, &caller, &new).await
}

/// Ask the owner of a case the caller can read for the case. The caller's role must transfer
/// cases, and the caller must read the case through ownership, assignment or scope: a referral's
/// recipient gets 404, as for a case out of scope. A request from another agency than the
/// owner's records `consent_basis` `given` or, without recorded consent, `none`; the owner's
/// accept applies the consent rule.
#[utoipa::path(post, path = "/cases/{id}/transfer-requests", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = CreateTransferRequestRequest,
    responses((status = 201, body = TransferView), (status = 200, body = TransferView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`id_reused`"),
        (status = 422, body = ErrorBody, description = "`transfer_pending` (with `existing_id`)")))]
pub async fn create_transfer_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CreateTransferRequestRequest>,
) -> ApiResult<(StatusCode, Json<TransferView>)> {
    if !caller.principal.can(Action::Transfer) {
        return Err(ApiError::forbidden());
    }
    let id = request.id.unwrap_or_else(Uuid::now_v7);
    let note = clean(request.note, "note")?;
    let retried = |transfer: &Transfer| transfer.kind == "request" && transfer.note == note;
    if let Some(existing) = existing(&state, &caller, request.id, case_id, retried).await? {
        return Ok((StatusCode::OK, Json(existing)));
    }
    if crate::referrals::is_guest(&state, &caller.principal, case_id).await? {
        return Err(ApiError::not_found());
    }
    let Some(case) = state.store.case_for(&caller.principal, case_id, Action::Read).await? else {
        return Err(ApiError::not_found());
    };
    // The owner's accept decides the consent of a request across agencies again. Until then,
    // `none` shows that the case records no consent to share.
    let consent_basis = if case.owner_agency_id == caller.principal.agency_id {
        "internal"
    } else if case.data.get("consent_for_sharing") == Some(&serde_json::Value::Bool(true)) {
        "given"
    } else {
        "none"
    };
    let new = NewTransfer {
        id,
        case_id,
        kind: "request".to_owned(),
        // The store addresses a request to the case's owner and agency.
        to_agency_id: String::new(),
        to_user_id: None,
        consent_basis: consent_basis.to_owned(),
        consent_override: None,
        note,
        notify: Vec::new(),
        now: state.now(),
    };
    open(&state, &caller, &new).await
}

/// Returns the view of transfer `id` of `case_id` when a retried request sent it before, or 409
/// `id_reused` when the transfer with this id differs from the request (`retried` is false).
async fn existing(
    state: &AppState,
    caller: &Caller,
    id: Option<Uuid>,
    case_id: CaseId,
    retried: impl Fn(&Transfer) -> bool,
) -> ApiResult<Option<TransferView>> {
    let Some(id) = id else { return Ok(None) };
    match state.store.transfer(&caller.principal, id).await? {
        Some(transfer) if transfer.case_id == case_id && retried(&transfer) => {
            Ok(Some(transfer_view(state, &caller.principal, transfer).await?))
        }
        Some(_) => Err(id_reused()),
        None => Ok(None),
    }
}

async fn open(
    state: &AppState,
    caller: &Caller,
    new: &NewTransfer,
) -> ApiResult<(StatusCode, Json<TransferView>)> {
    let mut outcome = state.store.open_transfer(&caller.principal, new).await;
    // A transfer made at the same moment took the pending slot, so the second try names it.
    if matches!(outcome, Err(StoreError::Duplicate(_))) {
        outcome = state.store.open_transfer(&caller.principal, new).await;
    }
    match outcome? {
        Opened::Created(transfer) => {
            tracing::info!(transfer_id = %transfer.id, case_id = %transfer.case_id, kind = %transfer.kind, "transfer created");
            Ok((StatusCode::CREATED, Json(transfer_view(state, &caller.principal, transfer).await?)))
        }
        Opened::Existing(transfer) => {
            Ok((StatusCode::OK, Json(transfer_view(state, &caller.principal, transfer).await?)))
        }
        Opened::Pending(existing) => Err(pending_error("transfer_pending", existing)),
        Opened::NotFound => Err(ApiError::not_found()),
    }
}

/// The transfers and transfer requests of one case, newest first.
#[utoipa::path(get, path = "/cases/{id}/transfers", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<TransferView>), (status = 404, body = ErrorBody)))]
pub async fn case_transfers(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<TransferView>>> {
    let Some(transfers) = state.store.case_transfers(&caller.principal, case_id).await? else {
        return Err(ApiError::not_found());
    };
    Ok(Json(transfer_views(&state, &caller.principal, transfers).await?))
}

/// The caller's incoming or outgoing transfers and transfer requests.
#[utoipa::path(get, path = "/transfers", tag = "referrals", params(TransferListQuery),
    responses((status = 200, body = Vec<TransferView>), (status = 400, body = ErrorBody)))]
pub async fn list_transfers(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TransferListQuery>,
) -> ApiResult<Json<Vec<TransferView>>> {
    let (list, status) = list_filters(query.list.as_deref(), query.status.as_deref())?;
    let transfers = state.store.transfers(&caller.principal, list, status).await?;
    Ok(Json(transfer_views(&state, &caller.principal, transfers).await?))
}

/// Accept a pending transfer (its recipient) or transfer request (the owner, or a supervisor who
/// may transfer the case). The case gets its new owner at once.
#[utoipa::path(post, path = "/transfers/{id}/accept", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransferTransitionRequest,
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`state_changed` with `current_status` and `version`")))]
pub async fn accept_transfer(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<Uuid>,
    request: ApiJson<TransferTransitionRequest>,
) -> ApiResult<Json<TransferView>> {
    move_transfer(state, caller, id, request, TransferStep::Accept).await
}

/// Reject a pending transfer or transfer request with a reason.
#[utoipa::path(post, path = "/transfers/{id}/reject", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransferTransitionRequest,
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody, description = "`reason_required`")))]
pub async fn reject_transfer(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<Uuid>,
    request: ApiJson<TransferTransitionRequest>,
) -> ApiResult<Json<TransferView>> {
    move_transfer(state, caller, id, request, TransferStep::Reject).await
}

/// Revoke a pending transfer (the sender, or anyone who may transfer the case) or one's own
/// transfer request.
#[utoipa::path(post, path = "/transfers/{id}/revoke", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransferTransitionRequest,
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn revoke_transfer(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<Uuid>,
    request: ApiJson<TransferTransitionRequest>,
) -> ApiResult<Json<TransferView>> {
    move_transfer(state, caller, id, request, TransferStep::Revoke).await
}

async fn move_transfer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<TransferTransitionRequest>,
    step: TransferStep,
) -> ApiResult<Json<TransferView>> {
    let text = clean(request.reason, "reason")?;
    if step == TransferStep::Reject && text.is_none() {
        return Err(unprocessable("reason_required").with_message("error-decision_reason_required"));
    }
    let consent = if step == TransferStep::Accept {
        request_consent(
            &state,
            &caller,
            id,
            request.expected_version,
            request.consent_override_reason.as_deref(),
        )
        .await?
    } else {
        None
    };
    let transition =
        Transition { step, expected_version: request.expected_version, text, consent, now: state.now() };
    match state.store.move_transfer(&caller.principal, id, &transition).await? {
        Moved::Moved(transfer) => {
            tracing::info!(transfer_id = %id, case_id = %transfer.case_id, step = step.as_str(), version = transfer.version, "transfer moved");
            Ok(Json(transfer_view(&state, &caller.principal, transfer).await?))
        }
        Moved::StateChanged { status, version } => Err(ApiError::state_changed(&status, version, "pending")),
        Moved::NotFound => Err(ApiError::not_found()),
        Moved::Forbidden => Err(ApiError::forbidden()),
        Moved::Refused(code) => Err(unprocessable(code)),
    }
}

/// Applies the consent rule to the accept of a transfer request that moves the case to the
/// requester's agency. The case must record consent to share, or the caller must give an
/// override reason and have `override_consent` over the case. Otherwise it returns 422
/// `consent_missing`.
/// Returns `None` when no consent decision is needed: a transfer (its consent was decided when
/// it was made), a request from the owner's agency, or an accept the store will reject anyway
/// (stale version, not pending, or not the caller's to accept).
async fn request_consent(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    expected_version: i64,
    override_reason: Option<&str>,
) -> ApiResult<Option<ConsentDecision>> {
    let Some(transfer) = state.store.transfer(&caller.principal, id).await? else {
        return Ok(None);
    };
    let acceptable = transfer.kind == "request"
        && transfer.status == "pending"
        && transfer.version == expected_version
        && TransferStep::Accept.permitted(&transfer, &caller.principal);
    if !acceptable {
        return Ok(None);
    }
    let Some(case) = state.store.case_for(&caller.principal, transfer.case_id, Action::Read).await? else {
        return Ok(None);
    };
    if transfer.from_agency_id == case.owner_agency_id {
        return Ok(None);
    }
    let (basis, override_reason) =
        consent_basis(state, caller, &case, &transfer.from_agency_id, override_reason).await?;
    Ok(Some(ConsentDecision { basis: basis.to_owned(), override_reason }))
}

fn transfer_can(transfer: &Transfer, principal: &Principal) -> Vec<String> {
    if transfer.status != "pending" {
        return Vec::new();
    }
    [TransferStep::Accept, TransferStep::Reject, TransferStep::Revoke]
        .into_iter()
        .filter(|step| step.permitted(transfer, principal))
        .map(|step| step.as_str().to_owned())
        .collect()
}

async fn transfer_view(
    state: &AppState,
    principal: &Principal,
    transfer: Transfer,
) -> ApiResult<TransferView> {
    let mut views = transfer_views(state, principal, vec![transfer]).await?;
    views.pop().ok_or_else(|| ApiError::internal("building the transfer view returned no view"))
}

async fn transfer_views(
    state: &AppState,
    principal: &Principal,
    transfers: Vec<Transfer>,
) -> ApiResult<Vec<TransferView>> {
    let case_ids: Vec<CaseId> = transfers.iter().map(|transfer| transfer.case_id).collect();
    let names = child_names(state, principal, &case_ids).await?;
    Ok(transfers
        .into_iter()
        .map(|transfer| TransferView {
            can: transfer_can(&transfer, principal),
            child_name: names.get(&transfer.case_id).cloned(),
            id: transfer.id,
            case_id: transfer.case_id,
            display_id: transfer.display_id,
            kind: transfer.kind,
            status: transfer.status,
            version: transfer.version,
            from_user: PersonView {
                id: transfer.from_user_id,
                full_name: transfer.from_user_name.unwrap_or_default(),
            },
            from_agency_id: transfer.from_agency_id,
            to_agency_id: transfer.to_agency_id,
            to_user: transfer
                .to_user_id
                .map(|id| PersonView { id, full_name: transfer.to_user_name.unwrap_or_default() }),
            consent_basis: transfer.consent_basis,
            note: transfer.note,
            reason: transfer.reason,
            previous_owner_id: transfer.previous_owner_id,
            created_at: transfer.created_at,
            updated_at: transfer.updated_at,
        })
        .collect())
}
