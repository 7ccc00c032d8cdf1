//! `GET /dashboard`: the figures of the caller's work, chosen by what the caller's role grants.
//!
//! Every figure carries the list it counts ([`ListTarget`]), and is counted with the same
//! permission-scoped query that the list screen runs, so the list has exactly the figure's
//! number of rows. The caseworker, supervisor and manager dashboards are live queries. The
//! coordination dashboard comes from `coordination.rs`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use sathi_domain::config::Configuration;
use sathi_domain::dates;
use sathi_domain::ids::UserId;
use sathi_domain::permissions::{Action, Role, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::workflow::Bucket;
use sathi_store::{ApprovalFilter, CaseDimension, CaseFilter, ListBox, StatusFilter};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::cases::{self, CaseListQuery};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::tasks;

mod manager;

use manager::manager_panels;
pub use manager::{agency_referral_filter, agency_side};

/// The dashboard a role gets, decided from its grants rather than its id.
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

/// The unit of a panel's values.
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

/// The breakdown of a panel's figures.
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

/// The chart type the client draws a panel as.
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

/// The list behind a figure. `filter` contains query parameters of the screen's endpoint, as
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

/// Picks the dashboard of a role from its grants, checked in this order. `view_aggregates` at
/// scope `all` without `read` gives coordination, and `view_aggregates` with `read` at scope
/// agency gives manager. Otherwise `approve` gives supervisor and `create` gives caseworker.
/// Any other role gets none.
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
    let context = Context { state: &state, caller: &caller, config: &loaded.config, today };
    let panels = match kind {
        DashboardKind::Caseworker => caseworker_panels(&context).await?,
        DashboardKind::Supervisor => supervisor_panels(&context).await?,
        DashboardKind::Manager => manager_panels(&context).await?,
        DashboardKind::Coordination => {
            return Ok(Json(crate::coordination::coordination_dashboard(&state, &caller).await?));
        }
        DashboardKind::None => Vec::new(),
    };
    Ok(Json(Dashboard {
        kind,
        as_of: dates::format_date(today),
        computed_at: state.now(),
        suppression_threshold: None,
        period: Period { from: dates::format_date(period_start(today)), to: dates::format_date(today) },
        panels,
    }))
}

/// Query parameters of a list screen, by name.
type Params = BTreeMap<String, String>;

fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
}

/// Returns `base` with one more parameter.
fn with(base: &Params, name: &str, value: impl Into<String>) -> Params {
    let mut params = base.clone();
    params.insert(name.to_owned(), value.into());
    params
}

/// The inputs that every panel of one request reads.
struct Context<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    config: &'a Configuration,
    today: Date,
}

