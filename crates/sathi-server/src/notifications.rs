//! In-app notifications over HTTP: the caller's list with titles and bodies rendered in the
//! caller's language, and marking them read.
//!
//! Titles and bodies name the actor by full name and the case by display id, never by the
//! child's name, because a notification may show on a locked phone screen.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use sathi_domain::i18n::Messages;
use sathi_domain::ids::CaseId;
use sathi_store::{Notification, ReadSelection};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;

/// Most ids one read request may mark.
const MAX_READ_IDS: usize = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// `referral_received`, `approval_requested`, `case_assigned`...
    pub kind: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub case_id: Option<CaseId>,
    pub display_id: Option<String>,
    /// The referral, transfer or approval the notification is about.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub subject_id: Option<uuid::Uuid>,
    pub actor_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    pub read: bool,
    /// In the caller's language.
    pub title: String,
    /// In the caller's language.
    pub body: String,
    /// The title and body in every language of the deployment, by locale (`en`, `bn`), so a
    /// phone that changes language offline shows them in the new one.
    pub texts: BTreeMap<String, NotificationText>,
}

/// A notification's title and body in one language.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationText {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    /// Unread notifications in all, not only in this page.
    pub unread: i64,
    /// Newest first.
    pub items: Vec<NotificationView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// How many of the newest to return, 1 to 200; 50 by default.
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReadRequest {
    /// Notifications to mark read; ids of other users' notifications are ignored.
    #[schema(value_type = Option<Vec<String>>)]
    pub ids: Option<Vec<uuid::Uuid>>,
    /// Marks every notification of the caller read.
    pub all: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadResponse {
    pub unread: i64,
}

/// Renders the title and body of a notification in `locale`.
pub fn render(messages: &Messages, locale: &str, notification: &Notification) -> (String, String) {
    let approval = notification
        .approval_kind
        .as_deref()
        .map(|kind| messages.format(locale, &format!("approval-kind-{kind}"), &[]))
        .unwrap_or_default();
    let args = [
        (
            "actor",
            notification
                .actor_name
                .clone()
                .unwrap_or_else(|| messages.format(locale, "notification-someone", &[])),
        ),
        ("case", notification.display_id.clone().unwrap_or_default()),
        ("approval", approval),
    ];
    let title = messages.format(locale, &format!("notification-{}-title", notification.kind), &args);
    let body = messages.format(locale, &format!("notification-{}-body", notification.kind), &args);
    (title, body)
}

/// The caller's newest notifications and the number unread.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = NotificationList), (status = 401, body = ErrorBody)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<NotificationQuery>,
) -> ApiResult<Json<NotificationList>> {
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let (unread, rows) = state.store.notifications(caller.user.id, limit).await?;
    let loaded = state.configuration();
    let locales: Vec<&String> =
        loaded.config.deployment.locales.iter().filter(|locale| state.messages.has_locale(locale)).collect();
    let items = rows
        .into_iter()
        .map(|notification| {
            let (title, body) = render(&state.messages, caller.locale(), &notification);
            let texts = locales
                .iter()
                .map(|locale| {
                    let (title, body) = render(&state.messages, locale, &notification);
                    ((*locale).clone(), NotificationText { title, body })
                })
                .collect();
            NotificationView {
                id: notification.id,
                kind: notification.kind,
                case_id: notification.case_id,
                display_id: notification.display_id,
                subject_id: notification.subject_id,
                actor_name: notification.actor_name,
                created_at: notification.created_at,
                read: notification.read_at.is_some(),
                title,
                body,
                texts,
            }
        })
        .collect();
    Ok(Json(NotificationList { unread, items }))
}

/// Mark notifications read: the ids given, or all with `{"all": true}`.
#[utoipa::path(post, path = "/notifications/read", tag = "notifications", request_body = ReadRequest,
    responses((status = 200, body = ReadResponse), (status = 400, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<ReadRequest>,
) -> ApiResult<Json<ReadResponse>> {
    let selection = match (request.all, request.ids) {
        (Some(true), _) => ReadSelection::All,
        (_, Some(ids)) if ids.len() <= MAX_READ_IDS => ReadSelection::Ids(ids),
        (_, Some(_)) => {
            return Err(ApiError::bad_request("error-request_too_many_ids").with("max", MAX_READ_IDS));
        }
        _ => return Err(ApiError::bad_request("error-request_ids_or_all")),
    };
    let unread = state.store.mark_notifications_read(caller.user.id, &selection, state.now()).await?;
    Ok(Json(ReadResponse { unread }))
}
