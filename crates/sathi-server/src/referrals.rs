//! Referrals over HTTP: who can receive them, creating one with the consent rule, the lists, and
//! the transitions (accept, reject, done, revoke, end) as compare-and-set on the version.
//!
//! Also the access limit of a referral's recipient: a user who reaches a case only through open
//! referrals sees and writes only the forms those referrals share, within the role's forms.
//! [`case_principal`] and [`case_principals`] build the principal that views and writes use.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::{CaseId, ReferralId, UserId};
use sathi_domain::permissions::{Action, FormAccess};
use sathi_domain::principal::Principal;
use sathi_store::{
    CaseRecord, ListBox, Moved, NewCaseReferral, Opened, Referral, ReferralStep, StatusFilter, StoreError,
    Transition,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;

/// The form every recipient may read: who owns the case.
const OWNER_FORM: &str = "record_owner";

/// A user as the referral and transfer views name them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonView {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub full_name: String,
}

/// An agency and those of its active users who may receive referrals.
#[derive(Serialize, ToSchema)]
pub struct RecipientAgency {
    pub agency_id: String,
    /// The agency's name by locale, such as `{"en": "...", "bn": "..."}`.
    #[schema(value_type = Object)]
    pub agency_name: Value,
    /// Whether the agency lists the requested service.
    pub provides: bool,
    pub users: Vec<RecipientUser>,
}

/// A user who may receive referrals, with the role that decides which forms they can read.
#[derive(Serialize, ToSchema)]
pub struct RecipientUser {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub full_name: String,
    pub role_id: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecipientsQuery {
    /// An option id of the `service_type` lookup; agencies that provide it come first.
    pub service: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateReferralRequest {
    /// A referral id made by the client, so a retried request returns the first referral.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<ReferralId>,
    pub to_agency_id: String,
    /// A user of `to_agency_id` who receives referrals; without one, any of the agency's
    /// receivers may answer.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub to_user_id: Option<UserId>,
    /// An option id of the `service_type` lookup.
    pub service_type: String,
    /// Form ids the recipient may see (within the recipient role's forms). `record_owner` is
    /// always shared.
    pub shared_forms: Vec<String>,
    pub note: Option<String>,
    /// Why the case is shared outside the owner's agency without recorded consent. Needs the
    /// `override_consent` grant; the reason is stored with the referral and not logged.
    pub consent_override_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// The version the caller saw; a referral at another version or status is not changed.
    pub expected_version: i64,
    /// The reason of a rejection (required) or an end.
    pub reason: Option<String>,
    /// A note on a referral marked done.
    pub note: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralListQuery {
    /// `incoming` (default): addressed to the caller or, for receivers, the caller's agency.
    /// `outgoing`: sent by the caller or on cases the caller may refer.
    /// `agency_sent` and `agency_received`: every referral the caller's agency sent or received,
    /// newest first, at most 500; for roles that read the agency's cases.
    #[serde(rename = "box")]
    #[param(rename = "box")]
    pub list: Option<String>,
    /// `pending`, `open` (default: pending and accepted), `closed` or `all`. The agency boxes
    /// take every status.
    pub status: Option<String>,
    /// Agency boxes only: an option id of the `service_type` lookup.
    pub service: Option<String>,
    /// Agency boxes only: the agency at the other end (receiving for `agency_sent`, sending for
    /// `agency_received`).
    pub agency: Option<String>,
    /// Agency boxes only: created on or after this date, `YYYY-MM-DD` in the deployment's zone.
    pub from: Option<String>,
    /// Agency boxes only: created on or before this date, `YYYY-MM-DD` in the deployment's zone.
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub display_id: String,
    /// The child's name, when the caller may read the case's identity form.
    pub child_name: Option<String>,
    pub service_type: String,
    /// `pending`, `accepted`, `rejected`, `done`, `revoked` or `ended`.
    pub status: String,
    pub version: i64,
    pub from_user: PersonView,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub to_user: Option<PersonView>,
    pub shared_forms: Vec<String>,
    /// `internal` (same agency), `given` (recorded consent) or `override`.
    pub consent_basis: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    /// The transitions the caller may take now: `accept`, `reject`, `done`, `revoke`, `end`.
    pub can: Vec<String>,
}

/// List the agencies a case can be referred to, with their users who receive referrals.
#[utoipa::path(get, path = "/referral-recipients", tag = "referrals", params(RecipientsQuery),
    responses((status = 200, body = Vec<RecipientAgency>), (status = 403, body = ErrorBody)))]
pub async fn referral_recipients(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<RecipientsQuery>,
) -> ApiResult<Json<Vec<RecipientAgency>>> {
    if !caller.principal.can(Action::Refer) && !caller.principal.can(Action::Transfer) {
        return Err(ApiError::forbidden());
    }
    let loaded = state.configuration();
    let service = query.service.as_deref().map(str::trim).filter(|service| !service.is_empty());
    let mut agencies = Vec::new();
    for agency in &loaded.config.agencies {
        let users = receivers(&state, &agency.id, Action::ReceiveReferrals).await?;
        agencies.push(RecipientAgency {
            agency_id: agency.id.clone(),
            agency_name: serde_json::to_value(&agency.name).map_err(ApiError::internal)?,
            provides: service.is_some_and(|service| agency.services.iter().any(|offered| offered == service)),
            users: users
                .into_iter()
                .map(|(id, full_name, role_id)| RecipientUser { id, full_name, role_id })
                .collect(),
        });
    }
    // Stable: agencies that provide the service first, each group in configuration order.
    agencies.sort_by_key(|agency| !agency.provides);
    Ok(Json(agencies))
}

/// Refer a case to another agency or user for a service.
#[utoipa::path(post, path = "/cases/{id}/referrals", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = CreateReferralRequest,
    responses((status = 201, body = ReferralView), (status = 200, body = ReferralView, description = "The referral with this id exists already"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody,
        description = "`consent_missing`, `referral_pending` (with `existing_id`), `invalid_recipient`, `invalid_service`, `invalid_shared_forms`")))]
