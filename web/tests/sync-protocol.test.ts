// @vitest-environment node
/// <reference types="node" />
// The client side of docs/sync.md (src/sync.ts and the outbox of src/vault/store.ts) against a
// fake server (tests/fakeSyncServer.ts), with fake-indexeddb and Node's WebCrypto: outbox order
// and ids, retries, deferred and rejected mutations, conflicts seen before sending, paged
// downloads that resume, scope removals, the connection state after a sync, the stage of cases
// changed offline, the vault upgrade and a disabled account.

import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { api, ApiError } from '../src/api';
import { addAttachment, attachmentBlob, pendingAttachmentCount } from '../src/attachments';
import { errorText } from '../src/errors';
import { locale, t, type Locale } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { loginNotice, session } from '../src/session';
import {
  caseSyncState,
  cases,
  clearLocalState,
  createCaseLocally,
  dismissNotSent,
  loadCase,
  loadLocalCases,
  notSent,
  syncNow,
  syncState,
  updateCaseLocally,
  withdrawUnsent,
} from '../src/sync';
import { seal } from '../src/vault/crypto';
import { NoVaultError, Vault } from '../src/vault/store';
import { FakeSyncServer } from './fakeSyncServer';

// Each test unlocks a new vault, which derives a key with 310,000 PBKDF2 rounds.
vi.setConfig({ testTimeout: 30_000 });

const PASSWORD = 'correct horse battery';
const CASE_A = '3f0c9d2e-0001-4c1a-9a11-000000001001';
const CASE_B = '3f0c9d2e-0001-4c1a-9a11-000000001002';
const CASE_NEW = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let userCounter = 0;

function userOf(username: string): UserView {
  return { id: `id-${username}`, username, full_name: username, agency_id: 'bcri', role_id: 'caseworker', locale: 'bn', disabled: false };
}

