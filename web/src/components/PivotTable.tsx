// A report table: row headings, one column per column key, the row totals at the right and the
// column totals at the foot. Suppressed values read "<5" (the threshold in the reader's digits)
// and are marked, so no reader takes them for a count. Wide tables scroll sideways on a phone.

import { useEffect, useRef } from 'preact/hooks';
import { localizeDigits, t } from '../i18n';
import type { Cell, Heading, PivotResponse } from '../reportsApi';
import { session } from '../session';

/** Returns a cell's value in the reader's digits, or "<5" when suppressed. */
export function cellText(cell: Cell | undefined, threshold: number | null): string {
  if (!cell) return '';
  if (cell.suppressed || cell.value === null) return threshold !== null ? t('dash-suppressed', { threshold }) : '–';
  return localizeDigits(String(cell.value));
}

function ValueCell({ cell, threshold, total = false }: { cell: Cell | undefined; threshold: number | null; total?: boolean }) {
  const classes = ['number', total ? 'total' : '', cell?.suppressed ? 'suppressed' : ''].filter(Boolean).join(' ');
  return (
    <td class={classes} data-suppressed={cell?.suppressed ? 'true' : undefined} data-value={cell?.value ?? ''}>
      {cellText(cell, threshold)}
    </td>
  );
}

/** The parts of a report that the table shows. */
export type PivotParts = Pick<PivotResponse, 'rows' | 'columns' | 'cells' | 'row_totals' | 'column_totals' | 'total' | 'suppression_threshold'>;

/**
 * Turns a table of one row into a table of one column: its columns become the rows. A total
 * broken down by agency then reads down a phone's screen instead of across it.
 */
export function transposeSingleRow(pivot: PivotParts): PivotParts {
  if (pivot.rows.length !== 1 || pivot.columns.length === 0) return pivot;
  return {
    ...pivot,
    rows: pivot.columns,
    columns: [],
    cells: pivot.columns.map(() => []),
    row_totals: pivot.cells[0] ?? [],
    column_totals: [],
    total: pivot.row_totals[0] ?? pivot.total,
  };
}

/** Props of a report table. */
interface PivotTableProps {
  pivot: PivotParts;
  rowsTitle: string;
  /** The name of the column dimension, shown above the columns. */
  columnsTitle?: string;
  caption: string;
  /** The key of the row to highlight and scroll into view: the figure that opened the table. */
  marked?: string;
  /** Whether the columns are agencies, headed by their short codes (BCRI) to fit a phone. */
  agencyColumns?: boolean;
}

/** Renders a report table with its totals. */
export function PivotTable({ pivot, rowsTitle, columnsTitle, caption, marked, agencyColumns = false }: PivotTableProps) {
  const threshold = pivot.suppression_threshold;
  const columns = pivot.columns ?? [];
  const markedRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    // Browsers have scrollIntoView, but happy-dom in the unit tests does not.
    markedRow.current?.scrollIntoView?.({ block: 'center' });
  }, [marked, pivot]);
  return (
    <div class="table-scroll" data-testid="pivot">
      <table class="pivot">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          {columnsTitle && columns.length > 0 && (
            <tr>
              <td />
              <th scope="colgroup" colSpan={columns.length + 1}>
                {columnsTitle}
              </th>
            </tr>
          )}
          <tr>
            <th scope="col">{rowsTitle}</th>
            {columns.map((column) => (
              <th scope="col" class="number" key={column.key}>
                <ColumnHeading heading={column} agency={agencyColumns} />
              </th>
            ))}
            <th scope="col" class="number total">
              {t('report-total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {pivot.rows.map((row, index) => (
            <tr key={row.key} data-key={row.key} class={row.key === marked ? 'marked' : undefined} aria-current={row.key === marked ? 'true' : undefined} ref={row.key === marked ? markedRow : undefined}>
              <th scope="row">{row.label}</th>
              {columns.map((column, columnIndex) => (
                <ValueCell key={column.key} cell={pivot.cells[index]?.[columnIndex]} threshold={threshold} />
              ))}
              <ValueCell cell={pivot.row_totals[index]} threshold={threshold} total />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('report-total')}</th>
            {columns.map((column, columnIndex) => (
              <ValueCell key={column.key} cell={pivot.column_totals[columnIndex]} threshold={threshold} total />
            ))}
            <ValueCell cell={pivot.total} threshold={threshold} total />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Heads a column with its label, or with an agency's code and its name as the tooltip. */
function ColumnHeading({ heading, agency }: { heading: Heading; agency: boolean }) {
  const code = agency ? session.value?.configuration?.agencies.find((entry) => entry.id === heading.key)?.code : undefined;
  return code ? <abbr title={heading.label}>{code}</abbr> : <>{heading.label}</>;
}
