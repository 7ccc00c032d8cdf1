//! Counting a pivot table from the store and labelling its keys.
//!
//! The store groups by stored values. This module rolls locations up to camps, orders the keys
//! the way the configuration lists them, and computes totals. A total is the sum of its cells
//! only when the dimension it sums across does not overlap. A case with two protection concerns
//! is in two concern rows, so the store counts the totals across concerns again, as distinct
//! cases.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sathi_domain::config::{Configuration, FieldKind, Location, Lookup};
use sathi_domain::dates::AgeRange;
use sathi_domain::i18n::{Messages, localize_digits};
use sathi_domain::principal::Principal;
use sathi_domain::reports::{
    Cell, Dimension, Measure, NOT_RECORDED, OTHER_AGE, PivotTable, YearMonth, report_area,
};
use sathi_store::{CountQuery, CountedRecords, Grouping, ReportFilter};
use time::Date;

use crate::error::ApiResult;
use crate::state::AppState;

/// The key a dashboard panel gives children without a date of birth, where a pivot table uses
/// [`NOT_RECORDED`].
pub const AGE_UNKNOWN: &str = "unknown";

/// The stage ids in the order of casework, as `sathi_domain::workflow::Stage::as_str` writes them.
const STAGES: [&str; 7] =
    ["new", "assessment", "case_plan", "service_provision", "services_implemented", "closed", "reopened"];

/// One side of a table: what its keys mean and which stored value gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    pub dimension: Dimension,
    pub grouping: Grouping,
}

impl Axis {
    /// Returns the axis of `dimension` in a table of `measure`. A month is the registration
    /// month of a case, or the month a referral was made.
    pub fn of(measure: Measure, dimension: Dimension) -> Axis {
        let grouping = match dimension {
            Dimension::Camp => Grouping::Location,
            Dimension::Concern => Grouping::Concern,
            Dimension::Sex => Grouping::Sex,
            Dimension::AgeRange => Grouping::AgeRange,
            Dimension::Agency => Grouping::Agency,
            Dimension::Month if measure == Measure::Referrals => Grouping::ReferralMonth,
            Dimension::Month => Grouping::RegistrationMonth,
            Dimension::RiskLevel => Grouping::RiskLevel,
            Dimension::Stage => Grouping::Stage,
            Dimension::Status => Grouping::Status,
            Dimension::Service => Grouping::Service,
            Dimension::ToAgency => Grouping::ToAgency,
            Dimension::FromAgency => Grouping::FromAgency,
        };
        Axis { dimension, grouping }
    }
}

/// A checked pivot request.
#[derive(Debug, Clone)]
pub struct PivotSpec {
    pub measure: Measure,
    pub rows: Axis,
    pub columns: Option<Axis>,
    pub filter: ReportFilter,
    pub as_of: Date,
}

