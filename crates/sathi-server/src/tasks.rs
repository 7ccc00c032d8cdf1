//! The caller's task list: what is due or overdue on their cases, and the approvals,
//! referrals and transfers that wait on them.
//!
//! "Today" is the date in the deployment's zone, so an item due on 31 December is overdue from
//! midnight in Dhaka (18:00 UTC), not from midnight UTC.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sathi_domain::dates;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::workflow::{self, Bucket};
use sathi_store::{TaskQuery, TaskRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;

/// How long a rejected approval request stays in its requester's tasks.
const REJECTED_SHOWN_DAYS: i64 = 14;
/// Largest look-ahead in days.
const MAX_DAYS: i64 = 366;

/// The order of kinds for items due on the same day, as the due-date rule sorts them.
const KIND_ORDER: [&str; 9] = [
    "approval",
    "referral",
    "transfer",
    "referral_service",
    "approval_rejected",
    "assessment",
    "case_plan",
    "service",
    "follow_up",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// `assessment`, `case_plan`, `service`, `follow_up` (due items of the caller's cases);
    /// `approval`, `referral`, `referral_service`, `transfer`, `approval_rejected` (waiting on
    /// the caller now).
    pub kind: String,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub display_id: String,
    /// `null` when the caller's role may not read the basic identity form.
    pub child_name: Option<String>,
    pub risk_level: Option<String>,
    /// `YYYY-MM-DD`; `null` for items that wait on the caller now.
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<String>,
    /// A service's or follow-up's row `unique_id` (`next` for the periodic follow-up); the
    /// approval kind, service type or transfer kind for the other kinds; otherwise empty.
    pub item: String,
    /// The approval, referral or transfer the item is about.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub subject_id: Option<uuid::Uuid>,
    /// The supervisor's comment on a rejected approval request.
    pub comment: Option<String>,
    /// Due before today in the deployment's zone.
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    /// Today in the deployment's zone, `YYYY-MM-DD`, which `overdue` was decided against.
    #[schema(format = Date)]
    pub today: String,
    /// Waiting items first, then by due date.
    pub items: Vec<TaskView>,
}

/// The days after today that the `week` bucket reaches.
pub const WEEK_DAYS: i64 = 6;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Due items up to this many days after today, 0 to 366; 7 by default. Overdue items are
    /// always included. Ignored with `bucket`.
    pub days: Option<i64>,
    /// Only due items in this bucket: `overdue` (before today), `today`, or `week` (the six
    /// days after today). Items without a due date are left out.
    pub bucket: Option<String>,
    /// Only due items of cases this user owns, among the cases the caller may read (a
    /// supervisor's view of a team member). Without it, the caller's own and assigned cases.
    #[param(value_type = Option<String>, format = Uuid)]
    pub owner: Option<UserId>,
}

/// The caller's tasks: overdue items, items due within `days`, and requests waiting on them.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskListQuery),
    responses((status = 200, body = TaskList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TaskListQuery>,
) -> ApiResult<Json<TaskList>> {
    let invalid = |name: &'static str, value: String| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter").with("name", name).with("value", value)
    };
    let days = query.days.unwrap_or(7);
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(invalid("days", days.to_string()));
    }
    let bucket = match query.bucket.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("overdue") => Some(Bucket::Overdue),
        Some("today") => Some(Bucket::Today),
        Some("week") => Some(Bucket::Week),
        Some(raw) => return Err(invalid("bucket", raw.to_owned())),
    };
    let loaded = state.configuration();
    let today = state.today(&loaded.config);
    let days = if bucket.is_some() { WEEK_DAYS } else { days };
    let mut rows = task_rows(&state, &caller, today, days, query.owner).await?;
    if let Some(bucket) = bucket {
        rows.retain(|row| bucket_of(row, today) == Some(bucket));
    }
    rows.sort_by_key(sort_key);

    // A case reached through referrals only shows its name and risk level when they are shared.
    let case_ids: Vec<sathi_domain::ids::CaseId> = rows.iter().map(|row| row.case_id).collect();
    let limited = crate::referrals::case_principals(&state, &caller.principal, &case_ids).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let reader = limited.get(&row.case_id).unwrap_or(&caller.principal);
            let readable = |field| crate::cases::field_readable(&loaded.config, reader, field);
            let child_name = row.child_name.filter(|_| readable("name_first"));
            let risk_level = row.risk_level.filter(|_| readable("risk_level"));
            TaskView {
                overdue: row.due_on.is_some_and(|due| due < today),
                due_on: row.due_on.map(dates::format_date),
                kind: row.kind,
                case_id: row.case_id,
                display_id: row.display_id,
                child_name,
                risk_level,
                item: row.item,
                subject_id: row.subject_id,
                comment: row.comment,
            }
        })
        .collect();
    Ok(Json(TaskList { today: dates::format_date(today), items }))
}

/// Reads the task rows that `GET /tasks` lists: overdue items and items due up to `days`
/// after today. With `owner`, these are the due items of that user's cases in the caller's
/// read scope. Without it, they are the caller's due items and the requests that wait on them.
pub async fn task_rows(
    state: &AppState,
    caller: &Caller,
    today: Date,
    days: i64,
    owner: Option<UserId>,
) -> ApiResult<Vec<TaskRow>> {
    let until = today + time::Duration::days(days);
    if let Some(owner) = owner {
        let due_before = until + time::Duration::days(1);
        return Ok(state.store.owner_tasks(&caller.principal, owner, due_before).await?);
    }
    let task_query =
        TaskQuery { until, rejected_since: state.now() - time::Duration::days(REJECTED_SHOWN_DAYS) };
    Ok(state.store.tasks(&caller.principal, &task_query).await?)
}

/// Returns the bucket of a due item, or `None` for items without a due date.
pub fn bucket_of(row: &TaskRow, today: Date) -> Option<Bucket> {
    row.due_on.map(|due| workflow::bucket(due, today))
}

/// Items without a date first (they wait on the caller now), then by date, kind and case.
fn sort_key(row: &TaskRow) -> (Option<time::Date>, usize, String, String) {
    let kind = KIND_ORDER.iter().position(|kind| *kind == row.kind).unwrap_or(KIND_ORDER.len());
    (row.due_on, kind, row.display_id.clone(), row.item.clone())
}