pub async fn create_referral(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CreateReferralRequest>,
) -> ApiResult<(StatusCode, Json<ReferralView>)> {
    if !caller.principal.can(Action::Refer) {
        return Err(ApiError::forbidden());
    }
    let loaded = state.configuration();
    let config = &loaded.config;
    let service_known = config
        .lookup("service_type")
        .is_some_and(|lookup| lookup.options.iter().any(|option| option.id == request.service_type));
    if !service_known {
        return Err(unprocessable("invalid_service").with("value", &request.service_type));
    }
    if let Some(form) =
        request.shared_forms.iter().find(|form| config.forms.iter().all(|known| known.id != **form))
    {
        return Err(unprocessable("invalid_shared_forms").with("value", form));
    }
    let notify =
        recipients_to_notify(&state, &request.to_agency_id, request.to_user_id, Action::ReceiveReferrals)
            .await?;

    let id = request.id.unwrap_or_default();
    if request.id.is_some()
        && let Some(existing) = state.store.referral(&caller.principal, id).await?
    {
        // A retry repeats the first request, so the same id with another body gets 409 `id_reused`.
        let same_forms = existing.shared_forms.len() == request.shared_forms.len()
            && request.shared_forms.iter().all(|form| existing.shared_forms.contains(form));
        let same = existing.case_id == case_id
            && existing.to_agency_id == request.to_agency_id
            && request.to_user_id.is_none_or(|user| existing.to_user_id == Some(user))
            && existing.service_type == request.service_type
            && same_forms
            && existing.note == clean(request.note.clone(), "note")?;
        if !same {
            return Err(id_reused());
        }
        return Ok((StatusCode::OK, Json(referral_view(&state, &caller.principal, existing).await?)));
    }
    let Some(case) = state.store.case_for(&caller.principal, case_id, Action::Refer).await? else {
        return Err(ApiError::not_found());
    };
    let (consent_basis, consent_override) = consent_basis(
        &state,
        &caller,
        &case,
        &request.to_agency_id,
        request.consent_override_reason.as_deref(),
    )
    .await?;
    let mut shared_forms: Vec<String> = Vec::new();
    for form in request.shared_forms {
        if !shared_forms.contains(&form) {
            shared_forms.push(form);
        }
    }
    let new = NewCaseReferral {
        id,
        case_id,
        to_agency_id: request.to_agency_id,
        to_user_id: request.to_user_id,
        service_type: request.service_type,
        shared_forms,
        consent_basis: consent_basis.to_owned(),
        consent_override,
        note: clean(request.note, "note")?,
        notify,
        now: state.now(),
    };
    let mut outcome = state.store.open_referral(&caller.principal, &new).await;
    // A referral made at the same moment took the pending slot, so the second try names it.
    if matches!(outcome, Err(StoreError::Duplicate(_))) {
        outcome = state.store.open_referral(&caller.principal, &new).await;
    }
    match outcome? {
        Opened::Created(referral) => {
            tracing::info!(referral_id = %referral.id, case_id = %case_id, consent_basis, "referral created");
            Ok((StatusCode::CREATED, Json(referral_view(&state, &caller.principal, referral).await?)))
        }
        Opened::Existing(referral) => {
            Ok((StatusCode::OK, Json(referral_view(&state, &caller.principal, referral).await?)))
        }
        Opened::Pending(existing) => Err(pending_error("referral_pending", existing)),
        Opened::NotFound => Err(ApiError::not_found()),
    }
}

