// Sends the outbox to the server and downloads the caseload, whenever there is a connection.
//
// Every change is first sealed into the vault with its outbox entry (see saveCase below), so
// sending can fail, stop or be retried at any point without losing anything. Entries go out in
// the order they were made. A download never overwrites a case that still has unsent changes:
// the server's version is taken and this device's pending changes are applied on top of it.

import { signal } from '@preact/signals';
import { api, ApiError, NetworkError } from './api';
import { scopeOf, type Configuration } from './domain/config';
import type { CaseView, Change, LocalCase, OutboxEntry } from './model';
import { session, updateSession } from './session';
import type { Vault } from './vault/store';

export interface SyncState {
  online: boolean;
  working: boolean;
  pending: number;
  lastSync: number | null;
  /** The last failure, already in the user's language. */
  error: string | null;
  /** The server no longer accepts this device's session; changes wait for a new login. */
  sessionEnded: boolean;
}

export const syncState = signal<SyncState>({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  working: false,
  pending: 0,
  lastSync: null,
  error: null,
  sessionEnded: false,
});

/** The caseload on this device, newest change first, as summaries: each `data` holds only
 * LIST_FIELDS. `loadCase` reads a whole case from the vault. */
export const cases = signal<LocalCase[]>([]);

const CASE_PREFIX = 'case:';
/** The vault record with the summaries of all cases, so unlocking decrypts one record instead
 * of every case (the demo's 5,000 cases are about 30 MB of JSON). It is written in the same
 * transaction as every change to a case. */
const INDEX_KEY = 'case-index';
/** The fields of `data` that the case list shows, searches and sorts by. */
const LIST_FIELDS = [
  'name_first',
  'name_middle',
  'name_last',
  'name_nickname',
  'name_other_spellings',
  'risk_level',
  'sex',
  'date_of_birth',
  'date_of_birth_estimated',
  'location_current',
  'registration_date',
];
const PAGE_SIZE = 200;
const MAX_BACKOFF_MS = 5 * 60_000;

let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoffMs = 2_000;
let running: Promise<void> | null = null;

function setSync(changes: Partial<SyncState>): void {
  syncState.value = { ...syncState.value, ...changes };
}

/** Loads the case list of the unlocked vault into memory. */
export async function loadLocalCases(): Promise<void> {
  const vault = session.value?.vault;
  if (!vault) return;
  cases.value = sortCases(await readIndex(vault));
  const meta = await vault.get<{ lastSync: number }>('sync');
  setSync({ pending: await vault.pendingCount(), lastSync: meta?.lastSync ?? null });
}

function sortCases(list: LocalCase[]): LocalCase[] {
  return [...list].sort((a, b) => {
    if (a.updated_at === b.updated_at) return 0;
    return a.updated_at < b.updated_at ? 1 : -1;
  });
}

/** Reads the whole case `id` from the vault. */
export async function loadCase(id: string): Promise<LocalCase | undefined> {
  const vault = session.value?.vault;
  return vault ? vault.get<LocalCase>(CASE_PREFIX + id) : undefined;
}

function summarize(record: LocalCase): LocalCase {
  const data: Record<string, unknown> = {};
  for (const field of LIST_FIELDS) {
    if (field in record.data) data[field] = record.data[field];
  }
  return { ...record, data, calculated: {} };
}

/** Reads the case list from the index. A missing index, or one that names other cases than the
 * vault contains (a vault written before the index existed), is rebuilt from the cases themselves. */
async function readIndex(vault: Vault): Promise<LocalCase[]> {
  const [index, keys] = await Promise.all([vault.get<LocalCase[]>(INDEX_KEY), vault.keys(CASE_PREFIX)]);
  const ids = new Set(keys.map((key) => key.slice(CASE_PREFIX.length)));
  if (index && index.length === ids.size && index.every((summary) => ids.has(summary.id))) return index;
  const summaries = (await vault.all<LocalCase>(CASE_PREFIX)).map(summarize);
  await vault.put(INDEX_KEY, summaries);
  return summaries;
}

