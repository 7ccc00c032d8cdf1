// Casework requests that need a connection: a supervisor's decision on an approval, the approval
// history of a case, flags, and reopening a case. Decisions are compare-and-set on the version
// the user saw (`expected_version`), so they are never queued: a decision sent hours later could
// overrule what someone else decided meanwhile. Requests for approval go through the offline
// queue of actions.ts instead.

import { signal } from '@preact/signals';
import { api, ApiError } from './api';
import { pendingApprovals, serverTasks, storeServerLists, type ApprovalKind, type ApprovalView, type FlagView } from './actions';
import type { CaseView } from './model';
import { session } from './session';
import { refreshCases } from './sync';

/** The approval history of cases opened on this phone, by case id, as last fetched. */
export const caseApprovals = signal<Map<string, ApprovalView[]>>(new Map());

const CASE_APPROVALS_PREFIX = 'approvals:';

/** Reads the approvals of case `caseId` kept in the vault, then fetches them when online. A
 * failure to fetch keeps what the vault had. */
export async function loadCaseApprovals(caseId: string, online: boolean): Promise<void> {
  const vault = session.value?.vault;
  if (!vault) return;
  const kept = await vault.get<ApprovalView[]>(CASE_APPROVALS_PREFIX + caseId);
  if (kept) setCaseApprovals(caseId, kept);
  if (!online) return;
  try {
    const fetched = await api<ApprovalView[]>('GET', `/cases/${caseId}/approvals`);
    await vault.put(CASE_APPROVALS_PREFIX + caseId, fetched);
    setCaseApprovals(caseId, fetched);
  } catch {
    // Offline, or a server without approvals: the kept list (or none) is shown.
  }
}

function setCaseApprovals(caseId: string, list: ApprovalView[]): void {
  const next = new Map(caseApprovals.value);
  next.set(caseId, list);
  caseApprovals.value = next;
}

/** Returns the kind of approval `id` when a list on the phone has it. */
export function approvalKindOf(id: string): ApprovalKind | null {
  const pending = pendingApprovals.value.find((approval) => approval.id === id);
  if (pending) return pending.kind;
  for (const list of caseApprovals.value.values()) {
    const found = list.find((approval) => approval.id === id);
    if (found) return found.kind;
  }
  return null;
}

/** The error of a decision that lost the race: someone else decided (or withdrew) first. */
export class StateChangedError extends Error {}

/**
 * Approves or rejects approval `approval` at the version the user saw (a rejection needs a
 * comment), or withdraws the user's own request. Updates the cached queue, the task list and the
 * case's history, and fetches the case again (an approval writes dates into it, and a closure
 * closes it). Throws `StateChangedError` when someone else acted first.
 */
export async function decideApproval(approval: ApprovalView, decision: 'approve' | 'reject' | 'withdraw', comment?: string): Promise<ApprovalView> {
  const body: Record<string, unknown> = { expected_version: approval.version };
  if (comment) body.comment = comment;
  let decided: ApprovalView;
  try {
    decided = await api<ApprovalView>('POST', `/approvals/${approval.id}/${decision}`, body);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 409 && failure.code === 'state_changed') {
      dropFromQueue(approval.id);
      throw new StateChangedError(failure.message);
    }
    throw failure;
  }
  dropFromQueue(approval.id);
  const history = caseApprovals.value.get(approval.case_id);
  if (history) setCaseApprovals(approval.case_id, [decided, ...history.filter((entry) => entry.id !== decided.id)]);
  await refreshCases([approval.case_id]).catch(() => undefined);
  return decided;
}

/** Removes a decided approval from the cached queue and tasks, in memory and in the vault. */
function dropFromQueue(id: string): void {
  pendingApprovals.value = pendingApprovals.value.filter((approval) => approval.id !== id);
  serverTasks.value = { ...serverTasks.value, items: serverTasks.value.items.filter((task) => task.subject_id !== id) };
  void storeServerLists().catch(() => undefined);
}

/** Flags case `caseId` with `text` and fetches the case again, which carries its active flags. */
export async function addFlag(caseId: string, text: string): Promise<FlagView> {
  const flag = await api<FlagView>('POST', `/cases/${caseId}/flags`, { text });
  await refreshCases([caseId]).catch(() => undefined);
  return flag;
}

/** Removes flag `flagId` of case `caseId` with a reason, and fetches the case again. */
export async function removeFlag(caseId: string, flagId: string, reason: string): Promise<void> {
  await api('POST', `/flags/${flagId}/remove`, { reason });
  await refreshCases([caseId]).catch(() => undefined);
}

/** Reopens closed case `record` at the version the user saw, with a reason. */
export async function reopenCase(record: Pick<CaseView, 'id' | 'version'>, reason: string): Promise<void> {
  await api('POST', `/cases/${record.id}/reopen`, { expected_version: record.version, reason });
  await refreshCases([record.id]);
}