/** Unlocks a new vault for a new user name, opens a session on it and routes fetch to `server`. */
async function start(server: FakeSyncServer): Promise<Vault> {
  const username = `cw.sync${++userCounter}`;
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

function mutationsOf(server: FakeSyncServer, request: number): Record<string, unknown>[] {
  return server.syncRequests()[request].body.mutations as Record<string, unknown>[];
}

async function whole(id: string): Promise<LocalCase> {
  const record = await loadCase(id);
  if (!record) throw new Error(`case ${id} is not in the vault`);
  return record;
}

describe('outbox', () => {
  test('mutations carry order and ids', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', risk_level: 'medium' }, 3);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা' });
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', risk_level: 'high' }, [{ path: 'risk_level', value: 'high' }]);
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', risk_level: 'high', sex: 'female' }, [{ path: 'sex', value: 'female' }]);
    await syncNow();
    server.offline = false;
    await syncNow();

    const sent = mutationsOf(server, server.syncRequests().length - 1);
    expect(sent.map((mutation) => mutation.seq)).toEqual([1, 2, 3]);
    expect(sent.map((mutation) => mutation.kind)).toEqual(['create', 'update', 'update']);
    expect(sent.map((mutation) => mutation.record_id)).toEqual([CASE_NEW, CASE_A, CASE_A]);
    for (const mutation of sent) expect(mutation.mutation_id).toMatch(UUID);
    expect(new Set(sent.map((mutation) => mutation.mutation_id)).size).toBe(3);
    expect(sent[1].base_version).toBe(3);
    expect(sent[1].changes).toEqual([{ path: 'risk_level', value: 'high' }]);
    expect(sent[1].device_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(sent[0].data).toEqual({ name_first: 'সায়রা' });
    expect(await vault.pendingCount()).toBe(0);
    expect(syncState.value.pending).toBe(0);
    expect(syncState.value.working).toBe(false);
  });

  test('outbox keeps the value before the edit', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { risk_level: 'medium' }, 3);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    await updateCaseLocally(await whole(CASE_A), { risk_level: 'high' }, [{ path: 'risk_level', value: 'high' }]);
    await syncNow();
    const [entry] = await vault.outbox<{ changes: { path: string; value: unknown; old: unknown }[] }>();
    expect(entry.changes).toEqual([{ path: 'risk_level', value: 'high', old: 'medium' }]);
    expect(entry.deviceSeq).toBe(1);
  });

  test('resend after a lost response', async () => {
    const server = new FakeSyncServer();
    const vault = await start(server);
    server.faults.set(1, 'network-after');
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা' });
    await syncNow();
    expect(syncState.value.unreachable).toBe(true);
    expect(await vault.pendingCount()).toBe(1);

    await syncNow();
    const first = mutationsOf(server, 0);
    const second = mutationsOf(server, 1);
    expect(second).toEqual(first);
    expect(server.cases.size).toBe(1);
    expect(await vault.pendingCount()).toBe(0);
    expect(cases.value.map((local) => local.id)).toEqual([CASE_NEW]);
  });

  test('deferred mutation is kept and sent again', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { risk_level: 'medium' }, 1);
    const vault = await start(server);
    await syncNow();
    await updateCaseLocally(await whole(CASE_A), { risk_level: 'high' }, [{ path: 'risk_level', value: 'high' }]);
    const [entry] = await vault.outbox();
    server.deferOnce.add(entry.mutationId);
    // The save starts a sync of its own; wait for it, then run the one that gets `deferred`.
    await syncNow();
    expect(await vault.pendingCount()).toBe(1);
    expect((await whole(CASE_A)).data.risk_level).toBe('high');

    await syncNow();
    expect(await vault.pendingCount()).toBe(0);
    const sends = server.syncRequests().filter((request) => (request.body.mutations as unknown[]).length > 0);
    expect(sends.map((request) => (request.body.mutations as { mutation_id: string }[])[0].mutation_id)).toEqual([
      entry.mutationId,
      entry.mutationId,
    ]);
    expect(server.cases.get(CASE_A)!.view.data.risk_level).toBe('high');
  });

  test('rejected mutation goes to the not-sent list', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', age: 9 }, 1);
    const vault = await start(server);
    await syncNow();
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', age: 'INVALID' }, [{ path: 'age', value: 'INVALID' }]);
    await syncNow();

    expect(await vault.pendingCount()).toBe(0);
    expect(notSent.value).toHaveLength(1);
    const [kept] = notSent.value;
    expect(kept.caseId).toBe(CASE_A);
    expect(kept.code).toBe('invalid');
    expect(kept.message).toBe('একটি মান সঠিক নয়।');
    expect(kept.changes).toEqual([{ path: 'age', value: 'INVALID', old: 9 }]);
    expect(kept.fields).toEqual([{ path: 'age', message: 'বয়স সঠিক নয়।' }]);
    // The case shows the server's value again, marked as having a change not sent.
    const record = await whole(CASE_A);
    expect(record.data.age).toBe(9);
    expect(caseSyncState(record)).toBe('rejected');
    // The list survives a reload of the vault.
    notSent.value = [];
    await loadLocalCases();
    expect(notSent.value.map((entry) => entry.mutationId)).toEqual([kept.mutationId]);

    await dismissNotSent(kept.mutationId);
    expect(notSent.value).toEqual([]);
    expect(caseSyncState(await whole(CASE_A))).toBe('synced');
  });

  test('conflict result removes the entry and shows the conflict', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { risk_level: 'medium', care_arrangement: 'with_parents' }, 3);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    await updateCaseLocally(await whole(CASE_A), { risk_level: 'high', care_arrangement: 'with_parents' }, [
      { path: 'risk_level', value: 'high' },
    ]);
    await syncNow();
    server.write(CASE_A, { risk_level: 'low', care_arrangement: 'kinship_care' });
    server.offline = false;

    await syncNow();
    expect(await vault.pendingCount()).toBe(0);
    const record = await whole(CASE_A);
    expect(record.data).toEqual({ risk_level: 'low', care_arrangement: 'kinship_care' });
    expect(record.conflicts!.map((conflict) => conflict.path)).toEqual(['risk_level']);
    expect(record.conflicts![0].candidates.map((candidate) => candidate.value)).toEqual(['low', 'high']);
    expect(caseSyncState(record)).toBe('conflict');
  });
});

