//! `GET /cases/{id}/pdf`: a case summary to print, rendered on the server by `sathi-pdf`.
//!
//! The case is read as `GET /cases/{id}` reads it: within the caller's read scope and through
//! `cases::render_case`, so the summary contains exactly the forms of the case view (a referral's
//! recipient gets the shared forms only). `summary` writes it in the requested language.

mod summary;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sathi_domain::config::Form;
use sathi_domain::ids::{CaseId, UserId};
use sathi_domain::permissions::FormAccess;
use sathi_store::AuditEntry;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::cases::{self, CaseView};
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use summary::{SummaryContext, build};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PdfQuery {
    /// The summary's language, one of the deployment's locales (`bn`, `en`); the caller's own
    /// language by default.
    pub lang: Option<String>,
}

/// Download a case summary as a PDF file to print: the owner agency's name, the child, the risk
/// level, and every form the caller may read, in the requested language.
#[utoipa::path(get, path = "/cases/{id}/pdf", tag = "cases",
    params(("id" = String, Path, format = Uuid), PdfQuery),
    responses((status = 200, description = "The summary, as an attachment named after the display id",
            content_type = "application/pdf"),
        (status = 400, body = ErrorBody, description = "`unknown_locale`: `lang` is not a language of the deployment"),
        (status = 404, body = ErrorBody)))]
pub async fn case_pdf(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CaseId>,
    ApiQuery(query): ApiQuery<PdfQuery>,
) -> ApiResult<Response> {
    let loaded = state.configuration();
    let config = &loaded.config;
    let locale = query.lang.unwrap_or_else(|| caller.locale().to_owned());
    if !config.deployment.locales.contains(&locale) || !state.messages.has_locale(&locale) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_locale")
            .with("value", &locale)
            .with("allowed", config.deployment.locales.join(", ")));
    }

    let Some(record) = state.store.case(&caller.principal, id).await? else {
        audit(&state, &caller, id, "not_found", &locale).await?;
        return Err(ApiError::not_found());
    };
    let view = cases::render_case(&state, &caller.principal, record).await?;
    let context = SummaryContext {
        config,
        messages: &state.messages,
        locale: &locale,
        forms: readable_forms(&caller, config, &view),
        user_names: user_names(&state, &view).await?,
        printed_by: &caller.user.full_name,
        now: state.now(),
    };
    let summary = build(&context, &view);

    let started = std::time::Instant::now();
    let pdf = tokio::task::spawn_blocking(move || sathi_pdf::render_pdf(&summary))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    audit(&state, &caller, id, "ok", &locale).await?;
    tracing::info!(case_id = %id, bytes = pdf.len(), millis = started.elapsed().as_millis() as u64, "case summary printed");

    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
        (header::CONTENT_DISPOSITION, disposition(&view.display_id)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, pdf).into_response())
}

/// Returns the forms of the case view in configuration order: a referral's shared forms for its
/// recipient, otherwise every form the caller's role reads.
fn readable_forms<'a>(
    caller: &Caller,
    config: &'a sathi_domain::config::Configuration,
    view: &CaseView,
) -> Vec<&'a Form> {
    let mut forms: Vec<&Form> = config
        .forms
        .iter()
        .filter(|form| match &view.shared_forms {
            Some(shared) => shared.contains(&form.id),
            None => caller.principal.form_access(&form.id) >= FormAccess::Read,
        })
        .collect();
    forms.sort_by_key(|form| form.order);
    forms
}

/// Returns the full names of the case's owner and creator.
async fn user_names(state: &AppState, view: &CaseView) -> ApiResult<HashMap<UserId, String>> {
    let mut names = HashMap::new();
    for id in [view.owner_id, view.created_by] {
        if !names.contains_key(&id)
            && let Some(user) = state.store.user(id).await?
        {
            names.insert(id, user.full_name);
        }
    }
    Ok(names)
}

/// Builds `attachment; filename="CXB-4F7K2M.pdf"`. A display id is a configured prefix and
/// letters, but anything outside letters, digits, `-` and `_` is replaced so the header stays valid.
fn disposition(display_id: &str) -> HeaderValue {
    let name: String = display_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{name}.pdf\""))
        .unwrap_or(HeaderValue::from_static("attachment"))
}

/// Audits the request with ids and the language only.
async fn audit(state: &AppState, caller: &Caller, id: CaseId, outcome: &str, locale: &str) -> ApiResult<()> {
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(caller.user.id),
            action: "case.pdf".to_owned(),
            case_id: Some(id),
            outcome: outcome.to_owned(),
            detail: serde_json::json!({ "language": locale }),
            at: state.now(),
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_names_display_id() {
        assert_eq!(disposition("CXB-4F7K2M"), "attachment; filename=\"CXB-4F7K2M.pdf\"");
        assert_eq!(disposition("CX\"B/1"), "attachment; filename=\"CX_B_1.pdf\"");
    }
}
