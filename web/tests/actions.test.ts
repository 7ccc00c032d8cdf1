// @vitest-environment node
/// <reference types="node" />
// The queue of casework actions (src/actions.ts) and its place in the sync (src/sync.ts), against
// fake sync and casework servers with fake-indexeddb and Node's WebCrypto: actions made offline
// are sent after the registration they depend on, with the same id on every try; a 4xx keeps the
// action as failed with the server's message; a 5xx keeps it pending; the server's lists are
// cached in the vault and read back after the app is opened again.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';

import {
  dismissAction,
  markNotificationsRead,
  notifications,
  pendingApprovals,
  queueAction,
  queuedActions,
  requestOf,
  serverTasks,
  type NotificationView,
  type TaskView,
} from '../src/actions';
import type { UserView } from '../src/model';
import { session } from '../src/session';
import { clearLocalState, createCaseLocally, loadLocalCases, syncNow, syncState } from '../src/sync';
import { Vault } from '../src/vault/store';
import { FakeCaseworkServer } from './fakeCasework';

// Each test unlocks a new vault, which derives a key with 310,000 PBKDF2 rounds.
vi.setConfig({ testTimeout: 30_000 });

const PASSWORD = 'correct horse battery';
const CASE_A = '3f0c9d2e-0001-4c1a-9a11-000000001001';
const CASE_NEW = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const APPROVAL_ID = '0190a1b2-c3d4-4e5f-8a9b-00000000a001';

let userCounter = 0;

function userOf(username: string): UserView {
  return { id: `id-${username}`, username, full_name: username, agency_id: 'bcri', role_id: 'caseworker', locale: 'bn', disabled: false };
}

/** Unlocks a new vault for a new user name, opens a session on it and routes fetch to `server`. */
async function start(server: FakeCaseworkServer, username = `cw.actions${++userCounter}`): Promise<Vault> {
  const vault = await Vault.unlock(username, PASSWORD, true);
  session.value = { user: userOf(username), vault, configuration: null, configVersion: 0, serverSession: true };
  vi.stubGlobal('fetch', server.fetch);
  await loadLocalCases();
  return vault;
}

afterEach(() => {
  session.value?.vault.close();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
});

function notification(id: string, read: boolean): NotificationView {
  return {
    id,
    kind: 'approval_requested',
    case_id: CASE_A,
    display_id: 'CXB-3F0C9D',
    subject_id: APPROVAL_ID,
    actor_name: 'Rahima Akter',
    created_at: '2024-05-10T04:00:00Z',
    read,
    title: 'Approval requested',
    body: 'Rahima Akter asks you to approve the case plan of CXB-3F0C9D.',
  };
}

describe('requestOf', () => {
  test('sends each kind to its route with the id', () => {
    const base = { id: APPROVAL_ID, caseId: CASE_A, body: { kind: 'assessment' } };
    expect(requestOf({ ...base, kind: 'approval' })).toEqual({ path: `/cases/${CASE_A}/approvals`, body: { kind: 'assessment', id: APPROVAL_ID } });
    expect(requestOf({ ...base, kind: 'referral' }).path).toBe(`/cases/${CASE_A}/referrals`);
    expect(requestOf({ ...base, kind: 'transfer' }).path).toBe(`/cases/${CASE_A}/transfers`);
    expect(requestOf({ ...base, kind: 'transfer_request' }).path).toBe(`/cases/${CASE_A}/transfer-requests`);
    expect(requestOf({ id: 'x', caseId: '', body: { ids: ['n1'] }, kind: 'notifications_read' })).toEqual({ path: '/notifications/read', body: { ids: ['n1'] } });
  });
});

