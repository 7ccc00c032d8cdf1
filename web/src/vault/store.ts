// The encrypted local vault of one user: their caseload, the configuration, their outbox and their
// queue of casework actions, in IndexedDB (Dexie). Every value is sealed with the user's data key
// before it is written. Only record keys, outbox order, case ids, mutation ids, action ids and
// states, the device id and the device's mutation counter (random UUIDs, counters and fixed
// words) are stored in the clear.

import Dexie, { type Table } from 'dexie';
import {
  addServerWrapping,
  createWrappedDataKey,
  open,
  rewrapWithServerKey,
  seal,
  unwrapDataKey,
  userKey,
  type Sealed,
  type WrappedKey,
} from './crypto';

/** One user's entry in the device registry: what it takes to unlock their vault. */
export interface RegistryEntry extends WrappedKey {
  userKey: string;
  failedAttempts: number;
  lockedUntil: number;
  /** The data key wrapped under the server's per-user vault key, for password resets. */
  serverWrapped?: ArrayBuffer | null;
}

interface SealedRecord extends Sealed {
  key: string;
}

export interface OutboxRow extends Sealed {
  /** Local insertion order (Dexie auto-increment). */
  seq?: number;
  caseId: string;
  /** `failed` marks rows that version 1 of the client saw rejected; they are sent again. `void`
   * marks a change its user withdrew: it is still sent, as a `void` mutation, to keep its `seq`. */
  state: 'pending' | 'failed' | 'void';
  createdAt: number;
  /** The device sequence number sent as the mutation's `seq`: 1, 2, 3… without gaps. */
  deviceSeq?: number;
  /** The idempotency key sent as `mutation_id`, a random UUID. */
  mutationId?: string;
}

/** A casework action waiting to be sent (an approval request, a referral...), sealed. Its body is
 * opened by `actions.ts`. */
export interface ActionRow extends Sealed {
  /** The action's idempotency key, a random UUID; the server keeps it as the new object's id. */
  id: string;
  /** The case the action is about, or '' for one that concerns no case. */
  caseId: string;
  /** `pending` waits to be sent; `failed` was rejected by the server and waits for the user. */
  state: 'pending' | 'failed';
  createdAt: number;
}

/** The clear `meta` row that identifies this vault as a sync device. */
interface DeviceRow {
  key: 'device';
  deviceId: string;
  /** The last device sequence number given to an outbox row. */
  lastSeq: number;
}

/** An outbox entry as `Vault.outbox` returns it: the sealed payload opened, with its clear columns. */
export type OutboxItem<T> = T & {
  seq: number;
  caseId: string;
  state: OutboxRow['state'];
  createdAt: number;
  deviceSeq: number;
  mutationId: string;
};

/** Wrong passwords in a row after which offline login on this phone waits. */
export const MAX_OFFLINE_ATTEMPTS = 5;
export const OFFLINE_LOCK_MS = 5 * 60_000;

class RegistryDb extends Dexie {
  vaults!: Table<RegistryEntry, string>;
  constructor() {
    super('sathi-registry');
    this.version(1).stores({ vaults: 'userKey' });
  }
}

class VaultDb extends Dexie {
  records!: Table<SealedRecord, string>;
  outbox!: Table<OutboxRow, number>;
  meta!: Table<DeviceRow, string>;
  actions!: Table<ActionRow, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ records: 'key', outbox: '++seq, caseId, state' });
    // Version 2 makes the vault a sync device: a device id, and a device sequence number and
    // mutation id on every outbox row. Rows written by version 1 get them here, in their order.
    this.version(2)
      .stores({ records: 'key', outbox: '++seq, caseId, state, &mutationId, deviceSeq', meta: 'key' })
      .upgrade(async (tx) => {
        const rows = await tx.table<OutboxRow, number>('outbox').orderBy('seq').toArray();
        let lastSeq = 0;
        for (const row of rows) {
          lastSeq += 1;
          await tx.table('outbox').update(row.seq!, { deviceSeq: lastSeq, mutationId: crypto.randomUUID() });
        }
        await tx.table('meta').put({ key: 'device', deviceId: crypto.randomUUID(), lastSeq } satisfies DeviceRow);
      });
    // Version 3 adds the queue of casework actions (approval requests, referrals, transfers) that
    // are sent after the mutations of a sync, each with its own idempotency key.
    this.version(3).stores({
      records: 'key',
      outbox: '++seq, caseId, state, &mutationId, deviceSeq',
      meta: 'key',
      actions: 'id, caseId, state, createdAt',
    });
  }
}

