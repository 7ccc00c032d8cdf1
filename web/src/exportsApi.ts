// Case exports (`POST /exports`, `GET /exports`, `GET /exports/{id}/download`) and the case PDF
// (`GET /cases/{id}/pdf`). The server writes the files from the cases the user may see, so
// every request here needs a connection. The phone's vault never stores an export.

import { api } from './api';
import { download } from './reportsApi';

/** `csv` has a byte order mark for spreadsheet programs; `csv_plain` has none. */
export type CaseExportFormat = 'xlsx' | 'csv' | 'csv_plain' | 'json';

export const EXPORT_FORMATS: readonly CaseExportFormat[] = ['xlsx', 'csv', 'csv_plain', 'json'];

export type ExportState = 'running' | 'ready' | 'failed';

export interface ExportView {
  id: string;
  format: CaseExportFormat;
  state: ExportState;
  file_name: string;
  /** Bytes, once ready. */
  size: number | null;
  rows: number | null;
  created_at: string;
  expires_at: string;
  password_protected: boolean;
  error: string | null;
}

/** Asks the server to write an export of the cases that `filter` (the query parameters of
 * `GET /cases`) selects. With a password the file is a ZIP archive encrypted with it. */
export function createExport(format: CaseExportFormat, filter: Record<string, string>, password: string | null): Promise<ExportView> {
  return api<ExportView>('POST', '/exports', { format, filter, password });
}

/** Fetches the user's own exports that have not expired, newest first. */
export function fetchExports(): Promise<ExportView[]> {
  return api<ExportView[]>('GET', '/exports');
}

export function downloadExport(entry: ExportView): Promise<void> {
  return download('GET', `/exports/${encodeURIComponent(entry.id)}/download`, undefined, entry.file_name);
}

/** Downloads the printable summary of a case in `lang`. */
export function downloadCasePdf(caseId: string, lang: string, fallbackName: string): Promise<void> {
  return download('GET', `/cases/${encodeURIComponent(caseId)}/pdf?lang=${encodeURIComponent(lang)}`, undefined, fallbackName);
}
