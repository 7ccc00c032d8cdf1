// @vitest-environment node
/// <reference types="node" />
// Runs `conformance/reports.json` against `src/domain/reports.ts`. The Rust side runs the same
// file (`cargo test -p sathi-domain --test conformance reports`), so the client and the server
// put a child in the same age range and withhold the same counts.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import type { AgeRange, CalendarDate } from '../src/domain/dates';
import type { Deployment } from '../src/domain/config';
import { type Cell, type PivotCounts, ageRangeOf, reportSettings, suppress } from '../src/domain/reports';

interface ReportCase {
  name: string;
  function: 'age_range_of' | 'suppress';
  args: Record<string, unknown>;
  expected: unknown;
  note?: string;
}

interface CountsArg {
  cells: number[][];
  row_totals: number[];
  column_totals: number[];
  total: number;
}

const file = JSON.parse(readFileSync(new URL('../../conformance/reports.json', import.meta.url), 'utf8')) as {
  description: string;
  cases: ReportCase[];
};

/** Reads a `YYYY-MM-DD` argument without the functions under test. */
function dateArg(value: unknown): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (match === null) {
    throw new Error(`argument is not YYYY-MM-DD: ${String(value)}`);
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function countsArg(value: CountsArg): PivotCounts {
  const cell = (count: number): Cell => ({ count, suppressed: false });
  return {
    cells: value.cells.map((row) => row.map(cell)),
    rowTotals: value.row_totals.map(cell),
    columnTotals: value.column_totals.map(cell),
    total: cell(value.total),
  };
}

/** Writes each value as its count, or `null` when suppressed, as the vectors do. */
function shownTable(table: PivotCounts): unknown {
  const shown = (cell: Cell): number | null => (cell.suppressed ? null : cell.count);
  return {
    cells: table.cells.map((row) => row.map(shown)),
    row_totals: table.rowTotals.map(shown),
    column_totals: table.columnTotals.map(shown),
    total: shown(table.total),
  };
}

function run(vector: ReportCase): unknown {
  const args = vector.args;
  switch (vector.function) {
    case 'age_range_of':
      return ageRangeOf(dateArg(args['date_of_birth']), dateArg(args['as_of']), args['ranges'] as AgeRange[]);
    case 'suppress':
      return shownTable(suppress(countsArg(args['table'] as CountsArg), Number(args['threshold'])));
    default:
      throw new Error(`unknown function ${String(vector.function)}`);
  }
}

describe('reports.json', () => {
  test('case names are unique', () => {
    const names = file.cases.map((vector) => vector.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(file.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    expect(run(vector)).toEqual(vector.expected);
  });
});

describe('reportSettings', () => {
  test('reads age ranges from pairs', () => {
    const deployment = {
      reports: { suppression_threshold: 10, age_ranges: [[0, 4], [5, null]], coordination_snapshot_minutes: 30 },
    } as unknown as Deployment;
    expect(reportSettings(deployment)).toEqual({
      suppressionThreshold: 10,
      ageRanges: [
        { min: 0, max: 4 },
        { min: 5, max: null },
      ],
      coordinationSnapshotMinutes: 30,
    });
  });

  test('defaults without reports object', () => {
    const settings = reportSettings({} as Deployment);
    expect(settings.suppressionThreshold).toBe(5);
    expect(settings.ageRanges.map((range) => `${range.min}-${range.max ?? ''}`)).toEqual(['0-5', '6-11', '12-17', '18-']);
    expect(settings.coordinationSnapshotMinutes).toBe(15);
  });
});
