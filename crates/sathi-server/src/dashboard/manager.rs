//! The agency manager's dashboard: the agency's open cases by place, concern, sex and age,
//! registrations and closures by month, referrals sent and received, and the days from
//! registration to assessment and to case plan approval.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use sathi_domain::config::{Configuration, LocationLevel};
use sathi_domain::dates;
use sathi_domain::permissions::Action;
use sathi_store::{
    AgencyReferralFilter, AgencySide, BirthRange, CaseDimension, CaseMilestone, ReferralDimension,
};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use super::{
    Chart, Context, Counted, Figure, ListTarget, Panel, PanelDimension, Params, Screen, params, with,
};
use crate::cases;
use crate::error::{ApiError, ApiResult};
use crate::referrals::ReferralListQuery;
use crate::state::AppState;

pub(super) async fn manager_panels(context: &Context<'_>) -> ApiResult<Vec<Panel>> {
    let open = params([("status", "open".to_owned())]);
    // The panels' queries are independent, so they run at once on the store's connections.
    let (cases, by_month, referrals, days) = tokio::try_join!(
        open_case_panels(context, &open),
        async {
            tokio::try_join!(
                by_month(context, "opened_by_month", CaseDimension::RegistrationMonth, "registered"),
                by_month(context, "closed_by_month", CaseDimension::ClosureMonth, "closed"),
            )
        },
        async {
            tokio::try_join!(
                referrals_by(
                    context,
                    "referrals_sent_by_service",
                    AgencySide::Sent,
                    ReferralDimension::Service
                ),
                referrals_by(
                    context,
                    "referrals_received_by_agency",
                    AgencySide::Received,
                    ReferralDimension::OtherAgency
                ),
            )
        },
        async {
            tokio::try_join!(
                days_to(context, "days_to_assessment", "assessed", CaseMilestone::AssessmentCompleted),
                days_to(context, "days_to_case_plan", "case_plan_approved", CaseMilestone::CasePlanApproved),
            )
        },
    )?;
    let mut panels = cases;
    panels.extend([by_month.0, by_month.1, referrals.0, referrals.1, days.0, days.1]);
    Ok(panels)
}

/// Builds the panels of the agency's open cases: the total, and the counts by camp, concern,
/// sex and age range.
async fn open_case_panels(context: &Context<'_>, open: &Params) -> ApiResult<Vec<Panel>> {
    let (total, camps, concerns, sexes, ages) = tokio::try_join!(
        context.case_total("open_total", open.clone()),
        open_by_camp(context, open),
        context.case_figures(open, &CaseDimension::Concern, "protection_concern"),
        context.case_figures(open, &CaseDimension::Sex, "sex"),
        open_by_age_range(context, open),
    )?;

    let mut concerns = concerns;
    // Cases without any concern come last, after the concerns.
    concerns.sort_by_key(|figure| figure.key == cases::NOT_RECORDED);
    let concerns =
        Panel::new("open_by_concern", Counted::Cases, PanelDimension::Concern, Chart::Bar, concerns);

    let mut keys = super::lookup_ids(context.config, "sex");
    keys.push(cases::NOT_RECORDED.to_owned());
    let sexes = super::complete(sexes, &keys, |key| context.cases_list(with(open, "sex", key)));
    let sexes = Panel::new("open_by_sex", Counted::Cases, PanelDimension::Sex, Chart::Bar, sexes);
    Ok(vec![total, camps, concerns, sexes, ages])
}

