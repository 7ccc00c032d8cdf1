// Login online or offline, logout, and the state of the logged-in user.

import { signal } from '@preact/signals';
import { api, ApiError, NetworkError } from './api';
import { setLocale, type Locale } from './i18n';
import { navigate } from './router';
import type { UserView } from './model';
import { importServerKey } from './vault/crypto';
import { NoVaultError, Vault, VaultLockedError } from './vault/store';
import type { Configuration } from './domain/config';
import { errorText } from './errors';

export interface Session {
  user: UserView;
  vault: Vault;
  /** False until the first download completed on this device. */
  configuration: Configuration | null;
  configVersion: number;
  /** Whether the server accepted this password in this session (else we are offline-only). */
  serverSession: boolean;
}

export const session = signal<Session | null>(null);

/** A message of web.ftl, with its arguments, that the login screen shows after a session ended
 * on its own. */
export interface LoginNotice {
  id: string;
  args?: Record<string, number>;
}

export const loginNotice = signal<LoginNotice | null>(null);

/** Why a login failed: a message id of web.ftl, or a message the server already translated. */
export class LoginError extends Error {
  constructor(
    readonly messageId: string,
    readonly args: Record<string, number> = {},
    readonly serverMessage?: string,
  ) {
    super(messageId);
  }
}

interface StoredConfig {
  version: number;
  configuration: Configuration;
}

/** Logs in: with the server when it can be reached, otherwise against this device's vault.
 * `chosenLocale` is the language picked on the login screen, or null when the person left it
 * alone, in which case the language saved for the user applies. */
export async function login(username: string, password: string, chosenLocale: Locale | null): Promise<Session> {
  let user: UserView | null = null;
  let serverSession = false;
  let serverKey: CryptoKey | null = null;
  try {
    const response = await api<{ user: UserView; vault_key?: string }>('POST', '/auth/login', { username, password, client: 'web' });
    user = response.user;
    serverSession = true;
    serverKey = response.vault_key ? await importServerKey(response.vault_key) : null;
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.code === 'invalid_credentials') throw new LoginError('login-wrong-password');
      throw new LoginError('error-unexpected', {}, errorText(error));
    }
    if (!(error instanceof NetworkError)) throw error;
  }

  let vault: Vault;
  try {
    vault = await Vault.unlock(username, password, serverSession, serverKey);
  } catch (error) {
    if (error instanceof NoVaultError) throw new LoginError('login-offline-no-vault');
    if (error instanceof VaultLockedError) {
      const minutes = Math.max(1, Math.ceil((error.until - Date.now()) / 60_000));
      throw new LoginError('login-locked', { minutes });
    }
    throw new LoginError('login-wrong-password');
  }

  if (user) {
    if (chosenLocale && user.locale !== chosenLocale) {
      await api('PATCH', '/me', { locale: chosenLocale }).catch(() => undefined);
      user = { ...user, locale: chosenLocale };
    }
    await vault.put('me', user);
  } else {
    user = (await vault.get<UserView>('me')) ?? null;
    if (!user) throw new LoginError('login-offline-no-vault');
    if (chosenLocale) user = { ...user, locale: chosenLocale };
  }
  setLocale(chosenLocale ?? (user.locale === 'en' ? 'en' : 'bn'));
  const stored = await vault.get<StoredConfig>('config');
  const next: Session = {
    user,
    vault,
    configuration: stored?.configuration ?? null,
    configVersion: stored?.version ?? 0,
    serverSession,
  };
  session.value = next;
  loginNotice.value = null;
  return next;
}

/** Ends the server session and locks the vault. Unsent changes stay sealed on the device. */
export async function logout(): Promise<void> {
  const current = session.value;
  session.value = null;
  // The next person to log in on this phone starts at the case list, not on the previous user's screen.
  navigate({ name: 'cases' });
  if (!current) return;
  current.vault.close();
  await api('POST', '/auth/logout').catch(() => undefined);
}

/** Ends the session without a request to the server (which already ended it) and shows
 * `notice` on the login screen. The caller has closed or deleted the vault. */
export function endSession(notice: LoginNotice): void {
  session.value = null;
  loginNotice.value = notice;
  navigate({ name: 'cases' });
}

export function updateSession(changes: Partial<Session>): void {
  if (session.value) session.value = { ...session.value, ...changes };
}
