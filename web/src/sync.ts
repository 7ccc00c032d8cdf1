// Sends the outbox to the server and downloads changed cases, whenever there is a connection,
// with the protocol of docs/sync.md: one `POST /api/v1/sync` exchange sends pending mutations and
// returns their results and a page of changed cases.
//
// Every change is first sealed into the vault with its outbox entry (see `saveLocally`), so
// sending can fail, stop or be retried at any point without losing anything: a mutation sent
// again has the same `mutation_id`, and the server returns its first result. A download never
// overwrites a case that still has unsent changes: the server's version is taken and this device's
// pending changes are applied on top of it. The cursor is stored with each page, so a broken
// first download resumes where it stopped.

import { signal } from '@preact/signals';
import { clearActionState, connectActions, loadActions, refreshServerLists, sendActions } from './actions';
import { api, ApiError, NetworkError, onAccountDisabled } from './api';
import { deleteAttachmentsOf, pendingAttachmentCount, uploadPendingAttachments } from './attachments';
import type { Configuration } from './domain/config';
import { dueItems, stageOf, workflowRules } from './domain/due';
import type { CaseSyncState, CaseView, Change, LocalCase, NotSentEntry, OutboxChange, OutboxEntry } from './model';
import { endSession, session, updateSession, type LoginNotice } from './session';
import type { OutboxItem, Vault } from './vault/store';
import { errorText } from './errors';

export interface SyncState {
  /** The browser has a network connection (`navigator.onLine`). */
  online: boolean;
  /** The last request got no response although the browser is online, so a retry is due. */
  unreachable: boolean;
  working: boolean;
  pending: number;
  lastSync: number | null;
  /** The last failure, already in the user's language. */
  error: string | null;
  /** The server no longer accepts this device's session; changes wait for a new login. */
  sessionEnded: boolean;
  /** Progress of a download of more than one page: cases received in this sync, and the total. */
  download: { done: number; total: number } | null;
  /** A download of more than one page that stopped before its last page, until a sync completes it. */
  incomplete: { done: number; total: number } | null;
  /** Attachments in the vault that the server has not verified yet. */
  attachments: number;
}

const INITIAL_STATE: SyncState = {
  online: true,
  unreachable: false,
  working: false,
  pending: 0,
  lastSync: null,
  error: null,
  sessionEnded: false,
  download: null,
  incomplete: null,
  attachments: 0,
};

export const syncState = signal<SyncState>({ ...INITIAL_STATE, online: typeof navigator === 'undefined' ? true : navigator.onLine });

/** The caseload on this device, newest change first, as summaries: each `data` holds only
 * LIST_FIELDS. `loadCase` reads a whole case from the vault. */
export const cases = signal<LocalCase[]>([]);

/** Changes the server rejected, until the user dismisses them. */
export const notSent = signal<NotSentEntry[]>([]);

const CASE_PREFIX = 'case:';
/** The vault record with the summaries of all cases, so unlocking decrypts one record instead
 * of every case (the demo's 5,000 cases are about 30 MB of JSON). It is written in the same
 * transaction as every change to a case. */
const INDEX_KEY = 'case-index';
/** The workflow rules (JSON) the due items of the index were computed with. */
const INDEX_RULES_KEY = 'case-index-rules';
/** The opaque download position of the last page stored. */
const CURSOR_KEY = 'sync-cursor';
const NOT_SENT_KEY = 'not-sent';
/** The progress of a download that stopped before its last page: `{ done, total }` cases. */
const PROGRESS_KEY = 'download-progress';
/** The fields of `data` that the case list shows, searches, sorts and filters by (caseFilter.ts),
 * and that the dashboard counts. */
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
  'protection_concerns',
  'closure_date',
  'assessment_completed_on',
  'case_plan_approved_on',
];
/** Mutations per request; the server accepts at most 200. */
export const MAX_MUTATIONS = 200;
/** Cases per download page; the server accepts 1 to 500. */
export const PAGE_LIMIT = 100;
/** Ids per `POST /sync/records` request, the server's maximum. */
const MAX_RECORD_IDS = 200;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 5 * 60_000;

let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoffMs = FIRST_BACKOFF_MS;
let running: Promise<void> | null = null;
/** Whether another sync should start as soon as the running one ends. */
let rerun = false;
/** `account_disabled` answers to requests other than `POST /sync` since the last good sync. */
let disabledAnswers = 0;
/** A withdrawal of unsent changes being written; a sync starts only after it. */
let withdrawal: Promise<void> | null = null;

