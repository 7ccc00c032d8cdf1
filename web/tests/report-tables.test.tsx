// Report tables and their helpers: suppressed values in both languages, the table of one row
// turned into a column, the months a report can be asked for, file names of downloads, and the
// wrapping of chart labels.

import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, test } from 'vitest';

import { wrapLabel } from '../src/components/FigureChart';
import { cellText, PivotTable, transposeSingleRow, type PivotParts } from '../src/components/PivotTable';
import { locale } from '../src/i18n';
import { fileName } from '../src/reportsApi';
import { recentMonths } from '../src/screens/Reports';

afterEach(() => {
  cleanup();
  locale.value = 'bn';
});

const shown = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

/** Camps by sex, with one small count hidden and its neighbour hidden too. */
const TABLE: PivotParts = {
  rows: [
    { key: 'c1', label: 'Camp 1E' },
    { key: 'c2', label: 'Camp 2W' },
  ],
  columns: [
    { key: 'female', label: 'Female' },
    { key: 'male', label: 'Male' },
  ],
  cells: [
    [shown(12), hidden],
    [shown(7), hidden],
  ],
  row_totals: [shown(14), shown(9)],
  column_totals: [shown(19), shown(6)],
  total: shown(23),
  suppression_threshold: 5,
};

describe('cellText', () => {
  test('suppressed in Bangla', () => {
    locale.value = 'bn';
    expect(cellText(hidden, 5)).toBe('<৫');
    expect(cellText(shown(12), 5)).toBe('১২');
  });

  test('suppressed in English', () => {
    locale.value = 'en';
    expect(cellText(hidden, 5)).toBe('<5');
  });
});

describe('PivotTable', () => {
  test('marks suppressed cells', () => {
    locale.value = 'en';
    render(<PivotTable pivot={TABLE} rowsTitle="Camp" columnsTitle="Sex" caption="Registered" />);
    const rows = [...screen.getByTestId('pivot').querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['Camp 1E', '12', '<5', '14'],
      ['Camp 2W', '7', '<5', '9'],
    ]);
    expect(screen.getByTestId('pivot').querySelectorAll('td[data-suppressed=true]')).toHaveLength(2);
    const foot = [...screen.getByTestId('pivot').querySelectorAll('tfoot tr > *')].map((cell) => cell.textContent);
    expect(foot).toEqual(['Total', '19', '6', '23']);
  });

  test('highlights the marked row', () => {
    render(<PivotTable pivot={TABLE} rowsTitle="Camp" caption="Registered" marked="c2" />);
    const marked = screen.getByTestId('pivot').querySelector('tr.marked');
    expect(marked?.getAttribute('data-key')).toBe('c2');
  });
});

describe('transposeSingleRow', () => {
  test('agencies become rows', () => {
    const single: PivotParts = {
      rows: [{ key: 'total', label: 'Total' }],
      columns: [
        { key: 'bcri', label: 'BCRI' },
        { key: 'nsf', label: 'NSF' },
      ],
      cells: [[shown(23), hidden]],
      row_totals: [shown(25)],
      column_totals: [shown(23), hidden],
      total: shown(25),
      suppression_threshold: 5,
    };
    const turned = transposeSingleRow(single);
    expect(turned.rows.map((row) => row.key)).toEqual(['bcri', 'nsf']);
    expect(turned.columns).toEqual([]);
    expect(turned.row_totals).toEqual([shown(23), hidden]);
    expect(turned.total).toEqual(shown(25));
  });

  test('leaves larger tables alone', () => {
    expect(transposeSingleRow(TABLE)).toBe(TABLE);
  });
});

describe('recentMonths', () => {
  test('24 months back across years', () => {
    const months = recentMonths('2026-02');
    expect(months).toHaveLength(24);
    expect(months.slice(0, 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(months[23]).toBe('2024-03');
  });
});

describe('fileName', () => {
  test('encoded name first', () => {
    expect(fileName(`attachment; filename="report.xlsx"; filename*=UTF-8''sathi-%E0%A6%AE%E0%A6%BE%E0%A6%B8.xlsx`)).toBe('sathi-মাস.xlsx');
  });

  test('plain name', () => {
    expect(fileName('attachment; filename="sathi-monthly-2026-11.csv"')).toBe('sathi-monthly-2026-11.csv');
  });

  test('no header', () => {
    expect(fileName(null)).toBeNull();
  });
});

describe('wrapLabel', () => {
  test('short label stays', () => {
    expect(wrapLabel('Camp 1E')).toBe('Camp 1E');
  });

  test('breaks between words', () => {
    expect(wrapLabel('Risk of unsafe onward journey by sea')).toEqual(['Risk of unsafe', 'onward journey', 'by sea']);
  });

  test('long word on its own line', () => {
    expect(wrapLabel('Statelessness documentation', 10)).toEqual(['Statelessness', 'documentation']);
  });
});