describe('withdrawal', () => {
  test('withdrawn changes go as void mutations', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', risk_level: 'medium' }, 3);
    server.put(CASE_B, { name_first: 'করিম' }, 2);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', risk_level: 'high' }, [{ path: 'risk_level', value: 'high' }]);
    await updateCaseLocally(await whole(CASE_B), { name_first: 'করিম উদ্দিন' }, [{ path: 'name_first', value: 'করিম উদ্দিন' }]);
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', risk_level: 'high', sex: 'female' }, [{ path: 'sex', value: 'female' }]);
    await syncNow();
    const before = await vault.outbox();

    await withdrawUnsent(CASE_A);
    // The case shows the values the withdrawn changes replaced, at once and offline.
    const restored = await whole(CASE_A);
    expect(restored.data).toEqual({ name_first: 'রহিমা', risk_level: 'medium' });
    expect(restored.pending).toBe(0);
    expect(caseSyncState(restored)).toBe('synced');
    expect(cases.value.find((local) => local.id === CASE_A)!.data.risk_level).toBe('medium');
    // Only CASE_B's change still counts as waiting; the withdrawn entries stay to be sent.
    expect(syncState.value.pending).toBe(1);
    expect(await vault.pendingCount()).toBe(1);
    const after = await vault.outbox<{ kind: string }>();
    expect(after.map((entry) => entry.mutationId)).toEqual(before.map((entry) => entry.mutationId));
    expect(after.map((entry) => entry.kind)).toEqual(['void', 'update', 'void']);

    server.offline = false;
    await syncNow();
    const sent = mutationsOf(server, server.syncRequests().length - 1);
    expect(sent.map((mutation) => mutation.seq)).toEqual([1, 2, 3]);
    expect(sent.map((mutation) => mutation.kind)).toEqual(['void', 'update', 'void']);
    expect(sent.map((mutation) => mutation.mutation_id)).toEqual(before.map((entry) => entry.mutationId));
    expect(sent[0].changes).toBeUndefined();
    expect(sent[0].record_id).toBe(CASE_A);
    expect(server.cases.get(CASE_A)!.view.data).toEqual({ name_first: 'রহিমা', risk_level: 'medium' });
    expect(server.cases.get(CASE_B)!.view.data.name_first).toBe('করিম উদ্দিন');
    expect(await vault.outbox()).toEqual([]);
    expect((await whole(CASE_A)).data.risk_level).toBe('medium');
    expect(notSent.value).toEqual([]);
  });

  test('withdrawn registration leaves the phone', async () => {
    const server = new FakeSyncServer();
    const vault = await start(server);
    server.offline = true;
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা' });
    await updateCaseLocally(await whole(CASE_NEW), { name_first: 'সায়রা', sex: 'female' }, [{ path: 'sex', value: 'female' }]);
    await syncNow();
    await vault.put(`attachment:${CASE_NEW}:photo`, { bytes: 'x' });

    await withdrawUnsent(CASE_NEW);
    expect(await loadCase(CASE_NEW)).toBeUndefined();
    expect(cases.value).toEqual([]);
    expect(await vault.keys(`attachment:${CASE_NEW}:`)).toEqual([]);
    expect(syncState.value.pending).toBe(0);

    server.offline = false;
    await syncNow();
    const sent = mutationsOf(server, server.syncRequests().length - 1);
    expect(sent.map((mutation) => [mutation.seq, mutation.kind])).toEqual([
      [1, 'void'],
      [2, 'void'],
    ]);
    expect(server.cases.has(CASE_NEW)).toBe(false);
    expect(await vault.outbox()).toEqual([]);

    // The next change on this device continues the numbering without a gap.
    server.put(CASE_A, { name_first: 'রহিমা' });
    await syncNow();
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা আক্তার' }, [{ path: 'name_first', value: 'রহিমা আক্তার' }]);
    await syncNow();
    const next = server.syncRequests().flatMap((request) => request.body.mutations as { seq: number }[]);
    expect(next.at(-1)!.seq).toBe(3);
    expect(server.cases.get(CASE_A)!.view.data.name_first).toBe('রহিমা আক্তার');
  });
});

