// A report table: row headings, one column per column key, the row totals at the right and the
// column totals at the foot. Suppressed values read "<5" (the threshold in the reader's digits)
// and are marked, so no reader takes them for a count. Wide tables scroll sideways on a phone.

import { useEffect, useRef } from 'preact/hooks';
import { localizeDigits, t } from '../i18n';
import type { Cell, PivotResponse } from '../reportsApi';

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
 * Renders a report table. `columnsTitle` names what the columns are, above them. The row of key
 * `marked` is highlighted and scrolled into view: the row of the figure that opened the table.
 */
export function PivotTable({ pivot, rowsTitle, columnsTitle, caption, marked }: { pivot: PivotParts; rowsTitle: string; columnsTitle?: string; caption: string; marked?: string }) {
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
                {column.label}
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