/// Counts open cases by camp. Each location code counts under the camp it is in, or under itself
/// for a place outside the camps at camp level (a host community union). The key is the code
/// that `GET /cases?location=` takes, which matches the place and the places inside it.
async fn open_by_camp(context: &Context<'_>, open: &Params) -> ApiResult<Panel> {
    let filter = context.case_filter(open)?;
    let counts = context
        .state
        .store
        .count_cases_by(context.principal(), Action::Read, &filter, &CaseDimension::Location)
        .await?;
    let areas = camp_level_places(context.config);

    let mut by_area: BTreeMap<String, i64> = BTreeMap::new();
    for (code, count) in counts {
        let key = match code {
            None => cases::NOT_RECORDED.to_owned(),
            Some(code) => areas
                .iter()
                .find(|area| {
                    code == **area || code.strip_prefix(*area).is_some_and(|rest| rest.starts_with('-'))
                })
                .map(|area| (*area).to_owned())
                // A stored code outside the configuration keeps its own key, without a list.
                .unwrap_or(code),
        };
        *by_area.entry(key).or_default() += count;
    }

    let mut figures: Vec<Figure> = by_area
        .into_iter()
        .map(|(key, count)| {
            let list = if key == cases::NOT_RECORDED || areas.contains(&key.as_str()) {
                context.cases_list(with(open, "location", key.clone()))
            } else {
                None
            };
            Figure::new(key, Some(count), list)
        })
        .collect();
    figures.sort_by_key(|figure| figure.key == cases::NOT_RECORDED);
    Ok(Panel::new("open_by_camp", Counted::Cases, PanelDimension::Camp, Chart::Bar, figures))
}

/// Returns the codes of the places at camp level or below whose parent is above camp level:
/// the camps, and places such as host community unions that sit beside them.
fn camp_level_places(config: &Configuration) -> Vec<&str> {
    let level_of =
        |code: &str| config.locations.iter().find(|place| place.code == code).map(|place| place.level);
    config
        .locations
        .iter()
        .filter(|place| place.level >= LocationLevel::Camp)
        .filter(|place| {
            place.parent.as_deref().and_then(level_of).is_none_or(|level| level < LocationLevel::Camp)
        })
        .map(|place| place.code.as_str())
        .collect()
}

/// Counts open cases by the configuration's age ranges at today's date, then `unknown` for cases
/// without a date of birth. A date of birth after today is in no range.
async fn open_by_age_range(context: &Context<'_>, open: &Params) -> ApiResult<Panel> {
    let ranges = &context.config.deployment.reports.age_ranges;
    let birth_ranges: Vec<BirthRange> = ranges
        .iter()
        .map(|range| {
            let (born_from, born_to) = range.date_of_birth_bounds(context.today);
            BirthRange { key: range.label(), born_from, born_to }
        })
        .collect();
    let filter = context.case_filter(open)?;
    let counts = context
        .state
        .store
        .count_cases_by(context.principal(), Action::Read, &filter, &CaseDimension::AgeRange(birth_ranges))
        .await?;
    let count_of = |key: Option<&str>| {
        counts.iter().find(|(counted, _)| counted.as_deref() == key).map_or(0, |(_, count)| *count)
    };

    let as_of = dates::format_date(context.today);
    let mut figures = Vec::new();
    for range in ranges {
        let key = range.label();
        let mut list = with(open, "age_min", range.min.to_string());
        if let Some(max) = range.max {
            list.insert("age_max".to_owned(), max.to_string());
        }
        list.insert("as_of".to_owned(), as_of.clone());
        figures.push(Figure::new(key.clone(), Some(count_of(Some(&key))), context.cases_list(list)));
    }
    let unknown = context.cases_list(with(open, "age_unknown", "true"));
    figures.push(Figure::new("unknown", Some(count_of(None)), unknown));
    Ok(Panel::new("open_by_age_range", Counted::Cases, PanelDimension::AgeRange, Chart::Bar, figures))
}

/// Returns the months of the dashboard's period: key `YYYY-MM`, first day and last day. The
/// current month ends today.
fn months(from: Date, today: Date) -> Vec<(String, Date, Date)> {
    let mut months = Vec::new();
    let mut first = from;
    while first <= today {
        let next = first.replace_day(1).expect("day 1 exists") + Duration::days(32);
        let next = next.replace_day(1).expect("day 1 exists");
        let last = (next - Duration::days(1)).min(today);
        months.push((format!("{:04}-{:02}", first.year(), u8::from(first.month())), first, last));
        first = next;
    }
    months
}