/// The referrals of one case, newest first.
#[utoipa::path(get, path = "/cases/{id}/referrals", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Vec<ReferralView>), (status = 404, body = ErrorBody)))]
pub async fn case_referrals(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<ReferralView>>> {
    let Some(referrals) = state.store.case_referrals(&caller.principal, case_id).await? else {
        return Err(ApiError::not_found());
    };
    Ok(Json(referral_views(&state, &caller.principal, referrals).await?))
}

/// The caller's incoming or outgoing referrals, most recently changed first.
#[utoipa::path(get, path = "/referrals", tag = "referrals", params(ReferralListQuery),
    responses((status = 200, body = Vec<ReferralView>), (status = 400, body = ErrorBody)))]
pub async fn list_referrals(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReferralListQuery>,
) -> ApiResult<Json<Vec<ReferralView>>> {
    if let Some(side) = crate::dashboard::agency_side(query.list.as_deref()) {
        let filter = crate::dashboard::agency_referral_filter(&state, side, &query)?;
        let referrals = state.store.agency_referrals(&caller.principal, &filter).await?;
        return Ok(Json(referral_views(&state, &caller.principal, referrals).await?));
    }
    let (list, status) = list_filters(query.list.as_deref(), query.status.as_deref())?;
    let referrals = state.store.referrals(&caller.principal, list, status).await?;
    Ok(Json(referral_views(&state, &caller.principal, referrals).await?))
}

/// Accept a pending referral (its recipient, or a receiver of the agency it is addressed to).
#[utoipa::path(post, path = "/referrals/{id}/accept", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransitionRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`state_changed` with `current_status` and `version`")))]
pub async fn accept_referral(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<ReferralId>,
    request: ApiJson<TransitionRequest>,
) -> ApiResult<Json<ReferralView>> {
    move_referral(state, caller, id, request, ReferralStep::Accept).await
}

/// Reject a pending referral with a reason (its recipient).
#[utoipa::path(post, path = "/referrals/{id}/reject", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransitionRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody, description = "`reason_required`")))]
pub async fn reject_referral(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<ReferralId>,
    request: ApiJson<TransitionRequest>,
) -> ApiResult<Json<ReferralView>> {
    move_referral(state, caller, id, request, ReferralStep::Reject).await
}

/// Mark an accepted referral done (its recipient). The recipient's access ends.
#[utoipa::path(post, path = "/referrals/{id}/done", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransitionRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn done_referral(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<ReferralId>,
    request: ApiJson<TransitionRequest>,
) -> ApiResult<Json<ReferralView>> {
    move_referral(state, caller, id, request, ReferralStep::Done).await
}

/// Revoke a pending referral (the sender, or anyone who may refer the case).
#[utoipa::path(post, path = "/referrals/{id}/revoke", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransitionRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn revoke_referral(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<ReferralId>,
    request: ApiJson<TransitionRequest>,
) -> ApiResult<Json<ReferralView>> {
    move_referral(state, caller, id, request, ReferralStep::Revoke).await
}

