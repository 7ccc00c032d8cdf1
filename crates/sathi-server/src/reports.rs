//! Reports for coordination: the pivot table (`POST /reports/pivot`), the built-in monthly
//! report (`GET /reports/monthly`), and their XLSX and CSV exports.
//!
//! Every request needs the `view_aggregates` grant and counts within its scope, so an agency
//! manager counts the agency's cases and an information management officer counts every
//! agency's. Responses hold keys, labels and counts, never a record or a name. Small counts are
//! suppressed whenever a table can leave the agency: for a caller whose scope spans agencies,
//! for a table made for sharing, and always in the monthly report. Every export writes a
//! `report.export` audit entry.

pub(crate) mod export;
pub mod pivot;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sathi_domain::config::Configuration;
use sathi_domain::dates::{self, format_date};
use sathi_domain::i18n::Messages;
use sathi_domain::permissions::{Action, Scope};
use sathi_domain::principal::Principal;
use sathi_domain::reports::{Cell, Dimension, Measure, PivotTable, YearMonth, suppress};
use sathi_domain::workflow::CaseStatus;
use sathi_store::{AuditEntry, DayEnd, KeyFilter, ReportFilter};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, ErrorBody};
use crate::state::AppState;
use export::{ExportCell, ExportDocument, ExportTable};
use pivot::{Axis, PivotSpec};

/// A pivot table to count.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PivotRequest {
    /// `cases` or `referrals`.
    pub measure: String,
    /// The dimension of the rows. Cases take `camp`, `concern`, `sex`, `age_range`, `agency`,
    /// `month`, `risk_level`, `stage` or `status`. Referrals take `camp`, `sex`, `age_range`,
    /// `risk_level`, `month`, `service`, `to_agency` or `from_agency`.
    pub rows: String,
    /// The dimension of the columns, another one than the rows; `null` for a list.
    #[serde(default)]
    pub columns: Option<String>,
    #[serde(default)]
    pub filters: PivotFilters,
    /// The date ages are computed at, `YYYY-MM-DD`, not after today; today by default.
    #[serde(default)]
    #[schema(format = Date)]
    pub as_of: Option<String>,
    /// Suppress small counts even for a caller within one agency, because the table will be
    /// shared outside it.
    #[serde(default)]
    pub for_sharing: bool,
}

/// Filters on the counted cases (for referrals: on the referred cases, except `month`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PivotFilters {
    /// `open`, `closed` or `all` (default).
    pub status: Option<String>,
    /// Registered on or after this date, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub registered_from: Option<String>,
    /// Registered on or before this date, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub registered_to: Option<String>,
    /// `YYYY-MM`: cases registered in the month, or referrals made in it.
    pub month: Option<String>,
    /// The id of the agency that owns the case.
    pub agency: Option<String>,
    /// A location code; places inside it match too. `none` for no location.
    pub location: Option<String>,
    /// An option of the `protection_concern` lookup; `none` for no concern.
    pub protection_concern: Option<String>,
    /// An option of the `sex` lookup; `none` for not recorded.
    pub sex: Option<String>,
    /// An option of the `risk_level` lookup; `none` for not rated.
    pub risk_level: Option<String>,
}

/// A key of a table's side with its label in the caller's language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Heading {
    pub key: String,
    pub label: String,
}

/// One value: `{"value": 12, "suppressed": false}`, or `{"value": null, "suppressed": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct CellView {
    pub value: Option<u64>,
    pub suppressed: bool,
}

impl From<Cell> for CellView {
    fn from(cell: Cell) -> Self {
        CellView { value: cell.shown(), suppressed: cell.suppressed }
    }
}

