// A small hash router: routes survive reloads offline because the shell is always index.html.

import { signal } from '@preact/signals';

/** A task section a task list can be narrowed to. */
export type TaskBucket = 'overdue' | 'today' | 'week' | 'later';

export type Route =
  | { name: 'tasks'; bucket?: TaskBucket; owner?: string }
  | { name: 'approvals' }
  | { name: 'notifications' }
  /** `params` are the list's filters (caseFilter.ts); `server` lists from `GET /cases` instead of the phone. */
  | { name: 'cases'; params?: Record<string, string>; server?: boolean }
  | { name: 'dashboard' }
  /** `key` marks the row of the figure that opened the table. */
  | { name: 'dashboard-panel'; panel: string; key?: string }
  | { name: 'reports' }
  /** The case import of roles with the `import` grant. */
  | { name: 'import' }
  /** The user's own case exports. */
  | { name: 'exports' }
  /** Referrals from `GET /referrals` with `params` as its query, as a manager's figures open them. */
  | { name: 'referral-list'; params: Record<string, string> }
  | { name: 'new' }
  | { name: 'case'; id: string; form?: string }
  | { name: 'edit'; id: string; form: string }
  | { name: 'settings' }
  | { name: 'history'; id: string }
  | { name: 'conflicts' }
  | { name: 'not-sent' }
  | { name: 'review' }
  | { name: 'refer'; id: string }
  | { name: 'transfer'; id: string }
  /** `only` narrows Incoming to pending referrals or to pending transfers, as dashboard figures count them. */
  | { name: 'referrals'; box?: 'incoming' | 'sent'; only?: 'pending-referrals' | 'transfers' }
  | { name: 'referral'; id: string }
  | { name: 'transfer-view'; id: string };

/** The query parameter of a case list route that lists from the server. */
const SERVER_PARAM = 'source';

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  // The home screen is the day's tasks.
  if (parts.length === 0 || parts[0] === 'tasks') return tasksRoute(params);
  if (parts[0] === 'dashboard') {
    if (!parts[1]) return { name: 'dashboard' };
    const key = params.get('key');
    return key ? { name: 'dashboard-panel', panel: parts[1], key } : { name: 'dashboard-panel', panel: parts[1] };
  }
  if (parts[0] === 'reports') return { name: 'reports' };
  if (parts[0] === 'import') return { name: 'import' };
  if (parts[0] === 'exports') return { name: 'exports' };
  if (parts[0] === 'referral-list') return { name: 'referral-list', params: Object.fromEntries(params.entries()) };
  if (parts[0] === 'approvals') return { name: 'approvals' };
  if (parts[0] === 'notifications') return { name: 'notifications' };
  if (parts[0] === 'new') return { name: 'new' };
  if (parts[0] === 'settings') return { name: 'settings' };
  if (parts[0] === 'conflicts') return { name: 'conflicts' };
  if (parts[0] === 'not-sent') return { name: 'not-sent' };
  if (parts[0] === 'review') return { name: 'review' };
  if (parts[0] === 'referrals') {
    if (parts[1]) return { name: 'referral', id: parts[1] };
    const only = params.get('only');
    return only === 'pending-referrals' || only === 'transfers' ? { name: 'referrals', box: 'incoming', only } : { name: 'referrals', box: 'incoming' };
  }
  if (parts[0] === 'sent-referrals') return { name: 'referrals', box: 'sent' };
  if (parts[0] === 'transfers' && parts[1]) return { name: 'transfer-view', id: parts[1] };
  if (parts[0] === 'cases' && parts[1]) {
    if (parts[2] === 'history') return { name: 'history', id: parts[1] };
    if (parts[2] === 'refer') return { name: 'refer', id: parts[1] };
    if (parts[2] === 'transfer') return { name: 'transfer', id: parts[1] };
    if (parts[2] === 'edit' && parts[3]) return { name: 'edit', id: parts[1], form: parts[3] };
    return { name: 'case', id: parts[1], form: parts[2] };
  }
  return casesRoute(params);
}

function tasksRoute(params: URLSearchParams): Route {
  const route: Route = { name: 'tasks' };
  const bucket = params.get('bucket');
  if (bucket === 'overdue' || bucket === 'today' || bucket === 'week' || bucket === 'later') route.bucket = bucket;
  const owner = params.get('owner');
  if (owner) route.owner = owner;
  return route;
}

function casesRoute(params: URLSearchParams): Route {
  const server = params.get(SERVER_PARAM) === 'server';
  params.delete(SERVER_PARAM);
  const entries = Object.fromEntries(params.entries());
  const route: Route = { name: 'cases' };
  if (Object.keys(entries).length > 0) route.params = entries;
  if (server) route.server = true;
  return route;
}

/** Returns `?query` for parameters, or '' when there are none. */
function queryOf(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const route = signal<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseRoute(location.hash);
    window.scrollTo(0, 0);
  });
}

export function href(target: Route): string {
  switch (target.name) {
    case 'tasks':
      return `#/tasks${queryOf({ bucket: target.bucket, owner: target.owner })}`;
    case 'approvals':
      return '#/approvals';
    case 'notifications':
      return '#/notifications';
    case 'cases':
      return `#/cases${queryOf({ ...target.params, [SERVER_PARAM]: target.server ? 'server' : undefined })}`;
    case 'dashboard':
      return '#/dashboard';
    case 'dashboard-panel':
      return `#/dashboard/${encodeURIComponent(target.panel)}${queryOf({ key: target.key })}`;
    case 'reports':
      return '#/reports';
    case 'import':
      return '#/import';
    case 'exports':
      return '#/exports';
    case 'referral-list':
      return `#/referral-list${queryOf(target.params)}`;
    case 'new':
      return '#/new';
    case 'settings':
      return '#/settings';
    case 'case':
      return `#/cases/${target.id}${target.form ? `/${target.form}` : ''}`;
    case 'edit':
      return `#/cases/${target.id}/edit/${target.form}`;
    case 'history':
      return `#/cases/${target.id}/history`;
    case 'conflicts':
      return '#/conflicts';
    case 'not-sent':
      return '#/not-sent';
    case 'review':
      return '#/review';
    case 'refer':
      return `#/cases/${target.id}/refer`;
    case 'transfer':
      return `#/cases/${target.id}/transfer`;
    case 'referrals':
      return target.box === 'sent' ? '#/sent-referrals' : `#/referrals${queryOf({ only: target.only })}`;
    case 'referral':
      return `#/referrals/${target.id}`;
    case 'transfer-view':
      return `#/transfers/${target.id}`;
  }
}

export function navigate(target: Route): void {
  if (typeof location !== 'undefined') location.hash = href(target);
}

/** Goes to `hash` and shows its screen at once, before the browser's `hashchange` event. */
export function goTo(hash: string): void {
  route.value = parseRoute(hash);
  if (typeof location !== 'undefined') location.hash = hash;
}