/// End an accepted referral (the sender, or anyone who may refer the case). The recipient's
/// access ends.
#[utoipa::path(post, path = "/referrals/{id}/end", tag = "referrals", params(("id" = String, Path, format = Uuid)),
    request_body = TransitionRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn end_referral(
    state: State<AppState>,
    caller: Caller,
    id: ApiPath<ReferralId>,
    request: ApiJson<TransitionRequest>,
) -> ApiResult<Json<ReferralView>> {
    move_referral(state, caller, id, request, ReferralStep::End).await
}

async fn move_referral(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ReferralId>,
    ApiJson(request): ApiJson<TransitionRequest>,
    step: ReferralStep,
) -> ApiResult<Json<ReferralView>> {
    let text = match step {
        ReferralStep::Done => clean(request.note, "note")?,
        _ => clean(request.reason, "reason")?,
    };
    if step == ReferralStep::Reject && text.is_none() {
        return Err(unprocessable("reason_required").with_message("error-decision_reason_required"));
    }
    let transition = Transition {
        step,
        expected_version: request.expected_version,
        text,
        consent: None,
        now: state.now(),
    };
    match state.store.move_referral(&caller.principal, id, &transition).await? {
        Moved::Moved(referral) => {
            tracing::info!(referral_id = %id, case_id = %referral.case_id, step = step.as_str(), version = referral.version, "referral moved");
            Ok(Json(referral_view(&state, &caller.principal, referral).await?))
        }
        Moved::StateChanged { status, version } => {
            Err(ApiError::state_changed(&status, version, step.statuses().0))
        }
        Moved::NotFound => Err(ApiError::not_found()),
        Moved::Forbidden => Err(ApiError::forbidden()),
        Moved::Refused(code) => Err(unprocessable(code)),
    }
}

/// Returns the transitions `principal` may take on `referral` now.
fn referral_can(referral: &Referral, principal: &Principal) -> Vec<String> {
    [ReferralStep::Accept, ReferralStep::Reject, ReferralStep::Done, ReferralStep::Revoke, ReferralStep::End]
        .into_iter()
        .filter(|step| step.statuses().0 == referral.status && step.permitted(referral, principal))
        .map(|step| step.as_str().to_owned())
        .collect()
}

async fn referral_view(
    state: &AppState,
    principal: &Principal,
    referral: Referral,
) -> ApiResult<ReferralView> {
    let mut views = referral_views(state, principal, vec![referral]).await?;
    views.pop().ok_or_else(|| ApiError::internal("building the referral view returned no view"))
}

async fn referral_views(
    state: &AppState,
    principal: &Principal,
    referrals: Vec<Referral>,
) -> ApiResult<Vec<ReferralView>> {
    let case_ids: Vec<CaseId> = referrals.iter().map(|referral| referral.case_id).collect();
    let names = child_names(state, principal, &case_ids).await?;
    Ok(referrals
        .into_iter()
        .map(|referral| ReferralView {
            can: referral_can(&referral, principal),
            child_name: names.get(&referral.case_id).cloned(),
            id: referral.id,
            case_id: referral.case_id,
            display_id: referral.display_id,
            service_type: referral.service_type,
            status: referral.status,
            version: referral.version,
            from_user: PersonView {
                id: referral.from_user_id,
                full_name: referral.from_user_name.unwrap_or_default(),
            },
            from_agency_id: referral.from_agency_id,
            to_agency_id: referral.to_agency_id,
            to_user: referral
                .to_user_id
                .map(|id| PersonView { id, full_name: referral.to_user_name.unwrap_or_default() }),
            shared_forms: referral.shared_forms,
            consent_basis: referral.consent_basis,
            note: referral.note,
            reason: referral.reason,
            created_at: referral.created_at,
            updated_at: referral.updated_at,
        })
        .collect())
}

