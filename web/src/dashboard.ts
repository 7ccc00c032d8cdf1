// Dashboards: the shapes of `GET /api/v1/dashboard`, which dashboard a role gets, and the
// caseworker's and supervisor's dashboards computed on the phone from the vault, so that they
// open offline with the same panels, keys and list targets as the server's.
//
// Every case figure is `countCases` of its own list filter (caseFilter.ts), and the case list
// that the figure opens runs `filterCases` with that filter, so a figure equals its rows by
// construction. Task figures are sections of `buildTasks`, which the task list shows, and the
// referral, transfer and approval figures count the lists those screens show offline.

import type { ApprovalView, ReferralView as CachedReferral, TaskView } from './actions';
import { type CaseFilter, countCases, type FilterContext, NOT_RECORDED } from './caseFilter';
import { scopeOf, type Configuration, type Role } from './domain/config';
import { caseListHref } from './figureText';
import type { LocalCase } from './model';
import { href } from './router';
import { buildTasks, tasksOfOwner, type TaskSection } from './screens/Tasks';

export type DashboardKind = 'caseworker' | 'supervisor' | 'manager' | 'coordination' | 'none';

/** The screen a figure opens and its filter, as query parameters of that screen's list. */
export interface ListTarget {
  screen: 'cases' | 'tasks' | 'approvals' | 'referrals' | 'transfers' | 'report';
  filter: Record<string, string>;
}

export interface Figure {
  /** `high`, `none`, an owner's UUID, a camp code, `2026-11`, `0-5`... */
  key: string;
  /** The name the server gives an owner or agency key; null for keys the configuration names. */
  label: string | null;
  /** Null when suppressed. */
  value: number | null;
  suppressed: boolean;
  list: ListTarget | null;
}

export type PanelCounts = 'cases' | 'children' | 'referrals' | 'tasks' | 'approvals' | 'days';
export type PanelDimension =
  | 'total'
  | 'risk_level'
  | 'stage'
  | 'owner'
  | 'camp'
  | 'concern'
  | 'sex'
  | 'age_range'
  | 'month'
  | 'agency'
  | 'service'
  | 'bucket'
  | 'kind';

export interface Panel {
  id: string;
  counts: PanelCounts;
  dimension: PanelDimension;
  chart: 'number' | 'bar' | 'column' | 'line';
  figures: Figure[];
}

export interface Dashboard {
  kind: DashboardKind;
  /** Today in the deployment's zone, `YYYY-MM-DD`: the date of ages, task buckets and months. */
  as_of: string;
  /** RFC 3339: when the figures were computed (the snapshot time for coordination). */
  computed_at: string;
  /** Set when values below it are suppressed. */
  suppression_threshold: number | null;
  /** The months of the month charts. */
  period?: { from: string; to: string } | null;
  panels: Panel[];
}

/**
 * Picks the dashboard of a role from its grants, as the server does. Aggregates over all
 * agencies without case access give coordination, and aggregates with the agency's cases give
 * the manager's. Otherwise approving gives the supervisor's and registering the caseworker's.
 */
export function dashboardKind(role: Role | undefined): DashboardKind {
  if (!role) return 'none';
  const aggregates = scopeOf(role, 'view_aggregates');
  const read = scopeOf(role, 'read');
  if (aggregates === 'all' && read === null) return 'coordination';
  if (aggregates !== null && read === 'agency') return 'manager';
  if (scopeOf(role, 'approve') !== null) return 'supervisor';
  if (scopeOf(role, 'create') !== null) return 'caseworker';
  return 'none';
}

/** Returns whether the dashboard of `kind` is computed on the phone from the vault. */
export function isLocalKind(kind: DashboardKind): kind is 'caseworker' | 'supervisor' {
  return kind === 'caseworker' || kind === 'supervisor';
}

/** The stages an open case can be in, in the order of casework. */
export const OPEN_STAGES = ['new', 'assessment', 'case_plan', 'service_provision', 'services_implemented', 'reopened'] as const;

/** The task buckets a dashboard shows; tasks due later are not on it. */
export const TASK_BUCKETS: TaskSection[] = ['overdue', 'today', 'week'];

