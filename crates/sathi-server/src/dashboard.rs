//! `GET /dashboard`: the figures of the caller's work, chosen by what the caller's role grants.
//!
//! Every figure carries the list it counts ([`ListTarget`]): the same permission-scoped query
//! that the list screen runs, so following a figure shows exactly as many rows as the figure
//! says. The caseworker, supervisor and manager dashboards are live queries; the coordination
//! dashboard comes from `coordination.rs`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use sathi_domain::dates;
use sathi_domain::permissions::{Action, Role, Scope};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;

/// Which dashboard a role gets, decided from its grants rather than its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DashboardKind {
    Caseworker,
    Supervisor,
    /// An agency's manager: aggregate figures over the agency's cases.
    Manager,
    /// Figures across agencies, without reading any record.
    Coordination,
    /// No dashboard; the client hides the tab.
    None,
}

/// What a panel's values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    Cases,
    Children,
    Referrals,
    Tasks,
    Approvals,
    /// Days between two dates of a case, such as registration and assessment.
    Days,
}

/// What a panel's figures are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PanelDimension {
    /// One figure for the whole panel.
    Total,
    RiskLevel,
    Stage,
    Owner,
    Camp,
    Concern,
    Sex,
    AgeRange,
    Month,
    Agency,
    Service,
    /// Task buckets: `overdue`, `today`, `week`.
    Bucket,
    /// Kinds of item, such as `referrals` and `transfers`.
    Kind,
}

/// How the client draws a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    Number,
    Bar,
    Column,
    Line,
}

/// The list screen a figure opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    /// `GET /cases` with the filter as query parameters.
    Cases,
    /// `GET /tasks` with `bucket` and optional `owner`.
    Tasks,
    /// `GET /approvals`: approvals pending on the caller.
    Approvals,
    /// `GET /referrals` with the filter as query parameters.
    Referrals,
    /// `GET /transfers`: transfers pending on the caller.
    Transfers,
    /// `GET /dashboard/panels/{panel}`: a coordination panel broken down by agency.
    Report,
}

/// The list behind a figure. `filter` holds query parameters of the screen's endpoint, as
/// strings, so that the list's row count equals the figure's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ListTarget {
    pub screen: Screen,
    pub filter: BTreeMap<String, String>,
}

impl ListTarget {
    pub fn new<'a>(screen: Screen, filter: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        let filter = filter.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        ListTarget { screen, filter }
    }
}

/// One value of a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figure {
    /// The value of the panel's dimension: an option id (`high`), `none` for "not recorded",
    /// a user id, a camp code, a month (`2026-11`), an age range (`0-5`, `18+`, `unknown`),
    /// a bucket, or `median`, `p90` and `cases` for a `days` panel.
    pub key: String,
    /// A name for keys the client cannot label from the configuration (users); otherwise `null`.
    pub label: Option<String>,
    /// `null` when suppressed, or for a `days` figure with no case measured.
    pub value: Option<i64>,
    /// Whether the value is hidden because it is below the suppression threshold, or because
    /// it would reveal a hidden value.
    pub suppressed: bool,
    /// The list this figure counts; `null` when no list shows it (a median).
    pub list: Option<ListTarget>,
}

impl Figure {
    /// Builds an unsuppressed figure.
    pub fn new(key: impl Into<String>, value: Option<i64>, list: Option<ListTarget>) -> Self {
        Figure { key: key.into(), label: None, value, suppressed: false, list }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// A chart or number of a dashboard. The client labels a panel from its `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Panel {
    pub id: String,
    pub counts: Counted,
    pub dimension: PanelDimension,
    pub chart: Chart,
    pub figures: Vec<Figure>,
}

impl Panel {
    pub fn new(
        id: &str,
        counts: Counted,
        dimension: PanelDimension,
        chart: Chart,
        figures: Vec<Figure>,
    ) -> Self {
        Panel { id: id.to_owned(), counts, dimension, chart, figures }
    }
}

/// The first and last day, both inclusive, of a dashboard's month charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    pub kind: DashboardKind,
    /// Today in the deployment's zone, `YYYY-MM-DD`: the date of ages, task buckets and months.
    #[schema(format = Date)]
    pub as_of: String,
    /// When the figures were computed: now, or the time of the coordination snapshot.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub computed_at: OffsetDateTime,
    /// Set when counts below it are suppressed (coordination), otherwise `null`.
    pub suppression_threshold: Option<u32>,
    /// Month charts cover this month and the 11 before it, up to `as_of`.
    pub period: Period,
    pub panels: Vec<Panel>,
}

/// Picks the dashboard of a role from its grants:
/// `view_aggregates` at scope `all` without `read` gives coordination; `view_aggregates` with
/// `read` at scope agency gives manager; `approve` gives supervisor; `create` gives
/// caseworker; any other role gets none.
pub fn dashboard_kind(role: &Role) -> DashboardKind {
    let aggregates = role.scope_of(Action::ViewAggregates);
    let read = role.scope_of(Action::Read);
    if aggregates == Some(Scope::All) && read.is_none() {
        DashboardKind::Coordination
    } else if aggregates.is_some() && read == Some(Scope::Agency) {
        DashboardKind::Manager
    } else if role.can(Action::Approve) {
        DashboardKind::Supervisor
    } else if role.can(Action::Create) {
        DashboardKind::Caseworker
    } else {
        DashboardKind::None
    }
}

/// Returns the first day of the month 11 months before `today`'s month, so that a month chart
/// covers 12 months including the current one.
pub fn period_start(today: time::Date) -> time::Date {
    let months = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - 11;
    let month = time::Month::try_from((months.rem_euclid(12) + 1) as u8).expect("1..=12 is a month");
    time::Date::from_calendar_date(months.div_euclid(12), month, 1).expect("the first of a month exists")
}

/// The caller's dashboard: panels of figures, each with the list it counts.
#[utoipa::path(get, path = "/dashboard", tag = "dashboard",
    responses((status = 200, body = Dashboard), (status = 401, body = ErrorBody)))]
pub async fn dashboard(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Dashboard>> {
    let loaded = state.configuration();
    let today = state.today(&loaded.config);
    let kind = dashboard_kind(&caller.principal.role);
    // TODO: panels of the caseworker, supervisor, manager and coordination kinds.
    Ok(Json(Dashboard {
        kind,
        as_of: dates::format_date(today),
        computed_at: state.now(),
        suppression_threshold: None,
        period: Period { from: dates::format_date(period_start(today)), to: dates::format_date(today) },
        panels: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn period_starts_eleven_months_back() {
        assert_eq!(period_start(date!(2026 - 12 - 05)), date!(2026 - 01 - 01));
        assert_eq!(period_start(date!(2026 - 11 - 30)), date!(2025 - 12 - 01));
        assert_eq!(period_start(date!(2026 - 01 - 31)), date!(2025 - 02 - 01));
    }

    #[test]
    fn default_roles_get_their_dashboards() {
        let config = crate::default_config::configuration();
        let kind_of = |id: &str| dashboard_kind(config.roles.iter().find(|role| role.id == id).unwrap());
        assert_eq!(kind_of("caseworker"), DashboardKind::Caseworker);
        assert_eq!(kind_of("supervisor"), DashboardKind::Supervisor);
        assert_eq!(kind_of("agency_admin"), DashboardKind::Manager);
        assert_eq!(kind_of("information_management_officer"), DashboardKind::Coordination);
        assert_eq!(kind_of("service_provider"), DashboardKind::None);
        assert_eq!(kind_of("system_admin"), DashboardKind::None);
    }
}