/// Returns the child's name of each case the principal may read with the identity form.
pub(crate) async fn child_names(
    state: &AppState,
    principal: &Principal,
    case_ids: &[CaseId],
) -> ApiResult<HashMap<CaseId, String>> {
    let mut unique: Vec<CaseId> = Vec::new();
    for id in case_ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    let cases = state.store.cases_by_ids(principal, &unique).await?;
    let principals = case_principals(state, principal, &unique).await?;
    let mut names = HashMap::new();
    for case in cases {
        let reader = principals.get(&case.id).unwrap_or(principal);
        if reader.form_access("basic_identity") < FormAccess::Read {
            continue;
        }
        let parts: Vec<&str> = ["name_first", "name_middle", "name_last"]
            .iter()
            .filter_map(|key| case.data.get(*key).and_then(Value::as_str))
            .collect();
        if !parts.is_empty() {
            names.insert(case.id, parts.join(" "));
        }
    }
    Ok(names)
}

/// Decides the consent basis of sharing `case` with `to_agency`: `internal` inside the owner's
/// agency, `given` when the case records consent to share, and `override` when the caller gave a
/// reason and may override consent on this case. Anything else is 422 `consent_missing`.
pub(crate) async fn consent_basis(
    state: &AppState,
    caller: &Caller,
    case: &CaseRecord,
    to_agency: &str,
    override_reason: Option<&str>,
) -> ApiResult<(&'static str, Option<String>)> {
    if to_agency == case.owner_agency_id {
        return Ok(("internal", None));
    }
    if case.data.get("consent_for_sharing") == Some(&Value::Bool(true)) {
        return Ok(("given", None));
    }
    let reason = override_reason.map(str::trim).filter(|reason| !reason.is_empty());
    if let Some(reason) = reason
        && state.store.case_for(&caller.principal, case.id, Action::OverrideConsent).await?.is_some()
    {
        return Ok(("override", Some(reason.to_owned())));
    }
    Err(unprocessable("consent_missing"))
}

/// Checks the recipient and returns the users to notify: the named user, or the active users of
/// the agency whose role grants `receives`. An unknown agency or user gets 422
/// `invalid_recipient`, and an agency without such users gets 422 `no_receivers` because no one
/// could accept.
pub(crate) async fn recipients_to_notify(
    state: &AppState,
    to_agency: &str,
    to_user: Option<UserId>,
    receives: Action,
) -> ApiResult<Vec<UserId>> {
    let loaded = state.configuration();
    if loaded.config.agency(to_agency).is_none() {
        return Err(unprocessable("invalid_recipient"));
    }
    let receivers = receivers(state, to_agency, receives).await?;
    match to_user {
        Some(user) if receivers.iter().any(|(id, _, _)| *id == user) => Ok(vec![user]),
        Some(_) => Err(unprocessable("invalid_recipient")),
        None if receivers.is_empty() => Err(unprocessable("no_receivers")),
        None => Ok(receivers.into_iter().map(|(id, _, _)| id).collect()),
    }
}

/// Returns the active users of `agency` whose role grants `receives`, as (id, name, role id),
/// sorted by name.
async fn receivers(
    state: &AppState,
    agency: &str,
    receives: Action,
) -> ApiResult<Vec<(UserId, String, String)>> {
    let loaded = state.configuration();
    let receiving = |role_id: &str| loaded.config.role(role_id).is_some_and(|role| role.can(receives));
    let mut users: Vec<(UserId, String, String)> = state
        .store
        .list_users(Some(agency))
        .await?
        .into_iter()
        .filter(|user| !user.disabled && receiving(&user.role_id))
        .map(|user| (user.id, user.full_name, user.role_id))
        .collect();
    users.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(users)
}

/// Parses the `box` and `status` of a list.
pub(crate) fn list_filters(list: Option<&str>, status: Option<&str>) -> ApiResult<(ListBox, StatusFilter)> {
    let invalid = |name: &'static str, value: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter").with("name", name).with("value", value)
    };
    let list = match list.unwrap_or("incoming") {
        "incoming" => ListBox::Incoming,
        "outgoing" => ListBox::Outgoing,
        other => return Err(invalid("box", other)),
    };
    let status = match status.unwrap_or("open") {
        "pending" => StatusFilter::Pending,
        "open" => StatusFilter::Open,
        "closed" => StatusFilter::Closed,
        "all" => StatusFilter::All,
        other => return Err(invalid("status", other)),
    };
    Ok((list, status))
}