function setSync(changes: Partial<SyncState>): void {
  syncState.value = { ...syncState.value, ...changes };
}

// ---------------------------------------------------------------------------------------------
// The wire format of docs/sync.md

interface WireMutation {
  mutation_id: string;
  seq: number;
  record_id: string;
  kind: 'create' | 'update' | 'void';
  base_version: number;
  changes?: Change[];
  data?: Record<string, unknown>;
  device_time: string;
}

interface SyncResult {
  mutation_id: string;
  seq: number;
  status: 'applied' | 'conflict' | 'rejected' | 'deferred';
  record_id?: string;
  version?: number;
  conflicts?: string[];
  error?: { code: string; message: string; fields?: { path: string; message: string }[] };
}

interface SyncResponse {
  results: SyncResult[];
  records: CaseView[];
  cursor: string | null;
  more: boolean;
  remaining: number;
  scope?: { digest: string; ids: string[] } | null;
  configuration?: { version: number; configuration: Configuration } | null;
  server_time?: string;
}

type PendingItem = OutboxItem<OutboxEntry>;

// ---------------------------------------------------------------------------------------------
// The case list in memory and in the vault

/** Loads the case list, the "not sent" list and the sync state of the unlocked vault into memory. */
export async function loadLocalCases(): Promise<void> {
  const vault = session.value?.vault;
  if (!vault) return;
  cases.value = sortCases(await readIndex(vault));
  notSent.value = (await vault.get<NotSentEntry[]>(NOT_SENT_KEY)) ?? [];
  await loadActions(vault);
  const meta = await vault.get<{ lastSync: number }>('sync');
  setSync({
    pending: await vault.pendingCount(),
    lastSync: meta?.lastSync ?? null,
    incomplete: (await vault.get<{ done: number; total: number }>(PROGRESS_KEY)) ?? null,
    attachments: await pendingAttachmentCount(vault),
  });
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

/** Returns the summary of whole case `record` for the list: the LIST_FIELDS of its data, and
 * its due items under the deployment's workflow rules, so the task list needs no whole case. */
function summarize(record: LocalCase): LocalCase {
  const data: Record<string, unknown> = {};
  for (const field of LIST_FIELDS) {
    if (field in record.data) data[field] = record.data[field];
  }
  return { ...record, data, calculated: {}, due: dueItems(record.data, record.status, currentRules()) };
}

function currentRules() {
  return workflowRules(session.value?.configuration?.deployment.workflow);
}

/** The rules the index's due items were computed with and the fields its summaries keep, as
 * JSON, so an index written by a version of the app that kept other fields is rebuilt. */
export function indexFingerprint(): string {
  return JSON.stringify({ rules: currentRules(), fields: LIST_FIELDS });
}

/** Reads the case list from the index. A missing index, one that names other cases than the vault
 * contains (a vault written before the index existed), or one whose due items were computed with
 * other workflow rules or whose summaries keep other fields, is rebuilt from the cases themselves. */
async function readIndex(vault: Vault): Promise<LocalCase[]> {
  const [index, keys, rules] = await Promise.all([vault.get<LocalCase[]>(INDEX_KEY), vault.keys(CASE_PREFIX), vault.get<string>(INDEX_RULES_KEY)]);
  const ids = new Set(keys.map((key) => key.slice(CASE_PREFIX.length)));
  const current = rules === indexFingerprint();
  if (current && index && index.length === ids.size && index.every((summary) => ids.has(summary.id))) return index;
  return rebuildIndex(vault);
}

async function rebuildIndex(vault: Vault): Promise<LocalCase[]> {
  const summaries = (await vault.all<LocalCase>(CASE_PREFIX)).map(summarize);
  await vault.putMany([
    [INDEX_KEY, summaries],
    [INDEX_RULES_KEY, indexFingerprint()],
  ]);
  return summaries;
}

/** Returns the case list with `next` in place of the earlier versions of the same cases. */
function withCases(next: LocalCase[], without: Set<string> = new Set()): LocalCase[] {
  const ids = new Set(next.map((local) => local.id));
  const kept = cases.value.filter((existing) => !ids.has(existing.id) && !without.has(existing.id));
  return sortCases([...next.map(summarize), ...kept]);
}

let caseWrites: Promise<unknown> = Promise.resolve();

/** Runs writes of cases one at a time, so each index written contains every earlier change. */
function serialized<T>(write: () => Promise<T>): Promise<T> {
  const result = caseWrites.then(write);
  caseWrites = result.catch(() => undefined);
  return result;
}

/** Returns the sync state of case `record` for its badge: synced, pending, conflict or rejected. */
export function caseSyncState(record: LocalCase): CaseSyncState {
  if ((record.rejected ?? 0) > 0 || record.sendError) return 'rejected';
  if ((record.conflicts?.length ?? 0) > 0 || (record.changedOnServer?.length ?? 0) > 0) return 'conflict';
  if (record.pending > 0) return 'pending';
  return 'synced';
}

// ---------------------------------------------------------------------------------------------
// Edits on the device

/** Returns the time of this device's clock as RFC 3339 with its UTC offset, e.g. 2024-05-10T10:00:00+06:00. */
export function deviceTime(now: Date = new Date()): string {
  const offset = -now.getTimezoneOffset();
  const local = new Date(now.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** Saves a new case on the device and queues it for the server. */
export async function createCaseLocally(id: string, data: Record<string, unknown>): Promise<LocalCase> {
  const now = new Date().toISOString();
  const user = session.value!.user;
  const local: LocalCase = {
    id,
    display_id: '',
    version: 0,
    status: 'open',
    // The server derives the stage with the same rule, so a case registered offline shows the
    // stage it will have once sent.
    stage: stageOf(data, 'open'),
    enabled: true,
    owner_id: user.id,
    owner_agency_id: user.agency_id,
    created_by: user.id,
    created_at: now,
    updated_at: now,
    data,
    calculated: {},
    conflicts: [],
    pending: 1,
  };
  await saveLocally(local, { kind: 'create', data, base_version: 0, device_time: deviceTime() });
  return local;
}

/** Saves field changes of a case on the device and queues them for the server. Each change
 * keeps the value it replaced, so a download can tell when the server changed the field too. */
export async function updateCaseLocally(current: LocalCase, data: Record<string, unknown>, changes: Change[]): Promise<LocalCase> {
  const local: LocalCase = {
    ...current,
    data,
    stage: stageOf(data, current.status),
    updated_at: new Date().toISOString(),
    pending: current.pending + 1,
  };
  const withOld: OutboxChange[] = changes.map((change) => ({ ...change, old: valueAt(current.data, change.path) ?? null }));
  // A case created on this device and not acknowledged yet will be version 1 once it is.
  const baseVersion = Math.max(current.version, 1);
  await saveLocally(local, { kind: 'update', changes: withOld, base_version: baseVersion, device_time: deviceTime() });
  return local;
}

async function saveLocally(local: LocalCase, entry: OutboxEntry): Promise<void> {
  const vault = requireVault();
  await serialized(async () => {
    const list = withCases([local]);
    await vault.saveWithOutbox(CASE_PREFIX + local.id, local, local.id, entry, [[INDEX_KEY, list]]);
    cases.value = list;
  });
  setSync({ pending: syncState.value.pending + 1 });
  void syncNow();
}

function requireVault(): Vault {
  const vault = session.value?.vault;
  if (!vault) throw new Error('the vault is locked');
  return vault;
}

/**
 * Withdraws this device's unsent changes of a case, as docs/sync.md has it: each outbox entry
 * becomes a `void` mutation with the same `seq` and mutation id, which the next sync sends and
 * which changes nothing, so the device's numbering stays without gaps. The case shows the values
 * the changes replaced at once; a case created on this device and never acknowledged leaves it.
 *
 * NOTE: a change whose request reached the server but whose answer was lost has applied there.
 * Its `void` gets that stored result, and the case's server version, with the change, comes back
 * at the next sync.
 */
export async function withdrawUnsent(caseId: string): Promise<void> {
  const vault = requireVault();
  // A sync running now has already read the outbox; withdraw what it leaves, and keep the next
  // sync waiting until the withdrawn entries are written.
  while (running) await running.catch(() => undefined);
  withdrawal = serialized(() => withdrawEntries(vault, caseId));
  try {
    await withdrawal;
  } finally {
    withdrawal = null;
  }
  setSync({ pending: await vault.pendingCount() });
  void syncNow();
}

async function withdrawEntries(vault: Vault, caseId: string): Promise<void> {
  const entries = (await vault.outbox<OutboxEntry>()).filter((entry) => entry.caseId === caseId && entry.kind !== 'void');
  if (entries.length === 0) return;
  const voids = entries.map((entry): OutboxEntry => ({ kind: 'void', base_version: entry.base_version, device_time: entry.device_time }));
  const stored = await vault.get<LocalCase>(CASE_PREFIX + caseId);
  const created = entries.some((entry) => entry.kind === 'create');
  if (!stored || created) {
    const list = withCases([], new Set([caseId]));
    await vault.withdrawOutbox(
      entries.map((entry) => entry.seq),
      voids,
      [[INDEX_KEY, list]],
      [CASE_PREFIX + caseId],
    );
    cases.value = list;
    await deleteAttachmentsOf(vault, [caseId]);
    return;
  }
  const data = revert(stored.data, entries);
  const restored: LocalCase = {
    ...stored,
    data,
    stage: stageOf(data, stored.status),
    pending: 0,
    changedOnServer: [],
    sendError: undefined,
  };
  const list = withCases([restored]);
  await vault.withdrawOutbox(
    entries.map((entry) => entry.seq),
    voids,
    [
      [CASE_PREFIX + caseId, restored],
      [INDEX_KEY, list],
    ],
  );
  cases.value = list;
}

/** Undoes pending updates on record data, newest first, with the value each change replaced.
 * Changes written by version 1 of the client kept no `old` value; the sync after the withdrawal
 * fetches the server's version of the case, which replaces them. */
function revert(data: Record<string, unknown>, entries: PendingItem[]): Record<string, unknown> {
  let reverted = data;
  for (const entry of [...entries].reverse()) {
    if (entry.kind !== 'update') continue;
    const undo = [...entry.changes].reverse().filter((change) => 'old' in change);
    reverted = applyChanges(
      reverted,
      undo.map((change) => ({ path: change.path, value: change.old ?? null })),
    );
  }
  return reverted;
}

// ---------------------------------------------------------------------------------------------
// The sync run

/** Sends everything pending, then downloads. Runs once at a time; safe to call often. */
export function syncNow(): Promise<void> {
  if (!running) {
    running = runSync().finally(() => {
      running = null;
      if (rerun) {
        rerun = false;
        void syncNow();
      }
    });
  }
  return running;
}

/**
 * Starts a sync after a request other than `POST /sync` answered `401 account_disabled`. The
 * server keeps the session for that answer, so this sync delivers the outbox to the supervisor's
 * review, and its own `account_disabled` answer deletes the vault (see `accountDisabled`).
 */
function syncAfterAccountDisabled(): void {
  disabledAnswers += 1;
  if (running) rerun = true;
  else void syncNow();
}

onAccountDisabled(syncAfterAccountDisabled);
connectActions(
  () => session.value?.vault ?? null,
  (counted) => {
    if (counted) setSync({ pending: syncState.value.pending + 1 });
    void syncNow();
  },
);

async function runSync(): Promise<void> {
  if (withdrawal) await withdrawal.catch(() => undefined);
  const current = session.value;
  if (!current) return;
  clearTimeout(retryTimer);
  setSync({ working: true });
  try {
    const { deferred } = await exchange(current.vault);
    updateSession({ serverSession: true });
    setSync({ download: null });
    await sendActions(current.vault, await casesNotOnServer(current.vault));
    await uploadPendingAttachments(current.vault);
    await refreshServerLists(current.vault);
    const lastSync = Date.now();
    await current.vault.put('sync', { lastSync });
    backoffMs = FIRST_BACKOFF_MS;
    disabledAnswers = 0;
    // The phone may have lost its network while the last requests ran, so the browser's flag
    // decides whether it is online now, not the sync's success.
    setSync({
      online: browserOnline(),
      unreachable: false,
      incomplete: null,
      error: null,
      lastSync,
      sessionEnded: false,
      pending: await current.vault.pendingCount(),
      attachments: await pendingAttachmentCount(current.vault),
    });
    // Mutations the server parked wait for an earlier one of this device; send them again soon.
    if (deferred) scheduleRetry();
  } catch (error) {
    // The user logged out, or the account was disabled, while the exchange ran.
    if (session.value?.vault !== current.vault) return;
    if (error instanceof NetworkError) {
      // The browser's own flag separates "no network" from "no response from the server".
      const online = browserOnline();
      setSync({ online, unreachable: online });
      await keepIncompleteDownload(current.vault);
      scheduleRetry();
    } else if (error instanceof AccountDisabledError) {
      await accountDisabled(current.vault, error.delivered, error.kept);
    } else if (error instanceof ApiError && error.status === 401 && error.code === 'account_disabled') {
      // Another request than `POST /sync`: `syncAfterAccountDisabled` has asked for the sync that
      // delivers the outbox. A server that keeps answering so to other requests while `/sync`
      // succeeds would loop; after a few tries the vault is closed sealed instead.
      if (disabledAnswers <= MAX_DISABLED_ANSWERS) return;
      rerun = false;
      const kept = await current.vault.pendingCount();
      const files = await pendingAttachmentCount(current.vault);
      clearLocalState();
      current.vault.close();
      endSession(kept > 0 || files > 0 ? keptOnPhoneNotice(kept, files) : { id: 'login-account-disabled-nothing-kept' });
    } else if (error instanceof ApiError && error.status === 401) {
      setSync({ online: browserOnline(), sessionEnded: true });
    } else {
      setSync({ error: errorText(error) });
      await keepIncompleteDownload(current.vault);
      scheduleRetry();
    }
  } finally {
    if (session.value?.vault === current.vault) setSync({ working: false, download: null });
  }
}

/** Returns the ids of cases the server does not have yet: registrations still in the outbox (a
 * parked one, for example) or never acknowledged. Actions about them wait. */
async function casesNotOnServer(vault: Vault): Promise<Set<string>> {
  const waiting = new Set((await vault.outbox<OutboxEntry>()).filter((entry) => entry.kind === 'create').map((entry) => entry.caseId));
  for (const local of cases.value) if (local.version === 0) waiting.add(local.id);
  return waiting;
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** Stores the progress of a download that stopped before its last page, so the sync bar says
 * the caseload is incomplete, also after the app is opened again. The next page resumes from the
 * stored cursor, and its progress goes on from these numbers. */
async function keepIncompleteDownload(vault: Vault): Promise<void> {
  const progress = syncState.value.download;
  if (!progress || progress.done >= progress.total) return;
  await vault.put(PROGRESS_KEY, progress).catch(() => undefined);
  setSync({ incomplete: progress });
}

function scheduleRetry(): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void syncNow(), backoffMs);
  backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
}

/** Syncs started by `account_disabled` answers to other requests before the vault is closed. */
const MAX_DISABLED_ANSWERS = 3;

/** The server answered a `POST /sync` with `401 account_disabled`, after keeping that request's
 * mutations aside. `delivered` counts the changes that request carried; `kept` counts the changes
 * of the outbox that it did not carry. */
class AccountDisabledError extends Error {
  constructor(
    readonly delivered: number,
    readonly kept: number,
  ) {
    super('account_disabled');
  }
}

/**
 * Ends the session of a disabled account. When the server received the whole outbox (`kept` is
 * 0) and every attachment file was uploaded, the server holds everything the user made, so the
 * device deletes its vault: caseload, outbox and "not sent" list. Otherwise the sealed vault
 * stays, because the server ends the session at the first request: the changes after the first
 * 200 and the files not yet uploaded never reach it. The login screen then says how many
 * changes and files remain on the phone and whom to tell.
 */
async function accountDisabled(vault: Vault, delivered: number, kept: number): Promise<void> {
  clearLocalState();
  rerun = false;
  const files = await pendingAttachmentCount(vault);
  if (kept === 0 && files === 0) {
    await vault.destroy();
    endSession(delivered > 0 ? { id: 'login-account-disabled', args: { count: delivered } } : { id: 'login-account-disabled-nothing-sent' });
  } else {
    vault.close();
    endSession(keptOnPhoneNotice(kept, files));
  }
}

/** Builds the login notice for a disabled account whose vault stays sealed on the phone with
 * `changes` unsent changes and `files` attachment files not yet uploaded. */
function keptOnPhoneNotice(changes: number, files: number): LoginNotice {
  if (files === 0) return { id: 'login-account-disabled-kept', args: { count: changes } };
  if (changes === 0) return { id: 'login-account-disabled-files-kept', args: { files } };
  return { id: 'login-account-disabled-kept-with-files', args: { count: changes, files } };
}

/** Runs `POST /sync` until nothing is left to send and the download is complete. */
async function exchange(vault: Vault): Promise<{ deferred: boolean }> {
  const deviceId = await vault.deviceId();
  let cursor = (await vault.get<string>(CURSOR_KEY)) ?? null;
  const sentThisRun = new Set<string>();
  // A resumed download counts on from the cases the stopped one stored.
  const resumed = cursor === null ? null : await vault.get<{ done: number; total: number }>(PROGRESS_KEY);
  let downloaded = resumed?.done ?? 0;
  let deferred = false;
  for (;;) {
    const outbox = await vault.outbox<OutboxEntry>();
    const batch = outbox.filter((entry) => !sentThisRun.has(entry.mutationId)).slice(0, MAX_MUTATIONS);
    for (const entry of batch) sentThisRun.add(entry.mutationId);
    const request = {
      device_id: deviceId,
      cursor,
      config_version: session.value?.configVersion || null,
      scope_digest: await scopeDigest(cases.value.map((local) => local.id)),
      limit: PAGE_LIMIT,
      mutations: batch.map(toWire),
    };
    const response = await api<SyncResponse>('POST', '/sync', request, { gzip: true }).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401 && error.code === 'account_disabled') {
        const delivered = batch.filter((entry) => entry.kind !== 'void').length;
        throw new AccountDisabledError(delivered, outbox.filter((entry) => !sentThisRun.has(entry.mutationId) && entry.kind !== 'void').length);
      }
      throw error;
    });

    if (response.configuration) await storeConfiguration(vault, response.configuration);
    const outcome = await settle(vault, batch, response);
    deferred ||= outcome.deferred;
    cursor = response.cursor;
    downloaded += response.records.length;
    if (response.more || (downloaded > 0 && response.remaining > 0)) {
      setSync({ download: { done: downloaded, total: downloaded + response.remaining } });
    }
    if (outcome.refetch.length > 0) await refreshCases(outcome.refetch);
    if (response.scope) await applyScope(vault, response.scope.ids);
    setSync({ pending: await vault.pendingCount() });

    const unsent = (await vault.outbox<OutboxEntry>()).some((entry) => !sentThisRun.has(entry.mutationId));
    if (!response.more && !unsent) {
      if (resumed) await vault.delete(PROGRESS_KEY);
      return { deferred };
    }
  }
}