describe('download', () => {
  test('pull keeps a pending edit', async () => {
    // Device A holds version 3 and sets risk_level to high offline; another user sets it to low.
    const server = new FakeSyncServer();
    server.put(CASE_A, { risk_level: 'medium', care_arrangement: 'with_parents', next_follow_up: '2024-05-20' }, 3);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    const before = await whole(CASE_A);
    await updateCaseLocally(before, { ...before.data, risk_level: 'high' }, [{ path: 'risk_level', value: 'high' }]);
    await syncNow();
    server.write(CASE_A, { risk_level: 'low', care_arrangement: 'kinship_care' });
    server.offline = false;

    // A pull that brings `low` before the device sends: the server refuses mutations this time.
    server.deferOnce.add((await vault.outbox())[0].mutationId);
    await syncNow();
    const record = await whole(CASE_A);
    expect(record.data.risk_level).toBe('high');
    expect(record.data.care_arrangement).toBe('kinship_care');
    expect(record.version).toBe(4);
    expect(record.changedOnServer).toEqual(['risk_level']);
    expect(caseSyncState(record)).toBe('conflict');
    expect(await vault.pendingCount()).toBe(1);
  });

  test('pull of a different field merges quietly', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { risk_level: 'medium', next_follow_up: '2024-05-20' }, 3);
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    const before = await whole(CASE_A);
    await updateCaseLocally(before, { ...before.data, next_follow_up: '2024-05-25' }, [{ path: 'next_follow_up', value: '2024-05-25' }]);
    await syncNow();
    server.write(CASE_A, { risk_level: 'low' });
    server.offline = false;
    server.deferOnce.add((await vault.outbox())[0].mutationId);
    await syncNow();

    const record = await whole(CASE_A);
    expect(record.data).toEqual({ risk_level: 'low', next_follow_up: '2024-05-25' });
    expect(record.changedOnServer).toEqual([]);
    expect(caseSyncState(record)).toBe('pending');
  });

  test('cursor stored per page and resumed', async () => {
    const server = new FakeSyncServer();
    const ids: string[] = [];
    for (let index = 0; index < 250; index++) {
      const id = `3f0c9d2e-0001-4c1a-9a11-${String(index).padStart(12, '0')}`;
      ids.push(id);
      server.put(id, { name_first: `শিশু ${index}` });
    }
    const vault = await start(server);
    server.faults.set(3, 'network-before');
    await syncNow();
    expect(syncState.value.unreachable).toBe(true);
    expect(cases.value).toHaveLength(200);
    expect(await vault.get('sync-cursor')).toBe('v1.200.fp');

    await syncNow();
    const cursors = server.syncRequests().map((request) => request.body.cursor);
    expect(cursors).toEqual([null, 'v1.100.fp', 'v1.200.fp', 'v1.200.fp']);
    expect(cases.value.map((local) => local.id).sort()).toEqual(ids);
  });

  test('progress counts the cases of a download', async () => {
    const server = new FakeSyncServer();
    for (let index = 0; index < 150; index++) server.put(`3f0c9d2e-0001-4c1a-9a11-${String(index).padStart(12, '0')}`, {});
    await start(server);
    const seen: ({ done: number; total: number } | null)[] = [];
    const stop = syncState.subscribe((state) => seen.push(state.download));
    await syncNow();
    stop();
    expect(seen).toContainEqual({ done: 100, total: 150 });
    expect(syncState.value.download).toBeNull();
  });

  test('stopped download keeps its progress', async () => {
    const server = new FakeSyncServer();
    for (let index = 0; index < 250; index++) server.put(`3f0c9d2e-0001-4c1a-9a11-${String(index).padStart(12, '0')}`, {});
    const vault = await start(server);
    server.faults.set(2, 'network-before');
    await syncNow();

    expect(syncState.value.incomplete).toEqual({ done: 100, total: 250 });
    expect(syncState.value.online).toBe(true);
    expect(syncState.value.unreachable).toBe(true);
    expect(await vault.get('download-progress')).toEqual({ done: 100, total: 250 });

    const seen: ({ done: number; total: number } | null)[] = [];
    const stop = syncState.subscribe((state) => seen.push(state.download));
    await syncNow();
    stop();
    expect(seen).toContainEqual({ done: 200, total: 250 });
    expect(syncState.value.incomplete).toBeNull();
    expect(syncState.value.unreachable).toBe(false);
    expect(await vault.get('download-progress')).toBeUndefined();
  });

  test('failure without network is offline', async () => {
    const server = new FakeSyncServer();
    await start(server);
    vi.stubGlobal('navigator', { onLine: false });
    server.offline = true;
    await syncNow();

    expect(syncState.value.online).toBe(false);
    expect(syncState.value.unreachable).toBe(false);
  });

  test('sync ending after the network dropped stays offline', async () => {
    // The browser reports the drop while the exchange is under way, and the response still arrives.
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    await start(server);
    const browser = { onLine: true };
    vi.stubGlobal('navigator', browser);
    vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await server.fetch(input, init);
      if (String(input) === '/api/v1/sync' && browser.onLine) {
        browser.onLine = false;
        // What the `offline` listener of `startBackgroundSync` does.
        syncState.value = { ...syncState.value, online: false };
      }
      return answer;
    });
    await syncNow();

    expect(cases.value.map((local) => local.id)).toEqual([CASE_A]);
    expect(syncState.value.lastSync).not.toBeNull();
    expect(syncState.value.online).toBe(false);
    expect(syncState.value.unreachable).toBe(false);
  });

  test('sync while online stays online', async () => {
    const server = new FakeSyncServer();
    await start(server);
    vi.stubGlobal('navigator', { onLine: true });
    syncState.value = { ...syncState.value, online: false };
    await syncNow();

    expect(syncState.value.online).toBe(true);
  });

  test('scope removal spares pending cases', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    server.put(CASE_B, { name_first: 'করিম' });
    const vault = await start(server);
    await syncNow();
    await vault.put(`attachment:${CASE_A}:photo`, { bytes: 'x' });
    await vault.put(`attachment:${CASE_B}:photo`, { bytes: 'y' });
    // B has an edit the server has not received when both cases leave the user's scope.
    server.offline = true;
    await updateCaseLocally(await whole(CASE_B), { name_first: 'করিম উদ্দিন' }, [{ path: 'name_first', value: 'করিম উদ্দিন' }]);
    await syncNow();
    server.offline = false;
    server.visible = new Set();
    server.deferOnce.add((await vault.outbox())[0].mutationId);

    await syncNow();
    expect(cases.value.map((local) => local.id)).toEqual([CASE_B]);
    expect(await loadCase(CASE_A)).toBeUndefined();
    expect(await vault.keys(`attachment:${CASE_A}:`)).toEqual([]);
    expect(await vault.keys(`attachment:${CASE_B}:`)).toEqual([`attachment:${CASE_B}:photo`]);
    expect((await whole(CASE_B)).data.name_first).toBe('করিম উদ্দিন');
  });

  test('scope fetches missing cases', async () => {
    // B is older than the cursor when it becomes visible without a write (a changed group), so
    // only the scope brings it.
    const server = new FakeSyncServer();
    server.put(CASE_B, { name_first: 'করিম' });
    server.put(CASE_A, { name_first: 'রহিমা' });
    server.visible = new Set([CASE_A]);
    await start(server);
    await syncNow();
    expect(cases.value.map((local) => local.id)).toEqual([CASE_A]);
    server.visible = null;
    await syncNow();
    expect(cases.value.map((local) => local.id).sort()).toEqual([CASE_A, CASE_B]);
    expect(server.requests.some((request) => request.path === '/api/v1/sync/records')).toBe(true);
  });

  test('large request is gzipped', async () => {
    const server = new FakeSyncServer();
    const vault = await start(server);
    server.offline = true;
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা', notes: 'ক'.repeat(2000) });
    await syncNow();
    server.offline = false;
    await syncNow();
    expect(await vault.pendingCount()).toBe(0);
    const last = server.syncRequests().at(-1)!;
    expect(last.gzipped).toBe(true);
    expect((last.body.mutations as { data: { notes: string } }[])[0].data.notes).toHaveLength(2000);
  });
});

