// Casework actions made on the phone, and the server's casework lists kept for offline reading.
//
// An action (an approval request, a new referral, a transfer or a transfer request) is written
// sealed into the vault's `actions` queue with a random UUID the client makes. `sync.ts` sends
// the queue after the mutation exchange, so a case registered offline exists on the server
// before an action about it arrives. Each action is sent with the same id every time, and the
// server returns the object it made the first time, so a retry after a lost response is harmless.
// A 4xx response marks the action `failed`, with the server's message, for the "Not sent" screen
// and the case; a network failure or a 5xx leaves it pending for the sync's backoff.
//
// After each sync, `refreshServerLists` fetches the tasks only the server computes (approvals to
// decide, referrals to accept...), the notifications, the pending approvals and the incoming referrals,
// and keeps them sealed in the vault, so these screens open offline.

import { signal } from '@preact/signals';
import { api, ApiError, NetworkError } from './api';
import type { Locale } from './i18n';
import type { Vault } from './vault/store';

/** What an action does, which decides where it is sent. */
export type ActionKind = 'approval' | 'referral' | 'transfer' | 'transfer_request' | 'notifications_read';

/** An action in the queue, as the screens read it. */
export interface QueuedAction {
  /** The idempotency key, sent as the body's `id` (except for `notifications_read`). */
  id: string;
  kind: ActionKind;
  /** The case the action is about, or '' for `notifications_read`. */
  caseId: string;
  /** The request body without `id`. */
  body: Record<string, unknown>;
  /** Milliseconds since the epoch, when the user made the action. */
  createdAt: number;
  state: 'pending' | 'failed';
  /** The server's reason for rejecting the action, in the user's language as the server wrote it. */
  error?: { status: number; code: string; message: string };
}

/** The sealed part of an action row. */
interface ActionPayload {
  kind: ActionKind;
  body: Record<string, unknown>;
  error?: QueuedAction['error'];
}

// ---------------------------------------------------------------------------------------------
// Views of the casework API, as docs/openapi.json describes them

export interface UserRef {
  id: string;
  full_name: string;
}

export type ApprovalKind = 'assessment' | 'case_plan' | 'closure';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface ApprovalView {
  id: string;
  case_id: string;
  display_id: string;
  kind: ApprovalKind;
  status: ApprovalStatus;
  version: number;
  requested_by: UserRef;
  requested_at: string;
  request_comment?: string | null;
  decided_by?: UserRef | null;
  decided_at?: string | null;
  comment?: string | null;
}

/** The kinds of task only the server can compute. The others come from the vault's cases. */
export const SERVER_TASK_KINDS = ['approval', 'referral', 'referral_service', 'transfer', 'approval_rejected'] as const;
export type ServerTaskKind = (typeof SERVER_TASK_KINDS)[number];
export type TaskKindName = 'assessment' | 'case_plan' | 'service' | 'follow_up' | ServerTaskKind;

export interface TaskView {
  kind: TaskKindName;
  case_id: string;
  display_id: string;
  child_name: string | null;
  risk_level: string | null;
  due_on: string | null;
  item: string;
  subject_id: string | null;
  overdue: boolean;
}

export interface NotificationView {
  id: string;
  kind: string;
  case_id: string | null;
  display_id: string | null;
  subject_id: string | null;
  actor_name: string | null;
  created_at: string;
  read: boolean;
  /** The title and body in the recipient's language when the list was fetched. */
  title: string;
  body: string;
  /** The title and body in every language of the deployment, so switching language offline
   * changes them at once. Servers before this field send only `title` and `body`. */
  texts?: Partial<Record<Locale, NotificationText>>;
}

export interface NotificationText {
  title: string;
  body: string;
}

/** Returns the title and body of `item` in `language`, or the server's rendering in the
 * recipient's language when the notification has no text in that language. */