/// Counts `spec` in `principal`'s `view_aggregates` scope and returns the table without
/// suppression. Rows and columns list the keys in configuration order (see [`ordered_keys`]).
pub async fn count_table(
    state: &AppState,
    principal: &Principal,
    config: &Configuration,
    spec: &PivotSpec,
) -> ApiResult<PivotTable> {
    let locations = config.location_index();
    let age_ranges = &config.deployment.reports.age_ranges;
    let base = CountQuery {
        records: match spec.measure {
            Measure::Cases => CountedRecords::Cases,
            Measure::Referrals => CountedRecords::Referrals,
        },
        group_by: Vec::new(),
        filter: spec.filter.clone(),
        as_of: spec.as_of,
        age_ranges: age_ranges.clone(),
        utc_offset_minutes: config.deployment.utc_offset_minutes,
    };
    let count = |axes: Vec<Axis>| {
        let query = CountQuery { group_by: axes.iter().map(|axis| axis.grouping).collect(), ..base.clone() };
        let locations = &locations;
        async move {
            let groups = state.store.report_counts(principal, &query).await?;
            let mut counts: BTreeMap<Vec<String>, u64> = BTreeMap::new();
            for group in groups {
                let keys: Vec<String> = group
                    .keys
                    .into_iter()
                    .zip(&axes)
                    .map(|(raw, axis)| report_key(locations, *axis, raw))
                    .collect();
                *counts.entry(keys).or_default() += group.count;
            }
            ApiResult::Ok(counts)
        }
    };

    let mut axes = vec![spec.rows];
    axes.extend(spec.columns);
    let cells = count(axes).await?;
    let column_of = |keys: &Vec<String>| keys.get(1).cloned().unwrap_or_default();

    // Each total is a sum unless the other side overlaps, in which case the store counts it.
    let rows_overlap = spec.rows.dimension.overlaps();
    let columns_overlap = spec.columns.is_some_and(|axis| axis.dimension.overlaps());
    let row_totals: BTreeMap<String, u64> = match spec.columns {
        Some(_) if columns_overlap => {
            count(vec![spec.rows]).await?.into_iter().map(|(keys, count)| (keys[0].clone(), count)).collect()
        }
        _ => sum_by(&cells, |keys| keys[0].clone()),
    };
    let column_totals: BTreeMap<String, u64> = match spec.columns {
        Some(columns) if rows_overlap => {
            count(vec![columns]).await?.into_iter().map(|(keys, count)| (keys[0].clone(), count)).collect()
        }
        Some(_) => sum_by(&cells, column_of),
        None => BTreeMap::new(),
    };
    let total = if rows_overlap || columns_overlap {
        count(Vec::new()).await?.values().sum()
    } else {
        cells.values().sum()
    };

    let present_rows: BTreeSet<String> = row_totals.keys().cloned().collect();
    let present_columns: BTreeSet<String> = column_totals.keys().cloned().collect();
    let rows = ordered_keys(config, spec.rows.dimension, &present_rows, age_ranges);
    let columns = match spec.columns {
        Some(axis) => ordered_keys(config, axis.dimension, &present_columns, age_ranges),
        None => Vec::new(),
    };
    Ok(build_table(rows, columns, &cells, &row_totals, &column_totals, total))
}

fn sum_by(cells: &BTreeMap<Vec<String>, u64>, key: impl Fn(&Vec<String>) -> String) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    for (keys, count) in cells {
        *sums.entry(key(keys)).or_default() += count;
    }
    sums
}

/// Lays counts out as a table over `rows` and `columns`; a missing count is zero.
pub fn build_table(
    rows: Vec<String>,
    columns: Vec<String>,
    cells: &BTreeMap<Vec<String>, u64>,
    row_totals: &BTreeMap<String, u64>,
    column_totals: &BTreeMap<String, u64>,
    total: u64,
) -> PivotTable {
    let cell_rows = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| Cell::new(cells.get(&vec![row.clone(), column.clone()]).copied().unwrap_or(0)))
                .collect()
        })
        .collect();
    PivotTable {
        row_totals: rows.iter().map(|row| Cell::new(row_totals.get(row).copied().unwrap_or(0))).collect(),
        column_totals: columns
            .iter()
            .map(|column| Cell::new(column_totals.get(column).copied().unwrap_or(0)))
            .collect(),
        cells: cell_rows,
        total: Cell::new(total),
        rows,
        columns,
    }
}

/// Returns the key a stored value is reported under: a location's camp, [`NOT_RECORDED`] for
/// a missing value, or the value itself.
fn report_key(locations: &HashMap<&str, &Location>, axis: Axis, raw: Option<String>) -> String {
    match raw {
        None => NOT_RECORDED.to_owned(),
        Some(code) if axis.grouping == Grouping::Location => {
            report_area(locations, &code).map(|area| area.code.clone()).unwrap_or(code)
        }
        Some(value) => value,
    }
}

/// Returns the lookup of the top-level field `field_id`, such as `sex` for the field `sex`.
fn field_lookup<'a>(config: &'a Configuration, field_id: &str) -> Option<&'a Lookup> {
    let (_, field) = config.field(field_id)?;
    match &field.kind {
        FieldKind::Select { lookup } | FieldKind::MultiSelect { lookup } | FieldKind::Radio { lookup } => {
            config.lookup(lookup)
        }
        _ => None,
    }
}

/// Returns the lookup whose options are the keys of `dimension`, if it has one.
fn dimension_lookup(config: &Configuration, dimension: Dimension) -> Option<&Lookup> {
    match dimension {
        Dimension::Sex => field_lookup(config, "sex"),
        Dimension::RiskLevel => field_lookup(config, "risk_level"),
        Dimension::Concern => field_lookup(config, "protection_concerns"),
        Dimension::Service => config.lookup("service_type"),
        _ => None,
    }
}