/// A counted table. Totals count distinct records, so the totals across protection concerns are
/// smaller than the sums of their cells when cases have several concerns.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PivotResponse {
    /// `cases` or `referrals`.
    pub measure: String,
    pub row_dimension: String,
    pub column_dimension: Option<String>,
    #[schema(format = Date)]
    pub as_of: String,
    pub rows: Vec<Heading>,
    /// Empty for a table without a column dimension, whose values are the row totals.
    pub columns: Vec<Heading>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<CellView>>,
    pub row_totals: Vec<CellView>,
    pub column_totals: Vec<CellView>,
    pub total: CellView,
    /// The threshold counts are suppressed below, or `null` when nothing is suppressed.
    pub suppression_threshold: Option<u32>,
    /// How many values (cells and totals) are suppressed.
    pub suppressed_cells: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthlySection {
    /// `registered_by_camp_sex`, `registered_by_age_sex`, `registered_by_concern_sex`,
    /// `open_at_month_end_by_risk_sex`, `closed_by_camp` or `referrals_by_service_agency`.
    pub id: String,
    /// The section's title in the caller's language.
    pub title: String,
    pub pivot: PivotResponse,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthlyReport {
    /// `YYYY-MM`.
    pub month: String,
    /// The month's last day, or today during the month: ages and "open at month end" are
    /// counted at this date.
    #[schema(format = Date)]
    pub as_of: String,
    /// Counts below it are suppressed in every section.
    pub suppression_threshold: u32,
    pub sections: Vec<MonthlySection>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `xlsx` or `csv`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthlyQuery {
    /// The month, `YYYY-MM`, not after the current month.
    pub month: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthlyExportQuery {
    /// The month, `YYYY-MM`, not after the current month.
    pub month: Option<String>,
    /// `xlsx` or `csv`.
    pub format: Option<String>,
}

/// Counts a pivot table of cases or referrals in the caller's `view_aggregates` scope.
#[utoipa::path(post, path = "/reports/pivot", tag = "reports", request_body = PivotRequest,
    responses((status = 200, body = PivotResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn pivot(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<PivotRequest>,
) -> ApiResult<Json<PivotResponse>> {
    require_aggregates(&caller)?;
    let loaded = state.configuration();
    let (_, response) = pivot_table(&state, &caller, &loaded.config, &request).await?;
    Ok(Json(response))
}

/// Checks `request`, counts its table in the caller's scope and renders it in the caller's
/// language, suppressed when it can leave the agency. Returns the checked spec with the table.
async fn pivot_table(
    state: &AppState,
    caller: &Caller,
    config: &Configuration,
    request: &PivotRequest,
) -> ApiResult<(PivotSpec, PivotResponse)> {
    let today = state.today(config);
    let spec = parse_pivot(config, request, today)?;
    let threshold = sharing_threshold(&caller.principal, config, request.for_sharing);
    if threshold.is_some() {
        require_whole_months(&spec, today)?;
    }

    let table = pivot::count_table(state, &caller.principal, config, &spec).await?;
    let response = render(&state.messages, caller.locale(), config, &spec, table, threshold);
    Ok((spec, response))
}

/// Downloads the pivot table of the same request as an XLSX workbook or a CSV file.
#[utoipa::path(post, path = "/reports/pivot/export", tag = "reports", params(ExportQuery),
    request_body = PivotRequest,
    responses((status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_pivot(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ExportQuery>,
    ApiJson(request): ApiJson<PivotRequest>,
) -> ApiResult<Response> {
    require_aggregates(&caller)?;
    let format = parse_format(query.format.as_deref())?;
    let loaded = state.configuration();
    let (spec, response) = pivot_table(&state, &caller, &loaded.config, &request).await?;
    let threshold = response.suppression_threshold;
    let messages = &state.messages;
    let locale = caller.locale();
    let title = pivot_title(messages, locale, &spec);
    let document = ExportDocument {
        as_of_line: messages.format(locale, "report-as-of", &[("date", response.as_of.clone())]),
        note: threshold.map(|threshold| suppression_note(messages, locale, threshold)),
        threshold,
        tables: vec![export_table(messages, locale, &title, &title, &response)],
    };
    let file_name = format!("sathi-pivot-{}.{}", response.as_of, format.extension());
    send_file(&state, &caller, "pivot", format, &document, &file_name).await
}

/// The monthly coordination report: registrations by camp, age, concern and sex, cases open
/// at the month's end, closures and referrals, always with small counts suppressed.
#[utoipa::path(get, path = "/reports/monthly", tag = "reports", params(MonthlyQuery),
    responses((status = 200, body = MonthlyReport), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn monthly(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MonthlyQuery>,
) -> ApiResult<Json<MonthlyReport>> {
    require_aggregates(&caller)?;
    let loaded = state.configuration();
    let report = monthly_report(&state, &caller, &loaded.config, query.month.as_deref()).await?;
    Ok(Json(report))
}

/// Downloads the monthly report: a workbook with one sheet per section, or a CSV file with the
/// sections one after another.
#[utoipa::path(get, path = "/reports/monthly/export", tag = "reports", params(MonthlyExportQuery),
    responses((status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_monthly(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MonthlyExportQuery>,
) -> ApiResult<Response> {
    require_aggregates(&caller)?;
    let format = parse_format(query.format.as_deref())?;
    let loaded = state.configuration();
    let report = monthly_report(&state, &caller, &loaded.config, query.month.as_deref()).await?;

    let messages = &state.messages;
    let locale = caller.locale();
    let tables = report
        .sections
        .iter()
        .map(|section| {
            let sheet = messages.format(locale, &format!("report-sheet-{}", section.id), &[]);
            export_table(messages, locale, &section.title, &sheet, &section.pivot)
        })
        .collect();
    let document = ExportDocument {
        as_of_line: messages.format(locale, "report-as-of", &[("date", report.as_of.clone())]),
        note: Some(suppression_note(messages, locale, report.suppression_threshold)),
        threshold: Some(report.suppression_threshold),
        tables,
    };
    let file_name = format!("sathi-monthly-{}.{}", report.month, format.extension());
    send_file(&state, &caller, "monthly", format, &document, &file_name).await
}

/// Rejects a caller whose role does not grant `view_aggregates` with 403 `forbidden`, as every
/// handler does for an action the role lacks.
fn require_aggregates(caller: &Caller) -> ApiResult<()> {
    if caller.principal.can(Action::ViewAggregates) { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// Returns the threshold to suppress below, when the table can leave the caller's agency.
pub fn sharing_threshold(principal: &Principal, config: &Configuration, for_sharing: bool) -> Option<u32> {
    let spans_agencies = principal.scope_of(Action::ViewAggregates) == Some(Scope::All);
    (spans_agencies || for_sharing).then_some(config.deployment.reports.suppression_threshold)
}

/// 400 `invalid_report` naming the setting and its value.
fn invalid(name: &str, value: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_report").with("name", name).with("value", value)
}

/// Rejects a suppressed table whose dates are not whole months. Two tables whose registration
/// ranges differ by one day, both with counts of 5 or more, would give away by subtraction the
/// children registered on that day; whole months (and ages as of today or a month's last day)
/// leave only differences that the monthly tables already show suppressed.
fn require_whole_months(spec: &PivotSpec, today: Date) -> ApiResult<()> {
    let whole_months_error = |name: &str, value: Date| {
        ApiError::new(StatusCode::BAD_REQUEST, "report_whole_months")
            .with("name", name)
            .with("value", dates::format_date(value))
    };
    if let Some(from) = spec.filter.registered_from.filter(|from| from.day() != 1) {
        return Err(whole_months_error("registered_from", from));
    }
    if let Some(to) = spec.filter.registered_to.filter(|to| *to != YearMonth::of(*to).last_day()) {
        return Err(whole_months_error("registered_to", to));
    }
    if spec.as_of != today && spec.as_of != YearMonth::of(spec.as_of).last_day() {
        return Err(whole_months_error("as_of", spec.as_of));
    }
    Ok(())
}

fn parse_report_date(name: &str, value: &str) -> ApiResult<Date> {
    dates::parse_date(value, &[]).map_err(|_| invalid(name, value))
}

/// Checks a pivot request against the configuration and turns it into a count.
fn parse_pivot(config: &Configuration, request: &PivotRequest, today: Date) -> ApiResult<PivotSpec> {
    let measure = match request.measure.as_str() {
        "cases" => Measure::Cases,
        "referrals" => Measure::Referrals,
        other => return Err(invalid("measure", other)),
    };
    let dimension = |name: &str, value: &str| match Dimension::parse(value) {
        Some(dimension) if dimension.applies_to(measure) => Ok(dimension),
        _ => Err(invalid(name, value)),
    };
    let rows = dimension("rows", &request.rows)?;
    let columns = request.columns.as_deref().map(|value| dimension("columns", value)).transpose()?;
    if columns == Some(rows) {
        return Err(invalid("columns", request.columns.as_deref().unwrap_or_default()));
    }
    let as_of = match request.as_of.as_deref() {
        Some(value) => {
            let date = parse_report_date("as_of", value)?;
            if date > today {
                return Err(invalid("as_of", value));
            }
            date
        }
        None => today,
    };
    let filter = parse_filters(config, &request.filters, measure)?;
    Ok(PivotSpec {
        measure,
        rows: Axis::of(measure, rows),
        columns: columns.map(|dimension| Axis::of(measure, dimension)),
        filter,
        as_of,
    })
}

fn parse_filters(
    config: &Configuration,
    filters: &PivotFilters,
    measure: Measure,
) -> ApiResult<ReportFilter> {
    let status = match filters.status.as_deref() {
        None | Some("all") => None,
        Some(value) => Some(CaseStatus::parse(value).ok_or_else(|| invalid("status", value))?),
    };
    let mut filter = ReportFilter { status, ..ReportFilter::default() };

    if let Some(value) = &filters.registered_from {
        filter.registered_from = Some(parse_report_date("registered_from", value)?);
    }
    if let Some(value) = &filters.registered_to {
        filter.registered_to = Some(parse_report_date("registered_to", value)?);
    }
    if let Some(value) = &filters.month {
        let month = YearMonth::parse(value).ok_or_else(|| invalid("month", value))?;
        match measure {
            Measure::Cases => {
                filter.registered_from = filter.registered_from.max(Some(month.first_day()));
                filter.registered_to =
                    Some(filter.registered_to.map_or(month.last_day(), |to| to.min(month.last_day())));
            }
            Measure::Referrals => {
                let offset = config.deployment.utc_offset_minutes;
                filter.referred_from = Some(start_of_day(month.first_day(), offset));
                filter.referred_before = Some(start_of_day(month.next().first_day(), offset));
            }
        }
    }

    if let Some(agency) = &filters.agency {
        if config.agency(agency).is_none() {
            return Err(invalid("agency", agency));
        }
        filter.agency = Some(agency.clone());
    }
    if let Some(location) = &filters.location {
        let known = config.locations.iter().any(|place| &place.code == location);
        filter.location = Some(key_filter("location", location, known)?);
    }
    let option_filter =
        |name: &str, value: &Option<String>, dimension: Dimension| -> ApiResult<Option<KeyFilter>> {
            let Some(value) = value else { return Ok(None) };
            let known = pivot::ordered_keys(config, dimension, &Default::default(), &[]).contains(value);
            key_filter(name, value, known).map(Some)
        };
    filter.concern = option_filter("protection_concern", &filters.protection_concern, Dimension::Concern)?;
    filter.sex = option_filter("sex", &filters.sex, Dimension::Sex)?;
    filter.risk_level = option_filter("risk_level", &filters.risk_level, Dimension::RiskLevel)?;
    Ok(filter)
}

/// Reads a filter value: `none` means "not recorded", and any other value must exist in the
/// configuration.
fn key_filter(name: &str, value: &str, known: bool) -> ApiResult<KeyFilter> {
    match value {
        "none" => Ok(KeyFilter::NotRecorded),
        _ if known => Ok(KeyFilter::Is(value.to_owned())),
        _ => Err(invalid(name, value)),
    }
}

/// Returns midnight at the start of `day` in the deployment's zone.
pub fn start_of_day(day: Date, utc_offset_minutes: i32) -> OffsetDateTime {
    let offset =
        UtcOffset::from_whole_seconds(utc_offset_minutes.saturating_mul(60)).unwrap_or(UtcOffset::UTC);
    day.midnight().assume_offset(offset)
}

/// Suppresses `table` below `threshold` if given, and labels it in `locale`.
fn render(
    messages: &Messages,
    locale: &str,
    config: &Configuration,
    spec: &PivotSpec,
    table: PivotTable,
    threshold: Option<u32>,
) -> PivotResponse {
    let table = match threshold {
        Some(threshold) => suppress(&table, u64::from(threshold)),
        None => table,
    };
    let headings = |dimension: Dimension, keys: &[String]| -> Vec<Heading> {
        keys.iter()
            .map(|key| Heading {
                key: key.clone(),
                label: pivot::key_label(config, messages, locale, dimension, key),
            })
            .collect()
    };
    let cells = |cells: &[Cell]| cells.iter().copied().map(CellView::from).collect::<Vec<_>>();
    PivotResponse {
        measure: spec.measure.as_str().to_owned(),
        row_dimension: spec.rows.dimension.as_str().to_owned(),
        column_dimension: spec.columns.map(|axis| axis.dimension.as_str().to_owned()),
        as_of: format_date(spec.as_of),
        rows: headings(spec.rows.dimension, &table.rows),
        columns: spec.columns.map(|axis| headings(axis.dimension, &table.columns)).unwrap_or_default(),
        cells: table.cells.iter().map(|row| cells(row)).collect(),
        row_totals: cells(&table.row_totals),
        column_totals: cells(&table.column_totals),
        total: table.total.into(),
        suppression_threshold: threshold,
        suppressed_cells: table.suppressed_count(),
    }
}

/// Lists the sections of the monthly report in order, with what each one counts.
fn monthly_sections(month: YearMonth, as_of: Date, offset_minutes: i32) -> Vec<(&'static str, PivotSpec)> {
    let registered = ReportFilter {
        registered_from: Some(month.first_day()),
        registered_to: Some(month.last_day()),
        ..ReportFilter::default()
    };
    let open_at_end = ReportFilter {
        open_at_end_of: Some(DayEnd {
            day: month.last_day(),
            next_day_starts: start_of_day(month.next().first_day(), offset_minutes),
        }),
        ..ReportFilter::default()
    };
    let closed = ReportFilter {
        closed_from: Some(month.first_day()),
        closed_to: Some(month.last_day()),
        ..ReportFilter::default()
    };
    let referred = ReportFilter {
        referred_from: Some(start_of_day(month.first_day(), offset_minutes)),
        referred_before: Some(start_of_day(month.next().first_day(), offset_minutes)),
        ..ReportFilter::default()
    };
    let cases = |rows: Dimension, columns: Option<Dimension>, filter: &ReportFilter| PivotSpec {
        measure: Measure::Cases,
        rows: Axis::of(Measure::Cases, rows),
        columns: columns.map(|dimension| Axis::of(Measure::Cases, dimension)),
        filter: filter.clone(),
        as_of,
    };
    vec![
        ("registered_by_camp_sex", cases(Dimension::Camp, Some(Dimension::Sex), &registered)),
        ("registered_by_age_sex", cases(Dimension::AgeRange, Some(Dimension::Sex), &registered)),
        ("registered_by_concern_sex", cases(Dimension::Concern, Some(Dimension::Sex), &registered)),
        ("open_at_month_end_by_risk_sex", cases(Dimension::RiskLevel, Some(Dimension::Sex), &open_at_end)),
        ("closed_by_camp", cases(Dimension::Camp, None, &closed)),
        (
            "referrals_by_service_agency",
            PivotSpec {
                measure: Measure::Referrals,
                rows: Axis::of(Measure::Referrals, Dimension::Service),
                columns: Some(Axis::of(Measure::Referrals, Dimension::ToAgency)),
                filter: referred,
                as_of,
            },
        ),
    ]
}

async fn monthly_report(
    state: &AppState,
    caller: &Caller,
    config: &Configuration,
    month: Option<&str>,
) -> ApiResult<MonthlyReport> {
    let today = state.today(config);
    let raw = month.ok_or_else(|| invalid("month", ""))?;
    let month = YearMonth::parse(raw).ok_or_else(|| invalid("month", raw))?;
    if month > YearMonth::of(today) {
        return Err(invalid("month", raw));
    }
    let as_of = month.last_day().min(today);
    let threshold = config.deployment.reports.suppression_threshold;
    let locale = caller.locale();
    let month_name = pivot::month_label(&state.messages, locale, month);

    let mut sections = Vec::new();
    for (id, spec) in monthly_sections(month, as_of, config.deployment.utc_offset_minutes) {
        let table = pivot::count_table(state, &caller.principal, config, &spec).await?;
        let title =
            state.messages.format(locale, &format!("report-section-{id}"), &[("month", month_name.clone())]);
        let pivot = render(&state.messages, locale, config, &spec, table, Some(threshold));
        sections.push(MonthlySection { id: id.to_owned(), title, pivot });
    }
    Ok(MonthlyReport {
        month: month.format(),
        as_of: format_date(as_of),
        suppression_threshold: threshold,
        sections,
    })
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    Xlsx,
    Csv,
}

impl FileFormat {
    fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

fn parse_format(value: Option<&str>) -> ApiResult<FileFormat> {
    match value {
        Some("xlsx") => Ok(FileFormat::Xlsx),
        Some("csv") => Ok(FileFormat::Csv),
        other => Err(invalid("format", other.unwrap_or_default())),
    }
}

/// Returns the title of a pivot table, such as "Cases: Camp × Sex". The form has no words of
/// its own, so it is the same in every language.
fn pivot_title(messages: &Messages, locale: &str, spec: &PivotSpec) -> String {
    let measure = messages.format(locale, &format!("report-measure-{}", spec.measure.as_str()), &[]);
    let rows = pivot::dimension_label(messages, locale, spec.rows.dimension);
    match spec.columns {
        Some(columns) => {
            let columns = pivot::dimension_label(messages, locale, columns.dimension);
            format!("{measure}: {rows} × {columns}")
        }
        None => format!("{measure}: {rows}"),
    }
}

/// Says what suppression hides. The marker keeps ASCII digits, as the cells do.
fn suppression_note(messages: &Messages, locale: &str, threshold: u32) -> String {
    let args = [("max", threshold.saturating_sub(1).to_string()), ("marker", format!("<{threshold}"))];
    messages.format(locale, "report-suppression-note", &args)
}

/// Lays a rendered table out for a file: a header row, a line per row, and a totals line.
fn export_table(
    messages: &Messages,
    locale: &str,
    title: &str,
    sheet_name: &str,
    table: &PivotResponse,
) -> ExportTable {
    let value = |cell: &CellView| match cell.value {
        Some(count) => ExportCell::Count(count),
        None => ExportCell::Suppressed,
    };
    let total_label = messages.format(locale, "report-total", &[]);
    let row_dimension =
        Dimension::parse(&table.row_dimension).expect("a rendered table names a known dimension");
    let mut header = vec![pivot::dimension_label(messages, locale, row_dimension)];
    header.extend(table.columns.iter().map(|column| column.label.clone()));
    header.push(if table.columns.is_empty() {
        messages.format(locale, &format!("report-measure-{}", table.measure), &[])
    } else {
        total_label.clone()
    });

    let mut lines: Vec<Vec<ExportCell>> = table
        .rows
        .iter()
        .zip(&table.cells)
        .zip(&table.row_totals)
        .map(|((row, cells), row_total)| {
            let mut line = vec![ExportCell::Text(row.label.clone())];
            line.extend(cells.iter().map(value));
            line.push(value(row_total));
            line
        })
        .collect();
    let mut totals = vec![ExportCell::Text(total_label)];
    totals.extend(table.column_totals.iter().map(value));
    totals.push(value(&table.total));
    lines.push(totals);
    ExportTable { title: title.to_owned(), sheet_name: sheet_name.to_owned(), header, lines }
}

/// Writes the file, audits the export and returns it as an attachment.
async fn send_file(
    state: &AppState,
    caller: &Caller,
    report: &str,
    format: FileFormat,
    document: &ExportDocument,
    file_name: &str,
) -> ApiResult<Response> {
    let bytes = match format {
        FileFormat::Xlsx => export::xlsx(document).map_err(ApiError::internal)?,
        FileFormat::Csv => export::csv(document).map_err(ApiError::internal)?,
    };
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(caller.user.id),
            action: "report.export".to_owned(),
            case_id: None,
            outcome: "ok".to_owned(),
            detail: serde_json::json!({ "report": report, "format": format.extension() }),
            at: state.now(),
        })
        .await?;
    tracing::info!(user_id = %caller.user.id.0, report, format = format.extension(), bytes = bytes.len(), "report exported");

    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, bytes).into_response())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn month_starts_at_dhaka_midnight() {
        assert_eq!(start_of_day(date!(2026 - 11 - 01), 360), datetime!(2026-10-31 18:00 UTC));
    }

    #[test]
    fn pivot_request_rejects_service_for_cases() {
        let config = crate::default_config::configuration();
        let request: PivotRequest =
            serde_json::from_value(serde_json::json!({"measure": "cases", "rows": "service"})).unwrap();
        let error = parse_pivot(&config, &request, date!(2026 - 12 - 05)).unwrap_err();
        assert_eq!(error.code, "invalid_report");
        assert_eq!(error.params, [("name", "rows".to_owned()), ("value", "service".to_owned())]);
    }

    #[test]
    fn pivot_request_rejects_same_dimension_twice() {
        let config = crate::default_config::configuration();
        let request: PivotRequest =
            serde_json::from_value(serde_json::json!({"measure": "cases", "rows": "sex", "columns": "sex"}))
                .unwrap();
        let error = parse_pivot(&config, &request, date!(2026 - 12 - 05)).unwrap_err();
        assert_eq!(error.params[0], ("name", "columns".to_owned()));
    }

    #[test]
    fn pivot_rejects_unknown_sex_and_future_date() {
        let config = crate::default_config::configuration();
        let today = date!(2026 - 12 - 05);
        let request: PivotRequest = serde_json::from_value(
            serde_json::json!({"measure": "cases", "rows": "camp", "filters": {"sex": "girl"}}),
        )
        .unwrap();
        assert_eq!(parse_pivot(&config, &request, today).unwrap_err().params[0], ("name", "sex".to_owned()));
        let request: PivotRequest = serde_json::from_value(
            serde_json::json!({"measure": "cases", "rows": "camp", "as_of": "2026-12-06"}),
        )
        .unwrap();
        assert_eq!(
            parse_pivot(&config, &request, today).unwrap_err().params[0],
            ("name", "as_of".to_owned())
        );
    }

    #[test]
    fn month_filter_of_referrals_uses_instants() {
        let config = crate::default_config::configuration();
        let request: PivotRequest = serde_json::from_value(
            serde_json::json!({"measure": "referrals", "rows": "service", "filters": {"month": "2026-11", "sex": "none"}}),
        )
        .unwrap();
        let spec = parse_pivot(&config, &request, date!(2026 - 12 - 05)).unwrap();
        assert_eq!(spec.filter.referred_from, Some(datetime!(2026-10-31 18:00 UTC)));
        assert_eq!(spec.filter.referred_before, Some(datetime!(2026-11-30 18:00 UTC)));
        assert_eq!(spec.filter.registered_from, None);
        assert_eq!(spec.filter.sex, Some(KeyFilter::NotRecorded));
    }
}
