// The conflict card names who made each value (never by a bare user id), marks the case's
// current value and the reader's own value, and does not speak of "two people" when one user made
// both values. The case view marks a field with an open conflict.

import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { locale } from '../src/i18n';
import type { ConflictView, LocalCase, UserView } from '../src/model';
import { CaseView } from '../src/screens/CaseView';
import { ConflictPanel } from '../src/screens/ConflictPanel';
import { session } from '../src/session';
import { cases, clearLocalState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000001001';
const ME: UserView = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  username: 'cw.rahima',
  full_name: 'Rahima Akter',
  agency_id: 'bcri',
  role_id: 'caseworker',
  locale: 'bn',
  disabled: false,
};
const OTHER_ID = '0190a1b2-0000-7000-8000-000000000002';

function conflictOf(candidates: ConflictView['candidates']): ConflictView {
  return { id: 'c1', case_id: CASE_ID, path: 'name_nickname', candidates };
}

function recordWith(conflict: ConflictView): LocalCase {
  return {
    id: CASE_ID,
    display_id: 'CXB-000001',
    version: 4,
    status: 'open',
    stage: 'new',
    enabled: true,
    owner_id: ME.id,
    owner_agency_id: 'bcri',
    created_by: ME.id,
    created_at: '2024-05-10T03:00:00Z',
    updated_at: '2024-05-10T03:00:00Z',
    data: { name_first: 'Nusrat', name_nickname: 'Nuru' },
    calculated: {},
    conflicts: [conflict],
    pending: 0,
  };
}

const TWO_USERS = conflictOf([
  { value: 'Nuru', user_id: OTHER_ID, username: 'cw.farzana', server_time: '2024-05-10T04:00:00Z', version: 4 },
  { value: 'Nupur', user_id: ME.id, username: 'cw.rahima', server_time: '2024-05-10T05:00:00Z' },
]);

function renderPanel(conflict: ConflictView) {
  const config = session.value!.configuration!;
  render(<ConflictPanel record={recordWith(conflict)} config={config} />);
  return screen.getAllByTestId('candidate');
}

beforeEach(() => {
  locale.value = 'en';
  session.value = {
    user: ME,
    vault: { get: async () => recordWith(TWO_USERS) } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  locale.value = 'bn';
});

describe('ConflictPanel', () => {
  test('marks current and own value', () => {
    const [theirs, mine] = renderPanel(TWO_USERS);
    expect(within(theirs).getByTestId('current-value').textContent).toBe('Current value in the case');
    expect(within(theirs).queryByTestId('your-value')).toBeNull();
    expect(within(mine).getByTestId('your-value').textContent).toBe('Your value');
    expect(within(mine).queryByTestId('current-value')).toBeNull();
  });

  test('names authors without ids', () => {
    const [theirs, mine] = renderPanel(TWO_USERS);
    expect(theirs.textContent).toContain('By cw.farzana');
    expect(mine.textContent).toContain('By Rahima Akter');
    expect(document.body.textContent).not.toContain(OTHER_ID);
  });

  test('author without any name', () => {
    const [theirs] = renderPanel(conflictOf([{ value: 'Nuru', user_id: OTHER_ID, version: 4 }, { value: 'Nupur', user_id: ME.id }]));
    expect(theirs.textContent).toContain('By another user');
    expect(theirs.textContent).not.toContain(OTHER_ID);
  });

  test('full name wins over user name', () => {
    const [theirs] = renderPanel(conflictOf([{ value: 'Nuru', user_id: OTHER_ID, username: 'cw.farzana', full_name: 'Farzana Begum', version: 4 }]));
    expect(theirs.textContent).toContain('By Farzana Begum');
  });

  test('two people for two users', () => {
    renderPanel(TWO_USERS);
    expect(document.body.textContent).toContain('Two people changed this field');
  });

  test('one user is not two people', () => {
    renderPanel(
      conflictOf([
        { value: 'Nuru', user_id: ME.id, version: 4 },
        { value: 'Nupur', user_id: ME.id },
      ]),
    );
    expect(document.body.textContent).not.toContain('Two people');
    expect(document.body.textContent).toContain('This field has two values');
  });

  test('unmarked conflict compares with the case', () => {
    const [first, second] = renderPanel(conflictOf([{ value: 'Nupur', user_id: OTHER_ID }, { value: 'Nuru', user_id: OTHER_ID }]));
    expect(within(first).queryByTestId('current-value')).toBeNull();
    expect(within(second).getByTestId('current-value')).toBeTruthy();
  });

  test('Bangla title does not glue -এর to the label', () => {
    locale.value = 'bn';
    renderPanel(TWO_USERS);
    const title = screen.getByRole('heading').textContent ?? '';
    expect(title.startsWith('এই ঘরের দুটি ভিন্ন মান: ')).toBe(true);
    expect(title).not.toContain('-এর');
  });
});

describe('CaseView', () => {
  test('marks the disputed field', async () => {
    cases.value = [recordWith(TWO_USERS)];
    render(<CaseView id={CASE_ID} form="basic_identity" />);
    await waitFor(() => expect(screen.getAllByTestId('disputed')).toHaveLength(1));
    const mark = screen.getByTestId('disputed');
    expect(mark.textContent).toBe('Disputed: see the values above');
    expect(mark.closest('dd')?.textContent).toContain('Nuru');
  });
});
