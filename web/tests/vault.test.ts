// @vitest-environment node
/// <reference types="node" />
// The encrypted vault (src/vault/store.ts) against fake-indexeddb and Node's WebCrypto: unlocking,
// the offline lockout, what actually lands in IndexedDB, per-user separation and the atomic
// write of a record with its outbox entry. Each test uses its own user names, because the
// device registry is one database shared by the whole module.

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { workflowRules } from '../src/domain/due';
import type { LocalCase } from '../src/model';
import { session } from '../src/session';
import { cases, indexFingerprint, loadCase, loadLocalCases } from '../src/sync';
import { userKey } from '../src/vault/crypto';
import {
  MAX_OFFLINE_ATTEMPTS,
  NoVaultError,
  OFFLINE_LOCK_MS,
  pendingCountFor,
  Vault,
  VaultLockedError,
  WrongPasswordError,
} from '../src/vault/store';

// Each unlock derives a key with 310,000 PBKDF2 rounds, and the lockout test unlocks eight times.
vi.setConfig({ testTimeout: 30_000 });

const BANGLA_NAME = 'রহিমা আক্তার';
const encoder = new TextEncoder();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Reads every row of `storeName` in the IndexedDB database `dbName`, without Dexie or a key. */
async function rawRows(dbName: string, storeName: string): Promise<unknown[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(dbName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise<unknown[]>((resolve, reject) => {
      const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
      request.onsuccess = () => resolve(request.result as unknown[]);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Collects the strings and byte arrays inside a stored row, at any depth. */
function collectLeaves(value: unknown, strings: string[], bytes: Uint8Array[]): void {
  if (typeof value === 'string') {
    strings.push(value);
  } else if (Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    bytes.push(new Uint8Array(value as ArrayBuffer));
  } else if (ArrayBuffer.isView(value)) {
    bytes.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    for (const item of value) collectLeaves(item, strings, bytes);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      strings.push(key);
      collectLeaves(item, strings, bytes);
    }
  }
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return true;
  }
  return false;
}

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) {
    bytes[index * 2] = text.charCodeAt(index) & 0xff;
    bytes[index * 2 + 1] = text.charCodeAt(index) >> 8;
  }
  return bytes;
}

/** Returns whether `text` appears in any string, UTF-8 bytes or UTF-16 bytes of `rows`. */
function rowsContain(rows: unknown[], text: string): boolean {
  const strings: string[] = [];
  const bytes: Uint8Array[] = [];
  collectLeaves(rows, strings, bytes);
  if (strings.some((entry) => entry.includes(text))) return true;
  const encodings = [encoder.encode(text), utf16le(text)];
  return bytes.some((array) => encodings.some((encoding) => containsBytes(array, encoding)));
}

async function vaultDbName(username: string): Promise<string> {
  return `sathi-vault-${await userKey(username)}`;
}

