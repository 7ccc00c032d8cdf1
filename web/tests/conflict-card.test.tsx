// The conflict card names who made each value (never by a bare user id), marks the case's
// current value and the reader's own value, and does not speak of "two people" when one user made
// both values. The case view marks a field with an open conflict. A choice that loses to another
// user's resolution (`409 conflict_resolved`) gets a notice with the value the case now holds.
// Title and intro count the values and their authors, with Bengali digits in Bangla. A case that
// left the phone says why it may have gone and whom to ask.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { locale, type Locale } from '../src/i18n';
import type { CaseView as CaseViewBody, ConflictView, LocalCase, UserView } from '../src/model';
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
  vi.unstubAllGlobals();
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

describe('conflict title and intro', () => {
  /** Builds a conflict with one value per entry of `authors`, the first being the current value. */
  function conflictBy(authors: string[]): ConflictView {
    return conflictOf(authors.map((userId, index) => ({ value: `Nu${index}`, user_id: userId, version: index === 0 ? 4 : undefined })));
  }

  const THIRD_ID = '0190a1b2-0000-7000-8000-000000000003';
  const cases: [Locale, string[], string, string][] = [
    ['en', [OTHER_ID, ME.id], 'Two different values for ', 'Two people changed this field'],
    ['en', [OTHER_ID, ME.id, THIRD_ID], '3 different values for ', '3 people changed this field'],
    ['en', [OTHER_ID, ME.id, OTHER_ID, ME.id], '4 different values for ', 'Two people changed this field'],
    ['en', [ME.id, ME.id, ME.id], '3 different values for ', 'This field has 3 values, all from the same user'],
    ['bn', [OTHER_ID, ME.id], 'এই ঘরের দুটি ভিন্ন মান: ', 'দুজন এই ঘরে দুটি ভিন্ন মান দিয়েছেন'],
    ['bn', [OTHER_ID, ME.id, THIRD_ID], 'এই ঘরের ৩টি ভিন্ন মান: ', '৩ জন এই ঘরে ভিন্ন ভিন্ন মান দিয়েছেন'],
    ['bn', [OTHER_ID, ME.id, OTHER_ID, ME.id], 'এই ঘরের ৪টি ভিন্ন মান: ', 'দুজন এই ঘরে দুটি ভিন্ন মান দিয়েছেন'],
    ['bn', [ME.id, ME.id, ME.id], 'এই ঘরের ৩টি ভিন্ন মান: ', 'এই ঘরের ৩টি মান, সবগুলোই একই ব্যবহারকারীর দেওয়া'],
  ];
  for (const [code, authors, title, intro] of cases) {
    test(`${code}: ${authors.length} values from ${new Set(authors).size} users`, () => {
      locale.value = code;
      renderPanel(conflictBy(authors));
      expect(screen.getByRole('heading').textContent?.startsWith(title)).toBe(true);
      expect(screen.getByTestId('conflict').querySelector('.hint')?.textContent).toContain(intro);
      if (code === 'bn') expect(screen.getByRole('heading').textContent).not.toMatch(/[0-9]/);
    });
  }
});

describe('CaseView', () => {
  test('case not on phone says why', async () => {
    render(<CaseView id={CASE_ID} />);
    const card = await screen.findByTestId('case-not-found');
    expect(card.textContent).toContain('This case is not on this phone.');
    expect(card.textContent).toContain('reassigned to someone else, a referral may have ended, or your access may have changed');
    expect(card.textContent).toContain('Ask your supervisor');
  });

  test('case not on phone in Bangla', async () => {
    locale.value = 'bn';
    render(<CaseView id={CASE_ID} />);
    const card = await screen.findByTestId('case-not-found');
    expect(card.textContent).toContain('এই কেসটি এই ফোনে নেই।');
    expect(card.textContent).toContain('অন্য কাউকে দেওয়া হয়েছে, কোনো রেফারেল শেষ হয়েছে, অথবা আপনার প্রবেশাধিকার বদলেছে');
    expect(card.textContent).toContain('সুপারভাইজারকে জিজ্ঞেস করুন');
  });

  test('marks the disputed field', async () => {
    cases.value = [recordWith(TWO_USERS)];
    render(<CaseView id={CASE_ID} form="basic_identity" />);
    await waitFor(() => expect(screen.getAllByTestId('disputed')).toHaveLength(1));
    const mark = screen.getByTestId('disputed');
    expect(mark.textContent).toBe('Disputed: see the values above');
    expect(mark.closest('dd')?.textContent).toContain('Nuru');
  });
});