/// Returns `principal` with form access limited to `shared` and the record owner form, each at
/// no more than the role's access.
pub fn limited_to_forms(principal: &Principal, shared: &[String]) -> Principal {
    let mut forms = BTreeMap::new();
    forms.insert("*".to_owned(), FormAccess::None);
    for form in shared.iter().map(String::as_str).chain([OWNER_FORM]) {
        forms.insert(form.to_owned(), principal.form_access(form));
    }
    let mut limited = principal.clone();
    limited.role.forms = forms;
    limited
}

/// Returns the principal that reads and writes `case_id`: the caller's, limited to the shared
/// forms when the caller reaches the case only through referrals.
pub async fn case_principal(
    state: &AppState,
    principal: &Principal,
    case_id: CaseId,
) -> ApiResult<Principal> {
    let mut limits = state.store.referral_form_limits(principal, &[case_id]).await?;
    Ok(match limits.pop() {
        Some((_, shared)) => limited_to_forms(principal, &shared),
        None => principal.clone(),
    })
}

/// Returns whether the caller reaches `case_id` only through open referrals: a guest, who may
/// read and write the shared forms but take no action on the case itself.
pub async fn is_guest(state: &AppState, principal: &Principal, case_id: CaseId) -> ApiResult<bool> {
    Ok(!state.store.referral_form_limits(principal, &[case_id]).await?.is_empty())
}

/// Returns the limited principals of those of `case_ids` that the caller reaches only through
/// referrals. A case that is not in the map is read with the caller's own principal.
pub async fn case_principals(
    state: &AppState,
    principal: &Principal,
    case_ids: &[CaseId],
) -> ApiResult<HashMap<CaseId, Principal>> {
    let limits = state.store.referral_form_limits(principal, case_ids).await?;
    Ok(limits.into_iter().map(|(id, shared)| (id, limited_to_forms(principal, &shared))).collect())
}

/// Returns 403 `not_owner_since` when `user` lost `case_id` through an accepted transfer, or
/// `None` otherwise. A late write from a stale page or an offline queue then shows why it failed.
pub async fn not_owner_since(state: &AppState, user: UserId, case_id: CaseId) -> ApiResult<Option<ApiError>> {
    let Some(since) = state.store.not_owner_since(user, case_id).await? else {
        return Ok(None);
    };
    // The message shows the date and time in the deployment's zone, and the body contains the
    // instant.
    let offset_minutes = state.configuration().config.deployment.utc_offset_minutes;
    let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).map_err(ApiError::internal)?;
    let local = since.to_offset(offset);
    let date = sathi_domain::dates::format_date(local.date());
    let clock = format!("{:02}:{:02}", local.hour(), local.minute());
    let instant = since.format(&time::format_description::well_known::Rfc3339).map_err(ApiError::internal)?;
    let mut error =
        ApiError::new(StatusCode::FORBIDDEN, "not_owner_since").with("date", date).with("time", clock);
    error.state.since = Some(instant);
    Ok(Some(error))
}

/// 409 `id_reused`: a create named the id of an existing object but sent another body, so it
/// is not a retry of the first request.
pub(crate) fn id_reused() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "id_reused")
}

pub(crate) fn unprocessable(code: &'static str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
}

/// 422 naming the pending referral or transfer that blocks a new one.
pub(crate) fn pending_error(code: &'static str, existing: uuid::Uuid) -> ApiError {
    let mut error = unprocessable(code).with("id", existing);
    error.state.existing_id = Some(existing.to_string());
    error
}

/// Maximum length of a referral's or transfer's note or reason, in characters.
pub(crate) const MAX_NOTE_CHARS: usize = 2000;

/// Cleans a note (`field` `note`) or reason (`reason`) with [`crate::error::clean_free_text`],
/// limited to [`MAX_NOTE_CHARS`].
pub(crate) fn clean(text: Option<String>, field: &'static str) -> ApiResult<Option<String>> {
    crate::error::clean_free_text(text.as_deref(), MAX_NOTE_CHARS, field)
}