describe('action queue', () => {
  test('offline request waits for its registration', async () => {
    const server = new FakeCaseworkServer();
    const vault = await start(server);
    server.sync.offline = true;
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা', assessment_completed_on: '2024-05-10' });
    await queueAction('approval', CASE_NEW, APPROVAL_ID, { kind: 'assessment' });
    await syncNow();
    expect(await vault.pendingCount()).toBe(2);
    expect(server.posts(`/cases/${CASE_NEW}/approvals`)).toEqual([]);

    // The registration is parked once: the request must not overtake it.
    server.sync.offline = false;
    const [create] = await vault.outbox();
    server.sync.deferOnce.add(create.mutationId);
    await syncNow();
    expect(server.posts(`/cases/${CASE_NEW}/approvals`)).toEqual([]);
    expect(queuedActions.value.map((action) => action.state)).toEqual(['pending']);

    await syncNow();
    const posts = server.posts(`/cases/${CASE_NEW}/approvals`);
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({ kind: 'assessment', id: APPROVAL_ID });
    expect(server.approvals.get(APPROVAL_ID)?.status).toBe('pending');
    expect(queuedActions.value).toEqual([]);
    expect(await vault.pendingCount()).toBe(0);
  });

  test('lost answer resends the same id', async () => {
    const server = new FakeCaseworkServer();
    server.sync.put(CASE_A, { name_first: 'রহিমা' }, 2);
    await start(server);
    await syncNow();
    server.loseAnswerOf.add(`/api/v1/cases/${CASE_A}/approvals`);
    await queueAction('approval', CASE_A, APPROVAL_ID, { kind: 'case_plan', comment: 'Plan ready' });
    await syncNow();
    expect(syncState.value.unreachable).toBe(true);
    expect(queuedActions.value.map((action) => action.state)).toEqual(['pending']);

    await syncNow();
    const posts = server.posts(`/cases/${CASE_A}/approvals`);
    expect(posts.map((post) => post.body?.id)).toEqual([APPROVAL_ID, APPROVAL_ID]);
    expect(server.approvals.size).toBe(1);
    expect(queuedActions.value).toEqual([]);
  });

  test('rejection is kept with its message', async () => {
    const server = new FakeCaseworkServer();
    server.sync.put(CASE_A, { name_first: 'রহিমা' }, 2);
    const vault = await start(server);
    server.failNext.set(`/api/v1/cases/${CASE_A}/approvals`, { status: 422, code: 'precondition_failed', message: 'মূল্যায়ন এখনো সম্পন্ন হয়নি।' });
    await queueAction('approval', CASE_A, APPROVAL_ID, { kind: 'assessment' });
    await syncNow();

    expect(queuedActions.value).toHaveLength(1);
    expect(queuedActions.value[0].state).toBe('failed');
    expect(queuedActions.value[0].error).toEqual({ status: 422, code: 'precondition_failed', message: 'মূল্যায়ন এখনো সম্পন্ন হয়নি।' });
    expect(await vault.pendingCount()).toBe(0);

    // A failed action is not sent again.
    await syncNow();
    expect(server.posts(`/cases/${CASE_A}/approvals`)).toHaveLength(1);

    await dismissAction(APPROVAL_ID);
    expect(queuedActions.value).toEqual([]);
    expect(await vault.actions()).toEqual([]);
  });

  test('server failure keeps it pending', async () => {
    const server = new FakeCaseworkServer();
    server.sync.put(CASE_A, { name_first: 'রহিমা' }, 2);
    const vault = await start(server);
    server.failNext.set(`/api/v1/cases/${CASE_A}/approvals`, { status: 503, code: 'unavailable', message: '' });
    await queueAction('approval', CASE_A, APPROVAL_ID, { kind: 'closure' });
    await syncNow();
    expect(queuedActions.value.map((action) => action.state)).toEqual(['pending']);
    expect(await vault.pendingCount()).toBe(1);
    expect(syncState.value.error).not.toBeNull();

    await syncNow();
    expect(queuedActions.value).toEqual([]);
    expect(server.approvals.get(APPROVAL_ID)?.kind).toBe('closure');
  });

  test('queue survives reopening the vault', async () => {
    const server = new FakeCaseworkServer();
    server.sync.put(CASE_A, { name_first: 'রহিমা' }, 2);
    const username = `cw.actions${++userCounter}`;
    const vault = await start(server, username);
    server.sync.offline = true;
    await queueAction('referral', CASE_A, APPROVAL_ID, { to_agency_id: 'agency-b', service_type: 'psychosocial' });
    await syncNow();
    vault.close();
    clearLocalState();
    expect(queuedActions.value).toEqual([]);

    await start(server, username);
    expect(queuedActions.value.map((action) => [action.kind, action.caseId, action.body.service_type])).toEqual([['referral', CASE_A, 'psychosocial']]);
  });
});

describe('server lists', () => {
  const approvalTask: TaskView = {
    kind: 'approval',
    case_id: CASE_A,
    display_id: 'CXB-3F0C9D',
    child_name: 'রহিমা',
    risk_level: 'high',
    due_on: null,
    item: '',
    subject_id: APPROVAL_ID,
    overdue: false,
  };

  test('cached and read offline', async () => {
    const server = new FakeCaseworkServer();
    server.sync.put(CASE_A, { name_first: 'রহিমা' }, 2);
    // A case-derived task from the server is kept apart: the phone computes those itself and uses
    // the server's only to learn which cases are assigned to the user.
    const assessmentTask: TaskView = { ...approvalTask, kind: 'assessment', subject_id: null, due_on: '2024-05-11' };
    server.tasks = { today: '2024-05-10', items: [approvalTask, assessmentTask] };
    server.notificationItems = [notification('n1', false), notification('n2', true)];
    const username = `cw.actions${++userCounter}`;
    const vault = await start(server, username);
    await syncNow();
    expect(serverTasks.value.items).toEqual([approvalTask]);
    expect(notifications.value.unread).toBe(1);

    vault.close();
    clearLocalState();
    expect(serverTasks.value.items).toEqual([]);
    server.sync.offline = true;
    await start(server, username);
    await syncNow();
    expect(serverTasks.value).toEqual({ today: '2024-05-10', items: [approvalTask], caseItems: [assessmentTask] });
    expect(notifications.value.items.map((item) => item.id)).toEqual(['n1', 'n2']);
    expect(pendingApprovals.value).toEqual([]);
  });

  test('missing routes leave empty lists', async () => {
    const server = new FakeCaseworkServer();
    server.failNext.set('/api/v1/tasks', { status: 404, code: 'not_found', message: '' });
    await start(server);
    await syncNow();
    expect(syncState.value.error).toBeNull();
    expect(serverTasks.value.items).toEqual([]);
  });

  test('read marks wait for a connection', async () => {
    const server = new FakeCaseworkServer();
    server.notificationItems = [notification('n1', false), notification('n2', false)];
    await start(server);
    await syncNow();
    expect(notifications.value.unread).toBe(2);

    server.sync.offline = true;
    await markNotificationsRead(['n1']);
    await syncNow();
    expect(notifications.value.unread).toBe(1);
    expect(notifications.value.items.find((item) => item.id === 'n1')?.read).toBe(true);
    expect(server.posts('/notifications/read')).toEqual([]);

    server.sync.offline = false;
    await syncNow();
    expect(server.posts('/notifications/read').map((post) => post.body)).toEqual([{ ids: ['n1'] }]);
    expect(server.notificationItems.map((item) => item.read)).toEqual([true, false]);
    expect(notifications.value.unread).toBe(1);
    expect(queuedActions.value).toEqual([]);
  });
});
