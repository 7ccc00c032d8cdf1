// The local dashboards (src/dashboard.ts) and the case filter they share with the case list
// (src/caseFilter.ts). The filter follows the server's semantics: not recorded, ages on an
// as-of date, place prefixes, date ranges. Each role gets its dashboard, and on a fixture
// caseload every figure equals the rows of the list its link opens.

import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import type { ApprovalView, ReferralView, TaskView } from '../src/actions';
import { pendingApprovals, serverTasks, incomingReferrals } from '../src/actions';
import { type CaseFilter, filterCases, filterQuery, parseFilter, routeFilter } from '../src/caseFilter';
import { dashboardKind, type Dashboard as DashboardData, type Figure, localDashboard, type LocalInputs, targetHref } from '../src/dashboard';
import { locale } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { peopleNames } from '../src/people';
import { parseRoute, route } from '../src/router';
import { CaseList } from '../src/screens/CaseList';
import { Dashboard } from '../src/screens/Dashboard';
import { buildTasks, Tasks, tasksOfOwner } from '../src/screens/Tasks';
import { session } from '../src/session';
import { cases, syncState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const config = loadConfiguration();
const TODAY = '2026-12-05';
const CONTEXT = { today: { year: 2026, month: 12, day: 5 } };

const ME = '0190a1b2-0000-7000-8000-00000000000a';
const OTHER = '0190a1b2-0000-7000-8000-00000000000b';
const CAMP = 'BD-CTG-CXB-UKH-C01E';
const BLOCK = 'BD-CTG-CXB-UKH-C01E-A';

function makeCase(id: string, data: Record<string, unknown>, overrides: Partial<LocalCase> = {}): LocalCase {
  return {
    id,
    display_id: `CXB-${id.toUpperCase()}`,
    version: 1,
    status: 'open',
    stage: 'new',
    enabled: true,
    owner_id: ME,
    owner_agency_id: 'bcri',
    created_by: ME,
    created_at: '2026-11-01T04:00:00Z',
    updated_at: '2026-11-01T04:00:00Z',
    data,
    calculated: {},
    pending: 0,
    ...overrides,
  };
}

/** A caseload with every kind of value that a filter distinguishes. */
const CASELOAD: LocalCase[] = [
  makeCase('a', { name_first: 'A', risk_level: 'high', sex: 'female', date_of_birth: '2020-12-05', location_current: BLOCK, protection_concerns: ['separated', 'child_labour'], registration_date: '2026-11-03' }, { stage: 'assessment', due: [{ kind: 'assessment', item: '', due_on: '2026-12-04' }] }),
  makeCase('b', { name_first: 'B', risk_level: 'medium', sex: 'male', date_of_birth: '2020-12-06', location_current: CAMP, protection_concerns: ['separated'], registration_date: '2026-10-20' }, { due: [{ kind: 'assessment', item: '', due_on: '2026-12-05' }] }),
  makeCase('c', { name_first: 'C', risk_level: 'low', date_of_birth: '2008-02-29', location_current: 'BD-CTG-CXB-UKH-C01W-A', registration_date: '2026-09-01' }, { stage: 'case_plan', due: [{ kind: 'follow_up', item: 'next', due_on: '2026-12-09' }] }),
  makeCase('d', { name_first: 'D', sex: 'female', protection_concerns: [] }, { owner_id: OTHER, due: [{ kind: 'assessment', item: '', due_on: '2026-11-30' }] }),
  makeCase('e', { name_first: 'E', risk_level: 'high', sex: 'male', date_of_birth: '2014-06-01', closure_date: '2026-11-15', assessment_completed_on: '2026-10-02', case_plan_approved_on: '2026-10-10' }, { status: 'closed', stage: 'closed' }),
  makeCase('f', { name_first: 'F', risk_level: 'high', date_of_birth: 'not a date', assessment_completed_on: '2026-11-20' }, { owner_id: OTHER, stage: 'assessment', due: [{ kind: 'case_plan', item: '', due_on: '2026-12-01' }] }),
];

function ids(filter: CaseFilter, today = CONTEXT): string[] {
  return filterCases(CASELOAD, filter, today).map((record) => record.id);
}

describe('case filter', () => {
  const table: [string, Record<string, string>, string[]][] = [
    ['status open', { status: 'open' }, ['a', 'b', 'c', 'd', 'f']],
    ['status closed', { status: 'closed' }, ['e']],
    ['status all', { status: 'all' }, ['a', 'b', 'c', 'd', 'e', 'f']],
    ['one risk level', { risk_level: 'high' }, ['a', 'e', 'f']],
    ['risk not recorded', { risk_level: 'none' }, ['d']],
    ['risk list with none', { risk_level: 'low,none' }, ['c', 'd']],
    ['sex not recorded', { sex: 'none' }, ['c', 'f']],
    ['sex female', { sex: 'female' }, ['a', 'd']],
    ['owner', { owner: OTHER }, ['d', 'f']],
    ['stage', { stage: 'assessment' }, ['a', 'f']],
    ['agency', { agency: 'bcri' }, ['a', 'b', 'c', 'd', 'e', 'f']],
    // Born 2020-12-05: six on the as-of date itself; born a day later: still five.
    ['birthday on as_of moves up', { age_min: '6', age_max: '11', as_of: TODAY }, ['a']],
    ['day before birthday stays', { age_min: '0', age_max: '5', as_of: TODAY }, ['b']],
    // Born 29 Feb 2008: 17 on 28 Feb 2026, 18 on 1 Mar 2026.
    ['29 Feb before 1 Mar', { age_min: '18', as_of: '2026-02-28' }, []],
    ['29 Feb on 1 Mar', { age_min: '18', as_of: '2026-03-01' }, ['c']],
    ['age without as_of is today', { age_min: '18' }, ['c']],
    ['Bengali digits in ages', { age_min: '১২', age_max: '১৭' }, ['e']],
    ['age unknown', { age_unknown: 'true' }, ['d', 'f']],
    ['camp includes its blocks', { location: CAMP }, ['a', 'b']],
    ['block only', { location: BLOCK }, ['a']],
    ['prefix is not a place', { location: 'BD-CTG-CXB-UKH-C01' }, []],
    ['place not recorded', { location: 'none' }, ['d', 'e', 'f']],
    ['concern', { protection_concern: 'separated' }, ['a', 'b']],
    ['concern not recorded', { protection_concern: 'none' }, ['c', 'd', 'e', 'f']],
    ['registered range inclusive', { registered_from: '2026-10-20', registered_to: '2026-11-03' }, ['a', 'b']],
    ['closed range', { closed_from: '2026-11-01', closed_to: '2026-11-30' }, ['e']],
    ['closed range excludes open', { closed_from: '2026-01-01' }, ['e']],
    ['assessed', { assessed: 'true' }, ['e', 'f']],
    ['case plan approved', { case_plan_approved: 'true' }, ['e']],
    ['not assessed', { assessed: 'false', status: 'open' }, ['a', 'b', 'c', 'd']],
    ['age known is no filter', { age_unknown: 'false' }, ['a', 'b', 'c', 'd', 'e', 'f']],
    ['several filters', { status: 'open', risk_level: 'high', owner: ME }, ['a']],
  ];
  for (const [name, params, expected] of table) {
    test(name, () => {
      expect(ids(parseFilter(params))).toEqual(expected);
    });
  }

  test('invalid values are dropped', () => {
    expect(parseFilter({ age_min: 'x', age_max: '151', as_of: '2026-13-01', assessed: 'yes', status: 'pending', colour: 'red' })).toEqual({});
  });

  test('route without status lists open', () => {
    expect(routeFilter(undefined)).toEqual({ status: 'open' });
    expect(routeFilter({ risk_level: 'high' })).toEqual({ status: 'open', risk_level: 'high' });
    expect(routeFilter({ status: 'all', risk_level: 'high' })).toEqual({ risk_level: 'high' });
  });

  test('query keeps the key order', () => {
    expect(filterQuery({ owner: ME, status: 'open', risk_level: 'none' })).toBe(`status=open&risk_level=none&owner=${ME}`);
  });
});

describe('dashboardKind', () => {
  const kindOf = (id: string) => dashboardKind(config.roles.find((role) => role.id === id));
  test('default roles', () => {
    expect(kindOf('caseworker')).toBe('caseworker');
    expect(kindOf('supervisor')).toBe('supervisor');
    expect(kindOf('agency_admin')).toBe('manager');
    expect(kindOf('information_management_officer')).toBe('coordination');
    expect(kindOf('service_provider')).toBe('none');
    expect(kindOf('system_admin')).toBe('none');
  });

  test('decided by grants, not id', () => {
    const renamed = { ...config.roles.find((role) => role.id === 'supervisor')!, id: 'team_lead' };
    expect(dashboardKind(renamed)).toBe('supervisor');
  });
});

function task(kind: TaskView['kind'], subjectId: string, dueOn: string | null = null): TaskView {
  return { kind, case_id: 'x', display_id: 'CXB-X', child_name: 'X', risk_level: null, due_on: dueOn, item: '', subject_id: subjectId, overdue: false };
}

function referral(id: string, status: string): ReferralView {
  return { id, case_id: 'a', display_id: 'CXB-A', service_type: 'health', status, version: 1, from_user: { id: OTHER, full_name: 'O' }, from_agency_id: 'nsf', to_agency_id: 'bcri', shared_forms: [], consent_basis: 'given', created_at: '2026-12-01T04:00:00Z', updated_at: '2026-12-01T04:00:00Z', can: [] };
}

function approval(id: string, requestedBy: string): ApprovalView {
  return { id, case_id: 'a', display_id: 'CXB-A', kind: 'case_plan', status: 'pending', version: 1, requested_by: { id: requestedBy, full_name: 'R' }, requested_at: '2026-12-01T04:00:00Z' };
}

function inputs(kind: 'caseworker' | 'supervisor', changes: Partial<LocalInputs> = {}): LocalInputs {
  return {
    kind,
    userId: ME,
    config,
    cases: CASELOAD,
    todayIso: TODAY,
    computedAt: '2026-12-05T04:00:00Z',
    serverTasks: { items: [task('approval', 'ap1'), task('transfer', 't1'), task('transfer', 't2')], caseItems: [] },
    approvals: [approval('ap1', OTHER), approval('ap2', ME)],
    referrals: [referral('r1', 'pending'), referral('r2', 'accepted'), referral('r3', 'pending')],
    people: new Map([
      [ME, 'Rahima Akter'],
      [OTHER, 'Ayesha Siddika'],
    ]),
    ...changes,
  };
}

function panelOf(dashboard: DashboardData, id: string) {
  const panel = dashboard.panels.find((entry) => entry.id === id);
  if (!panel) throw new Error(`no panel ${id}`);
  return panel;
}

function values(figures: Figure[]): Record<string, number | null> {
  return Object.fromEntries(figures.map((figure) => [figure.key, figure.value]));
}

/** Follows a figure's link as the app does and counts the rows of the local list it opens. */
function rowsBehind(figure: Figure, dashboardInputs: LocalInputs): number {
  const target = parseRoute(targetHref(figure.list!, false));
  if (target.name === 'cases') return filterCases(dashboardInputs.cases, routeFilter(target.params), CONTEXT).length;
  if (target.name === 'tasks') {
    const sections = target.owner
      ? tasksOfOwner(target.owner, [...dashboardInputs.cases], TODAY)
      : buildTasks(ME, [...dashboardInputs.cases], dashboardInputs.serverTasks.items, TODAY, dashboardInputs.serverTasks.caseItems);
    return sections[target.bucket!].length;
  }
  throw new Error(`no local list for ${JSON.stringify(target)}`);
}

describe('caseworker dashboard', () => {
  const given = inputs('caseworker');
  const dashboard = localDashboard(given);

  test('panels in order', () => {
    expect(dashboard.kind).toBe('caseworker');
    expect(dashboard.panels.map((panel) => panel.id)).toEqual(['my_open_total', 'my_open_by_risk', 'my_open_by_stage', 'my_tasks', 'my_incoming']);
  });

  test('open cases by risk', () => {
    expect(values(panelOf(dashboard, 'my_open_total').figures)).toEqual({ total: 3 });
    expect(values(panelOf(dashboard, 'my_open_by_risk').figures)).toEqual({ high: 1, medium: 1, low: 1, none: 0 });
  });

  test('stages of open cases', () => {
    // Stages without a case are left out, as on the server.
    expect(values(panelOf(dashboard, 'my_open_by_stage').figures)).toEqual({ new: 1, assessment: 1, case_plan: 1 });
  });

  test('tasks by bucket', () => {
    // a: overdue; b: today, plus the approval and the two transfers waiting now; c: this week.
    expect(values(panelOf(dashboard, 'my_tasks').figures)).toEqual({ overdue: 1, today: 4, week: 1 });
  });

  test('waiting for my answer', () => {
    const incoming = panelOf(dashboard, 'my_incoming').figures;
    expect(values(incoming)).toEqual({ referrals: 2, transfers: 2 });
    expect(targetHref(incoming[0].list!, false)).toBe('#/referrals?only=pending-referrals');
    expect(targetHref(incoming[1].list!, false)).toBe('#/referrals?only=transfers');
  });

  test('every figure equals its rows', () => {
    for (const panel of dashboard.panels.filter((entry) => entry.id !== 'my_incoming')) {
      for (const figure of panel.figures) {
        expect(`${panel.id}/${figure.key}=${rowsBehind(figure, given)}`).toBe(`${panel.id}/${figure.key}=${figure.value}`);
      }
    }
  });

  test('case links carry status', () => {
    const high = panelOf(dashboard, 'my_open_by_risk').figures[0];
    expect(targetHref(high.list!, false)).toBe(`#/cases?status=open&risk_level=high&owner=${ME}`);
    expect(targetHref(high.list!, true)).toBe(`#/cases?status=open&risk_level=high&owner=${ME}&source=server`);
    expect(targetHref({ screen: 'cases', filter: { registered_from: '2026-11-01' } }, true)).toBe('#/cases?status=all&registered_from=2026-11-01&source=server');
  });
});

describe('supervisor dashboard', () => {
  const given = inputs('supervisor');
  const dashboard = localDashboard(given);

  test('panels in order', () => {
    expect(dashboard.panels.map((panel) => panel.id)).toEqual(['team_open_by_owner', 'approvals_pending', 'team_overdue_by_owner', 'new_to_assign', 'team_open_by_risk']);
  });

  test('open cases by owner, me first', () => {
    const figures = panelOf(dashboard, 'team_open_by_owner').figures;
    expect(figures.map((figure) => [figure.key, figure.label, figure.value])).toEqual([
      [ME, 'Rahima Akter', 3],
      [OTHER, 'Ayesha Siddika', 2],
    ]);
  });

  test('approvals of others only', () => {
    expect(values(panelOf(dashboard, 'approvals_pending').figures)).toEqual({ total: 1 });
  });

  test('overdue by owner', () => {
    expect(values(panelOf(dashboard, 'team_overdue_by_owner').figures)).toEqual({ [ME]: 1, [OTHER]: 2 });
  });

  test('new cases and team risk', () => {
    expect(values(panelOf(dashboard, 'new_to_assign').figures)).toEqual({ total: 1 });
    expect(values(panelOf(dashboard, 'team_open_by_risk').figures)).toEqual({ high: 2, medium: 1, low: 1, none: 1 });
  });

  test('every figure equals its rows', () => {
    for (const panel of dashboard.panels.filter((entry) => entry.id !== 'approvals_pending')) {
      for (const figure of panel.figures) {
        expect(`${panel.id}/${figure.key}=${rowsBehind(figure, given)}`).toBe(`${panel.id}/${figure.key}=${figure.value}`);
      }
    }
  });
});

// The screens: the dashboard's numbers and links in Bangla, and the lists they open.
const USER: UserView = { id: ME, username: 'cw.rahima', full_name: 'Rahima Akter', agency_id: 'bcri', role_id: 'caseworker', locale: 'bn', disabled: false };

describe('dashboard screen', () => {
  beforeEach(() => {
    locale.value = 'bn';
    session.value = { user: USER, vault: null as unknown as Vault, configuration: config, configVersion: 1, serverSession: false };
    cases.value = CASELOAD;
    serverTasks.value = { today: TODAY, items: [], caseItems: [] };
    pendingApprovals.value = [];
    incomingReferrals.value = [];
    peopleNames.value = new Map();
  });

  afterEach(() => {
    cleanup();
    session.value = null;
    cases.value = [];
    location.hash = '';
    route.value = { name: 'cases' };
  });

  test('total in Bengali digits', () => {
    render(<Dashboard />);
    const total = screen.getByTestId('panel-my_open_total');
    expect(total.textContent).toContain('৩টি চলমান কেস');
    expect(total.querySelector('.big-number')!.textContent).toBe('৩');
  });

  test('risk words in the table', () => {
    render(<Dashboard />);
    const rows = [...screen.getByTestId('panel-my_open_by_risk').querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toEqual(['উচ্চ ঝুঁকি১', 'মাঝারি ঝুঁকি১', 'কম ঝুঁকি১', 'ঝুঁকি নির্ধারিত হয়নি০']);
  });

  test('case figures open lists of that size', async () => {
    render(<Dashboard />);
    const links = [...document.querySelectorAll<HTMLAnchorElement>('[data-testid=figure][href^="#/cases"]')].map((link) => ({
      href: link.getAttribute('href')!,
      value: Number(link.dataset.value),
    }));
    expect(links.length).toBe(8);
    cleanup();
    for (const { href, value } of links) {
      route.value = parseRoute(href);
      const view = render(<CaseList />);
      const count = await waitFor(() => screen.getByTestId('cases-count'));
      expect(`${href} ${count.dataset.count}`).toBe(`${href} ${value}`);
      expect(count.textContent).toMatch(/^[০-৯]+টি কেস$/);
      view.unmount();
    }
  });

  test('task figure opens its section', () => {
    const dueToday = localDashboard(inputs('caseworker', { serverTasks: { items: [] } }));
    const today = panelOf(dueToday, 'my_tasks').figures.find((figure) => figure.key === 'today')!;
    const target = parseRoute(targetHref(today.list!, false));
    expect(target).toEqual({ name: 'tasks', bucket: 'today' });
    render(<Tasks bucket="today" />);
    expect(screen.getByTestId('tasks-count').dataset.count).toBe(String(today.value));
    expect(screen.getAllByTestId('task')).toHaveLength(today.value!);
  });

  test('manager offline is told calmly', () => {
    locale.value = 'en';
    session.value = { ...session.value!, user: { ...USER, role_id: 'agency_admin' } };
    syncState.value = { ...syncState.value, online: false };
    try {
      render(<Dashboard />);
      expect(screen.getByTestId('dashboard-offline').textContent).toBe(
        'The figures are counted on the server, so they need a connection. They appear when this phone is online again.',
      );
    } finally {
      syncState.value = { ...syncState.value, online: true };
    }
  });

  test('filter chips name the filters', () => {
    route.value = parseRoute(`#/cases?status=open&risk_level=high&owner=${ME}`);
    render(<CaseList />);
    const chips = [...screen.getByTestId('filter-chips').querySelectorAll('li > span')].map((chip) => chip.textContent);
    expect(chips).toEqual(['চলমান', 'উচ্চ ঝুঁকি', 'কেসওয়ার্কার: Rahima Akter']);
    expect(screen.getByTestId('filter-remove-risk_level').getAttribute('href')).toBe(`#/cases?status=open&owner=${ME}`);
    expect(screen.getByTestId('filter-remove-status').getAttribute('href')).toBe(`#/cases?status=all&risk_level=high&owner=${ME}`);
  });
});