export function notificationText(item: NotificationView, language: Locale): NotificationText {
  const text = item.texts?.[language];
  if (text && typeof text.title === 'string' && typeof text.body === 'string') return text;
  return { title: item.title, body: item.body };
}

export interface FlagView {
  id: string;
  text: string;
  flagged_by: UserRef;
  flagged_at: string;
}

export interface ReferralView {
  id: string;
  case_id: string;
  display_id: string;
  child_name?: string | null;
  service_type: string;
  status: string;
  version: number;
  from_user: UserRef;
  from_agency_id: string;
  to_agency_id: string;
  to_user?: UserRef | null;
  shared_forms: string[];
  consent_basis: string;
  note?: string | null;
  reason?: string | null;
  created_at: string;
  updated_at: string;
  can: string[];
}

// ---------------------------------------------------------------------------------------------
// The queue

/** The actions of this vault, oldest first: pending ones and those the server rejected. */
export const queuedActions = signal<QueuedAction[]>([]);

let vaultOf: () => Vault | null = () => null;
let onQueued: (counted: boolean) => void = () => undefined;

/** Connects the queue to the session's vault and to the sync that sends it. `sync.ts` calls this
 * once. `queued` receives whether the new action counts as an unsent change (it is about a case). */
export function connectActions(vault: () => Vault | null, queued: (counted: boolean) => void): void {
  vaultOf = vault;
  onQueued = queued;
}

function requireVault(): Vault {
  const vault = vaultOf();
  if (!vault) throw new Error('the vault is locked');
  return vault;
}

/** Loads the queue and the cached server lists of the unlocked vault into memory. */
export async function loadActions(vault: Vault): Promise<void> {
  queuedActions.value = await readActions(vault);
  await loadServerLists(vault);
}

async function readActions(vault: Vault): Promise<QueuedAction[]> {
  const rows = await vault.actions<ActionPayload>();
  return rows.map((row) => ({ id: row.id, kind: row.kind, caseId: row.caseId, body: row.body, createdAt: row.createdAt, state: row.state, error: row.error }));
}

/**
 * Queues an action for the server and starts a sync to send it. `id` is the idempotency key (a
 * UUID the caller made, which also becomes the id of the approval, referral or transfer), and
 * `body` is the request body without it. Returns the queued action.
 */
export async function queueAction(kind: ActionKind, caseId: string, id: string, body: Record<string, unknown>): Promise<QueuedAction> {
  const vault = requireVault();
  const action: QueuedAction = { id, kind, caseId, body, createdAt: Date.now(), state: 'pending' };
  await vault.putAction(id, caseId, 'pending', action.createdAt, { kind, body } satisfies ActionPayload);
  queuedActions.value = [...queuedActions.value.filter((entry) => entry.id !== id), action];
  onQueued(caseId !== '');
  return action;
}

/** Returns the actions about case `caseId`, oldest first. */
export function actionsOf(caseId: string): QueuedAction[] {
  return queuedActions.value.filter((action) => action.caseId === caseId);
}

/** Removes an action the server rejected once its user has read why. */
export async function dismissAction(id: string): Promise<void> {
  await requireVault().deleteAction(id);
  queuedActions.value = queuedActions.value.filter((action) => action.id !== id);
}

/** Returns the method and path an action is sent to, and its body with the idempotency key. */
export function requestOf(action: Pick<QueuedAction, 'kind' | 'caseId' | 'id' | 'body'>): { path: string; body: Record<string, unknown> } {
  const withId = { ...action.body, id: action.id };
  switch (action.kind) {
    case 'approval':
      return { path: `/cases/${action.caseId}/approvals`, body: withId };
    case 'referral':
      return { path: `/cases/${action.caseId}/referrals`, body: withId };
    case 'transfer':
      return { path: `/cases/${action.caseId}/transfers`, body: withId };
    case 'transfer_request':
      return { path: `/cases/${action.caseId}/transfer-requests`, body: withId };
    case 'notifications_read':
      return { path: '/notifications/read', body: action.body };
  }
}

