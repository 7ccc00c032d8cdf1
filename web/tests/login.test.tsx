// The login screen of a phone that still holds unsent changes of a user whom the server refuses
// (a disabled account looks like a wrong password from outside): the note about those changes
// appears beside the error, so the caseworker knows to tell the supervisor.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { locale } from '../src/i18n';
import { Login } from '../src/screens/Login';
import { Vault } from '../src/vault/store';

// Unlocking a new vault derives a key with 310,000 PBKDF2 rounds.
vi.setConfig({ testTimeout: 30_000 });

const PASSWORD = 'correct horse battery';

async function vaultWithUnsent(username: string, count: number): Promise<void> {
  const vault = await Vault.unlock(username, PASSWORD, true);
  for (let index = 0; index < count; index++) {
    const caseId = `3f0c9d2e-0001-4c1a-9a11-00000000100${index}`;
    await vault.saveWithOutbox(`case:${caseId}`, { id: caseId }, caseId, { kind: 'update', changes: [], base_version: 1 });
  }
  vault.close();
}

async function submitLogin(username: string): Promise<void> {
  render(<Login />);
  fireEvent.input(screen.getByLabelText('User name'), { target: { value: username } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: PASSWORD } });
  fireEvent.submit(screen.getByRole('button', { name: 'Log in' }).closest('form')!);
  // The button is enabled again once the screen has also counted the unsent changes.
  await waitFor(() => expect((screen.getByRole('button', { name: 'Log in' }) as HTMLButtonElement).disabled).toBe(false));
  await waitFor(() => expect(screen.getAllByRole('alert').length).toBeGreaterThan(0));
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('Login', () => {
  test('refused user with unsent changes', async () => {
    locale.value = 'en';
    await vaultWithUnsent('cw.disabled1', 2);
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'invalid_credentials', message: '' } }), { status: 401 }));

    await submitLogin('cw.disabled1');

    expect(screen.getByRole('alert').textContent).toBe('The user name or password is wrong.');
    await waitFor(() => expect(screen.getByTestId('login-unsent')).toBeTruthy());
    expect(screen.getByTestId('login-unsent').textContent).toContain('2 changes by this user are not sent yet');
  });

  test('refused user with nothing unsent', async () => {
    locale.value = 'en';
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'invalid_credentials', message: '' } }), { status: 401 }));

    await submitLogin('cw.nobody');

    expect(screen.getByRole('alert').textContent).toBe('The user name or password is wrong.');
    expect(screen.queryByTestId('login-unsent')).toBeNull();
  });
});