/** The cases and lists on the phone that the local dashboards count. */
export interface LocalInputs {
  kind: 'caseworker' | 'supervisor';
  userId: string;
  config: Configuration | null;
  cases: readonly LocalCase[];
  /** Today in the deployment's zone, `YYYY-MM-DD`. */
  todayIso: string;
  /** RFC 3339 time of the computation. */
  computedAt: string;
  /** The server's task list kept in the vault (`serverTasks` in actions.ts). */
  serverTasks: { items: TaskView[]; caseItems?: TaskView[] };
  /** `GET /approvals?status=pending` as kept in the vault. */
  approvals: readonly ApprovalView[];
  /** Open incoming referrals as kept in the vault. */
  referrals: readonly CachedReferral[];
  /** Names of the people who own cases, by user id, where known. */
  people: ReadonlyMap<string, string>;
}

/** Computes the caseworker's or supervisor's dashboard from the cases and lists on the phone. */
export function localDashboard(inputs: LocalInputs): Dashboard {
  const context = filterContext(inputs.todayIso);
  const panels = inputs.kind === 'caseworker' ? caseworkerPanels(inputs, context) : supervisorPanels(inputs, context);
  return {
    kind: inputs.kind,
    as_of: inputs.todayIso,
    computed_at: inputs.computedAt,
    suppression_threshold: null,
    period: null,
    panels,
  };
}

function filterContext(todayIso: string): FilterContext {
  const [year, month, day] = todayIso.split('-').map(Number);
  return { today: { year, month, day } };
}

/** Returns the risk levels of the configuration, then `none` for cases not rated. */
export function riskKeys(config: Configuration | null): string[] {
  const levels = config?.lookups.find((lookup) => lookup.id === 'risk_level')?.options.map((option) => option.id) ?? ['high', 'medium', 'low'];
  return [...levels, NOT_RECORDED];
}

/** Builds a case figure whose value is the number of cases its list filter matches. */
function caseFigure(inputs: LocalInputs, context: FilterContext, key: string, filter: CaseFilter, label: string | null = null): Figure {
  return {
    key,
    label,
    value: countCases(inputs.cases, filter, context),
    suppressed: false,
    list: { screen: 'cases', filter: filter as Record<string, string> },
  };
}

function caseworkerPanels(inputs: LocalInputs, context: FilterContext): Panel[] {
  const mine: CaseFilter = { status: 'open', owner: inputs.userId };
  const sections = buildTasks(inputs.userId, [...inputs.cases], inputs.serverTasks.items, inputs.todayIso, inputs.serverTasks.caseItems ?? []);
  const pendingReferrals = inputs.referrals.filter((referral) => referral.status === 'pending').length;
  const pendingTransfers = inputs.serverTasks.items.filter((task) => task.kind === 'transfer').length;
  return [
    { id: 'my_open_total', counts: 'cases', dimension: 'total', chart: 'number', figures: [caseFigure(inputs, context, 'total', mine)] },
    {
      id: 'my_open_by_risk',
      counts: 'cases',
      dimension: 'risk_level',
      chart: 'bar',
      figures: riskKeys(inputs.config).map((level) => caseFigure(inputs, context, level, { ...mine, risk_level: level })),
    },
    {
      id: 'my_open_by_stage',
      counts: 'cases',
      dimension: 'stage',
      chart: 'bar',
      // As on the server, stages without a case are left out.
      figures: OPEN_STAGES.map((stage) => caseFigure(inputs, context, stage, { ...mine, stage })).filter((figure) => figure.value !== 0),
    },
    {
      id: 'my_tasks',
      counts: 'tasks',
      dimension: 'bucket',
      chart: 'bar',
      figures: TASK_BUCKETS.map((bucket) => ({
        key: bucket,
        label: null,
        value: sections[bucket].length,
        suppressed: false,
        list: { screen: 'tasks', filter: { bucket } },
      })),
    },
    {
      id: 'my_incoming',
      counts: 'referrals',
      dimension: 'kind',
      chart: 'number',
      figures: [
        { key: 'referrals', label: null, value: pendingReferrals, suppressed: false, list: { screen: 'referrals', filter: { box: 'incoming', status: 'pending' } } },
        { key: 'transfers', label: null, value: pendingTransfers, suppressed: false, list: { screen: 'transfers', filter: { box: 'incoming', status: 'pending' } } },
      ],
    },
  ];
}

