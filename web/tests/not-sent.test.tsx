// The "not accepted" list names each case by the child's name and short case id, and shows what to
// do next: enter the change again while the case is on the phone, ask the supervisor once it left.

import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { locale } from '../src/i18n';
import type { LocalCase, NotSentEntry, UserView } from '../src/model';
import { NotSent } from '../src/screens/NotSent';
import { session } from '../src/session';
import { cases, clearLocalState, notSent } from '../src/sync';
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
const RECORD = {
  id: CASE_ID,
  display_id: 'CXB-000001',
  version: 4,
  data: { name_first: 'Nusrat', name_last: 'Jahan' },
  pending: 0,
} as unknown as LocalCase;

function entry(kind: NotSentEntry['kind'], extra: Partial<NotSentEntry> = {}): NotSentEntry {
  return {
    mutationId: 'm1',
    caseId: CASE_ID,
    kind,
    changes: kind === 'update' ? [{ path: 'name_nickname', value: 'Nuru' }] : [],
    data: kind === 'create' ? { name_first: 'Nusrat' } : undefined,
    code: 'record_unavailable',
    message: '',
    fields: [],
    rejectedAt: '2024-05-10T04:00:00Z',
    caseName: 'Nusrat Jahan',
    ...extra,
  };
}

beforeEach(() => {
  locale.value = 'en';
  session.value = { user: USER, vault: {} as Vault, configuration: loadConfiguration(), configVersion: 1, serverSession: true };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  locale.value = 'bn';
});

describe('NotSent', () => {
  test('case on the phone: name, id, enter again', () => {
    cases.value = [RECORD];
    notSent.value = [entry('update')];
    render(<NotSent />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Nusrat Jahan · CXB-000001');
    expect(screen.getByTestId('not-sent-next').textContent).toContain('enter it again');
  });

  test('case gone: ask the supervisor', () => {
    notSent.value = [entry('update', { displayId: 'CXB-000001' })];
    render(<NotSent />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Nusrat Jahan · CXB-000001');
    const next = screen.getByTestId('not-sent-next').textContent ?? '';
    expect(next).toContain('no longer on this phone');
    expect(next).toContain('supervisor');
    expect(document.body.textContent).not.toContain('enter it again');
  });

  test('rejected registration: ask the supervisor', () => {
    notSent.value = [entry('create')];
    render(<NotSent />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Nusrat Jahan');
    expect(screen.getByTestId('not-sent-next').textContent).toContain('Ask your supervisor');
    expect(document.body.textContent).not.toContain('enter it again');
  });

  test('no name and no id', () => {
    notSent.value = [entry('create', { caseName: undefined })];
    render(<NotSent />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('(no name)');
    expect(document.body.textContent).not.toContain(CASE_ID);
  });
});
