// The import screen, the export panel, "My exports" and the case PDF button, against a fake of
// the server's import and export endpoints. The tests cover the column choosers with the
// suggested mapping, the dry run's progress, counts and rejected rows in Bangla, and the import.
// They cover the export request with the list's filter and a password, the list of exports, and
// the PDF in the screen's language. Each screen needs a connection and says so offline.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { CasePdf } from '../src/components/CasePdf';
import { ExportPanel } from '../src/components/ExportPanel';
import { MainNav } from '../src/components/MainNav';
import type { ExportView } from '../src/exportsApi';
import { locale, t } from '../src/i18n';
import type { ImportRow, ImportView, Mapping } from '../src/importsApi';
import type { LocalCase, UserView } from '../src/model';
import { exportFilter } from '../src/screens/CaseList';
import { ServerCaseList } from '../src/screens/ServerCaseList';
import { fieldChoices, Import, mapColumn, sameMapping } from '../src/screens/Import';
import { MyExports, sizeText } from '../src/screens/MyExports';
import { session } from '../src/session';
import { clearLocalState, syncState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const ADMIN: UserView = {
  id: '0190a1b2-0000-7000-8000-0000000000a1',
  username: 'admin.mizan',
  full_name: 'Mizanur Rahman',
  agency_id: 'bcri',
  role_id: 'agency_admin',
  locale: 'bn',
  disabled: false,
};

const SUGGESTED: Mapping = {
  date_format: 'dd/mm/yyyy',
  columns: [
    { column: 'নাম', field: 'name_first' },
    { column: 'জন্ম তারিখ', field: 'date_of_birth' },
  ],
  case_id_column: null,
  external_id_column: 'case_ref',
  owner: null,
  owner_column: null,
  incumbent: null,
};

function importView(state: ImportView['state'], extra: Partial<ImportView> = {}): ImportView {
  return {
    id: 'imp-1',
    file_name: 'caseload-2024.csv',
    format: 'csv',
    state,
    created_at: '2026-12-05T03:00:00Z',
    created_by: ADMIN.id,
    columns: ['case_ref', 'নাম', 'জন্ম তারিখ', 'লিঙ্গ'],
    sample: [['R-1', 'রহিমা', '০৩/০৪/২০১৫', 'মেয়ে']],
    suggested_mapping: SUGGESTED,
    mapping: null,
    progress: { rows_done: 0, rows_total: 2000 },
    summary: null,
    dry_run_summary: null,
    error: null,
    ...extra,
  };
}

const REJECTED: ImportRow[] = [
  {
    row: 12,
    outcome: 'rejected',
    case_id: null,
    display_id: null,
    external_id: 'R-12',
    errors: [{ column: 'জন্ম তারিখ', field: 'date_of_birth', code: 'impossible_date', message: 'এই তারিখটি ক্যালেন্ডারে নেই।' }],
  },
];

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Stubs fetch with a fake of the import endpoints, where the dry run and the import each finish at
 * the first poll, and returns the calls it receives. Like the server, the fake starts an import
 * only after a finished dry run. With `ranElsewhere`, another tab imports the file just before
 * this screen's first request to import. */
function serveImports({ ranElsewhere = false } = {}): Call[] {
  const calls: Call[] = [];
  let current = importView('uploaded');
  let otherTabPending = ranElsewhere;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    calls.push({ method, path: String(input), body });
    const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status });
    const path = String(input);
    if (method === 'POST' && path.startsWith('/api/v1/imports?')) return json(current, 201);
    if (method === 'GET' && path === '/api/v1/import-owners') {
      return json([
        { id: 'u2', username: 'admin.mizan', full_name: 'Mizanur Rahman', role_id: 'agency_admin' },
        { id: 'u1', username: 'cw.rahima', full_name: 'Rahima Akter', role_id: 'caseworker' },
      ]);
    }
    if (method === 'GET' && path === '/api/v1/import-mappings') return json([]);
    if (method === 'POST' && path === '/api/v1/imports/imp-1/dry-run') {
      current = importView('dry_run_running', { mapping: (body as { mapping: Mapping }).mapping, progress: { rows_done: 500, rows_total: 2000 } });
      return json(current, 202);
    }
    if (method === 'POST' && path === '/api/v1/imports/imp-1/run') {
      if (otherTabPending) {
        otherTabPending = false;
        current = { ...current, state: 'done', summary: { created: 1985, updated: 0, unchanged: 0, rejected: 15 } };
      }
      if (current.state !== 'dry_run_done') {
        return json({ error: { code: 'import_needs_dry_run', message: 'আগে এই ম্যাপিং দিয়ে ফাইলটি যাচাই করুন (ড্রাই রান), তারপর ইমপোর্ট করুন।' } }, 409);
      }
      current = { ...current, state: 'running', progress: { rows_done: 0, rows_total: 2000 } };
      return json(current, 202);
    }
    if (method === 'GET' && path === '/api/v1/imports/imp-1') {
      if (current.state === 'dry_run_running') {
        current = { ...current, state: 'dry_run_done', progress: { rows_done: 2000, rows_total: 2000 }, dry_run_summary: { created: 1985, updated: 0, unchanged: 0, rejected: 15 } };
      } else if (current.state === 'running') {
        current = { ...current, state: 'done', progress: { rows_done: 2000, rows_total: 2000 }, summary: { created: 1985, updated: 0, unchanged: 0, rejected: 15 } };
      }
      return json(current);
    }
    if (method === 'GET' && path.startsWith('/api/v1/imports/imp-1/rows?outcome=rejected')) return json({ rows: REJECTED, total: 15 });
    return new Response('', { status: 404 });
  });
  return calls;
}

