//! Report rules with no IO: the dimensions a pivot table groups by, the table itself,
//! suppression of small counts, age ranges at a report's as-of date, calendar months and
//! percentiles.
//!
//! The store counts and the server labels; this module decides what a table may show. Counts
//! below the deployment's threshold identify children in a small camp or agency, so every table
//! shared outside an agency passes through [`suppress`] first.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::config::{Location, LocationLevel};
use crate::dates::{AgeRange, age_years};

/// The kind of record a pivot table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Case records. A child has one case, so this also counts children.
    Cases,
    /// Referrals for services, with the case each one is about.
    Referrals,
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Cases => "cases",
            Measure::Referrals => "referrals",
        }
    }
}

/// A value a pivot table groups by, as rows or as columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The camp of the child's current location (a host community's union outside the camps).
    Camp,
    /// A protection concern of the case. A case with two concerns counts under both.
    Concern,
    Sex,
    /// The age range of the deployment's configuration at the report's as-of date.
    AgeRange,
    /// The agency that owns the case.
    Agency,
    /// The registration month of a case, or the month a referral was made.
    Month,
    RiskLevel,
    Stage,
    /// `open` or `closed`.
    Status,
    /// The service type of a referral.
    Service,
    /// The agency a referral was sent to.
    ToAgency,
    /// The agency that sent a referral.
    FromAgency,
}

impl Dimension {
    pub const ALL: [Dimension; 12] = [
        Dimension::Camp,
        Dimension::Concern,
        Dimension::Sex,
        Dimension::AgeRange,
        Dimension::Agency,
        Dimension::Month,
        Dimension::RiskLevel,
        Dimension::Stage,
        Dimension::Status,
        Dimension::Service,
        Dimension::ToAgency,
        Dimension::FromAgency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Camp => "camp",
            Dimension::Concern => "concern",
            Dimension::Sex => "sex",
            Dimension::AgeRange => "age_range",
            Dimension::Agency => "agency",
            Dimension::Month => "month",
            Dimension::RiskLevel => "risk_level",
            Dimension::Stage => "stage",
            Dimension::Status => "status",
            Dimension::Service => "service",
            Dimension::ToAgency => "to_agency",
            Dimension::FromAgency => "from_agency",
        }
    }

    /// Parses the name [`Dimension::as_str`] returns.
    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|dimension| dimension.as_str() == name)
    }

    /// Returns whether a table of `measure` can group by this dimension. Cases have no service
    /// or sending agency. A referral is grouped by its own service, agencies and month, or by
    /// the camp, sex, age and risk level of its case.
    pub fn applies_to(self, measure: Measure) -> bool {
        match measure {
            Measure::Cases => {
                !matches!(self, Dimension::Service | Dimension::ToAgency | Dimension::FromAgency)
            }
            Measure::Referrals => matches!(
                self,
                Dimension::Camp
                    | Dimension::Sex
                    | Dimension::AgeRange
                    | Dimension::RiskLevel
                    | Dimension::Month
                    | Dimension::Service
                    | Dimension::ToAgency
                    | Dimension::FromAgency
            ),
        }
    }

    /// Returns whether one counted record can fall under several keys, so that a total is not
    /// the sum of its cells and must be counted on its own.
    pub fn overlaps(self) -> bool {
        self == Dimension::Concern
    }
}

/// The key of a record without a value for a dimension, such as a case with no sex recorded.
pub const NOT_RECORDED: &str = "none";

/// The age-range key of a child whose age fits no configured range, such as a date of birth
/// after the as-of date.
pub const OTHER_AGE: &str = "other";

/// One value of a table: a count, and whether it is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    pub count: u64,
    /// The count must not be shown. The count stays here for the suppression pass and is never
    /// serialized by the server.
    pub suppressed: bool,
}

impl Cell {
    pub fn new(count: u64) -> Cell {
        Cell { count, suppressed: false }
    }

    /// Returns the count to show, `None` when it is suppressed.
    pub fn shown(&self) -> Option<u64> {
        (!self.suppressed).then_some(self.count)
    }
}

/// A table of counts with keys along both sides.
///
/// A table without a column dimension has no `columns`, empty rows in `cells`, and its values
/// in `row_totals`. Totals are counts of distinct records, so a row total of a concern table
/// can be smaller than the sum of its cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PivotTable {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
}

