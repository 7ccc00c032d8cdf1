// The reassignment card: the caseworkers of GET /users/assignable as large buttons by name and
// user name, a search box only for a long list, the POST with the chosen user's id, and a
// message instead of a list while offline.

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { locale, t } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { matchUsers, Reassign, SEARCH_FROM, type AssignableUser } from '../src/screens/Reassign';
import { session } from '../src/session';
import { clearLocalState, syncState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000001001';
const SUPERVISOR: UserView = {
  id: '0190a1b2-0000-7000-8000-00000000000s',
  username: 'sup.karim',
  full_name: 'Karim Hossain',
  agency_id: 'bcri',
  role_id: 'supervisor',
  locale: 'en',
  disabled: false,
};

function user(index: number, fullName: string, username: string): AssignableUser {
  return { id: `0190a1b2-0000-7000-8000-00000000000${index}`, username, full_name: fullName, role_id: 'caseworker' };
}

const OWNER = user(1, 'Rahima Akter', 'cw.rahima');
const SHIRIN = user(2, 'শিরিন আক্তার', 'cw.shirin');
const MAHMUD = user(3, 'Mahmud Hasan', 'cw.mahmud');

const RECORD = {
  id: CASE_ID,
  display_id: 'CXB-000001',
  version: 3,
  status: 'open',
  stage: 'new',
  enabled: true,
  owner_id: OWNER.id,
  owner_agency_id: 'bcri',
  created_by: OWNER.id,
  created_at: '2024-05-10T03:00:00Z',
  updated_at: '2024-05-10T03:00:00Z',
  data: {},
  calculated: {},
  conflicts: [],
  pending: 0,
} satisfies LocalCase;

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Routes fetch to a fake of the two endpoints and records the calls. */
function serve(users: AssignableUser[]): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, path: String(input), body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (method === 'GET' && input === '/api/v1/users/assignable') return new Response(JSON.stringify(users), { status: 200 });
    if (method === 'POST' && input === `/api/v1/cases/${CASE_ID}/reassign`) return new Response(JSON.stringify(RECORD), { status: 200 });
    if (method === 'POST' && input === '/api/v1/sync/records') return new Response(JSON.stringify({ records: [] }), { status: 200 });
    return new Response('', { status: 404 });
  });
  return calls;
}

beforeEach(() => {
  locale.value = 'en';
  session.value = {
    user: SUPERVISOR,
    vault: { outbox: async () => [], putMany: async () => undefined, keys: async () => [], all: async () => [] } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
  syncState.value = { ...syncState.value, online: true };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('Reassign', () => {
  test('lists others by name and user name', async () => {
    serve([MAHMUD, OWNER, SHIRIN]);
    render(<Reassign record={RECORD} />);
    fireEvent.click(screen.getByTestId('reassign-open'));
    await waitFor(() => expect(screen.getAllByTestId('reassign-user')).toHaveLength(2));
    const texts = screen.getAllByTestId('reassign-user').map((button) => button.textContent);
    expect(texts).toEqual(['Mahmud Hasancw.mahmud · Caseworker', 'শিরিন আক্তারcw.shirin · Caseworker']);
    expect(screen.getByText(/Current caseworker/).textContent).toBe('Current caseworker: Rahima Akter (cw.rahima)');
    expect(screen.queryByLabelText(t('reassign-search'))).toBeNull();
  });

  test('sends the chosen user id', async () => {
    const calls = serve([OWNER, MAHMUD, SHIRIN]);
    render(<Reassign record={RECORD} />);
    fireEvent.click(screen.getByTestId('reassign-open'));
    await waitFor(() => expect(screen.getAllByTestId('reassign-user')).toHaveLength(2));
    fireEvent.click(screen.getByText('cw.shirin', { exact: false }).closest('button')!);
    const submit = screen.getByTestId('reassign-submit');
    expect(submit.textContent).toBe('Reassign to শিরিন আক্তার');
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('reassign-done')));
    const posts = calls.filter((call) => call.method === 'POST' && call.path.endsWith('/reassign'));
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({ owner_id: SHIRIN.id });
  });

  test('long list gets a search box', async () => {
    const many = Array.from({ length: SEARCH_FROM + 2 }, (_, index) => user(index + 4, `Worker ${index}`, `cw.worker${index}`));
    serve([OWNER, MAHMUD, ...many]);
    render(<Reassign record={RECORD} />);
    fireEvent.click(screen.getByTestId('reassign-open'));
    await waitFor(() => expect(screen.getAllByTestId('reassign-user')).toHaveLength(SEARCH_FROM + 3));
    fireEvent.input(screen.getByLabelText(t('reassign-search')), { target: { value: 'mahm' } });
    expect(screen.getAllByTestId('reassign-user').map((button) => button.dataset.userId)).toEqual([MAHMUD.id]);
    fireEvent.input(screen.getByLabelText(t('reassign-search')), { target: { value: 'nobody' } });
    expect(screen.queryAllByTestId('reassign-user')).toEqual([]);
    expect(screen.getByText(t('reassign-no-match'))).not.toBeNull();
  });

  test('offline explains and asks nothing', async () => {
    const calls = serve([OWNER, MAHMUD]);
    syncState.value = { ...syncState.value, online: false };
    render(<Reassign record={RECORD} />);
    fireEvent.click(screen.getByTestId('reassign-open'));
    expect(screen.getByText(t('reassign-offline'))).not.toBeNull();
    expect(screen.queryAllByTestId('reassign-user')).toEqual([]);
    expect(calls).toEqual([]);
  });

  test('nobody else to choose', async () => {
    serve([OWNER]);
    render(<Reassign record={RECORD} />);
    fireEvent.click(screen.getByTestId('reassign-open'));
    await waitFor(() => expect(screen.getByText(t('reassign-none'))).not.toBeNull());
  });
});

describe('matchUsers', () => {
  test('matches word prefixes of name and user name', () => {
    const users = [OWNER, SHIRIN, MAHMUD];
    expect(matchUsers(users, 'akter').map((entry) => entry.username)).toEqual(['cw.rahima']);
    expect(matchUsers(users, 'আক্তার').map((entry) => entry.username)).toEqual(['cw.shirin']);
    expect(matchUsers(users, 'shirin').map((entry) => entry.username)).toEqual(['cw.shirin']);
    expect(matchUsers(users, 'cw.mah').map((entry) => entry.username)).toEqual(['cw.mahmud']);
    expect(matchUsers(users, '  ')).toEqual(users);
  });
});