/** Returns the device row, making it the first time; call inside a transaction on `meta`. */
async function deviceRow(db: VaultDb): Promise<DeviceRow> {
  const existing = await db.meta.get('device');
  if (existing) return existing;
  const made: DeviceRow = { key: 'device', deviceId: crypto.randomUUID(), lastSeq: 0 };
  await db.meta.put(made);
  return made;
}

const registry = new RegistryDb();

export class VaultLockedError extends Error {
  constructor(readonly until: number) {
    super('vault locked');
  }
}
export class NoVaultError extends Error {}
export class WrongPasswordError extends Error {}

/** An unlocked vault. Dropping the object (logout) leaves nothing readable behind. */
export class Vault {
  private constructor(
    private readonly db: VaultDb,
    private readonly key: CryptoKey,
  ) {}

  /**
   * Opens the vault of `username`. `online` means the server has just accepted this password,
   * which creates the vault on a new device and bypasses the offline lock. `serverKey` is the
   * per-user key the server sent with that login, which reopens the vault after a password
   * reset. Offline, only the password opens the vault, and wrong passwords count.
   */
  static async unlock(username: string, password: string, online: boolean, serverKey: CryptoKey | null = null): Promise<Vault> {
    const id = await userKey(username);
    const entry = await registry.vaults.get(id);
    const openVault = (key: CryptoKey) => new Vault(new VaultDb(`sathi-vault-${id}`), key);
    if (!entry) {
      if (!online) throw new NoVaultError();
      const made = await createWrappedDataKey(password, serverKey);
      await registry.vaults.put({ userKey: id, ...made.wrapped, serverWrapped: made.serverWrapped, failedAttempts: 0, lockedUntil: 0 });
      return openVault(made.key);
    }
    if (online) return openVault(await Vault.unlockOnline(id, entry, password, serverKey));
    if (entry.lockedUntil > Date.now()) throw new VaultLockedError(entry.lockedUntil);
    try {
      const key = await unwrapDataKey(password, entry);
      await registry.vaults.update(id, { failedAttempts: 0, lockedUntil: 0 });
      return openVault(key);
    } catch {
      const failed = entry.failedAttempts + 1;
      const lockedUntil = failed >= MAX_OFFLINE_ATTEMPTS ? Date.now() + OFFLINE_LOCK_MS : 0;
      await registry.vaults.update(id, { failedAttempts: lockedUntil ? 0 : failed, lockedUntil });
      if (lockedUntil) throw new VaultLockedError(lockedUntil);
      throw new WrongPasswordError();
    }
  }

