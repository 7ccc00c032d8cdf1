// The case import requests of roles with the `import` grant. A user uploads a CSV, XLSX or
// incumbent JSON file (`POST /imports`), maps its columns to fields and checks it with a dry run.
// They read the rejected rows and the report, then run the import. Imports run on the server over
// the whole agency's caseload, so every request here needs a connection.

import { api, ApiError, type FieldErrorBody, NetworkError } from './api';
import { download } from './reportsApi';

export type ImportFormat = 'csv' | 'xlsx' | 'incumbent_json';

export type ImportState = 'uploaded' | 'dry_run_running' | 'dry_run_done' | 'running' | 'done' | 'failed';

/** Date formats an import can declare; ISO dates (yyyy-mm-dd) are always accepted as well. */
export const DATE_FORMATS = ['dd/mm/yyyy', 'mm/dd/yyyy', 'yyyy-mm-dd', 'dd-mm-yyyy', 'dd.mm.yyyy'] as const;

export interface ColumnMapping {
  column: string;
  field: string;
}

/** The mapping of a file's columns to the fields of a case. Unmapped columns are ignored. */
export interface Mapping {
  date_format: string;
  columns: ColumnMapping[];
  /** A column of Sathi case ids (display id or UUID): such a row updates that case. */
  case_id_column: string | null;
  /** A column of the source system's ids: such a row updates the case imported with it before. */
  external_id_column: string | null;
  /** User name of the owner of new cases. */
  owner: string | null;
  /** A column of user names that overrides `owner` row by row. */
  owner_column: string | null;
  /** The field mapping of an incumbent JSON export. */
  incumbent: unknown;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportView {
  id: string;
  file_name: string;
  format: ImportFormat;
  state: ImportState;
  created_at: string;
  created_by: string;
  columns: string[];
  /** The first rows of the file, one string per column. */
  sample: string[][];
  suggested_mapping: Mapping;
  mapping: Mapping | null;
  progress: { rows_done: number; rows_total: number | null };
  summary: ImportSummary | null;
  dry_run_summary: ImportSummary | null;
  error: string | null;
}

export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface RowError {
  column: string | null;
  field: string | null;
  code: string;
  /** The reason in the user's language. */
  message: string;
}

export interface ImportRow {
  /** 1 is the first data row, under the header. */
  row: number;
  outcome: RowOutcome;
  case_id: string | null;
  display_id: string | null;
  external_id: string | null;
  errors: RowError[];
}

export interface ImportRows {
  rows: ImportRow[];
  total: number;
}

export interface SavedMapping {
  id: string;
  name: string;
  format: ImportFormat;
  mapping: Mapping;
}

/** A user who can own imported cases, as `GET /import-owners` lists them. */
export interface Owner {
  id: string;
  username: string;
  full_name: string;
  role_id: string;
}

/** The import format of a file, from its extension; null for a file the importer does not read. */
export function formatOf(fileName: string): ImportFormat | null {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if (extension === 'csv') return 'csv';
  if (extension === 'xlsx') return 'xlsx';
  if (extension === 'json') return 'incumbent_json';
  return null;
}

/** Sends `file` as the body of `POST /imports`, which stores it and reads its columns. */
export async function uploadImport(file: Blob, fileName: string, format: ImportFormat): Promise<ImportView> {
  const path = `/api/v1/imports?format=${format}&file_name=${encodeURIComponent(fileName)}`;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/octet-stream' }, body: file });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  const parsed = (await response.json().catch(() => null)) as (ImportView & { error?: never }) | { error?: { code?: string; message?: string; fields?: FieldErrorBody[] } } | null;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; fields?: FieldErrorBody[] } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? '', error?.fields ?? []);
  }
  return parsed as ImportView;
}

export function fetchImport(id: string): Promise<ImportView> {
  return api<ImportView>('GET', `/imports/${encodeURIComponent(id)}`);
}

export function startDryRun(id: string, mapping: Mapping): Promise<ImportView> {
  return api<ImportView>('POST', `/imports/${encodeURIComponent(id)}/dry-run`, { mapping });
}

export function startImport(id: string, mapping: Mapping): Promise<ImportView> {
  return api<ImportView>('POST', `/imports/${encodeURIComponent(id)}/run`, { mapping });
}

export function fetchRows(id: string, outcome: RowOutcome, offset: number, limit: number): Promise<ImportRows> {
  return api<ImportRows>('GET', `/imports/${encodeURIComponent(id)}/rows?outcome=${outcome}&offset=${offset}&limit=${limit}`);
}

/** Downloads the row-by-row report of an import, in the user's language. */
export function downloadReport(id: string, format: 'csv' | 'xlsx'): Promise<void> {
  return download('GET', `/imports/${encodeURIComponent(id)}/report?format=${format}`, undefined, `sathi-import-report.${format}`);
}

export function fetchMappings(): Promise<SavedMapping[]> {
  return api<SavedMapping[]>('GET', '/import-mappings');
}

export function saveMapping(name: string, format: ImportFormat, mapping: Mapping): Promise<SavedMapping> {
  return api<SavedMapping>('POST', '/import-mappings', { name, format, mapping });
}

/** Fetches the users who may own new cases: the active users in the caller's `import` scope,
 * the same users the server accepts as a mapping's owner. */
export function fetchOwners(): Promise<Owner[]> {
  return api<Owner[]>('GET', '/import-owners');
}

/** Whether a state is one the server is still working in. */
export function isRunning(state: ImportState): boolean {
  return state === 'dry_run_running' || state === 'running';
}
