/// <reference types="node" />
// Every failure a screen shows is a message of the catalogue (locales/*/web.ftl and sathi.ftl) in
// the user's language, or the server's own message. The browser's English text for a network
// failure, a bare error code and the text of an exception never reach the screen.

import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { ApiError, NetworkError, api } from '../src/api';
import { SyncBar } from '../src/components/SyncBar';
import { errorText, rejectionText } from '../src/errors';
import { locale, messageIds, t, tryT, type Locale } from '../src/i18n';
import type { LocalCase, NotSentEntry, UserView } from '../src/model';
import { CaseHistory } from '../src/screens/CaseHistory';
import { NotSent } from '../src/screens/NotSent';
import { session } from '../src/session';
import { cases, clearLocalState, notSent, syncNow, syncState } from '../src/sync';
import type { Vault } from '../src/vault/store';

const LOCALE_CODES: Locale[] = ['bn', 'en'];
const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000001001';

const USER: UserView = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  username: 'cw.rahima',
  full_name: 'Rahima Akter',
  agency_id: 'bcri',
  role_id: 'caseworker',
  locale: 'bn',
  disabled: false,
};

const RECORD: LocalCase = {
  id: CASE_ID,
  display_id: 'CXB-000001',
  version: 2,
  status: 'open',
  stage: 'new',
  enabled: true,
  owner_id: USER.id,
  owner_agency_id: 'bcri',
  created_by: USER.id,
  created_at: '2024-05-10T03:00:00Z',
  updated_at: '2024-05-10T03:00:00Z',
  data: { name_first: 'রহিমা' },
  calculated: {},
  conflicts: [],
  pending: 0,
};

/** Returns whether `text` is a message of the catalogue in the current locale that needs no
 * argument. */
function isCatalogueText(text: string): boolean {
  return messageIds(locale.value).some((id) => tryT(id) === text);
}

/** Failures as the screens meet them: thrown by `api()`, by the browser, or by the phone. */
function failures(): [string, unknown][] {
  return [
    ['no connection', new NetworkError('TypeError: Failed to fetch')],
    ['server error without a body', new ApiError(502, 'internal_error', '')],
    ['rejection without a message', new ApiError(422, 'record_unavailable', '')],
    ['code the client does not know', new ApiError(409, 'something_new', '')],
    ['code whose message needs arguments', new ApiError(401, 'account_disabled', '')],
    ['storage full', new DOMException('The quota has been exceeded.', 'QuotaExceededError')],
    ['browser TypeError', new TypeError('Failed to fetch')],
    ['exception of the client', new Error('vault is locked')],
    ['a thrown string', 'boom'],
  ];
}

beforeEach(() => {
  session.value = {
    user: USER,
    vault: { get: async () => RECORD, close: () => undefined } as unknown as Vault,
    configuration: null,
    configVersion: 1,
    serverSession: true,
  };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('errorText', () => {
  for (const code of LOCALE_CODES) {
    for (const [name, failure] of failures()) {
      test(`${name} in ${code}`, () => {
        locale.value = code;
        const text = errorText(failure);
        expect(isCatalogueText(text), text).toBe(true);
        if (code === 'bn') expect(text).not.toMatch(/[A-Za-z]/);
      });
    }
  }

  test('keeps the server message', () => {
    const message = 'এই কেসটি আর আপনার জন্য উপলব্ধ নয়।';
    expect(errorText(new ApiError(422, 'record_unavailable', message))).toBe(message);
  });

  test('network failure is the catalogue message', () => {
    locale.value = 'en';
    expect(errorText(new NetworkError('TypeError: Failed to fetch'))).toBe(t('error-network'));
  });
});

describe('rejectionText', () => {
  test('code without a message', () => {
    locale.value = 'bn';
    expect(rejectionText('record_unavailable', '')).toBe(t('error-record_unavailable'));
    expect(rejectionText('record_unavailable', '')).not.toContain('record_unavailable');
  });

  test('unknown code', () => {
    locale.value = 'bn';
    expect(rejectionText('something_new', '')).toBe(t('error-rejected'));
  });
});

describe('api', () => {
  test('error without a body has no English text', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const failure = await api('GET', '/me').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe('');
    expect(errorText(failure)).toBe(t('error-server'));
  });

  test('fetch failure is a NetworkError', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api('GET', '/me')).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('screens', () => {
  for (const code of LOCALE_CODES) {
    test(`sync bar after a server error in ${code}`, async () => {
      locale.value = code;
      vi.stubGlobal('fetch', async () => new Response('', { status: 500, statusText: 'Internal Server Error' }));
      const vault = {
        deviceId: async () => 'device',
        get: async () => undefined,
        outbox: async () => [],
        pendingCount: async () => 0,
      };
      session.value = { ...session.value!, vault: vault as unknown as Vault };
      await syncNow();
      render(<SyncBar />);
      const shown = screen.getByTestId('sync-bar').querySelector('.error')!.textContent!;
      expect(shown).toBe(t('sync-failed', { reason: t('error-server') }));
      expect(shown).not.toContain('Internal Server Error');
      expect(syncState.value.error).toBe(t('error-server'));
    });

    test(`history after a server error in ${code}`, async () => {
      locale.value = code;
      cases.value = [RECORD];
      vi.stubGlobal('fetch', async () => new Response('', { status: 503, statusText: 'Service Unavailable' }));
      const { container } = render(<CaseHistory id={CASE_ID} />);
      await waitFor(() => expect(container.querySelector('.notice')).not.toBeNull());
      const shown = container.querySelector('.notice')!.textContent!;
      expect(isCatalogueText(shown), shown).toBe(true);
      if (code === 'bn') expect(shown).not.toMatch(/[A-Za-z]/);
    });

    test(`not-sent reason without a message in ${code}`, () => {
      locale.value = code;
      const entry: NotSentEntry = {
        mutationId: 'm1',
        caseId: CASE_ID,
        kind: 'update',
        changes: [],
        code: 'not_permitted',
        message: '',
        fields: [],
        rejectedAt: '2024-05-10T03:00:00Z',
        caseName: 'রহিমা',
      };
      notSent.value = [entry];
      const { container } = render(<NotSent />);
      const shown = container.querySelector('.notice.error')!.textContent!;
      expect(shown).toBe(t('not-sent-reason', { reason: t('error-not_permitted') }));
      expect(shown).not.toContain('not_permitted');
    });
  }
});