/** Returns the owners of the open cases on the phone: the user first, then by name. */
function teamOwners(inputs: LocalInputs): string[] {
  const owners = new Set<string>();
  for (const record of inputs.cases) if (record.status === 'open') owners.add(record.owner_id);
  const name = (id: string) => inputs.people.get(id) ?? id;
  return [...owners].sort((a, b) => {
    if (a === inputs.userId) return -1;
    if (b === inputs.userId) return 1;
    return name(a).localeCompare(name(b)) || (a < b ? -1 : 1);
  });
}

function supervisorPanels(inputs: LocalInputs, context: FilterContext): Panel[] {
  const owners = teamOwners(inputs);
  const toDecide = inputs.approvals.filter((approval) => approval.requested_by.id !== inputs.userId).length;
  const allCases = [...inputs.cases];
  return [
    {
      id: 'team_open_by_owner',
      counts: 'cases',
      dimension: 'owner',
      chart: 'bar',
      figures: owners.map((owner) => caseFigure(inputs, context, owner, { status: 'open', owner }, inputs.people.get(owner) ?? null)),
    },
    {
      id: 'approvals_pending',
      counts: 'approvals',
      dimension: 'total',
      chart: 'number',
      figures: [{ key: 'total', label: null, value: toDecide, suppressed: false, list: { screen: 'approvals', filter: { status: 'pending', decidable: 'true' } } }],
    },
    {
      id: 'team_overdue_by_owner',
      counts: 'tasks',
      dimension: 'owner',
      chart: 'bar',
      // As on the server, only people with overdue tasks are listed.
      figures: owners
        .map((owner) => ({
          key: owner,
          label: inputs.people.get(owner) ?? null,
          value: tasksOfOwner(owner, allCases, inputs.todayIso).overdue.length,
          suppressed: false,
          list: { screen: 'tasks', filter: { bucket: 'overdue', owner } } as ListTarget,
        }))
        .filter((figure) => figure.value > 0),
    },
    {
      id: 'new_to_assign',
      counts: 'cases',
      dimension: 'total',
      chart: 'number',
      figures: [caseFigure(inputs, context, 'total', { status: 'open', stage: 'new', owner: inputs.userId })],
    },
    {
      id: 'team_open_by_risk',
      counts: 'cases',
      dimension: 'risk_level',
      chart: 'bar',
      figures: riskKeys(inputs.config).map((level) => caseFigure(inputs, context, level, { status: 'open', risk_level: level })),
    },
  ];
}

/**
 * Returns the route of the list a figure counts. A manager's case figures open the case list
 * from the server (`server`), because the phone need not hold every case of the agency.
 * Referral lists other than the user's pending incoming ones are the server's too. A
 * coordination figure opens its panel's table with the row of its `key` marked.
 */
export function targetHref(target: ListTarget, server: boolean, key?: string): string {
  const filter = target.filter;
  switch (target.screen) {
    case 'cases':
      return caseListHref(filter as CaseFilter, server);
    case 'tasks': {
      const bucket = filter.bucket;
      const known = bucket === 'overdue' || bucket === 'today' || bucket === 'week' || bucket === 'later' ? bucket : undefined;
      return href({ name: 'tasks', bucket: known, owner: filter.owner || undefined });
    }
    case 'approvals':
      return href({ name: 'approvals' });
    case 'referrals':
      if (!server && filter.status === 'pending' && (filter.box ?? 'incoming') === 'incoming') {
        return href({ name: 'referrals', box: 'incoming', only: 'pending-referrals' });
      }
      return href({ name: 'referral-list', params: filter });
    case 'transfers':
      return href({ name: 'referrals', box: 'incoming', only: 'transfers' });
    case 'report':
      return href({ name: 'dashboard-panel', panel: filter.panel ?? '', key });
  }
}