impl PivotTable {
    /// Returns how many values of the table, cells and totals, are suppressed.
    pub fn suppressed_count(&self) -> usize {
        let all = self.cells.iter().flatten().chain(&self.row_totals).chain(&self.column_totals);
        all.chain(std::iter::once(&self.total)).filter(|cell| cell.suppressed).count()
    }
}

/// A position in a [`PivotTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Cell(usize, usize),
    RowTotal(usize),
    ColumnTotal(usize),
    Total,
}

fn cell_at(table: &PivotTable, position: Position) -> Cell {
    match position {
        Position::Cell(row, column) => table.cells[row][column],
        Position::RowTotal(row) => table.row_totals[row],
        Position::ColumnTotal(column) => table.column_totals[column],
        Position::Total => table.total,
    }
}

fn cell_at_mut(table: &mut PivotTable, position: Position) -> &mut Cell {
    match position {
        Position::Cell(row, column) => &mut table.cells[row][column],
        Position::RowTotal(row) => &mut table.row_totals[row],
        Position::ColumnTotal(column) => &mut table.column_totals[column],
        Position::Total => &mut table.total,
    }
}

/// Lists the lines that complementary suppression checks, in the order it checks them: each
/// row with its total, the column totals with the grand total, each column with its total, and
/// the row totals with the grand total.
fn lines(table: &PivotTable) -> Vec<Vec<Position>> {
    let row_count = table.rows.len();
    let column_count = table.columns.len();
    let mut lines = Vec::with_capacity(row_count + column_count + 2);
    for row in 0..row_count {
        let mut line: Vec<Position> = (0..column_count).map(|column| Position::Cell(row, column)).collect();
        line.push(Position::RowTotal(row));
        lines.push(line);
    }
    let mut totals_line: Vec<Position> = (0..column_count).map(Position::ColumnTotal).collect();
    totals_line.push(Position::Total);
    lines.push(totals_line);
    for column in 0..column_count {
        let mut line: Vec<Position> = (0..row_count).map(|row| Position::Cell(row, column)).collect();
        line.push(Position::ColumnTotal(column));
        lines.push(line);
    }
    let mut row_totals_line: Vec<Position> = (0..row_count).map(Position::RowTotal).collect();
    row_totals_line.push(Position::Total);
    lines.push(row_totals_line);
    lines
}

/// Withholds the counts of `table` that could identify a child, for a table shared outside an
/// agency.
///
/// 1. Primary suppression: every value from 1 to `threshold - 1`, cells and totals alike, is
///    suppressed. Zero stays visible, because it identifies no child.
/// 2. Complementary suppression: a line (a row with its total, a column with its total, the
///    column totals with the grand total, or the row totals with the grand total) with exactly
///    one suppressed value would give that value away by subtraction. So the smallest other
///    non-zero value of the line is suppressed too, the first one on a tie. The lines are
///    checked in the order of [`lines`], and the pass repeats until nothing changes.
///
/// 3. A line whose total is shown and whose suppressed members leave each of them a range
///    narrower than `threshold` (see `exposed_line_fix`) gets another member, or its total,
///    suppressed.
///
/// A line whose other values are all zero or suppressed keeps its single suppressed value,
/// because nothing else can hide it. `threshold` 0 or 1 suppresses nothing.
///
/// NOTE: each line is audited on its own. Combining several lines' equations can still narrow
/// a suppressed value further; a full audit would solve the table as a linear program.
pub fn suppress(table: &PivotTable, threshold: u64) -> PivotTable {
    let mut result = table.clone();
    let primary = |cell: &mut Cell| {
        if cell.count > 0 && cell.count < threshold {
            cell.suppressed = true;
        }
    };
    result.cells.iter_mut().flatten().for_each(primary);
    result.row_totals.iter_mut().for_each(primary);
    result.column_totals.iter_mut().for_each(primary);
    primary(&mut result.total);

    let lines = lines(&result);
    loop {
        let mut changed = false;
        for line in &lines {
            if let Some(position) = exposed_line_fix(&result, line, threshold) {
                cell_at_mut(&mut result, position).suppressed = true;
                changed = true;
            }
        }
        if !changed {
            return result;
        }
    }
}