function loginAs(user: UserView) {
  session.value = {
    user,
    vault: { outbox: async () => [], putMany: async () => undefined, keys: async () => [], all: async () => [] } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
}

beforeEach(() => {
  locale.value = 'bn';
  loginAs(ADMIN);
  syncState.value = { ...syncState.value, online: true };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

/** Chooses `file` in the import screen's file input and uploads it. */
async function upload(file: File) {
  const input = screen.getByTestId('import-file-input') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
  fireEvent.click(screen.getByTestId('import-upload'));
  await waitFor(() => expect(screen.getByTestId('import-mapping')).toBeTruthy());
}

describe('Import', () => {
  test('suggested mapping preselected', async () => {
    serveImports();
    render(<Import />);
    await upload(new File(['case_ref,নাম\n'], 'caseload-2024.csv', { type: 'text/csv' }));
    const choosers = screen.getAllByTestId('import-column-field') as HTMLSelectElement[];
    const chosen = Object.fromEntries(choosers.map((select) => [select.dataset.column, select.value]));
    expect(chosen).toEqual({ case_ref: '', নাম: 'name_first', 'জন্ম তারিখ': 'date_of_birth', লিঙ্গ: '' });
    expect((screen.getByTestId('import-date-format') as HTMLSelectElement).value).toBe('dd/mm/yyyy');
    expect((document.getElementById('import-external-id') as HTMLSelectElement).value).toBe('case_ref');
    // The sample keeps the file's own digits.
    expect(screen.getByText('যেমন: ০৩/০৪/২০১৫')).toBeTruthy();
  });

  test('owners exclude roles without cases', async () => {
    const calls = serveImports();
    render(<Import />);
    await upload(new File(['x'], 'caseload-2024.csv'));
    await waitFor(() => expect(within(screen.getByTestId('import-owner')).getAllByRole('option')).toHaveLength(2));
    const owners = within(screen.getByTestId('import-owner')).getAllByRole('option').map((option) => option.textContent);
    expect(owners).toEqual([t('import-owner-choose'), 'Rahima Akter (cw.rahima)']);
    const userLists = calls.filter((call) => call.path.startsWith('/api/v1/users')).map((call) => call.path);
    expect(userLists).toEqual([]);
  });

  test('dry run then import', async () => {
    const calls = serveImports();
    render(<Import />);
    await upload(new File(['x'], 'caseload-2024.csv'));
    const uploadCall = calls.find((call) => call.method === 'POST' && call.path.startsWith('/api/v1/imports?'));
    expect(uploadCall?.path).toBe('/api/v1/imports?format=csv&file_name=caseload-2024.csv');

    fireEvent.change(screen.getAllByTestId('import-column-field')[3], { target: { value: 'sex' } });
    await waitFor(() => expect(screen.getByTestId('import-owner').querySelectorAll('option')).toHaveLength(2));
    fireEvent.change(screen.getByTestId('import-owner'), { target: { value: 'cw.rahima' } });
    fireEvent.click(screen.getByTestId('import-dry-run'));
    await waitFor(() => expect(screen.getByTestId('import-progress').textContent).toContain('২,০০০টি সারির মধ্যে ৫০০টি'));

    const dryRun = calls.find((call) => call.path === '/api/v1/imports/imp-1/dry-run');
    const sent = (dryRun?.body as { mapping: Mapping }).mapping;
    expect(sent.owner).toBe('cw.rahima');
    expect(sent.columns).toContainEqual({ column: 'লিঙ্গ', field: 'sex' });

    await waitFor(() => expect(screen.getByTestId('import-dry-run-results')).toBeTruthy(), { timeout: 3000 });
    expect(screen.getByTestId('import-count-created').textContent).toBe('১৯৮৫');
    expect(screen.getByTestId('import-count-rejected').textContent).toBe('১৫');
    await waitFor(() => expect(screen.getByTestId('import-rejected')).toBeTruthy());
    const row = screen.getByTestId('import-rejected').querySelector('tbody tr')!;
    expect(row.querySelector('th')!.textContent).toBe('১২');
    expect(row.querySelector('td')!.textContent).toBe('জন্ম তারিখ কলাম: এই তারিখটি ক্যালেন্ডারে নেই।');
    expect(screen.getByText(/১৫টি বাতিল সারির মধ্যে ১টি/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('import-run'));
    await waitFor(() => expect(screen.getByTestId('import-summary')).toBeTruthy(), { timeout: 3000 });
    expect(screen.getByTestId('import-count-created').textContent).toBe('১৯৮৫');
    const run = calls.find((call) => call.path === '/api/v1/imports/imp-1/run');
    expect((run?.body as { mapping: Mapping }).mapping).toEqual(sent);
  });

  test('changed mapping needs a new check', async () => {
    serveImports();
    render(<Import />);
    await upload(new File(['x'], 'caseload-2024.csv'));
    fireEvent.click(screen.getByTestId('import-dry-run'));
    await waitFor(() => expect(screen.getByTestId('import-dry-run-results')).toBeTruthy(), { timeout: 3000 });
    expect((screen.getByTestId('import-run') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.change(screen.getAllByTestId('import-column-field')[3], { target: { value: 'sex' } });
    expect((screen.getByTestId('import-run') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(t('import-mapping-changed'))).toBeTruthy();
  });

  test('finished import needs a new check', async () => {
    const calls = serveImports();
    render(<Import />);
    await upload(new File(['x'], 'caseload-2024.csv'));
    fireEvent.click(screen.getByTestId('import-dry-run'));
    await waitFor(() => expect(screen.getByTestId('import-run')).toBeTruthy(), { timeout: 3000 });
    fireEvent.click(screen.getByTestId('import-run'));
    await waitFor(() => expect(screen.getByTestId('import-summary')).toBeTruthy(), { timeout: 3000 });
    expect(screen.queryByTestId('import-run')).toBeNull();

    fireEvent.click(screen.getByTestId('import-dry-run'));
    await waitFor(() => expect(screen.getByTestId('import-run')).toBeTruthy(), { timeout: 3000 });
    const dryRuns = calls.filter((call) => call.path === '/api/v1/imports/imp-1/dry-run');
    expect(dryRuns).toHaveLength(2);
    expect(dryRuns[1].body).toEqual(dryRuns[0].body);
  });

  test('import run elsewhere shows the summary', async () => {
    serveImports({ ranElsewhere: true });
    render(<Import />);
    await upload(new File(['x'], 'caseload-2024.csv'));
    fireEvent.click(screen.getByTestId('import-dry-run'));
    await waitFor(() => expect(screen.getByTestId('import-run')).toBeTruthy(), { timeout: 3000 });
    fireEvent.click(screen.getByTestId('import-run'));
    await waitFor(() => expect(screen.getByTestId('import-summary')).toBeTruthy(), { timeout: 3000 });
    expect(screen.queryByTestId('import-run')).toBeNull();
    expect(screen.getByTestId('import-error').textContent).toBe('আগে এই ম্যাপিং দিয়ে ফাইলটি যাচাই করুন (ড্রাই রান), তারপর ইমপোর্ট করুন।');
  });

  test('offline disables upload', () => {
    syncState.value = { ...syncState.value, online: false };
    render(<Import />);
    expect(screen.getByText(t('import-offline'))).toBeTruthy();
    expect((screen.getByTestId('import-upload') as HTMLButtonElement).disabled).toBe(true);
  });

  test('field labels follow the language', () => {
    const config = loadConfiguration();
    locale.value = 'en';
    const english = fieldChoices(config).flatMap((group) => group.fields);
    expect(english.find((field) => field.id === 'name_first')?.text).toBe('First name');
    locale.value = 'bn';
    const bangla = fieldChoices(config).flatMap((group) => group.fields);
    expect(bangla.find((field) => field.id === 'name_first')?.text).not.toBe('First name');
    expect(bangla.some((field) => field.id === 'display_id')).toBe(false);
  });

  test('mapColumn replaces and removes', () => {
    const moved = mapColumn(SUGGESTED, 'নাম', 'name_last');
    expect(moved.columns).toContainEqual({ column: 'নাম', field: 'name_last' });
    expect(moved.columns.filter((entry) => entry.column === 'নাম')).toHaveLength(1);
    expect(mapColumn(SUGGESTED, 'নাম', '').columns).toEqual([{ column: 'জন্ম তারিখ', field: 'date_of_birth' }]);
    expect(sameMapping(SUGGESTED, { ...SUGGESTED })).toBe(true);
  });
});

describe('MainNav', () => {
  test('import tab only with the grant', () => {
    const { unmount } = render(<MainNav canCreate={false} canResolve={false} canReview={false} hasTasks={false} canImport />);
    expect(screen.getByTestId('nav-import')).toBeTruthy();
    unmount();
    render(<MainNav canCreate={false} canResolve={false} canReview={false} hasTasks={false} />);
    expect(screen.queryByTestId('nav-import')).toBeNull();
  });
});

const EXPORTS: ExportView[] = [
  {
    id: 'exp-2',
    format: 'xlsx',
    state: 'ready',
    file_name: 'sathi-cases-2026-12-05.xlsx',
    size: 1_572_864,
    rows: 24,
    created_at: '2026-12-05T03:00:00Z',
    expires_at: '2026-12-06T03:00:00Z',
    password_protected: false,
    error: null,
  },
  {
    id: 'exp-1',
    format: 'csv',
    state: 'running',
    file_name: 'sathi-cases-2026-12-05.zip',
    size: null,
    rows: null,
    created_at: '2026-12-05T02:00:00Z',
    expires_at: '2026-12-06T02:00:00Z',
    password_protected: true,
    error: null,
  },
];

function serveExports(): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, path: String(input), body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
    if (method === 'POST' && input === '/api/v1/exports') return new Response(JSON.stringify(EXPORTS[1]), { status: 202 });
    if (method === 'GET' && input === '/api/v1/exports') return new Response(JSON.stringify(EXPORTS), { status: 200 });
    if (method === 'GET' && String(input).endsWith('/pdf?lang=bn')) return new Response('%PDF-1.7', { status: 200, headers: { 'content-disposition': 'attachment; filename="CXB-000001.pdf"' } });
    return new Response('', { status: 404 });
  });
  return calls;
}

describe('ExportPanel', () => {
  test('sends format, filter and password', async () => {
    const calls = serveExports();
    render(<ExportPanel filter={{ status: 'open', risk_level: 'high' }} />);
    fireEvent.click(screen.getByTestId('export-open'));
    fireEvent.click(screen.getByTestId('export-format-csv'));
    fireEvent.click(screen.getByTestId('export-protect'));
    fireEvent.input(screen.getByTestId('export-password'), { target: { value: 'short' } });
    expect((screen.getByTestId('export-create') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId('export-password'), { target: { value: 'a long secret' } });
    fireEvent.click(screen.getByTestId('export-create'));
    await waitFor(() => expect(screen.getByTestId('export-started')).toBeTruthy());
    const request = calls.find((call) => call.method === 'POST');
    expect(request?.body).toEqual({ format: 'csv', filter: { status: 'open', risk_level: 'high' }, password: 'a long secret' });
  });

  test('offline says so', () => {
    serveExports();
    syncState.value = { ...syncState.value, online: false };
    render(<ExportPanel filter={{}} />);
    fireEvent.click(screen.getByTestId('export-open'));
    expect(screen.getByText(t('export-offline'))).toBeTruthy();
    expect((screen.getByTestId('export-create') as HTMLButtonElement).disabled).toBe(true);
  });

  test('server list exports its filter', async () => {
    const calls = serveExports();
    vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
      if (String(input).startsWith('/api/v1/cases?')) return new Response(JSON.stringify({ cases: [], total: 0 }), { status: 200 });
      calls.push({ method: init.method ?? 'GET', path: String(input), body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      return new Response(JSON.stringify(EXPORTS[1]), { status: 202 });
    });
    render(<ServerCaseList params={{ risk_level: 'high' }} />);
    fireEvent.click(screen.getByTestId('export-open'));
    fireEvent.click(screen.getByTestId('export-create'));
    await waitFor(() => expect(screen.getByTestId('export-started')).toBeTruthy());
    expect(calls.find((call) => call.path === '/api/v1/exports')?.body).toEqual({ format: 'xlsx', filter: { status: 'open', risk_level: 'high' }, password: null });
  });

  test('filter carries the search', () => {
    expect(exportFilter({ status: 'open', risk_level: 'high' }, ' রহিমা ')).toEqual({ status: 'open', risk_level: 'high', q: 'রহিমা' });
  });
});

describe('MyExports', () => {
  test('lists state, size and download', async () => {
    serveExports();
    render(<MyExports />);
    await waitFor(() => expect(screen.getAllByTestId('export-item')).toHaveLength(2));
    const [ready, running] = screen.getAllByTestId('export-item');
    expect(ready.textContent).toContain('প্রস্তুত');
    expect(ready.textContent).toContain('২৪টি কেস');
    expect(ready.textContent).toContain('১.৫ এমবি');
    expect(within(ready).getByTestId('export-download')).toBeTruthy();
    expect(running.textContent).toContain('তৈরি হচ্ছে');
    expect(running.textContent).toContain('পাসওয়ার্ড দিয়ে সুরক্ষিত');
    expect(within(running).queryByTestId('export-download')).toBeNull();
  });

  test('sizes in English', () => {
    locale.value = 'en';
    expect(sizeText(2048)).toBe('2.0 KB');
    expect(sizeText(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});

const RECORD: LocalCase = {
  id: '3f0c9d2e-0001-4c1a-9a11-000000001001',
  display_id: 'CXB-000001',
  version: 2,
  status: 'open',
  stage: 'new',
  enabled: true,
  owner_id: ADMIN.id,
  owner_agency_id: 'bcri',
  created_by: ADMIN.id,
  created_at: '2024-05-10T03:00:00Z',
  updated_at: '2024-05-10T03:00:00Z',
  data: {},
  calculated: {},
  conflicts: [],
  pending: 0,
};

describe('CasePdf', () => {
  test('asks in the screen language', async () => {
    const calls = serveExports();
    URL.createObjectURL = () => 'blob:pdf';
    URL.revokeObjectURL = () => undefined;
    render(<CasePdf record={RECORD} />);
    fireEvent.click(screen.getByTestId('case-pdf'));
    await waitFor(() => expect(calls.some((call) => call.path === `/api/v1/cases/${RECORD.id}/pdf?lang=bn`)).toBe(true));
  });

  test('offline and unsent cases wait', () => {
    syncState.value = { ...syncState.value, online: false };
    const { unmount } = render(<CasePdf record={RECORD} />);
    expect((screen.getByTestId('case-pdf') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(t('case-pdf-offline'))).toBeTruthy();
    unmount();
    syncState.value = { ...syncState.value, online: true };
    render(<CasePdf record={{ ...RECORD, version: 0 }} />);
    expect((screen.getByTestId('case-pdf') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(t('case-pdf-not-sent'))).toBeTruthy();
  });
});
