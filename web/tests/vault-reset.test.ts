// @vitest-environment node
/// <reference types="node" />
// A password reset on the server must not lock a caseworker out of the cases and unsent changes
// already on the phone: the vault reopens with the per-user key the server sends at login.

import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';

import { importServerKey } from '../src/vault/crypto';
import { Vault, WrongPasswordError } from '../src/vault/store';

const SERVER_KEY = 'q2Y8m0Wb1nL5c3kq8dZ0r7xTuV4pE6sA9fH2jK1mN3o';
const OTHER_KEY = 'Zz9y8x7w6v5u4t3s2r1q0p9o8n7m6l5k4j3i2h1g0fE';

describe('vault after a password reset', () => {
  test('online login with the new password reopens the vault and keeps its data', async () => {
    const serverKey = await importServerKey(SERVER_KEY);
    const before = await Vault.unlock('cw.reset', 'old password one', true, serverKey);
    await before.put('case:1', { name: 'সায়রা' });
    before.close();

    const after = await Vault.unlock('cw.reset', 'new password two', true, serverKey);
    expect(await after.get<{ name: string }>('case:1')).toEqual({ name: 'সায়রা' });
    after.close();

    // The vault is now sealed under the new password, for offline logins too.
    const offline = await Vault.unlock('cw.reset', 'new password two', false);
    expect(await offline.get<{ name: string }>('case:1')).toEqual({ name: 'সায়রা' });
    offline.close();
    await expect(Vault.unlock('cw.reset', 'old password one', false)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  test('another server key does not open the vault', async () => {
    const first = await Vault.unlock('cw.other-key', 'first password', true, await importServerKey(SERVER_KEY));
    first.close();
    await expect(
      Vault.unlock('cw.other-key', 'second password', true, await importServerKey(OTHER_KEY)),
    ).rejects.toBeInstanceOf(WrongPasswordError);
  });

  test('a vault made before server keys gains the wrapping at the next online login', async () => {
    const legacy = await Vault.unlock('cw.legacy', 'legacy password', true, null);
    await legacy.put('case:9', { risk: 'high' });
    legacy.close();
    const serverKey = await importServerKey(SERVER_KEY);
    (await Vault.unlock('cw.legacy', 'legacy password', true, serverKey)).close();

    const reset = await Vault.unlock('cw.legacy', 'password after reset', true, serverKey);
    expect(await reset.get<{ risk: string }>('case:9')).toEqual({ risk: 'high' });
    reset.close();
  });
});
