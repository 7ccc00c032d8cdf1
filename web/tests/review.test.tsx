// The supervisor's review of changes the server kept aside names the child when this device holds
// the case, shows the value the case holds now beside the kept value, and says why the change was
// kept aside: a disabled account, or a former owner's edit after a transfer.

import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { locale } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { Review } from '../src/screens/Review';
import { session } from '../src/session';
import { cases, clearLocalState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000001001';
const SUPERVISOR: UserView = {
  id: '0190a1b2-0000-7000-8000-000000000009',
  username: 'sup.karim',
  full_name: 'Karim Uddin',
  agency_id: 'bcri',
  role_id: 'supervisor',
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
  owner_id: 'owner',
  owner_agency_id: 'bcri',
  created_by: 'owner',
  created_at: '2024-05-10T03:00:00Z',
  updated_at: '2024-05-10T03:00:00Z',
  data: { name_first: 'Nusrat', name_last: 'Jahan', name_nickname: 'Moni' },
  calculated: {},
  conflicts: [],
  pending: 0,
};
const KEPT = [
  {
    id: 'q1',
    user_id: '0190a1b2-0000-7000-8000-000000000001',
    username: 'cw.rahima',
    case_id: CASE_ID,
    status: 'held',
    received_at: '2024-05-10T05:00:00Z',
    mutation: { kind: 'update', record_id: CASE_ID, changes: [{ path: 'name_nickname', value: 'Nuru' }] },
  },
];

beforeEach(() => {
  locale.value = 'en';
  session.value = {
    user: SUPERVISOR,
    vault: { get: async () => RECORD } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(KEPT), { status: 200 }));
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('Review', () => {
  test('case on the device: name and current value', async () => {
    cases.value = [RECORD];
    render(<Review />);
    await waitFor(() => expect(screen.getByTestId('kept-current')).toBeTruthy());
    const card = screen.getByTestId('kept');
    expect(card.querySelector('h2')?.textContent).toBe('Nusrat Jahan · CXB-000001');
    expect(card.querySelector('dd')?.textContent).toContain('Nuru');
    expect(screen.getByTestId('kept-current').textContent).toBe('Now in the case: Moni');
  });

  test('reason of a former owner', async () => {
    const kept = [
      { ...KEPT[0], id: 'q1', reason: 'not_owner_since' },
      { ...KEPT[0], id: 'q2', reason: 'account_disabled' },
      { ...KEPT[0], id: 'q3' },
    ];
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(kept), { status: 200 }));
    render(<Review />);
    await waitFor(() => expect(screen.getAllByTestId('kept')).toHaveLength(3));
    const [former, disabled, older] = screen.getAllByTestId('kept');
    expect(former.querySelector('[data-testid=kept-reason]')!.textContent).toBe('Sent by the case\'s former owner after the case was transferred to someone else.');
    expect(disabled.querySelector('[data-testid=kept-reason]')!.textContent).toBe('Sent from an account that has been disabled.');
    expect(older.querySelector('[data-testid=kept-reason]')).toBeNull();
  });

  test('reason of a former owner in Bangla', async () => {
    locale.value = 'bn';
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify([{ ...KEPT[0], reason: 'not_owner_since' }]), { status: 200 }));
    render(<Review />);
    await waitFor(() => expect(screen.getByTestId('kept-reason')).toBeTruthy());
    expect(screen.getByTestId('kept-reason').textContent).toBe('কেসটি অন্য দায়িত্বপ্রাপ্ত ব্যক্তির কাছে হস্তান্তরের পরে আগের দায়িত্বপ্রাপ্ত ব্যক্তি এটি পাঠিয়েছেন।');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('পর্যালোচনার জন্য আলাদা রাখা পরিবর্তন');
  });

  test('case not on the device', async () => {
    render(<Review />);
    await waitFor(() => expect(screen.getByTestId('kept')).toBeTruthy());
    const card = screen.getByTestId('kept');
    expect(card.querySelector('h2')?.textContent).toBe('A case that is not on this phone');
    expect(card.textContent).toContain('Nuru');
    expect(screen.queryByTestId('kept-current')).toBeNull();
  });
});