/// Counts the cases (any status) whose registration or closure date falls in each month of the
/// period, zero months included. `prefix` names the list's date parameters:
/// `registered_from`/`_to` or `closed_from`/`_to`.
async fn by_month(
    context: &Context<'_>,
    id: &str,
    dimension: CaseDimension,
    prefix: &str,
) -> ApiResult<Panel> {
    let (from_param, to_param) = (format!("{prefix}_from"), format!("{prefix}_to"));
    let from = super::period_start(context.today);
    let period = params([
        (from_param.as_str(), dates::format_date(from)),
        (to_param.as_str(), dates::format_date(context.today)),
    ]);
    let filter = context.case_filter(&period)?;
    let counts =
        context.state.store.count_cases_by(context.principal(), Action::Read, &filter, &dimension).await?;

    let figures = months(from, context.today)
        .into_iter()
        .map(|(key, first, last)| {
            let count = counts
                .iter()
                .find(|(month, _)| month.as_deref() == Some(&key))
                .map_or(0, |(_, count)| *count);
            let list = params([
                (from_param.as_str(), dates::format_date(first)),
                (to_param.as_str(), dates::format_date(last)),
            ]);
            Figure::new(key, Some(count), context.cases_list(list))
        })
        .collect();
    Ok(Panel::new(id, Counted::Cases, PanelDimension::Month, Chart::Column, figures))
}

/// Returns the `box` parameter of an agency referral list.
fn box_name(side: AgencySide) -> &'static str {
    match side {
        AgencySide::Sent => "agency_sent",
        AgencySide::Received => "agency_received",
    }
}

/// Returns the side of an agency referral list for a `box` parameter, or `None` for the
/// caller's own boxes.
pub fn agency_side(list: Option<&str>) -> Option<AgencySide> {
    match list {
        Some("agency_sent") => Some(AgencySide::Sent),
        Some("agency_received") => Some(AgencySide::Received),
        _ => None,
    }
}

/// Parses the parameters of an agency referral list. `from` and `to` are dates in the
/// deployment's zone, so a referral made at 01:00 in Dhaka counts on that day.
pub fn agency_referral_filter(
    state: &AppState,
    side: AgencySide,
    query: &ReferralListQuery,
) -> ApiResult<AgencyReferralFilter> {
    let loaded = state.configuration();
    let config = &loaded.config;
    let invalid = |name: &'static str, value: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_filter").with("name", name).with("value", value)
    };
    if let Some(status) = query.status.as_deref().filter(|status| !status.is_empty() && *status != "all") {
        return Err(invalid("status", status));
    }
    let service = query.service.as_deref().filter(|service| !service.is_empty());
    if let Some(service) = service
        && !super::lookup_ids(config, "service_type").iter().any(|id| id == service)
    {
        return Err(invalid("service", service));
    }
    let agency = query.agency.as_deref().filter(|agency| !agency.is_empty());
    if let Some(agency) = agency
        && config.agency(agency).is_none()
    {
        return Err(invalid("agency", agency));
    }
    let scripts = &config.deployment.accepted_digit_scripts;
    let date = |name: &'static str, value: &Option<String>| -> ApiResult<Option<Date>> {
        value
            .as_deref()
            .map(|raw| dates::parse_date(raw, scripts).map_err(|_| invalid(name, raw)))
            .transpose()
    };
    let offset = config.deployment.utc_offset_minutes;
    let start_of = |day: Date| start_of_day(day, offset);
    Ok(AgencyReferralFilter {
        side,
        service: service.map(str::to_owned),
        other_agency: agency.map(str::to_owned),
        created_from: date("from", &query.from)?.map(start_of),
        created_before: date("to", &query.to)?.and_then(Date::next_day).map(start_of),
    })
}