describe('stage on the phone', () => {
  test('case registered offline gets its stage', async () => {
    const server = new FakeSyncServer();
    server.offline = true;
    const vault = await start(server);
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা', registration_date: '2024-05-10', assessment_completed_on: '2024-05-11' });
    await syncNow();

    expect(await vault.pendingCount()).toBe(1);
    expect((await whole(CASE_NEW)).stage).toBe('assessment');
    expect(cases.value.find((local) => local.id === CASE_NEW)!.stage).toBe('assessment');
  });

  test('case registered offline without casework is new', async () => {
    const server = new FakeSyncServer();
    server.offline = true;
    await start(server);
    await createCaseLocally(CASE_NEW, { name_first: 'সায়রা', registration_date: '2024-05-10' });

    expect((await whole(CASE_NEW)).stage).toBe('new');
  });

  test('offline edit moves the stage on', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', registration_date: '2024-05-10' });
    await start(server);
    await syncNow();
    server.offline = true;
    const before = await whole(CASE_A);
    expect(before.stage).toBe('new');
    const row = { unique_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60', intervention: 'psychosocial_support' };
    await updateCaseLocally(before, { ...before.data, case_plan_interventions: [row] }, [
      { path: `case_plan_interventions/${row.unique_id}`, value: row },
    ]);

    expect((await whole(CASE_A)).stage).toBe('case_plan');
    expect(cases.value.find((local) => local.id === CASE_A)!.stage).toBe('case_plan');
  });

  test('download keeps the stage of unsent changes', async () => {
    // Another user's edit comes down while this device's assessment date is still unsent.
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', registration_date: '2024-05-10' });
    const vault = await start(server);
    await syncNow();
    server.offline = true;
    const before = await whole(CASE_A);
    await updateCaseLocally(before, { ...before.data, assessment_completed_on: '2024-05-12' }, [
      { path: 'assessment_completed_on', value: '2024-05-12' },
    ]);
    await syncNow();
    server.write(CASE_A, { name_last: 'আক্তার' });
    server.offline = false;
    server.deferOnce.add((await vault.outbox())[0].mutationId);
    await syncNow();

    const record = await whole(CASE_A);
    expect(record.data.name_last).toBe('আক্তার');
    expect(await vault.pendingCount()).toBe(1);
    expect(record.stage).toBe('assessment');
  });

  test('withdrawn change restores the stage', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', registration_date: '2024-05-10' });
    await start(server);
    await syncNow();
    server.offline = true;
    const before = await whole(CASE_A);
    await updateCaseLocally(before, { ...before.data, assessment_completed_on: '2024-05-12' }, [
      { path: 'assessment_completed_on', value: '2024-05-12' },
    ]);
    expect((await whole(CASE_A)).stage).toBe('assessment');
    await withdrawUnsent(CASE_A);

    expect((await whole(CASE_A)).stage).toBe('new');
  });
});