/** Returns the case list with `next`, a whole case, in place of its earlier version. */
function withCase(next: LocalCase): LocalCase[] {
  return sortCases([summarize(next), ...cases.value.filter((existing) => existing.id !== next.id)]);
}

let caseWrites: Promise<unknown> = Promise.resolve();

/** Runs writes of cases one at a time, so each index written contains every earlier change. */
function serialized<T>(write: () => Promise<T>): Promise<T> {
  const result = caseWrites.then(write);
  caseWrites = result.catch(() => undefined);
  return result;
}

/** Writes a whole case and the index that lists it in one transaction, then shows it. */
function storeCase(vault: Vault, local: LocalCase): Promise<void> {
  return serialized(async () => {
    const list = withCase(local);
    await vault.putMany([
      [CASE_PREFIX + local.id, local],
      [INDEX_KEY, list],
    ]);
    cases.value = list;
  });
}

/** Saves a new case on the device and queues it for the server. */
export async function createCaseLocally(id: string, data: Record<string, unknown>): Promise<LocalCase> {
  const vault = requireVault();
  const now = new Date().toISOString();
  const user = session.value!.user;
  const local: LocalCase = {
    id,
    display_id: '',
    version: 0,
    status: 'open',
    stage: 'new',
    enabled: true,
    owner_id: user.id,
    owner_agency_id: user.agency_id,
    created_by: user.id,
    created_at: now,
    updated_at: now,
    data,
    calculated: {},
    pending: 1,
  };
  const entry: OutboxEntry = { kind: 'create', data };
  await serialized(async () => {
    const list = withCase(local);
    await vault.saveWithOutbox(CASE_PREFIX + id, local, id, entry, [[INDEX_KEY, list]]);
    cases.value = list;
  });
  setSync({ pending: syncState.value.pending + 1 });
  void syncNow();
  return local;
}

/** Saves field changes of a case on the device and queues them for the server. */
export async function updateCaseLocally(current: LocalCase, data: Record<string, unknown>, changes: Change[]): Promise<LocalCase> {
  const vault = requireVault();
  const local: LocalCase = { ...current, data, updated_at: new Date().toISOString(), pending: current.pending + 1 };
  const entry: OutboxEntry = { kind: 'update', changes };
  await serialized(async () => {
    const list = withCase(local);
    await vault.saveWithOutbox(CASE_PREFIX + current.id, local, current.id, entry, [[INDEX_KEY, list]]);
    cases.value = list;
  });
  setSync({ pending: syncState.value.pending + 1 });
  void syncNow();
  return local;
}

function requireVault() {
  const vault = session.value?.vault;
  if (!vault) throw new Error('the vault is locked');
  return vault;
}

/** Sends everything pending, then downloads. Runs once at a time; safe to call often. */
export function syncNow(): Promise<void> {
  if (!running) {
    running = runSync().finally(() => {
      running = null;
    });
  }
  return running;
}

async function runSync(): Promise<void> {
  const current = session.value;
  if (!current) return;
  clearTimeout(retryTimer);
  setSync({ working: true });
  try {
    if (!current.serverSession) {
      // Logged in offline: the server has not seen a password in this session yet.
      await api('GET', '/me');
      updateSession({ serverSession: true });
    }
    await sendOutbox();
    await download();
    const lastSync = Date.now();
    await current.vault.put('sync', { lastSync });
    backoffMs = 2_000;
    setSync({ online: true, error: null, lastSync, sessionEnded: false, pending: await current.vault.pendingCount() });
  } catch (error) {
    if (error instanceof NetworkError) {
      setSync({ online: false });
      scheduleRetry();
    } else if (error instanceof ApiError && error.status === 401) {
      setSync({ online: true, sessionEnded: true });
    } else {
      setSync({ error: error instanceof Error ? error.message : String(error) });
      scheduleRetry();
    }
  } finally {
    setSync({ working: false });
  }
}

function scheduleRetry(): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void syncNow(), backoffMs);
  backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
}