/// Returns the instant a day starts in a zone `utc_offset_minutes` east of UTC.
fn start_of_day(day: Date, utc_offset_minutes: i32) -> OffsetDateTime {
    let offset = UtcOffset::from_whole_seconds(utc_offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    day.with_time(Time::MIDNIGHT).assume_offset(offset)
}

/// Counts the agency's referrals created in the period, by service or by the agency at the other end.
async fn referrals_by(
    context: &Context<'_>,
    id: &str,
    side: AgencySide,
    dimension: ReferralDimension,
) -> ApiResult<Panel> {
    let from = dates::format_date(super::period_start(context.today));
    let to = dates::format_date(context.today);
    let query = ReferralListQuery {
        list: Some(box_name(side).to_owned()),
        status: None,
        service: None,
        agency: None,
        from: Some(from.clone()),
        to: Some(to.clone()),
    };
    let filter = agency_referral_filter(context.state, side, &query)?;
    let counts =
        context.state.store.count_agency_referrals_by(context.principal(), &filter, dimension).await?;

    let (param, panel_dimension) = match dimension {
        ReferralDimension::Service => ("service", PanelDimension::Service),
        ReferralDimension::OtherAgency => ("agency", PanelDimension::Agency),
    };
    let figures = counts
        .into_iter()
        .map(|(key, count)| {
            let list = ListTarget::new(
                Screen::Referrals,
                [
                    ("box", box_name(side).to_owned()),
                    ("from", from.clone()),
                    ("to", to.clone()),
                    (param, key.clone()),
                ],
            );
            let figure = Figure::new(key.clone(), Some(count), Some(list));
            match (dimension, context.config.agency(&key)) {
                (ReferralDimension::OtherAgency, Some(agency)) => {
                    figure.with_label(agency.name.get(context.caller.locale()))
                }
                _ => figure,
            }
        })
        .collect();
    Ok(Panel::new(id, Counted::Referrals, panel_dimension, Chart::Bar, figures))
}

/// Measures the days from registration to a milestone, over the cases registered in the period
/// that record it: the median and 90th percentile (nearest rank), and how many cases were measured.
async fn days_to(context: &Context<'_>, id: &str, param: &str, milestone: CaseMilestone) -> ApiResult<Panel> {
    let measured = params([
        ("registered_from", dates::format_date(super::period_start(context.today))),
        ("registered_to", dates::format_date(context.today)),
        (param, "true".to_owned()),
    ]);
    let filter = context.case_filter(&measured)?;
    let days =
        context.state.store.days_to_milestone(context.principal(), Action::Read, &filter, milestone).await?;
    let cases = context.count_cases(&measured).await?;
    let figures = vec![
        Figure::new("median", percentile(&days, 50), None),
        Figure::new("p90", percentile(&days, 90), None),
        Figure::new("cases", Some(cases), context.cases_list(measured)),
    ];
    Ok(Panel::new(id, Counted::Days, PanelDimension::Total, Chart::Number, figures))
}

/// Returns the nearest-rank `percent`th percentile of values given as ascending
/// `(value, count)` pairs: the smallest value with at least `percent`% of the values at or
/// below it. `None` without values.
fn percentile(counts: &[(i64, i64)], percent: i64) -> Option<i64> {
    let total: i64 = counts.iter().map(|(_, count)| count).sum();
    if total == 0 {
        return None;
    }
    let rank = (percent * total + 99) / 100;
    let mut seen = 0;
    for (value, count) in counts {
        seen += count;
        if seen >= rank.max(1) {
            return Some(*value);
        }
    }
    counts.last().map(|(value, _)| *value)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn percentile_takes_nearest_rank() {
        let days = [(3, 1), (5, 2), (10, 1)];
        assert_eq!(percentile(&days, 50), Some(5));
        assert_eq!(percentile(&days, 90), Some(10));
        assert_eq!(percentile(&[(4, 2), (8, 2)], 50), Some(4));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn months_cover_the_period_to_today() {
        let months = months(date!(2026 - 01 - 01), date!(2026 - 12 - 05));
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], ("2026-01".to_owned(), date!(2026 - 01 - 01), date!(2026 - 01 - 31)));
        assert_eq!(months[1].2, date!(2026 - 02 - 28));
        assert_eq!(months[11], ("2026-12".to_owned(), date!(2026 - 12 - 01), date!(2026 - 12 - 05)));
    }

    #[test]
    fn day_starts_in_the_deployment_zone() {
        let start = start_of_day(date!(2026 - 12 - 05), 360);
        assert_eq!(start.to_offset(UtcOffset::UTC).date(), date!(2026 - 12 - 04));
        assert_eq!(start.to_offset(UtcOffset::UTC).hour(), 18);
    }

    #[test]
    fn camps_and_unions_are_camp_level_places() {
        let config = crate::default_config::configuration();
        let places = camp_level_places(&config);
        let levels: Vec<LocationLevel> = places
            .iter()
            .map(|code| config.locations.iter().find(|place| place.code == *code).unwrap().level)
            .collect();
        assert_eq!(levels.iter().filter(|level| **level == LocationLevel::Camp).count(), 34);
        assert_eq!(levels.iter().filter(|level| **level == LocationLevel::Union).count(), 12);
        assert_eq!(places.len(), 46);
    }
}