/// Orders the keys of one side of a table.
///
/// Dimensions with a short fixed list (lookup options, stages, statuses, age ranges) list every
/// key, so a zero shows as zero. Camps, agencies and months list the keys with records, in the
/// configuration's order (months ascending, with the months between them). Keys outside the
/// configuration follow, and [`OTHER_AGE`], [`AGE_UNKNOWN`] and [`NOT_RECORDED`] come last.
pub fn ordered_keys(
    config: &Configuration,
    dimension: Dimension,
    present: &BTreeSet<String>,
    age_ranges: &[AgeRange],
) -> Vec<String> {
    let mut keys: Vec<String> = match dimension {
        Dimension::Sex | Dimension::RiskLevel | Dimension::Concern | Dimension::Service => {
            dimension_lookup(config, dimension)
                .map(|lookup| lookup.options.iter().map(|option| option.id.clone()).collect())
                .unwrap_or_default()
        }
        Dimension::Stage => STAGES.iter().map(|stage| (*stage).to_owned()).collect(),
        Dimension::Status => vec!["open".to_owned(), "closed".to_owned()],
        Dimension::AgeRange => age_ranges.iter().map(AgeRange::label).collect(),
        Dimension::Camp => config
            .locations
            .iter()
            .filter(|location| present.contains(&location.code))
            .map(|l| l.code.clone())
            .collect(),
        Dimension::Agency | Dimension::ToAgency | Dimension::FromAgency => config
            .agencies
            .iter()
            .filter(|agency| present.contains(&agency.id))
            .map(|a| a.id.clone())
            .collect(),
        Dimension::Month => month_range(present),
    };
    let last = [OTHER_AGE, AGE_UNKNOWN, NOT_RECORDED];
    for key in present {
        if !keys.contains(key) && !last.contains(&key.as_str()) {
            keys.push(key.clone());
        }
    }
    // `other` is also an option of the sex, concern and service lookups, already listed above.
    for key in last {
        if present.contains(key) && !keys.iter().any(|listed| listed == key) {
            keys.push(key.to_owned());
        }
    }
    keys
}

/// Lists every month from the first to the last of `present`'s `YYYY-MM` keys.
fn month_range(present: &BTreeSet<String>) -> Vec<String> {
    let months: Vec<YearMonth> = present.iter().filter_map(|key| YearMonth::parse(key)).collect();
    let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else { return Vec::new() };
    months_between(*first, *last)
}

/// Lists the months from `first` to `last`, both included, as `YYYY-MM`.
pub fn months_between(first: YearMonth, last: YearMonth) -> Vec<String> {
    let mut keys = Vec::new();
    let mut month = first;
    while month <= last {
        keys.push(month.format());
        month = month.next();
    }
    keys
}

/// Returns the label of a key of `dimension` in `locale`: an option's label, a camp's or an
/// agency's name, a month such as "November 2026", an age range with the reader's digits, or
/// "Not recorded". A key the configuration does not know is shown as it is.
pub fn key_label(
    config: &Configuration,
    messages: &Messages,
    locale: &str,
    dimension: Dimension,
    key: &str,
) -> String {
    match key {
        NOT_RECORDED | AGE_UNKNOWN => return messages.format(locale, "report-not-recorded", &[]),
        OTHER_AGE if dimension == Dimension::AgeRange => {
            return messages.format(locale, "report-other-ages", &[]);
        }
        _ => {}
    }
    let option_label = |lookup: Option<&Lookup>| {
        lookup
            .and_then(|lookup| lookup.options.iter().find(|option| option.id == key))
            .map(|option| option.label.get(locale).to_owned())
    };
    let label = match dimension {
        Dimension::Sex | Dimension::RiskLevel | Dimension::Concern | Dimension::Service => {
            option_label(dimension_lookup(config, dimension))
        }
        Dimension::Camp => config
            .locations
            .iter()
            .find(|location| location.code == key)
            .map(|location| location.name.get(locale).to_owned()),
        Dimension::Agency | Dimension::ToAgency | Dimension::FromAgency => {
            config.agency(key).map(|agency| agency.name.get(locale).to_owned())
        }
        Dimension::Stage => Some(messages.format(locale, &format!("case-stage-{key}"), &[])),
        Dimension::Status => Some(messages.format(locale, &format!("report-status-{key}"), &[])),
        Dimension::AgeRange => Some(localize_digits(key, locale)),
        Dimension::Month => YearMonth::parse(key).map(|month| month_label(messages, locale, month)),
    };
    label.unwrap_or_else(|| key.to_owned())
}

