// Report rules: the age range of a child at a report's as-of date, and suppression of small
// counts in tables shared outside an agency.
//
// A port of `crates/sathi-domain/src/reports.rs`. Both sides run `conformance/reports.json`.

import type { Deployment } from './config';
import { type AgeRange, type CalendarDate, STANDARD_AGE_RANGES, ageRangeContains, ageYears } from './dates';

/** The key of a record without a value for a dimension, such as a case with no sex recorded. */
export const NOT_RECORDED = 'none';

/** The age-range key of a child whose age fits no configured range. */
export const OTHER_AGE = 'other';

/** The report settings of `deployment`, with the server's defaults for a configuration without them. */
export function reportSettings(deployment: Deployment): {
  suppressionThreshold: number;
  ageRanges: AgeRange[];
  coordinationSnapshotMinutes: number;
} {
  const settings = deployment.reports;
  return {
    suppressionThreshold: settings?.suppression_threshold ?? 5,
    ageRanges: settings ? settings.age_ranges.map(([min, max]) => ({ min, max })) : [...STANDARD_AGE_RANGES],
    coordinationSnapshotMinutes: settings?.coordination_snapshot_minutes ?? 15,
  };
}

/**
 * Returns the first of `ranges` that contains the age on `asOf` of a child born on
 * `dateOfBirth`, or `null` when none does.
 *
 * The age is in calendar years, so a child whose birthday falls on `asOf` is already in the next
 * range, and a 29 February birthday is reached on 1 March in other years.
 */
export function ageRangeOf(dateOfBirth: CalendarDate, asOf: CalendarDate, ranges: readonly AgeRange[]): AgeRange | null {
  const age = ageYears(dateOfBirth, asOf);
  return ranges.find((range) => ageRangeContains(range, age)) ?? null;
}

/** One value of a table: a count, and whether it is withheld. */
export interface Cell {
  count: number;
  suppressed: boolean;
}

/**
 * A table of counts. A table without columns has empty rows in `cells` and its values in
 * `rowTotals`. Totals count distinct records, so they need not be the sums of their cells.
 */
export interface PivotCounts {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

/**
 * Lists the lines that complementary suppression checks, in the server's order: each row with
 * its total, the column totals with the grand total, each column with its total, and the row
 * totals with the grand total.
 */
function lines(table: PivotCounts): Cell[][] {
  const result: Cell[][] = [];
  table.cells.forEach((row, index) => result.push([...row, table.rowTotals[index]]));
  result.push([...table.columnTotals, table.total]);
  table.columnTotals.forEach((columnTotal, column) => {
    result.push([...table.cells.map((row) => row[column]), columnTotal]);
  });
  result.push([...table.rowTotals, table.total]);
  return result;
}

/** Returns the smallest shown non-zero value of `cells`, the first on a tie, or null. */
function smallestShown(cells: Cell[]): Cell | null {
  let candidate: Cell | null = null;
  for (const cell of cells) {
    if (!cell.suppressed && cell.count > 0 && (candidate === null || cell.count < candidate.count)) {
      candidate = cell;
    }
  }
  return candidate;
}

/**
 * Returns the value of `line` (its members, then its total) to suppress next, or null, by the
 * server's rule. A single suppressed value is found by subtraction. Under a shown total, k
 * suppressed members adding up to S each lie between 1 and S - (k - 1). When that upper end is
 * below `threshold`, another member is suppressed, or else the total.
 */
function exposedLineFix(line: Cell[], threshold: number): Cell | null {
  if (line.filter((cell) => cell.suppressed).length === 1) return smallestShown(line);
  const total = line[line.length - 1];
  const members = line.slice(0, -1);
  const hidden = members.filter((cell) => cell.suppressed);
  if (total.suppressed || hidden.length < 2) return null;
  const hiddenSum = hidden.reduce((sum, cell) => sum + cell.count, 0);
  if (Math.max(0, hiddenSum - (hidden.length - 1)) >= threshold) return null;
  return smallestShown(members) ?? total;
}

/**
 * Withholds the counts of `table` that could identify a child, as the server does before a
 * table leaves an agency. Every value from 1 to `threshold - 1` is suppressed, and zero stays.
 * Then any line with exactly one suppressed value gets its smallest other non-zero value
 * suppressed (the first on a tie). So does a line whose shown total leaves its suppressed
 * members a range narrower than `threshold` (see `exposedLineFix`). The pass repeats until
 * nothing changes. Returns a new table.
 */
export function suppress(table: PivotCounts, threshold: number): PivotCounts {
  const copy = (cell: Cell): Cell => ({ ...cell });
  const result: PivotCounts = {
    cells: table.cells.map((row) => row.map(copy)),
    rowTotals: table.rowTotals.map(copy),
    columnTotals: table.columnTotals.map(copy),
    total: copy(table.total),
  };
  const all = [...result.cells.flat(), ...result.rowTotals, ...result.columnTotals, result.total];
  for (const cell of all) {
    if (cell.count > 0 && cell.count < threshold) {
      cell.suppressed = true;
    }
  }

  const checked = lines(result);
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of checked) {
      const next = exposedLineFix(line, threshold);
      if (next !== null) {
        next.suppressed = true;
        changed = true;
      }
    }
  }
  return result;
}
