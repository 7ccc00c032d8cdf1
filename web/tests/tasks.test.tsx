// The task list (screens/Tasks.tsx): case-derived tasks from the due items the sync module keeps
// on each case summary, server tasks from the cached list, the overdue / today / this week
// sections against the deployment's date, where each task leads, and the screen in both languages.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { serverTasks, type TaskView } from '../src/actions';
import { formatDate, locale, t } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { href } from '../src/router';
import { buildTasks, CARDS_SHOWN_FIRST, Tasks, taskTarget, taskTitle, type TaskEntry } from '../src/screens/Tasks';
import { session } from '../src/session';
import { cases, clearLocalState, createCaseLocally, loadLocalCases } from '../src/sync';
import { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

vi.setConfig({ testTimeout: 30_000 });

const ME: UserView = { id: 'u-rahima', username: 'cw.rahima', full_name: 'Rahima Akter', agency_id: 'bcri', role_id: 'caseworker', locale: 'en', disabled: false };

function localCase(id: string, due: LocalCase['due'], changes: Partial<LocalCase> = {}): LocalCase {
  return {
    id,
    display_id: `CXB-${id}`,
    version: 2,
    status: 'open',
    stage: 'assessment',
    enabled: true,
    owner_id: ME.id,
    owner_agency_id: 'bcri',
    created_by: ME.id,
    created_at: '2026-12-20T03:00:00Z',
    updated_at: '2026-12-20T03:00:00Z',
    data: { name_first: `Child ${id}`, risk_level: 'medium' },
    calculated: {},
    conflicts: [],
    pending: 0,
    due,
    ...changes,
  };
}

function serverTask(kind: TaskView['kind'], dueOn: string | null, subjectId: string | null): TaskView {
  return { kind, case_id: 'c9', display_id: 'CXB-c9', child_name: 'Server child', risk_level: 'high', due_on: dueOn, item: '', subject_id: subjectId, overdue: false };
}

const TODAY = '2027-01-01';

afterEach(() => {
  cleanup();
  session.value?.vault.close?.();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('buildTasks', () => {
  test('sorts into overdue, today and week', () => {
    const mine = [
      localCase('a', [{ kind: 'assessment', item: '', due_on: '2026-12-31' }]),
      localCase('b', [{ kind: 'case_plan', item: '', due_on: '2027-01-01' }]),
      localCase('c', [
        { kind: 'follow_up', item: 'next', due_on: '2027-01-07' },
        { kind: 'service', item: 's1', due_on: '2027-01-08' },
      ]),
    ];
    const sections = buildTasks(ME.id, mine, [], TODAY);
    expect(sections.overdue.map((entry) => entry.key)).toEqual(['a/assessment/']);
    expect(sections.today.map((entry) => entry.key)).toEqual(['b/case_plan/']);
    // This week is tomorrow to six days from today; the service due in seven days is later.
    expect(sections.week.map((entry) => entry.key)).toEqual(['c/follow_up/next']);
    expect(sections.later.map((entry) => entry.key)).toEqual(['c/service/s1']);
  });

  test('later sorts nearest first', () => {
    const mine = [
      localCase('far', [{ kind: 'follow_up', item: 'next', due_on: '2027-03-01' }]),
      localCase('near', [{ kind: 'case_plan', item: '', due_on: '2027-01-15' }]),
    ];
    const sections = buildTasks(ME.id, mine, [], TODAY);
    expect(sections.later.map((entry) => entry.caseId)).toEqual(['near', 'far']);
    expect(sections.week).toEqual([]);
  });

  test('only open cases the user owns', () => {
    const due = [{ kind: 'assessment', item: '', due_on: TODAY }];
    const list = [localCase('mine', due), localCase('theirs', due, { owner_id: 'u-other' }), localCase('closed', due, { status: 'closed' })];
    const sections = buildTasks(ME.id, list, [], TODAY);
    expect(sections.today.map((entry) => entry.caseId)).toEqual(['mine']);
  });

  test('server requests without a date are today', () => {
    const sections = buildTasks(ME.id, [], [serverTask('approval', null, 'ap1'), serverTask('referral_service', '2026-12-30', 'r1')], TODAY);
    expect(sections.today.map((entry) => entry.kind)).toEqual(['approval']);
    expect(sections.overdue.map((entry) => entry.kind)).toEqual(['referral_service']);
    expect(sections.today[0].childName).toBe('Server child');
  });

  test('assigned cases count as the user\'s', () => {
    const due = [{ kind: 'assessment', item: '', due_on: TODAY }];
    // The server's list names case "assigned" (owned by someone else) and case "remote", which
    // the phone does not have yet. Case "theirs" is neither owned nor named.
    const list = [
      localCase('assigned', [{ kind: 'follow_up', item: 'next', due_on: TODAY }], { owner_id: 'u-other' }),
      localCase('theirs', due, { owner_id: 'u-other' }),
    ];
    const fromServer = [
      { ...serverTask('assessment', '2026-12-31', null), case_id: 'assigned' },
      { ...serverTask('case_plan', TODAY, null), case_id: 'remote', display_id: 'CXB-remote' },
    ];
    const sections = buildTasks(ME.id, list, [], TODAY, fromServer);
    // The phone's own due items win over the server's older copy of the same case. The server's
    // high-risk case sorts before the phone's medium-risk one.
    expect(sections.today.map((entry) => entry.key)).toEqual(['remote/case_plan/', 'assigned/follow_up/next']);
    expect(sections.overdue).toEqual([]);
    expect(sections.today[0].childName).toBe('Server child');
    expect(sections.today[1].childName).toBe('Child assigned');
  });

  test('same day sorts high risk first', () => {
    const due = [{ kind: 'assessment', item: '', due_on: TODAY }];
    const list = [
      localCase('low', due, { data: { risk_level: 'low' } }),
      localCase('high', due, { data: { risk_level: 'high' } }),
      localCase('none', due, { data: {} }),
    ];
    expect(buildTasks(ME.id, list, [], TODAY).today.map((entry) => entry.caseId)).toEqual(['high', 'low', 'none']);
  });
});

describe('taskTarget', () => {
  const base: TaskEntry = { key: 'k', kind: 'assessment', caseId: 'c1', displayId: 'CXB-1', childName: 'A', riskLevel: 'high', dueOn: TODAY, subjectId: null };
  const cases: [TaskEntry['kind'], string | null, string][] = [
    ['assessment', null, '#/cases/c1/assessment'],
    ['case_plan', null, '#/cases/c1/case_plan'],
    ['service', null, '#/cases/c1/services'],
    ['follow_up', null, '#/cases/c1/follow_up'],
    ['approval', 'ap1', '#/approvals'],
    ['referral', 'r1', '#/referrals/r1'],
    ['referral_service', 'r1', '#/referrals/r1'],
    ['transfer', 't1', '#/transfers/t1'],
    ['approval_rejected', 'ap1', '#/cases/c1'],
  ];
  for (const [kind, subjectId, expected] of cases) {
    test(`${kind} opens ${expected}`, () => {
      expect(href(taskTarget({ ...base, kind, subjectId }))).toBe(expected);
    });
  }

  test('every kind has a title in both languages', () => {
    for (const code of ['en', 'bn'] as const) {
      locale.value = code;
      for (const [kind] of cases) {
        const title = taskTitle({ ...base, kind });
        expect(title).not.toBe(`task-${kind}`);
        expect(title.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('due items on the phone', () => {
  test('offline registration is due tomorrow', async () => {
    const vault = await Vault.unlock('cw.tasks-offline', 'correct horse battery', true);
    const configuration = loadConfiguration();
    session.value = { user: ME, vault, configuration, configVersion: 1, serverSession: true };
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await loadLocalCases();
    await createCaseLocally('new-case', { name_first: 'Sayra', risk_level: 'high', registration_date: '2026-12-31' });

    // High risk: the assessment is due one day after registration (the default rules).
    expect(cases.value[0].due).toEqual([{ kind: 'assessment', item: '', due_on: '2027-01-01' }]);
    const sections = buildTasks(ME.id, cases.value, [], TODAY);
    expect(sections.today.map((entry) => [entry.kind, entry.childName])).toEqual([['assessment', 'Sayra']]);

    // Read back from the vault's index, as after the app is opened again.
    clearLocalState();
    await loadLocalCases();
    expect(cases.value[0].due).toEqual([{ kind: 'assessment', item: '', due_on: '2027-01-01' }]);
  });

  test('case plan after assessment is later', async () => {
    const vault = await Vault.unlock('cw.tasks-later', 'correct horse battery', true);
    session.value = { user: ME, vault, configuration: loadConfiguration(), configVersion: 1, serverSession: true };
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await loadLocalCases();
    await createCaseLocally('assessed', {
      name_first: 'Sayra',
      risk_level: 'high',
      registration_date: '2026-12-31',
      assessment_completed_on: TODAY,
    });
    // The default rules give the case plan 14 days after the assessment.
    expect(cases.value[0].due).toEqual([{ kind: 'case_plan', item: '', due_on: '2027-01-15' }]);

    locale.value = 'bn';
    vi.useFakeTimers({ now: Date.parse('2027-01-01T06:00:00Z'), toFake: ['Date'] });
    try {
      serverTasks.value = { today: TODAY, items: [] };
      render(<Tasks />);
    } finally {
      vi.useRealTimers();
    }

    // Nothing is due this week, but the summary counts the later item and the section is folded.
    expect(screen.getByText(t('tasks-none'))).not.toBeNull();
    expect(screen.getByTestId('tasks-jump-later').textContent).toBe('পরে ১');
    expect(screen.queryByTestId('tasks-later')).toBeNull();
    const unfold = screen.getByTestId('tasks-show-later');
    expect(unfold.textContent).toBe('পরের কাজ দেখুন (১টি)');

    fireEvent.click(unfold);
    const later = screen.getByTestId('tasks-later');
    expect(within(later).getByRole('heading').textContent).toBe('পরে ১');
    const card = within(later).getByTestId('task');
    expect(card.getAttribute('data-kind')).toBe('case_plan');
    expect(card.textContent).toContain('Sayra');
    expect(card.textContent).toContain(formatDate('2027-01-15'));
    expect(card.textContent).toContain('১৫');
    expect(card.textContent).not.toMatch(/[0-9]/);
    expect(screen.queryByTestId('tasks-show-later')).toBeNull();
  });
});

describe('Tasks screen', () => {
  beforeEach(() => {
    session.value = {
      user: ME,
      vault: { get: async () => undefined, put: async () => undefined } as unknown as Vault,
      configuration: loadConfiguration(),
      configVersion: 1,
      serverSession: true,
    };
  });

  test('shows sections with counts', () => {
    locale.value = 'en';
    vi.useFakeTimers({ now: Date.parse('2026-12-31T18:05:00Z'), toFake: ['Date'] });
    try {
      cases.value = [localCase('a', [{ kind: 'assessment', item: '', due_on: '2026-12-31' }])];
      serverTasks.value = { today: TODAY, items: [serverTask('approval', null, 'ap1')] };
      render(<Tasks />);
    } finally {
      vi.useRealTimers();
    }
    // 18:05 UTC on 31 December is already 1 January in Dhaka: the assessment is overdue.
    const overdue = screen.getByTestId('tasks-overdue');
    expect(within(overdue).getByRole('heading').textContent).toBe('Overdue 1');
    const card = within(overdue).getByTestId('task');
    expect(card.textContent).toContain(t('task-assessment'));
    expect(card.textContent).toContain('Child a');
    expect(card.textContent).toContain('CXB-a');
    expect(card.textContent).toContain('Medium risk');
    expect(card.textContent).toContain('Was due 31 December 2026');
    expect(card.getAttribute('href')).toBe('#/cases/a/assessment');
    expect(within(screen.getByTestId('tasks-today')).getByTestId('task').textContent).toContain(t('tasks-waiting'));
  });

  test('Bangla dates and counts', () => {
    locale.value = 'bn';
    vi.useFakeTimers({ now: Date.parse('2027-01-01T06:00:00Z'), toFake: ['Date'] });
    try {
      cases.value = [localCase('a', [{ kind: 'follow_up', item: 'next', due_on: '2027-01-03' }])];
      serverTasks.value = { today: TODAY, items: [] };
      render(<Tasks />);
    } finally {
      vi.useRealTimers();
    }
    const week = screen.getByTestId('tasks-week');
    expect(within(week).getByRole('heading').textContent).toBe('এই সপ্তাহে ১');
    const text = within(week).getByTestId('task').textContent!;
    expect(text).toContain(formatDate('2027-01-03'));
    expect(text).toContain('৩');
    expect(text).not.toMatch(/[0-9]/);
  });

  test('170 overdue keep tomorrow in view', () => {
    locale.value = 'en';
    const overdue = Array.from({ length: 170 }, (_, index) =>
      localCase(`old${String(index).padStart(3, '0')}`, [{ kind: 'follow_up', item: 'next', due_on: '2025-06-01' }]),
    );
    const newChild = localCase('new', [{ kind: 'assessment', item: '', due_on: '2027-01-02' }], {
      data: { name_first: 'Sayra', risk_level: 'high' },
    });
    vi.useFakeTimers({ now: Date.parse('2027-01-01T06:00:00Z'), toFake: ['Date'] });
    try {
      cases.value = [...overdue, newChild];
      serverTasks.value = { today: TODAY, items: [] };
      render(<Tasks />);
    } finally {
      vi.useRealTimers();
    }

    // The summary line counts every section before any card.
    const summary = screen.getByTestId('tasks-summary');
    expect(within(summary).getByTestId('tasks-jump-overdue').textContent).toBe('Overdue 170');
    expect(within(summary).getByTestId('tasks-jump-today').textContent).toBe('Today 0');
    expect(within(summary).getByTestId('tasks-jump-week').textContent).toBe('This week 1');
    expect(within(summary).getByTestId('tasks-jump-later').textContent).toBe('Later 0');

    // The new child's assessment is the eleventh card on the page, not the 171st.
    const cards = screen.getAllByTestId('task');
    expect(cards).toHaveLength(CARDS_SHOWN_FIRST + 1);
    const assessment = within(screen.getByTestId('tasks-week')).getByTestId('task');
    expect(assessment.textContent).toContain('Sayra');
    expect(assessment.textContent).toContain('High risk');
    expect(cards.indexOf(assessment)).toBe(CARDS_SHOWN_FIRST);

    // The sections stay in order: overdue, then today, then this week.
    const overdueSection = screen.getByTestId('tasks-overdue');
    const weekSection = screen.getByTestId('tasks-week');
    expect(overdueSection.compareDocumentPosition(weekSection) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    fireEvent.click(within(overdueSection).getByTestId('tasks-show-all-overdue'));
    expect(within(overdueSection).getAllByTestId('task')).toHaveLength(170);
    expect(within(overdueSection).queryByTestId('tasks-show-all-overdue')).toBeNull();
  });

  test('summary jumps to a section', () => {
    locale.value = 'bn';
    const scrolled: string[] = [];
    HTMLElement.prototype.scrollIntoView = function (this: HTMLElement) {
      scrolled.push(this.id);
    };
    try {
      cases.value = Array.from({ length: 12 }, (_, index) => localCase(`c${index}`, [{ kind: 'assessment', item: '', due_on: '2026-12-01' }]));
      serverTasks.value = { today: TODAY, items: [serverTask('approval', null, 'ap1')] };
      render(<Tasks />);
      const showAll = screen.getByTestId('tasks-show-all-overdue');
      expect(showAll.textContent).toBe('সবগুলো দেখুন (১২টি)');
      // An empty section is not a button.
      expect(screen.getByTestId('tasks-jump-week').tagName).toBe('SPAN');
      fireEvent.click(screen.getByTestId('tasks-jump-today'));
      expect(scrolled).toEqual(['tasks-today']);
      expect(document.activeElement?.id).toBe('tasks-today');
    } finally {
      delete (HTMLElement.prototype as Partial<HTMLElement>).scrollIntoView;
    }
  });

  test('nothing due says so', () => {
    locale.value = 'en';
    cases.value = [];
    serverTasks.value = { today: TODAY, items: [] };
    render(<Tasks />);
    expect(screen.getByText(t('tasks-none'))).not.toBeNull();
  });

  test('later count unfolds the section', () => {
    locale.value = 'en';
    vi.useFakeTimers({ now: Date.parse('2027-01-01T06:00:00Z'), toFake: ['Date'] });
    try {
      cases.value = [localCase('a', [{ kind: 'case_plan', item: '', due_on: '2027-01-15' }])];
      serverTasks.value = { today: TODAY, items: [] };
      render(<Tasks />);
    } finally {
      vi.useRealTimers();
    }
    expect(screen.queryByTestId('tasks-later')).toBeNull();
    fireEvent.click(screen.getByTestId('tasks-jump-later'));
    const card = within(screen.getByTestId('tasks-later')).getByTestId('task');
    expect(card.textContent).toContain('Due 15 January 2027');
  });
});