impl Context<'_> {
    fn principal(&self) -> &Principal {
        &self.caller.principal
    }

    fn me(&self) -> String {
        self.caller.principal.user_id.to_string()
    }

    /// Parses case list parameters exactly as `GET /cases` does.
    fn case_filter(&self, params: &Params) -> ApiResult<CaseFilter> {
        let query: CaseListQuery =
            serde_json::from_value(serde_json::to_value(params).map_err(ApiError::internal)?)
                .map_err(ApiError::internal)?;
        cases::case_filter(&query, self.today, self.config)
    }

    /// Returns the case list target of `params`, or `None` when `GET /cases` would reject them
    /// (a stored value that the configuration no longer lists).
    fn cases_list(&self, params: Params) -> Option<ListTarget> {
        self.case_filter(&params).ok()?;
        Some(ListTarget { screen: Screen::Cases, filter: params })
    }

    async fn count_cases(&self, params: &Params) -> ApiResult<i64> {
        let filter = self.case_filter(params)?;
        Ok(self.state.store.count_cases(self.principal(), Action::Read, &filter).await?)
    }

    /// Counts the cases of `base` by `dimension` and returns one figure per key, whose list is
    /// `base` with `param` set to the key (`none` for cases without a value).
    async fn case_figures(
        &self,
        base: &Params,
        dimension: &CaseDimension,
        param: &str,
    ) -> ApiResult<Vec<Figure>> {
        let filter = self.case_filter(base)?;
        let counts =
            self.state.store.count_cases_by(self.principal(), Action::Read, &filter, dimension).await?;
        Ok(counts
            .into_iter()
            .map(|(key, count)| {
                let key = key.unwrap_or_else(|| cases::NOT_RECORDED.to_owned());
                let list = self.cases_list(with(base, param, key.clone()));
                Figure::new(key, Some(count), list)
            })
            .collect())
    }

    /// Builds a `number` panel of the count of the cases of `params`.
    async fn case_total(&self, id: &str, params: Params) -> ApiResult<Panel> {
        let count = self.count_cases(&params).await?;
        let figure = Figure::new("total", Some(count), self.cases_list(params));
        Ok(Panel::new(id, Counted::Cases, PanelDimension::Total, Chart::Number, vec![figure]))
    }

    /// Figures of the cases of `base` by risk level: every level of the `risk_level` lookup,
    /// zero included, in the lookup's order, then `none`.
    async fn risk_figures(&self, base: &Params) -> ApiResult<Vec<Figure>> {
        let figures = self.case_figures(base, &CaseDimension::RiskLevel, "risk_level").await?;
        let mut keys = lookup_ids(self.config, "risk_level");
        keys.push(cases::NOT_RECORDED.to_owned());
        Ok(complete(figures, &keys, |key| self.cases_list(with(base, "risk_level", key))))
    }

    /// Labels user-keyed figures with the users' full names.
    async fn label_users(&self, figures: &mut [Figure]) -> ApiResult<()> {
        for figure in figures {
            let Ok(id) = figure.key.parse::<UserId>() else { continue };
            if let Some(user) = self.state.store.user(id).await? {
                figure.label = Some(user.full_name);
            }
        }
        Ok(())
    }
}

/// Returns the option ids of a lookup, in its order.
fn lookup_ids(config: &Configuration, lookup: &str) -> Vec<String> {
    config
        .lookup(lookup)
        .map(|lookup| lookup.options.iter().map(|option| option.id.clone()).collect())
        .unwrap_or_default()
}

/// Orders `figures` by `keys`, adding a zero figure for each key without one; figures whose
/// key is not in `keys` follow in their order.
fn complete(
    mut figures: Vec<Figure>,
    keys: &[String],
    list_of: impl Fn(String) -> Option<ListTarget>,
) -> Vec<Figure> {
    let mut ordered = Vec::with_capacity(keys.len() + figures.len());
    for key in keys {
        match figures.iter().position(|figure| &figure.key == key) {
            Some(index) => ordered.push(figures.remove(index)),
            None => ordered.push(Figure::new(key.clone(), Some(0), list_of(key.clone()))),
        }
    }
    ordered.extend(figures);
    ordered
}

/// The stages of a case in workflow order; lists filter by these ids.
const STAGES: [&str; 7] =
    ["new", "assessment", "case_plan", "service_provision", "services_implemented", "reopened", "closed"];

/// Task buckets of the `my_tasks` panel, as `GET /tasks?bucket=` takes them.
const TASK_BUCKETS: [Bucket; 3] = [Bucket::Overdue, Bucket::Today, Bucket::Week];

async fn caseworker_panels(context: &Context<'_>) -> ApiResult<Vec<Panel>> {
    let mine = params([("status", "open".to_owned()), ("owner", context.me())]);
    let mut panels = vec![context.case_total("my_open_total", mine.clone()).await?];

    let risk = context.risk_figures(&mine).await?;
    panels.push(Panel::new("my_open_by_risk", Counted::Cases, PanelDimension::RiskLevel, Chart::Bar, risk));

    let stages = context.case_figures(&mine, &CaseDimension::Stage, "stage").await?;
    let stage_keys: Vec<String> = STAGES.iter().map(|stage| (*stage).to_owned()).collect();
    let stages = complete(stages, &stage_keys, |key| context.cases_list(with(&mine, "stage", key)))
        .into_iter()
        .filter(|figure| figure.value != Some(0))
        .collect();
    panels.push(Panel::new("my_open_by_stage", Counted::Cases, PanelDimension::Stage, Chart::Bar, stages));

    panels.push(my_tasks(context).await?);
    panels.push(my_incoming(context).await?);
    Ok(panels)
}