describe('vault upgrade', () => {
  test('version 1 outbox gets device ids', async () => {
    const username = `cw.upgrade${++userCounter}`;
    const vault = await Vault.unlock(username, PASSWORD, true);
    // Write what version 1 of the client wrote, sealed with this vault's key.
    const key = (vault as unknown as { key: CryptoKey }).key;
    const dbName = (vault as unknown as { db: Dexie }).db.name;
    const old = new Dexie(dbName);
    old.version(1).stores({ records: 'key', outbox: '++seq, caseId, state' });
    await old.table('records').put({ key: `case:${CASE_A}`, ...(await seal(key, { id: CASE_A, version: 2, data: { name_first: 'রহিমা' } })) });
    for (const [caseId, value] of [
      [CASE_A, 'first'],
      [CASE_B, 'second'],
      [CASE_A, 'third'],
    ]) {
      const sealed = await seal(key, { kind: 'update', changes: [{ path: 'name_nickname', value }] });
      await old.table('outbox').add({ caseId, state: 'pending', createdAt: Date.now(), ...sealed });
    }
    old.close();

    const entries = await vault.outbox<{ changes: { value: string }[] }>();
    expect(entries.map((entry) => entry.changes[0].value)).toEqual(['first', 'second', 'third']);
    expect(entries.map((entry) => entry.deviceSeq)).toEqual([1, 2, 3]);
    for (const entry of entries) expect(entry.mutationId).toMatch(UUID);
    expect((await vault.get<{ data: unknown }>(`case:${CASE_A}`))!.data).toEqual({ name_first: 'রহিমা' });
    expect(await vault.deviceId()).toMatch(UUID);

    // A new entry continues the device's numbering.
    await vault.saveWithOutbox(`case:${CASE_B}`, {}, CASE_B, { kind: 'update', changes: [] });
    expect((await vault.outbox()).map((entry) => entry.deviceSeq)).toEqual([1, 2, 3, 4]);
    vault.close();
  });
});