/// Returns the value to suppress next in `line` (its members, then its total), or `None` when
/// the line gives no suppressed value away.
///
/// A line gives a value away when exactly one of its values is suppressed (subtraction finds
/// it), or when its total is shown and its suppressed members add up to so little that each lies
/// in a narrow range. Every suppressed value is at least 1, because zero is always shown, so
/// `k` suppressed members whose sum is `S` each lie between 1 and `S - (k - 1)`. When that upper
/// end is below `threshold` (five suppressed ones under a total of 5 are all exactly 1), the
/// smallest shown non-zero member is suppressed too, or else the total.
fn exposed_line_fix(table: &PivotTable, line: &[Position], threshold: u64) -> Option<Position> {
    let (total, members) = line.split_last()?;
    let smallest_shown = || {
        line.iter()
            .copied()
            .filter(|position| {
                let cell = cell_at(table, *position);
                !cell.suppressed && cell.count > 0
            })
            .min_by_key(|position| cell_at(table, *position).count)
    };
    let suppressed = line.iter().filter(|position| cell_at(table, **position).suppressed).count();
    if suppressed == 1 {
        return smallest_shown();
    }

    let total = cell_at(table, *total);
    let hidden: Vec<Cell> =
        members.iter().map(|position| cell_at(table, *position)).filter(|cell| cell.suppressed).collect();
    if total.suppressed || hidden.len() < 2 {
        return None;
    }
    let hidden_sum: u64 = hidden.iter().map(|cell| cell.count).sum();
    let widest = hidden_sum.saturating_sub(hidden.len() as u64 - 1);
    if widest >= threshold {
        return None;
    }
    let shown_member = members
        .iter()
        .copied()
        .filter(|position| {
            let cell = cell_at(table, *position);
            !cell.suppressed && cell.count > 0
        })
        .min_by_key(|position| cell_at(table, *position).count);
    shown_member.or(Some(*line.last()?))
}

/// Returns the first of `ranges` that contains the age on `as_of` of a child born on
/// `date_of_birth`, or `None` when none does.
///
/// The age is in calendar years, so a child whose birthday falls on `as_of` is already in the
/// next range, and a 29 February birthday is reached on 1 March in other years.
pub fn age_range_of(date_of_birth: Date, as_of: Date, ranges: &[AgeRange]) -> Option<&AgeRange> {
    let age = age_years(date_of_birth, as_of);
    ranges.iter().find(|range| range.contains(age))
}

/// Returns the location that a report counts `code` under: the camp that contains it, or, for
/// a place outside the camps, the union that contains it, or else the location itself. `None`
/// when `code` is not in the configuration.
pub fn report_area<'a>(locations: &HashMap<&str, &'a Location>, code: &str) -> Option<&'a Location> {
    let start = *locations.get(code)?;
    let mut current = start;
    let mut union = None;
    // A valid configuration is a tree, and the step limit keeps a broken one from looping.
    for _ in 0..locations.len() {
        match current.level {
            LocationLevel::Camp => return Some(current),
            LocationLevel::Union if union.is_none() => union = Some(current),
            _ => {}
        }
        let Some(parent) = current.parent.as_deref().and_then(|parent| locations.get(parent)) else { break };
        current = parent;
    }
    Some(union.unwrap_or(start))
}

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    /// Parses `YYYY-MM` with ASCII digits, a year from 0001 and a month from 01 to 12. Year 0000
    /// is rejected because the month before January 0000 falls in year -1, which dates in SQL
    /// and `YYYY-MM-DD` text cannot hold.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (year, month) = text.split_once('-')?;
        let digits =
            |part: &str, length: usize| part.len() == length && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return None;
        }
        let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
        let year: i32 = year.parse().ok()?;
        if year < 1 {
            return None;
        }
        Some(YearMonth { year, month })
    }

    pub fn of(date: Date) -> YearMonth {
        YearMonth { year: date.year(), month: date.month() }
    }

    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).expect("the first of a month exists")
    }

    pub fn last_day(self) -> Date {
        let days = self.month.length(self.year);
        Date::from_calendar_date(self.year, self.month, days).expect("a month's length is a valid day")
    }

    pub fn previous(self) -> YearMonth {
        let year = if self.month == Month::January { self.year - 1 } else { self.year };
        YearMonth { year, month: self.month.previous() }
    }

    pub fn next(self) -> YearMonth {
        let year = if self.month == Month::December { self.year + 1 } else { self.year };
        YearMonth { year, month: self.month.next() }
    }

    /// Returns `YYYY-MM` with ASCII digits.
    pub fn format(self) -> String {
        format!("{:04}-{:02}", self.year, u8::from(self.month))
    }
}

