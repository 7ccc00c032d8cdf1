// The case history labels an entry written by a conflict resolution ("Conflict resolved: kept …")
// in both languages, and leaves other entries, and entries from servers that send no
// `conflict_id`, unlabelled.

import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { locale, type Locale } from '../src/i18n';
import type { ChangeLogEntry, LocalCase, UserView } from '../src/model';
import { CaseHistory } from '../src/screens/CaseHistory';
import { session } from '../src/session';
import { cases, clearLocalState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

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
  version: 4,
  status: 'open',
  stage: 'new',
  enabled: true,
  owner_id: USER.id,
  owner_agency_id: 'bcri',
  created_by: USER.id,
  created_at: '2024-05-10T03:00:00Z',
  updated_at: '2024-05-10T03:00:00Z',
  data: { name_first: 'Rahima', name_nickname: 'Moni' },
  calculated: {},
  conflicts: [],
  pending: 0,
};

function entry(version: number, newValue: string, extra: Partial<ChangeLogEntry>): ChangeLogEntry {
  return {
    version,
    path: 'name_nickname',
    old_value: 'Muna',
    new_value: newValue,
    user_id: USER.id,
    username: USER.username,
    changed_at: `2024-05-10T0${version}:00:00Z`,
    ...extra,
  };
}

const ENTRIES: ChangeLogEntry[] = [
  entry(2, 'Muna', { mutation_id: null, conflict_id: null }),
  entry(3, 'Mona', {}),
  entry(4, 'Moni', { mutation_id: null, conflict_id: '7c1d2e3f-0000-4000-8000-000000000001' }),
];

const EXPECTED: Record<Locale, string> = {
  en: 'Conflict resolved: kept Moni',
  bn: 'অমিলের সমাধান: রাখা হয়েছে Moni',
};

beforeEach(() => {
  session.value = {
    user: USER,
    vault: { get: async () => RECORD } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
  cases.value = [RECORD];
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(ENTRIES), { status: 200 }));
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('CaseHistory', () => {
  for (const code of ['en', 'bn'] as Locale[]) {
    test(`labels a resolution in ${code}`, async () => {
      locale.value = code;
      render(<CaseHistory id={CASE_ID} />);
      await waitFor(() => expect(screen.getAllByTestId('history-entry')).toHaveLength(3));
      const labels = screen.getAllByTestId('history-resolution');
      expect(labels).toHaveLength(1);
      expect(labels[0].textContent).toBe(EXPECTED[code]);
      // Newest first: the resolution is the first entry.
      const [newest, ...older] = screen.getAllByTestId('history-entry');
      expect(newest.contains(labels[0])).toBe(true);
      for (const other of older) expect(other.querySelector('[data-testid=history-resolution]')).toBeNull();
    });
  }
});