async function sendOutbox(): Promise<void> {
  const vault = requireVault();
  const entries = await vault.outbox<OutboxEntry>();
  const blocked = new Set<string>();
  for (const entry of entries) {
    // Later changes of a case wait behind a rejected one, so they apply in order.
    if (entry.state === 'failed' || blocked.has(entry.caseId)) {
      blocked.add(entry.caseId);
      continue;
    }
    try {
      const view =
        entry.kind === 'create'
          ? await api<CaseView>('POST', '/cases', { id: entry.caseId, data: entry.data })
          : await api<CaseView>('PATCH', `/cases/${entry.caseId}`, { changes: entry.changes });
      await vault.removeOutbox(entry.seq);
      await storeServerView(view);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401 || error.status >= 500) throw error;
      // The server rejected this change: keep it, marked, for the user to see and correct.
      const detail = [error.message, ...error.fields.map((field) => `${field.path}: ${field.message}`)].join(' ');
      const { seq, caseId, state, ...kept } = entry;
      void state;
      await vault.markOutboxFailed(seq, { ...kept, error: detail });
      blocked.add(caseId);
      await serialized(async () => {
        const stored = await vault.get<LocalCase>(CASE_PREFIX + caseId);
        if (!stored) return;
        const marked = { ...stored, sendError: detail };
        const list = withCase(marked);
        await vault.putMany([
          [CASE_PREFIX + caseId, marked],
          [INDEX_KEY, list],
        ]);
        cases.value = list;
      });
    }
    setSync({ pending: await vault.pendingCount() });
  }
}

/**
 * Throws away this device's unsent changes of a case after the server rejected one of them, so
 * the case stops waiting behind it. The server's version comes back at the next download; a
 * case the server never accepted leaves the device.
 */
export async function discardUnsent(caseId: string): Promise<void> {
  const vault = requireVault();
  await vault.removeOutboxOf(caseId);
  const stored = await vault.get<LocalCase>(CASE_PREFIX + caseId);
  await serialized(async () => {
    const others = cases.value.filter((existing) => existing.id !== caseId);
    if (!stored || stored.version === 0) {
      await vault.putMany([[INDEX_KEY, others]], [CASE_PREFIX + caseId]);
      cases.value = others;
      return;
    }
    const cleared = { ...stored, pending: 0, sendError: undefined };
    const list = sortCases([summarize(cleared), ...others]);
    await vault.putMany([
      [CASE_PREFIX + caseId, cleared],
      [INDEX_KEY, list],
    ]);
    cases.value = list;
  });
  setSync({ pending: await vault.pendingCount() });
  void syncNow();
}

type PendingEntry = OutboxEntry & { caseId: string };

/** Returns a case as the server returned it, with this device's still-pending changes on top. */
function rebase(view: CaseView, pendingEntries: PendingEntry[]): LocalCase {
  let data = view.data;
  for (const entry of pendingEntries) {
    data = entry.kind === 'create' ? { ...data, ...entry.data } : applyChanges(data, entry.changes);
  }
  const failed = pendingEntries.find((entry) => entry.error);
  return { ...view, data, pending: pendingEntries.length, sendError: failed?.error };
}

async function storeServerView(view: CaseView): Promise<void> {
  const vault = requireVault();
  const pendingEntries = (await vault.outbox<OutboxEntry>()).filter((entry) => entry.caseId === view.id);
  await storeCase(vault, rebase(view, pendingEntries));
}