/// Returns "November 2026" or "নভেম্বর ২০২৬": the month's name, then the year in the reader's
/// digits. Both languages write a month this way.
pub fn month_label(messages: &Messages, locale: &str, month: YearMonth) -> String {
    let name = messages.format(locale, &format!("report-month-{}", u8::from(month.month)), &[]);
    format!("{name} {}", localize_digits(&month.year.to_string(), locale))
}

/// Returns the name of a dimension, for a table's header, such as "Camp" or "ক্যাম্প".
pub fn dimension_label(messages: &Messages, locale: &str, dimension: Dimension) -> String {
    messages.format(locale, &format!("report-dimension-{}", dimension.as_str()), &[])
}

#[cfg(test)]
mod tests {
    use sathi_domain::dates::STANDARD_AGE_RANGES;

    use super::*;

    fn keys(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    #[test]
    fn sex_keys_list_every_option_then_none() {
        let config = crate::default_config::configuration();
        let ordered = ordered_keys(&config, Dimension::Sex, &keys(&["none", "male"]), &STANDARD_AGE_RANGES);
        assert_eq!(ordered, ["female", "male", "other", "none"]);
    }

    #[test]
    fn camp_keys_follow_configuration_order() {
        let config = crate::default_config::configuration();
        let present = keys(&["BD-CTG-CXB-UKH-C02E", "BD-CTG-CXB-UKH-C01E", "none"]);
        let ordered = ordered_keys(&config, Dimension::Camp, &present, &STANDARD_AGE_RANGES);
        assert_eq!(ordered, ["BD-CTG-CXB-UKH-C01E", "BD-CTG-CXB-UKH-C02E", "none"]);
    }

    #[test]
    fn month_keys_fill_gaps() {
        let config = crate::default_config::configuration();
        let ordered =
            ordered_keys(&config, Dimension::Month, &keys(&["2026-02", "2025-11"]), &STANDARD_AGE_RANGES);
        assert_eq!(ordered, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn age_keys_end_with_other_and_none() {
        let config = crate::default_config::configuration();
        let ordered = ordered_keys(
            &config,
            Dimension::AgeRange,
            &keys(&["none", "other", "6-11"]),
            &STANDARD_AGE_RANGES,
        );
        assert_eq!(ordered, ["0-5", "6-11", "12-17", "18+", "other", "none"]);
    }

    #[test]
    fn labels_in_bangla() {
        let config = crate::default_config::configuration();
        let messages = Messages::load();
        let month = key_label(&config, &messages, "bn", Dimension::Month, "2026-11");
        assert_eq!(month, "নভেম্বর ২০২৬");
        assert_eq!(key_label(&config, &messages, "en", Dimension::Month, "2026-11"), "November 2026");
        assert_eq!(key_label(&config, &messages, "bn", Dimension::AgeRange, "12-17"), "১২-১৭");
        assert_eq!(key_label(&config, &messages, "bn", Dimension::Sex, "none"), "উল্লেখ নেই");
        assert_eq!(key_label(&config, &messages, "en", Dimension::Camp, "BD-CTG-CXB-UKH-C01E"), "Camp 1E");
    }

    #[test]
    fn location_rolls_up_to_camp() {
        let config = crate::default_config::configuration();
        let locations = config.location_index();
        let axis = Axis::of(Measure::Cases, Dimension::Camp);
        let block = Some("BD-CTG-CXB-UKH-C01E-A".to_owned());
        assert_eq!(report_key(&locations, axis, block), "BD-CTG-CXB-UKH-C01E");
        let union = Some("BD-CTG-CXB-UKH-RAJAPALONG".to_owned());
        assert_eq!(report_key(&locations, axis, union), "BD-CTG-CXB-UKH-RAJAPALONG");
        assert_eq!(report_key(&locations, axis, None), "none");
    }
}