/// Counts the caller's due items by bucket, from the rows that `GET /tasks?bucket=` filters.
async fn my_tasks(context: &Context<'_>) -> ApiResult<Panel> {
    let rows = tasks::task_rows(context.state, context.caller, context.today, tasks::WEEK_DAYS, None).await?;
    let figures = TASK_BUCKETS
        .iter()
        .map(|bucket| {
            let count =
                rows.iter().filter(|row| tasks::bucket_of(row, context.today) == Some(*bucket)).count();
            let list = ListTarget::new(Screen::Tasks, [("bucket", bucket.as_str().to_owned())]);
            Figure::new(bucket.as_str(), Some(count as i64), Some(list))
        })
        .collect();
    Ok(Panel::new("my_tasks", Counted::Tasks, PanelDimension::Bucket, Chart::Bar, figures))
}

/// Counts the pending referrals and transfers that the caller may accept or reject.
async fn my_incoming(context: &Context<'_>) -> ApiResult<Panel> {
    let store = &context.state.store;
    let pending = || [("box", "incoming".to_owned()), ("status", "pending".to_owned())];
    let referrals =
        store.referrals(context.principal(), ListBox::Incoming, StatusFilter::Pending).await?.len();
    let transfers =
        store.transfers(context.principal(), ListBox::Incoming, StatusFilter::Pending).await?.len();
    let figures = vec![
        Figure::new("referrals", Some(referrals as i64), Some(ListTarget::new(Screen::Referrals, pending()))),
        Figure::new("transfers", Some(transfers as i64), Some(ListTarget::new(Screen::Transfers, pending()))),
    ];
    Ok(Panel::new("my_incoming", Counted::Referrals, PanelDimension::Kind, Chart::Number, figures))
}

async fn supervisor_panels(context: &Context<'_>) -> ApiResult<Vec<Panel>> {
    let open = params([("status", "open".to_owned())]);
    let mut owners = context.case_figures(&open, &CaseDimension::Owner, "owner").await?;
    context.label_users(&mut owners).await?;
    let mut panels =
        vec![Panel::new("team_open_by_owner", Counted::Cases, PanelDimension::Owner, Chart::Bar, owners)];

    let pending = ApprovalFilter {
        status: Some("pending".to_owned()),
        decidable_only: true,
        ..ApprovalFilter::default()
    };
    let approvals = context.state.store.approvals(context.principal(), &pending).await?.len();
    let list = ListTarget::new(
        Screen::Approvals,
        [("status", "pending".to_owned()), ("decidable", "true".to_owned())],
    );
    let figure = Figure::new("total", Some(approvals as i64), Some(list));
    panels.push(Panel::new(
        "approvals_pending",
        Counted::Approvals,
        PanelDimension::Total,
        Chart::Number,
        vec![figure],
    ));

    let overdue = context.state.store.count_tasks_by_owner(context.principal(), context.today).await?;
    let mut figures: Vec<Figure> = overdue
        .into_iter()
        .map(|(owner, count)| {
            let filter = [("bucket", Bucket::Overdue.as_str().to_owned()), ("owner", owner.to_string())];
            Figure::new(owner.to_string(), Some(count), Some(ListTarget::new(Screen::Tasks, filter)))
        })
        .collect();
    context.label_users(&mut figures).await?;
    panels.push(Panel::new(
        "team_overdue_by_owner",
        Counted::Tasks,
        PanelDimension::Owner,
        Chart::Bar,
        figures,
    ));

    let new = params([("status", "open".to_owned()), ("stage", "new".to_owned()), ("owner", context.me())]);
    panels.push(context.case_total("new_to_assign", new).await?);

    let risk = context.risk_figures(&open).await?;
    panels.push(Panel::new("team_open_by_risk", Counted::Cases, PanelDimension::RiskLevel, Chart::Bar, risk));
    Ok(panels)
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
