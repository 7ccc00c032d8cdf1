//! The coordination dashboard: figures across every agency for a role with aggregates of all
//! agencies and no records, and `GET /dashboard/panels/{panel_id}`, the table behind each
//! panel broken down by agency.
//!
//! The figures come from a snapshot in `report_snapshots`, because counting a million cases on
//! every request would be too slow. The first request computes it. After that, the job that
//! [`spawn`] starts in every server process recomputes it once it is older than the
//! deployment's `coordination_snapshot_minutes`. A process must claim the row first
//! (`ReportStore::claim_report_snapshot`), so several processes on one database compute it once
//! per interval.
//!
//! The snapshot keeps counts unsuppressed. Suppression runs on every read, on the table of each
//! panel by agency, and a dashboard figure is that table's row total. So a figure always
//! equals the total of the table it opens, suppressed or not.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use sathi_domain::config::Configuration;
use sathi_domain::dates::{self, format_date};
use sathi_domain::ids::UserId;
use sathi_domain::permissions::{Action, Grant, Role, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::reports::{Cell, Dimension, Measure, PivotTable, YearMonth, percentile, suppress};
use sathi_domain::workflow::CaseStatus;
use sathi_store::{Milestone, ReportFilter};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::dashboard::{
    Chart, Counted, Dashboard, DashboardKind, Figure, ListTarget, Panel, PanelDimension, Period, Screen,
    dashboard_kind, period_start,
};
use crate::error::{ApiError, ApiPath, ApiResult, ErrorBody};
use crate::reports::pivot::{self, AGE_UNKNOWN, Axis, PivotSpec};
use crate::reports::{CellView, Heading, start_of_day};
use crate::state::AppState;

/// The `report_snapshots` row of the coordination dashboard.
pub const SNAPSHOT_KIND: &str = "coordination";

/// How long a process may take to compute the snapshot before another may claim it.
const CLAIM_LEASE: time::Duration = time::Duration::minutes(10);

/// How often the job checks whether the snapshot is due, at most.
const CHECK_INTERVAL: Duration = Duration::from_secs(60);

/// The coordination figures as stored: unsuppressed counts by panel and agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoordinationSnapshot {
    #[serde(with = "iso_date")]
    pub as_of: Date,
    #[serde(with = "iso_date")]
    pub period_from: Date,
    pub panels: Vec<StoredPanel>,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPanel {
    pub id: String,
    pub counts: Counted,
    pub dimension: PanelDimension,
    pub chart: Chart,
    pub table: StoredTable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredTable {
    /// Counts of the panel's keys (rows) by agency (columns). Totals count distinct records.
    Counts {
        rows: Vec<String>,
        agencies: Vec<String>,
        cells: Vec<Vec<u64>>,
        row_totals: Vec<u64>,
        column_totals: Vec<u64>,
        total: u64,
    },
    /// Days from registration to a casework step: by agency and over all agencies.
    Days { agencies: Vec<String>, by_agency: Vec<DaysFigures>, overall: DaysFigures },
}

/// The median and 90th percentile of a number of days, and how many cases were measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DaysFigures {
    pub cases: u64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// A coordination panel broken down by agency, from the same snapshot as the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PanelTable {
    pub panel: String,
    pub counts: Counted,
    pub dimension: PanelDimension,
    #[schema(format = Date)]
    pub as_of: String,
    /// When the snapshot was computed.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub computed_at: OffsetDateTime,
    pub suppression_threshold: u32,
    /// The panel's keys, labelled in the caller's language. A `days` panel has `median`, `p90`
    /// and `cases`.
    pub rows: Vec<Heading>,
    /// The agencies, labelled by name.
    pub columns: Vec<Heading>,
    /// `cells[row][agency]`.
    pub cells: Vec<Vec<CellView>>,
    /// The figure of each key on the dashboard.
    pub row_totals: Vec<CellView>,
    /// Each agency's total; for a `days` panel, the cases measured.
    pub column_totals: Vec<CellView>,
    pub total: CellView,
    pub suppressed_cells: usize,
}

/// Builds the coordination dashboard from the snapshot, computing the snapshot first when none
/// is stored.
pub async fn coordination_dashboard(state: &AppState, caller: &Caller) -> ApiResult<Dashboard> {
    let loaded = state.configuration();
    let config = &loaded.config;
    let (snapshot, computed_at) = current_snapshot(state, config).await?;
    let threshold = config.deployment.reports.suppression_threshold;

    let panels = snapshot
        .panels
        .iter()
        .map(|panel| {
            let table = suppressed_table(&panel.table, threshold);
            let views = TableViews::of(&panel.table, &table);
            let list = ListTarget::new(Screen::Report, [("panel", panel.id.clone())]);
            let figures = table
                .rows
                .iter()
                .zip(&views.row_totals)
                .map(|(key, cell)| {
                    let mut figure = Figure::new(key.clone(), cell.value.map(to_i64), Some(list.clone()));
                    figure.suppressed = cell.suppressed;
                    if matches!(panel.dimension, PanelDimension::Agency)
                        && let Some(agency) = config.agency(key)
                    {
                        figure = figure.with_label(agency.name.get(caller.locale()));
                    }
                    figure
                })
                .collect();
            Panel::new(&panel.id, panel.counts, panel.dimension, panel.chart, figures)
        })
        .collect();
    Ok(Dashboard {
        kind: DashboardKind::Coordination,
        as_of: format_date(snapshot.as_of),
        computed_at,
        suppression_threshold: Some(threshold),
        period: Period { from: format_date(snapshot.period_from), to: format_date(snapshot.as_of) },
        panels,
    })
}

/// The table behind a coordination panel: the panel's keys by agency, suppressed as on the
/// dashboard, so each row total equals the panel's figure.
#[utoipa::path(get, path = "/dashboard/panels/{panel_id}", tag = "dashboard",
    params(("panel_id" = String, Path, description = "A coordination panel id, such as `open_by_camp`")),
    responses((status = 200, body = PanelTable), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn panel_table(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(panel_id): ApiPath<String>,
) -> ApiResult<Json<PanelTable>> {
    if !caller.principal.can(Action::ViewAggregates) {
        return Err(ApiError::forbidden());
    }
    // Other roles with aggregates have live dashboards, whose figures open lists instead.
    if dashboard_kind(&caller.principal.role) != DashboardKind::Coordination {
        return Err(ApiError::not_found());
    }
    let loaded = state.configuration();
    let config = &loaded.config;
    let (snapshot, computed_at) = current_snapshot(&state, config).await?;
    let Some(panel) = snapshot.panels.iter().find(|panel| panel.id == panel_id) else {
        return Err(ApiError::not_found());
    };

    let threshold = config.deployment.reports.suppression_threshold;
    let table = suppressed_table(&panel.table, threshold);
    let messages = &state.messages;
    let locale = caller.locale();
    let row_label = |key: &str| match panel_dimension(panel.dimension) {
        _ if matches!(panel.table, StoredTable::Days { .. }) => {
            messages.format(locale, &format!("report-days-{key}"), &[])
        }
        Some(dimension) => pivot::key_label(config, messages, locale, dimension, key),
        None => messages.format(locale, "report-total", &[]),
    };
    let views = TableViews::of(&panel.table, &table);
    Ok(Json(PanelTable {
        panel: panel.id.clone(),
        counts: panel.counts,
        dimension: panel.dimension,
        as_of: format_date(snapshot.as_of),
        computed_at,
        suppression_threshold: threshold,
        rows: table.rows.iter().map(|key| Heading { key: key.clone(), label: row_label(key) }).collect(),
        columns: table
            .columns
            .iter()
            .map(|agency| Heading {
                key: agency.clone(),
                label: pivot::key_label(config, messages, locale, Dimension::Agency, agency),
            })
            .collect(),
        cells: views.cells,
        row_totals: views.row_totals,
        column_totals: table.column_totals.iter().copied().map(CellView::from).collect(),
        total: table.total.into(),
        suppressed_cells: views.suppressed,
    }))
}

/// The values of a suppressed panel table as the API shows them.
struct TableViews {
    cells: Vec<Vec<CellView>>,
    row_totals: Vec<CellView>,
    /// How many shown values are suppressed, not counting medians of no case.
    suppressed: usize,
}

impl TableViews {
    /// Views `table`, the suppressed form of `stored`. A median or percentile of no case is
    /// `null` without being suppressed, because there is nothing to hide.
    fn of(stored: &StoredTable, table: &PivotTable) -> TableViews {
        let views = |cells: &[Cell]| cells.iter().copied().map(CellView::from).collect::<Vec<_>>();
        let mut cells: Vec<Vec<CellView>> = table.cells.iter().map(|row| views(row)).collect();
        let mut row_totals = views(&table.row_totals);
        if let StoredTable::Days { by_agency, overall, .. } = stored {
            let picks: [fn(&DaysFigures) -> Option<i64>; 2] =
                [|figures| figures.median, |figures| figures.p90];
            for (row, pick) in picks.iter().enumerate() {
                for (column, figures) in by_agency.iter().enumerate() {
                    if pick(figures).is_none() {
                        cells[row][column] = CellView { value: None, suppressed: false };
                    }
                }
                if pick(overall).is_none() {
                    row_totals[row] = CellView { value: None, suppressed: false };
                }
            }
        }
        let suppressed = cells.iter().flatten().chain(&row_totals).filter(|cell| cell.suppressed).count()
            + table
                .column_totals
                .iter()
                .chain(std::iter::once(&table.total))
                .filter(|cell| cell.suppressed)
                .count();
        TableViews { cells, row_totals, suppressed }
    }
}

fn to_i64(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// Returns the pivot dimension whose labels a panel's keys take, `None` for a single total.
fn panel_dimension(dimension: PanelDimension) -> Option<Dimension> {
    match dimension {
        PanelDimension::Camp => Some(Dimension::Camp),
        PanelDimension::Concern => Some(Dimension::Concern),
        PanelDimension::Sex => Some(Dimension::Sex),
        PanelDimension::AgeRange => Some(Dimension::AgeRange),
        PanelDimension::Month => Some(Dimension::Month),
        PanelDimension::Agency => Some(Dimension::Agency),
        PanelDimension::Service => Some(Dimension::Service),
        PanelDimension::RiskLevel => Some(Dimension::RiskLevel),
        PanelDimension::Stage => Some(Dimension::Stage),
        _ => None,
    }
}

/// Returns the stored table of a panel with small counts suppressed.
///
/// A `days` panel has the rows `median`, `p90` and `cases` by agency. The cases measured are
/// suppressed like any count, and an agency's median and 90th percentile are withheld with its
/// count, because a median of two cases reveals a child's own number of days.
pub fn suppressed_table(table: &StoredTable, threshold: u32) -> PivotTable {
    let threshold = u64::from(threshold);
    match table {
        StoredTable::Counts { rows, agencies, cells, row_totals, column_totals, total } => {
            let counts = PivotTable {
                rows: rows.clone(),
                columns: agencies.clone(),
                cells: cells.iter().map(|row| row.iter().copied().map(Cell::new).collect()).collect(),
                row_totals: row_totals.iter().copied().map(Cell::new).collect(),
                column_totals: column_totals.iter().copied().map(Cell::new).collect(),
                total: Cell::new(*total),
            };
            suppress(&counts, threshold)
        }
        StoredTable::Days { agencies, by_agency, overall } => {
            let measured: Vec<Cell> = by_agency.iter().map(|figures| Cell::new(figures.cases)).collect();
            let cases = suppress(
                &PivotTable {
                    rows: vec!["cases".to_owned()],
                    columns: agencies.clone(),
                    cells: vec![measured.clone()],
                    row_totals: vec![Cell::new(overall.cases)],
                    column_totals: measured,
                    total: Cell::new(overall.cases),
                },
                threshold,
            );
            let days = |value: Option<i64>, hidden: bool| Cell {
                count: value.and_then(|days| u64::try_from(days).ok()).unwrap_or(0),
                suppressed: hidden || value.is_none(),
            };
            let agency_hidden: Vec<bool> = cases.cells[0].iter().map(|cell| cell.suppressed).collect();
            let overall_hidden = cases.total.suppressed;
            let row = |pick: fn(&DaysFigures) -> Option<i64>| -> Vec<Cell> {
                by_agency
                    .iter()
                    .zip(&agency_hidden)
                    .map(|(figures, hidden)| days(pick(figures), *hidden))
                    .collect()
            };
            PivotTable {
                rows: vec!["median".to_owned(), "p90".to_owned(), "cases".to_owned()],
                columns: agencies.clone(),
                cells: vec![
                    row(|figures| figures.median),
                    row(|figures| figures.p90),
                    cases.cells[0].clone(),
                ],
                row_totals: vec![
                    days(overall.median, overall_hidden),
                    days(overall.p90, overall_hidden),
                    cases.total,
                ],
                column_totals: cases.column_totals,
                total: cases.total,
            }
        }
    }
}

/// Reads the stored snapshot, or computes and stores it when none exists.
async fn current_snapshot(
    state: &AppState,
    config: &Configuration,
) -> ApiResult<(CoordinationSnapshot, OffsetDateTime)> {
    if let Some(stored) = state.store.report_snapshot(SNAPSHOT_KIND).await? {
        match serde_json::from_value::<CoordinationSnapshot>(stored.document) {
            Ok(snapshot) => return Ok((snapshot, stored.computed_at)),
            // A document from an older server version: compute it again in the current form.
            Err(error) => {
                tracing::warn!(%error, "the stored coordination snapshot does not parse; computing it again")
            }
        }
    }
    let computed_at = state.now();
    let snapshot = compute_snapshot(state, config, computed_at).await?;
    save(state, &snapshot, computed_at).await?;
    Ok((snapshot, computed_at))
}

async fn save(
    state: &AppState,
    snapshot: &CoordinationSnapshot,
    computed_at: OffsetDateTime,
) -> ApiResult<()> {
    let document = serde_json::to_value(snapshot).map_err(ApiError::internal)?;
    state.store.save_report_snapshot(SNAPSHOT_KIND, &document, computed_at).await?;
    Ok(())
}

/// Computes the snapshot now and stores it, whatever its age. Returns how long the computation
/// took.
pub async fn refresh(state: &AppState) -> ApiResult<Duration> {
    let started = std::time::Instant::now();
    let loaded = state.configuration();
    let computed_at = state.now();
    let snapshot = compute_snapshot(state, &loaded.config, computed_at).await?;
    save(state, &snapshot, computed_at).await?;
    Ok(started.elapsed())
}

/// Refreshes the snapshot if it is due and this process wins the claim. Returns whether it did.
/// A snapshot that no request has created yet is left alone.
pub async fn refresh_if_due(state: &AppState) -> ApiResult<bool> {
    let loaded = state.configuration();
    let minutes = i64::from(loaded.config.deployment.reports.coordination_snapshot_minutes);
    let now = state.now();
    let claimed = state
        .store
        .claim_report_snapshot(
            SNAPSHOT_KIND,
            now - time::Duration::minutes(minutes),
            now,
            now + CLAIM_LEASE,
            false,
        )
        .await?;
    if !claimed {
        return Ok(false);
    }
    let elapsed = refresh(state).await?;
    tracing::info!(milliseconds = elapsed.as_millis() as u64, "computed the coordination snapshot");
    Ok(true)
}

/// The running refresh job; dropping it stops the job.
pub struct SnapshotJob(tokio::task::JoinHandle<()>);

impl Drop for SnapshotJob {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the job that keeps the coordination snapshot fresh, checking every minute (or every
/// `coordination_snapshot_minutes` if that is shorter). A failed run is logged and retried at
/// the next check.
pub fn spawn(state: AppState) -> SnapshotJob {
    SnapshotJob(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(CHECK_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = refresh_if_due(&state).await {
                tracing::warn!(
                    code = error.code,
                    "computing the coordination snapshot failed; retrying at the next check"
                );
            }
        }
    }))
}

/// Builds the principal the snapshot is counted as: aggregates of every agency, nothing else.
/// Only a role with that same reach reads the snapshot.
fn all_agencies_principal() -> Principal {
    Principal {
        user_id: UserId(uuid::Uuid::nil()),
        agency_id: String::new(),
        role: Role {
            id: "coordination_snapshot".to_owned(),
            name: Default::default(),
            description: Default::default(),
            grants: vec![Grant { action: Action::ViewAggregates, scope: Scope::All }],
            forms: Default::default(),
        },
        group_ids: Vec::new(),
    }
}

/// Counts every coordination panel at `now`.
pub async fn compute_snapshot(
    state: &AppState,
    config: &Configuration,
    now: OffsetDateTime,
) -> ApiResult<CoordinationSnapshot> {
    let principal = all_agencies_principal();
    let today = dates::today(now, config.deployment.utc_offset_minutes);
    let period_from = period_start(today);
    let offset = config.deployment.utc_offset_minutes;
    let months = pivot::months_between(YearMonth::of(period_from), YearMonth::of(today));

    let open = ReportFilter { status: Some(CaseStatus::Open), ..ReportFilter::default() };
    let registered = ReportFilter {
        registered_from: Some(period_from),
        registered_to: Some(today),
        ..ReportFilter::default()
    };
    let closed =
        ReportFilter { closed_from: Some(period_from), closed_to: Some(today), ..ReportFilter::default() };
    let referred = ReportFilter {
        referred_from: Some(start_of_day(period_from, offset)),
        referred_before: Some(start_of_day(today.next_day().unwrap_or(today), offset)),
        ..ReportFilter::default()
    };
    let by_agency =
        |measure: Measure, dimension: Dimension, columns: Dimension, filter: &ReportFilter| PivotSpec {
            measure,
            rows: Axis::of(measure, dimension),
            columns: Some(Axis::of(measure, columns)),
            filter: filter.clone(),
            as_of: today,
        };
    let cases = |dimension: Dimension, filter: &ReportFilter| {
        by_agency(Measure::Cases, dimension, Dimension::Agency, filter)
    };
    let closed_by_month = PivotSpec {
        rows: Axis { dimension: Dimension::Month, grouping: sathi_store::Grouping::ClosureMonth },
        ..cases(Dimension::Month, &closed)
    };

    let mut panels = Vec::new();
    let mut add = |id: &str, counts: Counted, dimension: PanelDimension, chart: Chart, table: StoredTable| {
        panels.push(StoredPanel { id: id.to_owned(), counts, dimension, chart, table });
    };

    let open_by_agency = count(state, &principal, config, &cases(Dimension::Agency, &open), None).await?;
    add("open_total", Counted::Cases, PanelDimension::Total, Chart::Number, total_row(&open_by_agency));
    let open_by_camp = count(state, &principal, config, &cases(Dimension::Camp, &open), None).await?;
    add("open_by_camp", Counted::Cases, PanelDimension::Camp, Chart::Bar, open_by_camp);
    let open_by_concern = count(state, &principal, config, &cases(Dimension::Concern, &open), None).await?;
    add("open_by_concern", Counted::Cases, PanelDimension::Concern, Chart::Bar, open_by_concern);
    let open_by_sex = count(state, &principal, config, &cases(Dimension::Sex, &open), None).await?;
    add("open_by_sex", Counted::Cases, PanelDimension::Sex, Chart::Column, open_by_sex);
    let open_by_age = count(state, &principal, config, &cases(Dimension::AgeRange, &open), None).await?;
    add(
        "open_by_age_range",
        Counted::Cases,
        PanelDimension::AgeRange,
        Chart::Column,
        rename_age_unknown(open_by_age),
    );
    let opened =
        count(state, &principal, config, &cases(Dimension::Month, &registered), Some(&months)).await?;
    add("opened_by_month", Counted::Cases, PanelDimension::Month, Chart::Line, opened);
    let closed_table = count(state, &principal, config, &closed_by_month, Some(&months)).await?;
    add("closed_by_month", Counted::Cases, PanelDimension::Month, Chart::Line, closed_table);
    let sent = by_agency(Measure::Referrals, Dimension::Service, Dimension::FromAgency, &referred);
    let sent = count(state, &principal, config, &sent, None).await?;
    add("referrals_sent_by_service", Counted::Referrals, PanelDimension::Service, Chart::Bar, sent);
    // As on a manager's dashboard, the keys are the referring agencies; the table behind the
    // panel breaks each down by the receiving agency.
    let received = by_agency(Measure::Referrals, Dimension::FromAgency, Dimension::ToAgency, &referred);
    let received = count(state, &principal, config, &received, None).await?;
    add("referrals_received_by_agency", Counted::Referrals, PanelDimension::Agency, Chart::Bar, received);
    for (id, milestone) in [
        ("days_to_assessment", Milestone::AssessmentCompleted),
        ("days_to_case_plan", Milestone::CasePlanApproved),
    ] {
        let table = days_table(state, &principal, config, milestone, period_from, today).await?;
        add(id, Counted::Days, PanelDimension::Total, Chart::Number, table);
    }
    add("open_by_agency", Counted::Cases, PanelDimension::Agency, Chart::Bar, open_by_agency);

    Ok(CoordinationSnapshot { as_of: today, period_from, panels })
}

/// Counts `spec` (rows by agency) into a stored table. `row_keys`, when given, are the rows in
/// order, whether they have records or not.
async fn count(
    state: &AppState,
    principal: &Principal,
    config: &Configuration,
    spec: &PivotSpec,
    row_keys: Option<&[String]>,
) -> ApiResult<StoredTable> {
    let table = pivot::count_table(state, principal, config, spec).await?;
    let counts = |cells: &[Cell]| cells.iter().map(|cell| cell.count).collect::<Vec<_>>();
    let mut rows: BTreeMap<String, (Vec<u64>, u64)> = BTreeMap::new();
    for ((key, cells), total) in table.rows.iter().zip(&table.cells).zip(&table.row_totals) {
        rows.insert(key.clone(), (counts(cells), total.count));
    }
    let keys: Vec<String> = match row_keys {
        Some(keys) => keys.to_vec(),
        None => table.rows.clone(),
    };
    let empty = (vec![0; table.columns.len()], 0);
    Ok(StoredTable::Counts {
        cells: keys.iter().map(|key| rows.get(key).unwrap_or(&empty).0.clone()).collect(),
        row_totals: keys.iter().map(|key| rows.get(key).unwrap_or(&empty).1).collect(),
        rows: keys,
        agencies: table.columns.clone(),
        column_totals: counts(&table.column_totals),
        total: table.total.count,
    })
}

/// Turns a table by agency into the single row `total` of the agencies' totals.
fn total_row(table: &StoredTable) -> StoredTable {
    match table {
        StoredTable::Counts { agencies, column_totals, total, .. } => StoredTable::Counts {
            rows: vec!["total".to_owned()],
            agencies: agencies.clone(),
            cells: vec![column_totals.clone()],
            row_totals: vec![*total],
            column_totals: column_totals.clone(),
            total: *total,
        },
        other => other.clone(),
    }
}

/// Dashboards key children without a date of birth `unknown`, which opens `age_unknown=true`.
fn rename_age_unknown(mut table: StoredTable) -> StoredTable {
    if let StoredTable::Counts { rows, .. } = &mut table {
        for key in rows.iter_mut().filter(|key| key.as_str() == sathi_domain::reports::NOT_RECORDED) {
            *key = AGE_UNKNOWN.to_owned();
        }
    }
    table
}

/// Computes the days from registration to `milestone` of the cases registered from `from` to
/// `to`, by agency and overall.
async fn days_table(
    state: &AppState,
    principal: &Principal,
    config: &Configuration,
    milestone: Milestone,
    from: Date,
    to: Date,
) -> ApiResult<StoredTable> {
    let counts = state.store.milestone_days(principal, milestone, from, to).await?;
    let mut by_agency: BTreeMap<String, BTreeMap<i64, u64>> = BTreeMap::new();
    let mut overall: BTreeMap<i64, u64> = BTreeMap::new();
    for row in counts {
        *by_agency.entry(row.agency).or_default().entry(row.days).or_default() += row.count;
        *overall.entry(row.days).or_default() += row.count;
    }
    let present: BTreeSet<String> = by_agency.keys().cloned().collect();
    let agencies = pivot::ordered_keys(config, Dimension::Agency, &present, &[]);
    Ok(StoredTable::Days {
        by_agency: agencies.iter().map(|agency| days_figures(by_agency.get(agency))).collect(),
        overall: days_figures(Some(&overall)),
        agencies,
    })
}

/// Computes the median and 90th percentile (nearest rank) from a histogram of days.
fn days_figures(histogram: Option<&BTreeMap<i64, u64>>) -> DaysFigures {
    let Some(histogram) = histogram else { return DaysFigures::default() };
    let mut values = Vec::new();
    for (days, count) in histogram {
        values.extend(std::iter::repeat_n(*days, usize::try_from(*count).unwrap_or(0)));
    }
    DaysFigures { cases: values.len() as u64, median: percentile(&values, 50), p90: percentile(&values, 90) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days_table(cases: &[u64], overall: u64) -> StoredTable {
        StoredTable::Days {
            agencies: (0..cases.len()).map(|index| format!("a{index}")).collect(),
            by_agency: cases
                .iter()
                .map(|cases| DaysFigures { cases: *cases, median: Some(3), p90: Some(9) })
                .collect(),
            overall: DaysFigures { cases: overall, median: Some(4), p90: Some(10) },
        }
    }

    #[test]
    fn days_of_small_agency_withheld() {
        let table = suppressed_table(&days_table(&[12, 3, 20], 35), 5);
        let shown = |row: usize| table.cells[row].iter().map(Cell::shown).collect::<Vec<_>>();
        // 3 cases is below 5, and 12, the smallest other count, hides it.
        assert_eq!(shown(0), [None, None, Some(3)], "medians");
        assert_eq!(shown(1), [None, None, Some(9)], "90th percentiles");
        assert_eq!(shown(2), [None, None, Some(20)], "cases measured");
        let totals: Vec<Option<u64>> = table.row_totals.iter().map(Cell::shown).collect();
        assert_eq!(totals, [Some(4), Some(10), Some(35)]);
    }

    #[test]
    fn days_with_few_cases_overall_withheld() {
        let table = suppressed_table(&days_table(&[2, 1], 3), 5);
        assert!(table.row_totals.iter().all(|cell| cell.suppressed));
    }

    #[test]
    fn days_figures_from_histogram() {
        let histogram = BTreeMap::from([(1, 3), (4, 1), (30, 1)]);
        let figures = days_figures(Some(&histogram));
        assert_eq!(figures, DaysFigures { cases: 5, median: Some(1), p90: Some(30) });
    }
}