async function download(): Promise<void> {
  const current = session.value!;
  const vault = current.vault;
  const config = await api<{ version: number; configuration: Configuration }>('GET', '/config');
  if (config.version !== current.configVersion) {
    await vault.put('config', config);
    updateSession({ configuration: config.configuration, configVersion: config.version });
  }
  // Roles without a read grant (aggregate figures only) keep no case records on the device.
  const role = config.configuration.roles.find((entry) => entry.id === current.user.role_id);
  if (!role || scopeOf(role, 'read') === null) return;

  const pending = new Map<string, PendingEntry[]>();
  for (const entry of await vault.outbox<OutboxEntry>()) {
    pending.set(entry.caseId, [...(pending.get(entry.caseId) ?? []), entry]);
  }
  const downloaded = new Set<string>();
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await api<{ total: number; cases: CaseView[] }>('GET', `/caseload?offset=${offset}&limit=${PAGE_SIZE}`);
    const locals = page.cases.map((view) => rebase(view, pending.get(view.id) ?? []));
    await serialized(async () => {
      const pageIds = new Set(locals.map((local) => local.id));
      const list = sortCases([...locals.map(summarize), ...cases.value.filter((existing) => !pageIds.has(existing.id))]);
      await vault.putMany([...locals.map((local): [string, unknown] => [CASE_PREFIX + local.id, local]), [INDEX_KEY, list]]);
      cases.value = list;
    });
    for (const local of locals) downloaded.add(local.id);
    if (page.cases.length < PAGE_SIZE) break;
  }

  // A case the user may no longer see leaves the device, unless it has unsent changes. The
  // outbox is read again, because a case created during the download is in it now.
  await serialized(async () => {
    const unsent = new Set((await vault.outbox<OutboxEntry>()).map((entry) => entry.caseId));
    const gone = cases.value.filter((local) => !downloaded.has(local.id) && !unsent.has(local.id));
    if (gone.length === 0) return;
    const goneIds = new Set(gone.map((local) => local.id));
    const list = cases.value.filter((local) => !goneIds.has(local.id));
    await vault.putMany([[INDEX_KEY, list]], gone.map((local) => CASE_PREFIX + local.id));
    cases.value = list;
  });
}

/** Applies field-path changes to record data: `field`, `subform/<row id>`, `subform/<row id>/field`. */
export function applyChanges(data: Record<string, unknown>, changes: Change[]): Record<string, unknown> {
  const next: Record<string, unknown> = structuredClone(data);
  for (const change of changes) {
    const [fieldId, rowId, rowField] = change.path.split('/');
    if (rowId === undefined) {
      if (change.value === null) delete next[fieldId];
      else next[fieldId] = change.value;
      continue;
    }
    const rows = Array.isArray(next[fieldId]) ? [...(next[fieldId] as Record<string, unknown>[])] : [];
    const index = rows.findIndex((row) => row.unique_id === rowId);
    // Only adding a row may target a row that does not exist. Other changes to a missing row
    // are dropped, so no empty list appears in a subform the record never had.
    if (index < 0 && (rowField !== undefined || change.value === null)) continue;
    if (rowField === undefined) {
      if (change.value === null) {
        if (index >= 0) rows.splice(index, 1);
      } else if (index >= 0) {
        rows[index] = { ...(change.value as Record<string, unknown>), unique_id: rowId };
      } else {
        rows.push({ ...(change.value as Record<string, unknown>), unique_id: rowId });
      }
    } else if (index >= 0) {
      const row = { ...rows[index] };
      if (change.value === null) delete row[rowField];
      else row[rowField] = change.value;
      rows[index] = row;
    }
    next[fieldId] = rows;
  }
  return next;
}

/** Drops the decrypted caseload and the sync state from memory when the vault locks, so the
 * next user of the phone cannot read them, not even before their own caseload has loaded. */
export function clearLocalState(): void {
  clearTimeout(retryTimer);
  cases.value = [];
  syncState.value = { online: navigator.onLine, working: false, pending: 0, lastSync: null, error: null, sessionEnded: false };
}

/** Starts syncing on connection changes and every minute while the app is open. */
export function startBackgroundSync(): () => void {
  const onOnline = () => {
    setSync({ online: true });
    void syncNow();
  };
  const onOffline = () => setSync({ online: false });
  // The connection may have changed on the login screen, while no listener was attached.
  setSync({ online: navigator.onLine });
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const timer = setInterval(() => {
    if (navigator.onLine) void syncNow();
  }, 60_000);
  return () => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(timer);
  };
}