describe('resolving a conflict settled elsewhere', () => {
  /** The case as another user's resolution left it: a third value, and no open conflict. */
  const SETTLED: CaseViewBody = { ...recordWith(TWO_USERS), version: 5, data: { name_first: 'Nusrat', name_nickname: 'Nupu' }, conflicts: [] };

  /** Stubs fetch: the resolve returns `409 conflict_resolved`, and `/sync/records` returns
   * `records`, or fails as a lost connection when `records` is null. */
  function serverSettledFirst(records: CaseViewBody[] | null): string[] {
    const requests: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      requests.push(`${init.method} ${url}`);
      if (url.endsWith('/resolve')) {
        return new Response(JSON.stringify({ error: { code: 'conflict_resolved', message: 'Already resolved.' } }), { status: 409 });
      }
      if (records === null) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify({ records }), { status: 200 });
    });
    return requests;
  }

  /** Renders the panel of the case in the case list, so a refresh re-renders it. */
  function LivePanel() {
    const record = cases.value.find((entry) => entry.id === CASE_ID);
    return record ? <ConflictPanel record={record} config={session.value!.configuration!} /> : null;
  }

  beforeEach(() => {
    const vault = { get: async () => undefined, outbox: async () => [], putMany: async () => undefined };
    session.value = { ...session.value!, vault: vault as unknown as Vault };
    cases.value = [recordWith(TWO_USERS)];
  });

  test('refreshes and names the kept value', async () => {
    const requests = serverSettledFirst([SETTLED]);
    render(<LivePanel />);
    const [, mine] = screen.getAllByTestId('candidate');
    fireEvent.click(within(mine).getByRole('button', { name: 'Keep this value' }));

    const notice = await screen.findByTestId('settled-elsewhere');
    expect(notice.textContent).toMatch(/^Someone else already settled this field: .+\. Your choice was not saved\. The case now holds: Nupu$/);
    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('conflict')).toBeNull();
    expect(requests).toEqual([`POST /api/v1/cases/${CASE_ID}/conflicts/c1/resolve`, 'POST /api/v1/sync/records']);
    expect(cases.value[0].data.name_nickname).toBe('Nupu');
  });

  test('says so in Bangla', async () => {
    locale.value = 'bn';
    serverSettledFirst([SETTLED]);
    render(<LivePanel />);
    const [, mine] = screen.getAllByTestId('candidate');
    fireEvent.click(within(mine).getByRole('button', { name: 'এই মানটি রাখুন' }));

    const notice = await screen.findByTestId('settled-elsewhere');
    expect(notice.textContent).toMatch(/^অন্য একজন এই ঘরের অমিল আগেই মিটিয়ে ফেলেছেন: .+। আপনার বেছে নেওয়া মানটি সংরক্ষিত হয়নি। কেসে এখন আছে: Nupu$/);
  });

  test('keeps the card when refresh fails', async () => {
    serverSettledFirst(null);
    render(<LivePanel />);
    const [, mine] = screen.getAllByTestId('candidate');
    fireEvent.click(within(mine).getByRole('button', { name: 'Keep this value' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Someone else already settled this field, so your choice was not saved. The case shows the value it now holds after the next sync.',
    );
    expect(screen.getByTestId('conflict')).toBeTruthy();
    expect(screen.queryByTestId('settled-elsewhere')).toBeNull();
  });
});
