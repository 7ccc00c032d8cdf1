//! Flags on a case over HTTP: add one, remove one with a reason, and the active flags that
//! every case view carries.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::Action;
use sathi_store::{Flag, FlagAdd, NewFlag};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::cases::{CaseView, audit};
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::state::AppState;

/// Maximum flag text length in characters, because a flag is a warning to read at a glance.
const MAX_FLAG_CHARS: usize = 500;
/// Maximum length of the reason for removing a flag, in characters.
const MAX_REASON_CHARS: usize = 1000;

/// A user as a view names them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    /// `null` only if the user row is gone.
    pub full_name: Option<String>,
}

/// An active flag of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub text: String,
    pub flagged_by: UserRef,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub flagged_at: OffsetDateTime,
}

impl From<Flag> for FlagView {
    fn from(flag: Flag) -> Self {
        FlagView {
            id: flag.id,
            text: flag.text,
            flagged_by: UserRef { id: flag.flagged_by, full_name: flag.flagged_by_name },
            flagged_at: flag.flagged_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AddFlagRequest {
    /// A flag id made by the client (UUID), so a retried request adds one flag only.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub id: Option<uuid::Uuid>,
    /// The warning, at most 500 characters.
    pub text: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RemoveFlagRequest {
    /// Why the flag no longer applies; kept with the flag.
    pub reason: String,
}

/// Fills the `flags` of case views with their active flags. Views of a caller who reads the case
/// only through referrals (`shared_forms` set) get none.
pub async fn attach_flags(state: &AppState, views: &mut [CaseView]) -> ApiResult<()> {
    let ids: Vec<CaseId> =
        views.iter().filter(|view| view.shared_forms.is_none()).map(|view| view.id).collect();
    let mut by_case: HashMap<CaseId, Vec<FlagView>> = HashMap::new();
    for flag in state.store.active_flags(&ids).await? {
        by_case.entry(flag.case_id).or_default().push(FlagView::from(flag));
    }
    for view in views {
        view.flags = by_case.remove(&view.id).unwrap_or_default();
    }
    Ok(())
}

/// Cleans a required free text with [`crate::error::clean_free_text`]. An empty text is rejected
/// with 422 `code`, and a text longer than `max` characters with `text_too_long` naming `field`.
fn required_text(raw: &str, max: usize, field: &'static str, code: &'static str) -> ApiResult<String> {
    crate::error::clean_free_text(Some(raw), max, field)?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code))
}

/// Flag a case. The flag shows on the case for everyone who can read it, and devices receive it
/// at their next sync; the case's data and version do not change.
#[utoipa::path(post, path = "/cases/{id}/flags", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = AddFlagRequest,
    responses((status = 201, body = FlagView), (status = 200, body = FlagView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_flag(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<AddFlagRequest>,
) -> ApiResult<(StatusCode, Json<FlagView>)> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let flag_text = required_text(&request.text, MAX_FLAG_CHARS, "flag_text", "flag_text_required")?;
    let flag = NewFlag {
        id: request.id.unwrap_or_else(uuid::Uuid::now_v7),
        case_id,
        text: flag_text,
        now: state.now(),
    };
    match state.store.add_flag(&caller.principal, &flag).await? {
        Some(FlagAdd::Created(created)) => {
            audit(&state, &caller, "case.flag", Some(case_id), "ok").await?;
            Ok((StatusCode::CREATED, Json(FlagView::from(created))))
        }
        Some(FlagAdd::Existing(existing)) if existing.text == flag.text => {
            Ok((StatusCode::OK, Json(FlagView::from(existing))))
        }
        Some(FlagAdd::Existing(_)) | Some(FlagAdd::IdTaken) => Err(crate::referrals::id_reused()),
        None => Err(refusal(&state, &caller, case_id).await?),
    }
}

/// Remove a flag with a reason. The flag and the reason stay stored; the case stops showing it.
#[utoipa::path(post, path = "/flags/{id}/remove", tag = "cases", params(("id" = String, Path, format = Uuid)),
    request_body = RemoveFlagRequest,
    responses((status = 200, body = FlagView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn remove_flag(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    ApiJson(request): ApiJson<RemoveFlagRequest>,
) -> ApiResult<Json<FlagView>> {
    if !caller.principal.can(Action::Write) {
        return Err(ApiError::forbidden());
    }
    let reason = required_text(&request.reason, MAX_REASON_CHARS, "reason", "flag_reason_required")?;
    let Some(removed) = state.store.remove_flag(&caller.principal, id, &reason, state.now()).await? else {
        return Err(ApiError::not_found());
    };
    audit(&state, &caller, "case.unflag", Some(removed.case_id), "ok").await?;
    Ok(Json(FlagView::from(removed)))
}

/// Returns the error for a rejected write: 403 for a caller who can read the case but not write
/// it, and 404 for anyone else. A referral's recipient gets 404 because flags and approvals are
/// not theirs to see.
pub(crate) async fn refusal(state: &AppState, caller: &Caller, case_id: CaseId) -> ApiResult<ApiError> {
    let readable = state.store.case(&caller.principal, case_id).await?.is_some()
        && !crate::referrals::is_guest(state, &caller.principal, case_id).await?;
    Ok(if readable { ApiError::forbidden() } else { ApiError::not_found() })
}