describe('session end', () => {
  test('disabled account wipes the vault', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    const vault = await start(server);
    const username = session.value!.user.username;
    await syncNow();
    server.faults.set(2, 'account-disabled');
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা আক্তার' }, [{ path: 'name_first', value: 'রহিমা আক্তার' }]);
    await syncNow();

    expect((mutationsOf(server, 1) as { record_id: string }[]).map((mutation) => mutation.record_id)).toEqual([CASE_A]);
    expect(session.value).toBeNull();
    expect(loginNotice.value).toEqual({ id: 'login-account-disabled', args: { count: 1 } });
    expect(cases.value).toEqual([]);
    const names = (await indexedDB.databases()).map((database) => database.name);
    expect(names).not.toContain((vault as unknown as { db: Dexie }).db.name);
    await expect(Vault.unlock(username, PASSWORD, false)).rejects.toBeInstanceOf(NoVaultError);
  });

  test('disabled account with over 200 changes keeps the vault', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা', age: 0 });
    const vault = await start(server);
    const username = session.value!.user.username;
    await syncNow();
    server.offline = true;
    for (let age = 1; age <= 205; age++) {
      await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', age }, [{ path: 'age', value: age }]);
    }
    await syncNow();
    server.offline = false;
    server.faults.set(2, 'account-disabled');
    await syncNow();

    // The server ends the session at the first request: 200 changes were kept aside, 5 were not sent.
    expect(mutationsOf(server, 1)).toHaveLength(200);
    expect(server.syncRequests()).toHaveLength(2);
    expect(session.value).toBeNull();
    expect(loginNotice.value).toEqual({ id: 'login-account-disabled-kept', args: { count: 5 } });
    expect(cases.value).toEqual([]);
    // The sealed vault stays whole, and opens again with the password.
    const reopened = await Vault.unlock(username, PASSWORD, false);
    expect(await reopened.pendingCount()).toBe(205);
    reopened.close();
    void vault;
  });

  test('disabled account keeps files not uploaded', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    const vault = await start(server);
    const username = session.value!.user.username;
    await syncNow();
    server.offline = true;
    const photos = [];
    for (const name of ['front.jpg', 'back.jpg']) {
      const file = new File([new Uint8Array([1, 2, 3])], name, { type: 'image/jpeg' });
      photos.push((await addAttachment(vault, CASE_A, 'photos', file, { photo: false })).meta.id);
    }
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা', photos }, [{ path: 'photos', value: photos }]);
    await syncNow();
    server.offline = false;
    server.disabled = true;
    await syncNow();

    // The change reached the supervisor's review, but the two photos never left the phone.
    expect(server.keptAside.map((mutation) => mutation.record_id)).toEqual([CASE_A]);
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/attachments'))).toEqual([]);
    expect(session.value).toBeNull();
    expect(loginNotice.value).toEqual({ id: 'login-account-disabled-files-kept', args: { files: 2 } });
    // The sealed vault stays, with both photos, and opens again with the password.
    const reopened = await Vault.unlock(username, PASSWORD, false);
    expect(await pendingAttachmentCount(reopened)).toBe(2);
    expect((await attachmentBlob(reopened, CASE_A, photos[0]))?.size).toBe(3);
    reopened.close();
    void vault;
  });

  test('disabled notice names files and changes', () => {
    const before = locale.value;
    const notices: [Locale, Record<string, number>, RegExp][] = [
      ['en', { files: 2 }, /2 files .* not uploaded yet .* still on this phone.*Tell your supervisor/],
      ['bn', { files: 2 }, /২টি ফাইল .*আপলোড হয়নি.*এই ফোনেই আছে.*সুপারভাইজারকে জানান/],
    ];
    for (const [code, args, expected] of notices) {
      locale.value = code;
      expect(t('login-account-disabled-files-kept', args)).toMatch(expected);
    }
    locale.value = 'en';
    expect(t('login-account-disabled-kept-with-files', { count: 1, files: 3 })).toMatch(/^Your account has been disabled\. One change and 3 files .* are not sent yet/);
    locale.value = 'bn';
    expect(t('login-account-disabled-kept-with-files', { count: 1, files: 3 })).toMatch(/একটি পরিবর্তন ও ৩টি ফাইল .* এখনো পাঠানো হয়নি/);
    locale.value = before;
  });

  test('disabled on another request delivers, then wipes', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    const vault = await start(server);
    const username = session.value!.user.username;
    await syncNow();
    server.offline = true;
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা আক্তার' }, [{ path: 'name_first', value: 'রহিমা আক্তার' }]);
    await syncNow();
    server.offline = false;
    server.disabled = true;

    // The history screen's request meets the disabled account first.
    const failure = await api('GET', `/cases/${CASE_A}/history`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(errorText(failure)).not.toMatch(/\b0\b/);
    // That answer alone starts the sync which delivers the outbox.
    await vi.waitFor(() => expect(session.value).toBeNull());

    expect(server.keptAside.map((mutation) => mutation.record_id)).toEqual([CASE_A]);
    expect(session.value).toBeNull();
    expect(loginNotice.value).toEqual({ id: 'login-account-disabled', args: { count: 1 } });
    const names = (await indexedDB.databases()).map((database) => database.name);
    expect(names).not.toContain((vault as unknown as { db: Dexie }).db.name);
    await expect(Vault.unlock(username, PASSWORD, false)).rejects.toBeInstanceOf(NoVaultError);
  });

  test('disabled with nothing unsent says so', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    await start(server);
    await syncNow();
    server.disabled = true;

    await api('GET', `/cases/${CASE_A}/history`).catch(() => undefined);
    await vi.waitFor(() => expect(session.value).toBeNull());

    expect(server.keptAside).toEqual([]);
    expect(session.value).toBeNull();
    expect(loginNotice.value).toEqual({ id: 'login-account-disabled-nothing-sent' });
  });

  test('expired session keeps everything', async () => {
    const server = new FakeSyncServer();
    server.put(CASE_A, { name_first: 'রহিমা' });
    const vault = await start(server);
    await syncNow();
    server.faults.set(2, 'session-expired');
    await updateCaseLocally(await whole(CASE_A), { name_first: 'রহিমা আক্তার' }, [{ path: 'name_first', value: 'রহিমা আক্তার' }]);
    await syncNow();

    expect(session.value).not.toBeNull();
    expect(syncState.value.sessionEnded).toBe(true);
    expect(await vault.pendingCount()).toBe(1);
    expect((await whole(CASE_A)).data.name_first).toBe('রহিমা আক্তার');
  });
});