/** Returns whether a failed request should be kept to send again: no response, a server failure,
 * or a 408/429 that requests a retry later. */
function retryable(failure: unknown): boolean {
  if (failure instanceof NetworkError) return true;
  return failure instanceof ApiError && (failure.status >= 500 || failure.status === 408 || failure.status === 429);
}

/**
 * Sends the pending actions, oldest first, with `POST` and their stored ids. `waiting` names the
 * cases the server does not have yet (a registration still in the outbox). Their actions wait
 * for the next sync. Returns the number sent. A network failure or a 5xx stops the run and is
 * thrown, so the sync retries with its backoff. A 401 is thrown too, for the sync's session handling.
 */
export async function sendActions(vault: Vault, waiting: Set<string>): Promise<number> {
  let sent = 0;
  for (const action of await readActions(vault)) {
    if (action.state !== 'pending' || waiting.has(action.caseId)) continue;
    const request = requestOf(action);
    try {
      await api('POST', request.path, request.body);
    } catch (failure) {
      if (retryable(failure) || (failure instanceof ApiError && failure.status === 401)) throw failure;
      // Marking notifications read is a convenience, so its rejection is not worth the user's time.
      // An error without an HTTP status cannot be shown as a server message, so it drops the action too.
      if (action.kind === 'notifications_read' || !(failure instanceof ApiError)) {
        await vault.deleteAction(action.id);
        continue;
      }
      const error = { status: failure.status, code: failure.code, message: failure.message };
      await vault.putAction(action.id, action.caseId, 'failed', action.createdAt, { kind: action.kind, body: action.body, error } satisfies ActionPayload);
      continue;
    }
    await vault.deleteAction(action.id);
    sent += 1;
  }
  queuedActions.value = await readActions(vault);
  return sent;
}

// ---------------------------------------------------------------------------------------------
// The server's casework lists, cached in the vault

/**
 * The user's tasks from `GET /tasks` as last fetched: `items` contains the server-only kinds
 * (SERVER_TASK_KINDS) and `caseItems` the case-derived kinds. `today` is the server's date.
 */
export interface ServerTasks {
  today: string | null;
  items: TaskView[];
  /**
   * Assessments, case plans, services and follow-ups of the cases the server counts as the user's:
   * owned or assigned. The phone computes these itself from its cases, but the case view does not
   * contain the assignee, so this list is the phone's only source for its assigned cases.
   * Absent in lists cached by an older version of the app.
   */
  caseItems?: TaskView[];
}

export const serverTasks = signal<ServerTasks>({ today: null, items: [] });
export const notifications = signal<{ unread: number; items: NotificationView[] }>({ unread: 0, items: [] });
/** `GET /approvals?status=pending`: those the user may decide, and the user's own requests. */
export const pendingApprovals = signal<ApprovalView[]>([]);
/** `GET /referrals?box=incoming&status=open`. */
export const incomingReferrals = signal<ReferralView[]>([]);
/** Time of the last fetch of the lists, in milliseconds since the epoch, or null before the first. */
export const listsFetchedAt = signal<number | null>(null);

const LISTS_KEY = 'casework-lists';

interface CachedLists {
  tasks: ServerTasks;
  notifications: { unread: number; items: NotificationView[] };
  approvals: ApprovalView[];
  referrals: ReferralView[];
  fetchedAt: number;
}

async function loadServerLists(vault: Vault): Promise<void> {
  const cached = await vault.get<CachedLists>(LISTS_KEY);
  if (!cached) return;
  serverTasks.value = cached.tasks;
  notifications.value = applyUnsentReads(cached.notifications);
  pendingApprovals.value = cached.approvals;
  incomingReferrals.value = cached.referrals;
  listsFetchedAt.value = cached.fetchedAt;
}

/** Fetches one list. A 4xx other than 401 (a server older than these lists, or a rejection)
 * returns `fallback`. */