  /** Opens a vault after the server accepted `password`: with the password if it still seals the
   * vault, otherwise (the password was reset) with the server's key, re-wrapping under the new one. */
  private static async unlockOnline(id: string, entry: RegistryEntry, password: string, serverKey: CryptoKey | null): Promise<CryptoKey> {
    const reset = { failedAttempts: 0, lockedUntil: 0 };
    try {
      const key = await unwrapDataKey(password, entry);
      if (serverKey && !entry.serverWrapped) {
        const upgraded = await addServerWrapping(password, entry, serverKey);
        await registry.vaults.update(id, { ...upgraded.wrapped, serverWrapped: upgraded.serverWrapped, ...reset });
        return upgraded.key;
      }
      await registry.vaults.update(id, reset);
      return key;
    } catch {
      if (!serverKey || !entry.serverWrapped) throw new WrongPasswordError();
      const rewrapped = await rewrapWithServerKey(entry.serverWrapped, serverKey, password).catch(() => {
        throw new WrongPasswordError();
      });
      await registry.vaults.update(id, { ...rewrapped.wrapped, serverWrapped: rewrapped.serverWrapped, ...reset });
      return rewrapped.key;
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.records.get(key);
    return row ? open<T>(this.key, row) : undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    const sealed = await seal(this.key, value);
    await this.db.records.put({ key, ...sealed });
  }

  /** Writes `entries` and deletes the records `deleteKeys` in one transaction. */
  async putMany(entries: [string, unknown][], deleteKeys: string[] = []): Promise<void> {
    const rows = await Promise.all(entries.map(async ([key, value]) => ({ key, ...(await seal(this.key, value)) })));
    await this.db.transaction('rw', this.db.records, async () => {
      await this.db.records.bulkPut(rows);
      if (deleteKeys.length > 0) await this.db.records.bulkDelete(deleteKeys);
    });
  }

  /** Lists the keys of the records whose key starts with `prefix`, without decrypting anything. */
  async keys(prefix: string): Promise<string[]> {
    return (await this.db.records.where('key').startsWith(prefix).primaryKeys()) as string[];
  }

  async delete(key: string): Promise<void> {
    await this.db.records.delete(key);
  }

  /** Every record whose key starts with `prefix`, decrypted. */
  async all<T>(prefix: string): Promise<T[]> {
    const rows = await this.db.records.where('key').startsWith(prefix).toArray();
    return Promise.all(rows.map((row) => open<T>(this.key, row)));
  }

  /** Writes a changed record and its outbox entry in one transaction, so a reload or a dead
   * battery can never keep one without the other. `alsoPut` records go into the same transaction. */
  async saveWithOutbox(recordKey: string, record: unknown, caseId: string, entry: unknown, alsoPut: [string, unknown][] = []): Promise<void> {
    const sealedRecord = await seal(this.key, record);
    const sealedEntry = await seal(this.key, entry);
    const extraRows = await Promise.all(alsoPut.map(async ([key, value]) => ({ key, ...(await seal(this.key, value)) })));
    const mutationId = crypto.randomUUID();
    // Everything is sealed above: awaiting WebCrypto inside a Dexie transaction would end it.
    await this.db.transaction('rw', [this.db.records, this.db.outbox, this.db.meta], async () => {
      const device = await deviceRow(this.db);
      const deviceSeq = device.lastSeq + 1;
      await this.db.meta.put({ ...device, lastSeq: deviceSeq });
      await this.db.records.put({ key: recordKey, ...sealedRecord });
      if (extraRows.length > 0) await this.db.records.bulkPut(extraRows);
      await this.db.outbox.add({ caseId, state: 'pending', createdAt: Date.now(), deviceSeq, mutationId, ...sealedEntry });
    });
  }

  /** Returns this vault's device id, made on first use. */
  async deviceId(): Promise<string> {
    return this.db.transaction('rw', this.db.meta, async () => (await deviceRow(this.db)).deviceId);
  }

  /** Every outbox entry, oldest first, opened. */
  async outbox<T>(): Promise<OutboxItem<T>[]> {
    const rows = await this.db.outbox.orderBy('seq').toArray();
    return Promise.all(
      rows.map(async (row) => ({
        ...(await open<T>(this.key, row)),
        seq: row.seq!,
        caseId: row.caseId,
        state: row.state,
        createdAt: row.createdAt,
        deviceSeq: row.deviceSeq!,
        mutationId: row.mutationId!,
      })),
    );
  }

  /** Deletes every outbox entry of one case, sent or not. */
  async removeOutboxOf(caseId: string): Promise<void> {
    await this.db.outbox.where('caseId').equals(caseId).delete();
  }

  async removeOutbox(seq: number): Promise<void> {
    await this.db.outbox.delete(seq);
  }

  /**
   * Turns the outbox entries `seqs` into withdrawn entries with the payloads `entries` (same
   * order), and writes `records` and deletes `deleteKeys`, in one transaction. Each entry keeps
   * its mutation id and device sequence number, so the device's numbering stays without gaps.
   */
  async withdrawOutbox(seqs: number[], entries: unknown[], records: [string, unknown][], deleteKeys: string[] = []): Promise<void> {
    const sealedEntries = await Promise.all(entries.map((entry) => seal(this.key, entry)));
    const rows = await Promise.all(records.map(async ([key, value]) => ({ key, ...(await seal(this.key, value)) })));
    await this.db.transaction('rw', this.db.records, this.db.outbox, async () => {
      for (const [index, seq] of seqs.entries()) await this.db.outbox.update(seq, { state: 'void', ...sealedEntries[index] });
      if (rows.length > 0) await this.db.records.bulkPut(rows);
      if (deleteKeys.length > 0) await this.db.records.bulkDelete(deleteKeys);
    });
  }

  /** Removes the outbox entries `removeSeqs` and writes `entries` in one transaction, so an
   * answer of the server is applied to the outbox and the records together or not at all. */
  async settle(removeSeqs: number[], entries: [string, unknown][], deleteKeys: string[] = []): Promise<void> {
    const rows = await Promise.all(entries.map(async ([key, value]) => ({ key, ...(await seal(this.key, value)) })));
    await this.db.transaction('rw', this.db.records, this.db.outbox, async () => {
      if (removeSeqs.length > 0) await this.db.outbox.bulkDelete(removeSeqs);
      if (rows.length > 0) await this.db.records.bulkPut(rows);
      if (deleteKeys.length > 0) await this.db.records.bulkDelete(deleteKeys);
    });
  }

  /** Counts what waits to be sent: the outbox entries that carry a change (withdrawn ones are left
   * out) and the pending casework actions about a case. */
  async pendingCount(): Promise<number> {
    const [changes, actions] = await Promise.all([this.db.outbox.where('state').notEqual('void').count(), this.db.actions.where('state').equals('pending').filter(isChange).count()]);
    return changes + actions;
  }

  /** Writes a casework action, replacing the one with the same id. */
  async putAction(id: string, caseId: string, state: ActionRow['state'], createdAt: number, payload: unknown): Promise<void> {
    const sealed = await seal(this.key, payload);
    await this.db.actions.put({ id, caseId, state, createdAt, ...sealed });
  }

  /** Every casework action, oldest first, opened, with its clear columns. */
  async actions<T>(): Promise<(T & Omit<ActionRow, keyof Sealed>)[]> {
    const rows = await this.db.actions.orderBy('createdAt').toArray();
    return Promise.all(rows.map(async (row) => ({ ...(await open<T>(this.key, row)), id: row.id, caseId: row.caseId, state: row.state, createdAt: row.createdAt })));
  }

  async deleteAction(id: string): Promise<void> {
    await this.db.actions.delete(id);
  }

  /** Deletes every record, outbox entry and action of this vault and the vault itself, then closes it. */
  async destroy(): Promise<void> {
    await this.db.transaction('rw', [this.db.records, this.db.outbox, this.db.meta, this.db.actions], async () => {
      await this.db.records.clear();
      await this.db.outbox.clear();
      await this.db.meta.clear();
      await this.db.actions.clear();
    });
    const name = this.db.name;
    this.db.close();
    await Dexie.delete(name);
    await registry.vaults.delete(name.slice('sathi-vault-'.length));
  }

  close(): void {
    this.db.close();
  }
}

/** Whether an action changes a case. Read marks of notifications (no case) are not counted as
 * unsent changes. */
function isChange(row: ActionRow): boolean {
  return row.caseId !== '';
}

/** Unsent changes of `username` on this device, counted without unlocking anything. */
export async function pendingCountFor(username: string): Promise<number> {
  const id = await userKey(username);
  if (!(await registry.vaults.get(id))) return 0;
  const db = new VaultDb(`sathi-vault-${id}`);
  try {
    const [changes, actions] = await Promise.all([db.outbox.where('state').notEqual('void').count(), db.actions.where('state').equals('pending').filter(isChange).count()]);
    return changes + actions;
  } finally {
    db.close();
  }
}
