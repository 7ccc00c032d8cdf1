// The report requests of roles with `view_aggregates`: a pivot table (`POST /reports/pivot`), the
// monthly coordination report (`GET /reports/monthly`), a coordination panel by agency
// (`GET /dashboard/panels/{id}`), and their XLSX and CSV files. Reports need a connection: they
// are counted on the server over cases the phone does not hold.

import { api, ApiError, NetworkError } from './api';

/** One value of a report. A suppressed value has `value: null`. */
export interface Cell {
  value: number | null;
  suppressed: boolean;
}

export interface Heading {
  key: string;
  label: string;
}

/** A table of counts with DISTINCT totals, as the server counts them (a case with two concerns
 * is in two rows but once in the total). */
export interface PivotResponse {
  measure: string;
  row_dimension: string;
  column_dimension: string | null;
  as_of: string;
  rows: Heading[];
  /** Empty for a table without a column dimension. */
  columns: Heading[];
  cells: Cell[][];
  row_totals: Cell[];
  column_totals: Cell[];
  total: Cell;
  suppression_threshold: number | null;
  suppressed_cells: number;
}

export const CASE_DIMENSIONS = ['camp', 'concern', 'sex', 'age_range', 'agency', 'month', 'risk_level', 'stage', 'status'] as const;
export const REFERRAL_DIMENSIONS = ['service', 'to_agency', 'from_agency', 'month', 'camp', 'sex', 'age_range', 'risk_level'] as const;

export interface PivotFilters {
  status?: 'open' | 'closed' | 'all';
  registered_from?: string;
  registered_to?: string;
  month?: string;
  agency?: string;
  location?: string;
  protection_concern?: string;
  sex?: string;
  risk_level?: string;
}

/** The body of `POST /reports/pivot` and of its export. */
export interface PivotRequest {
  measure: 'cases' | 'referrals';
  rows: string;
  columns: string | null;
  filters: PivotFilters;
  as_of?: string;
  for_sharing: boolean;
}

export interface MonthlySection {
  id: string;
  /** The section's title in the user's language as stored on the server. */
  title: string;
  pivot: PivotResponse;
}

export interface MonthlyReport {
  month: string;
  as_of: string;
  suppression_threshold: number | null;
  sections: MonthlySection[];
}

export function fetchPivot(request: PivotRequest): Promise<PivotResponse> {
  return api<PivotResponse>('POST', '/reports/pivot', request);
}

export function fetchMonthly(month: string): Promise<MonthlyReport> {
  return api<MonthlyReport>('GET', `/reports/monthly?month=${encodeURIComponent(month)}`);
}

/** A coordination panel by agency: one row per key of the panel, one column per agency. Each
 * row total is the panel's figure of that key. */
export interface PanelTable extends Omit<PivotResponse, 'measure'> {
  panel: string;
  dimension: string;
  computed_at: string;
}

export function fetchPanelTable(panel: string): Promise<PanelTable> {
  return api<PanelTable>('GET', `/dashboard/panels/${encodeURIComponent(panel)}`);
}

export type ExportFormat = 'xlsx' | 'csv';

/** Downloads the pivot table of `request` as a file. */
export function downloadPivot(request: PivotRequest, format: ExportFormat): Promise<void> {
  return download('POST', `/reports/pivot/export?format=${format}`, request, `sathi-report.${format}`);
}

/** Downloads the monthly report of `month` as a file. */
export function downloadMonthly(month: string, format: ExportFormat): Promise<void> {
  return download('GET', `/reports/monthly/export?month=${encodeURIComponent(month)}&format=${format}`, undefined, `sathi-monthly-${month}.${format}`);
}

/** Fetches a file from the API and saves it under the name of its Content-Disposition. */
export async function download(method: string, path: string, body: unknown, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!response.ok) {
    const parsed = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(response.status, parsed?.error?.code ?? 'internal_error', parsed?.error?.message ?? '');
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName(response.headers.get('content-disposition')) ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download once click() returns; the address is freed later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Reads the file name of a Content-Disposition header (`filename*=UTF-8''…` or `filename="…"`). */
export function fileName(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}