/** Builds the wire form of an outbox entry. Entries of version 1 of the client lack a base
 * version and a device time; they get the case's version and the time the entry was written. */
function toWire(entry: PendingItem): WireMutation {
  const base = {
    mutation_id: entry.mutationId,
    seq: entry.deviceSeq,
    record_id: entry.caseId,
    base_version: entry.base_version ?? cases.value.find((local) => local.id === entry.caseId)?.version ?? 0,
    device_time: entry.device_time ?? deviceTime(new Date(entry.createdAt)),
  };
  switch (entry.kind) {
    case 'create':
      return { ...base, kind: 'create', data: entry.data };
    case 'update':
      // `old` stays on the device: the server decides conflicts from its own change log.
      return { ...base, kind: 'update', changes: entry.changes.map(({ path, value }) => ({ path, value })) };
    case 'void':
      return { ...base, kind: 'void' };
  }
}

/** Returns the SHA-256, lowercase hex, of the sorted ids each followed by "\n" (docs/sync.md). */
export async function scopeDigest(ids: string[]): Promise<string> {
  const text = [...ids]
    .map((id) => id.toLowerCase())
    .sort()
    .map((id) => `${id}\n`)
    .join('');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function storeConfiguration(vault: Vault, config: { version: number; configuration: Configuration }): Promise<void> {
  const before = indexFingerprint();
  await vault.put('config', config);
  updateSession({ configuration: config.configuration, configVersion: config.version });
  if (indexFingerprint() !== before) {
    const list = await serialized(() => rebuildIndex(vault));
    cases.value = sortCases(list);
  }
}

/**
 * Applies one answer of the server in one vault transaction: removes the mutations it settled
 * (applied, conflict, rejected), adds the rejected ones to the "not sent" list, stores the page
 * of records with this device's pending changes on top, and stores the new cursor.
 */
async function settle(vault: Vault, batch: PendingItem[], response: SyncResponse): Promise<{ deferred: boolean; refetch: string[] }> {
  const bySentId = new Map(batch.map((entry) => [entry.mutationId, entry]));
  const removeSeqs: number[] = [];
  const rejected: NotSentEntry[] = [];
  const touched = new Set<string>();
  let deferred = false;
  const rejectedAt = new Date().toISOString();
  for (const result of response.results) {
    const entry = bySentId.get(result.mutation_id);
    if (!entry) continue;
    if (result.status === 'deferred') {
      deferred = true;
      continue;
    }
    removeSeqs.push(entry.seq);
    touched.add(entry.caseId);
    if (result.status === 'rejected' && entry.kind !== 'void') rejected.push(notSentOf(entry, result, rejectedAt));
  }

  return serialized(async () => {
    const removed = new Set(removeSeqs);
    const remaining = (await vault.outbox<OutboxEntry>()).filter((entry) => !removed.has(entry.seq));
    const nextNotSent = [...notSent.value, ...rejected];
    const rejectedCount = countBy(nextNotSent.map((entry) => entry.caseId));

    const received = new Set(response.records.map((record) => record.id));
    const locals = response.records.map((record) => rebase(record, pendingOf(remaining, record.id), rejectedCount.get(record.id) ?? 0));
    // Cases whose mutations were settled but that did not come back in this page.
    const refetch: string[] = [];
    for (const caseId of touched) {
      if (received.has(caseId)) continue;
      const stored = await vault.get<LocalCase>(CASE_PREFIX + caseId);
      if (!stored) continue;
      const pending = pendingOf(remaining, caseId);
      locals.push({ ...stored, pending: pending.length, rejected: rejectedCount.get(caseId) ?? 0 });
      refetch.push(caseId);
    }

    const list = withCases(locals);
    const writes: [string, unknown][] = [...locals.map((local): [string, unknown] => [CASE_PREFIX + local.id, local]), [INDEX_KEY, list]];
    if (response.cursor !== undefined) writes.push([CURSOR_KEY, response.cursor]);
    if (rejected.length > 0) writes.push([NOT_SENT_KEY, nextNotSent]);
    await vault.settle(removeSeqs, writes);
    cases.value = list;
    notSent.value = nextNotSent;
    return { deferred, refetch };
  });
}

function notSentOf(entry: PendingItem, result: SyncResult, rejectedAt: string): NotSentEntry {
  const stored = cases.value.find((local) => local.id === entry.caseId);
  return {
    mutationId: entry.mutationId,
    caseId: entry.caseId,
    kind: entry.kind,
    changes: entry.kind === 'update' ? entry.changes : [],
    data: entry.kind === 'create' ? entry.data : undefined,
    code: result.error?.code ?? 'rejected',
    message: result.error?.message ?? '',
    fields: result.error?.fields ?? [],
    deviceTime: entry.device_time,
    rejectedAt,
    caseName: stored ? nameOf(stored.data) : undefined,
    displayId: stored?.display_id || undefined,
  };
}

function nameOf(data: Record<string, unknown>): string | undefined {
  const parts = ['name_first', 'name_last'].map((key) => data[key]).filter((value): value is string => typeof value === 'string');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function pendingOf(outbox: PendingItem[], caseId: string): PendingItem[] {
  return outbox.filter((entry) => entry.caseId === caseId);
}

/**
 * Returns a case as the server sent it with this device's pending changes on top, so a download
 * never overwrites an unsent edit. A path whose server value differs both from the value the
 * device's first pending change replaced and from the value the device set is listed in
 * `changedOnServer`: the server will raise a conflict there, and the user sees it now.
 */
export function rebase(view: CaseView, pending: PendingItem[], rejected = 0): LocalCase {
  let data = view.data;
  const replaced = new Map<string, unknown>();
  const set = new Map<string, unknown>();
  for (const entry of pending) {
    if (entry.kind === 'create') {
      data = { ...data, ...entry.data };
    } else if (entry.kind === 'update') {
      data = applyChanges(data, entry.changes);
      for (const change of entry.changes) {
        if ('old' in change && !replaced.has(change.path)) replaced.set(change.path, change.old);
        set.set(change.path, change.value);
      }
    }
  }
  const changedOnServer = [...replaced]
    .filter(([path, old]) => {
      const server = valueAt(view.data, path);
      return !sameValue(server, old) && !sameValue(server, set.get(path));
    })
    .map(([path]) => path);
  const unsent = pending.filter((entry) => entry.kind !== 'void').length;
  return {
    ...view,
    // The server derived its stage from its own data. Unsent changes on top may move it on.
    stage: unsent > 0 ? stageOf(data, view.status) : view.stage,
    conflicts: view.conflicts ?? [],
    data,
    pending: unsent,
    changedOnServer,
    rejected,
  };
}

/** Returns the value at a field path of record data: `field`, `subform/<row id>` or `subform/<row id>/field`. */
export function valueAt(data: Record<string, unknown>, path: string): unknown {
  const [fieldId, rowId, rowField] = path.split('/');
  const value = data[fieldId];
  if (rowId === undefined) return value;
  if (!Array.isArray(value)) return undefined;
  const row = (value as Record<string, unknown>[]).find((entry) => entry.unique_id === rowId);
  if (rowField === undefined || row === undefined) return row;
  return row[rowField];
}

/** Compares two JSON values, ignoring key order; absent and null are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Fetches cases `ids` with `POST /sync/records` and stores them with pending changes on top.
 * A case the server no longer sends, and that has nothing pending, leaves the device. */
export async function refreshCases(ids: string[]): Promise<void> {
  const vault = requireVault();
  for (let start = 0; start < ids.length; start += MAX_RECORD_IDS) {
    const chunk = ids.slice(start, start + MAX_RECORD_IDS);
    const { records } = await api<{ records: CaseView[] }>('POST', '/sync/records', { ids: chunk });
    await serialized(async () => {
      const outbox = await vault.outbox<OutboxEntry>();
      const rejectedCount = countBy(notSent.value.map((entry) => entry.caseId));
      const locals = records.map((record) => rebase(record, pendingOf(outbox, record.id), rejectedCount.get(record.id) ?? 0));
      const received = new Set(records.map((record) => record.id));
      const gone = new Set(chunk.filter((id) => !received.has(id) && pendingOf(outbox, id).length === 0));
      const list = withCases(locals, gone);
      await vault.putMany(
        [...locals.map((local): [string, unknown] => [CASE_PREFIX + local.id, local]), [INDEX_KEY, list]],
        [...gone].map((id) => CASE_PREFIX + id),
      );
      cases.value = list;
      if (gone.size > 0) await deleteAttachmentsOf(vault, [...gone]);
    });
  }
}

/** Keeps only the cases in `ids` (and those with unsent changes), and fetches the ones missing. */
async function applyScope(vault: Vault, ids: string[]): Promise<void> {
  const keep = new Set(ids);
  const gone = await serialized(async () => {
    const unsent = new Set((await vault.outbox<OutboxEntry>()).map((entry) => entry.caseId));
    const leaving = cases.value.filter((local) => !keep.has(local.id) && !unsent.has(local.id)).map((local) => local.id);
    if (leaving.length === 0) return leaving;
    const list = withCases([], new Set(leaving));
    await vault.putMany(
      [[INDEX_KEY, list]],
      leaving.map((id) => CASE_PREFIX + id),
    );
    cases.value = list;
    return leaving;
  });
  if (gone.length > 0) await deleteAttachmentsOf(vault, gone);
  const held = new Set(cases.value.map((local) => local.id));
  const missing = ids.filter((id) => !held.has(id));
  if (missing.length > 0) await refreshCases(missing);
}

/** Removes a rejected change from the "not sent" list once its user has read it. */
export async function dismissNotSent(mutationId: string): Promise<void> {
  const vault = requireVault();
  await serialized(async () => {
    const dismissed = notSent.value.find((entry) => entry.mutationId === mutationId);
    if (!dismissed) return;
    const next = notSent.value.filter((entry) => entry.mutationId !== mutationId);
    const writes: [string, unknown][] = [[NOT_SENT_KEY, next]];
    const stored = await vault.get<LocalCase>(CASE_PREFIX + dismissed.caseId);
    if (stored) {
      const rejected = next.filter((entry) => entry.caseId === dismissed.caseId).length;
      const updated: LocalCase = { ...stored, rejected };
      const list = withCases([updated]);
      writes.push([CASE_PREFIX + stored.id, updated], [INDEX_KEY, list]);
      await vault.putMany(writes);
      cases.value = list;
    } else {
      await vault.putMany(writes);
    }
    notSent.value = next;
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
  notSent.value = [];
  clearActionState();
  syncState.value = { ...INITIAL_STATE, online: typeof navigator === 'undefined' ? true : navigator.onLine };
}

/** Starts syncing on connection changes and every minute while the app is open. */
export function startBackgroundSync(): () => void {
  const onOnline = () => {
    setSync({ online: true, unreachable: false });
    // Failures while offline doubled the pause; a new connection deserves a prompt retry.
    backoffMs = FIRST_BACKOFF_MS;
    void syncNow();
  };
  const onOffline = () => setSync({ online: false, unreachable: false });
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