describe('Vault.unlock', () => {
  test('opens with its password only', async () => {
    const created = await Vault.unlock('cw.unlock', 'correct horse', true);
    await created.put('me', { full_name: BANGLA_NAME });
    created.close();

    const reopened = await Vault.unlock('cw.unlock', 'correct horse', false);
    expect(await reopened.get('me')).toEqual({ full_name: BANGLA_NAME });
    reopened.close();

    await expect(Vault.unlock('cw.unlock', 'wrong horse', false)).rejects.toBeInstanceOf(WrongPasswordError);
    // An online login with a wrong password must not replace the existing vault either.
    await expect(Vault.unlock('cw.unlock', 'wrong horse', true)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  test('offline without a vault is rejected', async () => {
    await expect(Vault.unlock('cw.never-here', 'any password', false)).rejects.toBeInstanceOf(NoVaultError);
  });

  test('locks after five wrong passwords', async () => {
    (await Vault.unlock('cw.lockout', 'right password', true)).close();

    for (let attempt = 1; attempt < MAX_OFFLINE_ATTEMPTS; attempt++) {
      await expect(Vault.unlock('cw.lockout', `wrong ${attempt}`, false)).rejects.toBeInstanceOf(WrongPasswordError);
    }
    const before = Date.now();
    const locked = await Vault.unlock('cw.lockout', 'wrong last', false).catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(VaultLockedError);
    const until = (locked as VaultLockedError).until;
    expect(OFFLINE_LOCK_MS).toBe(5 * 60_000);
    expect(until).toBeGreaterThanOrEqual(before + OFFLINE_LOCK_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + OFFLINE_LOCK_MS);

    // While locked, even the right password is refused.
    await expect(Vault.unlock('cw.lockout', 'right password', false)).rejects.toBeInstanceOf(VaultLockedError);

    // Once the lock has passed, the right password opens the vault again.
    const later = until + 1_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    const reopened = await Vault.unlock('cw.lockout', 'right password', false);
    reopened.close();
  });

  test('correct password resets the count', async () => {
    (await Vault.unlock('cw.reset', 'right password', true)).close();
    for (let attempt = 1; attempt < MAX_OFFLINE_ATTEMPTS; attempt++) {
      await expect(Vault.unlock('cw.reset', 'wrong', false)).rejects.toBeInstanceOf(WrongPasswordError);
    }
    (await Vault.unlock('cw.reset', 'right password', false)).close();
    // The count started again, so one more wrong password is only wrong, not a lock.
    await expect(Vault.unlock('cw.reset', 'wrong', false)).rejects.toBeInstanceOf(WrongPasswordError);
  });
});

describe('sealed storage', () => {
  test('rows hold no plaintext', async () => {
    const username = 'cw.plaintext';
    const record = { id: 'case-1', data: { name_first: BANGLA_NAME, protection_concerns: ['child_labour'] } };
    const vault = await Vault.unlock(username, 'sealed password', true);
    await vault.put('case:case-1', record);
    await vault.putMany([['case:case-2', { data: { name_first: BANGLA_NAME } }]]);
    await vault.saveWithOutbox('case:case-3', record, 'case-3', { kind: 'create', data: record.data });
    vault.close();

    const dbName = await vaultDbName(username);
    const records = await rawRows(dbName, 'records');
    const outbox = await rawRows(dbName, 'outbox');
    const registry = await rawRows('sathi-registry', 'vaults');
    expect(records).toHaveLength(3);
    expect(outbox).toHaveLength(1);

    // The check itself can fail: the same record unsealed does contain the name.
    expect(rowsContain([encoder.encode(JSON.stringify(record))], BANGLA_NAME)).toBe(true);

    expect(rowsContain(records, BANGLA_NAME)).toBe(false);
    expect(rowsContain(records, 'child_labour')).toBe(false);
    expect(rowsContain(outbox, BANGLA_NAME)).toBe(false);
    expect(rowsContain(outbox, 'child_labour')).toBe(false);
    // The registry names vaults by a hash, never by the user name.
    expect(rowsContain(registry, username)).toBe(false);
  });
});

describe('separate users', () => {
  test('get separate databases and outboxes', async () => {
    const first = await Vault.unlock('cw.first', 'first password', true);
    const second = await Vault.unlock('cw.second', 'second password', true);
    await first.saveWithOutbox('case:a', { id: 'a' }, 'a', { kind: 'create', data: { name_first: 'A' } });
    await second.saveWithOutbox('case:b', { id: 'b' }, 'b', { kind: 'create', data: { name_first: 'B' } });
    await second.saveWithOutbox('case:b', { id: 'b', v: 2 }, 'b', { kind: 'update', changes: [] });

    expect(await vaultDbName('cw.first')).not.toBe(await vaultDbName('cw.second'));
    expect(await first.get('case:b')).toBeUndefined();
    expect(await second.get('case:a')).toBeUndefined();
    expect((await first.outbox()).map((entry) => entry.caseId)).toEqual(['a']);
    expect((await second.outbox()).map((entry) => entry.caseId)).toEqual(['b', 'b']);
    first.close();
    second.close();

    expect(await pendingCountFor('cw.first')).toBe(1);
    expect(await pendingCountFor('cw.second')).toBe(2);
    // One user's password does not open the other's vault.
    await expect(Vault.unlock('cw.second', 'first password', false)).rejects.toBeInstanceOf(WrongPasswordError);
  });
});

describe('saveWithOutbox', () => {
  test('writes the record and the entry', async () => {
    const vault = await Vault.unlock('cw.atomic-ok', 'atomic password', true);
    await vault.saveWithOutbox('case:x', { id: 'x', data: { name_first: BANGLA_NAME } }, 'x', { kind: 'create', data: {} });
    expect(await vault.get('case:x')).toEqual({ id: 'x', data: { name_first: BANGLA_NAME } });
    const entries = await vault.outbox<{ kind: string }>();
    expect(entries).toHaveLength(1);
    expect(entries[0].kind).toBe('create');
    expect(entries[0].caseId).toBe('x');
    expect(entries[0].state).toBe('pending');
    vault.close();
  });

  test('keeps neither when the outbox write fails', async () => {
    const vault = await Vault.unlock('cw.atomic-fail', 'atomic password', true);
    await vault.put('case:x', { id: 'x', version: 1 });
    // The outbox write fails after the record write succeeded inside the same transaction.
    const outboxTable = (vault as unknown as { db: { outbox: { add: () => Promise<number> } } }).db.outbox;
    vi.spyOn(outboxTable, 'add').mockRejectedValue(new Error('simulated quota error'));

    const alsoPut: [string, unknown][] = [['case-index', [{ id: 'x' }]]];
    await expect(vault.saveWithOutbox('case:x', { id: 'x', version: 2 }, 'x', { kind: 'update', changes: [] }, alsoPut)).rejects.toThrow(
      'simulated quota error',
    );
    expect(await vault.get('case:x')).toEqual({ id: 'x', version: 1 });
    expect(await vault.get('case-index')).toBeUndefined();
    expect(await vault.pendingCount()).toBe(0);
    vault.close();
  });

  test('keeps neither when the database is closed', async () => {
    const vault = await Vault.unlock('cw.atomic-closed', 'atomic password', true);
    vault.close();
    await expect(vault.saveWithOutbox('case:y', { id: 'y' }, 'y', { kind: 'create', data: {} })).rejects.toThrow();

    const reopened = await Vault.unlock('cw.atomic-closed', 'atomic password', false);
    expect(await reopened.get('case:y')).toBeUndefined();
    expect(await reopened.pendingCount()).toBe(0);
    reopened.close();
  });
});

describe('putMany and keys', () => {
  test('put and delete together', async () => {
    const vault = await Vault.unlock('cw.put-many', 'put many password', true);
    await vault.putMany([
      ['case:a', { id: 'a' }],
      ['case:b', { id: 'b' }],
      ['other', { id: 'o' }],
    ]);
    expect(await vault.keys('case:')).toEqual(['case:a', 'case:b']);

    await vault.putMany([['case:c', { id: 'c' }]], ['case:a']);
    expect(await vault.keys('case:')).toEqual(['case:b', 'case:c']);
    expect(await vault.get('case:a')).toBeUndefined();
    expect(await vault.get('case:c')).toEqual({ id: 'c' });
    vault.close();
  });
});

function fullCase(id: string, updatedAt: string, name: string): LocalCase {
  return {
    id,
    display_id: `CXB-${id.toUpperCase()}`,
    version: 1,
    status: 'open',
    stage: 'assessment',
    enabled: true,
    owner_id: 'owner',
    owner_agency_id: 'bcri',
    created_by: 'owner',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: updatedAt,
    data: { name_first: name, risk_level: 'high', case_notes: [{ unique_id: 'n1', note: `${name} note` }] },
    calculated: {},
    pending: 0,
  };
}

describe('case list index', () => {
  async function openSession(username: string): Promise<Vault> {
    const vault = await Vault.unlock(username, 'index password', true);
    session.value = {
      user: { id: 'owner', username, full_name: username, agency_id: 'bcri', role_id: 'caseworker', locale: 'bn', disabled: false },
      vault,
      configuration: null,
      configVersion: 0,
      serverSession: false,
    };
    return vault;
  }

  afterEach(() => {
    session.value?.vault.close();
    session.value = null;
    cases.value = [];
  });

  test('built from the cases', async () => {
    const vault = await openSession('cw.index-build');
    await vault.put('case:a', fullCase('a', '2026-02-01T00:00:00Z', BANGLA_NAME));
    await vault.put('case:b', fullCase('b', '2026-03-01T00:00:00Z', 'করিম'));

    await loadLocalCases();
    expect(cases.value.map((entry) => entry.id)).toEqual(['b', 'a']);
    // The list holds the fields it shows, not the whole case.
    expect(cases.value[1].data).toEqual({ name_first: BANGLA_NAME, risk_level: 'high' });
    expect(await vault.get<LocalCase[]>('case-index')).toHaveLength(2);
    // The whole case is still in the vault.
    expect((await loadCase('a'))?.data.case_notes).toEqual([{ unique_id: 'n1', note: `${BANGLA_NAME} note` }]);
  });

  test('read without the cases', async () => {
    const vault = await openSession('cw.index-read');
    await vault.put('case:a', fullCase('a', '2026-02-01T00:00:00Z', 'Old name'));
    await vault.put('case-index', [{ ...fullCase('a', '2026-02-01T00:00:00Z', 'From the index'), data: { name_first: 'From the index' } }]);
    // The rules its due items were computed with and the fields it keeps.
    await vault.put('case-index-rules', indexFingerprint());

    await loadLocalCases();
    expect(cases.value.map((entry) => entry.data.name_first)).toEqual(['From the index']);
  });

  test('rebuilt when it keeps other fields', async () => {
    const vault = await openSession('cw.index-fields');
    await vault.put('case:a', { ...fullCase('a', '2026-02-01T00:00:00Z', 'A'), data: { name_first: 'A', protection_concerns: ['separated'], closure_date: '2026-01-05' } });
    await vault.put('case-index', [{ ...fullCase('a', '2026-02-01T00:00:00Z', 'A'), data: { name_first: 'A' } }]);
    // The fingerprint of an app that kept only the workflow rules' due items and fewer fields.
    await vault.put('case-index-rules', JSON.stringify(workflowRules()));

    await loadLocalCases();
    expect(cases.value[0].data).toEqual({ name_first: 'A', protection_concerns: ['separated'], closure_date: '2026-01-05' });
  });

  test('rebuilt when cases differ', async () => {
    const vault = await openSession('cw.index-stale');
    await vault.put('case:a', fullCase('a', '2026-02-01T00:00:00Z', 'A'));
    await loadLocalCases();
    // A case written without the index, as a client from before the index did.
    await vault.put('case:b', fullCase('b', '2026-03-01T00:00:00Z', 'B'));

    await loadLocalCases();
    expect(cases.value.map((entry) => entry.id)).toEqual(['b', 'a']);
    expect((await vault.get<LocalCase[]>('case-index'))?.map((entry) => entry.id).sort()).toEqual(['a', 'b']);
  });
});

describe('pendingCountFor', () => {
  test('counts without unlocking', async () => {
    const vault = await Vault.unlock('cw.pending', 'pending password', true);
    await vault.saveWithOutbox('case:p', { id: 'p' }, 'p', { kind: 'create', data: {} });
    await vault.saveWithOutbox('case:p', { id: 'p' }, 'p', { kind: 'update', changes: [] });
    vault.close();

    expect(await pendingCountFor('cw.pending')).toBe(2);
    // Vault names ignore case and surrounding spaces, as the login form does.
    expect(await pendingCountFor('  CW.Pending ')).toBe(2);
    expect(await pendingCountFor('cw.nobody')).toBe(0);
  });

  test('drops sent entries from the count', async () => {
    const vault = await Vault.unlock('cw.sent', 'sent password', true);
    await vault.saveWithOutbox('case:s', { id: 's' }, 's', { kind: 'create', data: {} });
    const [entry] = await vault.outbox();
    await vault.removeOutbox(entry.seq);
    vault.close();
    expect(await pendingCountFor('cw.sent')).toBe(0);
  });
});