async function fetchList<T>(path: string, fallback: T): Promise<T> {
  try {
    return await api<T>('GET', path);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500 && failure.status !== 401) return fallback;
    throw failure;
  }
}

/**
 * Fetches the casework lists and stores them sealed in the vault, replacing the earlier copy.
 * A network failure, a 5xx or a 401 keeps the earlier copy and is thrown.
 */
export async function refreshServerLists(vault: Vault): Promise<void> {
  const [tasks, notes, approvals, referrals] = await Promise.all([
    fetchList<ServerTasks>('/tasks?days=7', serverTasks.value),
    fetchList<{ unread: number; items: NotificationView[] }>('/notifications?limit=50', notifications.value),
    fetchList<ApprovalView[]>('/approvals?status=pending', pendingApprovals.value),
    fetchList<ReferralView[]>('/referrals?box=incoming&status=open', incomingReferrals.value),
  ]);
  const serverOnly = new Set<string>(SERVER_TASK_KINDS);
  // The server's response has `items` only. The fallback after a rejection is the cached list,
  // which has both parts.
  const allTasks = [...tasks.items, ...(tasks.caseItems ?? [])];
  const lists: CachedLists = {
    tasks: {
      today: tasks.today,
      items: allTasks.filter((task) => serverOnly.has(task.kind)),
      caseItems: allTasks.filter((task) => !serverOnly.has(task.kind)),
    },
    notifications: notes,
    approvals,
    referrals,
    fetchedAt: Date.now(),
  };
  await vault.put(LISTS_KEY, lists);
  serverTasks.value = lists.tasks;
  notifications.value = applyUnsentReads(lists.notifications);
  pendingApprovals.value = lists.approvals;
  incomingReferrals.value = lists.referrals;
  listsFetchedAt.value = lists.fetchedAt;
}

/** Shows the notifications whose "read" mark is still in the queue as read. */
function applyUnsentReads(list: { unread: number; items: NotificationView[] }): { unread: number; items: NotificationView[] } {
  const marked = new Set<string>();
  let all = false;
  for (const action of queuedActions.value) {
    if (action.kind !== 'notifications_read' || action.state !== 'pending') continue;
    if (action.body.all === true) all = true;
    for (const id of (action.body.ids as string[] | undefined) ?? []) marked.add(id);
  }
  if (!all && marked.size === 0) return list;
  const items = list.items.map((item) => (all || marked.has(item.id) ? { ...item, read: true } : item));
  const newlyRead = list.items.filter((item) => !item.read && (all || marked.has(item.id))).length;
  return { unread: Math.max(0, list.unread - newlyRead), items };
}

/** Writes the lists as they are in memory to the vault, after a change made on the phone. */
export async function storeServerLists(): Promise<void> {
  const vault = vaultOf();
  if (!vault || listsFetchedAt.value === null) return;
  const lists: CachedLists = {
    tasks: serverTasks.value,
    notifications: notifications.value,
    approvals: pendingApprovals.value,
    referrals: incomingReferrals.value,
    fetchedAt: listsFetchedAt.value,
  };
  await vault.put(LISTS_KEY, lists);
}

/** Marks notifications read on the phone at once, and on the server with the next sync. */
export async function markNotificationsRead(ids: string[] | 'all'): Promise<void> {
  const body = ids === 'all' ? { all: true } : { ids };
  if (ids !== 'all' && ids.length === 0) return;
  await queueAction('notifications_read', '', crypto.randomUUID(), body);
  notifications.value = applyUnsentReads(notifications.value);
  await storeServerLists();
}

/** Forgets the queue and the lists in memory when the vault locks. */
export function clearActionState(): void {
  queuedActions.value = [];
  serverTasks.value = { today: null, items: [] };
  notifications.value = { unread: 0, items: [] };
  pendingApprovals.value = [];
  incomingReferrals.value = [];
  listsFetchedAt.value = null;
}