/// Returns the `percent` percentile of `sorted` (ascending) by the nearest-rank method: the
/// smallest value with at least `percent` % of the values at or below it. The median of an even
/// number of values is the lower middle one. `None` for no values.
pub fn percentile(sorted: &[i64], percent: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let count = sorted.len() as u64;
    let rank = (u64::from(percent.min(100)) * count).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::dates::STANDARD_AGE_RANGES;

    /// Builds a table with row keys `r0`, `r1`... and column keys `c0`, `c1`... from counts.
    fn table(cells: &[&[u64]], row_totals: &[u64], column_totals: &[u64], total: u64) -> PivotTable {
        let width = column_totals.len();
        PivotTable {
            rows: (0..row_totals.len()).map(|row| format!("r{row}")).collect(),
            columns: (0..width).map(|column| format!("c{column}")).collect(),
            cells: cells.iter().map(|row| row.iter().copied().map(Cell::new).collect()).collect(),
            row_totals: row_totals.iter().copied().map(Cell::new).collect(),
            column_totals: column_totals.iter().copied().map(Cell::new).collect(),
            total: Cell::new(total),
        }
    }

    /// Renders each value as its count, or `*` when suppressed, row by row with the row total
    /// last, then the column totals with the grand total.
    fn shown(table: &PivotTable) -> Vec<Vec<String>> {
        let text = |cell: &Cell| if cell.suppressed { "*".to_owned() } else { cell.count.to_string() };
        let mut lines: Vec<Vec<String>> = table
            .cells
            .iter()
            .zip(&table.row_totals)
            .map(|(row, total)| row.iter().chain(std::iter::once(total)).map(text).collect())
            .collect();
        lines.push(table.column_totals.iter().chain(std::iter::once(&table.total)).map(text).collect());
        lines
    }

    #[test]
    fn suppress_keeps_zero_and_counts_at_threshold() {
        let counts = table(&[&[0, 5], &[12, 9]], &[5, 21], &[12, 14], 26);
        let result = suppress(&counts, 5);
        assert_eq!(result, counts, "nothing below 5 except zero, so nothing is withheld");
        assert_eq!(result.suppressed_count(), 0);
    }

    #[test]
    fn suppress_hides_complement_in_row_and_column() {
        // 3 is below 5. Its row (3, 9, total 12) would give it away, so 9 goes too. Its column
        // (3, 7, total 10) would, so the 7 below it goes. Column 1 now has 9 hidden alone, so
        // the other 7 goes as well, and every line has two hidden values.
        let counts = table(&[&[3, 9], &[7, 7]], &[12, 14], &[10, 16], 26);
        let result = suppress(&counts, 5);
        let expected = [vec!["*", "*", "12"], vec!["*", "*", "14"], vec!["10", "16", "26"]];
        assert_eq!(shown(&result), expected);
        assert_eq!(result.suppressed_count(), 4);
    }

    #[test]
    fn suppress_small_totals_too() {
        let counts = table(&[&[1, 2], &[0, 0]], &[3, 0], &[1, 2], 3);
        let result = suppress(&counts, 5);
        let expected = [vec!["*", "*", "*"], vec!["0", "0", "0"], vec!["*", "*", "*"]];
        assert_eq!(shown(&result), expected);
    }

    #[test]
    fn suppress_single_column_list() {
        // A table without columns: the row totals are the values, checked against the total.
        let counts = table(&[&[], &[], &[]], &[40, 2, 17], &[], 59);
        let result = suppress(&counts, 5);
        let values: Vec<Option<u64>> = result.row_totals.iter().map(Cell::shown).collect();
        assert_eq!(values, [Some(40), None, None], "2 is primary, 17 its complement");
        assert_eq!(result.total.shown(), Some(59));
    }

    #[test]
    fn suppress_chooses_first_smallest_on_tie() {
        let counts = table(&[&[], &[], &[]], &[8, 4, 8], &[], 20);
        let result = suppress(&counts, 5);
        let values: Vec<Option<u64>> = result.row_totals.iter().map(Cell::shown).collect();
        assert_eq!(values, [None, None, Some(8)]);
    }

    #[test]
    fn suppress_threshold_one_hides_nothing() {
        let counts = table(&[&[1, 2]], &[3], &[1, 2], 3);
        assert_eq!(suppress(&counts, 1), counts);
    }

    #[test]
    fn suppress_hides_total_when_cells_overlap() {
        // Concerns overlap, so a row total need not be the sum of its cells.
        let counts = table(&[&[0, 3]], &[7], &[0, 3], 7);
        let result = suppress(&counts, 5);
        assert_eq!(shown(&result), [vec!["0", "*", "*"], vec!["0", "*", "*"]]);
    }

    #[test]
    fn birthday_on_as_of_moves_to_next_range() {
        let as_of = date!(2026 - 12 - 05);
        let range = age_range_of(date!(2020 - 12 - 05), as_of, &STANDARD_AGE_RANGES);
        assert_eq!(range.map(AgeRange::label).as_deref(), Some("6-11"));
        let range = age_range_of(date!(2020 - 12 - 06), as_of, &STANDARD_AGE_RANGES);
        assert_eq!(range.map(AgeRange::label).as_deref(), Some("0-5"));
    }

    #[test]
    fn leap_day_birthday_reached_on_first_march() {
        let born = date!(2008 - 02 - 29);
        let on_28_february = age_range_of(born, date!(2026 - 02 - 28), &STANDARD_AGE_RANGES);
        assert_eq!(on_28_february.map(AgeRange::label).as_deref(), Some("12-17"));
        let on_1_march = age_range_of(born, date!(2026 - 03 - 01), &STANDARD_AGE_RANGES);
        assert_eq!(on_1_march.map(AgeRange::label).as_deref(), Some("18+"));
    }

    #[test]
    fn age_ranges_are_closed_at_both_ends() {
        let as_of = date!(2026 - 06 - 30);
        let label = |born| age_range_of(born, as_of, &STANDARD_AGE_RANGES).map(AgeRange::label);
        assert_eq!(label(date!(2026 - 06 - 30)).as_deref(), Some("0-5"), "age 0");
        assert_eq!(label(date!(2020 - 07 - 01)).as_deref(), Some("0-5"), "age 5, a day before 6");
        assert_eq!(label(date!(2015 - 06 - 30)).as_deref(), Some("6-11"), "age 11 on the day");
        assert_eq!(label(date!(2014 - 06 - 30)).as_deref(), Some("12-17"), "age 12 on the day");
        assert_eq!(label(date!(2008 - 07 - 01)).as_deref(), Some("12-17"), "age 17");
        assert_eq!(label(date!(2026 - 07 - 01)), None, "born after the as-of date");
    }

    #[test]
    fn year_month_parses_and_bounds() {
        let month = YearMonth::parse("2024-02").unwrap();
        assert_eq!(month.first_day(), date!(2024 - 02 - 01));
        assert_eq!(month.last_day(), date!(2024 - 02 - 29));
        assert_eq!(month.previous().format(), "2024-01");
        assert_eq!(YearMonth::parse("2024-12").unwrap().next().format(), "2025-01");
        assert_eq!(YearMonth::parse("2025-01").unwrap().previous().format(), "2024-12");
        for invalid in
            ["2024-13", "2024-00", "2024-2", "24-02", "2024/02", "২০২৪-০২", "", "0000-01", "0000-12"]
        {
            assert_eq!(YearMonth::parse(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn percentile_nearest_rank() {
        let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile(&values, 50), Some(5));
        assert_eq!(percentile(&values, 90), Some(9));
        assert_eq!(percentile(&values, 100), Some(10));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[3, 8, 20], 50), Some(8));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn dimensions_round_trip_by_name() {
        for dimension in Dimension::ALL {
            assert_eq!(Dimension::parse(dimension.as_str()), Some(dimension));
        }
        assert_eq!(Dimension::parse("name"), None);
        assert!(!Dimension::Service.applies_to(Measure::Cases));
        assert!(!Dimension::Concern.applies_to(Measure::Referrals));
    }
}
